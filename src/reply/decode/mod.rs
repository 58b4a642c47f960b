//! The reply decoder (server role): React's `decodeReply` for 19.3.1.
//!
//! Parts are parsed lazily, when first referenced, into one arena; a
//! reference to a part being parsed resolves to the same node (a cycle), so
//! nothing is ever copied. Every `$` string is classified by `reply/tag.rs`.
//! The parts store is `store.rs`; one decode's state and work is `run/`.
//! Where React's decoder loses data (keys whose
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

mod run;
mod store;

pub(crate) use run::file_node;
use run::{Run, Use};
use store::{decimal_id, form_entry, Store};

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

    /// The wire dialect of the decoder's React.
    pub(crate) fn dialect(&self) -> crate::version::Dialect {
        self.react.dialect()
    }
    crate::limits::limits_methods!("Use these limits.");
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
        // Most text bodies are read in one pass, with no parsed document
        // (`straight/`); the others, and every error (an oversized body
        // included), take the way below.
        if let Some(v) = crate::straight::value::reply(text, &self.limits, self.dialect()) {
            return Ok(v);
        }
        self.decode_str_through_document(text)
    }

    /// [`Decoder::decode_str`] by its general way: the text parsed into a
    /// document, then revived.
    pub(crate) fn decode_str_through_document(&self, text: &str) -> Result<Value> {
        if text.len() > self.limits.max_body_bytes {
            return Err(body_too_large(&self.limits));
        }
        // Part 0 borrowed as it is: no copy of the body into a field. The
        // one-pass read was the caller's to try.
        let mut d = Run::new(self, Store::text(text));
        d.one_pass = false;
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
        self.decode_str(&self.read_text(body).await?)
    }

    /// A text body read as it arrives, under `max_body_bytes`, as UTF-8.
    pub(crate) async fn read_text<S, O, E>(&self, body: S) -> Result<String>
    where
        S: futures_util::Stream<Item = std::result::Result<O, E>> + Send,
        O: Into<Bytes> + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        let mut body = std::pin::pin!(body);
        let mut text = Vec::new();
        while let Some(chunk) = futures_util::StreamExt::next(&mut body).await {
            let chunk: Bytes = chunk.map_err(|e| Error::io(format!("reading the body failed: {}", e.into())))?.into();
            if text.len() + chunk.len() > self.limits.max_body_bytes {
                return Err(body_too_large(&self.limits));
            }
            text.extend_from_slice(&chunk);
        }
        String::from_utf8(text)
            .map_err(|e| Error::syntax("the body is not valid UTF-8").at_offset(e.utf8_error().valid_up_to()))
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
        self.decode_fields_with(fields, true)
    }

    /// [`Decoder::decode_fields`] with every JSON part parsed into a
    /// document first: what the one-pass reads are tested against.
    #[cfg(any(test, feature = "fuzzing"))]
    pub(crate) fn decode_fields_through_documents(&self, fields: &[Field]) -> Result<Value> {
        self.decode_fields_with(fields, false)
    }

    /// [`Decoder::decode_fields`], JSON parts in one pass where they can be
    /// if `one_pass`.
    fn decode_fields_with(&self, fields: &[Field], one_pass: bool) -> Result<Value> {
        if fields.len() > self.limits.max_parts {
            return Err(Error::limit("max_parts", format!("more than {} form fields", self.limits.max_parts)));
        }
        let total: usize = fields.iter().map(|f| f.name.len() + field_len(&f.value)).sum();
        if total > self.limits.max_body_bytes {
            return Err(body_too_large(&self.limits));
        }
        let mut d = Run::new(self, Store::new(fields, &self.prefix, self.react.dialect()));
        d.one_pass = one_pass;
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
