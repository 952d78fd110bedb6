//! The site's search: the index of each language (through [`crate::search`]) and two pages
//! per language, `<lang>/search/` (the search box, which `search.js` brings to life) and
//! `<lang>/search/all/` (every page with its headings: where the box leads without
//! JavaScript, so a visitor is never left with nothing).

use serde_json::{json, Value};

use super::output::OutputSink;
use super::Site;
use crate::content::Library;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::Heading;
use crate::search::{build_index, index::IndexDoc, INDEX_DIR};

/// Site path of a language's search page.
pub fn search_path(prefix: &str) -> String {
    format!("{prefix}/search/")
}

/// Site path of a language's list of all pages.
pub fn all_pages_path(prefix: &str) -> String {
    format!("{prefix}/search/all/")
}

fn flat_headings<'a>(toc: &'a [Heading], out: &mut Vec<&'a Heading>) {
    for h in toc {
        out.push(h);
        flat_headings(&h.children, out);
    }
}

/// The pages and sections of `lang` that go in its index, by path.
fn indexed_docs<'a>(lib: &'a Library, lang: &'a str) -> Vec<IndexDoc<'a>> {
    let mut docs = Vec::new();
    for p in lib
        .pages_in(lang)
        .filter(|p| p.meta.render && p.meta.in_search_index)
    {
        let mut hs = Vec::new();
        flat_headings(&p.rendered.toc, &mut hs);
        docs.push(IndexDoc {
            title: p.meta.title.as_deref().unwrap_or(&p.slug),
            path: &p.path,
            description: p.meta.description.as_deref().unwrap_or(""),
            headings: hs.iter().map(|h| h.title.as_str()).collect(),
            html: &p.rendered.content,
        });
    }
    for s in lib
        .sections_in(lang)
        .filter(|s| s.meta.render && s.meta.in_search_index && !s.implicit)
        .filter(|s| s.meta.redirect_to.is_none())
    {
        let mut hs = Vec::new();
        flat_headings(&s.rendered.toc, &mut hs);
        docs.push(IndexDoc {
            title: s.meta.title.as_deref().unwrap_or(&s.path),
            path: &s.path,
            description: s.meta.description.as_deref().unwrap_or(""),
            headings: hs.iter().map(|h| h.title.as_str()).collect(),
            html: &s.rendered.content,
        });
    }
    docs.sort_by(|a, b| a.path.cmp(b.path));
    docs
}

impl Site {
    /// Writes the search index of every language that has one; returns write errors.
    pub fn write_search_indexes(&self, sink: &dyn OutputSink) -> Diagnostics {
        let mut d = Diagnostics::new();
        for lang in self.config.search_languages() {
            let docs = indexed_docs(&self.library, lang);
            for f in build_index(lang, &docs, &self.config.search) {
                if let Err(e) = sink.put(&f.rel, f.body.as_bytes()) {
                    d.push(Diagnostic::error(f.rel, 1, 1, format!("cannot write: {e}")));
                }
            }
        }
        d
    }

    pub(super) fn render_search_page(&self, lang: &str) -> Result<String, Diagnostic> {
        let prefix = self.config.lang_prefix(lang);
        let path = search_path(&prefix);
        let mut ctx = self.base_context(lang, &path);
        ctx.insert(
            "search".into(),
            json!({
                "index_url": format!("/{INDEX_DIR}/{lang}/"),
                "all_pages_path": all_pages_path(&prefix),
            }),
        );
        self.render_template(
            &["search.html"],
            ctx,
            &self.templates.path_of("search.html").to_string_lossy(),
        )
    }

    /// Every page of `lang` under its section, with its headings, sections in path order.
    pub(super) fn render_all_pages(&self, lang: &str) -> Result<String, Diagnostic> {
        let lib = &*self.library;
        let prefix = self.config.lang_prefix(lang);
        let entry = |title: &str, path: &str, toc: &[Heading]| {
            let mut hs = Vec::new();
            flat_headings(toc, &mut hs);
            json!({
                "title": title,
                "path": path,
                "headings": hs.iter().filter(|h| h.level <= 3).map(|h| json!({
                    "title": h.title, "path": format!("{path}#{}", h.id), "level": h.level,
                })).collect::<Vec<_>>(),
            })
        };
        let mut sections: Vec<_> = lib
            .sections_in(lang)
            .filter(|s| s.meta.render && s.meta.redirect_to.is_none())
            .collect();
        sections.sort_by(|a, b| a.path.cmp(&b.path));
        let groups: Vec<Value> = sections
            .iter()
            .map(|s| {
                let pages: Vec<Value> = s
                    .pages
                    .iter()
                    .filter_map(|k| lib.page(k))
                    .filter(|p| p.meta.render && p.parent_section.as_deref() == Some(&s.file.key))
                    .map(|p| {
                        entry(
                            p.meta.title.as_deref().unwrap_or(&p.slug),
                            &p.path,
                            &p.rendered.toc,
                        )
                    })
                    .collect();
                let mut g = entry(
                    s.meta.title.as_deref().unwrap_or(&s.path),
                    &s.path,
                    &s.rendered.toc,
                );
                g["pages"] = Value::Array(pages);
                g
            })
            .collect();
        let path = all_pages_path(&prefix);
        let mut ctx = self.base_context(lang, &path);
        ctx.insert(
            "search".into(),
            json!({ "search_path": search_path(&prefix), "groups": groups }),
        );
        self.render_template(
            &["search_all.html"],
            ctx,
            &self.templates.path_of("search_all.html").to_string_lossy(),
        )
    }
}
