//! JavaScript's reading of text: `string.length` in UTF-16 units, the white
//! space `trim` strips, `parseInt(text, 16)` for reference ids and
//! `BigInt(text)`.

/// `parseInt(text, 16)` as React applies it to a reference id: leading white
/// space, an optional sign and `0x`, then the longest run of hex digits.
/// `None` where JavaScript gives `NaN` or a negative or huge number (no part
/// can have such an id).
pub(crate) fn parse_hex_id(text: &str) -> Option<u32> {
    let t = text.trim_start_matches(is_js_space);
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let t = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")).unwrap_or(t);
    let digits = t.bytes().take_while(u8::is_ascii_hexdigit).count();
    if digits == 0 {
        return None;
    }
    let mut n: u64 = 0;
    for b in t[..digits].bytes() {
        n = n * 16 + u64::from((b as char).to_digit(16)?);
        if n > u64::from(u32::MAX) {
            return None;
        }
    }
    if neg && n != 0 {
        return None;
    }
    Some(n as u32)
}

/// JavaScript's white space and line terminators (what `String.prototype.trim`
/// and `BigInt(text)` strip).
pub(crate) fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
    )
}

/// `BigInt(text)`: the canonical decimal text of the BigInt JavaScript makes
/// from `text`, or `None` where JavaScript throws a `SyntaxError`.
pub(crate) fn string_to_bigint(text: &str) -> Option<String> {
    let t = text.trim_matches(is_js_space);
    if t.is_empty() {
        return Some("0".into());
    }
    let (radix, neg, digits) = if let Some(r) = t.get(..2).and_then(|p| match p {
        "0x" | "0X" => Some(16),
        "0o" | "0O" => Some(8),
        "0b" | "0B" => Some(2),
        _ => None,
    }) {
        (r, false, &t[2..])
    } else {
        match t.as_bytes()[0] {
            b'-' => (10, true, &t[1..]),
            b'+' => (10, false, &t[1..]),
            _ => (10, false, t),
        }
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    // Base-1e9 limbs, little-endian; inputs are short (React caps them at 300).
    let mut limbs: Vec<u64> = vec![0];
    for c in digits.chars() {
        let mut carry = u64::from(c.to_digit(radix)?);
        for l in limbs.iter_mut() {
            let v = *l * u64::from(radix) + carry;
            *l = v % 1_000_000_000;
            carry = v / 1_000_000_000;
        }
        if carry > 0 {
            limbs.push(carry);
        }
    }
    while limbs.len() > 1 && limbs.last() == Some(&0) {
        limbs.pop();
    }
    let mut out = String::new();
    if neg && limbs != [0] {
        out.push('-');
    }
    out.push_str(&limbs.last()?.to_string());
    for l in limbs.iter().rev().skip(1) {
        out.push_str(&format!("{l:09}"));
    }
    Some(out)
}

/// Length of `s` in UTF-16 code units, JavaScript's `string.length`.
pub(crate) fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        return s.len();
    }
    // Every char of 4 UTF-8 bytes is a surrogate pair; others are one unit.
    s.len() - s.bytes().filter(|&b| b & 0xC0 == 0x80).count() + s.bytes().filter(|&b| b >= 0xF0).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn hex_ids_follow_parse_int() {
        for (t, v) in [
            ("1", Some(1)),
            ("a", Some(10)),
            ("E", Some(14)),
            ("1g", Some(1)),
            (" 0x10", Some(16)),
            ("", None),
            ("Z1", None),
            ("-1", None),
            ("-0", Some(0)),
            ("ffffffffff", None),
        ] {
            assert_eq!(parse_hex_id(t), v, "{t:?}");
        }
    }
    #[test]
    fn bigints_follow_javascript() {
        for (t, v) in [
            ("123", Some("123")),
            ("-0", Some("0")),
            ("+7", Some("7")),
            ("0b101", Some("5")),
            ("0o17", Some("15")),
            ("0xffffffffffffffffffff", Some("1208925819614629174706175")),
            ("-0x1", None),
            ("1e3", None),
            ("--1", None),
            ("12 3", None),
            ("\u{a0}5\n", Some("5")),
            (" -0012 ", Some("-12")),
            ("0x1f", Some("31")),
            ("", Some("0")),
            ("1.5", None),
        ] {
            assert_eq!(string_to_bigint(t).as_deref(), v, "{t:?}");
        }
    }
    #[test]
    fn utf16_lengths() {
        assert_eq!(utf16_len("abc"), 3);
        assert_eq!(utf16_len("é☃"), 2);
        assert_eq!(utf16_len("😀"), 2);
    }
}
