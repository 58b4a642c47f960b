//! Reviving rows into the arena, as React's client revives them: row by row
//! on demand, every `$` string through [`super::tag`], references resolved
//! at once when their target is there and **parked** when it is not yet.
//!
//! # Waiting references
//!
//! React's client revives a row at once and leaves a *blocked* placeholder
//! for a reference whose target is not complete; the placeholder is filled
//! when the target is. The same happens here, in the arena:
//!
//! - A built-in made from another row (`$Q $W $K $B $i`), a server
//!   reference (`$h`) and a promise (`$@`) get their node **before** the row
//!   they are made from is read, and the node is put in its place first. So
//!   a Map that contains itself, or a Set whose entries point back through
//!   the object holding it (`"$0:a"` while `a` is that Set), resolve to that
//!   node, as the value React's server was given.
//! - A reference (`$<id>`, a path, `$L<id>`) whose walk reaches a member
//!   that is not there yet (the row holding it is still being revived: a
//!   promise's row or an outlined element written later that refers back
//!   into a later part of the row that refers to it) leaves `undefined` in
//!   its slot and is parked. Slots waiting are marked, so that a path
//!   through one waits too, and a built-in or a server reference whose
//!   array still has a waiting slot is filled only once it is complete.
//! - Parked references are retried at [`Run::settle`], after each top-level
//!   revival, until a round makes no progress: then a reference that still
//!   waits can never resolve, and that is an error ("Invalid reference.", or
//!   "refers to itself" for a row whose whole value is a reference to
//!   itself). Every retry is charged to `max_values`, so a hostile stream of
//!   references that wait cannot make the decoder spin or grow unbounded.

use std::collections::{HashMap, HashSet, VecDeque};

use bytes::{Bytes, BytesMut};

use super::frame::Row;
use super::table::{utf8, Data, StreamRows, Table};
use super::tag::{self, row, Builtin, Tag, CONNECTION_CLOSED};
use crate::error::{Error, Result};
use crate::js::array_index;
use crate::limits::Limits;
use crate::straight::Look;
use crate::value::{
    map_entries, set_values, Blob, BundlerId, ClientReference, Date, Item, Node, NodeId, Object, Promise,
    ServerReference, Str, Stream, StreamEnd, StreamKind, Symbol, Value,
};
use crate::version::{Dialect, React};
use crate::wire::ids::IdMap;
use crate::wire::json::{self, Doc, Raw};

/// React's production text for every error that crosses the wire.
pub const PRODUCTION_ERROR: &str = "An error occurred in the Server Components render. The specific message is omitted in production builds to avoid leaking sensitive details. A digest property is included on this error instance which may provide additional details about the nature of the error.";
const INVALID_REFERENCE: &str = "Invalid reference.";

// ---------------------------------------------------------------------------
// Outcomes

/// Why a row has no value: React rejects the chunk.
#[derive(Clone)]
pub(super) struct Rejection {
    message: Str,
    digest: Option<Str>,
    /// For "Connection closed.": the row that never came.
    missing: Option<u32>,
}

impl Rejection {
    /// The response ended without row `missing` (or a stream's end).
    pub(super) fn closed(missing: Option<u32>) -> Self {
        Rejection { message: CONNECTION_CLOSED.into(), digest: None, missing }
    }

    fn production(digest: Option<Str>) -> Self {
        Rejection { message: PRODUCTION_ERROR.into(), digest, missing: None }
    }

    /// An `E` row's payload: React's production error with its `digest`.
    fn from_error_row((doc, json): &Parsed) -> Self {
        // The last `digest` member, as `JSON.parse` keeps the last of duplicates.
        let members = match *json {
            Raw::Object(s, e) => &doc.members[s as usize..e as usize],
            _ => &[],
        };
        let digest = match members.iter().rev().find(|(k, _)| &**k == "digest") {
            Some((_, Raw::String(s))) => Some(s.clone()),
            _ => None,
        };
        Rejection::production(digest)
    }

    pub(super) fn into_error(self) -> Error {
        if &*self.message == CONNECTION_CLOSED {
            let e = Error::eof(CONNECTION_CLOSED);
            return match self.missing {
                Some(id) => e.in_part(|| format!("row {id:x}, which never came")),
                None => e,
            };
        }
        Error::reference(match &self.digest {
            Some(d) => format!("{} (digest {d:?})", self.message),
            None => self.message.to_string(),
        })
    }
}

/// A row's (or a revived value's) outcome.
pub(super) enum Got {
    Value(Item),
    Rejected(Rejection),
    /// The row's whole value is a reference that waits (see the module
    /// docs); it has a value once [`Run::settle`] resolves it.
    Waiting,
}

/// Whether a container was filled, or why not.
type Filled = std::result::Result<(), Rejection>;

enum RowState {
    /// Being revived; its root node once it has one.
    InProgress(Option<NodeId>),
    /// Revived; its whole value is a parked reference.
    Waiting,
    Done(Item),
    Rejected(Rejection),
}

/// Where a value goes.
#[derive(Debug, Clone)]
enum Slot {
    /// Element `i` of an array node.
    Index(NodeId, usize),
    /// Member `key` of an object node.
    Key(NodeId, Str),
    /// An element's type.
    ElementType(NodeId),
    /// An element's props.
    ElementProps(NodeId),
    /// The whole value of a row.
    Row(u32),
    /// Handed to the caller: the value is needed at once, it cannot wait.
    Now,
}

impl Slot {
    /// The holder node and the path segment that names this slot.
    fn segment(&self) -> Option<(NodeId, Str)> {
        match self {
            Slot::Index(n, i) => Some((*n, i.to_string().into())),
            Slot::Key(n, k) => Some((*n, k.clone())),
            Slot::ElementType(n) => Some((*n, "type".into())),
            Slot::ElementProps(n) => Some((*n, "props".into())),
            Slot::Row(_) | Slot::Now => None,
        }
    }
}

/// What a resolved reference makes of its target.
#[derive(Debug, Clone, Copy)]
enum Want {
    /// `$<id>[:path]`: the value itself, into the slot.
    Model,
    /// `$L<id>`: the value, or a rejected promise when the row failed.
    Lazy,
    /// `$@<id>`: settles this promise node.
    Promise(NodeId),
    /// `$Q $W $K $B $i`: fills this node from the target array.
    Builtin(Builtin, NodeId),
    /// `$h<id>`: fills this server reference node from its metadata.
    Server(NodeId),
}

/// A reference to resolve: row `row`, then `path`, made into `want`, put in
/// `slot`.
#[derive(Debug, Clone)]
struct Fixup {
    slot: Slot,
    row: u32,
    path: Option<Str>,
    want: Want,
}

/// The outcome of one try at a reference.
enum Attempt {
    /// The value for the slot (`Want::Model`, `Want::Lazy`), or the node
    /// that was filled (the others).
    Done(Item),
    Rejected(Rejection),
    Blocked(Block),
}

/// What a reference waits for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Block {
    /// A slot that a parked reference fills (`""` names a promise's value).
    Slot(NodeId, Str),
    /// A row whose whole value is a parked reference, or that is being
    /// revived and has no node yet.
    Row(u32),
    /// A member that is not there: it may still come while its holder is
    /// being revived, never once nothing is.
    Missing,
}

/// A parsed row: its document and root.
pub(super) type Parsed = (Doc, Raw);

// ---------------------------------------------------------------------------
// The reviving state

/// The reviving state. A whole-body decode makes one, adds every row and
/// asks for row 0; the incremental decoder (`live.rs`) keeps one
/// across chunks, in *live* mode.
pub(super) struct Run {
    pub(super) limits: Limits,
    pub(super) table: Table,
    pub(super) out: Value,
    state: IdMap<RowState>,
    promises: IdMap<NodeId>,
    server_refs: IdMap<NodeId>,
    depth: usize,
    pub(super) work: usize,
    /// The placeholder a `$` string just made, to fill once it is in place.
    todo: Option<Fixup>,
    /// References that wait.
    parked: Vec<Fixup>,
    /// Slots that wait for a parked reference, as (holder, segment).
    pending: HashSet<(NodeId, Str)>,
    /// Live mode: a `$@` whose row is not yet complete is a pending promise
    /// (listed in `watch`), and a stream row is an open stream whose entries
    /// the driver feeds as they arrive (listed in `opened`).
    pub(super) live: bool,
    /// The dialect's server references are `$F<hex>` (React before its
    /// December 2025 security releases).
    pub(super) dialect: Dialect,
    /// Live mode: rows whose transitive synchronous references have all
    /// arrived (see `live::Job`).
    pub(super) complete: HashSet<u32>,
    /// Live mode: rows already parsed while their references were scanned.
    pub(super) parsed: HashMap<u32, Parsed>,
    /// Live mode: rows that scan found to refer to no row, and did not
    /// parse (their one-pass read need not look again).
    pub(super) looked: HashSet<u32>,
    pub(super) watch: Vec<(u32, NodeId)>,
    pub(super) opened: Vec<(u32, NodeId)>,
    /// Whole-body mode: streams whose entries are read once the row that
    /// met them is done.
    deferred: VecDeque<(u32, NodeId, StreamRows)>,
    /// Model rows are read in one pass where they can be (`Run::straight`);
    /// off only to test that way against the documents'.
    pub(super) one_pass: bool,
}

impl Run {
    pub(super) fn new(limits: Limits, live: bool, react: React) -> Self {
        Run {
            limits,
            table: Table::default(),
            out: Value::new(),
            state: IdMap::new(),
            promises: IdMap::new(),
            server_refs: IdMap::new(),
            depth: 0,
            work: 0,
            todo: None,
            parked: Vec::new(),
            pending: HashSet::new(),
            live,
            dialect: react.dialect(),
            complete: HashSet::new(),
            parsed: HashMap::new(),
            looked: HashSet::new(),
            watch: Vec::new(),
            opened: Vec::new(),
            deferred: VecDeque::new(),
            one_pass: true,
        }
    }

    /// Has row `id` arrived (or been revived already)?
    pub(super) fn present(&self, id: u32) -> bool {
        self.table.rows.contains(id) || self.state.contains(id)
    }

    /// Was row `id` revived and taken out of the table (the incremental
    /// decoder's case: a new row with this id is a second definition)?
    pub(super) fn revived(&self, id: u32) -> bool {
        self.state.contains(id) && !self.table.rows.contains(id)
    }

    /// Count one unit of work against `max_values`.
    pub(super) fn charge(&mut self) -> Result<()> {
        self.work += 1;
        if self.work > self.limits.get_max_values() {
            return Err(Error::limit("max_values", "more values than the limit"));
        }
        Ok(())
    }

    fn add(&mut self, node: Node) -> Result<NodeId> {
        self.charge()?;
        Ok(self.out.add(node))
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > self.limits.get_max_depth() {
            return Err(Error::limit("max_depth", "a value nested too deeply"));
        }
        Ok(())
    }

    fn charge_string(&mut self, n: usize) -> Result<()> {
        if n > self.limits.get_max_string_bytes() {
            return Err(Error::limit("max_string_bytes", "a string longer than the limit"));
        }
        Ok(())
    }

    // -- rows ----------------------------------------------------------------

    /// The value of row `id`, revived on first use.
    pub(super) fn row(&mut self, id: u32) -> Result<Got> {
        match self.state.get(id) {
            Some(RowState::Done(item)) => return Ok(Got::Value(item.clone())),
            Some(RowState::Rejected(r)) => return Ok(Got::Rejected(r.clone())),
            Some(RowState::InProgress(Some(n))) => return Ok(Got::Value(Item::Node(*n))),
            Some(RowState::InProgress(None) | RowState::Waiting) => return Ok(Got::Waiting),
            None => {}
        }
        self.enter()?;
        self.state.insert(id, RowState::InProgress(None));
        let got = crate::stack::deep(|| self.row_inner(id)).map_err(|e| e.in_part(|| format!("row {id:x}")))?;
        self.depth -= 1;
        self.state.insert(
            id,
            match &got {
                Got::Value(item) => RowState::Done(item.clone()),
                Got::Rejected(r) => RowState::Rejected(r.clone()),
                Got::Waiting => RowState::Waiting,
            },
        );
        Ok(got)
    }

    fn row_inner(&mut self, id: u32) -> Result<Got> {
        if self.live {
            if let Some(Data::Stream(s)) = self.table.rows.get(id) {
                // The driver reads its entries as they arrive; the rows
                // stay in the table so that later entries find the stream.
                let node = self.add(if s.bytes {
                    Node::ByteStream(Bytes::new())
                } else {
                    Node::Stream(Stream {
                        kind: s.kind.unwrap_or(StreamKind::Readable),
                        values: Vec::new(),
                        end: StreamEnd::Open,
                    })
                })?;
                self.opened.push((id, node));
                return Ok(Got::Value(Item::Node(node)));
            }
        }
        let Some(data) = self.table.rows.remove(id) else {
            return Ok(Got::Rejected(Rejection::closed(Some(id))));
        };
        match data {
            Data::Model(text, at) => {
                // Only the live decoder parses rows ahead (no hashing else).
                let ahead = if self.parsed.is_empty() { None } else { self.parsed.remove(&id) };
                let (mut doc, json) = match ahead {
                    Some(parsed) => parsed,
                    None => {
                        let s = utf8_row(&text, id, at)?;
                        let look =
                            if !self.looked.is_empty() && self.looked.remove(&id) { Look::Done } else { Look::Always };
                        match self.straight(s, look) {
                            Some(item) => return Ok(Got::Value(item)),
                            None => self.parse_str(s, at)?,
                        }
                    }
                };
                self.root(&mut doc, json, Some(id))
            }
            Data::Text(bytes) => match std::str::from_utf8(&bytes) {
                Ok(s) => {
                    let s = self.text_row(s);
                    self.charge_string(s.len())?;
                    Ok(Got::Value(Item::String(s.into())))
                }
                Err(_) => Err(Error::syntax(format!("text row {id:x} is not valid UTF-8"))),
            },
            Data::Binary(tag, bytes) => Ok(Got::Value(Item::Node(self.add(tag::binary_node(tag, bytes))?))),
            Data::Error(text, at) => Ok(Got::Rejected(Rejection::from_error_row(&self.parse(&text, id, at)?))),
            Data::Import(text, at) => {
                let (mut doc, json) = self.parse(&text, id, at)?;
                self.import(&mut doc, json)
            }
            Data::Stream(s) => self.stream(id, s),
        }
    }

    /// A model row read in one pass (`straight/`): its value built into
    /// `out` with no parsed document, where the row refers to no other row
    /// and holds nothing JavaScript's object model would change; `None`
    /// leaves it to [`Run::parse`] and [`Run::root`]. The row gets what the
    /// response has left of `max_values` and `max_depth`, and is charged
    /// what `add` would have charged for its nodes.
    fn straight(&mut self, text: &str, look: Look) -> Option<Item> {
        if !self.one_pass {
            return None;
        }
        let left = self.limits.left(self.work, self.depth);
        let before = self.out.len();
        let item = crate::straight::value::row(text, &mut self.out, &left, self.dialect, look)?;
        self.work += self.out.len() - before;
        Some(item)
    }

    pub(super) fn parse(&self, text: &[u8], id: u32, at: usize) -> Result<Parsed> {
        self.parse_str(utf8_row(text, id, at)?, at)
    }

    /// A row's text (at byte `at` of the body) into a document.
    fn parse_str(&self, s: &str, at: usize) -> Result<Parsed> {
        json::parse_doc(s, self.limits.get_max_depth(), self.limits.get_max_string_bytes())
            .map_err(|e| e.shift_offset(at))
    }

    // -- values --------------------------------------------------------------

    /// A row's (or a stream entry's) JSON root; `row` registers the root
    /// node so that the row can contain itself. Strings are moved out of
    /// `doc` as they are revived (each parsed row is revived once).
    fn root(&mut self, doc: &mut Doc, json: Raw, row: Option<u32>) -> Result<Got> {
        if !is_container(&json) {
            let slot = row.map_or(Slot::Now, Slot::Row);
            let got = self.scalar(json, &slot)?;
            if let (Some(id), Got::Value(Item::Node(n))) = (row, &got) {
                if self.todo.is_some() {
                    // A placeholder (`$Q1` as a whole row): the row is that
                    // node while the node is filled.
                    self.state.insert(id, RowState::InProgress(Some(*n)));
                }
            }
            return Ok(match self.after_place()? {
                Ok(()) => got,
                Err(r) => Got::Rejected(r),
            });
        }
        let node = self.alloc(doc, &json)?;
        if let Some(id) = row {
            self.state.insert(id, RowState::InProgress(Some(node)));
        }
        Ok(match self.fill(node, doc, json)? {
            Ok(()) => Got::Value(Item::Node(node)),
            Err(r) => Got::Rejected(r),
        })
    }

    /// The node a container JSON value becomes, before its children.
    fn alloc(&mut self, doc: &Doc, json: &Raw) -> Result<NodeId> {
        let node = match *json {
            Raw::Array(s, e) if is_element(doc, s, e) => {
                Node::Element { ty: Item::Undefined, key: None, props: Item::Undefined }
            }
            Raw::Array(s, e) => Node::Array(Vec::with_capacity(((e - s) as usize).min(1024))),
            Raw::Object(s, e) => Node::Object(Object::with_capacity(((e - s) as usize).min(1024))),
            _ => unreachable!("scalars are not allocated"),
        };
        self.add(node)
    }

    /// A JSON scalar. `Got::Waiting` only for `Slot::Row`.
    fn scalar(&mut self, json: Raw, slot: &Slot) -> Result<Got> {
        Ok(Got::Value(match json {
            Raw::Null => Item::Null,
            Raw::Bool(b) => Item::Bool(b),
            Raw::Number(n) => Item::Number(n),
            Raw::String(s) => return self.string(s, slot),
            Raw::Array(..) | Raw::Object(..) => unreachable!("containers are allocated"),
        }))
    }

    /// Fill `node` (allocated by `alloc`) with `json`'s children. Each
    /// container child is put in place before it is filled, so a path
    /// through it already resolves while it is being filled.
    fn fill(&mut self, node: NodeId, doc: &mut Doc, json: Raw) -> Result<Filled> {
        self.enter()?;
        let r = crate::stack::deep(|| self.fill_inner(node, doc, json));
        self.depth -= 1;
        r
    }

    fn fill_inner(&mut self, node: NodeId, doc: &mut Doc, json: Raw) -> Result<Filled> {
        match json {
            Raw::Array(start, end) if is_element(doc, start, end) => {
                let at = start as usize;
                // Type, key, props in order, each put in place as it is
                // revived, so that a path through this element into its
                // props resolves from inside them (`"$0:props:a"`).
                let ty = std::mem::take(&mut doc.items[at + 1]);
                if let Err(r) = self.put(Slot::ElementType(node), doc, ty)? {
                    return Ok(Err(r));
                }
                let key = std::mem::take(&mut doc.items[at + 2]);
                let key = match key {
                    Raw::Null => None,
                    Raw::String(s) if !tag::is_tagged(s.as_str()) => Some(s),
                    Raw::String(s) => {
                        let got = self.string(s, &Slot::Now)?;
                        if let Err(r) = self.after_place()? {
                            return Ok(Err(r));
                        }
                        match got {
                            Got::Value(Item::Null) => None,
                            Got::Value(Item::String(s)) => Some(s),
                            Got::Rejected(r) => return Ok(Err(r)),
                            _ => return Err(Error::syntax("an element key that is not a string or null")),
                        }
                    }
                    _ => return Err(Error::syntax("an element key that is not a string or null")),
                };
                if let Node::Element { key: k, .. } = self.out.node_mut(node) {
                    *k = key;
                }
                let props = std::mem::take(&mut doc.items[at + 3]);
                if let Err(r) = self.put(Slot::ElementProps(node), doc, props)? {
                    return Ok(Err(r));
                }
            }
            Raw::Array(start, end) => {
                for at in start as usize..end as usize {
                    let j = std::mem::take(&mut doc.items[at]);
                    let i = match self.out.node(node) {
                        Node::Array(a) => a.len(),
                        _ => 0,
                    };
                    if let Err(r) = self.put(Slot::Index(node, i), doc, j)? {
                        return Ok(Err(r));
                    }
                }
            }
            Raw::Object(start, end) => {
                let members = start as usize..end as usize;
                let order = json::revived_order(&doc.members[members.clone()]);
                for n in 0..order.as_ref().map_or(members.len(), Vec::len) {
                    let at = members.start + order.as_ref().map_or(n, |o| o[n]);
                    let (k, j) = std::mem::take(&mut doc.members[at]);
                    if let Err(r) = self.put(Slot::Key(node, k), doc, j)? {
                        return Ok(Err(r));
                    }
                }
            }
            _ => {}
        }
        Ok(Ok(()))
    }

    /// Revive `json` into `slot` of its holder: a container is put in place
    /// before it is filled, a placeholder before what fills it is read.
    fn put(&mut self, slot: Slot, doc: &mut Doc, json: Raw) -> Result<Filled> {
        if is_container(&json) {
            let n = self.alloc(doc, &json)?;
            self.place(&slot, Item::Node(n));
            return self.fill(n, doc, json);
        }
        match self.scalar(json, &slot)? {
            Got::Value(item) => self.place(&slot, item),
            Got::Rejected(r) => return Ok(Err(r)),
            Got::Waiting => unreachable!("only a row's root waits"),
        }
        self.after_place()
    }

    /// Put a value in its slot for the first time.
    fn place(&mut self, slot: &Slot, item: Item) {
        match slot {
            Slot::Index(p, _) => {
                if let Node::Array(a) = self.out.node_mut(*p) {
                    a.push(item);
                }
            }
            Slot::Key(p, k) => {
                let item = self.guard_then(k, item);
                // `revived_order` leaves each key once.
                if let Node::Object(o) = self.out.node_mut(*p) {
                    o.push_distinct(k.clone(), item);
                }
            }
            Slot::ElementType(e) | Slot::ElementProps(e) => self.set_element(slot, *e, item),
            Slot::Row(_) | Slot::Now => {}
        }
    }

    /// A server reference under `then` would make the object a thenable
    /// when handed to JavaScript: React gives null.
    fn guard_then(&self, key: &str, item: Item) -> Item {
        match &item {
            Item::Node(n) if key == "then" && matches!(self.out.node(*n), Node::ServerReference(_)) => Item::Null,
            _ => item,
        }
    }

    fn set_element(&mut self, slot: &Slot, e: NodeId, item: Item) {
        if let Node::Element { ty, props, .. } = self.out.node_mut(e) {
            match slot {
                Slot::ElementType(_) => *ty = item,
                _ => *props = item,
            }
        }
    }

    /// Fill the placeholder the last `$` string made, now that it is in
    /// place; a built-in or a server reference whose row failed fails the
    /// value holding it.
    fn after_place(&mut self) -> Result<Filled> {
        let Some(f) = self.todo.take() else { return Ok(Ok(())) };
        match self.attempt(f.row, f.path.as_deref(), f.want)? {
            Attempt::Done(_) => Ok(Ok(())),
            Attempt::Rejected(r) => Ok(Err(r)),
            Attempt::Blocked(_) => {
                self.parked.push(f);
                Ok(Ok(()))
            }
        }
    }

    // -- `$` strings ---------------------------------------------------------

    /// Every string of the response direction, bound for `slot`.
    fn string(&mut self, owned: Str, slot: &Slot) -> Result<Got> {
        if !tag::is_tagged(owned.as_str()) {
            self.charge_string(owned.len())?;
            return Ok(Got::Value(Item::String(owned)));
        }
        Ok(Got::Value(match tag::classify(&owned, self.dialect)? {
            Tag::Element => return Err(Error::syntax("\"$\" outside the first slot of an element")),
            Tag::Escaped(s) => Item::String(s.into()),
            Tag::Lazy(id) => return self.reference(slot, id, None, Want::Lazy),
            Tag::Model(id, _)
                if tag::looks_like_old_server_reference(owned.as_str()) && !self.present(id) && !self.live =>
            {
                return Err(old_server_reference(&owned))
            }
            Tag::Model(id, path) => return self.reference(slot, id, path, Want::Model),
            Tag::Promise(id) => Item::Node(self.promise(id)?),
            Tag::ServerReference(id) => match self.server_refs.get(id) {
                Some(&n) => Item::Node(n),
                None => {
                    let n = self.add(Node::ServerReference(ServerReference { id: "".into(), bound: None }))?;
                    self.server_refs.insert(id, n);
                    self.later(id, Want::Server(n));
                    Item::Node(n)
                }
            },
            Tag::Outlined(kind, id) => {
                let n = self.add(match kind {
                    Builtin::Map => Node::Map(Vec::new()),
                    Builtin::Set => Node::Set(Vec::new()),
                    Builtin::FormData => Node::FormData(Vec::new()),
                    Builtin::Iterator => Node::Iterator(Vec::new()),
                    Builtin::Blob => Node::Blob(Blob { name: None, mime: "".into(), bytes: Bytes::new() }),
                })?;
                self.later(id, Want::Builtin(kind, n));
                Item::Node(n)
            }
            Tag::Symbol(name) => Symbol::Registered(name.into()).into(),
            Tag::Temporary(id) => Item::Node(self.add(Node::TemporaryReference(id.into()))?),
            Tag::Error => Item::Node(self.add(Node::Error { message: PRODUCTION_ERROR.into(), digest: None })?),
            // React writes an invalid Date that is a whole row as "$Dnull".
            Tag::Date("null") => Item::Date(Date::INVALID),
            Tag::Date(text) => Item::Date(crate::value::convert::date(text)?),
            Tag::BigInt(digits) => {
                Item::BigInt(crate::value::convert::bigint(digits, self.limits.get_max_bigint_chars())?.0)
            }
            Tag::Undefined => Item::Undefined,
            Tag::Number(n) => Item::Number(n),
        }))
    }

    /// A placeholder node, to be filled from row `id` once it is in place.
    fn later(&mut self, id: u32, want: Want) {
        debug_assert!(self.todo.is_none(), "one placeholder per string");
        self.todo = Some(Fixup { slot: Slot::Now, row: id, path: None, want });
    }

    /// `$<id>[:path]` and `$L<id>` bound for `slot`: the value now, or
    /// `undefined` in a slot that waits.
    fn reference(&mut self, slot: &Slot, id: u32, path: Option<&str>, want: Want) -> Result<Got> {
        // Most references resolve at once: a fixup (a copy of the slot and
        // the path) is made only for one that waits.
        Ok(match self.attempt(id, path, want)? {
            Attempt::Done(item) => Got::Value(item),
            Attempt::Rejected(r) => Got::Rejected(r),
            Attempt::Blocked(_) => match slot {
                Slot::Now => return Err(self.stuck(id)),
                Slot::Row(_) => {
                    self.parked.push(Fixup { slot: slot.clone(), row: id, path: path.map(Str::from), want });
                    Got::Waiting
                }
                _ => {
                    if let Some(seg) = slot.segment() {
                        self.pending.insert(seg);
                    }
                    self.parked.push(Fixup { slot: slot.clone(), row: id, path: path.map(Str::from), want });
                    Got::Value(Item::Undefined)
                }
            },
        })
    }

    /// `$@<id>`: one promise node per row, as React hands out the chunk
    /// itself, fulfilled with the row's value or rejected with its error.
    fn promise(&mut self, id: u32) -> Result<NodeId> {
        if let Some(&n) = self.promises.get(id) {
            return Ok(n);
        }
        // The node is registered before the row is revived: a `$@` to the
        // same row inside it is this promise (React hands out the chunk
        // itself), not a second one.
        let n = self.add(Node::Promise(Promise::Pending))?;
        self.promises.insert(id, n);
        if self.live && !self.complete.contains(&id) && !self.state.contains(id) {
            // Its rows are still on their way: pending until they are in.
            self.watch.push((id, n));
        } else {
            self.later(id, Want::Promise(n));
        }
        Ok(n)
    }

    /// The `Error` a rejection stands for.
    pub(super) fn error_node(&mut self, r: Rejection) -> Result<Item> {
        Ok(Item::Node(self.add(Node::Error { message: r.message, digest: r.digest })?))
    }

    fn rejected_promise(&mut self, r: Rejection) -> Result<Item> {
        let e = self.error_node(r)?;
        Ok(Item::Node(self.add(Node::Promise(Promise::Rejected(e)))?))
    }

    // -- resolving references --------------------------------------------------

    /// One try at a reference: row `row`, revived if need be, walked along
    /// `path`, made into what `want` asks for.
    fn attempt(&mut self, row: u32, path: Option<&str>, want: Want) -> Result<Attempt> {
        let target = match self.row(row)? {
            Got::Value(item) => item,
            Got::Waiting => return Ok(Attempt::Blocked(Block::Row(row))),
            Got::Rejected(r) => {
                return Ok(match want {
                    Want::Lazy => Attempt::Done(self.rejected_promise(r)?),
                    Want::Promise(n) => {
                        let e = self.error_node(r)?;
                        *self.out.node_mut(n) = Node::Promise(Promise::Rejected(e));
                        Attempt::Done(Item::Node(n))
                    }
                    _ => Attempt::Rejected(r),
                })
            }
        };
        let target = match self.walk(target, path)? {
            Ok(t) => t,
            Err(b) => return Ok(Attempt::Blocked(b)),
        };
        match want {
            Want::Model | Want::Lazy => Ok(Attempt::Done(target)),
            Want::Promise(n) => {
                *self.out.node_mut(n) = Node::Promise(Promise::Fulfilled(target));
                Ok(Attempt::Done(Item::Node(n)))
            }
            Want::Builtin(kind, n) => self.builtin(row, kind, n, &target),
            Want::Server(n) => self.server_reference(n, &target),
        }
    }

    /// Walk `path` from `cur` (own keys of objects and arrays, and the
    /// slots of elements); what it waits for when a step is not there yet.
    fn walk(&mut self, mut cur: Item, path: Option<&str>) -> Result<std::result::Result<Item, Block>> {
        let Some(path) = path else { return Ok(Ok(cur)) };
        for seg in path.split(':') {
            self.charge()?;
            let Item::Node(n) = cur else { return Err(Error::reference(INVALID_REFERENCE)) };
            if !self.pending.is_empty() {
                let key = (n, Str::from(seg));
                if self.pending.contains(&key) {
                    return Ok(Err(Block::Slot(key.0, key.1)));
                }
            }
            let next = match self.out.node(n) {
                Node::Object(o) => o.get(seg).cloned(),
                Node::Array(a) if seg == "length" => Some(Item::Number(a.len() as f64)),
                Node::Array(a) => array_index(seg).and_then(|i| a.get(i as usize).cloned()),
                Node::Element { ty, key, props } => match seg {
                    "type" => Some(ty.clone()),
                    "key" => Some(key.clone().map_or(Item::Null, Item::String)),
                    "props" => Some(props.clone()),
                    "_owner" => Some(Item::Null),
                    _ => None,
                },
                _ => return Err(Error::reference(INVALID_REFERENCE)),
            };
            // A member not there yet may still come (its holder is being
            // revived): wait; `settle` tells a member that never comes.
            let Some(next) = next else { return Ok(Err(Block::Missing)) };
            cur = next;
        }
        Ok(Ok(cur))
    }

    /// The slot that an initializer reading `items` (and, for pairs, each
    /// entry's `0` and `1`) would read while it still waits.
    fn waits(&self, holder: NodeId, items: &[Item], pairs: bool) -> Option<Block> {
        if self.pending.is_empty() {
            return None;
        }
        let waiting = |n: NodeId, seg: Str| self.pending.contains(&(n, seg.clone())).then_some(Block::Slot(n, seg));
        items.iter().enumerate().find_map(|(i, e)| {
            waiting(holder, i.to_string().into()).or_else(|| match e {
                Item::Node(n) if pairs => waiting(*n, "0".into()).or_else(|| waiting(*n, "1".into())),
                _ => None,
            })
        })
    }

    /// `$Q $W $K $B $i`: fill node `n` from row `id`'s array.
    fn builtin(&mut self, id: u32, kind: Builtin, n: NodeId, target: &Item) -> Result<Attempt> {
        let not_array = || Error::reference(format!("row {id:x} is not an array ({} initializer)", kind.name()));
        let (holder, items) = match target {
            Item::Node(a) => match self.out.node(*a) {
                Node::Array(items) => (*a, items.clone()),
                _ => return Err(not_array()),
            },
            _ => return Err(not_array()),
        };
        if let Some(b) = self.waits(holder, &items, matches!(kind, Builtin::Map | Builtin::FormData)) {
            return Ok(Attempt::Blocked(b));
        }
        let pair = |run: &Run, e: &Item| -> Result<(Item, Item)> {
            match e {
                Item::Node(p) => match run.out.node(*p) {
                    Node::Array(kv) => {
                        Ok((kv.first().cloned().unwrap_or_default(), kv.get(1).cloned().unwrap_or_default()))
                    }
                    _ => Err(Error::reference("an entry that is not a [key, value] pair")),
                },
                _ => Err(Error::reference("an entry that is not a [key, value] pair")),
            }
        };
        let node = match kind {
            Builtin::Map => Node::Map(map_entries(items.iter().map(|e| pair(self, e)).collect::<Result<_>>()?)),
            Builtin::Set => Node::Set(set_values(items)),
            Builtin::Iterator => Node::Iterator(items),
            Builtin::FormData => {
                let mut entries = Vec::with_capacity(items.len());
                for e in &items {
                    let (k, v) = pair(self, e)?;
                    let Item::String(k) = k else {
                        return Err(Error::reference("a FormData name that is not a string"));
                    };
                    match &v {
                        Item::String(_) => {}
                        Item::Node(b) if matches!(self.out.node(*b), Node::Blob(_)) => {}
                        _ => return Err(Error::reference("a FormData value that is not a string or a Blob")),
                    }
                    entries.push((k, v));
                }
                Node::FormData(entries)
            }
            Builtin::Blob => {
                // [type, chunk, ...], each chunk a binary row.
                let mut it = items.into_iter();
                let Some(Item::String(mime)) = it.next() else {
                    return Err(Error::reference("a Blob row without a type"));
                };
                let mut bytes = BytesMut::new();
                for c in it {
                    match &c {
                        Item::Node(b) => match self.out.node(*b) {
                            Node::TypedArray(_, b) | Node::ArrayBuffer(b) => bytes.extend_from_slice(b),
                            _ => return Err(Error::reference("a Blob chunk that is not binary")),
                        },
                        _ => return Err(Error::reference("a Blob chunk that is not binary")),
                    }
                }
                Node::Blob(Blob { name: None, mime, bytes: bytes.freeze() })
            }
        };
        self.charge()?;
        *self.out.node_mut(n) = node;
        Ok(Attempt::Done(Item::Node(n)))
    }

    /// `$h<id>`: fill node `n` from row `id`, `{"id": ..., "bound": null |
    /// "$@<args>"}`; it waits for the promise of its bound arguments.
    fn server_reference(&mut self, n: NodeId, meta: &Item) -> Result<Attempt> {
        let bad = || {
            Error::reference(
                "Invalid server reference: expected {\"id\": string, \"bound\": null or a promise of an array}.",
            )
        };
        let Some(Node::Object(o)) = self.out.resolve(meta) else { return Err(bad()) };
        let Some(Item::String(sid)) = o.get("id").cloned() else { return Err(bad()) };
        let bound = match o.get("bound").cloned() {
            None | Some(Item::Null | Item::Undefined) => None,
            Some(Item::Node(p)) => match self.out.node(p) {
                Node::Promise(Promise::Fulfilled(Item::Node(a))) => match self.out.node(*a) {
                    Node::Array(args) => match self.waits(*a, args, false) {
                        Some(b) => return Ok(Attempt::Blocked(b)),
                        None => Some(args.clone()),
                    },
                    _ => return Err(bad()),
                },
                Node::Promise(Promise::Pending) => return Ok(Attempt::Blocked(Block::Slot(p, Str::default()))),
                Node::Promise(Promise::Rejected(_)) => return Ok(Attempt::Rejected(Rejection::production(None))),
                _ => return Err(bad()),
            },
            Some(_) => return Err(bad()),
        };
        *self.out.node_mut(n) = Node::ServerReference(ServerReference { id: sid, bound });
        Ok(Attempt::Done(Item::Node(n)))
    }

    /// Put a parked reference's value in the slot that waited for it.
    fn fill_slot(&mut self, slot: &Slot, item: Item) {
        if let Some(seg) = slot.segment() {
            self.pending.remove(&seg);
        }
        match slot {
            Slot::Index(p, i) => {
                if let Node::Array(a) = self.out.node_mut(*p) {
                    if let Some(s) = a.get_mut(*i) {
                        *s = item;
                    }
                }
            }
            Slot::Key(p, k) => {
                let item = self.guard_then(k, item);
                if let Node::Object(o) = self.out.node_mut(*p) {
                    o.insert(k.clone(), item);
                }
            }
            Slot::ElementType(e) | Slot::ElementProps(e) => self.set_element(slot, *e, item),
            Slot::Row(id) => {
                self.state.insert(*id, RowState::Done(item));
            }
            Slot::Now => {}
        }
    }

    /// Resolve the parked references. Each is tried once, then again only
    /// when what it waits for is filled (a slot, a row, a promise), so the
    /// work is linear in the references however they chain. Called when no
    /// row is being revived (after the root, a promise's row, a stream
    /// entry): what still waits then never resolves, and that is an error.
    ///
    /// # Errors
    /// A reference that can never resolve, a reference whose row failed
    /// after the value holding it was complete (React rejects that value
    /// then; this decoder cannot take back a value it has handed out), and
    /// the errors of reviving the rows they reach.
    pub(super) fn settle(&mut self) -> Result<()> {
        let mut ready: VecDeque<Fixup> = std::mem::take(&mut self.parked).into();
        let mut waiting: HashMap<Block, Vec<Fixup>> = HashMap::new();
        let mut missing = Vec::new();
        while let Some(f) = ready.pop_front() {
            self.charge()?;
            let woken = match self.attempt(f.row, f.path.as_deref(), f.want)? {
                Attempt::Blocked(Block::Missing) => {
                    missing.push(f);
                    None
                }
                Attempt::Blocked(b) => {
                    waiting.entry(b).or_default().push(f);
                    None
                }
                Attempt::Done(item) => match f.want {
                    Want::Model | Want::Lazy => {
                        self.fill_slot(&f.slot, item);
                        match &f.slot {
                            Slot::Row(id) => Some(Block::Row(*id)),
                            slot => slot.segment().map(|(n, seg)| Block::Slot(n, seg)),
                        }
                    }
                    Want::Promise(n) => Some(Block::Slot(n, Str::default())),
                    Want::Builtin(..) | Want::Server(_) => None,
                },
                Attempt::Rejected(r) => match &f.slot {
                    Slot::Row(id) => {
                        self.state.insert(*id, RowState::Rejected(r));
                        Some(Block::Row(*id))
                    }
                    _ => return Err(r.into_error().in_part(|| format!("a reference to row {:x}", f.row))),
                },
            };
            if let Some(list) = woken.and_then(|b| waiting.remove(&b)) {
                ready.extend(list);
            }
            // References parked by rows revived in this attempt.
            ready.extend(self.parked.drain(..));
        }
        // The first in row order, so that the message does not depend on
        // the order of a hash map.
        let stuck = waiting.values().flatten().min_by_key(|f| f.row);
        match missing.first().or(stuck) {
            Some(f) => Err(self.stuck(f.row)),
            None => Ok(()),
        }
    }

    /// The error for a reference that can never resolve.
    fn stuck(&self, row: u32) -> Error {
        let e = match self.state.get(row) {
            Some(RowState::InProgress(None) | RowState::Waiting) => {
                Error::reference(format!("Row {row:x} refers to itself before it has a value."))
            }
            _ => Error::reference(INVALID_REFERENCE),
        };
        e.in_part(|| format!("row {row:x}"))
    }

    // -- client references and streams -----------------------------------------

    /// An `I` row: `[module, chunks, name]` or `[module, chunks, name, 1]`.
    /// React revives it as a model: long strings in it are references to
    /// rows of their own (import strings).
    fn import(&mut self, doc: &mut Doc, json: Raw) -> Result<Got> {
        let item = match self.root(doc, json, None)? {
            Got::Value(i) => i,
            other => return Ok(other),
        };
        let bad = || {
            Error::syntax(
                "an import row that is not [module, chunks, name, async?] (module and chunk ids strings or numbers)",
            )
        };
        // Module and chunk ids are whatever the bundler's manifest holds:
        // strings, or numbers in webpack and Turbopack production builds.
        let id = |i: &Item| match i {
            Item::String(s) => Some(BundlerId::String(s.clone())),
            Item::Number(n) => Some(BundlerId::Number(*n)),
            _ => None,
        };
        let Some(Node::Array(a)) = self.out.resolve(&item).filter(|n| matches!(n, Node::Array(a) if a.len() <= 4))
        else {
            return Err(bad());
        };
        let (Some(module), Some(Item::Node(c)), Some(Item::String(name))) =
            (a.first().and_then(id), a.get(1), a.get(2))
        else {
            return Err(bad());
        };
        // React's client tests the length: a fourth member means async.
        let is_async = a.len() == 4;
        let Node::Array(cs) = self.out.node(*c) else { return Err(bad()) };
        let chunks = cs.iter().map(|c| id(c).ok_or_else(bad)).collect::<Result<Vec<_>>>()?;
        let r = ClientReference { module, name: name.clone(), chunks, is_async };
        Ok(Got::Value(Item::Node(self.add(Node::ClientReference(r))?)))
    }

    /// A stream row and its entries (whole-body decoding).
    fn stream(&mut self, id: u32, s: StreamRows) -> Result<Got> {
        // The entries are read after the row that met the stream is done,
        // as React reads them (later, as they arrive): an entry may refer
        // to a row, row 0 say, that is only a reference to this stream.
        let node = self.add(Node::ByteStream(Bytes::new()))?;
        self.deferred.push_back((id, node, s));
        Ok(Got::Value(Item::Node(node)))
    }

    /// Read the entries of the streams met so far (whole-body decoding).
    pub(super) fn read_deferred_streams(&mut self) -> Result<()> {
        while let Some((id, node, s)) = self.deferred.pop_front() {
            self.read_stream(id, node, s).map_err(|e| e.in_part(|| format!("row {id:x}")))?;
            self.settle()?;
        }
        Ok(())
    }

    fn read_stream(&mut self, id: u32, node: NodeId, s: StreamRows) -> Result<()> {
        if s.bytes {
            let mut data = BytesMut::new();
            for e in &s.entries {
                data.extend_from_slice(byte_chunk(id, e)?);
            }
            byte_stream_end(id, s.end.as_ref())?;
            *self.out.node_mut(node) = Node::ByteStream(data.freeze());
            return Ok(());
        }
        let kind = s.kind.unwrap_or(StreamKind::Readable);
        let mut values = Vec::with_capacity(s.entries.len().min(1024));
        let mut error = None;
        for e in &s.entries {
            match self.entry(id, e, None)? {
                Got::Value(v) => values.push(v),
                Got::Rejected(r) => {
                    error = Some(r);
                    break;
                }
                Got::Waiting => unreachable!("an entry is needed at once"),
            }
        }
        let end = match error {
            Some(r) => StreamEnd::Error(self.error_node(r)?),
            None => self.stream_end(id, kind, s.end.as_ref())?,
        };
        *self.out.node_mut(node) = Node::Stream(Stream { kind, values, end });
        Ok(())
    }

    /// A `T` row's text as the client's `TextDecoder` gives it: without a
    /// leading byte order mark, where the dialect's decoder strips one.
    fn text_row<'t>(&self, s: &'t str) -> &'t str {
        match self.dialect.text_bom_stripped {
            true => s.strip_prefix('\u{feff}').unwrap_or(s),
            false => s,
        }
    }

    /// One entry of stream `id` (`parsed`: the entry already parsed).
    pub(super) fn entry(&mut self, id: u32, e: &Row, parsed: Option<Parsed>) -> Result<Got> {
        Ok(match e.tag {
            Some(row::TEXT) => Got::Value(Item::String(self.text_row(utf8(e)?).into())),
            Some(row::BYTES) => return Err(Error::syntax(format!("a byte chunk in stream {id:x}")).at_offset(e.offset)),
            Some(t) if tag::is_binary_row(t) => {
                Got::Value(Item::Node(self.add(tag::binary_node(t, e.payload.clone()))?))
            }
            _ => {
                let (mut doc, json) = match parsed {
                    Some(p) => p,
                    None => self.parse(&e.payload, id, e.payload_offset)?,
                };
                self.root(&mut doc, json, None)?
            }
        })
    }

    /// How stream `id` ends, from its `C` or `E` row (`None`: the response
    /// ended first).
    pub(super) fn stream_end(&mut self, id: u32, kind: StreamKind, end: Option<&Row>) -> Result<StreamEnd> {
        Ok(match end {
            None => StreamEnd::Error(self.error_node(Rejection::closed(None))?),
            Some(end) if end.tag == Some(row::ERROR) => {
                let r = Rejection::from_error_row(&self.parse(&end.payload, id, end.payload_offset)?);
                StreamEnd::Error(self.error_node(r)?)
            }
            Some(end) if end.payload.is_empty() || kind == StreamKind::Readable => StreamEnd::Return(Item::Undefined),
            Some(end) => {
                let (mut doc, json) = self.parse(&end.payload, id, end.payload_offset)?;
                match self.root(&mut doc, json, None)? {
                    Got::Value(v) => StreamEnd::Return(v),
                    Got::Rejected(r) => StreamEnd::Error(self.error_node(r)?),
                    Got::Waiting => unreachable!("a return value is needed at once"),
                }
            }
        })
    }
}

/// Row `id`'s text (at byte `at` of the body), which must be UTF-8.
fn utf8_row(text: &[u8], id: u32, at: usize) -> Result<&str> {
    std::str::from_utf8(text)
        .map_err(|e| Error::syntax(format!("row {id:x} is not valid UTF-8")).at_offset(at + e.valid_up_to()))
}

/// `$F<hex>` naming a row that is not there: React before its December 2025
/// security releases wrote server references so.
fn old_server_reference(text: &str) -> Error {
    Error::unsupported(format!(
        "{text:?} looks like a server reference as React 19.0.0-19.0.1, 19.1.0-19.1.2 and 19.2.0-19.2.1 \
         wrote it (`$F<id>`; later releases write `$h<id>`): read as later releases read it, it names a row \
         that is not in the response; set the React version the server runs (Decoder::react, or --react)"
    ))
}

/// A byte stream's chunk: a `b` row, or an `o` row (a Uint8Array) as React
/// 19.2 and older servers write one; in a byte stream either can only be
/// its bytes.
pub(super) fn byte_chunk(id: u32, e: &Row) -> Result<&[u8]> {
    if !e.tag.is_some_and(|t| t == row::BYTES || t == tag::uint8_row()) {
        return Err(Error::syntax(format!("a non-byte chunk in byte stream {id:x}")).at_offset(e.offset));
    }
    Ok(&e.payload)
}

/// A byte stream has no way to hold an error (its value is its bytes), so
/// one that errors, or that the response leaves unclosed, is an error rather
/// than bytes that look complete.
pub(super) fn byte_stream_end(id: u32, end: Option<&Row>) -> Result<()> {
    match end {
        Some(e) if e.tag == Some(row::CLOSE) => Ok(()),
        Some(e) => {
            Err(Error::unsupported(format!("byte stream {id:x} errored; a byte stream value cannot hold an error"))
                .at_offset(e.offset))
        }
        None => Err(Error::eof(format!("byte stream {id:x} was never closed: {CONNECTION_CLOSED}"))),
    }
}

/// Is this array a React element, `["$", type, key, props, ...]`?
pub(super) fn is_element(doc: &Doc, start: u32, end: u32) -> bool {
    end - start >= 4 && matches!(&doc.items[start as usize], Raw::String(s) if &**s == "$")
}

fn is_container(json: &Raw) -> bool {
    matches!(json, Raw::Array(..) | Raw::Object(..))
}
