//! Progressive-enhancement form posts: React's `decodeAction` and
//! `decodeFormState`.
//!
//! A `<form action={serverFunction}>` posted without JavaScript carries the
//! action in its field names: `$ACTION_ID_<id>` for an unbound function, or
//! `$ACTION_REF_<p>` plus a nested reply under the prefix `$ACTION_<p>:`
//! whose part 0 is `{"id": ..., "bound": "$@1"}`. Nothing is looked up or
//! called here: the caller gets the id and the bound arguments.

use crate::error::{Error, Result};
use crate::multipart::{Field, FieldValue};
use crate::reply::Decoder;
use crate::value::{Item, Node, Promise, Value};

/// The action a form post asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// The server reference id (`module#export`).
    pub id: String,
    /// The bound arguments, as the root array of this value (empty when the
    /// action is unbound).
    pub bound: Value,
    /// The form's own fields, without the `$ACTION_` ones: the `FormData`
    /// that React passes as the action's last argument.
    pub form_data: Vec<Field>,
}

/// What React's `decodeFormState` returns besides the action result:
/// `[result, key_path, reference_id, bound_len - 1]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormState {
    /// The `$ACTION_KEY` field.
    pub key_path: String,
    /// The server reference id.
    pub reference_id: String,
    /// How many arguments were bound (React reports this minus one).
    pub bound_len: usize,
}

impl Action {
    /// The arguments React calls the action with: the bound arguments, then
    /// the form's own fields as a `FormData` (a value whose root is their
    /// array).
    ///
    /// # Examples
    ///
    /// ```
    /// use rsc_flight::{multipart::Field, reply::Decoder, value::Node};
    /// let fields = vec![Field::text("$ACTION_ID_mod#fn", ""), Field::text("name", "Ann")];
    /// let action = Decoder::new().decode_action(&fields).unwrap().unwrap();
    /// let args = action.arguments();
    /// let Some(Node::Array(items)) = args.resolve(args.root()) else { panic!() };
    /// assert!(matches!(args.resolve(&items[0]), Some(Node::FormData(_))));
    /// ```
    pub fn arguments(&self) -> Value {
        let mut v = self.bound.clone();
        let entries = self
            .form_data
            .iter()
            .map(|f| {
                let item = match &f.value {
                    FieldValue::Text(t) => Item::String(t.as_str().into()),
                    FieldValue::File { .. } => Item::Node(v.add(crate::reply::decode::file_node(f))),
                };
                (f.name.as_str().into(), item)
            })
            .collect();
        let form = Item::Node(v.add(Node::FormData(entries)));
        let root = v.root().clone();
        match &root {
            Item::Node(n) => {
                if let Node::Array(a) = v.node_mut(*n) {
                    a.push(form);
                }
            }
            _ => {
                let arr = v.add(Node::Array(vec![form]));
                v.set_root(Item::Node(arr));
            }
        }
        v
    }
}

impl Decoder {
    /// React's `decodeAction`, for a form posted to a Server Function
    /// (progressive enhancement): `Ok(None)` when the fields name no
    /// action.
    ///
    /// # Errors
    /// If the nested metadata reply is malformed (see [`Decoder`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use rsc_flight::{multipart::Field, reply::Decoder};
    /// let fields = vec![Field::text("$ACTION_ID_mod#fn", ""), Field::text("name", "Ann")];
    /// let action = Decoder::new().decode_action(&fields)?.unwrap();
    /// assert_eq!(action.id, "mod#fn");
    /// assert_eq!(action.form_data, vec![Field::text("name", "Ann")]);
    /// # Ok::<(), rsc_flight::Error>(())
    /// ```
    pub fn decode_action(&self, fields: &[Field]) -> Result<Option<Action>> {
        decode_action(fields, self)
    }

    /// React's `decodeFormState`: `Ok(None)` when there is no
    /// `$ACTION_KEY` text field, no `$ACTION_REF_` field, or the action is
    /// unbound.
    ///
    /// # Errors
    /// If the nested metadata reply is malformed.
    pub fn decode_form_state(&self, fields: &[Field]) -> Result<Option<FormState>> {
        decode_form_state(fields, self)
    }
}

fn decode_action(fields: &[Field], decoder: &Decoder) -> Result<Option<Action>> {
    let mut action_key: Option<&str> = None;
    let mut form_data = Vec::new();
    for f in fields {
        if let Some(rest) = f.name.strip_prefix("$ACTION_") {
            if rest.starts_with("REF_") || rest.starts_with("ID_") {
                action_key = Some(&f.name);
            }
        } else {
            form_data.push(f.clone());
        }
    }
    let Some(key) = action_key else { return Ok(None) };
    if let Some(id) = key.strip_prefix("$ACTION_ID_") {
        let mut bound = Value::new();
        let arr = bound.add(Node::Array(Vec::new()));
        bound.set_root(Item::Node(arr));
        return Ok(Some(Action { id: id.to_owned(), bound, form_data }));
    }
    let prefix = format!("$ACTION_{}:", &key["$ACTION_REF_".len()..]);
    let (id, bound) = metadata(fields, decoder, &prefix)?;
    Ok(Some(Action { id, bound: bound.unwrap_or_else(empty_args), form_data }))
}

fn decode_form_state(fields: &[Field], decoder: &Decoder) -> Result<Option<FormState>> {
    let key_path = fields.iter().find_map(|f| match (&*f.name, &f.value) {
        ("$ACTION_KEY", FieldValue::Text(t)) => Some(t.clone()),
        _ => None,
    });
    // FormData.get returns the first value; a File there is not a string.
    let first = fields.iter().find(|f| f.name == "$ACTION_KEY");
    let (Some(key_path), Some(Field { value: FieldValue::Text(_), .. })) = (key_path, first) else {
        return Ok(None);
    };
    let Some(action) = fields.iter().rev().find(|f| f.name.starts_with("$ACTION_REF_")) else {
        return Ok(None);
    };
    let prefix = format!("$ACTION_{}:", &action.name["$ACTION_REF_".len()..]);
    let (reference_id, bound) = metadata(fields, decoder, &prefix)?;
    Ok(bound.map(|b| {
        let bound_len = match b.resolve(b.root()) {
            Some(Node::Array(a)) => a.len(),
            _ => 0,
        };
        FormState { key_path, reference_id, bound_len }
    }))
}

fn empty_args() -> Value {
    let mut v = Value::new();
    let arr = v.add(Node::Array(Vec::new()));
    v.set_root(Item::Node(arr));
    v
}

/// Decode the nested `{id, bound}` reply; the bound arguments come back as
/// a value whose root is their array.
fn metadata(fields: &[Field], decoder: &Decoder, prefix: &str) -> Result<(String, Option<Value>)> {
    let mut v = decoder.clone().prefix(prefix).decode_fields(fields)?;
    let bad = || Error::reference("Invalid server action metadata: expected {\"id\": string, \"bound\": ...}.");
    let Some(Node::Object(meta)) = v.resolve(v.root()) else { return Err(bad()) };
    let Some(Item::String(id)) = meta.get("id") else { return Err(bad()) };
    let id = id.to_string();
    let bound = match meta.get("bound") {
        None | Some(Item::Null | Item::Undefined) => None,
        Some(Item::Node(p)) => match v.node(*p) {
            Node::Promise(Promise::Fulfilled(args @ Item::Node(a))) if matches!(v.node(*a), Node::Array(_)) => {
                Some(args.clone())
            }
            _ => return Err(bad()),
        },
        Some(_) => return Err(bad()),
    };
    Ok((
        id,
        bound.map(|root| {
            v.set_root(root);
            v
        }),
    ))
}
