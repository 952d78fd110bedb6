//! What a content file's name says about its language. `signs.md` is in the site's default
//! language, `signs.ru.md` is its Russian translation, `signs/_index.en.md` the English
//! version of a section: the key without the suffix (`signs.md`) names the page in every
//! language. Keys are paths relative to `content/` with `/` separators.

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
    use super::*;

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
