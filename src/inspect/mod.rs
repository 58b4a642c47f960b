//! See what a Flight payload holds: a response stream row by row, a reply
//! body part by part, or the Flight data inside a page rendered by
//! Next.js's App Router. What `rsc-flight inspect` prints.
//!
//! ```
//! use rsc_flight::inspect::{inspect, As};
//! let report = inspect(b"1:I[\"./a.js\",[],\"A\"]\n0:[\"$\",\"$L1\",null,{\"x\":\"$2\"}]\n", As::Response, Default::default());
//! assert_eq!(report.rows.len(), 2);
//! assert_eq!(report.rows[1].refs, [1, 2]);
//! assert_eq!(report.missing, [2]); // row 2 never came
//! assert!(report.fault.is_some()); // so the root never resolves
//! let text = report.to_text(false);
//! assert!(text.contains("client reference"), "{text}");
//! ```
//!
//! Nothing is evaluated: rows are framed and parsed as JSON, references
//! are found by their `$` tags as the client would read them, and the whole
//! is decoded once, under the default limits, for its value or its fault.

mod next;
mod render;
mod reply;
mod response;

pub use next::{next_flight_data, NextData};

use crate::error::Error;
use crate::React;

/// What the input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum As {
    /// Decide from the bytes: an HTML page, a multipart reply, a response
    /// stream (rows `<hex>:`), or a text reply (JSON).
    Guess,
    /// A response stream (`renderToReadableStream`, or a Next.js `RSC: 1`
    /// fetch response).
    Response,
    /// A reply body with this `Content-Type` (`text/plain` or multipart).
    Reply,
    /// An HTML page rendered by Next.js's App Router.
    Html,
}

/// What [`inspect`] found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// `"response"`, `"reply"` or `"html"` (a response inside a page).
    pub format: &'static str,
    /// The input's size.
    pub bytes: usize,
    /// The rows (or parts), in arrival order.
    pub rows: Vec<RowInfo>,
    /// Rows referred to that never came.
    pub missing: Vec<u32>,
    /// Rows (or parts) that nothing refers to (the root excepted).
    pub unreferenced: Vec<u32>,
    /// Per kind: how many, and how many payload bytes.
    pub totals: Vec<(&'static str, (usize, usize))>,
    /// The decoded value, in the tagged notation (spec/notation.md).
    pub value: Option<String>,
    /// The first fault: everything before it is listed.
    pub fault: Option<Fault>,
    /// For a Next.js page: how many `self.__next_f` chunks the stream came
    /// in, and the form state it carried.
    pub next_chunks: Option<usize>,
    /// The `[2, state]` form state of a Next.js page, as JSON.
    pub form_state: Option<String>,
    /// For a form post (`$ACTION_` fields): the Server Function
    /// `decodeAction` calls; [`Report::value`] is then its arguments.
    pub action: Option<String>,
}

/// One row of a response, or one part of a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowInfo {
    /// The row id (for a reply: the part number; FormData entries and
    /// stream chunks carry their part's).
    pub id: u32,
    /// The row tag, or for a reply part the first letter of its field name
    /// when it is not a number (`S` stream chunk, `_` FormData entry).
    pub tag: Option<char>,
    /// What the row is.
    pub kind: RowKind,
    /// The row's byte offset in the input (for a reply: the field's index).
    pub offset: usize,
    /// The payload's size.
    pub bytes: usize,
    /// The rows (parts) it refers to, in order.
    pub refs: Vec<u32>,
    /// Kind-specific facts: a client reference's module and export, a
    /// hint's kind, an error's digest, a binary row's type and length.
    pub detail: String,
    /// The payload, shortened.
    pub preview: String,
    /// A JSON payload as an indented tree, a line each, each reference
    /// followed by the row it leads to (`"$L3" → row 3`); empty for other
    /// rows. The text output prints it in place of the preview.
    pub tree: Vec<String>,
}

/// What a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A JSON model.
    Model,
    /// `I`: a client reference's metadata.
    ClientReference,
    /// `H`: a hint for React DOM.
    Hint,
    /// `E`: an error.
    Error,
    /// `T`: a long string.
    Text,
    /// A typed array or ArrayBuffer.
    Binary,
    /// `R r X x`: a stream starts.
    StreamStart,
    /// A value of a stream (a later row with the stream's id).
    StreamChunk,
    /// `b`: a chunk of a byte stream.
    ByteChunk,
    /// `C`: a stream ends.
    StreamEnd,
    /// `N D J W`: a development server's debug and console rows.
    Debug,
    /// An empty row a development server halted.
    Halted,
    /// A reply part: JSON text.
    Part,
    /// A reply part: a file.
    File,
    /// A reply field: an entry of a FormData argument.
    FormEntry,
    /// A reply field: a `$ACTION_` field of a form post.
    Action,
}

impl RowKind {
    /// A short name, for output.
    pub fn name(self) -> &'static str {
        match self {
            RowKind::Model => "model",
            RowKind::ClientReference => "client reference",
            RowKind::Hint => "hint",
            RowKind::Error => "error",
            RowKind::Text => "text",
            RowKind::Binary => "binary",
            RowKind::StreamStart => "stream start",
            RowKind::StreamChunk => "stream chunk",
            RowKind::ByteChunk => "byte chunk",
            RowKind::StreamEnd => "stream end",
            RowKind::Debug => "debug",
            RowKind::Halted => "halted",
            RowKind::Part => "part",
            RowKind::File => "file",
            RowKind::FormEntry => "form entry",
            RowKind::Action => "action field",
        }
    }

    /// Whether a row of this kind is the row its id names (a halted row
    /// is: it came, and will never have a value).
    fn defines_row(self) -> bool {
        !matches!(
            self,
            RowKind::Hint
                | RowKind::Debug
                | RowKind::StreamChunk
                | RowKind::ByteChunk
                | RowKind::StreamEnd
                | RowKind::FormEntry
                | RowKind::Action
        )
    }
}

/// Where and why reading stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// The error, as the decoder says it.
    pub message: String,
    /// Its byte offset in the input, where known.
    pub offset: Option<usize>,
    /// Up to 24 bytes either side of the offset, escaped.
    pub around: Option<String>,
}

impl Fault {
    fn new(e: &Error, input: &[u8]) -> Fault {
        let offset = e.location().offset;
        let around = offset.map(|at| {
            let at = at.min(input.len());
            let from = at.saturating_sub(24);
            let to = (at + 24).min(input.len());
            format!(
                "{}⟦{}⟧{}",
                input[from..at].escape_ascii(),
                input[at..(at + 1).min(to)].escape_ascii(),
                input[(at + 1).min(to)..to].escape_ascii()
            )
        });
        Fault { message: e.to_string(), offset, around }
    }
}

impl Report {
    /// Work out what never came (references to rows nothing defines, nor
    /// `reachable` rows), what nothing refers to (the root excepted), and
    /// the totals per kind.
    fn summarize(&mut self, reachable: impl Fn(&RowInfo) -> bool) {
        use std::collections::{BTreeMap, BTreeSet};
        let defined: BTreeSet<u32> = self.rows.iter().filter(|r| r.kind.defines_row()).map(|r| r.id).collect();
        let also: BTreeSet<u32> = self.rows.iter().filter(|r| reachable(r)).map(|r| r.id).collect();
        let referenced: BTreeSet<u32> = self.rows.iter().flat_map(|r| r.refs.iter().copied()).collect();
        self.missing = referenced.iter().copied().filter(|id| !defined.contains(id) && !also.contains(id)).collect();
        self.unreferenced = defined.iter().copied().filter(|id| *id != 0 && !referenced.contains(id)).collect();
        let mut totals: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
        for r in &self.rows {
            let t = totals.entry(r.kind.name()).or_default();
            t.0 += 1;
            t.1 += r.bytes;
        }
        self.totals = totals.into_iter().collect();
    }
}

/// The rows (parts) a payload refers to through its `$` strings, as
/// `lead` reads each, in order, once each. A walk with a stack of its own:
/// payloads can nest deeply.
fn references(root: &crate::wire::json::Json, lead: impl Fn(&str) -> Option<u32>) -> Vec<u32> {
    use crate::wire::json::Json;
    let mut out = Vec::new();
    let mut todo = vec![root];
    while let Some(j) = todo.pop() {
        match j {
            Json::String(s) => {
                if let Some(id) = lead(s).filter(|id| !out.contains(id)) {
                    out.push(id);
                }
            }
            Json::Array(a) => todo.extend(a.iter().rev()),
            Json::Object(m) => todo.extend(m.iter().rev().map(|(_, v)| v)),
            _ => {}
        }
    }
    out
}

/// Inspect `input` as `what` says (or as it looks), read as `react`'s
/// client or server would. Never fails: a malformed input is a report
/// whose [`Report::fault`] says where.
pub fn inspect(input: &[u8], what: As, react: React) -> Report {
    inspect_with_content_type(input, what, react, None)
}

/// [`inspect`], for a reply, with the request's `Content-Type`.
pub fn inspect_with_content_type(input: &[u8], what: As, react: React, content_type: Option<&str>) -> Report {
    let what = match what {
        As::Guess => guess(input, content_type),
        w => w,
    };
    match what {
        As::Html => match std::str::from_utf8(input)
            .map_err(|e| Error::syntax("an HTML page that is not valid UTF-8").at_offset(e.valid_up_to()))
        {
            Ok(html) => match next_flight_data(html) {
                Ok(data) => {
                    let mut r = response::inspect(&data.flight, react);
                    r.format = "html";
                    r.next_chunks = Some(data.chunks);
                    r.form_state = data.form_state;
                    r
                }
                Err(e) => Report {
                    format: "html",
                    bytes: input.len(),
                    fault: Some(Fault::new(&e, input)),
                    ..Report::default()
                },
            },
            Err(e) => {
                Report { format: "html", bytes: input.len(), fault: Some(Fault::new(&e, input)), ..Report::default() }
            }
        },
        As::Reply => reply::inspect(input, react, content_type),
        As::Response | As::Guess => response::inspect(input, react),
    }
}

/// What the bytes look like: a page, a multipart body, rows, or JSON.
fn guess(input: &[u8], content_type: Option<&str>) -> As {
    if content_type.is_some_and(|ct| ct.starts_with("multipart/form-data") || ct.starts_with("text/plain")) {
        return As::Reply;
    }
    let start = input.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(0);
    let head = &input[start..];
    if head.starts_with(b"<") {
        return As::Html;
    }
    if head.starts_with(b"--") {
        return As::Reply;
    }
    // Rows start `<hex id>:` or `:` (a hint).
    let id = head.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if head.get(id) == Some(&b':') {
        return As::Response;
    }
    As::Reply
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each row: bytes, what they are taken for.
    #[test]
    fn inputs_are_recognised() {
        let table: &[(&[u8], As)] = &[
            (b"0:1\n", As::Response),
            (b":HL[\"/a\",\"image\"]\n0:1\n", As::Response),
            (b"1f:\"x\"\n", As::Response),
            (b"  <!DOCTYPE html><html>", As::Html),
            (b"[1,\"$n2\"]", As::Reply),
            (b"\"text\"", As::Reply),
            (b"--X\r\nContent-Disposition: form-data; name=\"0\"\r\n\r\n1\r\n--X--\r\n", As::Reply),
        ];
        for (input, want) in table {
            assert_eq!(guess(input, None), *want, "{:?}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn a_truncated_response_lists_what_came_and_where_it_stopped() {
        let r = inspect(b"1:\"a\"\n0:[\"$1\",\"$2\"]\n2:T10,abc", As::Response, React::default());
        assert_eq!(r.rows.iter().map(|r| r.id).collect::<Vec<_>>(), [1, 0]);
        let fault = r.fault.expect("a fault");
        // The row that never ends: its first byte.
        assert_eq!(fault.offset, Some(20));
        assert!(fault.around.unwrap().contains("abc"));
        assert_eq!(r.missing, [2]);
    }
}
