//! What the Rust benches share: the payload families of
//! `benches/payloads.cjs`, and the JSON in them that the baselines parse.
#![allow(dead_code)] // each bench uses its own part

pub mod shapes;

use std::path::{Path, PathBuf};

use rsc_flight::multipart::{self, Field, FieldValue};

pub const FAMILIES: [&str; 6] = ["small-args", "form", "table-1mb", "binary-8mb", "maps-sets", "deep-shared"];

pub fn payload_dir() -> PathBuf {
    std::env::var_os("RSC_BENCH_PAYLOADS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-payloads"))
}

pub struct Payload {
    pub name: &'static str,
    pub reply: Vec<u8>,
    pub reply_type: String,
    pub response: Vec<u8>,
}

impl Payload {
    pub fn load(dir: &Path, name: &'static str) -> Option<Self> {
        let d = dir.join(name);
        Some(Payload {
            name,
            reply: std::fs::read(d.join("reply.body")).ok()?,
            reply_type: std::fs::read_to_string(d.join("reply.type")).ok()?,
            response: std::fs::read(d.join("response.rsc")).ok()?,
        })
    }
    pub fn is_multipart(&self) -> bool {
        self.reply_type.starts_with("multipart/")
    }
    pub fn fields(&self) -> Vec<Field> {
        multipart::parse(self.reply.clone().into(), "BOUNDARY", 100_000, 1 << 30).unwrap()
    }
    /// The JSON in the reply: the text body, or every part whose name is a
    /// part id (the others are FormData entries and files).
    pub fn reply_json(&self) -> Vec<Vec<u8>> {
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
    pub fn response_json(&self) -> Vec<&[u8]> {
        let mut out = Vec::new();
        frame_rows(&self.response, |json| out.push(json));
        out
    }
}

/// The least a response reader has to do besides parsing JSON: find each
/// row's id, skip a binary row by its length, split text rows at newlines.
/// `f` gets each JSON row (after an optional one-letter tag).
pub fn frame_rows<'a>(mut b: &'a [u8], mut f: impl FnMut(&'a [u8])) {
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
