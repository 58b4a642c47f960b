//! The incremental response decoder: what is available after each chunk.
//! (That it ends with the same value as a whole-body decode, for every golden
//! vector under three chunkings, is checked in `response_vectors.rs`.)

use std::task::{Context, Poll};

use futures_util::{stream, StreamExt};
use rsc_flight::response::{Decoder, Event, Incremental};
use rsc_flight::tagged;
use rsc_flight::value::Node;

mod common;
use common::block_on;

/// Events after a chunk, in short: `root`, `settled`, `value`, `end`, `hint`.
fn short(d: &mut Incremental) -> Vec<&'static str> {
    std::iter::from_fn(|| d.next_event())
        .map(|e| match e {
            Event::Root(_) => "root",
            Event::Settled(_) => "settled",
            Event::StreamValue(_) => "value",
            Event::StreamEnd(_) => "end",
            Event::Hint(_) => "hint",
        })
        .collect()
}

/// (name, chunks, events after each chunk, the value once finished)
type Case = (&'static str, &'static [&'static str], &'static [&'static [&'static str]], &'static str);

#[test]
fn what_is_available_after_each_chunk() {
    let cases: &[Case] = &[
        (
            "a promise settles when its row comes",
            &["0:[\"$@1\"]\n", "1:42\n"],
            &[&["root"], &["settled"]],
            r#"[{"$type":"Promise","status":"fulfilled","value":42}]"#,
        ),
        ("a forward reference holds the root back", &["0:[\"$1\"]\n", "1:{}\n"], &[&[], &["root"]], "[{}]"),
        (
            "rows that refer to each other",
            &["0:{\"a\":\"$1\"}\n", "1:{\"b\":\"$0\"}\n"],
            &[&[], &["root"]],
            r#"{"a":{"b":{"$type":"ref","pointer":""}}}"#,
        ),
        (
            "a path into a row that comes later",
            &["0:[\"$1:a:0\"]\n", "1:{\"a\":[\"x\"]}\n"],
            &[&[], &["root"]],
            r#"["x"]"#,
        ),
        (
            "stream values one at a time",
            &["0:\"$1\"\n1:R\n", "1:\"a\"\n", "1:\"b\"\n", "1:C\n"],
            &[&["root"], &["value"], &["value"], &["end"]],
            r#"{"$type":"ReadableStream","chunks":["a","b"]}"#,
        ),
        (
            "a stream entry waits for the row it refers to",
            &["0:\"$1\"\n1:X\n1:\"$2\"\n1:\"later\"\n", "2:{}\n", "1:C\n"],
            &[&["root"], &["value", "value"], &["end"]],
            r#"{"$type":"AsyncIterable","values":[{},"later"]}"#,
        ),
        (
            "an async iterable's return value",
            &["0:\"$1\"\n1:x\n1:1\n1:C\"$2\"\n", "2:\"done\"\n"],
            &[&["root", "value"], &["end"]],
            r#"{"$type":"AsyncIterator","values":[1],"return":"done"}"#,
        ),
        (
            "a server reference waits for its bound arguments",
            &["0:\"$h1\"\n1:{\"id\":\"m#f\",\"bound\":\"$@2\"}\n", "2:[1]\n"],
            &[&[], &["root"]],
            r#"{"$type":"ServerReference","id":"m#f","bound":[1]}"#,
        ),
        (
            "a promise whose row needs a later row",
            &["0:\"$@1\"\n1:[\"$2\"]\n", "2:3\n"],
            &[&["root"], &["settled"]],
            r#"{"$type":"Promise","status":"fulfilled","value":[3]}"#,
        ),
        ("a promise that rejects", &["0:\"$@1\"\n", "1:E{\"digest\":\"d1\"}\n"], &[&["root"], &["settled"]], ""),
        (
            "byte stream chunks",
            &["0:\"$1\"\n1:r\n1:b3,abc", "1:b1,d", "1:C\n"],
            &[&["root", "value"], &["value"], &["end"]],
            r#"{"$type":"ReadableByteStream","base64":"YWJjZA=="}"#,
        ),
        ("hints come first, as they arrive", &[":HL[\"/a.css\",\"style\"]\n", "0:1\n"], &[&["hint"], &["root"]], "1"),
        (
            "a Map's row comes after the root row",
            &["0:{\"m\":\"$Q1\"}\n", "1:[[\"k\",\"$2\"]]\n", "2:\"v\"\n"],
            &[&[], &[], &["root"]],
            r#"{"m":{"$type":"Map","entries":[["k","v"]]}}"#,
        ),
        ("a row split across chunks", &["0:[\"ab", "c\"]\n"], &[&[], &["root"]], r#"["abc"]"#),
    ];
    for (name, chunks, events, want) in cases {
        let mut d = Decoder::new().incremental();
        for (i, (c, ev)) in chunks.iter().zip(events.iter()).enumerate() {
            d.push(c.as_bytes()).unwrap_or_else(|e| panic!("{name}: chunk {i}: {e}"));
            assert_eq!(short(&mut d), *ev, "{name}: events after chunk {i}");
        }
        let r = d.finish().unwrap_or_else(|e| panic!("{name}: {e}"));
        if !want.is_empty() {
            assert_eq!(tagged::to_string(&r.value).unwrap(), *want, "{name}");
        }
        // The whole body gives the same value.
        let whole = Decoder::new().decode(chunks.concat().as_bytes()).unwrap();
        assert_eq!(tagged::to_string(&r.value).unwrap(), tagged::to_string(&whole.value).unwrap(), "{name}");
    }
}

#[test]
fn what_never_came_is_connection_closed_at_the_end() {
    let mut d = Decoder::new().incremental();
    d.push(b"0:[\"$@1\",\"$2\"]\n").unwrap();
    assert_eq!(short(&mut d), Vec::<&str>::new());
    // Row 2 never comes: the root is an error, as in a whole decode.
    let e = d.finish().unwrap_err();
    assert_eq!(e.message(), "Connection closed.");

    let mut d = Decoder::new().incremental();
    d.push(b"0:[\"$@1\",\"$3\"]\n1:\"$2\"\n3:\"$1:x\"\n").unwrap();
    assert_eq!(short(&mut d), Vec::<&str>::new());
    let r = d.finish().unwrap_err();
    assert_eq!(r.message(), "Connection closed.");

    let mut d = Decoder::new().incremental();
    d.push(b"0:[\"$@1\",\"$3\"]\n3:R\n3:1\n").unwrap();
    assert_eq!(short(&mut d), ["root", "value"]);
    let r = d.finish().unwrap();
    assert_eq!(
        tagged::to_string(&r.value).unwrap(),
        format!(
            r#"[{{"$type":"Promise","status":"rejected","reason":{{"$type":"Error","message":"Connection closed.","digest":null}}}},{{"$type":"ReadableStream","chunks":[1],"error":{{"$type":"Error","message":"Connection closed.","digest":null}}}}]"#
        )
    );
}

#[test]
fn errors_say_where() {
    let cases: &[(&str, &[&str], &str)] = &[
        ("the root is an error row", &["0:E{\"digest\":\"x\"}\n"], "digest \"x\""),
        ("a hint row that is not JSON", &["0:[\"$@1\"]\n", ":HL[\n"], "Unexpected end of JSON input"),
        ("a byte stream that errors", &["0:\"$1\"\n1:r\n", "1:E{}\n"], "cannot hold an error"),
        ("a chunk after the row framing broke", &["0:1\nzz:"], "row id"),
    ];
    for (name, chunks, want) in cases {
        let mut d = Decoder::new().incremental();
        let mut err = None;
        for c in *chunks {
            if let Err(e) = d.push(c.as_bytes()) {
                err = Some(e);
                break;
            }
        }
        let e = match err {
            Some(e) => e,
            None => d.finish().unwrap_err(),
        };
        assert!(e.to_string().contains(want), "{name}: {e}");
    }
}

/// Many forward references arriving a row at a time: the readiness walk
/// resumes where it stopped (each row is visited once), so this stays
/// linear; the work counter would stop a quadratic walk at `max_values`.
#[test]
fn forward_references_arriving_one_by_one() {
    let n = 20_000;
    let refs: Vec<String> = (1..=n).map(|i| format!("\"${i:x}\"")).collect();
    let limits = rsc_flight::Limits::default().max_values(5 * n).max_parts(n + 1);
    let mut d = Decoder::new().limits(limits).incremental();
    d.push(format!("0:[{}]\n", refs.join(",")).as_bytes()).unwrap();
    for i in 1..=n {
        assert!(d.root().is_none());
        d.push(format!("{i:x}:{i}\n").as_bytes()).unwrap();
    }
    assert!(d.root().is_some());
    let r = d.finish().unwrap();
    let Some(Node::Array(a)) = r.value.resolve(r.value.root()) else { panic!() };
    assert_eq!(a.len(), n);
}

/// A body stream that is not always ready, as a network body is not.
#[test]
fn event_stream_over_a_body_that_makes_the_reader_wait() {
    let chunks: Vec<&[u8]> = vec![b"0:{\"s\":\"$1\",\"p\":\"$@2\"}\n1:R\n", b"1:\"a\"\n", b"2:\"late\"\n1:C\n"];
    let mut i = 0;
    let mut ready = false;
    let body = stream::poll_fn(move |cx: &mut Context<'_>| {
        // Every other poll is Pending (with a wake-up, as a real body does).
        ready = !ready;
        if !ready {
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let c = chunks.get(i).copied();
        i += 1;
        Poll::Ready(c.map(Ok::<_, std::io::Error>))
    });
    let mut events = Decoder::new().stream(body);
    let seen = block_on(async {
        let mut seen = Vec::new();
        while let Some(e) = events.next().await {
            seen.push(match e.unwrap() {
                Event::Root(_) => "root",
                Event::Settled(_) => "settled",
                Event::StreamValue(_) => "value",
                Event::StreamEnd(_) => "end",
                Event::Hint(_) => "hint",
            });
        }
        seen
    });
    assert_eq!(seen, ["root", "value", "settled", "end"]);
    let r = block_on(events.into_response()).unwrap();
    assert_eq!(
        tagged::to_string(&r.value).unwrap(),
        r#"{"s":{"$type":"ReadableStream","chunks":["a"]},"p":{"$type":"Promise","status":"fulfilled","value":"late"}}"#
    );

    let failing = stream::iter(vec![Ok(&b"0:[\"$1\"]\n"[..]), Err(std::io::Error::other("reset by peer"))]);
    let mut events = Decoder::new().stream(failing);
    let e = block_on(events.root()).unwrap_err();
    assert!(e.to_string().contains("reset by peer"), "{e}");
}
