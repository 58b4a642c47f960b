//! `T: Serialize` → `Value`.
//!
//! Every Rust value becomes the JavaScript value a React app would send for
//! it; what the format cannot carry exactly is an error, never a change of
//! shape: an integer beyond 2^53 is refused (send it as a BigInt with
//! [`super::bigint`]), a map key must be a string or an integer (a
//! JavaScript `Map`, with [`super::map`], takes any key).

use serde::ser::{self, Serialize};

use super::{BIGINT, BLOB, DATE, FORMDATA, MAP, SERVER_REF, SET, TYPED_ARRAY, UNDEFINED};
use crate::error::{Category, Error, Result};
use crate::value::{BigInt, Date, Item, Node, Object, Str, TypedArrayKind, Value};

/// The largest integer a JavaScript number holds exactly.
const MAX_SAFE: u64 = 9_007_199_254_740_991;

pub(crate) fn to_value<T: Serialize + ?Sized>(t: &T, max_depth: usize) -> Result<Value> {
    let mut v = Value::new();
    let root = t.serialize(Ser { v: &mut v, depth: 0, max_depth })?;
    v.set_root(root);
    Ok(v)
}

fn err(msg: impl std::fmt::Display) -> Error {
    Error::new(Category::Unsupported, msg.to_string())
}

pub(super) struct Ser<'v> {
    pub(super) v: &'v mut Value,
    depth: usize,
    max_depth: usize,
}

impl Ser<'_> {
    fn nested(&mut self) -> Result<Ser<'_>> {
        if self.depth + 1 >= self.max_depth {
            return Err(Error::limit("max_depth", "a value nested too deeply to encode"));
        }
        Ok(Ser { v: self.v, depth: self.depth + 1, max_depth: self.max_depth })
    }

    fn number(i: i128) -> Result<Item> {
        if i.unsigned_abs() > MAX_SAFE as u128 {
            return Err(err(format_args!(
                "{i} is beyond the integers a JavaScript number holds exactly; serialize it as a BigInt (#[serde(with = \"rsc_flight::typed::bigint\")])"
            )));
        }
        Ok(Item::Number(i as f64))
    }

    fn node(self, node: Node) -> Item {
        Item::Node(self.v.add(node))
    }
}

impl Ser<'_> {
    /// The typed array, Blob or FormData that node `n` (the tuple their
    /// `Serialize` wrote) stands for.
    fn built(&mut self, name: &str, n: crate::value::NodeId) -> Result<Node> {
        let bad = || err("a typed array, Blob or FormData written in an unexpected shape");
        let Node::Array(parts) = std::mem::replace(self.v.node_mut(n), Node::Array(Vec::new())) else {
            return Err(bad());
        };
        let bytes_of = |v: &Value, item: &Item| match v.resolve(item) {
            Some(Node::TypedArray(_, b)) => Some(b.clone()),
            _ => None,
        };
        Ok(match (name, parts.as_slice()) {
            (TYPED_ARRAY, [Item::String(kind), b]) => {
                let kind = TypedArrayKind::from_name(kind).ok_or_else(bad)?;
                Node::TypedArray(kind, bytes_of(self.v, b).ok_or_else(bad)?)
            }
            (BLOB, [name, Item::String(mime), b]) => Node::Blob(crate::value::Blob {
                name: match name {
                    Item::String(s) => Some(s.clone()),
                    Item::Null => None,
                    _ => return Err(bad()),
                },
                mime: mime.clone(),
                bytes: bytes_of(self.v, b).ok_or_else(bad)?,
            }),
            (SERVER_REF, [Item::String(id), bound]) => {
                let bound = match bound {
                    Item::Null => None,
                    Item::Node(b) => match self.v.node(*b) {
                        Node::Array(args) => Some(args.clone()),
                        _ => return Err(err("a server reference's bound arguments must be a sequence")),
                    },
                    _ => return Err(err("a server reference's bound arguments must be a sequence")),
                };
                Node::ServerReference(crate::value::ServerReference { id: id.clone(), bound })
            }
            (FORMDATA, entries) => {
                let mut out = Vec::with_capacity(entries.len());
                for e in entries {
                    let Some(Node::Array(kv)) = self.v.resolve(e) else { return Err(bad()) };
                    let (Some(Item::String(k)), Some(v)) = (kv.first(), kv.get(1)) else { return Err(bad()) };
                    match v {
                        Item::String(_) => {}
                        Item::Node(b) if matches!(self.v.node(*b), Node::Blob(_)) => {}
                        _ => return Err(err("a FormData value must be a string or a File")),
                    }
                    out.push((k.clone(), v.clone()));
                }
                Node::FormData(out)
            }
            _ => return Err(bad()),
        })
    }
}

impl<'v> ser::Serializer for Ser<'v> {
    type Ok = Item;
    type Error = Error;
    type SerializeSeq = Seq<'v>;
    type SerializeTuple = Seq<'v>;
    type SerializeTupleStruct = Seq<'v>;
    type SerializeTupleVariant = Variant<Seq<'v>>;
    type SerializeMap = Map<'v>;
    type SerializeStruct = Map<'v>;
    type SerializeStructVariant = Variant<Map<'v>>;

    fn serialize_bool(self, b: bool) -> Result<Item> {
        Ok(Item::Bool(b))
    }
    fn serialize_i8(self, n: i8) -> Result<Item> {
        Ok(Item::Number(n.into()))
    }
    fn serialize_i16(self, n: i16) -> Result<Item> {
        Ok(Item::Number(n.into()))
    }
    fn serialize_i32(self, n: i32) -> Result<Item> {
        Ok(Item::Number(n.into()))
    }
    fn serialize_i64(self, n: i64) -> Result<Item> {
        Self::number(n.into())
    }
    fn serialize_i128(self, n: i128) -> Result<Item> {
        Self::number(n)
    }
    fn serialize_u8(self, n: u8) -> Result<Item> {
        Ok(Item::Number(n.into()))
    }
    fn serialize_u16(self, n: u16) -> Result<Item> {
        Ok(Item::Number(n.into()))
    }
    fn serialize_u32(self, n: u32) -> Result<Item> {
        Ok(Item::Number(n.into()))
    }
    fn serialize_u64(self, n: u64) -> Result<Item> {
        Self::number(n.into())
    }
    fn serialize_u128(self, n: u128) -> Result<Item> {
        Self::number(i128::try_from(n).unwrap_or(i128::MAX))
    }
    fn serialize_f32(self, n: f32) -> Result<Item> {
        Ok(Item::Number(n.into()))
    }
    fn serialize_f64(self, n: f64) -> Result<Item> {
        Ok(Item::Number(n))
    }
    fn serialize_char(self, c: char) -> Result<Item> {
        Ok(Item::String(c.to_string().into()))
    }
    fn serialize_str(self, s: &str) -> Result<Item> {
        Ok(Item::String(s.into()))
    }
    /// Bytes are a `Uint8Array`.
    fn serialize_bytes(self, b: &[u8]) -> Result<Item> {
        Ok(self.node(Node::TypedArray(TypedArrayKind::Uint8, bytes::Bytes::copy_from_slice(b))))
    }
    fn serialize_none(self) -> Result<Item> {
        Ok(Item::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, t: &T) -> Result<Item> {
        t.serialize(self)
    }
    fn serialize_unit(self) -> Result<Item> {
        Ok(Item::Null)
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<Item> {
        Ok(if name == UNDEFINED { Item::Undefined } else { Item::Null })
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<Item> {
        Ok(Item::String(variant.into()))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(mut self, name: &'static str, t: &T) -> Result<Item> {
        match name {
            DATE => match t.serialize(Capture)? {
                Captured::Number(ms) if ms.is_nan() => Ok(Item::Date(Date::INVALID)),
                Captured::Number(ms) if ms.fract() == 0.0 && ms.abs() <= 8.64e15 => {
                    Ok(Item::Date(Date::from_millis(ms as i64)))
                }
                _ => Err(err("a Date must be whole milliseconds within JavaScript's range")),
            },
            BIGINT => match t.serialize(Capture)? {
                Captured::Text(s) => {
                    BigInt::parse(&s).map(Item::BigInt).ok_or_else(|| err(format_args!("{s:?} is not an integer")))
                }
                _ => Err(err("a BigInt must be written as its decimal text")),
            },
            MAP | SET => {
                let inner = t.serialize(self.nested()?)?;
                let Item::Node(n) = inner else { return Err(err("a Map or Set must be a sequence")) };
                let Node::Array(items) = std::mem::replace(self.v.node_mut(n), Node::Array(Vec::new())) else {
                    return Err(err("a Map or Set must be a sequence"));
                };
                let node = if name == SET {
                    Node::Set(crate::value::set_values(items))
                } else {
                    let mut pairs = Vec::with_capacity(items.len());
                    for pair in items {
                        let Item::Node(p) = pair else { return Err(err("a Map entry must be a pair")) };
                        let Node::Array(kv) = std::mem::replace(self.v.node_mut(p), Node::Array(Vec::new())) else {
                            return Err(err("a Map entry must be a pair"));
                        };
                        let [k, v]: [Item; 2] = kv.try_into().map_err(|_| err("a Map entry must be a pair"))?;
                        pairs.push((k, v));
                    }
                    Node::Map(crate::value::map_entries(pairs))
                };
                *self.v.node_mut(n) = node;
                Ok(inner)
            }
            TYPED_ARRAY | BLOB | FORMDATA | SERVER_REF => {
                let inner = t.serialize(self.nested()?)?;
                let Item::Node(n) = inner else { return Err(err("a typed array, Blob or FormData must be a tuple")) };
                let node = self.built(name, n)?;
                *self.v.node_mut(n) = node;
                Ok(inner)
            }
            _ => t.serialize(self),
        }
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        t: &T,
    ) -> Result<Item> {
        let ser = self.nested()?;
        let inner = crate::stack::deep(|| t.serialize(ser))?;
        let mut o = Object::new();
        o.insert(variant, inner);
        Ok(self.node(Node::Object(o)))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'v>> {
        if self.depth + 1 >= self.max_depth {
            return Err(Error::limit("max_depth", "a value nested too deeply to encode"));
        }
        Ok(Seq { ser: self, items: Vec::with_capacity(len.unwrap_or(0).min(4096)) })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'v>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'v>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Seq<'v>>> {
        Ok(Variant { name: variant, inner: self.serialize_seq(Some(len))? })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Map<'v>> {
        if self.depth + 1 >= self.max_depth {
            return Err(Error::limit("max_depth", "a value nested too deeply to encode"));
        }
        Ok(Map { ser: self, object: Object::new(), key: None })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Map<'v>> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Map<'v>>> {
        Ok(Variant { name: variant, inner: self.serialize_map(Some(len))? })
    }
}

pub(super) struct Seq<'v> {
    ser: Ser<'v>,
    items: Vec<Item>,
}

impl Seq<'_> {
    fn push<T: Serialize + ?Sized>(&mut self, t: &T) -> Result<()> {
        let ser = self.ser.nested()?;
        let item = crate::stack::deep(|| t.serialize(ser))?;
        self.items.push(item);
        Ok(())
    }
    fn done(self) -> Item {
        let Seq { ser, items } = self;
        ser.node(Node::Array(items))
    }
}

macro_rules! seq_impl {
    ($($trait:ident $method:ident),*) => {$(
        impl ser::$trait for Seq<'_> {
            type Ok = Item;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, t: &T) -> Result<()> {
                self.push(t)
            }
            fn end(self) -> Result<Item> {
                Ok(self.done())
            }
        }
    )*};
}
seq_impl!(SerializeSeq serialize_element, SerializeTuple serialize_element, SerializeTupleStruct serialize_field);

pub(super) struct Map<'v> {
    ser: Ser<'v>,
    object: Object,
    key: Option<Str>,
}

impl ser::SerializeMap for Map<'_> {
    type Ok = Item;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.key = Some(match key.serialize(Capture) {
            Ok(Captured::Text(s)) => s.into(),
            Ok(Captured::Integer(i)) => i.to_string().into(),
            _ => {
                return Err(err(
                    "an object key must be a string or an integer; a JavaScript Map takes any key (#[serde(with = \"rsc_flight::typed::map\")])",
                ))
            }
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let key = self.key.take().ok_or_else(|| err("a map value without a key"))?;
        let ser = self.ser.nested()?;
        let item = crate::stack::deep(|| value.serialize(ser))?;
        self.object.insert(key, item);
        Ok(())
    }
    fn end(self) -> Result<Item> {
        let Map { ser, object, .. } = self;
        Ok(ser.node(Node::Object(object)))
    }
}

impl ser::SerializeStruct for Map<'_> {
    type Ok = Item;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<()> {
        let ser = self.ser.nested()?;
        let item = crate::stack::deep(|| value.serialize(ser))?;
        self.object.insert(key, item);
        Ok(())
    }
    fn end(self) -> Result<Item> {
        ser::SerializeMap::end(self)
    }
}

/// An enum variant with data: `{variant: data}`, as serde_json writes it.
pub(super) struct Variant<S> {
    name: &'static str,
    inner: S,
}

impl<'v> ser::SerializeTupleVariant for Variant<Seq<'v>> {
    type Ok = Item;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, t: &T) -> Result<()> {
        self.inner.push(t)
    }
    fn end(self) -> Result<Item> {
        let name = self.name;
        let Seq { ser, items } = self.inner;
        let inner = Item::Node(ser.v.add(Node::Array(items)));
        let mut o = Object::new();
        o.insert(name, inner);
        Ok(Item::Node(ser.v.add(Node::Object(o))))
    }
}

impl<'v> ser::SerializeStructVariant for Variant<Map<'v>> {
    type Ok = Item;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<()> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }
    fn end(self) -> Result<Item> {
        let name = self.name;
        let Map { ser, object, .. } = self.inner;
        let inner = Item::Node(ser.v.add(Node::Object(object)));
        let mut o = Object::new();
        o.insert(name, inner);
        Ok(Item::Node(ser.v.add(Node::Object(o))))
    }
}

/// What a scalar serializes to, for keys and the special newtypes.
enum Captured {
    Text(String),
    Integer(i128),
    Number(f64),
}

struct Capture;

fn not_scalar() -> Error {
    err("expected a string or a number here")
}

impl ser::Serializer for Capture {
    type Ok = Captured;
    type Error = Error;
    type SerializeSeq = ser::Impossible<Captured, Error>;
    type SerializeTuple = ser::Impossible<Captured, Error>;
    type SerializeTupleStruct = ser::Impossible<Captured, Error>;
    type SerializeTupleVariant = ser::Impossible<Captured, Error>;
    type SerializeMap = ser::Impossible<Captured, Error>;
    type SerializeStruct = ser::Impossible<Captured, Error>;
    type SerializeStructVariant = ser::Impossible<Captured, Error>;

    fn serialize_bool(self, _: bool) -> Result<Captured> {
        Err(not_scalar())
    }
    fn serialize_i8(self, n: i8) -> Result<Captured> {
        Ok(Captured::Integer(n.into()))
    }
    fn serialize_i16(self, n: i16) -> Result<Captured> {
        Ok(Captured::Integer(n.into()))
    }
    fn serialize_i32(self, n: i32) -> Result<Captured> {
        Ok(Captured::Integer(n.into()))
    }
    fn serialize_i64(self, n: i64) -> Result<Captured> {
        Ok(Captured::Integer(n.into()))
    }
    fn serialize_i128(self, n: i128) -> Result<Captured> {
        Ok(Captured::Integer(n))
    }
    fn serialize_u8(self, n: u8) -> Result<Captured> {
        Ok(Captured::Integer(n.into()))
    }
    fn serialize_u16(self, n: u16) -> Result<Captured> {
        Ok(Captured::Integer(n.into()))
    }
    fn serialize_u32(self, n: u32) -> Result<Captured> {
        Ok(Captured::Integer(n.into()))
    }
    fn serialize_u64(self, n: u64) -> Result<Captured> {
        Ok(Captured::Integer(n.into()))
    }
    fn serialize_u128(self, n: u128) -> Result<Captured> {
        Ok(Captured::Text(n.to_string()))
    }
    fn serialize_f32(self, n: f32) -> Result<Captured> {
        Ok(Captured::Number(n.into()))
    }
    fn serialize_f64(self, n: f64) -> Result<Captured> {
        Ok(Captured::Number(n))
    }
    fn serialize_char(self, c: char) -> Result<Captured> {
        Ok(Captured::Text(c.to_string()))
    }
    fn serialize_str(self, s: &str) -> Result<Captured> {
        Ok(Captured::Text(s.to_owned()))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Captured> {
        Err(not_scalar())
    }
    fn serialize_none(self) -> Result<Captured> {
        Err(not_scalar())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, t: &T) -> Result<Captured> {
        t.serialize(self)
    }
    fn serialize_unit(self) -> Result<Captured> {
        Err(not_scalar())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Captured> {
        Err(not_scalar())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<Captured> {
        Ok(Captured::Text(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, t: &T) -> Result<Captured> {
        t.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Captured> {
        Err(not_scalar())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(not_scalar())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        Err(not_scalar())
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct> {
        Err(not_scalar())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(not_scalar())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
        Err(not_scalar())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        Err(not_scalar())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(not_scalar())
    }
}
