//! Reply decode from parsed fields: the input is `name NUL value NUL ...`
//! (text fields), so the fuzzer works on part structure, not multipart
//! syntax. Never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rsc_flight::wire::multipart::Field;
use rsc_flight::{reply, tagged};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let parts: Vec<&str> = text.split('\0').collect();
    let fields: Vec<Field> = parts.chunks(2).map(|p| Field::text(p[0], p.get(1).copied().unwrap_or(""))).collect();
    if let Ok(v) = reply::from_fields(&fields) {
        let _ = tagged::to_string(&v);
    }
    let _ = reply::decode_action(&fields, &reply::Decoder::new());
});
