//! JavaScript's own semantics, the ground floor every other module stands
//! on: how a number is written, in what order an object's keys come out,
//! how long a string is and what `parseInt` and `BigInt` make of text.
//!
//! Nothing here knows a value, a reply or a response; the conversions that
//! need a `Value` (`String(x)`, `new Date(text)`,
//! `BigInt(text)` as a tag's payload) are in `value/convert.rs`.

mod keys;
mod number;
mod text;

pub(crate) use keys::{array_index, js_key_order};
pub(crate) use number::write_number;
pub(crate) use text::{parse_hex_id, string_to_bigint, utf16_len};
