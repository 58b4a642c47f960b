//! What the round-trip checks may expect.

use rsc_flight::value::{Item, Node, Value};

/// Whether the formats can carry `v` back exactly. Two things React's
/// encoders themselves do not keep, which the round-trip checks skip:
/// - an invalid Date below a row's root is written as `null`
///   (`JSON.stringify` calls `toJSON`);
/// - an object first met under a key containing `:` gets no path
///   reference, so a second occurrence is written again, as a copy;
/// - an own `__proto__` key is dropped by `JSON.parse` and React.
pub fn carried_exactly(v: &Value) -> bool {
    let invalid_date = |i: &Item| matches!(i, Item::Date(d) if !d.is_valid());
    let lossy = invalid_date(v.root())
        || v.nodes().iter().any(|n| match n {
            Node::Object(o) => o.iter().any(|(k, i)| k.contains(':') || &**k == "__proto__" || invalid_date(i)),
            Node::Array(a) | Node::Set(a) | Node::Iterator(a) => a.iter().any(invalid_date),
            Node::Map(p) => p.iter().any(|(k, i)| invalid_date(k) || invalid_date(i)),
            _ => false,
        });
    !lossy
}
