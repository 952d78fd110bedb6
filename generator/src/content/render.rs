//! The Markdown of the library's pages and sections: rendered in parallel, then every
//! `#anchor` of an internal link checked against the rendered target.

use std::collections::BTreeSet;
use std::sync::Arc;

use rayon::prelude::*;

use super::library::Library;
use super::page::Source;
use crate::config::ContentKey;
use crate::diagnostics::Diagnostics;
use crate::markdown::{
    check_anchors, render_markdown, RenderContext, RenderInput, Rendered, ShortcodeRenderer,
};

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

    /// [`Library::render_all`] for a one-shot `build`, which will not render or lint the
    /// Markdown again: each file's source text is let go as soon as its page is rendered,
    /// so the sources (about as much memory as the content folder) and the HTML are never
    /// all held at once. [`Library::release_sources`] then lets go of the rest.
    pub fn render_all_once(&mut self, shortcodes: &dyn ShortcodeRenderer) -> Diagnostics {
        let keys: Vec<ContentKey> = self
            .sections
            .keys()
            .chain(self.pages.keys())
            .cloned()
            .collect();
        let empty = Source {
            text: Arc::from(""),
            body_start: 0,
            body_line: 1,
        };
        let sources = keys
            .iter()
            .map(|k| {
                let source = match self.pages.get_mut(k) {
                    Some(p) => &mut p.source,
                    None => &mut self.sections.get_mut(k)?.source,
                };
                Some(std::mem::replace(source, empty.clone()))
            })
            .collect();
        self.render_sources(&keys, Some(sources), shortcodes)
    }

    /// Renders the Markdown of the given pages/sections (in parallel), then re-checks the
    /// anchors of their links and of every link pointing at them. Returns the problems of
    /// those files.
    pub fn render_keys(
        &mut self,
        keys: &[ContentKey],
        shortcodes: &dyn ShortcodeRenderer,
    ) -> Diagnostics {
        self.render_sources(keys, None, shortcodes)
    }

    /// [`Library::render_keys`] from `taken` sources (one for each key, dropped as soon as
    /// it is rendered) when given, else from each file's own.
    fn render_sources(
        &mut self,
        keys: &[ContentKey],
        taken: Option<Vec<Option<Source>>>,
        shortcodes: &dyn ShortcodeRenderer,
    ) -> Diagnostics {
        let markdown = self.config.markdown;
        let taken = taken.unwrap_or_else(|| keys.iter().map(|_| None).collect());
        let results: Vec<(ContentKey, Rendered)> = {
            let this = &*self;
            let ctx = RenderContext {
                markdown: &markdown,
                anchors: this.config.slugify.anchors,
                targets: this,
                shortcodes,
            };
            keys.par_iter()
                .zip(taken)
                .filter_map(|(key, taken)| {
                    let (file, source, lang, permalink) = if let Some(p) = this.pages.get(key) {
                        (&p.file, &p.source, &p.lang, &p.placement.permalink)
                    } else {
                        let s = this.sections.get(key)?;
                        (&s.file, &s.source, &s.lang, &s.placement.permalink)
                    };
                    let source = taken.as_ref().unwrap_or(source);
                    let input = RenderInput {
                        site_path: &file.site_path,
                        key,
                        text: &source.text,
                        body_start: source.body_start,
                        lang,
                        permalink,
                    };
                    let mut rendered = render_markdown(&input, &ctx);
                    // The HTML is built by appending, so its buffers hold up to twice its
                    // length; every page keeps its HTML for the whole build.
                    rendered.content.shrink_to_fit();
                    Some((key.clone(), rendered))
                })
                .collect()
        };
        let changed: BTreeSet<ContentKey> = results.iter().map(|(k, _)| k.clone()).collect();
        for (key, r) in results {
            if let Some(p) = self.pages.get_mut(&key) {
                p.rendered = r;
            } else if let Some(s) = self.sections.get_mut(&key) {
                s.rendered = r;
            }
        }
        // Phase 2: the changed files' links, and links into the changed files.
        let all = changed.len() == self.pages.len() + self.sections.len();
        let to_check: Vec<ContentKey> = self
            .pages
            .iter()
            .map(|(k, p)| (k, &p.rendered))
            .chain(self.sections.iter().map(|(k, s)| (k, &s.rendered)))
            .filter(|(k, r)| {
                all || changed.contains(*k)
                    || r.internal_links.iter().any(|l| changed.contains(&l.target))
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
        let mut out = Diagnostics::new();
        for k in changed.iter().chain(to_check.iter()) {
            if let Some(p) = self.pages.get(k) {
                if changed.contains(k) {
                    out.extend(p.rendered.diagnostics.clone());
                }
                out.extend(p.link_diagnostics.clone());
            } else if let Some(s) = self.sections.get(k) {
                if changed.contains(k) {
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
