//! The `axum` feature: requests in, statuses and Flight rows out, through
//! the router that `ServerFunctions` builds (no network: `oneshot`).
#![cfg(feature = "axum")]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Router;
use rsc_flight::axum::{FormPost, ServerFunctions, ACTION_HEADER};
use rsc_flight::reply::Decoder;
use rsc_flight::server::{Registry, Thrown};
use rsc_flight::{tagged, Limits};
use tower::ServiceExt;

fn app() -> Router {
    let mut r = Registry::new().with_decoder(Decoder::new().limits(Limits::default().max_body_bytes(1000)));
    r.register_typed("app#add", |(a, b): (f64, f64)| async move { Ok::<_, Thrown>(a + b) });
    r.register_typed("app#fail", |_: Vec<f64>| async move { Err::<(), _>(Thrown::new("no").digest("D1")) });
    r.register_typed("app#greet", |(name, form): (String, rsc_flight::typed::FormData)| async move {
        match form.get("who") {
            Some(rsc_flight::typed::FormValue::Text(who)) => Ok(format!("{name} greets {who}")),
            _ => Err(Thrown::new("nobody to greet").digest("NOBODY")),
        }
    });
    ServerFunctions::new(r)
        .calls("/rsc")
        .forms("/form", |post: FormPost| -> Response {
            match post {
                FormPost::Ran { id, outcome: Ok(v) } => {
                    Html(format!("{id}: {}", tagged::to_string(v.value()).unwrap())).into_response()
                }
                FormPost::Ran { id, outcome: Err(t) } => {
                    (StatusCode::UNPROCESSABLE_ENTITY, format!("{id}: {}", t.digest)).into_response()
                }
                FormPost::NoAction => (StatusCode::BAD_REQUEST, "no action").into_response(),
                FormPost::Refused(r) => (r.status_code(), format!("refused: {}", r.reason())).into_response(),
            }
        })
        .into_router()
}

/// Sends one request; the status, the content type and the whole body.
fn send(request: Request<Body>) -> (StatusCode, String, String) {
    let (status, ct, _, body) = send_for_headers(request);
    (status, ct, body)
}

/// [`send`], with the `Connection` header too.
fn send_for_headers(request: Request<Body>) -> (StatusCode, String, String, String) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let response = app().oneshot(request).await.unwrap();
        let status = response.status();
        let header = |name: &str| response.headers().get(name).map_or("", |v| v.to_str().unwrap()).to_owned();
        let (ct, connection) = (header("content-type"), header("connection"));
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        (status, ct, connection, String::from_utf8(body.to_vec()).unwrap())
    })
}

fn call(id: Option<&str>, content_type: &str, body: impl Into<Body>) -> Request<Body> {
    let mut b = Request::post("/rsc").header("content-type", content_type);
    if let Some(id) = id {
        b = b.header(ACTION_HEADER, id);
    }
    b.body(body.into()).unwrap()
}

const FLIGHT: &str = "text/x-component";

#[test]
fn calls_answer_with_rows_or_a_refusal_with_its_status() {
    let err = |reason: &str| format!("0:E{{\"digest\":{}}}\n", serde_json::to_string(reason).unwrap());
    // (case, id header, content type, body, status, what the body holds)
    type Case<'a> = (&'a str, Option<&'a str>, &'a str, &'a str, StatusCode, &'a str);
    let cases: &[Case] = &[
        ("a call", Some("app#add"), "text/plain;charset=UTF-8", "[1,2]", StatusCode::OK, "0:3\n"),
        ("a thrown error: the call ran", Some("app#fail"), "text/plain", "[]", StatusCode::OK, "0:E{\"digest\":\"D1\"}\n"),
        ("no id header", None, "text/plain", "[1,2]", StatusCode::BAD_REQUEST, "missing the rsc-action header"),
        ("an unregistered id", Some("app#rm"), "text/plain", "[]", StatusCode::NOT_FOUND, "no Server Function is registered as \\\"app#rm\\\""),
        ("malformed JSON", Some("app#add"), "text/plain", "[1,", StatusCode::BAD_REQUEST, "\"digest\":"),
        ("over max_body_bytes", Some("app#add"), "text/plain", &"[1]".repeat(400), StatusCode::PAYLOAD_TOO_LARGE, "max_body_bytes"),
        ("a reference to an unregistered function among the arguments", Some("app#add"),
            "multipart/form-data; boundary=B",
            "--B\r\nContent-Disposition: form-data; name=\"0\"\r\n\r\n[\"$h1\",2]\r\n--B\r\nContent-Disposition: form-data; name=\"1\"\r\n\r\n{\"id\":\"fs#rm\",\"bound\":null}\r\n--B--\r\n",
            StatusCode::BAD_REQUEST, "fs#rm"),
    ];
    for (name, id, ct, body, status, expect) in cases {
        let (got_status, got_ct, connection, got) = send_for_headers(call(*id, ct, body.to_string()));
        assert_eq!(got_status, *status, "{name}: {got}");
        assert_eq!(got_ct, FLIGHT, "{name}");
        // A refused body may be unread: the client must not reuse the
        // connection; a call that ran keeps it.
        assert_eq!(connection, if *status == StatusCode::OK { "" } else { "close" }, "{name}");
        assert!(got.contains(expect), "{name}: {got:?} lacks {expect:?}");
        if *status != StatusCode::OK {
            // Exactly one error row, which React's client reads.
            assert!(
                got.starts_with("0:E{\"digest\":") && got.ends_with("}\n") && got.lines().count() == 1,
                "{name}: {got}"
            );
        }
    }
    // The refusal's digest is the error's whole message.
    let (_, _, got) = send(call(Some("app#nope"), "text/plain", "[]"));
    assert_eq!(got, err("no Server Function is registered as \"app#nope\""));
}

#[test]
fn a_streamed_body_is_read_under_the_limit() {
    // A body that arrives in chunks and never ends in time: the limit stops it.
    let chunks =
        futures_util::stream::iter((0..10_000).map(|_| Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"[1]"))));
    let (status, _, body) = send(call(Some("app#add"), "text/plain", Body::from_stream(chunks)));
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
}

fn form(fields: &[(&str, &str)]) -> Request<Body> {
    let mut body = String::new();
    for (k, v) in fields {
        body.push_str(&format!("--F\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"));
    }
    body.push_str("--F--\r\n");
    Request::post("/form").header("content-type", "multipart/form-data; boundary=F").body(Body::from(body)).unwrap()
}

#[test]
fn forms_posted_without_javascript_are_rendered_by_the_application() {
    // What React DOM renders for <form action={greet.bind(null, "ann")}>.
    let bound =
        [("$ACTION_REF_1", ""), ("$ACTION_1:0", r#"{"id":"app#greet","bound":"$@1"}"#), ("$ACTION_1:1", r#"["ann"]"#)];
    let with = |extra: &[(&'static str, &'static str)]| form(&[&bound[..], extra].concat());
    let (status, _, body) = send(with(&[("who", "bob")]));
    assert_eq!((status, body.as_str()), (StatusCode::OK, "app#greet: \"ann greets bob\""));
    let (status, _, body) = send(with(&[]));
    assert_eq!((status, body.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "app#greet: NOBODY"));
    let (status, _, body) = send(form(&[("who", "bob")]));
    assert_eq!((status, body.as_str()), (StatusCode::BAD_REQUEST, "no action"));
    let (status, _, body) = send(form(&[("$ACTION_ID_app#rm", "")]));
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(body.contains("app#rm"), "{body}");
    let (status, _, body) = send(form(&[("$ACTION_ID_app#greet", ""), ("who", &"x".repeat(2000))]));
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
}

#[test]
fn other_methods_on_the_mounted_paths_stay_the_applications() {
    let app = app().route("/form", axum::routing::get(|| async { "the page" }));
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let response = rt.block_on(app.oneshot(Request::get("/form").body(Body::empty()).unwrap())).unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}
