//! `xeberdar build`: a site loaded once and written into a folder over the last build,
//! whose files this build did not make are then removed. Only this path lets go of each
//! file's source after loading: a one-shot build never renders or reads a page twice.

use std::fmt;
use std::path::Path;
use std::time::Instant;

use std::collections::HashSet;
use std::io::Write;
use std::sync::Mutex;

use super::sink::{file_for_path, DiskSink, OutputSink};
use super::{rel_to_root, BuildOptions, BuildReport, Site};
use crate::config::ContentKey;
use crate::content::Page;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::Rendered;

/// How many pages the Markdown pass renders before it keeps their results in the library:
/// enough that both threads stay busy to the end of a run, few enough that the run's list
/// of results is small.
const MARKDOWN_RUN: usize = 2048;

impl Site {
    /// Loads, renders everything and writes it to `options.output_dir`, replacing what was
    /// there (files of an earlier build are overwritten in place; the ones this build does
    /// not make are deleted afterwards). Returns the report; fails with every error found.
    pub fn build_to_disk(root: &Path, options: &BuildOptions) -> Result<BuildReport, BuildFailed> {
        let started = Instant::now();
        let mut site = Site::load_with(root, options, true).map_err(BuildFailed)?;
        if site.load_diagnostics.has_errors() {
            return Err(BuildFailed(site.load_diagnostics));
        }
        if let (Ok(r), Ok(o)) = (root.canonicalize(), options.output_dir.canonicalize()) {
            if r.starts_with(&o) {
                return Err(BuildFailed(
                    Diagnostic::error(
                        "config.toml",
                        1,
                        1,
                        format!(
                            "the output folder {} contains the site itself; choose another --output-dir",
                            o.display()
                        ),
                    )
                    .into(),
                ));
            }
        }
        let sink = DiskSink::prepare(&options.output_dir).map_err(|e| {
            BuildFailed(
                Diagnostic::error(rel_to_root(root, &options.output_dir), 1, 1, e.to_string())
                    .into(),
            )
        })?;
        let (written, mut problems) = site.render_markdown_writing_pages(&sink);
        site.load_diagnostics = site.content_diagnostics();
        if site.load_diagnostics.has_errors() {
            problems.extend(site.load_diagnostics);
            problems.sort();
            return Err(BuildFailed(problems));
        }
        site.with_library_mut(|lib, _| lib.release_sources());
        let mut report = site.render_all_but(&sink, &written);
        report.diagnostics.extend(problems);
        report.diagnostics.sort();
        if let Err(e) = sink.remove_stale() {
            report.diagnostics.push(Diagnostic::error(
                rel_to_root(root, &options.output_dir),
                1,
                1,
                format!("cannot remove files of an earlier build: {e}"),
            ));
        }
        report.elapsed = started.elapsed();
        if report.diagnostics.has_errors() {
            return Err(BuildFailed(report.diagnostics));
        }
        Ok(report)
    }
}

impl Site {
    /// The Markdown of every section, then of every page, for a one-shot build: each page
    /// whose template needs no other page's Markdown ([`Site::renders_alone`]) is written
    /// into `sink` as soon as its own is rendered, and its body let go unless something
    /// else shows it ([`super::load::body_needed`]). Returns the pages written and the
    /// problems their outputs had. A build with an error in its Markdown has written some
    /// pages by then, as one with an error in a template has.
    fn render_markdown_writing_pages(
        &mut self,
        sink: &dyn OutputSink,
    ) -> (HashSet<ContentKey>, Diagnostics) {
        let config = self.config.clone();
        let body_needed = super::load::body_needed(&config, &self.templates, &self.field_use);
        let keep_summaries = super::load::summaries_kept(&self.field_use);
        let keep_all = |_: &Page, _: &Rendered| Diagnostics::new();
        // Sections first: a page's template may show a section, with its HTML.
        let sections: Vec<ContentKey> = self.library.sections().keys().cloned().collect();
        self.with_library_mut(|lib, shortcodes| {
            lib.release_positions();
            let (files, _) = lib.render_once(&sections, shortcodes, &body_needed, true, &keep_all);
            lib.keep_rendered(files);
        });
        let pages: Vec<ContentKey> = self.library.pages().keys().cloned().collect();
        let written = Mutex::new(HashSet::new());
        let shortcodes = self.shortcodes();
        let mut problems = Diagnostics::new();
        // A run of pages at a time, each run's results kept before the next is rendered:
        // a list of every page's result beside the library would be the pass's largest
        // allocation. A page written here reads no other page's Markdown, so the runs
        // cannot change what it shows.
        for run in pages.chunks(MARKDOWN_RUN) {
            let write_page = |page: &Page, rendered: &Rendered| {
                if !page.meta.render || body_needed(page, rendered) || !self.renders_alone(page) {
                    return Diagnostics::new();
                }
                let d = self.write_page_now(sink, page, rendered);
                if let Ok(mut w) = written.lock() {
                    w.insert(page.file.key.clone());
                }
                d
            };
            let (files, found) = self.library.render_once(
                run,
                &shortcodes,
                &body_needed,
                keep_summaries,
                &write_page,
            );
            problems.extend(found);
            self.with_library_mut(|lib, _| lib.keep_rendered(files));
        }
        self.with_library_mut(|lib, _| lib.check_all_links());
        (written.into_inner().unwrap_or_default(), problems)
    }

    /// Writes a page's own output into `sink` with `rendered` as its Markdown. Returns its
    /// problems.
    fn write_page_now(
        &self,
        sink: &dyn OutputSink,
        page: &Page,
        rendered: &Rendered,
    ) -> Diagnostics {
        let mut d = Diagnostics::new();
        let file = file_for_path(&page.placement.path);
        let mut failed = None;
        let result = sink.put_with(&file, &mut |out: &mut dyn Write| {
            self.render_page_with(page, rendered, out).map_err(|e| {
                failed = Some(e);
                std::io::Error::other("not rendered")
            })
        });
        if let Some(e) = failed {
            d.push(e);
        } else if let Err(e) = result {
            d.push(Diagnostic::error(file, 1, 1, format!("cannot write: {e}")));
        }
        d
    }
}

/// A build that found errors; `Display` lists them one per line, `path:line:col: message`.
#[derive(Debug)]
pub struct BuildFailed(pub Diagnostics);

impl fmt::Display for BuildFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors: Vec<_> = self.0.errors().collect();
        for w in self.0.warnings() {
            writeln!(f, "{}:{}:{}: warning: {}", w.path, w.line, w.col, w.message)?;
        }
        for e in &errors {
            writeln!(f, "{e}")?;
        }
        write!(
            f,
            "the site was not built: {} error{}",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for BuildFailed {}
