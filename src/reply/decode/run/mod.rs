//! One decode: the arena being built, each part's state, React's array
//! budget, and the references that wait for a part still being parsed.
//! Reviving is in `revive.rs`, references and their fix-ups in `refs.rs`,
//! the built-ins made from parts in `builtins.rs`, and the checks after the
//! root in `finish.rs`.

use super::*;

mod builtins;
mod finish;
mod refs;
mod revive;

pub(crate) use builtins::file_node;

/// What a part id has been used for: React keeps all of these in one table,
/// and a second, different use of an id is an error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Use {
    /// A model part: `$<id>`, `$@<id>`, `$Q<id>`... (state in `parts`).
    Model,
    TypedArray,
    Stream,
}

/// The path of a reference: the text after its part id's `:`, whose
/// segments are split as they are walked (most references are resolved at
/// once, and need no list of them).
#[derive(Clone, Copy)]
pub(super) struct Path<'a>(pub(super) Option<&'a str>);

impl<'a> Path<'a> {
    fn segments(self) -> impl Iterator<Item = &'a str> {
        self.0.into_iter().flat_map(|p| p.split(':'))
    }
}

/// What is known of a part id; React keeps one table of chunks by id.
#[derive(Default)]
pub(super) struct Part {
    pub(super) state: Option<PartState>,
    pub(super) used: Option<Use>,
    /// The array budget context of a model part.
    pub(super) ctx: Option<usize>,
}

/// What is known of a node while reviving, in a table indexed by node
/// (every container has an entry, so indexing, not hashing).
#[derive(Debug, Clone, Copy)]
pub(super) struct NodeInfo {
    /// The array budget context an array opened (`u32::MAX` for none).
    pub(super) ctx: u32,
    /// How many of its slots are in `Run::pending`, so that a path step
    /// through a node without any is answered without hashing.
    pub(super) pending: u32,
    /// Whether its members are being revived.
    pub(super) building: bool,
}

impl NodeInfo {
    const NEW: NodeInfo = NodeInfo { ctx: u32::MAX, pending: 0, building: false };
}

#[derive(Debug, Clone)]
pub(super) enum PartState {
    /// Being parsed; the root node if the part's root is an object or array.
    Parsing(Option<NodeId>),
    Done(Item),
}

/// React's array-nesting budget context.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct ArrayCtx {
    pub(super) count: u64,
    pub(super) fork: bool,
}

/// Where a revived value goes, for references that must wait until the part
/// they point into is complete.
#[derive(Debug, Clone)]
pub(super) enum Slot {
    Index(NodeId, usize),
    /// A member of an object; its key is the place's (or the fixup's) key.
    Key(NodeId),
    None,
}

/// Where a value being revived stands: its slot (for references that must
/// wait), its property name, its position path (kept only for temporary
/// references), the array-budget context it counts against, and the part
/// whose root it is.
pub(super) struct Place<'k> {
    pub(super) slot: Slot,
    pub(super) key: &'k str,
    pub(super) reference: Option<String>,
    pub(super) arr: Option<usize>,
    pub(super) part_root: Option<u32>,
}

impl<'k> Place<'k> {
    /// The root of a part (`id`) or of a stream chunk (`None`).
    fn root(id: Option<u32>, reference: Option<String>, arr: usize) -> Self {
        Place { slot: Slot::None, key: "", reference, arr: Some(arr), part_root: id }
    }
}

/// What a resolved outlined reference becomes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum RefKind {
    Model,
    Map,
    Set,
    Iterator,
    ServerRef,
}

pub(super) struct Fixup {
    pub(super) slot: Slot,
    pub(super) key: Str,
    pub(super) part: u32,
    /// The text after the part id's `:`, if any.
    pub(super) path: Option<Str>,
    pub(super) kind: RefKind,
    /// For Map/Set/Iterator/server references: the placeholder node.
    pub(super) node: Option<NodeId>,
}

pub(super) enum Later {
    Promise(NodeId, u32),
    Stream { node: NodeId, id: u32, kind: StreamKind, bytes: bool },
}

pub(super) struct Deferred {
    pub(super) kind: RefKind,
    pub(super) target: Item,
    pub(super) key: Str,
    pub(super) into: NodeId,
}

pub(super) struct Run<'d, 'f> {
    pub(super) opts: &'d Decoder,
    pub(super) store: Store<'f>,
    pub(super) out: Value,
    pub(super) parts: IdMap<Part>,
    pub(super) ctxs: FirstInline<ArrayCtx>,
    pub(super) nodes: Vec<NodeInfo>,
    pub(super) consumed: HashSet<NodeId>,
    pub(super) promises: IdMap<NodeId>,
    /// Promises and streams, read after the root in the order they were
    /// first referenced (as a server awaiting them would): their parts may
    /// refer to parts that are still being parsed when they are met.
    pub(super) later: Vec<Later>,
    pub(super) blob_nodes: IdMap<NodeId>,
    pub(super) form_used: IdMap<()>,
    pub(super) server_refs: HashMap<NodeId, NodeId>,
    pub(super) bound_pending: Vec<(NodeId, NodeId)>,
    pub(super) fixups: Vec<Fixup>,
    /// Slots that wait for a fixup, as (holder, key).
    pub(super) pending: HashSet<(NodeId, Str)>,
    /// Initializers (Map, Set, iterator, server reference) whose array or
    /// object still has slots waiting for a fixup: applied once they are
    /// filled, as React waits for a blocked chunk before `new Map(...)`.
    pub(super) deferred: Vec<Deferred>,
    pub(super) depth: usize,
    pub(super) work: usize,
    /// JSON parts are read in one pass where they can be
    /// (`Run::straight_part`); off where that was tried already (a text
    /// body), and to test that way against the documents'.
    pub(super) one_pass: bool,
}

impl<'d, 'f> Run<'d, 'f> {
    pub(crate) fn new(opts: &'d Decoder, store: Store<'f>) -> Self {
        Run {
            opts,
            store,
            out: Value::new(),
            parts: IdMap::new(),
            ctxs: FirstInline::new(),
            nodes: Vec::new(),
            consumed: HashSet::new(),
            promises: IdMap::new(),
            later: Vec::new(),
            blob_nodes: IdMap::new(),
            form_used: IdMap::new(),
            server_refs: HashMap::new(),
            bound_pending: Vec::new(),
            fixups: Vec::new(),
            pending: HashSet::new(),
            deferred: Vec::new(),
            depth: 0,
            work: 0,
            one_pass: true,
        }
    }

    pub(crate) fn limits(&self) -> &Limits {
        &self.opts.limits
    }

    pub(crate) fn charge(&mut self, n: usize) -> Result<()> {
        self.work += n;
        if self.work > self.limits().max_values {
            return Err(Error::limit(
                "max_values",
                format!("more than {} values and reference steps", self.limits().max_values),
            ));
        }
        Ok(())
    }

    pub(crate) fn add(&mut self, node: Node) -> Result<NodeId> {
        self.charge(1)?;
        Ok(self.out.add(node))
    }

    pub(crate) fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > self.limits().max_depth {
            return Err(Error::limit("max_depth", format!("values nested deeper than {}", self.limits().max_depth)));
        }
        Ok(())
    }

    pub(crate) fn bump(&mut self, ctx: Option<usize>, n: u64) -> Result<()> {
        if let Some(c) = ctx {
            let limit = self.limits().array_size_limit;
            let c = &mut self.ctxs[c];
            c.count += n;
            if c.count > limit && c.fork {
                return Err(Error::limit_react("array_size_limit", ARRAY_NESTING));
            }
        }
        Ok(())
    }

    pub(crate) fn new_ctx(&mut self) -> usize {
        self.ctxs.push(ArrayCtx::default())
    }

    // -- parts --------------------------------------------------------------

    /// Parse part `id` if needed and give its root item (or its root node
    /// while it is still being parsed).
    pub(crate) fn part_root(&mut self, id: u32) -> Result<Item> {
        let part = self.parts.get(id);
        match part.and_then(|p| p.state.as_ref()) {
            Some(PartState::Done(item)) => return Ok(item.clone()),
            Some(PartState::Parsing(Some(node))) => return Ok(Item::Node(*node)),
            Some(PartState::Parsing(None)) => {
                return Err(Error::reference(format!("Part {id} refers to itself before it has a value.")))
            }
            None => {}
        }
        match part.and_then(|p| p.used) {
            Some(Use::Stream) => return Err(Error::reference(STREAM_CHUNK)),
            Some(Use::TypedArray) => return Err(Error::reference("Already initialized typed array.")),
            _ => {}
        }
        let Some(text) = self.store.string(id) else {
            return Err(Error::reference(CONNECTION_CLOSED).in_part(|| format!("{}{id}", self.opts.prefix)));
        };
        self.part(id).used = Some(Use::Model);
        let prefix = &self.opts.prefix;
        let item = self.parse_part(id, text).map_err(|e| e.in_part(|| format!("{prefix}{id}")))?;
        self.run_fixups(id)?;
        Ok(item)
    }

    /// Parse a part's or a stream chunk's JSON.
    ///
    /// Nothing is reserved from the document's size: reserving the nodes
    /// (or the parser's vectors) up front was measured to make glibc return
    /// the freed top of its heap after each large decode and fault it back
    /// in on the next (35 times the page faults, 40% slower on table-1mb).
    pub(crate) fn parse(&self, text: &str) -> Result<(Doc, Raw)> {
        json::parse_doc(text, self.limits().max_depth, self.limits().max_string_bytes)
    }

    pub(crate) fn parse_part(&mut self, id: u32, text: &str) -> Result<Item> {
        self.enter()?;
        if let Some(item) = self.straight_part(id, text) {
            self.depth -= 1;
            return Ok(item);
        }
        let (mut doc, json) = self.parse(text)?;
        let ctx = self.new_ctx();
        let part = self.part(id);
        part.ctx = Some(ctx);
        part.state = Some(PartState::Parsing(None));
        let reference = self.opts.temporary_references.then(|| format!("{id:x}"));
        let item = self.revive(&mut doc, json, Place::root(Some(id), reference, ctx))?;
        self.part(id).state = Some(PartState::Done(item.clone()));
        self.depth -= 1;
        Ok(item)
    }

    /// A part read in one pass (`straight/`): its value built into `out`
    /// with no parsed document, where the part refers to no other part
    /// and holds nothing JavaScript's object model would change, with
    /// React's array budget counted as [`Run::revive`] counts it (the
    /// part's context, and one for each array that is not another array's
    /// element), so that a reference to the part later counts the same.
    /// `None` leaves it to the document, with everything as it was. The
    /// part gets what the decode has left of `max_values` and `max_depth`,
    /// and is charged for its nodes as `add` charges.
    fn straight_part(&mut self, id: u32, text: &str) -> Option<Item> {
        if !self.one_pass {
            return None;
        }
        let left = self.limits().left(self.work, self.depth);
        let (ctxs_before, nodes_before) = (self.ctxs.len(), self.out.len());
        let ctx = self.new_ctx();
        let budget = Budget { ctxs: &mut self.ctxs, nodes: &mut self.nodes };
        let dialect = self.opts.react.dialect();
        let item = crate::straight::value::part(text, &mut self.out, &left, dialect, budget, ctx);
        // React's error is the document's to raise: a context the part
        // took past the limit, once it forks (every fork comes with a
        // count, so the counts at the end say what React's checks said).
        let limit = self.limits().array_size_limit;
        let over = (ctxs_before..self.ctxs.len()).any(|c| self.ctxs[c].fork && self.ctxs[c].count > limit);
        match item {
            Some(item) if !over => {
                self.work += self.out.len() - nodes_before;
                let part = self.part(id);
                part.ctx = Some(ctx);
                part.state = Some(PartState::Done(item.clone()));
                Some(item)
            }
            _ => {
                self.out.truncate(nodes_before);
                self.ctxs.truncate(ctxs_before);
                self.nodes.truncate(nodes_before);
                None
            }
        }
    }

    /// The entry of part `id`, made empty if there is none.
    pub(crate) fn part(&mut self, id: u32) -> &mut Part {
        self.parts.get_or_insert_with(id, Part::default)
    }

    /// Mark part `id` as being parsed, with `node` as its root.
    pub(crate) fn parsing(&mut self, id: Option<u32>, node: NodeId) {
        if let Some(p) = id {
            self.part(p).state = Some(PartState::Parsing(Some(node)));
        }
    }
}

/// The decode's array budget, as a part built straight counts in it.
struct Budget<'r> {
    ctxs: &'r mut FirstInline<ArrayCtx>,
    nodes: &'r mut Vec<NodeInfo>,
}

impl crate::straight::value::ArrayBudget for Budget<'_> {
    fn open(&mut self, array: NodeId) -> usize {
        let c = self.ctxs.push(ArrayCtx::default());
        per_node(self.nodes, array, NodeInfo::NEW).ctx = c as u32;
        c
    }

    fn count(&mut self, ctx: usize, n: u64, fork: bool) {
        let c = &mut self.ctxs[ctx];
        c.count += n;
        c.fork |= fork;
    }
}

pub(super) enum Walk {
    Done(Item, Option<usize>, u64),
    Blocked,
}
