//! Typed decoding straight from a text reply's JSON, with no `Value` in
//! between: a serde `Deserializer` over the text, as `serde_json`'s, that
//! reads the scalar `$` tags as it goes (`$D`, `$n`, `$undefined`, `$NaN`,
//! `$Infinity`, `$-Infinity`, `$-0`, `$$`).
//!
//! It is a fast path with one rule: it either gives exactly the `T` that
//! decoding the `Value` first would give, or it gives up, and the caller
//! decodes the `Value` first (whose result, a `T` or an error with its
//! path, is then the answer). It gives up:
//! - on every error, its own or the visitor's (so no error message is
//!   written twice, and every error is the `Value` path's, with its path);
//! - on every tag that refers to another part or builds a node (`$1`,
//!   `$Q`, `$h`, `$@`, `$B`, `$R`, `$T`...): a text body rarely has them;
//! - on what JavaScript's object model would change: a key that starts
//!   with a digit (enumerated first), `__proto__` (dropped), a key written
//!   twice (the last value at the first place), a key with an escape;
//! - before a limit could be crossed: it counts more than the decoders do
//!   (every value against `max_values`, every string's bytes and array
//!   slot against React's array budget, one level more of nesting), so a
//!   body it accepts is one the `Value` path accepts;
//! - when the visitor leaves elements or members unread, or asks for what
//!   only a node can give (bytes, a Blob, a FormData, a server reference).
//!
//! Scalars are handed to the `Value` path's own deserializer
//! ([`de::with_scalar`]), so numbers, Dates and BigInts are read by one set
//! of rules. Strings are the visitor's directly: borrowed from the body
//! when they hold no escape.

use std::borrow::Cow;

use serde::de::{self, DeserializeSeed, Visitor};

use super::{de as value_de, BIGINT, BLOB, DATE, FORMDATA, FORMVALUE, MAP, SERVER_REF, SET, TYPED_ARRAY, UNDEFINED};
use crate::error::{Category, Error, Result};
use crate::limits::Limits;
use crate::reply::tag::{self, Tag};
use crate::value::{convert, Item};
use crate::version::Dialect;
use crate::wire::json::Parser;

/// `T` from a text reply body, or `None` where the `Value` path must
/// decide.
pub(crate) fn from_text<T: for<'a> de::Deserialize<'a>>(text: &str, limits: &Limits, dialect: Dialect) -> Option<T> {
    read(text, Format::Reply, limits, dialect)
}

/// `T` from a response that is one model row, `0:<JSON>\n` (as React
/// writes a value with no promise, stream, element, reference or repeated
/// object), or `None` where the `Value` path must decide.
pub(crate) fn from_response<T: for<'a> de::Deserialize<'a>>(
    body: &[u8],
    limits: &Limits,
    dialect: Dialect,
) -> Option<T> {
    if body.len() > limits.max_body_bytes {
        return None;
    }
    let json = body.strip_prefix(b"0:")?.strip_suffix(b"\n")?;
    // A newline ends a row: one inside means more rows.
    if crate::wire::json::find_byte(json, b'\n').is_some() {
        return None;
    }
    read(std::str::from_utf8(json).ok()?, Format::Response, limits, dialect)
}

/// Which direction's `$` tags a text holds.
#[derive(Clone, Copy, PartialEq)]
enum Format {
    Reply,
    Response,
}

fn read<T: for<'a> de::Deserialize<'a>>(text: &str, format: Format, limits: &Limits, dialect: Dialect) -> Option<T> {
    if text.len() > limits.max_body_bytes {
        return None;
    }
    let mut cx = Cx {
        p: Parser::new(text, limits.max_string_bytes),
        pending: None,
        format,
        dialect,
        values: 0,
        max_values: limits.max_values,
        budget: 0,
        // React's array budget is the reply decoder's alone.
        max_budget: if format == Format::Reply { limits.array_size_limit } else { u64::MAX },
        depth: 0,
        max_depth: limits.max_depth,
        max_bigint: limits.max_bigint_chars,
    };
    let t = T::deserialize(&mut cx).ok()?;
    // The last strings' bytes are counted after the last check.
    (cx.pending.is_none() && cx.p.at_end() && cx.budget <= cx.max_budget).then_some(t)
}

/// The reason for giving up, never shown: the `Value` path decides.
fn give_up() -> Error {
    Error::new(Category::Unsupported, "left to the Value path")
}

/// One value's first token. An array or object token means its bracket was
/// read.
enum Tok<'de> {
    Scalar(Item),
    Str(Cow<'de, str>),
    Array,
    Object,
}

struct Cx<'de> {
    p: Parser<'de>,
    /// A token read ahead (by `deserialize_option`), for the next call.
    pending: Option<Tok<'de>>,
    format: Format,
    dialect: Dialect,
    values: usize,
    max_values: usize,
    /// React's array budget, over-counted: every string's bytes and every
    /// array slot, wherever they stand.
    budget: u64,
    max_budget: u64,
    depth: usize,
    max_depth: usize,
    max_bigint: usize,
}

impl<'de> Cx<'de> {
    fn tok(&mut self) -> Result<Tok<'de>> {
        if let Some(t) = self.pending.take() {
            return Ok(t);
        }
        self.p.ws();
        Ok(match self.p.peek() {
            Some(b'[') => {
                self.p.i += 1;
                Tok::Array
            }
            Some(b'{') => {
                self.p.i += 1;
                Tok::Object
            }
            Some(b'"') => {
                let s = self.p.string_cow()?;
                self.budget += s.len() as u64;
                if !tag::is_tagged(&s) {
                    return Ok(Tok::Str(s));
                }
                match self.scalar_tag(&s)? {
                    None => Tok::Str(match s {
                        Cow::Borrowed(b) => Cow::Borrowed(&b[1..]),
                        Cow::Owned(o) => Cow::Owned(o[1..].to_owned()),
                    }),
                    Some(item) => Tok::Scalar(item),
                }
            }
            Some(b't') => {
                self.p.literal("true")?;
                Tok::Scalar(Item::Bool(true))
            }
            Some(b'f') => {
                self.p.literal("false")?;
                Tok::Scalar(Item::Bool(false))
            }
            Some(b'n') => {
                self.p.literal("null")?;
                Tok::Scalar(Item::Null)
            }
            _ => Tok::Scalar(Item::Number(self.p.number_f64()?)),
        })
    }

    /// A `$` string that stands for a scalar, by this direction's rules:
    /// the scalar, or `None` for `$$…` (a string: the rest). Gives up on
    /// every other tag.
    fn scalar_tag(&self, s: &str) -> Result<Option<Item>> {
        use crate::response::tag::{self as response_tag, Tag as ResponseTag};
        let (date, bigint) = match self.format {
            Format::Reply => match tag::classify(s, self.dialect) {
                Tag::Escaped(_) => return Ok(None),
                Tag::Number(n) => return Ok(Some(Item::Number(n))),
                Tag::Undefined => return Ok(Some(Item::Undefined)),
                Tag::Date(text) => (Some(text), None),
                Tag::BigInt(digits) => (None, Some(digits)),
                _ => return Err(give_up()),
            },
            Format::Response => match response_tag::classify(s, self.dialect)? {
                ResponseTag::Escaped(_) => return Ok(None),
                ResponseTag::Number(n) => return Ok(Some(Item::Number(n))),
                ResponseTag::Undefined => return Ok(Some(Item::Undefined)),
                // "$Dnull" (an invalid Date as a whole row) is left to the
                // Value path.
                ResponseTag::Date(text) => (Some(text), None),
                ResponseTag::BigInt(digits) => (None, Some(digits)),
                _ => return Err(give_up()),
            },
        };
        Ok(Some(match (date, bigint) {
            (Some(text), _) => Item::Date(convert::date(text)?),
            (_, Some(digits)) => Item::BigInt(convert::bigint(digits, self.max_bigint)?.0),
            _ => return Err(give_up()),
        }))
    }

    /// Room for one more value one level down, within every limit.
    fn enter(&mut self) -> Result<()> {
        self.values += 1;
        self.depth += 1;
        // The root is not counted here; the decoders count it.
        if self.values >= self.max_values || self.depth + 2 >= self.max_depth || self.budget > self.max_budget {
            return Err(give_up());
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// The element or member value at hand, read by `seed` one level down.
    fn child<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value> {
        self.enter()?;
        // Only a container recurses: a scalar skips the stack check.
        self.p.ws();
        let v = match self.p.peek() {
            Some(b'[' | b'{') => crate::stack::deep(|| seed.deserialize(&mut *self))?,
            _ => seed.deserialize(&mut *self)?,
        };
        self.leave();
        Ok(v)
    }

    /// Reads and drops one value, checking it as if it were read.
    fn skip(&mut self) -> Result<()> {
        match self.tok()? {
            Tok::Scalar(_) | Tok::Str(_) => Ok(()),
            Tok::Array => {
                let mut seq = SeqReader { cx: self, first: true, done: false };
                while de::SeqAccess::next_element::<de::IgnoredAny>(&mut seq)?.is_some() {}
                Ok(())
            }
            Tok::Object => {
                let mut map = MapReader::new(self);
                while de::MapAccess::next_entry::<de::IgnoredAny, de::IgnoredAny>(&mut map)?.is_some() {}
                Ok(())
            }
        }
    }
}

/// A scalar through the `Value` path's deserializer, by `$method`; a
/// string, an array or an object gives up.
macro_rules! scalar {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            match self.tok()? {
                Tok::Scalar(item) => value_de::with_scalar(item, |d| d.$method(visitor)),
                _ => Err(give_up()),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &mut Cx<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.tok()? {
            Tok::Scalar(item) => value_de::with_scalar(item, |d| d.deserialize_any(visitor)),
            Tok::Str(s) => visit_str(s, visitor),
            Tok::Array => read_seq(self, visitor),
            Tok::Object => read_map(self, visitor),
        }
    }

    scalar!(
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_unit
    );

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.tok()? {
            Tok::Str(s) => {
                let mut chars = s.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => visitor.visit_char(c),
                    _ => Err(give_up()),
                }
            }
            _ => Err(give_up()),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.tok()? {
            Tok::Str(s) => visit_str(s, visitor),
            // A Date reads as its ISO text.
            Tok::Scalar(item @ Item::Date(_)) => value_de::with_scalar(item, |d| d.deserialize_str(visitor)),
            _ => Err(give_up()),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        // Bytes are binary nodes, never in a text body's own JSON.
        Err(give_up())
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(give_up())
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.tok()? {
            Tok::Scalar(Item::Null | Item::Undefined) => visitor.visit_none(),
            t => {
                self.pending = Some(t);
                visitor.visit_some(self)
            }
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value> {
        match (name, self.tok()?) {
            (UNDEFINED, Tok::Scalar(Item::Undefined)) => visitor.visit_unit(),
            (UNDEFINED, _) => Err(give_up()),
            (_, Tok::Scalar(item)) => value_de::with_scalar(item, |d| d.deserialize_unit(visitor)),
            _ => Err(give_up()),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value> {
        match name {
            DATE | BIGINT => match self.tok()? {
                Tok::Scalar(item) => value_de::with_scalar(item, |d| d.deserialize_newtype_struct(name, visitor)),
                _ => Err(give_up()),
            },
            // A plain object reads as a Map, a plain array as a Set or a
            // typed array, as the `Value` path reads them.
            MAP => match self.tok()? {
                Tok::Object => {
                    self.pending = Some(Tok::Object);
                    visitor.visit_newtype_struct(self)
                }
                _ => Err(give_up()),
            },
            SET | TYPED_ARRAY => match self.tok()? {
                Tok::Array => {
                    self.pending = Some(Tok::Array);
                    visitor.visit_newtype_struct(self)
                }
                _ => Err(give_up()),
            },
            FORMVALUE => match self.tok()? {
                Tok::Str(s) => visit_str(s, visitor),
                _ => Err(give_up()),
            },
            BLOB | SERVER_REF | FORMDATA => Err(give_up()),
            _ => visitor.visit_newtype_struct(self),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.tok()? {
            Tok::Array => read_seq(self, visitor),
            _ => Err(give_up()),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _: &'static str, _len: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.tok()? {
            Tok::Object => read_map(self, visitor),
            _ => Err(give_up()),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self.tok()? {
            Tok::Str(s) => visitor.visit_enum(de::value::StrDeserializer::<Error>::new(&s)),
            // `{"Variant": value}`, and nothing after it.
            Tok::Object => {
                self.p.ws();
                let name = plain_key(self)?;
                let v = visitor.visit_enum(Variant { cx: &mut *self, name })?;
                self.p.ws();
                match self.p.next() {
                    Some(b'}') => Ok(v),
                    _ => Err(give_up()),
                }
            }
            _ => Err(give_up()),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.skip()?;
        visitor.visit_unit()
    }
}

fn visit_str<'de, V: Visitor<'de>>(s: Cow<'de, str>, visitor: V) -> Result<V::Value> {
    match s {
        Cow::Borrowed(b) => visitor.visit_borrowed_str(b),
        Cow::Owned(o) => visitor.visit_string(o),
    }
}

/// An object's next key and its colon (the reader is past `{` or a `,`).
/// Gives up on keys JavaScript would treat apart: an escape (not
/// borrowed), a leading digit (enumerated first), `__proto__` (dropped).
fn plain_key<'de>(cx: &mut Cx<'de>) -> Result<&'de str> {
    if cx.p.peek() != Some(b'"') {
        return Err(give_up());
    }
    let Cow::Borrowed(k) = cx.p.string_cow()? else { return Err(give_up()) };
    if k.as_bytes().first().is_some_and(u8::is_ascii_digit) || (k.len() == 9 && k == "__proto__") {
        return Err(give_up());
    }
    cx.p.ws();
    if cx.p.next() != Some(b':') {
        return Err(give_up());
    }
    Ok(k)
}

fn read_seq<'de, V: Visitor<'de>>(cx: &mut Cx<'de>, visitor: V) -> Result<V::Value> {
    cx.budget += 1;
    let mut seq = SeqReader { cx, first: true, done: false };
    let v = visitor.visit_seq(&mut seq)?;
    // A tuple's visitor stops at its length: the array must end there.
    // Elements left over are an error of the `Value` path's.
    if seq.done || seq.cx.p.closes(b']') {
        Ok(v)
    } else {
        Err(give_up())
    }
}

/// Whether an array or object has another element or member: reads the
/// `,` before it, or the `close` bracket after the last (the reader is
/// past the opening bracket, or past a value).
#[inline(always)]
fn another(p: &mut Parser<'_>, first: &mut bool, done: &mut bool, close: u8) -> Result<bool> {
    if *done {
        return Ok(false);
    }
    p.ws();
    if std::mem::take(first) {
        if p.peek() == Some(close) {
            p.i += 1;
            *done = true;
            return Ok(false);
        }
        return Ok(true);
    }
    match p.next() {
        Some(b',') => {
            p.ws();
            Ok(true)
        }
        Some(c) if c == close => {
            *done = true;
            Ok(false)
        }
        _ => Err(give_up()),
    }
}

struct SeqReader<'c, 'de> {
    cx: &'c mut Cx<'de>,
    first: bool,
    done: bool,
}

impl<'de> de::SeqAccess<'de> for SeqReader<'_, 'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if !another(&mut self.cx.p, &mut self.first, &mut self.done, b']')? {
            return Ok(None);
        }
        self.cx.budget += 1;
        self.cx.child(seed).map(Some)
    }
}

fn read_map<'de, V: Visitor<'de>>(cx: &mut Cx<'de>, visitor: V) -> Result<V::Value> {
    let mut map = MapReader::new(cx);
    let v = visitor.visit_map(&mut map)?;
    if map.done || map.cx.p.closes(b'}') {
        Ok(v)
    } else {
        Err(give_up())
    }
}

/// How many keys an object may have before duplicates are looked up in a
/// hash set rather than by comparing each with those before it.
const FEW_KEYS: usize = 16;

struct MapReader<'c, 'de> {
    cx: &'c mut Cx<'de>,
    /// The object's first keys, on the stack.
    few: [&'de str; FEW_KEYS],
    count: usize,
    /// Which (length, last byte) fingerprints its keys have: distinct keys
    /// rarely share one, so a key is compared only when they do.
    seen: u64,
    /// All its keys, once it has more than [`FEW_KEYS`].
    many: Option<std::collections::HashSet<&'de str>>,
    first: bool,
    done: bool,
}

impl<'c, 'de> MapReader<'c, 'de> {
    fn new(cx: &'c mut Cx<'de>) -> Self {
        MapReader { cx, few: [""; FEW_KEYS], count: 0, seen: 0, many: None, first: true, done: false }
    }

    /// Gives up on a key written twice (JavaScript keeps the last value,
    /// at the first one's place).
    #[inline]
    fn distinct(&mut self, k: &'de str) -> Result<()> {
        if let Some(set) = &mut self.many {
            return if set.insert(k) { Ok(()) } else { Err(give_up()) };
        }
        if self.count == FEW_KEYS {
            let mut set: std::collections::HashSet<&'de str> = self.few.iter().copied().collect();
            let fresh = set.insert(k);
            self.many = Some(set);
            return if fresh { Ok(()) } else { Err(give_up()) };
        }
        let b = k.as_bytes();
        let f = 1u64 << ((b.len() * 7 + usize::from(b.last().copied().unwrap_or(0))) % 64);
        if self.seen & f != 0 && self.few[..self.count].contains(&k) {
            return Err(give_up());
        }
        self.seen |= f;
        self.few[self.count] = k;
        self.count += 1;
        Ok(())
    }
}

impl<'de> de::MapAccess<'de> for MapReader<'_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if !another(&mut self.cx.p, &mut self.first, &mut self.done, b'}')? {
            return Ok(None);
        }
        let k = plain_key(self.cx)?;
        self.distinct(k)?;
        value_de::with_key(k, |key| seed.deserialize(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        self.cx.child(seed)
    }
}

/// `{"Variant": value}`: the name, then the value one level down.
struct Variant<'c, 'de> {
    cx: &'c mut Cx<'de>,
    name: &'de str,
}

impl<'c, 'de> de::EnumAccess<'de> for Variant<'c, 'de> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        let name = seed.deserialize(de::value::BorrowedStrDeserializer::<Error>::new(self.name))?;
        Ok((name, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'_, 'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<()> {
        self.cx.child(std::marker::PhantomData::<()>)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        self.cx.child(seed)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.cx.child(SeqSeed(visitor))
    }

    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], visitor: V) -> Result<V::Value> {
        self.cx.child(MapSeed(visitor))
    }
}

/// A visitor as a seed that reads a sequence.
struct SeqSeed<V>(V);

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for SeqSeed<V> {
    type Value = V::Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<V::Value, D::Error> {
        d.deserialize_seq(self.0)
    }
}

/// A visitor as a seed that reads a map.
struct MapSeed<V>(V);

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for MapSeed<V> {
    type Value = V::Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<V::Value, D::Error> {
        d.deserialize_map(self.0)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde::Deserialize;

    use super::*;

    thread_local! {
        /// How many responses `both` read straight.
        static RESPONSES_READ_STRAIGHT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// Both ways of reading `text` as `T`: straight (`None` when it gives
    /// up) and through the `Value`. The same for a response whose one row
    /// is `text`: both must agree with the reply's.
    fn both<T: for<'a> Deserialize<'a> + PartialEq + std::fmt::Debug>(
        text: &str,
        limits: &Limits,
    ) -> (Option<T>, Result<T>) {
        let d = crate::reply::Decoder::new().limits(limits.clone());
        let fast = from_text::<T>(text, limits, d.dialect());
        let slow = d.decode_str(text).and_then(|v| value_de::from_item(&v, "args", limits));
        let (row, r) = (format!("0:{text}\n"), crate::response::Decoder::new().limits(limits.clone()));
        if let Some(fast_response) = from_response::<T>(row.as_bytes(), limits, r.dialect()) {
            RESPONSES_READ_STRAIGHT.with(|n| n.set(n.get() + 1));
            let slow_response = r.decode(row.as_bytes()).and_then(|v| value_de::from_item(&v.value, "root", limits));
            assert_eq!(Some(&fast_response), slow_response.as_ref().ok(), "the response {row:?}");
        }
        (fast, slow)
    }

    #[derive(Debug, PartialEq, Deserialize)]
    enum Shape {
        Dot,
        Circle(f64),
        Rect { w: f64, h: f64 },
        Pair(String, Option<i64>),
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Todo {
        title: String,
        #[serde(with = "crate::typed::date")]
        due: chrono::DateTime<chrono::Utc>,
        #[serde(default)]
        tags: Vec<String>,
        done: Option<bool>,
        #[serde(with = "crate::typed::bigint")]
        id: u64,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Tags(
        #[serde(with = "crate::typed::map")] BTreeMap<String, u8>,
        #[serde(with = "crate::typed::set")] std::collections::BTreeSet<String>,
    );

    /// Each body read straight, to the `Value` path's result.
    #[test]
    fn straight_reads_equal_the_value_paths() {
        let limits = Limits::default();
        macro_rules! same {
            ($t:ty, $($text:expr),* $(,)?) => {$(
                let (fast, slow) = both::<$t>($text, &limits);
                let fast = fast.unwrap_or_else(|| panic!("gave up on {}", $text));
                assert_eq!(fast, slow.unwrap(), "{}", $text);
            )*};
        }
        same!(
            serde_json::Value,
            r#"[1,"a",null,true,{"b":[-0,1e300,"$$x"]}]"#,
            r#""$undefined""#,
            r#""$D2026-01-01T00:00:00.000Z""#,
            r#"{"a":"$NaN","b":"$Infinity","c":"$-Infinity","d":"$-0","e":"$n12"}"#,
            r#"  [ ]  "#,
            r#""\u0024D2026-01-01T00:00:00.000Z""#
        );
        same!(
            (String, Todo, u32),
            r#"["a",{"title":"t","due":"$D2026-03-01T12:00:00.000Z","done":"$undefined","id":"$n18446744073709551615"},7]"#
        );
        same!(
            Vec<Shape>,
            r#"["Dot",{"Circle":2.5},{"Rect":{"w":1,"h":2}},{"Pair":["x","$undefined"]},{"Pair":["y",3]}]"#
        );
        same!(serde_json::Map<String, serde_json::Value>, r#"{"z":1,"a":null,"m":"$undefined","b":"$NaN"}"#);
        same!(Vec<char>, r#"["a","$$","é"]"#);
        same!((crate::typed::Undefined, Option<String>), r#"["$undefined","\"quoted\" \\ \u00e9"]"#);
        same!(BTreeMap<String, crate::typed::Date>, r#"{"a":"$D2026-01-01T00:00:00.000Z","b":"$D+275760-09-13T00:00:00.000Z"}"#);
        same!(Tags, r#"[{"a":1,"b":2},["x","y"]]"#);
    }

    /// Where the straight read must give up, and the `Value` path decides.
    #[test]
    fn it_gives_up_where_javascript_or_a_limit_decides() {
        let limits = Limits::default();
        for text in [
            // JavaScript's object model: index keys first, the last of
            // duplicate keys, `__proto__` dropped, and escaped keys.
            r#"{"b":1,"1":2}"#,
            r#"{"a":1,"a":2}"#,
            r#"{"__proto__":1}"#,
            r#"{"\u0061":1}"#,
            // Other parts, and nodes.
            r#"["$1"]"#,
            r#""$@0""#,
            r#""$Q1""#,
            r#""$T""#,
            // Errors are the Value path's to word.
            r#"[1,]"#,
            r#"[1] x"#,
            r#""\ud800""#,
            r#""$n1e5""#,
        ] {
            let (fast, _) = both::<serde_json::Value>(text, &limits);
            assert!(fast.is_none(), "read straight: {text}");
        }
        // Limits: one level short of the depth, and the array budget.
        let tight = Limits::default().max_depth(5).array_size_limit(10);
        assert!(both::<serde_json::Value>("[[[1]]]", &tight).0.is_none());
        assert!(both::<serde_json::Value>(r#"["0123456789x"]"#, &tight).0.is_none());
        assert!(both::<serde_json::Value>("[[1]]", &tight).0.is_some());
        // Duplicates among many keys (looked up in a set past 16).
        let object = |keys: &[usize]| {
            let members: Vec<String> = keys.iter().map(|k| format!("\"k{k}\":{k}")).collect();
            format!("{{{}}}", members.join(","))
        };
        let distinct: Vec<usize> = (0..20).collect();
        assert!(both::<serde_json::Value>(&object(&distinct), &limits).0.is_some());
        for (at, dup) in [(5, 2), (16, 3), (19, 17)] {
            let mut keys = distinct.clone();
            keys[at] = dup;
            assert!(both::<serde_json::Value>(&object(&keys), &limits).0.is_none(), "k{dup} twice");
        }
        // What the visitor leaves unread is an error of the Value path's.
        assert!(both::<(u8,)>("[1,2]", &limits).0.is_none());
        assert!(both::<(u8,)>("[1,2]", &limits).1.is_err());
    }

    /// Random JSON texts with the scalar tags, the keys JavaScript treats
    /// apart, and nesting.
    fn text() -> impl Strategy<Value = String> {
        let scalar = prop_oneof![
            Just("null".to_owned()),
            Just("true".to_owned()),
            any::<f64>().prop_filter("finite", |n| n.is_finite()).prop_map(|n| format!("{n:e}")),
            (-1000i64..1000).prop_map(|n| n.to_string()),
            Just("-0".to_owned()),
            prop::sample::select(vec![
                "\"$undefined\"",
                "\"$NaN\"",
                "\"$Infinity\"",
                "\"$-Infinity\"",
                "\"$-0\"",
                "\"$n-42\"",
                "\"$n123456789012345678901234567890\"",
                "\"$D2026-12-24T18:30:00.000Z\"",
                "\"$Dnope\"",
                "\"$$x\"",
                "\"$\"",
                "\"$1\"",
                "\"plain\"",
                "\"\\u00e9\\n\"",
                "\"x\"",
                "\"\"",
            ])
            .prop_map(str::to_owned),
        ];
        let key = prop::sample::select(vec!["a", "b", "c", "0", "10", "__proto__", "then", "\\u0062", "", "$D"]);
        scalar.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(|v| format!("[{}]", v.join(","))),
                prop::collection::vec((key.clone(), inner), 0..5).prop_map(|m| {
                    let members: Vec<String> = m.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                    format!("{{{}}}", members.join(","))
                }),
            ]
        })
    }

    /// 4 000 random texts, each read as three types both ways: where the
    /// straight read succeeds, it equals the `Value` path's. It must
    /// succeed often enough to be tested (a quarter of the texts at least).
    #[test]
    fn random_texts_read_straight_equal_the_value_paths() {
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        fn check<T: for<'a> Deserialize<'a> + PartialEq + std::fmt::Debug>(text: &str) -> bool {
            let (fast, slow) = both::<T>(text, &Limits::default());
            match fast {
                Some(fast) => {
                    assert_eq!(Some(&fast), slow.as_ref().ok(), "{text}");
                    true
                }
                None => false,
            }
        }
        let mut runner = TestRunner::deterministic();
        let strategy = text();
        let (mut straight, total) = (0, 4000);
        for _ in 0..total {
            let text = strategy.new_tree(&mut runner).expect("a text").current();
            straight += usize::from(check::<serde_json::Value>(&text));
            check::<Vec<Option<BTreeMap<String, serde_json::Value>>>>(&text);
            check::<Vec<serde_json::Map<String, serde_json::Value>>>(&text);
        }
        assert!(straight * 4 > total, "only {straight} of {total} texts were read straight");
        let responses = RESPONSES_READ_STRAIGHT.with(std::cell::Cell::get);
        assert!(responses * 4 > total, "only {responses} of {total} responses were read straight");
    }
}
