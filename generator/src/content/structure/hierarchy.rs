//! Which section each page and section belongs to. A file's parent is the section of its
//! own language in the nearest folder above it, so a language may leave out a level
//! (`ru` with no `signs/_index.ru.md` hangs `signs/page.ru.md` off nothing, and
//! `signs/deep/_index.ru.md` off the Russian root).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use super::index_key;
use crate::config::{Config, ContentKey, Lang};
use crate::content::file_info::FileInfo;
use crate::content::page::{Pages, Section, Source};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::Rendered;
use crate::message::{Message, MessageId};

/// Who is whose parent, for the listings pass.
pub(super) struct Tree {
    /// Section key → its parent section's key (`None` for a root).
    pub section_parent: BTreeMap<ContentKey, Option<ContentKey>>,
    /// Section key → keys of the pages directly in its folder, in key order.
    pub direct_pages: HashMap<ContentKey, Vec<ContentKey>>,
}

/// Gives every configured language a root section: the made-up ones of an earlier run are
/// dropped first, so a root file that appears replaces its stand-in.
pub(super) fn add_implicit_roots(
    config: &Config,
    content_dir: &Path,
    sections: &mut BTreeMap<ContentKey, Section>,
) {
    sections.retain(|_, s| !s.implicit);
    for lang in config.languages() {
        let exists = sections
            .values()
            .any(|s| s.lang == *lang && s.file.components.is_empty());
        if exists {
            continue;
        }
        let key = index_key(config, lang);
        if let Ok(file) = FileInfo::new(content_dir, &key, config) {
            sections.insert(key, implicit_root(file, lang));
        }
    }
}

fn implicit_root(file: FileInfo, lang: &Lang) -> Section {
    Section {
        file,
        meta: Default::default(),
        positions: Default::default(),
        source: Source::new(Arc::from(""), 0, 1),
        lang: lang.clone(),
        placement: Default::default(),
        implicit: true,
        word_count: 0,
        reading_time: 0,
        rendered: Rendered::default(),
        link_diagnostics: Diagnostics::new(),
    }
}

/// Sets every section's and page's parent and ancestors (root first); warns about pages
/// that no section lists.
pub(super) fn link(
    config: &Config,
    pages: &mut Pages,
    sections: &mut BTreeMap<ContentKey, Section>,
    diags: &mut Diagnostics,
) -> Tree {
    // (folder, lang) → section key.
    let section_at: HashMap<(String, Lang), ContentKey> = sections
        .iter()
        .map(|(key, s)| ((s.file.section_dir(), s.lang.clone()), key.clone()))
        .collect();
    let mut section_parent: BTreeMap<ContentKey, Option<ContentKey>> = BTreeMap::new();
    for (key, s) in sections.iter() {
        let mut comps = s.file.components.clone();
        let mut parent = None;
        while !comps.is_empty() {
            comps.pop();
            if let Some(k) = section_at.get(&(comps.join("/"), s.lang.clone())) {
                parent = Some(k.clone());
                break;
            }
        }
        section_parent.insert(key.clone(), parent);
    }
    let section_ancestors: BTreeMap<ContentKey, Vec<ContentKey>> = sections
        .keys()
        .map(|k| (k.clone(), ancestors_of(&section_parent, k)))
        .collect();
    for (key, s) in sections.iter_mut() {
        s.placement.parent_section = section_parent.get(key).cloned().flatten();
        s.placement.ancestors = section_ancestors.get(key).cloned().unwrap_or_default();
    }

    let mut direct_pages: HashMap<ContentKey, Vec<ContentKey>> = HashMap::new();
    for (key, p) in pages.iter_mut() {
        match section_at.get(&(p.file.section_dir(), p.lang.clone())) {
            Some(sk) => {
                p.placement.parent_section = Some(sk.clone());
                let mut anc = section_ancestors.get(sk).cloned().unwrap_or_default();
                anc.push(sk.clone());
                p.placement.ancestors = anc;
                direct_pages
                    .entry(sk.clone())
                    .or_default()
                    .push(key.clone());
            }
            None => {
                let dir = p.file.section_dir();
                let index = index_key(config, &p.lang);
                let wanted = if dir.is_empty() {
                    index.to_string()
                } else {
                    format!("{dir}/{index}")
                };
                diags.push(Diagnostic::warning(
                    p.file.site_path.clone(),
                    1,
                    1,
                    Message::of(MessageId::PageNoSection)
                        .text("wanted", format!("content/{wanted}"))
                        .text("address", p.placement.path.as_str()),
                ));
            }
        }
    }
    Tree {
        section_parent,
        direct_pages,
    }
}

/// Section keys from the root down to `key`'s parent; stops at a cycle rather than loop.
fn ancestors_of(
    section_parent: &BTreeMap<ContentKey, Option<ContentKey>>,
    key: &str,
) -> Vec<ContentKey> {
    let mut chain = Vec::new();
    let mut cur = section_parent.get(key).cloned().flatten();
    while let Some(k) = cur {
        if chain.contains(&k) {
            break;
        }
        cur = section_parent.get(&k).cloned().flatten();
        chain.push(k);
    }
    chain.reverse();
    chain
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{messages, tree, Tree as Site};
    use super::super::urls;
    use super::*;

    fn linked(files: &[(&str, &str)]) -> (Site, Tree, Diagnostics) {
        let mut t = tree("", files);
        let dir = t.content_dir();
        add_implicit_roots(&t.config, &dir, &mut t.sections);
        urls::place(&t.config, &mut t.pages, &mut t.sections);
        let mut diags = Diagnostics::new();
        let links = link(&t.config, &mut t.pages, &mut t.sections, &mut diags);
        (t, links, diags)
    }

    #[test]
    fn every_language_has_a_root_made_up_when_its_file_is_missing() {
        let mut t = tree("", &[("_index.ru.md", "+++\ntitle = \"Главная\"\n+++\n")]);
        let dir = t.content_dir();
        add_implicit_roots(&t.config, &dir, &mut t.sections);
        let roots: Vec<(&str, bool)> = t
            .sections
            .iter()
            .map(|(k, s)| (k.as_str(), s.implicit))
            .collect();
        assert_eq!(
            roots,
            [
                ("_index.en.md", true),
                ("_index.md", true),
                ("_index.ru.md", false)
            ]
        );
        // Run again: the stand-ins are replaced, not doubled, and real roots kept.
        add_implicit_roots(&t.config, &dir, &mut t.sections);
        assert_eq!(t.sections.len(), 3);
        assert!(!t.section("_index.ru.md").implicit);
    }

    #[test]
    fn parents_are_the_nearest_section_of_the_same_language() {
        let (t, links, diags) = linked(&[
            ("_index.md", ""),
            ("signs/_index.md", ""),
            ("signs/deep/_index.md", ""),
            ("signs/deep/_index.ru.md", ""),
            ("signs/deep/page.md", ""),
            ("signs/deep/page.ru.md", ""),
        ]);
        let deep = t.section("signs/deep/_index.md");
        assert_eq!(
            deep.placement.parent_section.as_deref(),
            Some("signs/_index.md")
        );
        assert_eq!(deep.placement.ancestors, ["_index.md", "signs/_index.md"]);
        // No Russian `signs/` section: the Russian root is the parent.
        let deep_ru = t.section("signs/deep/_index.ru.md");
        assert_eq!(
            deep_ru.placement.parent_section.as_deref(),
            Some("_index.ru.md")
        );
        assert_eq!(deep_ru.placement.ancestors, ["_index.ru.md"]);
        let page = t.page("signs/deep/page.md");
        assert_eq!(
            page.placement.parent_section.as_deref(),
            Some("signs/deep/_index.md")
        );
        assert_eq!(
            page.placement.ancestors,
            ["_index.md", "signs/_index.md", "signs/deep/_index.md"]
        );
        assert_eq!(t.section("_index.md").placement.parent_section, None);
        assert_eq!(
            links.direct_pages["signs/deep/_index.md"],
            ["signs/deep/page.md"]
        );
        assert_eq!(
            links.direct_pages["signs/deep/_index.ru.md"],
            ["signs/deep/page.ru.md"]
        );
        assert!(diags.is_empty());
    }

    #[test]
    fn a_page_whose_folder_has_no_section_in_its_language_is_a_warning() {
        let (t, links, diags) = linked(&[
            ("help/_index.md", ""),
            ("help/hotline.md", ""),
            ("help/hotline.en.md", "+++\npath = \"hotline-152\"\n+++\n"),
        ]);
        let orphan = t.page("help/hotline.en.md");
        assert_eq!(orphan.placement.parent_section, None);
        assert!(orphan.placement.ancestors.is_empty());
        assert!(!links
            .direct_pages
            .values()
            .flatten()
            .any(|k| k == "help/hotline.en.md"));
        assert_eq!(
            messages(&diags),
            [("content/help/hotline.en.md", MessageId::PageNoSection)]
        );
        let text = diags.iter().next().unwrap().message.to_string();
        assert!(text.contains("content/help/_index.en.md"), "{text}");
        assert!(text.contains("/en/hotline-152/"), "{text}");
    }
}
