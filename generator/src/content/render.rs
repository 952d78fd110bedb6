//! The Markdown of the library's pages and sections: rendered in parallel, then every
//! `#anchor` of an internal link checked against the rendered target.

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::library::Library;
use super::page::Page;
use crate::config::ContentKey;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{
    check_anchors, render_markdown, render_summary, RenderContext, RenderInput, Rendered,
    ShortcodeRenderer,
};
use crate::templates::without_site_data;

/// Whether a one-shot build must keep a page's whole body (HTML and table of contents)
/// after rendering it, given the page and what its Markdown rendered to.
pub type BodyNeeded<'a> = dyn Fn(&Page, &Rendered) -> bool + Sync + 'a;

/// What a one-shot build does with a page as soon as its Markdown is rendered; returns the
/// problems found.
pub type PageRendered<'a> = dyn Fn(&Page, &Rendered) -> Diagnostics + Sync + 'a;

/// Markdown rendered by [`Library::render_once`], not yet stored in the library.
pub struct RenderedFiles(Vec<Option<(ContentKey, Rendered)>>);

impl Library {
    /// Renders the Markdown of every page and section (in parallel), then checks every
    /// `#anchor`. Returns all Markdown and link problems (also kept on each page).
    pub fn render_all(&mut self, shortcodes: &dyn ShortcodeRenderer) -> Diagnostics {
        let keys: Vec<ContentKey> = self
            .sections
            .keys()
            .chain(self.pages.keys())
            .cloned()
            .collect();
        self.render_keys(&keys, shortcodes)
    }

    /// The Markdown of `keys` for a one-shot `build`, which will not render or lint the
    /// Markdown again, from a library loaded with `release_sources` (each file's text let
    /// go once parsed): in parallel, each file is read again, rendered and let go, so the
    /// sources (about as much memory as the content folder) and the HTML are never all
    /// held at once. `then` sees each page as soon as it is rendered (to write its own
    /// output there) and returns the problems it found; a page for which `body_needed`
    /// says no keeps at most its summary afterwards, only with `keep_summaries`
    /// ([`Rendered::release_body`]), and an output that needs the rest later renders it
    /// again ([`Library::render_body_again`]). Nothing is stored:
    /// [`Library::keep_rendered`] does that.
    pub fn render_once(
        &self,
        keys: &[ContentKey],
        shortcodes: &dyn ShortcodeRenderer,
        body_needed: &BodyNeeded<'_>,
        keep_summaries: bool,
        then: &PageRendered<'_>,
    ) -> (RenderedFiles, Diagnostics) {
        let found = std::sync::Mutex::new(Diagnostics::new());
        let files = self.render_each(keys, shortcodes, &|page, rendered| {
            // A build checks only the anchors of links and lists no links.
            rendered.internal_links.retain(|l| l.anchor.is_some());
            rendered.internal_links.shrink_to_fit();
            rendered.external_links = Vec::new();
            rendered.anchors.shrink_to_fit();
            let Some(page) = page else {
                rendered.content.shrink_to_fit();
                return;
            };
            let problems = then(page, rendered);
            if !problems.is_empty() {
                if let Ok(mut f) = found.lock() {
                    f.extend(problems);
                }
            }
            if body_needed(page, rendered) {
                rendered.content.shrink_to_fit();
            } else {
                rendered.release_body(keep_summaries);
            }
        });
        let found = found.into_inner().unwrap_or_default();
        (RenderedFiles(files), found)
    }

    /// The Markdown of a page whose body was let go ([`Rendered::release_body`]), rendered
    /// again from its file as the first rendering made it: shortcodes render with the site
    /// hidden from the lookup functions, as they did then. Fails when the file changed
    /// since.
    pub fn render_body_again(
        &self,
        page: &Page,
        shortcodes: &dyn ShortcodeRenderer,
    ) -> Result<Rendered, Diagnostic> {
        self.render_again(page, shortcodes, render_markdown)
    }

    /// The summary of a page that the build let go ([`Rendered::summary_dropped`]),
    /// rendered again from its file as [`Library::render_body_again`] would, without the
    /// HTML after the marker.
    pub fn render_summary_again(
        &self,
        page: &Page,
        shortcodes: &dyn ShortcodeRenderer,
    ) -> Result<Option<String>, Diagnostic> {
        self.render_again(page, shortcodes, render_summary)
    }

    fn render_again<R>(
        &self,
        page: &Page,
        shortcodes: &dyn ShortcodeRenderer,
        render: impl FnOnce(&RenderInput<'_>, &RenderContext<'_>) -> R,
    ) -> Result<R, Diagnostic> {
        let text = page
            .source
            .text_again(&page.file.abs_path)
            .map_err(|m| Diagnostic::error(&page.file.site_path, 1, 1, m))?;
        let markdown = self.config.markdown;
        let ctx = RenderContext {
            markdown: &markdown,
            anchors: self.config.slugify.anchors,
            targets: self,
            shortcodes,
        };
        let input = RenderInput {
            site_path: &page.file.site_path,
            key: &page.file.key,
            text: &text,
            body_start: page.source.body_start,
            lang: &page.lang,
            permalink: &page.placement.permalink,
        };
        Ok(without_site_data(|| render(&input, &ctx)))
    }

    /// Renders the Markdown of the given pages/sections (in parallel), then re-checks the
    /// anchors of their links and of every link pointing at them. Returns the problems of
    /// those files.
    pub fn render_keys(
        &mut self,
        keys: &[ContentKey],
        shortcodes: &dyn ShortcodeRenderer,
    ) -> Diagnostics {
        self.render_sources(keys, shortcodes)
    }

    /// [`Library::render_keys`]; with `once`, for a one-shot build, also which pages keep
    /// their body.
    fn render_sources(
        &mut self,
        keys: &[ContentKey],
        shortcodes: &dyn ShortcodeRenderer,
    ) -> Diagnostics {
        let results = self.render_each(keys, shortcodes, &|_, rendered| {
            // The HTML is built by appending, so its buffers hold up to twice its length;
            // the page keeps its HTML.
            rendered.content.shrink_to_fit();
        });
        self.store_and_check(results)
    }

    /// The Markdown of `keys`, rendered in parallel; `after` sees each result (and its page,
    /// for a page) before it is returned. Shortcodes render with the site hidden from the
    /// lookup functions: a file's Markdown never depends on other files' rendered state.
    fn render_each(
        &self,
        keys: &[ContentKey],
        shortcodes: &dyn ShortcodeRenderer,
        after: &(dyn Fn(Option<&Page>, &mut Rendered) + Sync),
    ) -> Vec<Option<(ContentKey, Rendered)>> {
        let markdown = self.config.markdown;
        {
            let this = self;
            let ctx = RenderContext {
                markdown: &markdown,
                anchors: this.config.slugify.anchors,
                targets: this,
                shortcodes,
            };
            // `map`, not `filter_map`: an indexed iterator collects straight into one list of
            // the right length, where a filtered one grows a list per thread and then
            // copies them all into another (twice the memory, at the end of the pass).
            keys.par_iter()
                .map(|key| {
                    let page = this.pages.get(key).map(|p| &**p);
                    let (file, source, lang, permalink) = if let Some(p) = page {
                        (&p.file, &p.source, &p.lang, &p.placement.permalink)
                    } else {
                        let s = this.sections.get(key)?;
                        (&s.file, &s.source, &s.lang, &s.placement.permalink)
                    };
                    let text = match source.text_again(&file.abs_path) {
                        Ok(t) => t,
                        Err(m) => {
                            let mut failed = Rendered::default();
                            failed
                                .diagnostics
                                .push(Diagnostic::error(&file.site_path, 1, 1, m));
                            return Some((key.clone(), failed));
                        }
                    };
                    let input = RenderInput {
                        site_path: &file.site_path,
                        key,
                        text: &text,
                        body_start: source.body_start,
                        lang,
                        permalink,
                    };
                    let mut rendered = without_site_data(|| render_markdown(&input, &ctx));
                    drop(text);
                    after(page, &mut rendered);
                    Some((key.clone(), rendered))
                })
                .collect()
        }
    }

    /// Stores rendered Markdown, then checks the anchors of those files' links and of every
    /// link pointing at them. Returns their problems.
    fn store_and_check(&mut self, results: Vec<Option<(ContentKey, Rendered)>>) -> Diagnostics {
        let changed: BTreeSet<ContentKey> =
            results.iter().flatten().map(|(k, _)| k.clone()).collect();
        self.keep(results);
        let all = changed.len() == self.pages.len() + self.sections.len();
        self.check_links((!all).then_some(&changed))
    }

    /// Keeps what [`Library::render_once`] rendered without checking any anchor, for a
    /// build that renders its files a part at a time, so it never holds every file's
    /// result in a list besides the library: [`Library::check_all_links`] follows once
    /// every part is in.
    pub fn keep_rendered(&mut self, files: RenderedFiles) {
        self.keep(files.0);
    }

    /// Checks the anchors of every link of every file. Returns every file's Markdown and
    /// link problems.
    pub fn check_all_links(&mut self) -> Diagnostics {
        self.check_links(None)
    }

    fn keep(&mut self, results: Vec<Option<(ContentKey, Rendered)>>) {
        for (key, r) in results.into_iter().flatten() {
            if let Some(p) = self.pages.get_mut(&key) {
                p.rendered = r;
            } else if let Some(s) = self.sections.get_mut(&key) {
                s.rendered = r;
            }
        }
    }

    /// Phase 2 of link checking: the links of the `changed` files (every file for `None`)
    /// and the links into them. Returns the problems of those files.
    fn check_links(&mut self, changed: Option<&BTreeSet<ContentKey>>) -> Diagnostics {
        let is_changed = |k: &ContentKey| changed.is_none_or(|c| c.contains(k));
        let to_check: Vec<ContentKey> = self
            .pages
            .iter()
            .map(|(k, p)| (k, &p.rendered))
            .chain(self.sections.iter().map(|(k, s)| (k, &s.rendered)))
            .filter(|(k, r)| {
                is_changed(k) || r.internal_links.iter().any(|l| is_changed(&l.target))
            })
            .map(|(k, _)| k.clone())
            .collect();
        let checked: Vec<(ContentKey, Diagnostics)> = to_check
            .par_iter()
            .filter_map(|k| {
                let (site_path, rendered) = match self.pages.get(k) {
                    Some(p) => (&p.file.site_path, &p.rendered),
                    None => {
                        let s = self.sections.get(k)?;
                        (&s.file.site_path, &s.rendered)
                    }
                };
                let d = check_anchors(site_path, &rendered.internal_links, |t| self.anchors_of(t));
                Some((k.clone(), d))
            })
            .collect();
        for (k, d) in checked {
            if let Some(p) = self.pages.get_mut(&k) {
                p.link_diagnostics = d;
            } else if let Some(s) = self.sections.get_mut(&k) {
                s.link_diagnostics = d;
            }
        }
        // Every changed file is in `to_check`.
        let mut out = Diagnostics::new();
        for k in &to_check {
            if let Some(p) = self.pages.get(k) {
                if is_changed(k) {
                    out.extend(p.rendered.diagnostics.clone());
                }
                out.extend(p.link_diagnostics.clone());
            } else if let Some(s) = self.sections.get(k) {
                if is_changed(k) {
                    out.extend(s.rendered.diagnostics.clone());
                }
                out.extend(s.link_diagnostics.clone());
            }
        }
        out.sort();
        out
    }

    fn anchors_of(&self, key: &str) -> Option<&[String]> {
        self.pages
            .get(key)
            .map(|p| p.rendered.anchors.as_slice())
            .or_else(|| {
                self.sections
                    .get(key)
                    .map(|s| s.rendered.anchors.as_slice())
            })
    }
}
