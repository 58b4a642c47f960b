//! A response stream, row by row: what each row is, what it refers to, and
//! what the whole decodes to.

use std::collections::BTreeSet;

use super::{Fault, Report, RowInfo, RowKind};
use crate::response::frame::{Framer, Row};
use crate::response::tag::{self, row};
use crate::response::Decoder;
use crate::value::TypedArrayKind;
use crate::version::{Dialect, React};
use crate::wire::json::{self, Json};
use crate::wire::tags::{typed_array_of, ARRAY_BUFFER};

/// The longest preview of a row's payload, in characters.
const PREVIEW: usize = 120;

/// Inspect the bytes of a response stream as `react`'s client reads it.
pub(super) fn inspect(body: &[u8], react: React) -> Report {
    let dialect = react.dialect();
    let mut report = Report { format: "response", bytes: body.len(), ..Report::default() };
    let mut framer = Framer::new(usize::MAX);
    let mut rows = Vec::new();
    let framed = framer.push(body, &mut rows).and_then(|()| framer.finish());
    // Rows whose id started a stream: later rows with that id are its chunks.
    let mut streams = BTreeSet::new();
    for r in &rows {
        let info = describe(r, dialect, &mut streams);
        report.rows.push(info);
    }
    if let Err(e) = framed {
        report.fault = Some(Fault::new(&e, body));
    }
    report.summarize(|_| false);
    if report.fault.is_none() {
        match Decoder::new().react(react).decode(body) {
            Ok(r) => report.value = crate::tagged::to_string(&r.value).ok(),
            Err(e) => report.fault = Some(Fault::new(&e, body)),
        }
    }
    report
}

fn describe(r: &Row, dialect: Dialect, streams: &mut BTreeSet<u32>) -> RowInfo {
    let text = std::str::from_utf8(&r.payload).ok();
    let mut info = RowInfo {
        id: r.id,
        tag: r.tag.map(char::from),
        kind: RowKind::Model,
        offset: r.offset,
        bytes: r.payload.len(),
        refs: Vec::new(),
        detail: String::new(),
        preview: String::new(),
        tree: Vec::new(),
    };
    let json_payload = |info: &mut RowInfo| {
        let Some(t) = text else {
            info.detail = "not UTF-8".into();
            return None;
        };
        info.preview = shorten(t);
        match json::parse(t, 1_000, 1 << 30) {
            Ok(j) => {
                info.refs = super::references(&j, |s| row_of(s, dialect));
                info.tree = tree(&j, dialect);
                Some(j)
            }
            Err(e) => {
                info.detail = format!("not JSON: {}", e.message());
                None
            }
        }
    };
    match r.tag {
        None if r.payload.is_empty() => info.kind = RowKind::Halted,
        None => {
            info.kind = if streams.contains(&r.id) { RowKind::StreamChunk } else { RowKind::Model };
            json_payload(&mut info);
        }
        Some(row::IMPORT) => {
            info.kind = RowKind::ClientReference;
            if let Some(Json::Array(meta)) = &json_payload(&mut info) {
                info.detail = client_reference(meta);
            }
        }
        Some(row::HINT) => {
            info.kind = RowKind::Hint;
            json_payload(&mut info);
            info.refs.clear();
        }
        Some(row::ERROR) => {
            info.kind = RowKind::Error;
            if let Some(Json::Object(m)) = &json_payload(&mut info) {
                if let Some((_, Json::String(d))) = m.iter().find(|(k, _)| &**k == "digest") {
                    info.detail = format!("digest {:?}", &**d);
                }
            }
        }
        Some(row::TEXT) => {
            info.kind = RowKind::Text;
            info.preview = text.map(shorten).unwrap_or_default();
            info.detail = format!("{} bytes of text", r.payload.len());
        }
        Some(row::BYTES) => {
            info.kind = RowKind::ByteChunk;
            info.detail = format!("{} bytes", r.payload.len());
        }
        Some(t) if tag::is_stream_start(t) => {
            info.kind = RowKind::StreamStart;
            streams.insert(r.id);
            info.detail = match t {
                row::READABLE => "ReadableStream",
                row::BYTE_STREAM => "byte ReadableStream",
                row::ASYNC_ITERABLE => "async iterable",
                _ => "async iterator",
            }
            .into();
        }
        Some(row::CLOSE) => {
            info.kind = RowKind::StreamEnd;
            json_payload(&mut info);
        }
        Some(t) if t == ARRAY_BUFFER || typed_array_of(t).is_some() => {
            info.kind = RowKind::Binary;
            let name = typed_array_of(t).map_or("ArrayBuffer", TypedArrayKind::name);
            info.detail = format!("{name}, {} bytes", r.payload.len());
        }
        Some(t) if tag::is_dev_only(t) => {
            info.kind = RowKind::Debug;
            info.preview = text.map(shorten).unwrap_or_default();
        }
        Some(_) => {
            // A tag React's client does not handle: it reads a model.
            info.kind = RowKind::Model;
            json_payload(&mut info);
        }
    }
    if info.kind == RowKind::Hint {
        if let Some(code) = r.payload.first().map(|c| char::from(*c)) {
            info.detail = format!("{} ({code})", crate::response::hint_kind(code));
        }
    }
    info
}

/// `I[module, chunks, export, async?]`, spelled out.
fn client_reference(meta: &[Json]) -> String {
    let show = |j: &Json| match j {
        Json::String(s) => format!("{:?}", &**s),
        Json::Number(n) => number(*n),
        Json::Array(a) => format!("{} chunk entries", a.len()),
        _ => "?".into(),
    };
    let module = meta.first().map(show).unwrap_or_default();
    let chunks = meta.get(1).map(show).unwrap_or_default();
    let name = meta.get(2).map(show).unwrap_or_default();
    let asynchronous =
        matches!(meta.get(3), Some(Json::Number(n)) if *n == 1.0) || matches!(meta.get(3), Some(Json::Bool(true)));
    format!("module {module}, export {name}, {chunks}{}", if asynchronous { ", async" } else { "" })
}

/// The row a `$` string leads to, as `dialect`'s client reads it.
fn row_of(s: &str, dialect: Dialect) -> Option<u32> {
    if !tag::is_tagged(s) {
        return None;
    }
    tag::classify(s, dialect).ok().and_then(|t| t.row())
}

/// The most lines of a row's tree.
const TREE_LINES: usize = 40;
/// Deeper than this, a tree says `…`.
const TREE_DEPTH: usize = 12;

/// A row's JSON as an indented tree, each `$` reference followed by the row
/// it leads to (`"$L3" → row 3`), long strings shortened; at most
/// [`TREE_LINES`] lines.
fn tree(root: &Json, dialect: Dialect) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cut = false;
    walk(root, None, 0, dialect, &mut lines, &mut cut);
    if cut {
        lines.push("…".to_owned());
    }
    lines
}

fn walk(j: &Json, key: Option<&str>, depth: usize, dialect: Dialect, lines: &mut Vec<String>, cut: &mut bool) {
    if lines.len() >= TREE_LINES {
        *cut = true;
        return;
    }
    let pad = "  ".repeat(depth);
    let label = key.map(|k| format!("{}: ", quoted(k))).unwrap_or_default();
    let scalar = |s: String| format!("{pad}{label}{s}");
    match j {
        Json::Array(_) | Json::Object(_) if depth >= TREE_DEPTH => lines.push(scalar("…".into())),
        Json::Array(a) if a.is_empty() => lines.push(scalar("[]".into())),
        Json::Object(m) if m.is_empty() => lines.push(scalar("{}".into())),
        Json::Array(a) => {
            lines.push(scalar("[".into()));
            for item in a {
                walk(item, None, depth + 1, dialect, lines, cut);
            }
            lines.push(format!("{pad}]"));
        }
        Json::Object(m) => {
            lines.push(scalar("{".into()));
            for (k, v) in m {
                walk(v, Some(k), depth + 1, dialect, lines, cut);
            }
            lines.push(format!("{pad}}}"));
        }
        Json::String(s) => {
            let target = row_of(s, dialect).map(|id| format!(" → row {id:x}"));
            lines.push(scalar(format!("{}{}", quoted(&shorten_to(s, 60)), target.unwrap_or_default())));
        }
        Json::Number(n) => lines.push(scalar(number(*n))),
        Json::Bool(b) => lines.push(scalar(b.to_string())),
        Json::Null => lines.push(scalar("null".into())),
    }
}

/// `s` as a JSON string.
fn quoted(s: &str) -> String {
    let mut out = String::new();
    crate::wire::json::write_str(&mut out, s);
    out
}

/// A JSON number in the notation (as JavaScript writes it; `-0` said).
fn number(n: f64) -> String {
    crate::tagged::to_string(&crate::Value::from_item(n.into())).unwrap_or_default()
}

/// At most `n` characters of `s`, with how many more there were.
fn shorten_to(s: &str, n: usize) -> String {
    let count = s.chars().count();
    if count <= n {
        return s.to_owned();
    }
    format!("{}… ({} more characters)", s.chars().take(n).collect::<String>(), count - n)
}

/// At most [`PREVIEW`] characters of `s`, with what was cut said.
pub(super) fn shorten(s: &str) -> String {
    shorten_to(s, PREVIEW)
}
