//! One Markdown body → HTML, table of contents, anchors, links and problems.
//!
//! [`render_markdown`] is a pure function of its inputs (the file text, the page's language
//! and permalink, the link targets, the shortcode renderer), so pages render in parallel and
//! one edited page re-renders alone.

use std::borrow::Cow;
use std::collections::HashSet;

use pulldown_cmark::{html, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use super::links::{resolve_internal_link, ExternalLink, InternalLink, LinkTargets};
use super::packed_text::PackedText;
use super::shortcodes::{self, ShortcodeCall, ShortcodeRenderer};
use super::slug::{slugify_anchor, SlugStrategy};
use crate::config::MarkdownConfig;
use crate::config::{ContentKey, Lang};
use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex};
use crate::message::{Message, MessageId};

/// Marks the end of the summary in the source.
pub const MORE_MARKER: &str = "<!-- more -->";
/// What the marker becomes in the page's HTML (Zola's anchor for "continue reading" links).
pub const CONTINUE_READING: &str = "<span id=\"continue-reading\"></span>";
const SUMMARY_SENTINEL: &str = "<!--xeberdar-summary-end-->";

/// A table-of-contents entry, in Zola's shape (`page.toc` in templates).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u32,
    pub id: String,
    /// Page permalink + `#id`.
    pub permalink: String,
    /// Plain text of the heading (templates escape it).
    pub title: String,
    pub children: Vec<Heading>,
}

/// The file to render.
#[derive(Debug, Clone, Copy)]
pub struct RenderInput<'a> {
    /// Site-relative path for diagnostics (`content/signs/page.ru.md`).
    pub site_path: &'a str,
    /// Content key (`signs/page.ru.md`), passed to shortcodes.
    pub key: &'a ContentKey,
    /// The whole file, front matter included, so positions are file positions.
    pub text: &'a str,
    /// Byte offset of the Markdown body in `text`.
    pub body_start: usize,
    pub lang: &'a Lang,
    /// The page's permalink, for ToC entries.
    pub permalink: &'a str,
}

/// Everything rendering needs besides the file.
#[derive(Clone, Copy)]
pub struct RenderContext<'a> {
    pub markdown: &'a MarkdownConfig,
    /// How heading ids are made from their text (`[slugify] anchors`).
    pub anchors: SlugStrategy,
    pub targets: &'a dyn LinkTargets,
    pub shortcodes: &'a dyn ShortcodeRenderer,
}

/// The result of rendering one body.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Rendered {
    pub content: String,
    /// Length of the summary (the HTML before `<!-- more -->`, when the marker is present):
    /// it is the start of `content`, so it is not kept twice.
    #[serde(skip)]
    summary_len: Option<usize>,
    pub toc: Vec<Heading>,
    /// Every id a link may point at: heading ids and `id="…"` in raw HTML.
    pub anchors: Vec<String>,
    pub internal_links: Vec<InternalLink>,
    pub external_links: Vec<ExternalLink>,
    /// Errors and warnings, with file positions.
    pub diagnostics: Diagnostics,
    /// Set once the HTML and the table of contents were let go
    /// ([`Rendered::release_body`]): the summary, deflated, when there is one and it was
    /// kept.
    #[serde(skip)]
    released: Option<Option<PackedText>>,
}

impl Rendered {
    /// The HTML before `<!-- more -->`, when the marker is present and the summary was not
    /// let go ([`Rendered::summary_dropped`]).
    pub fn summary(&self) -> Option<Cow<'_, str>> {
        match &self.released {
            Some(packed) => packed.as_ref().map(PackedText::unpack),
            None => self.content.get(..self.summary_len?).map(Cow::Borrowed),
        }
    }

    /// Whether there is a summary with any HTML in it, without unpacking it.
    pub fn has_summary(&self) -> bool {
        self.summary_len.is_some_and(|len| len > 0)
    }

    /// Keeps no HTML or table of contents, and of the summary a deflated copy only when
    /// `keep_summary`, for a one-shot build where nothing but the page's own output reads
    /// the rest: that output renders the body again, so a large site never holds every
    /// page's HTML at once. Whatever reads a summary that was let go renders it again.
    pub fn release_body(&mut self, keep_summary: bool) {
        let summary = if keep_summary {
            self.summary().map(|s| PackedText::pack(&s))
        } else {
            None
        };
        self.released = Some(summary);
        self.content = String::new();
        self.toc = Vec::new();
    }

    /// Whether [`Rendered::release_body`] let the body go.
    pub fn body_released(&self) -> bool {
        self.released.is_some()
    }

    /// Whether the page has a summary that [`Rendered::release_body`] let go: only
    /// rendering the body again gives it.
    pub fn summary_dropped(&self) -> bool {
        matches!(self.released, Some(None)) && self.summary_len.is_some()
    }
}

/// pulldown-cmark options from `[markdown]`. Heading attributes (`{#id}`) are always on.
pub fn options(c: &MarkdownConfig) -> Options {
    let mut o = Options::ENABLE_HEADING_ATTRIBUTES;
    o.set(Options::ENABLE_TABLES, c.tables);
    o.set(Options::ENABLE_FOOTNOTES, c.footnotes);
    o.set(Options::ENABLE_STRIKETHROUGH, c.strikethrough);
    o.set(Options::ENABLE_TASKLISTS, c.tasklists);
    o.set(Options::ENABLE_SMART_PUNCTUATION, c.smart_punctuation);
    o
}

/// Renders one Markdown body. Never panics on any input; every problem is a diagnostic.
pub fn render_markdown(input: &RenderInput<'_>, ctx: &RenderContext<'_>) -> Rendered {
    render(input, ctx, Scope::Whole)
}

/// The summary of one Markdown body (the HTML before `<!-- more -->`), exactly as
/// [`render_markdown`] makes it, for a build that let it go: the HTML after the marker is
/// not made. `None` without a marker.
pub fn render_summary(input: &RenderInput<'_>, ctx: &RenderContext<'_>) -> Option<String> {
    let r = render(input, ctx, Scope::Summary);
    r.summary_len.map(|_| r.content)
}

/// How much of a body [`render`] turns into HTML.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Whole,
    /// Up to the summary marker. The rest is still parsed, because explicit heading ids
    /// anywhere in the body are reserved before any automatic id is given.
    Summary,
}

fn render(input: &RenderInput<'_>, ctx: &RenderContext<'_>, scope: Scope) -> Rendered {
    let body = input.text.get(input.body_start..).unwrap_or("");
    // Built on first use: most pages have nothing to report and few links.
    let lines: std::cell::OnceCell<LineIndex> = std::cell::OnceCell::new();
    let pos = |body_offset: usize| {
        lines
            .get_or_init(|| LineIndex::new(input.text))
            .position(input.text, input.body_start + body_offset)
    };
    let mut out = Rendered::default();
    let mut diag = |severity_error: bool, body_offset: usize, message: Message| {
        let (line, col) = pos(body_offset);
        let d = if severity_error {
            Diagnostic::error(input.site_path, line, col, message)
        } else {
            Diagnostic::warning(input.site_path, line, col, message)
        };
        out.diagnostics.push(d);
    };

    // 1. Shortcodes → placeholders, rendered now.
    let ex = shortcodes::extract(body);
    for (offset, message) in &ex.errors {
        diag(true, *offset, message.clone());
    }
    let mut nth: std::collections::HashMap<&str, usize> = Default::default();
    let outputs: Vec<String> = ex
        .shortcodes
        .iter()
        .map(|sc| {
            let n = nth.entry(sc.name.as_str()).or_insert(0);
            *n += 1;
            let call = ShortcodeCall {
                name: &sc.name,
                args: &sc.args,
                body: sc.body.as_deref(),
                lang: input.lang,
                page_key: input.key,
                nth: *n,
            };
            ctx.shortcodes.render(&call).unwrap_or_else(|message| {
                diag(
                    true,
                    sc.offset,
                    Message::of(MessageId::ShortcodeProblem)
                        .text("name", sc.name.as_str())
                        .message("problem", message),
                );
                String::new()
            })
        })
        .collect();

    // 2. Markdown events, with heading ids, links and the summary marker handled.
    let text = ex.text.as_str();
    let mut events: Vec<Event<'_>> = Vec::with_capacity(text.len() / 16);
    // (index of the Start event, level, plain title)
    let mut headings: Vec<(usize, u32, String)> = Vec::new();
    let mut heading: Option<(usize, String)> = None;
    let mut anchors: Vec<String> = Vec::new();
    let mut has_summary = false;

    let parser = Parser::new_ext(text, options(ctx.markdown)).into_offset_iter();
    // Explicit heading ids after the marker, when only the summary is made.
    let mut later_ids: Vec<String> = Vec::new();
    for (event, range) in parser {
        if scope == Scope::Summary && has_summary && heading.is_none() {
            // Nothing after the marker changes the HTML before it but those ids (a heading
            // the marker is in gets its id at its end, so that end is waited for).
            if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
                later_ids.push(id.to_string());
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { .. }) => {
                heading = Some((events.len(), String::new()));
                events.push(event);
            }
            Event::Text(ref t) | Event::Code(ref t) if heading.is_some() => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(t);
                }
                events.push(event);
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, raw_title)) = heading.take() {
                    let title = ex.strip_placeholders(&raw_title).trim().to_string();
                    headings.push((start, level as u32, title));
                }
                events.push(event);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let offset = ex.to_original(range.start);
                let dest = if dest_url.starts_with("@/") {
                    match resolve_internal_link(ctx.targets, &dest_url, input.lang) {
                        Ok(r) => {
                            if let Some(w) = r.warning.clone() {
                                diag(false, offset, w);
                            }
                            let (line, col) = pos(offset);
                            out.internal_links.push(InternalLink {
                                raw: dest_url.to_string(),
                                target: r.key,
                                anchor: r.anchor,
                                line,
                                col,
                            });
                            CowStr::from(r.url)
                        }
                        Err(message) => {
                            diag(true, offset, message);
                            dest_url
                        }
                    }
                } else {
                    if link_type != LinkType::Email
                        && (dest_url.starts_with("http://") || dest_url.starts_with("https://"))
                    {
                        let (line, col) = pos(offset);
                        out.external_links.push(ExternalLink {
                            url: dest_url.to_string(),
                            line,
                            col,
                        });
                    }
                    dest_url
                };
                let external = dest.starts_with("http://") || dest.starts_with("https://");
                let m = ctx.markdown;
                if external
                    && (m.external_links_target_blank
                        || m.external_links_no_follow
                        || m.external_links_no_referrer)
                {
                    // pulldown-cmark cannot add attributes to a link: write the opening tag
                    // ourselves; its `</a>` still closes it.
                    events.push(Event::InlineHtml(CowStr::from(external_link_tag(
                        &dest, &title, m,
                    ))));
                } else {
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: dest,
                        title,
                        id,
                    }));
                }
            }
            Event::Html(h) | Event::InlineHtml(h) if h.contains(MORE_MARKER) && !has_summary => {
                has_summary = true;
                collect_html_ids(&h, &mut anchors);
                events.push(Event::Html(CowStr::from(h.replacen(
                    MORE_MARKER,
                    SUMMARY_SENTINEL,
                    1,
                ))));
            }
            Event::Html(ref h) | Event::InlineHtml(ref h) => {
                collect_html_ids(h, &mut anchors);
                events.push(event);
            }
            other => events.push(other),
        }
    }

    // Heading ids: explicit `{#id}`s are reserved first, so an automatic id never takes one.
    let mut used_ids: HashSet<String> = headings
        .iter()
        .filter_map(|(i, _, _)| match &events[*i] {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .chain(later_ids)
        .collect();
    let mut flat_toc: Vec<(u32, String, String)> = Vec::with_capacity(headings.len());
    for (i, level, title) in headings {
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
            let final_id = match id {
                Some(explicit) => explicit.to_string(),
                None => {
                    let mut base = slugify_anchor(&title, input.lang, ctx.anchors);
                    if base.is_empty() {
                        base = "section".to_string();
                    }
                    let unique = unique_id(base, &used_ids);
                    used_ids.insert(unique.clone());
                    *id = Some(CowStr::from(unique.clone()));
                    unique
                }
            };
            anchors.push(final_id.clone());
            flat_toc.push((level, final_id, title));
        }
    }

    // 3. HTML, then shortcode output and the summary split.
    let mut html_out = String::with_capacity(text.len() + text.len() / 2);
    html::push_html(&mut html_out, events.into_iter());
    let html_out = shortcodes::substitute(&html_out, &ex.shortcodes, &outputs);
    if let Some(at) = html_out.find(SUMMARY_SENTINEL) {
        let summary_len = html_out[..at].trim_end().len();
        out.summary_len = Some(summary_len);
        if scope == Scope::Summary {
            out.content = html_out;
            out.content.truncate(summary_len);
            return out;
        }
        // A marker on a line of its own goes with its line break, as in Zola, so the
        // anchor sits right before the next block.
        let own_line = format!("{SUMMARY_SENTINEL}\n");
        out.content = if html_out[at..].starts_with(&own_line) {
            html_out.replacen(&own_line, CONTINUE_READING, 1)
        } else {
            html_out.replacen(SUMMARY_SENTINEL, CONTINUE_READING, 1)
        };
    } else {
        out.content = html_out;
    }
    out.toc = build_toc(flat_toc, input.permalink);
    out.anchors = anchors;
    out
}

/// `<a href="…" title="…" rel="…" target="_blank">` for an external link.
fn external_link_tag(href: &str, title: &str, m: &MarkdownConfig) -> String {
    let mut tag = format!("<a href=\"{}\"", xeberdar_site::escape::html(href));
    if !title.is_empty() {
        tag.push_str(&format!(
            " title=\"{}\"",
            xeberdar_site::escape::html(title)
        ));
    }
    let rel: Vec<&str> = [
        (m.external_links_target_blank, "noopener"),
        (m.external_links_no_follow, "nofollow"),
        (m.external_links_no_referrer, "noreferrer"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, r)| *r)
    .collect();
    if !rel.is_empty() {
        tag.push_str(&format!(" rel=\"{}\"", rel.join(" ")));
    }
    if m.external_links_target_blank {
        tag.push_str(" target=\"_blank\"");
    }
    tag.push('>');
    tag
}

fn unique_id(base: String, used: &HashSet<String>) -> String {
    if !used.contains(&base) {
        return base;
    }
    (1..)
        .map(|i| format!("{base}-{i}"))
        .find(|c| !used.contains(c))
        .unwrap_or(base)
}

/// `id="…"` and `name="…"` attributes written in raw HTML are link targets too.
fn collect_html_ids(html: &str, out: &mut Vec<String>) {
    for attr in [" id=", " name="] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            if let Some(end) = rest[1..].find(q) {
                out.push(rest[1..1 + end].to_string());
            }
        }
    }
}

/// Nests flat headings: each heading becomes a child of the closest earlier heading with a
/// smaller level.
fn build_toc(flat: Vec<(u32, String, String)>, permalink: &str) -> Vec<Heading> {
    fn insert(list: &mut Vec<Heading>, h: Heading) {
        match list.last_mut() {
            Some(last) if last.level < h.level => insert(&mut last.children, h),
            _ => list.push(h),
        }
    }
    let mut toc = Vec::new();
    for (level, id, title) in flat {
        let h = Heading {
            level,
            permalink: format!("{permalink}#{id}"),
            id,
            title,
            children: Vec::new(),
        };
        insert(&mut toc, h);
    }
    toc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::NoShortcodes;

    struct NoTargets(Lang);
    impl LinkTargets for NoTargets {
        fn default_language(&self) -> &Lang {
            &self.0
        }
        fn lang(&self, code: &str) -> Option<&Lang> {
            (self.0 == code).then_some(&self.0)
        }
        fn find(&self, _: &str, _: &Lang) -> Option<(&ContentKey, &str)> {
            None
        }
    }

    fn no_targets() -> NoTargets {
        NoTargets(Lang::new("az").unwrap())
    }

    fn render(body: &str) -> Rendered {
        render_with(
            body,
            &MarkdownConfig::default(),
            &NoShortcodes,
            render_markdown,
        )
    }

    fn render_with<R>(
        body: &str,
        md: &MarkdownConfig,
        shortcodes: &dyn ShortcodeRenderer,
        render: impl FnOnce(&RenderInput<'_>, &RenderContext<'_>) -> R,
    ) -> R {
        let text = format!("+++\n+++\n{body}");
        let key: ContentKey = "x.md".parse().unwrap();
        let (lang, targets) = (Lang::new("az").unwrap(), no_targets());
        let input = RenderInput {
            site_path: "content/x.md",
            key: &key,
            text: &text,
            body_start: 8,
            lang: &lang,
            permalink: "https://e.org/x/",
        };
        let ctx = RenderContext {
            markdown: md,
            anchors: SlugStrategy::Unicode,
            targets: &targets,
            shortcodes,
        };
        render(&input, &ctx)
    }

    /// Says which call it is, so a summary shows that shortcodes were counted as in the
    /// whole body.
    struct Numbered;
    impl ShortcodeRenderer for Numbered {
        fn render(&self, call: &ShortcodeCall<'_>) -> Result<String, Message> {
            Ok(format!("<b>{} {}</b>", call.name, call.nth))
        }
    }

    /// The summary made alone is, byte for byte, the start of the whole body's HTML, also
    /// where the rest of the body could change it: an explicit id later that an automatic
    /// id before must avoid, a marker inside a heading, a list or a paragraph, footnotes,
    /// reference links defined after the marker, shortcodes on both sides.
    #[test]
    fn a_summary_rendered_alone_is_the_whole_bodys_summary() {
        let md = MarkdownConfig {
            footnotes: true,
            tables: true,
            smart_punctuation: true,
            strikethrough: true,
            tasklists: true,
            ..MarkdownConfig::default()
        };
        let bodies = [
            "## Plan\n\nText.\n\n<!-- more -->\n\n## Later {#plan}\n",
            "## Intro <!-- more --> here\n\nAfter.\n\n## Intro\n",
            "- one\n- two <!-- more -->\n- three\n",
            "Before \"quoted <!-- more --> after\" end.\n",
            "See [the plan][p] and a note[^1].\n\n<!-- more -->\n\n[^1]: The note.\n\n[p]: https://e.org/plan\n",
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n<!-- more -->\n\n| c |\n|---|\n| 3 |\n",
            "{{ s() }} and {{ s() }}\n\n<!-- more -->\n\n{{ s() }}\n",
            "{{ s() }}<!-- more -->{{ s() }}\n",
            "> quote\n> <!-- more -->\n> rest\n",
            "No marker at all.\n",
            "<!-- more -->\nAll after.\n",
            "```\n<!-- more -->\n```\n\nReal <!-- more --> one.\n",
        ];
        for body in bodies {
            let whole = render_with(body, &md, &Numbered, render_markdown);
            let alone = render_with(body, &md, &Numbered, render_summary);
            assert_eq!(
                alone.as_deref(),
                whole.summary().as_deref(),
                "{body:?}\nwhole: {}",
                whole.content
            );
        }
        let r = render_with(bodies[0], &md, &Numbered, render_summary);
        assert_eq!(
            r.as_deref(),
            Some("<h2 id=\"plan-1\">Plan</h2>\n<p>Text.</p>")
        );
    }

    /// Malformed input of every kind gives diagnostics or text, never a panic.
    #[test]
    fn odd_input_never_panics() {
        let cases = [
            "",
            "{",
            "{{",
            "{%",
            "{{ ",
            "{{ ə(",
            "{{ a(x=\"ü",
            "{{ a(x=[1,",
            "{% a() %}",
            "{% end",
            "{{/*",
            "{%/* a() */",
            "```\n{{ a() }}",
            "`{{ a() }}",
            "# {{ a() }}",
            "#",
            "# {#}",
            "<!-- more",
            "<!-- more --><!-- more -->",
            "[x](@/)",
            "[x](@/#)",
            "[x](@/a.md#)",
            "[x](@/ü.md",
            "[^1]\n\n[^1]: n",
            "| a |\n|---|\n| ə |",
            "\u{feff}# BOM",
            "İ\u{307}",
            "{{ a(x=1e999) }}",
            "{{ a(x=-) }}",
            "{{ a(,) }}",
        ];
        for c in cases {
            let r = render(c);
            let _ = (r.content.len(), r.diagnostics.len());
        }
        let r = render("# {{ a() }} Başlıq\n");
        assert_eq!(r.anchors, vec!["başlıq"]);
        assert_eq!(r.toc[0].title, "Başlıq");
        assert!(r.diagnostics.has_errors());
    }

    #[test]
    fn external_link_attributes_from_config() {
        let text = "+++\n+++\n[a](https://e.com/?a=1&b=\"2\" \"T\") [b](@/x.md) <https://f.org>\n";
        let md = MarkdownConfig {
            external_links_no_referrer: true,
            external_links_target_blank: true,
            ..MarkdownConfig::default()
        };
        let key: ContentKey = "x.md".parse().unwrap();
        let (lang, targets) = (Lang::new("az").unwrap(), no_targets());
        let input = RenderInput {
            site_path: "content/x.md",
            key: &key,
            text,
            body_start: 8,
            lang: &lang,
            permalink: "https://e.org/x/",
        };
        let ctx = RenderContext {
            markdown: &md,
            anchors: SlugStrategy::Unicode,
            targets: &targets,
            shortcodes: &NoShortcodes,
        };
        let r = render_markdown(&input, &ctx);
        assert!(
            r.content.contains("<a href=\"https://e.com/?a=1&amp;b=&quot;2&quot;\" title=\"T\" rel=\"noopener noreferrer\" target=\"_blank\">a</a>"),
            "{}",
            r.content
        );
        assert!(r.content.contains("<a href=\"https://f.org\" rel=\"noopener noreferrer\" target=\"_blank\">https://f.org</a>"), "{}", r.content);
        assert_eq!(r.external_links.len(), 2);
        // Off by default: pulldown-cmark's own tag.
        assert!(render("[a](https://e.com)")
            .content
            .contains("<a href=\"https://e.com\">a</a>"));
    }

    #[test]
    fn explicit_ids_are_reserved_before_automatic_ones() {
        let r = render("## Bir\n\n## Başqa {#bir}\n");
        assert_eq!(r.anchors, vec!["bir-1", "bir"]);
    }
}
