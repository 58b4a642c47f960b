//! Typed decode of a text reply into a few representative Rust types:
//! never a panic; the straight read from the text (`typed::from_reply_str`,
//! which gives up to the `Value` path where it must) gives what the `Value`
//! path gives (`reply::from_str`, then `typed::from_value`), result or
//! error, and so does a response whose one row is the text; and what
//! decodes re-encodes and decodes to the same. And the decoders' one-pass
//! `Value` (`straight/`) is the document's, value or error. Borrowed
//! fields read what owned ones read, and borrow from the body.
#![no_main]
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use libfuzzer_sys::fuzz_target;
use rsc_flight::typed;
use serde::{Deserialize, Serialize};

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Todo {
    title: String,
    done: bool,
    tags: Vec<String>,
    #[serde(with = "typed::date")]
    due: chrono::DateTime<chrono::Utc>,
    note: Option<String>,
    #[serde(with = "typed::map")]
    by_id: BTreeMap<u32, String>,
    #[serde(with = "typed::bigint")]
    big: i128,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
enum Shape {
    Dot,
    Circle(f64),
    Rect { w: f64, h: f64 },
}

/// Borrowed fields, and their owned twins.
#[derive(Deserialize)]
struct Lent<'a> {
    #[serde(borrow)]
    a: Cow<'a, str>,
    #[serde(borrow)]
    b: Option<&'a str>,
}

#[derive(Deserialize)]
struct Owned {
    a: String,
    b: Option<String>,
}

/// What borrowed fields read, owned ones read the same (a `&str` may be
/// refused where a `String` is not: a string with an escape); and what is
/// borrowed lies in the body.
fn borrowed(text: &str) {
    let inside = |s: &str| text.as_bytes().as_ptr_range().contains(&s.as_ptr()) || s.is_empty();
    let lent = typed::from_reply_str::<Vec<Lent>>(text);
    let owned = typed::from_reply_str::<Vec<Owned>>(text);
    match (&lent, &owned) {
        (Ok(l), Ok(o)) => {
            assert_eq!(l.len(), o.len(), "{text:?}");
            for (l, o) in l.iter().zip(o) {
                assert_eq!((&*l.a, l.b), (o.a.as_str(), o.b.as_deref()), "{text:?}");
                assert!(l.b.is_none_or(inside), "{text:?}");
                if let Cow::Borrowed(a) = l.a {
                    assert!(inside(a), "{text:?}");
                }
            }
        }
        (Ok(_), Err(e)) => panic!("{text:?}: borrowed fields read, owned ones did not: {e}"),
        (Err(_), _) => {}
    }
}

/// Both ways agree; the decoded value, if any.
fn check<T: PartialEq + std::fmt::Debug + for<'a> Deserialize<'a>>(text: &str) -> Option<T> {
    let straight = typed::from_reply_str::<T>(text);
    let through_value = rsc_flight::fuzzing::reply_through_document(text).and_then(|v| typed::from_value::<T>(&v));
    match (&straight, &through_value) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{text:?}"),
        // The same error, whose path starts at `args` read from a reply and
        // at `value` read from a Value.
        (Err(a), Err(b)) => assert_eq!(a.to_string().replacen("args", "value", 1), b.to_string(), "{text:?}"),
        _ => panic!("{text:?}: straight {straight:?}, through a Value {through_value:?}"),
    }
    straight.ok()
}

/// The same for a response whose one row is `text`.
fn check_response<T: PartialEq + std::fmt::Debug + for<'a> Deserialize<'a>>(text: &str) {
    let body = format!("0:{text}\n");
    let straight = typed::from_response_slice::<T>(body.as_bytes());
    let through_value =
        rsc_flight::fuzzing::response_through_rows(body.as_bytes()).and_then(|r| typed::from_value::<T>(&r));
    match (&straight, &through_value) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{body:?}"),
        (Err(a), Err(b)) => assert_eq!(a.to_string().replacen("root", "value", 1), b.to_string(), "{body:?}"),
        _ => panic!("{body:?}: straight {straight:?}, through a Value {through_value:?}"),
    }
}

/// What decodes re-encodes and decodes to the same.
fn round_trip<T: PartialEq + std::fmt::Debug + Serialize + for<'a> Deserialize<'a>>(text: &str) {
    let Some(t) = check::<T>(text) else { return };
    let body = typed::to_reply(&t).expect("a decoded value encodes");
    let again: T = match &body {
        rsc_flight::reply::Body::Text(s) => typed::from_reply_str(s),
        rsc_flight::reply::Body::Form(f) => typed::from_reply_fields(f),
    }
    .expect("re-decodes");
    assert_eq!(again, t);
}

/// The one-pass `Value` and the document's: the same value (as printed:
/// NaN is not equal to itself), or the same error.
fn same_value(
    straight: rsc_flight::Result<rsc_flight::Value>,
    general: rsc_flight::Result<rsc_flight::Value>,
    what: &str,
) {
    match (&straight, &general) {
        (Ok(a), Ok(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "{what}"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{what}"),
        _ => panic!("{what}: one pass {straight:?}, the general way {general:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    same_value(rsc_flight::reply::from_str(text), rsc_flight::fuzzing::reply_through_document(text), text);
    let row = format!("0:{text}\n");
    same_value(
        rsc_flight::response::from_slice(row.as_bytes()),
        rsc_flight::fuzzing::response_through_rows(row.as_bytes()),
        &row,
    );
    round_trip::<(String, Todo, u32)>(text);
    round_trip::<(HashMap<String, Vec<i64>>,)>(text);
    round_trip::<Vec<Option<bool>>>(text);
    round_trip::<Vec<Shape>>(text);
    // Any JSON: compared both ways only (a serde_json::Value may hold an
    // integer a JavaScript number cannot, so it need not re-encode).
    check::<serde_json::Value>(text);
    check_response::<serde_json::Value>(text);
    check_response::<(String, Todo, u32)>(text);
    borrowed(text);
});
