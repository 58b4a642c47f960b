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
mod tag;

pub use decode::{from_slice, Decoder};
pub use encode::{to_vec, Encoder, ErrorInfo, LiveValue, Rows};
pub use live::{Event, EventStream, Incremental};
pub use revive::PRODUCTION_ERROR;
pub use table::{DebugRow, Hint};

use crate::value::Value;

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
