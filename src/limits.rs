//! Limits applied while decoding (and, where they make sense, encoding).
//!
//! Every limit is on by default. React's own limits keep React's defaults and
//! React's error text; the others are ours, because React relies on the
//! framework for them (spec/security.md §3) and a codec that sits in front of
//! every Server Function should not.

/// The limits of one decode or encode. Build with [`Limits::default`] and the
/// setters.
///
/// # Examples
///
/// ```
/// use rsc_flight::Limits;
/// let limits = Limits::default().max_depth(64).max_body_bytes(1 << 20);
/// assert_eq!(limits.get_max_depth(), 64);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    pub(crate) max_body_bytes: usize,
    pub(crate) max_parts: usize,
    pub(crate) max_string_bytes: usize,
    pub(crate) max_depth: usize,
    pub(crate) max_values: usize,
    pub(crate) max_bigint_chars: usize,
    pub(crate) max_bound_args: usize,
    pub(crate) array_size_limit: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 64 << 20,
            max_parts: 10_000,
            max_string_bytes: 16 << 20,
            max_depth: 1_500,
            max_values: 4_000_000,
            max_bigint_chars: 300,
            max_bound_args: 1_000,
            array_size_limit: 1_000_000,
        }
    }
}

impl Limits {
    /// What is left of these limits for one more row or part read in one
    /// pass, once a decode has done `values` of `max_values` and is
    /// `depth` levels down.
    pub(crate) fn left(&self, values: usize, depth: usize) -> Limits {
        Limits {
            max_values: self.max_values.saturating_sub(values),
            max_depth: self.max_depth.saturating_sub(depth),
            ..self.clone()
        }
    }
}

/// `limits(..)` and `get_limits()`, alike on every decoder and encoder (each
/// keeps its [`Limits`] in a field named `limits`); the literal documents
/// the setter, saying what that decoder or encoder uses them for.
macro_rules! limits_methods {
    ($doc:literal) => {
        #[doc = $doc]
        #[must_use]
        pub fn limits(mut self, limits: $crate::Limits) -> Self {
            self.limits = limits;
            self
        }
        /// The limits in use.
        pub fn get_limits(&self) -> &$crate::Limits {
            &self.limits
        }
    };
}
pub(crate) use limits_methods;

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident, $get:ident : $ty:ty;)*) => {
        impl Limits {
            $(
                $(#[$doc])*
                #[must_use]
                pub fn $name(mut self, value: $ty) -> Self { self.$name = value; self }
                #[doc = concat!("The current value of [`Limits::", stringify!($name), "`].")]
                pub fn $get(&self) -> $ty { self.$name }
            )*
        }
    };
}

setters! {
    /// Total bytes of a body (text, or multipart including headers).
    /// Default 64 MiB. Not a React limit.
    max_body_bytes, get_max_body_bytes: usize;
    /// Number of form fields / parts of a reply. Default 10 000. Not a React limit.
    max_parts, get_max_parts: usize;
    /// Bytes of any one decoded string, key or text part. Default 16 MiB.
    /// Not a React limit.
    max_string_bytes, get_max_string_bytes: usize;
    /// Nesting depth of values, counted across parts (a reference to another
    /// part nests too), which keeps every recursive walk in this crate well
    /// inside a 2 MiB thread stack. Default 1500 (React accepts at
    /// least 1000 nested arrays; its own limit is the V8 stack).
    max_depth, get_max_depth: usize;
    /// Values created plus references resolved in one decode, so that a small
    /// body cannot make a large amount of work. Default 4 000 000. Not a React limit.
    ///
    /// The typed API charges it too, for every value it reads: a Rust value
    /// is a tree, so a value shared through references is read once per
    /// place it occurs, and a few hundred bytes of references that double
    /// at each level can ask for millions (about a second at the default,
    /// on a 2-core machine, into `serde_json::Value`). A server whose
    /// functions take typed arguments of known, modest size can set it far
    /// lower.
    max_values, get_max_values: usize;
    /// Characters after `$n` in a BigInt. React's limit: 300.
    max_bigint_chars, get_max_bigint_chars: usize;
    /// Bound arguments of one server reference. React's limit: 1000.
    max_bound_args, get_max_bound_args: usize;
    /// React's `arraySizeLimit` budget, counted exactly as React 19.3.1's
    /// `decodeReply` counts it: the elements of the arrays of one part, and
    /// the UTF-16 length of the strings, BigInt digits and typed-array bytes
    /// they hold, against one budget (spec/reply.md §5). Default 1 000 000.
    array_size_limit, get_array_size_limit: u64;
}
