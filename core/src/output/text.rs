//! Text from the inputs (ids, names, file names) made safe to show: in a Markdown table
//! cell, and on a terminal.

/// `text` as one Markdown table cell: `|` and `\` escaped, line breaks and other control
/// characters shown as escapes, and `<`, `>`, `&` as HTML entities (Markdown renderers
/// pass raw HTML through; an id must never become markup or a script).
///
/// ```
/// use lifecircle::output::markdown_cell;
/// assert_eq!(markdown_cell("a|b\nc <i>"), "a\\|b\\nc &lt;i&gt;");
/// ```
pub fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// `text` for a terminal: control characters (line breaks, ANSI escape sequences) shown
/// as escapes, so an id can neither break a table's lines nor recolour or move the
/// cursor.
///
/// ```
/// use lifecircle::output::terminal_text;
/// assert_eq!(terminal_text("red\u{1b}[31m\nline"), "red\\u{1b}[31m\\nline");
/// ```
pub fn terminal_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}
