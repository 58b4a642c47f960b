//! Encode and decode of both formats on the payload families of
//! `benches/payloads.cjs` (bytes written by React 19.3.1), with the
//! baselines on the same bytes in the same run: `serde_json` and `sonic-rs`
//! parsing the JSON, `serde_json::to_vec` writing it, `memcpy` for binary.
//!
//! `benches/run.sh` generates the payloads, runs this, times React on the
//! same payloads and prints the table. Alone: `cargo bench --bench flight`
//! (after the payloads exist in `target/bench-payloads`, or in
//! `$RSC_BENCH_PAYLOADS`); `cargo bench --bench flight -- table-1mb` for one
//! family.
//!
//! Each benchmark is `<family>/<operation>/<implementation>`; the report
//! (`benches/report.cjs`) reads them back from `target/criterion`.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion, Throughput};
use rsc_flight::reply::{self, Body};
use rsc_flight::response;
use serde::Deserialize;

use common::shapes::{Row, SmallArgs};
use common::{frame_rows, payload_dir, Payload, FAMILIES};

/// `T` from a text reply body: rsc-flight, and the baselines on the same bytes.
fn typed_decodes<T: for<'a> Deserialize<'a>>(g: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>, text: &str) {
    // Every baseline must read the body to the same value shape.
    serde_json::from_str::<T>(text).expect("serde_json reads the body into the bench's type");
    sonic_rs::from_str::<T>(text).expect("sonic-rs reads the body into the bench's type");
    g.bench_function(BenchmarkId::new("reply decode (text)", "rsc-flight typed"), |b| {
        b.iter(|| rsc_flight::typed::from_reply_str::<T>(text).unwrap())
    });
    g.bench_function(BenchmarkId::new("reply decode (text)", "serde_json typed"), |b| {
        b.iter(|| serde_json::from_slice::<T>(text.as_bytes()).unwrap())
    });
    g.bench_function(BenchmarkId::new("reply decode (text)", "sonic-rs typed"), |b| {
        b.iter(|| sonic_rs::from_slice::<T>(text.as_bytes()).unwrap())
    });
}

fn bench_family(g: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>, p: &Payload) {
    // ---- reply ----
    g.throughput(Throughput::Bytes(p.reply.len() as u64));
    let decoder = reply::Decoder::new();
    if p.is_multipart() {
        let body = bytes::Bytes::from(p.reply.clone());
        g.bench_function(BenchmarkId::new("reply decode (multipart)", "rsc-flight"), |b| {
            b.iter(|| decoder.decode_multipart(&p.reply_type, body.clone()).unwrap())
        });
        let fields = p.fields();
        g.bench_function(BenchmarkId::new("reply decode (parts)", "rsc-flight"), |b| {
            b.iter(|| decoder.decode_fields(&fields).unwrap())
        });
    } else {
        let text = std::str::from_utf8(&p.reply).unwrap();
        g.bench_function(BenchmarkId::new("reply decode (text)", "rsc-flight"), |b| {
            b.iter(|| decoder.decode_str(text).unwrap())
        });
        // The same structs through this crate and through the JSON parsers
        // (`typed::date` also reads `$D` text as a plain parser hands it out).
        match p.name {
            "small-args" => typed_decodes::<SmallArgs>(g, text),
            "table-1mb" => typed_decodes::<(Vec<Row>,)>(g, text),
            _ => {}
        }
    }
    let value = if p.is_multipart() {
        decoder.decode_multipart(&p.reply_type, p.reply.clone()).unwrap()
    } else {
        decoder.decode_str(std::str::from_utf8(&p.reply).unwrap()).unwrap()
    };
    let json = p.reply_json();
    if p.name == "binary-8mb" {
        g.bench_function(BenchmarkId::new("reply decode", "memcpy"), |b| b.iter(|| p.reply.to_vec()));
    } else {
        let op = if p.is_multipart() { "reply decode (parts)" } else { "reply decode (text)" };
        g.bench_function(BenchmarkId::new(op, "serde_json"), |b| {
            b.iter(|| json.iter().map(|j| serde_json::from_slice::<serde_json::Value>(j).unwrap()).collect::<Vec<_>>())
        });
        g.bench_function(BenchmarkId::new(op, "sonic-rs"), |b| {
            b.iter(|| json.iter().map(|j| sonic_rs::from_slice::<sonic_rs::Value>(j).unwrap()).collect::<Vec<_>>())
        });
    }
    g.bench_function(BenchmarkId::new("reply encode", "rsc-flight"), |b| {
        b.iter(|| match reply::to_body(&value).unwrap() {
            Body::Text(t) => t.into_bytes(),
            body => body.to_bytes("BOUNDARY"),
        })
    });
    if p.name == "binary-8mb" {
        g.bench_function(BenchmarkId::new("reply encode", "memcpy"), |b| b.iter(|| p.reply.to_vec()));
    } else {
        let values: Vec<serde_json::Value> = json.iter().map(|j| serde_json::from_slice(j).unwrap()).collect();
        g.bench_function(BenchmarkId::new("reply encode", "serde_json"), |b| {
            b.iter(|| values.iter().map(|v| serde_json::to_vec(v).unwrap()).collect::<Vec<_>>())
        });
    }

    // ---- response ----
    g.throughput(Throughput::Bytes(p.response.len() as u64));
    let rows = p.response.as_slice();
    let rows_bytes = bytes::Bytes::copy_from_slice(rows);
    g.bench_function(BenchmarkId::new("response decode", "rsc-flight"), |b| {
        b.iter(|| response::from_slice(rows).unwrap())
    });
    g.bench_function(BenchmarkId::new("response decode (64 KiB chunks)", "rsc-flight"), |b| {
        b.iter(|| {
            // Chunks as an HTTP client hands them out: `Bytes`.
            let mut d = response::Decoder::new().incremental();
            for at in (0..rows_bytes.len()).step_by(64 << 10) {
                d.push_bytes(rows_bytes.slice(at..rows_bytes.len().min(at + (64 << 10)))).unwrap();
            }
            d.finish().unwrap()
        })
    });
    match p.name {
        "small-args" => g.bench_function(BenchmarkId::new("response decode", "rsc-flight typed"), |b| {
            b.iter(|| rsc_flight::typed::from_response_slice::<SmallArgs>(rows).unwrap())
        }),
        "table-1mb" => g.bench_function(BenchmarkId::new("response decode", "rsc-flight typed"), |b| {
            b.iter(|| rsc_flight::typed::from_response_slice::<(Vec<Row>,)>(rows).unwrap())
        }),
        _ => g,
    };
    if p.name == "binary-8mb" {
        g.bench_function(BenchmarkId::new("response decode", "memcpy"), |b| b.iter(|| rows.to_vec()));
    } else {
        g.bench_function(BenchmarkId::new("response decode", "framing + sonic-rs"), |b| {
            b.iter(|| {
                let mut out = Vec::new();
                frame_rows(rows, |j| out.push(sonic_rs::from_slice::<sonic_rs::Value>(j).unwrap()));
                out
            })
        });
        g.bench_function(BenchmarkId::new("response decode", "framing + serde_json"), |b| {
            b.iter(|| {
                let mut out = Vec::new();
                frame_rows(rows, |j| out.push(serde_json::from_slice::<serde_json::Value>(j).unwrap()));
                out
            })
        });
    }
    let value = response::from_slice(rows).unwrap();
    let encoder = response::Encoder::new();
    g.bench_function(BenchmarkId::new("response encode", "rsc-flight"), |b| b.iter(|| encoder.encode(&value).unwrap()));
    if p.name == "binary-8mb" {
        g.bench_function(BenchmarkId::new("response encode", "memcpy"), |b| b.iter(|| rows.to_vec()));
    } else {
        let values: Vec<serde_json::Value> =
            p.response_json().iter().map(|j| serde_json::from_slice(j).unwrap()).collect();
        g.bench_function(BenchmarkId::new("response encode", "serde_json"), |b| {
            b.iter(|| values.iter().map(|v| serde_json::to_vec(v).unwrap()).collect::<Vec<_>>())
        });
    }
}

/// The fixed cost of a call: the smallest body in each direction (the
/// number 0), so that what is timed is setting a call up and tearing it
/// down. `benches/memory.rs` counts the allocations of the same calls.
fn bench_fixed_cost(c: &mut Criterion) {
    let mut g = c.benchmark_group("fixed-cost");
    let zero = rsc_flight::value::Value::from_item(rsc_flight::value::Item::Number(0.0));
    let (reply, response) = (rsc_flight::reply::Decoder::new(), rsc_flight::response::Decoder::new());
    let (reply_enc, response_enc) = (rsc_flight::reply::Encoder::new(), rsc_flight::response::Encoder::new());
    g.bench_function(BenchmarkId::new("reply decode (text)", "rsc-flight"), |b| {
        b.iter(|| reply.decode_str(black_box("0")).unwrap())
    });
    g.bench_function(BenchmarkId::new("reply encode", "rsc-flight"), |b| {
        b.iter(|| reply_enc.encode(black_box(&zero)).unwrap())
    });
    g.bench_function(BenchmarkId::new("response decode", "rsc-flight"), |b| {
        b.iter(|| response.decode(black_box(b"0:0\n")).unwrap())
    });
    g.bench_function(BenchmarkId::new("response encode", "rsc-flight"), |b| {
        b.iter(|| response_enc.encode(black_box(&zero)).unwrap())
    });
    g.finish();
}

fn bench(c: &mut Criterion) {
    bench_fixed_cost(c);
    let dir = payload_dir();
    for name in FAMILIES {
        let Some(p) = Payload::load(&dir, name) else {
            eprintln!("no payloads in {} (benches/run.sh generates them); skipping {name}", dir.display());
            continue;
        };
        let mut g = c.benchmark_group(name);
        if p.reply.len() > 100_000 {
            g.sample_size(20);
        }
        bench_family(&mut g, &p);
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_millis(700)).measurement_time(Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
