//! Reply decode from a text body: never a panic; a decoded value prints,
//! re-encodes and decodes again to an equivalent value.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;
use rsc_flight::{reply, tagged};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(v) = reply::from_str(text) else { return };
    let _ = tagged::to_string(&v);
    if !common::carried_exactly(&v) {
        return;
    }
    if let Ok(body) = reply::to_body(&v) {
        if let Some(t) = body.as_text() {
            if let Ok(again) = reply::from_str(t) {
                tagged::equivalent(&v, &again).expect("round trip changed the value");
            }
        }
    }
});
