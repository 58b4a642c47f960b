//! Loading the golden vectors (tests/vectors/*.json).
#![allow(dead_code)]

use base64::Engine as _;
use rsc_flight::multipart::Field;
use rsc_flight::tagged;
use serde_json::Value as J;

pub const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// The vectors of `tests/vectors/<file>`, as JSON.
pub fn load(file: &str) -> Vec<J> {
    let path = match file.starts_with('/') {
        true => file.to_owned(),
        false => format!("{}/tests/vectors/{file}", env!("CARGO_MANIFEST_DIR")),
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    // Some vectors nest deeper than serde_json's default limit of 128.
    let mut de = serde_json::Deserializer::from_str(&text);
    de.disable_recursion_limit();
    let v: J = serde::Deserialize::deserialize(&mut de).unwrap();
    v.as_array().unwrap().clone()
}

/// The vectors of other React versions: (version, folder for [`load`]),
/// the checked-in ones under `tests/vectors/versions/`, and, when
/// `RSC_VERSION_VECTORS` names a folder, each `<version>/` in it (what
/// `conformance/versions/check-all.sh` generates for every release).
#[allow(dead_code)]
pub fn versions() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add = |root: &str, prefix: &dyn Fn(&str) -> String| {
        let mut found: Vec<String> = std::fs::read_dir(root)
            .unwrap_or_else(|e| panic!("{root}: {e}"))
            .map(|d| d.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        found.sort();
        for v in found {
            out.push((v.clone(), prefix(&v)));
        }
    };
    add(&format!("{}/tests/vectors/versions", env!("CARGO_MANIFEST_DIR")), &|v| format!("versions/{v}"));
    if let Ok(extra) = std::env::var("RSC_VERSION_VECTORS") {
        add(&extra, &|v| format!("{extra}/{v}"));
    }
    out
}

/// A vector's field list (`[{name, text} | {name, file: {name, type, base64}}]`).
pub fn fields(list: &J) -> Vec<Field> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let name = f["name"].as_str().unwrap();
            match f.get("text") {
                Some(t) => Field::text(name, t.as_str().unwrap()),
                None => {
                    let file = &f["file"];
                    Field::file(
                        name,
                        file["name"].as_str().unwrap(),
                        file["type"].as_str().unwrap(),
                        B64.decode(file["base64"].as_str().unwrap()).unwrap(),
                    )
                }
            }
        })
        .collect()
}

/// A document in the tagged notation.
pub fn tagged_of(j: &J) -> rsc_flight::Value {
    tagged::from_str(&j.to_string()).unwrap_or_else(|e| panic!("bad tagged JSON {j}: {e}"))
}

/// Run a future to completion on this thread (the crate needs no runtime;
/// the futures under test wake themselves or are ready).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}
