//! The serde-free wire layer shared by both formats: JSON text as
//! JavaScript reads and writes it, part and row ids, reference bookkeeping,
//! multipart bodies, and the few tags both directions spell alike
//! (`tags.rs`).
//!
//! Nothing here knows what a reply or a response is. The `$` language of
//! each direction is read and written by that direction's tag module,
//! `reply/tag.rs` and `response/tag.rs`, and nowhere else. JavaScript's own
//! rules (numbers, key order, `BigInt(text)`) are in `js/`, below this.

pub(crate) mod ids;
pub(crate) mod json;
pub mod multipart;
pub(crate) mod refs;
pub(crate) mod tags;

/// A part or row id as both formats write it: lowercase hex.
pub(crate) fn hex_id(n: u32) -> String {
    Hex::new(n).as_str().to_owned()
}

/// `n` in lowercase hex, formatted on the stack: the encoders write an id
/// per reference and per row, and `format!` would allocate each time.
pub(crate) struct Hex {
    buf: [u8; 8],
    start: usize,
}

impl Hex {
    pub(crate) fn new(mut n: u32) -> Self {
        let mut buf = [b'0'; 8];
        let mut start = 8;
        loop {
            start -= 1;
            buf[start] = b"0123456789abcdef"[(n & 15) as usize];
            n >>= 4;
            if n == 0 {
                return Hex { buf, start };
            }
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        // Hex digits are ASCII: this never fails.
        std::str::from_utf8(&self.buf[self.start..]).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn hex_is_formats_lowercase_hex() {
        for n in [0, 1, 9, 10, 15, 16, 255, 256, 0xabcdef, 0x1000_0000, u32::MAX - 1, u32::MAX] {
            assert_eq!(Hex::new(n).as_str(), format!("{n:x}"));
        }
        let mut out = String::new();
        json::write_ref(&mut out, "$Q", 0x2f);
        assert_eq!(out, r#""$Q2f""#);
    }
}
