//! The reply encoder (client role): the body React's `encodeReply` writes.
//!
//! React serializes with `JSON.stringify` and a replacer that outlines
//! values into numbered parts as it meets them, then appends the parts of
//! promises and streams as they settle. This encoder walks the value in the
//! same order, numbers parts the same way, and replays the settling order by
//! simulating JavaScript's microtask queue: each kind of asynchronous source
//! takes a fixed number of queue turns per step (measured on Node 20 with the
//! values the conformance harness builds: a promise 1, a `ReadableStream`
//! read 1, an async generator step 2, a byte-stream read of up to 1024
//! bytes 3), so the entries come out in React's order.

use std::collections::VecDeque;

use super::tag::{self, Collection, Ref};
use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::multipart::Field;
use crate::reply::Body;
use crate::value::{Item, Node, NodeId, Promise, StreamEnd, StreamKind, TypedArrayKind, Value};
use crate::version::{FormEntries, React};
use crate::wire::json;
use crate::wire::refs::{Key, RefId, Refs, Seen};

/// React's message (V8's) when a `ReadableStream` is read a second time.
const LOCKED: &str = "Invalid state: ReadableStream is locked";
const FUNCTIONS: &str = "Client Functions cannot be passed directly to Server Functions. Only Functions passed from the Server can be passed back again.";
const INSTANCES: &str = "Only plain objects, and a few built-ins, can be passed to Server Functions. Classes or null prototypes are not supported.";
/// The same, as 19.0 words it.
const INSTANCES_19_0: &str = "Only plain objects, and a few built-ins, can be passed to Server Actions. Classes or null prototypes are not supported.";
/// V8's `JSON.stringify` message (React passes it on); V8 adds lines that
/// describe the cycle, which we leave out.
const CIRCULAR: &str = "Converting circular structure to JSON";
const SYMBOLS: &str = "Symbols cannot be passed to a Server Function without a temporary reference set. Pass a TemporaryReferenceSet to the options.";
const ELEMENTS: &str = "React Element cannot be passed to Server Functions from the Client without a temporary reference set. Pass a TemporaryReferenceSet to the options.";

/// Encodes values as reply bodies.
///
/// # Errors
///
/// [`Encoder::encode`] refuses, with React's message text, what React's
/// `encodeReply` refuses: functions that are not server references, class
/// instances and null-prototype objects, symbols and React elements (unless
/// temporary references are on and the value sits where React can give it a
/// position). A rejected promise, a promise that never settles and a stream
/// that errors cannot be encoded either (React's `encodeReply` rejects or
/// never resolves).
///
/// # Examples
///
/// ```
/// use rsc_flight::{reply::{Body, Encoder}, tagged};
/// let v = tagged::from_str(r#"{"$type":"Map","entries":[["k",1]]}"#).unwrap();
/// let body = Encoder::new().encode(&v).unwrap();
/// let fields = body.fields().unwrap();
/// assert_eq!(fields.len(), 2);
/// assert_eq!(fields[0], rsc_flight::multipart::Field::text("1", r#"[["k",1]]"#));
/// assert_eq!(fields[1], rsc_flight::multipart::Field::text("0", r#""$Q1""#));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Encoder {
    prefix: String,
    react: React,
    limits: Limits,
}

/// The client side of temporary references: each position React would store
/// in its `TemporaryReferenceSet` (`"$0:fn"`), with the value stored there.
pub type TemporaryReferences = Vec<(String, Item)>;

impl Encoder {
    /// An encoder with the default limits, for React 19.3.1.
    pub fn new() -> Self {
        Self::default()
    }
    crate::limits::limits_methods!("Use `limits` (the encoder uses `max_depth`).");
    /// Write replies as `react`'s `encodeReply` writes them (default: React
    /// 19.3.1), for a server that runs that version: how a FormData
    /// argument's entries, a server reference and a stream's chunks are
    /// named in a multipart body (spec/versions.md).
    ///
    /// ```
    /// use rsc_flight::{reply::Encoder, tagged};
    /// let v = tagged::from_str(r#"[{"$type":"FormData","entries":[["name","bob"]]}]"#)?;
    /// let body = Encoder::new().react("19.1.0".parse()?).encode(&v)?;
    /// let names: Vec<&str> = body.fields().unwrap().iter().map(|f| f.name.as_str()).collect();
    /// assert_eq!(names, ["1_name", "0"]);
    /// # Ok::<(), rsc_flight::Error>(())
    /// ```
    #[must_use]
    pub fn react(mut self, react: React) -> Self {
        self.react = react;
        self
    }
    /// Prefix every field name (React's `formFieldPrefix`, which is empty
    /// for `encodeReply`).
    #[must_use]
    pub fn form_field_prefix(mut self, prefix: &str) -> Self {
        self.prefix = prefix.to_owned();
        self
    }

    /// Encode `value` as `encodeReply(value)` does: a value React cannot
    /// send without a temporary-reference set is an error.
    pub fn encode(&self, value: &Value) -> Result<Body> {
        self.run(value, false).map(|(body, _)| body)
    }

    /// Encode `value` as `encodeReply(value, {temporaryReferences})` does:
    /// what cannot be serialized (a function, a class instance, an element
    /// at the root...) is written as `$T` and its position returned with
    /// the value stored there, for the caller to put back when the
    /// response refers to it.
    ///
    /// ```
    /// use rsc_flight::{reply::Encoder, tagged};
    /// let v = tagged::from_str(r#"[{"$type":"Function","name":"f"}]"#)?;
    /// assert!(Encoder::new().encode(&v).is_err());
    /// let (body, temp) = Encoder::new().encode_with_temporary_references(&v)?;
    /// assert_eq!(body.as_text(), Some(r#"["$T"]"#));
    /// assert_eq!(temp[0].0, "$0"); // the position React keys its set by
    /// # Ok::<(), rsc_flight::Error>(())
    /// ```
    pub fn encode_with_temporary_references(&self, value: &Value) -> Result<(Body, TemporaryReferences)> {
        self.run(value, true)
    }

    fn run(&self, value: &Value, temporary_references: bool) -> Result<(Body, TemporaryReferences)> {
        let mut e = Enc {
            temporary_references,
            dialect: self.react.dialect(),
            v: value,
            opts: self,
            next_id: 1,
            form: None,
            refs: Refs::new(value.len()),
            temp: Vec::new(),
            model_root: None,
            queue: VecDeque::new(),
            depth: 0,
            open: Vec::new(),
            bound_parts: std::collections::HashMap::new(),
            readers: std::collections::HashSet::new(),
        };
        let json = e.model(value.root(), 0)?;
        let Some(mut form) = e.form.take() else {
            return Ok((Body::Text(json), e.temp));
        };
        form.push(Field::text(format!("{}0", self.prefix), json));
        e.form = Some(form);
        e.run_queue()?;
        Ok((Body::Form(e.form.take().unwrap_or_default()), e.temp))
    }
}

/// A value that has no node of its own: the arrays React builds on the fly
/// (`Array.from(map)`, bound arguments).
enum Fresh<'a> {
    Items(&'a [Item]),
    Pairs(&'a [(Item, Item)]),
}

enum Job {
    Promise { id: u32, value: Item },
    Bound { id: u32, args: NodeId },
    Read { id: u32, node: NodeId, pos: usize },
    ReadBytes { id: u32, node: NodeId, pos: usize },
}

struct Enc<'v> {
    v: &'v Value,
    /// Whether the caller passed a temporary-reference set.
    temporary_references: bool,
    /// The React version's dialect.
    dialect: crate::version::Dialect,
    opts: &'v Encoder,
    next_id: u32,
    form: Option<Vec<Field>>,
    /// Each written node's reference.
    refs: Refs<'v>,
    temp: TemporaryReferences,
    model_root: Option<NodeId>,
    /// (queue turns left, job): a FIFO simulation of the microtask queue.
    queue: VecDeque<(u32, Job)>,
    depth: usize,
    /// Arrays and objects being written without a reference of their own
    /// (inside a stream chunk): meeting one again is a cycle, which
    /// `JSON.stringify` refuses. One flag per node, made at first use.
    open: Vec<bool>,
    /// Each server reference's bound-arguments part, for the releases that
    /// write a server reference's part again each time they meet it.
    bound_parts: std::collections::HashMap<NodeId, u32>,
    /// The `ReadableStream`s a reader has been taken from.
    readers: std::collections::HashSet<NodeId>,
}

impl<'v> Enc<'v> {
    /// The field name of stream `id`'s chunks: `S<id>`, or the bare `<id>`
    /// of releases before October 2026's fixes.
    fn stream_key(&self, id: u32) -> String {
        if self.dialect.stream_keys_s {
            format!("S{id}")
        } else {
            id.to_string()
        }
    }

    fn alloc(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Append a field under `name` (after the encoder's prefix, if any).
    fn append(&mut self, name: String, value: Field) {
        let mut f = value;
        f.name = if self.opts.prefix.is_empty() {
            name
        } else {
            let mut full = String::with_capacity(self.opts.prefix.len() + name.len());
            full.push_str(&self.opts.prefix);
            full.push_str(&name);
            full
        };
        self.form.get_or_insert_with(Vec::new).push(f);
    }

    fn append_text(&mut self, name: String, text: String) {
        self.append(name, Field::text(String::new(), text));
    }

    fn ensure_form(&mut self) {
        self.form.get_or_insert_with(Vec::new);
    }

    /// React's `serializeModel`: a part's root, registered as `$<id>`.
    fn model(&mut self, item: &Item, id: u32) -> Result<String> {
        // Only objects are registered: functions (server references...) are
        // `typeof "function"` in JavaScript and keep their own dedupe.
        let object = match item {
            Item::Node(n) => !matches!(
                self.v.node(*n),
                Node::ServerReference(_) | Node::Function(_) | Node::TemporaryReference(_) | Node::ClientReference(_)
            ),
            _ => false,
        };
        if let (Item::Node(n), true) = (item, object) {
            let r = Ref::Model.text(id);
            if self.temporary_references {
                self.temp.push((r.clone(), item.clone()));
            }
            let r = self.refs.text(r);
            self.refs.set(*n, r);
            self.model_root = Some(*n);
        } else {
            self.model_root = None;
        }
        // Room for a small part from the start: it grows from there
        // instead of from nothing (small-args: 5 fewer reallocations).
        let mut out = String::with_capacity(128);
        self.value(&mut out, None, Key::Name(""), item)?;
        Ok(out)
    }

    fn fresh_model(&mut self, fresh: Fresh<'v>, id: u32) -> Result<String> {
        let r = self.refs.text(Ref::Model.text(id));
        // React sets its model root to the fresh array, which is never met
        // again: no node is the model root any more.
        self.model_root = None;
        let mut out = String::new();
        self.fresh(&mut out, r, fresh)?;
        Ok(out)
    }

    fn fresh(&mut self, out: &mut String, r: RefId, fresh: Fresh<'v>) -> Result<()> {
        out.push('[');
        match fresh {
            Fresh::Items(items) => {
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    self.value(out, Some(r), Key::Index(i), it)?;
                }
            }
            Fresh::Pairs(pairs) => {
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let er = self.refs.path(r, Key::Index(i));
                    out.push('[');
                    self.value(out, Some(er), Key::Index(0), k)?;
                    out.push(',');
                    self.value(out, Some(er), Key::Index(1), v)?;
                    out.push(']');
                }
            }
        }
        out.push(']');
        Ok(())
    }

    /// `stream.getReader()`: a `ReadableStream` has one reader, so one that
    /// is written a second time (the releases before the December 2025
    /// fixes write a promise's value again each time they meet the
    /// promise) makes `encodeReply` reject.
    fn lock_reader(&mut self, stream: NodeId) -> Result<()> {
        if self.readers.insert(stream) {
            Ok(())
        } else {
            Err(Error::unsupported(LOCKED))
        }
    }

    /// A value that cannot be serialized: `$T` where React gives it a
    /// position, else React's error.
    fn opaque(&mut self, holder: Option<RefId>, key: Key<'_>, item: &Item, msg: &str) -> Result<&'static str> {
        if self.temporary_references && !key.has_colon() {
            if let Some(h) = holder {
                self.temp.push((self.refs.render_key(h, key), item.clone()));
                return Ok(tag::TEMPORARY);
            }
        }
        Err(Error::unsupported(msg))
    }

    /// React's `resolveToJSON` replacer followed by `JSON.stringify` of what
    /// it returns. `holder` is the reference of the object holding this
    /// value, when it has one.
    fn value(&mut self, out: &mut String, holder: Option<RefId>, key: Key<'v>, item: &Item) -> Result<()> {
        match item {
            Item::Undefined => tag::write_undefined(out),
            Item::Null => out.push_str("null"),
            Item::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Item::Number(n) => tag::write_number(out, *n),
            Item::String(s) => tag::write_string(out, s),
            Item::BigInt(b) => tag::write_bigint(out, b.as_str()),
            Item::Date(d) => {
                if !tag::write_date(out, *d) {
                    out.push_str("null");
                }
            }
            Item::Symbol(_) => {
                let t = self.opaque(holder, key, item, SYMBOLS)?;
                out.push_str(t);
            }
            Item::Node(id) => {
                self.depth += 1;
                if self.depth >= self.opts.limits.get_max_depth() {
                    return Err(Error::limit("max_depth", "a value nested too deeply to encode"));
                }
                crate::stack::deep(|| self.node(out, holder, key, *id))?;
                self.depth -= 1;
            }
        }
        Ok(())
    }

    fn node(&mut self, out: &mut String, holder: Option<RefId>, key: Key<'v>, id: NodeId) -> Result<()> {
        let item = Item::Node(id);
        let v: &'v Value = self.v;
        let node = v.node(id);
        // Functions (typeof "function") never take a path reference.
        match node {
            Node::Element { .. } => {
                if self.temporary_references && !key.has_colon() {
                    if let Some(h) = holder {
                        self.temp.push((self.refs.render_key(h, key), item));
                        out.push_str(tag::TEMPORARY);
                        return Ok(());
                    }
                }
                // 19.2 and older refuse an element at a part's root.
                if self.temporary_references && self.model_root == Some(id) && self.dialect.element_root_temporary {
                    self.model_root = None;
                    out.push_str(tag::TEMPORARY);
                    return Ok(());
                }
                return Err(Error::unsupported(ELEMENTS));
            }
            Node::ServerReference(r) => {
                // Before 19.0.4, 19.1.5 and 19.2.4 a server reference met again
                // gets its `{id, bound}` part again (spec/versions.md).
                let dialect = self.dialect;
                if let (Some(w), true) = (self.refs.of(id), dialect.server_ref_once) {
                    self.refs.write(w, out);
                    return Ok(());
                }
                let mut meta = String::from("{\"id\":");
                self.value(&mut meta, None, Key::Name("id"), &Item::String(r.id.clone()))?;
                meta.push_str(",\"bound\":");
                match &r.bound {
                    None => meta.push_str("null"),
                    // Its bound arguments are one promise, written once where
                    // promises are deduplicated.
                    Some(_) => match self.bound_parts.get(&id) {
                        Some(&pid) if !dialect.server_ref_f => Ref::Promise.write(&mut meta, pid),
                        _ => {
                            self.ensure_form();
                            let pid = self.alloc();
                            Ref::Promise.write(&mut meta, pid);
                            self.queue.push_back((1, Job::Bound { id: pid, args: id }));
                            self.bound_parts.insert(id, pid);
                        }
                    },
                }
                meta.push('}');
                let mid = self.alloc();
                self.append_text(mid.to_string(), meta);
                let r = Ref::ServerReference { old: self.dialect.server_ref_f };
                r.write(out, mid);
                let w = self.refs.text(r.text(mid));
                self.refs.set(id, w);
                return Ok(());
            }
            Node::Function(_) | Node::TemporaryReference(_) | Node::ClientReference(_) => {
                let t = self.opaque(holder, key, &item, FUNCTIONS)?;
                out.push_str(t);
                return Ok(());
            }
            _ => {}
        }
        // Releases before the December 2025 fixes give every occurrence of a
        // promise a part of its own (spec/versions.md).
        let old_promises = self.dialect.server_ref_f;
        let seen = if old_promises && matches!(node, Node::Promise(_)) {
            Seen::New
        } else {
            self.refs.meet(id, &mut self.model_root, out)
        };
        if let Node::Promise(p) = node {
            if let Seen::Written = seen {
                return Ok(());
            }
            let value = match p {
                Promise::Fulfilled(v) => v.clone(),
                Promise::Rejected(e) => {
                    return Err(Error::unsupported(format!(
                        "a rejected promise cannot be encoded: encodeReply rejects with its reason: {}",
                        self.describe(e)
                    )))
                }
                Promise::Pending => {
                    return Err(Error::unsupported(
                        "a promise that never settles cannot be encoded: encodeReply would never resolve",
                    ))
                }
            };
            self.ensure_form();
            let pid = self.alloc();
            Ref::Promise.write(out, pid);
            let w = self.refs.text(Ref::Promise.text(pid));
            self.refs.set(id, w);
            self.queue.push_back((1, Job::Promise { id: pid, value }));
            return Ok(());
        }
        let mine: Option<RefId> = match seen {
            Seen::Written => return Ok(()),
            Seen::ModelRoot(w) => Some(w),
            Seen::New => match holder {
                Some(h) if !key.has_colon() => {
                    let r = self.refs.path(h, key);
                    self.refs.set(id, r);
                    if self.temporary_references {
                        self.temp.push((self.refs.render(r), item.clone()));
                    }
                    Some(r)
                }
                _ => None,
            },
        };
        let unregistered = mine.is_none() && matches!(node, Node::Array(_) | Node::Object(_));
        if unregistered {
            // Made at first use: only stream chunks write such nodes, and
            // most values have none.
            if self.open.is_empty() {
                self.open = vec![false; self.v.len()];
            }
            if self.open[id.index()] {
                return Err(Error::unsupported(CIRCULAR));
            }
            self.open[id.index()] = true;
        }
        self.write_node(out, mine, id)?;
        if unregistered {
            self.open[id.index()] = false;
        }
        Ok(())
    }

    /// The body of [`Enc::node`] once dedupe is settled: the node itself,
    /// inline or as parts of its own.
    fn write_node(&mut self, out: &mut String, mine: Option<RefId>, id: NodeId) -> Result<()> {
        let v: &'v Value = self.v;
        let node = v.node(id);
        match node {
            Node::Array(items) => {
                json::write_array(out, items, |out, i, it| self.value(out, mine, Key::Index(i), it))?;
            }
            Node::Object(o) => {
                json::write_object(out, o, |out, k, v| self.value(out, mine, Key::Name(k), v))?;
            }
            Node::FormData(entries) => {
                // Room for every entry at once: growing the form field by
                // field copied it five times over for `form`'s 21 entries.
                self.form.get_or_insert_with(Vec::new).reserve(entries.len() + 1);
                let fid = self.alloc();
                let mut digits = itoa::Buffer::new();
                let fid_text = digits.format(fid);
                for (name, v) in entries {
                    // `_<id>_<name>`, or `<id>_<name>` in the old dialect,
                    // written without the formatting machinery (a FormData
                    // has many entries: `form`'s encode took 45% fewer
                    // instructions).
                    let mut field_name = String::with_capacity(fid_text.len() + name.len() + 2);
                    if self.dialect.form_entries == FormEntries::Underscored {
                        field_name.push('_');
                    }
                    field_name.push_str(fid_text);
                    field_name.push('_');
                    field_name.push_str(name);
                    let f = match v {
                        Item::String(s) => Field::text(String::new(), s.to_string()),
                        Item::Node(n) => match self.v.node(*n) {
                            Node::Blob(b) => blob_field(b),
                            _ => return Err(Error::unsupported("FormData values must be strings or Files")),
                        },
                        _ => return Err(Error::unsupported("FormData values must be strings or Files")),
                    };
                    self.append(field_name, f);
                }
                Ref::FormData.write(out, fid);
            }
            Node::Map(pairs) => {
                let mid = self.alloc();
                let json = self.fresh_model(Fresh::Pairs(pairs), mid)?;
                self.append_text(mid.to_string(), json);
                Ref::Collection(Collection::Map).write(out, mid);
            }
            Node::Set(values) => {
                let sid = self.alloc();
                let json = self.fresh_model(Fresh::Items(values), sid)?;
                self.append_text(sid.to_string(), json);
                Ref::Collection(Collection::Set).write(out, sid);
            }
            Node::Iterator(values) => {
                let iid = self.alloc();
                let json = self.fresh_model(Fresh::Items(values), iid)?;
                self.append_text(iid.to_string(), json);
                Ref::Collection(Collection::Iterator).write(out, iid);
            }
            Node::ArrayBuffer(bytes) => {
                let bid = self.alloc();
                self.append(bid.to_string(), Field::file("", "blob", "", bytes.clone()));
                Ref::Binary(None).write(out, bid);
            }
            Node::TypedArray(kind, bytes) => {
                let bid = self.alloc();
                self.append(bid.to_string(), Field::file("", "blob", "", bytes.clone()));
                Ref::Binary(Some(*kind)).write(out, bid);
            }
            Node::Blob(b) => {
                self.ensure_form();
                let bid = self.alloc();
                self.append(bid.to_string(), blob_field(b));
                Ref::Blob.write(out, bid);
            }
            Node::Stream(s) => {
                if s.end == StreamEnd::Open {
                    return Err(Error::unsupported(
                        "a stream that has not ended cannot be encoded: the reply would never end",
                    ));
                }
                if let StreamEnd::Error(e) = &s.end {
                    return Err(Error::unsupported(format!(
                        "a stream that errors cannot be encoded: encodeReply rejects with its error: {}",
                        self.describe(e)
                    )));
                }
                if s.kind == StreamKind::Readable {
                    self.lock_reader(id)?;
                }
                self.ensure_form();
                let sid = self.alloc();
                let turns = match s.kind {
                    StreamKind::Readable => 1,
                    StreamKind::AsyncIterable | StreamKind::AsyncIterator => 2,
                };
                self.queue.push_back((turns, Job::Read { id: sid, node: id, pos: 0 }));
                Ref::Stream(s.kind, false).write(out, sid);
            }
            Node::ByteStream(_) => {
                self.lock_reader(id)?;
                self.ensure_form();
                let sid = self.alloc();
                self.queue.push_back((3, Job::ReadBytes { id: sid, node: id, pos: 0 }));
                Ref::Stream(StreamKind::Readable, true).write(out, sid);
            }
            Node::Instance { .. } | Node::Error { .. } => {
                if !self.temporary_references {
                    let message = if self.dialect.server_actions_wording { INSTANCES_19_0 } else { INSTANCES };
                    return Err(Error::unsupported(message));
                }
                out.push_str(tag::TEMPORARY);
            }
            Node::Promise(_)
            | Node::Element { .. }
            | Node::ServerReference(_)
            | Node::Function(_)
            | Node::TemporaryReference(_)
            | Node::ClientReference(_) => unreachable!("handled above"),
        }
        Ok(())
    }

    /// A rejection reason as JavaScript's `String(reason)` shows it.
    fn describe(&self, reason: &Item) -> String {
        crate::value::convert::to_string(self.v, reason)
    }

    /// Run the simulated microtask queue until every promise and stream has
    /// written its parts.
    fn run_queue(&mut self) -> Result<()> {
        while let Some((turns, job)) = self.queue.pop_front() {
            if turns > 1 {
                self.queue.push_back((turns - 1, job));
                continue;
            }
            self.run(job)?;
        }
        Ok(())
    }

    fn run(&mut self, job: Job) -> Result<()> {
        match job {
            Job::Promise { id, value } => {
                // Before the December 2025 fixes, a promise's value is written
                // in full (and its part becomes its reference) even when it
                // was written before.
                let written = match &value {
                    Item::Node(n) if !self.dialect.server_ref_f => self.refs.of(*n),
                    _ => None,
                };
                let json = match written {
                    Some(r) => {
                        let mut s = String::new();
                        self.refs.write(r, &mut s);
                        s
                    }
                    None => self.model(&value, id)?,
                };
                self.append_text(id.to_string(), json);
            }
            Job::Bound { id, args } => {
                let Node::ServerReference(r) = self.v.node(args) else { unreachable!() };
                let args = r.bound.as_deref().unwrap_or_default();
                let json = self.fresh_model(Fresh::Items(args), id)?;
                self.append_text(id.to_string(), json);
            }
            Job::Read { id, node, pos } => {
                let Node::Stream(s) = self.v.node(node) else { unreachable!() };
                let name = self.stream_key(id);
                if let Some(chunk) = s.values.get(pos) {
                    let mut json = String::new();
                    self.model_root = None;
                    self.value(&mut json, None, Key::Name(""), chunk)?;
                    self.append_text(name, json);
                    let turns = if s.kind == StreamKind::Readable { 1 } else { 2 };
                    self.queue.push_back((turns, Job::Read { id, node, pos: pos + 1 }));
                } else {
                    let text = match &s.end {
                        StreamEnd::Return(Item::Undefined) => "C".to_owned(),
                        StreamEnd::Return(r) if s.kind != StreamKind::Readable => {
                            let mut json = String::from("C");
                            self.value(&mut json, None, Key::Name(""), r)?;
                            json
                        }
                        _ => "C".to_owned(),
                    };
                    self.append_text(name, text);
                }
            }
            Job::ReadBytes { id, node, pos } => {
                let Node::ByteStream(bytes) = self.v.node(node) else { unreachable!() };
                // React reads into 1024-byte views until the stream is done.
                if pos < bytes.len() {
                    self.queue.push_back((3, Job::ReadBytes { id, node, pos: pos + 1024 }));
                } else {
                    let bid = self.alloc();
                    self.append(bid.to_string(), Field::file("", "blob", "", bytes.clone()));
                    let mut chunk = String::new();
                    Ref::Binary(Some(TypedArrayKind::Uint8)).write(&mut chunk, bid);
                    self.append_text(self.stream_key(id), chunk);
                    self.append_text(self.stream_key(id), "C".to_owned());
                }
            }
        }
        Ok(())
    }
}

fn blob_field(b: &crate::value::Blob) -> Field {
    Field::file("", b.name.as_deref().unwrap_or("blob"), &*b.mime, b.bytes.clone())
}
