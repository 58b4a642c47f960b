//! Reply decode from a multipart body (boundary `X`): never a panic; what
//! decodes prints, re-encodes and decodes again to an equivalent value.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;
use rsc_flight::{reply, tagged};

fuzz_target!(|data: &[u8]| {
    let Ok(v) = reply::from_multipart("multipart/form-data; boundary=X", data.to_vec()) else { return };
    let _ = tagged::to_string(&v);
    if !common::carried_exactly(&v) {
        return;
    }
    if let Ok(body) = reply::to_body(&v) {
        let again = match &body {
            reply::Body::Text(t) => reply::from_str(t),
            reply::Body::Form(f) => reply::from_fields(f),
        };
        if let Ok(again) = again {
            tagged::equivalent(&v, &again).expect("round trip changed the value");
        }
    }
});
