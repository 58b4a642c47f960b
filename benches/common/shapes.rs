//! The Rust types the typed benches read their families into: the same
//! structs for rsc-flight and for the JSON parsers beside it.

use serde::Deserialize;

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct Row {
    id: u32,
    name: String,
    email: String,
    active: bool,
    score: f64,
    note: Option<String>,
    #[serde(with = "rsc_flight::typed::date")]
    created: chrono::DateTime<chrono::Utc>,
    tags: Vec<String>,
    address: Address,
    rank: i32,
}

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct Address {
    city: String,
    zip: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct Todo {
    title: String,
    tags: Vec<String>,
    done: bool,
    #[serde(with = "rsc_flight::typed::date")]
    due: chrono::DateTime<chrono::Utc>,
}

pub type SmallArgs = (String, Todo, u32);

/// The table-1mb reply's arguments.
pub type TableArgs = (Vec<Row>,);
