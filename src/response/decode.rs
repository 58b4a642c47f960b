//! The response decoder (client role), as React's production
//! `createFromReadableStream` reads a stream: rows by id, then row 0's value
//! revived into the arena with every reference, promise and stream resolved.

use std::collections::{HashMap, HashSet, VecDeque};

use bytes::{Bytes, BytesMut};

use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::response::frame::{Framer, Row};
use crate::response::live::{EventStream, Incremental};
use crate::value::{
    map_entries, set_values, BigInt, Blob, BundlerId, ClientReference, Date, Item, Node, NodeId, Object, Promise,
    ServerReference, Str, Stream, StreamEnd, StreamKind, Symbol, TypedArrayKind, Value,
};
use crate::wire::ids::IdMap;
use crate::wire::json::{self, Doc, Raw};
use crate::wire::{array_index, parse_hex_id, string_to_bigint};

/// React's production text for every error that crosses the wire.
pub const PRODUCTION_ERROR: &str = "An error occurred in the Server Components render. The specific message is omitted in production builds to avoid leaking sensitive details. A digest property is included on this error instance which may provide additional details about the nature of the error.";
const DEV_ROWS: &str = "Failed to read a RSC payload created by a development version of React on the server while using a production version on the client. Always use matching versions on the server and the client.";
const CONNECTION_CLOSED: &str = "Connection closed.";
const INVALID_REFERENCE: &str = "Invalid reference.";

/// A resource hint (`:H` row), handed to the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// The hint code (`L` preload, `S` stylesheet, `D` DNS prefetch, ...).
    pub code: char,
    /// The JSON payload, as sent.
    pub model: String,
}

/// A decoded response: row 0's value and the hints that came with it.
#[derive(Debug, Clone)]
pub struct Response {
    /// Row 0's value.
    pub value: Value,
    /// The `H` rows, in order.
    pub hints: Vec<Hint>,
}

/// Decodes responses. Limits apply per response.
#[derive(Debug, Clone, Default)]
pub struct Decoder {
    limits: Limits,
}

impl Decoder {
    /// A decoder with the default limits.
    pub fn new() -> Self {
        Self::default()
    }

    /// Use `limits`.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Decode a whole response body.
    ///
    /// # Errors
    /// Malformed rows (with the row's byte offset), development rows, limits,
    /// and React's rejections of row 0: an `E` row reached from the root is
    /// an error whose message is React's production text and the digest.
    ///
    /// # Examples
    ///
    /// ```
    /// use rsc_flight::response::Decoder;
    /// let r = Decoder::new().decode(b"0:{\"p\":\"$@1\"}\n1:\"done\"\n").unwrap();
    /// let printed = rsc_flight::tagged::to_string(&r.value).unwrap();
    /// assert_eq!(printed, r#"{"p":{"$type":"Promise","status":"fulfilled","value":"done"}}"#);
    /// ```
    pub fn decode(&self, body: &[u8]) -> Result<Response> {
        self.body_fits(body.len())?;
        // One copy of the whole body, of which every row is then a slice,
        // instead of a copy per row.
        self.decode_bytes(Bytes::copy_from_slice(body))
    }

    /// [`Decoder::decode`] for a body the caller owns as [`Bytes`] (what
    /// an HTTP client hands out): rows and binary values are slices of it,
    /// nothing is copied.
    ///
    /// # Errors
    /// As [`Decoder::decode`].
    ///
    /// ```
    /// use bytes::Bytes;
    /// use rsc_flight::response::Decoder;
    /// let body = Bytes::from_static(b"0:\"$1\"\n1:T3,abc");
    /// let r = Decoder::new().decode_bytes(body).unwrap();
    /// assert_eq!(rsc_flight::tagged::to_string(&r.value).unwrap(), r#""abc""#);
    /// ```
    pub fn decode_bytes(&self, body: impl Into<Bytes>) -> Result<Response> {
        let body = body.into();
        self.body_fits(body.len())?;
        self.decode_framed(|framer, rows| framer.push_bytes(&body, rows))
    }

    fn body_fits(&self, len: usize) -> Result<()> {
        if len > self.limits.get_max_body_bytes() {
            return Err(Error::limit("max_body_bytes", "a response larger than the limit"));
        }
        Ok(())
    }

    /// An incremental decoder: push chunks as they arrive and take the root,
    /// settled promises and stream values as soon as their rows are in.
    pub fn incremental(&self) -> Incremental {
        Incremental::new(self.limits.clone())
    }

    /// Decode a body that arrives as a [`futures_util::Stream`] of chunks
    /// (a `reqwest`/`hyper` body stream, a channel...), without depending on
    /// a runtime: the result is a stream of [`Event`]s that also gives the
    /// value so far.
    ///
    /// [`Event`]: super::Event
    ///
    /// ```
    /// use futures_util::{stream, StreamExt};
    /// use rsc_flight::response::{Decoder, Event};
    /// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     let mut f = std::pin::pin!(f);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
    /// # }
    /// let chunks = vec![Ok::<_, std::io::Error>(&b"0:[\"$@1\"]\n1:"[..]), Ok(&b"42\n"[..])];
    /// let mut events = Decoder::new().stream(stream::iter(chunks));
    /// block_on(async {
    ///     let root = events.root().await?;
    ///     assert!(matches!(events.next().await, Some(Ok(Event::Root(r))) if r == root));
    ///     assert!(matches!(events.next().await, Some(Ok(Event::Settled(_)))));
    ///     let r = events.into_response().await?;
    ///     assert_eq!(rsc_flight::tagged::to_string(&r.value)?, r#"[{"$type":"Promise","status":"fulfilled","value":42}]"#);
    ///     Ok::<(), rsc_flight::Error>(())
    /// })?;
    /// # Ok::<(), rsc_flight::Error>(())
    /// ```
    pub fn stream<S, B, E>(&self, body: S) -> EventStream<S>
    where
        S: futures_util::Stream<Item = std::result::Result<B, E>> + Unpin,
        B: AsRef<[u8]>,
        E: std::fmt::Display,
    {
        EventStream::new(body, self.incremental())
    }

    /// Decode a response that arrives in chunks (split anywhere).
    ///
    /// # Errors
    /// As [`Decoder::decode`].
    pub fn decode_chunks<'a>(&self, chunks: impl IntoIterator<Item = &'a [u8]>) -> Result<Response> {
        self.decode_framed(|framer, rows| {
            let mut total = 0usize;
            for c in chunks {
                total += c.len();
                self.body_fits(total)?;
                framer.push(c, rows)?;
            }
            Ok(())
        })
    }

    /// Decode the rows that `feed` frames: all of them, then row 0.
    fn decode_framed(&self, feed: impl FnOnce(&mut Framer, &mut Vec<Row>) -> Result<()>) -> Result<Response> {
        let mut framer = Framer::new(self.limits.get_max_string_bytes().saturating_add(16));
        let mut rows = Vec::new();
        feed(&mut framer, &mut rows)?;
        framer.finish()?;
        let mut run = Run::new(self.limits.clone(), false);
        for row in rows {
            run.table.add(row, &self.limits)?;
        }
        let root = match run.row(0)? {
            Ok(item) => item,
            Err(r) => return Err(r.into_error()),
        };
        run.read_deferred_streams()?;
        run.out.set_root(root);
        Ok(Response { value: run.out, hints: run.table.hints })
    }
}

/// Decode a whole response body with the default limits; row 0's value.
///
/// # Errors
/// See [`Decoder::decode`].
pub fn from_slice(body: &[u8]) -> Result<Value> {
    Decoder::new().decode(body).map(|r| r.value)
}

// ---------------------------------------------------------------------------
// Rows by id

pub(super) enum Data {
    Model(Bytes, usize),
    Text(Bytes),
    Binary(u8, Bytes),
    Import(Bytes, usize),
    Error(Bytes, usize),
    Stream(StreamRows),
}

pub(super) struct StreamRows {
    pub(super) kind: Option<StreamKind>,
    pub(super) bytes: bool,
    pub(super) entries: VecDeque<Row>,
    pub(super) end: Option<Row>,
}

#[derive(Default)]
pub(super) struct Table {
    pub(super) rows: IdMap<Data>,
    pub(super) hints: Vec<Hint>,
}

impl Table {
    pub(super) fn add(&mut self, row: Row, limits: &Limits) -> Result<()> {
        let at = row.offset;
        if self.rows.len() >= limits.get_max_parts() {
            return Err(Error::limit("max_parts", "more rows than the limit").at_offset(at));
        }
        let tag = row.tag;
        if let Some(Data::Stream(s)) = self.rows.get_mut(row.id) {
            if s.end.is_some() {
                return Err(Error::syntax(format!("row {:x} after its stream was closed", row.id)).at_offset(at));
            }
            match tag {
                Some(b'C' | b'E') => s.end = Some(row),
                Some(b'R' | b'r' | b'X' | b'x') => {
                    return Err(Error::syntax(format!("stream {:x} started twice", row.id)).at_offset(at))
                }
                _ => s.entries.push_back(row),
            }
            return Ok(());
        }
        let data = match tag {
            Some(b'N' | b'D' | b'J' | b'W') => return Err(Error::unsupported(DEV_ROWS).at_offset(at)),
            Some(b'H') => {
                let text = utf8(&row)?;
                let mut cs = text.chars();
                let code = cs.next().ok_or_else(|| Error::syntax("an empty hint row").at_offset(at))?;
                self.hints.push(Hint { code, model: cs.as_str().to_owned() });
                return Ok(());
            }
            Some(b'R' | b'r' | b'X' | b'x') => {
                let (kind, bytes) = match tag {
                    Some(b'R') => (Some(StreamKind::Readable), false),
                    Some(b'r') => (None, true),
                    Some(b'X') => (Some(StreamKind::AsyncIterable), false),
                    _ => (Some(StreamKind::AsyncIterator), false),
                };
                Data::Stream(StreamRows { kind, bytes, entries: VecDeque::new(), end: None })
            }
            Some(b'C') => {
                return Err(
                    Error::syntax(format!("row {:x} closes a stream that was never started", row.id)).at_offset(at)
                )
            }
            Some(b'T') => Data::Text(row.payload),
            Some(b'b') => {
                return Err(
                    Error::syntax(format!("byte chunk for row {:x}, which is not a byte stream", row.id)).at_offset(at)
                )
            }
            Some(t) if super::frame::is_binary_tag(t) => Data::Binary(t, row.payload),
            Some(b'I') => Data::Import(row.payload, row.payload_offset),
            Some(b'E') => Data::Error(row.payload, row.payload_offset),
            _ if row.payload.is_empty() => return Err(Error::unsupported(DEV_ROWS).at_offset(at)),
            // No tag, or a tag without a handler ('#', 'P', ...): a model.
            _ => Data::Model(row.payload, row.payload_offset),
        };
        if self.rows.insert(row.id, data).is_some() {
            return Err(defined_twice(row.id, at));
        }
        Ok(())
    }
}

pub(super) fn defined_twice(id: u32, at: usize) -> Error {
    Error::syntax(format!("row {id:x} defined twice")).at_offset(at)
}

pub(super) fn utf8(row: &Row) -> Result<&str> {
    std::str::from_utf8(&row.payload).map_err(|e| {
        Error::syntax(format!("row {:x} is not valid UTF-8", row.id)).at_offset(row.payload_offset + e.valid_up_to())
    })
}

// ---------------------------------------------------------------------------
// Reviving

/// Why a row has no value: React rejects the chunk.
#[derive(Clone)]
pub(super) struct Rejection {
    message: Str,
    digest: Option<Str>,
}

impl Rejection {
    pub(super) fn closed() -> Self {
        Rejection { message: CONNECTION_CLOSED.into(), digest: None }
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
        Rejection { message: PRODUCTION_ERROR.into(), digest }
    }

    pub(super) fn into_error(self) -> Error {
        let e = Error::reference(match &self.digest {
            Some(d) => format!("{} (digest {d:?})", self.message),
            None => self.message.to_string(),
        });
        if &*self.message == CONNECTION_CLOSED {
            Error::eof(CONNECTION_CLOSED)
        } else {
            e
        }
    }
}

pub(super) type Got = std::result::Result<Item, Rejection>;

enum RowState {
    InProgress(Option<NodeId>),
    Done(Item),
    Rejected(Rejection),
}

/// The reviving state. A whole-body decode makes one, adds every row and
/// asks for row 0; the incremental decoder ([`super::live`]) keeps one
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
    /// Live mode: a `$@` whose row is not yet complete is a pending promise
    /// (listed in `watch`), and a stream row is an open stream whose entries
    /// the driver feeds as they arrive (listed in `opened`).
    pub(super) live: bool,
    /// Live mode: rows whose transitive synchronous references have all
    /// arrived (see `live::Job`).
    pub(super) complete: HashSet<u32>,
    /// Live mode: rows already parsed while their references were scanned.
    pub(super) parsed: HashMap<u32, Parsed>,
    pub(super) watch: Vec<(u32, NodeId)>,
    pub(super) opened: Vec<(u32, NodeId)>,
    /// Whole-body mode: streams whose entries are read once the row that
    /// met them is done.
    deferred: VecDeque<(u32, NodeId, StreamRows)>,
}

/// A child to fill after its node is in place.
enum Slot {
    Index(NodeId),
    Key(NodeId, Str),
}

impl Run {
    pub(super) fn new(limits: Limits, live: bool) -> Self {
        Run {
            limits,
            table: Table::default(),
            out: Value::new(),
            state: IdMap::new(),
            promises: IdMap::new(),
            server_refs: IdMap::new(),
            depth: 0,
            work: 0,
            live,
            complete: HashSet::new(),
            parsed: HashMap::new(),
            watch: Vec::new(),
            opened: Vec::new(),
            deferred: VecDeque::new(),
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

    /// The value of row `id`.
    pub(super) fn row(&mut self, id: u32) -> Result<Got> {
        match self.state.get(id) {
            Some(RowState::Done(item)) => return Ok(Ok(item.clone())),
            Some(RowState::Rejected(r)) => return Ok(Err(r.clone())),
            Some(RowState::InProgress(Some(n))) => return Ok(Ok(Item::Node(*n))),
            Some(RowState::InProgress(None)) => {
                return Err(Error::reference(format!("Row {id:x} refers to itself before it has a value.")))
            }
            None => {}
        }
        self.enter()?;
        self.state.insert(id, RowState::InProgress(None));
        let got = crate::stack::deep(|| self.row_inner(id)).map_err(|e| e.in_part(|| format!("row {id:x}")))?;
        self.depth -= 1;
        self.state.insert(
            id,
            match &got {
                Ok(item) => RowState::Done(item.clone()),
                Err(r) => RowState::Rejected(r.clone()),
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
                return Ok(Ok(Item::Node(node)));
            }
        }
        let Some(data) = self.table.rows.remove(id) else {
            return Ok(Err(Rejection::closed()));
        };
        match data {
            Data::Model(text, at) => {
                // Only the live decoder parses rows ahead (no hashing else).
                let ahead = if self.parsed.is_empty() { None } else { self.parsed.remove(&id) };
                let (mut doc, json) = match ahead {
                    Some(parsed) => parsed,
                    None => self.parse(&text, id, at)?,
                };
                self.root(&mut doc, json, Some(id))
            }
            Data::Text(bytes) => match std::str::from_utf8(&bytes) {
                Ok(s) => {
                    self.charge_string(s.len())?;
                    Ok(Ok(Item::String(s.into())))
                }
                Err(_) => Err(Error::syntax(format!("text row {id:x} is not valid UTF-8"))),
            },
            Data::Binary(tag, bytes) => Ok(Ok(Item::Node(self.add(binary_node(tag, bytes))?))),
            Data::Error(text, at) => Ok(Err(Rejection::from_error_row(&self.parse(&text, id, at)?))),
            Data::Import(text, at) => {
                let (mut doc, json) = self.parse(&text, id, at)?;
                self.import(&mut doc, json)
            }
            Data::Stream(s) => self.stream(id, s),
        }
    }

    pub(super) fn parse(&self, text: &[u8], id: u32, at: usize) -> Result<Parsed> {
        let s = std::str::from_utf8(text)
            .map_err(|e| Error::syntax(format!("row {id:x} is not valid UTF-8")).at_offset(at + e.valid_up_to()))?;
        json::parse_doc(s, self.limits.get_max_depth(), self.limits.get_max_string_bytes())
            .map_err(|e| e.shift_offset(at))
    }

    fn charge_string(&mut self, n: usize) -> Result<()> {
        if n > self.limits.get_max_string_bytes() {
            return Err(Error::limit("max_string_bytes", "a string longer than the limit"));
        }
        Ok(())
    }

    /// A row's (or a stream entry's) JSON root; `row` registers the root
    /// node so that the row can contain itself. Strings are moved out of
    /// `doc` as they are revived (each parsed row is revived once).
    fn root(&mut self, doc: &mut Doc, json: Raw, row: Option<u32>) -> Result<Got> {
        if !is_container(&json) {
            return self.scalar(json);
        }
        let node = self.alloc(doc, &json)?;
        if let Some(id) = row {
            self.state.insert(id, RowState::InProgress(Some(node)));
        }
        match self.fill(node, doc, json)? {
            Ok(()) => Ok(Ok(Item::Node(node))),
            Err(r) => Ok(Err(r)),
        }
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

    fn scalar(&mut self, json: Raw) -> Result<Got> {
        Ok(Ok(match json {
            Raw::Null => Item::Null,
            Raw::Bool(b) => Item::Bool(b),
            Raw::Number(n) => Item::Number(n),
            Raw::String(s) => return self.string(s),
            Raw::Array(..) | Raw::Object(..) => unreachable!("containers are allocated"),
        }))
    }

    /// Fill `node` (allocated by `alloc`) with `json`'s children. Each
    /// container child is put in place before it is filled, so a path
    /// through it already resolves while it is being filled.
    fn fill(&mut self, node: NodeId, doc: &mut Doc, json: Raw) -> Result<std::result::Result<(), Rejection>> {
        self.enter()?;
        let r = crate::stack::deep(|| self.fill_inner(node, doc, json));
        self.depth -= 1;
        r
    }

    fn fill_inner(&mut self, node: NodeId, doc: &mut Doc, json: Raw) -> Result<std::result::Result<(), Rejection>> {
        match json {
            Raw::Array(start, end) if is_element(doc, start, end) => {
                let at = start as usize;
                let ty = std::mem::take(&mut doc.items[at + 1]);
                let ty = match self.root(doc, ty, None)? {
                    Ok(i) => i,
                    Err(r) => return Ok(Err(r)),
                };
                let key = std::mem::take(&mut doc.items[at + 2]);
                let key = match self.root(doc, key, None)? {
                    Ok(Item::Null) => None,
                    Ok(Item::String(s)) => Some(s),
                    Ok(_) => return Err(Error::syntax("an element key that is not a string or null")),
                    Err(r) => return Ok(Err(r)),
                };
                // The props object is put in place before it is filled, so
                // a path through this element into its props resolves from
                // inside them (`"$0:props:a"` within the props).
                let props_json = std::mem::take(&mut doc.items[at + 3]);
                if !is_container(&props_json) {
                    let props = match self.scalar(props_json)? {
                        Ok(i) => i,
                        Err(r) => return Ok(Err(r)),
                    };
                    *self.out.node_mut(node) = Node::Element { ty, key, props };
                    return Ok(Ok(()));
                }
                let p = self.alloc(doc, &props_json)?;
                *self.out.node_mut(node) = Node::Element { ty, key, props: Item::Node(p) };
                if let Err(r) = self.fill(p, doc, props_json)? {
                    return Ok(Err(r));
                }
            }
            Raw::Array(start, end) => {
                for at in start as usize..end as usize {
                    let j = std::mem::take(&mut doc.items[at]);
                    if let Err(r) = self.put(Slot::Index(node), doc, j)? {
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

    /// Revive `json` into a slot of its parent.
    fn put(&mut self, slot: Slot, doc: &mut Doc, json: Raw) -> Result<std::result::Result<(), Rejection>> {
        let (item, child) = if is_container(&json) {
            let n = self.alloc(doc, &json)?;
            (Item::Node(n), Some((n, json)))
        } else {
            match self.scalar(json)? {
                Ok(i) => (i, None),
                Err(r) => return Ok(Err(r)),
            }
        };
        let is_then = matches!(&slot, Slot::Key(_, k) if &**k == "then");
        match slot {
            Slot::Index(p) => {
                if let Node::Array(a) = self.out.node_mut(p) {
                    a.push(item);
                }
            }
            Slot::Key(p, k) => {
                // A server reference under `then` would make the object a
                // thenable when handed to JavaScript: React gives null.
                let item = match &item {
                    Item::Node(n) if is_then && matches!(self.out.node(*n), Node::ServerReference(_)) => Item::Null,
                    _ => item,
                };
                // `revived_order` leaves each key once.
                if let Node::Object(o) = self.out.node_mut(p) {
                    o.push_distinct(k, item);
                }
            }
        }
        match child {
            Some((n, json)) => self.fill(n, doc, json),
            None => Ok(Ok(())),
        }
    }

    /// Every `$` string of the response direction.
    fn string(&mut self, owned: Str) -> Result<Got> {
        if owned.as_bytes().first() != Some(&b'$') {
            self.charge_string(owned.len())?;
            return Ok(Ok(Item::String(owned)));
        }
        let s: &str = &owned;
        let b = s.as_bytes();
        let rest = &s[1..];
        let tail = rest.get(1..).unwrap_or("");
        let hex = |t: &str| parse_hex_id(t).ok_or_else(|| Error::reference(CONNECTION_CLOSED));
        Ok(Ok(match b.get(1) {
            None => return Err(Error::syntax("\"$\" outside the first slot of an element")),
            Some(b'$') => Item::String(rest.into()),
            Some(b'L') => {
                // A lazy wrapper: the value itself, or a rejected promise
                // when its row failed.
                let id = hex(tail)?;
                return Ok(Ok(match self.row(id)? {
                    Ok(i) => i,
                    Err(r) => {
                        let e = self.error_node(r)?;
                        Item::Node(self.add(Node::Promise(Promise::Rejected(e)))?)
                    }
                }));
            }
            Some(b'@') => Item::Node(self.promise(hex(tail)?)?),
            Some(b'S') => Item::Symbol(Symbol::Registered(tail.into())),
            Some(b'h') => return self.server_reference(hex(tail)?),
            Some(b'T') => Item::Node(self.add(Node::TemporaryReference(tail.into()))?),
            Some(b'Q') => return self.collection(hex(tail)?, b'Q'),
            Some(b'W') => return self.collection(hex(tail)?, b'W'),
            Some(b'K') => return self.collection(hex(tail)?, b'K'),
            Some(b'B') => return self.collection(hex(tail)?, b'B'),
            Some(b'i') => return self.collection(hex(tail)?, b'i'),
            Some(b'Z') => Item::Node(self.add(Node::Error { message: PRODUCTION_ERROR.into(), digest: None })?),
            // React writes an invalid Date that is a whole row as "$Dnull".
            Some(b'D') if tail == "null" => Item::Date(Date::INVALID),
            Some(b'D') => Item::Date(Date::parse_iso(tail).ok_or_else(|| {
                Error::syntax(format!("Date string {tail:?} is not in the ECMAScript date-time format"))
            })?),
            Some(b'n') => {
                if tail.len() > self.limits.get_max_bigint_chars() {
                    return Err(Error::limit("max_bigint_chars", "a BigInt longer than the limit"));
                }
                let d = string_to_bigint(tail).ok_or_else(|| Error::syntax(format!("{tail:?} is not a BigInt")))?;
                Item::BigInt(BigInt(d.into()))
            }
            _ => match rest {
                "undefined" => Item::Undefined,
                "NaN" => Item::Number(f64::NAN),
                "Infinity" => Item::Number(f64::INFINITY),
                "-Infinity" => Item::Number(f64::NEG_INFINITY),
                "-0" => Item::Number(-0.0),
                _ => return self.reference(rest),
            },
        }))
    }

    /// The `Error` a rejection stands for.
    pub(super) fn error_node(&mut self, r: Rejection) -> Result<Item> {
        Ok(Item::Node(self.add(Node::Error { message: r.message, digest: r.digest })?))
    }

    /// `$@<id>`: one promise node per row, as React hands out the chunk
    /// itself, fulfilled with the row's value or rejected with its error.
    fn promise(&mut self, id: u32) -> Result<NodeId> {
        if let Some(&n) = self.promises.get(id) {
            return Ok(n);
        }
        if self.live && !self.complete.contains(&id) && !self.state.contains(id) {
            // Its rows are still on their way: pending until they are in.
            let n = self.add(Node::Promise(Promise::Pending))?;
            self.promises.insert(id, n);
            self.watch.push((id, n));
            return Ok(n);
        }
        // The node is registered before the row is revived: a `$@` to the
        // same row inside it is this promise (React hands out the chunk
        // itself), not a second one.
        let n = self.add(Node::Promise(Promise::Pending))?;
        self.promises.insert(id, n);
        let p = match self.row(id)? {
            Ok(v) => Promise::Fulfilled(v),
            Err(r) => Promise::Rejected(self.error_node(r)?),
        };
        *self.out.node_mut(n) = Node::Promise(p);
        Ok(n)
    }

    /// `$h<id>`: row `id` is `{"id": ..., "bound": null | "$@<args>"}`; one
    /// function per row.
    fn server_reference(&mut self, id: u32) -> Result<Got> {
        if let Some(&n) = self.server_refs.get(id) {
            return Ok(Ok(Item::Node(n)));
        }
        let meta = match self.row(id)? {
            Ok(m) => m,
            Err(r) => return Ok(Err(r)),
        };
        let bad = || {
            Error::reference(
                "Invalid server reference: expected {\"id\": string, \"bound\": null or a promise of an array}.",
            )
        };
        let Some(Node::Object(o)) = self.out.resolve(&meta) else { return Err(bad()) };
        let Some(Item::String(sid)) = o.get("id").cloned() else { return Err(bad()) };
        let bound = match o.get("bound").cloned() {
            None | Some(Item::Null | Item::Undefined) => None,
            Some(Item::Node(p)) => match self.out.node(p) {
                Node::Promise(Promise::Fulfilled(Item::Node(a))) => match self.out.node(*a) {
                    Node::Array(args) => Some(args.clone()),
                    _ => return Err(bad()),
                },
                Node::Promise(Promise::Rejected(_)) => {
                    return Ok(Err(Rejection { message: PRODUCTION_ERROR.into(), digest: None }))
                }
                _ => return Err(bad()),
            },
            Some(_) => return Err(bad()),
        };
        let n = self.add(Node::ServerReference(ServerReference { id: sid, bound }))?;
        self.server_refs.insert(id, n);
        Ok(Ok(Item::Node(n)))
    }

    /// `$Q $W $K $B $i`: a built-in made from row `id`'s array.
    fn collection(&mut self, id: u32, letter: u8) -> Result<Got> {
        let items = match self.row(id)? {
            Ok(Item::Node(n)) => match self.out.node(n) {
                Node::Array(a) => a.clone(),
                _ => return Err(Error::reference(format!("row {id:x} is not an array"))),
            },
            Ok(_) => return Err(Error::reference(format!("row {id:x} is not an array"))),
            Err(r) => return Ok(Err(r)),
        };
        let pair = |run: &Run, e: &Item| -> Result<(Item, Item)> {
            match e {
                Item::Node(n) => match run.out.node(*n) {
                    Node::Array(kv) => {
                        Ok((kv.first().cloned().unwrap_or_default(), kv.get(1).cloned().unwrap_or_default()))
                    }
                    _ => Err(Error::reference("an entry that is not a [key, value] pair")),
                },
                _ => Err(Error::reference("an entry that is not a [key, value] pair")),
            }
        };
        let node = match letter {
            b'Q' => Node::Map(map_entries(items.iter().map(|e| pair(self, e)).collect::<Result<_>>()?)),
            b'W' => Node::Set(set_values(items)),
            b'i' => Node::Iterator(items),
            b'K' => {
                let mut entries = Vec::with_capacity(items.len());
                for e in &items {
                    let (k, v) = pair(self, e)?;
                    let Item::String(k) = k else {
                        return Err(Error::reference("a FormData name that is not a string"));
                    };
                    match &v {
                        Item::String(_) => {}
                        Item::Node(n) if matches!(self.out.node(*n), Node::Blob(_)) => {}
                        _ => return Err(Error::reference("a FormData value that is not a string or a Blob")),
                    }
                    entries.push((k, v));
                }
                Node::FormData(entries)
            }
            _ => {
                // $B: [type, chunk, ...], each chunk a binary row.
                let mut it = items.into_iter();
                let Some(Item::String(mime)) = it.next() else {
                    return Err(Error::reference("a Blob row without a type"));
                };
                let mut bytes = BytesMut::new();
                for c in it {
                    match &c {
                        Item::Node(n) => match self.out.node(*n) {
                            Node::TypedArray(_, b) | Node::ArrayBuffer(b) => bytes.extend_from_slice(b),
                            _ => return Err(Error::reference("a Blob chunk that is not binary")),
                        },
                        _ => return Err(Error::reference("a Blob chunk that is not binary")),
                    }
                }
                Node::Blob(Blob { name: None, mime, bytes: bytes.freeze() })
            }
        };
        Ok(Ok(Item::Node(self.add(node)?)))
    }

    /// `$<hex>` and `$<hex>:<path>`.
    fn reference(&mut self, text: &str) -> Result<Got> {
        let mut segs = text.split(':');
        let id = parse_hex_id(segs.next().unwrap_or("")).ok_or_else(|| Error::reference(CONNECTION_CLOSED))?;
        let mut cur = match self.row(id)? {
            Ok(i) => i,
            Err(r) => return Ok(Err(r)),
        };
        for seg in segs {
            self.work += 1;
            if self.work > self.limits.get_max_values() {
                return Err(Error::limit("max_values", "more values than the limit"));
            }
            let Item::Node(n) = cur else { return Err(Error::reference(INVALID_REFERENCE)) };
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
                _ => None,
            };
            cur = next.ok_or_else(|| Error::reference(INVALID_REFERENCE))?;
        }
        Ok(Ok(cur))
    }

    /// An `I` row: `[module, chunks, name]` or `[module, chunks, name, 1]`.
    /// React revives it as a model: long strings in it are references to
    /// rows of their own (import strings).
    fn import(&mut self, doc: &mut Doc, json: Raw) -> Result<Got> {
        let item = match self.root(doc, json, None)? {
            Ok(i) => i,
            Err(r) => return Ok(Err(r)),
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
        Ok(Ok(Item::Node(self.add(Node::ClientReference(r))?)))
    }

    /// A stream row and its entries (whole-body decoding).
    fn stream(&mut self, id: u32, s: StreamRows) -> Result<Got> {
        // The entries are read after the row that met the stream is done,
        // as React reads them (later, as they arrive): an entry may refer
        // to a row, row 0 say, that is only a reference to this stream.
        let node = self.add(Node::ByteStream(Bytes::new()))?;
        self.deferred.push_back((id, node, s));
        Ok(Ok(Item::Node(node)))
    }

    /// Read the entries of the streams met so far (whole-body decoding).
    pub(super) fn read_deferred_streams(&mut self) -> Result<()> {
        while let Some((id, node, s)) = self.deferred.pop_front() {
            self.read_stream(id, node, s).map_err(|e| e.in_part(|| format!("row {id:x}")))?;
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
                Ok(v) => values.push(v),
                Err(r) => {
                    error = Some(r);
                    break;
                }
            }
        }
        let end = match error {
            Some(r) => StreamEnd::Error(self.error_node(r)?),
            None => self.stream_end(id, kind, s.end.as_ref())?,
        };
        *self.out.node_mut(node) = Node::Stream(Stream { kind, values, end });
        Ok(())
    }

    /// One entry of stream `id` (`json`: the entry already parsed).
    pub(super) fn entry(&mut self, id: u32, e: &Row, parsed: Option<Parsed>) -> Result<Got> {
        Ok(match e.tag {
            Some(b'T') => Ok(Item::String(utf8(e)?.into())),
            Some(b'b') => return Err(Error::syntax(format!("a byte chunk in stream {id:x}")).at_offset(e.offset)),
            Some(t) if super::frame::is_binary_tag(t) => Ok(Item::Node(self.add(binary_node(t, e.payload.clone()))?)),
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
            None => StreamEnd::Error(self.error_node(Rejection::closed())?),
            Some(end) if end.tag == Some(b'E') => {
                let r = Rejection::from_error_row(&self.parse(&end.payload, id, end.payload_offset)?);
                StreamEnd::Error(self.error_node(r)?)
            }
            Some(end) if end.payload.is_empty() || kind == StreamKind::Readable => StreamEnd::Return(Item::Undefined),
            Some(end) => {
                let (mut doc, json) = self.parse(&end.payload, id, end.payload_offset)?;
                match self.root(&mut doc, json, None)? {
                    Ok(v) => StreamEnd::Return(v),
                    Err(r) => StreamEnd::Error(self.error_node(r)?),
                }
            }
        })
    }
}

/// A byte stream's chunk: a `b` row.
pub(super) fn byte_chunk(id: u32, e: &Row) -> Result<&[u8]> {
    if e.tag != Some(b'b') {
        return Err(Error::syntax(format!("a non-byte chunk in byte stream {id:x}")).at_offset(e.offset));
    }
    Ok(&e.payload)
}

/// A byte stream has no way to hold an error (its value is its bytes), so
/// one that errors, or that the response leaves unclosed, is an error rather
/// than bytes that look complete.
pub(super) fn byte_stream_end(id: u32, end: Option<&Row>) -> Result<()> {
    match end {
        Some(e) if e.tag == Some(b'C') => Ok(()),
        Some(e) => {
            Err(Error::unsupported(format!("byte stream {id:x} errored; a byte stream value cannot hold an error"))
                .at_offset(e.offset))
        }
        None => Err(Error::eof(format!("byte stream {id:x} was never closed: {CONNECTION_CLOSED}"))),
    }
}

/// A parsed row: its document and root.
pub(super) type Parsed = (Doc, Raw);

/// Is this array a React element, `["$", type, key, props, ...]`?
pub(super) fn is_element(doc: &Doc, start: u32, end: u32) -> bool {
    end - start >= 4 && matches!(&doc.items[start as usize], Raw::String(s) if &**s == "$")
}

fn is_container(json: &Raw) -> bool {
    matches!(json, Raw::Array(..) | Raw::Object(..))
}

/// The node a binary row becomes.
fn binary_node(tag: u8, bytes: Bytes) -> Node {
    match TypedArrayKind::from_tag(tag) {
        Some(kind) => Node::TypedArray(kind, bytes),
        None => Node::ArrayBuffer(bytes),
    }
}
