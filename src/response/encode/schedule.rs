//! Scheduling: React's tasks and JavaScript's microtask queue, replayed.
//! A task is a row to render; jobs are what the queue runs (promise
//! reactions, stream reads, Blob reads), each after the number of queue
//! turns measured on Node; flushes write the rows in React's order
//! (imports, hints, regular rows, errors).

use super::*;

impl<'v> Enc<'v> {
    pub(super) fn new(v: &'v Value, opts: &'v Encoder, sh: Shared) -> Self {
        Enc {
            v,
            opts,
            sh,
            tasks: Vec::new(),
            cur: (0, FormatContext::ROOT),
            pinged: Vec::new(),
            micro: VecDeque::new(),
            macros: VecDeque::new(),
            promises: HashMap::new(),
            opening: true,
            destination: false,
            flush_scheduled: false,
            written: Refs::new(v.len()),
            server_refs: HashMap::new(),
            streams: HashSet::new(),
            iterated: HashSet::new(),
            open_streams: Vec::new(),
            model_root: None,
            size: 0,
            depth: 0,
            bufs: Vec::new(),
            counting: v.nodes().iter().any(|n| matches!(n, Node::Element { .. })),
        }
    }

    /// The rows of the version being written (`run` checked there are).
    pub(super) fn rows(&self) -> ResponseRows {
        self.opts.react.dialect().response.unwrap_or(ResponseRows::V19_3)
    }

    pub(super) fn alloc(&mut self) -> u32 {
        let id = self.sh.next_id;
        self.sh.next_id += 1;
        id
    }

    /// React's `createTask`: a new id; an object model is registered under
    /// it.
    pub(super) fn create_task(&mut self, model: Option<Model>, ctx: FormatContext) -> usize {
        let id = self.alloc();
        if let Some(Model::Item(Item::Node(n))) = &model {
            if !is_function(self.v.node(*n)) {
                let r = self.written.text(Ref::Model.text(id));
                self.written.set(*n, r);
            }
        }
        self.tasks.push(Task { id, model, ctx, done: false });
        self.tasks.len() - 1
    }

    pub(super) fn run(&mut self) -> Result<()> {
        if self.opts.react.dialect().response.is_none() {
            return Err(Error::unsupported(format!(
                "writing responses as {} writes them is not supported: its rows have not been checked on every \
                 vector case (supported: every stable 19.x release, next@15.5.29, next@16.5.0, canaries from 20260918; \
                 spec/versions.md)",
                self.opts.react
            )));
        }
        for (code, model) in &self.opts.hints {
            tag::push_hint_row(&mut self.sh.hints, *code, model);
        }
        let root = self.create_task(Some(Model::Item(self.v.root().clone())), FormatContext::ROOT);
        self.pinged.push(root);
        self.prologue();
        // renderToReadableStream: startWork queues performWork, the stream's
        // start queues the first pull, and a setImmediate ends the opening.
        self.micro.push_back(Job::PerformWork);
        self.micro.push_back(Job::Pull);
        self.macros.push_back(Macro::Open);
        self.run_loop()
    }

    /// Run the event loop until nothing is left to do.
    pub(super) fn run_loop(&mut self) -> Result<()> {
        loop {
            while let Some(job) = self.micro.pop_front() {
                self.run_job(job)?;
            }
            match self.macros.pop_front() {
                Some(Macro::Open) => self.opening = false,
                Some(Macro::Flush) => {
                    self.flush_scheduled = false;
                    self.flush();
                }
                Some(Macro::PerformWork) => self.perform_work()?,
                None => break,
            }
        }
        self.flush();
        Ok(())
    }

    /// Settle the promises as the harness does once the value is built: in
    /// build order (depth first, a promise after its value). A promise
    /// resolved with a promise adopts its state through a queued job.
    pub(super) fn prologue(&mut self) {
        enum Frame {
            Visit(NodeId),
            Settle(NodeId),
        }
        let v: &'v Value = self.v;
        let mut seen = vec![false; v.len()];
        let mut stack: Vec<Frame> = Vec::new();
        if let Item::Node(n) = v.root() {
            stack.push(Frame::Visit(*n));
        }
        // Only nodes are visited; one buffer serves every node's children.
        let mut children: Vec<NodeId> = Vec::new();
        while let Some(f) = stack.pop() {
            let n = match f {
                Frame::Settle(p) => {
                    self.settle_initial(p);
                    continue;
                }
                Frame::Visit(n) => n,
            };
            if std::mem::replace(&mut seen[n.index()], true) {
                continue;
            }
            children.clear();
            let mut add = |items: &mut dyn Iterator<Item = &Item>| {
                children.extend(items.filter_map(|i| if let Item::Node(c) = i { Some(*c) } else { None }));
            };
            match v.node(n) {
                Node::Object(o) => add(&mut js_entries(o).map(|(_, v)| v)),
                Node::Array(items) | Node::Set(items) | Node::Iterator(items) => add(&mut items.iter()),
                Node::Map(pairs) => add(&mut pairs.iter().flat_map(|(k, v)| [k, v])),
                Node::FormData(entries) => add(&mut entries.iter().map(|(_, v)| v)),
                Node::Instance { entries, .. } => add(&mut entries.iter().map(|(_, v)| v)),
                Node::Promise(Promise::Fulfilled(x) | Promise::Rejected(x)) => {
                    stack.push(Frame::Settle(n));
                    add(&mut std::iter::once(x));
                }
                Node::Promise(Promise::Pending) => stack.push(Frame::Settle(n)),
                Node::Stream(s) => {
                    add(&mut s.values.iter());
                    match &s.end {
                        StreamEnd::Return(x) | StreamEnd::Error(x) => add(&mut std::iter::once(x)),
                        StreamEnd::Open => {}
                    }
                }
                Node::ServerReference(r) => add(&mut r.bound.iter().flatten()),
                Node::Element { ty, props, .. } => add(&mut [props, ty].into_iter()),
                _ => {}
            }
            stack.extend(children.iter().rev().map(|&c| Frame::Visit(c)));
        }
    }

    pub(super) fn settle_initial(&mut self, p: NodeId) {
        let Node::Promise(state) = self.v.node(p) else { return };
        let js = match state {
            Promise::Pending => JsPromise::Pending(Vec::new()),
            Promise::Rejected(r) => JsPromise::Settled(Outcome::Rejected(Reason::Item(r.clone()))),
            Promise::Fulfilled(Item::Node(q)) if *q == p => {
                JsPromise::Settled(Outcome::Rejected(Reason::Message(CHAINING_CYCLE)))
            }
            Promise::Fulfilled(Item::Node(q)) if matches!(self.v.node(*q), Node::Promise(_)) => {
                self.micro.push_back(Job::ResolveThenable { target: p, source: *q });
                JsPromise::Pending(Vec::new())
            }
            Promise::Fulfilled(x) => JsPromise::Settled(Outcome::Fulfilled(Model::Item(x.clone()))),
        };
        self.promises.insert(p, js);
    }

    /// `promise.then(...)`: queued at once when it has settled.
    pub(super) fn then(&mut self, p: NodeId, then: Then) {
        if !self.promises.contains_key(&p) {
            self.settle_initial(p);
        }
        match self.promises.get_mut(&p) {
            Some(JsPromise::Settled(o)) => {
                let o = o.clone();
                self.micro.push_back(Job::Reaction(o, then));
            }
            Some(JsPromise::Pending(list)) => list.push(then),
            None => {}
        }
    }

    pub(super) fn run_job(&mut self, job: Job) -> Result<()> {
        match job {
            Job::PerformWork => self.perform_work()?,
            Job::Pull => {
                self.destination = true;
                self.flush();
            }
            Job::ResolveThenable { target, source } => self.then(source, Then::Adopt(target)),
            Job::Reaction(outcome, then) => match then {
                Then::Status => {}
                Then::Adopt(target) => {
                    let old = self.promises.insert(target, JsPromise::Settled(outcome.clone()));
                    if let Some(JsPromise::Pending(list)) = old {
                        for t in list {
                            self.micro.push_back(Job::Reaction(outcome.clone(), t));
                        }
                    }
                }
                Then::Ping(t) => {
                    if !self.tasks[t].done {
                        match outcome {
                            Outcome::Fulfilled(m) => {
                                self.tasks[t].model = Some(m);
                                self.ping(t);
                            }
                            Outcome::Rejected(r) => {
                                self.errored_task(t, &r);
                                self.enqueue_flush();
                            }
                        }
                    }
                }
            },
            Job::Hop(n, step) if n > 1 => self.micro.push_back(Job::Hop(n - 1, step)),
            Job::Hop(_, step) => self.step(step)?,
        }
        Ok(())
    }

    pub(super) fn ping(&mut self, t: usize) {
        self.pinged.push(t);
        if self.pinged.len() == 1 {
            self.flush_scheduled = self.destination;
            if self.opening {
                self.micro.push_back(Job::PerformWork);
            } else {
                self.macros.push_back(Macro::PerformWork);
            }
        }
    }

    pub(super) fn enqueue_flush(&mut self) {
        if !self.flush_scheduled && self.pinged.is_empty() && self.destination {
            self.flush_scheduled = true;
            self.macros.push_back(Macro::Flush);
        }
    }

    pub(super) fn flush(&mut self) {
        if !self.destination {
            return;
        }
        for q in [&mut self.sh.imports, &mut self.sh.hints, &mut self.sh.regular, &mut self.sh.errors] {
            // Usually one queue holds everything: hand it over, not a copy.
            if self.sh.out.is_empty() {
                std::mem::swap(&mut self.sh.out, q);
            } else {
                self.sh.out.append(q);
            }
        }
        self.flush_scheduled = false;
    }

    pub(super) fn perform_work(&mut self) -> Result<()> {
        let pinged = std::mem::take(&mut self.pinged);
        for t in pinged {
            self.retry_task(t)?;
        }
        self.flush();
        Ok(())
    }

    pub(super) fn push_row(&mut self, id: u32, json: &str) {
        let out = &mut self.sh.regular;
        // The id, the colon, the JSON and the newline in one growth at most.
        out.reserve(json.len() + 10);
        out.extend_from_slice(Hex::new(id).as_str().as_bytes());
        out.push(b':');
        out.extend_from_slice(json.as_bytes());
        out.push(b'\n');
    }

    /// A row that is only its tag (`<id>:C`, `<id>:R`...).
    pub(super) fn push_tag_row(&mut self, id: u32, tag: u8) {
        let out = &mut self.sh.regular;
        out.extend_from_slice(Hex::new(id).as_str().as_bytes());
        out.push(b':');
        out.push(tag);
        out.push(b'\n');
    }

    pub(super) fn push_binary(&mut self, id: u32, tag: u8, bytes: &[u8]) {
        let out = &mut self.sh.regular;
        out.extend_from_slice(Hex::new(id).as_str().as_bytes());
        out.push(b':');
        out.push(tag);
        out.extend_from_slice(Hex::new(bytes.len() as u32).as_str().as_bytes());
        out.push(b',');
        out.extend_from_slice(bytes);
    }

    pub(super) fn push_text(&mut self, id: u32, s: &str) {
        self.push_binary(id, tag::row::TEXT, s.as_bytes());
    }

    pub(super) fn digest(&self, message: String, reason: Option<&Item>) -> String {
        let info = ErrorInfo { message, reason, value: self.v };
        match &self.opts.digest {
            Some(f) => f(&info),
            None => match reason.and_then(|r| self.v.resolve(r)) {
                Some(Node::Error { digest: Some(d), .. }) => d.to_string(),
                _ => String::new(),
            },
        }
    }

    pub(super) fn push_error(&mut self, id: u32, message: String, reason: Option<&Item>) {
        let digest = self.digest(message, reason);
        let mut row = String::new();
        super::tag::write_error_row(&mut row, id, &digest);
        self.sh.errors.extend_from_slice(row.as_bytes());
    }

    pub(super) fn errored_task(&mut self, t: usize, reason: &Reason) {
        self.tasks[t].done = true;
        let id = self.tasks[t].id;
        match reason {
            Reason::Item(r) => {
                let message = self.describe(r);
                self.push_error(id, message, Some(r));
            }
            Reason::Message(m) => self.push_error(id, (*m).to_owned(), None),
        }
    }

    /// A value React cannot send where React catches it: an error row of its
    /// own (or, when refusing, an error).
    pub(super) fn refused(&mut self, r: Refusal) -> Result<u32> {
        if !self.opts.error_rows {
            return Err(Error::unsupported(r.message));
        }
        let id = self.alloc();
        self.push_error(id, r.message, None);
        Ok(id)
    }

    /// What `onError` is told of a reason: an `Error`'s message, else
    /// JavaScript's `String(reason)`.
    pub(super) fn describe(&self, reason: &Item) -> String {
        match reason {
            Item::Node(n) => match self.v.node(*n) {
                Node::Error { message, .. } => message.to_string(),
                _ => crate::value::convert::to_string(self.v, reason),
            },
            _ => crate::value::convert::to_string(self.v, reason),
        }
    }

    // --- tasks ------------------------------------------------------------------

    /// React's `retryTask`: render the task's model as its row.
    pub(super) fn retry_task(&mut self, t: usize) -> Result<()> {
        if self.tasks[t].done {
            return Ok(());
        }
        let Some(model) = self.tasks[t].model.take() else { return Ok(()) };
        let saved = (self.size, self.cur);
        self.cur = (self.tasks[t].id, self.tasks[t].ctx);
        let id = self.cur.0;
        // A buffer kept from an earlier task (rendering may start another
        // task, so one per level): most rows then render with no growth.
        let mut out = self.bufs.pop().unwrap_or_else(|| String::with_capacity(256));
        out.clear();
        let result = match &model {
            Model::Item(item) => {
                self.model_root = match item {
                    Item::Node(n) => Some(*n),
                    _ => None,
                };
                self.render(&mut out, Slot::root(), item)
            }
            Model::Blob(n) => {
                let Node::Blob(b) = self.v.node(*n) else { unreachable!("a Blob task") };
                let holder = self.written.text(Ref::Model.text(id));
                out.push('[');
                self.resolve(&mut out, Slot::child(Some(holder), Key::Index(0)), &Item::String(b.mime.clone()))?;
                if !b.bytes.is_empty() {
                    out.push(',');
                    self.size += 1;
                    let bid = self.alloc();
                    self.push_binary(
                        bid,
                        crate::wire::tags::typed_array_letter(crate::value::TypedArrayKind::Uint8),
                        &b.bytes,
                    );
                    Ref::Model.write(&mut out, bid);
                }
                out.push(']');
                Ok(None)
            }
            Model::Bound(n) => {
                let Node::ServerReference(r) = self.v.node(*n) else { unreachable!("a server reference") };
                let holder = self.written.text(Ref::Model.text(id));
                self.model_root = None;
                self.write_items(&mut out, Some(holder), r.bound.as_deref().unwrap_or_default())?;
                Ok(None)
            }
        };
        self.model_root = None;
        let result = match result {
            Ok(None) => {
                self.push_row(id, &out);
                self.tasks[t].done = true;
                Ok(None)
            }
            other => other,
        };
        self.bufs.push(out);
        match result {
            Ok(None) => {}
            Ok(Some(r)) => {
                if !self.opts.error_rows {
                    return Err(Error::unsupported(r.message));
                }
                self.tasks[t].done = true;
                self.push_error(id, r.message, None);
            }
            Err(e) => return Err(e),
        }
        (self.size, self.cur) = saved;
        Ok(())
    }

    /// React's `outlineModelWithFormatContext`: a task rendered at once.
    pub(super) fn outline(&mut self, item: &Item, ctx: FormatContext) -> Result<u32> {
        let t = self.create_task(Some(Model::Item(item.clone())), ctx);
        self.retry_task(t)?;
        Ok(self.tasks[t].id)
    }

    /// An outlined array React builds on the fly (`Array.from(map)`...).
    pub(super) fn outline_fresh(
        &mut self,
        write: impl FnOnce(&mut Self, &mut String, RefId) -> Result<()>,
    ) -> Result<u32> {
        let id = self.alloc();
        let saved = (self.size, self.cur);
        self.cur = (id, FormatContext::ROOT);
        self.model_root = None;
        let mut out = String::new();
        let holder = self.written.text(Ref::Model.text(id));
        write(self, &mut out, holder)?;
        self.push_row(id, &out);
        (self.size, self.cur) = saved;
        Ok(id)
    }

    pub(super) fn step(&mut self, step: Step) -> Result<()> {
        match step {
            Step::BlobRead { task } => {
                if !self.tasks[task].done {
                    self.ping(task);
                }
            }
            Step::Readable { task, node, pos } | Step::Iterable { task, node, pos } => {
                if self.tasks[task].done {
                    return Ok(());
                }
                let Node::Stream(s) = self.v.node(node) else { unreachable!("a stream task") };
                let id = self.tasks[task].id;
                let iterable = s.kind != StreamKind::Readable;
                if let Some(chunk) = s.values.get(pos) {
                    self.stream_chunk(task, chunk)?;
                    self.enqueue_flush();
                    let next = if iterable {
                        Job::Hop(iterator_turns(s, pos + 1), Step::Iterable { task, node, pos: pos + 1 })
                    } else {
                        Job::Hop(1, Step::Readable { task, node, pos: pos + 1 })
                    };
                    self.micro.push_back(next);
                    return Ok(());
                }
                match &s.end {
                    StreamEnd::Return(r) if iterable && *r != Item::Undefined => {
                        self.tasks[task].done = true;
                        let cid = self.outline(r, FormatContext::ROOT)?;
                        let mut row = String::from("C");
                        Ref::Model.write(&mut row, cid);
                        self.push_row(id, &row);
                    }
                    StreamEnd::Return(_) => {
                        self.tasks[task].done = true;
                        self.push_tag_row(id, tag::row::CLOSE);
                    }
                    StreamEnd::Error(r) => self.errored_task(task, &Reason::Item(r.clone())),
                    // More may come: the task stays open (the async encoder
                    // reads on when its source gives the next entry).
                    StreamEnd::Open => {
                        self.open_streams.push((node, task));
                        return Ok(());
                    }
                }
                self.enqueue_flush();
            }
            Step::Bytes { task, node, pos } => {
                if self.tasks[task].done {
                    return Ok(());
                }
                let Node::ByteStream(bytes) = self.v.node(node) else { unreachable!("a byte stream task") };
                let id = self.tasks[task].id;
                if pos == 0 && !bytes.is_empty() {
                    // 19.2 sends a byte stream's chunks as Uint8Array rows.
                    let tag = if self.rows() != ResponseRows::V19_3 { tag::uint8_row() } else { tag::row::BYTES };
                    self.push_binary(id, tag, bytes);
                    self.micro.push_back(Job::Hop(1, Step::Bytes { task, node, pos: 1 }));
                } else {
                    self.tasks[task].done = true;
                    self.push_tag_row(id, tag::row::CLOSE);
                }
                self.enqueue_flush();
            }
        }
        Ok(())
    }

    /// React's `tryStreamTask`: one entry of a stream, as a row with the
    /// stream's id (strings always as `T` rows, binary as binary rows).
    pub(super) fn stream_chunk(&mut self, task: usize, chunk: &Item) -> Result<()> {
        let saved = (self.size, self.cur);
        self.cur = (self.tasks[task].id, self.tasks[task].ctx);
        let id = self.cur.0;
        match chunk {
            Item::String(s) => self.push_text(id, s),
            Item::Node(n) if tag::binary_row_of(self.v.node(*n)).is_some() => {
                let (tag, bytes) = tag::binary_row_of(self.v.node(*n)).expect("checked");
                self.push_binary(id, tag, bytes);
            }
            _ => {
                let mut out = String::new();
                self.resolve(&mut out, Slot::child(None, Key::Name("")), chunk)?;
                self.push_row(id, &out);
            }
        }
        (self.size, self.cur) = saved;
        Ok(())
    }
}

/// Queue turns until an async generator's step `pos` settles: a `yield` or a
/// `return` awaits its operand first (2 turns), a `throw` does not (1).
pub(super) fn iterator_turns(s: &crate::value::Stream, pos: usize) -> u32 {
    if pos >= s.values.len() && matches!(s.end, StreamEnd::Error(_)) {
        1
    } else {
        2
    }
}
