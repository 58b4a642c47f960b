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
use crate::wire::json::{self, write_str};
use crate::wire::refs::{Key, RefId, Refs, Seen};
use crate::wire::{hex_id as hex, Hex};

mod element;
mod hints;
use hints::FormatContext;
mod live;
mod render;
mod schedule;
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
    /// preload hint says `"stylesheet"`; 19.0 and 19.1 send no hints and
    /// split no rows; the releases before the December 2025 fixes write
    /// `$F` server references; Next.js 15.5's build writes 19.2's rows
    /// without host hints (spec/versions.md). Canaries before 20260918 are
    /// refused by [`Encoder::encode`]: their rows match no release's.
    ///
    /// ```
    /// use rsc_flight::{response::Encoder, tagged};
    /// let v = tagged::from_str(r#"{"$type":"ReadableByteStream","base64":"AQID"}"#)?;
    /// assert_eq!(Encoder::new().react("19.2.9".parse()?).encode(&v)?, b"1:r\n0:\"$1\"\n1:o3,\x01\x02\x031:C\n");
    /// assert!(Encoder::new().react("19.3.0-canary-fb2177c1-20251114".parse()?).encode(&v).is_err());
    /// # Ok::<(), rsc_flight::Error>(())
    /// ```
    #[must_use]
    pub fn react(mut self, react: React) -> Self {
        self.react = react;
        self
    }

    crate::limits::limits_methods!("Use `limits` (the encoder uses `max_depth`).");

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
    ctx: FormatContext,
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
    ctx: FormatContext,
}

struct Enc<'v> {
    v: &'v Value,
    opts: &'v Encoder,
    sh: Shared,
    tasks: Vec<Task>,
    /// The task being rendered: its id and format context.
    cur: (u32, FormatContext),
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
    /// Row buffers to render into, kept across tasks for their capacity.
    bufs: Vec<String>,
    /// Whether `size` is kept: it only decides where an element is
    /// deferred, so a value without elements skips counting its strings
    /// and keys in UTF-16 units.
    counting: bool,
}

/// Nodes that are `typeof "function"` in JavaScript: no path references.
fn is_function(node: &Node) -> bool {
    matches!(
        node,
        Node::ServerReference(_) | Node::ClientReference(_) | Node::Function(_) | Node::TemporaryReference(_)
    )
}
