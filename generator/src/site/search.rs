//! The site's search: the index of each language (through [`crate::search`]) and two pages
//! per language, `<lang>/search/` (the search box, which `search.js` brings to life) and
//! `<lang>/search/all/` (every page with its headings: where the box leads without
//! JavaScript, so a visitor is never left with nothing).

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;

use serde_json::{json, Value};

use super::sink::{OutputSink, WriteFile};
use super::Site;
use crate::config::Lang;
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

/// The `<main>` of a rendered page without its `<nav>` blocks (table of contents, pager):
/// what a visitor reads there, template-made text (lists from data files, film facts)
/// included, which the Markdown body alone lacks.
fn main_text(html: &str) -> Option<String> {
    let start = html.find("<main")?;
    let start = start + html[start..].find('>')? + 1;
    let end = start + html[start..].find("</main>")?;
    let mut rest = &html[start..end];
    let mut out = String::with_capacity(rest.len());
    while let Some(i) = rest.find("<nav") {
        out.push_str(&rest[..i]);
        match rest[i..].find("</nav>") {
            Some(j) => rest = &rest[i + j + "</nav>".len()..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    Some(out)
}

/// Passes every file on to `inner`, keeping the [`main_text`] of the files in `wanted`
/// (the indexed pages), so the index reads pages as rendered without a second render.
pub(super) struct MainTextSink<'a> {
    inner: &'a dyn OutputSink,
    wanted: HashSet<String>,
    got: Mutex<HashMap<String, String>>,
}

impl OutputSink for MainTextSink<'_> {
    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        if self.wanted.contains(rel) {
            if let Some(text) = std::str::from_utf8(bytes).ok().and_then(main_text) {
                if let Ok(mut got) = self.got.lock() {
                    got.insert(rel.to_string(), text);
                }
            }
        }
        self.inner.put(rel, bytes)
    }

    fn put_with(&self, rel: &str, write: &mut WriteFile<'_>) -> io::Result<()> {
        if self.wanted.contains(rel) {
            let mut bytes = Vec::new();
            write(&mut bytes)?;
            return self.put(rel, &bytes);
        }
        self.inner.put_with(rel, write)
    }

    fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        self.inner.copy(rel, from)
    }
}

impl MainTextSink<'_> {
    pub(super) fn into_texts(self) -> HashMap<String, String> {
        self.got.into_inner().unwrap_or_default()
    }
}

/// The pages and sections of `lang` that go in its index, by path.
fn indexed_docs<'a>(lib: &'a Library, lang: &'a Lang) -> Vec<IndexDoc<'a>> {
    let mut docs = Vec::new();
    for p in lib
        .pages_in(lang)
        .filter(|p| p.meta.render && p.meta.in_search_index)
    {
        let mut hs = Vec::new();
        flat_headings(&p.rendered.toc, &mut hs);
        docs.push(IndexDoc {
            title: p.meta.title.as_deref().unwrap_or(&p.placement.slug),
            path: &p.placement.path,
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
            title: s.meta.title.as_deref().unwrap_or(&s.placement.path),
            path: &s.placement.path,
            description: s.meta.description.as_deref().unwrap_or(""),
            headings: hs.iter().map(|h| h.title.as_str()).collect(),
            html: &s.rendered.content,
        });
    }
    docs.sort_by(|a, b| a.path.cmp(b.path));
    docs
}

impl Site {
    /// A sink that also keeps the text of the pages the search index holds.
    pub(super) fn main_text_sink<'a>(&self, inner: &'a dyn OutputSink) -> MainTextSink<'a> {
        let mut wanted = HashSet::new();
        for lang in self.config.search_languages() {
            for d in indexed_docs(&self.library, lang) {
                wanted.insert(super::sink::file_for_path(d.path));
            }
        }
        MainTextSink {
            inner,
            wanted,
            got: Mutex::new(HashMap::new()),
        }
    }

    /// Writes the search index of every language that has one; returns write errors.
    /// `rendered` holds pages' text as rendered (from [`MainTextSink`]); a page missing
    /// there is indexed from its Markdown body.
    pub fn write_search_indexes(
        &self,
        sink: &dyn OutputSink,
        rendered: &HashMap<String, String>,
    ) -> Diagnostics {
        let mut d = Diagnostics::new();
        for lang in self.config.search_languages() {
            let mut docs = indexed_docs(&self.library, lang);
            for doc in &mut docs {
                if let Some(text) = rendered.get(&super::sink::file_for_path(doc.path)) {
                    doc.html = text;
                }
            }
            for f in build_index(lang, &docs, &self.config.search) {
                if let Err(e) = sink.put(&f.rel, f.body.as_bytes()) {
                    d.push(Diagnostic::error(f.rel, 1, 1, format!("cannot write: {e}")));
                }
            }
        }
        d
    }

    pub(super) fn render_search_page(
        &self,
        lang: &Lang,
        out: &mut dyn Write,
    ) -> Result<(), Diagnostic> {
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
            out,
        )
    }

    /// Every page of `lang` under its section, with its headings, sections in path order.
    pub(super) fn render_all_pages(
        &self,
        lang: &Lang,
        out: &mut dyn Write,
    ) -> Result<(), Diagnostic> {
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
        sections.sort_by(|a, b| a.placement.path.cmp(&b.placement.path));
        let groups: Vec<Value> = sections
            .iter()
            .map(|s| {
                let pages: Vec<Value> = s
                    .placement
                    .pages
                    .iter()
                    .filter_map(|k| lib.page(k))
                    .filter(|p| {
                        p.meta.render && p.placement.parent_section.as_deref() == Some(&s.file.key)
                    })
                    .map(|p| {
                        entry(
                            p.meta.title.as_deref().unwrap_or(&p.placement.slug),
                            &p.placement.path,
                            &p.rendered.toc,
                        )
                    })
                    .collect();
                let mut g = entry(
                    s.meta.title.as_deref().unwrap_or(&s.placement.path),
                    &s.placement.path,
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
            out,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::main_text;

    #[test]
    fn main_text_drops_navigation() {
        let html = "<header>x</header><main id=\"main\"><h1>T</h1><nav class=\"toc\"><a>On this page</a></nav><p>Body</p><nav>pager</nav><p>End</p></main><footer>f</footer>";
        assert_eq!(
            main_text(html).as_deref(),
            Some("<h1>T</h1><p>Body</p><p>End</p>")
        );
        assert_eq!(main_text("<p>no main</p>"), None);
    }
}
