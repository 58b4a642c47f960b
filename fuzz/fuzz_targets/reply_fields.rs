//! Reply decode from parsed fields: the input is `name NUL value NUL ...`
//! (text fields), so the fuzzer works on part structure, not multipart
//! syntax, read in each reply dialect (19.3.1's, and those of 19.1.0, 19.2.2,
//! 19.2.4, 19.3.0, Next.js 16.5's build and an older canary: `<n>_` FormData
//! entries, `$F` server references, bare stream keys, the `$$promise` cache
//! or none, `$H`), with unread fields allowed and not. Never a panic; the
//! JSON parts read in one pass where they can be (`src/straight/`) give
//! what parsing every part into a document gives, value (arena order
//! included) or error.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rsc_flight::multipart::Field;
use rsc_flight::{reply, tagged, React};

const VERSIONS: [&str; 8] =
    ["19.3.1", "19.1.0", "19.2.4", "19.3.0", "19.2.2", "next@16.5.0", "19.3.0-canary-e33071c6-20260224", "19.0.9"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, data)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(data) else { return };
    let parts: Vec<&str> = text.split('\0').collect();
    let fields: Vec<Field> = parts.chunks(2).map(|p| Field::text(p[0], p.get(1).copied().unwrap_or(""))).collect();
    let react: React = VERSIONS[pick as usize % VERSIONS.len()].parse().unwrap();
    let d = reply::Decoder::new().react(react).allow_unread_fields(pick & 0x80 != 0);
    let decoded = d.decode_fields(&fields);
    let show = |r: &rsc_flight::Result<rsc_flight::Value>| match r {
        Ok(v) => format!("{v:?}"),
        Err(e) => format!("error: {e}"),
    };
    let documents = rsc_flight::fuzzing::reply_fields_through_documents(&d, &fields);
    assert_eq!(show(&decoded), show(&documents), "parts read in one pass changed the result");
    if let Ok(v) = decoded {
        let _ = tagged::to_string(&v);
    }
    let _ = d.decode_action(&fields);
});
