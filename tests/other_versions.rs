//! Replies written by React versions other than 19.3.1 (the bytes below are
//! what each version's `encodeReply` wrote for `[formData, fn.bind(null, 1),
//! readableStream]`, by `conformance`'s probe of the npm packages): read by
//! the default decoder (React 19.3.1's dialect), a body in another dialect is
//! an error that says which, never a value with data silently missing; read
//! with that version set, it is the value.

use rsc_flight::reply::Decoder;
use rsc_flight::wire::multipart::Field;
use rsc_flight::Category;

fn fields(list: &[(&str, &str)]) -> Vec<Field> {
    list.iter().map(|(n, v)| Field::text(*n, *v)).collect()
}

/// (what the body is, its fields, the error's words)
type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);

#[test]
fn bodies_in_another_versions_dialect_are_errors_that_say_so() {
    let table: &[Case<'_>] = &[
        (
            "19.0.0-19.0.1, 19.1.0-19.1.2, 19.2.0-19.2.1: `$F` server references",
            &[
                ("1_name", "bob"),
                ("3", r#"{"id":"mod#fn","bound":"$@2"}"#),
                ("0", r#"["$K1","$F3","$R4"]"#),
                ("2", "[1]"),
                ("4", "1"),
                ("4", "C"),
            ],
            "\"$F3\" looks like a server reference as React 19.0.0-19.0.1, 19.1.0-19.1.2 and 19.2.0-19.2.1 wrote it",
        ),
        (
            "a FormData argument's entries named `<n>_<name>`",
            &[("1_name", "bob"), ("0", r#"["$K1"]"#)],
            "form field \"1_name\" was not read by any value; it looks like an entry of a FormData argument",
        ),
        (
            "stream chunks under bare part keys",
            &[
                ("_1_name", "bob"),
                ("3", r#"{"id":"mod#fn","bound":"$@2"}"#),
                ("0", r#"["$K1","$h3","$R4"]"#),
                ("2", "[1]"),
                ("4", "1"),
                ("4", "C"),
            ],
            "form field \"4\" was not read by any value; it looks like a chunk of that stream",
        ),
    ];
    for (what, list, want) in table {
        let e = Decoder::new().decode_fields(&fields(list)).unwrap_err();
        assert!(e.message().contains(want), "{what}: {e}");
        assert_eq!(e.category(), Category::Unsupported, "{what}: {e}");
    }
    // The same value in React 19.3.1's dialect.
    let ok = fields(&[
        ("_1_name", "bob"),
        ("3", r#"{"id":"mod#fn","bound":"$@2"}"#),
        ("0", r#"["$K1","$h3","$R4"]"#),
        ("2", "[1]"),
        ("S4", "1"),
        ("S4", "C"),
    ]);
    let v = Decoder::new().decode_fields(&ok).unwrap();
    assert_eq!(
        rsc_flight::tagged::to_string(&v).unwrap(),
        r#"[{"$type":"FormData","entries":[["name","bob"]]},{"$type":"ServerReference","id":"mod#fn","bound":[1]},{"$type":"ReadableStream","chunks":[1]}]"#
    );
}

#[test]
fn a_field_no_value_reads_is_an_error_unless_allowed() {
    let list = fields(&[("0", r#"["a"]"#), ("7", r#""stray""#), ("extra", "x")]);
    let e = Decoder::new().decode_fields(&list).unwrap_err();
    assert!(e.message().starts_with("form field \"7\" was not read by any value"), "{e}");
    assert_eq!(e.location().part.as_deref(), Some("7"));
    let v = Decoder::new().allow_unread_fields(true).decode_fields(&list).unwrap();
    assert_eq!(rsc_flight::tagged::to_string(&v).unwrap(), r#"["a"]"#);
}

#[test]
fn with_the_version_set_each_dialect_is_read() {
    let want = r#"[{"$type":"FormData","entries":[["name","bob"]]},{"$type":"ServerReference","id":"mod#fn","bound":[1]},{"$type":"ReadableStream","chunks":[1]}]"#;
    let table: &[(&str, &[(&str, &str)])] = &[
        (
            "19.1.0",
            &[
                ("1_name", "bob"),
                ("3", r#"{"id":"mod#fn","bound":"$@2"}"#),
                ("0", r#"["$K1","$F3","$R4"]"#),
                ("2", "[1]"),
                ("4", "1"),
                ("4", "C"),
            ],
        ),
        (
            "19.2.4",
            &[
                ("1_name", "bob"),
                ("3", r#"{"id":"mod#fn","bound":"$@2"}"#),
                ("0", r#"["$K1","$h3","$R4"]"#),
                ("2", "[1]"),
                ("4", "1"),
                ("4", "C"),
            ],
        ),
        (
            "19.3.0",
            &[
                ("_1_name", "bob"),
                ("3", r#"{"id":"mod#fn","bound":"$@2"}"#),
                ("0", r#"["$K1","$h3","$R4"]"#),
                ("2", "[1]"),
                ("4", "1"),
                ("4", "C"),
            ],
        ),
        (
            "19.0.9",
            &[
                ("_1_name", "bob"),
                ("3", r#"{"id":"mod#fn","bound":"$@2"}"#),
                ("0", r#"["$K1","$h3","$R4"]"#),
                ("2", "[1]"),
                ("S4", "1"),
                ("S4", "C"),
            ],
        ),
    ];
    for (version, list) in table {
        let d = Decoder::new().react(version.parse().unwrap());
        let v = d.decode_fields(&fields(list)).unwrap_or_else(|e| panic!("{version}: {e}"));
        assert_eq!(rsc_flight::tagged::to_string(&v).unwrap(), want, "{version}");
    }
}
