//! The Flight data a Next.js App Router page embeds in its HTML.
//!
//! Next.js streams the page's RSC payload into `<script>` tags as
//! `self.__next_f.push([...])` calls (the first is written
//! `(self.__next_f=self.__next_f||[]).push([0])`). Observed on the pages of
//! Next.js 15.5 and 16.5 (`tests/vectors/nextjs/`), and in Next.js's
//! `use-flight-response` / `app-index` code that reads them back:
//! - `[0]` starts the stream;
//! - `[1, "text"]` is a chunk of it, as text;
//! - `[3, "base64"]` is a chunk that is not UTF-8, in base64;
//! - `[2, state]` is the form state of a progressive form post, not stream
//!   data;
//! - the array is JSON with `<`, `>`, `&`, U+2028 and U+2029 escaped, so no
//!   `</script>` can end the tag early;
//! - chunk boundaries are not row boundaries: the chunks are concatenated.

use base64::Engine as _;

use crate::error::{Error, Result};
use crate::wire::json::{self, Json};

/// The Flight data of a Next.js page, put back together.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NextData {
    /// The response stream: every `[1, …]` and `[3, …]` chunk, in order.
    pub flight: Vec<u8>,
    /// How many chunks it came in.
    pub chunks: usize,
    /// The byte offset in the HTML of each chunk's script, in order.
    pub chunk_offsets: Vec<usize>,
    /// The `[2, state]` form state, as its JSON, if the page had one.
    pub form_state: Option<String>,
}

/// The array Next.js pushes its chunks onto; the call is
/// `self.__next_f.push(` or, the first time,
/// `(self.__next_f=self.__next_f||[]).push(`.
const ARRAY: &str = "self.__next_f";
const PUSH: &str = ".push(";

/// The next call after byte `from`: the offset of the `self.__next_f` that
/// names it and of its argument.
fn next_push(html: &str, from: usize) -> Option<(usize, usize)> {
    let mut at = from;
    loop {
        let name = at + html[at..].find(ARRAY)?;
        let after = name + ARRAY.len();
        // `.push(` right after the name, or after `=self.__next_f||[])`.
        let window = &html[after..(after + 24).min(html.len())];
        if let Some(p) = window.find(PUSH) {
            if p == 0 || window[..p].starts_with("=self.__next_f||[])") || window[..p] == *"||[])" {
                return Some((name, after + p + PUSH.len()));
            }
        }
        at = after;
    }
}

/// The Flight data embedded in `html`, a page rendered by Next.js's App
/// Router.
///
/// ```
/// let html = r#"<script>(self.__next_f=self.__next_f||[]).push([0])</script><script>self.__next_f.push([1,"0:{\"a\":\"\u003cb\u003e\"}\n"])</script>"#;
/// let data = rsc_flight::inspect::next_flight_data(html)?;
/// assert_eq!(data.flight, b"0:{\"a\":\"<b>\"}\n");
/// # Ok::<(), rsc_flight::Error>(())
/// ```
///
/// # Errors
/// No `self.__next_f.push` call at all, a call whose argument is not the
/// JSON array Next.js writes (with its byte offset in the HTML), a chunk
/// before `[0]`, a `[3, …]` chunk that is not base64.
pub fn next_flight_data(html: &str) -> Result<NextData> {
    let mut data = NextData::default();
    let mut started = false;
    let mut found = false;
    let mut at = 0;
    while let Some((call, start)) = next_push(html, at) {
        found = true;
        // The argument runs to the `)` that closes the call: the JSON's
        // strings escape `<`, so the script's end is the first `</script>`,
        // or the end of the text.
        let script_end = html[start..].find("</script>").map_or(html.len(), |e| start + e);
        let end = html[start..script_end]
            .rfind(')')
            .map(|e| start + e)
            .ok_or_else(|| Error::syntax("a self.__next_f.push( call that never closes").at_offset(call))?;
        let arg = json::parse(&html[start..end], 64, 1 << 30).map_err(|e| e.shift_offset(start))?;
        let Json::Array(items) = &arg else {
            return Err(Error::syntax("self.__next_f.push of something other than an array").at_offset(start));
        };
        let bad = || Error::syntax("a self.__next_f entry that is not [0], [1, text], [2, state] or [3, base64]");
        match items.as_slice() {
            [Json::Number(n)] if *n == 0.0 => started = true,
            [Json::Number(n), chunk] if *n == 1.0 || *n == 3.0 => {
                if !started {
                    return Err(
                        Error::syntax("a self.__next_f chunk before the [0] that starts the stream").at_offset(start)
                    );
                }
                let Json::String(s) = chunk else { return Err(bad().at_offset(start)) };
                if *n == 1.0 {
                    data.flight.extend_from_slice(s.as_bytes());
                } else {
                    let bytes = base64::engine::general_purpose::STANDARD.decode(s.as_bytes()).map_err(|e| {
                        Error::syntax(format!("a [3, base64] chunk that is not base64: {e}")).at_offset(start)
                    })?;
                    data.flight.extend_from_slice(&bytes);
                }
                data.chunks += 1;
                data.chunk_offsets.push(call);
            }
            [Json::Number(n), _] if *n == 2.0 => {
                data.form_state = Some(html[start..end].trim().to_owned());
            }
            _ => return Err(bad().at_offset(start)),
        }
        at = end;
    }
    if !found {
        return Err(Error::syntax("no self.__next_f.push(...) script: not a page rendered by Next.js's App Router"));
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each row: an HTML page, and the Flight bytes in it (or the error).
    #[test]
    fn chunks_are_put_back_together() {
        let start = "<script>(self.__next_f=self.__next_f||[]).push([0])</script>";
        let table: &[(&str, Result<&[u8], &str>)] = &[
            // Chunk boundaries are not row boundaries.
            (
                r#"<script>self.__next_f.push([1,"0:\"a"])</script><script>self.__next_f.push([1,"b\"\n"])</script>"#,
                Ok(b"0:\"ab\"\n"),
            ),
            // JSON escapes, as Next.js writes them.
            (
                r#"<script>self.__next_f.push([1,"0:\"\u003c/script\u003e \u0026 \u2028\"\n"])</script>"#,
                Ok("0:\"</script> & \u{2028}\"\n".as_bytes()),
            ),
            // Bytes that are not UTF-8 come in base64.
            (r#"<script>self.__next_f.push([3,"AP8="])</script>"#, Ok(&[0, 255])),
            // Form state is not stream data.
            (
                r#"<script>self.__next_f.push([2,{"x":1}])</script><script>self.__next_f.push([1,"0:1\n"])</script>"#,
                Ok(b"0:1\n"),
            ),
            (r#"<script>self.__next_f.push([3,"!!"])</script>"#, Err("not base64")),
            (r#"<script>self.__next_f.push([7,"x"])</script>"#, Err("not [0], [1, text]")),
            (r#"<script>self.__next_f.push([1,"x"</script>"#, Err("never closes")),
            (r#"<script>self.__next_f.push({"a":1})</script>"#, Err("other than an array")),
        ];
        for (html, want) in table {
            let got = next_flight_data(&format!("{start}{html}"));
            match (got, want) {
                (Ok(d), Ok(w)) => assert_eq!(&d.flight[..], *w, "{html}"),
                (Err(e), Err(w)) => assert!(e.message().contains(w), "{html}: {e}"),
                (got, _) => panic!("{html}: {got:?}"),
            }
        }
        assert!(next_flight_data(r#"<script>self.__next_f.push([1,"0:1\n"])</script>"#)
            .unwrap_err()
            .message()
            .contains("before the [0]"));
        assert!(next_flight_data("<html></html>").unwrap_err().message().contains("not a page rendered by Next.js"));
    }
}
