//! [`Str`]: the string type of decoded values.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use compact_str::CompactString;

/// The string of values and object keys: an immutable UTF-8 string that
/// keeps up to 24 bytes inline, with no allocation of its own (nearly every
/// key and most values on the wire), and longer ones on the heap.
///
/// It derefs to `&str`, compares with `str` and `String`, and converts from
/// `&str`, `String` and `char`. The representation is private, so that a
/// later version can change it (for instance to share the body's bytes)
/// without changing this type.
///
/// ```
/// use rsc_flight::value::{Item, Str};
/// let s = Str::from("user-123");
/// assert_eq!(s, "user-123");
/// assert_eq!(s.len(), 8);
/// assert!(matches!(Item::from("x"), Item::String(s) if s == "x"));
/// let owned: String = s.into();
/// assert_eq!(owned, "user-123");
/// ```
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Str(CompactString);

impl Str {
    /// A string with this text.
    pub fn new(s: &str) -> Self {
        Str(CompactString::new(s))
    }
    /// The text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
    /// The text as a `String` (no copy when it lives on the heap).
    pub fn into_string(self) -> String {
        self.0.into_string()
    }
}

impl Deref for Str {
    type Target = str;
    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl AsRef<str> for Str {
    fn as_ref(&self) -> &str {
        self
    }
}

impl Borrow<str> for Str {
    fn borrow(&self) -> &str {
        self
    }
}

impl fmt::Debug for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl From<&str> for Str {
    fn from(s: &str) -> Self {
        Str::new(s)
    }
}

impl From<&String> for Str {
    fn from(s: &String) -> Self {
        Str::new(s)
    }
}

impl From<String> for Str {
    /// Short strings move inline (the `String` is freed); long ones keep
    /// the `String`'s buffer.
    fn from(s: String) -> Self {
        Str(CompactString::from(s))
    }
}

impl From<Box<str>> for Str {
    fn from(s: Box<str>) -> Self {
        Str::from(String::from(s))
    }
}

impl From<char> for Str {
    fn from(c: char) -> Self {
        Str::new(c.encode_utf8(&mut [0; 4]))
    }
}

impl From<Str> for String {
    fn from(s: Str) -> Self {
        s.into_string()
    }
}

impl From<Str> for Box<str> {
    fn from(s: Str) -> Self {
        s.into_string().into_boxed_str()
    }
}

impl PartialEq<str> for Str {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Str {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Str {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Str> for str {
    fn eq(&self, other: &Str) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Str> for &str {
    fn eq(&self, other: &Str) -> bool {
        *self == other.as_str()
    }
}

impl std::str::FromStr for Str {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Str::new(s))
    }
}
