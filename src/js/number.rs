//! How JavaScript writes a number: `Number.prototype.toString`, which is
//! also what `JSON.stringify` writes for a finite number.

/// Append a finite number as JavaScript's `Number.prototype.toString` writes
/// it (`1e+21`, `5e-324`, `0` for `-0`).
#[inline]
pub(crate) fn write_number(out: &mut String, n: f64) {
    debug_assert!(n.is_finite());
    if n == 0.0 {
        out.push('0');
        return;
    }
    // Integers (ids, counts, ...) are most numbers on the wire; below 1e15
    // JavaScript writes every one as its plain digits.
    if n.trunc() == n && n.abs() < 1e15 {
        // In range, and integral: the cast is exact.
        out.push_str(itoa::Buffer::new().format(n as i64));
        return;
    }
    if !write_short_decimal(out, n) {
        out.push_str(ryu_js::Buffer::new().format_finite(n));
    }
}

/// Write `n` if it is `m / 10^k` for an integer `m` and `k` of 1 to 3 (a
/// price, a score, a percentage: most fractional numbers on the wire),
/// which is cheaper than the shortest-round-trip search; `false` if not.
///
/// Why the text is then the one `Number.prototype.toString` writes: if the
/// decimal `m / 10^k` rounds to `n` (the division below is correctly
/// rounded, as is reading a decimal), it round-trips; the smallest such `k`
/// gives the fewest significant digits (for `|n|` of at least 0.001, one
/// decimal place more is one digit more), and below 1e12 the gap between
/// neighbouring doubles is under 0.001, so no other decimal with `k`
/// places rounds to `n` and there is no tie to break. JavaScript writes
/// numbers from 1e-6 to 1e21 in plain decimal.
fn write_short_decimal(out: &mut String, n: f64) -> bool {
    let a = n.abs();
    if !(1e-3..1e12).contains(&a) {
        return false;
    }
    for (k, p) in [(1, 10.0), (2, 100.0), (3, 1000.0)] {
        let m = (a * p).round();
        if m / p != a {
            continue;
        }
        if n < 0.0 {
            out.push('-');
        }
        // Below 1e15: the cast is exact.
        let mut buf = itoa::Buffer::new();
        let digits = buf.format(m as u64);
        match digits.len().checked_sub(k) {
            Some(int) if int > 0 => {
                out.push_str(&digits[..int]);
                out.push('.');
                out.push_str(&digits[int..]);
            }
            _ => {
                out.push_str("0.");
                for _ in digits.len()..k {
                    out.push('0');
                }
                out.push_str(digits);
            }
        }
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    proptest::proptest! {
        /// The integer shortcut writes what the shortest round trip does.
        #[test]
        fn numbers_are_written_as_ryu_js_writes_them(i in -(1i64 << 53)..(1i64 << 53), f in proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL) {
            for n in [i as f64, f, f.trunc()] {
                let mut out = String::new();
                write_number(&mut out, n);
                let want = if n == 0.0 { "0".to_owned() } else { ryu_js::Buffer::new().format_finite(n).to_owned() };
                proptest::prop_assert_eq!(out, want);
            }
        }

        /// So does the short-decimal shortcut, near its limits too (1e-3,
        /// 1e12, and the doubles just beside each `m / 10^k`).
        #[test]
        fn short_decimals_are_written_as_ryu_js_writes_them(m in 0u64..2_000_000_000_000_000, k in 0u32..5, small in 0u64..2_000_000, nudge in -2i64..3) {
            for m in [m, small] {
                let exact = m as f64 / 10f64.powi(k as i32);
                let beside = f64::from_bits((exact.to_bits() as i64 + nudge) as u64);
                for n in [exact, -exact, beside, -beside] {
                    if !n.is_finite() || n == 0.0 {
                        continue;
                    }
                    let mut out = String::new();
                    write_number(&mut out, n);
                    let mut want = ryu_js::Buffer::new();
                    proptest::prop_assert_eq!(out.as_str(), want.format_finite(n));
                }
            }
        }
    }
}
