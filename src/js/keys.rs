//! Where JavaScript property keys are ordered: an object's own string keys
//! come out array indices first, ascending, then the others in insertion
//! order. Both formats write and revive members in that order.

/// Whether `key` is a canonical array index (`"0"` to `"4294967294"`, no
/// leading zeros). JavaScript lists such keys first, in numeric order.
pub(crate) fn array_index(key: &str) -> Option<u32> {
    let b = key.as_bytes();
    if b.is_empty() || b.len() > 10 || !b.iter().all(u8::is_ascii_digit) || (b.len() > 1 && b[0] == b'0') {
        return None;
    }
    let n: u64 = key.parse().ok()?;
    (n < u64::from(u32::MAX)).then_some(n as u32)
}

/// The order in which JavaScript enumerates an object's own string keys:
/// array indices ascending, then the others in insertion order. Returns the
/// positions of `keys` in that order.
pub(crate) fn js_key_order<'a, I>(keys: I) -> Vec<usize>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut idx: Vec<(Option<u32>, usize)> = keys.into_iter().enumerate().map(|(i, k)| (array_index(k), i)).collect();
    if idx.iter().any(|(n, _)| n.is_some()) {
        // Stable: non-index keys keep insertion order after all indices.
        idx.sort_by_key(|&(n, i)| match n {
            Some(n) => (0, u64::from(n), i),
            None => (1, 0, i),
        });
    }
    idx.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn key_order_is_javascripts() {
        let keys = ["b", "10", "a", "2", "01", "4294967295", "0"];
        let order: Vec<&str> = js_key_order(keys).into_iter().map(|i| keys[i]).collect();
        assert_eq!(order, ["0", "2", "10", "b", "a", "01", "4294967295"]);
    }

    #[test]
    fn array_indices_are_canonical() {
        assert_eq!(array_index("10"), Some(10));
        assert_eq!(array_index("010"), None);
        assert_eq!(array_index("4294967295"), None);
    }
}
