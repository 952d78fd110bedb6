//! Which files are the same content in other languages: `signs/page.md`, `signs/page.ru.md`
//! and `signs/page.en.md` share the canonical key `signs/page.md`. The index is built before
//! the URLs (links resolve through it); the groups, which carry permalinks, after them.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::config::{Config, ContentKey, Lang};
use crate::content::page::{Pages, Section};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::message::{Message, MessageId};

/// One language's version of a page or section, for language switchers and hreflang.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Translation {
    pub lang: Lang,
    pub key: ContentKey,
    pub permalink: String,
}

/// The same content in several languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TranslationGroup {
    /// Key without language suffix (`signs/page.md`).
    pub canonical: ContentKey,
    pub is_section: bool,
    /// Present languages in config order (default first).
    pub members: Vec<Translation>,
    /// Configured languages with no version of this content.
    pub missing: Vec<Lang>,
}

/// canonical → [(lang, key)], sections first, each in key order.
pub(super) type ByCanonical = HashMap<ContentKey, Vec<(Lang, ContentKey)>>;

/// Indexes every file by canonical key; a second file of one language for the same
/// canonical key (`a.md` and `a.az.md` in a site whose default is `az`) is an error and
/// left out of the index.
pub(super) fn index(
    pages: &Pages,
    sections: &BTreeMap<ContentKey, Section>,
    diags: &mut Diagnostics,
) -> ByCanonical {
    let mut by_canonical: ByCanonical = HashMap::new();
    let mut duplicates = Vec::new();
    let files = sections
        .iter()
        .map(|(k, s)| (k, &s.file))
        .chain(pages.iter().map(|(k, p)| (k, &p.file)));
    for (key, file) in files {
        let entry = by_canonical.entry(file.canonical.clone()).or_default();
        if let Some((_, other)) = entry.iter().find(|(l, _)| *l == file.lang) {
            duplicates.push((key.clone(), other.clone(), file.lang.clone()));
        } else {
            entry.push((file.lang.clone(), key.clone()));
        }
    }
    for (key, other, lang) in duplicates {
        diags.push(Diagnostic::error(
            format!("content/{key}"),
            1,
            1,
            Message::of(MessageId::PageDuplicateLanguage)
                .text("other", format!("content/{other}"))
                .text("lang", lang),
        ));
    }
    by_canonical
}

/// Every canonical key's group: its versions in config language order, and the configured
/// languages it lacks.
pub(super) fn group(
    config: &Config,
    by_canonical: &ByCanonical,
    pages: &Pages,
    sections: &BTreeMap<ContentKey, Section>,
) -> BTreeMap<ContentKey, TranslationGroup> {
    let languages = config.languages();
    let lang_order: HashMap<&Lang, usize> =
        languages.iter().enumerate().map(|(i, l)| (*l, i)).collect();
    let permalink_of = |key: &str| {
        pages
            .get(key)
            .map(|p| p.placement.permalink.as_str())
            .or_else(|| sections.get(key).map(|s| s.placement.permalink.as_str()))
    };
    let mut translations = BTreeMap::new();
    for (canonical, members) in by_canonical {
        let mut list: Vec<Translation> = members
            .iter()
            .filter_map(|(lang, key)| {
                permalink_of(key).map(|permalink| Translation {
                    lang: lang.clone(),
                    key: key.clone(),
                    permalink: permalink.to_string(),
                })
            })
            .collect();
        list.sort_by_key(|t| {
            (
                lang_order.get(&t.lang).copied().unwrap_or(usize::MAX),
                t.lang.clone(),
            )
        });
        let missing = languages
            .iter()
            .filter(|l| !list.iter().any(|t| t.lang == ***l))
            .map(|l| (*l).clone())
            .collect();
        translations.insert(
            canonical.clone(),
            TranslationGroup {
                canonical: canonical.clone(),
                is_section: canonical.is_section(),
                members: list,
                missing,
            },
        );
    }
    translations
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{messages, tree};
    use super::super::urls;
    use super::*;

    #[test]
    fn files_of_one_content_share_a_canonical_key_and_one_language_each() {
        let t = tree(
            "",
            &[
                ("signs/_index.ru.md", ""),
                ("signs/page.md", ""),
                ("signs/page.az.md", ""),
                ("signs/page.ru.md", ""),
            ],
        );
        let mut diags = Diagnostics::new();
        let by_canonical = index(&t.pages, &t.sections, &mut diags);
        assert_eq!(
            by_canonical["signs/page.md"],
            [
                ("az".parse().unwrap(), "signs/page.az.md".parse().unwrap()),
                ("ru".parse().unwrap(), "signs/page.ru.md".parse().unwrap())
            ]
        );
        assert_eq!(
            by_canonical["signs/_index.md"],
            [("ru".parse().unwrap(), "signs/_index.ru.md".parse().unwrap())]
        );
        // `page.az.md` comes first in key order, so `page.md` is the second `az` file.
        assert_eq!(
            messages(&diags),
            [("content/signs/page.md", MessageId::PageDuplicateLanguage)]
        );
    }

    #[test]
    fn groups_list_present_languages_in_config_order_and_the_missing_ones() {
        let mut t = tree(
            "",
            &[
                ("signs/page.en.md", ""),
                ("signs/page.ru.md", ""),
                ("signs/page.md", ""),
                ("_index.ru.md", ""),
            ],
        );
        urls::place(&t.config, &mut t.pages, &mut t.sections);
        let mut diags = Diagnostics::new();
        let by_canonical = index(&t.pages, &t.sections, &mut diags);
        let groups = group(&t.config, &by_canonical, &t.pages, &t.sections);
        let page = &groups["signs/page.md"];
        let langs: Vec<&str> = page.members.iter().map(|m| m.lang.as_str()).collect();
        // Default first, then the others alphabetically.
        assert_eq!(langs, ["az", "en", "ru"]);
        assert_eq!(page.members[2].permalink, "https://e.org/ru/signs/page/");
        assert!(page.missing.is_empty() && !page.is_section);
        let root = &groups["_index.md"];
        assert!(root.is_section);
        assert_eq!(root.missing, ["az", "en"]);
    }
}
