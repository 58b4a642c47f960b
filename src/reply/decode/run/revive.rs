//! Reviving: a part's parsed JSON into the arena, every `$` string through
//! `reply/tag.rs`, counted against React's array budget as React counts.

use super::*;

impl<'d, 'f> Run<'d, 'f> {
    pub(crate) fn node_info(&mut self, id: NodeId) -> &mut NodeInfo {
        per_node(&mut self.nodes, id, NodeInfo::NEW)
    }

    pub(crate) fn building(&mut self, id: NodeId, on: bool) {
        self.node_info(id).building = on;
    }

    /// Revive a parsed value, moving its strings out of the document (each
    /// part is revived once, so the document is not needed afterwards).
    pub(crate) fn revive(&mut self, doc: &mut Doc, json: Raw, place: Place<'_>) -> Result<Item> {
        // Only containers and `$` strings (which may revive other parts)
        // recurse; plain scalars skip the stack check.
        match json {
            Raw::Array(..) | Raw::Object(..) => crate::stack::deep(|| self.revive_inner(doc, json, place)),
            Raw::String(ref s) if tag::is_tagged(s) => crate::stack::deep(|| self.revive_inner(doc, json, place)),
            _ => self.revive_inner(doc, json, place),
        }
    }

    /// A value that revives as itself (null, a boolean, a number, a string
    /// not starting with `$`: most values), `Err` with the value for the
    /// others. The container loops call this first, so that a plain value
    /// costs no [`Place`] and no stack check.
    pub(crate) fn plain(&mut self, json: Raw, arr: Option<usize>) -> Result<std::result::Result<Item, Raw>> {
        Ok(Ok(match json {
            Raw::Null => Item::Null,
            Raw::Bool(b) => Item::Bool(b),
            Raw::Number(n) => Item::Number(n),
            Raw::String(s) if !tag::is_tagged(&s) => {
                self.bump(arr, utf16_len(&s) as u64)?;
                Item::String(s)
            }
            json => return Ok(Err(json)),
        }))
    }

    pub(crate) fn revive_inner(&mut self, doc: &mut Doc, json: Raw, place: Place<'_>) -> Result<Item> {
        let json = match self.plain(json, place.arr)? {
            Ok(item) => return Ok(item),
            Err(json) => json,
        };
        let Place { reference, arr, part_root, .. } = &place;
        let (reference, arr, part_root) = (reference.clone(), *arr, *part_root);
        match json {
            Raw::Null | Raw::Bool(_) | Raw::Number(_) => unreachable!("plain values are revived above"),
            Raw::String(mut s) => self.string(&mut s, place),
            Raw::Array(start, end) => {
                let len = (end - start) as usize;
                self.enter()?;
                let id = self.add(Node::Array(Vec::with_capacity(len.min(1024))))?;
                self.parsing(part_root, id);
                let ctx = match arr {
                    Some(c) => c,
                    None => {
                        let c = self.new_ctx();
                        self.node_info(id).ctx = c as u32;
                        c
                    }
                };
                if len > 1 {
                    self.ctxs[ctx].fork = true;
                }
                self.bump(Some(ctx), len as u64 + 1)?;
                self.building(id, true);
                for i in 0..len {
                    let j = std::mem::take(&mut doc.items[start as usize + i]);
                    let item = match self.plain(j, Some(ctx))? {
                        Ok(item) => item,
                        Err(j) => {
                            let r = reference.as_ref().map(|r| format!("{r}:{i}"));
                            // The key only matters when it is `then`, which an index never is.
                            let place = Place {
                                slot: Slot::Index(id, i),
                                key: "",
                                reference: r,
                                arr: Some(ctx),
                                part_root: None,
                            };
                            self.revive(doc, j, place)?
                        }
                    };
                    if let Node::Array(a) = self.out.node_mut(id) {
                        a.push(item);
                    }
                }
                self.building(id, false);
                self.depth -= 1;
                Ok(Item::Node(id))
            }
            Raw::Object(start, end) => {
                let members = start as usize..end as usize;
                self.enter()?;
                let id = self.add(Node::Object(Object::with_capacity(members.len().min(1024))))?;
                self.parsing(part_root, id);
                self.building(id, true);
                let order = json::revived_order(&doc.members[members.clone()]);
                for n in 0..order.as_ref().map_or(members.len(), Vec::len) {
                    let at = members.start + order.as_ref().map_or(n, |o| o[n]);
                    let (k, j) = std::mem::take(&mut doc.members[at]);
                    let item = match self.plain(j, None)? {
                        Ok(item) => item,
                        Err(j) => {
                            let r = reference.as_ref().filter(|_| !k.contains(':')).map(|r| format!("{r}:{k}"));
                            let place =
                                Place { slot: Slot::Key(id), key: &k, reference: r, arr: None, part_root: None };
                            self.revive(doc, j, place)?
                        }
                    };
                    // `revived_order` leaves each key once.
                    if let Node::Object(o) = self.out.node_mut(id) {
                        o.push_distinct(k, item);
                    }
                }
                self.building(id, false);
                self.depth -= 1;
                Ok(Item::Node(id))
            }
        }
    }

    /// Every `$` string of the reply direction (the others are
    /// [`Run::plain`]'s).
    pub(crate) fn string(&mut self, owned: &mut Str, place: Place<'_>) -> Result<Item> {
        debug_assert!(tag::is_tagged(owned));
        let Place { slot, key, reference, arr, part_root } = place;
        let s: &str = owned;
        match tag::classify(s, self.opts.react.dialect()) {
            Tag::Escaped(rest) => {
                self.bump(arr, utf16_len(rest) as u64)?;
                Ok(Item::String(rest.into()))
            }
            Tag::Promise(rest) => self.promise(rest),
            Tag::ServerReference(rest) => self.outlined(rest, slot, key, None, RefKind::ServerRef, None),
            Tag::Temporary => match (reference, self.opts.temporary_references) {
                (Some(r), true) => Ok(Item::Node(self.add(Node::TemporaryReference(r.into()))?)),
                _ => Err(Error::reference(NO_TEMP_SET)),
            },
            Tag::Collection(Collection::Map, rest) => {
                self.collection(rest, slot, key, RefKind::Map, Node::Map(Vec::new()), part_root)
            }
            Tag::Collection(Collection::Set, rest) => {
                self.collection(rest, slot, key, RefKind::Set, Node::Set(Vec::new()), part_root)
            }
            Tag::Collection(Collection::Iterator, rest) => {
                self.collection(rest, slot, key, RefKind::Iterator, Node::Iterator(Vec::new()), part_root)
            }
            Tag::FormData(rest) => self.form_data(rest),
            Tag::Number(n) => Ok(Item::Number(n)),
            Tag::Undefined => Ok(Item::Undefined),
            Tag::Date(rest) => crate::value::convert::date(rest).map(Item::Date),
            Tag::BigInt(rest) => self.bigint(rest, arr),
            Tag::Binary(kind, rest) => self.typed_array(rest, kind, arr),
            Tag::Blob(rest) => self.blob(rest),
            Tag::Stream(kind, bytes, rest) => self.stream(rest, kind, bytes),
            Tag::Model(rest) => self.outlined(rest, slot, key, arr, RefKind::Model, None),
        }
    }

    pub(crate) fn bigint(&mut self, digits: &str, arr: Option<usize>) -> Result<Item> {
        // The limit is checked before React's array budget counts the digits.
        let (b, n) = crate::value::convert::bigint(digits, self.limits().max_bigint_chars)?;
        self.bump(arr, n as u64)?;
        Ok(Item::BigInt(b))
    }
}
