//! Time and peak memory of the worst hostile inputs, one per process (the
//! figures in spec/security.md):
//!
//! ```sh
//! cargo build --release --example attack_costs
//! for a in nested doubling parts budget response-nested incremental-forward; do
//!   target/release/examples/attack_costs $a; done
//! ```

use std::time::Instant;

use rsc_flight::multipart::Field;
use rsc_flight::reply::Decoder;

/// The process's peak resident memory (Linux), in KiB.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn main() {
    let name = std::env::args().nth(1).unwrap_or_default();
    // Build the input first, so that its size is part of the baseline.
    let run: Box<dyn FnOnce() -> String> = match name.as_str() {
        "nested" => {
            let body = format!("{}{}", "[".repeat(1_000_000), "]".repeat(1_000_000));
            Box::new(move || format!("{:?}", Decoder::new().decode_str(&body).map(|_| ()).unwrap_err().message()))
        }
        "doubling" => {
            let mut f: Vec<Field> = (0..40u32)
                .map(|i| Field::text(i.to_string(), format!("[\"${:x}\",\"${:x}\"]", i + 1, i + 1)))
                .collect();
            f.push(Field::text("40", "\"leaf\""));
            Box::new(move || {
                let l = rsc_flight::Limits::default().array_size_limit(u64::MAX);
                format!("{} nodes", Decoder::new().limits(l).decode_fields(&f).unwrap().len())
            })
        }
        "parts" => {
            let mut body = String::new();
            for i in 0..100_000 {
                body.push_str(&format!("--X\r\nContent-Disposition: form-data; name=\"{i}\"\r\n\r\n1\r\n"));
            }
            body.push_str("--X--\r\n");
            Box::new(move || {
                let r = Decoder::new().decode_multipart("multipart/form-data; boundary=X", body.into_bytes());
                format!("{:?}", r.map(|_| ()).unwrap_err().message())
            })
        }
        "budget" => {
            let body = format!("[\"{}\",1]", "a".repeat(999_998));
            Box::new(move || format!("{:?}", Decoder::new().decode_str(&body).map(|_| ()).unwrap_err().message()))
        }
        "response-nested" => {
            let body = format!("0:{}{}\n", "[".repeat(1_000_000), "]".repeat(1_000_000));
            Box::new(move || {
                format!("{:?}", rsc_flight::response::from_slice(body.as_bytes()).map(|_| ()).unwrap_err().message())
            })
        }
        "incremental-forward" => {
            let n = 100_000usize;
            let refs: Vec<String> = (1..=n).map(|i| format!("\"${i:x}\"")).collect();
            let head = format!("0:[{}]\n", refs.join(","));
            Box::new(move || {
                let l = rsc_flight::Limits::default().max_parts(n + 1);
                let mut d = rsc_flight::response::Decoder::new().limits(l).incremental();
                d.push(head.as_bytes()).unwrap();
                for i in 1..=n {
                    d.push(format!("{i:x}:{i}\n").as_bytes()).unwrap();
                }
                format!("{} nodes", d.finish().unwrap().value.len())
            })
        }
        _ => {
            eprintln!("attacks: nested doubling parts budget response-nested incremental-forward");
            std::process::exit(2);
        }
    };
    let before = peak_kib();
    let start = Instant::now();
    let outcome = run();
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    println!("{name}: {ms:.1} ms, peak {} KiB (input built: {before} KiB): {outcome}", peak_kib());
}
