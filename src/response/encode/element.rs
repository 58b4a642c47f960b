//! Elements, client references and server references: `["$",type,key,
//! props]` with the row-size rule that defers an element to a lazy row,
//! client references as `I` import rows (their metadata strings outlined
//! as 19.3 does, inline as 19.2 does), server references as `$h` rows.

use super::*;

impl<'v> Enc<'v> {
    pub(super) fn render_element(&mut self, out: &mut String, slot: Slot<'v>, n: NodeId) -> Result<Option<Refusal>> {
        let v: &'v Value = self.v;
        let Node::Element { ty, key, props } = v.node(n) else { unreachable!("an element") };
        let mut reference = None;
        match self.written.meet(n, &mut self.model_root, out) {
            Seen::Written => return Ok(None),
            Seen::ModelRoot(_) => {}
            Seen::New => {
                // As for containers: the root's first visit takes it.
                if self.model_root == Some(n) {
                    self.model_root = None;
                }
                if let (Some(h), false) = (slot.holder, slot.key.has_colon()) {
                    let r = self.written.path(h, slot.key);
                    self.written.set(n, r);
                    reference = Some(r);
                }
            }
        }
        // 19.0 and 19.1 never split a row.
        if self.size > MAX_ROW_SIZE && self.rows() != ResponseRows::V19_1 {
            let t = self.create_task(Some(Model::Item(Item::Node(n))), self.cur.1);
            self.ping(t);
            Ref::Lazy.write(out, self.tasks[t].id);
            return Ok(None);
        }
        let Some(Node::Object(p)) = self.v.resolve(props) else {
            return Err(Error::unsupported("an element's props must be a plain object"));
        };
        if p.get("ref").is_some_and(|r| *r != Item::Undefined) {
            return Ok(Some(Refusal { message: REFS.to_owned(), lazy: true }));
        }
        let children = p.get("children").cloned().unwrap_or(Item::Undefined);
        match ty {
            Item::Symbol(s) if matches!(&**s, Symbol::Registered(s) if s == "react.fragment") && key.is_none() => {
                // An unkeyed fragment is its children.
                if let Item::Node(c) = children {
                    if matches!(v.node(c), Node::Array(_) | Node::Object(_)) && self.written.of(c).is_none() {
                        if let Some(r) = reference {
                            self.written.set(c, r);
                        }
                        match v.node(c) {
                            Node::Array(items) => self.write_items(out, reference, items)?,
                            Node::Object(o) => self.write_object(out, reference, o)?,
                            _ => unreachable!(),
                        }
                        return Ok(None);
                    }
                }
                return self.render(out, Slot::child(None, Key::Name("")), &children);
            }
            // 19.0, 19.1 and Next.js 15.5's build send no hints for host
            // elements.
            Item::String(tag) if self.opts.react.dialect().host_hints => {
                let ctx = self.cur.1;
                let child_ctx = self.child_format_context(ctx, tag, p);
                if child_ctx != ctx && !matches!(children, Item::Null | Item::Undefined) {
                    self.outline(&children, child_ctx)?;
                }
            }
            Item::Node(t) if matches!(self.v.node(*t), Node::Function(_)) => {
                return Err(Error::unsupported(
                    "an element whose type is a function (a Server Component) cannot be encoded: render it first",
                ));
            }
            _ => {}
        }
        let holder = match reference {
            Some(r) => Some(r),
            None if slot.root => Some(self.written.text(Ref::Model.text(self.cur.0))),
            None => None,
        };
        out.push_str(tag::ELEMENT_START);
        self.size += 1;
        let type_slot =
            Slot { holder, key: Key::Index(1), path_key: Key::Name("type"), element_type: true, root: false };
        self.resolve(out, type_slot, ty)?;
        out.push(',');
        let key_item = key.as_ref().map_or(Item::Null, |k| Item::String(k.clone()));
        self.resolve(
            out,
            Slot { path_key: Key::Name("key"), key: Key::Index(2), element_type: false, ..type_slot },
            &key_item,
        )?;
        out.push(',');
        self.resolve(
            out,
            Slot { path_key: Key::Name("props"), key: Key::Index(3), element_type: false, ..type_slot },
            props,
        )?;
        out.push(']');
        Ok(None)
    }

    pub(super) fn server_reference(&mut self, n: NodeId) -> Result<u32> {
        if let Some(id) = self.server_refs.get(&n) {
            return Ok(*id);
        }
        let Node::ServerReference(r) = self.v.node(n) else { unreachable!("a server reference") };
        let id = self.outline_fresh(|e, out, holder| {
            out.push_str("{\"id\":");
            e.resolve(out, Slot::child(Some(holder), Key::Name("id")), &Item::String(r.id.clone()))?;
            out.push_str(",\"bound\":");
            e.size += "bound".len();
            match &r.bound {
                None => out.push_str("null"),
                Some(_) => {
                    // React sends `Promise.resolve(boundArgs)`.
                    let t = e.create_task(None, FormatContext::ROOT);
                    let o = Outcome::Fulfilled(Model::Bound(n));
                    e.micro.push_back(Job::Reaction(o.clone(), Then::Status));
                    e.micro.push_back(Job::Reaction(o, Then::Ping(t)));
                    Ref::Promise.write(out, e.tasks[t].id);
                }
            }
            out.push('}');
            Ok(())
        })?;
        self.server_refs.insert(n, id);
        Ok(id)
    }

    pub(super) fn client_reference(&mut self, c: &crate::value::ClientReference) -> Result<u32> {
        let key = format!("{}#{}", c.module, c.name);
        if let Some(id) = self.sh.client_refs.get(&key) {
            return Ok(*id);
        }
        let mut meta = String::from("[");
        self.import_id(&mut meta, &c.module);
        meta.push_str(",[");
        for (i, chunk) in c.chunks.iter().enumerate() {
            if i > 0 {
                meta.push(',');
            }
            self.import_id(&mut meta, chunk);
        }
        meta.push_str("],");
        let name = self.import_string(&c.name);
        write_str(&mut meta, &name);
        if c.is_async {
            meta.push_str(",1");
        }
        meta.push(']');
        let id = self.alloc();
        tag::push_import_row(&mut self.sh.imports, id, &meta);
        self.sh.client_refs.insert(key, id);
        Ok(id)
    }

    /// A module or chunk id in client-reference metadata: a number as it
    /// is, a string through [`Self::import_string`] (React's
    /// `transformImportMetadata`).
    pub(super) fn import_id(&mut self, meta: &mut String, id: &BundlerId) {
        match id {
            // `JSON.stringify` writes a number that is not finite as null.
            BundlerId::Number(n) if !n.is_finite() => meta.push_str("null"),
            BundlerId::Number(n) => write_number(meta, *n),
            BundlerId::String(s) => {
                let s = self.import_string(s);
                write_str(meta, &s);
            }
        }
    }

    /// A string in client-reference metadata: long ones are written once,
    /// as rows of their own (React 19.3).
    pub(super) fn import_string(&mut self, s: &str) -> String {
        let escaped = || tag::escape(s).into_owned();
        let len = utf16_len(s);
        // 19.2 writes every string of the metadata inline.
        if len < IMPORT_STRING_MIN || matches!(self.rows(), ResponseRows::V19_1 | ResponseRows::V19_2) {
            return escaped();
        }
        if let Some(r) = self.sh.import_strings.get(s) {
            return r.clone();
        }
        if self.sh.import_strings_size + len > IMPORT_STRING_BUDGET {
            return escaped();
        }
        self.sh.import_strings_size += len;
        let id = self.alloc();
        let mut row = format!("{}:", hex(id));
        write_str(&mut row, &escaped());
        row.push('\n');
        self.sh.imports.extend_from_slice(row.as_bytes());
        let r = Ref::Model.text(id);
        self.sh.import_strings.insert(s.into(), r.clone());
        r
    }
}
