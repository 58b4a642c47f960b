//! The crate's one error type.
//!
//! Errors are boxed so that `Result<T, Error>` stays one word wide on the happy
//! path. The message is React's own text wherever React has one for the same
//! failure, so logs read the same on both sides of the wire; where the failure
//! happened (part name, byte offset, row id) is carried separately and shown
//! after the message.

use std::fmt;

/// A broad classification of an [`Error`], for callers that branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Category {
    /// The input is not well-formed (bad JSON, bad multipart, bad tag).
    Syntax,
    /// The input is well-formed but refers to something missing or invalid
    /// (a missing part, an invalid path reference, a reused initializer).
    Reference,
    /// A configured limit was exceeded; the message names the limit.
    Limit,
    /// The value cannot be encoded (functions, class instances, symbols...),
    /// or a decoded value cannot be represented exactly.
    Unsupported,
    /// The input ended before the value was complete.
    Eof,
    /// An I/O error while reading input or writing output.
    Io,
    /// A decoded value does not have the shape a Rust type expects (the
    /// typed API); the location's `path` says which value.
    Type,
    /// A Server Function id that no [`Registry`](crate::server::Registry)
    /// entry holds: the called id, a form's action, or a server reference
    /// among the arguments.
    UnknownFunction,
}

/// Where in the input an error was found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The reply part (form field name) or response row being read.
    pub part: Option<String>,
    /// The byte offset inside that part (or inside the whole body).
    pub offset: Option<usize>,
    /// The path of the value inside the decoded value (`args[1].when`), for
    /// errors of the typed API.
    pub path: Option<String>,
}

struct Inner {
    category: Category,
    message: String,
    location: Location,
    limit: Option<&'static str>,
}

/// The error type of every fallible operation in this crate.
pub struct Error(Box<Inner>);

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn new(category: Category, message: impl Into<String>) -> Self {
        Error(Box::new(Inner { category, message: message.into(), location: Location::default(), limit: None }))
    }
    pub(crate) fn syntax(message: impl Into<String>) -> Self {
        Self::new(Category::Syntax, message)
    }
    pub(crate) fn reference(message: impl Into<String>) -> Self {
        Self::new(Category::Reference, message)
    }
    pub(crate) fn unsupported(message: impl Into<String>) -> Self {
        Self::new(Category::Unsupported, message)
    }
    pub(crate) fn io(message: impl Into<String>) -> Self {
        Self::new(Category::Io, message)
    }
    pub(crate) fn eof(message: impl Into<String>) -> Self {
        Self::new(Category::Eof, message)
    }
    /// A limit error; `name` is the [`Limits`](crate::Limits) field.
    pub(crate) fn limit(name: &'static str, detail: impl fmt::Display) -> Self {
        let mut e = Self::new(Category::Limit, format!("{detail} (limit `{name}`)"));
        e.0.limit = Some(name);
        e
    }
    /// A limit React has too, with React's own text (which names no
    /// field); `name` is still the [`Limits`](crate::Limits) field.
    pub(crate) fn limit_react(name: &'static str, message: &str) -> Self {
        let mut e = Self::new(Category::Limit, message);
        e.0.limit = Some(name);
        e
    }

    /// Attach a part name unless one is already known (the innermost wins).
    pub(crate) fn in_part(mut self, part: impl FnOnce() -> String) -> Self {
        if self.0.location.part.is_none() {
            self.0.location.part = Some(part());
        }
        self
    }
    /// Attach a value path unless one is already known (the innermost wins).
    pub(crate) fn at_path(mut self, path: impl FnOnce() -> String) -> Self {
        if self.0.location.path.is_none() {
            self.0.location.path = Some(path());
        }
        self
    }
    /// Make an offset inside a payload an offset in the whole body.
    pub(crate) fn shift_offset(mut self, by: usize) -> Self {
        self.0.location.offset = Some(self.0.location.offset.unwrap_or(0) + by);
        self
    }
    pub(crate) fn at_offset(mut self, offset: usize) -> Self {
        if self.0.location.offset.is_none() {
            self.0.location.offset = Some(offset);
        }
        self
    }

    /// The broad kind of failure.
    pub fn category(&self) -> Category {
        self.0.category
    }
    /// The message without the location (React's text where React has one).
    pub fn message(&self) -> &str {
        &self.0.message
    }
    /// For a [`Category::Limit`] error, the [`Limits`](crate::Limits) field
    /// that was exceeded (`"max_body_bytes"`, `"max_depth"`...); `None` for
    /// React's own array budget and for every other error. A server answers
    /// `413 Payload Too Large` for `max_body_bytes` only.
    ///
    /// ```
    /// use rsc_flight::{reply::Decoder, Limits};
    /// let e = Decoder::new().limits(Limits::default().max_body_bytes(4)).decode_str("[1,2,3]").unwrap_err();
    /// assert_eq!(e.limit_name(), Some("max_body_bytes"));
    /// ```
    pub fn limit_name(&self) -> Option<&'static str> {
        self.0.limit
    }
    /// Where the error happened, as far as it is known.
    pub fn location(&self) -> &Location {
        &self.0.location
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = &self.0.location;
        if let Some(p) = &loc.path {
            write!(f, "{p}: ")?;
        }
        f.write_str(&self.0.message)?;
        match (&loc.part, loc.offset) {
            (Some(p), Some(o)) => write!(f, " (part {p:?}, byte {o})"),
            (Some(p), None) => write!(f, " (part {p:?})"),
            (None, Some(o)) => write!(f, " (byte {o})"),
            (None, None) => Ok(()),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("category", &self.0.category)
            .field("message", &self.0.message)
            .field("location", &self.0.location)
            .finish()
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::new(Category::Io, e.to_string())
    }
}

impl From<std::str::Utf8Error> for Error {
    /// A body that should be text is not UTF-8 (the offset is where).
    fn from(e: std::str::Utf8Error) -> Self {
        Error::syntax("the body is not valid UTF-8").at_offset(e.valid_up_to())
    }
}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::new(Category::Type, msg.to_string())
    }

    /// "expected a string, found a number", without echoing the value.
    fn invalid_type(unexp: serde::de::Unexpected<'_>, exp: &dyn serde::de::Expected) -> Self {
        use serde::de::Unexpected as U;
        let found = match unexp {
            U::Bool(_) => "a boolean",
            U::Unsigned(_) | U::Signed(_) | U::Float(_) => "a number",
            U::Char(_) | U::Str(_) => "a string",
            U::Bytes(_) => "binary data",
            U::Unit => "null or undefined",
            U::Option => "an optional value",
            U::NewtypeStruct => "a newtype",
            U::Seq => "an array",
            U::Map => "an object",
            U::Enum => "an enum",
            U::UnitVariant | U::NewtypeVariant | U::TupleVariant | U::StructVariant => "a variant",
            U::Other(o) => return Error::new(Category::Type, format!("expected {exp}, found {o}")),
        };
        Error::new(Category::Type, format!("expected {exp}, found {found}"))
    }
}

impl serde::ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::new(Category::Unsupported, msg.to_string())
    }
}
