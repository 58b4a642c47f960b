//! Typed decode of a text reply into a few representative Rust types:
//! never a panic; the straight read from the text (`typed::from_reply_str`,
//! which gives up to the `Value` path where it must) gives what the `Value`
//! path gives (`reply::from_str`, then `typed::from_value`), result or
//! error; and what decodes re-encodes and decodes to the same.
#![no_main]
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

fn check<T: PartialEq + std::fmt::Debug + Serialize + for<'a> Deserialize<'a>>(text: &str) {
    let straight = typed::from_reply_str::<T>(text);
    let through_value = rsc_flight::reply::from_str(text).and_then(|v| typed::from_value::<T>(&v));
    match (&straight, &through_value) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{text:?}"),
        // The same error, whose path starts at `args` read from a reply and
        // at `value` read from a Value.
        (Err(a), Err(b)) => assert_eq!(a.to_string().replacen("args", "value", 1), b.to_string(), "{text:?}"),
        _ => panic!("{text:?}: straight {straight:?}, through a Value {through_value:?}"),
    }
    let Ok(t) = straight else { return };
    let body = typed::to_reply(&t).expect("a decoded value encodes");
    let again: T = match &body {
        rsc_flight::reply::Body::Text(s) => typed::from_reply_str(s),
        rsc_flight::reply::Body::Form(f) => typed::from_reply_fields(f),
    }
    .expect("re-decodes");
    assert_eq!(again, t);
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    check::<(String, Todo, u32)>(text);
    check::<(HashMap<String, Vec<i64>>,)>(text);
    check::<Vec<Option<bool>>>(text);
    check::<serde_json::Value>(text);
    check::<Vec<Shape>>(text);
});
