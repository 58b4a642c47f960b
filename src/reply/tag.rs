//! The `$` strings of the reply direction, read and written here and
//! nowhere else.
//!
//! Reading follows React's server (`parseModelString` in
//! `react-server-dom-webpack/server`): the **second character** alone
//! decides, whatever follows it, so `"$Ifoo"` is Infinity and `"$ufoo"`
//! undefined; a letter that is no tag starts a part id (`$1`, `$a:b`).
//! Writing follows React's client (`encodeReply`).
//!
//! | tag | meaning | payload |
//! | --- | --- | --- |
//! | `$$…` | a string that starts with `$` | the string, first `$` dropped |
//! | `$<id>[:path]` | part `id`'s value, or a path into it | hex id, `:`-separated keys |
//! | `$@<id>` | a promise of part `id` | hex id |
//! | `$h<id>` (`$F<id>` before the December 2025 fixes) | a server reference, `{id, bound}` in part `id` | hex id |
//! | `$T` | a temporary reference | none: its position is its id |
//! | `$Q $W $i $K` | a Map, Set, iterator, FormData made from part `id` | hex id |
//! | `$B` | a Blob: file part `id` | hex id |
//! | `$A`, `$O $o $U $S $s $L $l $G $g $M $m $V` | ArrayBuffer, typed arrays: file part `id` | hex id (`wire/tags.rs`) |
//! | `$R $r $X $x` | a stream, byte stream, async iterable, async iterator: chunks under part `id` | hex id |
//! | `$undefined $NaN $Infinity $-Infinity $-0` | the scalars JSON lacks | none |
//! | `$n<digits>` | a BigInt | decimal digits |
//! | `$D<iso>` | a Date | ISO text |

use crate::value::{StreamKind, TypedArrayKind};
use crate::version::Dialect;
use crate::wire::tags::{typed_array_letter, typed_array_of, ARRAY_BUFFER};
use crate::wire::Hex;

/// What a `$` string means in a reply. Ids and paths stay text: each has
/// its own error when it does not parse, which the decoder gives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Tag<'a> {
    /// `$$…`: the string without its first `$`.
    Escaped(&'a str),
    /// `$<id>` or `$<id>:<path>` (the text after `$`).
    Model(&'a str),
    /// `$@<id>`.
    Promise(&'a str),
    /// `$h<id>`, or `$F<id>` in the old dialect.
    ServerReference(&'a str),
    /// `$T`.
    Temporary,
    /// `$Q $W $i`: a Map, Set or iterator from part `id`'s array.
    Collection(Collection, &'a str),
    /// `$K<id>`: a FormData from the entries under prefix `id`.
    FormData(&'a str),
    /// `$B<id>`.
    Blob(&'a str),
    /// `$A<id>` (`None`) and the typed-array letters.
    Binary(Option<TypedArrayKind>, &'a str),
    /// `$R $r $X $x`: the kind, whether a byte stream, and the id.
    Stream(StreamKind, bool, &'a str),
    /// `$undefined` (any `$u…`).
    Undefined,
    /// `$NaN $Infinity $-Infinity $-0` (any `$N… $I… $-…`).
    Number(f64),
    /// `$D<text>`.
    Date(&'a str),
    /// `$n<digits>`.
    BigInt(&'a str),
}

/// The built-ins whose initializer is an outlined part's array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Collection {
    /// `$Q`.
    Map,
    /// `$W`.
    Set,
    /// `$i`.
    Iterator,
}

/// Classify `s`, a string that starts with `$`, in `dialect`: before
/// React's December 2025 security releases `$F<id>` is a server reference
/// and `$h` a part id; after, the other way round. Next.js 16.5's build
/// reads `$H` as undefined.
#[inline]
pub(crate) fn classify(s: &str, dialect: Dialect) -> Tag<'_> {
    debug_assert!(s.starts_with('$'));
    // `get`: the byte after `$` may start a multi-byte character, which is
    // no tag letter.
    let rest = s.get(2..).unwrap_or("");
    let Some(&second) = s.as_bytes().get(1) else { return Tag::Model("") };
    match second {
        b'$' => Tag::Escaped(&s[1..]),
        b'@' => Tag::Promise(rest),
        b'h' if !dialect.server_ref_f => Tag::ServerReference(rest),
        b'F' if dialect.server_ref_f => Tag::ServerReference(rest),
        b'H' if dialect.h_upper_undefined => Tag::Undefined,
        b'T' => Tag::Temporary,
        b'Q' => Tag::Collection(Collection::Map, rest),
        b'W' => Tag::Collection(Collection::Set, rest),
        b'i' => Tag::Collection(Collection::Iterator, rest),
        b'K' => Tag::FormData(rest),
        b'I' => Tag::Number(f64::INFINITY),
        b'-' => Tag::Number(if s == "$-0" { -0.0 } else { f64::NEG_INFINITY }),
        b'N' => Tag::Number(f64::NAN),
        b'u' => Tag::Undefined,
        b'D' => Tag::Date(rest),
        b'n' => Tag::BigInt(rest),
        ARRAY_BUFFER => Tag::Binary(None, rest),
        b'B' => Tag::Blob(rest),
        b'R' => Tag::Stream(StreamKind::Readable, false, rest),
        b'r' => Tag::Stream(StreamKind::Readable, true, rest),
        b'X' => Tag::Stream(StreamKind::AsyncIterable, false, rest),
        b'x' => Tag::Stream(StreamKind::AsyncIterator, false, rest),
        letter => match typed_array_of(letter) {
            Some(kind) => Tag::Binary(Some(kind), rest),
            None => Tag::Model(&s[1..]),
        },
    }
}

/// Whether a string is a tag at all (it starts with `$`).
#[inline]
pub(crate) fn is_tagged(s: &str) -> bool {
    s.starts_with('$')
}

/// The references an encoder writes as `"<tag><hex id>"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ref {
    /// `$<id>`: an outlined part.
    Model,
    /// `$@<id>`.
    Promise,
    /// `$h<id>`, or `$F<id>` when `old`.
    ServerReference {
        /// The dialect before the December 2025 fixes.
        old: bool,
    },
    /// `$Q $W $i`.
    Collection(Collection),
    /// `$K<id>`.
    FormData,
    /// `$B<id>`.
    Blob,
    /// `$A<id>` (`None`) or a typed array's letter.
    Binary(Option<TypedArrayKind>),
    /// `$R $r $X $x` (the kind, and whether a byte stream).
    Stream(StreamKind, bool),
}

impl Ref {
    /// The letter after `$`, if any.
    #[inline]
    fn letter(self) -> Option<u8> {
        Some(match self {
            Ref::Model => return None,
            Ref::Promise => b'@',
            Ref::ServerReference { old: false } => b'h',
            Ref::ServerReference { old: true } => b'F',
            Ref::Collection(Collection::Map) => b'Q',
            Ref::Collection(Collection::Set) => b'W',
            Ref::Collection(Collection::Iterator) => b'i',
            Ref::FormData => b'K',
            Ref::Blob => b'B',
            Ref::Binary(None) => ARRAY_BUFFER,
            Ref::Binary(Some(kind)) => typed_array_letter(kind),
            Ref::Stream(StreamKind::Readable, false) => b'R',
            Ref::Stream(StreamKind::Readable, true) => b'r',
            Ref::Stream(StreamKind::AsyncIterable, _) => b'X',
            Ref::Stream(StreamKind::AsyncIterator, _) => b'x',
        })
    }

    /// The reference as text, `$h3` (what React keys its written-objects
    /// map by, and compares).
    #[inline]
    pub(super) fn text(self, id: u32) -> String {
        let mut s = String::with_capacity(10);
        s.push('$');
        if let Some(l) = self.letter() {
            s.push(char::from(l));
        }
        s.push_str(Hex::new(id).as_str());
        s
    }

    /// The reference as a JSON string, `"$h3"`, appended to `out`.
    #[inline]
    pub(super) fn write(self, out: &mut String, id: u32) {
        out.push_str("\"$");
        if let Some(l) = self.letter() {
            out.push(char::from(l));
        }
        out.push_str(Hex::new(id).as_str());
        out.push('"');
    }
}

/// `"$T"`: a temporary reference.
pub(super) const TEMPORARY: &str = "\"$T\"";

// The scalars are written alike in both directions.
pub(super) use crate::wire::tags::{write_bigint, write_date, write_number, write_string, write_undefined};

#[cfg(test)]
mod tests {
    use super::*;

    /// Each spelling as React 19.3.1's server reads it: the second
    /// character decides, the rest is the tag's payload or ignored.
    #[test]
    fn classification_follows_reacts_server() {
        let cases: &[(&str, Tag<'_>)] = &[
            ("$", Tag::Model("")),
            ("$$", Tag::Escaped("$")),
            ("$$x", Tag::Escaped("$x")),
            ("$@1f", Tag::Promise("1f")),
            ("$h2", Tag::ServerReference("2")),
            ("$F2", Tag::Model("F2")),
            ("$T", Tag::Temporary),
            ("$Tanything", Tag::Temporary),
            ("$Q3", Tag::Collection(Collection::Map, "3")),
            ("$W3", Tag::Collection(Collection::Set, "3")),
            ("$i3", Tag::Collection(Collection::Iterator, "3")),
            ("$K3", Tag::FormData("3")),
            ("$B3", Tag::Blob("3")),
            ("$A3", Tag::Binary(None, "3")),
            ("$o3", Tag::Binary(Some(TypedArrayKind::Uint8), "3")),
            ("$V3", Tag::Binary(Some(TypedArrayKind::DataView), "3")),
            ("$m3", Tag::Binary(Some(TypedArrayKind::BigUint64), "3")),
            ("$R3", Tag::Stream(StreamKind::Readable, false, "3")),
            ("$r3", Tag::Stream(StreamKind::Readable, true, "3")),
            ("$X3", Tag::Stream(StreamKind::AsyncIterable, false, "3")),
            ("$x3", Tag::Stream(StreamKind::AsyncIterator, false, "3")),
            ("$undefined", Tag::Undefined),
            ("$ufoo", Tag::Undefined),
            ("$Infinity", Tag::Number(f64::INFINITY)),
            ("$Ifoo", Tag::Number(f64::INFINITY)),
            ("$-Infinity", Tag::Number(f64::NEG_INFINITY)),
            ("$-foo", Tag::Number(f64::NEG_INFINITY)),
            ("$-0", Tag::Number(-0.0)),
            ("$D2000-01-01T00:00:00.000Z", Tag::Date("2000-01-01T00:00:00.000Z")),
            ("$n-12", Tag::BigInt("-12")),
            // Not tags in the reply direction (the response reads `$w` as
            // undefined, `$Z` as an Error): part ids, or no part.
            ("$w", Tag::Model("w")),
            ("$L1", Tag::Binary(Some(TypedArrayKind::Int32), "1")),
            ("$S1", Tag::Binary(Some(TypedArrayKind::Int16), "1")),
            ("$Z", Tag::Model("Z")),
            ("$1:a:0", Tag::Model("1:a:0")),
            ("$é", Tag::Model("é")),
        ];
        for (text, want) in cases {
            match (classify(text, Dialect::LATEST), want) {
                (Tag::Number(a), Tag::Number(b)) => assert_eq!(a.to_bits(), b.to_bits(), "{text}"),
                (got, _) => assert_eq!(&got, want, "{text}"),
            }
        }
        assert!(matches!(classify("$Nfoo", Dialect::LATEST), Tag::Number(n) if n.is_nan()));
        let old = "19.1.2".parse::<crate::React>().unwrap().dialect();
        assert_eq!(classify("$F2", old), Tag::ServerReference("2"));
        // ... where `$h` was no tag: a part id.
        assert_eq!(classify("$h2", old), Tag::Model("h2"));
        let next16 = "next@16.5.0".parse::<crate::React>().unwrap().dialect();
        assert_eq!(classify("$H2", next16), Tag::Undefined);
        assert_eq!(classify("$H2", Dialect::LATEST), Tag::Model("H2"));
    }

    /// What the encoder writes reads back as the same tag.
    #[test]
    fn written_references_read_back() {
        let mut refs = vec![
            Ref::Model,
            Ref::Promise,
            Ref::ServerReference { old: false },
            Ref::Collection(Collection::Map),
            Ref::Collection(Collection::Set),
            Ref::Collection(Collection::Iterator),
            Ref::FormData,
            Ref::Blob,
            Ref::Binary(None),
            Ref::Stream(StreamKind::Readable, false),
            Ref::Stream(StreamKind::Readable, true),
            Ref::Stream(StreamKind::AsyncIterable, false),
            Ref::Stream(StreamKind::AsyncIterator, false),
        ];
        refs.extend(TypedArrayKind::ALL.map(|k| Ref::Binary(Some(k))));
        for r in refs {
            let text = r.text(0x2f);
            let mut json = String::new();
            r.write(&mut json, 0x2f);
            assert_eq!(json, format!("\"{text}\""));
            let back = match classify(&text, Dialect::LATEST) {
                Tag::Model(t) => (Ref::Model, t),
                Tag::Promise(t) => (Ref::Promise, t),
                Tag::ServerReference(t) => (Ref::ServerReference { old: false }, t),
                Tag::Collection(c, t) => (Ref::Collection(c), t),
                Tag::FormData(t) => (Ref::FormData, t),
                Tag::Blob(t) => (Ref::Blob, t),
                Tag::Binary(k, t) => (Ref::Binary(k), t),
                Tag::Stream(k, b, t) => (Ref::Stream(k, b), t),
                other => panic!("{text}: {other:?}"),
            };
            assert_eq!(back, (r, "2f"), "{text}");
        }
        let old = "19.1.2".parse::<crate::React>().unwrap().dialect();
        assert_eq!(classify(&Ref::ServerReference { old: true }.text(1), old), Tag::ServerReference("1"));
    }
}
