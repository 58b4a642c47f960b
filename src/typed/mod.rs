//! The typed API: serde straight between Rust types and Flight values.
//!
//! A framework hosting Server Functions wants the arguments as Rust types
//! and wants to return Rust values. This module reads any
//! `T: Deserialize` from a reply body or a decoded [`Value`], and writes any
//! `T: Serialize` as a reply or a response.
//!
//! ```
//! use serde::{Deserialize, Serialize};
//! use rsc_flight::typed;
//!
//! #[derive(Serialize, Deserialize, Debug, PartialEq)]
//! struct Todo {
//!     title: String,
//!     tags: Vec<String>,
//!     done: bool,
//!     #[serde(with = "typed::date")]
//!     due: chrono::DateTime<chrono::Utc>,
//! }
//!
//! // What the browser's encodeReply sent for `addTodo("user-123", todo, 42)`:
//! let body = r#"["user-123",{"title":"Write docs","tags":["a","b"],"done":false,"due":"$D2026-01-01T00:00:00.000Z"},42]"#;
//! let (user, todo, priority): (String, Todo, u32) = typed::from_reply_str(body)?;
//! assert_eq!((user.as_str(), priority), ("user-123", 42));
//! assert_eq!(todo.due.to_rfc3339(), "2026-01-01T00:00:00+00:00");
//!
//! // A wrong type says where and what:
//! let e = typed::from_reply_str::<(String, Todo, u32)>(r#"["u",{"title":"t","tags":[],"done":false,"due":"soon"},1]"#).unwrap_err();
//! assert_eq!(e.to_string(), "args[1].due: expected a Date, found a string");
//!
//! // The result goes back as a response, as React's renderToReadableStream writes it:
//! let bytes = typed::to_response(&todo)?;
//! assert_eq!(bytes, br#"0:{"title":"Write docs","tags":["a","b"],"done":false,"due":"$D2026-01-01T00:00:00.000Z"}
//! "#);
//! # Ok::<(), rsc_flight::Error>(())
//! ```
//!
//! # How Rust types map to JavaScript values
//!
//! | Rust | JavaScript |
//! | --- | --- |
//! | `bool`, `String`, `&str`, `char` | boolean, string |
//! | integers up to 2^53, `f32`, `f64` (NaN, ±Infinity, -0 included) | number; a larger integer is an error both ways unless it is a BigInt |
//! | `i64`, `u64`, `i128`, `u128` with [`bigint`], or [`BigInt`] | BigInt |
//! | `chrono::DateTime<Utc>` with [`date`], or [`Date`] (can be invalid) | Date |
//! | `Option<T>` | `null` (reads `null` and `undefined`) |
//! | [`Undefined`] | `undefined` |
//! | `Vec<T>`, tuples, `HashSet<T>`... | array (reads arrays, Sets, iterators, and typed arrays element by element) |
//! | maps and structs | plain object (reads objects and Maps) |
//! | maps with [`map`], sets with [`set`] | `Map`, `Set` (any key type) |
//! | `bytes::Bytes`, `serde_bytes`-style bytes | `Uint8Array` (reads any typed array, ArrayBuffer, Blob) |
//! | `Vec<f32>`, `Vec<i64>`... with [`typed_array`] | the matching typed array (`Float32Array`, `BigInt64Array`...) |
//! | [`Blob`] | `Blob`, or `File` when it has a name |
//! | [`FormData`] | `FormData` (text and file entries, in order) |
//! | [`ServerRef<A>`](ServerRef) | a server reference (`module#export`) with its bound arguments as `A` |
//! | `Vec<T>` from a stream or async iterable | the values it yielded (an error if it errored) |
//! | enums | as serde_json: `"Variant"` or `{"Variant": data}` |
//!
//! A settled promise reads as its value. Serializing what the format cannot
//! carry exactly (an integer beyond 2^53 as a number, a map key that is not
//! a string or an integer) is an error, never a change of shape.
//!
//! # Straight from the text
//!
//! A text reply body (what `encodeReply` sends unless an argument needs
//! parts), and a response that is one model row (`0:<JSON>`, what React
//! writes for a value with no promise, stream, element or repeated
//! object), is read into `T` straight from its JSON, as `serde_json::from_str`
//! reads it, with the scalar `$` tags read on the way (`$D`, `$n`,
//! `$undefined`, `$NaN`, `$Infinity`, `$-Infinity`, `$-0`, `$$`) and no
//! [`Value`] built. Where that read cannot be sure to give what decoding
//! the [`Value`] first gives (a tag that refers to another part, a key
//! that JavaScript enumerates first or keeps once, a limit close by, any
//! error), it gives up and the body is decoded through the [`Value`], whose
//! result and errors are the answer: both ways give the same `T` or the
//! same error (tested on random bodies, and by the `typed` fuzz target).
//!
//! # Borrowed fields
//!
//! [`from_reply_str`], [`decode_reply_str`], [`from_response_slice`] and
//! [`decode_response`] take `T: Deserialize<'de>` with the body's
//! lifetime, as `serde_json::from_str` does: a `&'de str` field borrows
//! its string from the body, with no copy, where the body is read
//! straight from its text and the string holds no escape. Elsewhere the
//! string is a copy, which a `Cow<'de, str>` field (with
//! `#[serde(borrow)]`) takes and a `&'de str` field reports as a type
//! error at its path (`expected a borrowed string, found a string`, as
//! serde_json refuses a string with escapes): a string with an escape, a
//! Date read as text, and every string of a body the straight read leaves
//! to the [`Value`] (references to other parts or rows, multipart bodies,
//! a body within a level or a few values of a limit). So `Cow<'de, str>` is the field type for text
//! a client may send with escapes. [`from_value`] lends a `&'a str` from
//! the [`Value`] itself, and `&'a [u8]` from its binary nodes.

pub(crate) mod de;
pub(crate) mod ser;
mod types;

pub use types::{typed_array, Element, FormData, FormValue, ServerRef};

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::limits::Limits;
use crate::multipart::Field;
use crate::reply::{self, Body};
use crate::response;
use crate::value::{Item, Node, Value};

pub use crate::value::{BigInt, Blob, Date};

/// The newtype names the (de)serializer recognises for the types JSON lacks.
pub(crate) const DATE: &str = "$rsc_flight::Date";
pub(crate) const BIGINT: &str = "$rsc_flight::BigInt";
pub(crate) const MAP: &str = "$rsc_flight::Map";
pub(crate) const SET: &str = "$rsc_flight::Set";
pub(crate) const UNDEFINED: &str = "$rsc_flight::Undefined";
pub(crate) const TYPED_ARRAY: &str = "$rsc_flight::TypedArray";
pub(crate) const BLOB: &str = "$rsc_flight::Blob";
pub(crate) const FORMDATA: &str = "$rsc_flight::FormData";
pub(crate) const FORMVALUE: &str = "$rsc_flight::FormValue";
pub(crate) const SERVER_REF: &str = "$rsc_flight::ServerReference";

/// Read a `T` from a decoded value (errors name the path from `value`).
///
/// ```
/// let v = rsc_flight::tagged::from_str(r#"{"a":[1,2]}"#)?;
/// let m: std::collections::BTreeMap<String, Vec<u8>> = rsc_flight::typed::from_value(&v)?;
/// assert_eq!(m["a"], [1, 2]);
/// # Ok::<(), rsc_flight::Error>(())
/// ```
///
/// # Errors
/// A value of another shape than `T`, with its path; `max_values` and
/// `max_depth` from the default [`Limits`] (a shared value is read once per
/// place it occurs, and a cycle cannot be a Rust value).
pub fn from_value<'a, T: Deserialize<'a>>(value: &'a Value) -> Result<T> {
    de::from_item(value, "value", &Limits::default())
}

/// Build a [`Value`] from a `T`.
///
/// ```
/// let v = rsc_flight::typed::to_value(&(1, "two", [3.5]))?;
/// assert_eq!(rsc_flight::tagged::to_string(&v)?, r#"[1,"two",[3.5]]"#);
/// # Ok::<(), rsc_flight::Error>(())
/// ```
///
/// # Errors
/// What the format cannot carry exactly (see the module documentation).
pub fn to_value<T: Serialize + ?Sized>(t: &T) -> Result<Value> {
    ser::to_value(t, Limits::default().get_max_depth())
}

/// Decode a Server Function's arguments into `T` (a tuple, a tuple struct,
/// a `Vec`, or a struct) from the request's `Content-Type` and body, text
/// or multipart, with the default options.
///
/// ```
/// let (id, n): (String, u8) = rsc_flight::typed::from_reply("text/plain;charset=UTF-8", &br#"["a",7]"#[..])?;
/// assert_eq!((id.as_str(), n), ("a", 7));
/// # Ok::<(), rsc_flight::Error>(())
/// ```
///
/// # Errors
/// As [`reply::Decoder::decode`](crate::reply::Decoder::decode), then as
/// [`from_value`] with paths from `args`.
pub fn from_reply<T: for<'a> Deserialize<'a>>(content_type: &str, body: impl Into<bytes::Bytes>) -> Result<T> {
    decode_reply(&reply::Decoder::new(), content_type, body)
}

/// Decode a Server Function's arguments from a text reply body into `T`.
///
/// `&str` fields (and `Cow<str>` fields marked `#[serde(borrow)]`; serde
/// borrows into a `Cow` only as a field of its own, not inside a `Vec`) borrow
/// from `body`, as with `serde_json::from_str` (see "Borrowed fields"
/// above).
///
/// ```
/// use std::borrow::Cow;
/// #[derive(serde::Deserialize)]
/// struct Query<'a> {
///     term: &'a str,
///     #[serde(borrow)]
///     near: Cow<'a, str>,
///     #[serde(borrow)]
///     far: Cow<'a, str>,
/// }
/// let body = r#"[{"term":"rust","near":"Lyon","far":"Z\u00fcrich"}]"#;
/// let (q,): (Query,) = rsc_flight::typed::from_reply_str(body)?;
/// assert_eq!(q.term, "rust");
/// assert!(matches!(q.near, Cow::Borrowed("Lyon")));
/// assert!(matches!(q.far, Cow::Owned(ref s) if s == "Zürich")); // it had an escape
/// # Ok::<(), rsc_flight::Error>(())
/// ```
///
/// # Errors
/// As [`crate::reply::from_str`], then as [`from_value`] with paths from
/// `args`; a `&str` field whose string cannot be borrowed (see "Borrowed
/// fields") is a type error at its path.
pub fn from_reply_str<'de, T: Deserialize<'de>>(body: &'de str) -> Result<T> {
    decode_reply_str(&reply::Decoder::new(), body)
}

/// [`from_reply_str`] with a configured decoder (its limits and React
/// version).
///
/// # Errors
/// As [`from_reply_str`].
pub fn decode_reply_str<'de, T: Deserialize<'de>>(decoder: &reply::Decoder, body: &'de str) -> Result<T> {
    // Straight from its JSON when `straight/` can (no part references,
    // nothing JavaScript's object model would change), else through the
    // decoded `Value`, which also gives every error.
    if let Some(t) = crate::straight::typed::from_text(body, decoder.get_limits(), decoder.dialect()) {
        return Ok(t);
    }
    // Where the straight read gives up, so would the decoder's one pass:
    // its general way at once. The `Value` is dropped here, so `T` gets
    // copies of its strings.
    de::from_item_copied(&decoder.decode_str_through_document(body)?, "args", decoder.get_limits())
}

/// Decode a multipart reply body into `T`.
///
/// ```
/// let body = "--b\r\nContent-Disposition: form-data; name=\"0\"\r\n\r\n[\"$K1\"]\r\n--b\r\nContent-Disposition: form-data; name=\"_1_title\"\r\n\r\nHi\r\n--b--\r\n";
/// let (form,): (rsc_flight::typed::FormData,) = rsc_flight::typed::from_reply_multipart("multipart/form-data; boundary=b", body)?;
/// assert_eq!(form.get("title"), Some(&rsc_flight::typed::FormValue::Text("Hi".into())));
/// # Ok::<(), rsc_flight::Error>(())
/// ```
///
/// # Errors
/// As [`crate::reply::from_multipart`] and [`from_reply_str`].
pub fn from_reply_multipart<T: for<'a> Deserialize<'a>>(
    content_type: &str,
    body: impl Into<bytes::Bytes>,
) -> Result<T> {
    let d = reply::Decoder::new();
    de::from_item(&d.decode_multipart(content_type, body)?, "args", d.get_limits())
}

/// Decode a reply from its parsed fields into `T`.
///
/// ```
/// use rsc_flight::multipart::Field;
/// let fields = [Field::text("0", r#"["$@1"]"#), Field::text("1", "7")];
/// let (n,): (u8,) = rsc_flight::typed::from_reply_fields(&fields)?; // a promise reads as its value
/// assert_eq!(n, 7);
/// # Ok::<(), rsc_flight::Error>(())
/// ```
///
/// # Errors
/// As [`crate::reply::from_fields`] and [`from_reply_str`].
pub fn from_reply_fields<T: for<'a> Deserialize<'a>>(fields: &[Field]) -> Result<T> {
    decode_reply_fields(&reply::Decoder::new(), fields)
}

/// Decode a Server Function's arguments into `T` with a configured
/// decoder: its limits (also while reading `T`: `max_values`, `max_depth`)
/// and its React version.
///
/// ```
/// use rsc_flight::{reply::Decoder, typed, Limits};
/// let d = Decoder::new().limits(Limits::default().max_depth(3));
/// let e = typed::decode_reply::<Vec<Vec<Vec<Vec<u8>>>>>(&d, "text/plain", &b"[[[[1]]]]"[..]).unwrap_err();
/// assert_eq!(e.limit_name(), Some("max_depth"));
/// ```
///
/// # Errors
/// As [`reply::Decoder::decode`](crate::reply::Decoder::decode), then as
/// [`from_value`] under the decoder's limits.
pub fn decode_reply<T: for<'a> Deserialize<'a>>(
    decoder: &reply::Decoder,
    content_type: &str,
    body: impl Into<bytes::Bytes>,
) -> Result<T> {
    let body = body.into();
    if !reply::is_multipart(content_type) {
        if let Ok(text) = std::str::from_utf8(&body) {
            return decode_reply_str(decoder, text);
        }
    }
    de::from_item(&decoder.decode(content_type, body)?, "args", decoder.get_limits())
}

/// [`decode_reply`] from already-parsed form fields.
///
/// # Errors
/// As [`decode_reply`].
pub fn decode_reply_fields<T: for<'a> Deserialize<'a>>(decoder: &reply::Decoder, fields: &[Field]) -> Result<T> {
    de::from_item(&decoder.decode_fields(fields)?, "args", decoder.get_limits())
}

/// Encode `T` as a reply body, as the browser's `encodeReply` would
/// (client role).
///
/// ```
/// let body = rsc_flight::typed::to_reply(&("id", 7))?;
/// assert_eq!(body, rsc_flight::reply::Body::Text(r#"["id",7]"#.into()));
/// # Ok::<(), rsc_flight::Error>(())
/// ```
///
/// # Errors
/// As [`to_value`] and [`crate::reply::to_body`].
pub fn to_reply<T: Serialize + ?Sized>(t: &T) -> Result<Body> {
    encode_reply(&reply::Encoder::new(), t)
}

/// Encode `T` as a reply body with a configured encoder (its React
/// version, its `max_depth`).
///
/// ```
/// use rsc_flight::{reply::Encoder, typed};
/// let body = typed::encode_reply(&Encoder::new().react("19.1.0".parse()?), &(typed::FormData::default(),))?;
/// assert_eq!(body.fields().map(|f| f.len()), Some(1));
/// # Ok::<(), rsc_flight::Error>(())
/// ```
///
/// # Errors
/// As [`to_reply`].
pub fn encode_reply<T: Serialize + ?Sized>(encoder: &reply::Encoder, t: &T) -> Result<Body> {
    encoder.encode(&ser::to_value(t, encoder.get_limits().get_max_depth())?)
}

/// Encode `T` as a production response, as React's
/// `renderToReadableStream` would (server role).
///
/// ```
/// let bytes = rsc_flight::typed::to_response(&std::collections::HashMap::from([("ok", true)]))?;
/// assert_eq!(bytes, b"0:{\"ok\":true}\n");
/// # Ok::<(), rsc_flight::Error>(())
/// ```
///
/// # Errors
/// As [`to_value`] and [`crate::response::to_vec`].
pub fn to_response<T: Serialize + ?Sized>(t: &T) -> Result<Vec<u8>> {
    encode_response(&response::Encoder::new(), t)
}

/// Encode `T` as a response with a configured encoder (its React version,
/// hints, error digests, `max_depth`).
///
/// ```
/// use rsc_flight::{response::Encoder, typed};
/// let bytes = typed::encode_response(&Encoder::new().react("19.2.9".parse()?), &[1, 2])?;
/// assert_eq!(bytes, b"0:[1,2]\n");
/// # Ok::<(), rsc_flight::Error>(())
/// ```
///
/// # Errors
/// As [`to_response`].
pub fn encode_response<T: Serialize + ?Sized>(encoder: &response::Encoder, t: &T) -> Result<Vec<u8>> {
    encoder.encode(&ser::to_value(t, encoder.get_limits().get_max_depth())?)
}

/// Decode a whole response body's root value into `T` (client role).
///
/// ```
/// let (n, s): (f64, String) = rsc_flight::typed::from_response_slice(b"0:[\"$-Infinity\",\"$1\"]\n1:\"row\"\n")?;
/// assert_eq!((n, s.as_str()), (f64::NEG_INFINITY, "row"));
/// # Ok::<(), rsc_flight::Error>(())
/// ```
///
/// # Errors
/// As [`crate::response::from_slice`], then as [`from_value`] with paths
/// from `root`.
pub fn from_response_slice<'de, T: Deserialize<'de>>(body: &'de [u8]) -> Result<T> {
    decode_response(&response::Decoder::new(), body)
}

/// Decode a whole response body's root value into `T` with a configured
/// decoder (its limits, also while reading `T`, and its React version).
/// `&str` fields borrow from `body` as [`from_reply_str`]'s do.
///
/// # Errors
/// As [`response::Decoder::decode`](crate::response::Decoder::decode), then
/// as [`from_value`] under the decoder's limits.
pub fn decode_response<'de, T: Deserialize<'de>>(decoder: &response::Decoder, body: &'de [u8]) -> Result<T> {
    // A one-row response is read straight from its JSON where it can be
    // (see "Straight from the text" above).
    if let Some(t) = crate::straight::typed::from_response(body, decoder.get_limits(), decoder.dialect()) {
        return Ok(t);
    }
    // As for replies: the general way at once.
    let rows = decoder.decode_through_rows(bytes::Bytes::copy_from_slice(body))?;
    de::from_item_copied(&rows.value, "root", decoder.get_limits())
}

/// What a value is, for error messages: "a string", "a Map"...
fn describe(v: &Value, item: &Item) -> &'static str {
    match item {
        Item::Undefined => "undefined",
        Item::Null => "null",
        Item::Bool(_) => "a boolean",
        Item::Number(_) => "a number",
        Item::String(_) => "a string",
        Item::BigInt(_) => "a BigInt",
        Item::Date(_) => "a Date",
        Item::Symbol(_) => "a symbol",
        Item::Node(n) => match v.node(*n) {
            Node::Object(_) => "an object",
            Node::Array(_) => "an array",
            Node::Map(_) => "a Map",
            Node::Set(_) => "a Set",
            Node::FormData(_) => "a FormData",
            Node::Blob(_) => "a Blob",
            Node::ArrayBuffer(_) => "an ArrayBuffer",
            Node::TypedArray(..) => "a typed array",
            Node::Promise(_) => "a promise",
            Node::Iterator(_) => "an iterator",
            Node::Stream(_) => "a stream",
            Node::ByteStream(_) => "a byte stream",
            Node::ServerReference(_) => "a server reference",
            Node::TemporaryReference(_) => "a temporary reference",
            Node::Function(_) => "a function",
            Node::Instance { .. } => "a class instance",
            Node::Error { .. } => "an Error",
            Node::Element { .. } => "a React element",
            Node::ClientReference(_) => "a client reference",
        },
    }
}

/// JavaScript's `undefined`, where `null` (`Option::None`) is not wanted.
///
/// ```
/// use rsc_flight::typed::{self, Undefined};
/// assert_eq!(typed::to_reply(&(1, Undefined))?, rsc_flight::reply::Body::Text(r#"[1,"$undefined"]"#.into()));
/// let (_, u): (u8, Undefined) = typed::from_reply_str(r#"[1,"$undefined"]"#)?;
/// assert_eq!(u, Undefined);
/// # Ok::<(), rsc_flight::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Undefined;

impl Serialize for Undefined {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_unit_struct(UNDEFINED)
    }
}

impl<'de> Deserialize<'de> for Undefined {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Undefined;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("undefined")
            }
            fn visit_unit<E>(self) -> std::result::Result<Undefined, E> {
                Ok(Undefined)
            }
        }
        d.deserialize_unit_struct(UNDEFINED, V)
    }
}

/// A Date is its milliseconds since the epoch (NaN when invalid) in any
/// other serde format.
impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(DATE, &self.millis().map_or(f64::NAN, |ms| ms as f64))
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Date;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a Date")
            }
            fn visit_f64<E: serde::de::Error>(self, ms: f64) -> std::result::Result<Date, E> {
                if ms.is_nan() {
                    return Ok(Date::INVALID);
                }
                if ms.fract() != 0.0 || ms.abs() > 8.64e15 {
                    return Err(E::custom("a Date must be whole milliseconds within JavaScript's range"));
                }
                Ok(Date::from_millis(ms as i64))
            }
            fn visit_i64<E: serde::de::Error>(self, ms: i64) -> std::result::Result<Date, E> {
                self.visit_f64(ms as f64)
            }
            fn visit_u64<E: serde::de::Error>(self, ms: u64) -> std::result::Result<Date, E> {
                self.visit_f64(ms as f64)
            }
            /// ISO text, or Flight's own `$D<ISO>` as a plain JSON parser
            /// (`serde_json`) hands it out, so that one type reads a reply
            /// both through this crate and through a JSON parser.
            fn visit_str<E: serde::de::Error>(self, s: &str) -> std::result::Result<Date, E> {
                let iso = s.strip_prefix("$D").unwrap_or(s);
                Date::parse_iso(iso).ok_or_else(|| E::custom("a Date must be in the ECMAScript date-time format"))
            }
            fn visit_newtype_struct<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Date, D::Error> {
                d.deserialize_any(self)
            }
        }
        d.deserialize_newtype_struct(DATE, V)
    }
}

/// A BigInt is its decimal text in any other serde format.
impl Serialize for BigInt {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(BIGINT, self.as_str())
    }
}

impl<'de> Deserialize<'de> for BigInt {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = d.deserialize_newtype_struct(BIGINT, TextVisitor)?;
        BigInt::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("{s:?} is not an integer")))
    }
}

/// Reads a string (or the decimal text of a number).
struct TextVisitor;

impl<'de> serde::de::Visitor<'de> for TextVisitor {
    type Value = String;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a BigInt")
    }
    fn visit_str<E>(self, s: &str) -> std::result::Result<String, E> {
        Ok(s.to_owned())
    }
    fn visit_i64<E>(self, n: i64) -> std::result::Result<String, E> {
        Ok(n.to_string())
    }
    fn visit_u64<E>(self, n: u64) -> std::result::Result<String, E> {
        Ok(n.to_string())
    }
    fn visit_newtype_struct<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

/// `#[serde(with = "rsc_flight::typed::date")]` for `chrono::DateTime<Utc>`:
/// a JavaScript `Date` (an invalid Date is an error when read; use
/// [`Date`] to hold one).
///
/// ```
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Due(#[serde(with = "rsc_flight::typed::date")] chrono::DateTime<chrono::Utc>);
/// let (due,): (Due,) = rsc_flight::typed::from_reply_str(r#"["$D2026-03-01T12:00:00.000Z"]"#)?;
/// assert_eq!(due.0.timestamp(), 1_772_366_400);
/// assert_eq!(rsc_flight::typed::to_reply(&(due,))?.as_text(), Some(r#"["$D2026-03-01T12:00:00.000Z"]"#));
/// # Ok::<(), rsc_flight::Error>(())
/// ```
pub mod date {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Date;

    /// Write the time as a Date (millisecond precision; finer is an error,
    /// not a rounding).
    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        if t.timestamp_subsec_nanos() % 1_000_000 != 0 {
            return Err(serde::ser::Error::custom("a JavaScript Date holds milliseconds; this time has a finer part"));
        }
        let d = Date::from_millis(t.timestamp_millis());
        if !d.is_valid() {
            return Err(serde::ser::Error::custom("a time outside the range of a JavaScript Date"));
        }
        d.serialize(s)
    }

    /// Read a Date.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let date = Date::deserialize(d)?;
        date.millis()
            .and_then(DateTime::from_timestamp_millis)
            .ok_or_else(|| serde::de::Error::custom("an invalid Date cannot be a chrono::DateTime"))
    }
}

/// `#[serde(with = "rsc_flight::typed::bigint")]` for any integer type
/// (`i64`, `u64`, `i128`, `u128`...): a JavaScript BigInt.
///
/// ```
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Id(#[serde(with = "rsc_flight::typed::bigint")] u64);
/// assert_eq!(rsc_flight::typed::to_reply(&(Id(u64::MAX),))?.as_text(), Some(r#"["$n18446744073709551615"]"#));
/// let (id,): (Id,) = rsc_flight::typed::from_reply_str(r#"["$n42"]"#)?;
/// assert_eq!(id.0, 42);
/// # Ok::<(), rsc_flight::Error>(())
/// ```
pub mod bigint {
    use serde::{Deserializer, Serializer};

    /// Write the integer as a BigInt.
    pub fn serialize<T: std::fmt::Display, S: Serializer>(n: &T, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(super::BIGINT, &n.to_string())
    }

    /// Read a BigInt (or a number that is an exact integer).
    pub fn deserialize<'de, T: std::str::FromStr, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        let s = d.deserialize_newtype_struct(super::BIGINT, super::TextVisitor)?;
        s.parse().map_err(|_| serde::de::Error::custom(format!("BigInt {s} does not fit the Rust type")))
    }
}

/// `#[serde(with = "rsc_flight::typed::map")]` for `HashMap`, `BTreeMap`,
/// `IndexMap` with any key type: a JavaScript `Map` (reads a `Map` or a
/// plain object).
///
/// ```
/// use std::collections::BTreeMap;
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Scores(#[serde(with = "rsc_flight::typed::map")] BTreeMap<u32, String>);
/// let v = rsc_flight::typed::to_value(&Scores(BTreeMap::from([(1, "a".to_owned())])))?;
/// assert_eq!(rsc_flight::tagged::to_string(&v)?, r#"{"$type":"Map","entries":[[1,"a"]]}"#);
/// let back: Scores = rsc_flight::typed::from_value(&v)?;
/// assert_eq!(back.0[&1], "a");
/// # Ok::<(), rsc_flight::Error>(())
/// ```
pub mod map {
    use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
    use serde::ser::{Serialize, SerializeSeq, Serializer};

    /// Write the entries as a `Map`.
    pub fn serialize<'a, M, K, V, S>(m: &'a M, s: S) -> Result<S::Ok, S::Error>
    where
        &'a M: IntoIterator<Item = (&'a K, &'a V)>,
        K: Serialize + 'a,
        V: Serialize + 'a,
        S: Serializer,
    {
        struct Pairs<'a, M>(&'a M);
        impl<'a, M, K, V> Serialize for Pairs<'a, M>
        where
            &'a M: IntoIterator<Item = (&'a K, &'a V)>,
            K: Serialize + 'a,
            V: Serialize + 'a,
        {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut seq = s.serialize_seq(None)?;
                for (k, v) in self.0 {
                    seq.serialize_element(&(k, v))?;
                }
                seq.end()
            }
        }
        s.serialize_newtype_struct(super::MAP, &Pairs(m))
    }

    /// Read a `Map` (or an object) into any map type.
    pub fn deserialize<'de, M, K, V, D>(d: D) -> Result<M, D::Error>
    where
        M: FromIterator<(K, V)>,
        K: Deserialize<'de>,
        V: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        struct Vis<M, K, V>(std::marker::PhantomData<(M, K, V)>);
        impl<'de, M: FromIterator<(K, V)>, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for Vis<M, K, V> {
            type Value = M;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a Map")
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<M, D::Error> {
                d.deserialize_map(self)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<M, A::Error> {
                let mut entries = Vec::new();
                while let Some(kv) = a.next_entry()? {
                    entries.push(kv);
                }
                Ok(entries.into_iter().collect())
            }
        }
        d.deserialize_newtype_struct(super::MAP, Vis(std::marker::PhantomData))
    }
}

/// `#[serde(with = "rsc_flight::typed::set")]` for `HashSet`, `BTreeSet`,
/// `IndexSet`, `Vec`...: a JavaScript `Set` (reads a `Set` or an array).
///
/// ```
/// use std::collections::BTreeSet;
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Tags(#[serde(with = "rsc_flight::typed::set")] BTreeSet<String>);
/// let v = rsc_flight::typed::to_value(&Tags(BTreeSet::from(["x".to_owned()])))?;
/// assert_eq!(rsc_flight::tagged::to_string(&v)?, r#"{"$type":"Set","values":["x"]}"#);
/// let back: Tags = rsc_flight::typed::from_value(&v)?;
/// assert!(back.0.contains("x"));
/// # Ok::<(), rsc_flight::Error>(())
/// ```
pub mod set {
    use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};
    use serde::ser::{Serialize, SerializeSeq, Serializer};

    /// Write the values as a `Set`.
    pub fn serialize<'a, C, T, S>(c: &'a C, s: S) -> Result<S::Ok, S::Error>
    where
        &'a C: IntoIterator<Item = &'a T>,
        T: Serialize + 'a,
        S: Serializer,
    {
        struct Values<'a, C>(&'a C);
        impl<'a, C, T> Serialize for Values<'a, C>
        where
            &'a C: IntoIterator<Item = &'a T>,
            T: Serialize + 'a,
        {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut seq = s.serialize_seq(None)?;
                for v in self.0 {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
        }
        s.serialize_newtype_struct(super::SET, &Values(c))
    }

    /// Read a `Set` (or an array) into any collection.
    pub fn deserialize<'de, C, T, D>(d: D) -> Result<C, D::Error>
    where
        C: FromIterator<T>,
        T: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        struct Vis<C, T>(std::marker::PhantomData<(C, T)>);
        impl<'de, C: FromIterator<T>, T: Deserialize<'de>> Visitor<'de> for Vis<C, T> {
            type Value = C;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a Set")
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<C, D::Error> {
                d.deserialize_seq(self)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<C, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = a.next_element()? {
                    out.push(v);
                }
                Ok(out.into_iter().collect())
            }
        }
        d.deserialize_newtype_struct(super::SET, Vis(std::marker::PhantomData))
    }
}
