//! The build pipeline: config → content library → Markdown → templates → output.
//!
//! [`Site`] keeps everything a build needs in memory (config, [`Library`], the template
//! engine, the static file list) so that the editor's `serve` can re-render only what an
//! edit touched. The API, in the order a caller uses it:
//!
//! - [`Site::load`]`(root, &BuildOptions) -> Result<Site, Diagnostics>`: reads config,
//!   UI strings, templates and content, renders all Markdown. Errors (bad front matter, a
//!   template syntax error, a broken `@/` link) come back as `path:line:col` diagnostics.
//!   [`Site::load_lenient`] keeps going past content errors (for `serve`).
//! - [`Site::all_outputs`] lists every output ([`OutputId`]: a page, one pager of a section,
//!   a taxonomy page, a feed, the sitemap, a 404, an alias, …).
//! - [`Site::render_output`]`(&OutputId) -> Result<Rendered, Diagnostic>` renders one
//!   output into memory; [`Site::render_outputs`]`(&[OutputId], &dyn OutputSink)` renders
//!   many in parallel into a sink ([`DiskSink`], [`MemorySink`], [`NullSink`]).
//! - [`Site::copy_files`]`(&dyn OutputSink)` copies static files and page assets.
//! - [`Site::render_all`]`(&dyn OutputSink) -> BuildReport` does a whole build.
//! - Incremental: [`Site::reload_file`]`(path) -> (ChangeSet, Vec<OutputId>)` re-reads
//!   one edited content file and returns the outputs to render again (the page, its
//!   translations, its neighbours, the section pagers and taxonomy pages that list it,
//!   the feed and the sitemap when its front matter changed);
//!   [`Site::outputs_for_keys`] does the same for keys the caller already knows changed;
//!   [`Site::reload_templates`] re-reads templates and UI strings;
//!   [`Site::output_for_path`] maps a URL path (`/ru/news/page/2/`) to its output, so a
//!   dev server can render on request; [`Site::file_of`] gives an output's file name;
//!   [`Site::lang_of_output`] its language.
//! - [`Site::diagnostics`]: content problems and missing translations known now;
//!   [`Site::library`]: the loaded content, read-only.
//! - [`Site::build_to_disk`] is `xeberdar build`; `check` uses [`NullSink`].
//!
//! Files by concern, in the order a build runs them:
//! - `load`: config, UI strings, templates, static files (`static_files`) and content read
//!   into memory; `data`: the loaded site as template functions and shortcodes see it.
//! - `outputs`: which outputs the site has, their files, and which of them an edit touches.
//! - `render/`: each output rendered, a module for each kind; `serialize` and
//!   `listed_fields` for what templates see; `search` for the search pages and index;
//!   `sitemap` for the sitemap's XML.
//! - `write`: outputs rendered in parallel into a sink, files copied, a whole build's report;
//!   `sink`: where they go (disk, memory, nowhere).
//! - `build`: `xeberdar build`, all of the above into a folder, stale files removed.
//! - `reload`: `serve`'s incremental path; `diagnostics`: what the site reports.
//!
//! Determinism: every list is sorted (outputs by [`OutputId`], sitemap by URL, feeds by
//! date then key), no wall-clock time reaches a file, so two builds are byte-identical.

mod build;
mod data;
mod diagnostics;
mod listed_fields;
mod load;
mod outputs;
mod reload;
mod render;
mod search;
mod serialize;
mod sink;
pub mod sitemap;
mod static_files;
mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use xeberdar_i18n::Locales;

use crate::config::{Config, Lang};
use crate::content::Library;
use crate::diagnostics::Diagnostics;
use crate::templates::Templates;

pub use build::BuildFailed;
pub use data::{LibraryData, SiteShortcodes, TemplateConfigs};
pub use outputs::OutputId;
pub use render::Rendered;
pub use sink::{file_for_path, DiskSink, MemoryFile, MemorySink, NullSink, OutputSink, WriteFile};
pub use write::BuildReport;

/// How to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Publish `draft = true` pages too.
    pub drafts: bool,
    /// Replaces `base_url` from config.toml (staging servers, `serve`).
    pub base_url: Option<String>,
    /// Where `build` writes.
    pub output_dir: PathBuf,
    /// `t()` fails on a missing UI string instead of falling back to the default language.
    pub strict: bool,
    /// Tells templates they are served by the dev server (`serve_mode` in context).
    pub serve_mode: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        Self {
            drafts: false,
            base_url: None,
            output_dir: PathBuf::from("public"),
            strict: false,
            serve_mode: false,
        }
    }
}

/// A loaded site, ready to render in full or in parts.
pub struct Site {
    pub root: PathBuf,
    pub config: Arc<Config>,
    pub options: BuildOptions,
    pub templates: Templates,
    pub locales: Arc<Locales>,
    library: Arc<Library>,
    /// `config` as templates see it, serialized once per language.
    config_values: TemplateConfigs,
    /// Which fields of listed pages each template can read.
    field_use: listed_fields::FieldUse,
    /// Output path → source of every static file (theme first, then the site's own).
    static_files: BTreeMap<String, PathBuf>,
    /// Problems found while loading (warnings, and errors when loaded leniently).
    load_diagnostics: Diagnostics,
}

fn rel_to_root(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

impl Site {
    pub fn library(&self) -> &Library {
        &self.library
    }

    /// Language of a content key from its file name (`news/a.ru.md` → `ru`), also for keys
    /// the library no longer has.
    pub fn lang_of_key(&self, key: &str) -> Lang {
        self.config.lang_of_key(key).clone()
    }
}
