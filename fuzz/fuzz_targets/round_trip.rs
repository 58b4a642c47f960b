//! Round trips of generated values: a value built from the fuzzer's bytes
//! (primitives, strings, arrays, objects, Maps, Sets, Dates, BigInts, typed
//! arrays, shared references and cycles) is encoded in each format and
//! decoded to an equivalent value; encoding the decoded value again gives
//! identical bytes.
#![no_main]
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;
use rsc_flight::value::{BigInt, Date, Item, Node, NodeId, Object, TypedArrayKind, Value};
use rsc_flight::{reply, response, tagged};

/// Build a value: items refer to earlier containers (sharing) or to a
/// container still being built (a cycle).
fn item(u: &mut Unstructured<'_>, v: &mut Value, open: &mut Vec<NodeId>, depth: u32) -> Result<Item> {
    let pick = if depth > 6 { u.int_in_range(0..=6)? } else { u.int_in_range(0..=13)? };
    Ok(match pick {
        0 => Item::Null,
        1 => Item::Undefined,
        2 => Item::Bool(u.arbitrary()?),
        3 => Item::Number(u.arbitrary()?),
        4 => Item::String(u.arbitrary::<String>()?.into()),
        5 => Item::Date(Date::from_millis(u.int_in_range(-8_640_000_000_000_000..=8_640_000_000_000_000)?)),
        6 => Item::BigInt(BigInt::from(u.arbitrary::<i64>()?)),
        7 if !open.is_empty() => Item::Node(*u.choose(open)?),
        8 => {
            let kinds = [TypedArrayKind::Uint8, TypedArrayKind::Float64, TypedArrayKind::Int32];
            let kind = *u.choose(&kinds)?;
            let n = u.int_in_range(0..=4)? * kind.element_size();
            Item::Node(v.add(Node::TypedArray(kind, u.bytes(n)?.to_vec().into())))
        }
        9 | 10 => {
            let n = v.add(Node::Array(Vec::new()));
            open.push(n);
            let mut items = Vec::new();
            for _ in 0..u.int_in_range(0..=3)? {
                items.push(item(u, v, open, depth + 1)?);
            }
            *v.node_mut(n) = Node::Array(items);
            Item::Node(n)
        }
        11 => {
            let n = v.add(Node::Object(Object::new()));
            open.push(n);
            let mut o = Object::new();
            for _ in 0..u.int_in_range(0..=3)? {
                let k: String = u.arbitrary()?;
                let val = item(u, v, open, depth + 1)?;
                o.insert(k, val);
            }
            *v.node_mut(n) = Node::Object(o);
            Item::Node(n)
        }
        12 => {
            let mut pairs = Vec::new();
            for _ in 0..u.int_in_range(0..=2)? {
                pairs.push((item(u, v, open, depth + 1)?, item(u, v, open, depth + 1)?));
            }
            Item::Node(v.add(Node::Map(rsc_flight::value::map_entries(pairs))))
        }
        _ => {
            let mut items = Vec::new();
            for _ in 0..u.int_in_range(0..=2)? {
                items.push(item(u, v, open, depth + 1)?);
            }
            Item::Node(v.add(Node::Set(rsc_flight::value::set_values(items))))
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let mut v = Value::new();
    let Ok(root) = item(&mut u, &mut v, &mut Vec::new(), 0) else { return };
    v.set_root(root);
    if !common::carried_exactly(&v) {
        return;
    }

    // Reply: encode, decode, equal; encode again, same body.
    if let Ok(body) = reply::to_body(&v) {
        let back = match &body {
            reply::Body::Text(t) => reply::from_str(t),
            reply::Body::Form(f) => reply::from_fields(f),
        }
        .expect("our own reply decodes");
        tagged::equivalent(&v, &back).expect("reply round trip");
        assert_eq!(reply::to_body(&back).expect("re-encodes"), body, "reply re-encoding differs");
    }
    // Response: the same.
    if let Ok(bytes) = response::to_vec(&v) {
        let back = response::from_slice(&bytes).expect("our own response decodes");
        tagged::equivalent(&v, &back).expect("response round trip");
        assert_eq!(response::to_vec(&back).expect("re-encodes"), bytes, "response re-encoding differs");
    }
});
