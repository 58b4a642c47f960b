//! `rsc-flight`: encode and decode React Flight payloads from the shell.
//!
//! ```text
//! rsc-flight reply encode [--boundary B] [--content-type-out FILE] [--temporary-references] [--react V] [INPUT]
//! rsc-flight reply decode [--content-type CT] [--temporary-references] [--allow-unread-fields] [--react V] [INPUT]
//! rsc-flight response encode [--error-rows] [--react V] [INPUT]
//! rsc-flight response decode [--react V] [INPUT]
//! rsc-flight response hints [INPUT]
//! rsc-flight inspect [--as response|reply|html] [--json] [--content-type CT] [--react V] [INPUT]
//! ```
//!
//! `inspect` shows what a payload holds: a response's rows, a reply's parts
//! or the Flight data of a page rendered by Next.js (`self.__next_f`), each
//! with its kind, size, offset and the rows it refers to, then what nothing
//! refers to, what never came, totals, the value and the first fault. It
//! decides what INPUT is unless `--as` says; `--json` prints one JSON
//! object; colours on a terminal (not with `NO_COLOR`). It exits 0 even for
//! a faulty payload: the fault is part of the report.
//!
//! `--react V` names the React the other side runs (`19.2.9`, `next@15.5.29`;
//! default 19.3.1), for the dialect it speaks (spec/versions.md).
//!
//! Values are read and written in the tagged-JSON notation (`spec/notation.md`);
//! `response hints` prints a response's hint rows (React DOM's preloads and
//! preinits), one JSON object a line: `{"code":"L","kind":"preload","model":[...]}`.
//! INPUT defaults to standard input. Exit status 0 on success, 1 with a one-line message on
//! standard error for bad input or a refused value, 2 for bad usage.

use std::io::{Read, Write};
use std::process::ExitCode;

use rsc_flight::reply::{Decoder, Encoder};
use rsc_flight::tagged;

const USAGE: &str = "usage:
  rsc-flight reply encode [--boundary B] [--content-type-out FILE] [--temporary-references] [--react V] [INPUT]
  rsc-flight reply decode [--content-type CT] [--temporary-references] [--allow-unread-fields] [--react V] [INPUT]
  rsc-flight response encode [--error-rows] [--react V] [INPUT]
  rsc-flight response decode [--react V] [INPUT]
  rsc-flight response hints [INPUT]
  rsc-flight inspect [--as response|reply|html] [--json] [--content-type CT] [--react V] [INPUT]";

struct Args {
    boundary: Option<String>,
    content_type_out: Option<String>,
    content_type: Option<String>,
    temporary_references: bool,
    allow_unread_fields: bool,
    error_rows: bool,
    react: rsc_flight::React,
    input: Option<String>,
    as_: rsc_flight::inspect::As,
    json: bool,
}

enum Failure {
    Usage(String),
    Input(String),
}

fn parse_args(rest: &[String]) -> Result<Args, Failure> {
    let mut a = Args {
        boundary: None,
        content_type_out: None,
        content_type: None,
        temporary_references: false,
        allow_unread_fields: false,
        error_rows: false,
        react: rsc_flight::React::default(),
        input: None,
        as_: rsc_flight::inspect::As::Guess,
        json: false,
    };
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| Failure::Usage(format!("{name} needs a value")));
        match arg.as_str() {
            "--boundary" => a.boundary = Some(value("--boundary")?),
            "--content-type-out" => a.content_type_out = Some(value("--content-type-out")?),
            "--content-type" => a.content_type = Some(value("--content-type")?),
            "--temporary-references" => a.temporary_references = true,
            "--error-rows" => a.error_rows = true,
            "--allow-unread-fields" => a.allow_unread_fields = true,
            "--json" => a.json = true,
            "--as" => {
                use rsc_flight::inspect::As;
                a.as_ = match value("--as")?.as_str() {
                    "response" => As::Response,
                    "reply" => As::Reply,
                    "html" => As::Html,
                    other => return Err(Failure::Usage(format!("--as {other}: one of response, reply, html"))),
                }
            }
            "--react" => {
                a.react = value("--react")?.parse().map_err(|e: rsc_flight::Error| Failure::Usage(e.to_string()))?
            }
            s if s.starts_with("--") => return Err(Failure::Usage(format!("unknown option {s}"))),
            s => {
                if a.input.replace(s.to_owned()).is_some() {
                    return Err(Failure::Usage("more than one INPUT".into()));
                }
            }
        }
    }
    Ok(a)
}

fn read_input(path: &Option<String>) -> Result<Vec<u8>, Failure> {
    let mut buf = Vec::new();
    match path.as_deref() {
        None | Some("-") => std::io::stdin().read_to_end(&mut buf).map(|_| ()),
        Some(p) => std::fs::File::open(p).and_then(|mut f| f.read_to_end(&mut buf).map(|_| ())),
    }
    .map_err(|e| Failure::Input(format!("cannot read input: {e}")))?;
    Ok(buf)
}

/// The input as a document in the tagged notation.
fn read_tagged(path: &Option<String>) -> Result<rsc_flight::Value, Failure> {
    let input = read_input(path)?;
    let text = String::from_utf8(input).map_err(|_| Failure::Input("input is not UTF-8".into()))?;
    tagged::from_str(&text).map_err(|e| Failure::Input(e.to_string()))
}

fn run(argv: Vec<String>) -> Result<Vec<u8>, Failure> {
    if argv.first().map(String::as_str) == Some("inspect") {
        return inspect(&argv[1..]);
    }
    let (format, command, rest) = match argv.as_slice() {
        [f, c, rest @ ..] => (f.as_str(), c.as_str(), rest),
        _ => return Err(Failure::Usage("missing command".into())),
    };
    let args = parse_args(rest)?;
    let err = |e: rsc_flight::Error| Failure::Input(e.to_string());
    match (format, command) {
        ("reply", "encode") => {
            let value = read_tagged(&args.input)?;
            let encoder = Encoder::new().react(args.react);
            let body = if args.temporary_references {
                encoder.encode_with_temporary_references(&value).map(|(body, _)| body)
            } else {
                encoder.encode(&value)
            }
            .map_err(err)?;
            let boundary = args.boundary.clone().unwrap_or_else(|| body.choose_boundary());
            if let Some(path) = &args.content_type_out {
                std::fs::write(path, body.content_type(&boundary))
                    .map_err(|e| Failure::Input(format!("cannot write {path}: {e}")))?;
            }
            Ok(body.to_bytes(&boundary))
        }
        ("reply", "decode") => {
            let input = read_input(&args.input)?;
            let decoder = Decoder::new()
                .temporary_references(args.temporary_references)
                .allow_unread_fields(args.allow_unread_fields)
                .react(args.react);
            let ct = args.content_type.as_deref().unwrap_or("text/plain");
            let value = decoder.decode(ct, input).map_err(err)?;
            let mut out = tagged::to_string(&value).map_err(err)?.into_bytes();
            out.push(b'\n');
            Ok(out)
        }
        ("response", "encode") => {
            let value = read_tagged(&args.input)?;
            rsc_flight::response::Encoder::new()
                .error_rows(args.error_rows)
                .react(args.react)
                .encode(&value)
                .map_err(err)
        }
        ("response", "decode") => {
            let input = read_input(&args.input)?;
            let r = rsc_flight::response::Decoder::new().react(args.react).decode(&input).map_err(err)?;
            let mut out = tagged::to_string(&r.value).map_err(err)?.into_bytes();
            out.push(b'\n');
            Ok(out)
        }
        ("response", "hints") => {
            let input = read_input(&args.input)?;
            let r = rsc_flight::response::Decoder::new().react(args.react).decode(&input).map_err(err)?;
            let mut out = String::new();
            for h in &r.hints {
                out.push_str("{\"code\":");
                // A one-string value in the notation is that string as JSON.
                let code = rsc_flight::Value::from_item(h.code.to_string().into());
                out.push_str(&rsc_flight::tagged::to_string(&code).map_err(err)?);
                // The model was checked to be JSON when the row was read.
                out.push_str(&format!(",\"kind\":\"{}\",\"model\":{}}}\n", h.kind(), h.model));
            }
            Ok(out.into_bytes())
        }
        _ => Err(Failure::Usage(format!("unknown command {format} {command}"))),
    }
}

/// `rsc-flight inspect`.
fn inspect(rest: &[String]) -> Result<Vec<u8>, Failure> {
    use std::io::IsTerminal;
    let args = parse_args(rest)?;
    let input = read_input(&args.input)?;
    let report =
        rsc_flight::inspect::inspect_with_content_type(&input, args.as_, args.react, args.content_type.as_deref());
    if args.json {
        let mut out = report.to_json();
        out.push('\n');
        return Ok(out.into_bytes());
    }
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    Ok(report.to_text(colour).into_bytes())
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    if argv.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    // Decoding is bounded by the limits, but a generous stack costs nothing
    // and keeps deep (allowed) values far from the edge.
    let worker = std::thread::Builder::new().stack_size(64 << 20).spawn(move || run(argv));
    let result = match worker.map(|h| h.join()) {
        Ok(Ok(r)) => r,
        _ => Err(Failure::Input("internal error".into())),
    };
    match result {
        Ok(bytes) => {
            let mut out = std::io::stdout().lock();
            if out.write_all(&bytes).and_then(|()| out.flush()).is_err() {
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(m)) => {
            eprintln!("rsc-flight: {m}\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Input(m)) => {
            eprintln!("rsc-flight: {}", m.replace('\n', " "));
            ExitCode::FAILURE
        }
    }
}
