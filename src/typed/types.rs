//! Typed forms of the binary and form values: typed arrays, Blob and File,
//! FormData.

use serde::de::{self, DeserializeOwned, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeTuple, Serializer};
use serde::{Deserialize, Serialize};

use super::{BLOB, FORMDATA, FORMVALUE, SERVER_REF, TYPED_ARRAY};
use crate::value::{Blob, TypedArrayKind};

/// Raw bytes, serialized with `serialize_bytes`.
pub(super) struct RawBytes<'a>(pub(super) &'a [u8]);

impl Serialize for RawBytes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

/// A Rust number type that is the element of a JavaScript typed array.
///
/// ```
/// use rsc_flight::typed::Element;
/// assert_eq!(<i64 as Element>::KIND.name(), "BigInt64Array");
/// ```
pub trait Element: Copy + Serialize + DeserializeOwned {
    /// The typed array of this element type.
    const KIND: TypedArrayKind;
    /// Append the little-endian bytes.
    fn put(self, out: &mut Vec<u8>);
}

macro_rules! element {
    ($($t:ty => $kind:ident),*) => {$(
        impl Element for $t {
            const KIND: TypedArrayKind = TypedArrayKind::$kind;
            fn put(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
        }
    )*};
}
element!(i8 => Int8, u8 => Uint8, i16 => Int16, u16 => Uint16, i32 => Int32, u32 => Uint32,
    f32 => Float32, f64 => Float64, i64 => BigInt64, u64 => BigUint64);

/// `#[serde(with = "rsc_flight::typed::typed_array")]` for `Vec<T>` of a
/// number type: the matching typed array (`Vec<f32>` ↔ `Float32Array`,
/// `Vec<i64>` ↔ `BigInt64Array`...), written as one binary part or row.
/// Reading takes any typed array (or array) whose elements `T` holds
/// exactly.
///
/// ```
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Samples(#[serde(with = "rsc_flight::typed::typed_array")] Vec<f32>);
/// let v = rsc_flight::typed::to_value(&Samples(vec![0.5, 2.0]))?;
/// assert_eq!(rsc_flight::tagged::to_string(&v)?, r#"{"$type":"Float32Array","base64":"AAAAPwAAAEA="}"#);
/// let back: Samples = rsc_flight::typed::from_value(&v)?;
/// assert_eq!(back.0, [0.5, 2.0]);
/// # Ok::<(), rsc_flight::Error>(())
/// ```
pub mod typed_array {
    use super::*;

    /// Write the elements as their typed array.
    pub fn serialize<T: Element, S: Serializer>(v: &[T], s: S) -> Result<S::Ok, S::Error> {
        let mut bytes = Vec::with_capacity(std::mem::size_of_val(v));
        for x in v {
            x.put(&mut bytes);
        }
        s.serialize_newtype_struct(TYPED_ARRAY, &(T::KIND.name(), RawBytes(&bytes)))
    }

    /// Read a typed array (or an array) element by element.
    pub fn deserialize<'de, T: Element, D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Element> Visitor<'de> for V<T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a typed array")
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
                Vec::<T>::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Vec<T>, A::Error> {
                let mut out = Vec::new();
                while let Some(x) = a.next_element()? {
                    out.push(x);
                }
                Ok(out)
            }
        }
        d.deserialize_newtype_struct(TYPED_ARRAY, V(std::marker::PhantomData))
    }
}

/// A Blob is `(name or null, type, bytes)` in any other serde format; here
/// a `Blob` (or a `File`, when it has a name).
///
/// ```
/// use rsc_flight::value::Blob;
/// let v = rsc_flight::tagged::from_str(r#"[{"$type":"File","name":"a.txt","type":"text/plain","base64":"aGk="}]"#)?;
/// let (file,): (Blob,) = rsc_flight::typed::from_value(&v)?;
/// assert_eq!((file.name.as_deref(), &*file.mime, &file.bytes[..]), (Some("a.txt"), "text/plain", &b"hi"[..]));
/// let again = rsc_flight::typed::to_value(&(file,))?;
/// assert!(rsc_flight::tagged::equivalent(&again, &v).is_ok());
/// # Ok::<(), rsc_flight::Error>(())
/// ```
impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(BLOB, &(self.name.as_deref(), &*self.mime, RawBytes(&self.bytes)))
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Blob;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a Blob")
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Blob, D::Error> {
                d.deserialize_tuple(3, self)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Blob, A::Error> {
                let missing = || de::Error::custom("a Blob is (name, type, bytes)");
                let name: Option<String> = a.next_element()?.ok_or_else(missing)?;
                let mime: String = a.next_element()?.ok_or_else(missing)?;
                let bytes: bytes::Bytes = a.next_element()?.ok_or_else(missing)?;
                Ok(Blob { name: name.map(Into::into), mime: mime.into(), bytes })
            }
        }
        d.deserialize_newtype_struct(BLOB, V)
    }
}

/// A `FormData`'s value: text or a file.
///
/// ```
/// use rsc_flight::typed::{FormData, FormValue};
/// let form = FormData(vec![("note".into(), FormValue::Text("hi".into()))]);
/// let v = rsc_flight::typed::to_value(&form)?;
/// assert_eq!(rsc_flight::tagged::to_string(&v)?, r#"{"$type":"FormData","entries":[["note","hi"]]}"#);
/// # Ok::<(), rsc_flight::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum FormValue {
    /// A text field.
    Text(String),
    /// A file (a Blob with a name; a Blob appended without one is named
    /// `"blob"` by the browser).
    File(Blob),
}

/// A `FormData`: its entries in order (a name may repeat).
///
/// ```
/// use rsc_flight::typed::{FormData, FormValue};
/// let v = rsc_flight::tagged::from_str(r#"{"$type":"FormData","entries":[["title","Hi"],["tag","a"],["tag","b"]]}"#)?;
/// let form: FormData = rsc_flight::typed::from_value(&v)?;
/// assert_eq!(form.get("title"), Some(&FormValue::Text("Hi".into())));
/// assert_eq!(form.get_all("tag").count(), 2);
/// # Ok::<(), rsc_flight::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FormData(pub Vec<(String, FormValue)>);

impl FormData {
    /// The first value under `name` (JavaScript's `formData.get`).
    pub fn get<'a>(&'a self, name: &'a str) -> Option<&'a FormValue> {
        self.get_all(name).next()
    }

    /// Every value under `name`, in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a FormValue> + 'a {
        self.0.iter().filter(move |(n, _)| n == name).map(|(_, v)| v)
    }
}

impl Serialize for FormValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FormValue::Text(t) => s.serialize_str(t),
            FormValue::File(b) => b.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for FormValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FormValue;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string or a File")
            }
            fn visit_str<E>(self, s: &str) -> Result<FormValue, E> {
                Ok(FormValue::Text(s.to_owned()))
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<FormValue, D::Error> {
                Blob::deserialize(d).map(FormValue::File)
            }
        }
        d.deserialize_newtype_struct(FORMVALUE, V)
    }
}

impl Serialize for FormData {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Entries<'a>(&'a [(String, FormValue)]);
        impl Serialize for Entries<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut t = s.serialize_tuple(self.0.len())?;
                for e in self.0 {
                    t.serialize_element(e)?;
                }
                t.end()
            }
        }
        s.serialize_newtype_struct(FORMDATA, &Entries(&self.0))
    }
}

impl<'de> Deserialize<'de> for FormData {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FormData;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a FormData")
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<FormData, D::Error> {
                Vec::<(String, FormValue)>::deserialize(d).map(FormData)
            }
        }
        d.deserialize_newtype_struct(FORMDATA, V)
    }
}

/// A server reference: a Server Function's id (`module#export`) and the
/// arguments bound to it with `.bind(...)`, as `A` (a tuple, say).
///
/// Reading one never looks anything up: it is the id as sent. A server
/// dispatches it through its own registry of known ids.
///
/// ```
/// use rsc_flight::typed::{self, ServerRef};
/// let v = rsc_flight::tagged::from_str(r#"{"$type":"ServerReference","id":"app/actions#like","bound":[42,"x"]}"#)?;
/// let r: ServerRef<(u32, String)> = typed::from_value(&v)?;
/// assert_eq!(r, ServerRef { id: "app/actions#like".into(), bound: Some((42, "x".into())) });
/// let back = typed::to_value(&r)?;
/// assert!(rsc_flight::tagged::equivalent(&back, &v).is_ok());
/// # Ok::<(), rsc_flight::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ServerRef<A = ()> {
    /// `module#export`.
    pub id: String,
    /// The bound arguments, `None` when unbound.
    pub bound: Option<A>,
}

impl<A: Serialize> Serialize for ServerRef<A> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(SERVER_REF, &(&self.id, &self.bound))
    }
}

impl<'de, A: Deserialize<'de>> Deserialize<'de> for ServerRef<A> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<A>(std::marker::PhantomData<A>);
        impl<'de, A: Deserialize<'de>> Visitor<'de> for V<A> {
            type Value = ServerRef<A>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a server reference")
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<ServerRef<A>, D::Error> {
                d.deserialize_tuple(2, self)
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut a: S) -> Result<ServerRef<A>, S::Error> {
                let missing = || de::Error::custom("a server reference is (id, bound arguments)");
                let id: String = a.next_element()?.ok_or_else(missing)?;
                let bound: Option<A> = a.next_element()?.ok_or_else(missing)?;
                Ok(ServerRef { id, bound })
            }
        }
        d.deserialize_newtype_struct(SERVER_REF, V(std::marker::PhantomData))
    }
}
