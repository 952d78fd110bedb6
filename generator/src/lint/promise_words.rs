//! Words that promise something to a visitor ("anonymous", "free", "always") are where a
//! site most easily says more than is true, and a victim may act on a promise. Each use is
//! listed for review unless it sits inside a vetted phrase: a wording someone checked
//! against a source, kept with that source in `data/vetted_phrases.toml`.
//!
//! ```toml
//! # data/promise_words.toml: per language; a trailing * matches any ending
//! en = ["anonymous*", "free", "always"]
//! az = ["anonim*", "pulsuz*"]
//!
//! # data/vetted_phrases.toml
//! [[phrase]]
//! lang = "en"
//! text = "free inside Azerbaijan"
//! source = "Ministry of Internal Affairs, the hotline's regulation (insanalveri.gov.az)"
//! ```
//!
//! Matching ignores case. Without `data/promise_words.toml` the check does nothing.

use std::collections::BTreeMap;
use std::path::Path;

use super::config::{Check, Level};
use super::visible_text::VisibleFile;
use super::{Finding, LintError};
use crate::message::{Message, MessageId};
use crate::translations::content_files::line_col;

pub const WORDS_FILE: &str = "data/promise_words.toml";
pub const PHRASES_FILE: &str = "data/vetted_phrases.toml";

/// One promise word of one language.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Word {
    /// Lower-cased, without the `*`.
    text: Vec<char>,
    /// `anonim*`: any ending.
    stem: bool,
    shown: String,
}

/// A wording checked against a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VettedPhrase {
    pub lang: String,
    pub text: String,
    pub source: Option<String>,
    /// Where it is defined, for messages.
    pub line: usize,
    pub col: usize,
}

/// The promise words and vetted phrases of a site.
#[derive(Debug, Clone, Default)]
pub struct PromiseWords {
    words: BTreeMap<String, Vec<Word>>,
    pub phrases: Vec<VettedPhrase>,
}

fn fold(text: &str) -> Vec<char> {
    text.chars()
        .map(|c| c.to_lowercase().next().unwrap_or(c))
        .collect()
}

fn data_error(path: &str, text: &str, err: &toml::de::Error) -> LintError {
    let (line, col) = err.span().map_or((1, 1), |span| line_col(text, span.start));
    LintError::Data(format!("{path}:{line}:{col}: {}", err.message()))
}

impl PromiseWords {
    /// Reads both files from `site_root`; `None` when the site has no promise-word list.
    pub fn load(site_root: &Path) -> Result<Option<Self>, LintError> {
        let Ok(words_text) = std::fs::read_to_string(site_root.join(WORDS_FILE)) else {
            return Ok(None);
        };
        let phrases_text =
            std::fs::read_to_string(site_root.join(PHRASES_FILE)).unwrap_or_default();
        Self::parse(&words_text, &phrases_text).map(Some)
    }

    pub fn parse(words_text: &str, phrases_text: &str) -> Result<Self, LintError> {
        let table: toml::Table = words_text
            .parse()
            .map_err(|e| data_error(WORDS_FILE, words_text, &e))?;
        let mut words = BTreeMap::new();
        for (lang, list) in &table {
            let list = list.as_array().ok_or_else(|| {
                LintError::Data(format!(
                    "{WORDS_FILE}: `{lang}` must be a list of words, like {lang} = [\"…\"]"
                ))
            })?;
            let parsed = list
                .iter()
                .filter_map(toml::Value::as_str)
                .filter(|w| !w.trim_end_matches('*').trim().is_empty())
                .map(|w| Word {
                    text: fold(w.trim().trim_end_matches('*')),
                    stem: w.trim().ends_with('*'),
                    shown: w.trim().trim_end_matches('*').to_string(),
                })
                .collect();
            words.insert(lang.clone(), parsed);
        }
        let phrases_table: toml::Table = phrases_text
            .parse()
            .map_err(|e| data_error(PHRASES_FILE, phrases_text, &e))?;
        let mut phrases = Vec::new();
        let mut search_from = 0;
        if let Some(list) = phrases_table.get("phrase").and_then(toml::Value::as_array) {
            for entry in list {
                let get = |k: &str| entry.get(k).and_then(toml::Value::as_str).map(str::trim);
                let (Some(lang), Some(text)) = (get("lang"), get("text")) else {
                    continue;
                };
                // Position of this entry: the next `[[phrase]]` header.
                let at = phrases_text[search_from..]
                    .find("[[phrase]]")
                    .map_or(search_from, |i| search_from + i);
                search_from = (at + 1).min(phrases_text.len());
                let (line, col) = line_col(phrases_text, at);
                phrases.push(VettedPhrase {
                    lang: lang.to_string(),
                    text: text.to_string(),
                    source: get("source").filter(|s| !s.is_empty()).map(str::to_string),
                    line,
                    col,
                });
            }
        }
        Ok(Self { words, phrases })
    }

    /// The 0-based character ranges of promise words in `line` that no vetted phrase covers.
    fn unvetted(&self, lang: &str, line: &str) -> Vec<(usize, String)> {
        let Some(words) = self.words.get(lang) else {
            return Vec::new();
        };
        let folded = fold(line);
        let mut covered = Vec::new();
        for phrase in self.phrases.iter().filter(|p| p.lang == lang) {
            let p = fold(&phrase.text);
            if p.is_empty() {
                continue;
            }
            for start in 0..folded.len().saturating_sub(p.len() - 1) {
                if folded[start..start + p.len()] == p[..] {
                    covered.push((start, start + p.len()));
                }
            }
        }
        let mut out = Vec::new();
        for word in words {
            let n = word.text.len();
            for start in 0..folded.len().saturating_sub(n.saturating_sub(1)) {
                if n == 0 || folded[start..start + n] != word.text[..] {
                    continue;
                }
                let before_ok = start == 0 || !folded[start - 1].is_alphanumeric();
                let after_ok =
                    word.stem || folded.get(start + n).is_none_or(|c| !c.is_alphanumeric());
                if !before_ok || !after_ok {
                    continue;
                }
                if covered.iter().any(|&(s, e)| s <= start && start + n <= e) {
                    continue;
                }
                out.push((start, word.shown.clone()));
            }
        }
        out.sort();
        out
    }
}

/// Lists each promise word outside a vetted phrase.
pub fn check(files: &[VisibleFile], words: &PromiseWords, level: Level, out: &mut Vec<Finding>) {
    if level == Level::Off {
        return;
    }
    for file in files {
        for line in &file.lines {
            for (start, word) in words.unvetted(&line.lang, &line.text) {
                let used: String = line
                    .text
                    .chars()
                    .skip(start)
                    .take_while(|c| c.is_alphanumeric())
                    .collect();
                out.push(Finding {
                    path: file.display_path.clone(),
                    line: line.line,
                    col: start + 1,
                    level,
                    check: Check::PromiseWords,
                    message: Message::of(MessageId::LintPromiseWord)
                        .text("used", used)
                        .text("word", word.to_string())
                        .text("phrases", PHRASES_FILE),
                });
            }
        }
    }
}

/// A vetted phrase must name the source it was checked against.
pub fn check_phrase_sources(words: &PromiseWords, level: Level, out: &mut Vec<Finding>) {
    if level == Level::Off {
        return;
    }
    for phrase in words.phrases.iter().filter(|p| p.source.is_none()) {
        out.push(Finding {
            path: PHRASES_FILE.into(),
            line: phrase.line,
            col: phrase.col,
            level,
            check: Check::FactSources,
            message: Message::of(MessageId::LintPhraseNoSource)
                .text("phrase", phrase.text.as_str()),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::visible_text::VisibleLine;

    const WORDS: &str = "en = [\"anonymous*\", \"free\", \"always\"]\naz = [\"anonim*\"]\n";
    const PHRASES: &str = "[[phrase]]\nlang = \"en\"\ntext = \"free inside Azerbaijan\"\nsource = \"the hotline's regulation\"\n\n[[phrase]]\nlang = \"az\"\ntext = \"anonim deyil\"\n";

    fn file(lang: &str, text: &str) -> Vec<VisibleFile> {
        vec![VisibleFile {
            display_path: "content/a.md".into(),
            lines: vec![VisibleLine {
                line: 3,
                lang: lang.into(),
                text: text.into(),
            }],
        }]
    }

    #[test]
    fn lists_promises_outside_vetted_phrases() {
        let words = PromiseWords::parse(WORDS, PHRASES).unwrap();
        let mut out = Vec::new();
        check(
            &file(
                "en",
                "Free, and always Anonymously. The call is free inside Azerbaijan; freedom.",
            ),
            &words,
            Level::Warning,
            &mut out,
        );
        let got: Vec<(usize, String)> =
            out.iter().map(|f| (f.col, f.message.to_string())).collect();
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0].0, 1);
        assert!(got[0].1.starts_with("promise word \"Free\" (free)"));
        assert!(got[1].1.starts_with("promise word \"always\""));
        assert!(got[2]
            .1
            .starts_with("promise word \"Anonymously\" (anonymous)"));
    }

    #[test]
    fn a_vetted_phrase_needs_a_source_and_words_are_per_language() {
        let words = PromiseWords::parse(WORDS, PHRASES).unwrap();
        let mut out = Vec::new();
        check(
            &file("az", "Zəng anonim deyil. free"),
            &words,
            Level::Warning,
            &mut out,
        );
        assert!(out.is_empty(), "{out:?}");
        check_phrase_sources(&words, Level::Error, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].to_string(),
            "data/vetted_phrases.toml:6:1: error: the vetted phrase \"anonim deyil\" has no source: add source = \"…\" naming the plan's section or the official page that says it [fact_sources]"
        );
    }
}
