//! `xeberdar check`: everything `build` would do, in memory, plus the stricter checks an
//! editor wants before publishing. Every problem is one line, `path:line:col: message`.
//!
//! Errors (non-zero exit): anything that breaks a build (bad front matter, template errors,
//! a broken `@/` link or `#anchor`), a UI string that one language defines and another
//! lacks (`Locales::missing_keys`), and a UI string a template asks for that a language
//! lacks. Warnings: pages without a translation in some language, and other content
//! warnings from the library.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::{BuildOptions, NullSink, Site};

#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Check draft pages too.
    pub drafts: bool,
}

/// What `check` found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    pub diagnostics: Diagnostics,
    /// One line per problem: `path:line:col: error: …` or `path:line:col: warning: …`.
    pub messages: Vec<String>,
}

impl CheckReport {
    fn new(mut diagnostics: Diagnostics) -> Self {
        diagnostics.sort();
        let messages = diagnostics
            .iter()
            .map(|d| {
                let kind = if d.is_error() { "error" } else { "warning" };
                format!("{}:{}:{}: {kind}: {}", d.path, d.line, d.col, d.message)
            })
            .collect();
        Self {
            diagnostics,
            messages,
        }
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }

    /// "check: 2 errors, 1 warning" — for the end of the output.
    pub fn summary_line(&self) -> String {
        let errors = self.diagnostics.errors().count();
        let warnings = self.diagnostics.warnings().count();
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        if errors == 0 && warnings == 0 {
            "check: no problems found".to_string()
        } else {
            format!(
                "check: {}, {}",
                plural(errors, "error"),
                plural(warnings, "warning")
            )
        }
    }
}

/// Checks the site at `root` without writing anything.
pub fn run_check(root: &Path, options: &CheckOptions) -> CheckReport {
    let build = BuildOptions {
        drafts: options.drafts,
        ..BuildOptions::default()
    };
    let site = match Site::load_lenient(root, &build) {
        Ok(site) => site,
        Err(diagnostics) => return CheckReport::new(diagnostics),
    };
    let report = site.render_all(&NullSink);
    let mut diagnostics = Diagnostics::new();
    for d in report.diagnostics {
        // A template asking for a missing UI string is an error in `check`.
        if !d.is_error() && d.message.starts_with("the UI string") {
            diagnostics.push(Diagnostic::error(d.path, d.line, d.col, d.message));
        } else {
            diagnostics.push(d);
        }
    }
    for missing in site.locales.missing_keys() {
        let at = &missing.defined_at;
        let path = at
            .path
            .strip_prefix(root)
            .unwrap_or(&at.path)
            .to_string_lossy()
            .replace('\\', "/");
        diagnostics.push(Diagnostic::error(
            path,
            at.line,
            at.col,
            format!(
                "the UI string `{}` is defined here but missing in `{}` (add it to i18n/locales/{}/)",
                missing.key, missing.lang, missing.lang
            ),
        ));
    }
    CheckReport::new(diagnostics)
}
