//! A [`Value`] straight from the text, with no parsed document in between:
//! the decoders' first try for a text reply body, a one-row response, and
//! each model row of a response (`row`, into the arena the rows share),
//! and each JSON part of a multipart reply (`part`, counted against
//! React's array budget as the reply decoder counts).
//! Nodes are added in the order the decoders add them (a container before
//! what it holds), so the `Value` is the same, arena order included.

use super::shapes::{Member, Shapes};
use super::{another, one_row, plain_key, Cx, Format, Keys, Look, Tok};
use crate::error::Result;
use crate::limits::Limits;
use crate::value::{Item, Node, NodeId, Object, Str, Value};
use crate::version::Dialect;

/// A text reply body's value, or `None` where the decoder must decide.
pub(crate) fn reply(text: &str, limits: &Limits, dialect: Dialect) -> Option<Value> {
    read(text, Format::Reply, limits, dialect)
}

/// A one-row response's value, or `None` where the decoder must decide.
pub(crate) fn response(body: &[u8], limits: &Limits, dialect: Dialect) -> Option<Value> {
    read(one_row(body, limits)?, Format::Response, limits, dialect)
}

/// A response model row's value, built into `out` (the arena every row of
/// the response shares), or `None`, with `out` as it was, where the
/// reviver must decide. `limits` are what the response has left; `look`
/// is [`Look::Always`], or [`Look::Done`] where the live decoder looked.
pub(crate) fn row(text: &str, out: &mut Value, limits: &Limits, dialect: Dialect, look: Look) -> Option<Item> {
    build(text, Format::Response, limits, dialect, look, out, NoBudget, None)
}

/// React's array budget as the reply decoder keeps it, by context
/// (`reply/decode/run`): what a part built straight must leave there, so
/// that a reference to the part later counts what React counts.
pub(crate) trait ArrayBudget {
    /// Whether anything is counted (the builder's budget branches compile
    /// away for [`NoBudget`]).
    const COUNTS: bool = true;
    /// A context of its own for `array`, an array that is not another
    /// array's element.
    fn open(&mut self, array: NodeId) -> usize;
    /// `n` more counted in context `ctx`, which forks if `fork`.
    fn count(&mut self, ctx: usize, n: u64, fork: bool);
}

/// No budget: text replies (whose one part the reader's own over-count
/// bounds) and responses.
struct NoBudget;

impl ArrayBudget for NoBudget {
    const COUNTS: bool = false;
    fn open(&mut self, _: NodeId) -> usize {
        0
    }
    fn count(&mut self, _: usize, _: u64, _: bool) {}
}

/// A JSON part of a multipart reply, built into `out` (the arena the parts
/// share) and counted in `budget` (`ctx` is the part's own context), or
/// `None`, with `out` as it was, where the decoder must decide; the
/// caller takes back what `budget` was given then, and checks the counts
/// against `array_size_limit` (this build never decides that error).
pub(crate) fn part<B: ArrayBudget>(
    text: &str,
    out: &mut Value,
    limits: &Limits,
    dialect: Dialect,
    budget: B,
    ctx: usize,
) -> Option<Item> {
    build(text, Format::Reply, limits, dialect, Look::Always, out, budget, Some(ctx))
}

fn read(text: &str, format: Format, limits: &Limits, dialect: Dialect) -> Option<Value> {
    let mut v = Value::new();
    let root = build(text, format, limits, dialect, Look::Large, &mut v, NoBudget, None)?;
    v.set_root(root);
    Some(v)
}

/// `text`'s value, its nodes added to `v`; on giving up, the nodes added so
/// far are taken out again, so that the reviver's nodes get the ids they
/// would have had.
/// `ctx` is the array budget context of the root (a reply part's own).
#[allow(clippy::too_many_arguments)]
fn build<B: ArrayBudget>(
    text: &str,
    format: Format,
    limits: &Limits,
    dialect: Dialect,
    look: Look,
    v: &mut Value,
    budget: B,
    ctx: Option<usize>,
) -> Option<Item> {
    let mut cx = Cx::new(text, format, limits, dialect, look)?;
    let before = v.len();
    let (items, members) = STACKS.with(|s| s.take());
    let mut b = Builder { v, items, members, budget, shapes: Shapes::default() };
    let root = b.build(&mut cx, ctx);
    let Builder { v, mut items, mut members, .. } = b;
    // The stacks go back for the next decode on this thread (emptied, and
    // only while small: a large body's room is not kept).
    if items.capacity() <= KEEP && members.capacity() <= KEEP {
        items.clear();
        members.clear();
        STACKS.with(|s| s.set((items, members)));
    }
    match root {
        Ok(root) if cx.finished() => Some(root),
        _ => {
            v.truncate(before);
            None
        }
    }
}

/// The most elements or members of open containers whose room a thread
/// keeps between decodes.
const KEEP: usize = 256;

/// The builder's two stacks: elements, and members.
type Stacks = (Vec<Item>, Vec<Member>);

thread_local! {
    /// The builder's stacks, kept between decodes so that a small body
    /// costs no allocation for them.
    static STACKS: std::cell::Cell<Stacks> = const { std::cell::Cell::new((Vec::new(), Vec::new())) };
}

/// The value being built, and the elements and members of the containers
/// still open, on two stacks they all share: each container is made at its
/// exact size when it closes, and the stacks' room serves the next ones.
struct Builder<'v, B> {
    v: &'v mut Value,
    /// A reply part's array budget, or [`NoBudget`].
    budget: B,
    items: Vec<Item>,
    members: Vec<Member>,
    /// Objects with the keys of a recent one share its key list.
    shapes: Shapes,
}

impl<B: ArrayBudget> Builder<'_, B> {
    /// One value, its containers' nodes first. `ctx` is the array budget
    /// context it counts in: a reply part's, where the value is the part's
    /// root or an array's element (React counts neither objects' members
    /// nor anything without a budget).
    fn build(&mut self, cx: &mut Cx<'_>, ctx: Option<usize>) -> Result<Item> {
        Ok(match cx.tok()? {
            // React counts a BigInt's digits as they were written, which
            // the token no longer has: left to the decoder.
            Tok::Scalar(Item::BigInt(_)) if B::COUNTS && ctx.is_some() => return Err(super::give_up()),
            Tok::Scalar(item) => item,
            Tok::Str(s) => {
                if let (true, Some(c)) = (B::COUNTS, ctx) {
                    self.budget.count(c, crate::js::utf16_len(&s) as u64, false);
                }
                Item::String(Str::from(&*s))
            }
            Tok::Array => {
                cx.budget += 1;
                let id = self.v.add(Node::Array(Vec::new()));
                // An element of an array counts in its array's context; any
                // other array opens one of its own.
                let mine = match B::COUNTS {
                    true => Some(ctx.unwrap_or_else(|| self.budget.open(id))),
                    false => None,
                };
                let from = self.items.len();
                let (mut first, mut done) = (true, false);
                while another(&mut cx.p, &mut first, &mut done, b']')? {
                    cx.budget += 1;
                    let item = self.child(cx, mine)?;
                    self.items.push(item);
                }
                let len = self.items.len() - from;
                if let (true, Some(c)) = (B::COUNTS, mine) {
                    // What React counts when it opens the array: its slots
                    // and itself; more than one element forks the context.
                    self.budget.count(c, len as u64 + 1, len > 1);
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
                    let item = self.child(cx, None)?;
                    let at = k.as_ptr() as usize - cx.p.text().as_ptr() as usize;
                    self.members.push(((at, at + k.len()), item));
                }
                let object = self.shapes.object(self.v, cx.p.text(), &mut self.members, from, id);
                if let Node::Object(o) = self.v.node_mut(id) {
                    *o = object;
                }
                Item::Node(id)
            }
        })
    }

    /// An element or member, one level down.
    fn child(&mut self, cx: &mut Cx<'_>, ctx: Option<usize>) -> Result<Item> {
        cx.enter()?;
        cx.p.ws();
        // Only a container recurses: a scalar skips the stack check.
        let item = match cx.p.peek() {
            Some(b'[' | b'{') => crate::stack::deep(|| self.build(cx, ctx))?,
            _ => self.build(cx, ctx)?,
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
            let through = d.decode_through_documents(row.as_bytes().to_vec()).map(|r| r.value);
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

    /// Responses of several rows whose model rows are random texts, some
    /// reached by reference (`$1`, a path into it, a Map's, a Set's and a
    /// promise's rows): decoded whole with each row read in one pass where
    /// it can be, and incrementally in small chunks, they give what
    /// parsing every row into a document gives, value or error. Returns
    /// how many decoded.
    fn check_rows(texts: &[String]) -> bool {
        let body = format!(
            "0:[\"$1\",\"{}\",\"$Q2\",\"$W3\",\"$@4\",{}]\n1:{}\n2:{}\n3:{}\n4:{}\n",
            // A path into row 1 where it has an element 0.
            if texts[1].starts_with("[") && !texts[1].starts_with("[]") { "$1:0" } else { "$1" },
            texts[0],
            texts[1],
            texts[2],
            texts[3],
            texts[4]
        );
        let d = crate::response::Decoder::new();
        let printed = |r: &Result<crate::response::Response>| match r {
            Ok(r) => format!("{:?}", r.value),
            Err(e) => format!("error: {e}"),
        };
        let documents = d.decode_through_documents(body.as_bytes().to_vec());
        let whole = d.decode_through_rows(body.as_bytes().to_vec());
        // In the notation: the incremental decoder makes a promise's node
        // when its row is seen, so its arena order is its own.
        let notation = |r: &Result<crate::response::Response>| match r {
            Ok(r) => crate::tagged::to_string(&r.value).unwrap_or_else(|e| format!("unprintable: {e}")),
            Err(e) => format!("error: {e}"),
        };
        let chunks = |mut inc: crate::response::Incremental| {
            body.as_bytes().chunks(7).try_for_each(|c| inc.push(c)).and_then(|()| inc.finish())
        };
        let chunked = chunks(d.incremental());
        assert_eq!(printed(&chunked), printed(&chunks(d.incremental().through_documents())), "in chunks: {body}");
        // Where both decode, the incremental decoder's value is the whole
        // body's (which error comes first may differ: it meets rows in
        // another order).
        if documents.is_ok() && chunked.is_ok() {
            assert_eq!(notation(&chunked), notation(&documents), "in chunks and whole: {body}");
        }
        let ok = documents.is_ok();
        assert_eq!(printed(&whole), printed(&documents), "whole: {body}");
        ok
    }

    /// `total` sets of five random texts for a body's rows or parts: the
    /// third and fourth mostly a Map's entries and a Set's values, as
    /// React writes them.
    fn bodies(total: usize) -> impl Iterator<Item = (usize, Vec<String>)> {
        let mut runner = TestRunner::deterministic();
        let strategy = crate::straight::typed::tests::text();
        (0..total).map(move |i| {
            let mut texts: Vec<String> =
                (0..5).map(|_| strategy.new_tree(&mut runner).expect("a text").current()).collect();
            if i % 4 != 0 {
                texts[2] = format!("[[{},{}]]", texts[1], texts[3]);
                texts[3] = format!("[{}]", texts[3]);
            }
            (i, texts)
        })
    }

    #[test]
    fn random_rows_read_in_one_pass_are_the_decoders() {
        let (mut decoded, total) = (0, 1500);
        for (_, texts) in bodies(total) {
            decoded += usize::from(check_rows(&texts));
        }
        assert!(decoded * 4 > total, "only {decoded} of {total} responses decoded");
    }

    /// Near every limit, rows read in one pass fail exactly where the
    /// documents' way fails: each row gets what the response has left.
    #[test]
    fn rows_read_in_one_pass_keep_the_limits() {
        let body = b"0:[\"$1\",\"$2\",{\"k\":[1,[2]]}]\n1:[[1,2],{\"a\":[3]}]\n2:{\"b\":[[[4]]],\"c\":\"$1:1\"}\n";
        let printed = |r: Result<crate::response::Response>| match r {
            Ok(r) => format!("{:?}", r.value),
            Err(e) => format!("error: {e}"),
        };
        let (mut passed, mut refused) = (0, 0);
        for values in 1..40 {
            for depth in 1..12 {
                let d = crate::response::Decoder::new().limits(Limits::default().max_values(values).max_depth(depth));
                let through = printed(d.decode_through_documents(body.to_vec()));
                assert_eq!(
                    printed(d.decode_through_rows(body.to_vec())),
                    through,
                    "max_values {values}, max_depth {depth}"
                );
                if through.starts_with("error") {
                    refused += 1
                } else {
                    passed += 1
                }
            }
        }
        assert!(passed > 0 && refused > 0, "{passed} decoded, {refused} refused");
    }

    /// A reply of five JSON parts, part 0 referring to the others (a
    /// Map's and a Set's entries, a model part twice, once from an array,
    /// a path into part 1): decoded with each part read in one pass where
    /// it can be, and with every part parsed into a document, it gives the
    /// same value (arena order included) or the same error.
    fn check_parts(texts: &[String], limits: &Limits) -> bool {
        use crate::multipart::Field;
        let fields = [
            Field::text(
                "0",
                format!(
                    "[\"$1\",[\"$1\",\"{}\"],\"$Q2\",\"$W3\",{{\"p\":\"$4\"}},{}]",
                    if texts[1].starts_with('[') && !texts[1].starts_with("[]") { "$1:0" } else { "$1" },
                    texts[0]
                ),
            ),
            Field::text("1", &*texts[1]),
            Field::text("2", &*texts[2]),
            Field::text("3", &*texts[3]),
            Field::text("4", &*texts[4]),
        ];
        let d = crate::reply::Decoder::new().limits(limits.clone());
        let printed = |r: Result<Value>| match r {
            Ok(v) => format!("{v:?}"),
            Err(e) => format!("error: {e}"),
        };
        let documents = printed(d.decode_fields_through_documents(&fields));
        assert_eq!(printed(d.decode_fields(&fields)), documents, "{fields:?}");
        !documents.starts_with("error")
    }

    #[test]
    fn random_parts_read_in_one_pass_are_the_decoders() {
        let (mut decoded, total) = (0, 1500);
        for (i, texts) in bodies(total) {
            // React's array budget at its default, and tight.
            let tight = Limits::default().array_size_limit((i % 40) as u64);
            decoded += usize::from(check_parts(&texts, &Limits::default()));
            check_parts(&texts, &tight);
        }
        assert!(decoded * 4 > total, "only {decoded} of {total} replies decoded");
    }

    /// Near React's array budget and every other limit, parts read in one
    /// pass fail exactly where the documents' way fails.
    #[test]
    fn parts_read_in_one_pass_keep_the_limits() {
        use crate::multipart::Field;
        let bodies = [
            vec![
                Field::text("0", r#"["$1",["$1","$2:a"],"$2",{"k":"$1"}]"#),
                Field::text("1", r#"[["ab","cde",[1,2]],"fgh",[]]"#),
                Field::text("2", r#"{"a":["x","yz",["w"]],"b":[1,2,3]}"#),
            ],
            // Part 0's context forks only through the part it refers to.
            vec![Field::text("0", r#"[["$1"]]"#), Field::text("1", r#"["abc","def"]"#)],
        ];
        let printed = |r: Result<Value>| match r {
            Ok(v) => format!("{v:?}"),
            Err(e) => format!("error: {e}"),
        };
        for fields in &bodies {
            let (mut passed, mut refused) = (0, 0);
            for budget in 0..60 {
                for (values, depth) in [(1000, 100), (12, 100), (20, 100), (1000, 4), (1000, 6)] {
                    let limits = Limits::default().array_size_limit(budget).max_values(values).max_depth(depth);
                    let d = crate::reply::Decoder::new().limits(limits);
                    let through = printed(d.decode_fields_through_documents(fields));
                    let fast = printed(d.decode_fields(fields));
                    assert_eq!(fast, through, "{fields:?}: budget {budget}, {values} values, depth {depth}");
                    if through.starts_with("error") {
                        refused += 1
                    } else {
                        passed += 1
                    }
                }
            }
            assert!(passed > 0 && refused > 0, "{fields:?}: {passed} decoded, {refused} refused");
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
