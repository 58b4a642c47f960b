//! The async encoder (`Encoder::encode_live`): what is settled at the start
//! is written exactly as `Encoder::encode` writes it; what settles later is
//! written as later chunks, which both decoders read back to the value.

use futures_util::{stream, StreamExt};
use rsc_flight::response::{Decoder, Encoder, Event, LiveValue};
use rsc_flight::tagged;
use rsc_flight::value::{Item, Node, Object, StreamKind, Value};

mod common;
use common::{block_on, tagged_of};

/// Every chunk, or the first error.
fn chunks(enc: &Encoder, v: LiveValue) -> Result<Vec<Vec<u8>>, String> {
    block_on(enc.encode_live(v).collect::<Vec<_>>())
        .into_iter()
        .map(|c| c.map(|b| b.to_vec()).map_err(|e| e.to_string()))
        .collect()
}

fn live(notation: &str) -> LiveValue {
    LiveValue::from(tagged::from_str(notation).unwrap())
}

fn ok(notation: &str) -> Result<LiveValue, LiveValue> {
    Ok(live(notation))
}

/// `{key: item, ...}` as the root of `v`.
fn root_object(v: &mut LiveValue, members: Vec<(&str, Item)>) {
    let mut o = Object::new();
    for (k, item) in members {
        o.insert(k, item);
    }
    let n = v.value_mut().add(Node::Object(o));
    v.value_mut().set_root(Item::Node(n));
}

#[test]
fn a_value_settled_at_the_start_is_written_as_encode_writes_it() {
    let vectors = common::load("response.json");
    let enc = Encoder::new().error_rows(true);
    let mut n = 0;
    for v in &vectors {
        let Some(value) = v.get("value") else { continue };
        let value: Value = tagged_of(value);
        let want = enc.encode(&value).map_err(|e| e.to_string());
        let got = chunks(&enc, value.into()).map(|c| c.concat());
        assert_eq!(got, want, "{}", v["name"]);
        n += 1;
    }
    assert!(n >= 150, "{n}");
}

#[test]
fn later_values_are_later_rows_that_decode_back() {
    let enc = Encoder::new();
    // A promise fulfilled later with a Map and a Date, one rejected later,
    // and a stream whose second value holds a promise of its own.
    let mut v = live("null");
    let p = v.promise(async {
        ok(r#"{"m":{"$type":"Map","entries":[["k",{"$type":"Date","value":"2026-01-01T00:00:00.000Z"}]]}}"#)
    });
    let r = v.promise(async { Err(live(r#"{"$type":"Error","message":"secret","digest":"d2"}"#)) });
    let s = v.stream(
        StreamKind::AsyncIterable,
        stream::iter(vec![
            ok(r#""one""#),
            Ok({
                let mut inner = LiveValue::new(Value::new());
                let q = inner.promise(async { ok("[1,2]") });
                root_object(&mut inner, vec![("q", q)]);
                inner
            }),
        ]),
    );
    root_object(&mut v, vec![("p", p), ("r", r), ("s", s)]);
    let parts = chunks(&enc, v).unwrap();
    assert!(parts.len() > 1, "later values come as later chunks");
    let first = String::from_utf8(parts[0].clone()).unwrap();
    assert!(first.contains("0:{\"p\":\"$@1\",\"r\":\"$@2\",\"s\":\"$3\"}\n"), "{first}");
    let body = parts.concat();
    let text = String::from_utf8_lossy(&body);
    assert!(text.contains(":E{\"digest\":\"d2\"}\n") && !text.contains("secret"), "{text}");

    let want = r#"{"p":{"$type":"Promise","status":"fulfilled","value":{"m":{"$type":"Map","entries":[["k",{"$type":"Date","value":"2026-01-01T00:00:00.000Z"}]]}}},"r":{"$type":"Promise","status":"rejected","reason":{"$type":"Error","message":"An error occurred in the Server Components render. The specific message is omitted in production builds to avoid leaking sensitive details. A digest property is included on this error instance which may provide additional details about the nature of the error.","digest":"d2"}},"s":{"$type":"AsyncIterable","values":["one",{"q":{"$type":"Promise","status":"fulfilled","value":[1,2]}}]}}"#;
    let whole = Decoder::new().decode(&body).unwrap();
    assert_eq!(tagged::to_string(&whole.value).unwrap(), want);

    // Chunk by chunk, the root is there after the first chunk.
    let mut d = Decoder::new().incremental();
    d.push(&parts[0]).unwrap();
    assert!(matches!(d.next_event(), Some(Event::Root(_))));
    for p in &parts[1..] {
        d.push(p).unwrap();
    }
    assert_eq!(tagged::to_string(&d.finish().unwrap().value).unwrap(), want);
}

#[test]
fn what_later_values_share_with_the_first_is_written_once() {
    let enc = Encoder::new();
    // A registered symbol met again later is not written again; a promise
    // met twice is one row.
    let mut v = live(r#"[{"$type":"symbol","key":"react.fragment"}]"#);
    let p = v.promise(async { ok(r#"[{"$type":"symbol","key":"react.fragment"},"x"]"#) });
    let Some(Node::Array(a)) = v.value().resolve(v.value().root()).cloned() else { panic!() };
    let mut a = a;
    a.push(p.clone());
    a.push(p);
    let n = v.value_mut().add(Node::Array(a));
    v.value_mut().set_root(Item::Node(n));
    let body = chunks(&enc, v).unwrap().concat();
    let text = String::from_utf8(body.clone()).unwrap();
    assert_eq!(text.matches("$Sreact.fragment").count(), 1, "{text}");
    assert_eq!(text, "1:\"$Sreact.fragment\"\n0:[\"$1\",\"$@2\",\"$@2\"]\n2:[\"$1\",\"x\"]\n");
}

#[test]
fn long_strings_and_binary_later_use_their_own_rows() {
    let long = "y".repeat(2000);
    let mut v = LiveValue::new(Value::new());
    let notation = format!(r#"{{"t":"{long}","b":{{"$type":"Uint8Array","base64":"AQID"}}}}"#);
    let p = v.promise(async move { ok(&notation) });
    v.value_mut().set_root(p);
    let body = chunks(&Encoder::new(), v).unwrap().concat();
    let text = String::from_utf8_lossy(&body);
    assert!(text.contains(":T7d0,"), "{text}");
    assert!(text.contains(":o3,\u{1}\u{2}\u{3}"), "{text}");
    let whole = Decoder::new().decode(&body).unwrap();
    assert_eq!(
        tagged::to_string(&whole.value).unwrap(),
        format!(
            r#"{{"$type":"Promise","status":"fulfilled","value":{{"t":"{long}","b":{{"$type":"Uint8Array","base64":"AQID"}}}}}}"#
        )
    );
}

#[test]
fn what_cannot_be_finished_or_sent_is_an_error() {
    // A pending promise without a source would never end the response.
    let e = chunks(&Encoder::new(), live(r#"[{"$type":"Promise","status":"pending"}]"#)).unwrap_err();
    assert!(e.contains("never settles"), "{e}");
    // A function that comes later is refused with React's message...
    let mut v = LiveValue::new(Value::new());
    let p = v.promise(async { ok(r#"{"$type":"Function","name":"f"}"#) });
    v.value_mut().set_root(p);
    let e = chunks(&Encoder::new(), v).unwrap_err();
    assert!(e.contains("Functions cannot be passed directly to Client Components"), "{e}");
    // ...or becomes an error row, as React's renderer does.
    let mut v = LiveValue::new(Value::new());
    let p = v.promise(async { ok(r#"{"$type":"Function","name":"f"}"#) });
    v.value_mut().set_root(p);
    let body = chunks(&Encoder::new().error_rows(true), v).unwrap().concat();
    assert_eq!(body, b"0:\"$@1\"\n1:E{\"digest\":\"\"}\n");
    // A stream whose source errors.
    let mut v = LiveValue::new(Value::new());
    let s = v.stream(StreamKind::Readable, stream::iter(vec![ok("1"), Err(live(r#""boom""#))]));
    v.value_mut().set_root(s);
    let body = chunks(&Encoder::new().on_error(|i| format!("seen:{}", i.message)), v).unwrap().concat();
    assert_eq!(String::from_utf8(body).unwrap(), "1:R\n0:\"$1\"\n1:1\n1:E{\"digest\":\"seen:boom\"}\n");
}
