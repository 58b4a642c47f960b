//! `Value` → `T: Deserialize`.
//!
//! The deserializer walks the arena from an item, with the path of the
//! value being read (`args[1].when`) for error messages. Shared references
//! are read once per place they occur (a Rust value is a tree), so every
//! item read is charged to `max_values`, and nesting to `max_depth`: a
//! doubling chain or a cycle is a limit error, not an exponential walk or
//! a stack overflow.

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::{describe, BIGINT, BLOB, DATE, FORMDATA, FORMVALUE, MAP, SERVER_REF, SET, TYPED_ARRAY, UNDEFINED};
use crate::error::{Category, Error, Result};
use crate::limits::Limits;
use crate::value::{js_entries, Item, Node, Promise, Str, TypedArrayKind, Value};

/// Read `T` from `value`'s root, lending it the arena's strings and bytes
/// (`&'a str` fields borrow from `value`). Error messages name the path
/// from `root`.
pub(crate) fn from_item<'a, T: de::Deserialize<'a>>(v: &'a Value, root: &str, limits: &Limits) -> Result<T> {
    read::<Lent, T>(v, root, limits)
}

/// [`from_item`] for a `T` whose borrowed fields outlive `value` (they
/// borrow from a body, and `value` was decoded from it just now): strings
/// and bytes are handed over as copies, so a `&str` field reports the
/// string it could not borrow, as `serde_json` does for a string with
/// escapes, and a `Cow<str>` holds a copy.
pub(crate) fn from_item_copied<'de, T: de::Deserialize<'de>>(v: &Value, root: &str, limits: &Limits) -> Result<T> {
    read::<Copied, T>(v, root, limits)
}

fn read<'a, 'de, L: Lend<'a, 'de>, T: de::Deserialize<'de>>(v: &'a Value, root: &str, limits: &Limits) -> Result<T> {
    let cx = Ctx { budget: Cell::new(limits.get_max_values()), max_depth: limits.get_max_depth() };
    let path = Path::Root(root);
    T::deserialize(De::<L> { v, cx: &cx, item: Cow::Borrowed(v.root()), path: &path, depth: 0, lend: PhantomData })
}

/// How the arena's strings and bytes reach a visitor: lent, when the value
/// outlives what is read from it ([`Lent`]), or as copies ([`Copied`]).
pub(crate) trait Lend<'a, 'de> {
    fn str<V: Visitor<'de>>(s: &'a str, visitor: V) -> Result<V::Value>;
    fn bytes<V: Visitor<'de>>(b: &'a [u8], visitor: V) -> Result<V::Value>;
}

/// Lent: `visit_borrowed_*`, for a value that outlives the result.
pub(crate) enum Lent {}

/// Copied: `visit_str` and `visit_bytes`, for a value dropped before the
/// result is handed out.
pub(crate) enum Copied {}

impl<'a: 'de, 'de> Lend<'a, 'de> for Lent {
    fn str<V: Visitor<'de>>(s: &'a str, visitor: V) -> Result<V::Value> {
        visitor.visit_borrowed_str(s)
    }
    fn bytes<V: Visitor<'de>>(b: &'a [u8], visitor: V) -> Result<V::Value> {
        visitor.visit_borrowed_bytes(b)
    }
}

impl<'a, 'de> Lend<'a, 'de> for Copied {
    fn str<V: Visitor<'de>>(s: &'a str, visitor: V) -> Result<V::Value> {
        visitor.visit_str(s)
    }
    fn bytes<V: Visitor<'de>>(b: &'a [u8], visitor: V) -> Result<V::Value> {
        visitor.visit_bytes(b)
    }
}

/// A string (a name, an id, a MIME type), lent or copied as `L` says.
struct Text<'a, L>(&'a str, PhantomData<L>);

impl<'a, L> Text<'a, L> {
    fn new(s: &'a str) -> Self {
        Text(s, PhantomData)
    }
}

impl<'a, 'de, L: Lend<'a, 'de>> de::Deserializer<'de> for Text<'a, L> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        L::str(self.0, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        // A variant's name is matched, never kept.
        visitor.visit_enum(de::value::StrDeserializer::<Error>::new(self.0))
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'de>>
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// Bytes (a Blob's), lent or copied as `L` says.
struct Bin<'a, L>(&'a [u8], PhantomData<L>);

impl<'a, L> Bin<'a, L> {
    fn new(b: &'a [u8]) -> Self {
        Bin(b, PhantomData)
    }
}

impl<'a, 'de, L: Lend<'a, 'de>> de::Deserializer<'de> for Bin<'a, L> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        L::bytes(self.0, visitor)
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'de>>
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

struct Ctx {
    budget: Cell<usize>,
    max_depth: usize,
}

/// No value in an arena: what a lone scalar is read against.
static EMPTY: Value = Value::EMPTY;

/// Read one scalar `item` (a number, a Date, a BigInt, a boolean, null or
/// undefined) with `f`, by exactly the rules a value in an arena is read
/// by. The typed decoder that reads a reply straight from its text
/// (`straight/typed.rs`) hands its scalars here, so that both read them alike.
/// Errors carry no path: that decoder gives up on any error, and the
/// decode that follows says where.
pub(crate) fn with_scalar<R>(item: Item, f: impl FnOnce(De<'static, '_, Copied>) -> Result<R>) -> Result<R> {
    let cx = Ctx { budget: Cell::new(usize::MAX), max_depth: usize::MAX };
    let path = Path::Root("args");
    f(De { v: &EMPTY, cx: &cx, item: Cow::Owned(item), path: &path, depth: 0, lend: PhantomData })
}

/// An object's key as [`Entries`] hands it to a visitor (see
/// [`with_scalar`]).
pub(crate) fn with_key<'a, R>(s: &'a str, f: impl FnOnce(StrKey<'a, '_, Lent>) -> Result<R>) -> Result<R> {
    let path = Path::Root("args");
    f(StrKey { s, path: &path, lend: PhantomData })
}

/// Where a value is, from the root: shown as `args[1].when`.
enum Path<'p> {
    Root(&'p str),
    Index(&'p Path<'p>, usize),
    Key(&'p Path<'p>, &'p str),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root(name) => f.write_str(name),
            Path::Index(p, i) => write!(f, "{p}[{i}]"),
            Path::Key(p, k) if !k.is_empty() && k.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$') => {
                write!(f, "{p}.{k}")
            }
            Path::Key(p, k) => write!(f, "{p}[{k:?}]"),
        }
    }
}

/// An item read from the arena, or made on the fly (a typed array's
/// elements).
enum Cow<'a> {
    Borrowed(&'a Item),
    Owned(Item),
}

impl Cow<'_> {
    fn get(&self) -> &Item {
        match self {
            Cow::Borrowed(i) => i,
            Cow::Owned(i) => i,
        }
    }
}

pub(crate) struct De<'a, 'p, L> {
    lend: PhantomData<L>,
    v: &'a Value,
    cx: &'p Ctx,
    item: Cow<'a>,
    path: &'p Path<'p>,
    depth: usize,
}

/// The largest integer a JavaScript number holds exactly.
pub(crate) const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

impl<'a, 'p, L> De<'a, 'p, L> {
    /// An error at this value's path.
    fn err(&self, msg: impl fmt::Display) -> Error {
        Error::new(Category::Type, msg.to_string()).at_path(|| self.path.to_string())
    }

    fn expected(&self, what: &str) -> Error {
        self.err(format_args!("expected {what}, found {}", describe(self.v, self.item.get())))
    }

    /// Attach this path to an error from a visitor (the innermost wins).
    fn at(&self, e: Error) -> Error {
        e.at_path(|| self.path.to_string())
    }

    fn node(&self) -> Option<&'a Node> {
        match self.item {
            Cow::Borrowed(Item::Node(n)) => Some(self.v.node(*n)),
            _ => None,
        }
    }

    /// A child at `path`, charged to the budget.
    fn child<'q>(&self, item: Cow<'a>, path: &'q Path<'q>) -> Result<De<'a, 'q, L>>
    where
        'p: 'q,
    {
        let left = self.cx.budget.get();
        if left == 0 {
            return Err(Error::limit("max_values", "more values than the limit").at_path(|| self.path.to_string()));
        }
        self.cx.budget.set(left - 1);
        if self.depth + 1 >= self.cx.max_depth {
            return Err(Error::limit(
                "max_depth",
                "a value nested too deeply, or a cycle, which a Rust value cannot hold",
            )
            .at_path(|| self.path.to_string()));
        }
        Ok(De { v: self.v, cx: self.cx, item, path, depth: self.depth + 1, lend: PhantomData })
    }

    /// A settled promise reads as its value (React hands out the value once
    /// awaited); anything else as itself.
    fn through_promise(self) -> Result<Self> {
        if let Some(Node::Promise(Promise::Fulfilled(inner))) = self.node() {
            let De { v, cx, path, depth, .. } = self;
            return Ok(De { v, cx, item: Cow::Borrowed(inner), path, depth, lend: PhantomData });
        }
        Ok(self)
    }

    /// The item as an integer: a number that is an exact integer, or a
    /// BigInt.
    fn integer(&self, what: &str) -> Result<i128> {
        match self.item.get() {
            Item::Number(n) if n.fract() == 0.0 && n.abs() <= MAX_SAFE => Ok(*n as i128),
            Item::Number(n) if n.is_finite() && n.fract() == 0.0 => Err(self.err(format_args!(
                "{n} is beyond the integers a JavaScript number holds exactly; send it as a BigInt"
            ))),
            Item::BigInt(b) => b
                .as_str()
                .parse::<i128>()
                .map_err(|_| self.err(format_args!("BigInt {} does not fit {what}", b.as_str()))),
            _ => Err(self.expected(&format!("an integer ({what})"))),
        }
    }

    fn bytes(&self) -> Option<&'a [u8]> {
        match self.node()? {
            Node::TypedArray(_, b) | Node::ArrayBuffer(b) | Node::ByteStream(b) => Some(b),
            Node::Blob(b) => Some(&b.bytes),
            _ => None,
        }
    }
}

macro_rules! integer {
    ($($method:ident $visit:ident $t:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            let de = self.through_promise()?;
            let n = de.integer(stringify!($t))?;
            let v = <$t>::try_from(n).map_err(|_| de.err(format_args!("{n} does not fit {}", stringify!($t))))?;
            visitor.$visit(v.into()).map_err(|e| de.at(e))
        }
    )*};
}

impl<'a, 'de, L: Lend<'a, 'de>> de::Deserializer<'de> for De<'a, '_, L> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let de = self.through_promise()?;
        let r = match de.item.get() {
            Item::Undefined | Item::Null => visitor.visit_unit(),
            Item::Bool(b) => visitor.visit_bool(*b),
            Item::Number(n) if n.fract() == 0.0 && n.abs() <= MAX_SAFE && !(*n == 0.0 && n.is_sign_negative()) => {
                if *n < 0.0 {
                    visitor.visit_i64(*n as i64)
                } else {
                    visitor.visit_u64(*n as u64)
                }
            }
            Item::Number(n) => visitor.visit_f64(*n),
            Item::String(_) | Item::Date(_) => return de.deserialize_str(visitor),
            Item::BigInt(_) => return de.deserialize_i128(visitor),
            Item::Symbol(_) => return Err(de.expected("a value a Rust type can hold")),
            Item::Node(_) => match de.node() {
                Some(Node::Object(_) | Node::Map(_)) => return de.deserialize_map(visitor),
                Some(Node::Array(_) | Node::Set(_) | Node::Iterator(_)) => return de.deserialize_seq(visitor),
                Some(Node::TypedArray(..) | Node::ArrayBuffer(_) | Node::Blob(_) | Node::ByteStream(_)) => {
                    return de.deserialize_byte_buf(visitor)
                }
                _ => return Err(de.expected("a value a Rust type can hold")),
            },
        };
        r.map_err(|e| de.at(e))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let de = self.through_promise()?;
        match de.item.get() {
            Item::Bool(b) => visitor.visit_bool(*b).map_err(|e| de.at(e)),
            _ => Err(de.expected("a boolean")),
        }
    }

    integer!(deserialize_i8 visit_i64 i8, deserialize_i16 visit_i64 i16, deserialize_i32 visit_i64 i32,
        deserialize_i64 visit_i64 i64, deserialize_u8 visit_u64 u8, deserialize_u16 visit_u64 u16,
        deserialize_u32 visit_u64 u32, deserialize_u64 visit_u64 u64, deserialize_i128 visit_i128 i128);

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let de = self.through_promise()?;
        let n = match de.item.get() {
            Item::BigInt(b) => b
                .as_str()
                .parse::<u128>()
                .map_err(|_| de.err(format_args!("BigInt {} does not fit u128", b.as_str())))?,
            _ => u128::try_from(de.integer("u128")?).map_err(|_| de.err("a negative number does not fit u128"))?,
        };
        visitor.visit_u128(n).map_err(|e| de.at(e))
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let de = self.through_promise()?;
        match de.item.get() {
            Item::Number(n) if n.is_nan() || (*n as f32) as f64 == *n => {
                visitor.visit_f32(*n as f32).map_err(|e| de.at(e))
            }
            Item::Number(n) => Err(de.err(format_args!("{n} cannot be held exactly by an f32"))),
            _ => Err(de.expected("a number")),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let de = self.through_promise()?;
        match de.item.get() {
            Item::Number(n) => visitor.visit_f64(*n).map_err(|e| de.at(e)),
            _ => Err(de.expected("a number")),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let de = self.through_promise()?;
        match de.item.get() {
            Item::String(s) if s.chars().count() == 1 => {
                visitor.visit_char(s.chars().next().unwrap_or_default()).map_err(|e| de.at(e))
            }
            _ => Err(de.expected("a one-character string")),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let de = self.through_promise()?;
        match &de.item {
            Cow::Borrowed(Item::String(s)) => L::str(s, visitor),
            Cow::Owned(Item::String(s)) => visitor.visit_str(s),
            // A Date reads as its ISO text, so that types that parse dates
            // from strings (chrono's `DateTime`) accept it.
            Cow::Borrowed(Item::Date(d)) | Cow::Owned(Item::Date(d)) => match d.to_iso() {
                Some(iso) => visitor.visit_string(iso),
                None => return Err(de.err("an invalid Date has no text; use rsc_flight::value::Date to hold one")),
            },
            _ => return Err(de.expected("a string")),
        }
        .map_err(|e| de.at(e))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let de = self.through_promise()?;
        match de.bytes() {
            Some(b) => L::bytes(b, visitor).map_err(|e| de.at(e)),
            None => Err(de.expected("binary data (an ArrayBuffer, a typed array or a Blob)")),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.item.get() {
            Item::Undefined | Item::Null => visitor.visit_none().map_err(|e| self.at(e)),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.item.get() {
            Item::Undefined | Item::Null => visitor.visit_unit().map_err(|e| self.at(e)),
            _ => Err(self.expected("null or undefined")),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value> {
        match (name, self.item.get()) {
            (UNDEFINED, Item::Undefined) => visitor.visit_unit().map_err(|e| self.at(e)),
            (UNDEFINED, _) => Err(self.expected("undefined")),
            _ => self.deserialize_unit(visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value> {
        let de = self.through_promise()?;
        let path = de.path;
        let r = match name {
            DATE => match de.item.get() {
                Item::Date(d) => visitor.visit_f64(d.millis().map_or(f64::NAN, |ms| ms as f64)),
                _ => return Err(de.expected("a Date")),
            },
            BIGINT => match de.item.get() {
                Item::BigInt(b) => visitor.visit_str(b.as_str()),
                Item::Number(n) if n.fract() == 0.0 && n.abs() <= MAX_SAFE => {
                    visitor.visit_string(format!("{}", *n as i64))
                }
                _ => return Err(de.expected("a BigInt")),
            },
            MAP => match de.node() {
                Some(Node::Map(_) | Node::Object(_)) => visitor.visit_newtype_struct(de),
                _ => return Err(de.expected("a Map")),
            },
            SET => match de.node() {
                Some(Node::Set(_) | Node::Array(_)) => visitor.visit_newtype_struct(de),
                _ => return Err(de.expected("a Set")),
            },
            TYPED_ARRAY => match de.node() {
                Some(Node::TypedArray(..) | Node::Array(_)) => visitor.visit_newtype_struct(de),
                _ => return Err(de.expected("a typed array")),
            },
            BLOB => match de.node() {
                Some(Node::Blob(b)) => {
                    visitor.visit_newtype_struct(AsSeq(BlobSeq::<L> { blob: b, next: 0, lend: PhantomData }))
                }
                _ => return Err(de.expected("a Blob")),
            },
            FORMVALUE => match (de.item.get(), de.node()) {
                (Item::String(_), _) => return de.deserialize_str(visitor),
                (_, Some(Node::Blob(_))) => visitor.visit_newtype_struct(de),
                _ => return Err(de.expected("a string or a File")),
            },
            SERVER_REF => match de.node() {
                Some(Node::ServerReference(r)) => visitor.visit_newtype_struct(AsSeq(ServerRefSeq {
                    de: &de,
                    id: &r.id,
                    bound: r.bound.as_deref(),
                    next: 0,
                })),
                _ => return Err(de.expected("a server reference")),
            },
            FORMDATA => match de.node() {
                Some(Node::FormData(entries)) => {
                    visitor.visit_newtype_struct(AsSeq(FormSeq { de: &de, entries, next: 0 }))
                }
                _ => return Err(de.expected("a FormData")),
            },
            _ => return visitor.visit_newtype_struct(de),
        };
        r.map_err(|e| e.at_path(|| path.to_string()))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let de = self.through_promise()?;
        let items: Elements<'a> = match de.node() {
            Some(Node::Array(a) | Node::Set(a) | Node::Iterator(a)) => Elements::Items(a),
            // A stream or async iterable reads as the values it yielded,
            // once it has ended normally.
            Some(Node::Stream(st)) => match &st.end {
                crate::value::StreamEnd::Return(_) => Elements::Items(&st.values),
                crate::value::StreamEnd::Error(_) => return Err(de.err("the stream ended with an error")),
                crate::value::StreamEnd::Open => return Err(de.err("the stream has not ended")),
            },
            Some(Node::TypedArray(kind, b)) => Elements::Typed(*kind, b),
            _ => return Err(de.expected("an array")),
        };
        let len = items.len();
        let mut seq = Seq { de: &de, items, next: 0 };
        let v = visitor.visit_seq(&mut seq).map_err(|e| de.at(e))?;
        if seq.next < len {
            return Err(de.err(format_args!("{} elements left over after {}", len - seq.next, seq.next)));
        }
        Ok(v)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _: &'static str, _len: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let de = self.through_promise()?;
        let entries: Vec<(Key<'a>, &'a Item)> = match de.node() {
            Some(Node::Object(o)) => js_entries(o).map(|(k, v)| (Key::Str(k), v)).collect(),
            Some(Node::Map(pairs)) => pairs.iter().map(|(k, v)| (Key::Item(k), v)).collect(),
            _ => return Err(de.expected("an object")),
        };
        visitor.visit_map(Entries { de: &de, entries: entries.into_iter(), value: None }).map_err(|e| de.at(e))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let de = self.through_promise()?;
        match de.node() {
            Some(Node::Object(_)) => de.deserialize_map(visitor),
            _ => Err(de.expected("an object")),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let de = self.through_promise()?;
        match (de.item.get(), de.node()) {
            (Item::String(s), _) => visitor.visit_enum(s.to_string().into_deserializer()).map_err(|e| de.at(e)),
            (_, Some(Node::Object(o))) if o.len() == 1 => {
                let (k, v) = o.iter().next().expect("one member");
                let path = Path::Key(de.path, k);
                let inner = de.child(Cow::Borrowed(v), &path)?;
                crate::stack::deep(|| visitor.visit_enum(Variant { name: k, de: inner }))
            }
            _ => Err(de.expected("a variant name, or an object with one member")),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_unit()
    }
}

/// A sequence's elements: items, or a typed array's numbers.
enum Elements<'a> {
    Items(&'a [Item]),
    Typed(TypedArrayKind, &'a [u8]),
}

impl Elements<'_> {
    fn len(&self) -> usize {
        match self {
            Elements::Items(a) => a.len(),
            Elements::Typed(kind, b) => b.len() / kind.element_size().max(1),
        }
    }
}

struct Seq<'a, 'd, 'p, L> {
    de: &'d De<'a, 'p, L>,
    items: Elements<'a>,
    next: usize,
}

impl<'a, 'de, L: Lend<'a, 'de>> de::SeqAccess<'de> for Seq<'a, '_, '_, L> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.next >= self.items.len() {
            return Ok(None);
        }
        let i = self.next;
        self.next += 1;
        let item = match &self.items {
            Elements::Items(a) => Cow::Borrowed(&a[i]),
            Elements::Typed(kind, b) => Cow::Owned(typed_element(*kind, b, i)),
        };
        let path = Path::Index(self.de.path, i);
        let child = self.de.child(item, &path)?;
        crate::stack::deep(|| seed.deserialize(child)).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len() - self.next)
    }
}

/// Element `i` of a typed array, as JavaScript reads it.
fn typed_element(kind: TypedArrayKind, b: &[u8], i: usize) -> Item {
    use TypedArrayKind as K;
    let size = kind.element_size();
    let e = &b[i * size..(i + 1) * size];
    let n = |bytes: &[u8]| -> [u8; 8] {
        let mut a = [0u8; 8];
        a[..bytes.len()].copy_from_slice(bytes);
        a
    };
    match kind {
        K::Int8 => Item::Number(e[0] as i8 as f64),
        K::Uint8 | K::Uint8Clamped | K::DataView => Item::Number(e[0] as f64),
        K::Int16 => Item::Number(i16::from_le_bytes([e[0], e[1]]) as f64),
        K::Uint16 => Item::Number(u16::from_le_bytes([e[0], e[1]]) as f64),
        K::Int32 => Item::Number(i32::from_le_bytes([e[0], e[1], e[2], e[3]]) as f64),
        K::Uint32 => Item::Number(u32::from_le_bytes([e[0], e[1], e[2], e[3]]) as f64),
        K::Float32 => Item::Number(f32::from_le_bytes([e[0], e[1], e[2], e[3]]) as f64),
        K::Float64 => Item::Number(f64::from_le_bytes(n(e))),
        K::BigInt64 => Item::BigInt(crate::value::BigInt::from(i64::from_le_bytes(n(e)))),
        K::BigUint64 => {
            Item::BigInt(crate::value::BigInt::parse(&u64::from_le_bytes(n(e)).to_string()).expect("decimal digits"))
        }
    }
}

/// An object's key (text) or a Map's key (any value).
enum Key<'a> {
    Str(&'a str),
    Item(&'a Item),
}

struct Entries<'a, 'd, 'p, L> {
    de: &'d De<'a, 'p, L>,
    entries: std::vec::IntoIter<(Key<'a>, &'a Item)>,
    value: Option<(&'a str, &'a Item)>,
}

impl<'a, 'de, L: Lend<'a, 'de>> de::MapAccess<'de> for Entries<'a, '_, '_, L> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let Some((k, v)) = self.entries.next() else { return Ok(None) };
        let name = match k {
            Key::Str(s) => s,
            Key::Item(Item::String(s)) => &**s,
            Key::Item(other) => describe(self.de.v, other),
        };
        let path = Path::Key(self.de.path, name);
        let key = match k {
            Key::Str(s) => seed.deserialize(StrKey::<L> { s, path: &path, lend: PhantomData }),
            Key::Item(item) => seed.deserialize(MapKey(self.de.child(Cow::Borrowed(item), &path)?)),
        }
        .map_err(|e| e.at_path(|| path.to_string()))?;
        self.value = Some((name, v));
        Ok(Some(key))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let (name, v) = self.value.take().ok_or_else(|| Error::new(Category::Type, "a map value before its key"))?;
        let path = Path::Key(self.de.path, name);
        let child = self.de.child(Cow::Borrowed(v), &path)?;
        crate::stack::deep(|| seed.deserialize(child))
    }
}

/// A map key: object keys are strings, so a key type that wants a number
/// (`HashMap<u32, _>`) parses it, as serde_json does.
struct MapKey<'a, 'p, L>(De<'a, 'p, L>);

macro_rules! parsed_key {
    ($($method:ident $visit:ident $t:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            match self.0.item.get() {
                Item::String(s) => {
                    let n: $t = s.parse().map_err(|_| self.0.err(format_args!("key {s:?} is not a {}", stringify!($t))))?;
                    visitor.$visit(n)
                }
                _ => self.0.$method(visitor),
            }
        }
    )*};
}

impl<'a, 'de, L: Lend<'a, 'de>> de::Deserializer<'de> for MapKey<'a, '_, L> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.0.deserialize_any(visitor)
    }

    parsed_key!(deserialize_i8 visit_i8 i8, deserialize_i16 visit_i16 i16, deserialize_i32 visit_i32 i32,
        deserialize_i64 visit_i64 i64, deserialize_i128 visit_i128 i128, deserialize_u8 visit_u8 u8,
        deserialize_u16 visit_u16 u16, deserialize_u32 visit_u32 u32, deserialize_u64 visit_u64 u64,
        deserialize_u128 visit_u128 u128);

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value> {
        self.0.deserialize_newtype_struct(name, visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.0.deserialize_option(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'de>>
        bool f32 f64 char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

/// An object's key: a string, which a key type that wants a number
/// (`HashMap<u32, _>`) parses, as serde_json does.
pub(crate) struct StrKey<'a, 'p, L> {
    s: &'a str,
    path: &'p Path<'p>,
    lend: PhantomData<L>,
}

macro_rules! str_key {
    ($($method:ident $visit:ident $t:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            let n: $t = self.s.parse().map_err(|_| {
                Error::new(Category::Type, format!("key {:?} is not a {}", self.s, stringify!($t)))
                    .at_path(|| self.path.to_string())
            })?;
            visitor.$visit(n)
        }
    )*};
}

impl<'a, 'de, L: Lend<'a, 'de>> de::Deserializer<'de> for StrKey<'a, '_, L> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        L::str(self.s, visitor)
    }

    str_key!(deserialize_i8 visit_i8 i8, deserialize_i16 visit_i16 i16, deserialize_i32 visit_i32 i32,
        deserialize_i64 visit_i64 i64, deserialize_i128 visit_i128 i128, deserialize_u8 visit_u8 u8,
        deserialize_u16 visit_u16 u16, deserialize_u32 visit_u32 u32, deserialize_u64 visit_u64 u64,
        deserialize_u128 visit_u128 u128);

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_enum(de::value::StrDeserializer::<Error>::new(self.s))
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'de>>
        bool f32 f64 char str string bytes byte_buf option unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

struct Variant<'a, 'p, L> {
    name: &'a str,
    de: De<'a, 'p, L>,
}

impl<'a, 'p, 'de, L: Lend<'a, 'de>> de::EnumAccess<'de> for Variant<'a, 'p, L> {
    type Error = Error;
    type Variant = De<'a, 'p, L>;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self::Variant)> {
        let name = Text::<L>::new(self.name);
        Ok((seed.deserialize(name)?, self.de))
    }
}

impl<'a, 'de, L: Lend<'a, 'de>> de::VariantAccess<'de> for De<'a, '_, L> {
    type Error = Error;

    fn unit_variant(self) -> Result<()> {
        de::Deserialize::deserialize(self)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], visitor: V) -> Result<V::Value> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}

/// A value made of parts, read as a sequence whatever the visitor asks for
/// (a Blob as `(name or null, type, bytes)`, a FormData as its `(name,
/// value)` pairs, a server reference as `(id, bound arguments)`...).
struct AsSeq<S>(S);

impl<'de, S: de::SeqAccess<'de, Error = Error>> de::Deserializer<'de> for AsSeq<S> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_seq(self.0)
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'de>>
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// A Blob's parts.
struct BlobSeq<'a, L> {
    blob: &'a crate::value::Blob,
    next: usize,
    lend: PhantomData<L>,
}

impl<'a, 'de, L: Lend<'a, 'de>> de::SeqAccess<'de> for BlobSeq<'a, L> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        self.next += 1;
        Ok(Some(match self.next {
            1 => seed.deserialize(OptStr::<L>(self.blob.name.as_deref(), PhantomData))?,
            2 => seed.deserialize(Text::<L>::new(&self.blob.mime))?,
            3 => seed.deserialize(Bin::<L>::new(&self.blob.bytes))?,
            _ => return Ok(None),
        }))
    }
}

/// An optional string (a Blob's name).
struct OptStr<'a, L>(Option<&'a str>, PhantomData<L>);

impl<'a, 'de, L: Lend<'a, 'de>> de::Deserializer<'de> for OptStr<'a, L> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.0 {
            Some(s) => L::str(s, visitor),
            None => visitor.visit_unit(),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.0 {
            Some(s) => visitor.visit_some(Text::<L>::new(s)),
            None => visitor.visit_none(),
        }
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'de>>
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// A FormData's entries.
struct FormSeq<'a, 'd, 'p, L> {
    de: &'d De<'a, 'p, L>,
    entries: &'a [(Str, Item)],
    next: usize,
}

impl<'a, 'de, L: Lend<'a, 'de>> de::SeqAccess<'de> for FormSeq<'a, '_, '_, L> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        let Some((name, value)) = self.entries.get(self.next) else { return Ok(None) };
        let at = Path::Index(self.de.path, self.next);
        self.next += 1;
        let path = Path::Key(&at, name);
        let value = self.de.child(Cow::Borrowed(value), &path)?;
        crate::stack::deep(|| seed.deserialize(AsSeq(PairSeq { name, value: Some(value), next: 0 }))).map(Some)
    }
}

/// One FormData entry: its name and value.
struct PairSeq<'a, 'p, L> {
    name: &'a str,
    value: Option<De<'a, 'p, L>>,
    next: usize,
}

impl<'a, 'de, L: Lend<'a, 'de>> de::SeqAccess<'de> for PairSeq<'a, '_, L> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        self.next += 1;
        match self.next {
            1 => seed.deserialize(Text::<L>::new(self.name)).map(Some),
            2 => match self.value.take() {
                Some(v) => seed.deserialize(v).map(Some),
                None => Ok(None),
            },
            _ => Ok(None),
        }
    }
}

/// A server reference's id and bound arguments.
struct ServerRefSeq<'a, 'd, 'p, L> {
    de: &'d De<'a, 'p, L>,
    id: &'a str,
    bound: Option<&'a [Item]>,
    next: usize,
}

impl<'a, 'de, L: Lend<'a, 'de>> de::SeqAccess<'de> for ServerRefSeq<'a, '_, '_, L> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        self.next += 1;
        let de = self.de;
        match self.next {
            1 => seed.deserialize(Text::<L>::new(self.id)).map(Some),
            2 => {
                let path = Path::Key(de.path, "bound");
                seed.deserialize(BoundArgs { de: de.child(Cow::Owned(Item::Null), &path)?, bound: self.bound })
                    .map(Some)
            }
            _ => Ok(None),
        }
    }
}

/// A server reference's bound arguments: `None`, or the arguments as a
/// sequence.
struct BoundArgs<'a, 'p, L> {
    de: De<'a, 'p, L>,
    bound: Option<&'a [Item]>,
}

impl<'a, 'de, L: Lend<'a, 'de>> de::Deserializer<'de> for BoundArgs<'a, '_, L> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let Some(items) = self.bound else { return visitor.visit_none() };
        let len = items.len();
        let mut seq = Seq { de: &self.de, items: Elements::Items(items), next: 0 };
        let v = visitor.visit_seq(&mut seq)?;
        if seq.next < len {
            return Err(self.de.err(format_args!("{} bound arguments left over after {}", len - seq.next, seq.next)));
        }
        Ok(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.bound {
            None => visitor.visit_none(),
            Some(_) => visitor.visit_some(self),
        }
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'de>>
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}
