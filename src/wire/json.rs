//! JSON as React's wire uses it: `JSON.parse` into a small tree, and the
//! exact text `JSON.stringify` writes.
//!
//! The parser is iterative (an explicit stack), so input nesting never grows
//! the call stack; its depth limit is a policy, not a safety requirement.
//! Lone UTF-16 surrogates (`"\ud800"`) are refused: a Rust string cannot hold
//! one, and replacing it with U+FFFD would change the data.

use crate::error::{Error, Result};
use crate::value::{js_entries, Item, Object, Str};

/// A parsed JSON value. Objects keep every member in wire order, duplicates
/// included; what a duplicate means is the caller's decision (JavaScript:
/// last value, first position).
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number (`1e400` parses to infinity, as in JavaScript).
    Number(f64),
    /// A string.
    String(Str),
    /// An array.
    Array(Vec<Json>),
    /// An object, members in wire order.
    Object(Vec<(Str, Json)>),
}

/// Dropping a tree nested as deeply as the parser allows must not recurse
/// once per level on the call stack (a small thread's stack would
/// overflow): nested containers are emptied onto a heap stack first.
impl Drop for Json {
    fn drop(&mut self) {
        fn nested(j: &Json) -> bool {
            let inner = |v: &Json| {
                matches!(v, Json::Array(a) if !a.is_empty()) || matches!(v, Json::Object(m) if !m.is_empty())
            };
            match j {
                Json::Array(a) => a.iter().any(inner),
                Json::Object(m) => m.iter().any(|(_, v)| inner(v)),
                _ => false,
            }
        }
        if !nested(self) {
            return;
        }
        let mut stack = Vec::new();
        let take = |j: &mut Json, stack: &mut Vec<Json>| match j {
            Json::Array(a) => stack.append(a),
            Json::Object(m) => stack.extend(m.drain(..).map(|(_, v)| v)),
            _ => {}
        };
        take(self, &mut stack);
        while let Some(mut j) = stack.pop() {
            take(&mut j, &mut stack);
        }
    }
}

/// JSON parsed into two flat vectors: every array's elements lie together
/// in `items`, every object's members together in `members`, and a
/// container is the range of its own ([`Raw::Array`], [`Raw::Object`]). A
/// whole text costs a few vector allocations however many containers it
/// has, and the decoders take its strings out as they revive it.
#[derive(Debug, Default)]
pub(crate) struct Doc {
    pub(crate) items: Vec<Raw>,
    pub(crate) members: Vec<(Str, Raw)>,
}

/// A value of a [`Doc`].
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) enum Raw {
    #[default]
    Null,
    Bool(bool),
    Number(f64),
    String(Str),
    /// `doc.items[start..end]`.
    Array(u32, u32),
    /// `doc.members[start..end]`.
    Object(u32, u32),
}

/// What the parser builds. A container's elements are handed over when it
/// closes, as the tail of a stack shared by all open containers.
trait Build {
    type Value;
    /// A scalar ([`Raw::Null`], `Bool`, `Number` or `String`).
    fn scalar(&mut self, v: Raw) -> Self::Value;
    fn array(&mut self, items: std::vec::Drain<'_, Self::Value>) -> Self::Value;
    fn object(&mut self, members: std::vec::Drain<'_, (Str, Self::Value)>) -> Self::Value;
}

/// Builds a [`Json`] tree: a vector of the exact size per container.
struct Tree;

impl Build for Tree {
    type Value = Json;
    fn scalar(&mut self, v: Raw) -> Json {
        match v {
            Raw::Null => Json::Null,
            Raw::Bool(b) => Json::Bool(b),
            Raw::Number(n) => Json::Number(n),
            Raw::String(s) => Json::String(s),
            Raw::Array(..) | Raw::Object(..) => unreachable!("the parser gives scalars"),
        }
    }
    fn array(&mut self, items: std::vec::Drain<'_, Json>) -> Json {
        Json::Array(items.collect())
    }
    fn object(&mut self, members: std::vec::Drain<'_, (Str, Json)>) -> Json {
        Json::Object(members.collect())
    }
}

impl Build for Doc {
    type Value = Raw;
    fn scalar(&mut self, v: Raw) -> Raw {
        v
    }
    fn array(&mut self, items: std::vec::Drain<'_, Raw>) -> Raw {
        let start = self.items.len() as u32;
        self.items.extend(items);
        Raw::Array(start, self.items.len() as u32)
    }
    fn object(&mut self, members: std::vec::Drain<'_, (Str, Raw)>) -> Raw {
        let start = self.members.len() as u32;
        self.members.extend(members);
        Raw::Object(start, self.members.len() as u32)
    }
}

/// Parse one JSON text into a [`Doc`] and its root value (see [`parse`]).
pub(crate) fn parse_doc(text: &str, max_depth: usize, max_string: usize) -> Result<(Doc, Raw)> {
    let hint = values_hint(text);
    let mut doc = Doc { items: Vec::with_capacity(hint), members: Vec::with_capacity(hint) };
    let root = parse_with(&mut doc, text, max_depth, max_string)?;
    Ok((doc, root))
}

/// How many values a text is given room for before parsing it.
const SMALL_TEXT_VALUES: usize = 32;

/// Room for a small text's values from the start (about one per 16 bytes,
/// as in object-heavy JSON), so that the parser's vectors do not regrow
/// from four: −9% instructions on `small-args`, +190 bytes of peak memory
/// (`benches/memory.rs`). Capped: a large text grows as usual, and
/// reserving in proportion to it was measured to cost more than it saves
/// (see `Run::parse` in the reply decoder).
fn values_hint(text: &str) -> usize {
    (text.len() / 16).min(SMALL_TEXT_VALUES)
}

/// An open container. Its elements wait on a stack shared by all open
/// containers until it closes.
enum Frame {
    /// Elements from this position of `items` on.
    Array(usize),
    /// Members from this position of `members` on, and the current key.
    Object(usize, Str),
}

/// Parse one JSON text. `max_depth` bounds nesting; `max_string` bounds the
/// bytes of any one string.
pub fn parse(text: &str, max_depth: usize, max_string: usize) -> Result<Json> {
    parse_with(&mut Tree, text, max_depth, max_string)
}

fn parse_with<B: Build>(b: &mut B, text: &str, max_depth: usize, max_string: usize) -> Result<B::Value> {
    let mut p = Parser::new(text, max_string);
    let hint = values_hint(text);
    let mut stack: Vec<Frame> = Vec::with_capacity(hint.min(16));
    let mut items: Vec<B::Value> = Vec::with_capacity(hint);
    let mut members: Vec<(Str, B::Value)> = Vec::with_capacity(hint);
    p.ws();
    'value: loop {
        // Parse one value (or open a container).
        let mut v = match p.peek() {
            Some(b'[') => {
                p.i += 1;
                if stack.len() >= max_depth {
                    return Err(depth_error(max_depth).at_offset(p.i - 1));
                }
                p.ws();
                if p.peek() == Some(b']') {
                    p.i += 1;
                    b.array(items.drain(items.len()..))
                } else {
                    stack.push(Frame::Array(items.len()));
                    p.ws();
                    continue 'value;
                }
            }
            Some(b'{') => {
                p.i += 1;
                if stack.len() >= max_depth {
                    return Err(depth_error(max_depth).at_offset(p.i - 1));
                }
                p.ws();
                if p.peek() == Some(b'}') {
                    p.i += 1;
                    b.object(members.drain(members.len()..))
                } else {
                    let key = p.key()?;
                    stack.push(Frame::Object(members.len(), key));
                    p.ws();
                    continue 'value;
                }
            }
            _ => {
                let v = p.scalar()?;
                b.scalar(v)
            }
        };
        // Attach it to its container; close containers as they end.
        loop {
            p.ws();
            match stack.last_mut() {
                None => {
                    if p.i != p.s.len() {
                        return Err(Error::syntax("Unexpected non-whitespace character after JSON").at_offset(p.i));
                    }
                    return Ok(v);
                }
                Some(&mut Frame::Array(from)) => {
                    items.push(v);
                    match p.next() {
                        Some(b',') => {
                            p.ws();
                            continue 'value;
                        }
                        Some(b']') => {
                            stack.pop();
                            v = b.array(items.drain(from..));
                        }
                        _ => return Err(p.unexpected("',' or ']'")),
                    }
                }
                Some(Frame::Object(from, key)) => {
                    let from = *from;
                    members.push((std::mem::take(key), v));
                    match p.next() {
                        Some(b',') => {
                            p.ws();
                            let k = p.key()?;
                            if let Some(Frame::Object(_, key)) = stack.last_mut() {
                                *key = k;
                            }
                            p.ws();
                            continue 'value;
                        }
                        Some(b'}') => {
                            stack.pop();
                            v = b.object(members.drain(from..));
                        }
                        _ => return Err(p.unexpected("',' or '}'")),
                    }
                }
            }
        }
    }
}

fn depth_error(max: usize) -> Error {
    Error::limit("max_depth", format!("JSON nesting deeper than {max}"))
}

/// The scanner under [`parse`], and under the typed decoder that reads a
/// reply straight from its text (`typed/direct.rs`): one set of rules for
/// JSON's grammar, strings and numbers.
pub(crate) struct Parser<'a> {
    s: &'a [u8],
    src: &'a str,
    /// The position of the next byte.
    pub(crate) i: usize,
    max_string: usize,
}

impl<'a> Parser<'a> {
    /// A parser at the start of `text`, whose strings may hold at most
    /// `max_string` bytes.
    pub(crate) fn new(text: &'a str, max_string: usize) -> Self {
        Parser { s: text.as_bytes(), src: text, i: 0, max_string }
    }
    /// The text being read.
    pub(crate) fn text(&self) -> &'a str {
        self.src
    }
    /// Whether only whitespace is left.
    pub(crate) fn at_end(&mut self) -> bool {
        self.ws();
        self.i == self.s.len()
    }
    /// Whether `close` comes next (after whitespace), read if so.
    pub(crate) fn closes(&mut self, close: u8) -> bool {
        self.ws();
        let yes = self.peek() == Some(close);
        self.i += usize::from(yes);
        yes
    }
    pub(crate) fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    pub(crate) fn next(&mut self) -> Option<u8> {
        // Always advance, so that `unexpected` can tell end of input
        // (past the end) from a bad byte (the one before `i`).
        let b = self.peek();
        self.i += 1;
        b
    }
    pub(crate) fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }
    pub(crate) fn unexpected(&self, wanted: &str) -> Error {
        if self.i > self.s.len() {
            return Error::eof(format!("Unexpected end of JSON input (expected {wanted})")).at_offset(self.s.len());
        }
        Error::syntax(format!("Unexpected token in JSON (expected {wanted})")).at_offset(self.i - 1)
    }
    fn key(&mut self) -> Result<Str> {
        if self.peek() != Some(b'"') {
            self.i += 1;
            return Err(self.unexpected("a string key"));
        }
        let k = self.string()?;
        self.ws();
        if self.next() != Some(b':') {
            return Err(self.unexpected("':'"));
        }
        Ok(k)
    }
    fn scalar(&mut self) -> Result<Raw> {
        match self.peek() {
            Some(b'"') => Ok(Raw::String(self.string()?)),
            Some(b't') => self.word("true", Raw::Bool(true)),
            Some(b'f') => self.word("false", Raw::Bool(false)),
            Some(b'n') => self.word("null", Raw::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            None => Err(Error::eof("Unexpected end of JSON input").at_offset(self.i)),
            Some(_) => {
                self.i += 1;
                Err(self.unexpected("a JSON value"))
            }
        }
    }
    fn word(&mut self, w: &str, v: Raw) -> Result<Raw> {
        self.literal(w)?;
        Ok(v)
    }
    /// `true`, `false` or `null`, spelled `w`.
    pub(crate) fn literal(&mut self, w: &str) -> Result<()> {
        if self.s[self.i..].starts_with(w.as_bytes()) {
            self.i += w.len();
            Ok(())
        } else {
            self.i += 1;
            Err(self.unexpected(w))
        }
    }
    fn number(&mut self) -> Result<Raw> {
        self.number_f64().map(Raw::Number)
    }
    /// A number, as `JSON.parse` reads it.
    pub(crate) fn number_f64(&mut self) -> Result<f64> {
        let start = self.i;
        let negative = self.peek() == Some(b'-');
        self.i += usize::from(negative);
        let digits = self.i;
        let mut int = 0u64;
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                while let Some(d @ b'0'..=b'9') = self.peek() {
                    int = int.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
                    self.i += 1;
                }
            }
            _ => {
                self.i += 1;
                return Err(self.unexpected("a digit"));
            }
        }
        // An integer of up to 19 digits fits a u64, and `as f64` rounds it
        // to nearest, ties to even, as JSON.parse does: no float parsing
        // for the common case.
        if self.i - digits <= 19 && !matches!(self.peek(), Some(b'.' | b'e' | b'E')) {
            let v = int as f64;
            return Ok(if negative { -v } else { v });
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.i += 1;
                return Err(self.unexpected("a digit"));
            }
            // A decimal of up to 19 digits, no exponent, whose digits as
            // an integer m are below 2^53 and whose k fraction digits are
            // at most 22 (a price, a score): m and 10^k are both exact
            // doubles, so m / 10^k, one IEEE division, is the correctly
            // rounded value JSON.parse gives (Clinger's fast path), with
            // no float parsing.
            let fraction = self.i;
            let mut m = int;
            while let Some(d @ b'0'..=b'9') = self.peek() {
                m = m.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
                self.i += 1;
            }
            let k = self.i - fraction;
            if fraction - 1 - digits + k <= 19
                && m < 1 << 53
                && k < POW10.len()
                && !matches!(self.peek(), Some(b'e' | b'E'))
            {
                let v = m as f64 / POW10[k];
                return Ok(if negative { -v } else { v });
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.i += 1;
                return Err(self.unexpected("a digit"));
            }
            self.skip_digits();
        }
        let text = &self.src[start..self.i];
        // Rust's float parsing rounds correctly, as JSON.parse does.
        text.parse::<f64>().map_err(|_| Error::syntax("invalid number").at_offset(start))
    }
    fn skip_digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.i += 1;
        }
    }
    fn string(&mut self) -> Result<Str> {
        Ok(match self.string_cow()? {
            std::borrow::Cow::Borrowed(s) => s.into(),
            std::borrow::Cow::Owned(s) => s.into(),
        })
    }
    /// A string (the next byte is its opening quote): borrowed from the
    /// text when it holds no escape.
    #[inline]
    pub(crate) fn string_cow(&mut self) -> Result<std::borrow::Cow<'a, str>> {
        let start = self.i;
        self.i += 1; // opening quote
        let too_long = |p: &Self| {
            Error::limit("max_string_bytes", format!("a string longer than {} bytes", p.max_string)).at_offset(start)
        };
        // Most strings (keys, short values) end within the sixteen bytes
        // after the quote: two words looked at, without the scan's loop.
        if let Some(&[a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p]) = self.s.get(self.i..self.i + 16) {
            let mut mask = special(u64::from_le_bytes([a, b, c, d, e, f, g, h]));
            let mut at = self.i;
            if mask == 0 {
                mask = special(u64::from_le_bytes([i, j, k, l, m, n, o, p]));
                at += 8;
            }
            let end = at + (mask.trailing_zeros() / 8) as usize;
            if mask != 0 && self.s[end] == b'"' && end - self.i <= self.max_string {
                let piece = &self.src[self.i..end];
                self.i = end + 1;
                return Ok(std::borrow::Cow::Borrowed(piece));
            }
        }
        let mut out = String::new();
        loop {
            // One scan per run of plain characters: the bytes that end a run
            // are all ASCII, so `src` is cut at character boundaries.
            let run = find_special(&self.s[self.i..]);
            let Some(n) = run else {
                if self.s.len() - start > self.max_string.saturating_add(2) {
                    return Err(too_long(self));
                }
                return Err(Error::eof("Unterminated string in JSON").at_offset(start));
            };
            let end = self.i + n;
            if end - start > self.max_string.saturating_add(1) {
                return Err(too_long(self));
            }
            match self.s[end] {
                b'"' => {
                    let piece = &self.src[self.i..end];
                    self.i = end + 1;
                    if out.is_empty() {
                        return Ok(std::borrow::Cow::Borrowed(piece));
                    }
                    out.push_str(piece);
                    break;
                }
                b'\\' => {
                    out.push_str(&self.src[self.i..end]);
                    self.i = end + 1;
                    self.escape(&mut out)?;
                    if self.i - start > self.max_string.saturating_add(2) {
                        return Err(too_long(self));
                    }
                }
                _ => {
                    self.i = end;
                    return Err(Error::syntax("Bad control character in string literal in JSON").at_offset(end));
                }
            }
        }
        if out.len() > self.max_string {
            return Err(too_long(self));
        }
        Ok(std::borrow::Cow::Owned(out))
    }
    fn escape(&mut self, out: &mut String) -> Result<()> {
        let at = self.i - 1;
        let c = match self.next() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let hi = self.hex4()?;
                let cp = if (0xD800..0xDC00).contains(&hi) {
                    if self.s.get(self.i..self.i + 2) == Some(b"\\u") {
                        self.i += 2;
                        let lo = self.hex4()?;
                        if !(0xDC00..0xE000).contains(&lo) {
                            return Err(lone_surrogate(at));
                        }
                        0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                    } else {
                        return Err(lone_surrogate(at));
                    }
                } else if (0xDC00..0xE000).contains(&hi) {
                    return Err(lone_surrogate(at));
                } else {
                    hi
                };
                char::from_u32(cp).ok_or_else(|| lone_surrogate(at))?
            }
            None => return Err(Error::eof("Unterminated string in JSON").at_offset(at)),
            Some(_) => return Err(Error::syntax("Bad escaped character in JSON").at_offset(at)),
        };
        out.push(c);
        Ok(())
    }
    fn hex4(&mut self) -> Result<u32> {
        let h = self
            .s
            .get(self.i..self.i + 4)
            .ok_or_else(|| Error::eof("Unterminated string in JSON").at_offset(self.i))?;
        let mut v = 0;
        for &b in h {
            let d = (b as char)
                .to_digit(16)
                .ok_or_else(|| Error::syntax("Bad Unicode escape in JSON").at_offset(self.i))?;
            v = v * 16 + d;
        }
        self.i += 4;
        Ok(v)
    }
}

fn lone_surrogate(at: usize) -> Error {
    Error::unsupported("a lone UTF-16 surrogate in a string cannot be represented in a Rust string").at_offset(at)
}

/// A key's bit among 64, from its length and last byte: distinct keys
/// rarely share one, so keys are compared only when their bits meet (the
/// duplicate checks of [`revived_order`] and of the one-pass reader).
#[inline]
pub(crate) fn key_fingerprint(k: &[u8]) -> u64 {
    1u64 << ((k.len() * 7 + usize::from(k.last().copied().unwrap_or(0))) % 64)
}

/// The members of a parsed object as a Flight decoder revives them: the
/// last of duplicate keys at the first one's position (`JSON.parse`), in
/// JavaScript's enumeration order, own `__proto__` keys dropped.
///
/// `None` when they are revived as they are, in wire order: almost every
/// object on the wire has a few distinct, non-index keys, and that case is
/// found without allocating or hashing. Else the position of each member
/// to revive, in order. A position appears at most once, so a decoder may
/// move out of `members`.
pub(crate) fn revived_order<V>(members: &[(Str, V)]) -> Option<Vec<usize>> {
    const SMALL: usize = 16;
    // Keys are compared only when a cheap fingerprint (length and last
    // byte) says they may be equal: distinct keys rarely share both.
    let mut seen = 0u64;
    let plain = members.len() <= SMALL
        && members.iter().enumerate().all(|(i, (k, _))| {
            let b = k.as_bytes();
            let Some(&first) = b.first() else {
                // The empty key: plain, unless it is there twice.
                return !members[..i].iter().any(|(other, _)| other.is_empty());
            };
            let f = key_fingerprint(b);
            let maybe_seen = seen & f != 0;
            seen |= f;
            !first.is_ascii_digit()
                && b != b"__proto__"
                && !(maybe_seen && members[..i].iter().any(|(other, _)| other.as_bytes() == b))
        });
    if plain {
        return None;
    }
    // The last of duplicate keys, at the first one's position.
    let mut dedup: indexmap::IndexMap<&str, usize> = indexmap::IndexMap::with_capacity(members.len());
    for (i, (k, _)) in members.iter().enumerate() {
        dedup.insert(k, i);
    }
    let keys: Vec<(&str, usize)> = dedup.into_iter().collect();
    Some(
        crate::js::js_key_order(keys.iter().map(|(k, _)| *k))
            .into_iter()
            .map(|i| keys[i])
            .filter(|(k, _)| *k != "__proto__")
            .map(|(_, i)| i)
            .collect(),
    )
}

/// Write `"<prefix><id in hex>"`, a reference: `prefix` is `$` and ASCII
/// letters, so nothing needs escaping and nothing is allocated.
pub(crate) fn write_ref(out: &mut String, prefix: &str, id: u32) {
    out.push('"');
    out.push_str(prefix);
    out.push_str(super::Hex::new(id).as_str());
    out.push('"');
}

/// `[a,b,...]`: each element written by `item`, with its index (both
/// encoders' arrays).
#[inline]
pub(crate) fn write_array<'i>(
    out: &mut String,
    items: &'i [Item],
    mut item: impl FnMut(&mut String, usize, &'i Item) -> Result<()>,
) -> Result<()> {
    out.push('[');
    for (i, it) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        item(out, i, it)?;
    }
    out.push(']');
    Ok(())
}

/// `{"key":value,...}` of a plain object, keys in JavaScript's order
/// (`value::js_entries`), each value written by `value` (both encoders'
/// objects).
#[inline]
pub(crate) fn write_object<'o>(
    out: &mut String,
    o: &'o Object,
    mut value: impl FnMut(&mut String, &'o str, &'o Item) -> Result<()>,
) -> Result<()> {
    out.push('{');
    for (n, (k, v)) in js_entries(o).enumerate() {
        if n > 0 {
            out.push(',');
        }
        write_str(out, k);
        out.push(':');
        value(out, k, v)?;
    }
    out.push('}');
    Ok(())
}

/// Append `s` as a JSON string, escaped exactly as `JSON.stringify` does.
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    // Jump from one byte that needs escaping to the next: a string with
    // none (most of them) is one scan and one copy.
    let mut rest = s;
    while let Some(i) = find_special(rest.as_bytes()) {
        out.push_str(&rest[..i]);
        let b = rest.as_bytes()[i];
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
        // The byte is ASCII: the next one starts a character.
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
    out.push('"');
}

/// The powers of ten a double holds exactly: 10^0 to 10^22.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The position of the first byte that ends a run of plain string bytes in
/// JSON: `"`, `\\` or a control character.
pub(crate) fn find_special(b: &[u8]) -> Option<usize> {
    first_flagged(b, b' ', special)
}

/// The high bit of each byte of the word `x` that may be `"`, `\\` or a
/// control character (the lowest flagged byte surely is; see
/// [`first_flagged`]).
#[inline(always)]
fn special(x: u64) -> u64 {
    let control = x.wrapping_sub(ONES * 0x20) & !x;
    let q = x ^ (ONES * u64::from(b'"'));
    let quote = q.wrapping_sub(ONES) & !q;
    let e = x ^ (ONES * u64::from(b'\\'));
    let escape = e.wrapping_sub(ONES) & !e;
    (control | quote | escape) & HIGH
}

/// The position of the first `needle` in `b`: `memchr`'s vector scan (16
/// or 32 bytes a step; its `unsafe` stays behind that crate's safe API).
pub(crate) fn find_byte(b: &[u8], needle: u8) -> Option<usize> {
    memchr::memchr(needle, b)
}

/// Eight bytes at a time, the tail padded with `pad` (a byte that must not
/// be flagged): the position of the first byte whose high bit `flags` sets
/// in its word. `flags` is a "has a byte less than n" test, whose lowest
/// flagged byte is always a real match (false flags only occur above a real
/// one), so the answer is read from it without rescanning.
fn first_flagged(b: &[u8], pad: u8, flags: impl Fn(u64) -> u64) -> Option<usize> {
    let mut words = b.chunks_exact(8);
    let mut at = 0;
    for w in &mut words {
        let m = flags(u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]));
        if m != 0 {
            return Some(at + (m.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let tail = words.remainder();
    if tail.is_empty() {
        return None;
    }
    let mut w = [pad; 8];
    w[..tail.len()].copy_from_slice(tail);
    let m = flags(u64::from_le_bytes(w));
    (m != 0).then(|| at + (m.trailing_zeros() / 8) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    proptest::proptest! {

        /// The integer shortcut of the parser reads what correctly rounded
        /// float parsing does, bit for bit (so `-0` stays negative), on both
        /// sides of the 19-digit cut.
        #[test]
        fn numbers_are_read_as_float_parsing_reads_them(digits in "-?(0|[1-9][0-9]{0,19})", tail in "|\\.[0-9]{1,3}|e-?[0-9]") {
            let text = format!("{digits}{tail}");
            let Json::Number(n) = parse(&text, 10, 100).unwrap() else { panic!("{text} is not a number") };
            proptest::prop_assert_eq!(n.to_bits(), text.parse::<f64>().unwrap().to_bits(), "{}", text);
        }

        /// The decimal shortcut (m / 10^k) reads what correctly rounded
        /// float parsing does, bit for bit, on both sides of each of its
        /// cuts: 19 digits, 2^53, 22 fraction digits, an exponent after.
        #[test]
        fn decimals_are_read_as_float_parsing_reads_them(
            int in "-?(0|[1-9][0-9]{0,17})",
            frac in "[0-9]{1,24}",
            tail in "|e-?[0-9]{1,2}",
        ) {
            let text = format!("{int}.{frac}{tail}");
            let Json::Number(n) = parse(&text, 10, 100).unwrap() else { panic!("{text} is not a number") };
            proptest::prop_assert_eq!(n.to_bits(), text.parse::<f64>().unwrap().to_bits(), "{}", text);
        }

        /// Decimals near 2^53 and with 22 and 23 fraction digits.
        #[test]
        fn decimals_at_the_cuts(m in 9_007_199_254_740_980u64..9_007_199_254_741_000, k in 1usize..24) {
            let digits = m.to_string();
            for text in [format!("0.{}", "0".repeat(k) + "1"), format!("{}.{}", &digits[..digits.len().min(k).min(digits.len() - 1)], &digits[digits.len().min(k).min(digits.len() - 1)..]), format!("-0.{digits}")] {
                let Json::Number(n) = parse(&text, 10, 100).unwrap() else { panic!("{text} is not a number") };
                proptest::prop_assert_eq!(n.to_bits(), text.parse::<f64>().unwrap().to_bits(), "{}", text);
            }
        }

        /// `JSON.stringify`'s escaping is serde_json's: short forms for
        /// `\b \t \n \f \r`, lowercase `\u00xx` for other controls,
        /// everything else as is.
        #[test]
        fn strings_are_escaped_as_json_stringify_does(s in "(\\PC|[\u{0}-\u{1f}\"\\\\\u{7f}\u{2028}])*") {
            let mut out = String::new();
            write_str(&mut out, &s);
            proptest::prop_assert_eq!(out, serde_json::to_string(&s).unwrap());
        }

        #[test]
        fn find_byte_is_the_first_match(bytes: Vec<u8>, at in 0usize..40, needle: u8) {
            let mut b = bytes;
            b.insert(at.min(b.len()), needle);
            proptest::prop_assert_eq!(find_byte(&b, needle), b.iter().position(|&c| c == needle));
            proptest::prop_assert_eq!(find_byte(&b[1..], needle), b[1..].iter().position(|&c| c == needle));
        }

        #[test]
        fn find_special_is_the_first_special_byte(bytes: Vec<u8>, at in 0usize..40, c in proptest::sample::select(vec![0u8, 0x1f, b'"', b'\\', b'!', 0x20, 0x7f, 0x80, 0xff])) {
            let mut b = bytes;
            b.insert(at.min(b.len()), c);
            let naive = b.iter().position(|&c| c < 0x20 || c == b'"' || c == b'\\');
            proptest::prop_assert_eq!(find_special(&b), naive);
        }
    }

    /// Which members a decoder revives, and in what order: `None` is "all,
    /// as they are".
    #[test]
    fn revived_order_of_members() {
        let seventeen = format!("{{{}}}", (0..17).map(|i| format!("\"k{i}\":0")).collect::<Vec<_>>().join(","));
        let cases: &[(&str, Option<Vec<usize>>)] = &[
            (r#"{}"#, None),
            (r#"{"a":1,"b":2}"#, None),
            (r#"{"ab":1,"cb":2}"#, None), // same length and last byte, distinct
            (r#"{"":1,"a":2}"#, None),
            (r#"{"a":1,"a":2}"#, Some(vec![1])),
            (r#"{"":1,"":2}"#, Some(vec![1])),
            (r#"{"a":1,"b":2,"a":3}"#, Some(vec![2, 1])),
            (r#"{"b":1,"1":2,"0":3}"#, Some(vec![2, 1, 0])),
            (r#"{"__proto__":1,"a":2}"#, Some(vec![1])),
            (&seventeen, Some((0..17).collect())),
        ];
        for (text, want) in cases {
            let (doc, root) = parse_doc(text, 10, 100).unwrap();
            let Raw::Object(start, end) = root else { panic!("{text} is an object") };
            assert_eq!(&revived_order(&doc.members[start as usize..end as usize]), want, "{text}");
        }
    }

    fn p(s: &str) -> Result<Json> {
        parse(s, 100, 1 << 20)
    }

    #[test]
    fn parses_values() {
        assert_eq!(
            p(r#" {"a":[1,-2.5e3,"x\n\u00e9\ud83d\ude00"],"b":{},"c":[],"d":null} "#).unwrap(),
            Json::Object(vec![
                (
                    "a".into(),
                    Json::Array(vec![Json::Number(1.0), Json::Number(-2500.0), Json::String("x\né😀".into())])
                ),
                ("b".into(), Json::Object(vec![])),
                ("c".into(), Json::Array(vec![])),
                ("d".into(), Json::Null),
            ])
        );
        assert_eq!(p("1e400").unwrap(), Json::Number(f64::INFINITY));
    }

    #[test]
    fn rejects_bad_json_with_offsets() {
        for (bad, offset) in [
            ("[1,]", 3),
            ("{\"a\" 1}", 5),
            ("01", 1),
            ("[1", 2),
            ("\"\\ud800\"", 1),
            ("\"\\udc00x\"", 1),
            ("tru", 0),
            ("\"a\u{1}\"", 2),
            ("[] x", 3),
            ("", 0),
        ] {
            let e = p(bad).unwrap_err();
            assert_eq!(e.location().offset, Some(offset), "{bad:?}: {e}");
        }
    }

    #[test]
    fn depth_is_limited_without_recursion() {
        let deep = "[".repeat(1_000_000);
        let e = parse(&deep, 1000, 100).unwrap_err();
        assert_eq!(e.category(), crate::Category::Limit);
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(parse(&ok, 100, 100).is_ok());
        let too = format!("{}{}", "[".repeat(101), "]".repeat(101));
        assert!(parse(&too, 100, 100).is_err());
    }

    #[test]
    fn writes_like_json_stringify() {
        let mut s = String::new();
        write_str(&mut s, "a\"b\\c\n\u{1}\u{7f}é\u{2028}");
        assert_eq!(s, "\"a\\\"b\\\\c\\n\\u0001\u{7f}é\u{2028}\"");
        for (n, text) in [
            (1e21, "1e+21"),
            (5e-324, "5e-324"),
            (1.5, "1.5"),
            (-0.0, "0"),
            (123456789012345680000.0, "123456789012345680000"),
            (1e-7, "1e-7"),
            (0.000001, "0.000001"),
        ] {
            let mut s = String::new();
            crate::js::write_number(&mut s, n);
            assert_eq!(s, text);
        }
    }
}
