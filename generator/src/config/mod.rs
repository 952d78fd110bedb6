//! The site's `config.toml` as the generator uses it: the site model's typed config
//! ([`xeberdar_site::config`], which owns reading and validating the file), with its
//! problems turned into diagnostics in the editor's language.
//!
//! Public API: [`Config::load`] (reads `<root>/config.toml`), [`Config::parse`] (from text);
//! everything else ([`Config::languages`], [`Config::lang_prefix`], [`Config::permalink`],
//! …) is the site model's, reached through `Deref`. Unknown keys become warnings in
//! [`Config::warnings`] with their position (`Library::diagnostics` includes them).

use std::ops::{Deref, DerefMut};
use std::path::Path;

use serde::Serialize;
pub use xeberdar_site::config::{
    toml_to_json, Direction, ExcludePaginatedPages, LanguageOptions, MarkdownConfig, SearchConfig,
    SlugStrategy, SlugifyConfig, TaxonomyConfig, CONFIG_FILE,
};
use xeberdar_site::config::{ConfigError, UnknownKey};
pub use xeberdar_site::lang::{is_language_code, Lang};
pub use xeberdar_site::ContentKey;

use crate::diagnostics::{plain_value_error, Diagnostic, Diagnostics, LoadError};
use crate::message::{Message, MessageId};

/// The loaded, validated site config. Serializes to the shape templates see as `config`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Config {
    site: xeberdar_site::config::Config,
    /// Keys neither this generator nor Zola knows (likely typos), as warnings with their
    /// position. Loading still succeeds.
    #[serde(skip)]
    pub warnings: Diagnostics,
}

impl Deref for Config {
    type Target = xeberdar_site::config::Config;

    fn deref(&self) -> &Self::Target {
        &self.site
    }
}

impl DerefMut for Config {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.site
    }
}

impl Config {
    /// Reads and validates `<site_root>/config.toml`.
    pub fn load(site_root: &Path) -> Result<Config, LoadError> {
        Self::from_site(xeberdar_site::config::Config::load(site_root))
    }

    /// Parses config text; diagnostics name `config.toml`.
    pub fn parse(text: &str) -> Result<Config, LoadError> {
        Self::from_site(xeberdar_site::config::Config::parse(text))
    }

    fn from_site(
        loaded: Result<xeberdar_site::config::Config, ConfigError>,
    ) -> Result<Config, LoadError> {
        let site = loaded.map_err(|e| config_diagnostic(&e))?;
        let mut warnings = Diagnostics::new();
        for key in &site.unknown_keys {
            warnings.push(unknown_key_warning(key));
        }
        Ok(Config { site, warnings })
    }
}

/// A config problem in plain words, at its place in `config.toml`.
fn config_diagnostic(e: &ConfigError) -> Diagnostic {
    let (line, col) = e.position();
    let message = match e {
        ConfigError::Unreadable { path, detail } => Message::of(MessageId::ConfigUnreadable)
            .text("path", path.as_str())
            .text("detail", detail.as_str()),
        ConfigError::Syntax { message, .. } => {
            let plain = plain_value_error(message)
                .unwrap_or_else(|| Message::Verbatim(message.as_str().into()));
            Message::of(MessageId::ConfigNotValid).message("problem", plain)
        }
        ConfigError::BaseUrlEmpty { .. } => Message::of(MessageId::ConfigBaseUrlEmpty),
        ConfigError::BaseUrlMissing => Message::of(MessageId::ConfigBaseUrlMissing),
        ConfigError::NotLanguageCode { code, .. } => {
            Message::of(MessageId::ConfigNotLanguageCode).text("code", code.as_str())
        }
        ConfigError::DefaultNotLanguageCode { code } => {
            Message::of(MessageId::ConfigDefaultNotLanguageCode).text("code", code.as_str())
        }
    };
    Diagnostic::error(CONFIG_FILE, line, col, message)
}

fn unknown_key_warning(key: &UnknownKey) -> Diagnostic {
    let message = match &key.table {
        None => Message::of(MessageId::ConfigUnknownSetting),
        Some(table) => {
            Message::of(MessageId::ConfigUnknownTableSetting).text("table", format!("[{table}]"))
        }
    };
    Diagnostic::warning(
        CONFIG_FILE,
        key.line,
        key.col,
        message
            .text("key", key.key.as_str())
            .text("known", key.known.join(", ")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: &str = r#"base_url = "https://example.org/"
title = "Xəbərdar"
default_language = "az"
taxonomies = [{ name = "tags", feed = false }]
compile_sass = false

[languages.ru]
title = "Ru"
native_name = "Русский"

[languages.ar]
direction = "rtl"
taxonomies = []

[extra]
hotline_local = "152"
when = 2024-05-06
"#;

    #[test]
    fn loads_zola_style_config() {
        let c = Config::parse(SITE).unwrap();
        assert_eq!(c.base_url, "https://example.org");
        assert_eq!(c.languages(), vec!["az", "ar", "ru"]);
        assert_eq!(c.lang_prefix(c.lang("az").unwrap()), "");
        assert_eq!(c.lang_prefix(c.lang("ru").unwrap()), "/ru");
        assert_eq!(c.permalink("/ru/x/"), "https://example.org/ru/x/");
        assert!(c.is_rtl(c.lang("ar").unwrap()));
        assert!(!c.is_rtl(c.lang("ru").unwrap()));
        assert_eq!(c.taxonomies_for(c.lang("ru").unwrap())[0].name, "tags");
        assert!(c.taxonomies_for(c.lang("ar").unwrap()).is_empty());
        assert_eq!(c.language("az").unwrap().title.as_deref(), Some("Xəbərdar"));
        assert_eq!(c.extra["hotline_local"], "152");
        assert_eq!(c.extra["when"], "2024-05-06");
        assert!(c.markdown.footnotes && c.markdown.smart_punctuation);
    }

    #[test]
    fn bad_direction_names_line_and_col() {
        let text = "base_url = \"https://e.org\"\n[languages.ru]\ndirection = \"up\"\n";
        let err = Config::parse(text).unwrap_err().to_string();
        assert!(err.starts_with("config.toml:3:13: "), "{err}");
        assert!(err.contains("up"), "{err}");
    }

    #[test]
    fn unknown_keys_are_warnings_with_positions() {
        let c = Config::parse(
            "base_url = \"https://e.org\"\ndefault_languge = \"az\"\ncompile_sass = false\n[languages.ru]\nnative = \"Русский\"\n[markdown]\nfootnote = true\n",
        )
        .unwrap();
        let w: Vec<String> = c.warnings.iter().map(|d| d.to_string()).collect();
        assert_eq!(w.len(), 3, "{w:?}");
        assert!(
            w[0].starts_with("config.toml:2:1: `default_languge` is not a setting and is ignored")
        );
        assert!(w[1].starts_with("config.toml:5:1: `native` is not a setting of [languages.ru]"));
        assert!(w[2].starts_with("config.toml:7:1: `footnote` is not a setting of [markdown]"));
        let ru = crate::editor_strings::EditorStrings::in_language("ru");
        assert!(
            c.warnings.0[2].line_in(&ru).starts_with(
                "config.toml:7:1: `footnote` — такой настройки в [markdown] нет, она не учитывается"
            ),
            "{}",
            c.warnings.0[2].line_in(&ru)
        );
        assert!(Config::parse(SITE).unwrap().warnings.is_empty());
    }

    #[test]
    fn language_titles_and_slug_strategies() {
        let c = Config::parse(
            "base_url = \"https://e.org\"\ntitle = \"Root\"\ndescription = \"D\"\ndefault_language = \"en\"\n\
             [slugify]\npaths = \"on\"\nanchors = \"safe\"\n\
             [languages.az]\ntitle = \"Bench az\"\n[languages.ru]\ndescription = \"Ru d\"\n",
        )
        .unwrap();
        assert_eq!(c.template_value(c.lang("az").unwrap())["title"], "Bench az");
        assert_eq!(c.template_value(c.lang("az").unwrap())["description"], "D");
        assert_eq!(c.template_value(c.lang("ru").unwrap())["title"], "Root");
        assert_eq!(
            c.template_value(c.lang("ru").unwrap())["description"],
            "Ru d"
        );
        assert_eq!(c.template_value(c.lang("en").unwrap())["title"], "Root");
        assert_eq!(c.slugify.paths, SlugStrategy::On);
        assert_eq!(c.slugify.taxonomies, SlugStrategy::Unicode);
        assert_eq!(c.slugify.anchors, SlugStrategy::Safe);
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        let err = Config::parse("base_url = \"https://e.org\"\n[slugify]\npaths = \"ascii\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("config.toml:3:9: "), "{err}");
        assert!(err.contains("ascii"), "{err}");
    }

    #[test]
    fn default_language_not_at_root() {
        let c = Config::parse(
            "base_url = \"https://e.org\"\ndefault_language = \"az\"\ndefault_language_at_root = false\n",
        )
        .unwrap();
        assert_eq!(c.lang_prefix(c.lang("az").unwrap()), "/az");
    }
}
