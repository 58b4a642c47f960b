//! A JSON text read straight into what its caller wants (a Rust type by
//! serde, `typed.rs`; a [`Value`](crate::value::Value), `value.rs`), with
//! the scalar `$` tags of its direction read as it goes (`$D`, `$n`,
//! `$undefined`, `$NaN`, `$Infinity`, `$-Infinity`, `$-0`, `$$`), and no
//! parsed document in between. For a text reply body, a response that is
//! one model row (`0:<JSON>`), and (into a `Value`) each model row of a
//! response of many rows, whole or incremental, that refers to no other
//! row (`response/revive.rs`'s `Run::straight`; the live decoder does not
//! parse such a row for references, `refers_to_none`), and each JSON part
//! of a multipart reply that refers to no other part (`Run::straight_part`
//! in `reply/decode/run`, counting React's array budget by context as the
//! reviver does: `value::ArrayBudget`).
//!
//! It is a fast path with one rule: it either gives exactly what the
//! decoders give (a document parsed, then revived into a `Value`, then read
//! into `T`), or it gives up, and the caller takes that way (whose result,
//! or error with its place, is then the answer). It gives up:
//! - on every error, its own or a visitor's (so no error message is
//!   written twice, and every error is the decoders', with its place);
//! - on every tag that refers to another part or row, or builds a node
//!   (`$1`, `$Q`, `$h`, `$@`, `$B`, `$R`, `$T`, `$L`, an element...);
//! - on what JavaScript's object model would change: a key that starts
//!   with a digit (enumerated first), `__proto__` (dropped), a key written
//!   twice (the last value at the first place), a key with an escape;
//! - before a limit could be crossed: it counts more than the decoders do
//!   (every value against `max_values`, every string's bytes and array
//!   slot against React's array budget, one level more of nesting), so a
//!   text it accepts is one the decoders accept;
//! - (typed) when a visitor leaves elements or members unread, or asks for
//!   what only a node can give (bytes, a Blob, a FormData, a server
//!   reference).
//!
//! Tested against the decoders on random texts (`typed.rs`, `value.rs`)
//! and by the `typed` fuzz target.

mod shapes;
pub(crate) mod typed;
pub(crate) mod value;

use std::borrow::Cow;

use crate::error::{Category, Error, Result};
use crate::limits::Limits;
use crate::reply::tag::{self, Tag};
use crate::value::{convert, Item};
use crate::version::Dialect;
use crate::wire::json::Parser;

/// The size from which a body is looked over for references first.
const QUICK_LOOK_FROM: usize = 4096;

/// Whether a string of `text` starts with a `$` tag that is no scalar's
/// (`$1`, `$@1`, `$Q1`, `$L1`, an element's `"$"`...), by the direction's
/// own tag module: a quick look, so that a body full of references is not
/// read halfway before giving up. It reads the raw text (an escape makes
/// a tag no scalar's), so it may answer yes for a text that has none (a
/// `"$` after an escaped quote, a key), which only means the general way.
fn refers(text: &str, format: Format, dialect: Dialect) -> bool {
    let b = text.as_bytes();
    let mut at = 0;
    while let Some(i) = crate::wire::json::find_byte(&b[at..], b'$') {
        let dollar = at + i;
        if dollar > 0 && b[dollar - 1] == b'"' {
            // Up to the closing quote: `$` and `"` are ASCII, so both are
            // character boundaries.
            let end = crate::wire::json::find_byte(&b[dollar..], b'"').map_or(b.len(), |n| dollar + n);
            if scalar(&text[dollar..end], format, dialect).is_none() {
                return true;
            }
        }
        at = dollar + 1;
    }
    false
}

/// Whether `text` surely holds no `$` string that refers to another part
/// or row: no tag but a scalar's ([`refers`]), and no string that an
/// escape starts with `$` (`"\u0024@1"`, which [`refers`] cannot see in
/// the raw text). What the live response decoder asks of a row before it
/// parses the row for its references.
pub(crate) fn refers_to_none(text: &str, format: Format, dialect: Dialect) -> bool {
    !refers(text, format, dialect) && memchr::memmem::find(text.as_bytes(), br"\u0024").is_none()
}

/// A `$` string that stands for a scalar, as its direction's tag module
/// classifies it; `None` for every other tag.
enum Scalar<'s> {
    /// `$$…`: a string, the rest.
    Escaped,
    Number(f64),
    Undefined,
    Date(&'s str),
    BigInt(&'s str),
}

fn scalar(s: &str, format: Format, dialect: Dialect) -> Option<Scalar<'_>> {
    use crate::response::tag::{self as response_tag, Tag as ResponseTag};
    Some(match format {
        Format::Reply => match tag::classify(s, dialect) {
            Tag::Escaped(_) => Scalar::Escaped,
            Tag::Number(n) => Scalar::Number(n),
            Tag::Undefined => Scalar::Undefined,
            Tag::Date(text) => Scalar::Date(text),
            Tag::BigInt(digits) => Scalar::BigInt(digits),
            _ => return None,
        },
        Format::Response => match response_tag::classify(s, dialect).ok()? {
            ResponseTag::Escaped(_) => Scalar::Escaped,
            ResponseTag::Number(n) => Scalar::Number(n),
            ResponseTag::Undefined => Scalar::Undefined,
            ResponseTag::Date(text) => Scalar::Date(text),
            ResponseTag::BigInt(digits) => Scalar::BigInt(digits),
            _ => return None,
        },
    })
}

/// Which direction's `$` tags a text holds.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Format {
    Reply,
    Response,
}

/// The JSON of a response that is one model row, `0:<JSON>\n` (what React
/// writes for a value with no promise, stream, element, reference or
/// repeated object), within `max_body_bytes`.
pub(crate) fn one_row<'b>(body: &'b [u8], limits: &Limits) -> Option<&'b str> {
    if body.len() > limits.max_body_bytes {
        return None;
    }
    let json = body.strip_prefix(b"0:")?.strip_suffix(b"\n")?;
    // The framer's bound on a row (a little more than this).
    if json.len() > limits.max_string_bytes {
        return None;
    }
    // A newline ends a row: one inside means more rows.
    if crate::wire::json::find_byte(json, b'\n').is_some() {
        return None;
    }
    std::str::from_utf8(json).ok()
}

/// The reason for giving up, never shown: the `Value` path decides.
pub(crate) fn give_up() -> Error {
    Error::new(Category::Unsupported, "left to the Value path")
}

/// One value's first token. An array or object token means its bracket was
/// read.
pub(crate) enum Tok<'de> {
    Scalar(Item),
    Str(Cow<'de, str>),
    Array,
    Object,
}

pub(crate) struct Cx<'de> {
    pub(crate) p: Parser<'de>,
    /// A token read ahead (by `deserialize_option`), for the next call.
    pub(crate) pending: Option<Tok<'de>>,
    format: Format,
    dialect: Dialect,
    values: usize,
    max_values: usize,
    /// React's array budget, over-counted: every string's bytes and every
    /// array slot, wherever they stand.
    pub(crate) budget: u64,
    max_budget: u64,
    depth: usize,
    max_depth: usize,
    max_bigint: usize,
}

/// When a text is looked over for references ([`refers`]) before it is
/// read.
#[derive(Clone, Copy)]
pub(crate) enum Look {
    /// From [`QUICK_LOOK_FROM`] bytes: giving up late on a small body
    /// costs less than looking (text replies, one-row responses).
    Large,
    /// Whatever the size: a row or part of a longer body refers to others
    /// more often than not, often near its end (`["field",…,"$B2"]`).
    Always,
    /// Not again: the caller looked ([`refers_to_none`]).
    Done,
}

impl<'de> Cx<'de> {
    /// A reader at the start of `text`, or `None` if the text is over
    /// `max_body_bytes` or the look finds a reference.
    pub(crate) fn new(text: &'de str, format: Format, limits: &Limits, dialect: Dialect, look: Look) -> Option<Self> {
        let looked = match look {
            Look::Large => text.len() >= QUICK_LOOK_FROM,
            Look::Always => true,
            Look::Done => false,
        };
        if text.len() > limits.max_body_bytes || (looked && refers(text, format, dialect)) {
            return None;
        }
        Some(Cx {
            p: Parser::new(text, limits.max_string_bytes),
            pending: None,
            format,
            dialect,
            values: 0,
            max_values: limits.max_values,
            budget: 0,
            // React's array budget is the reply decoder's alone.
            max_budget: if format == Format::Reply { limits.array_size_limit } else { u64::MAX },
            depth: 0,
            max_depth: limits.max_depth,
            max_bigint: limits.max_bigint_chars,
        })
    }

    /// Whether the text was read to its end, within every limit (the last
    /// strings' bytes are counted after the last check).
    pub(crate) fn finished(&mut self) -> bool {
        self.pending.is_none() && self.p.at_end() && self.budget <= self.max_budget
    }

    /// The next value's first token.
    pub(crate) fn tok(&mut self) -> Result<Tok<'de>> {
        if let Some(t) = self.pending.take() {
            return Ok(t);
        }
        self.p.ws();
        Ok(match self.p.peek() {
            Some(b'[') => {
                self.p.i += 1;
                Tok::Array
            }
            Some(b'{') => {
                self.p.i += 1;
                Tok::Object
            }
            Some(b'"') => {
                let s = self.p.string_cow()?;
                self.budget += s.len() as u64;
                if !tag::is_tagged(&s) {
                    return Ok(Tok::Str(s));
                }
                match self.scalar_tag(&s)? {
                    None => Tok::Str(match s {
                        Cow::Borrowed(b) => Cow::Borrowed(&b[1..]),
                        // The first `$` dropped in place.
                        Cow::Owned(mut o) => {
                            o.remove(0);
                            Cow::Owned(o)
                        }
                    }),
                    Some(item) => Tok::Scalar(item),
                }
            }
            Some(b't') => {
                self.p.literal("true")?;
                Tok::Scalar(Item::Bool(true))
            }
            Some(b'f') => {
                self.p.literal("false")?;
                Tok::Scalar(Item::Bool(false))
            }
            Some(b'n') => {
                self.p.literal("null")?;
                Tok::Scalar(Item::Null)
            }
            _ => Tok::Scalar(Item::Number(self.p.number_f64()?)),
        })
    }

    /// A `$` string that stands for a scalar: the scalar, or `None` for
    /// `$$…` (a string: the rest). Gives up on every other tag, and on
    /// what the decoders refuse ("$Dnull", an invalid Date as a whole row,
    /// is left to them too).
    fn scalar_tag(&self, s: &str) -> Result<Option<Item>> {
        Ok(Some(match scalar(s, self.format, self.dialect).ok_or_else(give_up)? {
            Scalar::Escaped => return Ok(None),
            Scalar::Number(n) => Item::Number(n),
            Scalar::Undefined => Item::Undefined,
            Scalar::Date(text) => Item::Date(convert::date(text)?),
            Scalar::BigInt(digits) => Item::BigInt(convert::bigint(digits, self.max_bigint)?.0),
        }))
    }

    /// Room for one more value one level down, within every limit.
    pub(crate) fn enter(&mut self) -> Result<()> {
        self.values += 1;
        self.depth += 1;
        // The root is not counted here; the decoders count it.
        if self.values >= self.max_values || self.depth + 2 >= self.max_depth || self.budget > self.max_budget {
            return Err(give_up());
        }
        Ok(())
    }

    pub(crate) fn leave(&mut self) {
        self.depth -= 1;
    }
}

/// An object's next key and its colon (the reader is past `{` or a `,`).
/// Gives up on keys JavaScript would treat apart: an escape (not
/// borrowed), a leading digit (enumerated first), `__proto__` (dropped).
pub(crate) fn plain_key<'de>(cx: &mut Cx<'de>) -> Result<&'de str> {
    if cx.p.peek() != Some(b'"') {
        return Err(give_up());
    }
    let Cow::Borrowed(k) = cx.p.string_cow()? else { return Err(give_up()) };
    if k.as_bytes().first().is_some_and(u8::is_ascii_digit) || (k.len() == 9 && k == "__proto__") {
        return Err(give_up());
    }
    cx.p.ws();
    if cx.p.next() != Some(b':') {
        return Err(give_up());
    }
    Ok(k)
}

/// Whether an array or object has another element or member: reads the
/// `,` before it, or the `close` bracket after the last (the reader is
/// past the opening bracket, or past a value).
#[inline(always)]
pub(crate) fn another(p: &mut Parser<'_>, first: &mut bool, done: &mut bool, close: u8) -> Result<bool> {
    if *done {
        return Ok(false);
    }
    p.ws();
    if std::mem::take(first) {
        if p.peek() == Some(close) {
            p.i += 1;
            *done = true;
            return Ok(false);
        }
        return Ok(true);
    }
    match p.next() {
        Some(b',') => {
            p.ws();
            Ok(true)
        }
        Some(c) if c == close => {
            *done = true;
            Ok(false)
        }
        _ => Err(give_up()),
    }
}

/// How many keys an object may have before duplicates are looked up in a
/// hash set rather than by comparing each with those before it.
pub(crate) const FEW_KEYS: usize = 16;

/// An object's keys so far, to give up on one written twice (JavaScript
/// keeps the last value, at the first one's place).
pub(crate) struct Keys<'de> {
    /// The first keys, on the stack.
    few: [&'de str; FEW_KEYS],
    count: usize,
    /// Their fingerprints (`wire::json::key_fingerprint`).
    seen: u64,
    /// All of them, once there are more than [`FEW_KEYS`].
    many: Option<std::collections::HashSet<&'de str>>,
}

impl<'de> Keys<'de> {
    pub(crate) fn new() -> Self {
        Keys { few: [""; FEW_KEYS], count: 0, seen: 0, many: None }
    }

    /// Gives up on a key seen before.
    #[inline(always)]
    pub(crate) fn distinct(&mut self, k: &'de str) -> Result<()> {
        // The common case first: one of an object's first keys.
        if self.count < FEW_KEYS {
            let f = crate::wire::json::key_fingerprint(k.as_bytes());
            if self.seen & f != 0 && self.few[..self.count].contains(&k) {
                return Err(give_up());
            }
            self.seen |= f;
            self.few[self.count] = k;
            self.count += 1;
            return Ok(());
        }
        self.many_keys(k)
    }

    /// Past the first [`FEW_KEYS`]: a hash set.
    #[cold]
    fn many_keys(&mut self, k: &'de str) -> Result<()> {
        let set = self.many.get_or_insert_with(|| self.few.iter().copied().collect());
        if set.insert(k) {
            Ok(())
        } else {
            Err(give_up())
        }
    }
}
