//! The facts the site states, each with its source: `data/facts.toml`. Pages take a fact
//! through the `fact` shortcode (`{{ fact(id="shelter_not_detention") }}`), so it changes in
//! one place and a reader can see where it comes from. A fact without a source is an error:
//! on this site a victim may act on what a page says.
//!
//! ```toml
//! [hotline_number]
//! config_key = "hotline_local"      # the value lives in config.toml's [extra]
//! text = { az = "…", ru = "…", en = "…" }
//! source = { az = "…", ru = "…", en = "…" }   # the plan's section or an official page
//! url = "https://…"                   # optional
//!
//! [emergency_number]
//! number = "112"                       # a phone number pages may show
//! ```

use std::path::Path;

use super::config::{Check, Level};
use super::phone_numbers::KnownNumbers;
use super::{Finding, LintError};
use crate::message::{Message, MessageId};
use crate::translations::content_files::line_col;

pub const FACTS_FILE: &str = "data/facts.toml";

/// `data/facts.toml`, parsed, with where each fact starts.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    text: String,
    table: toml::Table,
}

impl Facts {
    /// `None` when the site has no facts file.
    pub fn load(site_root: &Path) -> Result<Option<Self>, LintError> {
        match std::fs::read_to_string(site_root.join(FACTS_FILE)) {
            Ok(text) => Self::parse(&text).map(Some),
            Err(_) => Ok(None),
        }
    }

    pub fn parse(text: &str) -> Result<Self, LintError> {
        let table: toml::Table = text.parse().map_err(|err: toml::de::Error| {
            let (line, col) = err.span().map_or((1, 1), |s| line_col(text, s.start));
            LintError::Data(format!("{FACTS_FILE}:{line}:{col}: {}", err.message()))
        })?;
        Ok(Self {
            text: text.to_string(),
            table,
        })
    }

    /// Adds every `number` of a fact to the numbers pages may show.
    pub fn add_numbers(&self, known: &mut KnownNumbers) {
        for fact in self.table.values() {
            if let Some(number) = fact.get("number").and_then(toml::Value::as_str) {
                known.add(number);
            }
        }
    }

    /// Line and column of `[id]`, or of the file's start.
    fn position(&self, id: &str) -> (usize, usize) {
        let header = format!("[{id}]");
        let mut offset = 0;
        for line in self.text.split_inclusive('\n') {
            if line.trim() == header {
                return line_col(&self.text, offset);
            }
            offset += line.len();
        }
        (1, 1)
    }

    /// Reports facts without a source, facts that are not tables, and a `config_key` that
    /// `config.toml`'s `[extra]` does not have.
    pub fn check(&self, config: &toml::Table, level: Level, out: &mut Vec<Finding>) {
        if level == Level::Off {
            return;
        }
        let extra = config.get("extra").and_then(toml::Value::as_table);
        for (id, fact) in &self.table {
            let (line, col) = self.position(id);
            let mut push = |message: Message| {
                out.push(Finding {
                    path: FACTS_FILE.into(),
                    line,
                    col,
                    level,
                    check: Check::FactSources,
                    message,
                })
            };
            let Some(fact) = fact.as_table() else {
                push(Message::of(MessageId::FactNotTable).text("id", id.as_str()));
                continue;
            };
            if !has_text(fact.get("source")) {
                push(Message::of(MessageId::FactNoSource).text("id", id.as_str()));
            }
            if let Some(key) = fact.get("config_key").and_then(toml::Value::as_str) {
                if extra.and_then(|e| e.get(key)).is_none() {
                    push(
                        Message::of(MessageId::FactConfigKeyUnset)
                            .text("id", id.as_str())
                            .text("key", key),
                    );
                }
            }
        }
    }
}

/// A non-empty string, or a table with at least one non-empty string.
fn has_text(value: Option<&toml::Value>) -> bool {
    match value {
        Some(toml::Value::String(s)) => !s.trim().is_empty(),
        Some(toml::Value::Table(t)) => t
            .values()
            .any(|v| v.as_str().is_some_and(|s| !s.trim().is_empty())),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FACTS: &str = "[hotline_number]\nconfig_key = \"hotline_local\"\nsource = { en = \"the hotline's regulation\" }\n\n[emergency]\nnumber = \"112\"\ntext = { en = \"Emergency: 112\" }\n\n[moved]\nconfig_key = \"hotline_gone\"\nsource = \"plan, section 6\"\n";

    #[test]
    fn reports_a_fact_without_source_and_a_missing_config_value() {
        let facts = Facts::parse(FACTS).unwrap();
        let config: toml::Table = "[extra]\nhotline_local = \"152\"\n".parse().unwrap();
        let mut out = Vec::new();
        facts.check(&config, Level::Error, &mut out);
        let lines: Vec<String> = out.iter().map(ToString::to_string).collect();
        assert_eq!(lines, vec![
            "data/facts.toml:5:1: error: the fact `emergency` has no source: add source = { az = \"…\" } naming the plan's section or the official page that states it [fact_sources]".to_string(),
            "data/facts.toml:9:1: error: the fact `moved` takes its value from config.toml's [extra] hotline_gone, which is not set [fact_sources]".to_string(),
        ]);
        let mut known = KnownNumbers::default();
        facts.add_numbers(&mut known);
        assert!(known.contains("112"));
    }

    #[test]
    fn names_the_line_of_a_syntax_error() {
        let err = Facts::parse("[a]\nsource = \n").unwrap_err();
        assert!(err.to_string().starts_with("data/facts.toml:2:"), "{err}");
    }
}
