//! `multipart/form-data` bodies: the part model, a writer that produces the
//! bytes Node's `fetch` (undici) writes for a `FormData`, and a parser built
//! on the `multer` crate.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use bytes::Bytes;

use crate::error::{Error, Result};

/// One form field: a name and either text or a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The field name.
    pub name: String,
    /// The value.
    pub value: FieldValue,
}

/// The value of a [`Field`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// A text value.
    Text(String),
    /// A file: its name, its MIME type (`""` when none) and its bytes.
    File {
        /// The file name (`"blob"` for a Blob appended without a name).
        filename: String,
        /// The MIME type, `""` when unknown.
        content_type: String,
        /// The content.
        bytes: Bytes,
    },
}

impl Field {
    /// A text field.
    pub fn text(name: impl Into<String>, value: impl Into<String>) -> Self {
        Field { name: name.into(), value: FieldValue::Text(value.into()) }
    }
    /// A file field.
    pub fn file(
        name: impl Into<String>,
        filename: impl Into<String>,
        content_type: impl Into<String>,
        bytes: impl Into<Bytes>,
    ) -> Self {
        Field {
            name: name.into(),
            value: FieldValue::File {
                filename: filename.into(),
                content_type: content_type.into(),
                bytes: bytes.into(),
            },
        }
    }
}

/// Write `fields` as a multipart body with `boundary`, byte for byte as
/// undici (Node's `fetch`) serializes a `FormData`: names have line breaks
/// normalized to CRLF, `"` `\r` `\n` in names and file names are
/// percent-escaped, text values have line breaks normalized to CRLF, and a
/// file without a type is sent as `application/octet-stream`, and a file
/// with an empty name has no `filename` parameter.
pub fn write(fields: &[Field], boundary: &str) -> Vec<u8> {
    // Room for every field and its headers from the start: the body is
    // written in one allocation unless names or text need escaping.
    let headers = boundary.len() + 110;
    let room = fields.iter().fold(boundary.len() + 8, |n, f| {
        n + headers
            + f.name.len()
            + match &f.value {
                FieldValue::Text(t) => t.len(),
                FieldValue::File { filename, content_type, bytes } => filename.len() + content_type.len() + bytes.len(),
            }
    });
    let mut out = Vec::with_capacity(room);
    for f in fields {
        out.extend_from_slice(b"--");
        out.extend_from_slice(boundary.as_bytes());
        out.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
        escape_into(&mut out, &normalize_newlines(&f.name));
        out.push(b'"');
        match &f.value {
            FieldValue::Text(t) => {
                out.extend_from_slice(b"\r\n\r\n");
                out.extend_from_slice(normalize_newlines(t).as_bytes());
            }
            FieldValue::File { filename, content_type, bytes } => {
                // undici leaves out an empty file name altogether, so such a
                // file arrives as a text field (in React as well).
                if !filename.is_empty() {
                    out.extend_from_slice(b"; filename=\"");
                    escape_into(&mut out, filename);
                    out.push(b'"');
                }
                out.extend_from_slice(b"\r\nContent-Type: ");
                let ct = if content_type.is_empty() { "application/octet-stream" } else { content_type };
                out.extend_from_slice(ct.as_bytes());
                out.extend_from_slice(b"\r\n\r\n");
                out.extend_from_slice(bytes);
            }
        }
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"--");
    out.extend_from_slice(boundary.as_bytes());
    out.extend_from_slice(b"--\r\n");
    out
}

fn escape_into(out: &mut Vec<u8>, s: &str) {
    for b in s.bytes() {
        match b {
            b'"' => out.extend_from_slice(b"%22"),
            b'\n' => out.extend_from_slice(b"%0A"),
            b'\r' => out.extend_from_slice(b"%0D"),
            _ => out.push(b),
        }
    }
}

/// Lone `\r`, lone `\n` and `\r\n` all become `\r\n`.
pub fn normalize_newlines(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['\r', '\n']) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\r\n");
            }
            '\n' => out.push_str("\r\n"),
            c => out.push(c),
        }
    }
    out.into()
}

/// A boundary that occurs in none of `fields`, in undici's style.
pub fn choose_boundary(fields: &[Field]) -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let mut seed = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    loop {
        // xorshift: any digits will do, as long as they are not in the body.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let b = format!("----formdata-rsc-flight-{:011}", seed % 100_000_000_000);
        let clash = fields.iter().any(|f| match &f.value {
            FieldValue::Text(t) => t.contains(&b) || f.name.contains(&b),
            FieldValue::File { bytes, filename, .. } => {
                filename.contains(&b) || bytes.windows(b.len()).any(|w| w == b.as_bytes())
            }
        });
        if !clash {
            return b;
        }
    }
}

/// The boundary of a `multipart/form-data` Content-Type.
pub fn boundary_of(content_type: &str) -> Result<String> {
    multer::parse_boundary(content_type)
        .map_err(|e| Error::syntax(format!("invalid multipart Content-Type {content_type:?}: {e}")))
}

/// Parse a complete multipart body into fields, in order.
///
/// `max_fields` and `max_field_bytes` are checked as the parser goes, so a
/// hostile body cannot make it buffer more than the limits allow.
pub fn parse(body: Bytes, boundary: &str, max_fields: usize, max_field_bytes: usize) -> Result<Vec<Field>> {
    let total = body.len();
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::convert::Infallible>(body) });
    let limits = StreamLimits { max_fields, max_field_bytes, max_body_bytes: total };
    block_on(parse_stream(stream, boundary, limits))
}

/// The limits [`parse_stream`] enforces while it reads.
#[derive(Debug, Clone, Copy)]
pub struct StreamLimits {
    /// Fields in the body.
    pub max_fields: usize,
    /// Bytes of any one field's value.
    pub max_field_bytes: usize,
    /// Bytes of the whole body, boundaries and headers included.
    pub max_body_bytes: usize,
}

/// Parse a multipart body as it arrives, chunk by chunk (an HTTP request
/// body, say), into fields, in order.
///
/// Reading stops at the first limit crossed, so a body larger than
/// `max_body_bytes` is refused without being read to its end. An error from
/// the body stream itself is an [`Io`](crate::Category::Io) error.
pub async fn parse_stream<S, O, E>(body: S, boundary: &str, limits: StreamLimits) -> Result<Vec<Field>>
where
    S: futures_util::Stream<Item = std::result::Result<O, E>> + Send,
    O: Into<Bytes> + 'static,
    E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
{
    let StreamLimits { max_fields, max_field_bytes, max_body_bytes } = limits;
    let constraints = multer::Constraints::new().size_limit(
        multer::SizeLimit::new()
            // multer refuses a stream of exactly its limit; ours is inclusive.
            .whole_stream(max_body_bytes as u64 + 1)
            .per_field(max_field_bytes as u64),
    );
    let mut mp = multer::Multipart::with_constraints(body, boundary.to_owned(), constraints);
    let mut fields = Vec::new();
    let mut index = 0usize;
    while let Some(field) = mp.next_field().await.map_err(|e| mp_error(e, index, max_body_bytes))? {
        if fields.len() >= max_fields {
            return Err(Error::limit("max_parts", format!("more than {max_fields} form fields")));
        }
        let name = field.name().unwrap_or("").to_owned();
        let base64 = field
            .headers()
            .get("content-transfer-encoding")
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"base64"));
        if base64 {
            return Err(Error::unsupported(
                "React doesn't accept base64 encoded file uploads because we don't expect form data passed from a browser to ever encode data that way. If that's the wrong assumption, we can easily fix it.",
            ).in_part(|| name.clone()));
        }
        let filename = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(|m| m.to_string());
        let bytes = field.bytes().await.map_err(|e| mp_error(e, index, max_body_bytes).in_part(|| name.clone()))?;
        let value = match filename {
            Some(filename) => FieldValue::File { filename, content_type: content_type.unwrap_or_default(), bytes },
            None => FieldValue::Text(String::from_utf8(bytes.to_vec()).map_err(|e| {
                Error::syntax("a text form field is not valid UTF-8")
                    .in_part(|| name.clone())
                    .at_offset(e.utf8_error().valid_up_to())
            })?),
        };
        fields.push(Field { name, value });
        index += 1;
    }
    Ok(fields)
}

fn mp_error(e: multer::Error, index: usize, max_body_bytes: usize) -> Error {
    match e {
        multer::Error::StreamSizeExceeded { .. } => {
            Error::limit("max_body_bytes", format!("a body larger than {max_body_bytes} bytes"))
        }
        multer::Error::StreamReadFailed(e) => Error::io(format!("reading the body failed: {e}")),
        multer::Error::FieldSizeExceeded { limit, field_name } => Error::limit(
            "max_string_bytes",
            format!("form field {:?} is larger than {limit} bytes", field_name.unwrap_or_default()),
        ),
        e => Error::syntax(format!("invalid multipart body at field #{index}: {e}")),
    }
}

/// Run a future that never waits on anything outside itself (the whole body
/// is in memory), without an async runtime.
fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    // The body stream is always ready, so the parser never waits; the loop
    // is bounded by the body's size, not by time.
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_like_undici() {
        let fields = vec![
            Field::text("0", "a\nb\r\nc\rd"),
            Field::text("x\"y\nz", "v"),
            Field::file("1", "blob", "", vec![1u8, 2]),
            Field::file("2", "a \"q\".txt\n", "text/plain", &b"abc"[..]),
            Field::file("3", "", "text/plain", &b"hi"[..]),
        ];
        let got = write(&fields, "B");
        let want = "--B\r\nContent-Disposition: form-data; name=\"0\"\r\n\r\na\r\nb\r\nc\r\nd\r\n\
--B\r\nContent-Disposition: form-data; name=\"x%22y%0D%0Az\"\r\n\r\nv\r\n\
--B\r\nContent-Disposition: form-data; name=\"1\"; filename=\"blob\"\r\nContent-Type: application/octet-stream\r\n\r\n\u{1}\u{2}\r\n\
--B\r\nContent-Disposition: form-data; name=\"2\"; filename=\"a %22q%22.txt%0A\"\r\nContent-Type: text/plain\r\n\r\nabc\r\n\
--B\r\nContent-Disposition: form-data; name=\"3\"\r\nContent-Type: text/plain\r\n\r\nhi\r\n--B--\r\n";
        assert_eq!(String::from_utf8(got).unwrap(), want);
    }

    #[test]
    fn parses_what_it_writes() {
        let fields = vec![Field::text("0", "[\"$B1\"]"), Field::file("1", "a.txt", "text/plain", &b"hi\r\n--x"[..])];
        let b = choose_boundary(&fields);
        let body = write(&fields, &b);
        let ct = format!("multipart/form-data; boundary={b}");
        let parsed = parse(Bytes::from(body), &boundary_of(&ct).unwrap(), 10, 100).unwrap();
        assert_eq!(parsed, fields);
    }

    #[test]
    fn refuses_unterminated_and_oversized() {
        let body = Bytes::from_static(b"--B\r\nContent-Disposition: form-data; name=\"0\"\r\n\r\nabc");
        assert!(parse(body, "B", 10, 100).is_err());
        let fields = vec![Field::text("0", "x".repeat(200))];
        let body = Bytes::from(write(&fields, "B"));
        assert_eq!(parse(body, "B", 10, 100).unwrap_err().category(), crate::Category::Limit);
    }
}
