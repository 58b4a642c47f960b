//! Hostile response streams: each ends in a clear error (with the row and
//! byte offset where there is one) or the correct value, without a panic or
//! a stack overflow, on a 2 MiB thread stack.

use rsc_flight::response::Decoder;
use rsc_flight::{tagged, Category};

fn small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(2 << 20).spawn(f).unwrap().join().unwrap()
}

fn decode(body: &[u8]) -> rsc_flight::Result<String> {
    let r = Decoder::new().decode(body)?;
    tagged::to_string(&r.value)
}

const RICH: &[u8] = b"1:R\n2:T5,hello3:o3,\x01\n\x024:[[\"k\",\"$3\"]]\n0:{\"s\":\"$1\",\"m\":\"$Q4\",\"t\":\"$2\",\"p\":\"$@5\"}\n1:{\"a\":1}\n1:C\n5:\"done\"\n";

#[test]
fn every_prefix_is_an_error_or_a_value_and_mid_row_cuts_are_connection_closed() {
    let full = decode(RICH).unwrap();
    let mut rows = Vec::new();
    rsc_flight::response::frame::Framer::new(1 << 20).push(RICH, &mut rows).unwrap();
    let boundaries: Vec<usize> = rows.iter().map(|r| r.offset).collect();
    for cut in 0..RICH.len() {
        let prefix = &RICH[..cut];
        let at_boundary = boundaries.contains(&cut);
        match decode(prefix) {
            Ok(v) => {
                assert!(at_boundary, "cut {cut}: a value from inside a row: {v}");
                assert_ne!(v, full, "cut {cut}: a strict prefix gave the whole value");
            }
            Err(e) if !at_boundary => {
                assert_eq!(e.category(), Category::Eof, "cut {cut}: {e}");
                assert!(e.location().offset.is_some(), "cut {cut}: {e}");
            }
            Err(_) => {}
        }
    }
}

#[test]
fn malformed_rows_say_what_and_where() {
    let cases: &[(&[u8], &str, Option<usize>)] = &[
        (b"0:o9,ab", "Connection closed.", Some(0)),
        (b"0:offffffff,ab", "limit `max_string_bytes`", None),
        (b"0:\"x\"\nG:1\n", "not a lowercase hex digit", Some(6)),
        (b"0:oz,", "not a lowercase hex digit", Some(3)),
        (b"0:\"\xff\"\n", "not valid UTF-8", Some(3)),
        (b"0:\"$0\"\n", "refers to itself", None),
        (b"0:{\"a\":\n", "", Some(7)),
        (b"0:\"$1\"\n1:\"a\"\n1:\"b\"\n", "defined twice", Some(13)),
        (b"0:\"$1\"\n1:C\n", "never started", Some(7)),
        // An empty row is one a development server halted: it never gets a
        // value.
        (b"0:\n", "Connection closed.", None),
    ];
    for (body, want, offset) in cases {
        let e = decode(body).unwrap_err();
        assert!(e.message().contains(want), "{:?}: {e}", String::from_utf8_lossy(body));
        if let Some(o) = offset {
            assert_eq!(e.location().offset, Some(*o), "{:?}: {e}", String::from_utf8_lossy(body));
        }
    }
}

#[test]
fn development_rows_are_set_aside_inert() {
    // Each development row, before and after the row it describes, whole
    // and a byte at a time: the value is the production one, and the row is
    // kept as it came (a `$E` in it, code React's development client
    // evaluates, stays text).
    for row in [
        &b":N1795224462696.0432\n"[..],
        b"0:D{\"time\":1}\n",
        b"1:J{}\n",
        b":W[\"warn\",\"$Efunction(){}\"]\n",
        b"2:\n",
    ] {
        for body in [[row, b"0:\"x\"\n"].concat(), [&b"0:\"x\"\n"[..], row].concat()] {
            let r = Decoder::new().decode(&body).unwrap();
            assert_eq!(tagged::to_string(&r.value).unwrap(), "\"x\"");
            assert_eq!(r.debug.len(), 1, "{:?}", String::from_utf8_lossy(&body));
            let text = std::str::from_utf8(row).unwrap();
            assert!(text.trim_end().ends_with(r.debug[0].text.as_str()), "{text:?} {:?}", r.debug[0]);
            let mut d = Decoder::new().incremental();
            for b in &body {
                d.push(std::slice::from_ref(b)).unwrap();
            }
            assert_eq!(d.finish().unwrap().debug, r.debug);
        }
    }
}

#[test]
fn deep_nesting_is_a_limit_on_a_small_stack() {
    let e = small_stack(|| {
        let n = 1_000_000;
        let body = format!("0:{}{}\n", "[".repeat(n), "]".repeat(n));
        decode(body.as_bytes()).unwrap_err()
    });
    assert_eq!(e.category(), Category::Limit, "{e}");
    // Nesting through rows counts too.
    let e = small_stack(|| {
        let mut body = String::new();
        for i in 0..5000u32 {
            body.push_str(&format!("{i:x}:{{\"next\":\"${:x}\"}}\n", i + 1));
        }
        decode(body.as_bytes()).unwrap_err()
    });
    assert_eq!(e.category(), Category::Limit, "{e}");
}

#[test]
fn a_doubling_chain_of_rows_is_shared_not_expanded() {
    // Row n is [$n+1, $n+1]: 2^40 leaves if expanded, 41 nodes when shared.
    let mut body = String::new();
    for i in 0..40u32 {
        body.push_str(&format!("{i:x}:[\"${:x}\",\"${:x}\"]\n", i + 1, i + 1));
    }
    body.push_str("28:1\n");
    let r = small_stack(move || Decoder::new().decode(body.as_bytes()).unwrap());
    assert_eq!(r.value.len(), 40);
}

/// `depth` arrays nested in each other, in the notation.
fn nested(depth: usize) -> rsc_flight::Value {
    tagged::from_str(&format!("{}{}", "[".repeat(depth), "]".repeat(depth))).unwrap()
}

#[test]
fn encoding_stops_at_the_depth_limit_without_overflowing_a_small_stack() {
    use rsc_flight::response::Encoder;
    // The decoders accept fewer than `max_depth` nested containers; the
    // encoder writes nothing they would refuse.
    let limit = rsc_flight::Limits::default().get_max_depth() - 1;
    let (at, past) =
        small_stack(move || (Encoder::new().encode(&nested(limit)), Encoder::new().encode(&nested(limit + 1))));
    let at = at.unwrap();
    assert!(at.starts_with(b"0:[[[") && at.ends_with(b"]]]\n"));
    let e = past.unwrap_err();
    assert_eq!(e.category(), Category::Limit, "{e}");
    // The round trip of the deepest allowed value.
    let back = small_stack(move || decode(&at)).unwrap();
    assert_eq!(back, tagged::to_string(&nested(limit)).unwrap());
}

#[test]
fn values_the_encoder_cannot_finish_are_errors_not_hangs() {
    use rsc_flight::response::Encoder;
    let table: &[(&str, &str)] = &[
        (r#"{"p":{"$type":"Promise","status":"pending"}}"#, "never settles"),
        (r#"{"$type":"Element","type":"div","key":null,"props":[1]}"#, "props must be a plain object"),
        (r#"{"$type":"Element","type":{"$type":"Function","name":"App"},"key":null,"props":{}}"#, "Server Component"),
        (r#"{"$type":"symbol","description":"x"}"#, "Only global symbols"),
    ];
    for (doc, want) in table {
        let v = tagged::from_str(doc).unwrap();
        let e = Encoder::new().encode(&v).unwrap_err();
        assert!(e.message().contains(want), "{doc}: {e}");
    }
}

#[test]
fn a_promise_resolved_with_itself_is_javascripts_chaining_error() {
    use rsc_flight::response::Encoder;
    let v =
        tagged::from_str(r#"{"$type":"Promise","status":"fulfilled","value":{"$type":"ref","pointer":""}}"#).unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let s = seen.clone();
    let bytes = Encoder::new().on_error(move |i| {
        *s.lock().unwrap() = i.message.clone();
        "cycle".into()
    });
    assert_eq!(bytes.encode(&v).unwrap(), b"0:\"$@1\"\n1:E{\"digest\":\"cycle\"}\n");
    assert_eq!(*seen.lock().unwrap(), "Chaining cycle detected for promise #<Promise>");
}

/// `{"a0":"$0:a1","a1":"$0:a2",…,"a<n>":1}`: each member points to the next
/// one, which is not there yet when it is read, so each reference waits.
fn forward_chain(n: usize, reversed: bool) -> String {
    let mut members: Vec<String> = (0..n).map(|i| format!("\"a{i}\":\"$0:a{}\"", i + 1)).collect();
    members.push(format!("\"a{n}\":1"));
    if reversed {
        // Keys in the other order: each points to one already read, but
        // that one still waits.
        members = (0..n).map(|i| format!("\"a{}\":\"$0:a{i}\"", i + 1)).collect();
        members.insert(0, "\"a0\":\"$0:z\"".into());
        members.push("\"z\":1".into());
    }
    format!("0:{{{}}}\n", members.join(","))
}

#[test]
fn references_that_wait_resolve_in_linear_work_and_within_the_limits() {
    for reversed in [false, true] {
        let n = 20_000;
        let body = forward_chain(n, reversed);
        let r = small_stack(move || Decoder::new().decode(body.as_bytes())).unwrap();
        let Some(rsc_flight::value::Node::Object(o)) = r.value.resolve(r.value.root()) else { panic!() };
        assert_eq!(o.len(), if reversed { n + 2 } else { n + 1 });
        assert!(o.iter().all(|(_, v)| *v == rsc_flight::value::Item::Number(1.0)), "reversed {reversed}");
        // Every waiting reference is tried a bounded number of times: a
        // limit a little over what the chain needs is enough, so a chain of
        // any length costs work in proportion to it (not its square).
        let body = forward_chain(n, reversed);
        let limits = rsc_flight::Limits::default().max_values(8 * n);
        assert!(Decoder::new().limits(limits).decode(body.as_bytes()).is_ok(), "reversed {reversed}");
        // And a limit smaller than that is an error, not a hang.
        let body = forward_chain(n, reversed);
        let limits = rsc_flight::Limits::default().max_values(n);
        let e = Decoder::new().limits(limits).decode(body.as_bytes()).unwrap_err();
        assert_eq!(e.limit_name(), Some("max_values"), "{e}");
    }
}

#[test]
fn references_that_can_never_resolve_are_errors() {
    let cases: &[(&[u8], &str)] = &[
        // Two members waiting for each other.
        (b"0:{\"a\":\"$0:b\",\"b\":\"$0:a\"}\n", "Invalid reference."),
        // Two rows whose whole values are references to each other.
        (b"0:\"$1\"\n1:\"$0\"\n", "refers to itself"),
        // A member that never comes.
        (b"0:{\"a\":\"$0:zz\"}\n", "Invalid reference."),
        // A Map made from an array whose slot waits for itself.
        (b"0:{\"m\":\"$Q1\"}\n1:[[\"k\",\"$1:0:1\"]]\n", "Invalid reference."),
        // A server reference bound to arguments that wait forever.
        (b"0:\"$h1\"\n1:{\"id\":\"a#b\",\"bound\":\"$@2\"}\n2:[\"$2:0\"]\n", "Invalid reference."),
    ];
    for (body, want) in cases {
        let whole = small_stack({
            let b = body.to_vec();
            move || decode(&b)
        });
        let e = whole.unwrap_err();
        assert!(e.message().contains(want), "{:?}: {e}", String::from_utf8_lossy(body));
        let mut d = Decoder::new().incremental();
        let e = d.push(body).and_then(|()| d.finish().map(|_| ())).unwrap_err();
        assert!(e.message().contains(want), "incremental {:?}: {e}", String::from_utf8_lossy(body));
    }
}

#[test]
fn a_row_that_never_came_is_named() {
    let e = decode(b"0:{\"a\":[\"$1f\"]}\n").unwrap_err();
    assert_eq!(e.message(), "Connection closed.");
    assert_eq!(e.location().part.as_deref(), Some("row 1f, which never came"), "{e}");
}
