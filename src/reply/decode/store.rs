//! The parts store: a body's fields sorted the way React's backing store
//! sorts them (model parts, files, stream chunks, FormData entries), in the
//! dialect of the React version the body came from.

use super::*;

/// The fields, sorted the way React's backing store sorts them (19.3.1).
pub(super) struct Store<'f> {
    pub(super) strings: IdMap<&'f str>,
    pub(super) blobs: IdMap<&'f Field>,
    pub(super) streams: IdMap<Vec<&'f str>>,
    /// FormData-argument entries, grouped by the decimal id React's encoder
    /// wrote (`_<n>_<key>`), in field order.
    pub(super) form_entries: IdMap<Vec<&'f Field>>,
}

/// The FormData argument a field name (after the prefix) is an entry of:
/// `_<n>_<name>`, or `<n>_<name>` in the older dialect.
pub(super) fn form_entry(key: &str, dialect: Dialect) -> Option<u32> {
    let rest = match dialect.form_entries {
        FormEntries::Underscored => key.strip_prefix('_')?,
        FormEntries::Plain => key,
    };
    rest.split_once('_').and_then(|(n, _)| decimal_id(n))
}

/// A decimal part number as JavaScript writes a number (`"10"`, not `"010"`).
pub(super) fn decimal_id(s: &str) -> Option<u32> {
    array_index(s).or_else(|| (s == "4294967295").then_some(u32::MAX))
}

impl<'f> Store<'f> {
    /// A text body: part 0 and nothing else (kept inline by `IdMap`, so
    /// nothing is allocated).
    pub(super) fn text(text: &'f str) -> Self {
        let mut s = Self::empty();
        s.strings.insert(0, text);
        s
    }

    pub(super) fn empty() -> Self {
        Store { strings: IdMap::new(), blobs: IdMap::new(), streams: IdMap::new(), form_entries: IdMap::new() }
    }

    pub(super) fn new(fields: &'f [Field], prefix: &str, dialect: Dialect) -> Self {
        let mut s = Self::empty();
        for f in fields {
            let Some(key) = f.name.strip_prefix(prefix) else { continue };
            if let Some(n) = form_entry(key, dialect) {
                s.form_entries.get_or_insert_with(n, Vec::new).push(f);
                continue;
            }
            match (key.as_bytes().first(), &f.value) {
                (Some(b'_'), _) => {}
                (Some(b'S'), FieldValue::Text(t)) if dialect.stream_keys_s => {
                    if let Some(n) = decimal_id(&key[1..]) {
                        s.streams.get_or_insert_with(n, Vec::new).push(t);
                    }
                }
                (Some(b'S'), _) => {}
                (_, FieldValue::Text(t)) => {
                    if let Some(n) = decimal_id(key) {
                        // A later field with the same name wins, as in React.
                        s.strings.insert(n, t);
                        // Before `S<n>`, a stream's chunks shared the key of
                        // a part: which one it is, the value says.
                        if !dialect.stream_keys_s {
                            s.streams.get_or_insert_with(n, Vec::new).push(t);
                        }
                    }
                }
                (_, FieldValue::File { .. }) => {
                    if let Some(n) = decimal_id(key) {
                        s.blobs.insert(n, f);
                    }
                }
            }
        }
        s
    }

    /// The text of model part `id`.
    pub(super) fn string(&self, id: u32) -> Option<&'f str> {
        self.strings.get(id).copied()
    }
}
