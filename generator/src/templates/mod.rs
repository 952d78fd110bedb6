//! Tera templates: loading (theme first, the site's own `templates/` overriding by name),
//! the Zola-named functions (`get_url`, `get_page`, `get_section`, `get_taxonomy_url`,
//! `get_taxonomy`, `load_data`), Fluent's `t()`, the media functions of [`crate::media`],
//! the `date` filter Zola themes use ([`date_filter`]),
//! and rendering with errors that name the file being rendered.
//!
//! The functions read the site through [`SiteData`], held in a shared slot that the build
//! pipeline ([`crate::site`]) fills after loading content and replaces after each change, so
//! the template engine is loaded once and reused by `serve`.

mod date_filter;
mod error;
mod functions;
mod load_data;
mod loader;
mod shortcodes;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parking_lot::RwLock;

use tera::{Context, Function, Tera, Value};
use xeberdar_i18n::{Locales, TranslateFn};

pub use error::{describe, TemplateError};
pub use functions::{content_hash, localized_path, without_site_data, SharedSiteData, SiteData};
pub use load_data::{parse_data, LoadData};
pub use loader::{TemplateFiles, BUILTINS};
pub use shortcodes::TeraShortcodes;

/// A function registered with Tera while the pipeline keeps a handle to it (to clear its
/// cache or read what it recorded).
struct Shared<F>(Arc<F>);

impl<F: Function> Function for Shared<F> {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        self.0.call(args)
    }
    fn is_safe(&self) -> bool {
        self.0.is_safe()
    }
}

/// The loaded template engine of one site.
pub struct Templates {
    pub tera: Arc<Tera>,
    pub files: TemplateFiles,
    data: SharedSiteData,
    translate: TranslateFn,
    get_url: Arc<functions::GetUrl>,
    load_data: Arc<LoadData>,
}

impl Templates {
    /// Loads `themes/<theme>/templates/**` and `templates/**` under `site_root` and registers
    /// every function. `strict` makes a missing UI string an error (`check`) instead of a
    /// recorded gap with the default language's text (`build`).
    pub fn load(
        site_root: &Path,
        theme: Option<&str>,
        locales: Arc<Locales>,
        strict: bool,
    ) -> Result<Self, Vec<TemplateError>> {
        let files = TemplateFiles::discover(site_root, theme).map_err(|e| vec![e])?;
        let mut tera = files.parse()?;
        let data: SharedSiteData = Arc::new(RwLock::new(None));
        let translate = TranslateFn::new(locales, strict);
        let get_url = Arc::new(functions::GetUrl::new(data.clone()));
        let load_data = Arc::new(LoadData::new(site_root));
        tera.register_function("get_url", Shared(get_url.clone()));
        tera.register_function("get_page", functions::GetPage(data.clone()));
        tera.register_function("get_section", functions::GetSection(data.clone()));
        tera.register_function("get_taxonomy_url", functions::GetTaxonomyUrl(data.clone()));
        tera.register_function("get_taxonomy", functions::GetTaxonomy(data.clone()));
        tera.register_function("load_data", Shared(load_data.clone()));
        tera.register_function("t", translate.clone());
        tera.register_filter("date", date_filter::date);
        crate::media::register(&mut tera, site_root);
        Ok(Self {
            tera: Arc::new(tera),
            files,
            data,
            translate,
            get_url,
            load_data,
        })
    }

    /// Gives the lookup functions the current site.
    pub fn set_site_data(&self, site: Arc<dyn SiteData>) {
        *self.data.write() = Some(site)
    }

    /// Empties the slot so the pipeline can change the library it pointed at.
    pub fn clear_site_data(&self) {
        *self.data.write() = None
    }

    /// The slot the lookup functions read, for renderers that need the same site view.
    pub fn site_data(&self) -> SharedSiteData {
        self.data.clone()
    }

    /// Forgets cached data files and static file hashes (after a file changed in `serve`).
    pub fn forget_file_caches(&self) {
        self.get_url.forget_hashes();
        self.load_data.forget();
    }

    /// `(lang, key)` pairs templates asked `t()` for that the language lacks.
    pub fn missing_ui_strings(&self) -> BTreeSet<(String, String)> {
        self.translate.missing()
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.templates.contains_key(name)
    }

    /// The first of `names` that exists, else the error an editor sees for `for_file`.
    pub fn pick<'a>(&self, names: &[&'a str], for_file: &Path) -> Result<&'a str, TemplateError> {
        names
            .iter()
            .copied()
            .find(|n| self.has(n))
            .ok_or_else(|| TemplateError::Missing {
                path: for_file.to_path_buf(),
                name: names.first().copied().unwrap_or_default().to_string(),
                looked_in: self.files.looked_in(),
            })
    }

    /// Renders `name` for the content file (or output) `for_file`.
    pub fn render(
        &self,
        name: &str,
        context: &Context,
        for_file: &Path,
    ) -> Result<String, TemplateError> {
        let mut out = Vec::with_capacity(2000);
        self.render_to(name, context, for_file, &mut out)?;
        // Templates and values are text, so the output is; a lossy reading never panics.
        Ok(String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    /// [`Templates::render`] into `out` as the output is made, so a large output (a feed of
    /// every page) is never held whole.
    pub fn render_to(
        &self,
        name: &str,
        context: &Context,
        for_file: &Path,
        out: &mut dyn std::io::Write,
    ) -> Result<(), TemplateError> {
        if !self.has(name) {
            return Err(TemplateError::Missing {
                path: for_file.to_path_buf(),
                name: name.to_string(),
                looked_in: self.files.looked_in(),
            });
        }
        self.tera
            .render_to(name, context, out)
            .map_err(|e| TemplateError::Render {
                path: for_file.to_path_buf(),
                template: name.to_string(),
                message: describe(&e),
            })
    }

    /// The shortcode renderer for Markdown, sharing this engine.
    pub fn shortcodes(&self) -> TeraShortcodes {
        TeraShortcodes::new(self.tera.clone())
    }

    /// Where template `name` lives on disk, for messages.
    pub fn path_of(&self, name: &str) -> PathBuf {
        self.files.path_of(name)
    }
}
