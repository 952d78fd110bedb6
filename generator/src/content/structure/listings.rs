//! What each section lists and in which order: its pages (with those of transparent
//! subsections) by `sort_by`, the pages' `lower`/`higher` neighbours in that order, and its
//! subsections by weight.

use std::collections::{BTreeMap, HashMap};

use lexical_sort::natural_lexical_cmp;

use super::hierarchy::Tree;
use crate::config::ContentKey;
use crate::content::front_matter::SortBy;
use crate::content::page::{Page, Pages, Section};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::message::{Message, MessageId};

pub(super) fn list(
    tree: Tree,
    pages: &mut Pages,
    sections: &mut BTreeMap<ContentKey, Section>,
    diags: &mut Diagnostics,
) {
    let Tree {
        section_parent,
        direct_pages,
    } = tree;
    // A transparent section's pages are listed by its parent too, deepest first so a chain
    // of transparent sections carries its pages all the way up.
    let mut listing: HashMap<ContentKey, Vec<ContentKey>> = direct_pages;
    let mut transparent: Vec<(usize, ContentKey)> = sections
        .iter()
        .filter(|(_, s)| s.meta.transparent)
        .map(|(k, s)| (s.file.components.len(), k.clone()))
        .collect();
    transparent.sort_by(|a, b| b.cmp(a));
    for (_, key) in &transparent {
        if let Some(parent) = section_parent.get(key).cloned().flatten() {
            let moved = listing.get(key).cloned().unwrap_or_default();
            listing.entry(parent).or_default().extend(moved);
        }
    }

    let mut siblings: Vec<(ContentKey, Option<ContentKey>, Option<ContentKey>)> = Vec::new();
    for (key, s) in sections.iter_mut() {
        let mut listed = listing.remove(key).unwrap_or_default();
        sort_pages(&mut listed, s.meta.sort_by, pages);
        if !s.meta.transparent && s.meta.sort_by != SortBy::None {
            // As in Zola, whatever the order: `lower` is the page listed before this
            // one and `higher` the one after (newest first for `date`, so `lower` is
            // the newer page). Pages the order cannot place are listed last, and have
            // no neighbours and are no one's neighbour.
            let mut placed: Vec<&ContentKey> = Vec::with_capacity(listed.len());
            for k in &listed {
                let Some(p) = pages.get(k) else { continue };
                if can_be_sorted(p, s.meta.sort_by) {
                    placed.push(k);
                } else {
                    diags.push(Diagnostic::warning(
                        p.file.site_path.clone(),
                        1,
                        1,
                        Message::of(MessageId::PageNotSortable)
                            .text("field", sort_field(s.meta.sort_by))
                            .text("section", s.file.site_path.as_str()),
                    ));
                }
            }
            for (i, k) in placed.iter().enumerate() {
                let lower = i.checked_sub(1).map(|j| placed[j].clone());
                let higher = placed.get(i + 1).map(|k| (*k).clone());
                siblings.push(((*k).clone(), lower, higher));
            }
        }
        s.placement.pages = listed;
    }
    for (k, lower, higher) in siblings {
        if let Some(p) = pages.get_mut(&k) {
            p.placement.lower = lower;
            p.placement.higher = higher;
        }
    }

    let mut children: HashMap<ContentKey, Vec<ContentKey>> = HashMap::new();
    for (key, parent) in section_parent {
        if let Some(parent) = parent {
            children.entry(parent).or_default().push(key);
        }
    }
    let weights: HashMap<ContentKey, i64> = sections
        .iter()
        .map(|(k, s)| (k.clone(), s.meta.weight))
        .collect();
    for (key, s) in sections.iter_mut() {
        let mut subs = children.remove(key).unwrap_or_default();
        subs.sort_by(|a, b| (weights.get(a), a).cmp(&(weights.get(b), b)));
        s.placement.subsections = subs;
    }
}

/// The front-matter field an order is by, for messages.
fn sort_field(by: SortBy) -> &'static str {
    match by {
        SortBy::Date | SortBy::UpdateDate => "date",
        SortBy::Title | SortBy::TitleBytes => "title",
        SortBy::Weight => "weight",
        SortBy::Slug | SortBy::None => "slug",
    }
}

/// Whether `by` can place the page: it has the field the order is by.
fn can_be_sorted(p: &Page, by: SortBy) -> bool {
    match by {
        SortBy::Date => p.meta.date.is_some(),
        SortBy::UpdateDate => p.meta.date.is_some() || p.meta.updated.is_some(),
        SortBy::Title | SortBy::TitleBytes => p.meta.title.is_some(),
        SortBy::Weight => p.meta.weight.is_some(),
        SortBy::Slug | SortBy::None => true,
    }
}

/// Sorts page keys for a listing (or a taxonomy term). Pages `by` cannot place go last;
/// ties are broken by URL, then by file, as Zola breaks them by permalink, so the result
/// never depends on load order.
pub(super) fn sort_pages(keys: &mut [ContentKey], by: SortBy, pages: &Pages) {
    let mut listed: Vec<(ContentKey, Option<&Page>)> = keys
        .iter()
        .map(|k| (k.clone(), pages.get(k).map(|p| &**p)))
        .collect();
    sort_listed(&mut listed, by);
    for (slot, (key, _)) in keys.iter_mut().zip(listed) {
        *slot = key;
    }
}

/// [`sort_pages`] for keys whose pages are at hand: each page is looked up once, not in
/// every comparison, and no address is copied to compare it (on a large site the lookups
/// were most of the time the structure passes took).
pub(super) fn sort_listed(listed: &mut [(ContentKey, Option<&Page>)], by: SortBy) {
    fn permalink(p: Option<&Page>) -> Option<&str> {
        p.map(|p| p.placement.permalink.as_str())
    }
    fn slug(p: Option<&Page>) -> &str {
        p.map_or("", |p| p.placement.slug.as_str())
    }
    fn title(p: Option<&Page>) -> Option<&str> {
        p.and_then(|p| p.meta.title.as_deref())
    }
    match by {
        SortBy::None => listed.sort_by(|a, b| a.0.cmp(&b.0)),
        SortBy::Date => listed.sort_by_cached_key(|(k, p)| {
            let p = *p;
            let ts = p.and_then(|p| p.meta.date.as_ref()).map(|d| d.timestamp);
            (ts.is_none(), std::cmp::Reverse(ts), permalink(p), k.clone())
        }),
        SortBy::UpdateDate => listed.sort_by_cached_key(|(k, p)| {
            let p = *p;
            // The later of the two, as Zola orders by.
            let ts = p.and_then(|p| {
                let date = p.meta.date.as_ref().map(|d| d.timestamp);
                let updated = p.meta.updated.as_ref().map(|d| d.timestamp);
                date.max(updated)
            });
            (ts.is_none(), std::cmp::Reverse(ts), permalink(p), k.clone())
        }),
        SortBy::Slug => listed.sort_by(|(ka, a), (kb, b)| {
            natural_lexical_cmp(slug(*a), slug(*b))
                .then_with(|| permalink(*a).cmp(&permalink(*b)))
                .then_with(|| ka.cmp(kb))
        }),
        SortBy::TitleBytes => listed.sort_by_cached_key(|(k, p)| {
            let p = *p;
            let t = title(p);
            (t.is_none(), t, permalink(p), k.clone())
        }),
        SortBy::Weight => listed.sort_by_cached_key(|(k, p)| {
            let p = *p;
            let w = p.and_then(|p| p.meta.weight);
            (w.is_none(), w, permalink(p), k.clone())
        }),
        SortBy::Title => listed.sort_by(|(ka, a), (kb, b)| {
            match (title(*a), title(*b)) {
                (Some(x), Some(y)) => natural_lexical_cmp(x, y),
                (x, y) => x.is_none().cmp(&y.is_none()),
            }
            .then_with(|| permalink(*a).cmp(&permalink(*b)))
            .then_with(|| ka.cmp(kb))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{messages, tree, Tree as Site};
    use super::super::{hierarchy, urls};
    use super::*;

    fn listed(files: &[(&str, &str)]) -> (Site, Diagnostics) {
        let mut t = tree("", files);
        let dir = t.content_dir();
        hierarchy::add_implicit_roots(&t.config, &dir, &mut t.sections);
        urls::place(&t.config, &mut t.pages, &mut t.sections);
        let mut diags = Diagnostics::new();
        let links = hierarchy::link(&t.config, &mut t.pages, &mut t.sections, &mut diags);
        list(links, &mut t.pages, &mut t.sections, &mut diags);
        (t, diags)
    }

    fn neighbours<'a>(t: &'a Site, key: &str) -> (Option<&'a str>, Option<&'a str>) {
        let p = &t.page(key).placement;
        (p.lower.as_deref(), p.higher.as_deref())
    }

    #[test]
    fn by_date_newest_first_with_undated_pages_last_and_out_of_the_chain() {
        let (t, diags) = listed(&[
            ("news/_index.md", "+++\nsort_by = \"date\"\n+++\n"),
            ("news/a.md", "+++\ndate = 2024-01-01\n+++\n"),
            ("news/b.md", "+++\ndate = 2024-03-01\n+++\n"),
            ("news/c.md", "+++\ndate = 2024-02-01\n+++\n"),
            ("news/d.md", ""),
        ]);
        assert_eq!(
            t.section("news/_index.md").placement.pages,
            ["news/b.md", "news/c.md", "news/a.md", "news/d.md"]
        );
        assert_eq!(neighbours(&t, "news/b.md"), (None, Some("news/c.md")));
        assert_eq!(
            neighbours(&t, "news/c.md"),
            (Some("news/b.md"), Some("news/a.md"))
        );
        assert_eq!(neighbours(&t, "news/a.md"), (Some("news/c.md"), None));
        assert_eq!(neighbours(&t, "news/d.md"), (None, None));
        assert_eq!(
            messages(&diags),
            [("content/news/d.md", MessageId::PageNotSortable)]
        );
    }

    #[test]
    fn weight_and_title_orders_break_ties_by_address() {
        let (t, _) = listed(&[
            ("w/_index.md", "+++\nsort_by = \"weight\"\n+++\n"),
            ("w/a.md", "+++\nweight = 2\n+++\n"),
            ("w/b.md", "+++\nweight = 1\n+++\n"),
            ("w/c.md", "+++\nweight = 1\n+++\n"),
            ("t/_index.md", "+++\nsort_by = \"title\"\n+++\n"),
            ("t/1.md", "+++\ntitle = \"page 10\"\n+++\n"),
            ("t/2.md", "+++\ntitle = \"Page 2\"\n+++\n"),
            ("t/3.md", "+++\ntitle = \"page 3\"\n+++\n"),
        ]);
        assert_eq!(
            t.section("w/_index.md").placement.pages,
            ["w/b.md", "w/c.md", "w/a.md"]
        );
        assert_eq!(neighbours(&t, "w/c.md"), (Some("w/b.md"), Some("w/a.md")));
        // Natural order: 2 before 3 before 10, case aside.
        assert_eq!(
            t.section("t/_index.md").placement.pages,
            ["t/2.md", "t/3.md", "t/1.md"]
        );
    }

    #[test]
    fn transparent_sections_hand_their_pages_up_and_have_no_neighbours() {
        let (t, _) = listed(&[
            ("_index.md", "+++\nsort_by = \"weight\"\n+++\n"),
            ("top.md", "+++\nweight = 3\n+++\n"),
            (
                "a/_index.md",
                "+++\ntransparent = true\nsort_by = \"weight\"\n+++\n",
            ),
            ("a/one.md", "+++\nweight = 2\n+++\n"),
            ("a/b/_index.md", "+++\ntransparent = true\n+++\n"),
            ("a/b/two.md", "+++\nweight = 1\n+++\n"),
        ]);
        assert_eq!(
            t.section("_index.md").placement.pages,
            ["a/b/two.md", "a/one.md", "top.md"]
        );
        assert_eq!(
            t.section("a/_index.md").placement.pages,
            ["a/b/two.md", "a/one.md"]
        );
        // Neighbours come from the root's order, where the pages are placed.
        assert_eq!(
            neighbours(&t, "a/one.md"),
            (Some("a/b/two.md"), Some("top.md"))
        );
    }

    #[test]
    fn unsorted_sections_list_by_key_without_neighbours() {
        let (t, diags) = listed(&[("s/_index.md", ""), ("s/b.md", ""), ("s/a.md", "")]);
        assert_eq!(
            t.section("s/_index.md").placement.pages,
            ["s/a.md", "s/b.md"]
        );
        assert_eq!(neighbours(&t, "s/a.md"), (None, None));
        assert!(diags.is_empty());
    }

    #[test]
    fn subsections_by_weight_then_key() {
        let (t, _) = listed(&[
            ("_index.md", ""),
            ("c/_index.md", "+++\nweight = 1\n+++\n"),
            ("b/_index.md", "+++\nweight = 2\n+++\n"),
            ("a/_index.md", "+++\nweight = 2\n+++\n"),
            ("a/deep/_index.md", ""),
        ]);
        assert_eq!(
            t.section("_index.md").placement.subsections,
            ["c/_index.md", "a/_index.md", "b/_index.md"]
        );
        assert_eq!(
            t.section("a/_index.md").placement.subsections,
            ["a/deep/_index.md"]
        );
        // Other languages' made-up roots list nothing.
        assert!(t.section("_index.ru.md").placement.subsections.is_empty());
    }
}
