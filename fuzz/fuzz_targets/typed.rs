//! Typed decode of a text reply into a few representative Rust types:
//! never a panic, and what decodes re-encodes and decodes to the same.
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

fn check<T: PartialEq + std::fmt::Debug + Serialize + for<'a> Deserialize<'a>>(text: &str) {
    let Ok(t) = typed::from_reply_str::<T>(text) else { return };
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
});
