//! Hostile reply bodies: each ends in a clear error or the correct value,
//! quickly, without a panic or a stack overflow, on a 2 MiB thread stack
//! (the default for spawned threads, smaller than a main thread's).

use rsc_flight::multipart::Field;
use rsc_flight::reply::Decoder;
use rsc_flight::value::{Item, Node, Stream, StreamEnd, StreamKind, Value};
use rsc_flight::{tagged, Category};

/// Run `f` on a thread with a 2 MiB stack.
fn small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(2 << 20).spawn(f).unwrap().join().unwrap()
}

fn decode_fields(fields: Vec<(&'static str, String)>) -> rsc_flight::Result<rsc_flight::Value> {
    let fields: Vec<Field> = fields.into_iter().map(|(n, t)| Field::text(n, t)).collect();
    Decoder::new().decode_fields(&fields)
}

#[test]
fn a_million_nested_arrays_is_a_depth_error() {
    let e = small_stack(|| Decoder::new().decode_str(&"[".repeat(1_000_000)).unwrap_err());
    assert_eq!(e.category(), Category::Limit);
    assert!(e.to_string().contains("max_depth"), "{e}");
    let e = small_stack(|| Decoder::new().decode_str(&"{\"a\":".repeat(1_000_000)).unwrap_err());
    assert_eq!(e.category(), Category::Limit);
}

#[test]
fn the_default_depth_fits_a_small_stack_through_every_walk() {
    // 1400 levels: parse, revive, print, compare and re-encode all recurse
    // (or not) safely on 2 MiB.
    let text = format!("{}{}", "[".repeat(1400), "]".repeat(1400));
    small_stack(move || {
        let v = Decoder::new().decode_str(&text).unwrap();
        let printed = tagged::to_string(&v).unwrap();
        tagged::equivalent(&v, &tagged::from_str(&printed).unwrap()).unwrap();
        let body = rsc_flight::reply::to_body(&v).unwrap();
        assert_eq!(body.as_text(), Some(text.as_str()));
    });
}

#[test]
fn a_chain_of_parts_counts_as_depth() {
    // Each part refers to the next: nesting through references, not JSON.
    let mut fields = Vec::new();
    for i in 0..5000u32 {
        fields.push(Field::text(i.to_string(), format!("{{\"next\":\"${:x}\"}}", i + 1)));
    }
    fields.push(Field::text("5000", "null"));
    let e = small_stack(move || Decoder::new().decode_fields(&fields).unwrap_err());
    assert_eq!(e.category(), Category::Limit, "{e}");
}

#[test]
fn a_doubling_chain_forty_levels_deep_is_linear() {
    // Part n is [$n+1, $n+1]: 2^40 leaves if expanded. React's array budget
    // stops it; without that budget the arena would still share nodes.
    let mut fields = Vec::new();
    for i in 0..40u32 {
        fields.push(("", format!("[\"${:x}\",\"${:x}\"]", i + 1, i + 1)));
    }
    let fields: Vec<(&str, String)> = fields;
    let mut named: Vec<Field> =
        fields.into_iter().enumerate().map(|(i, (_, t))| Field::text(i.to_string(), t)).collect();
    named.push(Field::text("40", "\"leaf\""));
    let start = std::time::Instant::now();
    let e = Decoder::new().decode_fields(&named).unwrap_err();
    assert!(e.message().starts_with("Maximum array nesting exceeded."), "{e}");
    // Without React's budget, the value is decoded and stays small.
    let v =
        Decoder::new().limits(rsc_flight::Limits::default().array_size_limit(u64::MAX)).decode_fields(&named).unwrap();
    assert!(v.len() <= 41, "{} nodes", v.len());
    assert!(start.elapsed().as_secs() < 10);
}

#[test]
fn hostile_shapes_end_in_reacts_errors() {
    let cases: Vec<(Vec<(&str, String)>, &str)> = vec![
        (vec![("0", "[\"$1:__proto__\"]".into()), ("1", "{}".into())], "Invalid reference."),
        (vec![("0", "[\"$1:constructor:constructor\"]".into()), ("1", "{}".into())], "Invalid reference."),
        (vec![("0", "\"$@0\"".into())], "Cannot have cyclic thenables."),
        (vec![("0", "[\"$Q1\",\"$Q1\"]".into()), ("1", "[]".into())], "Already initialized Map."),
        (
            vec![("0", format!("\"$n{}\"", "1".repeat(301)))],
            "BigInt is too large. Received 301 digits but the limit is 300.",
        ),
        (
            vec![
                ("0", "\"$h1\"".into()),
                ("1", "{\"id\":\"m#f\",\"bound\":\"$@2\"}".into()),
                ("2", format!("[{}]", vec!["0"; 1001].join(","))),
            ],
            "Server Function has too many bound arguments. Received 1001 but the limit is 1000.",
        ),
        (vec![("0", "{\"a\":\"$0:a\"}".into())], "Invalid reference."),
        (vec![("0", "\"$0\"".into())], "refers to itself"),
        (vec![("0", "\"$D2020-01-01T00:00\"".into())], "not determined by the text"),
        (vec![("0", "\"\\ud800\"".into())], "lone UTF-16 surrogate"),
        (vec![("0", "[1,2".into())], "Unexpected end of JSON input"),
        (vec![("0", "[1] x".into())], "Unexpected non-whitespace"),
    ];
    for (fields, want) in cases {
        let desc = format!("{fields:?}");
        match decode_fields(fields) {
            Err(e) => assert!(e.to_string().contains(want), "{desc}: {e}"),
            Ok(v) => panic!("{desc}: decoded {}", tagged::to_string(&v).unwrap()),
        }
    }
}

#[test]
fn limits_are_named_in_their_errors() {
    let l = rsc_flight::Limits::default;
    let cases = [
        (l().max_body_bytes(10), "\"01234567890\"", "max_body_bytes"),
        (l().max_string_bytes(4), "\"12345\"", "max_string_bytes"),
        (l().max_depth(3), "[[[[]]]]", "max_depth"),
        (l().max_values(3), "[[],[],[]]", "max_values"),
    ];
    for (limits, body, name) in cases {
        let e = Decoder::new().limits(limits).decode_str(body).unwrap_err();
        assert_eq!(e.category(), Category::Limit);
        assert!(e.to_string().contains(name), "{body}: {e}");
    }
    let fields: Vec<Field> = (0..5).map(|i| Field::text(i.to_string(), "1")).collect();
    let e = Decoder::new().limits(l().max_parts(4)).decode_fields(&fields).unwrap_err();
    assert!(e.to_string().contains("max_parts"), "{e}");
}

#[test]
fn every_strict_prefix_of_a_text_body_is_an_error() {
    let body = r#"{"a":[1,"$n5",{"b":"$D2020-01-01T00:00:00.000Z"}],"c":"x"}"#;
    for end in 0..body.len() {
        assert!(Decoder::new().decode_str(&body[..end]).is_err(), "prefix {:?}", &body[..end]);
    }
    assert!(Decoder::new().decode_str(body).is_ok());
}

#[test]
fn multipart_errors_are_clear() {
    let d = Decoder::new();
    let unterminated = b"--B\r\nContent-Disposition: form-data; name=\"0\"\r\n\r\n\"abc\"".to_vec();
    assert!(d.decode_multipart("multipart/form-data; boundary=B", unterminated).is_err());
    let huge_header = format!("--B\r\nX: {}\r\n\r\nx\r\n--B--\r\n", "h".repeat(100_000));
    assert!(d.decode_multipart("multipart/form-data; boundary=B", huge_header.into_bytes()).is_err());
    assert!(d.decode_multipart("text/plain", b"x".to_vec()).is_err());
}

#[test]
fn large_maps_and_sets_build_in_linear_time() {
    let n = 200_000;
    let entries: Vec<String> = (0..n).map(|i| format!("[{i},{i}]")).collect();
    let fields = vec![
        Field::text("0", "[\"$Q1\",\"$W2\"]"),
        Field::text("1", format!("[{},[0,\"last\"]]", entries.join(","))),
        Field::text("2", format!("[{}]", (0..n).map(|i| (i % 1000).to_string()).collect::<Vec<_>>().join(","))),
    ];
    let start = std::time::Instant::now();
    let v = Decoder::new().decode_fields(&fields).unwrap();
    assert!(start.elapsed().as_secs() < 20);
    let rsc_flight::value::Node::Array(root) = v.resolve(v.root()).unwrap() else { panic!() };
    let rsc_flight::value::Node::Map(m) = v.resolve(&root[0]).unwrap() else { panic!() };
    assert_eq!(m.len(), n);
    assert_eq!(m[0].1, rsc_flight::value::Item::from("last"));
    let rsc_flight::value::Node::Set(s) = v.resolve(&root[1]).unwrap() else { panic!() };
    assert_eq!(s.len(), 1000);
}

#[test]
fn large_objects_build_in_linear_time() {
    // Objects past 16 keys are hashed (SipHash): 200 000 keys, index keys
    // among them and the first key again at the end, decode and re-encode
    // in linear time, with JavaScript's key order and last-value-wins.
    let n = 200_000;
    let members: Vec<String> =
        (0..n).map(|i| if i % 2 == 0 { format!("\"k{i}\":{i}") } else { format!("\"{i}\":{i}") }).collect();
    let text = format!("{{{},\"k0\":\"last\"}}", members.join(","));
    let start = std::time::Instant::now();
    let v = Decoder::new().decode_str(&text).unwrap();
    let body = rsc_flight::reply::to_body(&v).unwrap();
    assert!(start.elapsed().as_secs() < 20);
    let Some(rsc_flight::value::Node::Object(o)) = v.resolve(v.root()) else { panic!() };
    assert_eq!(o.len(), n);
    assert_eq!(o.get("k0"), Some(&Item::from("last")));
    // Index keys first, ascending; then the others in wire order.
    let keys: Vec<&str> = o.keys().map(|k| k.as_str()).take(2).collect();
    assert_eq!(keys, ["1", "3"]);
    let text = body.as_text().unwrap();
    assert!(text.starts_with(r#"{"1":1,"3":3,"#) && text.contains(r#""k0":"last","k2":2"#), "{}", &text[..80]);
}

#[test]
fn encoding_a_value_deeper_than_the_limit_is_an_error_not_an_overflow() {
    // Built through the API, not decoded: nothing bounded its depth yet.
    let e = small_stack(|| {
        let mut v = Value::new();
        let mut item = Item::Null;
        for _ in 0..100_000 {
            item = Item::Node(v.add(Node::Array(vec![item])));
        }
        v.set_root(item);
        assert!(tagged::to_string(&v).is_err());
        assert!(tagged::equivalent(&v, &v).is_err());
        rsc_flight::reply::to_body(&v).unwrap_err()
    });
    assert_eq!(e.category(), Category::Limit, "{e}");
}

#[test]
fn a_stream_chunk_that_contains_itself_is_refused_like_json_stringify() {
    let e = small_stack(|| {
        let mut v = Value::new();
        let arr = v.add(Node::Array(Vec::new()));
        if let Node::Array(a) = v.node_mut(arr) {
            a.push(Item::Node(arr));
        }
        let s = v.add(Node::Stream(Stream {
            kind: StreamKind::Readable,
            values: vec![Item::Node(arr)],
            end: StreamEnd::Return(Item::Undefined),
        }));
        v.set_root(Item::Node(s));
        rsc_flight::reply::to_body(&v).unwrap_err()
    });
    assert!(e.to_string().contains("Converting circular structure to JSON"), "{e}");
}
