//! The typed API: Rust types through both formats and back, typed decodes
//! of the golden vectors, and errors that say where and what.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use rsc_flight::reply::Body;
use rsc_flight::typed::{self, Date, Undefined};
use serde::{Deserialize, Serialize};
use serde_json::Value as J;

mod common;

/// Bytes as a `Uint8Array`.
#[derive(Debug, Clone, PartialEq)]
struct Bytes(Vec<u8>);

impl Serialize for Bytes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Bytes;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E>(self, b: &[u8]) -> Result<Bytes, E> {
                Ok(Bytes(b.to_vec()))
            }
        }
        d.deserialize_bytes(V)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Status {
    Open,
    Closed { reason: String },
    Moved(u32, String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Todo {
    title: String,
    done: bool,
    count: i32,
    /// Any f64, compared bit for bit (NaN, ±Infinity, -0).
    #[serde(with = "bits")]
    score: f64,
    note: Option<String>,
    tags: Vec<String>,
    fields: HashMap<String, u16>,
    #[serde(with = "typed::map")]
    by_id: BTreeMap<i32, String>,
    #[serde(with = "typed::set")]
    labels: BTreeSet<String>,
    #[serde(with = "typed::date")]
    due: DateTime<Utc>,
    created: Date,
    #[serde(with = "typed::bigint")]
    big: i128,
    #[serde(with = "typed::bigint")]
    id: u64,
    missing: Undefined,
    data: Bytes,
    status: Status,
    pair: (u8, Option<bool>),
}

/// f64 compared by bits in the test, serialized as itself.
mod bits {
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(n: &f64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(*n)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        f64::deserialize(d)
    }
}

fn same(a: &Todo, b: &Todo) -> bool {
    let mut a2 = a.clone();
    a2.score = 0.0;
    let mut b2 = b.clone();
    b2.score = 0.0;
    a2 == b2 && a.score.to_bits() == b.score.to_bits()
}

fn status() -> impl Strategy<Value = Status> {
    prop_oneof![
        Just(Status::Open),
        ".{0,8}".prop_map(|reason| Status::Closed { reason }),
        (any::<u32>(), ".{0,8}").prop_map(|(n, s)| Status::Moved(n, s)),
    ]
}

prop_compose! {
    fn todo()(
        title in ".{0,40}",
        done in any::<bool>(),
        count in any::<i32>(),
        score in prop_oneof![any::<f64>(), Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY), Just(-0.0)],
        note in proptest::option::of(".{0,10}"),
        tags in proptest::collection::vec(".{0,6}", 0..4),
        fields in proptest::collection::hash_map("[a-z$_:]{0,6}", any::<u16>(), 0..4),
        by_id in proptest::collection::btree_map(any::<i32>(), ".{0,6}", 0..4),
        labels in proptest::collection::btree_set(".{0,6}", 0..4),
        due_ms in -8_000_000_000_000_000i64..=8_000_000_000_000_000i64,
        // Valid only: React itself sends an invalid Date below a row's
        // root as null (JSON.stringify calls toJSON), in both formats.
        created_ms in -8_640_000_000_000_000i64..=8_640_000_000_000_000i64,
        big in any::<i128>(),
        id in any::<u64>(),
        data in proptest::collection::vec(any::<u8>(), 0..20),
        status in status(),
        pair in (any::<u8>(), proptest::option::of(any::<bool>())),
    ) -> Todo {
        Todo {
            title, done, count, score, note, tags, fields, by_id, labels,
            due: DateTime::from_timestamp_millis(due_ms).unwrap(),
            created: Date::from_millis(created_ms),
            big, id, missing: Undefined, data: Bytes(data), status, pair,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Upload {
    #[serde(with = "typed::typed_array")]
    samples: Vec<f32>,
    #[serde(with = "typed::typed_array")]
    ids: Vec<i64>,
    raw: bytes::Bytes,
    file: typed::Blob,
    form: typed::FormData,
    action: typed::ServerRef<(u32, String)>,
}

fn blob() -> impl Strategy<Value = typed::Blob> {
    (proptest::option::of("[a-z.]{1,8}"), "|[a-z]{1,5}/[a-z.+-]{1,8}", proptest::collection::vec(any::<u8>(), 0..16))
        .prop_map(|(name, mime, bytes)| typed::Blob {
            name: name.map(Into::into),
            mime: mime.into(),
            bytes: bytes.into(),
        })
}

prop_compose! {
    fn upload()(
        samples in proptest::collection::vec(any::<f32>().prop_filter("NaN bits vary", |x| !x.is_nan()), 0..8),
        ids in proptest::collection::vec(any::<i64>(), 0..4),
        raw in proptest::collection::vec(any::<u8>(), 0..16),
        file in blob(),
        form in proptest::collection::vec(("[a-z]{1,5}", prop_oneof![
            ".{0,8}".prop_map(typed::FormValue::Text),
            // A File in a FormData always has a name ("blob" when appended
            // without one).
            blob().prop_map(|mut b| { b.name.get_or_insert_with(|| "blob".into()); typed::FormValue::File(b) }),
        ]), 0..4),
        id in "[a-z/]{1,8}#[a-z]{1,5}",
        bound in proptest::option::of((any::<u32>(), ".{0,5}")),
    ) -> Upload {
        Upload { samples, ids, raw: raw.into(), file, form: typed::FormData(form), action: typed::ServerRef { id, bound } }
    }
}

fn through_reply<T: Serialize + for<'a> Deserialize<'a>>(t: &T) -> T {
    match typed::to_reply(t).unwrap() {
        Body::Text(text) => typed::from_reply_str(&text).unwrap(),
        body @ Body::Form(_) => {
            let boundary = body.choose_boundary();
            typed::from_reply_multipart(&body.content_type(&boundary), body.to_bytes(&boundary)).unwrap()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn binary_and_form_values_round_trip(u in upload()) {
        let args = (u.clone(),);
        // A reply carries a Blob as a multipart file, which the server
        // reads as a File named "blob" (as React's decodeReply does).
        // Multipart also sends an empty type as application/octet-stream.
        let mut want = u.clone();
        want.file.name.get_or_insert_with(|| "blob".into());
        let files = std::iter::once(&mut want.file).chain(want.form.0.iter_mut().filter_map(|(_, v)| match v {
            typed::FormValue::File(b) => Some(b),
            typed::FormValue::Text(_) => None,
        }));
        for f in files {
            if f.mime.is_empty() {
                f.mime = "application/octet-stream".into();
            }
        }
        // And, as every browser's FormData encoding, line breaks in a
        // FormData's names and text values as CRLF.
        let crlf = |s: &str| s.replace("\r\n", "\n").replace('\r', "\n").replace('\n', "\r\n");
        for (k, v) in &mut want.form.0 {
            *k = crlf(k);
            if let typed::FormValue::Text(t) = v {
                *t = crlf(t);
            }
        }
        prop_assert_eq!(&through_reply(&args).0, &want);
        // A response carries no file names (React writes a Blob's type and
        // bytes only).
        let mut want = u.clone();
        want.file.name = None;
        for (_, v) in &mut want.form.0 {
            if let typed::FormValue::File(b) = v {
                b.name = None;
            }
        }
        let back: Upload = typed::from_response_slice(&typed::to_response(&u).unwrap()).unwrap();
        prop_assert_eq!(&back, &want);
    }

    #[test]
    fn rust_values_round_trip_through_both_formats(args in (".{0,12}", todo(), any::<i32>())) {
        let (user, todo, n) = &args;
        // As a Server Function's arguments (client role → server role)...
        let back: (String, Todo, i32) = through_reply(&args);
        prop_assert_eq!(&back.0, user);
        prop_assert!(same(&back.1, todo), "{:?}\n!=\n{:?}", back.1, todo);
        prop_assert_eq!(back.2, *n);
        // ...and as its result (server role → client role).
        let bytes = typed::to_response(todo).unwrap();
        let back: Todo = typed::from_response_slice(&bytes).unwrap();
        prop_assert!(same(&back, todo));
        // Through a Value.
        let v = typed::to_value(todo).unwrap();
        let back: Todo = typed::from_value(&v).unwrap();
        prop_assert!(same(&back, todo));
    }
}

/// Tagged notation that is plain JSON (no `$type`): the same value a
/// `serde_json::Value` holds.
/// (Shallow enough for serde_json's recursive `Value`.)
fn plain(j: &J, depth: usize) -> bool {
    depth < 100
        && match j {
            J::Object(o) => !o.contains_key("$type") && o.values().all(|v| plain(v, depth + 1)),
            J::Array(a) => a.iter().all(|v| plain(v, depth + 1)),
            _ => true,
        }
}

#[test]
fn typed_decodes_of_the_golden_vectors_equal_the_dynamic_decodes() {
    let mut checked = 0;
    for v in common::load("reply.json") {
        let Some(value) = v.get("value") else { continue };
        if !plain(value, 0) || v.get("temporaryReferences").is_some() {
            continue;
        }
        let body = &v["body"];
        let (typed, dynamic): (J, _) = match (body.get("text").and_then(J::as_str), body.get("fields")) {
            (Some(text), _) => (
                typed::from_reply_str(text).unwrap_or_else(|e| panic!("{}: {e}", v["name"])),
                rsc_flight::reply::from_str(text).unwrap(),
            ),
            (None, Some(fields)) => {
                let fields = common::fields(fields);
                (
                    typed::from_reply_fields(&fields).unwrap_or_else(|e| panic!("{}: {e}", v["name"])),
                    rsc_flight::reply::from_fields(&fields).unwrap(),
                )
            }
            _ => continue,
        };
        let printed: J = serde_json::from_str(&rsc_flight::tagged::to_string(&dynamic).unwrap()).unwrap();
        assert_eq!(typed, printed, "{}", v["name"]);
        assert_eq!(&typed, value, "{}", v["name"]);
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} plain vectors");
    eprintln!("{checked} vectors decoded typed");
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Event {
    #[serde(with = "typed::date")]
    when: DateTime<Utc>,
    size: u8,
    ratio: f32,
    #[serde(with = "typed::map")]
    seen: HashMap<String, bool>,
}

#[test]
fn errors_name_the_path_and_what_was_expected() {
    let cases: &[(&str, &str)] = &[
        (r#"[1,{"when":"x","size":1,"ratio":1,"seen":{}}]"#, "args[1].when: expected a Date, found a string"),
        (
            r#"[1,{"when":"$D2026-01-01T00:00:00.000Z","size":300,"ratio":1,"seen":{}}]"#,
            "args[1].size: 300 does not fit u8",
        ),
        (
            r#"[1,{"when":"$D2026-01-01T00:00:00.000Z","size":1,"ratio":0.1,"seen":{}}]"#,
            "args[1].ratio: 0.1 cannot be held exactly by an f32",
        ),
        (
            r#"[1,{"when":"$D2026-01-01T00:00:00.000Z","size":1,"ratio":1,"seen":{"a":1}}]"#,
            "args[1].seen.a: expected a boolean, found a number",
        ),
        (r#"[1,{"when":"$D2026-01-01T00:00:00.000Z","size":1,"ratio":1}]"#, "args[1]: missing field `seen`"),
        (
            r#"[1,{"when":"$D2026-01-01T00:00:00.000Z","size":1,"ratio":1,"seen":{}},3]"#,
            "args: 1 elements left over after 2",
        ),
        (r#"["1",{}]"#, "args[0]: expected an integer (u32), found a string"),
        (r#"[9007199254740993,{}]"#, "args[0]: 9007199254740992 is beyond the integers"),
    ];
    for (body, want) in cases {
        let e = typed::from_reply_str::<(u32, Event)>(body).unwrap_err();
        assert!(e.to_string().starts_with(want), "{body}:\n  got  {e}\n  want {want}");
        assert_eq!(e.category(), rsc_flight::Category::Type, "{body}");
    }
}

#[test]
fn what_the_format_cannot_carry_is_refused_when_serializing() {
    let too_big = typed::to_value(&((1u64 << 53) + 1)).unwrap_err();
    assert!(too_big.to_string().contains("BigInt"), "{too_big}");
    #[derive(Serialize, PartialEq, Eq, Hash)]
    struct K(u8, u8);
    let mut m = HashMap::new();
    m.insert(K(1, 2), 3);
    let key = typed::to_value(&m).unwrap_err();
    assert!(key.to_string().contains("typed::map"), "{key}");
    #[derive(Serialize)]
    struct T(#[serde(with = "typed::date")] DateTime<Utc>);
    let nanos = DateTime::from_timestamp(0, 1).unwrap();
    assert!(typed::to_value(&T(nanos)).unwrap_err().to_string().contains("milliseconds"));
    // A struct key through typed::map is fine: a JavaScript Map.
    #[derive(Serialize)]
    struct M(#[serde(with = "typed::map")] HashMap<K, u8>);
    let v = typed::to_value(&M(m)).unwrap();
    assert_eq!(rsc_flight::tagged::to_string(&v).unwrap(), r#"{"$type":"Map","entries":[[[1,2],3]]}"#);
}

#[test]
fn a_cycle_is_a_limit_error_not_a_stack_overflow() {
    // A cycle cannot be a Rust tree: a limit error, not a stack overflow.
    let cyclic = rsc_flight::tagged::from_str(r#"{"a":{"$type":"ref","pointer":""}}"#).unwrap();
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Node {
        a: Option<Box<Node>>,
    }
    let e = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || typed::from_value::<Node>(&cyclic).unwrap_err())
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(e.category(), rsc_flight::Category::Limit, "{e}");
}

#[test]
fn a_doubling_chain_stops_at_the_value_budget() {
    // Level i is an array holding level i-1 twice: 2^40 leaves as a tree.
    let mut v = rsc_flight::Value::new();
    let mut item = rsc_flight::value::Item::from("leaf");
    for _ in 0..40 {
        let n = v.add(rsc_flight::value::Node::Array(vec![item.clone(), item]));
        item = rsc_flight::value::Item::Node(n);
    }
    v.set_root(item);
    let e = typed::from_value::<J>(&v).unwrap_err();
    assert!(e.to_string().contains("max_values"), "{e}");
}

/// A borrowed field, and a `Cow` one beside it.
#[derive(Debug, Deserialize)]
struct Borrowing<'a> {
    name: &'a str,
    #[serde(borrow)]
    note: std::borrow::Cow<'a, str>,
}

/// Whether `s` lies inside `body`: borrowed, not copied.
fn inside(s: &str, body: &[u8]) -> bool {
    body.as_ptr_range().contains(&s.as_ptr())
}

/// `&str` fields borrow from the body where the body is read straight and
/// the string has no escape; elsewhere a `Cow` holds a copy, and a `&str`
/// says why it cannot borrow, at its path.
#[test]
fn borrowed_fields_borrow_from_the_body_where_the_json_allows() {
    // What `Borrowing` reads: Ok((name, note, whether note is borrowed)),
    // or the error's text.
    type Read<'a> = Result<(&'a str, &'a str, bool), &'a str>;
    let cases: &[(&str, Read)] = &[
        (r#"[{"name":"ada","note":"hi"}]"#, Ok(("ada", "hi", true))),
        (r#"[{"name":"$$ada","note":"$$"}]"#, Ok(("$ada", "$", true))),
        (r#"[{"name":"ada","note":"caf\u00e9"}]"#, Ok(("ada", "café", false))),
        (r#"[{"name":"ad\"a","note":"x"}]"#, Err("args[0].name: expected a borrowed string, found a string")),
        // Left to the `Value` (an index key, which JavaScript enumerates
        // first): copies.
        (r#"[{"1":0,"note":"x","name":"n"}]"#, Err("args[0].name: expected a borrowed string, found a string")),
        // A Date is not text in the body.
        (r#"[{"name":"$D2026-01-01T00:00:00.000Z","note":"x"}]"#, Err("expected a borrowed string")),
    ];
    for (body, want) in cases {
        let got = typed::from_reply_str::<(Borrowing,)>(body);
        match (want, got) {
            (Ok((name, note, lent)), Ok((b,))) => {
                assert_eq!((b.name, &*b.note), (*name, *note), "{body}");
                assert!(inside(b.name, body.as_bytes()), "{body}: name copied");
                assert_eq!(matches!(b.note, std::borrow::Cow::Borrowed(_)), *lent, "{body}");
                if *lent {
                    assert!(inside(&b.note, body.as_bytes()), "{body}: note copied");
                }
            }
            (Err(text), Err(e)) => assert!(e.to_string().contains(text), "{body}: {e}"),
            (want, got) => panic!("{body}: wanted {want:?}, got {got:?}"),
        }
        // The same value as a one-row response borrows alike.
        let row = format!("0:{}\n", &body[1..body.len() - 1]);
        let got = typed::from_response_slice::<Borrowing>(row.as_bytes());
        match (want, got) {
            (Ok((name, ..)), Ok(b)) => assert!(b.name == *name && inside(b.name, row.as_bytes()), "{row}"),
            (Err(text), Err(e)) => assert!(e.to_string().contains(&text.replace("args[0]", "root")), "{row}: {e}"),
            (want, got) => panic!("{row}: wanted {want:?}, got {got:?}"),
        }
    }
    // A body read through its `Value` (a reference to an outlined row)
    // gives `Cow` fields copies.
    let body = b"0:{\"name\":\"$1\",\"note\":\"n\"}\n1:\"far\"\n";
    let e = typed::from_response_slice::<Borrowing>(body).unwrap_err();
    assert_eq!(e.to_string(), "root.name: expected a borrowed string, found a string");
    #[derive(Deserialize)]
    struct Cows<'a> {
        #[serde(borrow)]
        name: std::borrow::Cow<'a, str>,
    }
    let c = typed::from_response_slice::<Cows>(body).unwrap();
    assert!(matches!(c.name, std::borrow::Cow::Owned(ref s) if s == "far"));
    // A configured decoder borrows too, and keeps its limits.
    let d = rsc_flight::reply::Decoder::new().limits(rsc_flight::Limits::default().max_depth(4));
    let (s,): (&str,) = typed::decode_reply_str(&d, r#"["x"]"#).unwrap();
    assert_eq!(s, "x");
    let e = typed::decode_reply_str::<(Vec<Vec<Vec<Vec<&str>>>>,)>(&d, r#"[[[[["x"]]]]]"#).unwrap_err();
    assert_eq!(e.limit_name(), Some("max_depth"));
}
