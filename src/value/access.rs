//! Reading a [`Value`] in serde_json's style: `get` by key or index,
//! `pointer` by path, and `as_*` accessors that answer `None` for any other
//! kind of value.
//!
//! A compound value lives in the arena, so an [`Item`] alone cannot reach
//! its members; [`Ref`] is an item with its arena at hand. That is also why
//! there is no `value["a"][0]`: `Index` must return a reference, and the
//! view of a member is made on the way, so `get` and `pointer` do that job.

use std::ops::Deref;

use super::{BigInt, Date, Item, Node, Object, Value};

/// One item of a [`Value`], with the arena it points into.
///
/// ```
/// let v = rsc_flight::reply::from_str(r#"[{"name":"Ann","tags":["a","b"],"n":"$n12"}]"#)?;
/// let user = v.get(0).unwrap();
/// assert_eq!(user.get("name").and_then(|r| r.as_str()), Some("Ann"));
/// assert_eq!(v.pointer("/0/tags/1").and_then(|r| r.as_str()), Some("b"));
/// assert_eq!(user.get("n").and_then(|r| r.as_bigint()).map(|b| b.as_str()), Some("12"));
/// assert!(user.get("missing").is_none());
/// # Ok::<(), rsc_flight::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Ref<'a> {
    value: &'a Value,
    item: &'a Item,
}

/// What can look up a member: a `&str` (an object's property, or a Map's
/// entry whose key is that string) or a `usize` (an array's element).
pub trait Index: private::Sealed {
    #[doc(hidden)]
    fn member<'a>(&self, node: &'a Node) -> Option<&'a Item>;
}

mod private {
    pub trait Sealed {}
    impl Sealed for str {}
    impl Sealed for String {}
    impl Sealed for usize {}
    impl<T: Sealed + ?Sized> Sealed for &T {}
}

impl Index for str {
    fn member<'a>(&self, node: &'a Node) -> Option<&'a Item> {
        match node {
            Node::Object(o) => o.get(self),
            Node::Map(entries) => {
                entries.iter().find(|(k, _)| matches!(k, Item::String(s) if &**s == self)).map(|(_, v)| v)
            }
            _ => None,
        }
    }
}

impl Index for String {
    fn member<'a>(&self, node: &'a Node) -> Option<&'a Item> {
        self.as_str().member(node)
    }
}

impl Index for usize {
    fn member<'a>(&self, node: &'a Node) -> Option<&'a Item> {
        match node {
            Node::Array(a) => a.get(*self),
            _ => None,
        }
    }
}

impl<T: Index + ?Sized> Index for &T {
    fn member<'a>(&self, node: &'a Node) -> Option<&'a Item> {
        (**self).member(node)
    }
}

impl Value {
    /// The root, as a [`Ref`].
    pub fn root_ref(&self) -> Ref<'_> {
        Ref { value: self, item: self.root() }
    }

    /// The root's member `key`: see [`Ref::get`].
    pub fn get<K: Index>(&self, key: K) -> Option<Ref<'_>> {
        self.root_ref().get(key)
    }

    /// The member at a JSON Pointer from the root: see [`Ref::pointer`].
    pub fn pointer(&self, pointer: &str) -> Option<Ref<'_>> {
        self.root_ref().pointer(pointer)
    }
}

impl<'a> Ref<'a> {
    /// A view of `item`, one of `value`'s items.
    pub fn new(value: &'a Value, item: &'a Item) -> Self {
        Ref { value, item }
    }

    /// The item itself.
    pub fn item(self) -> &'a Item {
        self.item
    }

    /// The node, when the item is one.
    pub fn node(self) -> Option<&'a Node> {
        self.value.resolve(self.item)
    }

    /// A member: an object's property or a Map's entry by string key, an
    /// array's element by index. `None` for anything else, as
    /// `serde_json::Value::get` answers.
    pub fn get<K: Index>(self, key: K) -> Option<Ref<'a>> {
        let item = key.member(self.node()?)?;
        Some(Ref { value: self.value, item })
    }

    /// The member at a JSON Pointer (RFC 6901: `/a/0/b`, `~1` for `/`,
    /// `~0` for `~`), each step as [`Ref::get`] takes it; `""` is this
    /// item.
    ///
    /// ```
    /// let v = rsc_flight::tagged::from_str(r#"{"a/b":{"$type":"Map","entries":[["k",[1,2]]]}}"#)?;
    /// assert_eq!(v.pointer("/a~1b/k/1").and_then(|r| r.as_f64()), Some(2.0));
    /// assert!(v.pointer("a").is_none(), "a pointer starts with /");
    /// # Ok::<(), rsc_flight::Error>(())
    /// ```
    pub fn pointer(self, pointer: &str) -> Option<Ref<'a>> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut at = self;
        for step in pointer.strip_prefix('/')?.split('/') {
            let step = step.replace("~1", "/").replace("~0", "~");
            at = match at.node()? {
                // An array index is written in its canonical form only.
                Node::Array(_) => at.get(crate::js::array_index(&step)? as usize)?,
                _ => at.get(step.as_str())?,
            };
        }
        Some(at)
    }

    /// The string, if this is one (for as long as the value lives).
    pub fn as_str(self) -> Option<&'a str> {
        self.item.as_str()
    }

    /// The BigInt, if this is one.
    pub fn as_bigint(self) -> Option<&'a BigInt> {
        self.item.as_bigint()
    }

    /// The Date, if this is one.
    pub fn as_date(self) -> Option<&'a Date> {
        self.item.as_date()
    }

    /// The elements of an array.
    pub fn as_array(self) -> Option<impl Iterator<Item = Ref<'a>>> {
        match self.node()? {
            Node::Array(a) => Some(a.iter().map(move |item| Ref { value: self.value, item })),
            _ => None,
        }
    }

    /// The properties of a plain object.
    pub fn as_object(self) -> Option<&'a Object> {
        match self.node()? {
            Node::Object(o) => Some(o),
            _ => None,
        }
    }
}

impl Deref for Ref<'_> {
    type Target = Item;
    fn deref(&self) -> &Item {
        self.item
    }
}

impl Item {
    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Item::Null)
    }
    /// Whether this is `undefined`.
    pub fn is_undefined(&self) -> bool {
        matches!(self, Item::Undefined)
    }
    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Item::Bool(b) => Some(*b),
            _ => None,
        }
    }
    /// The number, if this is one (`NaN`, the infinities and `-0`
    /// included).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Item::Number(n) => Some(*n),
            _ => None,
        }
    }
    /// The number, if this is one that is an integer a `i64` holds exactly.
    ///
    /// ```
    /// use rsc_flight::value::Item;
    /// assert_eq!(Item::Number(3.0).as_i64(), Some(3));
    /// assert_eq!(Item::Number(3.5).as_i64(), None);
    /// assert_eq!(Item::Number(f64::NAN).as_i64(), None);
    /// ```
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            // 2^63 is exact as a double; everything below it converts exactly.
            Item::Number(n)
                if n.fract() == 0.0 && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(n) =>
            {
                Some(*n as i64)
            }
            _ => None,
        }
    }
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Item::String(s) => Some(s),
            _ => None,
        }
    }
    /// The BigInt, if this is one.
    pub fn as_bigint(&self) -> Option<&BigInt> {
        match self {
            Item::BigInt(b) => Some(b),
            _ => None,
        }
    }
    /// The Date, if this is one.
    pub fn as_date(&self) -> Option<&Date> {
        match self {
            Item::Date(d) => Some(d),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::tagged;

    /// Each row: a document, a pointer, and the notation of what is there
    /// (`None`: nothing).
    #[test]
    fn pointers_walk_members_as_get_does() {
        let doc = r#"{"a":[10,{"b":null}],"":1,"m":{"$type":"Map","entries":[[1,"number key"],["1","string key"]]},"~/":2,"s":{"$type":"Set","values":[1]}}"#;
        let v = tagged::from_str(doc).unwrap();
        let table = [
            ("", Some(doc)),
            ("/a/0", Some("10")),
            ("/a/1/b", Some("null")),
            ("/a/01", None),
            ("/a/2", None),
            ("/", Some("1")),
            ("/m/1", Some(r#""string key""#)),
            ("/~0~1", Some("2")),
            ("/s/0", None),
            ("/a/1/b/c", None),
            ("a", None),
        ];
        for (pointer, want) in table {
            let got = v.pointer(pointer).map(|r| {
                let mut one = v.clone();
                one.set_root(r.item().clone());
                tagged::to_string(&one).unwrap()
            });
            assert_eq!(got.as_deref(), want, "{pointer:?}");
        }
    }

    #[test]
    fn accessors_answer_only_for_their_kind() {
        let v = tagged::from_str(r#"[true,1.5,"s",null,{"$type":"undefined"},{"$type":"bigint","value":"7"},{"$type":"number","value":"-0"}]"#).unwrap();
        let items: Vec<_> = v.root_ref().as_array().unwrap().collect();
        assert_eq!(items[0].as_bool(), Some(true));
        assert_eq!(items[1].as_bool(), None);
        assert_eq!((items[1].as_f64(), items[1].as_i64()), (Some(1.5), None));
        assert_eq!((items[2].as_str(), items[1].as_str()), (Some("s"), None));
        assert!(items[3].is_null() && !items[3].is_undefined());
        assert!(items[4].is_undefined() && !items[4].is_null());
        assert_eq!(items[5].as_bigint().map(|b| b.as_str()), Some("7"));
        assert_eq!(items[6].as_i64(), Some(0));
        assert!(v.root_ref().as_object().is_none());
    }
}
