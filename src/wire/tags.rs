//! The tags both directions spell alike, used by each direction's tag
//! module (`reply/tag.rs`, `response/tag.rs`) and by nothing else:
//!
//! - the typed-array letters: a reply writes a typed array as
//!   `"$<letter><part id>"`, a response as a binary row
//!   `<id>:<letter><hex length>,<bytes>` (React keeps one table for both);
//! - the scalars JSON lacks, as both of React's encoders write them:
//!   `"$undefined"`, `"$NaN"`, `"$Infinity"`, `"$-Infinity"`, `"$-0"`,
//!   `"$n<digits>"`, `"$D<iso>"`, and a string's leading `$` doubled.
//!
//! How each direction *reads* them differs in details (which spellings
//! its React accepts), so classification stays in the direction's module.

use crate::value::{Date, TypedArrayKind};
use crate::wire::json::write_str;

/// The letter of each kind (`o` Uint8Array, `g` Float64Array, `V`
/// DataView...).
#[inline]
pub(crate) fn typed_array_letter(kind: TypedArrayKind) -> u8 {
    match kind {
        TypedArrayKind::Int8 => b'O',
        TypedArrayKind::Uint8 => b'o',
        TypedArrayKind::Uint8Clamped => b'U',
        TypedArrayKind::Int16 => b'S',
        TypedArrayKind::Uint16 => b's',
        TypedArrayKind::Int32 => b'L',
        TypedArrayKind::Uint32 => b'l',
        TypedArrayKind::Float32 => b'G',
        TypedArrayKind::Float64 => b'g',
        TypedArrayKind::BigInt64 => b'M',
        TypedArrayKind::BigUint64 => b'm',
        TypedArrayKind::DataView => b'V',
    }
}

/// The kind a letter stands for.
#[inline]
pub(crate) fn typed_array_of(letter: u8) -> Option<TypedArrayKind> {
    TypedArrayKind::ALL.into_iter().find(|&k| typed_array_letter(k) == letter)
}

/// `A`: an `ArrayBuffer`, the letter beside the typed arrays' in both
/// directions.
pub(crate) const ARRAY_BUFFER: u8 = b'A';

/// `undefined`.
#[inline]
pub(crate) fn write_undefined(out: &mut String) {
    out.push_str("\"$undefined\"");
}

/// A number: finite ones as JSON, the others as `"$NaN"`, `"$Infinity"`,
/// `"$-Infinity"`, `"$-0"`.
#[inline]
pub(crate) fn write_number(out: &mut String, n: f64) {
    if n.is_nan() {
        out.push_str("\"$NaN\"");
    } else if n == f64::INFINITY {
        out.push_str("\"$Infinity\"");
    } else if n == f64::NEG_INFINITY {
        out.push_str("\"$-Infinity\"");
    } else if n == 0.0 && n.is_sign_negative() {
        out.push_str("\"$-0\"");
    } else {
        crate::js::write_number(out, n);
    }
}

/// A string, with a leading `$` doubled so that it is not read as a tag.
#[inline]
pub(crate) fn write_string(out: &mut String, s: &str) {
    if s.starts_with('$') {
        write_str(out, &format!("${s}"));
    } else {
        write_str(out, s);
    }
}

/// `"$n<digits>"`.
#[inline]
pub(crate) fn write_bigint(out: &mut String, digits: &str) {
    // Digits and `-` need no escaping.
    out.push_str("\"$n");
    out.push_str(digits);
    out.push('"');
}

/// `"$D<iso>"` for a valid Date; `false` (nothing written) for the
/// invalid one, which `JSON.stringify` writes as `null` before React sees
/// it.
#[inline]
pub(crate) fn write_date(out: &mut String, d: Date) -> bool {
    d.write_iso_between(out, b"\"$D", b"\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_are_one_to_one() {
        for k in TypedArrayKind::ALL {
            assert_eq!(typed_array_of(typed_array_letter(k)), Some(k));
            assert_ne!(typed_array_letter(k), ARRAY_BUFFER);
        }
        assert_eq!(typed_array_of(b'A'), None);
        assert_eq!(typed_array_of(b'b'), None);
    }
}
