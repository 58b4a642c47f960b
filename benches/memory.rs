//! Peak heap of decoding each payload family (`benches/payloads.cjs`),
//! beside the input's size. The allocator is the system allocator (the
//! crate never chooses one), wrapped here to count: the peak is the most
//! bytes live at once during the decode, above what was live before it.
//!
//! `cargo bench --bench memory` prints the table and writes
//! `target/bench-results/memory.json` for `benches/report.cjs`.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Allocations made (`alloc` and `realloc` calls), and blocks live.
static CALLS: AtomicUsize = AtomicUsize::new(0);
static BLOCKS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = System.alloc(l);
        CALLS.fetch_add(1, Relaxed);
        BLOCKS.fetch_add(1, Relaxed);
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Relaxed) + l.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        System.dealloc(p, l);
        BLOCKS.fetch_sub(1, Relaxed);
        LIVE.fetch_sub(l.size(), Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let q = System.realloc(p, l, new);
        CALLS.fetch_add(1, Relaxed);
        if !q.is_null() {
            if new > l.size() {
                let now = LIVE.fetch_add(new - l.size(), Relaxed) + new - l.size();
                PEAK.fetch_max(now, Relaxed);
            } else {
                LIVE.fetch_sub(l.size() - new, Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static A: Counting = Counting;

/// Peak bytes above the baseline while `f` runs, and the bytes its result
/// keeps.
fn measure<T>(f: impl FnOnce() -> T) -> (usize, usize) {
    let base = LIVE.load(Relaxed);
    PEAK.store(base, Relaxed);
    let kept = f();
    let peak = PEAK.load(Relaxed) - base;
    let retained = LIVE.load(Relaxed).saturating_sub(base);
    drop(kept);
    (peak, retained)
}

/// Allocations one call of `f` makes (after a first call, so that lazily
/// initialised statics are not counted), and how many of them its result
/// keeps (the output's own).
fn count_allocs<T>(mut f: impl FnMut() -> T) -> (usize, usize) {
    drop(f());
    let (calls, blocks) = (CALLS.load(Relaxed), BLOCKS.load(Relaxed));
    let kept = f();
    let counts = (CALLS.load(Relaxed) - calls, BLOCKS.load(Relaxed).saturating_sub(blocks));
    drop(kept);
    counts
}

use common::{payload_dir, FAMILIES};

fn main() {
    // `cargo test --benches` runs this too; there is nothing to check then.
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        return;
    }
    let dir = payload_dir();
    let mut json = String::from("{");
    // The fixed cost of a call (benches/flight.rs times the same calls).
    let zero = rsc_flight::value::Value::from_item(rsc_flight::value::Item::Number(0.0));
    let (reply, response) = (rsc_flight::reply::Decoder::new(), rsc_flight::response::Decoder::new());
    let (reply_enc, response_enc) = (rsc_flight::reply::Encoder::new(), rsc_flight::response::Encoder::new());
    println!("{:<12} {:>28} {:>12} {:>12}", "fixed cost", "operation", "allocations", "in output");
    for (op, (allocs, output)) in [
        ("reply decode (text)", count_allocs(|| reply.decode_str("0").unwrap())),
        ("reply encode", count_allocs(|| reply_enc.encode(&zero).unwrap())),
        ("response decode", count_allocs(|| response.decode(b"0:0\n").unwrap())),
        ("response encode", count_allocs(|| response_enc.encode(&zero).unwrap())),
    ] {
        println!("{:<12} {op:>28} {allocs:>12} {output:>12}", "");
        if json.len() > 1 {
            json.push(',');
        }
        json.push_str(&format!("\"fixed-cost/{op}\":{{\"allocations\":{allocs},\"output_allocations\":{output}}}"));
    }
    println!("{:<12} {:>28} {:>12} {:>12} {:>12}", "family", "operation", "input", "peak", "retained");
    for name in FAMILIES {
        let d = dir.join(name);
        let (Ok(reply), Ok(ty), Ok(rows)) = (
            std::fs::read(d.join("reply.body")),
            std::fs::read_to_string(d.join("reply.type")),
            std::fs::read(d.join("response.rsc")),
        ) else {
            eprintln!("no payloads in {} (benches/run.sh generates them)", dir.display());
            return;
        };
        let decoder = rsc_flight::reply::Decoder::new();
        let body = bytes::Bytes::from(reply);
        let (op, (peak, kept)) = if ty.starts_with("multipart/") {
            ("reply decode (multipart)", measure(|| decoder.decode_multipart(&ty, body.clone()).unwrap()))
        } else {
            ("reply decode (text)", measure(|| decoder.decode_str(std::str::from_utf8(&body).unwrap()).unwrap()))
        };
        let (rpeak, rkept) = measure(|| rsc_flight::response::from_slice(&rows).unwrap());
        for (op, input, peak, kept) in [(op, body.len(), peak, kept), ("response decode", rows.len(), rpeak, rkept)] {
            println!("{name:<12} {op:>28} {input:>12} {peak:>12} {kept:>12}");
            if json.len() > 1 {
                json.push(',');
            }
            json.push_str(&format!(
                "\"{name}/{op}\":{{\"input_bytes\":{input},\"peak_bytes\":{peak},\"retained_bytes\":{kept}}}"
            ));
        }
    }
    json.push('}');
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-results");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("memory.json"), json).unwrap();
}
