//! JavaScript `Date` values: a millisecond time value, or an invalid date.

use std::fmt;

/// The largest time value a JavaScript `Date` can hold (±8.64e15 ms).
const MAX_TIME: i64 = 8_640_000_000_000_000;

/// A JavaScript `Date`: milliseconds since the Unix epoch, or invalid
/// (`new Date(NaN)`).
///
/// ```
/// use rsc_flight::value::Date;
/// let d = Date::parse_iso("2009-02-13T23:31:30.123Z").unwrap();
/// assert_eq!(d.millis(), Some(1234567890123));
/// assert_eq!(d.to_iso().unwrap(), "2009-02-13T23:31:30.123Z");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date(Option<i64>);

impl Date {
    /// The invalid date.
    pub const INVALID: Date = Date(None);

    /// A date from milliseconds since the epoch; out of JavaScript's range
    /// gives the invalid date, as `new Date(ms)` does.
    pub fn from_millis(ms: i64) -> Date {
        if (-MAX_TIME..=MAX_TIME).contains(&ms) {
            Date(Some(ms))
        } else {
            Date(None)
        }
    }
    /// Milliseconds since the epoch, `None` when invalid.
    pub fn millis(self) -> Option<i64> {
        self.0
    }
    /// Whether this is a valid date.
    pub fn is_valid(self) -> bool {
        self.0.is_some()
    }

    /// `Date.prototype.toISOString`: `None` for the invalid date.
    pub fn to_iso(self) -> Option<String> {
        let mut s = String::with_capacity(24);
        self.write_iso(&mut s).then_some(s)
    }

    /// `Date.prototype.toString` in UTC (JavaScript uses the machine's time
    /// zone): `"Sun Jan 02 2000 03:04:05 GMT+0000 (Coordinated Universal
    /// Time)"`, or `"Invalid Date"`.
    pub(crate) fn to_utc_string(self) -> String {
        const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let Some(ms) = self.0 else { return "Invalid Date".to_owned() };
        let days = ms.div_euclid(86_400_000);
        let in_day = ms.rem_euclid(86_400_000);
        let (y, m, d) = civil_from_days(days);
        // 1970-01-01 was a Thursday.
        let weekday = DAYS[(days + 4).rem_euclid(7) as usize];
        let year = if y < 0 { format!("-{:04}", -y) } else { format!("{y:04}") };
        format!(
            "{weekday} {} {d:02} {year} {:02}:{:02}:{:02} GMT+0000 (Coordinated Universal Time)",
            MONTHS[(m - 1) as usize],
            in_day / 3_600_000,
            in_day / 60_000 % 60,
            in_day / 1000 % 60
        )
    }

    /// [`Date::to_iso`] appended to `out`; `false` (and nothing written) for
    /// the invalid date. Encoders write every Date this way, with no
    /// formatting machinery and no allocation of its own.
    pub(crate) fn write_iso(self, out: &mut String) -> bool {
        self.write_iso_between(out, b"", b"")
    }

    /// `before`, the ISO text, `after`, appended in one copy (how the tag
    /// modules write `"$D<iso>"`); `false` (and nothing written) for the
    /// invalid date.
    pub(crate) fn write_iso_between<const B: usize, const A: usize>(
        self,
        out: &mut String,
        before: &[u8; B],
        after: &[u8; A],
    ) -> bool {
        let Some(ms) = self.0 else { return false };
        let days = ms.div_euclid(86_400_000);
        let in_day = ms.rem_euclid(86_400_000);
        let (y, m, d) = civil_from_days(days);
        let (h, mi, s, milli) = (in_day / 3_600_000, in_day / 60_000 % 60, in_day / 1000 % 60, in_day % 1000);
        // One stack buffer: at most `"$D+275760-09-13T00:00:00.000Z"`.
        let mut buf = [0u8; 40];
        buf[..B].copy_from_slice(before);
        let mut n = B;
        let y_abs = y.unsigned_abs();
        if (0..=9999).contains(&y) {
            buf[n..n + 4].copy_from_slice(&[digit(y_abs / 1000), digit(y_abs / 100), digit(y_abs / 10), digit(y_abs)]);
            n += 4;
        } else {
            buf[n] = if y < 0 { b'-' } else { b'+' };
            for k in (1..=6).rev() {
                buf[n + k] = digit(y_abs / 10u64.pow(6 - k as u32));
            }
            n += 7;
        }
        // The rest has one layout: `-MM-DDTHH:MM:SS.mmmZ`.
        let two = |v: i64| [digit(v.unsigned_abs() / 10), digit(v.unsigned_abs())];
        let [m1, m2] = two(m);
        let [d1, d2] = two(d);
        let [h1, h2] = two(h);
        let [i1, i2] = two(mi);
        let [s1, s2] = two(s);
        let ms3 = milli.unsigned_abs();
        let rest = [
            b'-',
            m1,
            m2,
            b'-',
            d1,
            d2,
            b'T',
            h1,
            h2,
            b':',
            i1,
            i2,
            b':',
            s1,
            s2,
            b'.',
            digit(ms3 / 100),
            digit(ms3 / 10),
            digit(ms3),
            b'Z',
        ];
        buf[n..n + rest.len()].copy_from_slice(&rest);
        n += rest.len();
        buf[n..n + A].copy_from_slice(after);
        // The bytes are ASCII digits and punctuation, so this never takes the
        // empty fallback; it is there so that a mistake could never panic.
        out.push_str(std::str::from_utf8(&buf[..n + A]).unwrap_or_default());
        true
    }

    /// Parse the ECMAScript date-time string format (what `toISOString`
    /// writes, and its shorter forms). Forms whose meaning depends on the
    /// machine's time zone (a date-time without `Z` or an offset) and formats
    /// outside the standard are refused with `None`: their value is not
    /// determined by the text.
    pub fn parse_iso(s: &str) -> Option<Date> {
        Fields::iso_layout(s.as_bytes()).or_else(|| Fields::parse(s))?.date()
    }
}

/// A date-time string's fields, read but not yet checked.
#[derive(Debug, PartialEq)]
struct Fields {
    year: i64,
    month: i64,
    day: i64,
    h: i64,
    mi: i64,
    sec: i64,
    ms: i64,
    offset_min: i64,
}

impl Fields {
    /// `toISOString`'s own layout, `YYYY-MM-DDTHH:MM:SS.mmmZ`, which nearly
    /// every Date on the wire has: its fields read at fixed places, without
    /// the general reader's branch per field. Anything else is `None`, and
    /// is read by [`Fields::parse`] (which reads this layout the same way;
    /// a test holds the two together).
    fn iso_layout(b: &[u8]) -> Option<Fields> {
        let b: &[u8; 24] = b.try_into().ok()?;
        if [b[4], b[7], b[10], b[13], b[16], b[19], b[23]] != *b"--T::.Z" {
            return None;
        }
        const DIGITS: [usize; 17] = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22];
        if !DIGITS.iter().all(|&at| b[at].is_ascii_digit()) {
            return None;
        }
        let d = |at: usize| i64::from(b[at] - b'0');
        Some(Fields {
            year: d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3),
            month: d(5) * 10 + d(6),
            day: d(8) * 10 + d(9),
            h: d(11) * 10 + d(12),
            mi: d(14) * 10 + d(15),
            sec: d(17) * 10 + d(18),
            ms: d(20) * 100 + d(21) * 10 + d(22),
            offset_min: 0,
        })
    }

    /// Every form of the standard, field by field.
    fn parse(s: &str) -> Option<Fields> {
        let mut p = Cursor { b: s.as_bytes(), i: 0 };
        let year: i64 = match p.peek() {
            Some(sign @ (b'+' | b'-')) => {
                p.i += 1;
                let y = p.digits(6)?;
                if sign == b'-' {
                    if y == 0 {
                        return None; // -000000 is not allowed
                    }
                    -y
                } else {
                    y
                }
            }
            _ => p.digits(4)?,
        };
        let (mut month, mut day) = (1, 1);
        if p.eat(b'-') {
            month = p.digits(2)?;
            if p.eat(b'-') {
                day = p.digits(2)?;
            }
        }
        let (mut h, mut mi, mut sec, mut ms) = (0, 0, 0, 0);
        let mut has_time = false;
        if p.eat(b'T') {
            has_time = true;
            h = p.digits(2)?;
            if !p.eat(b':') {
                return None;
            }
            mi = p.digits(2)?;
            if p.eat(b':') {
                sec = p.digits(2)?;
                if p.eat(b'.') {
                    let start = p.i;
                    while p.peek().is_some_and(|b| b.is_ascii_digit()) {
                        p.i += 1;
                    }
                    let frac = &s[start..p.i];
                    if frac.is_empty() {
                        return None;
                    }
                    // V8 keeps milliseconds and drops finer digits.
                    let f = frac.as_bytes();
                    ms = (0..3).fold(0, |ms, k| ms * 10 + f.get(k).map_or(0, |d| i64::from(d - b'0')));
                }
            }
        }
        let mut offset_min = 0i64;
        if has_time {
            match p.peek() {
                Some(b'Z') => p.i += 1,
                Some(sign @ (b'+' | b'-')) => {
                    p.i += 1;
                    let oh = p.digits(2)?;
                    if !p.eat(b':') {
                        return None;
                    }
                    let om = p.digits(2)?;
                    if oh > 23 || om > 59 {
                        return None;
                    }
                    offset_min = (oh * 60 + om) * if sign == b'-' { -1 } else { 1 };
                }
                _ => return None, // local time: not determined by the text
            }
        }
        if p.i != s.len() {
            return None;
        }
        Some(Fields { year, month, day, h, mi, sec, ms, offset_min })
    }

    /// The instant, when every field is within its range.
    fn date(self) -> Option<Date> {
        let Fields { year, month, day, h, mi, sec, ms, offset_min } = self;
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        if h > 24 || mi > 59 || sec > 59 || (h == 24 && (mi, sec, ms) != (0, 0, 0)) {
            return None;
        }
        let days = days_from_civil(year, month, day);
        let t = days * 86_400_000 + ((h * 60 + mi - offset_min) * 60 + sec) * 1000 + ms;
        Some(Date::from_millis(t))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_iso() {
            Some(s) => f.write_str(&s),
            None => f.write_str("Invalid Date"),
        }
    }
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn digits(&mut self, n: usize) -> Option<i64> {
        let s = self.b.get(self.i..self.i + n)?;
        if !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.i += n;
        Some(s.iter().fold(0, |a, &d| a * 10 + i64::from(d - b'0')))
    }
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's civil calendar algorithms (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The last decimal digit of `v`, as ASCII.
fn digit(v: u64) -> u8 {
    b'0' + (v % 10) as u8
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The fixed-place reader of `toISOString`'s layout reads what the
        /// general reader reads, on strings of that shape with any digits
        /// (out-of-range fields too) and with a character out of place.
        #[test]
        fn iso_layout_reads_what_the_general_reader_reads(
            digits in proptest::collection::vec(0u8..10, 17),
            at in 0usize..30,
            other in proptest::sample::select(b"0Z:-.T+ a\xc3".to_vec()),
        ) {
            let mut d = digits.iter().map(|d| b'0' + d);
            let mut b: Vec<u8> = b"____-__-__T__:__:__.___Z".iter().map(|&c| if c == b'_' { d.next().unwrap() } else { c }).collect();
            if at < b.len() {
                b[at] = other;
            }
            let Ok(s) = std::str::from_utf8(&b) else { return Ok(()) };
            let fast = Fields::iso_layout(s.as_bytes());
            // Untouched, the layout is always read at fixed places.
            proptest::prop_assert!(fast.is_some() || at < b.len());
            if fast.is_some() {
                proptest::prop_assert_eq!(fast, Fields::parse(s));
            }
        }

        /// `toISOString` as chrono spells the same instant (years 0 to 9999).
        #[test]
        fn iso_text_agrees_with_chrono(ms in -62_167_219_200_000i64..253_402_300_800_000) {
            let want = chrono::DateTime::from_timestamp_millis(ms).unwrap().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
            proptest::prop_assert_eq!(Date::from_millis(ms).to_iso(), Some(want));
        }
    }

    #[test]
    fn iso_round_trips() {
        for (text, ms) in [
            ("1970-01-01T00:00:00.000Z", 0),
            ("2009-02-13T23:31:30.123Z", 1_234_567_890_123),
            ("1969-12-31T23:59:59.999Z", -1),
            ("+275760-09-13T00:00:00.000Z", MAX_TIME),
            ("-271821-04-20T00:00:00.000Z", -MAX_TIME),
            ("0000-01-01T00:00:00.000Z", -62_167_219_200_000),
            ("-000001-12-31T00:00:00.000Z", -62_167_305_600_000),
        ] {
            let d = Date::parse_iso(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(d.millis(), Some(ms), "{text}");
            assert_eq!(d.to_iso().unwrap(), text);
        }
    }

    #[test]
    fn short_forms_and_refusals() {
        assert_eq!(Date::parse_iso("2020-01-01").unwrap().millis(), Some(1_577_836_800_000));
        assert_eq!(Date::parse_iso("2020").unwrap().millis(), Some(1_577_836_800_000));
        assert_eq!(Date::parse_iso("2020-01-01T01:00+01:00").unwrap().millis(), Some(1_577_836_800_000));
        for bad in ["garbage", "2020-13-01", "2020-02-30", "2020-01-01T00:00", "-000000-01-01", ""] {
            assert_eq!(Date::parse_iso(bad), None, "{bad}");
        }
        assert!(!Date::parse_iso("+275760-09-13T00:00:00.001Z").unwrap().is_valid());
        // V8 keeps the first three digits of a fraction, padding short ones.
        for (frac, ms) in [("5", 500), ("12", 120), ("123", 123), ("1239", 123), ("0001", 0)] {
            let d = Date::parse_iso(&format!("1970-01-01T00:00:00.{frac}Z")).unwrap();
            assert_eq!(d.millis(), Some(ms), "{frac}");
        }
    }
}
