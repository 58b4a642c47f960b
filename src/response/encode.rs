//! The response encoder (server role): the rows React 19.3.1's production
//! `renderToReadableStream` writes for a value, byte for byte.
//!
//! React renders a value as *tasks*: row 0 is the root task, and every value
//! that is outlined (a Map, a promise, a stream, a Blob, an element deferred
//! by the row-size rule...) is a task of its own, numbered from one counter
//! in the order React meets it. Some tasks run at once, inside their parent;
//! promises, Blobs and stream entries run later, when JavaScript's microtask
//! queue gets to them, and the rows come out in *flushes*, each writing its
//! import rows, then hint rows, then regular rows, then error rows. Row order
//! therefore depends on timing. This encoder replays it: it walks the value
//! exactly as React's `renderModelDestructive` does, and simulates the
//! microtask queue, with the number of queue turns each asynchronous source
//! takes measured on Node 20 for values built as the conformance harness
//! builds them (`conformance/lib/tagged.cjs`): a settled promise 1 turn, a
//! promise resolved with a promise 2 more, a `ReadableStream` read 1, an
//! async generator step 2 (1 when it throws), a Blob read 3 (empty or not:
//! measured beside a `ReadableStream`, whose reads take 1 turn each).

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::sync::Arc;

use super::tag::{self, Builtin, Ref};
use crate::error::{Error, Result};
use crate::js::{utf16_len, write_number};
use crate::limits::Limits;
use crate::value::{
    js_entries, BundlerId, Item, Node, NodeId, Object, Promise, Str, StreamEnd, StreamKind, Symbol, Value,
};
use crate::version::{React, ResponseRows};
use crate::wire::json::write_str;
use crate::wire::refs::{Key, RefId, Refs, Seen};
use crate::wire::{hex_id as hex, Hex};

mod live;
pub use live::{LiveValue, RowStream};

/// React's `MAX_ROW_SIZE`: once a row's strings and keys pass this many
/// UTF-16 units, further elements go to rows of their own.
const MAX_ROW_SIZE: usize = 3200;
/// Strings of this many UTF-16 units or more go to `T` rows.
const TEXT_ROW_MIN: usize = 1024;
/// Strings in client-reference metadata of this many units or more are
/// written once, as rows of their own...
const IMPORT_STRING_MIN: usize = 16;
/// ...until their total length would pass this.
const IMPORT_STRING_BUDGET: usize = 32768;

const FUNCTIONS: &str = "Functions cannot be passed directly to Client Components unless you explicitly expose it by marking it with \"use server\". Or maybe you meant to call this function rather than return it.";
const EVENT_HANDLERS: &str = "Event handlers cannot be passed to Client Component props.";
const INSTANCES: &str = "Only plain objects, and a few built-ins, can be passed to Client Components from Server Components. Classes or null prototypes are not supported.";
const REFS: &str = "Refs cannot be used in Server Components, nor passed to Client Components.";
/// Node's message for `getReader()` on a stream that already has a reader.
const LOCKED: &str = "Invalid state: ReadableStream is locked";
const CHAINING_CYCLE: &str = "Chaining cycle detected for promise #<Promise>";

/// What went wrong, as React's `onError` would see it: a value React cannot
/// send (`reason` is `None`, `message` is React's text), or a rejected
/// promise or errored stream (`reason` is the rejection reason).
#[derive(Debug)]
pub struct ErrorInfo<'a> {
    /// React's message for a value it cannot send, or the reason: an
    /// `Error`'s message, anything else as JavaScript's `String(reason)`
    /// shows it.
    pub message: String,
    /// The rejection reason, when there is one.
    pub reason: Option<&'a Item>,
    /// The value being encoded (to look up the reason's nodes).
    pub value: &'a Value,
}

type DigestFn = Arc<dyn Fn(&ErrorInfo<'_>) -> String + Send + Sync>;

/// Encodes values as production response streams (server role).
///
/// Errors are written as `E` rows carrying only a *digest*, never a message
/// or a stack: [`Encoder::on_error`] chooses the digest (by default the
/// reason's own `digest` when it is an `Error` that has one, else `""`).
///
/// A value React cannot send (a function that is not a server reference, a
/// class instance or null-prototype object, a local symbol, an element with a
/// `ref`) is refused with React's message, as an [`Error`] of category
/// `Unsupported`; with [`Encoder::error_rows`] it becomes an `E` row instead,
/// as React's renderer does. A promise that never settles is refused: the
/// stream would never end.
///
/// # Examples
///
/// ```
/// use rsc_flight::{response::Encoder, tagged};
/// let v = tagged::from_str(r#"{"m":{"$type":"Map","entries":[["k",1]]},"p":{"$type":"Promise","status":"fulfilled","value":"done"}}"#)?;
/// let bytes = Encoder::new().encode(&v)?;
/// assert_eq!(bytes, b"1:[[\"k\",1]]\n0:{\"m\":\"$Q1\",\"p\":\"$@2\"}\n2:\"done\"\n");
/// # Ok::<(), rsc_flight::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Encoder {
    error_rows: bool,
    digest: Option<DigestFn>,
    hints: Vec<(char, String)>,
    limits: Limits,
    react: React,
}

impl fmt::Debug for Encoder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Encoder")
            .field("error_rows", &self.error_rows)
            .field("on_error", &self.digest.as_ref().map(|_| "<fn>"))
            .field("hints", &self.hints)
            .field("limits", &self.limits)
            .field("react", &self.react)
            .finish()
    }
}

/// Encode `value` as React's production response rows, with the default
/// [`Encoder`].
///
/// ```
/// let v = rsc_flight::tagged::from_str(r#"[1,"$x"]"#)?;
/// assert_eq!(rsc_flight::response::to_vec(&v)?, b"0:[1,\"$$x\"]\n");
/// # Ok::<(), rsc_flight::Error>(())
/// ```
pub fn to_vec(value: &Value) -> Result<Vec<u8>> {
    Encoder::new().encode(value)
}

impl Encoder {
    /// An encoder that refuses what React cannot send, with `""` digests for
    /// reasons that carry none.
    pub fn new() -> Self {
        Self::default()
    }

    /// Write values React cannot send as `E` rows, as React's renderer does,
    /// instead of refusing the whole value.
    ///
    /// ```
    /// use rsc_flight::{response::Encoder, tagged};
    /// let v = tagged::from_str(r#"{"f":{"$type":"Function","name":"f"}}"#)?;
    /// assert!(Encoder::new().encode(&v).unwrap_err().to_string().contains("Functions cannot be passed directly to Client Components"));
    /// assert_eq!(Encoder::new().error_rows(true).encode(&v)?, b"0:{\"f\":\"$1\"}\n1:E{\"digest\":\"\"}\n");
    /// # Ok::<(), rsc_flight::Error>(())
    /// ```
    #[must_use]
    pub fn error_rows(mut self, on: bool) -> Self {
        self.error_rows = on;
        self
    }

    /// Choose the digest of each error row (React's `onError`). The message
    /// is for logging on the server; only the digest is sent.
    ///
    /// ```
    /// use rsc_flight::{response::Encoder, tagged};
    /// let v = tagged::from_str(r#"{"$type":"Promise","status":"rejected","reason":"nope"}"#)?;
    /// let e = Encoder::new().on_error(|info| format!("len-{}", info.message.len()));
    /// assert_eq!(e.encode(&v)?, b"0:\"$@1\"\n1:E{\"digest\":\"len-4\"}\n");
    /// # Ok::<(), rsc_flight::Error>(())
    /// ```
    #[must_use]
    pub fn on_error(mut self, f: impl Fn(&ErrorInfo<'_>) -> String + Send + Sync + 'static) -> Self {
        self.digest = Some(Arc::new(f));
        self
    }

    /// Send a resource hint (`:H` row) with the first rows: `code` is React's
    /// hint letter (`L` preload, `S` stylesheet, `D` DNS prefetch, ...) and
    /// `model` its JSON payload. Hints from `<img>` and `<link>` elements are
    /// added as React adds them.
    ///
    /// ```
    /// use rsc_flight::{response::Encoder, Value, value::Item};
    /// let e = Encoder::new().hint('D', r#""https://example.com""#);
    /// let bytes = e.encode(&Value::from_item(Item::Null))?;
    /// assert_eq!(bytes, b":HD\"https://example.com\"\n0:null\n");
    /// # Ok::<(), rsc_flight::Error>(())
    /// ```
    #[must_use]
    pub fn hint(mut self, code: char, model: &str) -> Self {
        self.hints.push((code, model.to_owned()));
        self
    }

    /// Write rows as `react`'s `renderToReadableStream` writes them
    /// (default: React 19.3.1), for a client that runs that version: 19.2's
    /// byte-stream chunks are `o` rows (a 19.2 client fails on 19.3's `b`
    /// rows), its client-reference strings stay inline, and a stylesheet's
    /// preload hint says `"stylesheet"`. Supported: the releases whose rows
    /// were seen to match on every vector case, 19.2.5-19.2.9 and 19.3.x;
    /// [`Encoder::encode`] refuses the others (spec/versions.md).
    ///
    /// ```
    /// use rsc_flight::{response::Encoder, tagged};
    /// let v = tagged::from_str(r#"{"$type":"ReadableByteStream","base64":"AQID"}"#)?;
    /// assert_eq!(Encoder::new().react("19.2.9".parse()?).encode(&v)?, b"1:r\n0:\"$1\"\n1:o3,\x01\x02\x031:C\n");
    /// assert!(Encoder::new().react("19.1.0".parse()?).encode(&v).is_err());
    /// # Ok::<(), rsc_flight::Error>(())
    /// ```
    #[must_use]
    pub fn react(mut self, react: React) -> Self {
        self.react = react;
        self
    }

    /// Use `limits` (the encoder uses `max_depth`).
    #[must_use]
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
    /// The limits in use.
    pub fn get_limits(&self) -> &Limits {
        &self.limits
    }

    /// Encode `value`: every row React writes, in React's order.
    pub fn encode(&self, value: &Value) -> Result<Vec<u8>> {
        let mut e = Enc::new(value, self, Shared::default());
        e.run()?;
        if e.tasks.iter().any(|t| !t.done) {
            return Err(Error::unsupported(
                "a promise that never settles cannot be encoded: the response would never end",
            ));
        }
        Ok(e.sh.out)
    }
}

// --- the simulation's state ---------------------------------------------------

/// What a task renders.
#[derive(Debug, Clone)]
enum Model {
    Item(Item),
    /// A Blob's `[type, bytes]`.
    Blob(NodeId),
    /// A server reference's bound arguments.
    Bound(NodeId),
}

#[derive(Debug, Clone)]
enum Reason {
    Item(Item),
    Message(&'static str),
}

#[derive(Debug, Clone)]
enum Outcome {
    Fulfilled(Model),
    Rejected(Reason),
}

/// What runs when a promise settles.
#[derive(Debug, Clone, Copy)]
enum Then {
    /// React's listener that records the status: nothing we need.
    Status,
    /// Render the task (or error it).
    Ping(usize),
    /// Settle this promise the same way (a promise resolved with a promise).
    Adopt(NodeId),
}

#[derive(Debug)]
enum JsPromise {
    Pending(Vec<Then>),
    Settled(Outcome),
}

#[derive(Debug)]
enum Step {
    Readable { task: usize, node: NodeId, pos: usize },
    Bytes { task: usize, node: NodeId, pos: usize },
    Iterable { task: usize, node: NodeId, pos: usize },
    BlobRead { task: usize },
}

#[derive(Debug)]
enum Job {
    PerformWork,
    Pull,
    Reaction(Outcome, Then),
    /// JavaScript's NewPromiseResolveThenableJob.
    ResolveThenable {
        target: NodeId,
        source: NodeId,
    },
    /// Wait this many more queue turns, then run the step.
    Hop(u32, Step),
}

#[derive(Debug)]
enum Macro {
    /// React's `setImmediate` that ends the opening phase.
    Open,
    Flush,
    PerformWork,
}

#[derive(Debug)]
struct Task {
    id: u32,
    model: Option<Model>,
    ctx: u8,
    done: bool,
}

/// A value React cannot send, caught where React catches it.
struct Refusal {
    message: String,
    /// The value was an element: referenced as `$L`.
    lazy: bool,
}

/// Where a value sits: its parent's reference (when the parent has one), its
/// key, and the name React uses in paths (element slots are named).
#[derive(Clone, Copy)]
struct Slot<'a> {
    holder: Option<RefId>,
    key: Key<'a>,
    path_key: Key<'a>,
    /// The type slot of an element tuple (a client reference there is `$L`).
    element_type: bool,
    /// The value is its task's model.
    root: bool,
}

impl<'a> Slot<'a> {
    fn child(holder: Option<RefId>, key: Key<'a>) -> Self {
        Slot { holder, key, path_key: key, element_type: false, root: false }
    }
    fn root() -> Self {
        Slot { holder: None, key: Key::Name(""), path_key: Key::Name(""), element_type: false, root: true }
    }
}

/// What outlives one value's simulation: the row ids, the output queues, and
/// React's per-request dedupe of things that are not objects (symbols,
/// client references, import strings, hints). The async encoder carries it
/// from the first value to the values that settle later.
#[derive(Default)]
struct Shared {
    next_id: u32,
    imports: Vec<u8>,
    hints: Vec<u8>,
    regular: Vec<u8>,
    errors: Vec<u8>,
    out: Vec<u8>,
    symbols: HashMap<Str, u32>,
    client_refs: HashMap<String, u32>,
    import_strings: HashMap<Str, String>,
    import_strings_size: usize,
    hint_keys: HashSet<String>,
}

/// A task left waiting for a value that settles later (async encoder):
/// its row id and format context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Waiter {
    id: u32,
    ctx: u8,
}

struct Enc<'v> {
    v: &'v Value,
    opts: &'v Encoder,
    sh: Shared,
    tasks: Vec<Task>,
    /// The task being rendered: its id and format context.
    cur: (u32, u8),
    pinged: Vec<usize>,
    micro: VecDeque<Job>,
    macros: VecDeque<Macro>,
    promises: HashMap<NodeId, JsPromise>,
    opening: bool,
    destination: bool,
    flush_scheduled: bool,
    /// Each written node's reference.
    written: Refs<'v>,
    server_refs: HashMap<NodeId, u32>,
    /// Streams already being read.
    streams: HashSet<NodeId>,
    /// Sync iterators already read to their end (`Array.from(iterator)`):
    /// written again, they have nothing left.
    iterated: HashSet<NodeId>,
    /// Open streams whose task has written every value so far.
    open_streams: Vec<(NodeId, usize)>,
    model_root: Option<NodeId>,
    /// React's `serializedSize`: UTF-16 units of strings and keys so far in
    /// the row being written.
    size: usize,
    depth: usize,
}

/// Nodes that are `typeof "function"` in JavaScript: no path references.
fn is_function(node: &Node) -> bool {
    matches!(
        node,
        Node::ServerReference(_) | Node::ClientReference(_) | Node::Function(_) | Node::TemporaryReference(_)
    )
}

impl<'v> Enc<'v> {
    fn new(v: &'v Value, opts: &'v Encoder, sh: Shared) -> Self {
        Enc {
            v,
            opts,
            sh,
            tasks: Vec::new(),
            cur: (0, 0),
            pinged: Vec::new(),
            micro: VecDeque::new(),
            macros: VecDeque::new(),
            promises: HashMap::new(),
            opening: true,
            destination: false,
            flush_scheduled: false,
            written: Refs::new(v.len()),
            server_refs: HashMap::new(),
            streams: HashSet::new(),
            iterated: HashSet::new(),
            open_streams: Vec::new(),
            model_root: None,
            size: 0,
            depth: 0,
        }
    }

    /// The rows of the version being written (`run` checked there are).
    fn rows(&self) -> ResponseRows {
        self.opts.react.dialect().response.unwrap_or(ResponseRows::V19_3)
    }

    fn alloc(&mut self) -> u32 {
        let id = self.sh.next_id;
        self.sh.next_id += 1;
        id
    }

    /// React's `createTask`: a new id; an object model is registered under
    /// it.
    fn create_task(&mut self, model: Option<Model>, ctx: u8) -> usize {
        let id = self.alloc();
        if let Some(Model::Item(Item::Node(n))) = &model {
            if !is_function(self.v.node(*n)) {
                let r = self.written.text(Ref::Model.text(id));
                self.written.set(*n, r);
            }
        }
        self.tasks.push(Task { id, model, ctx, done: false });
        self.tasks.len() - 1
    }

    fn run(&mut self) -> Result<()> {
        if self.opts.react.dialect().response.is_none() {
            return Err(Error::unsupported(format!(
                "writing responses as React {} writes them is not supported: its rows have not been checked on \
                 every vector case (supported: 19.2.5-19.2.9, 19.3.0-19.3.1; spec/versions.md)",
                self.opts.react
            )));
        }
        for (code, model) in &self.opts.hints {
            self.sh.hints.extend_from_slice(format!(":H{code}{model}\n").as_bytes());
        }
        let root = self.create_task(Some(Model::Item(self.v.root().clone())), 0);
        self.pinged.push(root);
        self.prologue();
        // renderToReadableStream: startWork queues performWork, the stream's
        // start queues the first pull, and a setImmediate ends the opening.
        self.micro.push_back(Job::PerformWork);
        self.micro.push_back(Job::Pull);
        self.macros.push_back(Macro::Open);
        self.run_loop()
    }

    /// Run the event loop until nothing is left to do.
    fn run_loop(&mut self) -> Result<()> {
        loop {
            while let Some(job) = self.micro.pop_front() {
                self.run_job(job)?;
            }
            match self.macros.pop_front() {
                Some(Macro::Open) => self.opening = false,
                Some(Macro::Flush) => {
                    self.flush_scheduled = false;
                    self.flush();
                }
                Some(Macro::PerformWork) => self.perform_work()?,
                None => break,
            }
        }
        self.flush();
        Ok(())
    }

    /// Settle the promises as the harness does once the value is built: in
    /// build order (depth first, a promise after its value). A promise
    /// resolved with a promise adopts its state through a queued job.
    fn prologue(&mut self) {
        enum Frame {
            Visit(NodeId),
            Settle(NodeId),
        }
        let v: &'v Value = self.v;
        let mut seen = vec![false; v.len()];
        let mut stack: Vec<Frame> = Vec::new();
        if let Item::Node(n) = v.root() {
            stack.push(Frame::Visit(*n));
        }
        // Only nodes are visited; one buffer serves every node's children.
        let mut children: Vec<NodeId> = Vec::new();
        while let Some(f) = stack.pop() {
            let n = match f {
                Frame::Settle(p) => {
                    self.settle_initial(p);
                    continue;
                }
                Frame::Visit(n) => n,
            };
            if std::mem::replace(&mut seen[n.index()], true) {
                continue;
            }
            children.clear();
            let mut add = |items: &mut dyn Iterator<Item = &Item>| {
                children.extend(items.filter_map(|i| if let Item::Node(c) = i { Some(*c) } else { None }));
            };
            match v.node(n) {
                Node::Object(o) => add(&mut js_entries(o).map(|(_, v)| v)),
                Node::Array(items) | Node::Set(items) | Node::Iterator(items) => add(&mut items.iter()),
                Node::Map(pairs) => add(&mut pairs.iter().flat_map(|(k, v)| [k, v])),
                Node::FormData(entries) => add(&mut entries.iter().map(|(_, v)| v)),
                Node::Instance { entries, .. } => add(&mut entries.iter().map(|(_, v)| v)),
                Node::Promise(Promise::Fulfilled(x) | Promise::Rejected(x)) => {
                    stack.push(Frame::Settle(n));
                    add(&mut std::iter::once(x));
                }
                Node::Promise(Promise::Pending) => stack.push(Frame::Settle(n)),
                Node::Stream(s) => {
                    add(&mut s.values.iter());
                    match &s.end {
                        StreamEnd::Return(x) | StreamEnd::Error(x) => add(&mut std::iter::once(x)),
                        StreamEnd::Open => {}
                    }
                }
                Node::ServerReference(r) => add(&mut r.bound.iter().flatten()),
                Node::Element { ty, props, .. } => add(&mut [props, ty].into_iter()),
                _ => {}
            }
            stack.extend(children.iter().rev().map(|&c| Frame::Visit(c)));
        }
    }

    fn settle_initial(&mut self, p: NodeId) {
        let Node::Promise(state) = self.v.node(p) else { return };
        let js = match state {
            Promise::Pending => JsPromise::Pending(Vec::new()),
            Promise::Rejected(r) => JsPromise::Settled(Outcome::Rejected(Reason::Item(r.clone()))),
            Promise::Fulfilled(Item::Node(q)) if *q == p => {
                JsPromise::Settled(Outcome::Rejected(Reason::Message(CHAINING_CYCLE)))
            }
            Promise::Fulfilled(Item::Node(q)) if matches!(self.v.node(*q), Node::Promise(_)) => {
                self.micro.push_back(Job::ResolveThenable { target: p, source: *q });
                JsPromise::Pending(Vec::new())
            }
            Promise::Fulfilled(x) => JsPromise::Settled(Outcome::Fulfilled(Model::Item(x.clone()))),
        };
        self.promises.insert(p, js);
    }

    /// `promise.then(...)`: queued at once when it has settled.
    fn then(&mut self, p: NodeId, then: Then) {
        if !self.promises.contains_key(&p) {
            self.settle_initial(p);
        }
        match self.promises.get_mut(&p) {
            Some(JsPromise::Settled(o)) => {
                let o = o.clone();
                self.micro.push_back(Job::Reaction(o, then));
            }
            Some(JsPromise::Pending(list)) => list.push(then),
            None => {}
        }
    }

    fn run_job(&mut self, job: Job) -> Result<()> {
        match job {
            Job::PerformWork => self.perform_work()?,
            Job::Pull => {
                self.destination = true;
                self.flush();
            }
            Job::ResolveThenable { target, source } => self.then(source, Then::Adopt(target)),
            Job::Reaction(outcome, then) => match then {
                Then::Status => {}
                Then::Adopt(target) => {
                    let old = self.promises.insert(target, JsPromise::Settled(outcome.clone()));
                    if let Some(JsPromise::Pending(list)) = old {
                        for t in list {
                            self.micro.push_back(Job::Reaction(outcome.clone(), t));
                        }
                    }
                }
                Then::Ping(t) => {
                    if !self.tasks[t].done {
                        match outcome {
                            Outcome::Fulfilled(m) => {
                                self.tasks[t].model = Some(m);
                                self.ping(t);
                            }
                            Outcome::Rejected(r) => {
                                self.errored_task(t, &r);
                                self.enqueue_flush();
                            }
                        }
                    }
                }
            },
            Job::Hop(n, step) if n > 1 => self.micro.push_back(Job::Hop(n - 1, step)),
            Job::Hop(_, step) => self.step(step)?,
        }
        Ok(())
    }

    fn ping(&mut self, t: usize) {
        self.pinged.push(t);
        if self.pinged.len() == 1 {
            self.flush_scheduled = self.destination;
            if self.opening {
                self.micro.push_back(Job::PerformWork);
            } else {
                self.macros.push_back(Macro::PerformWork);
            }
        }
    }

    fn enqueue_flush(&mut self) {
        if !self.flush_scheduled && self.pinged.is_empty() && self.destination {
            self.flush_scheduled = true;
            self.macros.push_back(Macro::Flush);
        }
    }

    fn flush(&mut self) {
        if !self.destination {
            return;
        }
        for q in [&mut self.sh.imports, &mut self.sh.hints, &mut self.sh.regular, &mut self.sh.errors] {
            // Usually one queue holds everything: hand it over, not a copy.
            if self.sh.out.is_empty() {
                std::mem::swap(&mut self.sh.out, q);
            } else {
                self.sh.out.append(q);
            }
        }
        self.flush_scheduled = false;
    }

    fn perform_work(&mut self) -> Result<()> {
        let pinged = std::mem::take(&mut self.pinged);
        for t in pinged {
            self.retry_task(t)?;
        }
        self.flush();
        Ok(())
    }

    fn push_row(&mut self, id: u32, json: &str) {
        let out = &mut self.sh.regular;
        out.extend_from_slice(Hex::new(id).as_str().as_bytes());
        out.push(b':');
        out.extend_from_slice(json.as_bytes());
        out.push(b'\n');
    }

    fn push_binary(&mut self, id: u32, tag: u8, bytes: &[u8]) {
        let out = &mut self.sh.regular;
        out.extend_from_slice(Hex::new(id).as_str().as_bytes());
        out.push(b':');
        out.push(tag);
        out.extend_from_slice(Hex::new(bytes.len() as u32).as_str().as_bytes());
        out.push(b',');
        out.extend_from_slice(bytes);
    }

    fn push_text(&mut self, id: u32, s: &str) {
        self.push_binary(id, tag::TEXT_ROW, s.as_bytes());
    }

    fn digest(&self, message: String, reason: Option<&Item>) -> String {
        let info = ErrorInfo { message, reason, value: self.v };
        match &self.opts.digest {
            Some(f) => f(&info),
            None => match reason.and_then(|r| self.v.resolve(r)) {
                Some(Node::Error { digest: Some(d), .. }) => d.to_string(),
                _ => String::new(),
            },
        }
    }

    fn push_error(&mut self, id: u32, message: String, reason: Option<&Item>) {
        let digest = self.digest(message, reason);
        let mut row = String::new();
        super::tag::write_error_row(&mut row, id, &digest);
        self.sh.errors.extend_from_slice(row.as_bytes());
    }

    fn errored_task(&mut self, t: usize, reason: &Reason) {
        self.tasks[t].done = true;
        let id = self.tasks[t].id;
        match reason {
            Reason::Item(r) => {
                let message = self.describe(r);
                self.push_error(id, message, Some(r));
            }
            Reason::Message(m) => self.push_error(id, (*m).to_owned(), None),
        }
    }

    /// A value React cannot send where React catches it: an error row of its
    /// own (or, when refusing, an error).
    fn refused(&mut self, r: Refusal) -> Result<u32> {
        if !self.opts.error_rows {
            return Err(Error::unsupported(r.message));
        }
        let id = self.alloc();
        self.push_error(id, r.message, None);
        Ok(id)
    }

    /// What `onError` is told of a reason: an `Error`'s message, else
    /// JavaScript's `String(reason)`.
    fn describe(&self, reason: &Item) -> String {
        match reason {
            Item::Node(n) => match self.v.node(*n) {
                Node::Error { message, .. } => message.to_string(),
                _ => crate::value::convert::to_string(self.v, reason),
            },
            _ => crate::value::convert::to_string(self.v, reason),
        }
    }

    // --- tasks ------------------------------------------------------------------

    /// React's `retryTask`: render the task's model as its row.
    fn retry_task(&mut self, t: usize) -> Result<()> {
        if self.tasks[t].done {
            return Ok(());
        }
        let Some(model) = self.tasks[t].model.take() else { return Ok(()) };
        let saved = (self.size, self.cur);
        self.cur = (self.tasks[t].id, self.tasks[t].ctx);
        let id = self.cur.0;
        let mut out = String::new();
        let result = match &model {
            Model::Item(item) => {
                self.model_root = match item {
                    Item::Node(n) => Some(*n),
                    _ => None,
                };
                self.render(&mut out, Slot::root(), item)
            }
            Model::Blob(n) => {
                let Node::Blob(b) = self.v.node(*n) else { unreachable!("a Blob task") };
                let holder = self.written.text(Ref::Model.text(id));
                out.push('[');
                self.resolve(&mut out, Slot::child(Some(holder), Key::Index(0)), &Item::String(b.mime.clone()))?;
                if !b.bytes.is_empty() {
                    out.push(',');
                    self.size += 1;
                    let bid = self.alloc();
                    self.push_binary(
                        bid,
                        crate::wire::tags::typed_array_letter(crate::value::TypedArrayKind::Uint8),
                        &b.bytes,
                    );
                    Ref::Model.write(&mut out, bid);
                }
                out.push(']');
                Ok(None)
            }
            Model::Bound(n) => {
                let Node::ServerReference(r) = self.v.node(*n) else { unreachable!("a server reference") };
                let holder = self.written.text(Ref::Model.text(id));
                self.model_root = None;
                self.write_items(&mut out, Some(holder), r.bound.as_deref().unwrap_or_default())?;
                Ok(None)
            }
        };
        self.model_root = None;
        match result {
            Ok(None) => {
                self.push_row(id, &out);
                self.tasks[t].done = true;
            }
            Ok(Some(r)) => {
                if !self.opts.error_rows {
                    return Err(Error::unsupported(r.message));
                }
                self.tasks[t].done = true;
                self.push_error(id, r.message, None);
            }
            Err(e) => return Err(e),
        }
        (self.size, self.cur) = saved;
        Ok(())
    }

    /// React's `outlineModelWithFormatContext`: a task rendered at once.
    fn outline(&mut self, item: &Item, ctx: u8) -> Result<u32> {
        let t = self.create_task(Some(Model::Item(item.clone())), ctx);
        self.retry_task(t)?;
        Ok(self.tasks[t].id)
    }

    /// An outlined array React builds on the fly (`Array.from(map)`...).
    fn outline_fresh(&mut self, write: impl FnOnce(&mut Self, &mut String, RefId) -> Result<()>) -> Result<u32> {
        let id = self.alloc();
        let saved = (self.size, self.cur);
        self.cur = (id, 0);
        self.model_root = None;
        let mut out = String::new();
        let holder = self.written.text(Ref::Model.text(id));
        write(self, &mut out, holder)?;
        self.push_row(id, &out);
        (self.size, self.cur) = saved;
        Ok(id)
    }

    fn step(&mut self, step: Step) -> Result<()> {
        match step {
            Step::BlobRead { task } => {
                if !self.tasks[task].done {
                    self.ping(task);
                }
            }
            Step::Readable { task, node, pos } | Step::Iterable { task, node, pos } => {
                if self.tasks[task].done {
                    return Ok(());
                }
                let Node::Stream(s) = self.v.node(node) else { unreachable!("a stream task") };
                let id = self.tasks[task].id;
                let iterable = s.kind != StreamKind::Readable;
                if let Some(chunk) = s.values.get(pos) {
                    self.stream_chunk(task, chunk)?;
                    self.enqueue_flush();
                    let next = if iterable {
                        Job::Hop(iterator_turns(s, pos + 1), Step::Iterable { task, node, pos: pos + 1 })
                    } else {
                        Job::Hop(1, Step::Readable { task, node, pos: pos + 1 })
                    };
                    self.micro.push_back(next);
                    return Ok(());
                }
                match &s.end {
                    StreamEnd::Return(r) if iterable && *r != Item::Undefined => {
                        self.tasks[task].done = true;
                        let cid = self.outline(r, 0)?;
                        let mut row = String::from("C");
                        Ref::Model.write(&mut row, cid);
                        self.push_row(id, &row);
                    }
                    StreamEnd::Return(_) => {
                        self.tasks[task].done = true;
                        self.push_row(id, "C");
                    }
                    StreamEnd::Error(r) => self.errored_task(task, &Reason::Item(r.clone())),
                    // More may come: the task stays open (the async encoder
                    // reads on when its source gives the next entry).
                    StreamEnd::Open => {
                        self.open_streams.push((node, task));
                        return Ok(());
                    }
                }
                self.enqueue_flush();
            }
            Step::Bytes { task, node, pos } => {
                if self.tasks[task].done {
                    return Ok(());
                }
                let Node::ByteStream(bytes) = self.v.node(node) else { unreachable!("a byte stream task") };
                let id = self.tasks[task].id;
                if pos == 0 && !bytes.is_empty() {
                    // 19.2 sends a byte stream's chunks as Uint8Array rows.
                    let tag = if self.rows() == ResponseRows::V19_2 {
                        crate::wire::tags::typed_array_letter(crate::value::TypedArrayKind::Uint8)
                    } else {
                        tag::BYTES_ROW
                    };
                    self.push_binary(id, tag, bytes);
                    self.micro.push_back(Job::Hop(1, Step::Bytes { task, node, pos: 1 }));
                } else {
                    self.tasks[task].done = true;
                    self.push_row(id, "C");
                }
                self.enqueue_flush();
            }
        }
        Ok(())
    }

    /// React's `tryStreamTask`: one entry of a stream, as a row with the
    /// stream's id (strings always as `T` rows, binary as binary rows).
    fn stream_chunk(&mut self, task: usize, chunk: &Item) -> Result<()> {
        let saved = (self.size, self.cur);
        self.cur = (self.tasks[task].id, self.tasks[task].ctx);
        let id = self.cur.0;
        match chunk {
            Item::String(s) => self.push_text(id, s),
            Item::Node(n) if tag::binary_row_of(self.v.node(*n)).is_some() => {
                let (tag, bytes) = tag::binary_row_of(self.v.node(*n)).expect("checked");
                self.push_binary(id, tag, bytes);
            }
            _ => {
                let mut out = String::new();
                self.resolve(&mut out, Slot::child(None, Key::Name("")), chunk)?;
                self.push_row(id, &out);
            }
        }
        (self.size, self.cur) = saved;
        Ok(())
    }

    // --- values ------------------------------------------------------------------

    /// React's `resolveModel`: count the key, render the value, and catch a
    /// refusal as an error row of its own.
    // Inlined into its callers (once per value): −5% instructions on
    // `table-1mb`, a call and a `Slot` copy fewer per value.
    #[inline]
    fn resolve(&mut self, out: &mut String, slot: Slot<'v>, item: &Item) -> Result<()> {
        self.size += slot.key.utf16_len();
        if let Some(r) = self.render(out, slot, item)? {
            let lazy = r.lazy;
            let id = self.refused(r)?;
            (if lazy { Ref::Lazy } else { Ref::Model }).write(out, id);
        }
        Ok(())
    }

    /// React's `renderModelDestructive`, writing the result.
    fn render(&mut self, out: &mut String, slot: Slot<'v>, item: &Item) -> Result<Option<Refusal>> {
        match item {
            Item::Undefined => tag::write_undefined(out),
            Item::Null => out.push_str("null"),
            Item::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Item::Number(n) => tag::write_number(out, *n),
            Item::String(s) => {
                let len = utf16_len(s);
                self.size += len;
                if len >= TEXT_ROW_MIN {
                    let id = self.alloc();
                    self.push_text(id, s);
                    Ref::Model.write(out, id);
                } else {
                    tag::write_string(out, s);
                }
            }
            Item::BigInt(b) => tag::write_bigint(out, b.as_str()),
            // Below a task's root, JSON.stringify has called `toJSON` first:
            // an invalid Date is `null`, a valid one a string React counts.
            Item::Date(d) => match (d.is_valid(), slot.root) {
                (true, root) => {
                    let start = out.len();
                    tag::write_date(out, *d);
                    if !root {
                        // React counts the ISO text, without `"$D` and `"`.
                        self.size += out.len() - start - 4;
                    }
                }
                (false, true) => out.push_str(tag::INVALID_DATE_ROOT),
                (false, false) => out.push_str("null"),
            },
            Item::Symbol(Symbol::Registered(k)) => {
                let id = match self.sh.symbols.get(k) {
                    Some(id) => *id,
                    None => {
                        let id = self.alloc();
                        let mut row = format!("{}:", hex(id));
                        tag::write_symbol(&mut row, k);
                        row.push('\n');
                        self.sh.imports.extend_from_slice(row.as_bytes());
                        self.sh.symbols.insert(k.clone(), id);
                        id
                    }
                };
                Ref::Model.write(out, id);
            }
            Item::Symbol(Symbol::Local(d)) => {
                return Ok(Some(Refusal {
                    message: format!(
                        "Only global symbols received from Symbol.for(...) can be passed to Client Components. The symbol Symbol.for({}) cannot be found among global symbols.",
                        d.as_deref().unwrap_or("undefined")
                    ),
                    lazy: false,
                }))
            }
            Item::Node(n) => {
                self.depth += 1;
                if self.depth >= self.opts.limits.get_max_depth() {
                    return Err(Error::limit("max_depth", "a value nested too deeply to encode"));
                }
                let r = crate::stack::deep(|| self.render_node(out, slot, *n));
                self.depth -= 1;
                return r;
            }
        }
        Ok(None)
    }

    fn render_node(&mut self, out: &mut String, slot: Slot<'v>, n: NodeId) -> Result<Option<Refusal>> {
        let v: &'v Value = self.v;
        let node = v.node(n);
        match node {
            Node::Element { .. } => return self.render_element(out, slot, n),
            Node::ClientReference(c) => {
                let id = self.client_reference(c)?;
                (if slot.element_type { Ref::Lazy } else { Ref::Model }).write(out, id);
                return Ok(None);
            }
            Node::TemporaryReference(id) => {
                tag::write_temporary(out, id);
                return Ok(None);
            }
            Node::ServerReference(_) => {
                let id = self.server_reference(n)?;
                Ref::ServerReference.write(out, id);
                return Ok(None);
            }
            Node::Function(_) => {
                let handler = matches!(slot.key, Key::Name(k) if k.len() > 2 && k.starts_with("on") && k.as_bytes()[2].is_ascii_uppercase());
                let message = if handler { EVENT_HANDLERS } else { FUNCTIONS }.to_owned();
                return Ok(Some(Refusal { message, lazy: false }));
            }
            _ => {}
        }
        if let Node::Promise(_) = node {
            if let Seen::Written = self.written.meet(n, &mut self.model_root, out) {
                return Ok(None);
            }
            let t = self.create_task(None, self.cur.1);
            self.then(n, Then::Status);
            self.then(n, Then::Ping(t));
            let w = Ref::Promise.text(self.tasks[t].id);
            write_str(out, &w);
            let w = self.written.text(w);
            self.written.set(n, w);
            return Ok(None);
        }
        match self.written.of(n) {
            Some(w) => {
                // Written in full once more only as the root of its own row.
                let own_row =
                    self.written.own_text(w).and_then(|t| t.strip_prefix('$')) == Some(Hex::new(self.cur.0).as_str());
                if self.model_root != Some(n) || !own_row {
                    self.written.write(w, out);
                    return Ok(None);
                }
                self.model_root = None;
            }
            None => {
                // The first visit of a task's root takes it: met again
                // inside itself, it is the row's own reference (React
                // registers the rendered root under the row's id).
                if self.model_root == Some(n) {
                    self.model_root = None;
                }
                if let (Some(h), false) = (slot.holder, slot.key.has_colon()) {
                    let r = self.written.path(h, slot.path_key);
                    self.written.set(n, r);
                }
            }
        }
        // A task's root container is registered under the task's id.
        if slot.root && matches!(node, Node::Array(_) | Node::Object(_)) {
            let r = self.written.text(Ref::Model.text(self.cur.0));
            self.written.set(n, r);
        }
        let mine = self.written.of(n);
        match node {
            Node::Array(items) => self.write_items(out, mine, items)?,
            Node::Object(o) => self.write_object(out, mine, o)?,
            Node::Map(pairs) => {
                let id = self.outline_fresh(|e, out, holder| e.write_pairs(out, holder, pairs))?;
                Ref::Outlined(Builtin::Map).write(out, id);
            }
            Node::Set(items) => {
                let id = self.outline_fresh(|e, out, holder| e.write_items(out, Some(holder), items))?;
                Ref::Outlined(Builtin::Set).write(out, id);
            }
            Node::Iterator(items) => {
                // React writes `Array.from(iterator)`; an iterator it writes a
                // second time (a copy, where it is met inside itself as a
                // promise's value) is already exhausted.
                let items: &[Item] = if self.iterated.insert(n) { items } else { &[] };
                let id = self.outline_fresh(|e, out, holder| e.write_items(out, Some(holder), items))?;
                Ref::Outlined(Builtin::Iterator).write(out, id);
            }
            Node::FormData(entries) => {
                let id = self.outline_fresh(|e, out, holder| e.write_form_data(out, holder, entries))?;
                Ref::Outlined(Builtin::FormData).write(out, id);
            }
            Node::Error { .. } => out.push_str(tag::ERROR),
            Node::ArrayBuffer(_) | Node::TypedArray(..) => {
                let (tag, bytes) = tag::binary_row_of(node).expect("binary node");
                let id = self.alloc();
                self.push_binary(id, tag, bytes);
                Ref::Model.write(out, id);
            }
            Node::Blob(_) => self.blob(out, n),
            Node::Stream(s) => {
                if let Some(r) = self.read_again(n, s.kind != StreamKind::AsyncIterable)? {
                    return Ok(Some(r));
                }
                let t = self.create_task(None, self.cur.1);
                let id = self.tasks[t].id;
                let r = self.written.text(Ref::Model.text(id));
                self.written.set(n, r);
                let iterable = Job::Hop(iterator_turns(s, 0), Step::Iterable { task: t, node: n, pos: 0 });
                let (tag, job) = match s.kind {
                    StreamKind::Readable => ('R', Job::Hop(1, Step::Readable { task: t, node: n, pos: 0 })),
                    StreamKind::AsyncIterable => ('X', iterable),
                    StreamKind::AsyncIterator => ('x', iterable),
                };
                self.push_row(id, &tag.to_string());
                self.micro.push_back(job);
                Ref::Model.write(out, id);
            }
            Node::ByteStream(_) => {
                if let Some(r) = self.read_again(n, true)? {
                    return Ok(Some(r));
                }
                let t = self.create_task(None, self.cur.1);
                let id = self.tasks[t].id;
                let r = self.written.text(Ref::Model.text(id));
                self.written.set(n, r);
                self.push_row(id, "r");
                self.micro.push_back(Job::Hop(1, Step::Bytes { task: t, node: n, pos: 0 }));
                Ref::Model.write(out, id);
            }
            Node::Instance { .. } => return Ok(Some(Refusal { message: INSTANCES.to_owned(), lazy: false })),
            Node::Promise(_)
            | Node::Element { .. }
            | Node::ClientReference(_)
            | Node::TemporaryReference(_)
            | Node::ServerReference(_)
            | Node::Function(_) => unreachable!("handled above"),
        }
        Ok(None)
    }

    /// React's `serializeBlob`: a task whose row is `[type, bytes]`, pinged
    /// once the Blob's stream has been read (3 queue turns, empty or not).
    fn blob(&mut self, out: &mut String, n: NodeId) {
        let t = self.create_task(Some(Model::Blob(n)), 0);
        self.micro.push_back(Job::Hop(3, Step::BlobRead { task: t }));
        Ref::Outlined(Builtin::Blob).write(out, self.tasks[t].id);
    }

    /// A stream React meets a second time without a reference to the first
    /// (an async iterable's return value is always written anew). An async
    /// iterable starts a new iteration; a `ReadableStream` is locked by its
    /// first reader, so React's `getReader` throws; an async iterator would
    /// be read by two readers at once, whose interleaving we do not model.
    fn read_again(&mut self, n: NodeId, single_use: bool) -> Result<Option<Refusal>> {
        if self.streams.insert(n) || !single_use {
            return Ok(None);
        }
        match self.v.node(n) {
            Node::Stream(s) if s.kind == StreamKind::AsyncIterator => Err(Error::unsupported(
                "an async iterator written twice (an async iterable's return value that was sent before) cannot be encoded",
            )),
            _ => Ok(Some(Refusal { message: LOCKED.to_owned(), lazy: false })),
        }
    }

    fn write_items(&mut self, out: &mut String, holder: Option<RefId>, items: &[Item]) -> Result<()> {
        out.push('[');
        for (i, it) in items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            self.resolve(out, Slot::child(holder, Key::Index(i)), it)?;
        }
        out.push(']');
        Ok(())
    }

    fn write_object(&mut self, out: &mut String, holder: Option<RefId>, o: &'v Object) -> Result<()> {
        out.push('{');
        for (n, (k, v)) in js_entries(o).enumerate() {
            if n > 0 {
                out.push(',');
            }
            write_str(out, k);
            out.push(':');
            self.resolve(out, Slot::child(holder, Key::Name(k)), v)?;
        }
        out.push('}');
        Ok(())
    }

    /// `Array.from(map)`: `[[key, value], ...]`, each pair an array of its own.
    fn write_pairs(&mut self, out: &mut String, holder: RefId, pairs: &[(Item, Item)]) -> Result<()> {
        self.write_pair_array(out, holder, pairs, |this, out, pair, (k, v)| {
            this.resolve(out, Slot::child(Some(pair), Key::Index(0)), k)?;
            out.push(',');
            this.resolve(out, Slot::child(Some(pair), Key::Index(1)), v)?;
            Ok(())
        })
    }

    /// `Array.from(formData.entries())`. A File in a FormData is a new
    /// object (`append` copies it), so it is never a reference.
    fn write_form_data(&mut self, out: &mut String, holder: RefId, entries: &[(Str, Item)]) -> Result<()> {
        self.write_pair_array(out, holder, entries, |this, out, pair, (name, v)| {
            this.resolve(out, Slot::child(Some(pair), Key::Index(0)), &Item::String(name.clone()))?;
            out.push(',');
            match v {
                Item::Node(f) if matches!(this.v.node(*f), Node::Blob(_)) => {
                    this.size += 1;
                    this.blob(out, *f);
                }
                Item::String(_) => this.resolve(out, Slot::child(Some(pair), Key::Index(1)), v)?,
                _ => return Err(Error::unsupported("FormData values must be strings or Files")),
            }
            Ok(())
        })
    }

    /// The array `Array.from` makes of pairs: each pair an array of its own
    /// at path `holder:i`, its two members written by `write`.
    fn write_pair_array<T>(
        &mut self,
        out: &mut String,
        holder: RefId,
        pairs: &[T],
        mut write: impl FnMut(&mut Self, &mut String, RefId, &T) -> Result<()>,
    ) -> Result<()> {
        out.push('[');
        for (i, p) in pairs.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let key = Key::Index(i);
            self.size += key.utf16_len();
            let pair = self.written.path(holder, key);
            out.push('[');
            write(self, out, pair, p)?;
            out.push(']');
        }
        out.push(']');
        Ok(())
    }

    fn render_element(&mut self, out: &mut String, slot: Slot<'v>, n: NodeId) -> Result<Option<Refusal>> {
        let v: &'v Value = self.v;
        let Node::Element { ty, key, props } = v.node(n) else { unreachable!("an element") };
        let mut reference = None;
        match self.written.meet(n, &mut self.model_root, out) {
            Seen::Written => return Ok(None),
            Seen::ModelRoot(_) => {}
            Seen::New => {
                // As for containers: the root's first visit takes it.
                if self.model_root == Some(n) {
                    self.model_root = None;
                }
                if let (Some(h), false) = (slot.holder, slot.key.has_colon()) {
                    let r = self.written.path(h, slot.key);
                    self.written.set(n, r);
                    reference = Some(r);
                }
            }
        }
        if self.size > MAX_ROW_SIZE {
            let t = self.create_task(Some(Model::Item(Item::Node(n))), self.cur.1);
            self.ping(t);
            Ref::Lazy.write(out, self.tasks[t].id);
            return Ok(None);
        }
        let Some(Node::Object(p)) = self.v.resolve(props) else {
            return Err(Error::unsupported("an element's props must be a plain object"));
        };
        if p.get("ref").is_some_and(|r| *r != Item::Undefined) {
            return Ok(Some(Refusal { message: REFS.to_owned(), lazy: true }));
        }
        let children = p.get("children").cloned().unwrap_or(Item::Undefined);
        match ty {
            Item::Symbol(Symbol::Registered(s)) if &**s == "react.fragment" && key.is_none() => {
                // An unkeyed fragment is its children.
                if let Item::Node(c) = children {
                    if matches!(v.node(c), Node::Array(_) | Node::Object(_)) && self.written.of(c).is_none() {
                        if let Some(r) = reference {
                            self.written.set(c, r);
                        }
                        match v.node(c) {
                            Node::Array(items) => self.write_items(out, reference, items)?,
                            Node::Object(o) => self.write_object(out, reference, o)?,
                            _ => unreachable!(),
                        }
                        return Ok(None);
                    }
                }
                return self.render(out, Slot::child(None, Key::Name("")), &children);
            }
            Item::String(tag) => {
                let ctx = self.cur.1;
                let child_ctx = self.child_format_context(ctx, tag, p);
                if child_ctx != ctx && !matches!(children, Item::Null | Item::Undefined) {
                    self.outline(&children, child_ctx)?;
                }
            }
            Item::Node(t) if matches!(self.v.node(*t), Node::Function(_)) => {
                return Err(Error::unsupported(
                    "an element whose type is a function (a Server Component) cannot be encoded: render it first",
                ));
            }
            _ => {}
        }
        let holder = match reference {
            Some(r) => Some(r),
            None if slot.root => Some(self.written.text(Ref::Model.text(self.cur.0))),
            None => None,
        };
        out.push_str(tag::ELEMENT_START);
        self.size += 1;
        let type_slot =
            Slot { holder, key: Key::Index(1), path_key: Key::Name("type"), element_type: true, root: false };
        self.resolve(out, type_slot, ty)?;
        out.push(',');
        let key_item = key.as_ref().map_or(Item::Null, |k| Item::String(k.clone()));
        self.resolve(
            out,
            Slot { path_key: Key::Name("key"), key: Key::Index(2), element_type: false, ..type_slot },
            &key_item,
        )?;
        out.push(',');
        self.resolve(
            out,
            Slot { path_key: Key::Name("props"), key: Key::Index(3), element_type: false, ..type_slot },
            props,
        )?;
        out.push(']');
        Ok(None)
    }

    fn server_reference(&mut self, n: NodeId) -> Result<u32> {
        if let Some(id) = self.server_refs.get(&n) {
            return Ok(*id);
        }
        let Node::ServerReference(r) = self.v.node(n) else { unreachable!("a server reference") };
        let id = self.outline_fresh(|e, out, holder| {
            out.push_str("{\"id\":");
            e.resolve(out, Slot::child(Some(holder), Key::Name("id")), &Item::String(r.id.clone()))?;
            out.push_str(",\"bound\":");
            e.size += "bound".len();
            match &r.bound {
                None => out.push_str("null"),
                Some(_) => {
                    // React sends `Promise.resolve(boundArgs)`.
                    let t = e.create_task(None, 0);
                    let o = Outcome::Fulfilled(Model::Bound(n));
                    e.micro.push_back(Job::Reaction(o.clone(), Then::Status));
                    e.micro.push_back(Job::Reaction(o, Then::Ping(t)));
                    Ref::Promise.write(out, e.tasks[t].id);
                }
            }
            out.push('}');
            Ok(())
        })?;
        self.server_refs.insert(n, id);
        Ok(id)
    }

    fn client_reference(&mut self, c: &crate::value::ClientReference) -> Result<u32> {
        let key = format!("{}#{}", c.module, c.name);
        if let Some(id) = self.sh.client_refs.get(&key) {
            return Ok(*id);
        }
        let mut meta = String::from("[");
        self.import_id(&mut meta, &c.module);
        meta.push_str(",[");
        for (i, chunk) in c.chunks.iter().enumerate() {
            if i > 0 {
                meta.push(',');
            }
            self.import_id(&mut meta, chunk);
        }
        meta.push_str("],");
        let name = self.import_string(&c.name);
        write_str(&mut meta, &name);
        if c.is_async {
            meta.push_str(",1");
        }
        meta.push(']');
        let id = self.alloc();
        self.sh.imports.extend_from_slice(format!("{}:I{meta}\n", hex(id)).as_bytes());
        self.sh.client_refs.insert(key, id);
        Ok(id)
    }

    /// A module or chunk id in client-reference metadata: a number as it
    /// is, a string through [`Self::import_string`] (React's
    /// `transformImportMetadata`).
    fn import_id(&mut self, meta: &mut String, id: &BundlerId) {
        match id {
            // `JSON.stringify` writes a number that is not finite as null.
            BundlerId::Number(n) if !n.is_finite() => meta.push_str("null"),
            BundlerId::Number(n) => write_number(meta, *n),
            BundlerId::String(s) => {
                let s = self.import_string(s);
                write_str(meta, &s);
            }
        }
    }

    /// A string in client-reference metadata: long ones are written once,
    /// as rows of their own (React 19.3).
    fn import_string(&mut self, s: &str) -> String {
        let escaped = || tag::escape(s).into_owned();
        let len = utf16_len(s);
        // 19.2 writes every string of the metadata inline.
        if len < IMPORT_STRING_MIN || self.rows() == ResponseRows::V19_2 {
            return escaped();
        }
        if let Some(r) = self.sh.import_strings.get(s) {
            return r.clone();
        }
        if self.sh.import_strings_size + len > IMPORT_STRING_BUDGET {
            return escaped();
        }
        self.sh.import_strings_size += len;
        let id = self.alloc();
        let mut row = format!("{}:", hex(id));
        write_str(&mut row, &escaped());
        row.push('\n');
        self.sh.imports.extend_from_slice(row.as_bytes());
        let r = Ref::Model.text(id);
        self.sh.import_strings.insert(s.into(), r.clone());
        r
    }

    // --- hints from host elements ---------------------------------------------------

    /// React DOM's `getChildFormatContext`: `<img>` and `<link>` emit preload
    /// hints; `<noscript>` (1) and `<picture>` (2) change the context of
    /// their children.
    fn child_format_context(&mut self, ctx: u8, tag: &str, props: &Object) -> u8 {
        let get = |k: &str| props.get(k).filter(|v| !matches!(v, Item::Null | Item::Undefined));
        let string = |k: &str| match props.get(k) {
            Some(Item::String(s)) => Some(&**s),
            _ => None,
        };
        match tag {
            "img" => {
                let (src, srcset) = (get("src"), get("srcSet"));
                let non_string = |v: Option<&Item>| v.is_some_and(|v| !matches!(v, Item::String(_)));
                let is_data = |v: Option<&Item>| matches!(v, Some(Item::String(s)) if s.len() > 4 && s.as_bytes()[4] == b':' && s[..4].eq_ignore_ascii_case("data"));
                let empty = |v: Option<&Item>| match v {
                    None => true,
                    Some(Item::String(s)) => s.is_empty(),
                    Some(_) => false,
                };
                if string("loading") == Some("lazy")
                    || (empty(src) && empty(srcset))
                    || non_string(src)
                    || non_string(srcset)
                    || string("fetchPriority") == Some("low")
                    || ctx & 3 != 0
                    || is_data(src)
                    || is_data(srcset)
                {
                    return ctx;
                }
                let href = string("src").unwrap_or("").to_owned();
                let cross = match props.get("crossOrigin") {
                    Some(Item::String(s)) if &**s == "use-credentials" => Some(Item::String(s.clone())),
                    Some(Item::String(_)) => Some(Item::from("")),
                    _ => None,
                };
                let sizes = props.get("sizes").filter(|v| matches!(v, Item::String(_))).cloned();
                let options = [
                    ("imageSrcSet", props.get("srcSet").cloned()),
                    ("imageSizes", sizes),
                    ("crossOrigin", cross),
                    ("integrity", props.get("integrity").cloned()),
                    ("type", props.get("type").cloned()),
                    ("fetchPriority", props.get("fetchPriority").cloned()),
                    ("referrerPolicy", props.get("referrerPolicy").cloned()),
                ];
                self.preload(&href, &Item::from("image"), &options);
                ctx
            }
            "link" => {
                let (Some(rel), Some(href)) = (string("rel"), string("href")) else { return ctx };
                if ctx & 1 != 0 || get("itemProp").is_some() || href.is_empty() {
                    return ctx;
                }
                let p = |k: &str| props.get(k).cloned();
                // React DOM's option objects: these props, in this order.
                let options = |names: &[&'static str]| -> Vec<(&'static str, Option<Item>)> {
                    names.iter().map(|&k| (k, p(k))).collect()
                };
                const SHARED: [&str; 6] =
                    ["crossOrigin", "integrity", "nonce", "type", "fetchPriority", "referrerPolicy"];
                match rel {
                    "preload" => {
                        let o = options(&[&SHARED[..], &["imageSrcSet", "imageSizes", "media"]].concat());
                        self.preload(href, &p("as").unwrap_or_default(), &o);
                    }
                    "modulepreload" => {
                        let key = format!("m|{href}");
                        if self.sh.hint_keys.insert(key) {
                            let mut json = String::new();
                            match self.trimmed(&options(&["as", "crossOrigin", "integrity", "nonce"])) {
                                Some(o) => {
                                    json.push('[');
                                    write_str(&mut json, href);
                                    json.push(',');
                                    json.push_str(&o);
                                    json.push(']');
                                }
                                None => write_str(&mut json, href),
                            }
                            self.emit_hint('m', &json);
                        }
                    }
                    "stylesheet" => {
                        let o = options(&[&SHARED[..], &["media"]].concat());
                        let as_ = if self.rows() == ResponseRows::V19_2 { "stylesheet" } else { "style" };
                        self.preload(href, &Item::from(as_), &o);
                    }
                    _ => {}
                }
                ctx
            }
            "picture" => ctx | 2,
            "noscript" => ctx | 1,
            _ => ctx,
        }
    }

    /// React DOM's `preload` on the server: deduplicated per response.
    fn preload(&mut self, href: &str, as_: &Item, options: &[(&str, Option<Item>)]) {
        let as_text = match as_ {
            Item::String(s) => s.to_string(),
            Item::Undefined => "undefined".to_owned(),
            other => self.describe(other),
        };
        let key = if as_text == "image" {
            let opt = |k: &str| options.iter().find(|(n, _)| *n == k).and_then(|(_, v)| v.clone());
            match (opt("imageSrcSet"), opt("imageSizes")) {
                (Some(Item::String(set)), sizes) if !set.is_empty() => {
                    let sizes = match sizes {
                        Some(Item::String(s)) => format!("[{s}]"),
                        _ => String::new(),
                    };
                    format!("L[image][{set}]{sizes}")
                }
                _ => format!("L[image][][]{href}"),
            }
        } else {
            format!("L[{as_text}]{href}")
        };
        if !self.sh.hint_keys.insert(key) {
            return;
        }
        let mut json = String::from("[");
        write_str(&mut json, href);
        json.push(',');
        plain_json(&mut json, self.v, as_);
        if let Some(o) = self.trimmed(options) {
            json.push(',');
            json.push_str(&o);
        }
        json.push(']');
        self.emit_hint('L', &json);
    }

    /// React DOM's `trimOptions`: the options without `null`/`undefined`
    /// members, as JSON, or `None` when nothing is left.
    fn trimmed(&self, options: &[(&str, Option<Item>)]) -> Option<String> {
        let mut json = String::from("{");
        let mut any = false;
        for (k, v) in options {
            let Some(v) = v else { continue };
            if matches!(v, Item::Null | Item::Undefined) {
                continue;
            }
            if any {
                json.push(',');
            }
            any = true;
            write_str(&mut json, k);
            json.push(':');
            plain_json(&mut json, self.v, v);
        }
        json.push('}');
        any.then_some(json)
    }

    fn emit_hint(&mut self, code: char, json: &str) {
        self.sh.hints.extend_from_slice(format!(":H{code}{json}\n").as_bytes());
        self.enqueue_flush();
    }
}

/// Queue turns until an async generator's step `pos` settles: a `yield` or a
/// `return` awaits its operand first (2 turns), a `throw` does not (1).
fn iterator_turns(s: &crate::value::Stream, pos: usize) -> u32 {
    if pos >= s.values.len() && matches!(s.end, StreamEnd::Error(_)) {
        1
    } else {
        2
    }
}

/// `JSON.stringify` of a hint option (no `$` escaping: hints are plain JSON).
fn plain_json(out: &mut String, v: &Value, item: &Item) {
    match item {
        Item::String(s) => write_str(out, s),
        Item::Number(n) if n.is_finite() => write_number(out, *n),
        Item::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Item::Date(d) => match d.to_iso() {
            Some(iso) => write_str(out, &iso),
            None => out.push_str("null"),
        },
        Item::Node(n) => match v.node(*n) {
            Node::Array(items) => {
                out.push('[');
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    plain_json(out, v, it);
                }
                out.push(']');
            }
            Node::Object(o) => {
                out.push('{');
                let mut first = true;
                for (k, it) in o {
                    if matches!(it, Item::Undefined) {
                        continue;
                    }
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    write_str(out, k);
                    out.push(':');
                    plain_json(out, v, it);
                }
                out.push('}');
            }
            _ => out.push_str("{}"),
        },
        _ => out.push_str("null"),
    }
}
