//! The reply format: what a browser sends to a Server Function
//! (`encodeReply` / `decodeReply`).
//!
//! A reply is one JSON text, or a set of form fields: `"0"` is the root,
//! `"<n>"` are outlined parts (JSON text or files), `"S<n>"` stream chunks
//! and `"_<n>_<key>"` the entries of FormData arguments. Strings that start
//! with `$` carry the types JSON lacks; they are read and written by one
//! module, `reply/tag.rs` (its table lists every tag).
//!
//! # Examples
//!
//! ```
//! use rsc_flight::{reply, tagged};
//! let v = reply::from_str(r#"["user-1",{"due":"$D2026-01-01T00:00:00.000Z","n":"$n12"}]"#).unwrap();
//! assert_eq!(
//!     tagged::to_string(&v).unwrap(),
//!     r#"["user-1",{"due":{"$type":"Date","value":"2026-01-01T00:00:00.000Z"},"n":{"$type":"bigint","value":"12"}}]"#
//! );
//! let body = reply::to_body(&v).unwrap();
//! assert_eq!(body.as_text(), Some(r#"["user-1",{"due":"$D2026-01-01T00:00:00.000Z","n":"$n12"}]"#));
//! ```

mod action;
pub(crate) mod decode;
mod encode;
pub(crate) mod tag;

pub use action::{Action, FormState};
pub(crate) use decode::is_multipart;
pub use decode::Decoder;
pub use encode::Encoder;

use bytes::Bytes;

use crate::error::Result;
use crate::multipart::{self, Field};
use crate::value::Value;

/// An encoded reply: one text body, or form fields sent as multipart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// The JSON text of the root; sent as `text/plain;charset=UTF-8`.
    Text(String),
    /// Form fields in order; sent as `multipart/form-data`.
    Form(Vec<Field>),
}

impl Body {
    /// The text, when this is a text body.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Body::Text(t) => Some(t),
            Body::Form(_) => None,
        }
    }
    /// The fields, when this is a form body.
    pub fn fields(&self) -> Option<&[Field]> {
        match self {
            Body::Text(_) => None,
            Body::Form(f) => Some(f),
        }
    }
    /// The Content-Type to send this body with, given the multipart boundary.
    ///
    /// ```
    /// use rsc_flight::reply::Body;
    /// assert_eq!(Body::Text("1".into()).content_type("x"), "text/plain;charset=UTF-8");
    /// ```
    pub fn content_type(&self, boundary: &str) -> String {
        match self {
            Body::Text(_) => "text/plain;charset=UTF-8".to_owned(),
            Body::Form(_) => format!("multipart/form-data; boundary={boundary}"),
        }
    }
    /// A boundary that does not occur in the body (undici's style).
    pub fn choose_boundary(&self) -> String {
        match self {
            Body::Text(_) => String::new(),
            Body::Form(f) => multipart::choose_boundary(f),
        }
    }
    /// The bytes to send: the text, or the multipart body with `boundary`
    /// written as Node's `fetch` writes a `FormData`.
    pub fn to_bytes(&self, boundary: &str) -> Vec<u8> {
        match self {
            Body::Text(t) => t.as_bytes().to_vec(),
            Body::Form(f) => multipart::write(f, boundary),
        }
    }
}

/// Decode a reply body as an HTTP request carries it, text or multipart
/// as its `Content-Type` says, with the default options.
///
/// ```
/// let v = rsc_flight::reply::from_body("text/plain;charset=UTF-8", &b"[\"$n12\"]"[..])?;
/// assert_eq!(rsc_flight::tagged::to_string(&v)?, r#"[{"$type":"bigint","value":"12"}]"#);
/// # Ok::<(), rsc_flight::Error>(())
/// ```
///
/// # Errors
/// See [`Decoder::decode`].
pub fn from_body(content_type: &str, body: impl Into<Bytes>) -> Result<Value> {
    Decoder::new().decode(content_type, body)
}

/// Decode a text reply body with the default options.
///
/// # Errors
/// See [`Decoder`].
pub fn from_str(text: &str) -> Result<Value> {
    Decoder::new().decode_str(text)
}

/// Decode a `multipart/form-data` reply body with the default options.
///
/// # Errors
/// See [`Decoder`].
pub fn from_multipart(content_type: &str, body: impl Into<Bytes>) -> Result<Value> {
    Decoder::new().decode_multipart(content_type, body)
}

/// Decode already-parsed form fields with the default options.
///
/// # Errors
/// See [`Decoder`].
pub fn from_fields(fields: &[Field]) -> Result<Value> {
    Decoder::new().decode_fields(fields)
}

/// Encode a value as React's `encodeReply` would, with the default options.
///
/// # Errors
/// See [`Encoder`].
pub fn to_body(value: &Value) -> Result<Body> {
    Encoder::new().encode(value)
}
