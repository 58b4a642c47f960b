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

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion, Throughput};
use rsc_flight::reply::{self, Body};
use rsc_flight::response;
use rsc_flight::wire::multipart::{self, Field, FieldValue};
use serde::Deserialize;

const FAMILIES: [&str; 6] = ["small-args", "form", "table-1mb", "binary-8mb", "maps-sets", "deep-shared"];

fn payload_dir() -> PathBuf {
    std::env::var_os("RSC_BENCH_PAYLOADS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-payloads"))
}

struct Payload {
    name: &'static str,
    reply: Vec<u8>,
    reply_type: String,
    response: Vec<u8>,
}

impl Payload {
    fn load(dir: &Path, name: &'static str) -> Option<Self> {
        let d = dir.join(name);
        Some(Payload {
            name,
            reply: std::fs::read(d.join("reply.body")).ok()?,
            reply_type: std::fs::read_to_string(d.join("reply.type")).ok()?,
            response: std::fs::read(d.join("response.rsc")).ok()?,
        })
    }
    fn is_multipart(&self) -> bool {
        self.reply_type.starts_with("multipart/")
    }
    fn fields(&self) -> Vec<Field> {
        multipart::parse(self.reply.clone().into(), "BOUNDARY", 100_000, 1 << 30).unwrap()
    }
    /// The JSON in the reply: the text body, or every part whose name is a
    /// part id (the others are FormData entries and files).
    fn reply_json(&self) -> Vec<Vec<u8>> {
        if !self.is_multipart() {
            return vec![self.reply.clone()];
        }
        self.fields()
            .into_iter()
            .filter(|f| f.name.bytes().all(|b| b.is_ascii_digit()))
            .filter_map(|f| match f.value {
                FieldValue::Text(t) => Some(t.into_bytes()),
                FieldValue::File { .. } => None,
            })
            .collect()
    }
    /// The JSON rows of the response, without their `id:` prefix and tag.
    fn response_json(&self) -> Vec<&[u8]> {
        let mut out = Vec::new();
        frame_rows(&self.response, |json| out.push(json));
        out
    }
}

/// The least a response reader has to do besides parsing JSON: find each
/// row's id, skip a binary row by its length, split text rows at newlines.
/// `f` gets each JSON row (after an optional one-letter tag).
fn frame_rows<'a>(mut b: &'a [u8], mut f: impl FnMut(&'a [u8])) {
    while !b.is_empty() {
        let colon = memchr(b':', b).unwrap();
        b = &b[colon + 1..];
        let tag = b[0];
        let binary_len = if tag.is_ascii_alphabetic() && b.get(1).is_some_and(u8::is_ascii_hexdigit) {
            let comma = memchr(b',', b).unwrap();
            std::str::from_utf8(&b[1..comma]).ok().and_then(|h| usize::from_str_radix(h, 16).ok()).map(|n| (comma, n))
        } else {
            None
        };
        if let Some((comma, n)) = binary_len {
            b = &b[comma + 1 + n..];
            continue;
        }
        let nl = memchr(b'\n', b).unwrap();
        let row = &b[..nl];
        let json = if row.first().is_some_and(u8::is_ascii_alphabetic) { &row[1..] } else { row };
        if !json.is_empty() {
            f(json);
        }
        b = &b[nl + 1..];
    }
}

fn memchr(c: u8, b: &[u8]) -> Option<usize> {
    b.iter().position(|&x| x == c)
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Row {
    id: u32,
    name: String,
    email: String,
    active: bool,
    score: f64,
    note: Option<String>,
    #[serde(with = "rsc_flight::typed::date")]
    created: chrono::DateTime<chrono::Utc>,
    tags: Vec<String>,
    address: Address,
    rank: i32,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Address {
    city: String,
    zip: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Todo {
    title: String,
    tags: Vec<String>,
    done: bool,
    #[serde(with = "rsc_flight::typed::date")]
    due: chrono::DateTime<chrono::Utc>,
}

type SmallArgs = (String, Todo, u32);

fn bench_family(g: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>, p: &Payload) {
    // ---- reply ----
    g.throughput(Throughput::Bytes(p.reply.len() as u64));
    let decoder = reply::Decoder::new();
    if p.is_multipart() {
        let body = bytes::Bytes::from(p.reply.clone());
        g.bench_function(BenchmarkId::new("reply decode (multipart)", "rsc-flight"), |b| {
            b.iter(|| decoder.decode_multipart(body.clone(), &p.reply_type).unwrap())
        });
        let fields = p.fields();
        g.bench_function(BenchmarkId::new("reply decode (parts)", "rsc-flight"), |b| {
            b.iter(|| decoder.decode_fields(&fields).unwrap())
        });
    } else {
        let text = std::str::from_utf8(&p.reply).unwrap();
        g.bench_function(BenchmarkId::new("reply decode (text)", "rsc-flight"), |b| {
            b.iter(|| decoder.decode_text(text).unwrap())
        });
        match p.name {
            "small-args" => g.bench_function(BenchmarkId::new("reply decode (text)", "rsc-flight typed"), |b| {
                b.iter(|| rsc_flight::typed::from_reply_str::<SmallArgs>(text).unwrap())
            }),
            "table-1mb" => g.bench_function(BenchmarkId::new("reply decode (text)", "rsc-flight typed"), |b| {
                b.iter(|| rsc_flight::typed::from_reply_str::<(Vec<Row>,)>(text).unwrap())
            }),
            _ => g,
        };
    }
    let value = if p.is_multipart() {
        decoder.decode_multipart(p.reply.clone(), &p.reply_type).unwrap()
    } else {
        decoder.decode_text(std::str::from_utf8(&p.reply).unwrap()).unwrap()
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
        b.iter(|| reply.decode_text(black_box("0")).unwrap())
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
