//! Keeps the served site up to date: a full build at start, then, for each batch of changed
//! files, only the work the change needs.
//!
//! | what changed | what is redone |
//! | --- | --- |
//! | a Markdown file in `content/` | that file is re-read; the outputs [`Site::reload_file`] names are rendered (the page, its translations' alternates, its section listings, the taxonomy pages that list it) |
//! | another file in `content/`, `static/`, a theme's `static/` | nothing to render: copied files are served from disk; a new or removed one re-collects the file list |
//! | `templates/`, `themes/`, `i18n/` | templates and UI strings reloaded, everything rendered |
//! | `data/` | everything rendered (any template may `load_data`) |
//! | `config.toml` | the site loaded again from scratch |

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use parking_lot::RwLock;
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::editor_strings::EditorStrings;
use crate::site::{BuildOptions, MemoryFile, MemorySink, OutputId, Site};

use super::live_reload::{url_path_of, LiveReload, OverlayError};

/// The rendered site, by output path (`ru/news/index.html`).
pub type SiteFiles = RwLock<BTreeMap<String, MemoryFile>>;

/// What one changed path asks for, from least to most work.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Ignore,
    /// A copied file changed in place: served from disk, so only the pages reload.
    CopiedFile,
    /// A copied file appeared or went away: the file list is collected again.
    FileList,
    Content(PathBuf),
    RenderAll,
    Templates,
    Full,
}

/// Sorts a changed path into a [`Change`]. `root` is the site folder.
pub fn classify(root: &Path, path: &Path, exists_in_output: bool) -> Change {
    let Ok(rel) = path.strip_prefix(root) else {
        return Change::Ignore;
    };
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if is_editor_scratch(&name) {
        return Change::Ignore;
    }
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let copied = || {
        if exists_in_output && path.exists() {
            Change::CopiedFile
        } else {
            Change::FileList
        }
    };
    match parts.first().map(String::as_str) {
        Some("config.toml") if parts.len() == 1 => Change::Full,
        Some("content") => {
            if name.ends_with(".md") {
                Change::Content(path.to_path_buf())
            } else if path.is_dir() {
                Change::Ignore
            } else {
                copied()
            }
        }
        Some("static") => copied(),
        Some("themes") if parts.get(2).map(String::as_str) == Some("static") => copied(),
        Some("templates" | "themes" | "i18n") => Change::Templates,
        Some("data") => Change::RenderAll,
        _ => Change::Ignore,
    }
}

/// Swap files, backups and lock files that editors write next to the real one.
fn is_editor_scratch(name: &str) -> bool {
    name.is_empty()
        || name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// What a rebuild did, for the terminal and the benchmark.
#[derive(Debug, Clone)]
pub struct RebuildSummary {
    pub rendered: usize,
    pub elapsed: Duration,
    pub errors: Vec<OverlayError>,
    pub what: String,
    /// URL paths whose output changed; `None` when possibly all did.
    pub changed: Option<Vec<String>>,
}

/// Owns the loaded [`Site`] and writes into the shared [`SiteFiles`].
pub struct Rebuilder {
    root: PathBuf,
    options: BuildOptions,
    site: Option<Site>,
    files: Arc<SiteFiles>,
    live: Arc<LiveReload>,
    /// The language the errors are shown in, on the terminal and in the overlay.
    strings: EditorStrings,
}

impl Rebuilder {
    pub fn new(
        root: PathBuf,
        options: BuildOptions,
        files: Arc<SiteFiles>,
        live: Arc<LiveReload>,
        strings: EditorStrings,
    ) -> Self {
        Self {
            root,
            options,
            site: None,
            files,
            live,
            strings,
        }
    }

    /// Loads and renders the whole site.
    pub fn full(&mut self) -> RebuildSummary {
        let started = Instant::now();
        self.site = None;
        let summary = match Site::load_lenient(&self.root, &self.options) {
            Ok(site) => {
                let summary = self.render_everything(&site, started, "full build");
                self.site = Some(site);
                summary
            }
            Err(diagnostics) => self.failed(&diagnostics, started, "full build"),
        };
        self.live.publish(summary.errors.clone());
        summary
    }

    /// Rebuilds after the given paths changed.
    pub fn apply(&mut self, paths: &[PathBuf]) -> Option<RebuildSummary> {
        let changes: Vec<Change> = {
            let files = self.files.read();
            let mut changes: Vec<Change> = paths
                .iter()
                .map(|p| {
                    let in_output = files
                        .values()
                        .any(|f| matches!(f, MemoryFile::Copied(src) if src == p));
                    classify(&self.root, p, in_output)
                })
                .filter(|c| *c != Change::Ignore)
                .collect();
            changes.sort();
            changes.dedup();
            changes
        };
        let strongest = changes.last()?.clone();
        if self.site.is_none() {
            return Some(self.full());
        }
        let started = Instant::now();
        let summary = match strongest {
            Change::Full => return Some(self.full()),
            Change::Templates => self.reload_templates(started),
            Change::RenderAll => {
                let site = self.site.as_ref()?;
                self.render_everything(site, started, "data changed")
            }
            Change::Content(_) => {
                let content: Vec<PathBuf> = changes
                    .iter()
                    .filter_map(|c| match c {
                        Change::Content(p) => Some(p.clone()),
                        _ => None,
                    })
                    .collect();
                let needs_file_list = changes.contains(&Change::FileList);
                self.reload_content(&content, needs_file_list, started)?
            }
            Change::FileList => self.reload_templates(started),
            Change::CopiedFile | Change::Ignore => RebuildSummary {
                rendered: 0,
                elapsed: started.elapsed(),
                errors: self.current_errors(&Diagnostics::new()),
                what: "copied file changed".into(),
                changed: None,
            },
        };
        self.live
            .publish_changed(summary.errors.clone(), summary.changed.clone());
        Some(summary)
    }

    fn reload_templates(&mut self, started: Instant) -> RebuildSummary {
        let Some(site) = self.site.as_mut() else {
            return self.full();
        };
        match site.reload_templates() {
            Ok(()) => {
                let site = self.site.take();
                let summary = match &site {
                    Some(site) => self.render_everything(site, started, "templates changed"),
                    None => self.failed(&Diagnostics::new(), started, "templates changed"),
                };
                self.site = site;
                summary
            }
            Err(diagnostics) => self.failed(&diagnostics, started, "templates changed"),
        }
    }

    fn reload_content(
        &mut self,
        paths: &[PathBuf],
        needs_file_list: bool,
        started: Instant,
    ) -> Option<RebuildSummary> {
        let site = self.site.as_mut()?;
        let mut outputs: Vec<OutputId> = Vec::new();
        let mut removed_any = false;
        for path in paths {
            let (change, ids) = site.reload_file(path);
            removed_any |= !change.removed.is_empty() || change.structure_changed;
            outputs.extend(ids);
        }
        outputs.sort();
        outputs.dedup();
        let reread_ms = started.elapsed().as_millis();
        let what = paths
            .iter()
            .map(|p| crate::translations::content_files::display_path(p, &self.root))
            .collect::<Vec<_>>()
            .join(", ");
        let site = self.site.take()?;
        let summary = if removed_any || needs_file_list {
            // Pages came or went: start from a fresh map so no stale URL keeps answering.
            self.render_everything(&site, started, &what)
        } else {
            // The edited pages first, and tell their open tabs at once; then the listings,
            // feeds and sitemap that mention them, and tell those tabs.
            let (pages, listings): (Vec<OutputId>, Vec<OutputId>) = outputs
                .into_iter()
                .partition(|o| matches!(o, OutputId::Page(_)));
            let (first_paths, first_errors, first_count) = self.render_some(&site, &pages);
            let first_ms = started.elapsed().as_millis();
            if !listings.is_empty() && self.errors_of(site.diagnostics(), &first_errors).is_empty()
            {
                self.live.publish_pages_ready(first_paths.clone());
            }
            let (mut paths, mut diagnostics, count) = self.render_some(&site, &listings);
            paths.extend(first_paths);
            diagnostics.extend(first_errors);
            RebuildSummary {
                rendered: first_count + count,
                elapsed: started.elapsed(),
                errors: self.errors_of(site.diagnostics(), &diagnostics),
                what: format!("{what}; re-read in {reread_ms} ms, pages ready in {first_ms} ms"),
                changed: Some(paths),
            }
        };
        self.site = Some(site);
        Some(summary)
    }

    /// Renders some outputs into the served files; returns their URL paths, the problems and
    /// how many files were written.
    fn render_some(&self, site: &Site, ids: &[OutputId]) -> (Vec<String>, Diagnostics, usize) {
        let sink = MemorySink::default();
        let diagnostics = site.render_outputs(ids, &sink);
        let rendered = sink.into_files();
        let paths: Vec<String> = rendered.keys().map(|f| url_path_of(f)).collect();
        let count = rendered.len();
        self.files.write().extend(rendered);
        (paths, diagnostics, count)
    }

    fn render_everything(&self, site: &Site, started: Instant, what: &str) -> RebuildSummary {
        let sink = MemorySink::default();
        let report = site.render_all(&sink);
        let files = sink.into_files();
        let count = files.len();
        *self.files.write() = files;
        RebuildSummary {
            rendered: count,
            elapsed: started.elapsed(),
            errors: self.errors_of(site.diagnostics(), &report.diagnostics),
            what: what.to_string(),
            changed: None,
        }
    }

    fn failed(&self, diagnostics: &Diagnostics, started: Instant, what: &str) -> RebuildSummary {
        RebuildSummary {
            rendered: 0,
            elapsed: started.elapsed(),
            errors: self.errors_of(diagnostics, &Diagnostics::new()),
            what: what.to_string(),
            changed: None,
        }
    }

    /// The errors (not warnings) among the site's and a render's diagnostics, sorted, once
    /// each, in the editor's language.
    fn errors_of(&self, site: &Diagnostics, render: &Diagnostics) -> Vec<OverlayError> {
        let mut all: Vec<&Diagnostic> = site.errors().chain(render.errors()).collect();
        all.sort();
        all.dedup();
        all.into_iter()
            .map(|d| OverlayError::new(d, &self.strings))
            .collect()
    }

    fn current_errors(&self, extra: &Diagnostics) -> Vec<OverlayError> {
        match &self.site {
            Some(site) => self.errors_of(site.diagnostics(), extra),
            None => self.live_errors(),
        }
    }

    fn live_errors(&self) -> Vec<OverlayError> {
        match self.live.status() {
            super::live_reload::BuildStatus::Ok => Vec::new(),
            super::live_reload::BuildStatus::Failed { errors } => errors,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_paths() {
        let root = Path::new("/site");
        let c = |p: &str| classify(root, &root.join(p), false);
        assert_eq!(c("config.toml"), Change::Full);
        assert_eq!(
            c("content/a.ru.md"),
            Change::Content(PathBuf::from("/site/content/a.ru.md"))
        );
        assert_eq!(c("content/.#a.md"), Change::Ignore);
        assert_eq!(c("content/a.md~"), Change::Ignore);
        assert_eq!(c("templates/page.html"), Change::Templates);
        assert_eq!(c("themes/x/templates/base.html"), Change::Templates);
        assert_eq!(c("themes/x/static/site.css"), Change::FileList);
        assert_eq!(c("i18n/locales/az/main.ftl"), Change::Templates);
        assert_eq!(c("data/plan.toml"), Change::RenderAll);
        assert_eq!(c("public/index.html"), Change::Ignore);
        assert_eq!(
            classify(root, Path::new("/elsewhere/x.md"), false),
            Change::Ignore
        );
    }
}
