//! Where each page and section is served: the slug, site path and permalink that follow
//! from the file's place under `content/`, its language and its front matter (`slug`,
//! `path`). Nothing here depends on other files; clashes are the addresses pass's.

use std::collections::BTreeMap;

use crate::config::{Config, ContentKey, Lang};
use crate::content::page::{Pages, Section};
use crate::markdown::slug::slugify_path;

pub(super) fn place(
    config: &Config,
    pages: &mut Pages,
    sections: &mut BTreeMap<ContentKey, Section>,
) {
    for s in sections.values_mut() {
        let path = section_path(config, &s.lang, &s.file.components);
        s.placement.permalink = config.permalink(&path);
        s.placement.path = path;
    }
    for p in pages.values_mut() {
        let slug = page_slug(config, &p.lang, p.meta.slug.as_deref(), &p.file.name);
        let path = page_path(
            config,
            &p.lang,
            p.meta.path.as_deref(),
            &p.file.components,
            &slug,
        );
        p.placement.slug = slug;
        p.placement.permalink = config.permalink(&path);
        p.placement.path = path;
    }
}

/// `/ru/signs/` for `signs/_index.ru.md`; `/` for the default language's root.
fn section_path(config: &Config, lang: &Lang, components: &[String]) -> String {
    let mut path = config.lang_prefix(lang);
    for c in components {
        path.push('/');
        path.push_str(c);
    }
    path.push('/');
    path
}

/// The front matter's `slug`, else the file or bundle name, slugified as the config says;
/// the name as it is when slugifying leaves nothing.
fn page_slug(config: &Config, lang: &Lang, slug: Option<&str>, name: &str) -> String {
    let slug = slugify_path(slug.unwrap_or(name), lang, config.slugify.paths);
    if slug.is_empty() {
        name.to_string()
    } else {
        slug
    }
}

/// The language prefix, then the front matter's `path`, or the folders and the slug;
/// with a final `/` unless it names an `.html` file.
fn page_path(
    config: &Config,
    lang: &Lang,
    custom: Option<&str>,
    components: &[String],
    slug: &str,
) -> String {
    let prefix = config.lang_prefix(lang);
    let mut path = prefix.clone();
    match custom.map(|s| s.trim_matches('/')) {
        Some(custom) => {
            // As in Zola, a custom path that already starts with the language code keeps
            // it once (`path = "ru/x"` on a Russian page is `/ru/x/`).
            if !prefix.is_empty()
                && (custom == &prefix[1..] || custom.starts_with(&format!("{}/", &prefix[1..])))
            {
                path.clear();
            }
            if !custom.is_empty() {
                path.push('/');
                path.push_str(custom);
            }
        }
        None => {
            for c in components {
                path.push('/');
                path.push_str(c);
            }
            path.push('/');
            path.push_str(slug);
        }
    }
    if !path.ends_with(".html") {
        path.push('/');
    }
    path
}

#[cfg(test)]
mod tests {
    use super::super::fixture::tree;
    use super::*;

    #[test]
    fn sections_are_served_at_their_folder_under_the_language_prefix() {
        let mut t = tree(
            "",
            &[
                ("_index.md", ""),
                ("_index.ru.md", ""),
                ("help/_index.ru.md", ""),
                ("help/hotline/_index.md", ""),
            ],
        );
        place(&t.config, &mut t.pages, &mut t.sections);
        let at = |k: &str| t.section(k).placement.path.as_str();
        assert_eq!(at("_index.md"), "/");
        assert_eq!(at("_index.ru.md"), "/ru/");
        assert_eq!(at("help/_index.ru.md"), "/ru/help/");
        assert_eq!(at("help/hotline/_index.md"), "/help/hotline/");
        assert_eq!(
            t.section("help/_index.ru.md").placement.permalink,
            "https://e.org/ru/help/"
        );
    }

    #[test]
    fn pages_are_served_at_their_slug_in_their_folder() {
        let mut t = tree(
            "",
            &[
                ("help/hotline.ru.md", ""),
                ("help/Call Us.md", ""),
                ("help/x.md", "+++\nslug = \"Сигналы опасности\"\n+++\n"),
                ("films/story/index.en.md", ""),
                ("odd.md", "+++\nslug = \"???\"\n+++\n"),
            ],
        );
        place(&t.config, &mut t.pages, &mut t.sections);
        let at = |k: &str| t.page(k).placement.path.as_str();
        assert_eq!(at("help/hotline.ru.md"), "/ru/help/hotline/");
        assert_eq!(t.page("help/Call Us.md").placement.slug, "call-us");
        assert_eq!(at("help/x.md"), "/help/сигналы-опасности/");
        assert_eq!(at("films/story/index.en.md"), "/en/films/story/");
        // Slugifying `???` leaves nothing: the file's name stands in.
        assert_eq!(at("odd.md"), "/odd/");
        assert_eq!(
            t.page("help/hotline.ru.md").placement.permalink,
            "https://e.org/ru/help/hotline/"
        );
    }

    #[test]
    fn a_custom_path_replaces_folders_and_slug_and_keeps_one_language_prefix() {
        let mut t = tree(
            "",
            &[
                ("deep/a.md", "+++\npath = \"/top/\"\n+++\n"),
                ("deep/b.ru.md", "+++\npath = \"top\"\n+++\n"),
                ("deep/c.ru.md", "+++\npath = \"ru/top\"\n+++\n"),
                ("deep/d.ru.md", "+++\npath = \"ru\"\n+++\n"),
                ("deep/e.ru.md", "+++\npath = \"rules\"\n+++\n"),
                ("deep/f.md", "+++\npath = \"feed.html\"\n+++\n"),
                ("deep/g.md", "+++\npath = \"/\"\n+++\n"),
            ],
        );
        place(&t.config, &mut t.pages, &mut t.sections);
        let at = |k: &str| t.page(k).placement.path.as_str();
        assert_eq!(at("deep/a.md"), "/top/");
        assert_eq!(at("deep/b.ru.md"), "/ru/top/");
        assert_eq!(at("deep/c.ru.md"), "/ru/top/");
        assert_eq!(at("deep/d.ru.md"), "/ru/");
        assert_eq!(at("deep/e.ru.md"), "/ru/rules/");
        assert_eq!(at("deep/f.md"), "/feed.html");
        assert_eq!(at("deep/g.md"), "/");
    }

    #[test]
    fn the_default_language_gets_a_prefix_when_it_is_not_at_the_root() {
        let mut t = tree(
            "default_language_at_root = false",
            &[("_index.md", ""), ("a.md", "")],
        );
        place(&t.config, &mut t.pages, &mut t.sections);
        assert_eq!(t.section("_index.md").placement.path, "/az/");
        assert_eq!(t.page("a.md").placement.permalink, "https://e.org/az/a/");
    }
}
