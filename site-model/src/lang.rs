//! A language of the site, as `config.toml` names it (`[languages.ru]`,
//! `default_language = "az"`) and as a content file's suffix repeats it (`signs.ru.md`).
//! Every program that handles one (the build, the translation tools, the tip endpoint's
//! pages) takes a [`Lang`], so a string that was never checked cannot reach an URL prefix, a
//! file name or a template as a language.

use std::borrow::Borrow;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A language code: `az`, `ru`, `en`, `pt-br`, `zh-hant` (see [`is_language_code`]). Only
/// [`Lang::new`] (and deserializing, which calls it) makes one.
///
/// Shared, not copied: every page, listing and index of the site holds its language, and a
/// site has a handful of them.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Lang(Arc<str>);

/// A string that is not a language code, as [`Lang::new`] found it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a language code")]
pub struct NotLanguageCode(pub String);

impl Lang {
    /// `code` as a language, if it is a language code; it is kept exactly as written (no
    /// case folding), because it is also a folder name and an URL segment.
    pub fn new(code: &str) -> Result<Lang, NotLanguageCode> {
        if is_language_code(code) {
            Ok(Lang(Arc::from(code)))
        } else {
            Err(NotLanguageCode(code.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `az`, `ru`, `en`, `pt-br`: two or three lowercase letters, then optionally subtags
/// (`-` and up to eight ASCII letters or digits each). Narrower than BCP 47's own syntax on
/// purpose: a code is also the suffix of a file name (`signs.ru.md`) and the first segment
/// of an URL (`/ru/`), where upper case and other characters would make the same language
/// two folders.
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts
            .all(|p| !p.is_empty() && p.len() <= 8 && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl AsRef<str> for Lang {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// For messages and maps that hold text of any kind.
impl From<Lang> for String {
    fn from(value: Lang) -> String {
        value.0.to_string()
    }
}

impl From<&Lang> for String {
    fn from(value: &Lang) -> String {
        value.0.to_string()
    }
}

/// For template contexts built by hand: the same JSON string serializing gives.
impl From<Lang> for serde_json::Value {
    fn from(value: Lang) -> serde_json::Value {
        serde_json::Value::String(value.0.to_string())
    }
}

impl From<&Lang> for serde_json::Value {
    fn from(value: &Lang) -> serde_json::Value {
        serde_json::Value::String(value.0.to_string())
    }
}

impl std::ops::Deref for Lang {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

/// Maps keyed by language are looked up with the code a file name or a template gave.
impl Borrow<str> for Lang {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Lang {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Lang {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<Lang> for str {
    fn eq(&self, other: &Lang) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Lang> for &str {
    fn eq(&self, other: &Lang) -> bool {
        *self == &*other.0
    }
}

impl std::str::FromStr for Lang {
    type Err = NotLanguageCode;

    fn from_str(code: &str) -> Result<Lang, NotLanguageCode> {
        Lang::new(code)
    }
}

/// A plain string, so templates and JSON see the code itself.
impl Serialize for Lang {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Lang, D::Error> {
        let code = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Lang::new(&code).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn accepts_the_codes_a_site_names() {
        for code in [
            "az",
            "ru",
            "en",
            "ar",
            "fil",
            "pt-br",
            "zh-hant",
            "sr-latn-rs",
            "es-419",
        ] {
            assert_eq!(Lang::new(code).unwrap().as_str(), code);
        }
    }

    #[test]
    fn refuses_what_is_no_code() {
        for code in [
            "",
            "a",
            "abcd",
            "RU",
            "Ru",
            "ru_RU",
            "ru-",
            "-ru",
            "ru--x",
            "ru-abcdefghi",
            "r1",
            "ru.md",
            "../ru",
            "ру",
            " ru",
        ] {
            assert_eq!(
                Lang::new(code),
                Err(NotLanguageCode(code.to_string())),
                "{code:?}"
            );
        }
        assert_eq!(
            Lang::new("Russian").unwrap_err().to_string(),
            "`Russian` is not a language code"
        );
    }

    #[test]
    fn is_a_plain_string_in_json_and_toml() {
        let ru = Lang::new("ru").unwrap();
        assert_eq!(serde_json::to_string(&ru).unwrap(), "\"ru\"");
        assert_eq!(serde_json::from_str::<Lang>("\"ru\"").unwrap(), ru);
        assert!(serde_json::from_str::<Lang>("\"RU\"").is_err());
        let map: BTreeMap<Lang, u8> = [(ru.clone(), 1)].into();
        assert_eq!(serde_json::to_string(&map).unwrap(), "{\"ru\":1}");
        let back: BTreeMap<Lang, u8> = serde_json::from_str("{\"ru\":1}").unwrap();
        assert_eq!(back, map);
        #[derive(Deserialize)]
        struct T {
            lang: Lang,
        }
        let t: T = toml::from_str("lang = \"pt-br\"").unwrap();
        assert_eq!(t.lang, "pt-br");
        assert!(toml::from_str::<T>("lang = \"pt_BR\"").is_err());
    }

    #[test]
    fn orders_and_looks_up_as_its_code() {
        let mut langs: Vec<Lang> = ["ru", "az", "en"].map(|c| Lang::new(c).unwrap()).into();
        langs.sort();
        assert_eq!(langs, ["az", "en", "ru"]);
        let map: BTreeMap<Lang, u8> = langs.iter().cloned().zip(0..).collect();
        assert_eq!(map.get("en"), Some(&1));
        assert_eq!(Lang::new("az").unwrap().to_string(), "az");
        assert_eq!(format!("{:?}", Lang::new("az").unwrap()), "\"az\"");
    }
}
