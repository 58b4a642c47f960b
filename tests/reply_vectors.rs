//! The reply golden vectors (tests/vectors/reply.json, generated from React
//! 19.3.1 by conformance/gen-reply-vectors.sh), checked both ways: Rust's
//! encoding of each value is byte-identical to React's body, and Rust's
//! decoding of React's body gives the expected value.

use base64::Engine as _;
use rsc_flight::multipart::{self, normalize_newlines, Field, FieldValue};
use rsc_flight::reply::{Body, Decoder, Encoder};
use rsc_flight::tagged;
use serde_json::Value as J;

mod common;
use common::{block_on, tagged_of, B64};

fn vectors() -> Vec<J> {
    common::load("reply.json")
}

fn fields_of(body: &J) -> Option<Vec<Field>> {
    Some(common::fields(body.get("fields")?))
}

fn decoder(v: &J) -> Decoder {
    Decoder::new().temporary_references(v.get("temporaryReferences").is_some())
}

#[test]
fn there_are_enough_vectors() {
    let v = vectors();
    assert!(v.len() >= 150, "{} vectors", v.len());
}

#[test]
fn encoding_is_byte_identical_to_react() {
    let failures = encode_failures(&vectors(), rsc_flight::React::default());
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// Every value of `vectors` encoded as `react` writes it, against its body.
fn encode_failures(vectors: &[J], react: rsc_flight::React) -> Vec<String> {
    let mut failures = Vec::new();
    for v in vectors {
        let name = v["name"].as_str().unwrap();
        let Some(value) = v.get("value") else { continue };
        let value = tagged_of(value);
        let enc = Encoder::new().react(react);
        let got = if v.get("temporaryReferences").is_some() {
            enc.encode_with_temporary_references(&value).map(|(b, _)| b)
        } else {
            enc.encode(&value)
        };
        if let Some(err) = v.get("encodeError") {
            let want = err.as_str().unwrap().lines().next().unwrap();
            match got {
                Err(e) if e.message().contains(want) => {}
                other => failures.push(format!("{name}: expected error {want:?}, got {other:?}")),
            }
            continue;
        }
        let body = &v["body"];
        let got = match got {
            Ok(b) => b,
            Err(e) => {
                failures.push(format!("{name}: encode failed: {e}"));
                continue;
            }
        };
        match (&got, body.get("text")) {
            (Body::Text(t), Some(want)) => {
                if t != want.as_str().unwrap() {
                    failures.push(format!("{name}: text\n  got  {t}\n  want {want}"));
                }
            }
            (Body::Form(f), None) => {
                let want = fields_of(body).unwrap();
                if *f != want {
                    failures.push(format!("{name}: fields\n  got  {f:?}\n  want {want:?}"));
                    continue;
                }
                let bytes = B64.decode(body["multipart"].as_str().unwrap()).unwrap();
                if got.to_bytes("BOUNDARY") != bytes {
                    failures.push(format!("{name}: multipart bytes differ"));
                }
            }
            _ => failures.push(format!("{name}: got {got:?}, want {body}")),
        }
    }
    failures
}

/// The reply encoder writes each other version's bodies byte for byte,
/// where the list of known differences does not say otherwise (it is
/// empty: every difference spec/versions.md lists is written as that
/// version writes it).
#[test]
fn other_versions_bodies_are_encoded_byte_for_byte() {
    // None left; an entry is (version, case name).
    let known: &[(&str, &str)] = &[];
    let mut failures = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (version, dir) in common::versions() {
        let vectors = common::load(&format!("{dir}/reply.json"));
        for f in encode_failures(&vectors, version.parse().unwrap()) {
            match known.iter().find(|(v, case)| *v == version && f.starts_with(&format!("{case}:"))) {
                Some(k) => {
                    seen.insert(*k);
                }
                None => failures.push(format!("{version}: {f}")),
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    // The list stays true: each known difference is still one.
    for k in known {
        assert!(seen.contains(k), "{k:?} now encodes byte for byte: take it off the list");
    }
}

fn check_decode(name: &str, v: &J, got: rsc_flight::Result<rsc_flight::Value>, via: &str, failures: &mut Vec<String>) {
    if let Some(err) = v.get("error") {
        let want = err.as_str().unwrap();
        match got {
            Err(e) if e.message().contains(want) => {}
            // React waits forever for a part that never comes; a body is
            // all there is, so this decoder says the connection closed.
            Err(e) if want == "decodeReply never resolved" && e.message() == "Connection closed." => {}
            other => failures.push(format!("{name} ({via}): expected error {want:?}, got {other:?}")),
        }
        return;
    }
    let expect = tagged_of(&v["expect"]);
    match got {
        Ok(value) => {
            if let Err(d) = tagged::equivalent(&value, &expect) {
                failures.push(format!(
                    "{name} ({via}): {d}\n  got  {}\n  want {}",
                    tagged::to_string(&value).unwrap_or_default().chars().take(400).collect::<String>(),
                    v["expect"].to_string().chars().take(400).collect::<String>()
                ));
            }
        }
        Err(e) => failures.push(format!("{name} ({via}): decode failed: {e}")),
    }
}

#[test]
fn decoding_gives_the_expected_value() {
    let mut failures = Vec::new();
    for v in vectors() {
        let name = v["name"].as_str().unwrap();
        let Some(body) = v.get("body") else { continue };
        let d = decoder(&v);
        match body.get("text") {
            Some(t) => {
                let t = t.as_str().unwrap();
                check_decode(name, &v, d.decode_str(t), "text", &mut failures);
                let chunks = t.as_bytes().chunks(5).map(|c| Ok::<_, std::io::Error>(c.to_vec())).collect::<Vec<_>>();
                let streamed = block_on(d.decode_body("text/plain;charset=UTF-8", futures_util::stream::iter(chunks)));
                check_decode(name, &v, streamed, "text in 5-byte chunks", &mut failures);
            }
            None => {
                let fields = fields_of(body).unwrap();
                check_decode(name, &v, d.decode_fields(&fields), "fields", &mut failures);
                if let Some(mp) = body.get("multipart") {
                    let bytes = B64.decode(mp.as_str().unwrap()).unwrap();
                    let parsed = multipart::parse(bytes.clone().into(), "BOUNDARY", 100_000, 1 << 30).unwrap();
                    let normalized: Vec<Field> = fields
                        .iter()
                        .map(|f| Field {
                            name: normalize_newlines(&f.name).into_owned(),
                            value: match &f.value {
                                FieldValue::Text(t) => FieldValue::Text(normalize_newlines(t).into_owned()),
                                FieldValue::File { filename, content_type, bytes } => FieldValue::File {
                                    filename: filename.clone(),
                                    content_type: if content_type.is_empty() {
                                        "application/octet-stream".into()
                                    } else {
                                        content_type.clone()
                                    },
                                    bytes: bytes.clone(),
                                },
                            },
                        })
                        .collect();
                    // `expectViaMultipart`: what arrives through the bytes
                    // differs from the fields (a file with an empty name
                    // becomes a text field).
                    let via = v.get("expectViaMultipart");
                    if parsed != normalized && !name.contains("quote in its name") && via.is_none() {
                        failures.push(format!("{name}: multipart parse differs from the fields"));
                    }
                    let ct = "multipart/form-data; boundary=BOUNDARY";
                    // Multipart changes line breaks in values and escapes
                    // quotes in file names; those cases are checked as fields.
                    if !name.contains("line breaks") && !name.contains("quote in its name") {
                        let mut v = v.clone();
                        if let Some(e) = via {
                            v["expect"] = e.clone();
                        }
                        // The same bytes arriving as a request body, a few
                        // bytes at a time, through the streaming parser.
                        let chunks = bytes.chunks(7).map(|c| Ok::<_, std::io::Error>(c.to_vec())).collect::<Vec<_>>();
                        let streamed = block_on(d.decode_body(ct, futures_util::stream::iter(chunks)));
                        check_decode(name, &v, streamed, "multipart in 7-byte chunks", &mut failures);
                        check_decode(name, &v, d.decode_multipart(ct, bytes), "multipart", &mut failures);
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n\n"));
}

/// Where the vectors say React agrees with the expected value, it must
/// (so that every deliberate difference is written down in the vectors).
#[test]
fn react_differs_only_where_the_vectors_say_so() {
    let mut failures = Vec::new();
    for v in vectors() {
        let name = v["name"].as_str().unwrap();
        let (Some(expect), Some(react)) = (v.get("expect"), v.get("react")) else { continue };
        if v.get("reactDiffers").is_some() {
            continue;
        }
        let Some(react_value) = react.get("value") else {
            failures.push(format!("{name}: React failed: {react}"));
            continue;
        };
        if let Err(d) = tagged::equivalent(&tagged_of(react_value), &tagged_of(expect)) {
            failures.push(format!("{name}: React decoded differently: {d}"));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// The reply value cases encoded by other React versions
/// (tests/vectors/versions/<version>/reply.json, from
/// conformance/versions/gen.sh): read with that version set, each body gives
/// the expected value (or that version's error); read as React 19.3.1 (the
/// default), a body its encoder wrote gives the same value or an error,
/// never another value.
#[test]
fn other_versions_replies_decode_with_their_version_and_never_silently_without() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (version, dir) in common::versions() {
        let react: rsc_flight::React = version.parse().unwrap();
        for v in common::load(&format!("{dir}/reply.json")) {
            let Some(body) = v.get("body") else { continue };
            let name = format!("{version}: {}", v["name"].as_str().unwrap());
            let decode = |d: Decoder| match body.get("text") {
                Some(t) => d.decode_str(t.as_str().unwrap()),
                None => d.decode_fields(&fields_of(body).unwrap()),
            };
            check_decode(&name, &v, decode(decoder(&v).react(react)), "fields", &mut failures);
            // Hand-made bodies (no `value`: kept for every version, to show
            // where releases read the same bytes differently) were not
            // written by that version's encoder; the check below is for
            // what its encoder writes.
            if v.get("value").is_none() {
                checked += 1;
                continue;
            }
            if let Ok(value) = decode(decoder(&v)) {
                if tagged::equivalent(&value, &tagged_of(&v["expect"])).is_err() {
                    failures
                        .push(format!("{name}: read as 19.3.1, another value: {}", tagged::to_string(&value).unwrap()));
                }
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n\n"));
    assert!(checked >= 300, "{checked} bodies");
}
