//! The editor's own messages (`check`'s summary, the preview's terminal lines, its error
//! overlay and draft marker) in the editor's language.
//!
//! The strings are Fluent files like the site's (`i18n/locales/<lang>/editor.ftl`), built
//! into the binary so they work for any site, also one made by `xeberdar init`. The language
//! is the first of `XEBERDAR_LANG`, `editor_language` in config.toml's `[extra]`, and the
//! system's `LC_ALL` / `LC_MESSAGES` / `LANG` that names az, ru or en; English otherwise.

use std::path::Path;
use std::sync::OnceLock;

use xeberdar_i18n::{Direction, FluentArgs, FluentValue, Locales};

/// Languages the editor messages exist in.
pub const EDITOR_LANGUAGES: [&str; 3] = ["az", "ru", "en"];

pub(crate) const SOURCES: [(&str, Direction, &str, &str); 3] = [
    (
        "az",
        Direction::Ltr,
        "i18n/locales/az/editor.ftl",
        include_str!("../../i18n/locales/az/editor.ftl"),
    ),
    (
        "ru",
        Direction::Ltr,
        "i18n/locales/ru/editor.ftl",
        include_str!("../../i18n/locales/ru/editor.ftl"),
    ),
    (
        "en",
        Direction::Ltr,
        "i18n/locales/en/editor.ftl",
        include_str!("../../i18n/locales/en/editor.ftl"),
    ),
];

/// The editor catalogue, parsed once: every diagnostic's English `Display` goes through it.
fn catalogue() -> Option<&'static Locales> {
    static CATALOGUE: OnceLock<Option<Locales>> = OnceLock::new();
    CATALOGUE
        .get_or_init(|| Locales::from_sources(&SOURCES, "en").ok())
        .as_ref()
}

/// The editor messages in one language.
#[derive(Debug, Clone, Copy)]
pub struct EditorStrings {
    locales: Option<&'static Locales>,
    lang: &'static str,
}

impl EditorStrings {
    /// The messages in the language chosen for the site at `root` (see the module docs).
    pub fn for_site(root: &Path) -> Self {
        Self::in_language(editor_language(root))
    }

    pub fn in_language(lang: &'static str) -> Self {
        Self {
            locales: catalogue(),
            lang,
        }
    }

    pub fn lang(&self) -> &'static str {
        self.lang
    }

    /// The message `key` with numeric and text arguments; the key itself if it is missing
    /// (a test checks that every key exists in every language).
    pub fn text(&self, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Count(n) => fluent.set(*name, FluentValue::from(*n)),
                Arg::Text(t) => fluent.set(*name, FluentValue::from(t.to_string())),
            }
        }
        self.format(key, &fluent)
    }

    /// The message `key` with Fluent arguments; the key itself if the catalogue is missing.
    pub(crate) fn format(&self, key: &str, args: &FluentArgs<'_>) -> String {
        match self.locales {
            Some(locales) => locales.format_or_fallback(self.lang, key, Some(args)).0,
            None => key.to_string(),
        }
    }
}

/// A value put into a message.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    Count(usize),
    Text(&'a str),
}

/// The editor's language for the site at `root`.
pub fn editor_language(root: &Path) -> &'static str {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let configured = || {
        xeberdar_site::config::read(root)
            .ok()
            .and_then(|text| xeberdar_site::config::table(&text).ok())
            .and_then(|table| {
                table
                    .get("extra")?
                    .get("editor_language")?
                    .as_str()
                    .map(str::to_string)
            })
    };
    [
        env("XEBERDAR_LANG"),
        configured(),
        env("LC_ALL"),
        env("LC_MESSAGES"),
        env("LANG"),
    ]
    .into_iter()
    .flatten()
    .find_map(|value| supported(&value))
    .unwrap_or("en")
}

/// `ru_RU.UTF-8`, `ru-RU`, `ru` → `ru`; a language without editor messages → `None`.
fn supported(value: &str) -> Option<&'static str> {
    let code = value
        .split(['_', '-', '.', '@'])
        .next()?
        .to_ascii_lowercase();
    EDITOR_LANGUAGES.into_iter().find(|l| *l == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_message() {
        let locales = Locales::from_sources(&SOURCES, "en").expect("the editor strings parse");
        assert_eq!(locales.missing_keys(), Vec::new());
        assert!(locales.has("az", "check-summary"));
    }

    #[test]
    fn languages_from_locale_names() {
        assert_eq!(supported("ru_RU.UTF-8"), Some("ru"));
        assert_eq!(supported("az-Latn-AZ"), Some("az"));
        assert_eq!(supported("EN"), Some("en"));
        assert_eq!(supported("C.UTF-8"), None);
        assert_eq!(supported("tr_TR"), None);
    }

    #[test]
    fn plural_and_count_forms() {
        let en = EditorStrings::in_language("en");
        assert_eq!(
            en.text("check-errors", &[("count", Arg::Count(1))]),
            "1 error"
        );
        assert_eq!(
            en.text("check-errors", &[("count", Arg::Count(3))]),
            "3 errors"
        );
        let ru = EditorStrings::in_language("ru");
        assert_eq!(
            ru.text("check-warnings", &[("count", Arg::Count(2))]),
            "предупреждений: 2"
        );
    }
}
