//! Typed decode against dynamic decode on the same reply body (issue 4's
//! target: the typed decode within 1.2x of the dynamic decode's time).
//!
//! `cargo bench --bench typed`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde::Deserialize;

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

/// `n` row objects of 10 fields as one text reply body, `[rows]`.
fn table(n: usize) -> String {
    let rows: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"id":{i},"name":"user {i}","email":"user{i}@example.com","active":{},"score":{},"note":{},"created":"$D2026-01-{:02}T10:00:00.000Z","tags":["a","b{}"],"address":{{"city":"City {}","zip":"{:05}"}},"rank":{}}}"#,
                i % 2 == 0,
                i as f64 * 1.5,
                if i % 3 == 0 { "null".to_owned() } else { format!("\"note {i}\"") },
                i % 28 + 1,
                i % 7,
                i % 100,
                i,
                -(i as i64)
            )
        })
        .collect();
    format!("[[{}]]", rows.join(","))
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("reply decode");
    for n in [1usize, 5000] {
        let body = table(n);
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_with_input(BenchmarkId::new("dynamic", n), &body, |b, body| {
            b.iter(|| rsc_flight::reply::from_str(body).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("typed", n), &body, |b, body| {
            b.iter(|| rsc_flight::typed::from_reply_str::<(Vec<Row>,)>(body).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
