//! `T: Deserialize` straight from the text: a serde `Deserializer`, as
//! `serde_json`'s, over [`Cx`]. Scalars are handed to the `Value` path's
//! own deserializer ([`value_de::with_scalar`]), so that numbers, Dates
//! and BigInts are read by one set of rules; strings are the visitor's
//! directly, borrowed from the text when they hold no escape.

use std::borrow::Cow;

use serde::de::{self, DeserializeSeed, Visitor};

use super::{another, give_up, one_row, plain_key, Cx, Format, Keys, Look, Tok};
use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::typed::de as value_de;
use crate::typed::{BIGINT, BLOB, DATE, FORMDATA, FORMVALUE, MAP, SERVER_REF, SET, TYPED_ARRAY, UNDEFINED};
use crate::value::Item;
use crate::version::Dialect;

/// `T` from a text reply body, or `None` where the `Value` path must
/// decide.
pub(crate) fn from_text<'de, T: de::Deserialize<'de>>(text: &'de str, limits: &Limits, dialect: Dialect) -> Option<T> {
    read(text, Format::Reply, limits, dialect)
}

/// `T` from a response that is one model row ([`one_row`]), or `None`
/// where the `Value` path must decide.
pub(crate) fn from_response<'de, T: de::Deserialize<'de>>(
    body: &'de [u8],
    limits: &Limits,
    dialect: Dialect,
) -> Option<T> {
    read(one_row(body, limits)?, Format::Response, limits, dialect)
}

fn read<'de, T: de::Deserialize<'de>>(text: &'de str, format: Format, limits: &Limits, dialect: Dialect) -> Option<T> {
    let mut cx = Cx::new(text, format, limits, dialect, Look::Large)?;
    let t = T::deserialize(&mut cx).ok()?;
    cx.finished().then_some(t)
}

impl<'de> Cx<'de> {
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

/// An integer type: a number that is a safe integer fitting `$t`, visited
/// as the `Value` path visits it; anything else through that path.
macro_rules! integer {
    ($($method:ident $visit:ident $t:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            match self.tok()? {
                Tok::Scalar(Item::Number(n)) if n.fract() == 0.0 && n.abs() <= value_de::MAX_SAFE => {
                    match <$t>::try_from(n as i64) {
                        Ok(v) => visitor.$visit(v.into()),
                        Err(_) => Err(give_up()),
                    }
                }
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

    scalar!(deserialize_i128, deserialize_u128, deserialize_f32, deserialize_unit);

    // The most common scalars, read here when they are what the `Value`
    // path reads at once (a boolean, any number as `f64`, a safe integer
    // that fits); anything else, an error included, goes to it.
    integer!(
        deserialize_i8 visit_i64 i8,
        deserialize_i16 visit_i64 i16,
        deserialize_i32 visit_i64 i32,
        deserialize_i64 visit_i64 i64,
        deserialize_u8 visit_u64 u8,
        deserialize_u16 visit_u64 u16,
        deserialize_u32 visit_u64 u32,
        deserialize_u64 visit_u64 u64
    );

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.tok()? {
            Tok::Scalar(Item::Bool(b)) => visitor.visit_bool(b),
            Tok::Scalar(item) => value_de::with_scalar(item, |d| d.deserialize_bool(visitor)),
            _ => Err(give_up()),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.tok()? {
            Tok::Scalar(Item::Number(n)) => visitor.visit_f64(n),
            Tok::Scalar(item) => value_de::with_scalar(item, |d| d.deserialize_f64(visitor)),
            _ => Err(give_up()),
        }
    }

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
            // A Date is its milliseconds (NaN when invalid), as the `Value`
            // path hands it out; said here, without that path's plumbing.
            DATE => match self.tok()? {
                Tok::Scalar(Item::Date(d)) => visitor.visit_f64(d.millis().map_or(f64::NAN, |ms| ms as f64)),
                Tok::Scalar(item) => value_de::with_scalar(item, |d| d.deserialize_newtype_struct(name, visitor)),
                _ => Err(give_up()),
            },
            BIGINT => match self.tok()? {
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

fn read_seq<'de, V: Visitor<'de>>(cx: &mut Cx<'de>, visitor: V) -> Result<V::Value> {
    cx.budget += 1;
    let mut seq = SeqReader { cx, first: true, done: false };
    let v = visitor.visit_seq(&mut seq)?;
    ended(seq.done, seq.cx, b']')?;
    Ok(v)
}

/// A visitor may stop before its container's end (a tuple at its length,
/// a struct's hand-written visitor): the container must end there, or
/// what is left over is an error of the `Value` path's.
fn ended(done: bool, cx: &mut Cx<'_>, close: u8) -> Result<()> {
    if done || cx.p.closes(close) {
        Ok(())
    } else {
        Err(give_up())
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
    ended(map.done, map.cx, b'}')?;
    Ok(v)
}

struct MapReader<'c, 'de> {
    cx: &'c mut Cx<'de>,
    keys: Keys<'de>,
    first: bool,
    done: bool,
}

impl<'c, 'de> MapReader<'c, 'de> {
    fn new(cx: &'c mut Cx<'de>) -> Self {
        MapReader { cx, keys: Keys::new(), first: true, done: false }
    }
}

impl<'de> de::MapAccess<'de> for MapReader<'_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if !another(&mut self.cx.p, &mut self.first, &mut self.done, b'}')? {
            return Ok(None);
        }
        let k = plain_key(self.cx)?;
        self.keys.distinct(k)?;
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
pub(crate) mod tests {
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
        let slow = d.decode_str_through_document(text).and_then(|v| value_de::from_item(&v, "args", limits));
        let (row, r) = (format!("0:{text}\n"), crate::response::Decoder::new().limits(limits.clone()));
        if let Some(fast_response) = from_response::<T>(row.as_bytes(), limits, r.dialect()) {
            RESPONSES_READ_STRAIGHT.with(|n| n.set(n.get() + 1));
            let slow_response = r
                .decode_through_documents(row.as_bytes().to_vec())
                .and_then(|v| value_de::from_item::<T>(&v.value, "root", limits));
            // As printed: NaN is not equal to itself, -0 is to 0.
            assert_eq!(
                format!("{:?}", Some(&fast_response)),
                format!("{:?}", slow_response.as_ref().ok()),
                "the response {row:?}"
            );
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
    pub(crate) fn text() -> impl Strategy<Value = String> {
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
                    // As printed: NaN is not equal to itself, -0 is to 0.
                    assert_eq!(format!("{:?}", Some(&fast)), format!("{:?}", slow.as_ref().ok()), "{text}");
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
            // The scalars read without the Value path's deserializer.
            check::<Vec<Option<i64>>>(&text);
            check::<Vec<Option<u8>>>(&text);
            check::<Vec<Option<f64>>>(&text);
            check::<Vec<Option<bool>>>(&text);
        }
        assert!(straight * 4 > total, "only {straight} of {total} texts were read straight");
        let responses = RESPONSES_READ_STRAIGHT.with(std::cell::Cell::get);
        assert!(responses * 4 > total, "only {responses} of {total} responses were read straight");
    }
}
