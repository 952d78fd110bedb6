//! Content checks for `xeberdar check`: the mistakes an editor makes in Markdown that
//! still build but hurt visitors: images a screen reader cannot describe, skipped heading
//! levels, links without text, two pages with the same title, descriptions search engines
//! cut off or that are missing, and a list of the links that leave the site; and what the
//! site claims: every phone number comes from config.toml or `data/facts.toml`, promise words
//! ("anonymous", "free") appear only in vetted phrases, and every registered fact names its
//! source.
//!
//! Each check's level comes from `[content_checks]` in `config.toml` (see [`config`]).
//! Every finding prints as `path:line:col: level: message [check]`, the bracket naming the
//! key that changes its level.

pub mod config;
pub mod facts;
pub mod page_checks;
pub mod phone_numbers;
pub mod promise_words;
pub mod site_checks;
pub mod visible_text;

use std::fmt;
use std::path::Path;

use thiserror::Error;

pub use config::{Check, ContentChecksConfig, ContentChecksConfigError, Level};

use crate::editor_strings::EditorStrings;
use crate::message::Message;
use crate::translations::content_files::{load_config, read_content_files, ContentFilesError};
use crate::translations::SiteLanguages;

/// One problem found in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub path: String,
    pub line: usize,
    pub col: usize,
    pub level: Level,
    pub check: Check,
    pub message: Message,
}

impl Finding {
    /// `path:line:col: level: message [check]` with the message in the language of `strings`.
    pub fn line_in(&self, strings: &EditorStrings) -> String {
        format!(
            "{}:{}:{}: {}: {} [{}]",
            self.path,
            self.line,
            self.col,
            self.level,
            self.message.render(strings),
            self.check.key()
        )
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {} [{}]",
            self.path,
            self.line,
            self.col,
            self.level,
            self.message,
            self.check.key()
        )
    }
}

#[derive(Debug, Error)]
pub enum LintError {
    #[error(transparent)]
    Files(#[from] ContentFilesError),
    #[error(transparent)]
    Config(#[from] ContentChecksConfigError),
    #[error("{0}")]
    ConfigSyntax(String),
    /// A data file the checks read (`data/facts.toml`…) is unreadable: `path:line:col: …`.
    #[error("{0}")]
    Data(String),
}

/// The findings for a whole site, sorted by file, line and column.
#[derive(Debug, Clone, Default)]
pub struct LintReport {
    pub findings: Vec<Finding>,
}

impl LintReport {
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Level::Error) > 0
    }

    /// `content checks: 1 error, 2 warnings, 3 external links listed`.
    pub fn summary_line(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        format!(
            "content checks: {}, {}, {} listed",
            plural(self.count(Level::Error), "error"),
            plural(self.count(Level::Warning), "warning"),
            plural(self.count(Level::Info), "note"),
        )
    }
}

/// Runs every content check on the site at `site_root`. Draft pages are checked only when
/// `drafts` is true, as `xeberdar check --drafts` builds them.
pub fn lint_site(site_root: &Path, drafts: bool) -> Result<LintReport, LintError> {
    let (config_text, langs) = load_config(site_root)?;
    let config = xeberdar_site::config::table(&config_text)
        .map_err(|err| LintError::ConfigSyntax(format!("config.toml: {err}")))?;
    let checks = ContentChecksConfig::from_config(&config)?;
    let files: Vec<_> = read_content_files(site_root, &langs)?
        .into_iter()
        .filter(|file| {
            drafts
                || !file
                    .front_matter
                    .as_ref()
                    .and_then(|fm| fm.bool_field("draft"))
                    .unwrap_or(false)
        })
        .collect();
    let mut findings = Vec::new();
    for file in &files {
        page_checks::check_page(file, &checks, &mut findings);
    }
    site_checks::duplicate_titles(&files, &checks, &mut findings);
    check_claims(
        site_root,
        &config,
        &config_text,
        &langs,
        &files,
        &checks,
        &mut findings,
    )?;
    findings
        .sort_by(|a, b| (&a.path, a.line, a.col, a.check).cmp(&(&b.path, b.line, b.col, b.check)));
    Ok(LintReport { findings })
}

/// Phone numbers, promise words and the sources of facts, over every text visitors read.
fn check_claims(
    site_root: &Path,
    config: &toml::Table,
    config_text: &str,
    langs: &SiteLanguages,
    files: &[crate::translations::ContentFile],
    checks: &ContentChecksConfig,
    findings: &mut Vec<Finding>,
) -> Result<(), LintError> {
    let text = visible_text::site_text(site_root, config_text, langs, files)?;
    let mut known = phone_numbers::KnownNumbers::from_config(config);
    if let Some(facts) = facts::Facts::load(site_root)? {
        facts.add_numbers(&mut known);
        facts.check(config, checks.level(Check::FactSources), findings);
    }
    phone_numbers::check(&text, &known, checks.level(Check::PhoneNumbers), findings);
    if let Some(words) = promise_words::PromiseWords::load(site_root)? {
        promise_words::check(&text, &words, checks.level(Check::PromiseWords), findings);
        promise_words::check_phrase_sources(&words, checks.level(Check::FactSources), findings);
    }
    Ok(())
}
