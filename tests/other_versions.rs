//! Replies written by React versions other than 19.3.1 (the bytes below are
//! what each version's `encodeReply` wrote for `[formData, fn.bind(null, 1),
//! readableStream]`, by `conformance`'s probe of the npm packages): read by
//! the default decoder (React 19.3.1's dialect), a body in another dialect is
//! an error that says which, never a value with data silently missing; read
//! with that version set, it is the value.

use rsc_flight::multipart::Field;
use rsc_flight::reply::Decoder;
use rsc_flight::Category;

/// The body each dialect writes for the value, as (name, text) fields.
type Body = &'static [(&'static str, &'static str)];

/// 19.0.0-19.0.1, 19.1.0-19.1.2, 19.2.0-19.2.1: `<n>_` entries, `$F`, bare keys.
const UNPATCHED: Body = &[
    ("1_name", "bob"),
    ("3", r#"{"id":"mod#fn","bound":"$@2"}"#),
    ("0", r#"["$K1","$F3","$R4"]"#),
    ("2", "[1]"),
    ("4", "1"),
    ("4", "C"),
];
/// 19.0.2-19.0.5, 19.1.4-19.1.6, 19.2.2-19.2.5: `<n>_` entries, `$h`, bare keys.
const PLAIN_ENTRIES: Body = &[
    ("1_name", "bob"),
    ("3", r#"{"id":"mod#fn","bound":"$@2"}"#),
    ("0", r#"["$K1","$h3","$R4"]"#),
    ("2", "[1]"),
    ("4", "1"),
    ("4", "C"),
];
/// 19.0.6-19.0.8, 19.1.7-19.1.9, 19.2.6-19.2.8, 19.3.0: bare stream keys.
const BARE_KEYS: Body = &[
    ("_1_name", "bob"),
    ("3", r#"{"id":"mod#fn","bound":"$@2"}"#),
    ("0", r#"["$K1","$h3","$R4"]"#),
    ("2", "[1]"),
    ("4", "1"),
    ("4", "C"),
];
/// 19.0.9, 19.1.10, 19.2.9, 19.3.1.
const LATEST: Body = &[
    ("_1_name", "bob"),
    ("3", r#"{"id":"mod#fn","bound":"$@2"}"#),
    ("0", r#"["$K1","$h3","$R4"]"#),
    ("2", "[1]"),
    ("S4", "1"),
    ("S4", "C"),
];
/// The value, in the notation.
const VALUE: &str = r#"[{"$type":"FormData","entries":[["name","bob"]]},{"$type":"ServerReference","id":"mod#fn","bound":[1]},{"$type":"ReadableStream","chunks":[1]}]"#;

fn fields(list: Body) -> Vec<Field> {
    list.iter().map(|(n, v)| Field::text(*n, *v)).collect()
}

#[test]
fn bodies_in_another_versions_dialect_are_errors_that_say_so() {
    let table: &[(&str, Body, &str)] = &[
        (
            "`$F` server references",
            UNPATCHED,
            "\"$F3\" looks like a server reference as React 19.0.0-19.0.1, 19.1.0-19.1.2 and 19.2.0-19.2.1 wrote it",
        ),
        // (Its stream is met first: the error names the bare keys.)
        ("`<n>_<name>` entries and bare keys", PLAIN_ENTRIES, "it looks like a chunk of that stream"),
        (
            "`<n>_<name>` entries",
            &[("1_name", "bob"), ("0", r#"["$K1"]"#)],
            "form field \"1_name\" was not read by any value; it looks like an entry of a FormData argument",
        ),
        (
            "bare stream keys",
            BARE_KEYS,
            "form field \"4\" was not read by any value; it looks like a chunk of that stream",
        ),
    ];
    for (what, body, want) in table {
        let e = Decoder::new().decode_fields(&fields(body)).unwrap_err();
        assert!(e.message().contains(want), "{what}: {e}");
        assert_eq!(e.category(), Category::Unsupported, "{what}: {e}");
    }
    let v = Decoder::new().decode_fields(&fields(LATEST)).unwrap();
    assert_eq!(rsc_flight::tagged::to_string(&v).unwrap(), VALUE);
}

#[test]
fn with_the_version_set_each_dialect_is_read() {
    for (version, body) in [("19.1.0", UNPATCHED), ("19.2.4", PLAIN_ENTRIES), ("19.3.0", BARE_KEYS), ("19.0.9", LATEST)]
    {
        let d = Decoder::new().react(version.parse().unwrap());
        let v = d.decode_fields(&fields(body)).unwrap_or_else(|e| panic!("{version}: {e}"));
        assert_eq!(rsc_flight::tagged::to_string(&v).unwrap(), VALUE, "{version}");
        // And the encoder writes that body for that version.
        let value = rsc_flight::tagged::from_str(VALUE).unwrap();
        let out = rsc_flight::reply::Encoder::new().react(version.parse().unwrap()).encode(&value).unwrap();
        let names: Vec<&str> = out.fields().unwrap().iter().map(|f| f.name.as_str()).collect();
        let want: Vec<&str> = body.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, want, "{version}");
    }
}

#[test]
fn a_field_no_value_reads_is_an_error_unless_allowed() {
    let list: Body = &[("0", r#"["a"]"#), ("7", r#""stray""#), ("extra", "x")];
    let e = Decoder::new().decode_fields(&fields(list)).unwrap_err();
    assert!(e.message().starts_with("form field \"7\" was not read by any value"), "{e}");
    assert_eq!(e.location().part.as_deref(), Some("7"));
    let v = Decoder::new().allow_unread_fields(true).decode_fields(&fields(list)).unwrap();
    assert_eq!(rsc_flight::tagged::to_string(&v).unwrap(), r#"["a"]"#);
}
