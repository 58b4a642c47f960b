//! The incremental response decoder: rows are revived as they arrive, the
//! root as soon as every row it needs synchronously is in, and promises and
//! streams settle as their rows follow, as `createFromReadableStream` does.
//!
//! # How readiness is decided
//!
//! React revives a row at once and leaves *blocked* placeholders for the
//! references it cannot resolve yet. Our arena has no placeholders (a
//! decoded value never holds a hole), so a row is revived only once it is
//! **complete**: it and every row it reaches through synchronous references
//! (`$<id>`, paths, `$Q $W $K $B $i $L $h`; and for a server reference the
//! promise of its bound arguments) have arrived. Promises (`$@`) and stream
//! entries are not synchronous: a promise whose row is not complete is
//! handed out pending, and settles (an [`Event::Settled`]) when it is.
//!
//! Completeness is found by a depth-first walk over rows, one per *job* (the
//! root, a pending promise, the next entry of a stream). A job that meets a
//! row that has not arrived parks on it, keeping its stack, and resumes
//! where it stopped when the row comes: every row is scanned once per job
//! that reaches it, and every step is charged to `max_values`.
//!
//! Once the body has ended ([`Incremental::finish`]), whatever is still
//! waiting is revived as a whole-body decode would revive it: a reference to
//! a row that never came is React's "Connection closed." rejection.

use std::collections::{HashMap, HashSet, VecDeque};
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::BytesMut;
use futures_util::Stream;

use super::frame::{Framer, Row};
use super::revive::{byte_chunk, byte_stream_end, is_element, Got, Parsed, Run};
use super::table::{defined_twice, Data, Hint};
use super::tag::{self, Tag};
use super::Response;
use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::value::{Item, Node, NodeId, Promise, StreamEnd, StreamKind, Value};
use crate::version::Dialect;
use crate::version::React;
use crate::wire::json::{self, Raw};

/// Something that became available while decoding incrementally.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A hint row (`:H`), in order.
    Hint(Hint),
    /// Row 0's value: it and every row it needs synchronously are in. It
    /// may still hold pending promises and open streams.
    Root(Item),
    /// A pending promise node settled (fulfilled or rejected).
    Settled(NodeId),
    /// A stream node (a [`Node::Stream`]) has a new last value, or a byte
    /// stream node ([`Node::ByteStream`]) has more bytes.
    StreamValue(NodeId),
    /// A stream node ended (its [`StreamEnd`] is no longer `Open`), or a
    /// byte stream closed.
    StreamEnd(NodeId),
}

/// A reference from one row to another, as the readiness walk sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Edge {
    /// The referring row cannot be revived without this row.
    Sync(u32),
    /// `$h`: the row and, through it, the promise of its bound arguments.
    Server(u32),
    /// `$@`: not needed synchronously (but a server reference's row needs
    /// its bound promise).
    Promise(u32),
}

/// What a job revives once it is complete.
#[derive(Debug, Clone, Copy)]
enum Target {
    Root,
    /// A pending promise node for a row.
    Promise(u32, NodeId),
    /// The first unread entry (or the end) of a live stream row.
    Stream(u32),
}

/// A readiness walk, resumable.
struct Job {
    target: Target,
    /// Rows still to visit, with whether they were reached through `$h`.
    stack: Vec<(u32, bool)>,
    visited: HashSet<(u32, bool)>,
    /// The entry this job is for (stream jobs), parsed.
    entry: Option<Parsed>,
}

/// A stream whose rows are still arriving.
struct LiveStream {
    node: NodeId,
    kind: StreamKind,
    bytes: bool,
    /// The job waiting for the first unread entry, if one exists.
    job: Option<usize>,
    /// Byte streams: every chunk so far.
    data: BytesMut,
}

/// An incremental response decoder: push chunks as they arrive, take
/// [`Event`]s, look at the value so far with [`Incremental::value`].
///
/// # Examples
///
/// ```
/// use rsc_flight::response::{Decoder, Event};
/// use rsc_flight::value::{Node, Promise};
/// let mut d = Decoder::new().incremental();
/// d.push(b"0:{\"later\":\"$@1\"}\n")?;
/// assert!(matches!(d.next_event(), Some(Event::Root(_))));
/// let p = d.value().resolve(d.value().root()).and_then(|n| match n {
///     Node::Object(o) => o.get("later").cloned(),
///     _ => None,
/// });
/// let Some(rsc_flight::value::Item::Node(p)) = p else { panic!() };
/// assert_eq!(d.value().node(p), &Node::Promise(Promise::Pending));
/// d.push(b"1:\"done\"\n")?;
/// assert_eq!(d.next_event(), Some(Event::Settled(p)));
/// let response = d.finish()?;
/// assert_eq!(rsc_flight::tagged::to_string(&response.value)?, r#"{"later":{"$type":"Promise","status":"fulfilled","value":"done"}}"#);
/// # Ok::<(), rsc_flight::Error>(())
/// ```
pub struct Incremental {
    framer: Framer,
    run: Run,
    total: usize,
    rows: Vec<Row>,
    jobs: Vec<Option<Job>>,
    /// Jobs that can make progress.
    runnable: VecDeque<usize>,
    /// Jobs parked on a row that has not arrived.
    waiting: HashMap<u32, Vec<usize>>,
    streams: HashMap<u32, LiveStream>,
    root: Option<Item>,
    events: VecDeque<Event>,
    hints_seen: usize,
    finished: bool,
}

impl std::fmt::Debug for Incremental {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Incremental")
            .field("bytes", &self.total)
            .field("root", &self.root)
            .field("pending_jobs", &self.jobs.iter().filter(|j| j.is_some()).count())
            .field("open_streams", &self.streams.len())
            .finish()
    }
}

impl Incremental {
    pub(super) fn new(limits: Limits, react: React) -> Self {
        let framer = Framer::new(limits.get_max_string_bytes().saturating_add(16));
        let mut d = Incremental {
            framer,
            run: Run::new(limits, true, react),
            total: 0,
            rows: Vec::new(),
            jobs: Vec::new(),
            runnable: VecDeque::new(),
            waiting: HashMap::new(),
            streams: HashMap::new(),
            root: None,
            events: VecDeque::new(),
            hints_seen: 0,
            finished: false,
        };
        d.spawn(Target::Root, vec![(0, false)], None);
        d
    }

    /// This decoder with every model row parsed into a document first:
    /// what the one-pass reads are tested against.
    #[cfg(any(test, feature = "fuzzing"))]
    pub(crate) fn through_documents(mut self) -> Self {
        self.run.one_pass = false;
        self
    }

    /// The value so far: its root is set once [`Event::Root`] has been
    /// given; nodes change as promises settle and streams grow.
    pub fn value(&self) -> &Value {
        &self.run.out
    }

    /// Row 0's value, once it is available.
    pub fn root(&self) -> Option<&Item> {
        self.root.as_ref()
    }

    /// The next event, in the order things became available.
    pub fn next_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Read a chunk of the body (split anywhere).
    ///
    /// # Errors
    /// As [`Decoder::decode`](super::Decoder::decode): malformed rows, limits,
    /// and a root that is an error row. After an error the decoder is
    /// unusable.
    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        self.push_from(chunk, None)
    }

    /// [`Incremental::push`] for a chunk owned as [`Bytes`](bytes::Bytes),
    /// as HTTP clients hand them out: binary and text rows become slices of
    /// the chunks, so a row that lies in one chunk is never copied and one
    /// split across chunks is copied once.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use rsc_flight::{response::{Decoder, Event}, value::Node};
    /// let body = Bytes::from_static(b"1:o4,\x00\x01\x02\x030:\"$1\"\n");
    /// let mut d = Decoder::new().incremental();
    /// d.push_bytes(body.slice(..7))?; // the row is split: copied once
    /// d.push_bytes(body.slice(7..))?;
    /// let r = d.finish()?;
    /// let rsc_flight::value::Item::Node(n) = r.value.root() else { panic!() };
    /// assert!(matches!(r.value.node(*n), Node::TypedArray(_, b) if b[..] == [0, 1, 2, 3]));
    /// # Ok::<(), rsc_flight::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Incremental::push`].
    pub fn push_bytes(&mut self, chunk: bytes::Bytes) -> Result<()> {
        self.push_from(&chunk, Some(&chunk))
    }

    fn push_from(&mut self, chunk: &[u8], owner: Option<&bytes::Bytes>) -> Result<()> {
        if self.finished {
            return Err(Error::syntax("a chunk after the end of the response"));
        }
        self.total += chunk.len();
        if self.total > self.run.limits.get_max_body_bytes() {
            return Err(Error::limit("max_body_bytes", "a response larger than the limit"));
        }
        let mut rows = std::mem::take(&mut self.rows);
        self.framer.push_from(chunk, owner, &mut rows)?;
        for row in rows.drain(..) {
            let id = row.id;
            // The table catches a row defined twice while both are in it; a
            // revived row has left it, and the run remembers it. Hints and
            // development rows, halted (empty) ones included, are set aside
            // (a hint's id means nothing; a `D` row describes the row with
            // its id), as in the table.
            let aside = row.tag.is_some_and(|t| t == tag::row::HINT || tag::is_dev_only(t))
                || (row.tag.is_none() && row.payload.is_empty());
            if self.run.revived(id) && !aside {
                return Err(defined_twice(id, row.offset));
            }
            self.run.table.add(row, &self.run.limits)?;
            if let Some(parked) = self.waiting.remove(&id) {
                self.runnable.extend(parked);
            }
            if let Some(s) = self.streams.get(&id) {
                if s.job.is_none() {
                    self.spawn_entry(id)?;
                }
            }
        }
        self.rows = rows;
        self.take_hints();
        self.advance()
    }

    /// The body has ended: everything still waiting is revived as a whole
    /// decode would (rows that never came reject with "Connection closed.").
    ///
    /// # Errors
    /// A body cut inside a row, a root that never came or is an error row,
    /// and the errors of [`Incremental::push`].
    pub fn finish(mut self) -> Result<Response> {
        self.end()?;
        Ok(Response { value: self.run.out, hints: self.run.table.hints, debug: self.run.table.debug })
    }

    /// [`Incremental::finish`] without giving up the decoder: the events it
    /// causes can still be taken.
    fn end(&mut self) -> Result<()> {
        if self.finished {
            return Ok(());
        }
        self.framer.finish()?;
        self.finished = true;
        // From here on a missing row is final: references to rows not yet
        // revived are revived at once, as a whole-body decode does (a
        // promise whose row never came is rejected, not pending).
        self.run.live = false;
        // Every parked job can now run: a missing row is final.
        let parked: Vec<usize> = self.waiting.drain().flat_map(|(_, v)| v).collect();
        self.runnable.extend(parked);
        self.advance()?;
        // Streams whose end never came.
        let ids: Vec<u32> = self.streams.keys().copied().collect();
        for id in ids {
            if let Some(s) = self.streams.get(&id) {
                if s.job.is_none() {
                    self.spawn_entry(id)?;
                }
            }
        }
        self.advance()?;
        // Streams first met after the end were revived as a whole decode
        // revives them: their entries are read now.
        self.run.read_deferred_streams()
    }

    fn take_hints(&mut self) {
        for h in &self.run.table.hints[self.hints_seen..] {
            self.events.push_back(Event::Hint(h.clone()));
        }
        self.hints_seen = self.run.table.hints.len();
    }

    fn spawn(&mut self, target: Target, stack: Vec<(u32, bool)>, entry: Option<Parsed>) {
        self.jobs.push(Some(Job { target, stack, visited: HashSet::new(), entry }));
        self.runnable.push_back(self.jobs.len() - 1);
    }

    /// A job for the first unread entry of live stream `id`, if it arrived.
    fn spawn_entry(&mut self, id: u32) -> Result<()> {
        let Some(Data::Stream(rows)) = self.run.table.rows.get(id) else { return Ok(()) };
        let Some(s) = self.streams.get(&id) else { return Ok(()) };
        let (entry, deps) = match rows.entries.front() {
            Some(e) if !s.bytes && !is_raw_entry(e) => {
                let parsed = self.run.parse(&e.payload, id, e.payload_offset)?;
                let deps = edges(&parsed, self.run.dialect);
                (Some(parsed), deps)
            }
            Some(_) => (None, Vec::new()),
            // The end: `C` may carry an async iterable's return value.
            None => match &rows.end {
                // Only an async iterable's `C` carries a value (as in
                // `Run::stream_end`, which ignores a ReadableStream's).
                Some(e)
                    if !s.bytes
                        && e.tag != Some(tag::row::ERROR)
                        && !e.payload.is_empty()
                        && s.kind != StreamKind::Readable =>
                {
                    (None, edges(&self.run.parse(&e.payload, id, e.payload_offset)?, self.run.dialect))
                }
                Some(_) => (None, Vec::new()),
                None if self.finished => (None, Vec::new()),
                None => return Ok(()),
            },
        };
        let stack = sync_rows(&deps, false);
        self.spawn(Target::Stream(id), stack, entry);
        let job = self.jobs.len() - 1;
        if let Some(s) = self.streams.get_mut(&id) {
            s.job = Some(job);
        }
        Ok(())
    }

    /// Run every runnable job; revive what is complete.
    fn advance(&mut self) -> Result<()> {
        while let Some(j) = self.runnable.pop_front() {
            let Some(mut job) = self.jobs[j].take() else { continue };
            if let Some(missing) = self.walk(&mut job)? {
                self.waiting.entry(missing).or_default().push(j);
                self.jobs[j] = Some(job);
                continue;
            }
            for (row, _) in &job.visited {
                self.run.complete.insert(*row);
            }
            self.complete(j, job)?;
            self.adopt_new()?;
        }
        Ok(())
    }

    /// Continue `job`'s walk; the row it waits for, or `None` when every row
    /// it needs is in (or the body has ended).
    fn walk(&mut self, job: &mut Job) -> Result<Option<u32>> {
        while let Some(&(row, server)) = job.stack.last() {
            if job.visited.contains(&(row, server)) || (!server && self.run.complete.contains(&row)) {
                job.stack.pop();
                continue;
            }
            if !self.run.present(row) {
                if self.finished {
                    job.stack.pop();
                    continue;
                }
                return Ok(Some(row));
            }
            self.run.charge()?;
            job.stack.pop();
            job.visited.insert((row, server));
            let deps = self.row_edges(row)?;
            job.stack.extend(sync_rows(&deps, server));
        }
        Ok(None)
    }

    /// The references of a row that has arrived (parsed once, kept for the
    /// revival).
    fn row_edges(&mut self, id: u32) -> Result<Vec<Edge>> {
        if let Some(json) = self.run.parsed.get(&id) {
            return Ok(edges(json, self.run.dialect));
        }
        let parsed = match self.run.table.rows.get(id) {
            // A row that surely refers to no row is not parsed here: its
            // revival may then read it in one pass (`Run::straight`).
            Some(Data::Model(text, _)) if plain(text, self.run.dialect) => {
                self.run.looked.insert(id);
                return Ok(Vec::new());
            }
            Some(Data::Model(text, at)) | Some(Data::Import(text, at)) => self.run.parse(text, id, *at),
            _ => return Ok(Vec::new()),
        };
        // A row that does not parse is an error only if the revival reaches
        // it (it may stop at an earlier rejection): the revival parses it
        // again and reports it then, as a whole-body decode does.
        let Ok(parsed) = parsed else { return Ok(Vec::new()) };
        let deps = edges(&parsed, self.run.dialect);
        self.run.parsed.insert(id, parsed);
        Ok(deps)
    }

    /// Revive what `job` was waiting for.
    fn complete(&mut self, j: usize, job: Job) -> Result<()> {
        match job.target {
            Target::Root => {
                let item = match self.settled_row(0)? {
                    Ok(item) => item,
                    Err(r) => return Err(r.into_error()),
                };
                self.run.out.set_root(item.clone());
                self.root = Some(item.clone());
                self.events.push_back(Event::Root(item));
            }
            Target::Promise(id, node) => {
                let state = match self.settled_row(id)? {
                    Ok(v) => Promise::Fulfilled(v),
                    Err(r) => Promise::Rejected(self.run.error_node(r)?),
                };
                *self.run.out.node_mut(node) = Node::Promise(state);
                self.events.push_back(Event::Settled(node));
            }
            Target::Stream(id) => self.stream_step(id, j, job.entry)?,
        }
        Ok(())
    }

    /// Row `id`'s value, every reference in it resolved.
    fn settled_row(&mut self, id: u32) -> Result<std::result::Result<Item, super::revive::Rejection>> {
        self.run.row(id)?;
        self.run.settle()?;
        Ok(match self.run.row(id)? {
            Got::Value(v) => Ok(v),
            Got::Rejected(r) => Err(r),
            Got::Waiting => unreachable!("settled"),
        })
    }

    /// Read the first unread entry (or the end) of live stream `id`.
    fn stream_step(&mut self, id: u32, j: usize, parsed: Option<Parsed>) -> Result<()> {
        let Some(s) = self.streams.get_mut(&id) else { return Ok(()) };
        if s.job != Some(j) {
            return Ok(());
        }
        s.job = None;
        let (node, kind, bytes) = (s.node, s.kind, s.bytes);
        let Some(Data::Stream(rows)) = self.run.table.rows.get_mut(id) else { return Ok(()) };
        if let Some(e) = rows.entries.pop_front() {
            if bytes {
                let s = self.streams.get_mut(&id).expect("live stream");
                s.data.extend_from_slice(byte_chunk(id, &e)?);
                *self.run.out.node_mut(node) = Node::ByteStream(s.data.clone().freeze());
                self.events.push_back(Event::StreamValue(node));
                return self.spawn_entry(id);
            }
            let got = self.run.entry(id, &e, parsed)?;
            self.run.settle()?;
            match got {
                Got::Value(v) => {
                    if let Node::Stream(st) = self.run.out.node_mut(node) {
                        st.values.push(v);
                    }
                    self.events.push_back(Event::StreamValue(node));
                    return self.spawn_entry(id);
                }
                Got::Rejected(r) => {
                    let end = StreamEnd::Error(self.run.error_node(r)?);
                    return self.close(id, node, end);
                }
                Got::Waiting => unreachable!("an entry is needed at once"),
            }
        }
        let end_row = rows.end.clone();
        if bytes {
            byte_stream_end(id, end_row.as_ref())?;
            self.streams.remove(&id);
            self.events.push_back(Event::StreamEnd(node));
            return Ok(());
        }
        let end = self.run.stream_end(id, kind, end_row.as_ref())?;
        self.run.settle()?;
        self.close(id, node, end)
    }

    fn close(&mut self, id: u32, node: NodeId, end: StreamEnd) -> Result<()> {
        if let Node::Stream(st) = self.run.out.node_mut(node) {
            st.end = end;
        }
        self.streams.remove(&id);
        self.events.push_back(Event::StreamEnd(node));
        Ok(())
    }

    /// Jobs for the promises and streams the last revival handed out.
    fn adopt_new(&mut self) -> Result<()> {
        for (id, node) in std::mem::take(&mut self.run.watch) {
            self.spawn(Target::Promise(id, node), vec![(id, false)], None);
        }
        for (id, node) in std::mem::take(&mut self.run.opened) {
            let Some(Data::Stream(rows)) = self.run.table.rows.get(id) else { continue };
            let kind = rows.kind.unwrap_or(StreamKind::Readable);
            let bytes = rows.bytes;
            self.streams.insert(id, LiveStream { node, kind, bytes, job: None, data: BytesMut::new() });
            self.spawn_entry(id)?;
        }
        Ok(())
    }
}

/// Entries revived without JSON: text, binary and byte chunks.
fn is_raw_entry(e: &Row) -> bool {
    e.tag.is_some_and(tag::is_binary_row)
}

/// The rows a walk must visit for these references (`server`: the row was
/// reached through `$h`, so its bound-arguments promise counts).
fn sync_rows(deps: &[Edge], server: bool) -> Vec<(u32, bool)> {
    deps.iter()
        .rev()
        .filter_map(|d| match *d {
            Edge::Sync(id) => Some((id, false)),
            Edge::Server(id) => Some((id, true)),
            Edge::Promise(id) if server => Some((id, false)),
            Edge::Promise(_) => None,
        })
        .collect()
}

/// Whether a model row surely refers to no other row (see
/// `straight::refers_to_none`).
fn plain(text: &[u8], dialect: Dialect) -> bool {
    std::str::from_utf8(text)
        .is_ok_and(|t| crate::straight::refers_to_none(t, crate::straight::Format::Response, dialect))
}

/// Every row reference in a parsed row, in order: exactly what the revival
/// will read (a repeated key's last value; an element's type, key and
/// props), so that readiness never waits for, or parses, a row the value
/// does not use.
fn edges((doc, root): &Parsed, dialect: Dialect) -> Vec<Edge> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(j) = stack.pop() {
        match *j {
            Raw::Array(s, e) if is_element(doc, s, e) => {
                stack.extend(doc.items[s as usize + 1..s as usize + 4].iter().rev())
            }
            Raw::Array(s, e) => stack.extend(doc.items[s as usize..e as usize].iter().rev()),
            Raw::Object(s, e) => {
                let members = &doc.members[s as usize..e as usize];
                match json::revived_order(members) {
                    None => stack.extend(members.iter().rev().map(|(_, v)| v)),
                    Some(order) => stack.extend(order.iter().rev().map(|&i| &members[i].1)),
                }
            }
            Raw::String(ref s) => out.extend(edge(s, dialect)),
            _ => {}
        }
    }
    out
}

/// The row a `$` string refers to, classified as the revival classifies it
/// (a string that does not classify names no row: the revival reports it).
fn edge(s: &str, dialect: Dialect) -> Option<Edge> {
    if !super::tag::is_tagged(s) {
        return None;
    }
    let t = tag::classify(s, dialect).ok()?;
    let id = t.row()?;
    Some(match t {
        Tag::Promise(_) => Edge::Promise(id),
        Tag::ServerReference(_) => Edge::Server(id),
        _ => Edge::Sync(id),
    })
}

/// The events of a response body arriving as a [`Stream`] of chunks, for
/// use under any async runtime (see [`Decoder::stream`](super::Decoder::stream)).
///
/// The value so far is [`EventStream::value`]; [`EventStream::root`] waits
/// for row 0, [`EventStream::into_response`] for the end of the body.
pub struct EventStream<S> {
    body: Option<S>,
    decoder: Incremental,
    failed: bool,
}

impl<S> std::fmt::Debug for EventStream<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream").field("decoder", &self.decoder).finish()
    }
}

impl<S, B, E> EventStream<S>
where
    S: Stream<Item = std::result::Result<B, E>> + Unpin,
    B: AsRef<[u8]>,
    E: std::fmt::Display,
{
    pub(super) fn new(body: S, decoder: Incremental) -> Self {
        EventStream { body: Some(body), decoder, failed: false }
    }

    /// The value so far (see [`Incremental::value`]).
    pub fn value(&self) -> &Value {
        self.decoder.value()
    }

    /// Wait for row 0's value. Events read meanwhile stay queued.
    ///
    /// # Errors
    /// As [`Incremental::push`], or the body's own error, or the body
    /// ending first.
    pub async fn root(&mut self) -> Result<Item> {
        loop {
            if let Some(root) = self.decoder.root() {
                return Ok(root.clone());
            }
            if self.body.is_none() {
                return Err(Error::eof("Connection closed."));
            }
            std::future::poll_fn(|cx| self.read(cx)).await?;
        }
    }

    /// Read the body to its end: every promise settled, every stream ended.
    ///
    /// # Errors
    /// As [`EventStream::root`].
    pub async fn into_response(mut self) -> Result<Response> {
        while self.body.is_some() {
            std::future::poll_fn(|cx| self.read(cx)).await?;
        }
        self.decoder.finish()
    }

    /// Read one chunk (or the end) of the body into the decoder.
    fn read(&mut self, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let Some(body) = self.body.as_mut() else { return Poll::Ready(Ok(())) };
        let r = match Pin::new(body).poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Some(Ok(chunk))) => self.decoder.push(chunk.as_ref()),
            Poll::Ready(Some(Err(e))) => Err(Error::new(crate::Category::Io, e.to_string())),
            Poll::Ready(None) => {
                self.body = None;
                self.decoder.end()
            }
        };
        if r.is_err() {
            self.body = None;
            self.failed = true;
        }
        Poll::Ready(r)
    }
}

impl<S, B, E> Stream for EventStream<S>
where
    S: Stream<Item = std::result::Result<B, E>> + Unpin,
    B: AsRef<[u8]>,
    E: std::fmt::Display,
{
    type Item = Result<Event>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(e) = this.decoder.next_event() {
                return Poll::Ready(Some(Ok(e)));
            }
            if this.body.is_none() || this.failed {
                return Poll::Ready(None);
            }
            match this.read(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Ok(())) => {}
            }
        }
    }
}
