//! The end of a decode: promises settled, deferred streams read, and every
//! field accounted for (unread fields are an error by default).

use super::*;

impl<'d, 'f> Run<'d, 'f> {
    /// Whether decoding read `f` (a field of an unprefixed body), by the
    /// name rules `Store::new` files it under.
    pub(crate) fn was_read(&self, f: &Field) -> bool {
        let used = |n: u32| self.parts.get(n).and_then(|p| p.used);
        let key = f.name.as_str();
        let dialect = self.opts.react.dialect();
        if let Some(n) = form_entry(key, dialect) {
            return self.form_used.contains(n);
        }
        match (key.as_bytes().first(), &f.value) {
            (Some(b'S'), FieldValue::Text(_)) if dialect.stream_keys_s => {
                decimal_id(&key[1..]).is_some_and(|n| used(n) == Some(Use::Stream))
            }
            (_, FieldValue::Text(_)) => decimal_id(key).is_some_and(|n| {
                used(n) == Some(Use::Model) || (!dialect.stream_keys_s && used(n) == Some(Use::Stream))
            }),
            (_, FieldValue::File { .. }) => {
                decimal_id(key).is_some_and(|n| self.blob_nodes.contains(n) || used(n) == Some(Use::TypedArray))
            }
        }
    }

    pub(crate) fn finish(&mut self, root: Item) -> Result<Value> {
        // Promise parts and streams are read after the root, in the order
        // they were first referenced, as a server that awaits them would.
        let mut i = 0;
        while i < self.later.len() {
            match self.later[i] {
                Later::Promise(p, id) => {
                    let v = self.part_root(id)?;
                    *self.out.node_mut(p) = Node::Promise(Promise::Fulfilled(v));
                }
                Later::Stream { node, id, kind, bytes } => self.read_stream(node, id, kind, bytes)?,
            }
            i += 1;
        }
        if let Some(f) = self.fixups.first() {
            return Err(Error::reference(INVALID_REFERENCE).in_part(|| f.part.to_string()));
        }
        if !self.deferred.is_empty() {
            return Err(Error::reference(INVALID_REFERENCE));
        }
        self.flatten_thenables()?;
        for (f, p) in std::mem::take(&mut self.bound_pending) {
            let Node::Promise(Promise::Fulfilled(Item::Node(args))) = self.out.node(p) else {
                return Err(Error::reference("Invalid server reference: bound arguments must be an array."));
            };
            let Node::Array(args) = self.out.node(*args) else {
                return Err(Error::reference("Invalid server reference: bound arguments must be an array."));
            };
            if args.len() > self.limits().max_bound_args {
                return Err(Error::limit_react(
                    "max_bound_args",
                    &format!(
                        "Server Function has too many bound arguments. Received {} but the limit is {}.",
                        args.len(),
                        self.limits().max_bound_args
                    ),
                ));
            }
            let args = args.clone();
            if let Node::ServerReference(r) = self.out.node_mut(f) {
                r.bound = Some(args);
            }
        }
        self.out.set_root(root);
        Ok(std::mem::take(&mut self.out))
    }

    /// A promise fulfilled with a promise takes that promise's state, as
    /// `await` does; a chain that comes back on itself is React's error.
    pub(crate) fn flatten_thenables(&mut self) -> Result<()> {
        let ids: Vec<NodeId> = self.promises.values().copied().collect();
        for p in ids {
            let mut seen = HashSet::new();
            let mut cur = p;
            let mut hops = 0;
            while let Node::Promise(Promise::Fulfilled(Item::Node(next))) = self.out.node(cur) {
                let next = *next;
                if !matches!(self.out.node(next), Node::Promise(_)) {
                    break;
                }
                hops += 1;
                if next == p || !seen.insert(next) || hops > 1000 {
                    return Err(Error::reference("Cannot have cyclic thenables."));
                }
                cur = next;
            }
            if cur != p {
                let state = self.out.node(cur).clone();
                *self.out.node_mut(p) = state;
            }
        }
        Ok(())
    }
}
