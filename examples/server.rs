//! React Server Functions and Server Components served from Rust, with the
//! `axum` feature ([`rsc_flight::axum`]) over a [`Registry`].
//!
//! ```sh
//! examples/app/run.sh                                  # builds the React app, then this; prints the URL
//! cargo run --features axum --example server -- --port 0   # any free port (printed)
//! ```
//!
//! Routes:
//! - `POST /rsc`: a Server Function call, the id in the `rsc-action`
//!   header, the body as React's `encodeReply` wrote it; read under a 1 MiB
//!   limit and answered with a streamed Flight response.
//! - `GET /`: the React app of `examples/app/` (built with esbuild),
//!   prerendered; `GET /static/…` its chunks.
//! - `POST /`: its subscribe form posted without JavaScript (React's
//!   `$ACTION_` fields), answered with the page and the result.
//! - `GET /flight`: a Server Component tree written here ([`page`]), with
//!   client components from the app's chunks and a Suspense boundary whose
//!   content streams in later.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use futures_util::stream;
use rsc_flight::axum::{FlightResponse, FormPost, ServerFunctions};
use rsc_flight::reply::Decoder;
use rsc_flight::response::LiveValue;
use rsc_flight::server::{Outcome, Registry, Thrown};
use rsc_flight::typed::{self, FormData, FormValue, ServerRef};
use rsc_flight::value::{Blob, Item, Node, Object, StreamKind, Value};
use rsc_flight::Limits;
use serde::{Deserialize, Serialize};

#[path = "server/page.rs"]
mod page;

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
    r.register("demo#describe", describe);
    r.register_typed("demo#bindList", bind_list);
    r
}

// ---- The Server Functions ----

/// `schedule(title, due: Date, tags: Map<string, number>)`: Dates and Maps both ways.
#[derive(Deserialize)]
struct ScheduleArgs(
    String,
    #[serde(with = "typed::date")] DateTime<Utc>,
    #[serde(with = "typed::map")] BTreeMap<String, f64>,
);

async fn schedule(ScheduleArgs(title, due, tags): ScheduleArgs) -> Result<Scheduled, Thrown> {
    if title.trim().is_empty() {
        return Err(Thrown::new("empty title").digest("EMPTY_TITLE"));
    }
    let total = tags.values().sum();
    Ok(Scheduled { title: title.to_uppercase(), due, reminder: due - chrono::Duration::days(7), tags, total })
}

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

/// `upload(form: FormData)`: the form's file, measured and sent back as a Blob.
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

#[derive(Serialize)]
struct Uploaded {
    fields: Vec<String>,
    name: String,
    size: usize,
    /// A checksum of the file's bytes, for the client to compare.
    sum: u32,
    echo: Blob,
}

/// `countdown(n)`: `{from, done: Promise<"liftoff">, ticks: AsyncIterable<n, …, 1>}`,
/// a tick every 150 ms, the promise after the last.
async fn countdown(args: Value) -> Outcome {
    let (n,): (u32,) = typed::from_value(&args).map_err(|e| Thrown::new(e.to_string()).digest("INVALID_ARGUMENTS"))?;
    if n > 20 {
        return Err(Thrown::new("too long a countdown").digest("TOO_LONG"));
    }
    let tick = Duration::from_millis(150);
    let mut v = LiveValue::new(Value::new());
    let done = v.promise(async move {
        tokio::time::sleep(tick * (n + 1)).await;
        Ok(Value::from_item(Item::from("liftoff")).into())
    });
    let ticks = v.stream(
        StreamKind::AsyncIterable,
        stream::unfold(n, move |k| async move {
            tokio::time::sleep(tick).await;
            (k > 0).then(|| (Ok(Value::from_item(Item::Number(f64::from(k))).into()), k - 1))
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

/// `subscribe(list, previousState, form)`: `useActionState`'s action, with
/// `list` bound; the new state is the message shown.
#[derive(Deserialize)]
struct SubscribeArgs(String, Option<String>, FormData);

async fn subscribe(SubscribeArgs(list, _previous, form): SubscribeArgs) -> Result<String, Thrown> {
    let Some(FormValue::Text(email)) = form.get("email") else {
        return Ok("Not subscribed: the form has no email.".to_owned());
    };
    // The browser has checked the form (`type="email"`); the server checks
    // more, and says why in the new state.
    Ok(match email.split_once('@') {
        Some((_, domain)) if domain.contains('.') => format!("Subscribed {email} to the {list} list."),
        Some(_) => format!("Not subscribed: {email:?} has no domain name."),
        None => format!("Not subscribed: {email:?} is not an email address."),
    })
}

/// `describe(...args)`: what arrived, in the crate's notation
/// (spec/notation.md), for the page to show.
async fn describe(args: Value) -> Outcome {
    let text = rsc_flight::tagged::to_string(&args).map_err(|e| Thrown::new(e.to_string()).digest("UNDESCRIBABLE"))?;
    Ok(Value::from_item(Item::from(text)).into())
}

/// `bindList(list)`: `subscribe` with `list` bound, for the client to call
/// or to send back.
async fn bind_list((list,): (String,)) -> Result<ServerRef<(String,)>, Thrown> {
    Ok(ServerRef { id: "demo#subscribe".into(), bound: Some((list,)) })
}

// ---- HTTP ----

/// Where the React app was built (`examples/app/build.mjs`).
fn app_dir() -> PathBuf {
    std::env::var_os("RSC_APP_DIST")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/app/dist"), PathBuf::from)
}

/// The prerendered page, or what to run when it is not built.
fn index_html(banner: &str) -> Response {
    match std::fs::read_to_string(app_dir().join("index.html")) {
        Ok(html) => Html(html.replacen("<body>", &format!("<body>{banner}"), 1)).into_response(),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("The React app is not built ({e}): run examples/app/run.sh, or `npm ci && npm run build` in examples/app."),
        )
            .into_response(),
    }
}

/// `POST /`: the subscribe form without JavaScript.
fn form_page(post: FormPost) -> Response {
    let (status, message) = match post {
        FormPost::Ran { outcome: Ok(result), .. } => (
            StatusCode::OK,
            typed::from_value::<String>(result.value()).unwrap_or_else(|e| format!("(unexpected result: {e})")),
        ),
        FormPost::Ran { id, outcome: Err(thrown) } => {
            eprintln!("{id} threw: {}", thrown.message);
            (StatusCode::UNPROCESSABLE_ENTITY, format!("Error: {}", thrown.digest))
        }
        FormPost::NoAction => (StatusCode::BAD_REQUEST, "The form named no action.".to_owned()),
        FormPost::Refused(refusal) => (refusal.status_code(), format!("Refused: {}", refusal.reason())),
    };
    let banner = format!("<p id=\"form-result\" role=\"status\">{}</p>", escape(&message));
    (status, index_html(&banner)).into_response()
}

/// `GET /static/{file}`: the app's chunks (flat names, hashed by esbuild).
async fn asset(Path(file): Path<String>) -> Response {
    let safe = !file.starts_with('.') && file.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    let kind = match file.rsplit_once('.') {
        Some((_, "js")) => "text/javascript",
        Some((_, "css")) => "text/css",
        _ => "application/octet-stream",
    };
    match std::fs::read(app_dir().join("static").join(&file)) {
        Ok(bytes) if safe => ([(header::CONTENT_TYPE, kind)], bytes).into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `GET /flight`: the Server Component tree.
async fn flight() -> Result<FlightResponse, (StatusCode, String)> {
    let manifest = page::Manifest::read(&app_dir().join("manifest.json"))
        .map_err(|e| (StatusCode::SERVICE_UNAVAILABLE, format!("the React app is not built: {e}")))?;
    Ok(rsc_flight::response::Encoder::new().encode_live(page::render(&manifest)).into())
}

fn app() -> axum::Router {
    ServerFunctions::new(registry())
        .calls("/rsc")
        .forms("/", form_page)
        .into_router()
        .route("/", get(|| async { index_html("") }))
        .route("/static/{file}", get(asset))
        .route("/flight", get(flight))
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
    // The tests read this line to find the port.
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app()).await
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
