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

pub use decode::{from_slice, Decoder, Hint, Response, PRODUCTION_ERROR};
pub use encode::{to_vec, Encoder, ErrorInfo, LiveValue, Rows};
pub use live::{Event, EventStream, Incremental};
