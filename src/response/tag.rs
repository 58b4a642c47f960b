//! The response direction's tags, read and written here and nowhere else:
//! the `$` strings inside rows, and the row tags (`<hex id>:<tag>`).
//!
//! `$` strings are classified exactly as React's client
//! (`parseModelString` in `react-server-dom-webpack/client`) does: on the
//! **second character** alone, whatever follows it. So `"$Ifoo"` is
//! Infinity and `"$ufoo"` undefined, as React reads them; a letter that is
//! a hex digit and not a tag (`$a`…`$f`, `$A`, `$C`, `$E`, `$F`) starts a
//! row id. Both response decoders (whole body, and the incremental
//! decoder's readiness walk) read `$` strings through [`classify`] and
//! nothing else; the encoder writes them through [`Ref`] and the writers
//! below.
//!
//! | tag | meaning |
//! | --- | --- |
//! | `$` | the marker in an element's first slot |
//! | `$$…` | a string that starts with `$` |
//! | `$<id>[:path]`, `$L<id>`, `$@<id>` | row `id`'s value (or a path into it), a lazy wrapper, a promise |
//! | `$h<id>` (`$F<id>` before the December 2025 fixes) | a server reference |
//! | `$T<id>` | a temporary reference |
//! | `$Q $W $K $B $i` | a Map, Set, FormData, Blob, iterator from row `id` |
//! | `$Z` | an Error |
//! | `$S<name>` | `Symbol.for(name)` |
//! | `$undefined $NaN $Infinity $-Infinity $-0 $n<digits> $D<iso>` | the scalars (written by `wire/tags.rs`, shared with the reply) |
//! | rows `I H E T b R r X x C`, `N D J W` | see [`row`] |
//! | binary rows `A O o U S s L l G g M m V` | an ArrayBuffer, typed arrays (`wire/tags.rs`) |

use crate::error::{Error, Result};
use crate::js::parse_hex_id;
use crate::value::Node;
use crate::version::Dialect;
use crate::wire::json::write_str;
use crate::wire::tags::{typed_array_letter, typed_array_of, ARRAY_BUFFER};
use crate::wire::Hex;

/// React's message when a reference names a row that can never come (its
/// id does not parse): the chunk stays pending until the stream closes.
pub(super) const CONNECTION_CLOSED: &str = "Connection closed.";

/// What a `$` string means in a response.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Tag<'a> {
    /// `"$"`: the marker in the first slot of an element array.
    Element,
    /// `"$$…"`: a string that starts with `$` (the first one dropped).
    Escaped(&'a str),
    /// `$L<id>`: a lazy wrapper around row `id`.
    Lazy(u32),
    /// `$@<id>`: the promise of row `id`.
    Promise(u32),
    /// `$h<id>`: a server reference whose metadata is row `id`.
    ServerReference(u32),
    /// `$T<id>`: a temporary reference.
    Temporary(&'a str),
    /// `$Q $W $K $B $i`: a built-in made from row `id`'s array.
    Outlined(Builtin, u32),
    /// `$Z`: an `Error` (production: no message, no digest).
    Error,
    /// `$S<name>`: `Symbol.for(name)`.
    Symbol(&'a str),
    /// `$D<text>`: a Date.
    Date(&'a str),
    /// `$n<digits>`: a BigInt.
    BigInt(&'a str),
    /// `$u…` and `$w…`: undefined.
    Undefined,
    /// `$I…`, `$-…`, `$N…`: Infinity, -Infinity or -0, NaN.
    Number(f64),
    /// `$<hex id>` or `$<hex id>:<key>:<key>…`: row `id`'s value, or a path
    /// into it.
    Model(u32, Option<&'a str>),
}

/// The built-ins made from an outlined row's array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Builtin {
    /// `$Q`: a Map from `[key, value]` pairs.
    Map,
    /// `$W`: a Set.
    Set,
    /// `$K`: a FormData from `[name, value]` pairs.
    FormData,
    /// `$B`: a Blob from `[type, chunk…]`.
    Blob,
    /// `$i`: a sync iterator.
    Iterator,
}

impl Builtin {
    /// The JavaScript name, for messages.
    pub(super) fn name(self) -> &'static str {
        match self {
            Builtin::Map => "Map",
            Builtin::Set => "Set",
            Builtin::FormData => "FormData",
            Builtin::Blob => "Blob",
            Builtin::Iterator => "Iterator",
        }
    }
}

/// Classify `s`, a string that starts with `$`, in `dialect`: server
/// references are `$F<hex>` before React's December 2025 security releases
/// (`$h` is then a row id), `$h<hex>` after; `$w` is undefined from 19.3
/// (a row id before), `$H` in Next.js 16.5's build.
///
/// # Errors
/// A row id that does not parse is React's "Connection closed." (its chunk
/// never resolves).
#[inline]
pub(crate) fn classify(s: &str, dialect: Dialect) -> Result<Tag<'_>> {
    debug_assert!(s.starts_with('$'));
    let Some(&second) = s.as_bytes().get(1) else { return Ok(Tag::Element) };
    // The tail after the tag letter; `get` is `None` only when the second
    // character is not ASCII, which no tag letter is.
    let tail = s.get(2..).unwrap_or("");
    let id = || parse_hex_id(tail).ok_or_else(|| Error::reference(CONNECTION_CLOSED));
    Ok(match second {
        b'$' => Tag::Escaped(&s[1..]),
        b'L' => Tag::Lazy(id()?),
        b'@' => Tag::Promise(id()?),
        b'u' => Tag::Undefined,
        b'w' if dialect.w_undefined => Tag::Undefined,
        b'H' if dialect.h_upper_undefined => Tag::Undefined,
        b'S' => Tag::Symbol(tail),
        b'h' if !dialect.server_ref_f => Tag::ServerReference(id()?),
        b'F' if dialect.server_ref_f => Tag::ServerReference(id()?),
        b'T' => Tag::Temporary(tail),
        b'Q' => Tag::Outlined(Builtin::Map, id()?),
        b'W' => Tag::Outlined(Builtin::Set, id()?),
        b'B' => Tag::Outlined(Builtin::Blob, id()?),
        b'K' => Tag::Outlined(Builtin::FormData, id()?),
        b'Z' => Tag::Error,
        b'i' => Tag::Outlined(Builtin::Iterator, id()?),
        b'I' => Tag::Number(f64::INFINITY),
        b'-' => Tag::Number(if s == "$-0" { -0.0 } else { f64::NEG_INFINITY }),
        b'N' => Tag::Number(f64::NAN),
        b'D' => Tag::Date(tail),
        b'n' => Tag::BigInt(tail),
        _ => {
            let rest = &s[1..];
            let (head, path) = match rest.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (rest, None),
            };
            Tag::Model(parse_hex_id(head).ok_or_else(|| Error::reference(CONNECTION_CLOSED))?, path)
        }
    })
}

impl Tag<'_> {
    /// The row this tag refers to, if any.
    pub(crate) fn row(&self) -> Option<u32> {
        match *self {
            Tag::Lazy(id) | Tag::Outlined(_, id) | Tag::Model(id, _) | Tag::ServerReference(id) | Tag::Promise(id) => {
                Some(id)
            }
            _ => None,
        }
    }
}

/// The row tags: the letter after `<hex id>:` (none: a model row).
pub(crate) mod row {
    /// `I`: a client reference's metadata (an import).
    pub(crate) const IMPORT: u8 = b'I';
    /// `H`: a hint (`:H<code><json>`; its id means nothing).
    pub(crate) const HINT: u8 = b'H';
    /// `E`: an error (production: only a digest).
    pub(crate) const ERROR: u8 = b'E';
    /// `T`: a long string, `<hex length>,<bytes>`.
    pub(crate) const TEXT: u8 = b'T';
    /// `b`: a byte stream's chunk, `<hex length>,<bytes>` (19.3; 19.2
    /// writes a Uint8Array row, `o`).
    pub(crate) const BYTES: u8 = b'b';
    /// `R r X x`: a ReadableStream, a byte stream, an async iterable, an
    /// async iterator starts; its entries are later rows with its id.
    pub(crate) const READABLE: u8 = b'R';
    /// See [`READABLE`].
    pub(crate) const BYTE_STREAM: u8 = b'r';
    /// See [`READABLE`].
    pub(crate) const ASYNC_ITERABLE: u8 = b'X';
    /// See [`READABLE`].
    pub(crate) const ASYNC_ITERATOR: u8 = b'x';
    /// `C`: a stream ends (with the return value of an async iterable).
    pub(crate) const CLOSE: u8 = b'C';
    /// `N D J W`: a development server's time origin, debug information,
    /// I/O information and console calls, set aside.
    pub(crate) const DEV_ONLY: [u8; 4] = [b'N', b'D', b'J', b'W'];
}

/// Row tags whose payload is `<hex length>,<bytes>`: `T` long text, `b`
/// a byte stream's chunk (19.3), `A` an ArrayBuffer and the typed-array
/// letters (`wire/tags.rs`).
#[inline]
pub(crate) fn is_binary_row(tag: u8) -> bool {
    tag == row::TEXT || tag == row::BYTES || tag == ARRAY_BUFFER || typed_array_of(tag).is_some()
}

/// Whether a row tag is one of a stream's start.
pub(crate) fn is_stream_start(tag: u8) -> bool {
    matches!(tag, row::READABLE | row::BYTE_STREAM | row::ASYNC_ITERABLE | row::ASYNC_ITERATOR)
}

/// Whether a row tag is one only a development server writes.
pub(crate) fn is_dev_only(tag: u8) -> bool {
    row::DEV_ONLY.contains(&tag)
}

/// The tag of a byte stream chunk's row as 19.2 writes it: a Uint8Array.
pub(crate) fn uint8_row() -> u8 {
    typed_array_letter(crate::value::TypedArrayKind::Uint8)
}

/// The binary row tag and bytes of an ArrayBuffer or typed array node.
pub(super) fn binary_row_of(node: &Node) -> Option<(u8, &[u8])> {
    match node {
        Node::ArrayBuffer(b) => Some((ARRAY_BUFFER, b)),
        Node::TypedArray(k, b) => Some((typed_array_letter(*k), b)),
        _ => None,
    }
}

/// The node a binary row other than `T` becomes.
pub(super) fn binary_node(tag: u8, bytes: bytes::Bytes) -> Node {
    match typed_array_of(tag) {
        Some(kind) => Node::TypedArray(kind, bytes),
        None => Node::ArrayBuffer(bytes),
    }
}

/// The row that starts a stream: `R` a ReadableStream, `r` a byte
/// stream, `X` an async iterable, `x` an async iterator.
pub(super) fn stream_start_row(kind: crate::value::StreamKind, bytes: bool) -> u8 {
    use crate::value::StreamKind;
    match (kind, bytes) {
        (StreamKind::Readable, true) => row::BYTE_STREAM,
        (StreamKind::Readable, false) => row::READABLE,
        (StreamKind::AsyncIterable, _) => row::ASYNC_ITERABLE,
        (StreamKind::AsyncIterator, _) => row::ASYNC_ITERATOR,
    }
}

/// Whether a string is a tag at all (it starts with `$`).
#[inline]
pub(crate) fn is_tagged(s: &str) -> bool {
    s.starts_with('$')
}

/// Whether a string that reads as a row reference is spelled `$F<hex>`,
/// as releases before the December 2025 fixes wrote server references.
pub(super) fn looks_like_old_server_reference(s: &str) -> bool {
    s.starts_with("$F")
}

/// The references an encoder writes as `"<tag><hex id>"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ref {
    /// `$<id>`: row `id`'s value.
    Model,
    /// `$L<id>`: a lazy wrapper around row `id`.
    Lazy,
    /// `$@<id>`: the promise of row `id`.
    Promise,
    /// `$h<id>`: a server reference whose metadata is row `id`; `$F<id>`
    /// when `old` (releases before the December 2025 fixes).
    ServerReference {
        /// The dialect before the December 2025 fixes.
        old: bool,
    },
    /// `$Q $W $K $B $i`: a built-in from row `id`.
    Outlined(Builtin),
}

impl Ref {
    #[inline]
    fn prefix(self) -> &'static str {
        match self {
            Ref::Model => "$",
            Ref::Lazy => "$L",
            Ref::Promise => "$@",
            Ref::ServerReference { old: false } => "$h",
            Ref::ServerReference { old: true } => "$F",
            Ref::Outlined(Builtin::Map) => "$Q",
            Ref::Outlined(Builtin::Set) => "$W",
            Ref::Outlined(Builtin::FormData) => "$K",
            Ref::Outlined(Builtin::Blob) => "$B",
            Ref::Outlined(Builtin::Iterator) => "$i",
        }
    }

    /// The reference as text, `$L3` (what the encoder keys its
    /// written-objects map by).
    #[inline]
    pub(super) fn text(self, id: u32) -> String {
        let mut s = String::with_capacity(10);
        s.push_str(self.prefix());
        s.push_str(Hex::new(id).as_str());
        s
    }

    /// Whether `text` is this reference to row `id` (no allocation).
    #[inline]
    pub(super) fn is(self, text: &str, id: u32) -> bool {
        text.strip_prefix(self.prefix()) == Some(Hex::new(id).as_str())
    }

    /// The reference as a JSON string, `"$L3"`, appended to `out`.
    #[inline]
    pub(super) fn write(self, out: &mut String, id: u32) {
        crate::wire::json::write_ref(out, self.prefix(), id);
    }
}

/// `["$",`: the start of an element's array.
pub(super) const ELEMENT_START: &str = "[\"$\",";

/// `"$Z"`: an `Error` (production: no message, no digest).
pub(super) const ERROR: &str = "\"$Z\"";

/// `"$Dnull"`: the invalid Date as the root of a row (React writes
/// `toJSON()`'s `null` after `$D` there; elsewhere it is plain `null`).
pub(super) const INVALID_DATE_ROOT: &str = "\"$Dnull\"";

/// `"$T<id>"`: a temporary reference, as the server got it.
pub(super) fn write_temporary(out: &mut String, id: &str) {
    write_str(out, &format!("$T{id}"));
}

/// `"$S<key>"`: `Symbol.for(key)`, as the JSON string of its row.
pub(super) fn write_symbol(out: &mut String, key: &str) {
    write_str(out, &format!("$S{key}"));
}

/// A string with a leading `$` doubled, unquoted (for strings written
/// inside other text, such as a client reference's metadata).
pub(super) fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with('$') {
        format!("${s}").into()
    } else {
        s.into()
    }
}

// The scalars are written alike in both directions.
pub(super) use crate::wire::tags::{write_bigint, write_date, write_number, write_string, write_undefined};

/// A hint row, `:H<code><json>` (React writes no id: a hint's id means
/// nothing to the client).
pub(super) fn push_hint_row(out: &mut Vec<u8>, code: char, json: &str) {
    out.push(b':');
    out.push(row::HINT);
    let mut c = [0u8; 4];
    out.extend_from_slice(code.encode_utf8(&mut c).as_bytes());
    out.extend_from_slice(json.as_bytes());
    out.push(b'\n');
}

/// An import row, `<id>:I<metadata json>`.
pub(super) fn push_import_row(out: &mut Vec<u8>, id: u32, meta: &str) {
    out.extend_from_slice(Hex::new(id).as_str().as_bytes());
    out.push(b':');
    out.push(row::IMPORT);
    out.extend_from_slice(meta.as_bytes());
    out.push(b'\n');
}

/// Write row `id` as an error row with only a digest, as React's
/// production server writes every error (`<id>:E{"digest":…}`).
pub(crate) fn write_error_row(out: &mut String, id: u32, digest: &str) {
    out.push_str(Hex::new(id).as_str());
    out.push(':');
    out.push(char::from(row::ERROR));
    out.push_str("{\"digest\":");
    write_str(out, digest);
    out.push_str("}\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each spelling as React 19.3.1's client reads it (`parseModelString`):
    /// the second character decides, the rest is ignored or read by the
    /// tag.
    #[test]
    fn classification_follows_reacts_client() {
        let cases: &[(&str, Tag<'_>)] = &[
            ("$", Tag::Element),
            ("$$", Tag::Escaped("$")),
            ("$$x", Tag::Escaped("$x")),
            ("$L1f", Tag::Lazy(0x1f)),
            ("$@0", Tag::Promise(0)),
            ("$h2", Tag::ServerReference(2)),
            ("$T0:fn", Tag::Temporary("0:fn")),
            ("$Q3", Tag::Outlined(Builtin::Map, 3)),
            ("$W3", Tag::Outlined(Builtin::Set, 3)),
            ("$K3", Tag::Outlined(Builtin::FormData, 3)),
            ("$B3", Tag::Outlined(Builtin::Blob, 3)),
            ("$i3", Tag::Outlined(Builtin::Iterator, 3)),
            ("$Z", Tag::Error),
            ("$Sreact.suspense", Tag::Symbol("react.suspense")),
            ("$D2000-01-01T00:00:00.000Z", Tag::Date("2000-01-01T00:00:00.000Z")),
            ("$n-12", Tag::BigInt("-12")),
            ("$undefined", Tag::Undefined),
            ("$Infinity", Tag::Number(f64::INFINITY)),
            ("$-Infinity", Tag::Number(f64::NEG_INFINITY)),
            ("$-0", Tag::Number(-0.0)),
            // The drift cases: React decides on the second character.
            ("$Ifoo", Tag::Number(f64::INFINITY)),
            ("$-foo", Tag::Number(f64::NEG_INFINITY)),
            ("$ufoo", Tag::Undefined),
            ("$w", Tag::Undefined),
            ("$wanything", Tag::Undefined),
            // Hex letters that are not tags start a row id.
            ("$a", Tag::Model(0xa, None)),
            ("$F1", Tag::Model(0xf1, None)),
            ("$E2:x", Tag::Model(0xe2, Some("x"))),
            ("$1:a:0", Tag::Model(1, Some("a:0"))),
            ("$0:", Tag::Model(0, Some(""))),
        ];
        for (text, want) in cases {
            let got = classify(text, Dialect::LATEST).unwrap_or_else(|e| panic!("{text}: {e}"));
            match (got, want) {
                (Tag::Number(a), Tag::Number(b)) => {
                    assert_eq!(a.to_bits(), b.to_bits(), "{text}");
                }
                _ => assert_eq!(&got, want, "{text}"),
            }
        }
        assert!(matches!(classify("$Nfoo", Dialect::LATEST), Ok(Tag::Number(n)) if n.is_nan()));
        assert!(matches!(classify("$NaN", Dialect::LATEST), Ok(Tag::Number(n)) if n.is_nan()));
        // Before React's December 2025 security releases, `$F` was a server
        // reference.
        let old = dialect("19.1.2");
        assert_eq!(classify("$F1", old).unwrap(), Tag::ServerReference(1));
        assert_eq!(classify("$E1", old).unwrap(), Tag::Model(0xe1, None));
        // ... and `$h` was no tag: a row id that does not parse.
        assert_eq!(classify("$h1", old).unwrap_err().message(), CONNECTION_CLOSED);
    }

    fn dialect(v: &str) -> Dialect {
        v.parse::<crate::React>().unwrap().dialect()
    }

    /// The letters whose meaning changed between releases, each as that
    /// release's client reads it (the `case` labels of its
    /// `parseModelString`, listed for every release).
    #[test]
    fn classification_follows_each_releases_client() {
        // (version, `$w`, `$H`): undefined, or a row id that never comes.
        let table = [
            ("19.0.9", false, false),
            ("19.1.10", false, false),
            ("19.2.9", false, false),
            ("19.3.0", true, false),
            ("19.3.1", true, false),
            ("next@15.5.29", false, false),
            ("next@16.5.0", true, true),
        ];
        for (v, w, h) in table {
            let d = dialect(v);
            for (text, undefined) in [("$w", w), ("$wx", w), ("$H1", h)] {
                match classify(text, d) {
                    Ok(Tag::Undefined) => assert!(undefined, "{v}: {text} read as undefined"),
                    Err(e) => assert!(!undefined && e.message() == CONNECTION_CLOSED, "{v}: {text}: {e}"),
                    Ok(other) => panic!("{v}: {text}: {other:?}"),
                }
            }
        }
    }

    #[test]
    fn an_id_that_does_not_parse_is_connection_closed() {
        for text in ["$Lz", "$@", "$Q", "$hx", "$g", "$:1", "$é"] {
            let e = classify(text, Dialect::LATEST).expect_err(text);
            assert_eq!(e.message(), CONNECTION_CLOSED, "{text}");
        }
    }
}
