//! The dynamic value model: an arena document that keeps JavaScript identity.
//!
//! A Flight value is a graph, not a tree: one object can stand in several
//! places or inside itself, and the formats transmit that. A [`Value`] keeps
//! every compound value (object, array, Map, Set, Blob, promise, ...) as a
//! [`Node`] in one arena, and refers to it by [`NodeId`]. Scalars (numbers,
//! strings, booleans, BigInts, Dates, symbols) live inline in an [`Item`]. A
//! shared reference or a cycle is the same `NodeId` again, so nothing is ever
//! copied, a cycle costs nothing, and dropping a deep value never recurses.
//!
//! # Examples
//!
//! Build `o = {name: "root"}; o.self = o; [o, o]`:
//!
//! ```
//! use rsc_flight::value::{Item, Node, Object, Value};
//! let mut v = Value::new();
//! let o = v.add(Node::Object(Object::new()));
//! if let Node::Object(obj) = v.node_mut(o) {
//!     obj.insert("name", Item::from("root"));
//!     obj.insert("self", Item::Node(o));
//! }
//! let arr = v.add(Node::Array(vec![Item::Node(o), Item::Node(o)]));
//! v.set_root(Item::Node(arr));
//! assert_eq!(
//!     rsc_flight::tagged::to_string(&v).unwrap(),
//!     r#"[{"name":"root","self":{"$type":"ref","pointer":"/0"}},{"$type":"ref","pointer":"/0"}]"#
//! );
//! ```

mod access;
pub(crate) mod convert;
mod date;
mod object;
mod str;
pub use access::{Index, Ref};
pub use date::Date;
pub use object::{Iter as ObjectIter, Object};
pub use str::Str;

use bytes::Bytes;

/// An index into a [`Value`]'s arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub(crate) u32);

impl NodeId {
    /// The position of the node in [`Value::nodes`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A JavaScript BigInt, held as its canonical decimal text (`-123`, `0`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BigInt(pub(crate) Box<str>);

impl BigInt {
    /// Parse canonical decimal text (an optional `-`, then digits without
    /// leading zeros; `0` for zero).
    ///
    /// ```
    /// use rsc_flight::value::BigInt;
    /// assert_eq!(BigInt::parse("-42").unwrap().as_str(), "-42");
    /// assert!(BigInt::parse("007").is_none());
    /// ```
    pub fn parse(s: &str) -> Option<BigInt> {
        let digits = s.strip_prefix('-').unwrap_or(s);
        let ok = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'))
            && !(digits == "0" && s.starts_with('-'));
        ok.then(|| BigInt(s.into()))
    }
    /// The canonical decimal text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<i64> for BigInt {
    fn from(n: i64) -> Self {
        BigInt(n.to_string().into())
    }
}

/// A JavaScript symbol.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Symbol {
    /// `Symbol.for(key)`: registered, can cross the wire in responses.
    Registered(Str),
    /// `Symbol(description)`: local, never crosses the wire.
    Local(Option<Str>),
}

/// A value that lives inline: a scalar, or a reference to a [`Node`].
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Item {
    /// `undefined`.
    #[default]
    Undefined,
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// Any JavaScript number, including `NaN`, infinities and `-0`.
    Number(f64),
    /// A string (a Rust string cannot hold a lone UTF-16 surrogate: decoders
    /// reject one).
    String(Str),
    /// A BigInt.
    BigInt(BigInt),
    /// A `Date`; Dates have no identity on the wire, so they live inline.
    Date(Date),
    /// A symbol (boxed: symbols are rare, and inline one would make every
    /// `Item` a third larger).
    Symbol(Box<Symbol>),
    /// A compound value in the arena.
    Node(NodeId),
}

// An object's values, an array's elements and a member beside its key are
// `Item`s: their size is most of a decoded value's memory. Three words: a
// `Str` with its spare byte for the variant (which is why a symbol is boxed).
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Item>() == 24);

// A decoded value crosses threads (a server hands it to a task): what it
// holds, shared key lists included, must be `Send` and `Sync`.
const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Value>();
};

impl From<&str> for Item {
    fn from(s: &str) -> Self {
        Item::String(s.into())
    }
}
impl From<String> for Item {
    fn from(s: String) -> Self {
        Item::String(s.into())
    }
}
impl From<f64> for Item {
    fn from(n: f64) -> Self {
        Item::Number(n)
    }
}
impl From<bool> for Item {
    fn from(b: bool) -> Self {
        Item::Bool(b)
    }
}
impl From<Symbol> for Item {
    fn from(s: Symbol) -> Self {
        Item::Symbol(Box::new(s))
    }
}
impl From<NodeId> for Item {
    fn from(id: NodeId) -> Self {
        Item::Node(id)
    }
}

/// The element type of a typed array (or `DataView`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum TypedArrayKind {
    Int8,
    Uint8,
    Uint8Clamped,
    Int16,
    Uint16,
    Int32,
    Uint32,
    Float32,
    Float64,
    BigInt64,
    BigUint64,
    DataView,
}

impl TypedArrayKind {
    /// Every kind, in the order of their tags in spec/reply.md §2.
    pub const ALL: [TypedArrayKind; 12] = [
        Self::Int8,
        Self::Uint8,
        Self::Uint8Clamped,
        Self::Int16,
        Self::Uint16,
        Self::Int32,
        Self::Uint32,
        Self::Float32,
        Self::Float64,
        Self::BigInt64,
        Self::BigUint64,
        Self::DataView,
    ];
    /// The JavaScript constructor name (`"Float64Array"`, `"DataView"`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Int8 => "Int8Array",
            Self::Uint8 => "Uint8Array",
            Self::Uint8Clamped => "Uint8ClampedArray",
            Self::Int16 => "Int16Array",
            Self::Uint16 => "Uint16Array",
            Self::Int32 => "Int32Array",
            Self::Uint32 => "Uint32Array",
            Self::Float32 => "Float32Array",
            Self::Float64 => "Float64Array",
            Self::BigInt64 => "BigInt64Array",
            Self::BigUint64 => "BigUint64Array",
            Self::DataView => "DataView",
        }
    }
    /// The kind for a constructor name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
    /// Bytes per element (1 for `DataView`).
    pub fn element_size(self) -> usize {
        match self {
            Self::Int8 | Self::Uint8 | Self::Uint8Clamped | Self::DataView => 1,
            Self::Int16 | Self::Uint16 => 2,
            Self::Int32 | Self::Uint32 | Self::Float32 => 4,
            Self::Float64 | Self::BigInt64 | Self::BigUint64 => 8,
        }
    }
}

/// The state of a promise.
#[derive(Debug, Clone, PartialEq)]
pub enum Promise {
    /// Never settles.
    Pending,
    /// Fulfilled with a value.
    Fulfilled(Item),
    /// Rejected with a reason.
    Rejected(Item),
}

/// Which kind of stream a [`Stream`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StreamKind {
    /// A `ReadableStream` of values (`$R`).
    Readable,
    /// An async iterable (`$X`): iterable several times.
    AsyncIterable,
    /// An async iterator (`$x`): iterable once.
    AsyncIterator,
}

/// How a [`Stream`] ends.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEnd {
    /// Closed normally; for async iterables, with this return value
    /// (`undefined` when there is none; always `undefined` for streams).
    Return(Item),
    /// Errored after its values.
    Error(Item),
    /// Not ended yet: more values may follow. An incremental decoder hands
    /// out streams in this state while their rows are still arriving, and
    /// the async encoder takes them with a source for the rest.
    Open,
}

/// A stream or async iterable of values, with every value it yields.
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    /// Which kind of stream.
    pub kind: StreamKind,
    /// The values, in order.
    pub values: Vec<Item>,
    /// How it ends.
    pub end: StreamEnd,
}

/// A Blob or a File (a File has a name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    /// `Some(name)` for a `File`.
    pub name: Option<Str>,
    /// The MIME type, lowercase (`""` when unknown).
    pub mime: Str,
    /// The content.
    pub bytes: Bytes,
}

/// A server reference (a Server Function the client may call).
#[derive(Debug, Clone, PartialEq)]
pub struct ServerReference {
    /// `module#export`.
    pub id: Str,
    /// The bound arguments, `None` when unbound.
    pub bound: Option<Vec<Item>>,
}

/// A client reference (responses only): what the bundler's manifest says
/// to load, as the server's manifest held it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientReference {
    /// The module id.
    pub module: BundlerId,
    /// The export name.
    pub name: Str,
    /// The chunks to load (webpack lists chunk ids and file names in pairs).
    pub chunks: Vec<BundlerId>,
    /// Whether the module is async (ESM).
    pub is_async: bool,
}

/// A module or chunk id as a bundler writes it in its manifest: a string
/// (a path, a hash) or a number (webpack and Turbopack production builds
/// number their modules and chunks: Next.js writes `I[39756,[...],"default"]`).
/// The kind is kept, so that an encoder writes the id back as it came.
///
/// ```
/// use rsc_flight::value::BundlerId;
/// assert_eq!(BundlerId::from(39756).to_string(), "39756");
/// assert_eq!(BundlerId::from("./src/a.js").to_string(), "./src/a.js");
/// assert_ne!(BundlerId::from(7), BundlerId::from("7"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum BundlerId {
    /// A string id.
    String(Str),
    /// A numeric id (always finite: it comes from JSON).
    Number(f64),
}

impl BundlerId {
    /// The id as a string, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            BundlerId::String(s) => Some(s),
            BundlerId::Number(_) => None,
        }
    }
}

/// The id as JavaScript's `String(id)` spells it.
impl std::fmt::Display for BundlerId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BundlerId::String(s) => f.write_str(s),
            BundlerId::Number(n) if n.is_nan() => f.write_str("NaN"),
            BundlerId::Number(n) if n.is_infinite() => f.write_str(if *n > 0.0 { "Infinity" } else { "-Infinity" }),
            BundlerId::Number(n) => {
                let mut s = String::new();
                crate::js::write_number(&mut s, *n);
                f.write_str(&s)
            }
        }
    }
}

impl From<&str> for BundlerId {
    fn from(s: &str) -> Self {
        BundlerId::String(s.into())
    }
}

impl From<Str> for BundlerId {
    fn from(s: Str) -> Self {
        BundlerId::String(s)
    }
}

impl From<u32> for BundlerId {
    fn from(n: u32) -> Self {
        BundlerId::Number(n.into())
    }
}

/// A compound value, stored in the arena.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A plain object.
    Object(Object),
    /// An array (holes are `undefined`).
    Array(Vec<Item>),
    /// A `Map`, entries in insertion order.
    Map(Vec<(Item, Item)>),
    /// A `Set`, values in insertion order.
    Set(Vec<Item>),
    /// A `FormData`: each value is an [`Item::String`] or a File node.
    FormData(Vec<(Str, Item)>),
    /// A `Blob` or `File`.
    Blob(Blob),
    /// An `ArrayBuffer`.
    ArrayBuffer(Bytes),
    /// A typed array or `DataView`; the bytes are the view's bytes,
    /// little-endian.
    TypedArray(TypedArrayKind, Bytes),
    /// A promise.
    Promise(Promise),
    /// A synchronous iterator (`$i`), with the values it yields.
    Iterator(Vec<Item>),
    /// A stream or async iterable of values.
    Stream(Stream),
    /// A byte `ReadableStream`, all chunks concatenated.
    ByteStream(Bytes),
    /// A server reference.
    ServerReference(ServerReference),
    /// A temporary reference as a server decodes it: an opaque id.
    TemporaryReference(Str),
    /// A function that is not a server reference (never encodable).
    Function(Str),
    /// An instance of a class, or an object with a null prototype
    /// (`class: None`); never encodable as data.
    Instance {
        /// The class name, `None` for a null prototype.
        class: Option<Str>,
        /// Own properties.
        entries: Vec<(Str, Item)>,
    },
    /// An `Error` (responses).
    Error {
        /// The message.
        message: Str,
        /// The digest, if any.
        digest: Option<Str>,
    },
    /// A React element (responses).
    Element {
        /// A tag name, a symbol, or a client reference.
        ty: Item,
        /// The key.
        key: Option<Str>,
        /// The props object.
        props: Item,
    },
    /// A client reference (responses).
    ClientReference(ClientReference),
}

/// A Flight value: an arena of [`Node`]s and a root [`Item`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Value {
    nodes: Vec<Node>,
    root: Item,
}

impl Value {
    /// An empty value, in a constant (for deserializers of lone scalars).
    pub(crate) const EMPTY: Value = Value { nodes: Vec::new(), root: Item::Undefined };

    /// An empty value whose root is `undefined`.
    pub fn new() -> Self {
        Value { nodes: Vec::new(), root: Item::Undefined }
    }
    /// A value that is just one scalar.
    ///
    /// ```
    /// use rsc_flight::value::{Item, Value};
    /// let v = Value::from_item(Item::from("hi"));
    /// assert_eq!(v.root(), &Item::from("hi"));
    /// ```
    pub fn from_item(root: Item) -> Self {
        Value { nodes: Vec::new(), root }
    }
    /// The root item.
    pub fn root(&self) -> &Item {
        &self.root
    }
    /// Replace the root item.
    pub fn set_root(&mut self, root: Item) {
        self.root = root;
    }
    /// Add a node to the arena and return its id.
    pub fn add(&mut self, node: Node) -> NodeId {
        let id = NodeId(u32::try_from(self.nodes.len()).expect("more than 2^32 nodes"));
        self.nodes.push(node);
        id
    }
    /// The node with this id.
    ///
    /// # Panics
    /// If the id does not belong to this value.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }
    /// The node with this id, mutably (to fill in a node reserved earlier,
    /// which is how cycles are built).
    ///
    /// # Panics
    /// If the id does not belong to this value.
    pub fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id.index()]
    }
    /// Every node, in the order they were added.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }
    /// Drop the nodes from `len` on (what a build that gave up added).
    pub(crate) fn truncate(&mut self, len: usize) {
        self.nodes.truncate(len);
    }
    /// Number of nodes in the arena.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }
    /// Whether the arena has no nodes (the root is a scalar).
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
    /// The item, resolved to its node when it is one.
    pub fn resolve<'a>(&'a self, item: &'a Item) -> Option<&'a Node> {
        match item {
            Item::Node(id) => self.nodes.get(id.index()),
            _ => None,
        }
    }
}

/// An object's own properties in the order JavaScript enumerates them
/// (array indices first, ascending, then the others in insertion order), as
/// `JSON.stringify` writes them.
pub(crate) fn js_entries(o: &Object) -> JsEntries<'_> {
    // Nearly every object has no index keys and is enumerated as it stands,
    // with no order to compute.
    let starts_with_digit = |k: &Str| k.as_bytes().first().is_some_and(u8::is_ascii_digit);
    if o.keys().any(starts_with_digit) {
        JsEntries::Ordered(o, crate::js::js_key_order(o.keys().map(|k| &**k)).into_iter())
    } else {
        JsEntries::AsStored(o.iter())
    }
}

/// The iterator of [`js_entries`].
pub(crate) enum JsEntries<'a> {
    AsStored(object::Iter<'a>),
    Ordered(&'a Object, std::vec::IntoIter<usize>),
}

impl<'a> Iterator for JsEntries<'a> {
    type Item = (&'a str, &'a Item);
    fn next(&mut self) -> Option<Self::Item> {
        let (k, v) = match self {
            JsEntries::AsStored(entries) => entries.next()?,
            JsEntries::Ordered(o, order) => o.get_index(order.next()?)?,
        };
        Some((&**k, v))
    }
}

/// A Map key or Set value under JavaScript's SameValueZero, hashable;
/// `None` for values that are never equal to another (each Date is its own
/// object).
#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) enum SameValueZero {
    Undefined,
    Null,
    Bool(bool),
    /// The bits of the number, with `-0` as `0` and one NaN.
    Number(u64),
    String(Str),
    BigInt(Box<str>),
    Symbol(Symbol),
    Node(NodeId),
}

impl SameValueZero {
    pub(crate) fn of(item: &Item) -> Option<Self> {
        Some(match item {
            Item::Undefined => Self::Undefined,
            Item::Null => Self::Null,
            Item::Bool(b) => Self::Bool(*b),
            Item::Number(n) if n.is_nan() => Self::Number(f64::NAN.to_bits()),
            Item::Number(n) if *n == 0.0 => Self::Number(0),
            Item::Number(n) => Self::Number(n.to_bits()),
            Item::String(s) => Self::String(s.clone()),
            Item::BigInt(b) => Self::BigInt(b.0.clone()),
            Item::Symbol(s) => Self::Symbol((**s).clone()),
            Item::Node(n) => Self::Node(*n),
            Item::Date(_) => return None,
        })
    }
}

/// `new Map(pairs)`: SameValueZero keys, each at its first position with its
/// last value. Use it to build a [`Node::Map`] that JavaScript could hold.
///
/// ```
/// use rsc_flight::value::{map_entries, Item};
/// let e = map_entries(vec![(Item::from(1.0), Item::from("a")), (Item::from(2.0), Item::Null), (Item::from(1.0), Item::from("b"))]);
/// assert_eq!(e, vec![(Item::from(1.0), Item::from("b")), (Item::from(2.0), Item::Null)]);
/// ```
pub fn map_entries(pairs: Vec<(Item, Item)>) -> Vec<(Item, Item)> {
    let mut entries: Vec<(Item, Item)> = Vec::with_capacity(pairs.len());
    let mut at: std::collections::HashMap<SameValueZero, usize> = std::collections::HashMap::with_capacity(pairs.len());
    for (k, v) in pairs {
        let key = SameValueZero::of(&k);
        match key.as_ref().and_then(|h| at.get(h).copied()) {
            Some(i) => entries[i].1 = v,
            None => {
                if let Some(h) = key {
                    at.insert(h, entries.len());
                }
                entries.push((k, v));
            }
        }
    }
    entries
}

/// `new Set(values)`: the first of SameValueZero-equal values (`NaN` equals
/// `NaN`, `-0` equals `0`). Use it to build a [`Node::Set`].
///
/// ```
/// use rsc_flight::value::{set_values, Item};
/// assert_eq!(set_values(vec![Item::from(f64::NAN), Item::from(-0.0), Item::from(f64::NAN), Item::from(0.0)]).len(), 2);
/// ```
pub fn set_values(items: Vec<Item>) -> Vec<Item> {
    let mut seen: std::collections::HashSet<SameValueZero> = std::collections::HashSet::with_capacity(items.len());
    items.into_iter().filter(|v| SameValueZero::of(v).is_none_or(|h| seen.insert(h))).collect()
}
