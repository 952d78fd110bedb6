//! Writing a site into a sink: outputs rendered in parallel, static files and page assets
//! copied, and a whole build with its report. Every way of producing the site (`build`,
//! `check`, `serve`) goes through here, so they render the same outputs the same way.

use std::fmt;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::outputs::{gone, OutputId};
use super::sink::{file_for_path, OutputSink};
use super::Site;
use crate::config::ContentKey;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// Counts and time of one build, printed by `xeberdar build`.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// (lang, pages, sections) in config order.
    pub per_language: Vec<(String, usize, usize)>,
    pub outputs: usize,
    pub copied: usize,
    pub elapsed: Duration,
    /// Warnings (and, when the build failed, errors), sorted.
    pub diagnostics: Diagnostics,
}

impl fmt::Display for BuildReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.diagnostics.iter() {
            let kind = if d.is_error() { "error" } else { "warning" };
            writeln!(f, "{}:{}:{}: {kind}: {}", d.path, d.line, d.col, d.message)?;
        }
        for (lang, pages, sections) in &self.per_language {
            writeln!(f, "{lang}: {pages} pages, {sections} sections")?;
        }
        writeln!(
            f,
            "Built {} files and copied {} in {} ms.",
            self.outputs,
            self.copied,
            self.elapsed.as_millis()
        )
    }
}

impl Site {
    /// Renders `ids` in parallel into `sink`; returns every problem (sorted).
    ///
    /// Outputs that list a whole language (taxonomy lists, feeds, the sitemap) hold a copy of
    /// every page they list while they render, tens of MB on a large site; they run one
    /// after another on one thread while the other outputs share both threads, so two of
    /// them are never in memory at once.
    pub fn render_outputs(&self, ids: &[OutputId], sink: &dyn OutputSink) -> Diagnostics {
        let bar = progress_bar(ids.len());
        let one = |id: &OutputId| {
            let result = match self.file_of(id) {
                None => Some(gone(&format!("{id:?}"))),
                Some(file) => {
                    let mut failed = None;
                    let written = sink.put_with(&file, &mut |out: &mut dyn Write| {
                        self.write_output(id, out).map_err(|d| {
                            failed = Some(d);
                            std::io::Error::other("not rendered")
                        })
                    });
                    failed.or_else(|| {
                        let e = written.err()?;
                        Some(Diagnostic::error(file, 1, 1, format!("cannot write: {e}")))
                    })
                }
            };
            if let Some(b) = &bar {
                b.inc(1);
            }
            result
        };
        let (whole_language, others): (Vec<&OutputId>, Vec<&OutputId>) =
            ids.iter().partition(|id| {
                matches!(
                    id,
                    OutputId::TaxonomyList { .. }
                        | OutputId::Feed { .. }
                        | OutputId::Sitemap
                        | OutputId::SitemapPart(_)
                )
            });
        let (mut results, rest): (Vec<Diagnostic>, Vec<Diagnostic>) = rayon::join(
            || whole_language.iter().filter_map(|id| one(id)).collect(),
            || others.par_iter().filter_map(|id| one(id)).collect(),
        );
        results.extend(rest);
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        let mut d = Diagnostics(results);
        d.sort();
        d
    }

    /// Copies static files (theme's, then the site's) and the assets beside bundle pages and
    /// sections. Returns how many files were copied and any problems.
    pub fn copy_files(&self, sink: &dyn OutputSink) -> (usize, Diagnostics) {
        let mut jobs: Vec<(String, &Path)> = self
            .static_files
            .iter()
            .map(|(rel, src)| (rel.clone(), src.as_path()))
            .collect();
        let lib = &*self.library;
        for page in lib.pages().values().filter(|p| p.meta.render) {
            let dir = file_for_path(&page.placement.path);
            let dir = dir.strip_suffix("index.html").unwrap_or(&dir).to_string();
            for a in &page.placement.assets {
                jobs.push((format!("{dir}{}", a.relative), a.source.as_path()));
            }
        }
        for section in lib.sections().values().filter(|s| s.meta.render) {
            let dir = file_for_path(&section.placement.path);
            let dir = dir.strip_suffix("index.html").unwrap_or(&dir).to_string();
            for a in &section.placement.assets {
                jobs.push((format!("{dir}{}", a.relative), a.source.as_path()));
            }
        }
        jobs.sort();
        jobs.dedup_by(|a, b| a.0 == b.0);
        let errors: Vec<Diagnostic> = jobs
            .par_iter()
            .filter_map(|(rel, src)| {
                sink.copy(rel, src).err().map(|e| {
                    Diagnostic::error(
                        super::rel_to_root(&self.root, src),
                        1,
                        1,
                        format!("cannot copy: {e}"),
                    )
                })
            })
            .collect();
        (jobs.len(), Diagnostics(errors))
    }

    /// Every output rendered into `sink`, files copied, and the report.
    pub fn render_all(&self, sink: &dyn OutputSink) -> BuildReport {
        self.render_all_but(sink, &std::collections::HashSet::new())
    }

    /// [`Site::render_all`] but for the pages (by key) already `written`.
    pub(super) fn render_all_but(
        &self,
        sink: &dyn OutputSink,
        written: &std::collections::HashSet<ContentKey>,
    ) -> BuildReport {
        let started = Instant::now();
        let ids = self.all_outputs();
        let mut diagnostics = self.load_diagnostics.clone();
        let capture = self.main_text_sink(sink);
        let to_render: Vec<OutputId> = ids
            .iter()
            .filter(|id| !matches!(id, OutputId::Page(k) if written.contains(k)))
            .cloned()
            .collect();
        diagnostics.extend(self.render_outputs(&to_render, &capture));
        let texts = capture.into_texts();
        diagnostics.extend(self.write_search_indexes(sink, &texts));
        drop(texts);
        let (copied, copy_errors) = self.copy_files(sink);
        diagnostics.extend(copy_errors);
        for (lang, key) in self.templates.missing_ui_strings() {
            diagnostics.push(self.missing_ui_string(&lang, &key, false));
        }
        diagnostics.sort();
        let per_language = self
            .config
            .languages()
            .into_iter()
            .map(|l| {
                (
                    l.to_string(),
                    self.library.pages_in(l).count(),
                    self.library.sections_in(l).count(),
                )
            })
            .collect();
        BuildReport {
            per_language,
            outputs: ids.len(),
            copied,
            elapsed: started.elapsed(),
            diagnostics,
        }
    }
}

/// A progress bar on stderr, only for long builds on a terminal (never in logs or CI).
fn progress_bar(total: usize) -> Option<indicatif::ProgressBar> {
    if total < 2000 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files") {
        bar.set_style(style);
    }
    Some(bar)
}
