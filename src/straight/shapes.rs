//! Key lists shared between the objects of a body (see `value/object.rs`):
//! the one-pass builder hands each object it completes to [`Shapes`], which
//! finds a recent object with the same keys in the same order.
//!
//! The first object of a shape keeps its keys as its own; only when a second
//! one comes do the two share a list (the first one's keys move into it).
//! So an object whose keys no other has costs what it always did, and a list
//! of records costs one key list and a vector of values per record.

use std::sync::Arc;

use crate::value::{Item, Node, NodeId, Object, Str, Value};

/// A member being built: its key's place in the text (a key read straight is
/// always a slice of it), and its value.
pub(super) type Member = ((usize, usize), Item);

/// The shapes of the objects completed lately.
#[derive(Default)]
pub(super) struct Shapes {
    /// In place, not on the heap: a small body has one or two objects.
    recent: [Option<Shape>; Self::RECENT],
    /// Where the next new shape goes (the oldest, once all are taken).
    next: usize,
    /// How many of `recent` are taken (so that a body's first objects look
    /// at none).
    taken: usize,
}

enum Shape {
    /// One object has these keys, as its own.
    First(NodeId),
    /// Objects share this list.
    Keys(Arc<[Str]>),
}

impl Shapes {
    /// The last this many shapes are looked at: a list of records, its
    /// records' nested objects (`{"address": {...}}`) and a few more.
    const RECENT: usize = 8;

    /// The object `id` of `members[from..]` (distinct keys, in `text`),
    /// drained from `members`. `id` is in `v`, and no shape looked at here
    /// refers to a node past it.
    pub(super) fn object(
        &mut self,
        v: &mut Value,
        text: &str,
        members: &mut Vec<Member>,
        from: usize,
        id: NodeId,
    ) -> Object {
        let key = |&((a, b), _): &Member| &text[a..b];
        let own =
            |members: &mut Vec<Member>| Object::from_distinct(members.drain(from..).map(|m| (Str::from(key(&m)), m.1)));
        let pairs = &members[from..];
        if pairs.is_empty() || pairs.len() > Object::SMALL {
            return own(members);
        }
        let same = |shape: &Option<Shape>| match shape {
            Some(Shape::Keys(keys)) => keys.len() == pairs.len() && keys.iter().zip(pairs).all(|(k, m)| k == key(m)),
            Some(Shape::First(first)) => {
                matches!(v.node(*first), Node::Object(o) if o.has_keys(pairs.iter().map(key)))
            }
            None => false,
        };
        let Some(at) = self.recent[..self.taken].iter().position(same) else {
            self.recent[self.next] = Some(Shape::First(id));
            self.next = (self.next + 1) % Self::RECENT;
            self.taken = (self.taken + 1).min(Self::RECENT);
            return own(members);
        };
        let keys = match &self.recent[at] {
            Some(Shape::Keys(keys)) => Some(keys.clone()),
            // The second object of a shape: the first one's keys become
            // the list both share.
            Some(Shape::First(first)) => match v.node_mut(*first) {
                Node::Object(o) => o.share_keys(),
                _ => None,
            },
            None => None,
        };
        let Some(keys) = keys else { return own(members) };
        self.recent[at] = Some(Shape::Keys(keys.clone()));
        Object::shared(keys, members.drain(from..).map(|(_, item)| item).collect())
    }
}

#[cfg(test)]
mod tests {
    use crate::limits::Limits;
    use crate::value::{Node, NodeId};

    /// Each body, and whether each of its objects (in arena order: an
    /// object's node is made when it opens) shares its key list. The value
    /// is also the one the decoder builds through the document.
    #[test]
    fn objects_with_the_keys_of_a_recent_one_share_them() {
        let shapes = |n: usize| (0..n).map(|i| format!("{{\"k{i}\":{i}}}")).collect::<Vec<_>>().join(",");
        let wide = (0..=crate::value::Object::SMALL).map(|i| format!("\"w{i}\":0")).collect::<Vec<_>>().join(",");
        let long = "a key longer than what fits inline in a Str";
        let table: Vec<(String, Vec<bool>)> = vec![
            // A list of records: the first one's keys are shared from the second on.
            (r#"[{"a":1,"b":2},{"a":3,"b":4},{"a":5,"b":6}]"#.into(), vec![true; 3]),
            // Records and their nested objects, each shape found again.
            (r#"[{"x":{"c":1},"y":0},{"x":{"c":2},"y":1}]"#.into(), vec![true; 4]),
            // The same keys in another order, one more, one fewer: other shapes.
            (r#"[{"a":1,"b":2},{"b":3,"a":4},{"a":1,"b":2,"c":3},{"a":0}]"#.into(), vec![false; 4]),
            // Seven shapes between two objects of one: found again.
            (format!("[{},{}]", shapes(8), r#"{"k0":9}"#), [vec![true], vec![false; 7], vec![true]].concat()),
            // Eight: forgotten.
            (format!("[{},{}]", shapes(9), r#"{"k0":9}"#), vec![false; 10]),
            // No key, or more than an object keeps in a vector: their own.
            (format!("[{{}},{{}},{{{wide}}},{{{wide}}}]"), vec![false; 4]),
            // Keys that do not fit inline.
            (format!(r#"[{{"{long}":1}},{{"{long}":2}}]"#), vec![true; 2]),
        ];
        let decoder = crate::reply::Decoder::new();
        for (text, want) in table {
            let v = super::super::value::reply(&text, &Limits::default(), decoder.dialect())
                .unwrap_or_else(|| panic!("not built straight: {text}"));
            let shared: Vec<bool> = (0..v.len())
                .filter_map(|i| match v.node(NodeId(i as u32)) {
                    Node::Object(o) => Some(o.is_shared()),
                    _ => None,
                })
                .collect();
            assert_eq!(shared, want, "{text}");
            let through = decoder.decode_str_through_document(&text).unwrap();
            assert_eq!(format!("{v:?}"), format!("{through:?}"), "{text}");
        }
    }
}
