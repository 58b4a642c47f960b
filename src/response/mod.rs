//! The response format (server → client): rows of `<hex id>:<tag?><payload>`,
//! what `renderToReadableStream` writes and `createFromReadableStream` reads.
//!
//! - [`frame`]: the row framing state machine (bytes in chunks → rows);
//! - [`Decoder`] (client role): rows → the root value, with every reference,
//!   promise and stream resolved; [`Incremental`] and [`EventStream`] decode
//!   a body as it arrives (the root first, promises and streams as their
//!   rows follow);
//! - [`Encoder`] (server role): a value → the rows React's production
//!   `renderToReadableStream` writes, byte for byte.

pub mod frame;

mod decode;
mod encode;
mod live;
mod revive;
mod table;
pub(crate) mod tag;

pub use decode::{from_slice, Decoder};
pub use encode::{to_vec, Encoder, ErrorInfo, LiveValue, RowStream};
pub use live::{Event, EventStream, Incremental};
pub use revive::PRODUCTION_ERROR;
pub(crate) use table::hint_kind;
pub use table::{DebugRow, Hint};

use crate::value::Value;

/// A whole response whose root is an error with `digest`: what React's
/// server sends when rendering fails before anything else was written, and
/// what its client reads as a rejected root (the digest on the `Error`).
///
/// ```
/// assert_eq!(rsc_flight::response::error_to_vec("E42"), b"0:E{\"digest\":\"E42\"}\n");
/// ```
pub fn error_to_vec(digest: &str) -> Vec<u8> {
    let mut out = String::new();
    tag::write_error_row(&mut out, 0, digest);
    out.into_bytes()
}

/// A decoded response: row 0's value and the hints that came with it.
#[derive(Debug, Clone)]
pub struct Response {
    /// Row 0's value.
    pub value: Value,
    /// The `H` rows, in order.
    pub hints: Vec<Hint>,
    /// The rows only a development server writes, in order, set aside.
    pub debug: Vec<DebugRow>,
}
