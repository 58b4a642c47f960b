//! Rendering one value of a task into its row's JSON, as React's
//! `renderModelDestructive` does: scalars, outlined built-ins (each a task
//! or a row of its own), references to what was written before, and the
//! refusals (functions, class instances, local symbols) that become error
//! rows.

use super::*;

impl<'v> Enc<'v> {
    /// React's `resolveModel`: count the key, render the value, and catch a
    /// refusal as an error row of its own.
    // Inlined into its callers (once per value): −5% instructions on
    // `table-1mb`, a call and a `Slot` copy fewer per value.
    #[inline]
    pub(super) fn resolve(&mut self, out: &mut String, slot: Slot<'v>, item: &Item) -> Result<()> {
        if self.counting {
            self.size += slot.key.utf16_len();
        }
        if let Some(r) = self.render(out, slot, item)? {
            let lazy = r.lazy;
            let id = self.refused(r)?;
            (if lazy { Ref::Lazy } else { Ref::Model }).write(out, id);
        }
        Ok(())
    }

    /// React's `renderModelDestructive`, writing the result.
    pub(super) fn render(&mut self, out: &mut String, slot: Slot<'v>, item: &Item) -> Result<Option<Refusal>> {
        match item {
            Item::Undefined => tag::write_undefined(out),
            Item::Null => out.push_str("null"),
            Item::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Item::Number(n) => tag::write_number(out, *n),
            Item::String(s) => {
                // A string shorter than TEXT_ROW_MIN bytes is shorter in
                // UTF-16 units too: its length is needed only when counting.
                let len = if self.counting || s.len() >= TEXT_ROW_MIN { utf16_len(s) } else { 0 };
                self.size += len;
                if len >= TEXT_ROW_MIN {
                    let id = self.alloc();
                    self.push_text(id, s);
                    Ref::Model.write(out, id);
                } else {
                    tag::write_string(out, s);
                }
            }
            Item::BigInt(b) => tag::write_bigint(out, b.as_str()),
            // Below a task's root, JSON.stringify has called `toJSON` first:
            // an invalid Date is `null`, a valid one a string React counts.
            Item::Date(d) => match (d.is_valid(), slot.root) {
                (true, root) => {
                    let start = out.len();
                    tag::write_date(out, *d);
                    if !root {
                        // React counts the ISO text, without `"$D` and `"`.
                        self.size += out.len() - start - 4;
                    }
                }
                (false, true) => out.push_str(tag::INVALID_DATE_ROOT),
                (false, false) => out.push_str("null"),
            },
            Item::Symbol(s) => return Ok(self.render_symbol(out, s)),
            Item::Node(n) => {
                self.depth += 1;
                if self.depth >= self.opts.limits.get_max_depth() {
                    return Err(Error::limit("max_depth", "a value nested too deeply to encode"));
                }
                let r = crate::stack::deep(|| self.render_node(out, slot, *n));
                self.depth -= 1;
                return r;
            }
        }
        Ok(None)
    }

    /// A registered symbol: a reference to its row, written once (`$S`);
    /// a local one is refused with React's message.
    fn render_symbol(&mut self, out: &mut String, s: &Symbol) -> Option<Refusal> {
        let k = match s {
            Symbol::Registered(k) => k,
            Symbol::Local(d) => {
                return Some(Refusal {
                    message: format!(
                        "Only global symbols received from Symbol.for(...) can be passed to Client Components. The symbol Symbol.for({}) cannot be found among global symbols.",
                        d.as_deref().unwrap_or("undefined")
                    ),
                    lazy: false,
                })
            }
        };
        let id = match self.sh.symbols.get(k) {
            Some(id) => *id,
            None => {
                let id = self.alloc();
                let mut row = format!("{}:", hex(id));
                tag::write_symbol(&mut row, k);
                row.push('\n');
                self.sh.imports.extend_from_slice(row.as_bytes());
                self.sh.symbols.insert(k.clone(), id);
                id
            }
        };
        Ref::Model.write(out, id);
        None
    }

    /// One dispatch on the node's kind: what React writes without looking
    /// up identity (elements, references, functions), promises (identity
    /// of their own), and the objects React writes once and refers to
    /// after ([`Enc::render_object`]).
    pub(super) fn render_node(&mut self, out: &mut String, slot: Slot<'v>, n: NodeId) -> Result<Option<Refusal>> {
        let v: &'v Value = self.v;
        let shape = match v.node(n) {
            Node::Element { .. } => return self.render_element(out, slot, n),
            Node::ClientReference(c) => {
                let id = self.client_reference(c)?;
                (if slot.element_type { Ref::Lazy } else { Ref::Model }).write(out, id);
                return Ok(None);
            }
            Node::TemporaryReference(id) => {
                tag::write_temporary(out, id);
                return Ok(None);
            }
            Node::ServerReference(_) => {
                let id = self.server_reference(n)?;
                Ref::ServerReference { old: self.opts.react.dialect().server_ref_f }.write(out, id);
                return Ok(None);
            }
            Node::Function(_) => {
                let handler = matches!(slot.key, Key::Name(k) if k.len() > 2 && k.starts_with("on") && k.as_bytes()[2].is_ascii_uppercase());
                let message = if handler { EVENT_HANDLERS } else { FUNCTIONS }.to_owned();
                return Ok(Some(Refusal { message, lazy: false }));
            }
            Node::Promise(_) => {
                self.render_promise(out, n);
                return Ok(None);
            }
            Node::Instance { .. } => Shape::Instance,
            Node::Array(items) => Shape::Array(items),
            Node::Object(o) => Shape::Plain(o),
            Node::Map(pairs) => Shape::Map(pairs),
            Node::Set(items) => Shape::Set(items),
            Node::Iterator(items) => Shape::Iterator(items),
            Node::FormData(entries) => Shape::FormData(entries),
            Node::Error { .. } => Shape::Error,
            node @ (Node::ArrayBuffer(_) | Node::TypedArray(..)) => match tag::binary_row_of(node) {
                Some((letter, bytes)) => Shape::Binary(letter, bytes),
                None => Shape::Error,
            },
            Node::Blob(_) => Shape::Blob,
            Node::Stream(s) => Shape::Stream(s),
            Node::ByteStream(_) => Shape::ByteStream,
        };
        self.render_object(out, slot, n, shape)
    }

    /// A promise: a task of its own, written as `$@<id>` wherever met again.
    fn render_promise(&mut self, out: &mut String, n: NodeId) {
        if let Seen::Written = self.written.meet(n, &mut self.model_root, out) {
            return;
        }
        let t = self.create_task(None, self.cur.1);
        self.then(n, Then::Status);
        self.then(n, Then::Ping(t));
        let w = Ref::Promise.text(self.tasks[t].id);
        write_str(out, &w);
        let w = self.written.text(w);
        self.written.set(n, w);
    }

    /// An object React keeps in its written-objects map: written in full
    /// the first time, as its reference after.
    fn render_object(
        &mut self,
        out: &mut String,
        slot: Slot<'v>,
        n: NodeId,
        shape: Shape<'v>,
    ) -> Result<Option<Refusal>> {
        match self.written.of(n) {
            Some(w) => {
                // Written in full once more only as the root of its own row
                // (in 19.0 and 19.1: as the root of any row, such as a
                // promise's value written before).
                let own_row = self.rows() == ResponseRows::V19_1
                    || self.written.own_text(w).is_some_and(|t| Ref::Model.is(t, self.cur.0));
                if self.model_root != Some(n) || !own_row {
                    self.written.write(w, out);
                    return Ok(None);
                }
                self.model_root = None;
            }
            None => {
                // The first visit of a task's root takes it: met again
                // inside itself, it is the row's own reference (React
                // registers the rendered root under the row's id).
                if self.model_root == Some(n) {
                    self.model_root = None;
                }
                if let (Some(h), false) = (slot.holder, slot.key.has_colon()) {
                    let r = self.written.path(h, slot.path_key);
                    self.written.set(n, r);
                }
            }
        }
        // A task's root container is registered under the task's id.
        if slot.root && matches!(shape, Shape::Array(_) | Shape::Plain(_)) {
            let r = self.written.text(Ref::Model.text(self.cur.0));
            self.written.set(n, r);
        }
        let mine = self.written.of(n);
        match shape {
            Shape::Array(items) => self.write_items(out, mine, items)?,
            Shape::Plain(o) => self.write_object(out, mine, o)?,
            Shape::Map(pairs) => {
                let id = self.outline_fresh(|e, out, holder| e.write_pairs(out, holder, pairs))?;
                Ref::Outlined(Builtin::Map).write(out, id);
            }
            Shape::Set(items) => {
                let id = self.outline_fresh(|e, out, holder| e.write_items(out, Some(holder), items))?;
                Ref::Outlined(Builtin::Set).write(out, id);
            }
            Shape::Iterator(items) => {
                // React writes `Array.from(iterator)`; an iterator it writes a
                // second time (a copy, where it is met inside itself as a
                // promise's value) is already exhausted.
                let items: &[Item] = if self.iterated.insert(n) { items } else { &[] };
                let id = self.outline_fresh(|e, out, holder| e.write_items(out, Some(holder), items))?;
                Ref::Outlined(Builtin::Iterator).write(out, id);
            }
            Shape::FormData(entries) => {
                let id = self.outline_fresh(|e, out, holder| e.write_form_data(out, holder, entries))?;
                Ref::Outlined(Builtin::FormData).write(out, id);
            }
            Shape::Error => out.push_str(tag::ERROR),
            Shape::Binary(letter, bytes) => {
                let id = self.alloc();
                self.push_binary(id, letter, bytes);
                Ref::Model.write(out, id);
            }
            Shape::Blob => self.blob(out, n),
            Shape::Stream(s) => {
                if let Some(r) = self.read_again(n, s.kind != StreamKind::AsyncIterable)? {
                    return Ok(Some(r));
                }
                let t = self.create_task(None, self.cur.1);
                let id = self.tasks[t].id;
                let r = self.written.text(Ref::Model.text(id));
                self.written.set(n, r);
                let iterable =
                    Job::Hop(super::schedule::iterator_turns(s, 0), Step::Iterable { task: t, node: n, pos: 0 });
                let job = match s.kind {
                    StreamKind::Readable => Job::Hop(1, Step::Readable { task: t, node: n, pos: 0 }),
                    StreamKind::AsyncIterable | StreamKind::AsyncIterator => iterable,
                };
                self.push_tag_row(id, tag::stream_start_row(s.kind, false));
                self.micro.push_back(job);
                Ref::Model.write(out, id);
            }
            Shape::ByteStream => {
                if let Some(r) = self.read_again(n, true)? {
                    return Ok(Some(r));
                }
                let t = self.create_task(None, self.cur.1);
                let id = self.tasks[t].id;
                let r = self.written.text(Ref::Model.text(id));
                self.written.set(n, r);
                self.push_tag_row(id, tag::stream_start_row(StreamKind::Readable, true));
                self.micro.push_back(Job::Hop(1, Step::Bytes { task: t, node: n, pos: 0 }));
                Ref::Model.write(out, id);
            }
            Shape::Instance => return Ok(Some(Refusal { message: INSTANCES.to_owned(), lazy: false })),
        }
        Ok(None)
    }

    /// React's `serializeBlob`: a task whose row is `[type, bytes]`, pinged
    /// once the Blob's stream has been read (3 queue turns, empty or not).
    pub(super) fn blob(&mut self, out: &mut String, n: NodeId) {
        let t = self.create_task(Some(Model::Blob(n)), FormatContext::ROOT);
        self.micro.push_back(Job::Hop(3, Step::BlobRead { task: t }));
        Ref::Outlined(Builtin::Blob).write(out, self.tasks[t].id);
    }

    /// A stream React meets a second time without a reference to the first
    /// (an async iterable's return value is always written anew). An async
    /// iterable starts a new iteration; a `ReadableStream` is locked by its
    /// first reader, so React's `getReader` throws; an async iterator would
    /// be read by two readers at once, whose interleaving we do not model.
    pub(super) fn read_again(&mut self, n: NodeId, single_use: bool) -> Result<Option<Refusal>> {
        if self.streams.insert(n) || !single_use {
            return Ok(None);
        }
        match self.v.node(n) {
            Node::Stream(s) if s.kind == StreamKind::AsyncIterator => Err(Error::unsupported(
                "an async iterator written twice (an async iterable's return value that was sent before) cannot be encoded",
            )),
            _ => Ok(Some(Refusal { message: LOCKED.to_owned(), lazy: false })),
        }
    }

    pub(super) fn write_items(&mut self, out: &mut String, holder: Option<RefId>, items: &[Item]) -> Result<()> {
        json::write_array(out, items, |out, i, it| self.resolve(out, Slot::child(holder, Key::Index(i)), it))
    }

    pub(super) fn write_object(&mut self, out: &mut String, holder: Option<RefId>, o: &'v Object) -> Result<()> {
        json::write_object(out, o, |out, k, v| self.resolve(out, Slot::child(holder, Key::Name(k)), v))
    }

    /// `Array.from(map)`: `[[key, value], ...]`, each pair an array of its own.
    pub(super) fn write_pairs(&mut self, out: &mut String, holder: RefId, pairs: &[(Item, Item)]) -> Result<()> {
        self.write_pair_array(out, holder, pairs, |this, out, pair, (k, v)| {
            this.resolve(out, Slot::child(Some(pair), Key::Index(0)), k)?;
            out.push(',');
            this.resolve(out, Slot::child(Some(pair), Key::Index(1)), v)?;
            Ok(())
        })
    }

    /// `Array.from(formData.entries())`. A File in a FormData is a new
    /// object (`append` copies it), so it is never a reference.
    pub(super) fn write_form_data(&mut self, out: &mut String, holder: RefId, entries: &[(Str, Item)]) -> Result<()> {
        self.write_pair_array(out, holder, entries, |this, out, pair, (name, v)| {
            this.resolve(out, Slot::child(Some(pair), Key::Index(0)), &Item::String(name.clone()))?;
            out.push(',');
            match v {
                Item::Node(f) if matches!(this.v.node(*f), Node::Blob(_)) => {
                    this.size += 1;
                    this.blob(out, *f);
                }
                Item::String(_) => this.resolve(out, Slot::child(Some(pair), Key::Index(1)), v)?,
                _ => return Err(Error::unsupported("FormData values must be strings or Files")),
            }
            Ok(())
        })
    }

    /// The array `Array.from` makes of pairs: each pair an array of its own
    /// at path `holder:i`, its two members written by `write`.
    pub(super) fn write_pair_array<T>(
        &mut self,
        out: &mut String,
        holder: RefId,
        pairs: &[T],
        mut write: impl FnMut(&mut Self, &mut String, RefId, &T) -> Result<()>,
    ) -> Result<()> {
        out.push('[');
        for (i, p) in pairs.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let key = Key::Index(i);
            self.size += key.utf16_len();
            let pair = self.written.path(holder, key);
            out.push('[');
            write(self, out, pair, p)?;
            out.push(']');
        }
        out.push(']');
        Ok(())
    }
}

/// The nodes [`Enc::render_object`] writes, with what it needs of each.
#[derive(Clone, Copy)]
enum Shape<'v> {
    Array(&'v [Item]),
    Plain(&'v crate::value::Object),
    Map(&'v [(Item, Item)]),
    Set(&'v [Item]),
    Iterator(&'v [Item]),
    FormData(&'v [(Str, Item)]),
    Error,
    /// A binary row's tag and bytes (an ArrayBuffer or typed array).
    Binary(u8, &'v [u8]),
    Blob,
    Stream(&'v crate::value::Stream),
    ByteStream,
    /// A class instance or null-prototype object: refused.
    Instance,
}
