//! The response format (server → client): rows of `<hex id>:<tag?><payload>`,
//! what `renderToReadableStream` writes and `createFromReadableStream` reads.
//!
//! - [`frame`]: the row framing state machine (bytes in chunks → rows);
//! - [`Decoder`] (client role): rows → the root value, with every reference,
//!   promise and stream resolved.

pub mod frame;

mod decode;

pub use decode::{from_slice, Decoder, Hint, Response, PRODUCTION_ERROR};
