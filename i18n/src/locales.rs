use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use unic_langid::LanguageIdentifier;
use xeberdar_site::text::line_col;

use crate::I18nError;

/// Text direction of a language; right-to-left bundles isolate inserted values with
/// Unicode bidi marks so numbers and names do not reorder the sentence around them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    #[default]
    Ltr,
    Rtl,
}

/// Where a string is defined, so reports can point an editor at the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyLocation {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
}

/// A string that one language defines and another lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingKey {
    pub lang: String,
    pub key: String,
    /// Where the key is defined in a language that has it.
    pub defined_at: KeyLocation,
}

struct LangStrings {
    bundle: FluentBundle<FluentResource>,
    keys: BTreeMap<String, KeyLocation>,
}

/// All UI strings of the site, one Fluent bundle per language.
pub struct Locales {
    default_lang: String,
    langs: BTreeMap<String, LangStrings>,
}

impl std::fmt::Debug for Locales {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Locales")
            .field("default_lang", &self.default_lang)
            .field("langs", &self.langs.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Locales {
    /// Loads `dir/<lang>/*.ftl` for every language, in file-name order so that results do not
    /// depend on the file system's listing order. A language without a folder gets an empty
    /// bundle: its strings are then all reported missing rather than failing the build.
    pub fn load(
        dir: &Path,
        langs: &[(&str, Direction)],
        default_lang: &str,
    ) -> Result<Self, I18nError> {
        let mut loaded = BTreeMap::new();
        for (lang, direction) in langs {
            loaded.insert((*lang).to_string(), load_lang(dir, lang, *direction)?);
        }
        if !loaded.contains_key(default_lang) {
            loaded.insert(
                default_lang.to_string(),
                load_lang(dir, default_lang, Direction::Ltr)?,
            );
        }
        Ok(Self {
            default_lang: default_lang.to_string(),
            langs: loaded,
        })
    }

    /// Builds locales from in-memory sources, for embedded defaults and tests.
    /// Each source is `(lang, direction, file name, text)`.
    pub fn from_sources(
        sources: &[(&str, Direction, &str, &str)],
        default_lang: &str,
    ) -> Result<Self, I18nError> {
        let mut loaded: BTreeMap<String, LangStrings> = BTreeMap::new();
        for (lang, direction, name, text) in sources {
            if !loaded.contains_key(*lang) {
                loaded.insert((*lang).to_string(), empty_lang(lang, *direction)?);
            }
            if let Some(strings) = loaded.get_mut(*lang) {
                add_source(strings, lang, Path::new(name), text)?;
            }
        }
        Ok(Self {
            default_lang: default_lang.to_string(),
            langs: loaded,
        })
    }

    pub fn default_lang(&self) -> &str {
        &self.default_lang
    }

    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.langs.keys().map(String::as_str)
    }

    /// Whether `key` (or `key.attribute`) is defined for `lang`.
    pub fn has(&self, lang: &str, key: &str) -> bool {
        self.langs.get(lang).is_some_and(|s| {
            let (id, attr) = split_key(key);
            match s.bundle.get_message(id) {
                Some(msg) => match attr {
                    Some(a) => msg.get_attribute(a).is_some(),
                    None => msg.value().is_some(),
                },
                None => false,
            }
        })
    }

    /// Message ids defined for `lang`, with where each is defined.
    pub fn keys(&self, lang: &str) -> Option<&BTreeMap<String, KeyLocation>> {
        self.langs.get(lang).map(|s| &s.keys)
    }

    /// Every message id that some language defines and another lacks, sorted by language
    /// and key so reports are stable.
    pub fn missing_keys(&self) -> Vec<MissingKey> {
        let mut all: BTreeMap<&str, &KeyLocation> = BTreeMap::new();
        // The default language's location wins so reports point at the source of truth.
        for (lang, strings) in &self.langs {
            for (key, loc) in &strings.keys {
                if lang == &self.default_lang || !all.contains_key(key.as_str()) {
                    all.insert(key, loc);
                }
            }
        }
        let mut missing = Vec::new();
        for (lang, strings) in &self.langs {
            for (key, loc) in &all {
                if !strings.keys.contains_key(*key) {
                    missing.push(MissingKey {
                        lang: lang.clone(),
                        key: (*key).to_string(),
                        defined_at: (*loc).clone(),
                    });
                }
            }
        }
        missing
    }

    /// Formats `key` (`id` or `id.attribute`) in `lang` with `args`.
    /// Fails when the language lacks the key; see [`Locales::format_or_fallback`].
    pub fn format(
        &self,
        lang: &str,
        key: &str,
        args: Option<&FluentArgs>,
    ) -> Result<String, I18nError> {
        let strings = self
            .langs
            .get(lang)
            .ok_or_else(|| I18nError::UnknownLanguage {
                lang: lang.to_string(),
            })?;
        let (id, attr) = split_key(key);
        let missing = || I18nError::MissingKey {
            lang: lang.to_string(),
            key: key.to_string(),
        };
        let msg = strings.bundle.get_message(id).ok_or_else(missing)?;
        let pattern = match attr {
            Some(a) => msg.get_attribute(a).map(|a| a.value()),
            None => msg.value(),
        }
        .ok_or_else(missing)?;
        let mut errors = Vec::new();
        let text = strings.bundle.format_pattern(pattern, args, &mut errors);
        if let Some(first) = errors.first() {
            return Err(I18nError::Format {
                lang: lang.to_string(),
                key: key.to_string(),
                message: first.to_string(),
            });
        }
        Ok(text.into_owned())
    }

    /// Formats in `lang`, falling back to the default language so a visitor never sees a
    /// raw key when a translation lags. The error of the first attempt is returned beside
    /// the text so the caller can warn.
    pub fn format_or_fallback(
        &self,
        lang: &str,
        key: &str,
        args: Option<&FluentArgs>,
    ) -> (String, Option<I18nError>) {
        match self.format(lang, key, args) {
            Ok(text) => (text, None),
            Err(err) => match self.format(&self.default_lang, key, args) {
                Ok(text) => (text, Some(err)),
                Err(_) => (key.to_string(), Some(err)),
            },
        }
    }
}

fn split_key(key: &str) -> (&str, Option<&str>) {
    match key.split_once('.') {
        Some((id, attr)) => (id, Some(attr)),
        None => (key, None),
    }
}

fn empty_lang(lang: &str, direction: Direction) -> Result<LangStrings, I18nError> {
    let id: LanguageIdentifier = lang.parse().map_err(|e| I18nError::BadLanguage {
        lang: lang.to_string(),
        message: format!("{e}"),
    })?;
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(direction == Direction::Rtl);
    Ok(LangStrings {
        bundle,
        keys: BTreeMap::new(),
    })
}

fn load_lang(dir: &Path, lang: &str, direction: Direction) -> Result<LangStrings, I18nError> {
    let mut strings = empty_lang(lang, direction)?;
    let lang_dir = dir.join(lang);
    let mut files: BTreeSet<PathBuf> = BTreeSet::new();
    if let Ok(entries) = fs::read_dir(&lang_dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "ftl") {
                files.insert(path);
            }
        }
    }
    for path in files {
        let text = fs::read_to_string(&path).map_err(|source| I18nError::Read {
            path: path.clone(),
            source,
        })?;
        add_source(&mut strings, lang, &path, &text)?;
    }
    Ok(strings)
}

fn add_source(
    strings: &mut LangStrings,
    lang: &str,
    path: &Path,
    text: &str,
) -> Result<(), I18nError> {
    let resource = match FluentResource::try_new(text.to_string()) {
        Ok(r) => r,
        Err((_, errors)) => {
            let first = &errors[0];
            // The parser reports where it gave up, often the end of the file; the start of
            // the broken entry is where an editor has to look.
            let at = first.slice.as_ref().map_or(first.pos.start, |s| s.start);
            let (line, col) = line_col(text, at);
            return Err(I18nError::Parse {
                path: path.to_path_buf(),
                line,
                col,
                message: first.kind.to_string(),
            });
        }
    };
    for (line_no, line) in text.lines().enumerate() {
        if let Some(id) = message_id(line) {
            let loc = KeyLocation {
                path: path.to_path_buf(),
                line: line_no + 1,
                col: 1,
            };
            if strings.keys.contains_key(id) {
                return Err(I18nError::Duplicate {
                    path: loc.path,
                    line: loc.line,
                    col: loc.col,
                    lang: lang.to_string(),
                    key: id.to_string(),
                });
            }
            strings.keys.insert(id.to_string(), loc);
        }
    }
    // Duplicates were rejected above with a location, so overriding cannot happen here.
    strings.bundle.add_resource_overriding(resource);
    Ok(())
}

/// A Fluent message starts at column one with an identifier followed by `=`;
/// terms (`-brand`) are private to the files and not reported.
fn message_id(line: &str) -> Option<&str> {
    let first = line.chars().next()?;
    if !first.is_ascii_alphabetic() {
        return None;
    }
    let (id, rest) = line.split_once('=')?;
    let id = id.trim_end();
    let valid = id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let _ = rest;
    (valid && !id.is_empty()).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    const AZ: &str = "hotline = Qaynar xətt\nreports = { $count ->\n    [one] { $count } müraciət\n   *[other] { $count } müraciət\n}\nform = Forma\n    .submit = Göndər\n";
    const RU: &str = "hotline = Горячая линия\nreports = { $count ->\n    [one] { $count } обращение\n    [few] { $count } обращения\n    [many] { $count } обращений\n   *[other] { $count } обращения\n}\n";

    fn locales() -> Locales {
        Locales::from_sources(
            &[
                ("az", Direction::Ltr, "az/main.ftl", AZ),
                ("ru", Direction::Ltr, "ru/main.ftl", RU),
            ],
            "az",
        )
        .expect("valid sources")
    }

    fn count(n: i64) -> FluentArgs<'static> {
        let mut args = FluentArgs::new();
        args.set("count", n);
        args
    }

    #[test]
    fn russian_plurals_follow_cldr() {
        let l = locales();
        assert_eq!(
            l.format("ru", "reports", Some(&count(1))).unwrap(),
            "1 обращение"
        );
        assert_eq!(
            l.format("ru", "reports", Some(&count(3))).unwrap(),
            "3 обращения"
        );
        assert_eq!(
            l.format("ru", "reports", Some(&count(5))).unwrap(),
            "5 обращений"
        );
        assert_eq!(
            l.format("ru", "reports", Some(&count(21))).unwrap(),
            "21 обращение"
        );
    }

    #[test]
    fn attributes_and_missing_keys() {
        let l = locales();
        assert_eq!(l.format("az", "form.submit", None).unwrap(), "Göndər");
        assert!(l.has("az", "form.submit"));
        assert!(!l.has("ru", "form"));
        let missing = l.missing_keys();
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].lang, "ru");
        assert_eq!(missing[0].key, "form");
        assert_eq!(missing[0].defined_at.line, 6);
        let (text, err) = l.format_or_fallback("ru", "form.submit", None);
        assert_eq!(text, "Göndər");
        assert!(matches!(err, Some(I18nError::MissingKey { .. })));
    }

    #[test]
    fn parse_errors_name_file_line_and_column() {
        let err = Locales::from_sources(
            &[(
                "en",
                Direction::Ltr,
                "en/bad.ftl",
                "ok = fine\nbroken = {\n",
            )],
            "en",
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("en/bad.ftl:2:"), "{text}");
    }

    #[test]
    fn rtl_isolates_inserted_values_and_ltr_does_not() {
        let src = "hello = Hi { $name }\n";
        let l = Locales::from_sources(
            &[
                ("en", Direction::Ltr, "en.ftl", src),
                ("ar", Direction::Rtl, "ar.ftl", src),
            ],
            "en",
        )
        .unwrap();
        let mut args = FluentArgs::new();
        args.set("name", "X");
        assert_eq!(l.format("en", "hello", Some(&args)).unwrap(), "Hi X");
        assert_eq!(
            l.format("ar", "hello", Some(&args)).unwrap(),
            "Hi \u{2068}X\u{2069}"
        );
    }
}
