//! React Flight, the wire formats of React Server Components and Server
//! Functions, byte for byte with React 19.3.1.
//!
//! - [`reply`]: what the browser sends to a Server Function
//!   (`encodeReply` / `decodeReply`), both roles.
//! - [`value`]: the dynamic [`Value`], an arena document that keeps
//!   JavaScript identity (shared references and cycles).
//! - [`server`]: a framework-neutral Server Function registry.
//! - `axum` (the `axum` feature): that registry hosted by axum: an
//!   extractor, a streamed response and a router.
//! - [`typed`]: serde straight between Rust types and both formats.
//! - [`tagged`]: the tagged-JSON notation used by the CLI and the test
//!   vectors (`spec/notation.md`).
//! - [`React`]: which React the other side runs, for its wire dialect.
//! - [`multipart`]: the form fields of a multipart reply body, parsed and
//!   written as browsers and Node's `fetch` write them.
//! - [`inspect`]: what a payload holds, row by row (`rsc-flight inspect`),
//!   including the Flight data inside a Next.js page.
//!
//! # Names
//!
//! Every module follows one scheme, serde_json's:
//!
//! | job | default options | configured |
//! | --- | --- | --- |
//! | read | `from_<input>`: [`reply::from_body`], [`reply::from_str`], [`reply::from_multipart`], [`reply::from_fields`], [`response::from_slice`] | `Decoder::decode` and `Decoder::decode_<input>` with the same inputs: [`reply::Decoder`], [`response::Decoder`] |
//! | write | `to_<output>`: [`reply::to_body`], [`response::to_vec`] | `Encoder::encode`: [`reply::Encoder`], [`response::Encoder`] |
//! | read into `T` | [`typed::from_reply`], [`typed::from_reply_str`], [`typed::from_reply_multipart`], [`typed::from_reply_fields`], [`typed::from_response_slice`], [`typed::from_value`] | [`typed::decode_reply`], [`typed::decode_reply_str`], [`typed::decode_reply_fields`], [`typed::decode_response`] (taking a `Decoder`) |
//! | write from `T` | [`typed::to_reply`], [`typed::to_response`], [`typed::to_value`] | [`typed::encode_reply`], [`typed::encode_response`] (taking an `Encoder`) |
//!
//! - `Decoder::decode` takes a body as HTTP delivers it: a reply's
//!   `Content-Type` and bytes, a response's bytes.
//! - A `Decoder` or `Encoder` is a builder: [`Limits`] with `.limits(..)`
//!   (read back with `.get_limits()`), the React version with `.react(..)`,
//!   then the direction's own options. The defaults are what the free
//!   functions use: every limit on, React 19.3.1.
//! - Results are [`Result`] with the crate's one [`Error`].
//! - A decoded [`Value`] is read with [`Value::get`], [`Value::pointer`]
//!   and the `as_*` accessors of [`value::Ref`] and [`value::Item`].
//!
//! # Quick start
//!
//! A server decodes the arguments of a Server Function call:
//!
//! ```
//! use rsc_flight::{reply, value::{Item, Node}};
//! let args = reply::from_str(r#"["user-123",{"done":false,"due":"$D2026-01-01T00:00:00.000Z"}]"#)?;
//! let Some(Node::Array(list)) = args.resolve(args.root()) else { panic!() };
//! assert_eq!(list[0], Item::from("user-123"));
//! # Ok::<(), rsc_flight::Error>(())
//! ```
//!
//! # Hosting a Server Function
//!
//! A web framework hands the handler the request's `Content-Type` and body;
//! the arguments come out as Rust types and the result goes back as the
//! response body React's client reads (`Content-Type: text/x-component`):
//!
//! ```
//! use rsc_flight::typed;
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Deserialize)]
//! struct NewTodo {
//!     title: String,
//!     #[serde(with = "typed::date")]
//!     due: chrono::DateTime<chrono::Utc>,
//! }
//!
//! #[derive(Serialize)]
//! struct Created {
//!     id: u32,
//!     title: String,
//!     #[serde(with = "typed::date")]
//!     due: chrono::DateTime<chrono::Utc>,
//! }
//!
//! /// `addTodo(userId, todo)`, called by React's `encodeReply` + `fetch`.
//! fn add_todo(content_type: &str, body: bytes::Bytes) -> rsc_flight::Result<Vec<u8>> {
//!     // Text or multipart, as the Content-Type says (React sends a text
//!     // body unless an argument needs parts: files, Blobs, streams...).
//!     let (user, todo): (String, NewTodo) = typed::from_reply(content_type, body)?;
//!     assert_eq!(user, "user-123");
//!     typed::to_response(&Created { id: 1, title: todo.title, due: todo.due })
//! }
//!
//! let body = bytes::Bytes::from_static(br#"["user-123",{"title":"Ship it","due":"$D2026-05-01T09:00:00.000Z"}]"#);
//! let out = add_todo("text/plain;charset=UTF-8", body)?;
//! assert_eq!(out, br#"0:{"id":1,"title":"Ship it","due":"$D2026-05-01T09:00:00.000Z"}
//! "#);
//! # Ok::<(), rsc_flight::Error>(())
//! ```
//!
//! Results that settle later (a promise, a stream of values) are encoded
//! with [`response::Encoder::encode_live`] as a stream of chunks; a client
//! reads a response as it arrives with [`response::Decoder::stream`].
//!
//! # React versions
//!
//! Releases of React 19 differ on the wire. Every decoder and encoder takes
//! the version the other side runs ([`React`], default 19.3.1): replies are
//! read and written in each release's dialect, responses too (the builds
//! Next.js vendors are read), development builds' rows set aside
//! (`spec/versions.md` lists every difference, with its bytes). Read in the wrong dialect, a reply is an error that names
//! the right one, never a value with data missing.
//!
//! ```
//! use rsc_flight::{reply::Decoder, multipart::Field};
//! // React 19.1.0 names a FormData argument's entries `1_<name>`.
//! let fields = [Field::text("1_name", "bob"), Field::text("0", r#"["$K1"]"#)];
//! assert!(Decoder::new().decode_fields(&fields).is_err());
//! let v = Decoder::new().react("19.1.0".parse()?).decode_fields(&fields)?;
//! assert_eq!(rsc_flight::tagged::to_string(&v)?, r#"[{"$type":"FormData","entries":[["name","bob"]]}]"#);
//! # Ok::<(), rsc_flight::Error>(())
//! ```
//!
//! # Design decisions
//!
//! - **An arena, not a tree.** Flight transmits identity; a tree of owned
//!   values would copy shared objects (exponentially, for a doubling chain)
//!   and could not hold a cycle. Nodes live in one `Vec` and refer to each
//!   other by index, so a decode never copies and a drop never recurses.
//! - **Decoded data is inert.** Nothing from the wire is looked up, called or
//!   turned into decoder state: a server reference is an id and its bound
//!   arguments, a path reference walks only own keys of plain objects and
//!   arrays, and Map/Set/stream initializers are single-use, as in React.
//! - **Limits on by default** ([`Limits`]): React's own (BigInt length, bound
//!   arguments, its array-nesting budget, counted exactly as React counts)
//!   and the ones React leaves to the framework (body size, parts, string
//!   length, depth, total work).
//! - **Strict where React is lenient.** Where React's decoder silently drops
//!   data, hangs, or accepts text whose meaning depends on the machine (a
//!   `$D` date in local time), this crate returns an error instead of a
//!   guess; `spec/reply.md` lists every such difference.

#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;
mod error;
pub mod inspect;
mod js;
mod limits;
pub mod reply;
pub mod response;
pub mod server;
mod stack;
mod straight;

/// The decoders' general ways, which the fuzz targets compare the one-pass
/// ways (`straight/`) with (the internal `fuzzing` feature).
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing {
    /// A text reply parsed into a document, then revived.
    pub fn reply_through_document(text: &str) -> crate::Result<crate::Value> {
        crate::reply::Decoder::new().decode_str_through_document(text)
    }

    /// A reply from its fields, every JSON part parsed into a document,
    /// then revived.
    pub fn reply_fields_through_documents(
        decoder: &crate::reply::Decoder,
        fields: &[crate::multipart::Field],
    ) -> crate::Result<crate::Value> {
        decoder.decode_fields_through_documents(fields)
    }

    /// A response framed into rows, each parsed into a document, then
    /// revived.
    pub fn response_through_rows(body: &[u8]) -> crate::Result<crate::Value> {
        crate::response::Decoder::new().decode_through_documents(body.to_vec()).map(|r| r.value)
    }

    /// [`response_through_rows`] with a configured decoder.
    pub fn decode_through_documents(
        decoder: &crate::response::Decoder,
        body: &[u8],
    ) -> crate::Result<crate::response::Response> {
        decoder.decode_through_documents(body.to_vec())
    }

    /// An incremental decoder that parses every model row into a document.
    pub fn incremental_through_documents(decoder: &crate::response::Decoder) -> crate::response::Incremental {
        decoder.incremental().through_documents()
    }
}
pub mod tagged;
pub mod typed;
pub mod value;
mod version;
mod wire;

pub use wire::multipart;

pub use error::{Category, Error, Location, Result};
pub use limits::Limits;
pub use value::Value;
pub use version::React;
