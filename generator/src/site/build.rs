//! `xeberdar build`: a site loaded once and written into a folder over the last build,
//! whose files this build did not make are then removed. Only this path lets go of each
//! file's source after loading: a one-shot build never renders or reads a page twice.

use std::fmt;
use std::path::Path;
use std::time::Instant;

use super::sink::DiskSink;
use super::{rel_to_root, BuildOptions, BuildReport, Site};
use crate::diagnostics::{Diagnostic, Diagnostics};

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
        site.with_library_mut(|lib, _| lib.release_sources());
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
        let mut report = site.render_all(&sink);
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
