//! One named test per attack class on Flight decoders (spec/security.md
//! lists them with the tests that cover each). Every test asserts the exact
//! outcome, a clear error or the correct value, within a generous time
//! bound, on a 2 MiB thread stack where recursion could matter.
//!
//! Some classes are covered where their format's other hostile tests live:
//! `tests/hostile.rs` (the CVE-2025-55182 shape, `__proto__` and
//! `constructor` paths, a Map initializer used twice, 301-digit BigInts,
//! 1001 bound arguments, a 40-level doubling chain, 1 000 000 nested arrays,
//! every prefix of a text body) and `tests/hostile_response.rs` (the same
//! for responses, binary rows declaring more bytes than exist).

use std::time::{Duration, Instant};

use rsc_flight::multipart::Field;
use rsc_flight::reply::Decoder;
use rsc_flight::{tagged, Category};

/// Run `f` on a 2 MiB stack and require it to finish within `secs`.
fn bounded<T: Send + 'static>(secs: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let start = Instant::now();
    let out = std::thread::Builder::new().stack_size(2 << 20).spawn(f).unwrap().join().unwrap();
    assert!(start.elapsed() < Duration::from_secs(secs), "took {:?}", start.elapsed());
    out
}

fn fields(parts: &[(&str, &str)]) -> Vec<Field> {
    parts.iter().map(|(n, t)| Field::text(*n, *t)).collect()
}

fn decode(parts: &[(&str, &str)]) -> rsc_flight::Result<String> {
    Decoder::new().decode_fields(&fields(parts)).map(|v| tagged::to_string(&v).unwrap())
}

#[test]
fn mutually_cyclic_thenables() {
    // Part 0 is a promise of part 1, which is a promise of part 0.
    let e = decode(&[("0", "\"$@1\""), ("1", "\"$@0\"")]).unwrap_err();
    assert!(e.to_string().contains("Cannot have cyclic thenables."), "{e}");
    // A longer ring.
    let e = decode(&[("0", "\"$@1\""), ("1", "\"$@2\""), ("2", "\"$@0\"")]).unwrap_err();
    assert!(e.to_string().contains("Cannot have cyclic thenables."), "{e}");
}

#[test]
fn a_set_or_iterator_initializer_referenced_twice() {
    for (code, what) in [("W", "Set"), ("i", "Iterator")] {
        let root = format!("[\"${code}1\",\"${code}1\"]");
        let e = decode(&[("0", &root), ("1", "[1]")]).unwrap_err();
        assert!(e.to_string().contains(&format!("Already initialized {what}")), "{code}: {e}");
    }
}

#[test]
fn a_stream_id_used_twice() {
    // Two streams read from the same part id: React's stream chunks are
    // single-use, so the second reader is an error, not a copy.
    let e = decode(&[("0", "[\"$R1\",\"$R1\"]"), ("1", "\"a\""), ("1", "C")]).unwrap_err();
    assert!(e.category() == Category::Reference, "{e}");
}

#[test]
fn a_typed_array_id_used_twice() {
    // A binary part backs one typed array: a second view of it is React's
    // single-use error (CVE-2025-55184's fix), not a shared buffer.
    let body = vec![Field::text("0", "[\"$o1\",\"$o1\"]"), Field::file("1", "blob", "", vec![7u8; 16])];
    let e = Decoder::new().decode_fields(&body).unwrap_err();
    assert!(e.to_string().contains("Already initialized typed array."), "{e}");
}

#[test]
fn a_hundred_thousand_parts() {
    let mut parts: Vec<Field> = (1..100_000).map(|i| Field::text(i.to_string(), "1")).collect();
    parts.insert(0, Field::text("0", "1"));
    let e = bounded(10, move || Decoder::new().decode_fields(&parts).unwrap_err());
    assert!(e.to_string().contains("max_parts"), "{e}");
    // As a multipart body, too: the count is checked as parts arrive.
    let mut body = String::new();
    for i in 0..100_000 {
        body.push_str(&format!("--X\r\nContent-Disposition: form-data; name=\"{i}\"\r\n\r\n1\r\n"));
    }
    body.push_str("--X--\r\n");
    let e = bounded(10, move || {
        Decoder::new().decode_multipart("multipart/form-data; boundary=X", body.into_bytes()).unwrap_err()
    });
    assert!(e.to_string().contains("max_parts"), "{e}");
}

#[test]
fn multipart_with_huge_headers_or_an_unterminated_part() {
    let huge = format!(
        "--X\r\nContent-Disposition: form-data; name=\"0\"\r\nX-Pad: {}\r\n\r\n1\r\n--X--\r\n",
        "a".repeat(1 << 20)
    );
    // Header bytes count against max_body_bytes like any others: within the
    // limit the part is read correctly, past it the body is refused.
    let huge2 = huge.clone();
    let v = bounded(10, move || {
        Decoder::new().decode_multipart("multipart/form-data; boundary=X", huge.into_bytes()).unwrap()
    });
    assert_eq!(tagged::to_string(&v).unwrap(), "1");
    let e = bounded(10, move || {
        Decoder::new()
            .limits(rsc_flight::Limits::default().max_body_bytes(1 << 19))
            .decode_multipart("multipart/form-data; boundary=X", huge2.into_bytes())
            .unwrap_err()
    });
    assert!(e.to_string().contains("max_body_bytes"), "{e}");
    let unterminated = "--X\r\nContent-Disposition: form-data; name=\"0\"\r\n\r\n[1,2,3]".to_owned();
    let e = Decoder::new().decode_multipart("multipart/form-data; boundary=X", unterminated.into_bytes()).unwrap_err();
    assert!(matches!(e.category(), Category::Syntax | Category::Eof), "{e}");
}

#[test]
fn the_array_budget_at_its_limit_and_one_past() {
    // React's count for ["a"*n, 1] is 3 + n (reference doc §A.11).
    let at = format!("[\"{}\",1]", "a".repeat(999_997));
    let past = format!("[\"{}\",1]", "a".repeat(999_998));
    let v = bounded(10, move || Decoder::new().decode_str(&at).map(|v| v.len()));
    assert!(v.is_ok(), "{v:?}");
    let e = bounded(10, move || Decoder::new().decode_str(&past).unwrap_err());
    assert!(e.message().starts_with("Maximum array nesting exceeded."), "{e}");
}

#[test]
fn invalid_utf8_and_lone_surrogates() {
    // A text part that is not UTF-8, in a multipart body: an error that
    // says where, never U+FFFD in the value.
    let mut body = b"--X\r\nContent-Disposition: form-data; name=\"0\"\r\n\r\n\"a".to_vec();
    body.extend_from_slice(&[0xff, 0xfe]);
    body.extend_from_slice(b"\"\r\n--X--\r\n");
    let e = Decoder::new().decode_multipart("multipart/form-data; boundary=X", body).unwrap_err();
    assert!(e.to_string().contains("UTF-8"), "{e}");
    // A lone surrogate escaped in JSON cannot be a Rust string.
    let e = Decoder::new().decode_str("[\"\\udc00\"]").unwrap_err();
    assert!(e.to_string().contains("lone UTF-16 surrogate"), "{e}");
    // In a response row, too.
    let e = rsc_flight::response::from_slice(b"0:\"\\ud800x\"\n").unwrap_err();
    assert!(e.to_string().contains("surrogate"), "{e}");
    let e = rsc_flight::response::from_slice(b"0:\"\xff\"\n").unwrap_err();
    assert!(e.to_string().contains("UTF-8"), "{e}");
}

#[test]
fn trailing_garbage() {
    let e = Decoder::new().decode_str("[1] x").unwrap_err();
    assert!(e.to_string().contains("Unexpected non-whitespace"), "{e}");
    // After the last row of a response: an unterminated row.
    let e = rsc_flight::response::from_slice(b"0:1\ngarbage").unwrap_err();
    assert!(matches!(e.category(), Category::Syntax | Category::Eof), "{e}");
}

#[test]
fn truncation_at_every_prefix_of_a_multipart_body() {
    let body = rsc_flight::reply::to_body(
        &tagged::from_str(
            r#"[{"$type":"Blob","type":"text/plain","base64":"aGVsbG8="},{"$type":"Map","entries":[[1,2]]}]"#,
        )
        .unwrap(),
    )
    .unwrap();
    let bytes = body.to_bytes("X");
    let ct = body.content_type("X");
    let whole = Decoder::new().decode_multipart(&ct, bytes.clone()).unwrap();
    for n in 0..bytes.len() {
        if let Ok(v) = Decoder::new().decode_multipart(&ct, bytes[..n].to_vec()) {
            // Only the closing delimiter's own bytes may be missing.
            assert!(tagged::equivalent(&v, &whole).is_ok(), "prefix {n} decoded to another value");
        }
    }
}

#[test]
fn a_forged_object_behind_a_blob_reference() {
    // `$B` must name a real binary part: a JSON part shaped like a chunk
    // object is not a Blob.
    let e = decode(&[
        ("0", "\"$B1\""),
        ("1", "{\"then\":\"$1:__proto__:then\",\"status\":\"resolved_model\",\"value\":\"{}\"}"),
    ])
    .unwrap_err();
    assert_eq!(e.category(), Category::Reference, "{e}");
}

/// Found by the `round_trip` fuzz target: a value 1400 levels deep (within
/// `max_depth`) overflowed the stack of an unoptimized build in the
/// response encoder; a 2 MiB tokio worker overflowed at 300 levels. Every
/// walk now continues on a heap-allocated stack segment when its thread's
/// stack runs low, so the depth limit alone decides: here on a 128 KiB
/// thread, far smaller than any runtime's.
#[test]
fn values_at_the_depth_limit_on_a_tiny_thread_stack() {
    let depth = rsc_flight::Limits::default().get_max_depth() - 10;
    let r = std::thread::Builder::new()
        .stack_size(128 << 10)
        .spawn(move || {
            let text = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
            let v = Decoder::new().decode_str(&text).unwrap();
            let printed = tagged::to_string(&v).unwrap();
            let again = tagged::from_str(&printed).unwrap();
            tagged::equivalent(&v, &again).unwrap();
            let body = rsc_flight::reply::to_body(&v).unwrap();
            assert_eq!(body.as_text(), Some(text.as_str()));
            let rows = rsc_flight::response::to_vec(&v).unwrap();
            let back = rsc_flight::response::from_slice(&rows).unwrap();
            tagged::equivalent(&v, &back).unwrap();
            let mut d = rsc_flight::response::Decoder::new().incremental();
            d.push(&rows).unwrap();
            tagged::equivalent(&v, &d.finish().unwrap().value).unwrap();
            // Through the serde layer (types whose own code does not
            // recurse on the stack: serde's buffering of untagged enums
            // does, and is beyond this crate).
            rsc_flight::typed::from_value::<serde::de::IgnoredAny>(&v).unwrap();
            let v2 = rsc_flight::typed::to_value(&Chain(depth)).unwrap();
            tagged::equivalent(&v, &v2).unwrap();
        })
        .unwrap()
        .join();
    assert!(r.is_ok());
}

/// `{"a": {"a": ... 1}}`, `n` levels deep.
struct Chain(usize);

impl serde::Serialize for Chain {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        if self.0 == 0 {
            return s.serialize_u8(1);
        }
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("a", &Chain(self.0 - 1))?;
        m.end()
    }
}

/// Found by the `typed` fuzz target: a string starting with `$` and then a
/// multi-byte character panicked (a byte slice inside the character).
#[test]
fn a_dollar_followed_by_a_multibyte_character() {
    for text in ["[\"$\u{711}\u{7de}7 Q\"]", "\"$é\"", "[\"$\u{1F600}\"]"] {
        let e = Decoder::new().decode_str(text).unwrap_err();
        assert_eq!(e.category(), Category::Reference, "{text}: {e}");
        let e = rsc_flight::response::from_slice(format!("0:{text}\n").as_bytes()).unwrap_err();
        assert!(matches!(e.category(), Category::Reference | Category::Eof), "{text}: {e}");
    }
}

/// Found by the `response_split` fuzz target: the incremental decoder
/// removes a row once revived, and then took a second definition of it.
#[test]
fn a_row_defined_again_after_it_was_revived() {
    let body = b"0:\"$Sroot.symbol\"\n0:\"$1\"\n";
    let whole = rsc_flight::response::from_slice(body).unwrap_err();
    let mut d = rsc_flight::response::Decoder::new().incremental();
    d.push(&body[..19]).unwrap();
    assert!(d.root().is_some());
    let inc = d.push(&body[19..]).unwrap_err();
    assert_eq!(inc.message(), whole.message());
    assert_eq!(inc.message(), "row 0 defined twice");
}

/// A response decoded whole and incrementally (one push), each printed in
/// the notation.
fn both_decoders(body: &[u8]) -> (String, String) {
    let whole = rsc_flight::response::from_slice(body).unwrap();
    let mut d = rsc_flight::response::Decoder::new().incremental();
    d.push(body).unwrap();
    (tagged::to_string(&whole).unwrap(), tagged::to_string(&d.finish().unwrap().value).unwrap())
}

/// Found by the `response_split` fuzz target: a server reference in a
/// stream entry whose bound-arguments row never comes. The incremental
/// decoder, at the end of the body, handed out a pending promise where the
/// whole-body decoder rejects the entry ("Connection closed.").
#[test]
fn a_bound_arguments_row_that_never_comes() {
    let body = b"1:x\n0:\"$1\"\n2:{\"id\":\"m#f\",\"bound\":\"$@6\"}\n1:\"$h2\"\n1:C\n";
    let (whole, inc) = both_decoders(body);
    assert_eq!(inc, whole);
    assert!(whole.contains("\"error\""));
}

/// Found by the `response_split` fuzz target: a ReadableStream's `C` row
/// with bytes after it (not valid UTF-8). The whole-body decoder ignores a
/// ReadableStream's close payload, as React does; the incremental decoder
/// parsed it and failed.
#[test]
fn a_readable_stream_close_row_with_a_payload() {
    let body = b"1:R\n0:{\"s\":\"$1\"}\n1:1\n1:C\xad\"\n";
    let (whole, inc) = both_decoders(body);
    assert_eq!(inc, whole);
}

/// Found by the `response_split` fuzz target: a row referenced only under a
/// repeated key (whose last value wins) is never read by the revival, but
/// the incremental decoder's readiness walk parsed it, and failed on it.
#[test]
fn a_reference_under_a_repeated_key() {
    let body = b"0:{\"a\":\"$L1\",\"a\":2}\n1:[\"\x01\"]\n";
    let (whole, inc) = both_decoders(body);
    assert_eq!(whole, r#"{"a":2}"#);
    assert_eq!(inc, r#"{"a":2}"#);
}

/// Found by the `response_split` fuzz target: row 0 is only a reference to
/// a stream, and an entry of that stream refers to row 0. React reads the
/// entries after row 0 resolves, and so does the incremental decoder; the
/// whole-body decoder read them while row 0 had no value yet ("refers to
/// itself"). Stream entries are now read after the row that met them.
#[test]
fn a_stream_entry_that_refers_to_the_row_holding_the_stream() {
    let body = b"1:x\n0:\"$1\"\n2:{\"id\":\"m#f\",\"bound\":null,\"self\":\"$0\"}\n1:\"$h2\"\n1:C\n";
    let (printed, inc) = both_decoders(body);
    assert_eq!(printed, r#"{"$type":"AsyncIterator","values":[{"$type":"ServerReference","id":"m#f","bound":null}]}"#);
    assert_eq!(inc, printed);
}

/// Found by the `response_split` fuzz target: a row that does not parse,
/// reachable only past a reference that rejects first. The revival stops at
/// the rejection and never reads it; the incremental readiness walk parsed
/// it and failed.
#[test]
fn a_broken_row_behind_a_rejection() {
    let body = b"1:{\"id\":\"m#f\",\"x\":\"$@2\"}\n0:{\"a\":\"$1\"}\n3:[\"\xb1\"]\n2:[\"$Ezz\",\"$Q3\"]\n";
    let (whole, inc) = both_decoders(body);
    assert_eq!(inc, whole);
}

/// Found by the `response_split` fuzz target: a row holding a promise of
/// itself (`1:{"x":"$@1"}`). React hands out one promise per row, so `x` is
/// the very promise that holds the row; the whole-body decoder made a
/// second promise node (the incremental one was right).
#[test]
fn a_row_holding_a_promise_of_itself() {
    let body = b"0:{\"a\":\"$@1\"}\n1:{\"x\":\"$@1\"}\n";
    let want = r#"{"a":{"$type":"Promise","status":"fulfilled","value":{"x":{"$type":"ref","pointer":"/a"}}}}"#;
    let (whole, inc) = both_decoders(body);
    assert_eq!(whole, want);
    assert_eq!(inc, want);
}

/// Found by the `response_split` fuzz target: a hint row reusing the id of a
/// model row already revived. React's client ignores a hint's id, and so
/// does the whole-body decoder; the incremental decoder said "row 0
/// defined twice".
#[test]
fn a_hint_row_reusing_a_revived_rows_id() {
    let body = b"0:\"$1\"\n1:\"x\"\n0:HL[\"/a.png\",\"image\"]\n";
    let (whole, inc) = both_decoders(body);
    assert_eq!(inc, whole);
    assert_eq!(whole, "\"x\"");
    // And pushed row by row, so that row 0 is revived before the hint.
    let mut d = rsc_flight::response::Decoder::new().incremental();
    for row in body.split_inclusive(|b| *b == b'\n') {
        d.push(row).unwrap();
    }
    let r = d.finish().unwrap();
    assert_eq!(r.hints.len(), 1);
}

/// Found by the `response_split` fuzz target: an empty (halted) row with
/// the id of a row already revived. The whole-body decoder sets it aside as
/// a development row; the incremental decoder said "row 0 defined twice".
#[test]
fn an_empty_row_reusing_a_revived_rows_id() {
    let body = b"0:{\"a\":1}\n0:\n";
    let (whole, inc) = both_decoders(body);
    assert_eq!(inc, whole);
    let mut d = rsc_flight::response::Decoder::new().incremental();
    for row in body.split_inclusive(|b| *b == b'\n') {
        d.push(row).unwrap();
    }
    assert_eq!(d.finish().unwrap().debug.len(), 1);
}
