//! A [`Value`] straight from the text, with no parsed document in between:
//! the decoders' first try for a text reply body and a one-row response.
//! Nodes are added in the order the decoders add them (a container before
//! what it holds), so the `Value` is the same, arena order included.

use super::{another, one_row, plain_key, Cx, Format, Keys, Tok};
use crate::error::Result;
use crate::limits::Limits;
use crate::value::{Item, Node, Object, Str, Value};
use crate::version::Dialect;

/// A text reply body's value, or `None` where the decoder must decide.
pub(crate) fn reply(text: &str, limits: &Limits, dialect: Dialect) -> Option<Value> {
    read(text, Format::Reply, limits, dialect)
}

/// A one-row response's value, or `None` where the decoder must decide.
pub(crate) fn response(body: &[u8], limits: &Limits, dialect: Dialect) -> Option<Value> {
    read(one_row(body, limits)?, Format::Response, limits, dialect)
}

fn read(text: &str, format: Format, limits: &Limits, dialect: Dialect) -> Option<Value> {
    let mut cx = Cx::new(text, format, limits, dialect)?;
    let (items, members) = STACKS.with(|s| s.take());
    let mut b = Builder { v: Value::new(), items, members };
    let root = b.build(&mut cx);
    let Builder { mut v, mut items, mut members } = b;
    // The stacks go back for the next decode on this thread (emptied, and
    // only while small: a large body's room is not kept).
    if items.capacity() <= KEEP && members.capacity() <= KEEP {
        items.clear();
        members.clear();
        STACKS.with(|s| s.set((items, members)));
    }
    let root = root.ok()?;
    if !cx.finished() {
        return None;
    }
    v.set_root(root);
    Some(v)
}

/// The most elements or members of open containers whose room a thread
/// keeps between decodes.
const KEEP: usize = 256;

/// The builder's two stacks: elements, and members.
type Stacks = (Vec<Item>, Vec<(Str, Item)>);

thread_local! {
    /// The builder's stacks, kept between decodes so that a small body
    /// costs no allocation for them.
    static STACKS: std::cell::Cell<Stacks> = const { std::cell::Cell::new((Vec::new(), Vec::new())) };
}

/// The value being built, and the elements and members of the containers
/// still open, on two stacks they all share: each container is made at its
/// exact size when it closes, and the stacks' room serves the next ones.
struct Builder {
    v: Value,
    items: Vec<Item>,
    members: Vec<(Str, Item)>,
}

impl Builder {
    /// One value, its containers' nodes first.
    fn build(&mut self, cx: &mut Cx<'_>) -> Result<Item> {
        Ok(match cx.tok()? {
            Tok::Scalar(item) => item,
            Tok::Str(s) => Item::String(Str::from(&*s)),
            Tok::Array => {
                cx.budget += 1;
                let id = self.v.add(Node::Array(Vec::new()));
                let from = self.items.len();
                let (mut first, mut done) = (true, false);
                while another(&mut cx.p, &mut first, &mut done, b']')? {
                    cx.budget += 1;
                    let item = self.child(cx)?;
                    self.items.push(item);
                }
                if let Node::Array(a) = self.v.node_mut(id) {
                    *a = self.items.drain(from..).collect();
                }
                Item::Node(id)
            }
            Tok::Object => {
                let id = self.v.add(Node::Object(Object::new()));
                let from = self.members.len();
                let mut keys = Keys::new();
                let (mut first, mut done) = (true, false);
                while another(&mut cx.p, &mut first, &mut done, b'}')? {
                    let k = plain_key(cx)?;
                    keys.distinct(k)?;
                    let item = self.child(cx)?;
                    self.members.push((k.into(), item));
                }
                if let Node::Object(o) = self.v.node_mut(id) {
                    *o = Object::from_distinct(self.members.drain(from..));
                }
                Item::Node(id)
            }
        })
    }

    /// An element or member, one level down.
    fn child(&mut self, cx: &mut Cx<'_>) -> Result<Item> {
        cx.enter()?;
        cx.p.ws();
        // Only a container recurses: a scalar skips the stack check.
        let item = match cx.p.peek() {
            Some(b'[' | b'{') => crate::stack::deep(|| self.build(cx))?,
            _ => self.build(cx)?,
        };
        cx.leave();
        Ok(item)
    }
}

#[cfg(test)]
mod tests {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;

    use super::*;

    /// Each text through both ways, as a reply and as a one-row response:
    /// where the straight build succeeds, the value (arena order included)
    /// is the decoders'. Returns how many of the two were built straight.
    fn check(text: &str, limits: &Limits) -> usize {
        checked(text, limits).unwrap_or_else(|| panic!("built straight, refused through the document: {text}"))
    }

    fn checked(text: &str, limits: &Limits) -> Option<usize> {
        let r = crate::reply::Decoder::new().limits(limits.clone());
        let mut built = 0;
        if let Some(v) = reply(text, limits, r.dialect()) {
            built += 1;
            let through = r.decode_str_through_document(text);
            // Compared as printed: NaN is not equal to itself, -0 is to 0.
            assert_eq!(format!("{v:?}"), format!("{:?}", through.ok()?), "the reply {text}");
        }
        let row = format!("0:{text}\n");
        let d = crate::response::Decoder::new().limits(limits.clone());
        if let Some(v) = response(row.as_bytes(), limits, d.dialect()) {
            built += 1;
            let through = d.decode_through_rows(row.as_bytes().to_vec()).map(|r| r.value);
            assert_eq!(format!("{v:?}"), format!("{:?}", through.ok()?), "the response {row:?}");
        }
        Some(built)
    }

    #[test]
    fn values_built_straight_are_the_decoders() {
        let limits = Limits::default();
        for text in [
            r#"[1,"a",null,true,{"b":[-0,1e300,"$$x"],"c":{}},[]]"#,
            r#""$undefined""#,
            r#"{"d":"$D2026-01-01T00:00:00.000Z","n":"$n-12","u":"$undefined","x":"$NaN","i":"$-Infinity"}"#,
            r#"[[[[["deep"]]]],{"k":[{"k":[{}]}]}]"#,
            r#""\u00e9\n\"""#,
        ] {
            assert_eq!(check(text, &limits), 2, "{text} was not built straight both ways");
        }
        for text in [r#"{"1":1}"#, r#"{"a":1,"a":2}"#, r#"["$1"]"#, r#""$@0""#, "[1,]", r#"{"__proto__":1}"#] {
            assert_eq!(check(text, &limits), 0, "{text} was built straight");
        }
    }

    #[test]
    fn random_texts_built_straight_are_the_decoders() {
        let mut runner = TestRunner::deterministic();
        let strategy = crate::straight::typed::tests::text();
        let (mut built, total) = (0, 3000);
        for _ in 0..total {
            let text = strategy.new_tree(&mut runner).expect("a text").current();
            built += check(&text, &Limits::default());
        }
        assert!(built * 4 > total * 2, "only {built} of {} built straight", total * 2);
    }
}
