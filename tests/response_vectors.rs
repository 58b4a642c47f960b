//! The response golden vectors (tests/vectors/response.json, rendered by
//! React 19.3.1 in production mode by conformance/gen-response-vectors.cjs):
//! every stream decodes to the expected value, or the expected error, the
//! same whether it arrives whole, a byte at a time, or split at random.

use rsc_flight::response::Decoder;
use rsc_flight::tagged;
use serde_json::Value as J;

mod common;
use base64::Engine as _;
use common::{tagged_of, B64};

/// The result of decoding, printed, so that three chunkings can be compared.
fn decode(chunks: &[&[u8]]) -> Result<String, String> {
    match Decoder::new().decode_chunks(chunks.iter().copied()) {
        Ok(r) => Ok(tagged::to_string(&r.value).map_err(|e| e.to_string())?),
        Err(e) => Err(e.message().to_owned()),
    }
}

/// Split points from a small deterministic generator (xorshift).
fn random_splits(bytes: &[u8], seed: u64) -> Vec<&[u8]> {
    let mut x = seed | 1;
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let n = 1 + (x % 64) as usize;
        let (a, b) = rest.split_at(n.min(rest.len()));
        out.push(a);
        rest = b;
    }
    out
}

#[test]
fn every_vector_decodes_the_same_under_three_chunkings() {
    let vectors = common::load("response.json");
    assert!(vectors.len() >= 90, "{} vectors", vectors.len());
    let mut failures = Vec::new();
    for (i, v) in vectors.iter().enumerate() {
        let name = v["name"].as_str().unwrap();
        let bytes = B64.decode(v["rows"].as_str().unwrap()).unwrap();
        let whole = decode(&[&bytes]);
        let bytewise: Vec<&[u8]> = bytes.chunks(1).collect();
        if decode(&bytewise) != whole {
            failures.push(format!("{name}: one byte at a time differs from whole"));
        }
        if decode(&random_splits(&bytes, i as u64 + 7)) != whole {
            failures.push(format!("{name}: random splits differ from whole"));
        }
        match (&whole, v.get("expect"), v.get("error")) {
            (Ok(got), Some(want), _) => {
                let got = tagged::from_str(got).unwrap();
                if let Err(e) = tagged::equivalent(&got, &tagged_of(want)) {
                    failures.push(format!("{name}: {e}\n  got  {}\n  want {want}", tagged::to_string(&got).unwrap()));
                }
            }
            (Err(got), _, Some(J::String(want))) if got.contains(want.as_str()) => {}
            (got, _, want) => failures.push(format!("{name}: got {got:?}, expected error {want:?}")),
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
