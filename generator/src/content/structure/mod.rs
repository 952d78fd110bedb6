//! What the library derives from the set of content files and their front matter, as
//! ordered passes. Each pass reads what the passes before it wrote, and nothing after it:
//!
//! 1. [`hierarchy::add_implicit_roots`]: every language gets a root section, made up when
//!    its `_index` file is missing.
//! 2. [`translations::index`]: each canonical key's language versions; two files of one
//!    language for the same content (`a.md` and `a.az.md`) are an error.
//! 3. [`urls::place`]: every page's slug, and every page's and section's path and permalink.
//! 4. [`hierarchy::link`]: each file's parent section and ancestors; a page whose folder has
//!    no section in its language is a warning.
//! 5. [`listings::list`]: each section's pages (transparent subsections folded into their
//!    parent) in `sort_by` order, the pages' neighbours, the subsections by weight.
//! 6. [`assets::attach`]: the non-Markdown files beside bundle pages and sections.
//! 7. [`addresses::claim`]: the address index; two files or an alias on one URL are errors.
//! 8. [`translations::group`]: language switchers' lists, with the languages missing.
//! 9. [`taxonomies::collect`]: every taxonomy's terms per language, with their pages.
//!
//! The passes start from empty placements and do no I/O, so a reload can run them all
//! every time and get what a fresh load would.

mod addresses;
mod assets;
mod hierarchy;
mod listings;
mod taxonomies;
mod translations;
mod urls;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

pub use taxonomies::{Taxonomy, TaxonomyTerm};
pub use translations::{Translation, TranslationGroup};

use super::page::{PagePlacement, Pages, Section, SectionPlacement};
use crate::config::{Config, ContentKey, Lang};
use crate::diagnostics::Diagnostics;

/// What the passes derive for the library as a whole (what they derive for one file is in
/// its placement).
#[derive(Debug, Clone, Default)]
pub(super) struct Structure {
    /// canonical → [(lang, key)], for link resolution.
    pub by_canonical: HashMap<ContentKey, Vec<(Lang, ContentKey)>>,
    /// site path → key, for `get_page`-by-URL.
    pub by_path: HashMap<String, ContentKey>,
    /// (alias path, key), sorted.
    pub aliases: Vec<(String, ContentKey)>,
    /// Translation groups by canonical key.
    pub translations: BTreeMap<ContentKey, TranslationGroup>,
    /// Taxonomies by language, in config order.
    pub taxonomies: BTreeMap<Lang, Vec<Taxonomy>>,
    /// Problems found across files (URL clashes, orphans, taxonomy names).
    pub diagnostics: Diagnostics,
}

/// Runs every pass in order over the loaded files; `other_files` are the content folder's
/// non-Markdown files by content-relative path.
pub(super) fn build(
    config: &Config,
    content_dir: &Path,
    other_files: &BTreeSet<String>,
    pages: &mut Pages,
    sections: &mut BTreeMap<ContentKey, Section>,
) -> Structure {
    for p in pages.values_mut() {
        p.placement = PagePlacement::default();
    }
    for s in sections.values_mut() {
        s.placement = SectionPlacement::default();
    }
    let mut diagnostics = Diagnostics::new();
    hierarchy::add_implicit_roots(config, content_dir, sections);
    let by_canonical = translations::index(pages, sections, &mut diagnostics);
    urls::place(config, pages, sections);
    let tree = hierarchy::link(config, pages, sections, &mut diagnostics);
    listings::list(tree, pages, sections, &mut diagnostics);
    assets::attach(content_dir, other_files, pages, sections);
    let (by_path, aliases) = addresses::claim(pages, sections, &mut diagnostics);
    let translations = translations::group(config, &by_canonical, pages, sections);
    let taxonomies = taxonomies::collect(config, pages, &mut diagnostics);
    Structure {
        by_canonical,
        by_path,
        aliases,
        translations,
        taxonomies,
        diagnostics,
    }
}

/// Key of a language's root section file (`_index.md`, `_index.ru.md`).
fn index_key(config: &Config, lang: &Lang) -> ContentKey {
    ContentKey::root_section().localized(lang, &config.default_language)
}

/// Small content trees for the passes' tests: real files in a temporary folder, read with
/// the library's own reader.
#[cfg(test)]
pub(super) mod fixture {
    use std::collections::BTreeMap;

    use super::super::load::{read_content_file, ContentFile};
    use super::super::page::{Page, Section};
    use crate::config::{Config, ContentKey};
    use crate::content::page::Pages;
    use crate::diagnostics::Diagnostics;
    use crate::message::MessageId;

    pub struct Tree {
        pub config: Config,
        pub dir: tempfile::TempDir,
        pub pages: Pages,
        pub sections: BTreeMap<ContentKey, Section>,
    }

    impl Tree {
        pub fn content_dir(&self) -> std::path::PathBuf {
            self.dir.path().to_path_buf()
        }

        pub fn page(&self, key: &str) -> &Page {
            &self.pages[key]
        }

        pub fn section(&self, key: &str) -> &Section {
            &self.sections[key]
        }
    }

    /// A site in `az` (default), `ru` and `en` at `https://e.org`, with `extra_config`
    /// appended to its `config.toml`, and `files` as (content key, whole file text; empty
    /// for empty front matter).
    pub fn tree(extra_config: &str, files: &[(&str, &str)]) -> Tree {
        let config = Config::parse(&format!(
            "base_url = \"https://e.org\"\ndefault_language = \"az\"\n{extra_config}\n\
             [languages.ru]\n[languages.en]\n"
        ))
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut pages = BTreeMap::new();
        let mut sections = BTreeMap::new();
        for (key, text) in files {
            let path = dir.path().join(key);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, if text.is_empty() { "+++\n+++\n" } else { text }).unwrap();
            let key = ContentKey::new(key).unwrap();
            match read_content_file(dir.path(), &key, &config).unwrap() {
                ContentFile::Page(p) => {
                    pages.insert(key, p);
                }
                ContentFile::Section(s) => {
                    sections.insert(key, *s);
                }
            }
        }
        Tree {
            config,
            dir,
            pages,
            sections,
        }
    }

    /// The file and message of each of `diagnostics`, in order.
    pub fn messages(diagnostics: &Diagnostics) -> Vec<(&str, MessageId)> {
        diagnostics
            .iter()
            .filter_map(|d| Some((d.path.as_str(), d.message.id()?)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::tree;
    use super::*;

    #[test]
    fn a_second_build_places_every_file_as_the_first() {
        let mut t = tree(
            "",
            &[
                ("_index.md", "+++\nsort_by = \"weight\"\n+++\n"),
                ("a.md", "+++\ntitle = \"A\"\nweight = 2\n+++\n"),
                ("b.md", "+++\ntitle = \"B\"\nweight = 1\n+++\n"),
                ("news/_index.md", "+++\ntransparent = true\n+++\n"),
                ("news/c.ru.md", "+++\ntitle = \"C\"\n+++\n"),
            ],
        );
        let dir = t.content_dir();
        let other = BTreeSet::from(["news/c.jpg".to_string()]);
        let first = build(&t.config, &dir, &other, &mut t.pages, &mut t.sections);
        let placed: Vec<PagePlacement> = t.pages.values().map(|p| p.placement.clone()).collect();
        let second = build(&t.config, &dir, &other, &mut t.pages, &mut t.sections);
        let again: Vec<PagePlacement> = t.pages.values().map(|p| p.placement.clone()).collect();
        assert_eq!(placed, again);
        assert_eq!(first.translations, second.translations);
        assert_eq!(first.aliases, second.aliases);
        assert_eq!(first.diagnostics, second.diagnostics);
        // The made-up roots are made up once, not once a build.
        let roots: Vec<&ContentKey> = t
            .sections
            .keys()
            .filter(|k| k.starts_with("_index"))
            .collect();
        assert_eq!(roots, ["_index.en.md", "_index.md", "_index.ru.md"]);
        assert_eq!(t.page("b.md").placement.higher.as_deref(), Some("a.md"));
    }
}
