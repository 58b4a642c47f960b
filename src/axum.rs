//! Server Functions hosted by [axum](https://docs.rs/axum) (the `axum`
//! feature): what every application would otherwise write by hand around a
//! [`Registry`].
//!
//! - [`ServerFunctionCall`], an extractor: the function's id from the
//!   [`ACTION_HEADER`] request header, the `Content-Type`, and the body,
//!   left unread until [`ServerFunctionCall::run`] streams it into the
//!   registry's decoder under its limits (reading stops at the first limit
//!   crossed).
//! - [`FlightResponse`]: rows streamed as `text/x-component`, for calls and
//!   for any route that answers with a Flight response (Server Components).
//! - [`Refusal`]: a call that was not run, with its HTTP status (413 over a
//!   body limit, 404 for an unregistered id, 400 for a malformed body) and,
//!   as its body, the one-row error response React's client reads: the call
//!   rejects with an `Error` whose `digest` is the reason. It closes the
//!   connection, whose body may be unread.
//! - [`ServerFunctions`]: a router that mounts a registry: `POST` calls on
//!   one path, and forms posted without JavaScript (React's `$ACTION_`
//!   fields) on another, rendered into a page by the application.
//!
//! ```
//! use axum::response::Html;
//! use rsc_flight::axum::{FormPost, ServerFunctions};
//! use rsc_flight::server::{Registry, Thrown};
//!
//! let mut registry = Registry::new();
//! registry.register_typed("todos#add", |(title,): (String,)| async move {
//!     if title.is_empty() {
//!         return Err(Thrown::new("empty title").digest("E_EMPTY"));
//!     }
//!     Ok(format!("added {title}"))
//! });
//! let app: axum::Router = ServerFunctions::new(registry)
//!     .calls("/rsc")
//!     .forms("/", |post: FormPost| match post {
//!         FormPost::Ran { outcome: Ok(_), .. } => Html("<p>Done.</p>").into_response(),
//!         _ => Html("<p>Not done.</p>").into_response(),
//!     })
//!     .into_router()
//!     .route("/", axum::routing::get(|| async { Html("<form>…</form>") }));
//! # use axum::response::IntoResponse;
//! ```
//!
//! The handler behind `.calls(..)` is only this, for applications that
//! route calls themselves:
//!
//! ```
//! use std::sync::Arc;
//! use axum::extract::State;
//! use rsc_flight::axum::{FlightResponse, Refusal, ServerFunctionCall};
//! use rsc_flight::server::Registry;
//!
//! async fn call(State(registry): State<Arc<Registry>>, call: ServerFunctionCall) -> Result<FlightResponse, Refusal> {
//!     call.run(&registry).await
//! }
//! let app: axum::Router = axum::Router::new()
//!     .route("/rsc", axum::routing::post(call))
//!     .with_state(Arc::new(Registry::new()));
//! ```
//!
//! # Other frameworks
//!
//! Nothing here is more than glue over the framework-neutral
//! [`Registry`], which any server can use the same way:
//! 1. read the [`ACTION_HEADER`] and `Content-Type` headers;
//! 2. hand the body, as a stream of byte chunks, to [`Registry::call_body`]
//!    (a form posted without JavaScript to [`Registry::call_form_body`]);
//! 3. answer with the [`CallStream`]'s chunks as a streamed body under
//!    `Content-Type: text/x-component`;
//! 4. answer an error with its status (as `Refusal::from(&error)` picks
//!    it) and [`response::error_to_vec`] of
//!    its message as the body.
//!
//! With actix-web, for example (a sketch, not compiled here):
//!
//! ```text
//! async fn call(registry: web::Data<Registry>, req: HttpRequest, body: web::Payload) -> HttpResponse {
//!     let header = |name| req.headers().get(name).and_then(|v| v.to_str().ok());
//!     let Some(id) = header("rsc-action") else { return HttpResponse::BadRequest().finish() };
//!     let content_type = header("content-type").unwrap_or("text/plain");
//!     match registry.call_body(id, content_type, body).await {
//!         Ok(rows) => HttpResponse::Ok().content_type("text/x-component").streaming(rows),
//!         Err(e) => HttpResponse::build(status_for(&e))
//!             .content_type("text/x-component")
//!             .body(rsc_flight::response::error_to_vec(&e.to_string())),
//!     }
//! }
//! ```
//!
//! With hyper, the body is `http_body_util::BodyExt::into_data_stream` of
//! the request's, and the answer `StreamBody` over the call's chunks.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use bytes::Bytes;
use futures_util::Stream;

use crate::error::{Category, Error};
use crate::reply;
use crate::response::{self, RowStream};
use crate::server::{CallStream, Outcome, Registry};
use crate::value::Value;

/// The request header that carries the called function's id
/// (`module#export`): the application's `callServer` sets it, as Next.js's
/// sets `Next-Action`.
pub const ACTION_HEADER: &str = "rsc-action";

/// The media type of a Flight response.
const FLIGHT: &str = "text/x-component";

/// One Server Function call, extracted from a request: the id from the
/// [`ACTION_HEADER`] header, the `Content-Type` (`text/plain` when absent,
/// as React's `encodeReply` sends a string body), and the body, not yet
/// read.
///
/// Rejected with a 400 [`Refusal`] when the header is missing or not text.
#[derive(Debug)]
pub struct ServerFunctionCall {
    id: String,
    content_type: String,
    body: Body,
}

impl ServerFunctionCall {
    /// The called function's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The body's `Content-Type`.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// Runs the call: the id is checked before any of the body is read,
    /// the body is streamed into the registry's decoder under its limits,
    /// and the result's rows stream back as they are written (promises and
    /// streams that settle later included).
    ///
    /// # Errors
    /// A [`Refusal`] when nothing ran, with the status its `From<&Error>`
    /// picks.
    pub async fn run(self, registry: &Registry) -> Result<FlightResponse, Refusal> {
        let Self { id, content_type, body } = self;
        match registry.call_body(&id, &content_type, body.into_data_stream()).await {
            Ok(rows) => Ok(rows.into()),
            Err(e) => Err(Refusal::from(&e)),
        }
    }

    /// Only decodes the arguments (with the decoder's limits), for an
    /// application that dispatches calls itself.
    ///
    /// # Errors
    /// A 413 or 400 [`Refusal`], as its `From<&Error>` says.
    pub async fn decode(self, decoder: &reply::Decoder) -> Result<(String, Value), Refusal> {
        match decoder.decode_body(&self.content_type, self.body.into_data_stream()).await {
            Ok(args) => Ok((self.id, args)),
            Err(e) => Err(Refusal::from(&e)),
        }
    }
}

impl<S: Send + Sync> FromRequest<S> for ServerFunctionCall {
    type Rejection = Refusal;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Refusal> {
        let headers = request.headers();
        let Some(id) = header_str(headers, ACTION_HEADER) else {
            return Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                format!("missing the {ACTION_HEADER} header (the Server Function's id)"),
            ));
        };
        let id = id.to_owned();
        let content_type = header_str(headers, header::CONTENT_TYPE.as_str()).unwrap_or("text/plain").to_owned();
        Ok(Self { id, content_type, body: request.into_body() })
    }
}

fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A Flight response: `200` (or another status), `Content-Type:
/// text/x-component`, and the rows streamed as they are written.
///
/// Made from a call's [`CallStream`], from an encoder's [`RowStream`]
/// (`Encoder::encode_live`, for Server Components whose content streams in
/// later), or from bytes already written.
pub struct FlightResponse {
    status: StatusCode,
    body: Body,
}

impl FlightResponse {
    /// A response from any stream of row chunks.
    pub fn from_stream<S>(rows: S) -> Self
    where
        S: Stream<Item = crate::Result<Bytes>> + Send + 'static,
    {
        Self { status: StatusCode::OK, body: Body::from_stream(rows) }
    }

    /// A response already written in full.
    pub fn from_bytes(rows: impl Into<Bytes>) -> Self {
        Self { status: StatusCode::OK, body: Body::from(rows.into()) }
    }

    /// The same rows under another status.
    #[must_use]
    pub fn status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }
}

impl std::fmt::Debug for FlightResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FlightResponse").field("status", &self.status).finish_non_exhaustive()
    }
}

impl From<CallStream> for FlightResponse {
    fn from(rows: CallStream) -> Self {
        Self::from_stream(rows)
    }
}

impl From<RowStream> for FlightResponse {
    fn from(rows: RowStream) -> Self {
        Self::from_stream(rows)
    }
}

impl IntoResponse for FlightResponse {
    fn into_response(self) -> Response {
        (self.status, [(header::CONTENT_TYPE, FLIGHT)], self.body).into_response()
    }
}

/// A call the server did not run: an HTTP status, and as the body the
/// one-row Flight response whose error digest is the reason, so that
/// React's client rejects the call with an `Error` a developer can read
/// (`error.digest`). Production error rows carry no message, only the
/// digest.
#[derive(Debug, Clone)]
pub struct Refusal {
    status: StatusCode,
    reason: String,
}

impl Refusal {
    /// A refusal with this status and reason.
    pub fn new(status: StatusCode, reason: impl Into<String>) -> Self {
        Self { status, reason: reason.into() }
    }

    /// The status.
    pub fn status_code(&self) -> StatusCode {
        self.status
    }

    /// The reason, which is also the error row's digest.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status, self.reason)
    }
}

impl IntoResponse for Refusal {
    /// The status, the one error row, and `Connection: close`: a refused
    /// body may not have been read to its end (a limit crossed, an unknown
    /// id, a multipart stream that broke off), so an HTTP/1.1 connection
    /// cannot carry the client's next request, and a client that is not
    /// told so may send it there and lose it to the closed socket. (HTTP/2
    /// servers drop the header: each call is a stream of its own.)
    fn into_response(self) -> Response {
        let headers = [(header::CONTENT_TYPE, FLIGHT), (header::CONNECTION, "close")];
        (self.status, headers, response::error_to_vec(&self.reason)).into_response()
    }
}

impl From<&Error> for Refusal {
    /// The refusal of a call or form post that failed with `error`: 404 for
    /// an id no function is registered under
    /// ([`Category::UnknownFunction`]), 413 when the body crossed
    /// `max_body_bytes`, 400 for anything else the decoder refused (a
    /// malformed or hostile body, another limit).
    fn from(error: &Error) -> Self {
        let status = if error.category() == Category::UnknownFunction {
            StatusCode::NOT_FOUND
        } else if error.limit_name() == Some("max_body_bytes") {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::BAD_REQUEST
        };
        Self::new(status, error.to_string())
    }
}

/// What a form posted without JavaScript came to, for the application to
/// render as a page (the browser navigates to the answer).
#[derive(Debug)]
pub enum FormPost {
    /// The fields named an action (React's `decodeAction`), and it ran: the
    /// function's id and what it returned or threw.
    Ran {
        /// The function's id.
        id: String,
        /// Its result.
        outcome: Outcome,
    },
    /// The fields name no action: an ordinary form post.
    NoAction,
    /// The post was refused before anything ran (status as for calls).
    Refused(Refusal),
}

/// A [`Registry`] mounted on an axum [`Router`]: Server Function calls
/// (`.calls(path)`) and forms posted without JavaScript (`.forms(path,
/// render)`), each a `POST` route. Other methods on the same paths stay
/// free for the application's own routes.
pub struct ServerFunctions {
    registry: Arc<Registry>,
    router: Router,
}

impl std::fmt::Debug for ServerFunctions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerFunctions").field("registry", &self.registry).finish_non_exhaustive()
    }
}

impl ServerFunctions {
    /// Mounts nothing yet.
    pub fn new(registry: Registry) -> Self {
        Self::shared(Arc::new(registry))
    }

    /// The same, for a registry the application also holds.
    pub fn shared(registry: Arc<Registry>) -> Self {
        Self { registry, router: Router::new() }
    }

    /// `POST path`: a call, as [`ServerFunctionCall::run`].
    #[must_use]
    pub fn calls(mut self, path: &str) -> Self {
        let registry = Arc::clone(&self.registry);
        self.router =
            self.router.route(path, post(|call: ServerFunctionCall| async move { call.run(&registry).await }));
        self
    }

    /// `POST path`: a form posted without JavaScript. Its fields are read
    /// under the registry decoder's limits, the action they name runs
    /// (React's `decodeAction`: the bound arguments, then the `FormData`),
    /// and `render` makes the page the browser shows next.
    #[must_use]
    pub fn forms<F>(mut self, path: &str, render: F) -> Self
    where
        F: Fn(FormPost) -> Response + Clone + Send + Sync + 'static,
    {
        let registry = Arc::clone(&self.registry);
        let handler = move |request: Request| {
            let registry = Arc::clone(&registry);
            let render = render.clone();
            async move { render(form_post(&registry, request).await) }
        };
        self.router = self.router.route(path, post(handler));
        self
    }

    /// The routes, to merge into or extend with the application's own.
    pub fn into_router<S: Clone + Send + Sync + 'static>(self) -> Router<S> {
        // Every route holds what it needs; no state is left to provide.
        self.router.with_state(())
    }
}

async fn form_post(registry: &Registry, request: Request) -> FormPost {
    let content_type = header_str(request.headers(), header::CONTENT_TYPE.as_str()).unwrap_or("").to_owned();
    match registry.call_form_body(&content_type, request.into_body().into_data_stream()).await {
        Ok(Some((id, outcome))) => FormPost::Ran { id, outcome },
        Ok(None) => FormPost::NoAction,
        Err(e) => FormPost::Refused(Refusal::from(&e)),
    }
}
