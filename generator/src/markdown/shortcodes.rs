//! Zola-syntax shortcodes in Markdown: `{{ name(arg="x", n=3, flag=true, list=[1,2]) }}`
//! and `{% name(arg="x") %}body{% end %}`, found in the source text (never inside fenced
//! code blocks or inline code), rendered through a [`ShortcodeRenderer`].
//!
//! `{{/* name() */}}` and `{%/* name() */%}` print the shortcode itself, unrendered, for
//! pages that document shortcodes.
//!
//! Before Markdown is parsed, each shortcode is replaced by a short ASCII placeholder that
//! Markdown leaves alone; the rendered output is put back into the finished HTML, so
//! shortcode HTML is never escaped or wrapped by Markdown. A placeholder alone in a
//! paragraph replaces the whole `<p>…</p>`, so block shortcodes do not end up inside `<p>`.
//! [`Extracted::to_original`] maps offsets in the placeholder text back to the source, so
//! every later error (a broken link after a shortcode) still has the right line:col.

use serde_json::{Map, Value};

use crate::config::{ContentKey, Lang};
use crate::message::{Message, MessageId};

/// One shortcode use, as the renderer sees it.
#[derive(Debug, Clone, Copy)]
pub struct ShortcodeCall<'a> {
    pub name: &'a str,
    /// Arguments as JSON: strings, integers, floats, booleans, arrays.
    pub args: &'a Map<String, Value>,
    /// The text between `{% name() %}` and `{% end %}`, as written (not rendered).
    pub body: Option<&'a str>,
    /// Language of the page being rendered.
    pub lang: &'a Lang,
    /// Content key of the page or section (`signs/page.ru.md`).
    pub page_key: &'a ContentKey,
    /// 1-based count of this shortcode's uses so far on the page (Zola's `nth`).
    pub nth: usize,
}

/// Renders shortcodes; gen-site implements it with Tera templates from
/// `templates/shortcodes/<name>.html`. `Err` holds a plain-words message
/// (`unknown shortcode `vidoe``); the caller adds file:line:col.
pub trait ShortcodeRenderer: Sync {
    fn render(&self, call: &ShortcodeCall<'_>) -> Result<String, Message>;
}

/// A renderer that knows no shortcodes: every use is an "unknown shortcode" error.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoShortcodes;

impl ShortcodeRenderer for NoShortcodes {
    fn render(&self, call: &ShortcodeCall<'_>) -> Result<String, Message> {
        Err(Message::of(MessageId::ShortcodeUnknown).text("name", call.name))
    }
}

/// A shortcode found in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedShortcode {
    pub name: String,
    pub args: Map<String, Value>,
    pub body: Option<String>,
    /// Byte offset in the original text where `{{` or `{%` starts.
    pub offset: usize,
    /// The placeholder that stands for it in [`Extracted::text`].
    pub placeholder: String,
}

/// One replaced stretch of text: `new` in the placeholder text, `orig` in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    new_start: usize,
    new_len: usize,
    orig_start: usize,
    orig_len: usize,
}

/// The source with shortcodes replaced by placeholders.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    pub text: String,
    pub shortcodes: Vec<ParsedShortcode>,
    /// (byte offset in the original text, message).
    pub errors: Vec<(usize, Message)>,
    segments: Vec<Segment>,
}

/// Prefix and suffix of placeholders: letters and digits only, so Markdown neither splits,
/// escapes nor percent-encodes them, even inside a link destination.
pub const PLACEHOLDER_PREFIX: &str = "zqxsc";
const PLACEHOLDER_SUFFIX: &str = "qz";

fn placeholder(i: usize) -> String {
    format!("{PLACEHOLDER_PREFIX}{i}{PLACEHOLDER_SUFFIX}")
}

impl Extracted {
    /// Maps a byte offset in [`Extracted::text`] to the original text.
    pub fn to_original(&self, offset: usize) -> usize {
        let i = self.segments.partition_point(|s| s.new_start <= offset);
        if i == 0 {
            return offset;
        }
        let s = self.segments[i - 1];
        if offset < s.new_start + s.new_len {
            s.orig_start
        } else {
            s.orig_start + s.orig_len + (offset - s.new_start - s.new_len)
        }
    }

    /// Removes placeholders from plain text (for heading ids and ToC titles).
    pub fn strip_placeholders(&self, text: &str) -> String {
        if self.shortcodes.is_empty() || !text.contains(PLACEHOLDER_PREFIX) {
            return text.to_string();
        }
        let mut out = text.to_string();
        for sc in &self.shortcodes {
            out = out.replace(&sc.placeholder, "");
        }
        out
    }
}

/// Byte ranges of fenced code blocks and inline code spans, where shortcodes are text.
fn code_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let bytes = text.as_bytes();
    let mut pos = 0;
    // (fence char, fence length, start offset)
    let mut fence: Option<(u8, usize, usize)> = None;
    let mut inline_from = 0;
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let line = &text[pos..line_end];
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        let fence_here = (indent <= 3)
            .then(|| {
                let c = *rest.as_bytes().first()?;
                if c != b'`' && c != b'~' {
                    return None;
                }
                let n = rest.bytes().take_while(|b| *b == c).count();
                (n >= 3).then_some((c, n))
            })
            .flatten();
        match (fence, fence_here) {
            (None, Some((c, n))) if c == b'~' || !rest[n..].contains('`') => {
                inline_ranges(text, inline_from, pos, &mut ranges);
                fence = Some((c, n, pos));
            }
            (Some((c, n, start)), Some((c2, n2)))
                if c == c2 && n2 >= n && rest[n2..].trim().is_empty() =>
            {
                ranges.push((start, line_end));
                fence = None;
                inline_from = line_end;
            }
            _ => {}
        }
        pos = line_end;
    }
    match fence {
        Some((_, _, start)) => ranges.push((start, text.len())),
        None => inline_ranges(text, inline_from, text.len(), &mut ranges),
    }
    let _ = bytes;
    ranges.sort_unstable();
    ranges
}

/// Inline code spans (backtick runs of equal length) between `from` and `to`.
fn inline_ranges(text: &str, from: usize, to: usize, out: &mut Vec<(usize, usize)>) {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < to {
        if bytes[i] != b'`' {
            i += 1;
            continue;
        }
        let n = bytes[i..to].iter().take_while(|b| **b == b'`').count();
        let mut j = i + n;
        let mut closed = None;
        while j < to {
            if bytes[j] == b'`' {
                let m = bytes[j..to].iter().take_while(|b| **b == b'`').count();
                if m == n {
                    closed = Some(j + m);
                    break;
                }
                j += m;
            } else {
                j += 1;
            }
        }
        match closed {
            Some(end) => {
                out.push((i, end));
                i = end;
            }
            None => i += n,
        }
    }
}

/// Finds shortcodes in `text` and replaces them with placeholders.
pub fn extract(text: &str) -> Extracted {
    let mut ex = Extracted::default();
    if !text.contains("{{") && !text.contains("{%") {
        ex.text = text.to_string();
        return ex;
    }
    let code = code_ranges(text);
    let mut code_i = 0;
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut pos = 0;
    while let Some(rel) = text[pos..].find('{') {
        let start = pos + rel;
        while code_i < code.len() && code[code_i].1 <= start {
            code_i += 1;
        }
        if code_i < code.len() && code[code_i].0 <= start {
            pos = code[code_i].1;
            continue;
        }
        let rest = &text[start..];
        let kind = if rest.starts_with("{{") {
            b'{'
        } else if rest.starts_with("{%") {
            b'%'
        } else {
            pos = start + 1;
            continue;
        };
        // Escaped: {{/* … */}} or {%/* … */%} prints the inside unrendered.
        let (open, close) = if kind == b'{' {
            ("{{/*", "*/}}")
        } else {
            ("{%/*", "*/%}")
        };
        if rest.starts_with(open) {
            if let Some(end) = rest.find(close) {
                let inner = &rest[open.len()..end];
                let literal = if kind == b'{' {
                    format!("{{{{{inner}}}}}")
                } else {
                    format!("{{%{inner}%}}")
                };
                out.push_str(&text[copied..start]);
                push_segment(
                    &mut ex,
                    &mut out,
                    &literal,
                    start,
                    start + end + close.len(),
                );
                copied = start + end + close.len();
                pos = copied;
                continue;
            }
        }
        match parse_call(text, start, kind) {
            Ok(None) => pos = start + 2,
            Err((off, msg)) => {
                ex.errors.push((off, msg));
                pos = start + 2;
            }
            Ok(Some((name, args, after_open))) => {
                let (body, end) = if kind == b'%' {
                    if name == "end" {
                        ex.errors
                            .push((start, Message::of(MessageId::ShortcodeEndWithoutStart)));
                        pos = after_open;
                        continue;
                    }
                    match find_end(text, after_open, &code) {
                        Some((body_end, end)) => {
                            (Some(text[after_open..body_end].to_string()), end)
                        }
                        None => {
                            ex.errors.push((
                                start,
                                Message::of(MessageId::ShortcodeNeverClosed).text("name", name),
                            ));
                            pos = after_open;
                            continue;
                        }
                    }
                } else {
                    (None, after_open)
                };
                let ph = placeholder(ex.shortcodes.len());
                out.push_str(&text[copied..start]);
                push_segment(&mut ex, &mut out, &ph, start, end);
                ex.shortcodes.push(ParsedShortcode {
                    name,
                    args,
                    body,
                    offset: start,
                    placeholder: ph,
                });
                copied = end;
                pos = end;
            }
        }
    }
    out.push_str(&text[copied..]);
    ex.text = out;
    ex
}

fn push_segment(
    ex: &mut Extracted,
    out: &mut String,
    replacement: &str,
    orig_start: usize,
    orig_end: usize,
) {
    ex.segments.push(Segment {
        new_start: out.len(),
        new_len: replacement.len(),
        orig_start,
        orig_len: orig_end - orig_start,
    });
    out.push_str(replacement);
}

/// Finds `{% end %}` after `from`, outside code; returns (body end, end of the tag).
fn find_end(text: &str, from: usize, code: &[(usize, usize)]) -> Option<(usize, usize)> {
    let mut pos = from;
    while let Some(rel) = text[pos..].find("{%") {
        let start = pos + rel;
        if let Some(&(_, e)) = code.iter().find(|(s, e)| *s <= start && start < *e) {
            pos = e;
            continue;
        }
        let inner = &text[start + 2..];
        let trimmed = inner.trim_start_matches([' ', '\t']);
        if let Some(after) = trimmed.strip_prefix("end") {
            let after_ws = after.trim_start_matches([' ', '\t']);
            if let Some(_rest) = after_ws.strip_prefix("%}") {
                let end = text.len() - _rest.len();
                return Some((start, end));
            }
        }
        pos = start + 2;
    }
    None
}

struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl Cursor<'_> {
    fn skip_ws(&mut self) {
        while let Some(c) = self.text[self.pos..].chars().next() {
            if c.is_whitespace() {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
    }
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }
    fn eat(&mut self, s: &str) -> bool {
        if self.text[self.pos..].starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }
    fn ident(&mut self) -> Option<String> {
        let rest = &self.text[self.pos..];
        let n = rest
            .char_indices()
            .take_while(|(i, c)| {
                c.is_ascii_alphabetic() || *c == '_' || (*i > 0 && c.is_ascii_digit())
            })
            .count();
        if n == 0 {
            return None;
        }
        self.pos += n;
        Some(rest[..n].to_string())
    }
}

type Call = (String, Map<String, Value>, usize);

/// Parses `{{ name(args) }}` or `{% name(args) %}` at `start`. `Ok(None)` when the braces
/// are not a shortcode at all (`{{ page.title }}` in prose stays text); `Err` when it is
/// clearly meant as one but is malformed.
fn parse_call(text: &str, start: usize, kind: u8) -> Result<Option<Call>, (usize, Message)> {
    let mut c = Cursor {
        text,
        pos: start + 2,
    };
    c.skip_ws();
    let Some(name) = c.ident() else {
        return Ok(None);
    };
    let close = if kind == b'{' { "}}" } else { "%}" };
    c.skip_ws();
    if kind == b'%' && name == "end" && c.eat(close) {
        return Ok(Some((name, Map::new(), c.pos)));
    }
    if !c.eat("(") {
        return Ok(None);
    }
    let mut args = Map::new();
    loop {
        c.skip_ws();
        if c.eat(")") {
            break;
        }
        let arg_at = c.pos;
        let Some(key) = c.ident() else {
            return Err((
                arg_at,
                Message::of(MessageId::ShortcodeExpectedArgName).text("name", name),
            ));
        };
        c.skip_ws();
        if !c.eat("=") {
            return Err((
                c.pos,
                Message::of(MessageId::ShortcodeArgNeedsValue)
                    .text("name", name)
                    .text("arg", key),
            ));
        }
        c.skip_ws();
        let value = parse_value(&mut c).map_err(|(off, m)| {
            let m = Message::of(MessageId::ShortcodeArgProblem)
                .text("name", name.as_str())
                .text("arg", key.as_str())
                .message("problem", m);
            (off, m)
        })?;
        if args.insert(key.clone(), value).is_some() {
            return Err((
                arg_at,
                Message::of(MessageId::ShortcodeArgTwice)
                    .text("name", name)
                    .text("arg", key),
            ));
        }
        c.skip_ws();
        if c.eat(",") {
            continue;
        }
        if c.eat(")") {
            break;
        }
        return Err((
            c.pos,
            Message::of(MessageId::ShortcodeExpectedComma)
                .text("name", name)
                .text("arg", key),
        ));
    }
    c.skip_ws();
    if !c.eat(close) {
        return Err((
            c.pos,
            Message::of(MessageId::ShortcodeBadEnd)
                .text("name", name)
                .text("close", close),
        ));
    }
    Ok(Some((name, args, c.pos)))
}

fn parse_value(c: &mut Cursor<'_>) -> Result<Value, (usize, Message)> {
    let at = c.pos;
    match c.peek() {
        Some(q @ ('"' | '\'' | '`')) => {
            c.pos += 1;
            let mut s = String::new();
            loop {
                let Some(ch) = c.peek() else {
                    return Err((at, Message::of(MessageId::ShortcodeValueUnclosedQuote)));
                };
                c.pos += ch.len_utf8();
                if ch == q {
                    return Ok(Value::String(s));
                }
                if ch == '\\' && q == '"' {
                    match c.peek() {
                        Some(e @ ('"' | '\\')) => {
                            s.push(e);
                            c.pos += 1;
                        }
                        Some('n') => {
                            s.push('\n');
                            c.pos += 1;
                        }
                        _ => s.push('\\'),
                    }
                } else {
                    s.push(ch);
                }
            }
        }
        Some('[') => {
            c.pos += 1;
            let mut items = Vec::new();
            loop {
                c.skip_ws();
                if c.eat("]") {
                    return Ok(Value::Array(items));
                }
                items.push(parse_value(c)?);
                c.skip_ws();
                if c.eat(",") {
                    continue;
                }
                if c.eat("]") {
                    return Ok(Value::Array(items));
                }
                return Err((c.pos, Message::of(MessageId::ShortcodeValueListComma)));
            }
        }
        _ => {
            let rest = &c.text[c.pos..];
            let n = rest
                .char_indices()
                .take_while(|(_, ch)| {
                    ch.is_ascii_alphanumeric() || matches!(ch, '-' | '+' | '.' | '_')
                })
                .count();
            let word = &rest[..n];
            let v = match word {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => {
                    if let Ok(i) = word.parse::<i64>() {
                        Value::from(i)
                    } else if let Some(f) = word
                        .parse::<f64>()
                        .ok()
                        .filter(|f| f.is_finite() && word.contains('.'))
                    {
                        serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
                    } else {
                        let word = if word.is_empty() {
                            rest.chars().next().map(String::from).unwrap_or_default()
                        } else {
                            word.to_string()
                        };
                        return Err((
                            at,
                            Message::of(MessageId::ShortcodeValueNotAValue).text("word", word),
                        ));
                    }
                }
            };
            c.pos += n;
            Ok(v)
        }
    }
}

/// Puts rendered shortcode output back into the HTML. `outputs[i]` belongs to placeholder
/// `i`. A placeholder that is alone in a paragraph replaces the paragraph.
pub fn substitute(html: &str, shortcodes: &[ParsedShortcode], outputs: &[String]) -> String {
    if shortcodes.is_empty() {
        return html.to_string();
    }
    let mut out =
        String::with_capacity(html.len() + outputs.iter().map(String::len).sum::<usize>());
    let mut pos = 0;
    while let Some(rel) = html[pos..].find(PLACEHOLDER_PREFIX) {
        let start = pos + rel;
        let digits = html[start + PLACEHOLDER_PREFIX.len()..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        let num_end = start + PLACEHOLDER_PREFIX.len() + digits;
        let idx = html[start + PLACEHOLDER_PREFIX.len()..num_end]
            .parse::<usize>()
            .ok();
        match idx {
            Some(i) if i < outputs.len() && html[num_end..].starts_with(PLACEHOLDER_SUFFIX) => {
                let end = num_end + PLACEHOLDER_SUFFIX.len();
                let whole_p = html[..start].ends_with("<p>")
                    && html[end..].starts_with("</p>")
                    && start >= pos + 3;
                if whole_p {
                    out.push_str(&html[pos..start - 3]);
                    out.push_str(&outputs[i]);
                    pos = end + 4;
                } else {
                    out.push_str(&html[pos..start]);
                    out.push_str(&outputs[i]);
                    pos = end;
                }
            }
            _ => {
                out.push_str(&html[pos..start + PLACEHOLDER_PREFIX.len()]);
                pos = start + PLACEHOLDER_PREFIX.len();
            }
        }
    }
    out.push_str(&html[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_body() {
        let t = "A {{ video(id=\"x y\", n=3, f=1.5, ok=true, list=[1, 'a']) }} b\n\n{% note(kind=`w`) %}\n**B**\n{% end %}\nc";
        let ex = extract(t);
        assert!(ex.errors.is_empty(), "{:?}", ex.errors);
        assert_eq!(ex.shortcodes.len(), 2);
        let v = &ex.shortcodes[0];
        assert_eq!(v.name, "video");
        assert_eq!(v.args["id"], "x y");
        assert_eq!(v.args["n"], 3);
        assert_eq!(v.args["f"], 1.5);
        assert_eq!(v.args["ok"], true);
        assert_eq!(v.args["list"], serde_json::json!([1, "a"]));
        assert_eq!(ex.shortcodes[1].body.as_deref(), Some("\n**B**\n"));
        assert_eq!(ex.text, "A zqxsc0qz b\n\nzqxsc1qz\nc");
        // Offsets after the replacements map back to the source.
        let c_new = ex.text.rfind('c').unwrap();
        assert_eq!(ex.to_original(c_new), t.rfind('c').unwrap());
        assert_eq!(ex.to_original(3), 2);
    }

    #[test]
    fn code_is_left_alone() {
        let t = "`{{ a() }}` and\n```\n{{ b() }}\n```\n~~~md\n{% c() %}\n~~~\n{{ d() }}";
        let ex = extract(t);
        assert_eq!(ex.shortcodes.len(), 1);
        assert_eq!(ex.shortcodes[0].name, "d");
    }

    #[test]
    fn escaped_and_not_shortcodes() {
        let ex = extract("{{/* a(x=1) */}} {{ page.title }} {%/* b() */%}");
        assert!(ex.shortcodes.is_empty());
        assert!(ex.errors.is_empty());
        assert_eq!(ex.text, "{{ a(x=1) }} {{ page.title }} {% b() %}");
    }

    #[test]
    fn errors() {
        let ex = extract("x {% note() %} never closed");
        assert_eq!(ex.errors[0].0, 2);
        assert!(ex.errors[0].1.to_string().contains("never closed"));
        let ex = extract("{{ a(x=) }}");
        assert!(
            ex.errors[0].1.to_string().contains("argument `x`"),
            "{:?}",
            ex.errors
        );
        let ex = extract("{% end %}");
        assert!(ex.errors[0].1.to_string().contains("without an opening"));
    }

    #[test]
    fn substitution_unwraps_paragraphs() {
        let ex = extract("{{ a() }}\n\nx {{ b() }} y");
        let html = format!(
            "<p>{}</p>\n<p>x {} y</p>\n",
            ex.shortcodes[0].placeholder, ex.shortcodes[1].placeholder
        );
        let out = substitute(
            &html,
            &ex.shortcodes,
            &["<div>A</div>".into(), "<b>B</b>".into()],
        );
        assert_eq!(out, "<div>A</div>\n<p>x <b>B</b> y</p>\n");
    }
}
