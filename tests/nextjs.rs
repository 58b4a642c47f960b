//! Payloads captured from a real Next.js App Router app
//! (`conformance/nextjs/capture.sh`, checked in under tests/vectors/nextjs/):
//! a production build's (`page.rsc`), `next dev`'s (`page-dev.rsc`, with
//! its debug, timing and console rows), and the Flight data the production
//! page's HTML embeds (`page.html`, read back from its `self.__next_f`
//! scripts by `inspect::next_flight_data`). They decode whole and in chunks
//! alike, and the props the page passed to its client component come out as
//! the page wrote them. A production bundler numbers modules, so client
//! references hold numeric ids there.

use rsc_flight::response::Decoder;
use rsc_flight::tagged;
use rsc_flight::value::{BundlerId, Item, Node, Value};

/// Every capture: ("<folder>/<file>", RSC payload), production ones and
/// development ones.
fn captures() -> Vec<(String, Vec<u8>)> {
    let root = format!("{}/tests/vectors/nextjs", env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap_or_else(|e| panic!("{root}: {e}")) {
        let dir = dir.unwrap().path();
        for file in ["page.rsc", "page-dev.rsc"] {
            if let Ok(bytes) = std::fs::read(dir.join(file)) {
                out.push((format!("{}/{file}", dir.file_name().unwrap().to_string_lossy()), bytes));
            }
        }
        if let Ok(html) = std::fs::read_to_string(dir.join("page.html")) {
            let data = rsc_flight::inspect::next_flight_data(&html).unwrap_or_else(|e| panic!("{dir:?}: {e}"));
            assert!(data.chunks >= 2, "{dir:?}: {} chunks", data.chunks);
            out.push((format!("{}/page.html", dir.file_name().unwrap().to_string_lossy()), data.flight));
        }
    }
    out.sort();
    assert!(out.len() >= 6, "captures under {root}: {:?}", out.iter().map(|c| &c.0).collect::<Vec<_>>());
    out
}

fn incremental(chunks: &[&[u8]]) -> String {
    let mut d = Decoder::new().incremental();
    for c in chunks {
        d.push(c).unwrap();
    }
    tagged::to_string(&d.finish().unwrap().value).unwrap()
}

#[test]
fn next_pages_decode_the_same_whole_and_in_chunks() {
    for (app, body) in captures() {
        let whole = Decoder::new().decode(&body).unwrap_or_else(|e| panic!("{app}: {e}"));
        let printed = tagged::to_string(&whole.value).unwrap();
        let bytewise: Vec<&[u8]> = body.chunks(1).collect();
        assert_eq!(incremental(&bytewise), printed, "{app}: a byte at a time");
        let odd: Vec<&[u8]> = body.chunks(97).collect();
        assert_eq!(incremental(&odd), printed, "{app}: 97-byte chunks");
    }
}

/// The element whose props have the key `start`: the page's
/// `<Counter start={3} when={…} tags={…} big={…} list={…} />`.
fn counter(v: &Value) -> (&Item, &rsc_flight::value::Object) {
    v.nodes()
        .iter()
        .find_map(|n| match n {
            Node::Element { ty, props: Item::Node(p), .. } => match v.node(*p) {
                Node::Object(o) if o.get("start").is_some() => Some((ty, o)),
                _ => None,
            },
            _ => None,
        })
        .expect("the Counter element")
}

#[test]
fn the_props_the_page_passed_come_out_as_written() {
    for (app, body) in captures() {
        let r = Decoder::new().decode(&body).unwrap();
        let v = &r.value;
        let (ty, props) = counter(v);
        // A client reference; a production bundler's module id is a number.
        let Some(Node::ClientReference(c)) = v.resolve(ty) else { panic!("{app}: {ty:?}") };
        if !app.ends_with("-dev.rsc") {
            assert!(matches!(c.module, BundlerId::Number(n) if n > 0.0), "{app}: {c:?}");
        } else {
            assert!(!r.debug.is_empty(), "{app}: no development rows");
        }
        assert_eq!(c.name, "default", "{app}");
        assert_eq!(props.get("start"), Some(&Item::Number(3.0)), "{app}");
        match props.get("when") {
            Some(Item::Date(d)) => assert_eq!(d.to_iso().as_deref(), Some("2026-01-01T00:00:00.000Z"), "{app}"),
            other => panic!("{app}: when = {other:?}"),
        }
        match props.get("big") {
            Some(Item::BigInt(b)) => assert_eq!(b.as_str(), "12345678901234567890", "{app}"),
            other => panic!("{app}: big = {other:?}"),
        }
        match v.resolve(props.get("tags").unwrap()) {
            Some(Node::Set(s)) => assert_eq!(s, &[Item::from("a"), Item::from("b")], "{app}"),
            other => panic!("{app}: tags = {other:?}"),
        }
        let Some(Node::Array(list)) = v.resolve(props.get("list").unwrap()) else { panic!("{app}: list") };
        assert_eq!(list.len(), 6, "{app}");
        assert_eq!(&list[..4], &[Item::Number(1.0), Item::from("two"), Item::Null, Item::Undefined], "{app}");
        assert!(matches!(list[4], Item::Number(n) if n == 0.0 && n.is_sign_negative()), "{app}");
        assert!(matches!(list[5], Item::Number(n) if n.is_nan()), "{app}");
        // The form's action: a server reference by Next.js's action id.
        let action = v.nodes().iter().find_map(|n| match n {
            Node::ServerReference(s) => Some(s),
            _ => None,
        });
        let action = action.unwrap_or_else(|| panic!("{app}: no server reference"));
        assert!(action.id.len() >= 40 && action.id.bytes().all(|b| b.is_ascii_hexdigit()), "{app}: {action:?}");
        // The Suspense boundary's content, streamed in a later row.
        let printed = tagged::to_string(v).unwrap();
        assert!(printed.contains(r#"{"children":["slow done ","1970-01-01T00:00:00.000Z"]}"#), "{app}");
    }
}

/// A Server Function call the page's form makes, `save(null, formData)`,
/// written by this crate in the dialect of the app's React and sent to the
/// real Next.js server (`conformance/nextjs/capture.sh`), and that server's
/// answer: it read the call and returned `{ok: true, name}`.
#[test]
fn a_server_function_call_written_here_is_answered_by_next() {
    let root = format!("{}/tests/vectors/nextjs", env!("CARGO_MANIFEST_DIR"));
    for (app, react) in [("next-15.5", "next@15.5.29"), ("next-16.5", "next@16.5.0")] {
        let read = |f: &str| std::fs::read(format!("{root}/{app}/{f}")).unwrap_or_else(|e| panic!("{app}/{f}: {e}"));
        let react: rsc_flight::React = react.parse().unwrap();
        let content_type = String::from_utf8(read("call.content-type")).unwrap();
        let body = read("call.body");
        let args = rsc_flight::reply::Decoder::new().react(react).decode(&content_type, body.clone()).unwrap();
        let printed = tagged::to_string(&args).unwrap();
        assert_eq!(printed, r#"[null,{"$type":"FormData","entries":[["name","bob"]]}]"#, "{app}");
        // The bytes are what the encoder writes for that React.
        let again = rsc_flight::reply::Encoder::new().react(react).encode(&args).unwrap();
        assert_eq!(again.to_bytes("rsc-flight-capture"), body, "{app}");
        // Next.js's answer: the action's result as the promise under `a`.
        let answer = Decoder::new().react(react).decode(&read("call.rsc")).unwrap();
        let result = answer.value.pointer("/a").and_then(|p| p.node()).cloned();
        let Some(Node::Promise(rsc_flight::value::Promise::Fulfilled(r))) = result else { panic!("{app}: {result:?}") };
        let mut whole = answer.value.clone();
        whole.set_root(r);
        assert_eq!(tagged::to_string(&whole).unwrap(), r#"{"ok":true,"name":"bob"}"#, "{app}");
    }
}

/// `inspect` on every capture: every row listed with what it holds, no
/// fault, and what the page is made of found (client references, the
/// Suspense content's row, development rows, the call's FormData entry).
#[test]
fn inspect_shows_every_capture_row_by_row() {
    use rsc_flight::inspect::{inspect_with_content_type, As, RowKind};
    let root = format!("{}/tests/vectors/nextjs", env!("CARGO_MANIFEST_DIR"));
    for (app, react) in [("next-15.5", "next@15.5.29"), ("next-16.5", "next@16.5.0")] {
        let react: rsc_flight::React = react.parse().unwrap();
        let read = |f: &str| std::fs::read(format!("{root}/{app}/{f}")).unwrap();
        let content_type = String::from_utf8(read("call.content-type")).unwrap();
        for (file, ct, format, kinds) in [
            ("page.html", None, "html", &[RowKind::ClientReference, RowKind::Model][..]),
            ("page.rsc", None, "response", &[RowKind::ClientReference, RowKind::Model][..]),
            ("page-dev.rsc", None, "response", &[RowKind::ClientReference, RowKind::Debug][..]),
            ("call.body", Some(content_type.as_str()), "reply", &[RowKind::FormEntry, RowKind::Part][..]),
            ("call.rsc", None, "response", &[RowKind::Model][..]),
        ] {
            let r = inspect_with_content_type(&read(file), As::Guess, react, ct);
            let name = format!("{app}/{file}");
            assert_eq!(r.format, format, "{name}");
            assert!(r.fault.is_none(), "{name}: {:?}", r.fault);
            // Next.js 16.5's development server sends the rows its
            // elements' debug slots refer to over a separate debug channel.
            if !(file == "page-dev.rsc" && app == "next-16.5") {
                assert!(r.missing.is_empty(), "{name}: {:?}", r.missing);
            }
            assert!(r.value.is_some(), "{name}");
            for k in kinds {
                assert!(r.rows.iter().any(|row| row.kind == *k), "{name}: no {k:?} row");
            }
            // Every JSON row shows its value.
            for row in r.rows.iter().filter(|row| matches!(row.kind, RowKind::Model | RowKind::ClientReference)) {
                assert!(!row.tree.is_empty(), "{name}: row {:x} has no tree", row.id);
            }
            let text = r.to_text(false);
            assert!(text.lines().count() > r.rows.len(), "{name}");
        }
    }
}
