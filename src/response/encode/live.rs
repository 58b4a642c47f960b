//! The async encoder: a value whose promises and streams settle later, as
//! a [`Stream`] of response bytes.
//!
//! The value that is known at the start is encoded exactly as
//! [`Encoder::encode`] encodes it (React's rows, in React's order), except
//! that a promise or a stream with a *source* is left waiting instead of
//! being refused. Each time a source gives something, the task that waits
//! for it is resumed with what it gave, in a simulation of its own that
//! shares the request's row ids and dedupe tables, and its rows are written
//! as the next chunk. The order of those later chunks is the order in which
//! the sources settle, as in React, where it is the order of real time.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::future::BoxFuture;
use futures_util::stream::{BoxStream, FuturesUnordered};
use futures_util::{FutureExt, Stream, StreamExt};

use super::{Enc, Encoder, Reason, Shared, Waiter};
use crate::error::{Error, Result};
use crate::value::{Item, Node, NodeId, Promise, Stream as StreamNode, StreamEnd, StreamKind, Value};

/// A value whose promise and stream nodes may settle later, each fed by a
/// future or a stream of its own.
///
/// What a source gives is a `LiveValue` of its own (a separate arena, which
/// may have sources too); `Err` rejects the promise or errors the stream
/// with that value as the reason. A stream's source ending ends the stream.
///
/// # Examples
///
/// ```
/// use futures_util::{stream, StreamExt};
/// use rsc_flight::response::{Encoder, LiveValue};
/// use rsc_flight::value::{Item, Node, Object, StreamKind, Value};
/// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     let mut f = std::pin::pin!(f);
/// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
/// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
/// # }
/// let mut v = LiveValue::new(Value::new());
/// let later = v.promise(async { Ok(LiveValue::from(Value::from_item(Item::from("done")))) });
/// let ticks = v.stream(StreamKind::Readable, stream::iter([1.0, 2.0].map(|n| Ok(Value::from_item(Item::Number(n)).into()))));
/// let mut o = Object::new();
/// o.insert("later", later);
/// o.insert("ticks", ticks);
/// let root = v.value_mut().add(Node::Object(o));
/// v.value_mut().set_root(Item::Node(root));
///
/// let chunks: Vec<_> = block_on(Encoder::new().encode_live(v).collect::<Vec<_>>());
/// let body: Vec<u8> = chunks.into_iter().map(|c| c.unwrap()).flatten().collect();
/// assert_eq!(
///     String::from_utf8(body).unwrap(),
///     "2:R\n0:{\"later\":\"$@1\",\"ticks\":\"$2\"}\n1:\"done\"\n2:1\n2:2\n2:C\n"
/// );
/// # Ok::<(), rsc_flight::Error>(())
/// ```
pub struct LiveValue {
    value: Value,
    promises: Vec<(NodeId, Source)>,
    streams: Vec<(NodeId, StreamKind, Entries)>,
}

type Source = BoxFuture<'static, std::result::Result<LiveValue, LiveValue>>;
type Entries = BoxStream<'static, std::result::Result<LiveValue, LiveValue>>;

impl std::fmt::Debug for LiveValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveValue")
            .field("value", &self.value)
            .field("promises", &self.promises.iter().map(|(n, _)| *n).collect::<Vec<_>>())
            .field("streams", &self.streams.iter().map(|(n, k, _)| (*n, *k)).collect::<Vec<_>>())
            .finish()
    }
}

impl From<Value> for LiveValue {
    fn from(value: Value) -> Self {
        LiveValue::new(value)
    }
}

impl LiveValue {
    /// A value with no sources yet.
    pub fn new(value: Value) -> Self {
        LiveValue { value, promises: Vec::new(), streams: Vec::new() }
    }

    /// The value.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The value, to build on.
    pub fn value_mut(&mut self) -> &mut Value {
        &mut self.value
    }

    /// A pending promise node that settles when `source` completes: `Ok`
    /// fulfils it, `Err` rejects it with that reason.
    pub fn promise<F>(&mut self, source: F) -> Item
    where
        F: Future<Output = std::result::Result<LiveValue, LiveValue>> + Send + 'static,
    {
        let n = self.value.add(Node::Promise(Promise::Pending));
        self.promises.push((n, source.boxed()));
        Item::Node(n)
    }

    /// An open stream node (a `ReadableStream`, or an async iterable or
    /// iterator) whose values come from `source`: each `Ok` is a value, an
    /// `Err` errors the stream with that reason, and the source's end closes
    /// it.
    pub fn stream<S>(&mut self, kind: StreamKind, source: S) -> Item
    where
        S: Stream<Item = std::result::Result<LiveValue, LiveValue>> + Send + 'static,
    {
        let n = self.value.add(Node::Stream(StreamNode { kind, values: Vec::new(), end: StreamEnd::Open }));
        self.streams.push((n, kind, source.boxed()));
        Item::Node(n)
    }
}

/// The tasks waiting on each pending promise node.
type PromiseWaits = HashMap<NodeId, Vec<Waiter>>;

/// What a source gave, for the tasks waiting on it.
enum Arrival {
    Promise(Vec<Waiter>, std::result::Result<LiveValue, LiveValue>),
    Stream(Waiter, StreamKind, Option<std::result::Result<LiveValue, LiveValue>>, Entries),
}

/// How a waiting task resumes.
#[derive(Clone, Copy)]
enum Resume {
    Fulfilled,
    Rejected,
    Entry,
    Close,
    Error,
}

/// The response bytes of a [`LiveValue`], chunk by chunk: first every row
/// of what is known at the start, then the rows of each later value as its
/// source gives it. Made by [`Encoder::encode_live`].
pub struct RowStream {
    opts: Encoder,
    sh: Option<Shared>,
    first: Option<LiveValue>,
    pending: FuturesUnordered<BoxFuture<'static, Arrival>>,
    done: bool,
}

impl std::fmt::Debug for RowStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowStream").field("waiting", &self.pending.len()).field("done", &self.done).finish()
    }
}

impl Encoder {
    /// Encode a value whose promises and streams settle later: a stream of
    /// byte chunks for a response body (hyper, axum, ...), with no runtime
    /// of its own. The first chunk is what [`Encoder::encode`] would write
    /// for the settled part, byte for byte; each later chunk holds the rows
    /// of one settlement.
    ///
    /// A promise or stream with no source that never settles is an error
    /// item, as in [`Encoder::encode`]; so is a value React cannot send,
    /// unless [`Encoder::error_rows`] is on.
    pub fn encode_live(&self, value: LiveValue) -> RowStream {
        RowStream {
            opts: self.clone(),
            sh: Some(Shared::default()),
            first: Some(value),
            pending: FuturesUnordered::new(),
            done: false,
        }
    }
}

impl RowStream {
    /// Run one simulation over `lv` (the first value, or what a source
    /// gave), queue the sources it now waits for, and return its bytes.
    fn step(&mut self, lv: LiveValue, resume: Option<(&[Waiter], Resume)>) -> Result<Bytes> {
        let sh = self.sh.take().ok_or_else(|| Error::unsupported("the response has already failed"))?;
        let LiveValue { value, promises, streams } = lv;
        let mut e = Enc::new(&value, &self.opts, sh);
        match resume {
            None => e.run()?,
            Some((waiters, how)) => e.resume(waiters, how)?,
        }
        let (mut waiting, open) = e.waits();
        let mut accounted = 0;
        for (node, source) in promises {
            if let Some(ws) = waiting.remove(&node) {
                accounted += ws.len();
                self.pending.push(source.map(move |r| Arrival::Promise(ws, r)).boxed());
            }
        }
        for (node, kind, source) in streams {
            if let Some(&w) = open.get(&node) {
                accounted += 1;
                self.pending.push(next_entry(w, kind, source));
            }
        }
        let unfinished = e.tasks.iter().filter(|t| !t.done).count();
        if unfinished > accounted {
            return Err(Error::unsupported(
                "a promise or stream that never settles (it has no source) cannot be encoded: the response would never end",
            ));
        }
        let mut sh = e.sh;
        let out = Bytes::from(std::mem::take(&mut sh.out));
        self.sh = Some(sh);
        Ok(out)
    }

    fn arrive(&mut self, a: Arrival) -> Result<Bytes> {
        match a {
            Arrival::Promise(ws, Ok(lv)) => self.step(lv, Some((&ws, Resume::Fulfilled))),
            Arrival::Promise(ws, Err(lv)) => self.step(lv, Some((&ws, Resume::Rejected))),
            Arrival::Stream(w, kind, Some(Ok(lv)), rest) => {
                let out = self.step(lv, Some((&[w], Resume::Entry)))?;
                self.pending.push(next_entry(w, kind, rest));
                Ok(out)
            }
            Arrival::Stream(w, _, Some(Err(lv)), _) => self.step(lv, Some((&[w], Resume::Error))),
            Arrival::Stream(w, _, None, _) => self.step(LiveValue::new(Value::new()), Some((&[w], Resume::Close))),
        }
    }
}

fn next_entry(w: Waiter, kind: StreamKind, source: Entries) -> BoxFuture<'static, Arrival> {
    source.into_future().map(move |(item, rest)| Arrival::Stream(w, kind, item, rest)).boxed()
}

impl Stream for RowStream {
    type Item = Result<Bytes>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            let r = if let Some(first) = this.first.take() {
                this.step(first, None)
            } else if this.pending.is_empty() {
                this.done = true;
                return Poll::Ready(None);
            } else {
                match this.pending.poll_next_unpin(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(None) => {
                        this.done = true;
                        return Poll::Ready(None);
                    }
                    Poll::Ready(Some(a)) => this.arrive(a),
                }
            };
            match r {
                Ok(bytes) if bytes.is_empty() => continue,
                Ok(bytes) => return Poll::Ready(Some(Ok(bytes))),
                Err(e) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
            }
        }
    }
}

impl Enc<'_> {
    /// After a run: the tasks waiting on each pending promise node
    /// (following promises that adopt it), and the open streams' tasks.
    fn waits(&self) -> (PromiseWaits, HashMap<NodeId, Waiter>) {
        use super::{JsPromise, Then};
        let mut out = HashMap::new();
        for (&node, state) in &self.promises {
            if !matches!(self.v.node(node), Node::Promise(Promise::Pending)) {
                continue;
            }
            let mut waiters = Vec::new();
            let mut stack = vec![state];
            let mut seen = 0;
            while let Some(JsPromise::Pending(list)) = stack.pop() {
                seen += 1;
                if seen > self.promises.len() {
                    break;
                }
                for then in list {
                    match *then {
                        Then::Ping(t) if !self.tasks[t].done => {
                            waiters.push(Waiter { id: self.tasks[t].id, ctx: self.tasks[t].ctx })
                        }
                        Then::Adopt(p) => stack.extend(self.promises.get(&p)),
                        _ => {}
                    }
                }
            }
            if !waiters.is_empty() {
                out.insert(node, waiters);
            }
        }
        let open = self
            .open_streams
            .iter()
            .filter(|(_, t)| !self.tasks[*t].done)
            .map(|&(n, t)| (n, Waiter { id: self.tasks[t].id, ctx: self.tasks[t].ctx }))
            .collect();
        (out, open)
    }

    /// Resume tasks that were waiting: the value this simulation renders
    /// (its root) is what their source gave.
    fn resume(&mut self, waiters: &[Waiter], how: Resume) -> Result<()> {
        use super::{Model, Task};
        self.opening = false;
        self.destination = true;
        self.prologue();
        let root = self.v.root().clone();
        for w in waiters {
            self.tasks.push(Task { id: w.id, model: None, ctx: w.ctx, done: false });
            let t = self.tasks.len() - 1;
            match how {
                Resume::Fulfilled => {
                    self.tasks[t].model = Some(Model::Item(root.clone()));
                    self.ping(t);
                }
                Resume::Rejected | Resume::Error => {
                    self.errored_task(t, &Reason::Item(root.clone()));
                    self.enqueue_flush();
                }
                Resume::Entry => {
                    // The stream's task goes on in the source's hands.
                    self.tasks[t].done = true;
                    self.stream_chunk(t, &root)?;
                    self.enqueue_flush();
                }
                Resume::Close => {
                    self.tasks[t].done = true;
                    self.push_tag_row(w.id, super::tag::row::CLOSE);
                    self.enqueue_flush();
                }
            }
        }
        self.run_loop()
    }
}
