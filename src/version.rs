//! Which React a peer runs, and the dialect of the wire formats it speaks.
//!
//! Releases of React 19 differ on the wire (spec/versions.md has the table
//! and the bytes): the names of a FormData argument's fields, the tag of a
//! server reference, the keys of a stream's chunks in a reply. A [`React`]
//! is parsed from what a user knows about the app on the other side (its
//! `react-server-dom-webpack` version, or the framework that vendors its own
//! build) and maps to the dialect that version speaks.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// The published stable releases: for each minor version of React 19, the
/// patch versions npm has (19.1.3 was never published).
///
/// Next.js releases whose vendored build has been run and seen to speak the
/// latest dialect: only those are accepted, since Next.js's own version
/// string for its build says nothing of the fixes backported into it.
const NEXT: [(u32, u32, u32); 2] = [(15, 5, 29), (16, 5, 0)];
const RELEASES: [(u32, &[u32]); 4] = [
    (0, &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
    (1, &[0, 1, 2, 4, 5, 6, 7, 8, 9, 10]),
    (2, &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
    (3, &[0, 1]),
];

/// The React on the other side of the wire: a release of React 19, or a
/// framework that vendors its own build.
///
/// Parsed from `"19.2.9"` (the version of `react-server-dom-webpack`, or of
/// React itself: every stable 19.x release on npm), or `"next@15.5.29"` /
/// `"next@16.5.0"` for the build those Next.js releases vendor (whose own
/// version string does not say which security fixes it carries; other
/// Next.js releases are not known yet), or a canary published on npm
/// (`"19.3.0-canary-dc9aed36-20261027"`), placed by its date. The default
/// is React 19.3.1.
///
/// ```
/// use rsc_flight::React;
/// let r: React = "19.1.0".parse()?;
/// assert_eq!(r.to_string(), "19.1.0");
/// assert_eq!("next@16.5.0".parse::<React>()?.to_string(), "next@16.5.0");
/// let c: React = "19.3.0-canary-dc9aed36-20261027".parse()?;
/// assert_eq!(c.to_string(), "19.3.0-canary-dc9aed36-20261027");
/// assert!("19.3.0-canary-dc9aed36-20991231".parse::<React>().is_err(), "a date no canary has");
/// assert_eq!(React::default().to_string(), "19.3.1");
/// let e = "18.3.1".parse::<React>().unwrap_err();
/// assert!(e.message().contains("19.0.0-19.0.9"), "{e}");
/// # Ok::<(), rsc_flight::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct React {
    kind: Kind,
    /// Worked out once: encoders and decoders consult it per value.
    dialect: Dialect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    /// `19.<minor>.<patch>`.
    Release { minor: u32, patch: u32 },
    /// `19.<minor>.0-canary-<commit>-<yyyymmdd>`: a canary on npm, placed
    /// by its date (the canary line is React's main branch, so what it
    /// speaks follows the date, whatever the base version).
    Canary { minor: u32, commit: Commit, date: u32 },
    /// `next@<major>.<minor>.<patch>`.
    Next { major: u32, minor: u32, patch: u32 },
}

impl Default for React {
    /// 19.3.1, whose dialect is the latest (`Dialect::LATEST`; a test checks it):
    /// nothing to work out for the decoders and encoders made per call.
    fn default() -> Self {
        React { kind: Kind::Release { minor: 3, patch: 1 }, dialect: Dialect::LATEST }
    }
}

impl fmt::Display for React {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            Kind::Release { minor, patch } => write!(f, "19.{minor}.{patch}"),
            Kind::Next { major, minor, patch } => write!(f, "next@{major}.{minor}.{patch}"),
            Kind::Canary { minor, commit, date } => write!(f, "19.{minor}.0-canary-{}-{date}", commit.as_str()),
        }
    }
}

/// `a.b.c` as three numbers.
fn triple(s: &str) -> Option<(u32, u32, u32)> {
    let mut it = s.split('.').map(|p| if p.is_empty() || p.len() > 6 { None } else { p.parse::<u32>().ok() });
    let t = (it.next()??, it.next()??, it.next()??);
    it.next().is_none().then_some(t)
}

fn supported() -> String {
    let mut parts: Vec<String> = RELEASES
        .iter()
        .map(|(minor, patches)| {
            let last = patches.last().copied().unwrap_or(0);
            let gaps: Vec<String> =
                (0..last).filter(|p| !patches.contains(p)).map(|p| format!("19.{minor}.{p}")).collect();
            match gaps.is_empty() {
                true => format!("19.{minor}.0-19.{minor}.{last}"),
                false => format!("19.{minor}.0-19.{minor}.{last} (no {})", gaps.join(", ")),
            }
        })
        .collect();
    parts.extend(NEXT.iter().map(|(a, b, c)| format!("next@{a}.{b}.{c}")));
    parts.push(format!("canaries 19.<minor>.0-canary-<commit>-<yyyymmdd> dated {}-{}", CANARY_DATES.0, CANARY_DATES.1));
    parts.join(", ")
}

impl FromStr for React {
    type Err = Error;

    fn from_str(s: &str) -> Result<React> {
        let unknown = || Error::unsupported(format!("unknown React version {s:?}: supported are {}", supported()));
        let s = s.trim();
        if let Some(v) = s.strip_prefix("next@") {
            let (major, minor, patch) = triple(v).ok_or_else(unknown)?;
            if !NEXT.contains(&(major, minor, patch)) {
                return Err(unknown());
            }
            return Ok(React::new(Kind::Next { major, minor, patch }));
        }
        if let Some((base, rest)) = s.split_once("-canary-") {
            return canary(s, base, rest);
        }
        if s.contains('-') {
            return Err(Error::unsupported(format!(
                "React version {s:?} is a prerelease other than a canary: name the framework that vendors it \
                 (next@16.5.0), or the release it was cut from; supported are {}",
                supported()
            )));
        }
        let (major, minor, patch) = triple(s).ok_or_else(unknown)?;
        let published = major == 19 && RELEASES.iter().any(|(m, patches)| *m == minor && patches.contains(&patch));
        if !published {
            return Err(unknown());
        }
        Ok(React::new(Kind::Release { minor, patch }))
    }
}

/// A canary's commit hash, kept to write the version back (`Copy`, so
/// `React` stays a plain value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Commit {
    len: u8,
    hex: [u8; 12],
}

impl Commit {
    fn as_str(&self) -> &str {
        // Only ASCII hex digits are stored.
        std::str::from_utf8(&self.hex[..usize::from(self.len)]).unwrap_or_default()
    }
}

/// The canaries on npm span these dates (`yyyymmdd` in their names): the
/// first with server references as the releases write them, and the
/// newest observed. Outside them nothing says what a canary speaks.
const CANARY_DATES: (u32, u32) = (20240422, 20261027);

/// `19.<minor>.0-canary-<commit>-<yyyymmdd>`.
fn canary(s: &str, base: &str, rest: &str) -> Result<React> {
    let bad = |why: &str| {
        Error::unsupported(format!(
            "React version {s:?}: {why}; canaries are read as `19.<minor>.0-canary-<commit>-<yyyymmdd>`, dated \
             {}-{} (the canaries on npm; spec/versions.md)",
            CANARY_DATES.0, CANARY_DATES.1
        ))
    };
    let (commit, date) = rest.rsplit_once('-').ok_or_else(|| bad("no date"))?;
    let minor = match triple(base) {
        Some((19, minor, 0)) if minor <= 3 => minor,
        _ => return Err(bad("not a canary of React 19.0-19.3")),
    };
    if commit.is_empty() || commit.len() > 12 || !commit.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad("the commit is not a short hex hash"));
    }
    let date: u32 = match (date.len(), date.parse()) {
        (8, Ok(d)) => d,
        _ => return Err(bad("the date is not yyyymmdd")),
    };
    if !(CANARY_DATES.0..=CANARY_DATES.1).contains(&date) {
        return Err(bad("its date is outside the canaries observed"));
    }
    let mut hex = [0u8; 12];
    hex[..commit.len()].copy_from_slice(commit.as_bytes());
    Ok(React::new(Kind::Canary { minor, commit: Commit { len: commit.len() as u8, hex }, date }))
}

/// What a canary speaks, by its date: the day each change first appears
/// in the canaries on npm (found by reading every canary's client and
/// server, `conformance/versions/canaries.sh`; spec/versions.md).
fn canary_dialect(date: u32) -> Dialect {
    let since = |first: u32| date >= first;
    Dialect {
        // Responses: the rows of the canaries from 20260918 on match 19.3.1's
        // on every response case (two compared: 20260918, 20261027); the
        // earlier ones differ from every release (client references, `$F`),
        // so they are read, not written.
        response: if since(20260918) { Some(ResponseRows::V19_3) } else { None },
        form_entries: if since(20260506) { FormEntries::Underscored } else { FormEntries::Plain },
        server_ref_f: !since(20251211),
        stream_keys_s: since(20261027),
        server_ref_once: since(20260128),
        server_ref_cache: since(20260128) && !since(20260918),
        text_bom_stripped: !since(20260922),
        w_undefined: since(20260803),
        h_upper_undefined: since(20260918),
        element_root_temporary: since(20260224),
        server_actions_wording: !since(20241219),
        host_hints: since(20251003),
    }
}

/// How a reply names a FormData argument's entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum FormEntries {
    /// `<n>_<name>`.
    Plain,
    /// `_<n>_<name>`.
    Underscored,
}

/// How a server writes response rows, where releases differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ResponseRows {
    /// 19.0 and 19.1: as 19.2, but no hints from host elements (and no
    /// children outlined for a `<noscript>` or `<picture>`), no rows split
    /// past `MAX_ROW_SIZE`, and a promise's value written in full even when
    /// it was written before.
    V19_1,
    /// 19.2: byte-stream chunks as `o` rows, client-reference strings
    /// inline, a stylesheet's preload hint `as` `"stylesheet"`.
    V19_2,
    /// 19.3: `b` rows, long client-reference strings outlined, `"style"`.
    V19_3,
}

/// The wire dialect a version speaks, as far as it differs from 19.3.1's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Dialect {
    /// How its server writes response rows, where that has been observed
    /// on every vector case (`None`: not known well enough to write).
    pub(crate) response: Option<ResponseRows>,
    /// How a reply names a FormData argument's entries.
    pub(crate) form_entries: FormEntries,
    /// A reply's server references: `$F<hex>` (`true`) or `$h<hex>`.
    pub(crate) server_ref_f: bool,
    /// A reply's stream chunks under `S<n>` (`true`) or the bare `<n>`.
    pub(crate) stream_keys_s: bool,
    /// A reply's server reference met twice is written once (its part
    /// shared); before 19.0.4, 19.1.5, 19.2.4, its part is written again.
    pub(crate) server_ref_once: bool,
    /// A reply's server-reference metadata is cached on the metadata object
    /// itself, under `$$promise`: metadata that arrives with that key
    /// already set decodes to what it holds (React's `loadServerReference`
    /// from 19.0.4, 19.1.5, 19.2.4).
    pub(crate) server_ref_cache: bool,
    /// A response's `T` rows lose a leading U+FEFF (the client's
    /// `TextDecoder` strips a byte order mark); Next.js 16.5's build keeps
    /// it.
    pub(crate) text_bom_stripped: bool,
    /// A response's `$w…` is `undefined` (19.3); before, a row id.
    pub(crate) w_undefined: bool,
    /// `$H…` is `undefined` in both directions (Next.js 16.5's build).
    pub(crate) h_upper_undefined: bool,
    /// A reply's element at the root of a part, with a temporary-reference
    /// set, is written `"$T"` (19.3); before, `encodeReply` refuses it.
    pub(crate) element_root_temporary: bool,
    /// A response carries hints for host elements (`<img>`, `<link>`) and
    /// outlines a `<noscript>`'s or `<picture>`'s children (19.2; not 19.0,
    /// 19.1 or Next.js 15.5's build).
    pub(crate) host_hints: bool,
    /// `encodeReply` refuses a class instance "… can be passed to Server
    /// Actions" (19.0), not "… Server Functions".
    pub(crate) server_actions_wording: bool,
}

impl Dialect {
    /// React 19.3.1's dialect.
    pub(crate) const LATEST: Dialect = Dialect {
        response: Some(ResponseRows::V19_3),
        form_entries: FormEntries::Underscored,
        server_ref_f: false,
        stream_keys_s: true,
        server_ref_once: true,
        server_ref_cache: true,
        text_bom_stripped: true,
        w_undefined: true,
        h_upper_undefined: false,
        element_root_temporary: true,
        server_actions_wording: false,
        host_hints: true,
    };
}

impl React {
    fn new(kind: Kind) -> React {
        React { kind, dialect: dialect_of(kind) }
    }

    /// The dialect this version speaks (spec/versions.md).
    #[inline]
    pub(crate) fn dialect(self) -> Dialect {
        self.dialect
    }
}

/// The dialect a version speaks (spec/versions.md).
fn dialect_of(kind: Kind) -> Dialect {
    {
        let (minor, patch) = match kind {
            Kind::Release { minor, patch } => (minor, patch),
            Kind::Canary { date, .. } => return canary_dialect(date),
            // Next.js 15.5.29 vendors a 19.2 canary with the security fixes
            // backported, Next.js 16.5 a 19.3 canary: both run on every
            // vector case (conformance/versions/next@*). Next.js 15.5's
            // build writes 19.2's rows without host hints, refuses an
            // element at a part's root and reads `$w` as a row id; Next.js
            // 16.5's writes 19.3's rows, reads `$H` as undefined, keeps a
            // `T` row's byte order mark and has no `$$promise` cache.
            Kind::Next { major: 15, .. } => {
                return Dialect {
                    response: Some(ResponseRows::V19_2),
                    w_undefined: false,
                    element_root_temporary: false,
                    host_hints: false,
                    ..Dialect::LATEST
                }
            }
            Kind::Next { .. } => {
                return Dialect {
                    server_ref_cache: false,
                    text_bom_stripped: false,
                    h_upper_undefined: true,
                    ..Dialect::LATEST
                }
            }
        };
        // The first patch of each minor version that has each change.
        let since = |firsts: [u32; 4]| patch >= firsts[minor as usize];
        // Rows observed identical on every response vector case: 19.2.5 and
        // 19.2.9 (and so, it is taken, the releases between), 19.3.0.
        let response = match minor {
            3 => Some(ResponseRows::V19_3),
            2 => Some(ResponseRows::V19_2),
            _ => Some(ResponseRows::V19_1),
        };
        Dialect {
            response,
            form_entries: if since([6, 7, 6, 0]) { FormEntries::Underscored } else { FormEntries::Plain },
            server_ref_f: !since([2, 4, 2, 0]),
            stream_keys_s: since([9, 10, 9, 1]),
            server_ref_once: since([4, 5, 4, 0]),
            server_ref_cache: since([4, 5, 4, 0]),
            text_bom_stripped: true,
            w_undefined: minor >= 3,
            h_upper_undefined: false,
            element_root_temporary: minor >= 3,
            server_actions_wording: minor == 0,
            host_hints: minor >= 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The boundaries observed by running each release's `encodeReply`.
    #[test]
    fn each_release_maps_to_the_dialect_it_was_seen_to_write() {
        let table = [
            ("19.0.0", FormEntries::Plain, true, false),
            ("19.0.1", FormEntries::Plain, true, false),
            ("19.0.2", FormEntries::Plain, false, false),
            ("19.0.5", FormEntries::Plain, false, false),
            ("19.0.6", FormEntries::Underscored, false, false),
            ("19.0.8", FormEntries::Underscored, false, false),
            ("19.0.9", FormEntries::Underscored, false, true),
            ("19.1.0", FormEntries::Plain, true, false),
            ("19.1.2", FormEntries::Plain, true, false),
            ("19.1.4", FormEntries::Plain, false, false),
            ("19.1.6", FormEntries::Plain, false, false),
            ("19.1.7", FormEntries::Underscored, false, false),
            ("19.1.9", FormEntries::Underscored, false, false),
            ("19.1.10", FormEntries::Underscored, false, true),
            ("19.2.0", FormEntries::Plain, true, false),
            ("19.2.1", FormEntries::Plain, true, false),
            ("19.2.2", FormEntries::Plain, false, false),
            ("19.2.5", FormEntries::Plain, false, false),
            ("19.2.6", FormEntries::Underscored, false, false),
            ("19.2.8", FormEntries::Underscored, false, false),
            ("19.2.9", FormEntries::Underscored, false, true),
            ("19.3.0", FormEntries::Underscored, false, false),
            ("19.3.1", FormEntries::Underscored, false, true),
            ("next@15.5.29", FormEntries::Underscored, false, true),
            ("next@16.5.0", FormEntries::Underscored, false, true),
        ];
        for (v, form, f, s) in table {
            let d = v.parse::<React>().unwrap().dialect();
            assert_eq!((d.form_entries, d.server_ref_f, d.stream_keys_s), (form, f, s), "{v}");
        }
        assert_eq!(React::default().dialect(), Dialect::LATEST);
    }

    #[test]
    fn unknown_versions_are_errors_that_list_what_is_supported() {
        for v in [
            "18.3.1",
            "19.1.3",
            "19.4.0",
            "19.2.10",
            "19",
            "19.2",
            "x",
            "",
            "next@14.2.0",
            "next@15.4.1",
            "next@15.5.0",
            "19.3.0-experimental-89d7b2b4-20261123",
        ] {
            let e = v.parse::<React>().unwrap_err();
            assert!(
                e.message().contains("supported are 19.0.0-19.0.9, 19.1.0-19.1.10 (no 19.1.3), 19.2.0-19.2.9"),
                "{v}: {e}"
            );
        }
        // Canaries: only those the observed ones place.
        for v in [
            "19.3.0-canary-89d7b2b4-20261123",
            "19.0.0-canary-7a2609eed-20240403",
            "19.4.0-canary-dc9aed36-20261027",
            "19.3.0-canary-xyz-20261027",
            "19.3.0-canary-dc9aed36-2026102",
            "19.3.0-canary--20261027",
        ] {
            let e = v.parse::<React>().unwrap_err();
            assert!(e.message().contains("canaries are read as"), "{v}: {e}");
        }
        // Every published release parses and prints back.
        for (minor, patches) in RELEASES {
            for p in patches {
                let v = format!("19.{minor}.{p}");
                assert_eq!(v.parse::<React>().unwrap().to_string(), v);
            }
        }
    }

    /// Each change's first canary on npm (from reading every canary's
    /// client and server: `conformance/versions/canaries.sh`), and the
    /// canary before it: the dialect flips between the two.
    #[test]
    fn canaries_are_placed_by_their_date() {
        type Flag = fn(&Dialect) -> bool;
        let flags: [(&str, Flag, &str, &str); 10] = [
            (
                "$F server references end",
                |d| !d.server_ref_f,
                "19.3.0-canary-d763f313-20251210",
                "19.3.0-canary-b45bb335-20251211",
            ),
            (
                "one part per server reference",
                |d| d.server_ref_once,
                "19.3.0-canary-41b3e9a6-20260119",
                "19.3.0-canary-87ae75b3-20260128",
            ),
            (
                "$$promise cache",
                |d| d.server_ref_cache,
                "19.3.0-canary-41b3e9a6-20260119",
                "19.3.0-canary-87ae75b3-20260128",
            ),
            (
                "$$promise cache ends",
                |d| !d.server_ref_cache,
                "19.3.0-canary-2b19aecd-20260916",
                "19.3.0-canary-59aff3e1-20260918",
            ),
            (
                "$T at a part's root",
                |d| d.element_root_temporary,
                "19.3.0-canary-87ae75b3-20260128",
                "19.3.0-canary-e33071c6-20260224",
            ),
            (
                "_<n>_ entries",
                |d| d.form_entries == FormEntries::Underscored,
                "19.3.0-canary-ad5dfc82-20260427",
                "19.3.0-canary-dd453071-20260506",
            ),
            ("$w undefined", |d| d.w_undefined, "19.3.0-canary-cbb046ab-20260731", "19.3.0-canary-7dfc7ccd-20260803"),
            (
                "$H undefined",
                |d| d.h_upper_undefined,
                "19.3.0-canary-2b19aecd-20260916",
                "19.3.0-canary-59aff3e1-20260918",
            ),
            (
                "byte order mark kept",
                |d| !d.text_bom_stripped,
                "19.3.0-canary-59aff3e1-20260918",
                "19.3.0-canary-8b0da1c6-20260922",
            ),
            (
                "S<n> stream keys",
                |d| d.stream_keys_s,
                "19.3.0-canary-d083ec1d-20260922",
                "19.3.0-canary-dc9aed36-20261027",
            ),
        ];
        for (what, flag, before, first) in flags {
            let at = |v: &str| flag(&v.parse::<React>().unwrap().dialect());
            assert!(!at(before) && at(first), "{what}: {before} / {first}");
        }
        // The newest canary speaks as Next.js 16.5's build reads and writes
        // replies.
        let newest = "19.3.0-canary-dc9aed36-20261027".parse::<React>().unwrap().dialect();
        let next = "next@16.5.0".parse::<React>().unwrap().dialect();
        assert_eq!(newest, next);
    }
}
