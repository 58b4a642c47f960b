//! References to parts: `$<id>:<path>` walks, the built-ins that resolve an
//! outlined part first (`$Q $W $i $h`), and the fix-ups of references to a
//! part still being parsed.

use super::*;

/// The key under which React caches a loaded server reference on its
/// metadata object.
const SERVER_REF_CACHE: &str = "$$promise";

/// React's TypeError when the cached value has no `then` method.
const CACHED_NOT_A_PROMISE: &str = "cachedPromise.then is not a function";

impl<'d, 'f> Run<'d, 'f> {
    /// `$Q $W $i`: the node exists before its initializer is read, so that
    /// an initializer can contain the collection itself (a cycle).
    pub(crate) fn collection(
        &mut self,
        text: &str,
        slot: Slot,
        key: &str,
        kind: RefKind,
        empty: Node,
        part_root: Option<u32>,
    ) -> Result<Item> {
        let node = self.add(empty)?;
        self.parsing(part_root, node);
        self.outlined(text, slot, key, None, kind, Some(node))
    }

    /// `$<id>:<path>` and the letters that resolve an outlined part first
    /// (`$Q $W $i $h`).
    pub(crate) fn outlined(
        &mut self,
        text: &str,
        slot: Slot,
        key: &str,
        arr: Option<usize>,
        kind: RefKind,
        into: Option<NodeId>,
    ) -> Result<Item> {
        let (head, path) = match text.split_once(':') {
            Some((head, path)) => (head, Path(Some(path))),
            None => (text, Path(None)),
        };
        let Some(id) = parse_hex_id(head) else {
            return Err(Error::reference(CONNECTION_CLOSED));
        };
        self.charge(1 + path.segments().count())?;
        if head.starts_with('F')
            && !self.opts.react.dialect().server_ref_f
            && self.store.string(id).is_none()
            && self.parts.get(id).is_none()
        {
            return Err(old_server_reference(text, id));
        }
        let root = self.part_root(id)?;
        match self.walk(id, root, path)? {
            Walk::Done(target, ref_ctx, local_len) => {
                let item = self.apply(kind, target, key, into)?;
                if kind == RefKind::Model && arr.is_some() {
                    match ref_ctx {
                        Some(c) => {
                            let (count, fork) = (self.ctxs[c].count, self.ctxs[c].fork);
                            if fork {
                                self.ctxs[arr.unwrap_or(0)].fork = true;
                            }
                            self.bump(arr, count)?;
                        }
                        None if local_len > 0 => self.bump(arr, local_len)?,
                        None => {}
                    }
                }
                Ok(item)
            }
            Walk::Blocked => {
                // The path goes into a part still being parsed, past what has
                // been revived so far: resolve it when that part is complete.
                let node = match kind {
                    RefKind::Model => None,
                    RefKind::ServerRef => {
                        Some(self.add(Node::ServerReference(ServerReference { id: "".into(), bound: None }))?)
                    }
                    _ => into,
                };
                if node.is_none() && matches!(slot, Slot::None) {
                    return Err(Error::reference(format!(
                        "Part {id} is referenced before it is complete from a place that cannot wait for it."
                    )));
                }
                match &slot {
                    Slot::Key(h) => self.wait_on(*h, key.into()),
                    Slot::Index(h, i) => self.wait_on(*h, i.to_string().into()),
                    Slot::None => {}
                }
                let path = path.0.map(Str::from);
                self.fixups.push(Fixup { slot, key: key.into(), part: id, path, kind, node });
                Ok(node.map_or(Item::Undefined, Item::Node))
            }
        }
    }

    /// Walk own keys of plain objects and arrays from `root`. Also computes
    /// what React's array budget adds for the target.
    pub(crate) fn walk(&mut self, part: u32, root: Item, path: Path<'_>) -> Result<Walk> {
        let mut cur = root;
        let mut ctx = self.parts.get(part).and_then(|p| p.ctx);
        let mut local_len = 0u64;
        for seg in path.segments() {
            let Item::Node(id) = cur else { return Err(Error::reference(INVALID_REFERENCE)) };
            let next = match self.out.node(id) {
                Node::Object(o) => o.get(seg).cloned(),
                Node::Array(a) => {
                    if seg == "length" {
                        Some(Item::Number(a.len() as f64))
                    } else {
                        array_index(seg).and_then(|i| a.get(i as usize).cloned())
                    }
                }
                _ => return Err(Error::reference(INVALID_REFERENCE)),
            };
            let Some(next) = next else {
                if self.nodes.get(id.index()).is_some_and(|n| n.building) {
                    return Ok(Walk::Blocked);
                }
                return Err(Error::reference(INVALID_REFERENCE));
            };
            if self.pending_slot(id, seg) {
                return Ok(Walk::Blocked);
            }
            local_len = 0;
            match &next {
                Item::Node(n) if matches!(self.out.node(*n), Node::Array(_)) => {
                    ctx = self.nodes.get(n.index()).filter(|n| n.ctx != u32::MAX).map(|n| n.ctx as usize).or(ctx);
                }
                Item::String(s) => {
                    ctx = None;
                    local_len = utf16_len(s) as u64;
                }
                Item::BigInt(b) => {
                    ctx = None;
                    let n: f64 = b.as_str().parse::<f64>().unwrap_or(0.0).abs();
                    local_len = if n == 0.0 { 1 } else { n.log10().floor() as u64 + 1 };
                }
                Item::Node(n) => {
                    ctx = None;
                    if let Node::TypedArray(_, bytes) = self.out.node(*n) {
                        local_len = bytes.len() as u64;
                    }
                }
                _ => ctx = None,
            }
            cur = next;
        }
        Ok(Walk::Done(cur, ctx, local_len))
    }

    /// Whether the slot `seg` of `holder` still waits for a fixup.
    pub(crate) fn pending_slot(&self, holder: NodeId, seg: &str) -> bool {
        self.nodes.get(holder.index()).is_some_and(|n| n.pending > 0) && self.pending.contains(&(holder, seg.into()))
    }

    /// Slot `key` of `holder` waits for a fixup.
    pub(crate) fn wait_on(&mut self, holder: NodeId, key: Str) {
        if self.pending.insert((holder, key)) {
            self.node_info(holder).pending += 1;
        }
    }

    /// Slot `key` of `holder` has its value.
    pub(crate) fn filled(&mut self, holder: NodeId, key: Str) {
        if self.pending.remove(&(holder, key)) {
            self.nodes[holder.index()].pending -= 1;
        }
    }

    /// Server-reference metadata that arrived with React's own cache key,
    /// `$$promise`, set: React takes it for the promise of the reference it
    /// loaded before. A `{"status":"fulfilled","value":v}` object is `v`;
    /// anything else React calls `.then` on, and fails (a promise there
    /// settles into a value React's handler drops: refused here, not
    /// guessed).
    fn cached_server_reference(&mut self, cached: Item) -> Result<Item> {
        let node = match &cached {
            Item::Null => return Err(Error::reference("Cannot read properties of null (reading 'status')")),
            Item::Node(n) => self.out.node(*n),
            _ => return Err(Error::reference(CACHED_NOT_A_PROMISE)),
        };
        match node {
            Node::Object(o) if matches!(o.get("status"), Some(Item::String(s)) if &**s == "fulfilled") => {
                Ok(o.get("value").cloned().unwrap_or(Item::Undefined))
            }
            Node::Promise(_) => Err(Error::unsupported(
                "server reference metadata whose $$promise is a promise: React reads it as null once the promise \
                 settles, losing the value",
            )),
            _ => Err(Error::reference(CACHED_NOT_A_PROMISE)),
        }
    }

    /// Turn a resolved target into what the reference letter asks for.
    pub(crate) fn apply(&mut self, kind: RefKind, target: Item, key: &str, into: Option<NodeId>) -> Result<Item> {
        if kind != RefKind::Model && !self.pending.is_empty() && self.initializer_waits(kind, &target) {
            let into = match (kind, &target, into) {
                (RefKind::ServerRef, _, _) if key == "then" => return Ok(Item::Null),
                (RefKind::ServerRef, Item::Node(meta), _) if self.server_refs.contains_key(meta) => {
                    return Ok(Item::Node(self.server_refs[meta]))
                }
                (RefKind::ServerRef, Item::Node(meta), into) => {
                    // Registered now, so that every reference to this part
                    // shares the one node the deferred initializer fills.
                    let meta = *meta;
                    let f = match into {
                        Some(n) => n,
                        None => self.add(Node::ServerReference(ServerReference { id: "".into(), bound: None }))?,
                    };
                    self.server_refs.insert(meta, f);
                    f
                }
                (_, _, Some(n)) => n,
                (_, _, None) => return Err(Error::reference(INVALID_REFERENCE)),
            };
            self.deferred.push(Deferred { kind, target, key: key.into(), into });
            return Ok(Item::Node(into));
        }
        let node =
            match kind {
                RefKind::Model => {
                    // A function reached by a reference cannot become a `then`.
                    if key == "then" {
                        if let Item::Node(n) = target {
                            if matches!(self.out.node(n), Node::ServerReference(_) | Node::TemporaryReference(_)) {
                                return Ok(Item::Null);
                            }
                        }
                    }
                    return Ok(target);
                }
                RefKind::Map | RefKind::Set | RefKind::Iterator => {
                    let name = match kind {
                        RefKind::Map => "Map",
                        RefKind::Set => "Set",
                        _ => "Iterator",
                    };
                    let items = match target {
                        Item::Node(n) => match self.out.node(n) {
                            Node::Array(a) => {
                                if !self.consumed.insert(n) {
                                    return Err(Error::reference(format!("Already initialized {name}.")));
                                }
                                a.clone()
                            }
                            _ => return Err(Error::reference(format!("Invalid {name} initializer."))),
                        },
                        _ => return Err(Error::reference(format!("Invalid {name} initializer."))),
                    };
                    match kind {
                        RefKind::Map => {
                            let pairs = items.iter().map(|e| self.map_entry(e)).collect::<Result<Vec<_>>>()?;
                            Node::Map(crate::value::map_entries(pairs))
                        }
                        RefKind::Set => Node::Set(crate::value::set_values(items)),
                        _ => Node::Iterator(items),
                    }
                }
                RefKind::ServerRef => {
                    if key == "then" {
                        return Ok(Item::Null);
                    }
                    let Item::Node(meta) = target else { return Ok(Item::Null) };
                    if let Some(&f) = self.server_refs.get(&meta) {
                        return Ok(Item::Node(f));
                    }
                    let Node::Object(o) = self.out.node(meta) else { return Ok(Item::Null) };
                    let Some(Item::String(id)) = o.get("id").cloned() else { return Ok(Item::Null) };
                    if self.opts.react.dialect().server_ref_cache {
                        if let Some(cached) = o.get(SERVER_REF_CACHE).filter(|c| !matches!(c, Item::Undefined)) {
                            return self.cached_server_reference(cached.clone());
                        }
                    }
                    let bound = o.get("bound").cloned();
                    let node = Node::ServerReference(ServerReference { id, bound: None });
                    let f = match into {
                        Some(f) => {
                            *self.out.node_mut(f) = node;
                            f
                        }
                        None => self.add(node)?,
                    };
                    self.server_refs.insert(meta, f);
                    match bound {
                        None | Some(Item::Null | Item::Undefined) => {}
                        Some(Item::Node(p)) if matches!(self.out.node(p), Node::Promise(_)) => {
                            self.bound_pending.push((f, p));
                        }
                        Some(_) => return Err(Error::reference(
                            "Invalid server reference: \"bound\" must be null or a promise of an array of arguments.",
                        )),
                    }
                    return Ok(Item::Node(f));
                }
            };
        match into {
            Some(n) => {
                *self.out.node_mut(n) = node;
                Ok(Item::Node(n))
            }
            None => Ok(Item::Node(self.add(node)?)),
        }
    }

    /// Whether what an initializer reads (an array's items, a Map entry's
    /// key and value, a server reference's `id` and `bound`) still waits for
    /// a fixup.
    pub(crate) fn initializer_waits(&self, kind: RefKind, target: &Item) -> bool {
        let Item::Node(n) = target else { return false };
        match (kind, self.out.node(*n)) {
            (RefKind::ServerRef, Node::Object(_)) => self.pending_slot(*n, "id") || self.pending_slot(*n, "bound"),
            (_, Node::Array(a)) => a.iter().enumerate().any(|(i, e)| {
                self.pending_slot(*n, &i.to_string())
                    || (kind == RefKind::Map
                        && matches!(e, Item::Node(en) if self.pending_slot(*en, "0") || self.pending_slot(*en, "1")))
            }),
            _ => false,
        }
    }

    pub(crate) fn map_entry(&self, e: &Item) -> Result<(Item, Item)> {
        // `new Map(array)` reads e[0] and e[1] of each entry object.
        match e {
            Item::Node(n) => match self.out.node(*n) {
                Node::Array(kv) => {
                    Ok((kv.first().cloned().unwrap_or_default(), kv.get(1).cloned().unwrap_or_default()))
                }
                Node::Object(o) => {
                    Ok((o.get("0").cloned().unwrap_or_default(), o.get("1").cloned().unwrap_or_default()))
                }
                _ => Err(Error::reference("Invalid Map initializer.")),
            },
            _ => Err(Error::reference("Invalid Map initializer.")),
        }
    }

    pub(crate) fn run_fixups(&mut self, part: u32) -> Result<()> {
        if self.fixups.iter().all(|f| f.part != part) {
            return Ok(());
        }
        let (mut mine, rest): (Vec<Fixup>, Vec<Fixup>) =
            std::mem::take(&mut self.fixups).into_iter().partition(|f| f.part == part);
        self.fixups = rest;
        // A fixup's path may go through a slot another fixup fills: retry
        // the blocked ones while a round makes progress.
        while !mine.is_empty() {
            let before = mine.len();
            for f in std::mem::take(&mut mine) {
                let root = self.part_root(f.part)?;
                match self.walk(f.part, root, Path(f.path.as_deref()))? {
                    Walk::Done(target, _, _) => self.fill(f, target)?,
                    Walk::Blocked => mine.push(f),
                }
            }
            if mine.len() == before {
                return Err(Error::reference(INVALID_REFERENCE));
            }
        }
        self.run_deferred()
    }

    /// Apply the deferred initializers whose slots are all filled now.
    pub(crate) fn run_deferred(&mut self) -> Result<()> {
        while !self.deferred.is_empty() {
            let before = self.deferred.len();
            for d in std::mem::take(&mut self.deferred) {
                if self.initializer_waits(d.kind, &d.target) {
                    self.deferred.push(d);
                } else {
                    if let (RefKind::ServerRef, Item::Node(meta)) = (d.kind, &d.target) {
                        self.server_refs.remove(meta);
                    }
                    self.apply(d.kind, d.target, &d.key, Some(d.into))?;
                }
            }
            if self.deferred.len() == before {
                break;
            }
        }
        Ok(())
    }

    /// Put a fixup's resolved value into the slot that waited for it.
    pub(crate) fn fill(&mut self, f: Fixup, target: Item) -> Result<()> {
        let item = self.apply(f.kind, target, &f.key, f.node)?;
        match f.slot {
            Slot::Key(h) => {
                self.filled(h, f.key.clone());
                if let Node::Object(o) = self.out.node_mut(h) {
                    o.insert(f.key, item);
                }
            }
            Slot::Index(h, i) => {
                self.filled(h, i.to_string().into());
                if let Node::Array(a) = self.out.node_mut(h) {
                    if let Some(s) = a.get_mut(i) {
                        *s = item;
                    }
                }
            }
            Slot::None => {}
        }
        Ok(())
    }
}
