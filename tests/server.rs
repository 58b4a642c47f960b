//! The Server Function registry: dispatch, references, form posts, later
//! values, and hostile bodies.

use futures_util::StreamExt;
use rsc_flight::multipart::Field;
use rsc_flight::response::{Decoder, LiveValue};
use rsc_flight::server::{Registry, Thrown};
use rsc_flight::tagged;
use rsc_flight::value::{Item, Node, StreamKind, Value};

mod common;
use common::block_on;

fn body(rows: rsc_flight::server::CallStream) -> Vec<u8> {
    block_on(rows.collect::<Vec<_>>()).into_iter().flat_map(|c| c.unwrap()).collect()
}

fn registry() -> Registry {
    let mut r = Registry::new();
    // Echo the arguments back.
    r.register("app#echo", |args: Value| async move { Ok(LiveValue::from(args)) });
    // A promise and a stream that settle after the first chunk.
    r.register("app#later", |_| async move {
        let mut v = LiveValue::new(Value::new());
        let p = v.promise(async { Ok(LiveValue::from(tagged::from_str(r#"{"n":1}"#).unwrap())) });
        let s = v.stream(
            StreamKind::AsyncIterable,
            futures_util::stream::iter(["a", "b"].map(|x| Ok(LiveValue::from(Value::from_item(Item::from(x)))))),
        );
        let list = v.value_mut().add(Node::Array(vec![p, s]));
        v.value_mut().set_root(Item::Node(list));
        Ok(v)
    });
    r.register_typed("app#add", |(a, b): (i32, i32)| async move { Ok(a + b) });
    r.register_typed("app#fail", |_: Vec<i32>| async move { Err::<(), _>(Thrown::new("secret detail").digest("D1")) });
    // Keys in the order JavaScript enumerates them.
    r.register_typed("app#keys", |(m,): (serde_json::Map<String, serde_json::Value>,)| async move {
        Ok(m.into_iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" "))
    });
    r
}

const INVALID: &str = "0:E{\"digest\":\"INVALID_ARGUMENTS\"}\n";

/// A typed call is read straight from a text body where it can be, and
/// through a `Value` where JavaScript's object model or another part
/// decides: the same answers either way, through both entry points.
#[test]
fn typed_calls_read_straight_or_through_a_value_alike() {
    let r = registry();
    let cases: &[(&str, &str)] = &[
        // Straight.
        (r#"[{"b":1,"a":"x"}]"#, r#"b=1 a=\"x\""#),
        (r#"[{"b":"$undefined","a":"$D2026-01-01T00:00:00.000Z"}]"#, r#"b=null a=\"2026-01-01T00:00:00.000Z\""#),
        // Through a Value: an index key comes first, a duplicate keeps its
        // first place with its last value, `__proto__` is dropped.
        (r#"[{"b":1,"7":2}]"#, "7=2 b=1"),
        (r#"[{"a":1,"b":2,"a":3}]"#, "a=3 b=2"),
        (r#"[{"__proto__":{"x":1},"c":0}]"#, "c=0"),
    ];
    // Arguments that do not fit are thrown, either way.
    let rows = |text: &str| format!("0:\"{text}\"\n");
    let cases = cases.iter().map(|(args, text)| (*args, rows(text))).chain([("[1]", INVALID.to_owned())]);
    for (args, expected) in cases {
        let out = body(r.call("app#keys", "text/plain", args.to_string().into()).unwrap());
        assert_eq!(String::from_utf8(out).unwrap(), expected, "{args}");
        let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from(args.to_string()))]);
        let out = body(block_on(r.call_body("app#keys", "text/plain", chunks)).unwrap());
        assert_eq!(String::from_utf8(out).unwrap(), expected, "{args}");
    }
    // A body the decoder refuses is refused before anything runs.
    assert!(r.call("app#keys", "text/plain", "[1,".into()).is_err());
}

#[test]
fn calls_are_decoded_dispatched_and_encoded() {
    let r = registry();
    let out = body(r.call("app#add", "text/plain;charset=UTF-8", "[2,40]".into()).unwrap());
    assert_eq!(out, b"0:42\n");
    let out = body(r.call("app#echo", "text/plain", r#"["x",{"d":"$D2026-01-01T00:00:00.000Z"}]"#.into()).unwrap());
    assert_eq!(out, b"0:[\"x\",{\"d\":\"$D2026-01-01T00:00:00.000Z\"}]\n");
    // Multipart, as encodeReply sends a File.
    let v = tagged::from_str(r#"[{"$type":"File","name":"a.txt","type":"text/plain","base64":"aGk="}]"#).unwrap();
    let reply = rsc_flight::reply::to_body(&v).unwrap();
    let ct = reply.content_type("BOUNDARY");
    let out = body(r.call("app#echo", &ct, reply.to_bytes("BOUNDARY").into()).unwrap());
    let back = Decoder::new().decode(&out).unwrap();
    assert_eq!(tagged::to_string(&back.value).unwrap(), r#"[{"$type":"Blob","type":"text/plain","base64":"aGk="}]"#);
}

#[test]
fn later_values_are_later_chunks() {
    let r = registry();
    let chunks: Vec<_> = block_on(r.call("app#later", "text/plain", "[]".into()).unwrap().collect::<Vec<_>>());
    assert!(chunks.len() > 1, "{} chunks", chunks.len());
    let all: Vec<u8> = chunks.into_iter().flat_map(|c| c.unwrap()).collect();
    let v = Decoder::new().decode(&all).unwrap();
    assert_eq!(
        tagged::to_string(&v.value).unwrap(),
        r#"[{"$type":"Promise","status":"fulfilled","value":{"n":1}},{"$type":"AsyncIterable","values":["a","b"]}]"#
    );
}

#[test]
fn thrown_errors_send_only_their_digest() {
    let r = registry();
    let out = body(r.call("app#fail", "text/plain", "[]".into()).unwrap());
    assert_eq!(out, b"0:E{\"digest\":\"D1\"}\n");
    // Arguments that do not fit the handler's type are thrown, not run.
    let out = body(r.call("app#add", "text/plain", r#"["two",40]"#.into()).unwrap());
    assert_eq!(out, b"0:E{\"digest\":\"INVALID_ARGUMENTS\"}\n");
}

#[test]
fn only_registered_ids_are_reachable() {
    let r = registry();
    let e = r.call("app#nope", "text/plain", "[]".into()).unwrap_err();
    assert!(e.to_string().contains("no Server Function is registered as \"app#nope\""), "{e}");
    assert_eq!(e.category(), rsc_flight::Category::UnknownFunction);
    // A server reference among the arguments must name a registered id
    // (the body is at fault, not the address).
    let v = tagged::from_str(r#"[{"$type":"ServerReference","id":"fs#unlink","bound":null}]"#).unwrap();
    let reply = rsc_flight::reply::to_body(&v).unwrap();
    let ct = reply.content_type("B");
    let e = r.call("app#echo", &ct, reply.to_bytes("B").into()).unwrap_err();
    assert!(e.to_string().contains("fs#unlink"), "{e}");
    assert_eq!(e.category(), rsc_flight::Category::Reference);
    let v = tagged::from_str(r#"[{"$type":"ServerReference","id":"app#add","bound":[1]}]"#).unwrap();
    let reply = rsc_flight::reply::to_body(&v).unwrap();
    let ct = reply.content_type("B");
    assert!(r.call("app#echo", &ct, reply.to_bytes("B").into()).is_ok());
}

#[test]
fn forms_posted_without_javascript_go_through_the_registry() {
    let r = registry();
    let fields = vec![Field::text("$ACTION_ID_app#echo", ""), Field::text("title", "Hi")];
    let (id, outcome) = block_on(r.call_form(&fields)).unwrap().unwrap();
    assert_eq!(id, "app#echo");
    let v = outcome.unwrap();
    assert_eq!(tagged::to_string(v.value()).unwrap(), r#"[{"$type":"FormData","entries":[["title","Hi"]]}]"#);
    assert!(block_on(r.call_form(&[Field::text("title", "Hi")])).unwrap().is_none());
    let e = block_on(r.call_form(&[Field::text("$ACTION_ID_x#y", "")])).unwrap_err();
    assert!(e.to_string().contains("x#y"), "{e}");
}

#[test]
fn hostile_bodies_are_refused_and_the_registry_keeps_serving() {
    let r = registry();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let hostile = [deep.as_str(), r#"["$1:__proto__:then"]"#, r#""$@0""#, "[\"$\u{711}\"]", "[1] x"];
    for h in hostile {
        assert!(r.call("app#echo", "text/plain", h.to_owned().into()).is_err(), "{}", &h[..h.len().min(40)]);
        assert_eq!(body(r.call("app#add", "text/plain", "[1,1]".into()).unwrap()), b"0:2\n");
    }
    let e = r.call("app#echo", "text/plain", vec![b'[', 0xff, b']'].into()).unwrap_err();
    assert!(e.to_string().contains("UTF-8"), "{e}");
}

/// A body that never ends: the registry must stop reading at the body
/// limit, not buffer it all, for text and multipart alike.
#[test]
fn endless_bodies_are_cut_off_at_the_limit() {
    use rsc_flight::{reply, Limits};
    let r = registry().with_decoder(reply::Decoder::new().limits(Limits::default().max_body_bytes(1 << 16)));
    let endless = |head: &'static [u8]| {
        futures_util::stream::once(async move { Ok::<_, std::io::Error>(head.to_vec()) })
            .chain(futures_util::stream::repeat_with(|| Ok(vec![b'a'; 4096])))
    };
    let e = block_on(r.call_body("app#echo", "text/plain", endless(b"[\""))).unwrap_err();
    assert_eq!(e.limit_name(), Some("max_body_bytes"), "{e}");
    let head = b"--X\r\nContent-Disposition: form-data; name=\"0\"\r\n\r\n\"";
    let e = block_on(r.call_body("app#echo", "multipart/form-data; boundary=X", endless(head))).unwrap_err();
    assert_eq!(e.limit_name(), Some("max_body_bytes"), "{e}");
    // A body stream that fails is an I/O error, and the registry still serves.
    let failing = futures_util::stream::iter([Ok(b"[1,".to_vec()), Err(std::io::Error::other("reset by peer"))]);
    let e = block_on(r.call_body("app#echo", "text/plain", failing)).unwrap_err();
    assert_eq!(e.category(), rsc_flight::Category::Io, "{e}");
    assert!(e.to_string().contains("reset by peer"), "{e}");
    let rows =
        block_on(r.call_body("app#add", "text/plain", futures_util::stream::iter([Ok::<_, std::io::Error>("[2,3]")])));
    assert_eq!(body(rows.unwrap()), b"0:5\n");
    // An unknown id is refused before a byte of the body is read.
    let untouched = futures_util::stream::poll_fn(|_| -> std::task::Poll<Option<Result<Vec<u8>, std::io::Error>>> {
        panic!("the body was read")
    });
    assert!(block_on(r.call_body("app#nope", "text/plain", untouched)).is_err());
}

/// A form posted without JavaScript, as a streamed multipart body.
#[test]
fn streamed_form_posts_reach_the_registry() {
    let body = "--X\r\nContent-Disposition: form-data; name=\"$ACTION_ID_app#echo\"\r\n\r\n\r\n\
                --X\r\nContent-Disposition: form-data; name=\"who\"\r\n\r\nAnn\r\n--X--\r\n";
    let chunks = body.as_bytes().chunks(3).map(|c| Ok::<_, std::io::Error>(c.to_vec())).collect::<Vec<_>>();
    let r = registry();
    let (id, outcome) =
        block_on(r.call_form_body("multipart/form-data; boundary=X", futures_util::stream::iter(chunks)))
            .unwrap()
            .unwrap();
    assert_eq!(id, "app#echo");
    let v = outcome.unwrap();
    assert_eq!(tagged::to_string(v.value()).unwrap(), r#"[{"$type":"FormData","entries":[["who","Ann"]]}]"#);
}

/// A typed handler reads its arguments under the registry's decoder limits
/// (not the defaults), and a limit error keeps its name.
#[test]
fn typed_handlers_honour_the_registry_limits() {
    let with = |limits: Option<rsc_flight::Limits>| {
        let mut r = match limits {
            Some(l) => Registry::new().with_decoder(rsc_flight::reply::Decoder::new().limits(l)),
            None => Registry::new(),
        };
        r.register_typed("app#count", |(v,): (Vec<u8>,)| async move { Ok(v.len()) });
        r
    };
    // 148 numbers: the reply decoder charges its budget for arrays and
    // references, not for scalars, so a budget of 100 lets the body through;
    // reading `T` charges each element, and stops there.
    let args = || bytes::Bytes::from(format!("[[{}]]", vec!["1"; 148].join(",")));
    assert_eq!(
        body(with(None).call("app#count", "text/plain", args()).unwrap()),
        b"0:148
"
    );
    let tight = rsc_flight::Limits::default().max_values(100);
    let out = body(with(Some(tight.clone())).call("app#count", "text/plain", args()).unwrap());
    assert_eq!(out, b"0:E{\"digest\":\"INVALID_ARGUMENTS\"}\n");
    let d = rsc_flight::reply::Decoder::new().limits(tight);
    let e = rsc_flight::typed::decode_reply::<(Vec<u8>,)>(&d, "text/plain", args()).unwrap_err();
    assert_eq!(e.limit_name(), Some("max_values"), "{e}");
}
