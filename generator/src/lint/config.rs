//! Which content checks run and how loud they are: the `[content_checks]` table of
//! `config.toml`.
//!
//! ```toml
//! [content_checks]
//! image_alt = "error"            # "error" | "warning" | "info" | "off"
//! heading_levels = "warning"
//! empty_link_text = "error"
//! duplicate_titles = "warning"
//! description_length = "warning"
//! max_description_length = 155   # characters
//! missing_description = "warning"
//! external_links = "info"        # "info" lists them without failing anything
//! phone_numbers = "error"        # a number not from config.toml or data/facts.toml
//! promise_words = "warning"      # "anonymous", "free"… outside a vetted phrase
//! fact_sources = "error"         # a fact or vetted phrase without its source
//! ```
//!
//! Every key is optional; the defaults above fail `check` only where a visitor using a
//! screen reader would lose information (an image or a link nobody can name).

use std::fmt;

use thiserror::Error;

/// How loud a finding is. Errors make `xeberdar check` exit with status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

impl Level {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "error" => Some(Self::Error),
            "warning" | "warn" => Some(Self::Warning),
            "info" => Some(Self::Info),
            "off" => Some(Self::Off),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Off => "off",
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        })
    }
}

/// The content checks, named as in `[content_checks]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Check {
    ImageAlt,
    HeadingLevels,
    EmptyLinkText,
    DuplicateTitles,
    DescriptionLength,
    MissingDescription,
    ExternalLinks,
    PhoneNumbers,
    PromiseWords,
    FactSources,
}

impl Check {
    pub const ALL: [Check; 10] = [
        Self::ImageAlt,
        Self::HeadingLevels,
        Self::EmptyLinkText,
        Self::DuplicateTitles,
        Self::DescriptionLength,
        Self::MissingDescription,
        Self::ExternalLinks,
        Self::PhoneNumbers,
        Self::PromiseWords,
        Self::FactSources,
    ];

    /// The key in `[content_checks]`, also printed after each message.
    pub fn key(self) -> &'static str {
        match self {
            Self::ImageAlt => "image_alt",
            Self::HeadingLevels => "heading_levels",
            Self::EmptyLinkText => "empty_link_text",
            Self::DuplicateTitles => "duplicate_titles",
            Self::DescriptionLength => "description_length",
            Self::MissingDescription => "missing_description",
            Self::ExternalLinks => "external_links",
            Self::PhoneNumbers => "phone_numbers",
            Self::PromiseWords => "promise_words",
            Self::FactSources => "fact_sources",
        }
    }

    fn default_level(self) -> Level {
        match self {
            Self::ImageAlt | Self::EmptyLinkText | Self::PhoneNumbers | Self::FactSources => {
                Level::Error
            }
            Self::ExternalLinks => Level::Info,
            _ => Level::Warning,
        }
    }
}

/// A mistake in `[content_checks]`.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("config.toml: [content_checks] {key}: {message}")]
pub struct ContentChecksConfigError {
    pub key: String,
    pub message: String,
}

/// The level of every check and the description length limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentChecksConfig {
    levels: [Level; Check::ALL.len()],
    /// Longest description, in characters, that search results show in full.
    pub max_description_length: usize,
}

impl Default for ContentChecksConfig {
    fn default() -> Self {
        Self {
            levels: Check::ALL.map(Check::default_level),
            max_description_length: 155,
        }
    }
}

impl ContentChecksConfig {
    pub fn level(&self, check: Check) -> Level {
        self.levels[check as usize]
    }

    pub fn set_level(&mut self, check: Check, level: Level) {
        self.levels[check as usize] = level;
    }

    /// Reads `[content_checks]` from a parsed `config.toml`; a missing table means defaults.
    pub fn from_config(config: &toml::Table) -> Result<Self, ContentChecksConfigError> {
        let mut out = Self::default();
        let Some(table) = config.get("content_checks") else {
            return Ok(out);
        };
        let Some(table) = table.as_table() else {
            return Err(ContentChecksConfigError {
                key: String::new(),
                message: "must be a table".into(),
            });
        };
        for (key, value) in table {
            if key == "max_description_length" {
                out.max_description_length = value
                    .as_integer()
                    .and_then(|n| usize::try_from(n).ok())
                    .filter(|n| *n > 0)
                    .ok_or_else(|| ContentChecksConfigError {
                        key: key.clone(),
                        message: format!("must be a positive number of characters, found {value}"),
                    })?;
                continue;
            }
            let check = Check::ALL
                .into_iter()
                .find(|c| c.key() == key)
                .ok_or_else(|| ContentChecksConfigError {
                    key: key.clone(),
                    message: format!(
                        "unknown check; known checks: {}, max_description_length",
                        Check::ALL.map(Check::key).join(", ")
                    ),
                })?;
            let level =
                value
                    .as_str()
                    .and_then(Level::parse)
                    .ok_or_else(|| ContentChecksConfigError {
                        key: key.clone(),
                        message: format!(
                            "must be \"error\", \"warning\", \"info\" or \"off\", found {value}"
                        ),
                    })?;
            out.set_level(check, level);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_levels_and_limit() {
        let config: toml::Table = "[content_checks]\nimage_alt = \"warning\"\nexternal_links = \"off\"\nmax_description_length = 120\n"
            .parse()
            .unwrap();
        let checks = ContentChecksConfig::from_config(&config).unwrap();
        assert_eq!(checks.level(Check::ImageAlt), Level::Warning);
        assert_eq!(checks.level(Check::ExternalLinks), Level::Off);
        assert_eq!(checks.level(Check::EmptyLinkText), Level::Error);
        assert_eq!(checks.max_description_length, 120);
    }

    #[test]
    fn names_a_wrong_level() {
        let config: toml::Table = "[content_checks]\nimage_alt = \"loud\"\n".parse().unwrap();
        let err = ContentChecksConfig::from_config(&config).unwrap_err();
        assert_eq!(
            err.to_string(),
            "config.toml: [content_checks] image_alt: must be \"error\", \"warning\", \"info\" or \"off\", found \"loud\""
        );
    }
}
