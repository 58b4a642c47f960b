//! `inspect`: what each row or part is, what it refers to, what never
//! came, and where a payload stops making sense. Never a panic.

use rsc_flight::inspect::{inspect, inspect_with_content_type, As, RowKind};
use rsc_flight::React;

/// Each row of a response, as (id, kind, refs, detail fragment).
#[test]
fn response_rows_are_described() {
    let body: &[u8] = b":HL[\"/a.png\",\"image\"]\n\
1:I[\"./a.js\",[\"chunk-1\"],\"Button\",1]\n\
2:E{\"digest\":\"D42\"}\n\
3:T5,hello\
4:o3,\x01\x02\x03\
5:R\n\
5:\"chunk\"\n\
5:C\n\
6:D{\"name\":\"x\"}\n\
7:\n\
0:[\"$\",\"$L1\",null,{\"e\":\"$@2\",\"t\":\"$3\",\"b\":\"$4\",\"s\":\"$5\",\"q\":\"$Q8\"}]\n";
    let r = inspect(body, As::Response, React::default());
    let table: &[(u32, RowKind, &[u32], &str)] = &[
        (0, RowKind::Hint, &[], "preload"),
        (1, RowKind::ClientReference, &[], "export \"Button\""),
        (2, RowKind::Error, &[], "digest \"D42\""),
        (3, RowKind::Text, &[], "5 bytes"),
        (4, RowKind::Binary, &[], "Uint8Array, 3 bytes"),
        (5, RowKind::StreamStart, &[], "ReadableStream"),
        (5, RowKind::StreamChunk, &[], ""),
        (5, RowKind::StreamEnd, &[], ""),
        (6, RowKind::Debug, &[], ""),
        (7, RowKind::Halted, &[], ""),
        (0, RowKind::Model, &[1, 2, 3, 4, 5, 8], ""),
    ];
    assert_eq!(r.rows.len(), table.len());
    for (row, (id, kind, refs, detail)) in r.rows.iter().zip(table) {
        assert_eq!((row.id, row.kind, &row.refs[..]), (*id, *kind, *refs), "{row:?}");
        assert!(row.detail.contains(detail), "{row:?}");
    }
    assert_eq!(r.missing, [8]);
    // The halted row came, and nothing refers to it.
    assert_eq!(r.unreferenced, [7]);
    assert!(r.fault.is_some(), "row 8 never comes: the root cannot resolve");
    let text = r.to_text(false);
    assert!(text.contains("referred to, never came: 8"), "{text}");
    let json = r.to_json();
    assert!(json.contains("\"missing\":[8]") && json.contains("\"kind\":\"client reference\""), "{json}");
}

/// Each row: a reply body and its content type; the parts' (id, kind)
/// and what `inspect` says of the whole.
#[test]
fn reply_parts_are_described() {
    let multipart = "--B\r\nContent-Disposition: form-data; name=\"_1_title\"\r\n\r\nHi\r\n\
--B\r\nContent-Disposition: form-data; name=\"2\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nabc\r\n\
--B\r\nContent-Disposition: form-data; name=\"S3\"\r\n\r\n\"x\"\r\n--B\r\nContent-Disposition: form-data; name=\"S3\"\r\n\r\nC\r\n\
--B\r\nContent-Disposition: form-data; name=\"0\"\r\n\r\n[\"$K1\",\"$B2\",\"$R3\",\"$4\"]\r\n--B--\r\n";
    let r = inspect_with_content_type(
        multipart.as_bytes(),
        As::Guess,
        React::default(),
        Some("multipart/form-data; boundary=B"),
    );
    let kinds: Vec<(u32, RowKind)> = r.rows.iter().map(|p| (p.id, p.kind)).collect();
    assert_eq!(
        kinds,
        [
            (1, RowKind::FormEntry),
            (2, RowKind::File),
            (3, RowKind::StreamChunk),
            (3, RowKind::StreamChunk),
            (0, RowKind::Part)
        ]
    );
    assert_eq!(r.rows[4].refs, [1, 2, 3, 4]);
    assert!(r.rows[1].detail.contains("file \"a.txt\""), "{:?}", r.rows[1]);
    assert_eq!(r.missing, [4]);
    assert!(r.fault.is_some());
    // A form post without JavaScript: the action and its arguments.
    let form = "--B\r\nContent-Disposition: form-data; name=\"$ACTION_ID_mod#save\"\r\n\r\n\r\n\
--B\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHi\r\n--B--\r\n";
    let r = inspect(form.as_bytes(), As::Guess, React::default());
    assert_eq!(r.action.as_deref(), Some("mod#save"));
    assert_eq!(r.rows[0].kind, RowKind::Action);
    assert!(r.value.unwrap().contains("\"title\""));
    // A text body: one part.
    let r = inspect(br#"["$n12"]"#, As::Guess, React::default());
    assert_eq!((r.format, r.rows.len()), ("reply", 1));
    assert_eq!(r.value.as_deref(), Some(r#"[{"$type":"bigint","value":"12"}]"#));
}

/// Whatever the bytes, a report; a fault says where.
#[test]
fn any_input_gives_a_report() {
    let inputs: &[&[u8]] = &[
        b"",
        b"0",
        b"0:",
        b"zz:1\n",
        b"0:[\"$1:a:b:c\"]\n1:{\"a\":1}\n",
        b"1:T999,ab",
        b"<html><script>self.__next_f.push([1,\"x\"])</script>",
        b"<html>",
        b"--B\r\nbroken",
        b"\xff\xfe",
        &[b'['; 5000],
    ];
    for input in inputs {
        for what in [As::Guess, As::Response, As::Reply, As::Html] {
            let r = inspect(input, what, React::default());
            let _ = r.to_text(true);
            serde_json::from_str::<serde_json::Value>(&r.to_json()).unwrap_or_else(|e| panic!("{e}: {}", r.to_json()));
            assert!(
                r.fault.is_some() || r.value.is_some(),
                "{:?} as {what:?}: neither a value nor a fault",
                String::from_utf8_lossy(input)
            );
        }
    }
}
