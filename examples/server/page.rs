//! The Server Component tree of `GET /flight`, written in Rust: host
//! elements, two client components from the React app's esbuild chunks
//! (each an `I` row naming its chunk), and a Suspense boundary whose
//! content is a promise that settles 600 ms later, so that React shows the
//! fallback first and the content when its row arrives.

use std::path::Path;
use std::time::Duration;

use rsc_flight::response::LiveValue;
use rsc_flight::value::{BundlerId, ClientReference, Item, Node, Object, Symbol, Value};

/// `examples/app/dist/manifest.json`, written by the app's build: each
/// client component's module id and the chunk that holds it.
pub struct Manifest(serde_json::Map<String, serde_json::Value>);

impl Manifest {
    pub fn read(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        match serde_json::from_str(&text) {
            Ok(serde_json::Value::Object(m)) => Ok(Self(m)),
            _ => Err(format!("{}: not a JSON object", path.display())),
        }
    }

    /// A client component: its module id is also its chunk's id
    /// (`examples/app/src/webpack.js`), and the chunk's file follows it.
    fn client(&self, module: &str, name: &str) -> Node {
        let file = self.0.get(module).and_then(|m| m.get("chunk")).and_then(|c| c.as_str()).unwrap_or_default();
        Node::ClientReference(ClientReference {
            module: BundlerId::from(module),
            name: name.into(),
            chunks: vec![BundlerId::from(module), BundlerId::from(file)],
            is_async: false,
        })
    }
}

/// An element of `ty` with `props` (`children` among them) in `v`.
fn element(v: &mut Value, ty: Item, key: Option<&str>, props: Vec<(&str, Item)>) -> Item {
    let mut o = Object::new();
    for (k, p) in props {
        o.insert(k, p);
    }
    let props = Item::Node(v.add(Node::Object(o)));
    Item::Node(v.add(Node::Element { ty, key: key.map(Into::into), props }))
}

fn children(v: &mut Value, items: Vec<Item>) -> Item {
    Item::Node(v.add(Node::Array(items)))
}

pub fn render(manifest: &Manifest) -> LiveValue {
    let mut live = LiveValue::new(Value::new());
    let slow = live.promise(async {
        tokio::time::sleep(Duration::from_millis(600)).await;
        Ok(slow_part())
    });
    let v = live.value_mut();
    let greeting = Item::Node(v.add(manifest.client("client/Greeting.jsx", "Greeting")));
    let counter = Item::Node(v.add(manifest.client("client/Counter.jsx", "Counter")));

    let intro = element(
        v,
        "p".into(),
        None,
        vec![(
            "children",
            "This section is a React element tree that Rust encoded as a Flight response (GET /flight).".into(),
        )],
    );
    let greeting = element(v, greeting, None, vec![("name", "browser".into()), ("from", "Rust".into())]);
    let counter = element(
        v,
        counter,
        None,
        vec![("start", Item::Number(3.0)), ("label", "Clicks, counted in the browser".into())],
    );
    let fallback = element(
        v,
        "p".into(),
        None,
        vec![("id", "rsc-fallback".into()), ("children", "Rust is still working on the slow part…".into())],
    );
    let suspense = Item::from(Symbol::Registered("react.suspense".into()));
    let boundary = element(v, suspense, None, vec![("fallback", fallback), ("children", slow)]);
    let kids = children(v, vec![intro, greeting, counter, boundary]);
    let root = element(v, "article".into(), None, vec![("id", "rsc-root".into()), ("children", kids)]);
    v.set_root(root);
    live
}

/// What the Suspense boundary shows once the promise settles.
fn slow_part() -> LiveValue {
    let mut v = Value::new();
    let items =
        ["streamed in 600 ms after the rest", "in a row of its own", "rendered by React where the fallback was"]
            .iter()
            .enumerate()
            .map(|(i, text)| element(&mut v, "li".into(), Some(&i.to_string()), vec![("children", (*text).into())]))
            .collect();
    let items = children(&mut v, items);
    let list = element(&mut v, "ul".into(), None, vec![("id", "rsc-slow".into()), ("children", items)]);
    v.set_root(list);
    v.into()
}
