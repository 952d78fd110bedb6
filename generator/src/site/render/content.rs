//! A content file's own outputs: a page, each pager of a section, and the redirects to
//! them (a section's first pager, a page's old addresses).

use std::io::Write;

use serde_json::{json, Map, Value};

use crate::config::{ContentKey, Lang};
use crate::content::{Page, Section};
use crate::diagnostics::Diagnostic;
use crate::site::outputs::{number_of_pagers, pager_path};
use crate::site::serialize;
use crate::site::Site;

/// The template of a section: its own `template`, else `index.html` for a root section and
/// `section.html` for the others.
pub(super) fn section_template(section: &Section) -> &str {
    match section.meta.template.as_deref() {
        Some(t) => t,
        None if section.file.components.is_empty() => "index.html",
        None => "section.html",
    }
}

impl Site {
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

    /// A page's or section's other languages, and the one search engines should default to.
    fn insert_translations(&self, ctx: &mut Map<String, Value>, key: &ContentKey) {
        let lib = &*self.library;
        ctx.insert(
            "translations".into(),
            Value::Array(serialize::translations(lib, &self.config, key)),
        );
        ctx.insert(
            "x_default".into(),
            serialize::x_default(lib, &self.config, key).map_or(Value::Null, Value::from),
        );
    }

    pub(super) fn render_page(
        &self,
        key: &ContentKey,
        out: &mut dyn Write,
    ) -> Result<(), Diagnostic> {
        let lib = &*self.library;
        let page = lib.page(key).ok_or_else(|| {
            Diagnostic::error(format!("content/{key}"), 1, 1, "the page no longer exists")
        })?;
        if page.rendered.body_released() {
            let again = lib.render_body_again(page, &self.shortcodes())?;
            return self.render_page_with(page, &again, out);
        }
        self.render_page_with(page, &page.rendered, out)
    }

    /// Whether a page's output can be rendered before other pages' Markdown: its template
    /// reads no listed page's summary (nor, as for any page whose body goes, HTML or table
    /// of contents).
    pub(in crate::site) fn renders_alone(&self, page: &Page) -> bool {
        let template = self.page_template(page);
        self.templates.has(template) && !self.field_use.of(template).wants("summary")
    }

    /// The output of `page` with `rendered` as its Markdown.
    pub(in crate::site) fn render_page_with(
        &self,
        page: &Page,
        rendered: &crate::markdown::Rendered,
        out: &mut dyn Write,
    ) -> Result<(), Diagnostic> {
        let lib = &*self.library;
        let key = &page.file.key;
        let template = self.page_template(page);
        self.for_template(&[template], || {
            let mut ctx = self.base_context(&page.lang, &page.placement.path);
            ctx.insert(
                "current_url".into(),
                Value::from(page.placement.permalink.clone()),
            );
            ctx.insert(
                "page".into(),
                serialize::page_full(lib, &self.config, page, rendered),
            );
            self.insert_translations(&mut ctx, key);
            self.render_template(&[template], ctx, &page.file.site_path, out)
        })
    }

    pub(super) fn render_section(
        &self,
        key: &ContentKey,
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
        self.insert_translations(&mut ctx, key);
        self.render_template(
            &[section_template(section)],
            ctx,
            &section.file.site_path,
            out,
        )
    }

    pub(super) fn render_redirect(
        &self,
        url: &str,
        lang: &Lang,
        for_file: &str,
        out: &mut dyn Write,
    ) -> Result<(), Diagnostic> {
        let mut ctx = Map::new();
        ctx.insert("url".into(), Value::from(url));
        ctx.insert("lang".into(), Value::from(lang));
        ctx.insert("config".into(), self.config_values.get(lang));
        self.render_template(&["alias.html", "__xeberdar/alias.html"], ctx, for_file, out)
    }
}
