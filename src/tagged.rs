//! The tagged-JSON notation (`spec/notation.md`): one JSON document for one
//! JavaScript value, lossless for everything Flight carries, identity
//! included (`{"$type":"ref","pointer":...}`).
//!
//! This is the contract between the CLI, the golden vectors and the
//! conformance harness; [`to_string`] writes it, [`from_str`] reads it and
//! [`equivalent`] compares two values the way the notation defines.
//!
//! # Examples
//!
//! ```
//! let v = rsc_flight::tagged::from_str(r#"{"a":{"$type":"bigint","value":"12"},"b":{"$type":"ref","pointer":""}}"#).unwrap();
//! let text = rsc_flight::tagged::to_string(&v).unwrap();
//! assert_eq!(text, r#"{"a":{"$type":"bigint","value":"12"},"b":{"$type":"ref","pointer":""}}"#);
//! ```

use std::collections::HashMap;

use base64::Engine as _;
use bytes::Bytes;

use crate::error::{Error, Result};
use crate::js::write_number;
use crate::value::{
    BigInt, Blob, BundlerId, ClientReference, Date, Item, Node, NodeId, Object, Promise, ServerReference, Str, Stream,
    StreamEnd, StreamKind, Symbol, TypedArrayKind, Value,
};
use crate::wire::json::{self, write_str, Json};

/// How deep [`to_string`] and [`equivalent`] follow nested values before
/// giving up with an error; deep enough for anything the decoders accept
/// with their default limits, shallow enough for a 2 MiB thread stack.
pub const MAX_DEPTH: usize = 2_000;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

// ---------------------------------------------------------------------------
// Writing

/// Write `value` in the tagged notation.
///
/// # Errors
/// If the value nests deeper than [`MAX_DEPTH`].
pub fn to_string(value: &Value) -> Result<String> {
    let mut w = Writer { v: value, out: String::new(), seen: HashMap::new(), pointer: String::new(), depth: 0 };
    w.item(value.root())?;
    Ok(w.out)
}

struct Writer<'a> {
    v: &'a Value,
    out: String,
    seen: HashMap<NodeId, String>,
    pointer: String,
    depth: usize,
}

fn escape_pointer(seg: &str) -> String {
    seg.replace('~', "~0").replace('/', "~1")
}

impl Writer<'_> {
    fn child(&mut self, seg: &str, item: &Item) -> Result<()> {
        self.child_at(&format!("/{}", escape_pointer(seg)), item)
    }
    /// `suffix` is an already escaped pointer suffix such as `/entries/0/1`.
    fn child_at(&mut self, suffix: &str, item: &Item) -> Result<()> {
        let len = self.pointer.len();
        self.pointer.push_str(suffix);
        let r = self.item(item);
        self.pointer.truncate(len);
        r
    }
    fn tag(&mut self, t: &str) {
        self.out.push_str("{\"$type\":");
        write_str(&mut self.out, t);
    }
    fn field(&mut self, name: &str) {
        self.out.push(',');
        write_str(&mut self.out, name);
        self.out.push(':');
    }
    fn bytes(&mut self, b: &[u8]) {
        self.field("base64");
        self.out.push('"');
        self.out.push_str(&B64.encode(b));
        self.out.push('"');
    }
    fn list<'i>(&mut self, items: impl Iterator<Item = &'i Item>) -> Result<()> {
        self.out.push('[');
        for (i, it) in items.enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.child_at(&format!("/{i}"), it)?;
        }
        self.out.push(']');
        Ok(())
    }
    /// A list whose items sit under `/<field>/<i>` of the current node.
    fn field_list<'i>(&mut self, name: &str, items: impl Iterator<Item = &'i Item>) -> Result<()> {
        self.field(name);
        let len = self.pointer.len();
        self.pointer.push('/');
        self.pointer.push_str(name);
        let r = self.list(items);
        self.pointer.truncate(len);
        r
    }
    fn field_item(&mut self, name: &str, item: &Item) -> Result<()> {
        self.field(name);
        self.child(name, item)
    }
    /// `[[k, v], ...]` pairs under `/<field>/<i>/0` and `/<field>/<i>/1`.
    fn pairs<'i>(&mut self, name: &str, pairs: impl Iterator<Item = (Item, &'i Item)>) -> Result<()> {
        self.field(name);
        self.out.push('[');
        for (i, (k, v)) in pairs.enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.out.push('[');
            self.child_at(&format!("/{name}/{i}/0"), &k)?;
            self.out.push(',');
            self.child_at(&format!("/{name}/{i}/1"), v)?;
            self.out.push(']');
        }
        self.out.push(']');
        Ok(())
    }

    fn item(&mut self, item: &Item) -> Result<()> {
        crate::stack::deep(|| self.item_inner(item))
    }

    fn item_inner(&mut self, item: &Item) -> Result<()> {
        match item {
            Item::Undefined => self.out.push_str("{\"$type\":\"undefined\"}"),
            Item::Null => self.out.push_str("null"),
            Item::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Item::Number(n) => {
                if n.is_finite() && !(*n == 0.0 && n.is_sign_negative()) {
                    write_number(&mut self.out, *n);
                } else {
                    self.tag("number");
                    self.field("value");
                    let s = if n.is_nan() {
                        "NaN"
                    } else if *n == f64::INFINITY {
                        "Infinity"
                    } else if *n == f64::NEG_INFINITY {
                        "-Infinity"
                    } else {
                        "-0"
                    };
                    write_str(&mut self.out, s);
                    self.out.push('}');
                }
            }
            Item::String(s) => write_str(&mut self.out, s),
            Item::BigInt(b) => {
                self.tag("bigint");
                self.field("value");
                write_str(&mut self.out, b.as_str());
                self.out.push('}');
            }
            Item::Date(d) => {
                self.tag("Date");
                self.field("value");
                match d.to_iso() {
                    Some(s) => write_str(&mut self.out, &s),
                    None => self.out.push_str("null"),
                }
                self.out.push('}');
            }
            Item::Symbol(s) => {
                self.tag("symbol");
                match &**s {
                    Symbol::Registered(k) => {
                        self.field("key");
                        write_str(&mut self.out, k);
                    }
                    Symbol::Local(d) => {
                        self.field("description");
                        match d {
                            Some(d) => write_str(&mut self.out, d),
                            None => self.out.push_str("null"),
                        }
                    }
                }
                self.out.push('}');
            }
            Item::Node(id) => {
                if let Some(p) = self.seen.get(id) {
                    self.out.push_str("{\"$type\":\"ref\",\"pointer\":");
                    let p = p.clone();
                    write_str(&mut self.out, &p);
                    self.out.push('}');
                    return Ok(());
                }
                self.seen.insert(*id, self.pointer.clone());
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(Error::limit("tagged::MAX_DEPTH", "a value nested too deeply to print"));
                }
                self.node(self.v.node(*id))?;
                self.depth -= 1;
            }
        }
        Ok(())
    }

    fn node(&mut self, node: &Node) -> Result<()> {
        match node {
            Node::Object(o) => {
                if o.contains_key("$type") {
                    self.tag("Object");
                    self.pairs("entries", o.iter().map(|(k, v)| (Item::String(k.clone()), v)))?;
                    self.out.push('}');
                } else {
                    self.out.push('{');
                    for (i, (k, v)) in o.iter().enumerate() {
                        if i > 0 {
                            self.out.push(',');
                        }
                        write_str(&mut self.out, k);
                        self.out.push(':');
                        self.child(k, v)?;
                    }
                    self.out.push('}');
                }
            }
            Node::Array(a) => self.list(a.iter())?,
            Node::Map(m) => {
                self.tag("Map");
                self.pairs("entries", m.iter().map(|(k, v)| (k.clone(), v)))?;
                self.out.push('}');
            }
            Node::Set(s) => {
                self.tag("Set");
                self.field_list("values", s.iter())?;
                self.out.push('}');
            }
            Node::FormData(entries) => {
                self.tag("FormData");
                self.pairs("entries", entries.iter().map(|(k, v)| (Item::String(k.clone()), v)))?;
                self.out.push('}');
            }
            Node::Blob(b) => {
                match &b.name {
                    Some(name) => {
                        self.tag("File");
                        self.field("name");
                        write_str(&mut self.out, name);
                    }
                    None => self.tag("Blob"),
                }
                self.field("type");
                write_str(&mut self.out, &b.mime);
                self.bytes(&b.bytes);
                self.out.push('}');
            }
            Node::ArrayBuffer(b) => {
                self.tag("ArrayBuffer");
                self.bytes(b);
                self.out.push('}');
            }
            Node::TypedArray(k, b) => {
                self.tag(k.name());
                self.bytes(b);
                self.out.push('}');
            }
            Node::Promise(p) => {
                self.tag("Promise");
                self.field("status");
                match p {
                    Promise::Pending => write_str(&mut self.out, "pending"),
                    Promise::Fulfilled(v) => {
                        write_str(&mut self.out, "fulfilled");
                        self.field_item("value", v)?;
                    }
                    Promise::Rejected(r) => {
                        write_str(&mut self.out, "rejected");
                        self.field_item("reason", r)?;
                    }
                }
                self.out.push('}');
            }
            Node::Iterator(values) => {
                self.tag("Iterator");
                self.field_list("values", values.iter())?;
                self.out.push('}');
            }
            Node::Stream(s) => {
                let (tag, list) = match s.kind {
                    StreamKind::Readable => ("ReadableStream", "chunks"),
                    StreamKind::AsyncIterable => ("AsyncIterable", "values"),
                    StreamKind::AsyncIterator => ("AsyncIterator", "values"),
                };
                self.tag(tag);
                self.field_list(list, s.values.iter())?;
                match &s.end {
                    StreamEnd::Return(Item::Undefined) => {}
                    StreamEnd::Return(r) => self.field_item("return", r)?,
                    StreamEnd::Error(e) => self.field_item("error", e)?,
                    StreamEnd::Open => {
                        return Err(Error::unsupported("a stream that has not ended has no tagged notation"))
                    }
                }
                self.out.push('}');
            }
            Node::ByteStream(b) => {
                self.tag("ReadableByteStream");
                self.bytes(b);
                self.out.push('}');
            }
            Node::ServerReference(r) => {
                self.tag("ServerReference");
                self.field("id");
                write_str(&mut self.out, &r.id);
                match &r.bound {
                    None => {
                        self.field("bound");
                        self.out.push_str("null");
                    }
                    Some(b) => self.field_list("bound", b.iter())?,
                }
                self.out.push('}');
            }
            Node::TemporaryReference(id) => {
                self.tag("TemporaryReference");
                self.field("id");
                write_str(&mut self.out, id);
                self.out.push('}');
            }
            Node::Function(name) => {
                self.tag("Function");
                self.field("name");
                write_str(&mut self.out, name);
                self.out.push('}');
            }
            Node::Instance { class, entries } => {
                self.tag("Instance");
                self.field("class");
                match class {
                    Some(c) => write_str(&mut self.out, c),
                    None => self.out.push_str("null"),
                }
                self.pairs("entries", entries.iter().map(|(k, v)| (Item::String(k.clone()), v)))?;
                self.out.push('}');
            }
            Node::Error { message, digest } => {
                self.tag("Error");
                self.field("message");
                write_str(&mut self.out, message);
                self.field("digest");
                match digest {
                    Some(d) => write_str(&mut self.out, d),
                    None => self.out.push_str("null"),
                }
                self.out.push('}');
            }
            Node::Element { ty, key, props } => {
                self.tag("Element");
                self.field_item("type", ty)?;
                self.field("key");
                match key {
                    Some(k) => write_str(&mut self.out, k),
                    None => self.out.push_str("null"),
                }
                self.field_item("props", props)?;
                self.out.push('}');
            }
            Node::ClientReference(c) => {
                self.tag("ClientReference");
                self.field("module");
                write_bundler_id(&mut self.out, &c.module);
                self.field("name");
                write_str(&mut self.out, &c.name);
                self.field("chunks");
                self.out.push('[');
                for (i, ch) in c.chunks.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    write_bundler_id(&mut self.out, ch);
                }
                self.out.push(']');
                self.field("async");
                self.out.push_str(if c.is_async { "true" } else { "false" });
                self.out.push('}');
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Reading

/// Read a value written in the tagged notation.
///
/// # Errors
/// If the text is not JSON, a tag is unknown or malformed, or a `ref`
/// pointer names no earlier value.
pub fn from_str(text: &str) -> Result<Value> {
    let json = json::parse(text, MAX_DEPTH, usize::MAX)?;
    let mut r = Reader { v: Value::new(), at: HashMap::new() };
    let root = r.item(&json, "")?;
    r.v.set_root(root);
    Ok(r.v)
}

struct Reader {
    v: Value,
    at: HashMap<String, NodeId>,
}

fn bad(msg: impl Into<String>, pointer: &str) -> Error {
    Error::syntax(format!("{} at {pointer:?}", msg.into()))
}

fn get<'j>(members: &'j [(Str, Json)], key: &str) -> Option<&'j Json> {
    members.iter().rev().find(|(k, _)| &**k == key).map(|(_, v)| v)
}

fn str_field<'j>(m: &'j [(Str, Json)], key: &str, p: &str) -> Result<&'j str> {
    match get(m, key) {
        Some(Json::String(s)) => Ok(s),
        _ => Err(bad(format!("expected a string {key:?}"), p)),
    }
}

fn opt_str_field(m: &[(Str, Json)], key: &str, p: &str) -> Result<Option<Str>> {
    match get(m, key) {
        Some(Json::String(s)) => Ok(Some(s.clone())),
        Some(Json::Null) | None => Ok(None),
        _ => Err(bad(format!("expected a string or null {key:?}"), p)),
    }
}

fn b64_field(m: &[(Str, Json)], p: &str) -> Result<Bytes> {
    let s = str_field(m, "base64", p)?;
    B64.decode(s).map(Bytes::from).map_err(|e| bad(format!("bad base64: {e}"), p))
}

/// A module or chunk id: a string or a finite number.
fn bundler_id(j: &Json) -> Option<BundlerId> {
    match j {
        Json::String(s) => Some(BundlerId::String(s.clone())),
        Json::Number(n) if n.is_finite() => Some(BundlerId::Number(*n)),
        _ => None,
    }
}

/// A module or chunk id as JSON: a string, or a number.
fn write_bundler_id(out: &mut String, id: &BundlerId) {
    match id {
        BundlerId::String(s) => write_str(out, s),
        BundlerId::Number(n) if n.is_finite() => write_number(out, *n),
        BundlerId::Number(_) => out.push_str("null"),
    }
}

fn array_field<'j>(m: &'j [(Str, Json)], key: &str, p: &str) -> Result<&'j [Json]> {
    match get(m, key) {
        Some(Json::Array(a)) => Ok(a),
        _ => Err(bad(format!("expected an array {key:?}"), p)),
    }
}

impl Reader {
    fn reserve(&mut self, p: &str, placeholder: Node) -> NodeId {
        let id = self.v.add(placeholder);
        self.at.insert(p.to_owned(), id);
        id
    }

    fn items(&mut self, list: &[Json], p: &str) -> Result<Vec<Item>> {
        list.iter().enumerate().map(|(i, j)| self.item(j, &format!("{p}/{i}"))).collect()
    }

    fn pairs(&mut self, list: &[Json], p: &str) -> Result<Vec<(Item, Item)>> {
        let mut out = Vec::with_capacity(list.len());
        for (i, pair) in list.iter().enumerate() {
            let pp = format!("{p}/{i}");
            match pair {
                Json::Array(kv) if kv.len() == 2 => {
                    let k = self.item(&kv[0], &format!("{pp}/0"))?;
                    let v = self.item(&kv[1], &format!("{pp}/1"))?;
                    out.push((k, v));
                }
                _ => return Err(bad("expected a [key, value] pair", &pp)),
            }
        }
        Ok(out)
    }

    fn string_pairs(&mut self, list: &[Json], p: &str) -> Result<Vec<(Str, Item)>> {
        self.pairs(list, p)?
            .into_iter()
            .map(|(k, v)| match k {
                Item::String(k) => Ok((k, v)),
                _ => Err(bad("expected a string key", p)),
            })
            .collect()
    }

    fn item(&mut self, j: &Json, p: &str) -> Result<Item> {
        crate::stack::deep(|| self.item_inner(j, p))
    }

    fn item_inner(&mut self, j: &Json, p: &str) -> Result<Item> {
        Ok(match j {
            Json::Null => Item::Null,
            Json::Bool(b) => Item::Bool(*b),
            Json::Number(n) => Item::Number(*n),
            Json::String(s) => Item::String(s.clone()),
            Json::Array(a) => {
                let id = self.reserve(p, Node::Array(Vec::new()));
                let items = self.items(a, p)?;
                *self.v.node_mut(id) = Node::Array(items);
                Item::Node(id)
            }
            Json::Object(m) => match get(m, "$type") {
                None => {
                    let id = self.reserve(p, Node::Object(Object::new()));
                    let mut o = Object::with_capacity(m.len());
                    for (k, v) in m {
                        let item = self.item(v, &format!("{p}/{}", escape_pointer(k)))?;
                        o.insert(k.clone(), item);
                    }
                    *self.v.node_mut(id) = Node::Object(o);
                    Item::Node(id)
                }
                Some(Json::String(t)) => self.tagged(t, m, p)?,
                Some(_) => return Err(bad("\"$type\" must be a string", p)),
            },
        })
    }

    fn tagged(&mut self, t: &str, m: &[(Str, Json)], p: &str) -> Result<Item> {
        let node = |r: &mut Self, n: Node| Item::Node(r.reserve(p, n));
        Ok(match t {
            "undefined" => Item::Undefined,
            "ref" => {
                let ptr = str_field(m, "pointer", p)?;
                Item::Node(*self.at.get(ptr).ok_or_else(|| bad(format!("ref to unknown pointer {ptr:?}"), p))?)
            }
            "number" => Item::Number(match str_field(m, "value", p)? {
                "NaN" => f64::NAN,
                "Infinity" => f64::INFINITY,
                "-Infinity" => f64::NEG_INFINITY,
                "-0" => -0.0,
                other => return Err(bad(format!("unknown special number {other:?}"), p)),
            }),
            "bigint" => {
                let s = str_field(m, "value", p)?;
                Item::BigInt(BigInt::parse(s).ok_or_else(|| bad("bigint value is not canonical decimal", p))?)
            }
            "Date" => match get(m, "value") {
                Some(Json::Null) => Item::Date(Date::INVALID),
                Some(Json::String(s)) => {
                    Item::Date(Date::parse_iso(s).ok_or_else(|| bad("Date value is not an ISO string", p))?)
                }
                _ => return Err(bad("Date needs a value", p)),
            },
            "symbol" => match (get(m, "key"), get(m, "description")) {
                (Some(Json::String(k)), _) => Symbol::Registered(k.clone()).into(),
                (None, Some(Json::String(d))) => Symbol::Local(Some(d.clone())).into(),
                (None, Some(Json::Null) | None) => Symbol::Local(None).into(),
                _ => return Err(bad("symbol needs a key or a description", p)),
            },
            "Object" => {
                let id = self.reserve(p, Node::Object(Object::new()));
                let pairs = self.string_pairs(array_field(m, "entries", p)?, &format!("{p}/entries"))?;
                *self.v.node_mut(id) = Node::Object(pairs.into_iter().collect());
                Item::Node(id)
            }
            "Map" => {
                let id = self.reserve(p, Node::Map(Vec::new()));
                let pairs = self.pairs(array_field(m, "entries", p)?, &format!("{p}/entries"))?;
                *self.v.node_mut(id) = Node::Map(pairs);
                Item::Node(id)
            }
            "Set" => {
                let id = self.reserve(p, Node::Set(Vec::new()));
                let items = self.items(array_field(m, "values", p)?, &format!("{p}/values"))?;
                *self.v.node_mut(id) = Node::Set(items);
                Item::Node(id)
            }
            "FormData" => {
                let id = self.reserve(p, Node::FormData(Vec::new()));
                let pairs = self.string_pairs(array_field(m, "entries", p)?, &format!("{p}/entries"))?;
                *self.v.node_mut(id) = Node::FormData(pairs);
                Item::Node(id)
            }
            "Blob" | "File" => {
                let name = if t == "File" { Some(str_field(m, "name", p)?.into()) } else { None };
                let mime = str_field(m, "type", p)?.into();
                let bytes = b64_field(m, p)?;
                node(self, Node::Blob(Blob { name, mime, bytes }))
            }
            "ArrayBuffer" => {
                let b = b64_field(m, p)?;
                node(self, Node::ArrayBuffer(b))
            }
            "Promise" => {
                let id = self.reserve(p, Node::Promise(Promise::Pending));
                let state = match str_field(m, "status", p)? {
                    "pending" => Promise::Pending,
                    "fulfilled" => Promise::Fulfilled(self.req(m, "value", p)?),
                    "rejected" => Promise::Rejected(self.req(m, "reason", p)?),
                    s => return Err(bad(format!("unknown promise status {s:?}"), p)),
                };
                *self.v.node_mut(id) = Node::Promise(state);
                Item::Node(id)
            }
            "Iterator" => {
                let id = self.reserve(p, Node::Iterator(Vec::new()));
                let items = self.items(array_field(m, "values", p)?, &format!("{p}/values"))?;
                *self.v.node_mut(id) = Node::Iterator(items);
                Item::Node(id)
            }
            "ReadableStream" | "AsyncIterable" | "AsyncIterator" => {
                let (kind, list) = match t {
                    "ReadableStream" => (StreamKind::Readable, "chunks"),
                    "AsyncIterable" => (StreamKind::AsyncIterable, "values"),
                    _ => (StreamKind::AsyncIterator, "values"),
                };
                let placeholder = Stream { kind, values: Vec::new(), end: StreamEnd::Return(Item::Undefined) };
                let id = self.reserve(p, Node::Stream(placeholder));
                let values = self.items(array_field(m, list, p)?, &format!("{p}/{list}"))?;
                let end = if get(m, "error").is_some() {
                    StreamEnd::Error(self.req(m, "error", p)?)
                } else if get(m, "return").is_some() && kind != StreamKind::Readable {
                    StreamEnd::Return(self.req(m, "return", p)?)
                } else {
                    StreamEnd::Return(Item::Undefined)
                };
                *self.v.node_mut(id) = Node::Stream(Stream { kind, values, end });
                Item::Node(id)
            }
            "ReadableByteStream" => {
                let b = b64_field(m, p)?;
                node(self, Node::ByteStream(b))
            }
            "ServerReference" => {
                let id = self.reserve(p, Node::Function("".into()));
                let sid = str_field(m, "id", p)?.into();
                let bound = match get(m, "bound") {
                    Some(Json::Null) | None => None,
                    Some(Json::Array(a)) => Some(self.items(a, &format!("{p}/bound"))?),
                    _ => return Err(bad("bound must be null or an array", p)),
                };
                *self.v.node_mut(id) = Node::ServerReference(ServerReference { id: sid, bound });
                Item::Node(id)
            }
            "TemporaryReference" => {
                let tid = str_field(m, "id", p)?.into();
                node(self, Node::TemporaryReference(tid))
            }
            "Function" => {
                let name = str_field(m, "name", p)?.into();
                node(self, Node::Function(name))
            }
            "Instance" => {
                let class = opt_str_field(m, "class", p)?;
                let id = self.reserve(p, Node::Instance { class: class.clone(), entries: Vec::new() });
                let entries = self.string_pairs(array_field(m, "entries", p)?, &format!("{p}/entries"))?;
                *self.v.node_mut(id) = Node::Instance { class, entries };
                Item::Node(id)
            }
            "Error" => {
                let message = str_field(m, "message", p)?.into();
                let digest = opt_str_field(m, "digest", p)?;
                node(self, Node::Error { message, digest })
            }
            "Element" => {
                let id = self.reserve(p, Node::Function("".into()));
                let ty = self.req(m, "type", p)?;
                let key = opt_str_field(m, "key", p)?;
                let props = self.req(m, "props", p)?;
                *self.v.node_mut(id) = Node::Element { ty, key, props };
                Item::Node(id)
            }
            "ClientReference" => {
                let chunks = array_field(m, "chunks", p)?
                    .iter()
                    .map(|c| bundler_id(c).ok_or_else(|| bad("chunks must be strings or finite numbers", p)))
                    .collect::<Result<_>>()?;
                let module = get(m, "module").and_then(bundler_id);
                let c = ClientReference {
                    module: module.ok_or_else(|| bad("expected a string or a finite number \"module\"", p))?,
                    name: str_field(m, "name", p)?.into(),
                    chunks,
                    is_async: matches!(get(m, "async"), Some(Json::Bool(true))),
                };
                node(self, Node::ClientReference(c))
            }
            other => match TypedArrayKind::from_name(other) {
                Some(k) => {
                    let b = b64_field(m, p)?;
                    if b.len() % k.element_size() != 0 {
                        return Err(bad(
                            format!("byte length of {other} should be a multiple of {}", k.element_size()),
                            p,
                        ));
                    }
                    node(self, Node::TypedArray(k, b))
                }
                None => return Err(bad(format!("unknown $type {other:?}"), p)),
            },
        })
    }

    fn req(&mut self, m: &[(Str, Json)], key: &str, p: &str) -> Result<Item> {
        let j = get(m, key).ok_or_else(|| bad(format!("missing {key:?}"), p))?;
        self.item(j, &format!("{p}/{key}"))
    }
}

// ---------------------------------------------------------------------------
// Comparing

/// Whether `a` and `b` describe the same JavaScript value under the
/// notation's comparison (`spec/notation.md` §4):
/// plain-object keys as a set, numbers as doubles, a Blob type `""` equal to
/// `"application/octet-stream"`, a Blob equal to a File named `"blob"`, and
/// identity compared as structure (the same node must correspond to the same
/// node on both sides).
///
/// # Errors
/// `Err` with a description of the first difference and where it is.
pub fn equivalent(a: &Value, b: &Value) -> std::result::Result<(), String> {
    let mut c = Cmp { a, b, ab: HashMap::new(), ba: HashMap::new(), depth: 0 };
    c.item(a.root(), b.root(), "")
}

struct Cmp<'a> {
    a: &'a Value,
    b: &'a Value,
    ab: HashMap<NodeId, NodeId>,
    ba: HashMap<NodeId, NodeId>,
    depth: usize,
}

fn same_number(x: f64, y: f64) -> bool {
    (x.is_nan() && y.is_nan()) || (x == y && x.is_sign_negative() == y.is_sign_negative())
}

impl Cmp<'_> {
    fn item(&mut self, x: &Item, y: &Item, p: &str) -> std::result::Result<(), String> {
        crate::stack::deep(|| self.item_inner(x, y, p))
    }

    fn item_inner(&mut self, x: &Item, y: &Item, p: &str) -> std::result::Result<(), String> {
        match (x, y) {
            (Item::Node(i), Item::Node(j)) => {
                match (self.ab.get(i), self.ba.get(j)) {
                    (Some(jj), _) if jj == j => return Ok(()),
                    (None, None) => {}
                    _ => return Err(format!("{p}: shared/cyclic structure differs")),
                }
                self.ab.insert(*i, *j);
                self.ba.insert(*j, *i);
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(format!("{p}: nested too deeply to compare"));
                }
                let r = self.node(self.a.node(*i), self.b.node(*j), p);
                self.depth -= 1;
                r
            }
            (Item::Number(m), Item::Number(n)) if same_number(*m, *n) => Ok(()),
            (Item::Number(_), Item::Number(_)) => Err(format!("{p}: {x:?} != {y:?}")),
            _ if x == y => Ok(()),
            _ => Err(format!("{p}: {x:?} != {y:?}")),
        }
    }

    fn list(&mut self, xs: &[Item], ys: &[Item], p: &str) -> std::result::Result<(), String> {
        if xs.len() != ys.len() {
            return Err(format!("{p}: length {} != {}", xs.len(), ys.len()));
        }
        for (i, (x, y)) in xs.iter().zip(ys).enumerate() {
            self.item(x, y, &format!("{p}/{i}"))?;
        }
        Ok(())
    }

    fn keyed(&mut self, xs: &[(Str, Item)], ys: &[(Str, Item)], p: &str) -> std::result::Result<(), String> {
        if xs.len() != ys.len() {
            return Err(format!("{p}: {} entries != {}", xs.len(), ys.len()));
        }
        for (i, ((kx, x), (ky, y))) in xs.iter().zip(ys).enumerate() {
            if kx != ky {
                return Err(format!("{p}/{i}: key {kx:?} != {ky:?}"));
            }
            self.item(x, y, &format!("{p}/{i}"))?;
        }
        Ok(())
    }

    fn node(&mut self, x: &Node, y: &Node, p: &str) -> std::result::Result<(), String> {
        let norm = |t: &str| if t.is_empty() { "application/octet-stream".to_owned() } else { t.to_owned() };
        match (x, y) {
            (Node::Object(a), Node::Object(b)) => {
                if a.len() != b.len() {
                    let ka: Vec<_> = a.keys().collect();
                    let kb: Vec<_> = b.keys().collect();
                    return Err(format!("{p}: keys {ka:?} != {kb:?}"));
                }
                for (k, v) in a {
                    let w = b.get(k).ok_or_else(|| format!("{p}: key {k:?} missing on the right"))?;
                    self.item(v, w, &format!("{p}/{}", escape_pointer(k)))?;
                }
                Ok(())
            }
            (Node::Array(a), Node::Array(b))
            | (Node::Set(a), Node::Set(b))
            | (Node::Iterator(a), Node::Iterator(b)) => self.list(a, b, p),
            (Node::Map(a), Node::Map(b)) => {
                if a.len() != b.len() {
                    return Err(format!("{p}: Map sizes {} != {}", a.len(), b.len()));
                }
                for (i, ((k, v), (l, w))) in a.iter().zip(b).enumerate() {
                    self.item(k, l, &format!("{p}/entries/{i}/0"))?;
                    self.item(v, w, &format!("{p}/entries/{i}/1"))?;
                }
                Ok(())
            }
            (Node::FormData(a), Node::FormData(b)) => self.keyed(a, b, p),
            (Node::Instance { class: c, entries: a }, Node::Instance { class: d, entries: b }) if c == d => {
                self.keyed(a, b, p)
            }
            (Node::Blob(a), Node::Blob(b)) => {
                let name = |n: &Option<Str>| n.as_deref().unwrap_or("blob").to_owned();
                let names_ok = a.name == b.name || name(&a.name) == name(&b.name);
                if names_ok && norm(&a.mime) == norm(&b.mime) && a.bytes == b.bytes {
                    Ok(())
                } else {
                    Err(format!("{p}: {a:?} != {b:?}"))
                }
            }
            (Node::Promise(a), Node::Promise(b)) => match (a, b) {
                (Promise::Pending, Promise::Pending) => Ok(()),
                (Promise::Fulfilled(v), Promise::Fulfilled(w)) => self.item(v, w, &format!("{p}/value")),
                (Promise::Rejected(v), Promise::Rejected(w)) => self.item(v, w, &format!("{p}/reason")),
                _ => Err(format!("{p}: promise states differ")),
            },
            (Node::Stream(a), Node::Stream(b)) if a.kind == b.kind => {
                self.list(&a.values, &b.values, p)?;
                match (&a.end, &b.end) {
                    (StreamEnd::Return(v), StreamEnd::Return(w)) => self.item(v, w, &format!("{p}/return")),
                    (StreamEnd::Error(v), StreamEnd::Error(w)) => self.item(v, w, &format!("{p}/error")),
                    _ => Err(format!("{p}: stream ends differ")),
                }
            }
            (Node::ServerReference(a), Node::ServerReference(b)) if a.id == b.id => match (&a.bound, &b.bound) {
                (None, None) => Ok(()),
                (Some(x), Some(y)) => self.list(x, y, &format!("{p}/bound")),
                _ => Err(format!("{p}: bound arguments differ")),
            },
            (Node::Error { digest: a, .. }, Node::Error { digest: b, .. }) => {
                if a == b {
                    Ok(())
                } else {
                    Err(format!("{p}: error digests {a:?} != {b:?}"))
                }
            }
            (Node::Element { ty: t1, key: k1, props: p1 }, Node::Element { ty: t2, key: k2, props: p2 }) => {
                if k1 != k2 {
                    return Err(format!("{p}: element keys differ"));
                }
                self.item(t1, t2, &format!("{p}/type"))?;
                self.item(p1, p2, &format!("{p}/props"))
            }
            _ if x == y => Ok(()),
            _ => Err(format!("{p}: {} != {}", summary(x), summary(y))),
        }
    }
}

fn summary(n: &Node) -> String {
    let s = format!("{n:?}");
    if s.len() > 120 {
        format!("{}…", &s[..s.char_indices().nth(120).map_or(s.len(), |(i, _)| i)])
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROUND_TRIP: &[&str] = &[
        r#"[1,"x",null,true,{"$type":"undefined"},{"$type":"number","value":"-0"},{"$type":"number","value":"NaN"}]"#,
        r#"{"a":{"b":[1,2]},"c":{"$type":"ref","pointer":"/a/b"},"d":{"$type":"ref","pointer":""}}"#,
        r#"{"$type":"Map","entries":[[{"k":1},{"$type":"ref","pointer":"/entries/0/0"}],["self",{"$type":"ref","pointer":""}]]}"#,
        r#"{"$type":"Object","entries":[["$type","x"],["a/b~",{"q":1}],["r",{"$type":"ref","pointer":"/entries/1/1"}]]}"#,
        r#"{"a/b":{"c":{"$type":"ref","pointer":"/a~1b"}}}"#,
        r#"{"$type":"Set","values":[{"$type":"Date","value":"2009-02-13T23:31:30.123Z"},{"$type":"Date","value":null}]}"#,
        r#"{"$type":"FormData","entries":[["a","1"],["f",{"$type":"File","name":"a.txt","type":"text/plain","base64":"YWJj"}]]}"#,
        r#"{"$type":"Promise","status":"fulfilled","value":{"$type":"ref","pointer":""}}"#,
        r#"{"$type":"AsyncIterable","values":[1],"return":"r"}"#,
        r#"{"$type":"ReadableStream","chunks":[1],"error":{"$type":"Error","message":"m","digest":null}}"#,
        r#"{"$type":"ServerReference","id":"m#f","bound":[{"$type":"bigint","value":"-5"}]}"#,
        r#"[{"$type":"Float64Array","base64":"AAAAAAAA8D8="},{"$type":"symbol","key":"k"},{"$type":"symbol","description":"d"}]"#,
        r#"{"$type":"Instance","class":null,"entries":[["x",1]]}"#,
    ];

    #[test]
    fn round_trips_exactly() {
        for text in ROUND_TRIP {
            let v = from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(&to_string(&v).unwrap(), text);
            equivalent(&v, &v).unwrap();
        }
    }

    #[test]
    fn comparison_rules() {
        let eq = |a: &str, b: &str| equivalent(&from_str(a).unwrap(), &from_str(b).unwrap());
        assert!(eq(r#"{"a":1,"b":2}"#, r#"{"b":2,"a":1}"#).is_ok());
        assert!(eq("1e21", "1000000000000000000000").is_ok());
        assert!(eq(r#"[{"x":1},{"x":1}]"#, r#"[{"x":1},{"$type":"ref","pointer":"/0"}]"#).is_err());
        assert!(eq(
            r#"{"$type":"Blob","type":"","base64":"YQ=="}"#,
            r#"{"$type":"File","name":"blob","type":"application/octet-stream","base64":"YQ=="}"#
        )
        .is_ok());
        assert!(eq(r#"[1,2]"#, r#"[2,1]"#).is_err());
        assert!(eq(r#"{"$type":"number","value":"-0"}"#, "0").is_err());
    }

    #[test]
    fn refuses_malformed_tags() {
        for bad in [
            r#"{"$type":"nope"}"#,
            r#"{"$type":"ref","pointer":"/x"}"#,
            r#"{"$type":"bigint","value":"01"}"#,
            r#"{"$type":"Int32Array","base64":"AAA="}"#,
            r#"{"$type":"Date","value":"yesterday"}"#,
        ] {
            assert!(from_str(bad).is_err(), "{bad}");
        }
    }
}
