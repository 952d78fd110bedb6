//! The built site as the template lookup functions see it ([`SiteData`]), and the shortcode
//! renderer the Markdown pass calls ([`ShortcodeRenderer`]).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

use crate::config::{Config, Lang};
use crate::content::Library;
use crate::markdown::{ShortcodeCall, ShortcodeRenderer};
use crate::templates::{SiteData, TeraShortcodes};

use super::serialize;

/// `config` as the templates of each language see it (that language's title and
/// description), serialized once per language.
#[derive(Debug, Clone)]
pub struct TemplateConfigs {
    by_lang: BTreeMap<Lang, Value>,
    default_language: Lang,
}

impl TemplateConfigs {
    pub fn new(config: &Config) -> Self {
        Self {
            by_lang: config
                .languages()
                .into_iter()
                .map(|l| (l.clone(), config.template_value(l)))
                .collect(),
            default_language: config.default_language.clone(),
        }
    }

    /// `config` for a template of `lang` (the default language's for one the site does not
    /// have).
    pub fn get(&self, lang: &Lang) -> Value {
        self.by_lang
            .get(lang)
            .or_else(|| self.by_lang.get(&self.default_language))
            .cloned()
            .unwrap_or(Value::Null)
    }
}

/// A read-only view of one state of the library.
pub struct LibraryData {
    pub library: Arc<Library>,
    pub config: Arc<Config>,
    pub file_roots: Vec<PathBuf>,
}

impl SiteData for LibraryData {
    fn default_lang(&self) -> &Lang {
        &self.config.default_language
    }

    fn lang(&self, code: &str) -> Option<&Lang> {
        self.config.lang(code)
    }

    fn base_url(&self) -> &str {
        &self.config.base_url
    }

    fn lang_prefix(&self, lang: &Lang) -> String {
        self.config.lang_prefix(lang)
    }

    fn permalink(&self, content_path: &str) -> Option<String> {
        self.library.permalink_of(content_path).map(str::to_string)
    }

    fn page(&self, content_path: &str) -> Option<Value> {
        self.library
            .page(content_path)
            .map(|p| serialize::page_full(&self.library, &self.config, p, &p.rendered))
    }

    fn section(&self, content_path: &str, metadata_only: bool) -> Option<Value> {
        let s = self.library.section(content_path)?;
        Some(if metadata_only {
            Value::Object(serialize::section_meta(&self.library, &self.config, s))
        } else {
            serialize::section_full(&self.library, &self.config, s)
        })
    }

    fn taxonomy_term_url(&self, kind: &str, lang: &Lang, name: &str) -> Option<String> {
        let tax = self.library.taxonomy(lang, kind)?;
        let slug = crate::markdown::slug::slugify_path(name, lang, self.config.slugify.taxonomies);
        tax.terms
            .iter()
            .find(|t| t.name == name || t.slug == slug)
            .map(|t| t.permalink.clone())
    }

    fn taxonomy(&self, kind: &str, lang: &Lang) -> Option<Value> {
        let tax = self.library.taxonomy(lang, kind)?;
        Some(serialize::taxonomy_full(&self.library, tax))
    }

    fn file_roots(&self) -> Vec<PathBuf> {
        let mut roots = self.file_roots.clone();
        roots.push(self.library.content_dir().to_path_buf());
        roots
    }
}

/// Shortcodes from `templates/shortcodes/<name>.html`, with `config`, `lang` and the page's
/// key (`page_key`) and use count (`nth`) in context, as Zola gives them.
pub struct SiteShortcodes {
    pub renderer: TeraShortcodes,
    pub config: TemplateConfigs,
}

impl ShortcodeRenderer for SiteShortcodes {
    fn render(&self, call: &ShortcodeCall<'_>) -> Result<String, crate::message::Message> {
        let mut ctx = tera::Context::new();
        ctx.insert("config", &self.config.get(call.lang));
        ctx.insert("lang", call.lang);
        ctx.insert("page_key", call.page_key);
        ctx.insert("nth", &call.nth);
        self.renderer
            .render_shortcode(call.name, call.args, call.body, &ctx)
    }
}
