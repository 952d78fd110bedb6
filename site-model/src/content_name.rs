//! What a content file's name says about its language. `signs.md` is in the site's default
//! language, `signs.ru.md` is its Russian translation, `signs/_index.en.md` the English
//! version of a section: the key without the suffix (`signs.md`) names the page in every
//! language. Keys are paths relative to `content/` with `/` separators ([`ContentKey`]).

use std::borrow::Borrow;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::lang::Lang;

/// The name of a page or section in the site's library: its Markdown file's path relative
/// to `content/`, `/`-separated, as `@/` links and `get_page(path=)` write it
/// (`signs/page.ru.md`, `_index.md`). A key without its language suffix (`signs/page.md`)
/// is the canonical key of every translation of that page.
///
/// Only [`ContentKey::new`] makes one, so a key always ends in `.md` and has no empty,
/// `.` or `..` part: it cannot name a file outside `content/`. Shared, not copied: listings,
/// ancestors, neighbours and indexes all hold the keys of other files.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContentKey(Arc<str>);

/// A string that cannot be a content key, as [`ContentKey::new`] found it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not the path of a Markdown file under `content/`")]
pub struct NotContentKey(pub String);

impl ContentKey {
    pub fn new(key: &str) -> Result<ContentKey, NotContentKey> {
        let stem_ok = key.len() > ".md".len() && key.ends_with(".md");
        let parts_ok = key
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..");
        if stem_ok && parts_ok {
            Ok(ContentKey(Arc::from(key)))
        } else {
            Err(NotContentKey(key.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `_index.md`, the default language's root section (every site has one: made up when
    /// the file is missing).
    pub fn root_section() -> ContentKey {
        ContentKey(Arc::from("_index.md"))
    }

    /// Whether this canonical key (one without a language suffix) names a section
    /// (`_index.md`, `news/_index.md`) rather than a page.
    pub fn is_section(&self) -> bool {
        *self == "_index.md" || self.ends_with("/_index.md")
    }

    /// The canonical key (without the language suffix) and the suffix, when
    /// `is_language(suffix)`; otherwise the key itself and `None` (see [`split_language`]).
    pub fn split_language(&self, is_language: impl Fn(&str) -> bool) -> (ContentKey, Option<&str>) {
        match suffix(self) {
            // Dropping `.<suffix>` from the file's stem leaves a non-empty stem and the
            // same folders, so the result is a key too.
            Some((base, lang)) if is_language(lang) => {
                (ContentKey(Arc::from(format!("{base}.md"))), Some(lang))
            }
            _ => (self.clone(), None),
        }
    }

    /// The key of this page's version in `lang` (see [`localized`]).
    pub fn localized(&self, lang: &Lang, default_language: &Lang) -> ContentKey {
        if lang == default_language {
            return self.clone();
        }
        ContentKey(Arc::from(localized(
            self,
            lang.as_str(),
            default_language.as_str(),
        )))
    }
}

impl fmt::Display for ContentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ContentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl AsRef<str> for ContentKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The library's maps are looked up with the paths links and templates write.
impl Borrow<str> for ContentKey {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// For messages and maps that hold text of any kind.
impl From<ContentKey> for String {
    fn from(value: ContentKey) -> String {
        value.0.to_string()
    }
}

impl From<&ContentKey> for String {
    fn from(value: &ContentKey) -> String {
        value.0.to_string()
    }
}

/// For template contexts built by hand: the same JSON string serializing gives.
impl From<ContentKey> for serde_json::Value {
    fn from(value: ContentKey) -> serde_json::Value {
        serde_json::Value::String(value.0.to_string())
    }
}

impl From<&ContentKey> for serde_json::Value {
    fn from(value: &ContentKey) -> serde_json::Value {
        serde_json::Value::String(value.0.to_string())
    }
}

impl std::ops::Deref for ContentKey {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for ContentKey {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for ContentKey {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<ContentKey> for str {
    fn eq(&self, other: &ContentKey) -> bool {
        self == &*other.0
    }
}

impl PartialEq<ContentKey> for &str {
    fn eq(&self, other: &ContentKey) -> bool {
        *self == &*other.0
    }
}

impl std::str::FromStr for ContentKey {
    type Err = NotContentKey;

    fn from_str(key: &str) -> Result<ContentKey, NotContentKey> {
        ContentKey::new(key)
    }
}

/// A plain string, so templates and JSON see the path itself.
impl Serialize for ContentKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ContentKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ContentKey, D::Error> {
        let key = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        ContentKey::new(&key).map_err(serde::de::Error::custom)
    }
}

/// The last dot-separated part of a key's file stem, whatever it is: `news/a.ru.md` →
/// (`news/a`, `ru`). `None` for a file without a dot before `.md` (`news/a.md`) or a key not
/// ending in `.md`. Whether the suffix is a language is the caller's to decide: `v1.2.md`
/// gives (`v1`, `2`).
pub fn suffix(key: &str) -> Option<(&str, &str)> {
    let stem = key.strip_suffix(".md")?;
    let file_start = stem.rfind('/').map_or(0, |i| i + 1);
    let dot = stem[file_start..].rfind('.')?;
    let (base, suffix) = (&stem[..file_start + dot], &stem[file_start + dot + 1..]);
    (dot > 0).then_some((base, suffix))
}

/// The language of a key and the key without its suffix: `news/a.ru.md` → (`news/a.md`,
/// `Some("ru")`) when `is_language("ru")`; otherwise the key itself and `None` (the default
/// language).
pub fn split_language<'a>(
    key: &'a str,
    is_language: impl Fn(&str) -> bool,
) -> (std::borrow::Cow<'a, str>, Option<&'a str>) {
    match suffix(key) {
        Some((base, lang)) if is_language(lang) => (format!("{base}.md").into(), Some(lang)),
        _ => (key.into(), None),
    }
}

/// The key of a page's version in `lang`: `signs.md` → `signs.ru.md`; the default language
/// keeps the key as it is.
pub fn localized(key: &str, lang: &str, default_language: &str) -> String {
    if lang == default_language {
        return key.to_string();
    }
    let stem = key.strip_suffix(".md").unwrap_or(key);
    format!("{stem}.{lang}.md")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn content_keys_are_markdown_paths_inside_content() {
        for key in [
            "signs.md",
            "_index.ru.md",
            "a/b/index.en.md",
            "v1.2.md",
            "a b/ş.md",
        ] {
            assert_eq!(ContentKey::new(key).unwrap().as_str(), key);
        }
        for key in [
            "",
            ".md",
            "signs",
            "signs.txt",
            "/signs.md",
            "a//b.md",
            "./a.md",
            "a/../b.md",
            "a/",
            "../a.md",
        ] {
            assert_eq!(
                ContentKey::new(key),
                Err(NotContentKey(key.to_string())),
                "{key:?}"
            );
        }
    }

    #[test]
    fn content_keys_are_plain_strings_in_json() {
        let key = ContentKey::new("a/b.ru.md").unwrap();
        assert_eq!(serde_json::to_string(&key).unwrap(), "\"a/b.ru.md\"");
        assert_eq!(
            serde_json::from_str::<ContentKey>("\"a/b.ru.md\"").unwrap(),
            key
        );
        assert!(serde_json::from_str::<ContentKey>("\"../b.md\"").is_err());
        let map: BTreeMap<ContentKey, u8> = [(key.clone(), 1)].into();
        assert_eq!(serde_json::to_string(&map).unwrap(), "{\"a/b.ru.md\":1}");
        assert_eq!(map.get("a/b.ru.md"), Some(&1));
        assert_eq!(format!("{key} {key:?}"), "a/b.ru.md \"a/b.ru.md\"");
    }

    #[test]
    fn content_keys_name_their_translations() {
        let (az, ru) = (Lang::new("az").unwrap(), Lang::new("ru").unwrap());
        let key = ContentKey::new("a/_index.md").unwrap();
        assert_eq!(key.localized(&ru, &az), "a/_index.ru.md");
        assert_eq!(key.localized(&az, &az), key);
        assert!(key.is_section() && ContentKey::root_section().is_section());
        assert!(!ContentKey::new("a/_index/b.md").unwrap().is_section());
        assert!(!ContentKey::new("a/my_index.md").unwrap().is_section());
        let is_lang = |code: &str| code == "ru";
        let ru_key = ContentKey::new("a/b.ru.md").unwrap();
        assert_eq!(
            ru_key.split_language(is_lang),
            (ContentKey::new("a/b.md").unwrap(), Some("ru"))
        );
        assert_eq!(key.split_language(is_lang), (key.clone(), None));
    }

    fn is_lang(l: &str) -> bool {
        ["az", "ru", "en"].contains(&l)
    }

    #[test]
    fn splits_language_suffixes() {
        let split = |key| {
            let (base, lang) = split_language(key, is_lang);
            (base.into_owned(), lang)
        };
        assert_eq!(split("signs.ru.md"), ("signs.md".into(), Some("ru")));
        assert_eq!(split("a/b.md"), ("a/b.md".into(), None));
        assert_eq!(split("a/_index.en.md"), ("a/_index.md".into(), Some("en")));
        assert_eq!(split("v1.2.md"), ("v1.2.md".into(), None));
        assert_eq!(
            split("a.ru/b.md"),
            ("a.ru/b.md".into(), None),
            "a folder's dot is no suffix"
        );
        assert_eq!(
            split("a/.ru.md"),
            ("a/.ru.md".into(), None),
            "a hidden file has no stem"
        );
        assert_eq!(suffix("v1.2.md"), Some(("v1", "2")));
        assert_eq!(suffix("a/x.fr.md"), Some(("a/x", "fr")));
        assert_eq!(suffix("a/x.txt"), None);
    }

    #[test]
    fn names_translations() {
        assert_eq!(localized("signs.md", "ru", "az"), "signs.ru.md");
        assert_eq!(localized("a/_index.md", "en", "az"), "a/_index.en.md");
        assert_eq!(localized("signs.md", "az", "az"), "signs.md");
    }
}
