//! The page's markup: escaping, the style sheet and page frame, tables and cards.

use std::fmt::Write;

use super::strings::Lang;

/// `text` safe inside HTML text and attribute values.
pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Fonts that hold Chinese glyphs on Windows, macOS and Linux, after the Latin ones.
pub(super) const FONT_STACK: &str = r#"system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif"#;

pub(super) const STYLE: &str = r#"
:root { --ink: #1f2937; --muted: #4b5563; --line: #d1d5db; --band: #f3f4f6; }
* { box-sizing: border-box; }
body { font-family: FONTS; color: var(--ink); margin: 0 auto; max-width: 1060px; padding: 24px; line-height: 1.45; font-size: 15px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 2px solid var(--band); padding-bottom: 4px; }
.subtitle { color: var(--muted); margin: 0 0 16px; }
.headline { font-size: 18px; font-weight: 600; margin: 12px 0; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
.card { background: var(--band); border-radius: 8px; padding: 8px 14px; min-width: 150px; }
.card .value { font-size: 22px; font-weight: 700; white-space: nowrap; }
.card .name { color: var(--muted); font-size: 13px; }
figure { margin: 8px 0 16px; }
figcaption { color: var(--muted); font-size: 13px; }
svg.map { width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; display: block; }
svg.chart { width: 100%; max-width: 640px; height: auto; display: block; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 13px; margin: 6px 0; }
.legend span { display: inline-flex; align-items: center; gap: 5px; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 14px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--band); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: 700; }
.note { color: var(--muted); font-size: 13px; }
code { font-size: 12px; }
footer { color: var(--muted); font-size: 12px; margin-top: 32px; border-top: 1px solid var(--line); padding-top: 8px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2 { break-after: avoid; }
  figure, .cards, .legend, tr { break-inside: avoid; }
  thead { display: table-header-group; }
  .pair { grid-template-columns: 1fr; }
  svg.map { max-height: 200mm; }
}
"#;

/// A table under construction: header cells (`n` marks a number column) and rows.
pub(super) struct Table {
    html: String,
    numeric: Vec<bool>,
}

impl Table {
    pub(super) fn new(id: &str, head: &[(&str, bool)]) -> Table {
        let mut html = format!(r#"<table id="{id}"><thead><tr>"#);
        for (h, n) in head {
            let class = if *n { r#" class="n""# } else { "" };
            let _ = write!(html, "<th{class}>{}</th>", esc(h));
        }
        html.push_str("</tr></thead><tbody>");
        Table {
            html,
            numeric: head.iter().map(|h| h.1).collect(),
        }
    }

    /// A row of already escaped cells.
    pub(super) fn row(&mut self, class: &str, cells: &[String]) {
        if class.is_empty() {
            self.html.push_str("<tr>");
        } else {
            let _ = write!(self.html, r#"<tr class="{class}">"#);
        }
        for (i, c) in cells.iter().enumerate() {
            let n = self.numeric.get(i).copied().unwrap_or(false);
            let _ = write!(
                self.html,
                "{}{c}</td>",
                if n { r#"<td class="n">"# } else { "<td>" }
            );
        }
        self.html.push_str("</tr>");
    }

    pub(super) fn end(mut self) -> String {
        self.html.push_str("</tbody></table>");
        self.html
    }
}

pub(super) fn minutes(m: Option<f64>) -> String {
    m.map_or("–".into(), |m| format!("{m:.1}"))
}

pub(super) fn lonlat(p: [f64; 2]) -> String {
    format!("{:.5}, {:.5}", p[0], p[1])
}

/// A center or unit as the reader knows it: its name, with the id when it has none.
pub(super) fn named(name: Option<&str>, id: &str) -> String {
    match name {
        Some(n) if !n.is_empty() && n != id => {
            format!("{} <span class=\"note\">{}</span>", esc(n), esc(id))
        }
        _ => esc(id),
    }
}

pub(super) fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (key, v) in values {
        out = out.replace(&format!("{{{key}}}"), v);
    }
    out
}

/// The page around `body`.
pub(super) fn page(lang: Lang, title: &str, body: &str, footer: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n{body}\n<footer>{footer}</footer>\n</body>\n</html>\n",
        lang.tag(),
        esc(title),
        STYLE.replace("FONTS", FONT_STACK)
    )
}

pub(super) fn card(id: &str, value_attr: &str, value: &str, name: &str) -> String {
    format!(
        r#"<div class="card"><div class="value" id="{id}" data-value="{value_attr}">{}</div><div class="name">{}</div></div>"#,
        esc(value),
        esc(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_the_data_cannot_become_markup() {
        assert_eq!(
            esc(r#"<script>"a"&'b'"#),
            "&lt;script&gt;&quot;a&quot;&amp;&#39;b&#39;"
        );
        assert_eq!(
            named(Some("Hall <b>"), "node/1"),
            "Hall &lt;b&gt; <span class=\"note\">node/1</span>"
        );
        assert_eq!(named(None, "node/1"), "node/1");
        assert_eq!(named(Some("node/1"), "node/1"), "node/1");
    }

    #[test]
    fn templates_fill_every_key() {
        assert_eq!(
            fill("{a} of {b}", &[("a", "1".into()), ("b", "2".into())]),
            "1 of 2"
        );
    }
}
