//! React DOM's host-element hints: what `<link>`, `<script>`, `<img>`...
//! rendered on the server send to the client as `H` rows (preloads,
//! preinits), and the format context (inside `<head>`, inside `<svg>`...)
//! that decides which ones.

use super::*;

/// React DOM's format context on the server, as far as hints need it: the
/// flags of the host elements a task's value sits inside. Each task keeps
/// the context it was created in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct FormatContext(u8);

impl FormatContext {
    /// Outside any host element that matters.
    pub(super) const ROOT: FormatContext = FormatContext(0);
    /// Inside `<noscript>`: no preloads at all.
    pub(super) const NOSCRIPT: u8 = 1;
    /// Inside `<picture>`: no image preloads (the browser picks a source).
    pub(super) const PICTURE: u8 = 2;

    fn in_noscript(self) -> bool {
        self.0 & Self::NOSCRIPT != 0
    }

    fn in_picture(self) -> bool {
        self.0 & Self::PICTURE != 0
    }

    fn with(self, flag: u8) -> FormatContext {
        FormatContext(self.0 | flag)
    }
}

impl<'v> Enc<'v> {
    /// React DOM's `getChildFormatContext`: `<img>` and `<link>` emit preload
    /// hints; `<noscript>` and `<picture>` change the context of their
    /// children.
    pub(super) fn child_format_context(&mut self, ctx: FormatContext, tag: &str, props: &Object) -> FormatContext {
        let get = |k: &str| props.get(k).filter(|v| !matches!(v, Item::Null | Item::Undefined));
        let string = |k: &str| match props.get(k) {
            Some(Item::String(s)) => Some(&**s),
            _ => None,
        };
        match tag {
            "img" => {
                let (src, srcset) = (get("src"), get("srcSet"));
                let non_string = |v: Option<&Item>| v.is_some_and(|v| !matches!(v, Item::String(_)));
                let is_data = |v: Option<&Item>| matches!(v, Some(Item::String(s)) if s.len() > 4 && s.as_bytes()[4] == b':' && s[..4].eq_ignore_ascii_case("data"));
                let empty = |v: Option<&Item>| match v {
                    None => true,
                    Some(Item::String(s)) => s.is_empty(),
                    Some(_) => false,
                };
                if string("loading") == Some("lazy")
                    || (empty(src) && empty(srcset))
                    || non_string(src)
                    || non_string(srcset)
                    || string("fetchPriority") == Some("low")
                    || ctx.in_noscript()
                    || ctx.in_picture()
                    || is_data(src)
                    || is_data(srcset)
                {
                    return ctx;
                }
                let href = string("src").unwrap_or("").to_owned();
                let cross = match props.get("crossOrigin") {
                    Some(Item::String(s)) if &**s == "use-credentials" => Some(Item::String(s.clone())),
                    Some(Item::String(_)) => Some(Item::from("")),
                    _ => None,
                };
                let sizes = props.get("sizes").filter(|v| matches!(v, Item::String(_))).cloned();
                let options = [
                    ("imageSrcSet", props.get("srcSet").cloned()),
                    ("imageSizes", sizes),
                    ("crossOrigin", cross),
                    ("integrity", props.get("integrity").cloned()),
                    ("type", props.get("type").cloned()),
                    ("fetchPriority", props.get("fetchPriority").cloned()),
                    ("referrerPolicy", props.get("referrerPolicy").cloned()),
                ];
                self.preload(&href, &Item::from("image"), &options);
                ctx
            }
            "link" => {
                let (Some(rel), Some(href)) = (string("rel"), string("href")) else { return ctx };
                if ctx.in_noscript() || get("itemProp").is_some() || href.is_empty() {
                    return ctx;
                }
                let p = |k: &str| props.get(k).cloned();
                // React DOM's option objects: these props, in this order.
                let options = |names: &[&'static str]| -> Vec<(&'static str, Option<Item>)> {
                    names.iter().map(|&k| (k, p(k))).collect()
                };
                const SHARED: [&str; 6] =
                    ["crossOrigin", "integrity", "nonce", "type", "fetchPriority", "referrerPolicy"];
                match rel {
                    "preload" => {
                        let o = options(&[&SHARED[..], &["imageSrcSet", "imageSizes", "media"]].concat());
                        self.preload(href, &p("as").unwrap_or_default(), &o);
                    }
                    "modulepreload" => {
                        let key = format!("m|{href}");
                        if self.sh.hint_keys.insert(key) {
                            let mut json = String::new();
                            match self.trimmed(&options(&["as", "crossOrigin", "integrity", "nonce"])) {
                                Some(o) => {
                                    json.push('[');
                                    write_str(&mut json, href);
                                    json.push(',');
                                    json.push_str(&o);
                                    json.push(']');
                                }
                                None => write_str(&mut json, href),
                            }
                            self.emit_hint('m', &json);
                        }
                    }
                    "stylesheet" => {
                        let o = options(&[&SHARED[..], &["media"]].concat());
                        let as_ = if self.rows() == ResponseRows::V19_2 { "stylesheet" } else { "style" };
                        self.preload(href, &Item::from(as_), &o);
                    }
                    _ => {}
                }
                ctx
            }
            "picture" => ctx.with(FormatContext::PICTURE),
            "noscript" => ctx.with(FormatContext::NOSCRIPT),
            _ => ctx,
        }
    }

    /// React DOM's `preload` on the server: deduplicated per response.
    pub(super) fn preload(&mut self, href: &str, as_: &Item, options: &[(&str, Option<Item>)]) {
        let as_text = match as_ {
            Item::String(s) => s.to_string(),
            Item::Undefined => "undefined".to_owned(),
            other => self.describe(other),
        };
        let key = if as_text == "image" {
            let opt = |k: &str| options.iter().find(|(n, _)| *n == k).and_then(|(_, v)| v.clone());
            match (opt("imageSrcSet"), opt("imageSizes")) {
                (Some(Item::String(set)), sizes) if !set.is_empty() => {
                    let sizes = match sizes {
                        Some(Item::String(s)) => format!("[{s}]"),
                        _ => String::new(),
                    };
                    format!("L[image][{set}]{sizes}")
                }
                _ => format!("L[image][][]{href}"),
            }
        } else {
            format!("L[{as_text}]{href}")
        };
        if !self.sh.hint_keys.insert(key) {
            return;
        }
        let mut json = String::from("[");
        write_str(&mut json, href);
        json.push(',');
        plain_json(&mut json, self.v, as_);
        if let Some(o) = self.trimmed(options) {
            json.push(',');
            json.push_str(&o);
        }
        json.push(']');
        self.emit_hint('L', &json);
    }

    /// React DOM's `trimOptions`: the options without `null`/`undefined`
    /// members, as JSON, or `None` when nothing is left.
    pub(super) fn trimmed(&self, options: &[(&str, Option<Item>)]) -> Option<String> {
        let mut json = String::from("{");
        let mut any = false;
        for (k, v) in options {
            let Some(v) = v else { continue };
            if matches!(v, Item::Null | Item::Undefined) {
                continue;
            }
            if any {
                json.push(',');
            }
            any = true;
            write_str(&mut json, k);
            json.push(':');
            plain_json(&mut json, self.v, v);
        }
        json.push('}');
        any.then_some(json)
    }

    pub(super) fn emit_hint(&mut self, code: char, json: &str) {
        tag::push_hint_row(&mut self.sh.hints, code, json);
        self.enqueue_flush();
    }
}

/// `JSON.stringify` of a hint option (no `$` escaping: hints are plain JSON).
pub(super) fn plain_json(out: &mut String, v: &Value, item: &Item) {
    match item {
        Item::String(s) => write_str(out, s),
        Item::Number(n) if n.is_finite() => write_number(out, *n),
        Item::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Item::Date(d) => match d.to_iso() {
            Some(iso) => write_str(out, &iso),
            None => out.push_str("null"),
        },
        Item::Node(n) => match v.node(*n) {
            Node::Array(items) => {
                out.push('[');
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    plain_json(out, v, it);
                }
                out.push(']');
            }
            Node::Object(o) => {
                out.push('{');
                let mut first = true;
                for (k, it) in o {
                    if matches!(it, Item::Undefined) {
                        continue;
                    }
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    write_str(out, k);
                    out.push(':');
                    plain_json(out, v, it);
                }
                out.push('}');
            }
            _ => out.push_str("{}"),
        },
        _ => out.push_str("null"),
    }
}
