//! Row framing: bytes in chunks of any size in, rows out.
//!
//! A row is `<hex id>:<tag?><payload>\n`, or, for the binary tags
//! (`T A O o U S s L l G g M m V b`), `<hex id>:<tag><hex length>,<bytes>`
//! with no terminator. The [`Framer`] is a state machine: feeding a body
//! whole, a byte at a time or split anywhere gives the same rows.

use bytes::{Bytes, BytesMut};

use crate::error::{Error, Result};

/// One row of a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The row id (`0` for rows written without one, such as hints).
    pub id: u32,
    /// The tag byte, or `None` for a model row.
    pub tag: Option<u8>,
    /// The payload: UTF-8 text for text rows, raw bytes for binary rows.
    pub payload: Bytes,
    /// The byte offset of the row's first byte in the body.
    pub offset: usize,
    /// The byte offset of the payload's first byte in the body.
    pub payload_offset: usize,
}

/// Whether `tag` introduces a length-prefixed binary row.
pub fn is_binary_tag(tag: u8) -> bool {
    super::tag::is_binary_row(tag)
}

#[derive(Debug, Clone, Copy)]
enum State {
    Id,
    Tag,
    Length,
    Binary(usize),
    Text,
}

/// The framing state machine. Feed it with [`Framer::push`], then call
/// [`Framer::finish`] at the end of the body.
#[derive(Debug)]
pub struct Framer {
    state: State,
    id: u32,
    id_digits: u32,
    tag: Option<u8>,
    len: usize,
    len_digits: u32,
    buf: BytesMut,
    /// The payload so far as slices of chunks pushed as [`Bytes`] (nothing
    /// copied yet); `buf` holds it instead once any of it was copied.
    pieces: Vec<Bytes>,
    pieces_len: usize,
    /// Offset of the next byte to be pushed.
    offset: usize,
    row_start: usize,
    payload_start: usize,
    max_row_bytes: usize,
}

impl Framer {
    /// A framer that refuses rows (text or binary) longer than
    /// `max_row_bytes`.
    pub fn new(max_row_bytes: usize) -> Self {
        Framer {
            state: State::Id,
            id: 0,
            id_digits: 0,
            tag: None,
            len: 0,
            len_digits: 0,
            buf: BytesMut::new(),
            pieces: Vec::new(),
            pieces_len: 0,
            offset: 0,
            row_start: 0,
            payload_start: 0,
            max_row_bytes,
        }
    }

    /// Whether the framer is between rows (a body may end here).
    pub fn at_row_start(&self) -> bool {
        matches!(self.state, State::Id) && self.id_digits == 0
    }

    /// Feed `chunk`, appending every row it completes to `out`.
    ///
    /// # Errors
    /// A row id or binary length that is not lowercase hex (or longer than 8
    /// digits), or a row longer than the limit, with its byte offset.
    pub fn push(&mut self, chunk: &[u8], out: &mut Vec<Row>) -> Result<()> {
        self.push_from(chunk, None, out)
    }

    /// [`Framer::push`] for a chunk the caller owns as [`Bytes`] (what an
    /// HTTP client hands out): payloads are slices of the chunks, not
    /// copies. A row that lies in one chunk costs no copy at all; one split
    /// across chunks is copied once, when its last byte arrives, into a
    /// buffer of its exact size.
    ///
    /// # Errors
    /// As [`Framer::push`].
    pub fn push_bytes(&mut self, chunk: &Bytes, out: &mut Vec<Row>) -> Result<()> {
        self.push_from(chunk, Some(chunk), out)
    }

    /// [`Framer::push`], or [`Framer::push_bytes`] when `owner` (the
    /// `Bytes` that `chunk` is) is given.
    pub(crate) fn push_from(&mut self, mut chunk: &[u8], owner: Option<&Bytes>, out: &mut Vec<Row>) -> Result<()> {
        while !chunk.is_empty() {
            match self.state {
                State::Id => {
                    let b = chunk[0];
                    chunk = &chunk[1..];
                    if self.id_digits == 0 {
                        self.row_start = self.offset;
                    }
                    if b == b':' {
                        self.state = State::Tag;
                    } else {
                        let v = hex_digit(b).ok_or_else(|| self.bad("row id", b))?;
                        self.id_digits += 1;
                        if self.id_digits > 8 {
                            return Err(Error::syntax("a row id longer than 8 hex digits").at_offset(self.offset));
                        }
                        self.id = (self.id << 4) | v;
                    }
                    self.offset += 1;
                }
                State::Tag => {
                    let b = chunk[0];
                    if is_binary_tag(b) {
                        self.tag = Some(b);
                        self.state = State::Length;
                        chunk = &chunk[1..];
                        self.offset += 1;
                    } else if b.is_ascii_uppercase() || b == b'#' || b == b'r' || b == b'x' {
                        self.tag = Some(b);
                        self.state = State::Text;
                        chunk = &chunk[1..];
                        self.offset += 1;
                        self.payload_start = self.offset;
                    } else {
                        // The byte belongs to the JSON payload.
                        self.tag = None;
                        self.state = State::Text;
                        self.payload_start = self.offset;
                    }
                }
                State::Length => {
                    let b = chunk[0];
                    chunk = &chunk[1..];
                    if b == b',' {
                        if self.len > self.max_row_bytes {
                            return Err(Error::limit(
                                "max_string_bytes",
                                format!("a binary row of {} bytes", self.len),
                            )
                            .at_offset(self.offset));
                        }
                        self.state = State::Binary(self.len);
                        self.payload_start = self.offset + 1;
                        if self.len == 0 {
                            self.emit(out);
                        }
                    } else {
                        let v = hex_digit(b).ok_or_else(|| self.bad("row length", b))?;
                        self.len_digits += 1;
                        if self.len_digits > 8 {
                            return Err(Error::syntax("a row length longer than 8 hex digits").at_offset(self.offset));
                        }
                        self.len = (self.len << 4) | v as usize;
                    }
                    self.offset += 1;
                }
                State::Binary(left) => {
                    // Only bytes that have arrived are stored: a declared
                    // length never decides an allocation on its own.
                    let n = left.min(chunk.len());
                    self.store(&chunk[..n], owner);
                    chunk = &chunk[n..];
                    self.offset += n;
                    if n == left {
                        self.emit(out);
                    } else {
                        self.state = State::Binary(left - n);
                    }
                }
                State::Text => match crate::wire::json::find_byte(chunk, b'\n') {
                    // A whole row in an owned chunk: its slice, nothing kept.
                    Some(i) if owner.is_some() && self.pieces.is_empty() && self.buf.is_empty() => {
                        self.text_fits(i)?;
                        let payload = owner.map(|b| b.slice_ref(&chunk[..i])).unwrap_or_default();
                        chunk = &chunk[i + 1..];
                        self.offset += i + 1;
                        self.emit_payload(payload, out);
                    }
                    Some(i) => {
                        self.take_text(&chunk[..i], owner)?;
                        chunk = &chunk[i + 1..];
                        self.offset += i + 1;
                        self.emit(out);
                    }
                    None => {
                        self.take_text(chunk, owner)?;
                        self.offset += chunk.len();
                        chunk = &[];
                    }
                },
            }
        }
        Ok(())
    }

    fn take_text(&mut self, bytes: &[u8], owner: Option<&Bytes>) -> Result<()> {
        self.text_fits(bytes.len())?;
        self.store(bytes, owner);
        Ok(())
    }

    /// Whether `more` bytes keep the text row so far within the limit.
    fn text_fits(&self, more: usize) -> Result<()> {
        if self.buf.len() + self.pieces_len + more > self.max_row_bytes {
            return Err(Error::limit("max_string_bytes", "a text row longer than the limit").at_offset(self.row_start));
        }
        Ok(())
    }

    /// Keep payload bytes: as a slice of their chunk while nothing of the
    /// payload has been copied, else (or for a borrowed chunk) by copying.
    fn store(&mut self, bytes: &[u8], owner: Option<&Bytes>) {
        if bytes.is_empty() {
            return;
        }
        match owner {
            Some(b) if self.buf.is_empty() => {
                self.pieces_len += bytes.len();
                self.pieces.push(b.slice_ref(bytes));
            }
            _ => {
                self.copy_pieces();
                self.buf.extend_from_slice(bytes);
            }
        }
    }

    fn copy_pieces(&mut self) {
        if !self.pieces.is_empty() {
            self.buf.reserve(self.pieces_len);
            for p in self.pieces.drain(..) {
                self.buf.extend_from_slice(&p);
            }
            self.pieces_len = 0;
        }
    }

    fn payload(&mut self) -> Bytes {
        if self.pieces.len() == 1 && self.buf.is_empty() {
            self.pieces_len = 0;
            return self.pieces.pop().unwrap_or_default();
        }
        self.copy_pieces();
        self.buf.split().freeze()
    }

    fn bad(&self, what: &str, b: u8) -> Error {
        Error::syntax(format!("{what}: {:?} is not a lowercase hex digit", b as char)).at_offset(self.offset)
    }

    fn emit(&mut self, out: &mut Vec<Row>) {
        let payload = self.payload();
        self.emit_payload(payload, out);
    }

    fn emit_payload(&mut self, payload: Bytes, out: &mut Vec<Row>) {
        out.push(Row {
            id: self.id,
            tag: self.tag,
            payload,
            offset: self.row_start,
            payload_offset: self.payload_start,
        });
        self.state = State::Id;
        self.id = 0;
        self.id_digits = 0;
        self.tag = None;
        self.len = 0;
        self.len_digits = 0;
    }

    /// The end of the body.
    ///
    /// # Errors
    /// React's `Connection closed.` when the body ends inside a row.
    pub fn finish(&self) -> Result<()> {
        if self.at_row_start() {
            Ok(())
        } else {
            Err(Error::eof("Connection closed.").at_offset(self.row_start))
        }
    }
}

fn hex_digit(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some((b - b'0') as u32),
        b'a'..=b'f' => Some((b - b'a' + 10) as u32),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Frame the chunks three ways: borrowed, as owned `Bytes`, and
    /// alternating; all three must give the same rows.
    fn frame(chunks: &[&[u8]]) -> Result<Vec<Row>> {
        let mut results = Vec::new();
        for mode in 0..3 {
            let mut f = Framer::new(1 << 20);
            let mut out = Vec::new();
            for (i, c) in chunks.iter().enumerate() {
                if mode == 1 || (mode == 2 && i % 2 == 0) {
                    f.push_bytes(&Bytes::copy_from_slice(c), &mut out)?;
                } else {
                    f.push(c, &mut out)?;
                }
            }
            f.finish()?;
            results.push(out);
        }
        assert!(results.windows(2).all(|w| w[0] == w[1]), "{results:?}");
        Ok(results.swap_remove(0))
    }

    #[test]
    fn the_same_rows_whatever_the_chunking() {
        let body: &[u8] = b"1:T3,two0:{\"a\":\"$1\"}\n2:o2,\xff\n:HL[\"/a\"]\na:C\n3:b0,";
        let whole = frame(&[body]).unwrap();
        let bytewise: Vec<&[u8]> = body.chunks(1).collect();
        assert_eq!(frame(&bytewise).unwrap(), whole);
        for cut in 0..body.len() {
            assert_eq!(frame(&[&body[..cut], &body[cut..]]).unwrap(), whole, "cut at {cut}");
        }
        let tags: Vec<_> = whole.iter().map(|r| (r.id, r.tag.map(|t| t as char))).collect();
        assert_eq!(tags, [(1, Some('T')), (0, None), (2, Some('o')), (0, Some('H')), (10, Some('C')), (3, Some('b'))]);
        assert_eq!(&whole[2].payload[..], b"\xff\n");
    }

    #[test]
    fn a_payload_in_one_owned_chunk_is_not_copied() {
        let body = Bytes::from_static(b"1:o3,abc0:\"x\"\n2:T2,");
        let mut f = Framer::new(100);
        let mut out = Vec::new();
        f.push_bytes(&body, &mut out).unwrap();
        f.push_bytes(&Bytes::from_static(b"hi"), &mut out).unwrap();
        assert_eq!(out[0].payload.as_ptr(), body[5..].as_ptr());
        assert_eq!(out[1].payload.as_ptr(), body[10..].as_ptr());
        assert_eq!(&out[2].payload[..], b"hi");
    }

    #[test]
    fn bad_input_says_where() {
        let e = frame(&[b"0:\"x\"\nZ:1\n"]).unwrap_err();
        assert_eq!(e.location().offset, Some(6), "{e}");
        let e = frame(&[b"0:o9,ab"]).unwrap_err();
        assert!(e.to_string().contains("Connection closed."), "{e}");
        assert!(frame(&[b"0:oG,"]).is_err());
        assert!(frame(&[b"123456789:1\n"]).is_err());
    }
}
