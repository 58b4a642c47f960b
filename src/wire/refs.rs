//! The references an encoder writes when it meets a node again.
//!
//! Both formats dedupe objects: the second time the encoder meets a node it
//! writes a reference to where it wrote it first, either the part or row
//! that holds it (`$1`, `$@3`) or a path below one (`$0:rows:3:address`).
//! Every compound node gets such a reference when it is first written, but
//! most are never met again, so spelling each path out as a string would
//! cost a `format!` and an allocation per node for nothing. A [`Refs`] keeps
//! a path as a link to its holder's reference plus the key, and spells it
//! out only when it is written; the table is indexed by node id, not hashed.

use crate::value::NodeId;

/// A key within its holder: an object's key, or an array index (kept as a
/// number, so that no string is made for it unless a path through it is
/// written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key<'a> {
    Name(&'a str),
    Index(usize),
}

impl Key<'_> {
    /// React writes no path through a key with `:` in it.
    pub(crate) fn has_colon(self) -> bool {
        matches!(self, Key::Name(k) if k.contains(':'))
    }
    /// Length in UTF-16 units (React's `serializedSize` counts keys).
    pub(crate) fn utf16_len(self) -> usize {
        match self {
            Key::Name(k) => crate::js::utf16_len(k),
            Key::Index(i) => i.checked_ilog10().map_or(1, |d| d as usize + 1),
        }
    }
}

impl Key<'_> {
    /// Append the key's text (what `Display` writes, without its machinery).
    pub(crate) fn push_to(self, out: &mut String) {
        match self {
            Key::Name(k) => out.push_str(k),
            Key::Index(i) => out.push_str(itoa::Buffer::new().format(i)),
        }
    }
}

/// What an encoder finds when it meets a node (React's dedupe).
pub(crate) enum Seen {
    /// Not written before.
    New,
    /// Written before: its reference has been written to the output, and
    /// there is nothing more to do.
    Written,
    /// Written before as the model being rendered now (a task's root, or a
    /// promise's outlined value): React writes it in full this once, under
    /// this reference.
    ModelRoot(RefId),
}

/// One reference: a part's or row's own text, or a path below another
/// reference.
enum Ref<'a> {
    Text(String),
    Path(RefId, Key<'a>),
}

/// A reference in a [`Refs`] table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RefId(u32);

/// The references made so far, and which node has which.
pub(crate) struct Refs<'a> {
    refs: Vec<Ref<'a>>,
    /// Per node index: its reference, or `u32::MAX`.
    written: Vec<u32>,
    /// Where [`Refs::meet`] spells a reference out: kept, so that writing
    /// one (8 000 in `deep-shared`) allocates nothing once it has grown.
    text: String,
    keys: Vec<Key<'a>>,
}

impl<'a> Refs<'a> {
    /// A table for a value of `nodes` nodes.
    pub(crate) fn new(nodes: usize) -> Self {
        Refs { refs: Vec::new(), written: vec![u32::MAX; nodes], text: String::new(), keys: Vec::new() }
    }
    fn push(&mut self, r: Ref<'a>) -> RefId {
        self.refs.push(r);
        RefId((self.refs.len() - 1) as u32)
    }
    /// A reference with its own text (`$1`, `$h2`).
    pub(crate) fn text(&mut self, text: String) -> RefId {
        self.push(Ref::Text(text))
    }
    /// The path `holder:key`.
    pub(crate) fn path(&mut self, holder: RefId, key: Key<'a>) -> RefId {
        self.push(Ref::Path(holder, key))
    }
    /// The reference of `node`, if it has one.
    pub(crate) fn of(&self, node: NodeId) -> Option<RefId> {
        self.written.get(node.index()).copied().filter(|&r| r != u32::MAX).map(RefId)
    }
    /// Give `node` the reference `r`.
    pub(crate) fn set(&mut self, node: NodeId, r: RefId) {
        if let Some(w) = self.written.get_mut(node.index()) {
            *w = r.0;
        }
    }
    /// Meeting `node`: write its reference when it has one, unless it is
    /// `model_root`, which is taken (cleared) instead.
    pub(crate) fn meet(&mut self, node: NodeId, model_root: &mut Option<NodeId>, out: &mut String) -> Seen {
        match self.of(node) {
            None => Seen::New,
            Some(r) if *model_root == Some(node) => {
                *model_root = None;
                Seen::ModelRoot(r)
            }
            Some(r) => {
                self.write(r, out);
                Seen::Written
            }
        }
    }
    /// Write `r` to `out` as a JSON string, spelled out in buffers the table
    /// keeps.
    pub(crate) fn write(&mut self, r: RefId, out: &mut String) {
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        Self::spell(&self.refs, r, &mut self.keys, &mut text);
        super::json::write_str(out, &text);
        self.text = text;
    }
    /// The text of `r` when it is a part's or row's own (not a path).
    pub(crate) fn own_text(&self, r: RefId) -> Option<&str> {
        match &self.refs[r.0 as usize] {
            Ref::Text(t) => Some(t),
            Ref::Path(..) => None,
        }
    }
    /// The text of the path `holder:key`, without adding it to the table.
    pub(crate) fn render_key(&self, holder: RefId, key: Key<'_>) -> String {
        let mut s = self.render(holder);
        s.push(':');
        key.push_to(&mut s);
        s
    }
    /// The text of `r`.
    pub(crate) fn render(&self, r: RefId) -> String {
        let mut s = String::new();
        Self::spell(&self.refs, r, &mut Vec::new(), &mut s);
        s
    }

    /// Append the text of `r` to `out`, collecting its keys in `keys`.
    fn spell<'k>(refs: &[Ref<'k>], mut r: RefId, keys: &mut Vec<Key<'k>>, out: &mut String) {
        keys.clear();
        loop {
            match &refs[r.0 as usize] {
                Ref::Path(holder, key) => {
                    keys.push(*key);
                    r = *holder;
                }
                Ref::Text(t) => {
                    out.push_str(t);
                    for k in keys.iter().rev() {
                        out.push(':');
                        k.push_to(out);
                    }
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_spelled_out_from_their_holders() {
        let mut refs = Refs::new(3);
        let root = refs.text("$1".into());
        let a = refs.path(root, Key::Name("rows"));
        let b = refs.path(a, Key::Index(12));
        refs.set(NodeId(2), b);
        assert_eq!(refs.of(NodeId(2)).map(|r| refs.render(r)).as_deref(), Some("$1:rows:12"));
        assert_eq!(refs.of(NodeId(1)), None);
        assert_eq!((Key::Index(0).utf16_len(), Key::Index(10).utf16_len(), Key::Name("é").utf16_len()), (1, 2, 1));
    }
}
