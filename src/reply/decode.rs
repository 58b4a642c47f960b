//! The reply decoder (server role): React's `decodeReply` for 19.3.1.
//!
//! Parts are parsed lazily, when first referenced, into one arena; a
//! reference to a part being parsed resolves to the same node (a cycle), so
//! nothing is ever copied. Every `$` letter of the reply direction is read in
//! [`Decoder`]'s `string` method. Where React's decoder loses data (keys whose
//! value is `undefined`, FormData arguments with part ids of 10 and more, a
//! typed array referenced twice) this one returns what React's encoder
//! meant; where React hangs or ignores malformed input, this one errors.

use std::collections::{HashMap, HashSet};

use bytes::{Bytes, BytesMut};

use super::tag::{self, Collection, Tag};
use crate::error::{Error, Result};
use crate::js::{array_index, parse_hex_id, utf16_len};
use crate::limits::Limits;
use crate::multipart::{self, Field, FieldValue};
use crate::value::{
    Blob, Item, Node, NodeId, Object, Promise, ServerReference, Str, Stream, StreamEnd, StreamKind, TypedArrayKind,
    Value,
};
use crate::version::{Dialect, FormEntries, React};
use crate::wire::ids::{per_node, FirstInline, IdMap};
use crate::wire::json::{self, Doc, Raw};

const CONNECTION_CLOSED: &str = "Connection closed.";
const INVALID_REFERENCE: &str = "Invalid reference.";
const ARRAY_NESTING: &str =
    "Maximum array nesting exceeded. Large nested arrays can be dangerous. Try adding intermediate objects.";
const STREAM_CHUNK: &str = "Expected an initialized chunk but got an initialized stream chunk instead. This payload may have been submitted by an older version of React.";
const NO_TEMP_SET: &str = "Could not reference an opaque temporary reference. This is likely due to misconfiguring the temporaryReferences options on the server.";

/// Decodes reply bodies. Build one with [`Decoder::new`], adjust it, and
/// call one of the `decode_*` methods (a decoder can be reused).
///
/// # Errors
///
/// Every `decode_*` method fails with a [`crate::Error`] that names the
/// part and, for JSON, the byte offset, with React's message text where
/// React has one (`Invalid reference.`, `Connection closed.`,
/// `Already initialized Map.`, `BigInt is too large. ...`, ...), or names the
/// [`Limits`] field that was exceeded.
///
/// # Examples
///
/// ```
/// use rsc_flight::{reply::Decoder, tagged, Limits};
/// let d = Decoder::new().temporary_references(true).limits(Limits::default().max_depth(32));
/// let v = d.decode_str(r#"{"fn":"$T"}"#).unwrap();
/// assert_eq!(tagged::to_string(&v).unwrap(), r#"{"fn":{"$type":"TemporaryReference","id":"0:fn"}}"#);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Decoder {
    limits: Limits,
    temporary_references: bool,
    prefix: String,
    allow_unread_fields: bool,
    react: React,
}

impl Decoder {
    /// A decoder with default limits and no temporary references.
    pub fn new() -> Self {
        Self::default()
    }
    /// Use these limits.
    #[must_use]
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
    /// The limits in use.
    pub fn get_limits(&self) -> &Limits {
        &self.limits
    }
    /// Accept `$T` temporary references (React's `temporaryReferences`
    /// option); each decodes to a [`Node::TemporaryReference`] whose id is
    /// its position path, as React derives it.
    #[must_use]
    pub fn temporary_references(mut self, on: bool) -> Self {
        self.temporary_references = on;
        self
    }
    /// Read replies as `react`'s `encodeReply` writes them (default: React
    /// 19.3.1). Releases differ in how a multipart body names a FormData
    /// argument's entries, a stream's chunks and a server reference
    /// (spec/versions.md); text bodies are read alike by all of them.
    ///
    /// ```
    /// use rsc_flight::{reply::Decoder, tagged, multipart::Field};
    /// // What React 19.1.0's encodeReply writes for `[formData, fn.bind(null, 1)]`.
    /// let fields = [
    ///     Field::text("1_name", "bob"),
    ///     Field::text("3", r#"{"id":"mod#fn","bound":"$@2"}"#),
    ///     Field::text("0", r#"["$K1","$F3"]"#),
    ///     Field::text("2", "[1]"),
    /// ];
    /// let v = Decoder::new().react("19.1.0".parse()?).decode_fields(&fields)?;
    /// assert_eq!(
    ///     tagged::to_string(&v)?,
    ///     r#"[{"$type":"FormData","entries":[["name","bob"]]},{"$type":"ServerReference","id":"mod#fn","bound":[1]}]"#
    /// );
    /// // Read as React 19.3.1 reads it, the same body is an error that says why.
    /// assert!(Decoder::new().decode_fields(&fields).is_err());
    /// # Ok::<(), rsc_flight::Error>(())
    /// ```
    #[must_use]
    pub fn react(mut self, react: React) -> Self {
        self.react = react;
        self
    }

    /// Accept form fields that no value reads. By default a multipart
    /// body's fields must each be read by the value (React's `decodeReply`
    /// drops the others without a word): a field left over is data the
    /// caller would never see, such as a FormData argument written by
    /// another React version (`1_name` where React 19.3 writes `_1_name`).
    ///
    /// ```
    /// use rsc_flight::{reply::Decoder, multipart::Field};
    /// let fields = [Field::text("0", "[\"$K1\"]"), Field::text("1_name", "bob")];
    /// let e = Decoder::new().decode_fields(&fields).unwrap_err();
    /// assert!(e.message().contains("\"1_name\" was not read"), "{e}");
    /// assert!(Decoder::new().allow_unread_fields(true).decode_fields(&fields).is_ok());
    /// ```
    #[must_use]
    pub fn allow_unread_fields(mut self, allow: bool) -> Self {
        self.allow_unread_fields = allow;
        self
    }
    /// Only fields whose names start with `prefix` belong to the reply
    /// (React's `formFieldPrefix`; empty for `decodeReply`).
    #[must_use]
    pub(crate) fn prefix(mut self, prefix: &str) -> Self {
        self.prefix = prefix.to_owned();
        self
    }

    /// Decode a whole request body as React's `encodeReply` sent it: a
    /// `multipart/form-data` body (by its `Content-Type`, whose boundary it
    /// names), or else a text body, the JSON of part 0.
    ///
    /// ```
    /// use rsc_flight::reply::Decoder;
    /// let d = Decoder::new();
    /// let v = d.decode("text/plain;charset=UTF-8", &b"[1,\"$n2\"]"[..])?;
    /// assert_eq!(rsc_flight::tagged::to_string(&v)?, r#"[1,{"$type":"bigint","value":"2"}]"#);
    /// let body = "--B\r\nContent-Disposition: form-data; name=\"0\"\r\n\r\n[true]\r\n--B--\r\n";
    /// let v = d.decode("multipart/form-data; boundary=B", body.as_bytes())?;
    /// assert_eq!(rsc_flight::tagged::to_string(&v)?, "[true]");
    /// # Ok::<(), rsc_flight::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Decoder::decode_str`] and [`Decoder::decode_multipart`]; a text
    /// body that is not UTF-8, with the byte offset.
    pub fn decode(&self, content_type: &str, body: impl Into<Bytes>) -> Result<Value> {
        let body = body.into();
        if is_multipart(content_type) {
            return self.decode_multipart(content_type, body);
        }
        let text = std::str::from_utf8(&body)
            .map_err(|e| Error::syntax("a text body that is not valid UTF-8").at_offset(e.valid_up_to()))?;
        self.decode_str(text)
    }

    /// Decode a text body (the JSON of part 0).
    pub fn decode_str(&self, text: &str) -> Result<Value> {
        if text.len() > self.limits.max_body_bytes {
            return Err(body_too_large(&self.limits));
        }
        // Part 0 borrowed as it is: no copy of the body into a field.
        let mut d = Run::new(self, Store::text(text));
        let root = d.part_root(0)?;
        d.finish(root)
    }

    /// Decode a `multipart/form-data` body, given its Content-Type header.
    pub fn decode_multipart(&self, content_type: &str, body: impl Into<Bytes>) -> Result<Value> {
        let body = body.into();
        if body.len() > self.limits.max_body_bytes {
            return Err(body_too_large(&self.limits));
        }
        let boundary = multipart::boundary_of(content_type)?;
        let fields = multipart::parse(
            body,
            &boundary,
            self.limits.max_parts,
            self.limits.max_string_bytes.max(self.limits.max_body_bytes),
        )?;
        self.decode_fields(&fields)
    }

    /// Decode a body as it arrives (an HTTP request body): `text/plain`, or
    /// `multipart/form-data` parsed part by part as the chunks come in.
    /// `content_type` is the request's Content-Type header.
    ///
    /// Reading stops as soon as a limit is crossed, `max_body_bytes` first,
    /// so an oversized body is refused without being read to its end. The
    /// value itself is decoded once the body is complete: a reply's parts
    /// may refer forward, so nothing is revived early.
    ///
    /// # Errors
    /// As [`Decoder::decode_str`] and [`Decoder::decode_multipart`]; an
    /// error from the body stream is an [`Io`](crate::Category::Io) error.
    ///
    /// # Examples
    ///
    /// ```
    /// use futures_util::stream;
    /// use rsc_flight::{reply::Decoder, tagged};
    /// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     let mut f = std::pin::pin!(f);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
    /// # }
    /// let chunks = stream::iter(["[\"$D2026-", "01-01T00:00:00.000Z\"]"].map(Ok::<_, std::io::Error>));
    /// let v = block_on(Decoder::new().decode_body("text/plain;charset=UTF-8", chunks))?;
    /// assert_eq!(tagged::to_string(&v)?, r#"[{"$type":"Date","value":"2026-01-01T00:00:00.000Z"}]"#);
    /// # Ok::<(), rsc_flight::Error>(())
    /// ```
    pub async fn decode_body<S, O, E>(&self, content_type: &str, body: S) -> Result<Value>
    where
        S: futures_util::Stream<Item = std::result::Result<O, E>> + Send,
        O: Into<Bytes> + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        if is_multipart(content_type) {
            let fields = self.read_fields(content_type, body).await?;
            return self.decode_fields(&fields);
        }
        let mut body = std::pin::pin!(body);
        let mut text = Vec::new();
        while let Some(chunk) = futures_util::StreamExt::next(&mut body).await {
            let chunk: Bytes = chunk.map_err(|e| Error::io(format!("reading the body failed: {}", e.into())))?.into();
            if text.len() + chunk.len() > self.limits.max_body_bytes {
                return Err(body_too_large(&self.limits));
            }
            text.extend_from_slice(&chunk);
        }
        let text = std::str::from_utf8(&text)
            .map_err(|e| Error::syntax("the body is not valid UTF-8").at_offset(e.valid_up_to()))?;
        self.decode_str(text)
    }

    /// Read a `multipart/form-data` body as it arrives into its fields,
    /// under this decoder's limits (`max_body_bytes`, `max_parts`,
    /// `max_string_bytes`), without decoding anything: for a form posted
    /// without JavaScript, whose fields go to [`Decoder::decode_action`].
    ///
    /// # Errors
    /// A Content-Type without a boundary, a malformed body, a limit crossed,
    /// an error from the body stream.
    pub async fn read_fields<S, O, E>(&self, content_type: &str, body: S) -> Result<Vec<Field>>
    where
        S: futures_util::Stream<Item = std::result::Result<O, E>> + Send,
        O: Into<Bytes> + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        let boundary = multipart::boundary_of(content_type)?;
        let limits = multipart::StreamLimits {
            max_fields: self.limits.max_parts,
            max_field_bytes: self.limits.max_string_bytes.max(self.limits.max_body_bytes),
            max_body_bytes: self.limits.max_body_bytes,
        };
        multipart::parse_stream(body, &boundary, limits).await
    }

    /// Decode form fields that the caller has already parsed.
    pub fn decode_fields(&self, fields: &[Field]) -> Result<Value> {
        if fields.len() > self.limits.max_parts {
            return Err(Error::limit("max_parts", format!("more than {} form fields", self.limits.max_parts)));
        }
        let total: usize = fields.iter().map(|f| f.name.len() + field_len(&f.value)).sum();
        if total > self.limits.max_body_bytes {
            return Err(body_too_large(&self.limits));
        }
        let mut d = Run::new(self, Store::new(fields, &self.prefix, self.react.dialect()));
        let root = d.part_root(0)?;
        let value = d.finish(root)?;
        // A prefixed reply (a form post's bound arguments) shares the body
        // with fields of its own.
        if self.prefix.is_empty() && !self.allow_unread_fields {
            if let Some(f) = fields.iter().find(|f| !d.was_read(f)) {
                let stream =
                    decimal_id(&f.name).is_some_and(|n| d.parts.get(n).and_then(|p| p.used) == Some(Use::Stream));
                return Err(unread(&f.name, stream));
            }
        }
        Ok(value)
    }
}

/// `$F<hex>` naming a part that is not there: React before its December
/// 2025 security releases wrote server references so (React 19.3.1 writes
/// `$h<hex>`, and reads `$F1` as a reference to part 0xf1).
fn old_server_reference(text: &str, id: u32) -> Error {
    Error::unsupported(format!(
        "\"${text}\" looks like a server reference as React 19.0.0-19.0.1, 19.1.0-19.1.2 and 19.2.0-19.2.1 \
         wrote it (`$F<id>`; later releases write `$h<id>`): read as later releases read it, it names part \
         {id}, which is not in the body; set the React version the client runs (Decoder::react, or --react)"
    ))
}

/// The error for a field no value read, saying which other React wrote it
/// where its name says so.
fn unread(name: &str, stream: bool) -> Error {
    let old_form_entry = name.split_once('_').is_some_and(|(n, rest)| decimal_id(n).is_some() && !rest.is_empty());
    let why = if stream {
        "; it looks like a chunk of that stream as React 19.0.0-19.0.8, 19.1.0-19.1.9, 19.2.0-19.2.8 and \
         19.3.0 name them (`<n>`, where later releases write `S<n>`): set the React version the client runs \
         (Decoder::react, or --react)"
    } else if old_form_entry {
        "; it looks like an entry of a FormData argument as React 19.0.0-19.0.5, 19.1.0-19.1.6 and \
         19.2.0-19.2.5 name them (`<n>_<name>`, where later releases write `_<n>_<name>`): set the React \
         version the client runs (Decoder::react, or --react)"
    } else {
        " (React's decodeReply would drop it without a word; Decoder::allow_unread_fields accepts it)"
    };
    Error::unsupported(format!("form field {name:?} was not read by any value{why}")).in_part(|| name.to_owned())
}

fn field_len(v: &FieldValue) -> usize {
    match v {
        FieldValue::Text(t) => t.len(),
        FieldValue::File { bytes, .. } => bytes.len(),
    }
}

/// Whether a Content-Type names a multipart body (anything else is read as
/// text, as React's `decodeReply` reads a string body).
pub(crate) fn is_multipart(content_type: &str) -> bool {
    let ct = content_type.trim_start().as_bytes();
    ct.len() >= 19 && ct[..19].eq_ignore_ascii_case(b"multipart/form-data")
}

fn body_too_large(l: &Limits) -> Error {
    Error::limit("max_body_bytes", format!("a body larger than {} bytes", l.max_body_bytes))
}

/// The fields, sorted the way React's backing store sorts them (19.3.1).
struct Store<'f> {
    strings: IdMap<&'f str>,
    blobs: IdMap<&'f Field>,
    streams: IdMap<Vec<&'f str>>,
    /// FormData-argument entries, grouped by the decimal id React's encoder
    /// wrote (`_<n>_<key>`), in field order.
    form_entries: IdMap<Vec<&'f Field>>,
}

/// The FormData argument a field name (after the prefix) is an entry of:
/// `_<n>_<name>`, or `<n>_<name>` in the older dialect.
fn form_entry(key: &str, dialect: Dialect) -> Option<u32> {
    let rest = match dialect.form_entries {
        FormEntries::Underscored => key.strip_prefix('_')?,
        FormEntries::Plain => key,
    };
    rest.split_once('_').and_then(|(n, _)| decimal_id(n))
}

/// A decimal part number as JavaScript writes a number (`"10"`, not `"010"`).
fn decimal_id(s: &str) -> Option<u32> {
    array_index(s).or_else(|| (s == "4294967295").then_some(u32::MAX))
}

impl<'f> Store<'f> {
    /// A text body: part 0 and nothing else (kept inline by `IdMap`, so
    /// nothing is allocated).
    fn text(text: &'f str) -> Self {
        let mut s = Self::empty();
        s.strings.insert(0, text);
        s
    }

    fn empty() -> Self {
        Store { strings: IdMap::new(), blobs: IdMap::new(), streams: IdMap::new(), form_entries: IdMap::new() }
    }

    fn new(fields: &'f [Field], prefix: &str, dialect: Dialect) -> Self {
        let mut s = Self::empty();
        for f in fields {
            let Some(key) = f.name.strip_prefix(prefix) else { continue };
            if let Some(n) = form_entry(key, dialect) {
                s.form_entries.get_or_insert_with(n, Vec::new).push(f);
                continue;
            }
            match (key.as_bytes().first(), &f.value) {
                (Some(b'_'), _) => {}
                (Some(b'S'), FieldValue::Text(t)) if dialect.stream_keys_s => {
                    if let Some(n) = decimal_id(&key[1..]) {
                        s.streams.get_or_insert_with(n, Vec::new).push(t);
                    }
                }
                (Some(b'S'), _) => {}
                (_, FieldValue::Text(t)) => {
                    if let Some(n) = decimal_id(key) {
                        // A later field with the same name wins, as in React.
                        s.strings.insert(n, t);
                        // Before `S<n>`, a stream's chunks shared the key of
                        // a part: which one it is, the value says.
                        if !dialect.stream_keys_s {
                            s.streams.get_or_insert_with(n, Vec::new).push(t);
                        }
                    }
                }
                (_, FieldValue::File { .. }) => {
                    if let Some(n) = decimal_id(key) {
                        s.blobs.insert(n, f);
                    }
                }
            }
        }
        s
    }

    /// The text of model part `id`.
    fn string(&self, id: u32) -> Option<&'f str> {
        self.strings.get(id).copied()
    }
}

/// What a part id has been used for: React keeps all of these in one table,
/// and a second, different use of an id is an error.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Use {
    /// A model part: `$<id>`, `$@<id>`, `$Q<id>`... (state in `parts`).
    Model,
    TypedArray,
    Stream,
}

/// The path of a reference: the text after its part id's `:`, whose
/// segments are split as they are walked (most references are resolved at
/// once, and need no list of them).
#[derive(Clone, Copy)]
struct Path<'a>(Option<&'a str>);

impl<'a> Path<'a> {
    fn segments(self) -> impl Iterator<Item = &'a str> {
        self.0.into_iter().flat_map(|p| p.split(':'))
    }
}

/// What is known of a part id; React keeps one table of chunks by id.
#[derive(Default)]
struct Part {
    state: Option<PartState>,
    used: Option<Use>,
    /// The array budget context of a model part.
    ctx: Option<usize>,
}

/// What is known of a node while reviving, in a table indexed by node
/// (every container has an entry, so indexing, not hashing).
#[derive(Debug, Clone, Copy)]
struct NodeInfo {
    /// The array budget context an array opened (`u32::MAX` for none).
    ctx: u32,
    /// How many of its slots are in `Run::pending`, so that a path step
    /// through a node without any is answered without hashing.
    pending: u32,
    /// Whether its members are being revived.
    building: bool,
}

impl NodeInfo {
    const NEW: NodeInfo = NodeInfo { ctx: u32::MAX, pending: 0, building: false };
}

#[derive(Debug, Clone)]
enum PartState {
    /// Being parsed; the root node if the part's root is an object or array.
    Parsing(Option<NodeId>),
    Done(Item),
}

/// React's array-nesting budget context.
#[derive(Debug, Clone, Copy, Default)]
struct ArrayCtx {
    count: u64,
    fork: bool,
}

/// Where a revived value goes, for references that must wait until the part
/// they point into is complete.
#[derive(Debug, Clone)]
enum Slot {
    Index(NodeId, usize),
    /// A member of an object; its key is the place's (or the fixup's) key.
    Key(NodeId),
    None,
}

/// Where a value being revived stands: its slot (for references that must
/// wait), its property name, its position path (kept only for temporary
/// references), the array-budget context it counts against, and the part
/// whose root it is.
struct Place<'k> {
    slot: Slot,
    key: &'k str,
    reference: Option<String>,
    arr: Option<usize>,
    part_root: Option<u32>,
}

impl<'k> Place<'k> {
    /// The root of a part (`id`) or of a stream chunk (`None`).
    fn root(id: Option<u32>, reference: Option<String>, arr: usize) -> Self {
        Place { slot: Slot::None, key: "", reference, arr: Some(arr), part_root: id }
    }
}

/// What a resolved outlined reference becomes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum RefKind {
    Model,
    Map,
    Set,
    Iterator,
    ServerRef,
}

struct Fixup {
    slot: Slot,
    key: Str,
    part: u32,
    /// The text after the part id's `:`, if any.
    path: Option<Str>,
    kind: RefKind,
    /// For Map/Set/Iterator/server references: the placeholder node.
    node: Option<NodeId>,
}

enum Later {
    Promise(NodeId, u32),
    Stream { node: NodeId, id: u32, kind: StreamKind, bytes: bool },
}

struct Deferred {
    kind: RefKind,
    target: Item,
    key: Str,
    into: NodeId,
}

struct Run<'d, 'f> {
    opts: &'d Decoder,
    store: Store<'f>,
    out: Value,
    parts: IdMap<Part>,
    ctxs: FirstInline<ArrayCtx>,
    nodes: Vec<NodeInfo>,
    consumed: HashSet<NodeId>,
    promises: IdMap<NodeId>,
    /// Promises and streams, read after the root in the order they were
    /// first referenced (as a server awaiting them would): their parts may
    /// refer to parts that are still being parsed when they are met.
    later: Vec<Later>,
    blob_nodes: IdMap<NodeId>,
    form_used: IdMap<()>,
    server_refs: HashMap<NodeId, NodeId>,
    bound_pending: Vec<(NodeId, NodeId)>,
    fixups: Vec<Fixup>,
    /// Slots that wait for a fixup, as (holder, key).
    pending: HashSet<(NodeId, Str)>,
    /// Initializers (Map, Set, iterator, server reference) whose array or
    /// object still has slots waiting for a fixup: applied once they are
    /// filled, as React waits for a blocked chunk before `new Map(...)`.
    deferred: Vec<Deferred>,
    depth: usize,
    work: usize,
}

impl<'d, 'f> Run<'d, 'f> {
    fn new(opts: &'d Decoder, store: Store<'f>) -> Self {
        Run {
            opts,
            store,
            out: Value::new(),
            parts: IdMap::new(),
            ctxs: FirstInline::new(),
            nodes: Vec::new(),
            consumed: HashSet::new(),
            promises: IdMap::new(),
            later: Vec::new(),
            blob_nodes: IdMap::new(),
            form_used: IdMap::new(),
            server_refs: HashMap::new(),
            bound_pending: Vec::new(),
            fixups: Vec::new(),
            pending: HashSet::new(),
            deferred: Vec::new(),
            depth: 0,
            work: 0,
        }
    }

    fn limits(&self) -> &Limits {
        &self.opts.limits
    }

    fn charge(&mut self, n: usize) -> Result<()> {
        self.work += n;
        if self.work > self.limits().max_values {
            return Err(Error::limit(
                "max_values",
                format!("more than {} values and reference steps", self.limits().max_values),
            ));
        }
        Ok(())
    }

    fn add(&mut self, node: Node) -> Result<NodeId> {
        self.charge(1)?;
        Ok(self.out.add(node))
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > self.limits().max_depth {
            return Err(Error::limit("max_depth", format!("values nested deeper than {}", self.limits().max_depth)));
        }
        Ok(())
    }

    fn bump(&mut self, ctx: Option<usize>, n: u64) -> Result<()> {
        if let Some(c) = ctx {
            let limit = self.limits().array_size_limit;
            let c = &mut self.ctxs[c];
            c.count += n;
            if c.count > limit && c.fork {
                return Err(Error::limit_react("array_size_limit", ARRAY_NESTING));
            }
        }
        Ok(())
    }

    fn new_ctx(&mut self) -> usize {
        self.ctxs.push(ArrayCtx::default())
    }

    // -- parts --------------------------------------------------------------

    /// Parse part `id` if needed and give its root item (or its root node
    /// while it is still being parsed).
    fn part_root(&mut self, id: u32) -> Result<Item> {
        let part = self.parts.get(id);
        match part.and_then(|p| p.state.as_ref()) {
            Some(PartState::Done(item)) => return Ok(item.clone()),
            Some(PartState::Parsing(Some(node))) => return Ok(Item::Node(*node)),
            Some(PartState::Parsing(None)) => {
                return Err(Error::reference(format!("Part {id} refers to itself before it has a value.")))
            }
            None => {}
        }
        match part.and_then(|p| p.used) {
            Some(Use::Stream) => return Err(Error::reference(STREAM_CHUNK)),
            Some(Use::TypedArray) => return Err(Error::reference("Already initialized typed array.")),
            _ => {}
        }
        let Some(text) = self.store.string(id) else {
            return Err(Error::reference(CONNECTION_CLOSED).in_part(|| format!("{}{id}", self.opts.prefix)));
        };
        self.part(id).used = Some(Use::Model);
        let prefix = &self.opts.prefix;
        let item = self.parse_part(id, text).map_err(|e| e.in_part(|| format!("{prefix}{id}")))?;
        self.run_fixups(id)?;
        Ok(item)
    }

    /// Parse a part's or a stream chunk's JSON.
    ///
    /// Nothing is reserved from the document's size: reserving the nodes
    /// (or the parser's vectors) up front was measured to make glibc return
    /// the freed top of its heap after each large decode and fault it back
    /// in on the next (35 times the page faults, 40% slower on table-1mb).
    fn parse(&self, text: &str) -> Result<(Doc, Raw)> {
        json::parse_doc(text, self.limits().max_depth, self.limits().max_string_bytes)
    }

    fn parse_part(&mut self, id: u32, text: &str) -> Result<Item> {
        self.enter()?;
        let (mut doc, json) = self.parse(text)?;
        let ctx = self.new_ctx();
        let part = self.part(id);
        part.ctx = Some(ctx);
        part.state = Some(PartState::Parsing(None));
        let reference = self.opts.temporary_references.then(|| format!("{id:x}"));
        let item = self.revive(&mut doc, json, Place::root(Some(id), reference, ctx))?;
        self.part(id).state = Some(PartState::Done(item.clone()));
        self.depth -= 1;
        Ok(item)
    }

    /// The entry of part `id`, made empty if there is none.
    fn part(&mut self, id: u32) -> &mut Part {
        self.parts.get_or_insert_with(id, Part::default)
    }

    /// Mark part `id` as being parsed, with `node` as its root.
    fn parsing(&mut self, id: Option<u32>, node: NodeId) {
        if let Some(p) = id {
            self.part(p).state = Some(PartState::Parsing(Some(node)));
        }
    }

    // -- reviving -------------------------------------------------------------

    fn node_info(&mut self, id: NodeId) -> &mut NodeInfo {
        per_node(&mut self.nodes, id, NodeInfo::NEW)
    }

    fn building(&mut self, id: NodeId, on: bool) {
        self.node_info(id).building = on;
    }

    /// Revive a parsed value, moving its strings out of the document (each
    /// part is revived once, so the document is not needed afterwards).
    fn revive(&mut self, doc: &mut Doc, json: Raw, place: Place<'_>) -> Result<Item> {
        // Only containers and `$` strings (which may revive other parts)
        // recurse; plain scalars skip the stack check.
        match json {
            Raw::Array(..) | Raw::Object(..) => crate::stack::deep(|| self.revive_inner(doc, json, place)),
            Raw::String(ref s) if tag::is_tagged(s) => crate::stack::deep(|| self.revive_inner(doc, json, place)),
            _ => self.revive_inner(doc, json, place),
        }
    }

    /// A value that revives as itself (null, a boolean, a number, a string
    /// not starting with `$`: most values), `Err` with the value for the
    /// others. The container loops call this first, so that a plain value
    /// costs no [`Place`] and no stack check.
    fn plain(&mut self, json: Raw, arr: Option<usize>) -> Result<std::result::Result<Item, Raw>> {
        Ok(Ok(match json {
            Raw::Null => Item::Null,
            Raw::Bool(b) => Item::Bool(b),
            Raw::Number(n) => Item::Number(n),
            Raw::String(s) if !tag::is_tagged(&s) => {
                self.bump(arr, utf16_len(&s) as u64)?;
                Item::String(s)
            }
            json => return Ok(Err(json)),
        }))
    }

    fn revive_inner(&mut self, doc: &mut Doc, json: Raw, place: Place<'_>) -> Result<Item> {
        let json = match self.plain(json, place.arr)? {
            Ok(item) => return Ok(item),
            Err(json) => json,
        };
        let Place { reference, arr, part_root, .. } = &place;
        let (reference, arr, part_root) = (reference.clone(), *arr, *part_root);
        match json {
            Raw::Null | Raw::Bool(_) | Raw::Number(_) => unreachable!("plain values are revived above"),
            Raw::String(mut s) => self.string(&mut s, place),
            Raw::Array(start, end) => {
                let len = (end - start) as usize;
                self.enter()?;
                let id = self.add(Node::Array(Vec::with_capacity(len.min(1024))))?;
                self.parsing(part_root, id);
                let ctx = match arr {
                    Some(c) => c,
                    None => {
                        let c = self.new_ctx();
                        self.node_info(id).ctx = c as u32;
                        c
                    }
                };
                if len > 1 {
                    self.ctxs[ctx].fork = true;
                }
                self.bump(Some(ctx), len as u64 + 1)?;
                self.building(id, true);
                for i in 0..len {
                    let j = std::mem::take(&mut doc.items[start as usize + i]);
                    let item = match self.plain(j, Some(ctx))? {
                        Ok(item) => item,
                        Err(j) => {
                            let r = reference.as_ref().map(|r| format!("{r}:{i}"));
                            // The key only matters when it is `then`, which an index never is.
                            let place = Place {
                                slot: Slot::Index(id, i),
                                key: "",
                                reference: r,
                                arr: Some(ctx),
                                part_root: None,
                            };
                            self.revive(doc, j, place)?
                        }
                    };
                    if let Node::Array(a) = self.out.node_mut(id) {
                        a.push(item);
                    }
                }
                self.building(id, false);
                self.depth -= 1;
                Ok(Item::Node(id))
            }
            Raw::Object(start, end) => {
                let members = start as usize..end as usize;
                self.enter()?;
                let id = self.add(Node::Object(Object::with_capacity(members.len().min(1024))))?;
                self.parsing(part_root, id);
                self.building(id, true);
                let order = json::revived_order(&doc.members[members.clone()]);
                for n in 0..order.as_ref().map_or(members.len(), Vec::len) {
                    let at = members.start + order.as_ref().map_or(n, |o| o[n]);
                    let (k, j) = std::mem::take(&mut doc.members[at]);
                    let item = match self.plain(j, None)? {
                        Ok(item) => item,
                        Err(j) => {
                            let r = reference.as_ref().filter(|_| !k.contains(':')).map(|r| format!("{r}:{k}"));
                            let place =
                                Place { slot: Slot::Key(id), key: &k, reference: r, arr: None, part_root: None };
                            self.revive(doc, j, place)?
                        }
                    };
                    // `revived_order` leaves each key once.
                    if let Node::Object(o) = self.out.node_mut(id) {
                        o.push_distinct(k, item);
                    }
                }
                self.building(id, false);
                self.depth -= 1;
                Ok(Item::Node(id))
            }
        }
    }

    /// Every `$` string of the reply direction (the others are
    /// [`Run::plain`]'s).
    fn string(&mut self, owned: &mut Str, place: Place<'_>) -> Result<Item> {
        debug_assert!(tag::is_tagged(owned));
        let Place { slot, key, reference, arr, part_root } = place;
        let s: &str = owned;
        match tag::classify(s, self.opts.react.dialect().server_ref_f) {
            Tag::Escaped(rest) => {
                self.bump(arr, utf16_len(rest) as u64)?;
                Ok(Item::String(rest.into()))
            }
            Tag::Promise(rest) => self.promise(rest),
            Tag::ServerReference(rest) => self.outlined(rest, slot, key, None, RefKind::ServerRef, None),
            Tag::Temporary => match (reference, self.opts.temporary_references) {
                (Some(r), true) => Ok(Item::Node(self.add(Node::TemporaryReference(r.into()))?)),
                _ => Err(Error::reference(NO_TEMP_SET)),
            },
            Tag::Collection(Collection::Map, rest) => {
                self.collection(rest, slot, key, RefKind::Map, Node::Map(Vec::new()), part_root)
            }
            Tag::Collection(Collection::Set, rest) => {
                self.collection(rest, slot, key, RefKind::Set, Node::Set(Vec::new()), part_root)
            }
            Tag::Collection(Collection::Iterator, rest) => {
                self.collection(rest, slot, key, RefKind::Iterator, Node::Iterator(Vec::new()), part_root)
            }
            Tag::FormData(rest) => self.form_data(rest),
            Tag::Number(n) => Ok(Item::Number(n)),
            Tag::Undefined => Ok(Item::Undefined),
            Tag::Date(rest) => crate::value::convert::date(rest).map(Item::Date),
            Tag::BigInt(rest) => self.bigint(rest, arr),
            Tag::Binary(kind, rest) => self.typed_array(rest, kind, arr),
            Tag::Blob(rest) => self.blob(rest),
            Tag::Stream(kind, bytes, rest) => self.stream(rest, kind, bytes),
            Tag::Model(rest) => self.outlined(rest, slot, key, arr, RefKind::Model, None),
        }
    }

    fn bigint(&mut self, digits: &str, arr: Option<usize>) -> Result<Item> {
        // The limit is checked before React's array budget counts the digits.
        let (b, n) = crate::value::convert::bigint(digits, self.limits().max_bigint_chars)?;
        self.bump(arr, n as u64)?;
        Ok(Item::BigInt(b))
    }

    // -- outlined references ------------------------------------------------

    /// `$Q $W $i`: the node exists before its initializer is read, so that
    /// an initializer can contain the collection itself (a cycle).
    fn collection(
        &mut self,
        text: &str,
        slot: Slot,
        key: &str,
        kind: RefKind,
        empty: Node,
        part_root: Option<u32>,
    ) -> Result<Item> {
        let node = self.add(empty)?;
        self.parsing(part_root, node);
        self.outlined(text, slot, key, None, kind, Some(node))
    }

    /// `$<id>:<path>` and the letters that resolve an outlined part first
    /// (`$Q $W $i $h`).
    fn outlined(
        &mut self,
        text: &str,
        slot: Slot,
        key: &str,
        arr: Option<usize>,
        kind: RefKind,
        into: Option<NodeId>,
    ) -> Result<Item> {
        let (head, path) = match text.split_once(':') {
            Some((head, path)) => (head, Path(Some(path))),
            None => (text, Path(None)),
        };
        let Some(id) = parse_hex_id(head) else {
            return Err(Error::reference(CONNECTION_CLOSED));
        };
        self.charge(1 + path.segments().count())?;
        if head.starts_with('F')
            && !self.opts.react.dialect().server_ref_f
            && self.store.string(id).is_none()
            && self.parts.get(id).is_none()
        {
            return Err(old_server_reference(text, id));
        }
        let root = self.part_root(id)?;
        match self.walk(id, root, path)? {
            Walk::Done(target, ref_ctx, local_len) => {
                let item = self.apply(kind, target, key, into)?;
                if kind == RefKind::Model && arr.is_some() {
                    match ref_ctx {
                        Some(c) => {
                            let (count, fork) = (self.ctxs[c].count, self.ctxs[c].fork);
                            if fork {
                                self.ctxs[arr.unwrap_or(0)].fork = true;
                            }
                            self.bump(arr, count)?;
                        }
                        None if local_len > 0 => self.bump(arr, local_len)?,
                        None => {}
                    }
                }
                Ok(item)
            }
            Walk::Blocked => {
                // The path goes into a part still being parsed, past what has
                // been revived so far: resolve it when that part is complete.
                let node = match kind {
                    RefKind::Model => None,
                    RefKind::ServerRef => {
                        Some(self.add(Node::ServerReference(ServerReference { id: "".into(), bound: None }))?)
                    }
                    _ => into,
                };
                if node.is_none() && matches!(slot, Slot::None) {
                    return Err(Error::reference(format!(
                        "Part {id} is referenced before it is complete from a place that cannot wait for it."
                    )));
                }
                match &slot {
                    Slot::Key(h) => self.wait_on(*h, key.into()),
                    Slot::Index(h, i) => self.wait_on(*h, i.to_string().into()),
                    Slot::None => {}
                }
                let path = path.0.map(Str::from);
                self.fixups.push(Fixup { slot, key: key.into(), part: id, path, kind, node });
                Ok(node.map_or(Item::Undefined, Item::Node))
            }
        }
    }

    /// Walk own keys of plain objects and arrays from `root`. Also computes
    /// what React's array budget adds for the target.
    fn walk(&mut self, part: u32, root: Item, path: Path<'_>) -> Result<Walk> {
        let mut cur = root;
        let mut ctx = self.parts.get(part).and_then(|p| p.ctx);
        let mut local_len = 0u64;
        for seg in path.segments() {
            let Item::Node(id) = cur else { return Err(Error::reference(INVALID_REFERENCE)) };
            let next = match self.out.node(id) {
                Node::Object(o) => o.get(seg).cloned(),
                Node::Array(a) => {
                    if seg == "length" {
                        Some(Item::Number(a.len() as f64))
                    } else {
                        array_index(seg).and_then(|i| a.get(i as usize).cloned())
                    }
                }
                _ => return Err(Error::reference(INVALID_REFERENCE)),
            };
            let Some(next) = next else {
                if self.nodes.get(id.index()).is_some_and(|n| n.building) {
                    return Ok(Walk::Blocked);
                }
                return Err(Error::reference(INVALID_REFERENCE));
            };
            if self.pending_slot(id, seg) {
                return Ok(Walk::Blocked);
            }
            local_len = 0;
            match &next {
                Item::Node(n) if matches!(self.out.node(*n), Node::Array(_)) => {
                    ctx = self.nodes.get(n.index()).filter(|n| n.ctx != u32::MAX).map(|n| n.ctx as usize).or(ctx);
                }
                Item::String(s) => {
                    ctx = None;
                    local_len = utf16_len(s) as u64;
                }
                Item::BigInt(b) => {
                    ctx = None;
                    let n: f64 = b.as_str().parse::<f64>().unwrap_or(0.0).abs();
                    local_len = if n == 0.0 { 1 } else { n.log10().floor() as u64 + 1 };
                }
                Item::Node(n) => {
                    ctx = None;
                    if let Node::TypedArray(_, bytes) = self.out.node(*n) {
                        local_len = bytes.len() as u64;
                    }
                }
                _ => ctx = None,
            }
            cur = next;
        }
        Ok(Walk::Done(cur, ctx, local_len))
    }

    /// Whether the slot `seg` of `holder` still waits for a fixup.
    fn pending_slot(&self, holder: NodeId, seg: &str) -> bool {
        self.nodes.get(holder.index()).is_some_and(|n| n.pending > 0) && self.pending.contains(&(holder, seg.into()))
    }

    /// Slot `key` of `holder` waits for a fixup.
    fn wait_on(&mut self, holder: NodeId, key: Str) {
        if self.pending.insert((holder, key)) {
            self.node_info(holder).pending += 1;
        }
    }

    /// Slot `key` of `holder` has its value.
    fn filled(&mut self, holder: NodeId, key: Str) {
        if self.pending.remove(&(holder, key)) {
            self.nodes[holder.index()].pending -= 1;
        }
    }

    /// Turn a resolved target into what the reference letter asks for.
    fn apply(&mut self, kind: RefKind, target: Item, key: &str, into: Option<NodeId>) -> Result<Item> {
        if kind != RefKind::Model && !self.pending.is_empty() && self.initializer_waits(kind, &target) {
            let into = match (kind, &target, into) {
                (RefKind::ServerRef, _, _) if key == "then" => return Ok(Item::Null),
                (RefKind::ServerRef, Item::Node(meta), _) if self.server_refs.contains_key(meta) => {
                    return Ok(Item::Node(self.server_refs[meta]))
                }
                (RefKind::ServerRef, Item::Node(meta), into) => {
                    // Registered now, so that every reference to this part
                    // shares the one node the deferred initializer fills.
                    let meta = *meta;
                    let f = match into {
                        Some(n) => n,
                        None => self.add(Node::ServerReference(ServerReference { id: "".into(), bound: None }))?,
                    };
                    self.server_refs.insert(meta, f);
                    f
                }
                (_, _, Some(n)) => n,
                (_, _, None) => return Err(Error::reference(INVALID_REFERENCE)),
            };
            self.deferred.push(Deferred { kind, target, key: key.into(), into });
            return Ok(Item::Node(into));
        }
        let node =
            match kind {
                RefKind::Model => {
                    // A function reached by a reference cannot become a `then`.
                    if key == "then" {
                        if let Item::Node(n) = target {
                            if matches!(self.out.node(n), Node::ServerReference(_) | Node::TemporaryReference(_)) {
                                return Ok(Item::Null);
                            }
                        }
                    }
                    return Ok(target);
                }
                RefKind::Map | RefKind::Set | RefKind::Iterator => {
                    let name = match kind {
                        RefKind::Map => "Map",
                        RefKind::Set => "Set",
                        _ => "Iterator",
                    };
                    let items = match target {
                        Item::Node(n) => match self.out.node(n) {
                            Node::Array(a) => {
                                if !self.consumed.insert(n) {
                                    return Err(Error::reference(format!("Already initialized {name}.")));
                                }
                                a.clone()
                            }
                            _ => return Err(Error::reference(format!("Invalid {name} initializer."))),
                        },
                        _ => return Err(Error::reference(format!("Invalid {name} initializer."))),
                    };
                    match kind {
                        RefKind::Map => {
                            let pairs = items.iter().map(|e| self.map_entry(e)).collect::<Result<Vec<_>>>()?;
                            Node::Map(crate::value::map_entries(pairs))
                        }
                        RefKind::Set => Node::Set(crate::value::set_values(items)),
                        _ => Node::Iterator(items),
                    }
                }
                RefKind::ServerRef => {
                    if key == "then" {
                        return Ok(Item::Null);
                    }
                    let Item::Node(meta) = target else { return Ok(Item::Null) };
                    if let Some(&f) = self.server_refs.get(&meta) {
                        return Ok(Item::Node(f));
                    }
                    let Node::Object(o) = self.out.node(meta) else { return Ok(Item::Null) };
                    let Some(Item::String(id)) = o.get("id").cloned() else { return Ok(Item::Null) };
                    let bound = o.get("bound").cloned();
                    let node = Node::ServerReference(ServerReference { id, bound: None });
                    let f = match into {
                        Some(f) => {
                            *self.out.node_mut(f) = node;
                            f
                        }
                        None => self.add(node)?,
                    };
                    self.server_refs.insert(meta, f);
                    match bound {
                        None | Some(Item::Null | Item::Undefined) => {}
                        Some(Item::Node(p)) if matches!(self.out.node(p), Node::Promise(_)) => {
                            self.bound_pending.push((f, p));
                        }
                        Some(_) => return Err(Error::reference(
                            "Invalid server reference: \"bound\" must be null or a promise of an array of arguments.",
                        )),
                    }
                    return Ok(Item::Node(f));
                }
            };
        match into {
            Some(n) => {
                *self.out.node_mut(n) = node;
                Ok(Item::Node(n))
            }
            None => Ok(Item::Node(self.add(node)?)),
        }
    }

    /// Whether what an initializer reads (an array's items, a Map entry's
    /// key and value, a server reference's `id` and `bound`) still waits for
    /// a fixup.
    fn initializer_waits(&self, kind: RefKind, target: &Item) -> bool {
        let Item::Node(n) = target else { return false };
        match (kind, self.out.node(*n)) {
            (RefKind::ServerRef, Node::Object(_)) => self.pending_slot(*n, "id") || self.pending_slot(*n, "bound"),
            (_, Node::Array(a)) => a.iter().enumerate().any(|(i, e)| {
                self.pending_slot(*n, &i.to_string())
                    || (kind == RefKind::Map
                        && matches!(e, Item::Node(en) if self.pending_slot(*en, "0") || self.pending_slot(*en, "1")))
            }),
            _ => false,
        }
    }

    fn map_entry(&self, e: &Item) -> Result<(Item, Item)> {
        // `new Map(array)` reads e[0] and e[1] of each entry object.
        match e {
            Item::Node(n) => match self.out.node(*n) {
                Node::Array(kv) => {
                    Ok((kv.first().cloned().unwrap_or_default(), kv.get(1).cloned().unwrap_or_default()))
                }
                Node::Object(o) => {
                    Ok((o.get("0").cloned().unwrap_or_default(), o.get("1").cloned().unwrap_or_default()))
                }
                _ => Err(Error::reference("Invalid Map initializer.")),
            },
            _ => Err(Error::reference("Invalid Map initializer.")),
        }
    }

    fn run_fixups(&mut self, part: u32) -> Result<()> {
        if self.fixups.iter().all(|f| f.part != part) {
            return Ok(());
        }
        let (mut mine, rest): (Vec<Fixup>, Vec<Fixup>) =
            std::mem::take(&mut self.fixups).into_iter().partition(|f| f.part == part);
        self.fixups = rest;
        // A fixup's path may go through a slot another fixup fills: retry
        // the blocked ones while a round makes progress.
        while !mine.is_empty() {
            let before = mine.len();
            for f in std::mem::take(&mut mine) {
                let root = self.part_root(f.part)?;
                match self.walk(f.part, root, Path(f.path.as_deref()))? {
                    Walk::Done(target, _, _) => self.fill(f, target)?,
                    Walk::Blocked => mine.push(f),
                }
            }
            if mine.len() == before {
                return Err(Error::reference(INVALID_REFERENCE));
            }
        }
        self.run_deferred()
    }

    /// Apply the deferred initializers whose slots are all filled now.
    fn run_deferred(&mut self) -> Result<()> {
        while !self.deferred.is_empty() {
            let before = self.deferred.len();
            for d in std::mem::take(&mut self.deferred) {
                if self.initializer_waits(d.kind, &d.target) {
                    self.deferred.push(d);
                } else {
                    if let (RefKind::ServerRef, Item::Node(meta)) = (d.kind, &d.target) {
                        self.server_refs.remove(meta);
                    }
                    self.apply(d.kind, d.target, &d.key, Some(d.into))?;
                }
            }
            if self.deferred.len() == before {
                break;
            }
        }
        Ok(())
    }

    /// Put a fixup's resolved value into the slot that waited for it.
    fn fill(&mut self, f: Fixup, target: Item) -> Result<()> {
        let item = self.apply(f.kind, target, &f.key, f.node)?;
        match f.slot {
            Slot::Key(h) => {
                self.filled(h, f.key.clone());
                if let Node::Object(o) = self.out.node_mut(h) {
                    o.insert(f.key, item);
                }
            }
            Slot::Index(h, i) => {
                self.filled(h, i.to_string().into());
                if let Node::Array(a) = self.out.node_mut(h) {
                    if let Some(s) = a.get_mut(i) {
                        *s = item;
                    }
                }
            }
            Slot::None => {}
        }
        Ok(())
    }

    // -- promises, blobs, typed arrays, FormData, streams --------------------

    fn promise(&mut self, text: &str) -> Result<Item> {
        let Some(id) = parse_hex_id(text) else { return Err(Error::reference(CONNECTION_CLOSED)) };
        if let Some(&p) = self.promises.get(id) {
            return Ok(Item::Node(p));
        }
        match self.parts.get(id).and_then(|p| p.used) {
            Some(Use::Stream) => return Err(Error::reference(STREAM_CHUNK)),
            Some(Use::TypedArray) => return Err(Error::reference("Already initialized typed array.")),
            _ => {}
        }
        let p = self.add(Node::Promise(Promise::Pending))?;
        self.promises.insert(id, p);
        self.later.push(Later::Promise(p, id));
        Ok(Item::Node(p))
    }

    fn blob_field(&self, id: u32) -> Option<&'f Field> {
        self.store.blobs.get(id).copied()
    }

    fn blob(&mut self, text: &str) -> Result<Item> {
        let id = parse_hex_id(text);
        let Some(f) = id.and_then(|id| self.blob_field(id)) else {
            return Err(Error::reference("Referenced Blob is not a Blob."));
        };
        let id = id.unwrap_or_default();
        if let Some(&n) = self.blob_nodes.get(id) {
            return Ok(Item::Node(n));
        }
        let n = self.add(file_node(f))?;
        self.blob_nodes.insert(id, n);
        Ok(Item::Node(n))
    }

    fn typed_array(&mut self, text: &str, kind: Option<TypedArrayKind>, arr: Option<usize>) -> Result<Item> {
        let Some(id) = parse_hex_id(text) else {
            return Err(Error::reference("Referenced typed array is not a Blob."));
        };
        if self.parts.get(id).is_some_and(|p| p.used.is_some()) || self.promises.contains(id) {
            return Err(Error::reference("Already initialized typed array."));
        }
        self.part(id).used = Some(Use::TypedArray);
        let Some(FieldValue::File { bytes, .. }) = self.blob_field(id).map(|f| &f.value) else {
            return Err(Error::reference(format!(
                "Referenced typed array part {}{id} is not a Blob.",
                self.opts.prefix
            )));
        };
        self.bump(arr, bytes.len() as u64)?;
        let node = match kind {
            None => Node::ArrayBuffer(bytes.clone()),
            Some(k) => {
                if bytes.len() % k.element_size() != 0 {
                    return Err(Error::syntax(format!(
                        "byte length of {} should be a multiple of {}",
                        k.name(),
                        k.element_size()
                    )));
                }
                Node::TypedArray(k, bytes.clone())
            }
        };
        Ok(Item::Node(self.add(node)?))
    }

    fn form_data(&mut self, text: &str) -> Result<Item> {
        // React's encoder writes the entry prefix in decimal and the
        // reference in hex; decode what it meant (spec/reply.md §1, §2).
        let id = parse_hex_id(text).ok_or_else(|| Error::reference(CONNECTION_CLOSED))?;
        if self.form_used.insert(id, ()).is_some() {
            return Err(Error::reference("Already initialized FormData."));
        }
        let prefix = match self.opts.react.dialect().form_entries {
            FormEntries::Underscored => format!("{}_{id}_", self.opts.prefix),
            FormEntries::Plain => format!("{}{id}_", self.opts.prefix),
        };
        let fields = self.store.form_entries.get(id).cloned().unwrap_or_default();
        let mut entries = Vec::with_capacity(fields.len());
        for f in fields {
            let name: Str = f.name[prefix.len()..].into();
            let v = match &f.value {
                FieldValue::Text(t) => Item::String(t.as_str().into()),
                FieldValue::File { .. } => Item::Node(self.add(file_node(f))?),
            };
            entries.push((name, v));
        }
        Ok(Item::Node(self.add(Node::FormData(entries))?))
    }

    fn stream(&mut self, text: &str, kind: StreamKind, bytes: bool) -> Result<Item> {
        let id = parse_hex_id(text).ok_or_else(|| Error::reference(CONNECTION_CLOSED))?;
        if self.parts.get(id).is_some_and(|p| p.used.is_some()) || self.promises.contains(id) {
            return Err(Error::reference("Already initialized stream."));
        }
        self.part(id).used = Some(Use::Stream);
        let node = self.add(if bytes {
            Node::ByteStream(Bytes::new())
        } else {
            Node::Stream(Stream { kind, values: Vec::new(), end: StreamEnd::Return(Item::Undefined) })
        })?;
        self.later.push(Later::Stream { node, id, kind, bytes });
        Ok(Item::Node(node))
    }

    /// Read the entries of stream `id` into its node.
    fn read_stream(&mut self, node: NodeId, id: u32, kind: StreamKind, bytes: bool) -> Result<()> {
        let chunks = self.store.streams.get(id).cloned().unwrap_or_default();
        let name = format!("{}S{id}", self.opts.prefix);
        let mut values = Vec::new();
        let mut data = BytesMut::new();
        let mut end = None;
        for (i, chunk) in chunks.into_iter().enumerate() {
            let r = (|| -> Result<()> {
                if let Some(ret) = chunk.strip_prefix('C') {
                    let ret = if ret.is_empty() || kind == StreamKind::Readable {
                        Item::Undefined
                    } else {
                        self.chunk_value(ret)?
                    };
                    end = Some(StreamEnd::Return(ret));
                    return Ok(());
                }
                let v = self.chunk_value(chunk)?;
                if bytes {
                    match v {
                        Item::Node(n) => match self.out.node(n) {
                            Node::TypedArray(_, b) => data.extend_from_slice(b),
                            _ => return Err(Error::reference("Invalid data for bytes stream.")),
                        },
                        _ => return Err(Error::reference("Invalid data for bytes stream.")),
                    }
                } else {
                    values.push(v);
                }
                Ok(())
            })();
            r.map_err(|e| e.in_part(|| format!("{name} (entry {i})")))?;
            if end.is_some() {
                break;
            }
        }
        let Some(end) = end else {
            if self.store.streams.get(id).is_none() && self.store.string(id).is_some() {
                // Part `<n>` is there, and no `S<n>` entry: the older naming.
                return Err(unread(&format!("{}{id}", self.opts.prefix), true));
            }
            return Err(Error::eof(format!("Stream {name} was never closed (no \"C\" entry).")));
        };
        *self.out.node_mut(node) =
            if bytes { Node::ByteStream(data.freeze()) } else { Node::Stream(Stream { kind, values, end }) };
        Ok(())
    }

    /// A stream chunk: a model without a position (no temporary references).
    fn chunk_value(&mut self, text: &str) -> Result<Item> {
        self.enter()?;
        let (mut doc, json) = self.parse(text)?;
        let ctx = self.new_ctx();
        let item = self.revive(&mut doc, json, Place::root(None, None, ctx))?;
        self.depth -= 1;
        Ok(item)
    }

    // -- the end ----------------------------------------------------------------

    /// Whether decoding read `f` (a field of an unprefixed body), by the
    /// name rules `Store::new` files it under.
    fn was_read(&self, f: &Field) -> bool {
        let used = |n: u32| self.parts.get(n).and_then(|p| p.used);
        let key = f.name.as_str();
        let dialect = self.opts.react.dialect();
        if let Some(n) = form_entry(key, dialect) {
            return self.form_used.contains(n);
        }
        match (key.as_bytes().first(), &f.value) {
            (Some(b'S'), FieldValue::Text(_)) if dialect.stream_keys_s => {
                decimal_id(&key[1..]).is_some_and(|n| used(n) == Some(Use::Stream))
            }
            (_, FieldValue::Text(_)) => decimal_id(key).is_some_and(|n| {
                used(n) == Some(Use::Model) || (!dialect.stream_keys_s && used(n) == Some(Use::Stream))
            }),
            (_, FieldValue::File { .. }) => {
                decimal_id(key).is_some_and(|n| self.blob_nodes.contains(n) || used(n) == Some(Use::TypedArray))
            }
        }
    }

    fn finish(&mut self, root: Item) -> Result<Value> {
        // Promise parts and streams are read after the root, in the order
        // they were first referenced, as a server that awaits them would.
        let mut i = 0;
        while i < self.later.len() {
            match self.later[i] {
                Later::Promise(p, id) => {
                    let v = self.part_root(id)?;
                    *self.out.node_mut(p) = Node::Promise(Promise::Fulfilled(v));
                }
                Later::Stream { node, id, kind, bytes } => self.read_stream(node, id, kind, bytes)?,
            }
            i += 1;
        }
        if let Some(f) = self.fixups.first() {
            return Err(Error::reference(INVALID_REFERENCE).in_part(|| f.part.to_string()));
        }
        if !self.deferred.is_empty() {
            return Err(Error::reference(INVALID_REFERENCE));
        }
        self.flatten_thenables()?;
        for (f, p) in std::mem::take(&mut self.bound_pending) {
            let Node::Promise(Promise::Fulfilled(Item::Node(args))) = self.out.node(p) else {
                return Err(Error::reference("Invalid server reference: bound arguments must be an array."));
            };
            let Node::Array(args) = self.out.node(*args) else {
                return Err(Error::reference("Invalid server reference: bound arguments must be an array."));
            };
            if args.len() > self.limits().max_bound_args {
                return Err(Error::limit_react(
                    "max_bound_args",
                    &format!(
                        "Server Function has too many bound arguments. Received {} but the limit is {}.",
                        args.len(),
                        self.limits().max_bound_args
                    ),
                ));
            }
            let args = args.clone();
            if let Node::ServerReference(r) = self.out.node_mut(f) {
                r.bound = Some(args);
            }
        }
        self.out.set_root(root);
        Ok(std::mem::take(&mut self.out))
    }

    /// A promise fulfilled with a promise takes that promise's state, as
    /// `await` does; a chain that comes back on itself is React's error.
    fn flatten_thenables(&mut self) -> Result<()> {
        let ids: Vec<NodeId> = self.promises.values().copied().collect();
        for p in ids {
            let mut seen = HashSet::new();
            let mut cur = p;
            let mut hops = 0;
            while let Node::Promise(Promise::Fulfilled(Item::Node(next))) = self.out.node(cur) {
                let next = *next;
                if !matches!(self.out.node(next), Node::Promise(_)) {
                    break;
                }
                hops += 1;
                if next == p || !seen.insert(next) || hops > 1000 {
                    return Err(Error::reference("Cannot have cyclic thenables."));
                }
                cur = next;
            }
            if cur != p {
                let state = self.out.node(cur).clone();
                *self.out.node_mut(p) = state;
            }
        }
        Ok(())
    }
}

enum Walk {
    Done(Item, Option<usize>, u64),
    Blocked,
}

pub(crate) fn file_node(f: &Field) -> Node {
    match &f.value {
        FieldValue::File { filename, content_type, bytes } => Node::Blob(Blob {
            name: Some(filename.as_str().into()),
            mime: content_type.to_ascii_lowercase().into(),
            bytes: bytes.clone(),
        }),
        FieldValue::Text(t) => {
            Node::Blob(Blob { name: None, mime: "".into(), bytes: Bytes::copy_from_slice(t.as_bytes()) })
        }
    }
}
