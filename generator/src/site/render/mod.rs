//! Each output rendered, one module a kind of output, so what a page, a feed or a taxonomy
//! page carries can be read in one place: `content` (pages, section pagers, redirects),
//! `taxonomies`, `feed`, `sitemap`; `template` holds what they share. Here each
//! [`OutputId`] is sent to its renderer, and the 404 page and `robots.txt` are made. The
//! search pages are `site::search`'s, beside the index they lead to.

mod content;
mod feed;
mod sitemap;
mod taxonomies;
mod template;

use std::io::Write;

use serde_json::Value;

use super::outputs::{gone, OutputId};
use super::Site;
use crate::config::Lang;
use crate::diagnostics::Diagnostic;
use content::section_template;
pub(super) use feed::{BUILTIN_FEED, FEED_TEMPLATES};
use taxonomies::{taxonomy_list_templates, taxonomy_term_templates};

/// One rendered output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Path relative to the output folder (`ru/news/index.html`).
    pub file: String,
    pub body: String,
}

impl Site {
    /// Renders one output into memory.
    pub fn render_output(&self, id: &OutputId) -> Result<Rendered, Diagnostic> {
        let file = self.file_of(id).ok_or_else(|| gone(&format!("{id:?}")))?;
        let mut body = Vec::new();
        self.write_output(id, &mut body)?;
        // Templates and values are text, so the output is; a lossy reading never panics.
        let body = String::from_utf8(body)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Ok(Rendered { file, body })
    }

    /// Renders one output into `out` as it is made.
    pub(super) fn write_output(
        &self,
        id: &OutputId,
        out: &mut dyn Write,
    ) -> Result<(), Diagnostic> {
        let cannot_write = |e: std::io::Error| {
            let file = self.file_of(id).unwrap_or_default();
            Diagnostic::error(file, 1, 1, format!("cannot write: {e}"))
        };
        let text =
            |out: &mut dyn Write, text: &str| out.write_all(text.as_bytes()).map_err(cannot_write);
        match id {
            OutputId::Page(key) => self.render_page(key, out),
            OutputId::Section { key, pager } => {
                let s = self.library.section(key).ok_or_else(|| gone(key))?;
                self.for_template(&[section_template(s)], || {
                    self.render_section(key, *pager, out)
                })
            }
            OutputId::FirstPagerRedirect(key) => {
                let s = self.library.section(key).ok_or_else(|| gone(key))?;
                self.render_redirect(
                    &s.placement.permalink,
                    &s.lang,
                    &format!("content/{key}"),
                    out,
                )
            }
            OutputId::TaxonomyList { lang, kind } => self.for_template(
                &taxonomy_list_templates(kind).each_ref().map(String::as_str),
                || self.render_taxonomy_list(lang, kind, out),
            ),
            OutputId::TaxonomyTerm { lang, kind, slug } => self.for_template(
                &taxonomy_term_templates(kind).each_ref().map(String::as_str),
                || self.render_taxonomy_term(lang, kind, slug, out),
            ),
            OutputId::Feed { lang } => {
                self.for_template(FEED_TEMPLATES, || self.render_feed(lang, out))
            }
            OutputId::NotFound { lang } => self.render_not_found(lang, out),
            OutputId::Search { lang } => self.render_search_page(lang, out),
            OutputId::AllPages { lang } => self.render_all_pages(lang, out),
            OutputId::Alias { key, .. } => {
                let url = self.library.permalink_of(key).ok_or_else(|| gone(key))?;
                let lang = self
                    .library
                    .page(key)
                    .map(|p| &p.lang)
                    .or_else(|| self.library.section(key).map(|s| &s.lang))
                    .unwrap_or(&self.config.default_language);
                self.render_redirect(url, lang, &format!("content/{key}"), out)
            }
            OutputId::Sitemap => self.render_sitemap(out).map_err(cannot_write),
            OutputId::SitemapPart(n) => self
                .render_sitemap_part(*n, out)
                .ok_or_else(|| gone(&crate::site::sitemap::part_file(*n)))?
                .map_err(cannot_write),
            OutputId::Robots => {
                if self.templates.has("robots.txt") {
                    let ctx = self.base_context(&self.config.default_language, "/robots.txt");
                    self.render_template(&["robots.txt"], ctx, "robots.txt", out)
                } else {
                    text(out, &crate::site::sitemap::robots(&self.config.base_url))
                }
            }
        }
    }

    fn render_not_found(&self, lang: &Lang, out: &mut dyn Write) -> Result<(), Diagnostic> {
        let prefix = self.config.lang_prefix(lang);
        let path = format!("{prefix}/404.html");
        let mut ctx = self.base_context(lang, &path);
        ctx.insert(
            "home_url".into(),
            Value::from(self.config.permalink(&format!("{prefix}/"))),
        );
        self.render_template(
            &["404.html", "__xeberdar/404.html"],
            ctx,
            &self.templates.path_of("404.html").to_string_lossy(),
            out,
        )
    }
}
