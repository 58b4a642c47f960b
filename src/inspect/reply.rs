//! A reply body, part by part: its fields in order, what each is, and the
//! parts each refers to.

use super::response::shorten;
use super::{Fault, Report, RowInfo, RowKind};
use crate::js::parse_hex_id;
use crate::multipart::{self, Field, FieldValue};
use crate::reply::tag::{self, Tag};
use crate::version::{Dialect, FormEntries, React};
use crate::wire::json;

/// Inspect a reply body (`content_type`: the request's; a body that starts
/// `--` is taken for multipart without one).
pub(super) fn inspect(body: &[u8], react: React, content_type: Option<&str>) -> Report {
    let dialect = react.dialect();
    let mut report = Report { format: "reply", bytes: body.len(), ..Report::default() };
    let multipart_type = match content_type {
        Some(ct) if ct.starts_with("multipart/") => Some(ct.to_owned()),
        Some(_) => None,
        // Undici's boundaries are `----formdata-undici-…`; take the first line.
        None if body.starts_with(b"--") => {
            let line = body.split(|b| *b == b'\r' || *b == b'\n').next().unwrap_or_default();
            Some(format!("multipart/form-data; boundary={}", String::from_utf8_lossy(&line[2..])))
        }
        None => None,
    };
    let fields = match &multipart_type {
        Some(ct) => {
            let parsed = multipart::boundary_of(ct)
                .and_then(|b| multipart::parse(bytes::Bytes::copy_from_slice(body), &b, 10_000, 64 << 20));
            match parsed {
                Ok(f) => f,
                Err(e) => {
                    report.fault = Some(Fault::new(&e, body));
                    return report;
                }
            }
        }
        None => match std::str::from_utf8(body) {
            Ok(t) => vec![Field::text("0", t)],
            Err(e) => {
                let e = crate::Error::syntax("a text body that is not valid UTF-8").at_offset(e.valid_up_to());
                report.fault = Some(Fault::new(&e, body));
                return report;
            }
        },
    };
    for (i, f) in fields.iter().enumerate() {
        report.rows.push(describe(i, f, dialect));
    }
    // A FormData's entries and a stream's chunks are what `$K<n>` and
    // `$R<n>` lead to.
    report.summarize(|r| matches!(r.kind, RowKind::FormEntry | RowKind::StreamChunk));
    let decoder = crate::reply::Decoder::new().react(react);
    match decoder.decode_action(&fields) {
        Ok(Some(action)) => {
            report.value = crate::tagged::to_string(&action.arguments()).ok();
            report.action = Some(action.id);
            return report;
        }
        Ok(None) => {}
        Err(e) => {
            report.fault = Some(Fault::new(&e, body));
            return report;
        }
    }
    match decoder.decode_fields(&fields) {
        Ok(v) => report.value = crate::tagged::to_string(&v).ok(),
        Err(e) => report.fault = Some(Fault::new(&e, body)),
    }
    report
}

fn describe(index: usize, f: &Field, dialect: Dialect) -> RowInfo {
    let name = f.name.as_str();
    let mut info = RowInfo {
        id: 0,
        tag: None,
        kind: RowKind::Part,
        offset: index,
        bytes: 0,
        refs: Vec::new(),
        detail: format!("field {name:?}"),
        preview: String::new(),
        tree: Vec::new(),
    };
    let text = match &f.value {
        FieldValue::Text(t) => {
            info.bytes = t.len();
            info.preview = shorten(t);
            Some(t.as_str())
        }
        FieldValue::File { filename, content_type, bytes } => {
            info.kind = RowKind::File;
            info.bytes = bytes.len();
            info.detail = format!("field {name:?}: file {filename:?}, type {content_type:?}, {} bytes", bytes.len());
            None
        }
    };
    let decimal = |s: &str| s.parse::<u32>().ok().filter(|n| n.to_string() == s);
    if let Some(rest) = name.strip_prefix("$ACTION_") {
        info.kind = RowKind::Action;
        info.tag = Some('$');
        info.detail = format!("field {name:?}: {}", action_field(rest));
        return info;
    }
    let entry = match dialect.form_entries {
        FormEntries::Underscored => name.strip_prefix('_').and_then(|r| r.split_once('_')),
        FormEntries::Plain => name.split_once('_'),
    };
    if let Some(n) = entry.and_then(|(n, _)| decimal(n)) {
        info.kind = RowKind::FormEntry;
        info.id = n;
        info.tag = Some('_');
        return info;
    }
    if let Some(n) = name.strip_prefix('S').and_then(decimal).filter(|_| dialect.stream_keys_s) {
        info.kind = RowKind::StreamChunk;
        info.id = n;
        info.tag = Some('S');
    } else if let Some(n) = decimal(name) {
        info.id = n;
    } else {
        info.detail = format!("field {name:?}: no part React reads");
        return info;
    }
    if let Some(t) = text {
        // A stream chunk may be `C` (its end) or `C<json>` (its return value).
        let json_text = if info.kind == RowKind::StreamChunk { t.strip_prefix('C').unwrap_or(t) } else { t };
        if json_text.is_empty() {
            return info;
        }
        match json::parse(json_text, 1_000, 1 << 30) {
            Ok(j) => info.refs = super::references(&j, |s| part_of(s, dialect)),
            Err(e) => info.detail = format!("{}: not JSON: {}", info.detail, e.message()),
        }
    }
    info
}

/// What a `$ACTION_` field means to `decodeAction`.
fn action_field(rest: &str) -> String {
    if let Some(id) = rest.strip_prefix("ID_") {
        format!("calls the server function {id:?} with the form's fields")
    } else if let Some(prefix) = rest.strip_prefix("REF_") {
        format!("calls the server reference under the field prefix \"$ACTION_{prefix}:\"")
    } else if rest == "KEY" {
        "the form state's key path".into()
    } else {
        "a field of a bound server reference's metadata".into()
    }
}

/// The part a `$` string leads to, as `dialect`'s server reads it.
fn part_of(s: &str, dialect: Dialect) -> Option<u32> {
    if !tag::is_tagged(s) {
        return None;
    }
    let id_text = match tag::classify(s, dialect) {
        Tag::Model(t)
        | Tag::Promise(t)
        | Tag::ServerReference(t)
        | Tag::Collection(_, t)
        | Tag::FormData(t)
        | Tag::Blob(t)
        | Tag::Binary(_, t)
        | Tag::Stream(_, _, t) => t,
        _ => return None,
    };
    parse_hex_id(id_text.split(':').next().unwrap_or_default())
}
