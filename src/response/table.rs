//! Rows by id, as framed: what a row holds before it is revived, the rows
//! of each stream gathered under its id, and the hint rows set aside.

use std::collections::VecDeque;

use bytes::Bytes;

use super::frame::Row;
use super::tag::{is_binary_row, is_dev_only, is_stream_start, row};
use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::value::StreamKind;
use crate::wire::ids::IdMap;
use crate::wire::json;

/// A resource hint (an `H` row): React DOM's preload, preinit and
/// preconnect calls made while the server rendered, which React's client
/// replays into the document's `<head>`.
///
/// ```
/// let r = rsc_flight::response::Decoder::new().decode(b":HL[\"/a.png\",\"image\"]\n0:1\n")?;
/// assert_eq!(r.hints[0].code, 'L');
/// assert_eq!(r.hints[0].kind(), "preload");
/// assert_eq!(r.hints[0].model, r#"["/a.png","image"]"#);
/// # Ok::<(), rsc_flight::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// The hint code (`L` preload, `S` stylesheet, `D` DNS prefetch, ...).
    pub code: char,
    /// The JSON payload, as sent (checked to be JSON).
    pub model: String,
}

impl Hint {
    /// What the hint asks React DOM to do, by its code: `"prefetchDNS"`
    /// (`D`), `"preconnect"` (`C`), `"preload"` (`L`), `"preloadModule"`
    /// (`m`), `"preinitStyle"` (`S`), `"preinitScript"` (`X`),
    /// `"preinitModuleScript"` (`M`), or `"unknown"` (React's client
    /// ignores codes it does not know).
    pub fn kind(&self) -> &'static str {
        hint_kind(self.code)
    }
}

/// What a hint code asks React DOM to do (see [`Hint::kind`]).
pub(crate) fn hint_kind(code: char) -> &'static str {
    match code {
        'D' => "prefetchDNS",
        'C' => "preconnect",
        'L' => "preload",
        'm' => "preloadModule",
        'S' => "preinitStyle",
        'X' => "preinitScript",
        'M' => "preinitModuleScript",
        _ => "unknown",
    }
}

/// A row only a development server writes, set aside as it came and never
/// revived: `N` (the server's time origin), `D` (debug information about
/// the row with its id: the component that rendered it, timings), `J` (I/O
/// information), `W` (a console call to replay), and an empty row (a row the
/// server halted). Its text may hold development-only tags (`$E` is code
/// React's development client evaluates): they stay text here.
///
/// ```
/// let body = b":N1796532923389.12\n0:{\"p\":\"$@1\"}\n1:D{\"time\":1.2}\n1:{\"x\":1}\n";
/// let r = rsc_flight::response::Decoder::new().decode(body)?;
/// assert_eq!(r.debug.len(), 2);
/// assert_eq!((r.debug[1].id, r.debug[1].tag, r.debug[1].text.as_str()), (1, 'D', r#"{"time":1.2}"#));
/// assert_eq!(rsc_flight::tagged::to_string(&r.value)?, r#"{"p":{"$type":"Promise","status":"fulfilled","value":{"x":1}}}"#);
/// # Ok::<(), rsc_flight::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebugRow {
    /// The row id.
    pub id: u32,
    /// `N`, `D`, `J`, `W`, or `' '` for an empty (halted) row.
    pub tag: char,
    /// The payload, as sent.
    pub text: String,
}

/// What a row holds before it is revived.
pub(super) enum Data {
    Model(Bytes, usize),
    Text(Bytes),
    Binary(u8, Bytes),
    Import(Bytes, usize),
    Error(Bytes, usize),
    Stream(StreamRows),
}

/// A stream's rows: how it started, its entries, and its end.
pub(super) struct StreamRows {
    pub(super) kind: Option<StreamKind>,
    pub(super) bytes: bool,
    pub(super) entries: VecDeque<Row>,
    pub(super) end: Option<Row>,
}

/// The rows of a response by id, and its hints in order.
#[derive(Default)]
pub(super) struct Table {
    pub(super) rows: IdMap<Data>,
    pub(super) hints: Vec<Hint>,
    pub(super) debug: Vec<DebugRow>,
}

impl Table {
    /// File `row` under its id.
    ///
    /// # Errors
    /// Development rows, a row defined twice, malformed stream rows and
    /// hints, and the row limit.
    pub(super) fn add(&mut self, row: Row, limits: &Limits) -> Result<()> {
        let at = row.offset;
        if self.rows.len() >= limits.get_max_parts() {
            return Err(Error::limit("max_parts", "more rows than the limit").at_offset(at));
        }
        let tag = row.tag;
        if let Some(Data::Stream(s)) = self.rows.get_mut(row.id) {
            if s.end.is_some() {
                return Err(Error::syntax(format!("row {:x} after its stream was closed", row.id)).at_offset(at));
            }
            match tag {
                Some(row::CLOSE | row::ERROR) => s.end = Some(row),
                Some(t) if is_stream_start(t) => {
                    return Err(Error::syntax(format!("stream {:x} started twice", row.id)).at_offset(at))
                }
                _ => s.entries.push_back(row),
            }
            return Ok(());
        }
        let data = match tag {
            Some(t) if is_dev_only(t) => {
                self.debug.push(DebugRow { id: row.id, tag: t as char, text: utf8(&row)?.to_owned() });
                return Ok(());
            }
            // React's client ignores a hint's id: hints share no table with
            // the other rows.
            Some(row::HINT) => {
                self.hints.push(hint(&row, limits)?);
                return Ok(());
            }
            Some(t) if is_stream_start(t) => {
                let (kind, bytes) = match t {
                    row::READABLE => (Some(StreamKind::Readable), false),
                    row::BYTE_STREAM => (None, true),
                    row::ASYNC_ITERABLE => (Some(StreamKind::AsyncIterable), false),
                    _ => (Some(StreamKind::AsyncIterator), false),
                };
                Data::Stream(StreamRows { kind, bytes, entries: VecDeque::new(), end: None })
            }
            Some(row::CLOSE) => {
                return Err(
                    Error::syntax(format!("row {:x} closes a stream that was never started", row.id)).at_offset(at)
                )
            }
            Some(row::TEXT) => Data::Text(row.payload),
            Some(row::BYTES) => {
                return Err(
                    Error::syntax(format!("byte chunk for row {:x}, which is not a byte stream", row.id)).at_offset(at)
                )
            }
            Some(t) if is_binary_row(t) => Data::Binary(t, row.payload),
            Some(row::IMPORT) => Data::Import(row.payload, row.payload_offset),
            Some(row::ERROR) => Data::Error(row.payload, row.payload_offset),
            // A row a development server halted: it never gets a value.
            None if row.payload.is_empty() => {
                self.debug.push(DebugRow { id: row.id, tag: ' ', text: String::new() });
                return Ok(());
            }
            // No tag, or a tag without a handler ('#', 'P', ...): a model.
            _ => Data::Model(row.payload, row.payload_offset),
        };
        if self.rows.insert(row.id, data).is_some() {
            return Err(defined_twice(row.id, at));
        }
        Ok(())
    }
}

/// An `H` row: its code and its JSON, which React's client parses (and
/// fails on when it is not JSON).
fn hint(row: &Row, limits: &Limits) -> Result<Hint> {
    let text = utf8(row)?;
    let mut cs = text.chars();
    let code = cs.next().ok_or_else(|| Error::syntax("an empty hint row").at_offset(row.offset))?;
    let model = cs.as_str();
    let at = row.payload_offset + code.len_utf8();
    json::parse_doc(model, limits.get_max_depth(), limits.get_max_string_bytes())
        .map_err(|e| e.shift_offset(at).in_part(|| format!("hint row {code}")))?;
    Ok(Hint { code, model: model.to_owned() })
}

pub(super) fn defined_twice(id: u32, at: usize) -> Error {
    Error::syntax(format!("row {id:x} defined twice")).at_offset(at)
}

/// A row's payload as text.
pub(super) fn utf8(row: &Row) -> Result<&str> {
    std::str::from_utf8(&row.payload).map_err(|e| {
        Error::syntax(format!("row {:x} is not valid UTF-8", row.id)).at_offset(row.payload_offset + e.valid_up_to())
    })
}
