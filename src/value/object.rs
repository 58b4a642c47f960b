//! [`Object`]: a plain object's own properties, in insertion order.
//!
//! Decoding builds one object per `{...}` on the wire, tens of thousands of
//! them in a large body, almost all with a handful of keys. A hash map per
//! object (what `IndexMap` or `serde_json::Map` is) costs an index table
//! allocation and a hash of every key; a vector of pairs costs neither, and a
//! linear scan of a dozen short keys is faster than one SipHash. So an object
//! is a vector of pairs while it is small, and becomes an `IndexMap` (SipHash,
//! so a hostile body cannot force collisions) once it outgrows
//! [`Object::SMALL`] keys, which keeps `insert` and `get` O(1) for the large
//! ones a hostile body could build.
//!
//! A decoded body is mostly lists of records: thousands of objects with the
//! same keys in the same order. Their keys were a quarter of such a decoded
//! value's memory (a 24-byte [`Str`] per member, as large as its [`Item`]),
//! so objects with the same keys in the same order can share one key list and
//! keep only their values apart, as V8's hidden classes do (the one-pass
//! builder finds them: `straight/shapes.rs`). A shared object is unshared
//! before a key is added or removed; its values change in place.

use std::sync::Arc;

use indexmap::IndexMap;

use super::{Item, Str};

/// A plain object's own properties, in insertion order, each key once.
///
/// Equality is order-sensitive: JavaScript enumerates keys in insertion order
/// (after array indices), so two objects with the same entries in another
/// order are different values on the wire.
///
/// ```
/// use rsc_flight::value::{Item, Object};
/// let mut o = Object::new();
/// o.insert("b", Item::from(1.0));
/// o.insert("a", Item::from(2.0));
/// assert_eq!(o.insert("b", Item::from(3.0)), Some(Item::from(1.0)));
/// assert_eq!(o.keys().collect::<Vec<_>>(), ["b", "a"]);
/// assert_eq!(o.get("b"), Some(&Item::from(3.0)));
/// ```
#[derive(Clone, Default)]
pub struct Object(Repr);

#[derive(Clone)]
enum Repr {
    Small(Vec<(Str, Item)>),
    /// Keys shared with other objects (as many as the values, distinct).
    Shared(Arc<[Str]>, Vec<Item>),
    Large(IndexMap<Str, Item>),
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Small(Vec::new())
    }
}

impl Object {
    /// Objects with more keys than this are indexed by a hash table.
    pub const SMALL: usize = 16;

    /// An empty object.
    pub fn new() -> Self {
        Object(Repr::Small(Vec::new()))
    }
    /// An empty object with room for `n` keys.
    pub fn with_capacity(n: usize) -> Self {
        if n > Self::SMALL {
            Object(Repr::Large(IndexMap::with_capacity(n)))
        } else {
            Object(Repr::Small(Vec::with_capacity(n)))
        }
    }
    /// An object of `pairs`, whose keys the caller knows are distinct (the
    /// decoders, having checked the wire's keys), at their exact size.
    pub(crate) fn from_distinct(pairs: impl ExactSizeIterator<Item = (Str, Item)>) -> Self {
        if pairs.len() > Self::SMALL {
            Object(Repr::Large(pairs.collect()))
        } else {
            Object(Repr::Small(pairs.collect()))
        }
    }
    /// Add a key the caller knows is not there yet (the decoders know,
    /// having checked the wire's keys once): no comparison while small.
    pub(crate) fn push_distinct(&mut self, key: Str, value: Item) {
        match self.own_keys() {
            Own::Small(v) if v.len() < Self::SMALL => {
                debug_assert!(v.iter().all(|(k, _)| *k != key));
                v.push((key, value));
            }
            _ => {
                self.insert(key, value);
            }
        }
    }
    /// Number of keys.
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Small(v) => v.len(),
            Repr::Shared(_, v) => v.len(),
            Repr::Large(m) => m.len(),
        }
    }
    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Set `key` to `value`: a new key goes last, an existing one keeps its
    /// place (as assignment does in JavaScript). Returns the old value.
    pub fn insert(&mut self, key: impl Into<Str>, value: Item) -> Option<Item> {
        let key = key.into();
        if let Some(slot) = self.get_mut(&key) {
            return Some(std::mem::replace(slot, value));
        }
        match self.own_keys() {
            Own::Small(v) => {
                if v.len() < Self::SMALL {
                    v.push((key, value));
                    return None;
                }
                let mut m: IndexMap<Str, Item> = IndexMap::with_capacity(v.len() * 2);
                m.extend(v.drain(..));
                m.insert(key, value);
                self.0 = Repr::Large(m);
                None
            }
            Own::Large(m) => m.insert(key, value),
        }
    }
    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Item> {
        match &self.0 {
            Repr::Small(v) => v.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            Repr::Shared(keys, v) => keys.iter().position(|k| k == key).map(|i| &v[i]),
            Repr::Large(m) => m.get(key),
        }
    }
    /// The value of `key`, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Item> {
        match &mut self.0 {
            Repr::Small(v) => v.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            Repr::Shared(keys, v) => keys.iter().position(|k| k == key).map(|i| &mut v[i]),
            Repr::Large(m) => m.get_mut(key),
        }
    }
    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
    /// Remove `key`, keeping the order of the others (JavaScript's `delete`).
    pub fn remove(&mut self, key: &str) -> Option<Item> {
        // Nothing to remove: a shared object goes on sharing.
        if matches!(&self.0, Repr::Shared(keys, _) if !keys.iter().any(|k| k == key)) {
            return None;
        }
        match self.own_keys() {
            Own::Small(v) => {
                let i = v.iter().position(|(k, _)| k == key)?;
                Some(v.remove(i).1)
            }
            Own::Large(m) => m.shift_remove(key),
        }
    }
    /// The `i`th entry in insertion order.
    pub fn get_index(&self, i: usize) -> Option<(&Str, &Item)> {
        match &self.0 {
            Repr::Small(v) => v.get(i).map(|(k, v)| (k, v)),
            Repr::Shared(keys, v) => Some((keys.get(i)?, v.get(i)?)),
            Repr::Large(m) => m.get_index(i),
        }
    }
    /// The `i`th entry's value, mutably.
    pub fn get_index_mut(&mut self, i: usize) -> Option<(&Str, &mut Item)> {
        match &mut self.0 {
            Repr::Small(v) => v.get_mut(i).map(|(k, v)| (&*k, v)),
            Repr::Shared(keys, v) => Some((keys.get(i)?, v.get_mut(i)?)),
            Repr::Large(m) => m.get_index_mut(i),
        }
    }
    /// The entries in insertion order.
    pub fn iter(&self) -> Iter<'_> {
        match &self.0 {
            Repr::Small(v) => Iter::Small(v.iter()),
            Repr::Shared(keys, v) => Iter::Shared(keys.iter().zip(v.iter())),
            Repr::Large(m) => Iter::Large(m.iter()),
        }
    }
    /// The entries in insertion order, values mutably.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&Str, &mut Item)> {
        let (small, shared, large) = match &mut self.0 {
            Repr::Small(v) => (Some(v.iter_mut().map(|(k, v)| (&*k, v))), None, None),
            Repr::Shared(keys, v) => (None, Some(keys.iter().zip(v.iter_mut())), None),
            Repr::Large(m) => (None, None, Some(m.iter_mut())),
        };
        small.into_iter().flatten().chain(shared.into_iter().flatten()).chain(large.into_iter().flatten())
    }
    /// The values in insertion order, mutably.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Item> {
        self.iter_mut().map(|(_, v)| v)
    }
    /// Keep the entries for which `keep` is true, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&Str, &mut Item) -> bool) {
        match self.own_keys() {
            Own::Small(v) => v.retain_mut(|(k, v)| keep(k, v)),
            Own::Large(m) => m.retain(|k, v| keep(k, v)),
        }
    }
    /// The keys in insertion order.
    pub fn keys(&self) -> impl Iterator<Item = &Str> {
        self.iter().map(|(k, _)| k)
    }
    /// The values in insertion order.
    pub fn values(&self) -> impl Iterator<Item = &Item> {
        self.iter().map(|(_, v)| v)
    }
    /// The entries with keys of the object's own, to add or remove one: a
    /// shared object takes a copy of its keys first.
    fn own_keys(&mut self) -> Own<'_> {
        if let Repr::Shared(keys, values) = &mut self.0 {
            let pairs = keys.iter().cloned().zip(std::mem::take(values)).collect();
            self.0 = Repr::Small(pairs);
        }
        match &mut self.0 {
            Repr::Small(v) => Own::Small(v),
            Repr::Large(m) => Own::Large(m),
            // Made `Small` just above (the borrow checker cannot see
            // through the assignment to return the vector from there).
            Repr::Shared(..) => unreachable!("a shared object was given keys of its own"),
        }
    }
    /// An object of `values` under `keys` (distinct, as many), which it
    /// shares with others.
    pub(crate) fn shared(keys: Arc<[Str]>, values: Vec<Item>) -> Self {
        debug_assert_eq!(keys.len(), values.len());
        Object(Repr::Shared(keys, values))
    }
    /// The key list, to share with other objects: a small object's keys
    /// move into one (its values stay its own); a large one keeps its own.
    pub(crate) fn share_keys(&mut self) -> Option<Arc<[Str]>> {
        match &mut self.0 {
            Repr::Small(pairs) => {
                let (keys, values): (Vec<Str>, Vec<Item>) = std::mem::take(pairs).into_iter().unzip();
                let keys: Arc<[Str]> = keys.into();
                self.0 = Repr::Shared(keys.clone(), values);
                Some(keys)
            }
            Repr::Shared(keys, _) => Some(keys.clone()),
            Repr::Large(_) => None,
        }
    }
    /// Whether the keys are `keys`, in this order.
    pub(crate) fn has_keys<'k>(&self, keys: impl ExactSizeIterator<Item = &'k str>) -> bool {
        self.len() == keys.len() && self.keys().zip(keys).all(|(a, b)| a == b)
    }
    /// Whether the keys are shared with other objects (for tests).
    #[cfg(test)]
    pub(crate) fn is_shared(&self) -> bool {
        matches!(self.0, Repr::Shared(..))
    }
}

/// An object's entries with keys of its own ([`Object::own_keys`]).
enum Own<'a> {
    Small(&'a mut Vec<(Str, Item)>),
    Large(&'a mut IndexMap<Str, Item>),
}

/// An iterator over an [`Object`]'s entries.
pub enum Iter<'a> {
    #[doc(hidden)]
    Small(std::slice::Iter<'a, (Str, Item)>),
    #[doc(hidden)]
    Shared(std::iter::Zip<std::slice::Iter<'a, Str>, std::slice::Iter<'a, Item>>),
    #[doc(hidden)]
    Large(indexmap::map::Iter<'a, Str, Item>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a Str, &'a Item);
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Small(i) => i.next().map(|(k, v)| (k, v)),
            Iter::Shared(i) => i.next(),
            Iter::Large(i) => i.next(),
        }
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Iter::Small(i) => i.size_hint(),
            Iter::Shared(i) => i.size_hint(),
            Iter::Large(i) => i.size_hint(),
        }
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Small(i) => i.next_back().map(|(k, v)| (k, v)),
            Iter::Shared(i) => i.next_back(),
            Iter::Large(i) => i.next_back(),
        }
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Object {
    type Item = (&'a Str, &'a Item);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl IntoIterator for Object {
    type Item = (Str, Item);
    type IntoIter = Box<dyn Iterator<Item = (Str, Item)>>;
    fn into_iter(self) -> Self::IntoIter {
        match self.0 {
            Repr::Small(v) => Box::new(v.into_iter()),
            Repr::Shared(keys, v) => Box::new((0..keys.len()).map(move |i| keys[i].clone()).zip(v)),
            Repr::Large(m) => Box::new(m.into_iter()),
        }
    }
}

impl<K: Into<Str>> FromIterator<(K, Item)> for Object {
    fn from_iter<I: IntoIterator<Item = (K, Item)>>(iter: I) -> Self {
        let mut o = Object::new();
        o.extend(iter);
        o
    }
}

impl<K: Into<Str>> Extend<(K, Item)> for Object {
    fn extend<I: IntoIterator<Item = (K, Item)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl PartialEq for Object {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl std::fmt::Debug for Object {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_into_a_hash_table_and_keeps_order() {
        let mut o = Object::new();
        let n = Object::SMALL * 3;
        for i in 0..n {
            assert_eq!(o.insert(format!("k{i}"), Item::from(i as f64)), None);
        }
        // Reassigning keeps the place; removing keeps the others' order.
        assert_eq!(o.insert("k0", Item::Null), Some(Item::from(0.0)));
        assert_eq!(o.remove("k1"), Some(Item::from(1.0)));
        let keys: Vec<&str> = o.keys().map(|k| k.as_str()).collect();
        let want: Vec<String> = (0..n).filter(|&i| i != 1).map(|i| format!("k{i}")).collect();
        assert_eq!(keys, want);
        assert_eq!(o.get("k0"), Some(&Item::Null));
        assert_eq!(o.get(&format!("k{}", n - 1)), Some(&Item::from((n - 1) as f64)));
        assert_eq!(o.len(), n - 1);
        assert_eq!(o.iter().next_back().map(|(k, _)| k.to_string()), Some(format!("k{}", n - 1)));
        o.retain(|k, _| k.ends_with('7'));
        assert_eq!(o.keys().map(|k| k.as_str()).collect::<Vec<_>>(), ["k7", "k17", "k27", "k37", "k47"]);
        for v in o.values_mut() {
            *v = Item::Null;
        }
        assert!(o.values().all(|v| *v == Item::Null));
    }

    /// A shared object reads as one with keys of its own, changes its
    /// values in place, and takes keys of its own to add or remove one,
    /// leaving the objects it shared with as they were.
    #[test]
    fn a_shared_object_reads_and_changes_as_its_own() {
        let keys: Arc<[Str]> = vec![Str::from("a"), Str::from("b")].into();
        let n = |x: f64| Item::from(x);
        let mut a = Object::shared(keys.clone(), vec![n(1.0), n(2.0)]);
        let b = Object::shared(keys, vec![n(3.0), n(4.0)]);
        let own: Object = [("a", n(1.0)), ("b", n(2.0))].into_iter().collect();
        assert_eq!(a, own);
        assert_eq!(format!("{a:?}"), format!("{own:?}"));
        assert_eq!((a.len(), a.get("b"), a.get("c")), (2, Some(&n(2.0)), None));
        assert_eq!(a.get_index(1), Some((&Str::from("b"), &n(2.0))));
        assert_eq!(a.iter().next_back(), Some((&Str::from("b"), &n(2.0))));
        assert_eq!(a.clone().into_iter().collect::<Vec<_>>(), [(Str::from("a"), n(1.0)), (Str::from("b"), n(2.0))]);

        assert_eq!(a.insert("b", Item::Null), Some(n(2.0)));
        *a.get_mut("a").unwrap() = Item::Bool(true);
        *a.get_index_mut(1).unwrap().1 = n(5.0);
        a.values_mut().for_each(|v| {
            if *v == n(5.0) {
                *v = n(6.0)
            }
        });
        assert!(a.is_shared(), "a value changed in place");
        assert_eq!(a.values().cloned().collect::<Vec<_>>(), [Item::Bool(true), n(6.0)]);

        assert_eq!(a.remove("c"), None);
        assert!(a.is_shared(), "nothing to remove");
        assert_eq!(a.insert("c", Item::Null), None);
        assert!(!a.is_shared());
        assert_eq!(a.keys().map(Str::as_str).collect::<Vec<_>>(), ["a", "b", "c"]);
        let mut c = b.clone();
        assert_eq!(c.remove("a"), Some(n(3.0)));
        let mut d = b.clone();
        d.retain(|k, _| k == "a");
        assert_eq!((c.len(), d.len()), (1, 1));
        assert_eq!(
            b,
            [("a", n(3.0)), ("b", n(4.0))].into_iter().collect::<Object>(),
            "the list it shared is unchanged"
        );

        // A small object's keys move into a list to share; a large one keeps its own.
        let mut e = own.clone();
        let list = e.share_keys().unwrap();
        assert!(e.is_shared() && e == own && e.has_keys(["a", "b"].into_iter()) && !e.has_keys(["b", "a"].into_iter()));
        assert_eq!(Object::shared(list, vec![n(0.0), n(0.0)]).keys().count(), 2);
        let mut large: Object = (0..=Object::SMALL).map(|i| (format!("k{i}"), Item::Null)).collect();
        assert!(large.share_keys().is_none());
    }

    #[test]
    fn equality_sees_order() {
        let a: Object = [("x", Item::Null), ("y", Item::Null)].into_iter().collect();
        let b: Object = [("y", Item::Null), ("x", Item::Null)].into_iter().collect();
        assert_ne!(a, b);
        assert_eq!(a, a.clone());
    }
}
