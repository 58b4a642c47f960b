//! A framework-neutral Server Function registry: register Rust handlers
//! under their ids (`module#export`), then hand it each call's id and body.
//! It decodes the arguments, checks that every server reference among them
//! names a registered function, runs the handler, and encodes its result as
//! a response stream (promises and streams that settle later included).
//!
//! Nothing from the wire is ever looked up by name except in this registry:
//! an unknown id is an error, not a search.
//!
//! ```
//! use futures_util::StreamExt;
//! use rsc_flight::server::{Registry, Thrown};
//! # fn block_on<F: std::future::Future>(f: F) -> F::Output {
//! #     let mut f = std::pin::pin!(f);
//! #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
//! #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
//! # }
//! let mut registry = Registry::new();
//! registry.register_typed("app/todos#add", |(title, done): (String, bool)| async move {
//!     if title.is_empty() {
//!         return Err(Thrown::new("empty title").digest("E_EMPTY"));
//!     }
//!     Ok(format!("added {title} (done: {done})"))
//! });
//!
//! let rows = registry.call("app/todos#add", "text/plain;charset=UTF-8", r#"["Write docs",false]"#.into())?;
//! let body: Vec<u8> = block_on(rows.collect::<Vec<_>>()).into_iter().flat_map(|c| c.unwrap()).collect();
//! assert_eq!(body, b"0:\"added Write docs (done: false)\"\n");
//!
//! // A thrown error reaches the client as React's production error with its digest.
//! let rows = registry.call("app/todos#add", "text/plain;charset=UTF-8", r#"["",false]"#.into())?;
//! let body: Vec<u8> = block_on(rows.collect::<Vec<_>>()).into_iter().flat_map(|c| c.unwrap()).collect();
//! assert_eq!(body, b"0:E{\"digest\":\"E_EMPTY\"}\n");
//!
//! // An id that was never registered is refused before anything is decoded.
//! assert!(registry.call("app/todos#remove", "text/plain", "[]".into()).is_err());
//! # Ok::<(), rsc_flight::Error>(())
//! ```

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::future::BoxFuture;
use futures_util::{FutureExt, Stream};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::multipart::Field;
use crate::reply;
use crate::response::{Encoder, LiveValue};
use crate::value::{Node, Value};

/// An error a Server Function throws: the message is for the server's logs,
/// only the digest crosses the wire (production responses never carry the
/// message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thrown {
    /// For logs.
    pub message: String,
    /// Sent to the client as the error's `digest`.
    pub digest: String,
}

impl Thrown {
    /// An error with an empty digest.
    pub fn new(message: impl Into<String>) -> Self {
        Thrown { message: message.into(), digest: String::new() }
    }

    /// Set the digest the client sees.
    #[must_use]
    pub fn digest(mut self, digest: impl Into<String>) -> Self {
        self.digest = digest.into();
        self
    }
}

/// What a handler gives back: its result, which may have parts that
/// settle later, or a thrown error.
pub type Outcome = std::result::Result<LiveValue, Thrown>;

/// A registered function: the arguments, and the limits of the registry's
/// decoder and encoder (which a typed handler applies while converting).
type Handler = Arc<dyn Fn(Value, &CallLimits) -> BoxFuture<'static, Outcome> + Send + Sync>;

/// A typed handler's call straight from a text body (`straight/`):
/// `None` where the arguments must go through a [`Value`] first.
type Straight = Arc<dyn Fn(&str, &reply::Decoder, &CallLimits) -> Option<BoxFuture<'static, Outcome>> + Send + Sync>;

/// A registered function: its handler, and for typed ones the straight way.
#[derive(Clone)]
struct Entry {
    handler: Handler,
    straight: Option<Straight>,
}

/// The limits a typed handler reads its arguments and writes its result
/// under: the registry's decoder's and encoder's, at call time.
struct CallLimits {
    decode: crate::Limits,
    encode: crate::Limits,
}

/// Server Functions by id.
#[derive(Clone, Default)]
pub struct Registry {
    functions: HashMap<String, Entry>,
    decoder: reply::Decoder,
    encoder: Encoder,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut ids: Vec<&String> = self.functions.keys().collect();
        ids.sort();
        f.debug_struct("Registry").field("functions", &ids).finish()
    }
}

impl Registry {
    /// An empty registry with the default decoder and encoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Decode calls with `decoder` (its limits, temporary references...).
    #[must_use]
    pub fn with_decoder(mut self, decoder: reply::Decoder) -> Self {
        self.decoder = decoder;
        self
    }

    /// Encode results with `encoder` (its `on_error`, limits...).
    #[must_use]
    pub fn with_encoder(mut self, encoder: Encoder) -> Self {
        self.encoder = encoder;
        self
    }

    /// Register a handler that takes the arguments as a [`Value`] (whose
    /// root is their array).
    pub fn register<F, Fut>(&mut self, id: &str, f: F)
    where
        F: Fn(Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Outcome> + Send + 'static,
    {
        let handler: Handler = Arc::new(move |args, _: &CallLimits| f(args).boxed());
        self.functions.insert(id.to_owned(), Entry { handler, straight: None });
    }

    /// Register a handler with typed arguments (a tuple, a tuple struct, a
    /// `Vec`...) and a typed result. Arguments that do not fit `A` are an
    /// error before the handler runs.
    pub fn register_typed<A, R, F, Fut>(&mut self, id: &str, f: F)
    where
        A: DeserializeOwned + Send + 'static,
        R: Serialize,
        F: Fn(A) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = std::result::Result<R, Thrown>> + Send + 'static,
    {
        let f = Arc::new(f);
        let g = Arc::clone(&f);
        let handler: Handler = Arc::new(move |args: Value, limits: &CallLimits| {
            let decoded = crate::typed::de::from_item::<A>(&args, "args", &limits.decode);
            typed_call(Arc::clone(&f), decoded, limits)
        });
        // A text body read straight into `A` when it can be (the same `A`
        // as through the `Value`, or it gives up: `straight/`).
        let straight: Straight = Arc::new(move |text: &str, decoder: &reply::Decoder, limits: &CallLimits| {
            let a = crate::straight::typed::from_text::<A>(text, decoder.get_limits(), decoder.dialect())?;
            Some(typed_call(Arc::clone(&g), Ok(a), limits))
        });
        self.functions.insert(id.to_owned(), Entry { handler, straight: Some(straight) });
    }

    /// Whether `id` is registered.
    pub fn contains(&self, id: &str) -> bool {
        self.functions.contains_key(id)
    }

    /// Decode the arguments of a call to `id` from its body (`text/plain`
    /// or `multipart/form-data`, as React's `encodeReply` sent it).
    ///
    /// # Errors
    /// An unregistered id; a body the decoder refuses; a server reference
    /// among the arguments whose id is not registered.
    pub fn decode_call(&self, id: &str, content_type: &str, body: Bytes) -> Result<Value> {
        self.known(id)?;
        let args = self.decoder.decode(content_type, body)?;
        self.check_references(&args)?;
        Ok(args)
    }

    /// Run a call: decode, dispatch, and encode the result as response
    /// chunks (a thrown error is row 0 as an error row with its digest).
    ///
    /// # Errors
    /// As [`Registry::decode_call`]: nothing runs when the call is refused.
    pub fn call(&self, id: &str, content_type: &str, body: Bytes) -> Result<CallStream> {
        let entry = self.known(id)?;
        if !reply::is_multipart(content_type) {
            if let Ok(text) = std::str::from_utf8(&body) {
                return self.call_text(entry, text);
            }
        }
        let args = self.decoder.decode(content_type, body)?;
        self.check_references(&args)?;
        Ok(self.run(entry, args))
    }

    /// A call with a text body: a typed function's arguments read straight
    /// from it when they can be (then there is no server reference among
    /// them to check: the straight read gives up on any), else through a
    /// decoded [`Value`].
    fn call_text(&self, entry: &Entry, text: &str) -> Result<CallStream> {
        let args = match &entry.straight {
            Some(straight) => {
                if let Some(fut) = straight(text, &self.decoder, &self.limits()) {
                    return Ok(CallStream { state: State::Running(fut, self.encoder.clone()) });
                }
                // Where the straight read gives up, so would the decoder's
                // one pass: its general way at once.
                self.decoder.decode_str_through_document(text)?
            }
            None => self.decoder.decode_str(text)?,
        };
        self.check_references(&args)?;
        Ok(self.run(entry, args))
    }

    /// Run a call whose body is still arriving (an HTTP request body, as a
    /// stream of byte chunks): the id is checked before any of the body is
    /// read, the body is read under the decoder's limits (reading stops at
    /// the first limit crossed), then decoded and dispatched as in
    /// [`Registry::call`].
    ///
    /// # Errors
    /// As [`Registry::call`], plus an error from the body stream.
    pub async fn call_body<S, O, E>(&self, id: &str, content_type: &str, body: S) -> Result<CallStream>
    where
        S: Stream<Item = std::result::Result<O, E>> + Send,
        O: Into<Bytes> + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        let entry = self.known(id)?;
        if !reply::is_multipart(content_type) {
            return self.call_text(entry, &self.decoder.read_text(body).await?);
        }
        let args = self.decoder.decode_body(content_type, body).await?;
        self.check_references(&args)?;
        Ok(self.run(entry, args))
    }

    /// A form posted without JavaScript, its body still arriving: the
    /// fields are read under the decoder's limits, then handled as in
    /// [`Registry::call_form`].
    ///
    /// # Errors
    /// As [`Registry::call_form`], plus a malformed or oversized body.
    pub async fn call_form_body<S, O, E>(&self, content_type: &str, body: S) -> Result<Option<(String, Outcome)>>
    where
        S: Stream<Item = std::result::Result<O, E>> + Send,
        O: Into<Bytes> + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        let fields = self.decoder.read_fields(content_type, body).await?;
        self.call_form(&fields).await
    }

    /// A form posted without JavaScript (`<form action={fn}>`): React's
    /// `decodeAction`, then the registered function called with the bound
    /// arguments and the form's `FormData`. `Ok(None)` when the fields name
    /// no action. The application renders the page from the outcome.
    ///
    /// # Errors
    /// Malformed action fields, an unregistered id.
    pub async fn call_form(&self, fields: &[Field]) -> Result<Option<(String, Outcome)>> {
        let Some(action) = self.decoder.decode_action(fields)? else { return Ok(None) };
        let handler = self.known(&action.id)?.handler.clone();
        let args = action.arguments();
        self.check_references(&args)?;
        Ok(Some((action.id, handler(args, &self.limits()).await)))
    }

    fn known(&self, id: &str) -> Result<&Entry> {
        self.functions.get(id).ok_or_else(|| {
            Error::new(crate::Category::UnknownFunction, format!("no Server Function is registered as {id:?}"))
        })
    }

    /// Every server reference in the arguments must name a registered
    /// function: the client can only hold references the server gave it.
    fn check_references(&self, args: &Value) -> Result<()> {
        for n in args.nodes() {
            if let Node::ServerReference(r) = n {
                // The body is at fault, not the address: a Reference error.
                if !self.contains(&r.id) {
                    return Err(Error::reference(format!(
                        "the arguments hold a server reference to {:?}, and no Server Function is registered as that",
                        r.id
                    )));
                }
            }
        }
        Ok(())
    }

    fn limits(&self) -> CallLimits {
        CallLimits { decode: self.decoder.get_limits().clone(), encode: self.encoder.get_limits().clone() }
    }

    fn run(&self, entry: &Entry, args: Value) -> CallStream {
        CallStream { state: State::Running((entry.handler)(args, &self.limits()), self.encoder.clone()) }
    }
}

/// A typed handler's run: its arguments (or why they did not fit), the
/// handler, its result as a value.
fn typed_call<A, R, F, Fut>(f: Arc<F>, decoded: Result<A>, limits: &CallLimits) -> BoxFuture<'static, Outcome>
where
    A: Send + 'static,
    R: Serialize,
    F: Fn(A) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = std::result::Result<R, Thrown>> + Send + 'static,
{
    let depth = limits.encode.get_max_depth();
    async move {
        let a = decoded.map_err(|e| Thrown::new(format!("bad arguments: {e}")).digest("INVALID_ARGUMENTS"))?;
        let r = f(a).await?;
        crate::typed::ser::to_value(&r, depth)
            .map(LiveValue::from)
            .map_err(|e| Thrown::new(format!("the result cannot be sent: {e}")))
    }
    .boxed()
}

/// The response chunks of a call ([`Registry::call`]): a [`Stream`] of byte
/// chunks for the response body (`Content-Type: text/x-component`).
pub struct CallStream {
    state: State,
}

enum State {
    Running(BoxFuture<'static, Outcome>, Encoder),
    Encoding(Box<crate::response::RowStream>),
    Thrown(Option<Bytes>),
}

impl std::fmt::Debug for CallStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CallStream")
    }
}

impl Stream for CallStream {
    type Item = Result<Bytes>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match &mut this.state {
                State::Running(fut, encoder) => {
                    let outcome = match fut.as_mut().poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(o) => o,
                    };
                    this.state = match outcome {
                        Ok(v) => State::Encoding(Box::new(encoder.encode_live(v))),
                        Err(t) => {
                            // React's erroredTask for row 0: only the digest.
                            State::Thrown(Some(Bytes::from(crate::response::error_to_vec(&t.digest))))
                        }
                    };
                }
                State::Encoding(rows) => return Pin::new(rows.as_mut()).poll_next(cx),
                State::Thrown(row) => return Poll::Ready(row.take().map(Ok)),
            }
        }
    }
}
