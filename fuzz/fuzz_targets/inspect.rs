//! `inspect` on any bytes, taken for each kind of input (the first byte
//! picks which, and the React version): a report and its text and JSON,
//! never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rsc_flight::inspect::{inspect, As};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, data)) = data.split_first() else { return };
    let what = [As::Guess, As::Response, As::Reply, As::Html][usize::from(pick & 3)];
    let react = ["19.3.1", "19.1.0", "next@16.5.0", "19.2.9"][usize::from((pick >> 2) & 3)];
    let r = inspect(data, what, react.parse().unwrap());
    let _ = r.to_text(pick & 0x10 != 0);
    let _ = r.to_json();
});
