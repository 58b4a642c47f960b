//! JavaScript conversions of values that both directions share: what
//! `new Date(Date.parse(text))` and `BigInt(text)` give for the text after a
//! `$D` or `$n` tag (each decoder calls these, so that the same bad text is
//! the same error in a reply and in a response), and `String(value)`, which
//! both encoders use to describe a rejection reason.

use super::{BigInt, Date, Item, Node, NodeId, Symbol, TypedArrayKind, Value};
use crate::error::{Error, Result};
use crate::js::{string_to_bigint, utf16_len, write_number};

/// JavaScript's `String(item)`, for the values a `Value` holds: an `Error`
/// is `"Error: message"` (`"Error"` without one), a plain object
/// `"[object Object]"`, an array its elements joined by `,` (each `null` or
/// `undefined` empty, as `Array.prototype.join` does, and a cycle empty), a
/// Map `"[object Map]"` and so on by class, a Date in UTC (JavaScript uses
/// the machine's time zone), a symbol `"Symbol(description)"`.
pub(crate) fn to_string(v: &Value, item: &Item) -> String {
    let mut out = String::new();
    push_string(v, item, &mut Vec::new(), &mut out);
    out
}

fn push_string(v: &Value, item: &Item, open: &mut Vec<NodeId>, out: &mut String) {
    match item {
        Item::Undefined => out.push_str("undefined"),
        Item::Null => out.push_str("null"),
        Item::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Item::Number(n) => push_number(*n, out),
        Item::String(s) => out.push_str(s),
        Item::BigInt(b) => out.push_str(b.as_str()),
        Item::Date(d) => out.push_str(&d.to_utc_string()),
        Item::Symbol(s) => {
            out.push_str("Symbol(");
            out.push_str(match &**s {
                Symbol::Registered(k) => k,
                Symbol::Local(d) => d.as_deref().unwrap_or(""),
            });
            out.push(')');
        }
        Item::Node(n) => match v.node(*n) {
            Node::Error { message, .. } if message.is_empty() => out.push_str("Error"),
            Node::Error { message, .. } => {
                out.push_str("Error: ");
                out.push_str(message);
            }
            Node::Array(items) => {
                // `join` leaves out an array it is already joining.
                if open.contains(n) {
                    return;
                }
                open.push(*n);
                for (i, e) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    if !matches!(e, Item::Null | Item::Undefined) {
                        push_string(v, e, open, out);
                    }
                }
                open.pop();
            }
            Node::TypedArray(kind, bytes) if *kind != TypedArrayKind::DataView => push_elements(*kind, bytes, out),
            other => {
                out.push_str("[object ");
                out.push_str(class_name(other));
                out.push(']');
            }
        },
    }
}

/// A typed array's `join()`: its elements, little-endian, as numbers.
fn push_elements(kind: TypedArrayKind, bytes: &[u8], out: &mut String) {
    let size = kind.element_size();
    for (i, c) in bytes.chunks_exact(size).enumerate() {
        if i > 0 {
            out.push(',');
        }
        let mut w = [0u8; 8];
        w[..size].copy_from_slice(c);
        let n = u64::from_le_bytes(w);
        let text = match kind {
            TypedArrayKind::Int8 => (n as u8 as i8).to_string(),
            TypedArrayKind::Int16 => (n as u16 as i16).to_string(),
            TypedArrayKind::Int32 => (n as u32 as i32).to_string(),
            TypedArrayKind::BigInt64 => (n as i64).to_string(),
            TypedArrayKind::Float32 => {
                push_number(f64::from(f32::from_bits(n as u32)), out);
                continue;
            }
            TypedArrayKind::Float64 => {
                push_number(f64::from_bits(n), out);
                continue;
            }
            _ => n.to_string(),
        };
        out.push_str(&text);
    }
}

/// `String(n)` for a number.
fn push_number(n: f64, out: &mut String) {
    match n {
        n if n.is_nan() => out.push_str("NaN"),
        n if n.is_infinite() => out.push_str(if n > 0.0 { "Infinity" } else { "-Infinity" }),
        n => write_number(out, n),
    }
}

/// What `Object.prototype.toString` names a node's class.
fn class_name(node: &Node) -> &'static str {
    match node {
        Node::Map(_) => "Map",
        Node::Set(_) => "Set",
        Node::FormData(_) => "FormData",
        Node::Blob(b) if b.name.is_some() => "File",
        Node::Blob(_) => "Blob",
        Node::ArrayBuffer(_) => "ArrayBuffer",
        Node::TypedArray(k, _) => k.name(),
        Node::Promise(_) => "Promise",
        Node::Iterator(_) => "Array Iterator",
        Node::Stream(_) | Node::ByteStream(_) => "ReadableStream",
        _ => "Object",
    }
}

/// The Date a `$D` tag's text stands for.
///
/// # Errors
/// Text outside the ECMAScript date-time format, or in a form whose meaning
/// depends on the machine's time zone: JavaScript would guess, so this is
/// `Unsupported`, never a guess.
pub(crate) fn date(text: &str) -> Result<Date> {
    Date::parse_iso(text).ok_or_else(|| {
        Error::unsupported(format!(
            "Date string {text:?} is not in the ECMAScript date-time format; its value is not determined by the text"
        ))
    })
}

/// The BigInt a `$n` tag's text stands for, and the text's length in UTF-16
/// units (what React counts).
///
/// # Errors
/// Text longer than `max` UTF-16 units (React's message), and text that is
/// not a BigInt (JavaScript's message).
pub(crate) fn bigint(digits: &str, max: usize) -> Result<(BigInt, usize)> {
    let n = utf16_len(digits);
    if n > max {
        return Err(Error::limit_react(
            "max_bigint_chars",
            &format!("BigInt is too large. Received {n} digits but the limit is {max}."),
        ));
    }
    let text = string_to_bigint(digits).ok_or_else(|| Error::syntax(format!("Cannot convert {digits} to a BigInt")))?;
    Ok((BigInt(text.into()), n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Category;

    /// Each row: a value in the notation, and what `String(value)` gives in
    /// Node 20 (with TZ=UTC for the Date).
    #[test]
    fn string_of_a_value_is_javascripts() {
        let table = [
            (r#""text""#, "text"),
            (r#"{"$type":"undefined"}"#, "undefined"),
            ("null", "null"),
            ("true", "true"),
            ("1.5", "1.5"),
            ("1e21", "1e+21"),
            (r#"{"$type":"number","value":"-0"}"#, "0"),
            (r#"{"$type":"number","value":"-Infinity"}"#, "-Infinity"),
            (r#"{"$type":"bigint","value":"-12"}"#, "-12"),
            (r#"{"$type":"Error","message":"boom","digest":null}"#, "Error: boom"),
            (r#"{"$type":"Error","message":"","digest":null}"#, "Error"),
            (r#"{"a":1}"#, "[object Object]"),
            (r#"[1,null,[2,{"$type":"undefined"}],"x"]"#, "1,,2,,x"),
            (r#"[1,{"$type":"ref","pointer":""}]"#, "1,"),
            (r#"{"$type":"Map","entries":[]}"#, "[object Map]"),
            (r#"{"$type":"Uint8Array","base64":""}"#, ""),
            (r#"{"$type":"Int16Array","base64":"//8CAA=="}"#, "-1,2"),
            (r#"{"$type":"DataView","base64":"AQ=="}"#, "[object DataView]"),
            (
                r#"{"$type":"Date","value":"2000-01-02T03:04:05.000Z"}"#,
                "Sun Jan 02 2000 03:04:05 GMT+0000 (Coordinated Universal Time)",
            ),
            (r#"{"$type":"Date","value":null}"#, "Invalid Date"),
            (r#"{"$type":"symbol","key":"k"}"#, "Symbol(k)"),
        ];
        for (doc, want) in table {
            let v = crate::tagged::from_str(doc).unwrap();
            assert_eq!(to_string(&v, v.root()), want, "{doc}");
        }
    }

    /// The same text gives the same answer whichever decoder reads it.
    #[test]
    fn tag_texts_as_javascript_reads_them() {
        assert_eq!(date("2000-01-01T00:00:00.000Z").unwrap().to_iso().as_deref(), Some("2000-01-01T00:00:00.000Z"));
        for bad in ["2000-01-01T00:00:00", "Jan 1 2000", ""] {
            assert_eq!(date(bad).unwrap_err().category(), Category::Unsupported, "{bad:?}");
        }
        assert_eq!(bigint("0x10", 10).unwrap().0.as_str(), "16");
        assert!(bigint("-0x10", 10).is_err(), "JavaScript refuses a sign before 0x");
        assert_eq!(bigint("12", 2).unwrap().1, 2);
        assert_eq!(bigint("123", 2).unwrap_err().category(), Category::Limit);
        assert_eq!(bigint("1.5", 10).unwrap_err().message(), "Cannot convert 1.5 to a BigInt");
        // Counted in UTF-16 units, as React counts: one unit per BMP character.
        assert_eq!(bigint("é", 1).unwrap_err().message(), "Cannot convert é to a BigInt");
    }
}
