//! The response decoder (client role), as React's production
//! `createFromReadableStream` reads a stream: rows by id
//! ([`super::table`]), then row 0's value revived into the arena
//! ([`super::revive`]) with every reference, promise and stream resolved.

use bytes::Bytes;

use super::frame::{Framer, Row};
use super::live::{EventStream, Incremental};
use super::revive::{Got, Run};
use super::Response;
use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::value::Value;
use crate::version::React;

/// Decodes responses. Limits apply per response.
#[derive(Debug, Clone, Default)]
pub struct Decoder {
    limits: Limits,
    react: React,
}

impl Decoder {
    /// A decoder with the default limits.
    pub fn new() -> Self {
        Self::default()
    }

    crate::limits::limits_methods!("Use `limits`.");

    /// Read responses as `react`'s client reads them (default: React
    /// 19.3.1). Releases before React's December 2025 security fixes write
    /// server references as `$F<hex>`, which later releases read as a row
    /// id; `$w` is `undefined` from 19.3 on (a row id before); Next.js
    /// 16.5's build reads `$H` as `undefined` and keeps a `T` row's leading
    /// byte order mark, which the others drop. Everything else every
    /// release writes is read alike (spec/versions.md).
    ///
    /// ```
    /// use rsc_flight::response::Decoder;
    /// // What React 19.1.0's renderToReadableStream writes for a server reference.
    /// let body = b"1:{\"id\":\"mod#fn\",\"bound\":null}\n0:\"$F1\"\n";
    /// let r = Decoder::new().react("19.1.0".parse()?).decode(body)?;
    /// assert_eq!(rsc_flight::tagged::to_string(&r.value)?, r#"{"$type":"ServerReference","id":"mod#fn","bound":null}"#);
    /// let e = Decoder::new().decode(body).unwrap_err();
    /// assert!(e.message().contains("looks like a server reference"), "{e}");
    /// # Ok::<(), rsc_flight::Error>(())
    /// ```
    #[must_use]
    pub fn react(mut self, react: React) -> Self {
        self.react = react;
        self
    }

    /// The wire dialect of the decoder's React.
    pub(crate) fn dialect(&self) -> crate::version::Dialect {
        self.react.dialect()
    }

    /// Decode a whole response body.
    ///
    /// # Errors
    /// Malformed rows (with the row's byte offset), development rows, limits,
    /// and React's rejections of row 0: an `E` row reached from the root is
    /// an error whose message is React's production text and the digest.
    ///
    /// # Examples
    ///
    /// ```
    /// use rsc_flight::response::Decoder;
    /// let r = Decoder::new().decode(b"0:{\"p\":\"$@1\"}\n1:\"done\"\n").unwrap();
    /// let printed = rsc_flight::tagged::to_string(&r.value).unwrap();
    /// assert_eq!(printed, r#"{"p":{"$type":"Promise","status":"fulfilled","value":"done"}}"#);
    /// ```
    pub fn decode(&self, body: &[u8]) -> Result<Response> {
        if let Some(r) = self.one_row(body) {
            return Ok(r);
        }
        self.body_fits(body.len())?;
        // One copy of the whole body, of which every row is then a slice,
        // instead of a copy per row.
        self.decode_through_rows(Bytes::copy_from_slice(body))
    }

    /// [`Decoder::decode`] for a body the caller owns as [`Bytes`] (what
    /// an HTTP client hands out): rows and binary values are slices of it,
    /// nothing is copied.
    ///
    /// # Errors
    /// As [`Decoder::decode`].
    ///
    /// ```
    /// use bytes::Bytes;
    /// use rsc_flight::response::Decoder;
    /// let body = Bytes::from_static(b"0:\"$1\"\n1:T3,abc");
    /// let r = Decoder::new().decode_bytes(body).unwrap();
    /// assert_eq!(rsc_flight::tagged::to_string(&r.value).unwrap(), r#""abc""#);
    /// ```
    pub fn decode_bytes(&self, body: impl Into<Bytes>) -> Result<Response> {
        let body = body.into();
        if let Some(r) = self.one_row(&body) {
            return Ok(r);
        }
        self.decode_through_rows(body)
    }

    /// A response that is one model row (most values without promises,
    /// streams or elements), read in one pass with no parsed document
    /// (`straight/`), or `None` for the way through the rows.
    fn one_row(&self, body: &[u8]) -> Option<Response> {
        let value = crate::straight::value::response(body, &self.limits, self.dialect())?;
        Some(Response { value, hints: Vec::new(), debug: Vec::new() })
    }

    /// [`Decoder::decode_bytes`] by its general way: rows framed, tabled,
    /// and revived from the root (each model row in one pass where it can
    /// be: `Run::straight`).
    pub(crate) fn decode_through_rows(&self, body: impl Into<Bytes>) -> Result<Response> {
        let body = body.into();
        self.body_fits(body.len())?;
        self.decode_framed(true, |framer, rows| framer.push_bytes(&body, rows))
    }

    /// [`Decoder::decode_through_rows`] with every model row parsed into a
    /// document first: what the one-pass reads are tested against.
    #[cfg(any(test, feature = "fuzzing"))]
    pub(crate) fn decode_through_documents(&self, body: impl Into<Bytes>) -> Result<Response> {
        let body = body.into();
        self.body_fits(body.len())?;
        self.decode_framed(false, |framer, rows| framer.push_bytes(&body, rows))
    }

    fn body_fits(&self, len: usize) -> Result<()> {
        if len > self.limits.get_max_body_bytes() {
            return Err(Error::limit("max_body_bytes", "a response larger than the limit"));
        }
        Ok(())
    }

    /// An incremental decoder: push chunks as they arrive and take the root,
    /// settled promises and stream values as soon as their rows are in.
    pub fn incremental(&self) -> Incremental {
        Incremental::new(self.limits.clone(), self.react)
    }

    /// Decode a body that arrives as a [`futures_util::Stream`] of chunks
    /// (a `reqwest`/`hyper` body stream, a channel...), without depending on
    /// a runtime: the result is a stream of [`Event`]s that also gives the
    /// value so far.
    ///
    /// [`Event`]: super::Event
    ///
    /// ```
    /// use futures_util::{stream, StreamExt};
    /// use rsc_flight::response::{Decoder, Event};
    /// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     let mut f = std::pin::pin!(f);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
    /// # }
    /// let chunks = vec![Ok::<_, std::io::Error>(&b"0:[\"$@1\"]\n1:"[..]), Ok(&b"42\n"[..])];
    /// let mut events = Decoder::new().stream(stream::iter(chunks));
    /// block_on(async {
    ///     let root = events.root().await?;
    ///     assert!(matches!(events.next().await, Some(Ok(Event::Root(r))) if r == root));
    ///     assert!(matches!(events.next().await, Some(Ok(Event::Settled(_)))));
    ///     let r = events.into_response().await?;
    ///     assert_eq!(rsc_flight::tagged::to_string(&r.value)?, r#"[{"$type":"Promise","status":"fulfilled","value":42}]"#);
    ///     Ok::<(), rsc_flight::Error>(())
    /// })?;
    /// # Ok::<(), rsc_flight::Error>(())
    /// ```
    pub fn stream<S, B, E>(&self, body: S) -> EventStream<S>
    where
        S: futures_util::Stream<Item = std::result::Result<B, E>> + Unpin,
        B: AsRef<[u8]>,
        E: std::fmt::Display,
    {
        EventStream::new(body, self.incremental())
    }

    /// Decode a response that arrives in chunks (split anywhere).
    ///
    /// # Errors
    /// As [`Decoder::decode`].
    pub fn decode_chunks<'a>(&self, chunks: impl IntoIterator<Item = &'a [u8]>) -> Result<Response> {
        self.decode_framed(true, |framer, rows| {
            let mut total = 0usize;
            for c in chunks {
                total += c.len();
                self.body_fits(total)?;
                framer.push(c, rows)?;
            }
            Ok(())
        })
    }

    /// Decode the rows that `feed` frames: all of them, then row 0 (model
    /// rows in one pass where they can be, if `one_pass`).
    fn decode_framed(
        &self,
        one_pass: bool,
        feed: impl FnOnce(&mut Framer, &mut Vec<Row>) -> Result<()>,
    ) -> Result<Response> {
        let mut framer = Framer::new(self.limits.get_max_string_bytes().saturating_add(16));
        let mut rows = Vec::new();
        feed(&mut framer, &mut rows)?;
        framer.finish()?;
        let mut run = Run::new(self.limits.clone(), false, self.react);
        run.one_pass = one_pass;
        for row in rows {
            run.table.add(row, &self.limits)?;
        }
        run.row(0)?;
        run.settle()?;
        let root = match run.row(0)? {
            Got::Value(item) => item,
            Got::Rejected(r) => return Err(r.into_error()),
            Got::Waiting => unreachable!("settled"),
        };
        run.read_deferred_streams()?;
        run.out.set_root(root);
        Ok(Response { value: run.out, hints: run.table.hints, debug: run.table.debug })
    }
}

/// Decode a whole response body with the default limits; row 0's value.
///
/// # Errors
/// See [`Decoder::decode`].
pub fn from_slice(body: &[u8]) -> Result<Value> {
    Decoder::new().decode(body).map(|r| r.value)
}
