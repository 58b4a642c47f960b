//! React Server Functions served from Rust: an axum server built on
//! [`rsc_flight::server::Registry`].
//!
//! ```sh
//! cargo run --example server                # listens on 127.0.0.1:3000
//! cargo run --example server -- --port 0    # any free port (printed)
//! ```
//!
//! Routes:
//! - `POST /rsc`: a Server Function call as React's client makes it: the
//!   function's id in the `rsc-action` header, the arguments as the body
//!   `encodeReply` produced (`text/plain` or `multipart/form-data`). The
//!   body is streamed into the decoder, which stops reading at 1 MiB. The
//!   answer is a Flight response (`text/x-component`) that React's
//!   `createFromFetch` reads; rows for promises and streams follow as they
//!   settle.
//! - `GET /`: a page with a form that posts to a Server Function without
//!   JavaScript (progressive enhancement), and `POST /`, which runs it
//!   (React's `decodeAction`) and answers with a page.
//!
//! A call the server refuses (an unknown id, a malformed or hostile body,
//! a body over the limit) gets a 4xx status and, so that React's client
//! rejects the call with something a developer can read, a one-row Flight
//! response whose error digest is the decoder's message: what went wrong
//! and where. The server logs it and keeps serving.
//!
//! The sample functions:
//! - `demo#schedule(title, due: Date, tags: Map<string, number>)`: Dates and
//!   Maps both ways;
//! - `demo#upload(form: FormData)`: a FormData with a file, echoed back as a Blob;
//! - `demo#countdown(n)`: an object with a promise and an async iterable
//!   that settle over time;
//! - `demo#fail(why)`: throws; the client gets the digest `DEMO_FAILED`;
//! - `demo#subscribe(list, form: FormData)`: the form's action, with `list`
//!   bound on the server page.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use futures_util::stream;
use rsc_flight::reply::Decoder;
use rsc_flight::response::LiveValue;
use rsc_flight::server::{Outcome, Registry, Thrown};
use rsc_flight::typed::{self, FormData, FormValue};
use rsc_flight::value::{Blob, Item, Node, Object, StreamKind, Value};
use rsc_flight::Limits;
use serde::{Deserialize, Serialize};

/// The largest request body the server reads.
const MAX_BODY_BYTES: usize = 1 << 20;

fn registry() -> Registry {
    let limits = Limits::default().max_body_bytes(MAX_BODY_BYTES);
    let mut r = Registry::new().with_decoder(Decoder::new().limits(limits));
    r.register_typed("demo#schedule", schedule);
    r.register_typed("demo#upload", upload);
    r.register("demo#countdown", countdown);
    r.register_typed("demo#fail", |(why,): (String,)| async move {
        Err::<(), _>(Thrown::new(format!("demo#fail was asked to fail: {why}")).digest("DEMO_FAILED"))
    });
    r.register_typed("demo#subscribe", subscribe);
    r
}

// ---- The Server Functions ----

#[derive(Deserialize)]
struct ScheduleArgs(
    String,
    #[serde(with = "typed::date")] DateTime<Utc>,
    #[serde(with = "typed::map")] BTreeMap<String, f64>,
);

#[derive(Serialize)]
struct Scheduled {
    title: String,
    #[serde(with = "typed::date")]
    due: DateTime<Utc>,
    /// A week before the due date.
    #[serde(with = "typed::date")]
    reminder: DateTime<Utc>,
    #[serde(with = "typed::map")]
    tags: BTreeMap<String, f64>,
    total: f64,
}

async fn schedule(ScheduleArgs(title, due, tags): ScheduleArgs) -> Result<Scheduled, Thrown> {
    if title.trim().is_empty() {
        return Err(Thrown::new("empty title").digest("EMPTY_TITLE"));
    }
    let total = tags.values().sum();
    Ok(Scheduled { title: title.to_uppercase(), due, reminder: due - chrono::Duration::days(7), tags, total })
}

#[derive(Serialize)]
struct Uploaded {
    fields: Vec<String>,
    name: String,
    size: usize,
    /// A simple checksum of the file's bytes, for the client to compare.
    sum: u32,
    /// The file itself, sent back.
    echo: Blob,
}

async fn upload((form,): (FormData,)) -> Result<Uploaded, Thrown> {
    let file = form.0.iter().find_map(|(_, v)| match v {
        FormValue::File(b) => Some(b.clone()),
        FormValue::Text(_) => None,
    });
    let Some(file) = file else { return Err(Thrown::new("no file in the form").digest("NO_FILE")) };
    let fields = form.0.iter().filter(|(_, v)| matches!(v, FormValue::Text(_))).map(|(k, _)| k.clone()).collect();
    Ok(Uploaded {
        fields,
        name: file.name.as_deref().unwrap_or("").to_owned(),
        size: file.bytes.len(),
        sum: file.bytes.iter().fold(0u32, |s, b| s.wrapping_mul(31).wrapping_add(u32::from(*b))),
        echo: Blob { name: None, mime: file.mime.clone(), bytes: file.bytes.clone() },
    })
}

/// `{from, done: Promise<"liftoff">, ticks: AsyncIterable<n, n-1, ..., 1>}`,
/// one tick every 20 ms; the promise settles after the last.
async fn countdown(args: Value) -> Outcome {
    let (n,): (u32,) = typed::from_value(&args).map_err(|e| Thrown::new(e.to_string()).digest("INVALID_ARGUMENTS"))?;
    if n > 50 {
        return Err(Thrown::new("too long a countdown").digest("TOO_LONG"));
    }
    let tick = Duration::from_millis(20);
    let mut v = LiveValue::new(Value::new());
    let done = v.promise(async move {
        tokio::time::sleep(tick * (n + 1)).await;
        Ok(Value::from_item(Item::from("liftoff")).into())
    });
    let ticks = v.stream(
        StreamKind::AsyncIterable,
        stream::unfold(n, move |k| async move {
            if k == 0 {
                return None;
            }
            tokio::time::sleep(tick).await;
            Some((Ok(Value::from_item(Item::Number(f64::from(k))).into()), k - 1))
        }),
    );
    let mut o = Object::new();
    o.insert("from", Item::Number(f64::from(n)));
    o.insert("done", done);
    o.insert("ticks", ticks);
    let root = v.value_mut().add(Node::Object(o));
    v.value_mut().set_root(Item::Node(root));
    Ok(v)
}

async fn subscribe((list, form): (String, FormData)) -> Result<String, Thrown> {
    match form.get("email") {
        Some(FormValue::Text(email)) if email.contains('@') => Ok(format!("Subscribed {email} to the {list} list.")),
        _ => Err(Thrown::new("no valid email").digest("BAD_EMAIL")),
    }
}

// ---- HTTP ----

type Shared = Arc<Registry>;

/// `POST /rsc`: one Server Function call.
async fn call(State(registry): State<Shared>, request: Request) -> Response {
    let headers = request.headers().clone();
    let Some(id) = header_str(&headers, "rsc-action") else {
        return refused(StatusCode::BAD_REQUEST, "missing the rsc-action header (the Server Function id)");
    };
    let content_type = header_str(&headers, header::CONTENT_TYPE.as_str()).unwrap_or("text/plain");
    let body = request.into_body().into_data_stream();
    match registry.call_body(id, content_type, body).await {
        Ok(rows) => ([(header::CONTENT_TYPE, "text/x-component")], Body::from_stream(rows)).into_response(),
        Err(e) => {
            eprintln!("refused a call to {id:?}: {e}");
            let status = if e.limit_name() == Some("max_body_bytes") {
                StatusCode::PAYLOAD_TOO_LARGE
            } else if !registry.contains(id) {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::BAD_REQUEST
            };
            refused(status, &e.to_string())
        }
    }
}

/// A refused call: the status, and a Flight response whose root is an
/// error (React's production error row carries only a digest; here the
/// digest is the reason).
fn refused(status: StatusCode, reason: &str) -> Response {
    let row = rsc_flight::response::error_to_vec(reason);
    (status, [(header::CONTENT_TYPE, "text/x-component")], row).into_response()
}

fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// `GET /`: a form whose action is `demo#subscribe` with `"weekly"` bound,
/// in the markup React DOM's server renderer writes for
/// `<form action={subscribe.bind(null, "weekly")}>` (hidden `$ACTION_REF_`
/// fields holding the reference as a nested reply; the end-to-end test
/// renders it with React DOM and compares), so that it works before any
/// JavaScript loads.
async fn index() -> Html<String> {
    page("Subscribe", "")
}

fn page(title: &str, message: &str) -> Html<String> {
    let message =
        if message.is_empty() { String::new() } else { format!("<p id=\"result\">{}</p>\n", escape(message)) };
    Html(format!(
        r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title></head>
<body>
<h1>{title}</h1>
{message}<form action="" encType="multipart/form-data" method="POST"><input type="hidden" name="$ACTION_REF_1"/><input type="hidden" name="$ACTION_1:0" value="{{&quot;id&quot;:&quot;demo#subscribe&quot;,&quot;bound&quot;:&quot;$@1&quot;}}"/><input type="hidden" name="$ACTION_1:1" value="[&quot;weekly&quot;]"/><input type="email" placeholder="Email" name="email"/><button>Subscribe</button></form>
</body></html>
"#
    ))
}

/// `POST /`: the form, posted without JavaScript.
async fn form_post(State(registry): State<Shared>, request: Request) -> Response {
    let content_type = header_str(request.headers(), header::CONTENT_TYPE.as_str()).unwrap_or("").to_owned();
    let body = request.into_body().into_data_stream();
    match registry.call_form_body(&content_type, body).await {
        Ok(Some((_, Ok(result)))) => {
            let text: String =
                typed::from_value(result.value()).unwrap_or_else(|e| format!("(unexpected result: {e})"));
            page("Subscribed", &text).into_response()
        }
        Ok(Some((id, Err(thrown)))) => {
            eprintln!("{id} threw: {}", thrown.message);
            (StatusCode::UNPROCESSABLE_ENTITY, page("Not subscribed", &format!("Error: {}", thrown.digest)))
                .into_response()
        }
        Ok(None) => (StatusCode::BAD_REQUEST, page("Not subscribed", "The form named no action.")).into_response(),
        Err(e) => {
            eprintln!("refused a form post: {e}");
            let status = if e.limit_name() == Some("max_body_bytes") {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::BAD_REQUEST
            };
            (status, page("Not subscribed", &format!("Refused: {e}"))).into_response()
        }
    }
}

fn app() -> Router {
    Router::new().route("/", get(index).post(form_post)).route("/rsc", post(call)).with_state(Arc::new(registry()))
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut port = 3000u16;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match (a.as_str(), args.next()) {
            ("--port", Some(p)) => port = p.parse().map_err(|e| std::io::Error::other(format!("--port: {e}")))?,
            _ => return Err(std::io::Error::other("usage: server [--port N]")),
        }
    }
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    // The end-to-end test reads this line to find the port.
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app()).await
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
