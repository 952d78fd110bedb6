//! Messages about the site's files, shaped for an NGO editor rather than a programmer.
//!
//! Every problem the generator finds in a file becomes a [`Diagnostic`] that prints as
//! `path:line:col: message` (the form editors, terminals and the editor tooling can jump to),
//! with the path relative to the site root (`content/signs.az.md`, `config.toml`).
//! Lines and columns start at 1; columns count characters, not bytes, so Azerbaijani and
//! Cyrillic text points at the right letter.
//!
//! Loading collects every problem it can instead of stopping at the first, so an editor sees
//! all of them at once; [`LoadError`] carries the collection when loading cannot go on.

use std::fmt;

use crate::editor_strings::EditorStrings;
use crate::message::{Message, MessageId};

/// How bad a problem is: errors stop `build`/`check`, warnings are reported and built anyway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one file, at one place.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators (`content/signs.az.md`).
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    pub severity: Severity,
    /// Plain words: what is wrong and, where possible, what was expected.
    pub message: Message,
}

impl Diagnostic {
    /// A UI-strings error at its file, line and column, the path relative to the site root.
    /// Taken from the error's fields, never from its message, whatever the path contains.
    pub fn from_i18n(site_root: &std::path::Path, e: &xeberdar_i18n::I18nError) -> Self {
        match e.location() {
            Some((path, line, col)) => {
                let path = path
                    .strip_prefix(site_root)
                    .unwrap_or(path)
                    .to_string_lossy()
                    .replace('\\', "/");
                Self::error(path, line, col, e.problem())
            }
            None => Self::error("i18n/locales", 1, 1, e.problem()),
        }
    }

    pub fn error(
        path: impl Into<String>,
        line: usize,
        col: usize,
        message: impl Into<Message>,
    ) -> Self {
        Self {
            path: path.into(),
            line,
            col,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    pub fn warning(
        path: impl Into<String>,
        line: usize,
        col: usize,
        message: impl Into<Message>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(path, line, col, message)
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col: message` with the message in the language of `strings`.
    pub fn line_in(&self, strings: &EditorStrings) -> String {
        format!(
            "{}:{}:{}: {}",
            self.path,
            self.line,
            self.col,
            self.message.render(strings)
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.col, self.message
        )
    }
}

/// An ordered collection of problems. Kept sorted by [`Diagnostics::sort`] before printing so
/// output is deterministic even though files load in parallel.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// Sorts by path, then position, then message, and drops exact duplicates.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.path, a.line, a.col, a.severity, &a.message)
                .cmp(&(&b.path, b.line, b.col, b.severity, &b.message))
        });
        self.0.dedup();
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Self(vec![d])
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// One line per diagnostic, `path:line:col: message`.
impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Loading (config or content) could not produce a usable result. Holds every problem found,
/// errors and warnings alike; `Display` prints them one per line.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{diagnostics}")]
pub struct LoadError {
    pub diagnostics: Diagnostics,
}

impl From<Diagnostics> for LoadError {
    fn from(diagnostics: Diagnostics) -> Self {
        Self { diagnostics }
    }
}

impl From<Diagnostic> for LoadError {
    fn from(d: Diagnostic) -> Self {
        Self {
            diagnostics: d.into(),
        }
    }
}

/// Reads serde's description of a TOML value error as a catalogue message; `None` for
/// syntax errors and descriptions it does not know (the caller shows those as they are).
///
/// `invalid type: string "first", expected i64` → `expected a whole number, found the text "first"`.
pub fn plain_value_error(msg: &str) -> Option<Message> {
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let (found, expected) = rest.split_once('`')?;
        let expected = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ");
        return Some(
            Message::of(MessageId::ValueNotAllowed)
                .text("found", found)
                .text("allowed", expected),
        );
    }
    let rest = msg.strip_prefix("invalid type: ")?;
    let (found, expected) = rest.rsplit_once(", expected ")?;
    let expected = match expected.trim() {
        "i64" | "i32" | "u64" | "u32" | "usize" | "u8" | "u16" | "an integer" => "whole-number",
        "a boolean" => "boolean",
        "a string" => "text",
        "a sequence" => "list",
        "f64" | "f32" => "number",
        other => other,
    };
    let (found_kind, found) = if let Some(t) = found.strip_prefix("string ") {
        ("text", t.to_string())
    } else if let Some(t) = found.strip_prefix("integer ") {
        ("number", t.trim_matches('`').to_string())
    } else if let Some(t) = found.strip_prefix("boolean ") {
        ("other", t.trim_matches('`').to_string())
    } else {
        ("other", found.to_string())
    };
    Some(
        Message::of(MessageId::ValueWrongType)
            .text("expected", expected)
            .text("found_kind", found_kind)
            .text("found", found),
    )
}

/// Positions in a file's text, shared with the translation tools and the endpoint.
pub use xeberdar_site::text::LineIndex;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_strings_error_keeps_its_position_when_the_path_has_colons() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path().join("site:2024");
        let dir = root.join("i18n/locales/az");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("ui:main.ftl"), "ok = Yaxşı\nbad line\n").unwrap();
        let e = xeberdar_i18n::Locales::load(
            &root.join("i18n/locales"),
            &[("az", xeberdar_i18n::Direction::Ltr)],
            "az",
        )
        .unwrap_err();
        let d = Diagnostic::from_i18n(&root, &e);
        assert_eq!(d.path, "i18n/locales/az/ui:main.ftl", "{d}");
        assert_eq!((d.line, d.col), (2, 1), "{d}");
        assert!(d.is_error());
        assert!(!d.message.to_string().contains("ui:main"), "{d}");
    }

    #[test]
    fn display_is_path_line_col_message() {
        let d = Diagnostic::error(
            "content/signs.az.md",
            3,
            9,
            "`date` must look like 2024-05-06, found `6 May`",
        );
        assert_eq!(
            d.to_string(),
            "content/signs.az.md:3:9: `date` must look like 2024-05-06, found `6 May`"
        );
    }

    #[test]
    fn plain_value_errors() {
        assert_eq!(
            plain_value_error("invalid type: string \"first\", expected i64")
                .unwrap()
                .to_string(),
            "expected a whole number, found the text \"first\""
        );
        assert_eq!(
            plain_value_error("invalid type: integer `3`, expected a boolean")
                .unwrap()
                .to_string(),
            "expected true or false, found the number 3"
        );
        assert!(plain_value_error("invalid basic string").is_none());
    }
}
