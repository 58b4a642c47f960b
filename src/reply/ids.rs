//! Tables keyed by a reply's part ids, and by node.

use std::collections::BTreeMap;
use std::ops::{Index, IndexMut};

use crate::value::NodeId;

/// A table keyed by part id.
///
/// React numbers the parts it outlines 1, 2, 3… in the order it meets
/// them, so the ids of a real body are dense and no larger than its number
/// of fields. Part 0, the root of every body, is kept inline, so that a
/// one-part body fills its tables without allocating; ids below `limit`
/// index a vector (no hashing); any other id, which only a hand-made body
/// has (`$ffffffff`), goes to an ordered map, so a large id costs no memory.
pub(super) struct IdMap<T> {
    zero: Option<T>,
    dense: Vec<Option<T>>,
    /// Made on first use: an empty map still costs a walk to drop.
    sparse: Option<BTreeMap<u32, T>>,
    limit: u32,
}

impl<T> IdMap<T> {
    /// A table whose ids below `limit` are kept in a vector.
    pub(super) fn new(limit: usize) -> Self {
        IdMap {
            zero: None,
            dense: Vec::new(),
            sparse: None,
            limit: u32::try_from(limit).unwrap_or(u32::MAX),
        }
    }

    pub(super) fn get(&self, id: u32) -> Option<&T> {
        if id == 0 {
            self.zero.as_ref()
        } else if id < self.limit {
            self.dense.get(id as usize - 1).and_then(Option::as_ref)
        } else {
            self.sparse.as_ref()?.get(&id)
        }
    }

    pub(super) fn contains(&self, id: u32) -> bool {
        self.get(id).is_some()
    }

    /// The slot of a dense id, grown to it.
    fn dense_slot(&mut self, id: u32) -> &mut Option<T> {
        let i = id as usize - 1;
        if i >= self.dense.len() {
            self.dense.resize_with(i + 1, || None);
        }
        &mut self.dense[i]
    }

    /// The entry of `id`, made with `make` if there is none.
    pub(super) fn get_or_insert_with(&mut self, id: u32, make: impl FnOnce() -> T) -> &mut T {
        if id == 0 {
            self.zero.get_or_insert_with(make)
        } else if id < self.limit {
            self.dense_slot(id).get_or_insert_with(make)
        } else {
            self.sparse.get_or_insert_with(BTreeMap::new).entry(id).or_insert_with(make)
        }
    }

    /// Set the entry of `id`; gives whether there was none before.
    pub(super) fn insert(&mut self, id: u32, value: T) -> bool {
        if id == 0 {
            self.zero.replace(value).is_none()
        } else if id < self.limit {
            self.dense_slot(id).replace(value).is_none()
        } else {
            self.sparse.get_or_insert_with(BTreeMap::new).insert(id, value).is_none()
        }
    }

    /// Every entry, in the order of their ids.
    pub(super) fn values(&self) -> impl Iterator<Item = &T> {
        self.zero.iter().chain(self.dense.iter().flatten()).chain(self.sparse.iter().flat_map(BTreeMap::values))
    }
}

/// A vector whose first element is kept inline: every body opens one
/// array budget context for part 0, and a one-part body pays no
/// allocation for it.
pub(super) struct FirstInline<T> {
    first: Option<T>,
    rest: Vec<T>,
}

impl<T> FirstInline<T> {
    pub(super) fn new() -> Self {
        FirstInline { first: None, rest: Vec::new() }
    }

    /// Add `value`; gives its index.
    pub(super) fn push(&mut self, value: T) -> usize {
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
pub(super) fn per_node<T: Clone>(table: &mut Vec<T>, node: NodeId, fill: T) -> &mut T {
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
    fn dense_and_sparse_ids_behave_alike() {
        for limit in [0, 1, 3, 100] {
            let mut m = IdMap::new(limit);
            for id in [0u32, 2, 7, 50, u32::MAX] {
                assert!(!m.contains(id), "limit {limit}: {id} before insert");
                assert!(m.insert(id, id % 89), "limit {limit}: first insert of {id}");
                assert!(!m.insert(id, id % 97), "limit {limit}: second insert of {id}");
                assert_eq!(m.get(id), Some(&(id % 97)), "limit {limit}: {id}");
                *m.get_or_insert_with(id, || 0) += 1;
                assert_eq!(m.get(id), Some(&(id % 97 + 1)), "limit {limit}: {id} after update");
            }
            assert_eq!(m.get(1), None);
            assert_eq!(*m.get_or_insert_with(1, || 5), 5);
            let all: Vec<u32> = m.values().copied().collect();
            assert_eq!(all, [1, 5, 3, 8, 51, u32::MAX % 97 + 1], "limit {limit}: in id order");
        }
    }
}
