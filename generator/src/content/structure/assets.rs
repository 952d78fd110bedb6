//! The non-Markdown files that travel with a page or section: everything under a bundle
//! page's folder, and the files directly in a section's folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::config::ContentKey;
use crate::content::page::{Asset, Pages, Section};

/// `other_files` are the content folder's non-Markdown files by content-relative path.
pub(super) fn attach(
    content_dir: &Path,
    other_files: &BTreeSet<String>,
    pages: &mut Pages,
    sections: &mut BTreeMap<ContentKey, Section>,
) {
    for p in pages.values_mut() {
        p.placement.assets = match p.file.asset_dir() {
            Some(dir) => assets_in(other_files, &dir, true, content_dir),
            None => Vec::new(),
        };
    }
    for s in sections.values_mut() {
        s.placement.assets = match s.file.asset_dir() {
            Some(dir) if !s.implicit => assets_in(other_files, &dir, false, content_dir),
            _ => Vec::new(),
        };
    }
}

/// The files under `dir` (`""` for `content/` itself), in path order; only those directly
/// in it unless `recursive`.
fn assets_in(
    other_files: &BTreeSet<String>,
    dir: &str,
    recursive: bool,
    content_dir: &Path,
) -> Vec<Asset> {
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    other_files
        .range(prefix.clone()..)
        .take_while(|f| f.starts_with(&prefix))
        .filter(|f| recursive || !f[prefix.len()..].contains('/'))
        .map(|f| Asset {
            source: content_dir.join(f),
            relative: f[prefix.len()..].to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixture::tree;
    use super::super::hierarchy;
    use super::*;

    fn relative(assets: &[Asset]) -> Vec<&str> {
        assets.iter().map(|a| a.relative.as_str()).collect()
    }

    #[test]
    fn bundles_take_their_whole_folder_and_sections_only_their_own_files() {
        let mut t = tree(
            "",
            &[
                ("films/_index.md", ""),
                ("films/story/index.md", ""),
                ("films/story/index.ru.md", ""),
                ("films/plain.md", ""),
            ],
        );
        let other: BTreeSet<String> = [
            "films/poster.png",
            "films/story/photo.jpg",
            "films/story/img/a.png",
            "films/storyboard.pdf",
            "logo.svg",
        ]
        .map(String::from)
        .into();
        let dir = t.content_dir();
        hierarchy::add_implicit_roots(&t.config, &dir, &mut t.sections);
        attach(&dir, &other, &mut t.pages, &mut t.sections);
        let story = &t.page("films/story/index.md").placement.assets;
        assert_eq!(relative(story), ["img/a.png", "photo.jpg"]);
        assert_eq!(story[1].source, dir.join("films/story/photo.jpg"));
        // Every language of a bundle carries the same files.
        assert_eq!(
            relative(&t.page("films/story/index.ru.md").placement.assets).len(),
            2
        );
        assert!(t.page("films/plain.md").placement.assets.is_empty());
        assert_eq!(
            relative(&t.section("films/_index.md").placement.assets),
            ["poster.png", "storyboard.pdf"]
        );
        // A made-up root has no folder of its own to publish.
        assert!(t.section("_index.md").placement.assets.is_empty());
    }
}
