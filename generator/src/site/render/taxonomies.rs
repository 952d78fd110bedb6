//! A taxonomy's pages in one language: the list of its terms, and each term with the
//! pages that carry it, both linked to the same taxonomy in the other languages.

use std::io::Write;

use serde_json::{json, Value};

use crate::config::Lang;
use crate::content::Taxonomy;
use crate::diagnostics::Diagnostic;
use crate::site::serialize;
use crate::site::Site;

/// The templates of a taxonomy's list page, the most specific first.
pub(super) fn taxonomy_list_templates(kind: &str) -> [String; 3] {
    [
        format!("{kind}/list.html"),
        "taxonomy_list.html".into(),
        "__xeberdar/taxonomy_list.html".into(),
    ]
}

/// The templates of a taxonomy term's page, the most specific first.
pub(super) fn taxonomy_term_templates(kind: &str) -> [String; 3] {
    [
        format!("{kind}/single.html"),
        "taxonomy_single.html".into(),
        "__xeberdar/taxonomy_single.html".into(),
    ]
}

impl Site {
    fn taxonomy_translations(&self, kind: &str) -> Vec<Value> {
        self.config
            .languages()
            .into_iter()
            .filter_map(|l| self.library.taxonomy(l, kind))
            .map(|t| {
                json!({
                    "lang": t.lang,
                    "permalink": t.permalink,
                    "title": t.name,
                    "native_name": self.config.language(&t.lang).and_then(|o| o.native_name.clone()).unwrap_or_else(|| t.lang.to_string()),
                    "path": t.path,
                })
            })
            .collect()
    }

    /// The taxonomy an output was selected for: config.toml declares it, so its absence is
    /// reported against that file.
    fn configured_taxonomy(&self, lang: &Lang, kind: &str) -> Result<&Taxonomy, Diagnostic> {
        self.library.taxonomy(lang, kind).ok_or_else(|| {
            Diagnostic::error(
                "config.toml",
                1,
                1,
                format!("no taxonomy `{kind}` in `{lang}`"),
            )
        })
    }

    pub(super) fn render_taxonomy_list(
        &self,
        lang: &Lang,
        kind: &str,
        out: &mut dyn Write,
    ) -> Result<(), Diagnostic> {
        let lib = &*self.library;
        let tax = self.configured_taxonomy(lang, kind)?;
        let mut ctx = self.base_context(lang, &tax.path);
        ctx.insert("taxonomy".into(), serialize::taxonomy_meta(tax));
        ctx.insert(
            "terms".into(),
            Value::Array(
                tax.terms
                    .iter()
                    .map(|t| serialize::term(lib, t, true))
                    .collect(),
            ),
        );
        let translations = self.taxonomy_translations(kind);
        if translations.len() > 1 {
            let x = translations
                .iter()
                .find(|t| t["lang"] == self.config.default_language.as_str())
                .map(|t| t["permalink"].clone())
                .unwrap_or(Value::Null);
            ctx.insert("x_default".into(), x);
        }
        ctx.insert("translations".into(), Value::Array(translations));
        self.render_template(
            &taxonomy_list_templates(kind).each_ref().map(String::as_str),
            ctx,
            "config.toml",
            out,
        )
    }

    pub(super) fn render_taxonomy_term(
        &self,
        lang: &Lang,
        kind: &str,
        slug: &str,
        out: &mut dyn Write,
    ) -> Result<(), Diagnostic> {
        let lib = &*self.library;
        let tax = self.configured_taxonomy(lang, kind)?;
        let term = tax.term(slug).ok_or_else(|| {
            Diagnostic::error("config.toml", 1, 1, format!("no term `{slug}` in `{kind}`"))
        })?;
        let mut ctx = self.base_context(lang, &term.path);
        ctx.insert("taxonomy".into(), serialize::taxonomy_meta(tax));
        ctx.insert("term".into(), serialize::term(lib, term, true));
        ctx.insert(
            "translations".into(),
            json!([{ "lang": lang, "permalink": term.permalink, "title": term.name,
                     "native_name": self.config.language(lang).and_then(|o| o.native_name.clone()).unwrap_or_else(|| lang.to_string()),
                     "path": term.path }]),
        );
        let first_page = term
            .pages
            .first()
            .map(|k| format!("content/{k}"))
            .unwrap_or_else(|| "config.toml".into());
        self.render_template(
            &taxonomy_term_templates(kind).each_ref().map(String::as_str),
            ctx,
            &first_page,
            out,
        )
    }
}
