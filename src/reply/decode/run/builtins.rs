//! The values made from parts of their own: promises, Blobs, typed
//! arrays, FormData arguments and streams.

use super::*;

impl<'d, 'f> Run<'d, 'f> {
    pub(crate) fn promise(&mut self, text: &str) -> Result<Item> {
        let Some(id) = parse_hex_id(text) else { return Err(Error::reference(CONNECTION_CLOSED)) };
        if let Some(&p) = self.promises.get(id) {
            return Ok(Item::Node(p));
        }
        match self.parts.get(id).and_then(|p| p.used) {
            Some(Use::Stream) => return Err(Error::reference(STREAM_CHUNK)),
            Some(Use::TypedArray) => return Err(Error::reference("Already initialized typed array.")),
            _ => {}
        }
        let p = self.add(Node::Promise(Promise::Pending))?;
        self.promises.insert(id, p);
        self.later.push(Later::Promise(p, id));
        Ok(Item::Node(p))
    }

    pub(crate) fn blob_field(&self, id: u32) -> Option<&'f Field> {
        self.store.blobs.get(id).copied()
    }

    pub(crate) fn blob(&mut self, text: &str) -> Result<Item> {
        let id = parse_hex_id(text);
        let Some(f) = id.and_then(|id| self.blob_field(id)) else {
            return Err(Error::reference("Referenced Blob is not a Blob."));
        };
        let id = id.unwrap_or_default();
        if let Some(&n) = self.blob_nodes.get(id) {
            return Ok(Item::Node(n));
        }
        let n = self.add(file_node(f))?;
        self.blob_nodes.insert(id, n);
        Ok(Item::Node(n))
    }

    pub(crate) fn typed_array(&mut self, text: &str, kind: Option<TypedArrayKind>, arr: Option<usize>) -> Result<Item> {
        let Some(id) = parse_hex_id(text) else {
            return Err(Error::reference("Referenced typed array is not a Blob."));
        };
        if self.parts.get(id).is_some_and(|p| p.used.is_some()) || self.promises.contains(id) {
            return Err(Error::reference("Already initialized typed array."));
        }
        self.part(id).used = Some(Use::TypedArray);
        let Some(FieldValue::File { bytes, .. }) = self.blob_field(id).map(|f| &f.value) else {
            return Err(Error::reference(format!(
                "Referenced typed array part {}{id} is not a Blob.",
                self.opts.prefix
            )));
        };
        self.bump(arr, bytes.len() as u64)?;
        let node = match kind {
            None => Node::ArrayBuffer(bytes.clone()),
            Some(k) => {
                if bytes.len() % k.element_size() != 0 {
                    return Err(Error::syntax(format!(
                        "byte length of {} should be a multiple of {}",
                        k.name(),
                        k.element_size()
                    )));
                }
                Node::TypedArray(k, bytes.clone())
            }
        };
        Ok(Item::Node(self.add(node)?))
    }

    pub(crate) fn form_data(&mut self, text: &str) -> Result<Item> {
        // React's encoder writes the entry prefix in decimal and the
        // reference in hex; decode what it meant (spec/reply.md §1, §2).
        let id = parse_hex_id(text).ok_or_else(|| Error::reference(CONNECTION_CLOSED))?;
        if self.form_used.insert(id, ()).is_some() {
            return Err(Error::reference("Already initialized FormData."));
        }
        let prefix = match self.opts.react.dialect().form_entries {
            FormEntries::Underscored => format!("{}_{id}_", self.opts.prefix),
            FormEntries::Plain => format!("{}{id}_", self.opts.prefix),
        };
        let fields = self.store.form_entries.get(id).cloned().unwrap_or_default();
        let mut entries = Vec::with_capacity(fields.len());
        for f in fields {
            let name: Str = f.name[prefix.len()..].into();
            let v = match &f.value {
                FieldValue::Text(t) => Item::String(t.as_str().into()),
                FieldValue::File { .. } => Item::Node(self.add(file_node(f))?),
            };
            entries.push((name, v));
        }
        Ok(Item::Node(self.add(Node::FormData(entries))?))
    }

    pub(crate) fn stream(&mut self, text: &str, kind: StreamKind, bytes: bool) -> Result<Item> {
        let id = parse_hex_id(text).ok_or_else(|| Error::reference(CONNECTION_CLOSED))?;
        if self.parts.get(id).is_some_and(|p| p.used.is_some()) || self.promises.contains(id) {
            return Err(Error::reference("Already initialized stream."));
        }
        self.part(id).used = Some(Use::Stream);
        let node = self.add(if bytes {
            Node::ByteStream(Bytes::new())
        } else {
            Node::Stream(Stream { kind, values: Vec::new(), end: StreamEnd::Return(Item::Undefined) })
        })?;
        self.later.push(Later::Stream { node, id, kind, bytes });
        Ok(Item::Node(node))
    }

    /// Read the entries of stream `id` into its node.
    pub(crate) fn read_stream(&mut self, node: NodeId, id: u32, kind: StreamKind, bytes: bool) -> Result<()> {
        let chunks = self.store.streams.get(id).cloned().unwrap_or_default();
        let name = format!("{}S{id}", self.opts.prefix);
        let mut values = Vec::new();
        let mut data = BytesMut::new();
        let mut end = None;
        for (i, chunk) in chunks.into_iter().enumerate() {
            let r = (|| -> Result<()> {
                if let Some(ret) = chunk.strip_prefix('C') {
                    let ret = if ret.is_empty() || kind == StreamKind::Readable {
                        Item::Undefined
                    } else {
                        self.chunk_value(ret)?
                    };
                    end = Some(StreamEnd::Return(ret));
                    return Ok(());
                }
                let v = self.chunk_value(chunk)?;
                if bytes {
                    match v {
                        Item::Node(n) => match self.out.node(n) {
                            Node::TypedArray(_, b) => data.extend_from_slice(b),
                            _ => return Err(Error::reference("Invalid data for bytes stream.")),
                        },
                        _ => return Err(Error::reference("Invalid data for bytes stream.")),
                    }
                } else {
                    values.push(v);
                }
                Ok(())
            })();
            r.map_err(|e| e.in_part(|| format!("{name} (entry {i})")))?;
            if end.is_some() {
                break;
            }
        }
        let Some(end) = end else {
            if self.store.streams.get(id).is_none() && self.store.string(id).is_some() {
                // Part `<n>` is there, and no `S<n>` entry: the older naming.
                return Err(unread(&format!("{}{id}", self.opts.prefix), true));
            }
            return Err(Error::eof(format!("Stream {name} was never closed (no \"C\" entry).")));
        };
        *self.out.node_mut(node) =
            if bytes { Node::ByteStream(data.freeze()) } else { Node::Stream(Stream { kind, values, end }) };
        Ok(())
    }

    /// A stream chunk: a model without a position (no temporary references).
    pub(crate) fn chunk_value(&mut self, text: &str) -> Result<Item> {
        self.enter()?;
        let (mut doc, json) = self.parse(text)?;
        let ctx = self.new_ctx();
        let item = self.revive(&mut doc, json, Place::root(None, None, ctx))?;
        self.depth -= 1;
        Ok(item)
    }
}

pub(crate) fn file_node(f: &Field) -> Node {
    match &f.value {
        FieldValue::File { filename, content_type, bytes } => Node::Blob(Blob {
            name: Some(filename.as_str().into()),
            mime: content_type.to_ascii_lowercase().into(),
            bytes: bytes.clone(),
        }),
        FieldValue::Text(t) => {
            Node::Blob(Blob { name: None, mime: "".into(), bytes: Bytes::copy_from_slice(t.as_bytes()) })
        }
    }
}
