//! One operation of one payload family, repeated, for a profiler: what
//! `benches/profile.sh` runs under `valgrind --tool=callgrind` to say where
//! the instructions of each cell of the table go, beside the baseline's.
//!
//! `profile <family> <operation> <calls>`; the operations are those of the
//! table (`reply-decode`, `reply-encode`, `response-decode`,
//! `response-encode`) and their baselines on the same bytes
//! (`sonic-decode`: `sonic_rs::from_slice` of the reply's JSON;
//! `sonic-response`: framing the rows plus `sonic_rs::from_slice` of each;
//! `serde-encode` and `serde-response-encode`: `serde_json::to_vec` of the
//! equivalent `serde_json::Value`; `typed-decode`, and `serde-typed` and
//! `sonic-typed` beside it, read small-args' or table-1mb's text reply into
//! the typed benches' structs). Each call, dropping its result
//! included, runs inside `measured`, which the profiler collects alone.

mod common;

use std::hint::black_box;

use common::{frame_rows, payload_dir, Payload};
use rsc_flight::{reply, response};

/// The code under measurement: everything else (loading, the setup of the
/// operation) is left out by `callgrind --toggle-collect=*measured*`.
#[inline(never)]
fn measured<T>(f: &mut impl FnMut() -> T) {
    drop(black_box(f()));
}

fn repeat<T>(calls: usize, mut f: impl FnMut() -> T) {
    for _ in 0..calls {
        measured(&mut f);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo test --benches` runs this too; there is nothing to check then.
    if args.iter().any(|a| a == "--test" || a == "--list" || a == "--bench") || args.len() != 3 {
        if args.len() != 3 {
            eprintln!("usage: profile <family> <operation> <calls> (see benches/profile.sh)");
        }
        return;
    }
    let family: &'static str = Box::leak(args[0].clone().into_boxed_str());
    let Some(p) = Payload::load(&payload_dir(), family) else {
        eprintln!("no payloads for {family} (benches/run.sh generates them)");
        std::process::exit(2);
    };
    let calls: usize = args[2].parse().unwrap_or(1);
    let decoder = reply::Decoder::new();
    let decode = || {
        if p.is_multipart() {
            decoder.decode_multipart(&p.reply_type, p.reply.clone())
        } else {
            decoder.decode_str(std::str::from_utf8(&p.reply).unwrap_or_default())
        }
    };
    let value = decode().expect("the family's reply body decodes");
    let json = p.reply_json();
    let rows = p.response.as_slice();
    match args[1].as_str() {
        "reply-decode" => {
            let text = std::str::from_utf8(&p.reply).unwrap_or_default();
            let body = bytes::Bytes::from(p.reply.clone());
            if p.is_multipart() {
                repeat(calls, || decoder.decode_multipart(&p.reply_type, body.clone()).unwrap())
            } else {
                repeat(calls, || decoder.decode_str(text).unwrap())
            }
        }
        "reply-encode" => repeat(calls, || reply::to_body(&value).unwrap()),
        "response-decode" => repeat(calls, || response::from_slice(rows).unwrap()),
        "response-encode" => {
            let value = response::from_slice(rows).unwrap();
            let encoder = response::Encoder::new();
            repeat(calls, || encoder.encode(&value).unwrap())
        }
        "sonic-decode" => repeat(calls, || {
            json.iter().map(|j| sonic_rs::from_slice::<sonic_rs::Value>(j).unwrap()).collect::<Vec<_>>()
        }),
        "sonic-response" => repeat(calls, || {
            let mut out = Vec::new();
            frame_rows(rows, |j| out.push(sonic_rs::from_slice::<sonic_rs::Value>(j).unwrap()));
            out
        }),
        "serde-encode" => {
            let values: Vec<serde_json::Value> = json.iter().map(|j| serde_json::from_slice(j).unwrap()).collect();
            repeat(calls, || values.iter().map(|v| serde_json::to_vec(v).unwrap()).collect::<Vec<_>>())
        }
        "serde-response-encode" => {
            let values: Vec<serde_json::Value> =
                p.response_json().iter().map(|j| serde_json::from_slice(j).unwrap()).collect();
            repeat(calls, || values.iter().map(|v| serde_json::to_vec(v).unwrap()).collect::<Vec<_>>())
        }
        // Typed decodes of the text reply into the bench's structs.
        "typed-decode" | "typed-response" | "serde-typed" | "sonic-typed" => {
            use common::shapes::{SmallArgs, TableArgs};
            let text = std::str::from_utf8(&p.reply).unwrap_or_default();
            let run = |op: &str, text: &str, calls: usize| match family {
                "small-args" => run::<SmallArgs>(op, text, rows, calls),
                _ => run::<TableArgs>(op, text, rows, calls),
            };
            fn run<T: for<'a> serde::Deserialize<'a>>(op: &str, text: &str, rows: &[u8], calls: usize) {
                match op {
                    "typed-decode" => repeat(calls, || rsc_flight::typed::from_reply_str::<T>(text).unwrap()),
                    "typed-response" => repeat(calls, || rsc_flight::typed::from_response_slice::<T>(rows).unwrap()),
                    "serde-typed" => repeat(calls, || serde_json::from_str::<T>(text).unwrap()),
                    _ => repeat(calls, || sonic_rs::from_str::<T>(text).unwrap()),
                }
            }
            match family {
                "small-args" | "table-1mb" => run(&args[1], text, calls),
                _ => {
                    eprintln!("typed decodes are of small-args and table-1mb");
                    std::process::exit(2);
                }
            }
        }
        op => {
            eprintln!("unknown operation {op:?}");
            std::process::exit(2);
        }
    }
}
