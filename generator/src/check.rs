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
use crate::editor_strings::{Arg, EditorStrings};
use crate::message::{Message, MessageId};
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
}

impl CheckReport {
    fn new(mut diagnostics: Diagnostics) -> Self {
        diagnostics.sort();
        Self { diagnostics }
    }

    /// One line per problem, `path:line:col: error: …` or `path:line:col: warning: …`, the
    /// message in the language of `strings`.
    pub fn lines(&self, strings: &EditorStrings) -> Vec<String> {
        self.diagnostics
            .iter()
            .map(|d| {
                let kind = if d.is_error() { "error" } else { "warning" };
                format!(
                    "{}:{}:{}: {kind}: {}",
                    d.path,
                    d.line,
                    d.col,
                    d.message.render(strings)
                )
            })
            .collect()
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }
}

/// Everything `check` found, counted for its last line: the build's problems, the content
/// checks' and the translations'. "No problems" only when every count is zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckSummary {
    pub errors: usize,
    /// All warnings, the stale translations among them.
    pub warnings: usize,
    pub stale_translations: usize,
    /// `info` lines of the content checks (lists, not problems).
    pub notes: usize,
}

impl CheckSummary {
    /// `check: 1 error, 11 warnings (2 of them stale translations), 3 notes listed`, in the
    /// editor's language.
    pub fn line(&self, strings: &EditorStrings) -> String {
        if self.errors == 0 && self.warnings == 0 && self.stale_translations == 0 {
            return strings.text("check-no-problems", &[]);
        }
        let count = |key: &str, n: usize| strings.text(key, &[("count", Arg::Count(n))]);
        let notes = if self.notes == 0 {
            String::new()
        } else {
            count("check-notes", self.notes)
        };
        strings.text(
            "check-summary",
            &[
                ("errors", Arg::Text(&count("check-errors", self.errors))),
                (
                    "warnings",
                    Arg::Text(&count("check-warnings", self.warnings)),
                ),
                (
                    "stale",
                    Arg::Text(&count("check-stale", self.stale_translations)),
                ),
                ("notes", Arg::Text(&notes)),
            ],
        )
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
        let ui_string = matches!(
            d.message.id(),
            Some(MessageId::UiStringMissing | MessageId::UiStringUndefined)
        );
        if !d.is_error() && ui_string {
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
            Message::of(MessageId::UiStringDefinedHere)
                .text("key", missing.key.as_str())
                .text("lang", missing.lang.as_str()),
        ));
    }
    CheckReport::new(diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_everything_found() {
        let en = EditorStrings::in_language("en");
        assert_eq!(
            CheckSummary::default().line(&en),
            "check: no problems found (0 errors, 0 warnings, 0 stale translations)"
        );
        let found = CheckSummary {
            errors: 1,
            warnings: 11,
            stale_translations: 2,
            notes: 3,
        };
        assert_eq!(
            found.line(&en),
            "check: 1 error, 11 warnings (2 of them stale translations), 3 notes listed"
        );
        let nine = CheckSummary {
            warnings: 9,
            ..CheckSummary::default()
        };
        assert_eq!(
            nine.line(&en),
            "check: 0 errors, 9 warnings (no stale translations)"
        );
        assert_eq!(
            found.line(&EditorStrings::in_language("az")),
            "check: 1 xəta, 11 xəbərdarlıq (onlardan 2 köhnəlmiş tərcümə), siyahıda 3 qeyd"
        );
    }
}
