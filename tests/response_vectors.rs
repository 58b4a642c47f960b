//! The response golden vectors (tests/vectors/response.json, rendered by
//! React 19.3.1 in production mode by conformance/gen-response-vectors.cjs):
//! every stream decodes to the expected value, or the expected error, the
//! same whether it arrives whole, a byte at a time, or split at random.

use rsc_flight::response::{Decoder, Encoder, Event};
use rsc_flight::tagged;
use rsc_flight::value::{Node, Promise};
use serde_json::Value as J;

mod common;
use base64::Engine as _;
use common::{tagged_of, B64};

/// The result of decoding, printed, so that three chunkings can be compared.
fn decode(d: &Decoder, chunks: &[&[u8]]) -> Result<String, String> {
    match d.decode_chunks(chunks.iter().copied()) {
        Ok(r) => Ok(tagged::to_string(&r.value).map_err(|e| e.to_string())?),
        Err(e) => Err(e.message().to_owned()),
    }
}

/// The same through the incremental decoder, which also checks that the
/// root event comes once, before any settlement, and that every event
/// names a node of the right kind.
fn decode_incremental(decoder: &Decoder, chunks: &[&[u8]]) -> Result<String, String> {
    let mut d = decoder.incremental();
    let mut roots = 0;
    let mut check = |d: &mut rsc_flight::response::Incremental| -> Result<(), String> {
        while let Some(e) = d.next_event() {
            match e {
                Event::Root(_) => roots += 1,
                Event::Hint(_) => {}
                Event::Settled(n) if roots == 1 => match d.value().node(n) {
                    Node::Promise(Promise::Pending) => return Err("a settled promise is pending".into()),
                    Node::Promise(_) => {}
                    other => return Err(format!("settled a {other:?}")),
                },
                Event::StreamValue(n) | Event::StreamEnd(n) if roots == 1 => {
                    if !matches!(d.value().node(n), Node::Stream(_) | Node::ByteStream(_)) {
                        return Err("a stream event for a node that is not a stream".into());
                    }
                }
                e => return Err(format!("{e:?} with {roots} root events before it")),
            }
        }
        Ok(())
    };
    // Every other chunk as owned `Bytes` (payloads sliced, not copied), the
    // others borrowed: a row split across both kinds must come out whole.
    for (i, c) in chunks.iter().enumerate() {
        let pushed = if i % 2 == 0 { d.push_bytes(bytes::Bytes::copy_from_slice(c)) } else { d.push(c) };
        pushed.map_err(|e| e.message().to_owned())?;
        check(&mut d)?;
    }
    let r = d.finish().map_err(|e| e.message().to_owned())?;
    tagged::to_string(&r.value).map_err(|e| e.to_string())
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
    decodes_under_three_chunkings("response.json", &Decoder::new());
}

/// The value cases rendered by React 19.3.1's *development* server
/// (tests/vectors/response-dev.json, `conformance/gen-response-dev-vectors.sh`,
/// by hand: its rows hold timings and file paths): the debug, timing and
/// console rows are set aside and every value is the production one.
#[test]
fn development_build_vectors_decode_to_the_production_values() {
    decodes_under_three_chunkings("response-dev.json", &Decoder::new());
}

/// The same value cases rendered by the servers of other React versions
/// (tests/vectors/versions/<version>/response.json, from
/// conformance/versions/<version>): the decoder reads what each writes.
#[test]
fn other_versions_vectors_decode_too() {
    let mut n = 0;
    for (version, dir) in common::versions() {
        let d = Decoder::new().react(version.parse().unwrap());
        decodes_under_three_chunkings(&format!("{dir}/response.json"), &d);
        n += 1;
    }
    assert!(n >= 1, "no vectors of other versions");
}

fn decodes_under_three_chunkings(file: &str, d: &Decoder) {
    let vectors = common::load(file);
    assert!(vectors.len() >= 90, "{file}: {} vectors", vectors.len());
    let mut failures = Vec::new();
    for (i, v) in vectors.iter().enumerate() {
        let name = v["name"].as_str().unwrap();
        let bytes = B64.decode(v["rows"].as_str().unwrap()).unwrap();
        let whole = decode(d, &[&bytes]);
        let bytewise: Vec<&[u8]> = bytes.chunks(1).collect();
        if decode(d, &bytewise) != whole {
            failures.push(format!("{name}: one byte at a time differs from whole"));
        }
        if decode(d, &random_splits(&bytes, i as u64 + 7)) != whole {
            failures.push(format!("{name}: random splits differ from whole"));
        }
        for (how, chunks) in
            [("whole", vec![&bytes[..]]), ("bytewise", bytewise), ("split", random_splits(&bytes, i as u64))]
        {
            let got = decode_incremental(d, &chunks);
            if got != whole {
                failures.push(format!("{name}: incremental ({how}) gives {got:?}, whole gives {whole:?}"));
            }
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
    assert!(failures.is_empty(), "{file}: {} failures:\n{}", failures.len(), failures.join("\n"));
}

/// Bytes shown with their control characters escaped, for failure messages.
fn show(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(bytes);
    let s: String = s.chars().take(400).collect();
    format!("{s:?}")
}

#[test]
fn every_rendered_value_encodes_to_reacts_bytes() {
    let encoded = encodes_to_reacts_bytes("response.json", rsc_flight::React::default());
    assert!(encoded >= 85, "only {encoded} vectors encoded");
    eprintln!("{encoded} vectors encoded byte for byte");
}

/// The response encoder, told each other version, writes its rows byte for
/// byte where it supports that version (19.2.5-19.2.9, 19.3.x), and refuses
/// the others.
#[test]
fn other_versions_rows_are_encoded_byte_for_byte_or_refused() {
    for (version, dir) in common::versions() {
        let react: rsc_flight::React = version.parse().unwrap();
        let empty = rsc_flight::Value::from_item(rsc_flight::value::Item::Null);
        match Encoder::new().react(react).encode(&empty) {
            Ok(_) => {
                let n = encodes_to_reacts_bytes(&format!("{dir}/response.json"), react);
                assert!(n >= 85, "{version}: only {n} vectors encoded");
            }
            Err(e) => assert!(e.message().contains("is not supported"), "{version}: {e}"),
        }
    }
}

/// Encode every rendered value of `file` as `react` writes it; the count.
fn encodes_to_reacts_bytes(file: &str, react: rsc_flight::React) -> usize {
    let vectors = common::load(file);
    let mut failures = Vec::new();
    let mut encoded = 0;
    for v in &vectors {
        let Some(value) = v.get("value") else { continue };
        let name = v["name"].as_str().unwrap();
        let value = tagged_of(value);
        let want = B64.decode(v["rows"].as_str().unwrap()).unwrap();
        // React's renderer: what it cannot send becomes an error row.
        match Encoder::new().react(react).error_rows(true).encode(&value) {
            Ok(got) if got == want => encoded += 1,
            Ok(got) => failures.push(format!("{name}:\n  got  {}\n  want {}", show(&got), show(&want))),
            Err(e) => failures.push(format!("{name}: {e}")),
        }
        // The default encoder refuses it instead, with the first line of
        // the message React gave onError.
        let react_errors: Vec<&str> = v
            .get("serverErrors")
            .map_or(vec![], |e| e.as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect());
        match Encoder::new().react(react).encode(&value) {
            Ok(got) if got == want => {}
            Ok(got) => failures.push(format!("{name}: the refusing encoder wrote {}", show(&got))),
            Err(e) => {
                let first = react_errors.first().map(|m| m.lines().next().unwrap_or(""));
                if first != Some(e.message()) {
                    failures.push(format!("{name}: refused with {:?}, React said {first:?}", e.message()));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{file}: {} failures:\n{}", failures.len(), failures.join("\n"));
    encoded
}
