//! Tables keyed by a reply's part ids, and by node.

use std::collections::BTreeMap;
use std::ops::{Index, IndexMut};

use crate::value::NodeId;

/// A table keyed by a part id (reply) or row id (response).
///
/// React numbers the parts and rows it writes 0, 1, 2… in the order it
/// meets them, so the ids of a real body are dense and small. Id 0, the
/// root of every body, is kept inline, so that a one-part body fills its
/// tables without allocating; other ids index a vector (no hashing) as long
/// as that vector stays within twice the number of ids ever inserted (plus
/// 64); any other id, which only a hand-made body has (`$ffffffff`), goes
/// to an ordered map, so a large id costs no memory. When the vector grows
/// over ids that went to the map, they move into it: an id lives in one
/// place only.
pub(crate) struct IdMap<T> {
    zero: Option<T>,
    /// Ids 1 to `dense.len()`.
    dense: Vec<Option<T>>,
    /// Made on first use: an empty map still costs a walk to drop.
    sparse: Option<BTreeMap<u32, T>>,
    /// Ids ever inserted: what bounds the vector's length.
    inserted: usize,
    len: usize,
}

impl<T> Default for IdMap<T> {
    fn default() -> Self {
        IdMap { zero: None, dense: Vec::new(), sparse: None, inserted: 0, len: 0 }
    }
}

impl<T> IdMap<T> {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// How many ids have an entry.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn get(&self, id: u32) -> Option<&T> {
        match id as usize {
            0 => self.zero.as_ref(),
            i if i <= self.dense.len() => self.dense[i - 1].as_ref(),
            _ => self.sparse.as_ref()?.get(&id),
        }
    }

    pub(crate) fn get_mut(&mut self, id: u32) -> Option<&mut T> {
        match id as usize {
            0 => self.zero.as_mut(),
            i if i <= self.dense.len() => self.dense[i - 1].as_mut(),
            _ => self.sparse.as_mut()?.get_mut(&id),
        }
    }

    pub(crate) fn contains(&self, id: u32) -> bool {
        self.get(id).is_some()
    }

    /// The slot of `id`: inline, in the vector (grown to it if that keeps
    /// the vector within its bound), or `None` for an id of the map.
    fn slot(&mut self, id: u32) -> Option<&mut Option<T>> {
        let i = id as usize;
        if i == 0 {
            return Some(&mut self.zero);
        }
        if i > self.dense.len() {
            if i > 2 * self.inserted + 64 {
                return None;
            }
            let from = self.dense.len() as u32 + 1;
            self.dense.resize_with(i, || None);
            if let Some(sparse) = &mut self.sparse {
                let moved: Vec<u32> = sparse.range(from..=id).map(|(&k, _)| k).collect();
                for k in moved {
                    self.dense[k as usize - 1] = sparse.remove(&k);
                }
            }
        }
        Some(&mut self.dense[i - 1])
    }

    /// The entry of `id`, made with `make` if there is none.
    pub(crate) fn get_or_insert_with(&mut self, id: u32, make: impl FnOnce() -> T) -> &mut T {
        if !self.contains(id) {
            self.insert(id, make());
        }
        self.get_mut(id).expect("inserted above")
    }

    /// Set the entry of `id`; gives the one it replaces.
    pub(crate) fn insert(&mut self, id: u32, value: T) -> Option<T> {
        let old = match self.slot(id) {
            Some(slot) => slot.replace(value),
            None => self.sparse.get_or_insert_with(BTreeMap::new).insert(id, value),
        };
        if old.is_none() {
            self.inserted += 1;
            self.len += 1;
        }
        old
    }

    /// Take the entry of `id` out.
    pub(crate) fn remove(&mut self, id: u32) -> Option<T> {
        let old = match id as usize {
            0 => self.zero.take(),
            i if i <= self.dense.len() => self.dense[i - 1].take(),
            _ => self.sparse.as_mut()?.remove(&id),
        };
        self.len -= usize::from(old.is_some());
        old
    }

    /// Every entry, in the order of their ids.
    pub(crate) fn values(&self) -> impl Iterator<Item = &T> {
        self.zero.iter().chain(self.dense.iter().flatten()).chain(self.sparse.iter().flat_map(BTreeMap::values))
    }
}

/// A vector whose first element is kept inline: every body opens one
/// array budget context for part 0, and a one-part body pays no
/// allocation for it.
pub(crate) struct FirstInline<T> {
    first: Option<T>,
    rest: Vec<T>,
}

impl<T> FirstInline<T> {
    pub(crate) fn new() -> Self {
        FirstInline { first: None, rest: Vec::new() }
    }

    /// How many values there are.
    pub(crate) fn len(&self) -> usize {
        usize::from(self.first.is_some()) + self.rest.len()
    }

    /// Keep the first `n` values (what a build that gave up added goes).
    pub(crate) fn truncate(&mut self, n: usize) {
        if n == 0 {
            self.first = None;
            self.rest.clear();
        } else {
            self.rest.truncate(n - 1);
        }
    }

    /// Add `value`; gives its index.
    pub(crate) fn push(&mut self, value: T) -> usize {
        if self.first.is_none() {
            self.first = Some(value);
            0
        } else {
            self.rest.push(value);
            self.rest.len()
        }
    }
}

impl<T> Index<usize> for FirstInline<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        match i {
            0 => self.first.as_ref().expect("index 0 of an empty FirstInline"),
            _ => &self.rest[i - 1],
        }
    }
}

impl<T> IndexMut<usize> for FirstInline<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        match i {
            0 => self.first.as_mut().expect("index 0 of an empty FirstInline"),
            _ => &mut self.rest[i - 1],
        }
    }
}

/// The entry of `node` in a table indexed by node, grown with `fill` as
/// nodes are added (indexing a dense table is cheaper than hashing).
pub(crate) fn per_node<T: Clone>(table: &mut Vec<T>, node: NodeId, fill: T) -> &mut T {
    let i = node.index();
    if i >= table.len() {
        table.resize(i + 1, fill);
    }
    &mut table[i]
}

#[cfg(test)]
mod tests {
    use super::{FirstInline, IdMap};

    #[test]
    fn first_inline_indexes_like_a_vector() {
        let mut v = FirstInline::new();
        for i in 0..5 {
            assert_eq!(v.push(i * 10), i);
        }
        v[3] += 1;
        v[0] += 2;
        assert_eq!((0..5).map(|i| v[i]).collect::<Vec<_>>(), [2, 10, 20, 31, 40]);
    }

    #[test]
    fn ids_behave_alike_wherever_they_are_kept() {
        // Ids that start in the map and move to the vector as it grows,
        // ids far beyond it, the inline id 0, and removal.
        let mut m = IdMap::new();
        let ids = [0u32, 2, 7, 500, 50, u32::MAX, 100, 1, 65, 130, 64, 80, 86, 90, 92, 94, 96, 98, 99, 101];
        for (n, &id) in ids.iter().enumerate() {
            assert!(!m.contains(id), "{id} before insert");
            assert_eq!(m.insert(id, id % 89), None, "first insert of {id}");
            assert_eq!(m.insert(id, id % 97), Some(id % 89), "second insert of {id}");
            *m.get_or_insert_with(id, || 0) += 1;
            assert_eq!(m.len(), n + 1);
            for &seen in &ids[..=n] {
                assert_eq!(m.get(seen), Some(&(seen % 97 + 1)), "{seen} after inserting {id}");
            }
        }
        // 100 went to the map, and moved to the vector when 101 came.
        assert!(m.dense.len() >= 101 && !m.sparse.as_ref().unwrap().contains_key(&100));
        assert!(m.sparse.as_ref().unwrap().contains_key(&500));
        let mut sorted = ids.to_vec();
        sorted.sort();
        let want: Vec<u32> = sorted.iter().map(|id| id % 97 + 1).collect();
        assert_eq!(m.values().copied().collect::<Vec<_>>(), want, "in id order");
        for &id in &ids {
            assert_eq!(m.remove(id), Some(id % 97 + 1), "remove {id}");
            assert_eq!(m.remove(id), None, "remove {id} again");
        }
        assert_eq!((m.len(), m.values().count()), (0, 0));
    }

    #[test]
    fn the_vector_stays_within_twice_the_ids_inserted() {
        // Ids that each double the last would double the vector each time
        // if nothing bounded it.
        let mut m = IdMap::new();
        let mut id = 64u32;
        for _ in 0..20 {
            m.insert(id, ());
            id = id.saturating_mul(2) + 63;
        }
        assert!(m.dense.len() <= 2 * 20 + 64, "{} slots for 20 ids", m.dense.len());
        assert_eq!(m.len(), 20);
    }
}
