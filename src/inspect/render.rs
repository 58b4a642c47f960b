//! A report as text for a person (coloured on a terminal) or as JSON for a
//! program.

use super::{Report, RowKind};
use crate::wire::json::write_str;

/// ANSI styles, or nothing when the output is not a terminal.
struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// `s` with control characters escaped, so a payload cannot move the
/// cursor or recolour the terminal.
fn visible(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { c.escape_debug().to_string() } else { c.to_string() }).collect()
}

impl Report {
    /// The report as text: a line a row, then what refers to nothing, what
    /// never came, the totals, the value and the fault. `colour`: ANSI
    /// colours, for a terminal.
    pub fn to_text(&self, colour: bool) -> String {
        let s = Style { on: colour };
        let mut out = String::new();
        let unit = if self.format == "reply" { "parts" } else { "rows" };
        out.push_str(&format!("{}: {} {unit}, {} bytes", self.format, self.rows.len(), self.bytes));
        if let Some(n) = self.next_chunks {
            out.push_str(&format!(" (the Flight data of a Next.js page, in {n} self.__next_f chunks)"));
        }
        out.push('\n');
        for r in &self.rows {
            let id = match (self.format, r.kind) {
                (_, RowKind::Hint) => ":".to_owned(),
                ("reply", _) => format!("{}", r.id),
                _ => format!("{:x}:", r.id),
            };
            let tag = r.tag.map(String::from).unwrap_or_default();
            let refs = if r.refs.is_empty() {
                String::new()
            } else {
                let list: Vec<String> = r
                    .refs
                    .iter()
                    .map(|id| if self.format == "reply" { id.to_string() } else { format!("{id:x}") })
                    .collect();
                format!(" → {} {}", if self.format == "reply" { "part" } else { "row" }, list.join(", "))
            };
            let mut line = format!(
                "  {} {} {:>8} B @{:<6}{}",
                s.paint("1", &format!("{id:>5}{tag:<1}")),
                s.paint("36", &format!("{:<16}", r.kind.name())),
                r.bytes,
                r.offset,
                s.paint("33", &refs)
            );
            if !r.detail.is_empty() {
                line.push_str(&format!("  {}", r.detail));
            }
            out.push_str(line.trim_end());
            out.push('\n');
            if !r.tree.is_empty() {
                for line in &r.tree {
                    out.push_str(&format!("          {}\n", s.paint("2", &visible(line))));
                }
            } else if !r.preview.is_empty() {
                out.push_str(&format!("          {}\n", s.paint("2", &visible(&r.preview))));
            }
        }
        let ids = |v: &[u32]| {
            v.iter()
                .map(|id| if self.format == "reply" { id.to_string() } else { format!("{id:x}") })
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.unreferenced.is_empty() {
            out.push_str(&format!("nothing refers to: {}\n", ids(&self.unreferenced)));
        }
        if !self.missing.is_empty() {
            out.push_str(&s.paint("31", &format!("referred to, never came: {}", ids(&self.missing))));
            out.push('\n');
        }
        if !self.totals.is_empty() {
            let t: Vec<String> = self.totals.iter().map(|(k, (n, b))| format!("{k} {n} ({b} B)")).collect();
            out.push_str(&format!("totals: {}\n", t.join(", ")));
        }
        if let Some(state) = &self.form_state {
            out.push_str(&format!("form state: {state}\n"));
        }
        if let Some(a) = &self.action {
            out.push_str(&format!("form post: decodeAction calls {a:?} with the value below\n"));
        }
        if let Some(v) = &self.value {
            out.push_str(&format!("value: {}\n", super::response::shorten(v)));
        }
        if let Some(f) = &self.fault {
            let at = f.offset.map(|o| format!(" at byte {o}")).unwrap_or_default();
            out.push_str(&s.paint("31", &format!("fault{at}: {}", f.message)));
            out.push('\n');
            if let Some(a) = &f.around {
                out.push_str(&format!("  {a}\n"));
            }
        }
        out
    }

    /// The report as one JSON object: `format`, `bytes`, `rows` (each with
    /// `id`, `tag`, `kind`, `offset`, `bytes`, `refs`, `detail`,
    /// `preview`), `missing`, `unreferenced`, `totals`, `value` (the
    /// notation, as JSON), `fault` (`message`, `offset`), and for a page
    /// `nextChunks` and `formState`.
    pub fn to_json(&self) -> String {
        let mut o = String::from("{\"format\":");
        write_str(&mut o, self.format);
        o.push_str(&format!(",\"bytes\":{},\"rows\":[", self.bytes));
        for (i, r) in self.rows.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            o.push_str(&format!("{{\"id\":{},\"tag\":", r.id));
            match r.tag {
                Some(t) => write_str(&mut o, &t.to_string()),
                None => o.push_str("null"),
            }
            o.push_str(",\"kind\":");
            write_str(&mut o, r.kind.name());
            o.push_str(&format!(",\"offset\":{},\"bytes\":{},\"refs\":{:?},\"detail\":", r.offset, r.bytes, r.refs));
            write_str(&mut o, &r.detail);
            o.push_str(",\"preview\":");
            write_str(&mut o, &r.preview);
            o.push('}');
        }
        o.push_str(&format!("],\"missing\":{:?},\"unreferenced\":{:?},\"totals\":{{", self.missing, self.unreferenced));
        for (i, (k, (n, b))) in self.totals.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            write_str(&mut o, k);
            o.push_str(&format!(":{{\"rows\":{n},\"bytes\":{b}}}"));
        }
        o.push_str("},\"value\":");
        // The notation is JSON already.
        o.push_str(self.value.as_deref().unwrap_or("null"));
        o.push_str(",\"fault\":");
        match &self.fault {
            Some(f) => {
                o.push_str("{\"message\":");
                write_str(&mut o, &f.message);
                o.push_str(",\"offset\":");
                o.push_str(&f.offset.map_or("null".to_owned(), |x| x.to_string()));
                o.push('}');
            }
            None => o.push_str("null"),
        }
        if let Some(n) = self.next_chunks {
            o.push_str(&format!(",\"nextChunks\":{n}"));
        }
        if let Some(a) = &self.action {
            o.push_str(",\"action\":");
            write_str(&mut o, a);
        }
        if let Some(state) = &self.form_state {
            // Checked to be JSON when the page was read.
            o.push_str(",\"formState\":");
            o.push_str(state);
        }
        o.push('}');
        o
    }
}
