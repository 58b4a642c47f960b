//! The form-post vectors (tests/vectors/action.json, generated from React
//! 19.3.1 by conformance/gen-action-vectors.cjs): `decode_action` gives the
//! server reference and the arguments React's `decodeAction` calls it with,
//! and `decode_form_state` what React's `decodeFormState` gives.

use rsc_flight::reply::Decoder;
use rsc_flight::tagged;
use rsc_flight::value::{Item, Node, ServerReference, Value};
use serde_json::{json, Value as J};

mod common;

/// The action as React describes it: the server reference bound to the
/// arguments it is called with.
fn as_reference(id: &str, args: Value) -> Value {
    let mut v = args;
    let items = match v.resolve(v.root()) {
        Some(Node::Array(a)) => a.clone(),
        _ => unreachable!("arguments are an array"),
    };
    let r = v.add(Node::ServerReference(ServerReference { id: id.into(), bound: Some(items) }));
    v.set_root(Item::Node(r));
    v
}

#[test]
fn decode_action_and_form_state_agree_with_react() {
    let vectors = common::load("action.json");
    assert!(vectors.len() >= 15, "{} vectors", vectors.len());
    let mut failures = Vec::new();
    for v in &vectors {
        let name = v["name"].as_str().unwrap();
        let fields = common::fields(&v["fields"]);
        let d = Decoder::new();
        match (d.decode_action(&fields), &v["action"]) {
            (Ok(None), J::Null) => {}
            (Err(_), want) if want.get("error").is_some() => {}
            (Ok(Some(a)), want) if want.get("$type").is_some() => {
                let got = as_reference(&a.id, a.arguments());
                if let Err(e) = tagged::equivalent(&got, &common::tagged_of(want)) {
                    failures.push(format!("{name}: action differs: {e}\n  got {}", tagged::to_string(&got).unwrap()));
                }
            }
            (got, want) => failures.push(format!("{name}: decode_action gave {got:?}, React {want}")),
        }
        let got = match d.decode_form_state(&fields) {
            Ok(None) => J::Null,
            Ok(Some(s)) => json!([s.key_path, s.reference_id, s.bound_len as i64 - 1]),
            Err(_) => json!({"error": true}),
        };
        let want = match &v["formState"] {
            w if w.get("error").is_some() => json!({"error": true}),
            w => w.clone(),
        };
        if got != want {
            failures.push(format!("{name}: decode_form_state gave {got}, React {want}"));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
