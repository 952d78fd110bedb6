//! Loading a site: config, UI strings, templates, static files and content read from disk,
//! and every page's Markdown rendered, so a [`Site`] is ready to render any output. It
//! also hands the library to the template functions, and takes it back while the library
//! changes, because templates must never see a library half updated.

use std::path::Path;
use std::sync::Arc;

use xeberdar_i18n::Locales;

use super::diagnostics::template_diagnostic;
use super::outputs::feeds_enabled;
use super::render::{BUILTIN_FEED, FEED_TEMPLATES};
use super::TemplateConfigs;
use super::{listed_fields, static_files, BuildOptions, LibraryData, Site, SiteShortcodes};
use crate::config::Config;
use crate::content::{Library, LoadOptions, Page};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::Rendered;
use crate::templates::Templates;

/// Loads `i18n/locales/<lang>/*.ftl` for the configured languages.
pub(super) fn load_locales(root: &Path, config: &Config) -> Result<Locales, Diagnostic> {
    let langs: Vec<(&str, xeberdar_i18n::Direction)> = config
        .languages()
        .into_iter()
        .map(|l| {
            let dir = if config.is_rtl(l) {
                xeberdar_i18n::Direction::Rtl
            } else {
                xeberdar_i18n::Direction::Ltr
            };
            (l.as_str(), dir)
        })
        .collect();
    Locales::load(
        &root.join("i18n").join("locales"),
        &langs,
        &config.default_language,
    )
    .map_err(|e| Diagnostic::from_i18n(root, &e))
}

impl Site {
    /// Loads a site and renders its Markdown; fails on any error in config, UI strings,
    /// templates or content, listing all of them.
    pub fn load(root: &Path, options: &BuildOptions) -> Result<Site, Diagnostics> {
        let site = Self::load_lenient(root, options)?;
        if site.load_diagnostics.has_errors() {
            return Err(site.load_diagnostics);
        }
        Ok(site)
    }

    /// Like [`Site::load`], but content errors (a broken page) are kept in
    /// [`Site::diagnostics`] and the rest of the site still loads. Config, UI string and
    /// template errors still fail: without them nothing can render.
    pub fn load_lenient(root: &Path, options: &BuildOptions) -> Result<Site, Diagnostics> {
        Self::load_with(root, options, false)
    }

    /// [`Site::load_lenient`]; with `once`, for a build that renders everything once, each
    /// file's text is let go once parsed and the Markdown is left to the build
    /// ([`Site::render_markdown_writing_pages`]).
    pub(super) fn load_with(
        root: &Path,
        options: &BuildOptions,
        once: bool,
    ) -> Result<Site, Diagnostics> {
        let mut config = Config::load(root).map_err(|e| e.diagnostics)?;
        if let Some(base) = &options.base_url {
            config.base_url = base.trim().trim_end_matches('/').to_string();
        }
        let config = Arc::new(config);
        let locales = Arc::new(load_locales(root, &config).map_err(Diagnostics::from)?);
        let templates = Templates::load(
            root,
            config.theme.as_deref(),
            locales.clone(),
            options.strict,
        )
        .map_err(|errs| {
            let mut d = Diagnostics::new();
            for e in &errs {
                d.push(template_diagnostic(root, e));
            }
            d.sort();
            d
        })?;
        let config_values = TemplateConfigs::new(&config);
        let static_files =
            static_files::collect(root, config.theme.as_deref()).map_err(Diagnostics::from)?;
        let mut library = Library::load_lenient(
            root,
            config.clone(),
            LoadOptions {
                include_drafts: options.drafts,
                release_sources: once,
            },
        );
        let shortcodes = SiteShortcodes {
            renderer: templates.shortcodes(),
            config: config_values.clone(),
        };
        let field_use = listed_fields::FieldUse::read(&templates.tera);
        // A one-shot build renders the Markdown itself, writing pages as it goes.
        if !once {
            library.render_all(&shortcodes);
        }
        let mut site = Site {
            root: root.to_path_buf(),
            config,
            options: options.clone(),
            templates,
            locales,
            library: Arc::new(library),
            config_values,
            field_use,
            static_files,
            load_diagnostics: Diagnostics::new(),
        };
        site.publish_library();
        site.load_diagnostics = site.content_diagnostics();
        Ok(site)
    }

    /// The shortcodes of the site's templates, for rendering Markdown.
    pub(super) fn shortcodes(&self) -> SiteShortcodes {
        SiteShortcodes {
            renderer: self.templates.shortcodes(),
            config: self.config_values.clone(),
        }
    }

    /// Hands the current library to the template functions.
    pub(super) fn publish_library(&self) {
        self.templates.set_site_data(Arc::new(LibraryData {
            library: self.library.clone(),
            config: self.config.clone(),
            file_roots: static_files::roots(&self.root, self.config.theme.as_deref()),
        }));
    }

    /// Runs `f` on the library with exclusive access (the template functions let go of it
    /// meanwhile), then hands the new state back to them.
    pub(super) fn with_library_mut<R>(
        &mut self,
        f: impl FnOnce(&mut Library, &SiteShortcodes) -> R,
    ) -> R {
        self.templates.clear_site_data();
        let shortcodes = self.shortcodes();
        let result = f(Arc::make_mut(&mut self.library), &shortcodes);
        self.publish_library();
        result
    }
}

/// Which pages a one-shot build must keep whole after their Markdown is rendered: every one
/// when a template can read a body other than its own page's (a listed page's `content` or
/// `toc`, `get_page`), or in a language with a search index (it reads headings and HTML).
/// The built-in feed prints a page's `content` only when it has no summary, so those
/// pages keep theirs where it is written. The others keep at most their summary
/// ([`summaries_kept`]), and their own output renders the body again.
pub(super) fn body_needed<'a>(
    config: &'a Config,
    templates: &Templates,
    field_use: &listed_fields::FieldUse,
) -> impl Fn(&Page, &Rendered) -> bool + Sync + 'a {
    let every = field_use.reads_other_bodies(BUILTIN_FEED);
    let builtin_feed = templates.pick(FEED_TEMPLATES, Path::new("")).ok() == Some(BUILTIN_FEED);
    let searched = config.search_languages();
    move |page, rendered| {
        every
            || searched.contains(&&page.lang)
            || (builtin_feed && feeds_enabled(config, &page.lang) && !rendered.has_summary())
    }
}

/// Whether a one-shot build keeps the summary of a page whose body it lets go: only when a
/// template other than the built-in feed can read it. The built-in feed renders the
/// summaries it prints again, a run of entries at a time, so a large site does not hold
/// every page's summary (about a fifth of the build's memory) from its Markdown pass on.
pub(super) fn summaries_kept(field_use: &listed_fields::FieldUse) -> bool {
    field_use.reads_other_summaries(BUILTIN_FEED)
}
