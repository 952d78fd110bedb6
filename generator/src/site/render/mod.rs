//! How each output is rendered.

mod feed;
mod sitemap;
mod taxonomies;

use std::io::Write;
use std::path::Path;

use serde_json::{json, Map, Value};
use tera::Context;

use super::listed_fields;
use super::outputs::{gone, number_of_pagers, pager_path, OutputId};
use super::serialize;
use super::Site;
use crate::config::Config;
use crate::content::{Page, Section};
use crate::diagnostics::Diagnostic;
use feed::FEED_TEMPLATES;
use taxonomies::{taxonomy_list_templates, taxonomy_term_templates};

/// One rendered output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Path relative to the output folder (`ru/news/index.html`).
    pub file: String,
    pub body: String,
}

fn lang_dir(config: &Config, lang: &str) -> &'static str {
    config.direction(lang).as_str()
}

impl Site {
    pub(super) fn base_context(&self, lang: &str, path: &str) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("config".into(), self.config_values.get(lang));
        m.insert("lang".into(), Value::from(lang));
        m.insert("lang_dir".into(), Value::from(lang_dir(&self.config, lang)));
        m.insert("current_path".into(), Value::from(path));
        m.insert(
            "current_url".into(),
            Value::from(self.config.permalink(path)),
        );
        m.insert("serve_mode".into(), Value::from(self.options.serve_mode));
        m.insert("translations".into(), Value::Array(Vec::new()));
        m.insert("x_default".into(), Value::Null);
        m
    }

    pub(super) fn render_template(
        &self,
        names: &[&str],
        context: Map<String, Value>,
        for_file: &str,
        out: &mut dyn Write,
    ) -> Result<(), Diagnostic> {
        let for_path = Path::new(for_file);
        let name = self
            .templates
            .pick(names, for_path)
            .map_err(|e| Diagnostic::error(for_file, 1, 1, e.problem()))?;
        let ctx = Context::from_value(Value::Object(context))
            .map_err(|e| Diagnostic::error(for_file, 1, 1, e.to_string()))?;
        listed_fields::with_fields(self.field_use.of(name), || {
            self.templates.render_to(name, &ctx, for_path, out)
        })
        .map_err(|e| Diagnostic::error(for_file, 1, 1, e.problem()))
    }

    /// Runs `build` (which makes a context and renders it) with the listed fields of the
    /// first of `names` that exists, so the pages the context lists carry only those.
    pub(super) fn for_template<R>(&self, names: &[&str], build: impl FnOnce() -> R) -> R {
        let fields = names
            .iter()
            .find(|n| self.templates.has(n))
            .map(|n| self.field_use.of(n))
            .unwrap_or_else(|| std::sync::Arc::new(listed_fields::ListedFields::every()));
        listed_fields::with_fields(fields, build)
    }

    fn page_template<'a>(&'a self, page: &'a Page) -> &'a str {
        if let Some(t) = &page.meta.template {
            return t;
        }
        for key in page.placement.ancestors.iter().rev() {
            if let Some(t) = self
                .library
                .section(key)
                .and_then(|s| s.meta.page_template.as_deref())
            {
                return t;
            }
        }
        "page.html"
    }

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
        let text = |out: &mut dyn Write, text: &str| {
            out.write_all(text.as_bytes()).map_err(|e| {
                let file = self.file_of(id).unwrap_or_default();
                Diagnostic::error(file, 1, 1, format!("cannot write: {e}"))
            })
        };
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
                    .map(|p| p.lang.as_str())
                    .or_else(|| self.library.section(key).map(|s| s.lang.as_str()))
                    .unwrap_or(&self.config.default_language);
                self.render_redirect(url, lang, &format!("content/{key}"), out)
            }
            OutputId::Sitemap => text(out, &self.render_sitemap()),
            OutputId::SitemapPart(n) => {
                let part = self
                    .render_sitemap_part(*n)
                    .ok_or_else(|| gone(&crate::site::sitemap::part_file(*n)))?;
                text(out, &part)
            }
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

    fn render_page(&self, key: &str, out: &mut dyn Write) -> Result<(), Diagnostic> {
        let lib = &*self.library;
        let page = lib.page(key).ok_or_else(|| {
            Diagnostic::error(format!("content/{key}"), 1, 1, "the page no longer exists")
        })?;
        let template = self.page_template(page);
        self.for_template(&[template], || {
            let mut ctx = self.base_context(&page.lang, &page.placement.path);
            ctx.insert(
                "current_url".into(),
                Value::from(page.placement.permalink.clone()),
            );
            ctx.insert("page".into(), serialize::page_full(lib, &self.config, page));
            ctx.insert(
                "translations".into(),
                Value::Array(serialize::translations(lib, &self.config, key)),
            );
            ctx.insert(
                "x_default".into(),
                serialize::x_default(lib, &self.config, key).map_or(Value::Null, Value::from),
            );
            self.render_template(&[template], ctx, &page.file.site_path, out)
        })
    }

    fn render_section(
        &self,
        key: &str,
        pager: usize,
        out: &mut dyn Write,
    ) -> Result<(), Diagnostic> {
        let lib = &*self.library;
        let section = lib.section(key).ok_or_else(|| {
            Diagnostic::error(
                format!("content/{key}"),
                1,
                1,
                "the section no longer exists",
            )
        })?;
        let path = pager_path(section, pager);
        let mut ctx = self.base_context(&section.lang, &path);
        // As in Zola, a paginated section lists its pages through `paginator.pages` only;
        // `section.pages` is left empty so every pager does not carry the whole section.
        let section_value = if section.meta.paginate_by.is_some_and(|n| n > 0) {
            let mut m = serialize::section_meta(lib, &self.config, section);
            m.insert("pages".into(), Value::Array(Vec::new()));
            Value::Object(m)
        } else {
            serialize::section_full(lib, &self.config, section)
        };
        if let Some(per) = section.meta.paginate_by.filter(|n| *n > 0) {
            let total = number_of_pagers(section);
            let start = (pager - 1) * per;
            let pages: Vec<Value> = section
                .placement
                .pages
                .iter()
                .skip(start)
                .take(per)
                .filter_map(|k| lib.page(k))
                .map(|p| Value::Object(serialize::page_shallow(p)))
                .collect();
            let url = |n: usize| self.config.permalink(&pager_path(section, n));
            let paginator = json!({
                "paginate_by": per,
                "first": url(1),
                "last": url(total),
                "previous": if pager > 1 { Value::from(url(pager - 1)) } else { Value::Null },
                "next": if pager < total { Value::from(url(pager + 1)) } else { Value::Null },
                "pages": pages,
                "number_pagers": total,
                "current_index": pager,
                "total_pages": section.placement.pages.len(),
                "base_url": format!("{}{}/", section.placement.permalink, if section.meta.paginate_path.is_empty() { "page" } else { &section.meta.paginate_path }),
                "paginate_path": section.meta.paginate_path,
            });
            ctx.insert("paginator".into(), paginator);
        } else {
            ctx.insert("paginator".into(), Value::Null);
        }
        ctx.insert(
            "current_url".into(),
            Value::from(self.config.permalink(&path)),
        );
        ctx.insert("section".into(), section_value);
        ctx.insert(
            "translations".into(),
            Value::Array(serialize::translations(lib, &self.config, key)),
        );
        ctx.insert(
            "x_default".into(),
            serialize::x_default(lib, &self.config, key).map_or(Value::Null, Value::from),
        );
        self.render_template(
            &[section_template(section)],
            ctx,
            &section.file.site_path,
            out,
        )
    }

    fn render_redirect(
        &self,
        url: &str,
        lang: &str,
        for_file: &str,
        out: &mut dyn Write,
    ) -> Result<(), Diagnostic> {
        let mut ctx = Map::new();
        ctx.insert("url".into(), Value::from(url));
        ctx.insert("lang".into(), Value::from(lang));
        ctx.insert("config".into(), self.config_values.get(lang));
        self.render_template(&["alias.html", "__xeberdar/alias.html"], ctx, for_file, out)
    }

    fn render_not_found(&self, lang: &str, out: &mut dyn Write) -> Result<(), Diagnostic> {
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

/// The template of a section: its own `template`, else `index.html` for a root section and
/// `section.html` for the others.
fn section_template(section: &Section) -> &str {
    match section.meta.template.as_deref() {
        Some(t) => t,
        None if section.file.components.is_empty() => "index.html",
        None => "section.html",
    }
}
