//! Taxonomies (`tags`, `categories`) per language: the ones `config.toml` declares for the
//! language, each term with the pages that name it. Terms are told apart by slug, so
//! `Work` and `work` are one term.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::listings::sort_listed;
use crate::config::{Config, ContentKey, Lang};
use crate::content::front_matter::SortBy;
use crate::content::page::{Page, Pages};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::slug::slugify_path;
use crate::message::{Message, MessageId};

/// A taxonomy in one language (`tags` in `ru`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Taxonomy {
    pub name: String,
    pub lang: Lang,
    /// `/ru/tags/`.
    pub path: String,
    pub permalink: String,
    /// Terms in the order of their slugs.
    pub terms: Vec<TaxonomyTerm>,
}

impl Taxonomy {
    /// The term with this slug (a binary search: a taxonomy may have tens of thousands).
    pub fn term(&self, slug: &str) -> Option<&TaxonomyTerm> {
        self.terms
            .binary_search_by(|t| t.slug.as_str().cmp(slug))
            .ok()
            .map(|i| &self.terms[i])
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaxonomyTerm {
    /// As first written in a page (the alphabetically first spelling when pages differ).
    pub name: String,
    pub slug: String,
    pub path: String,
    pub permalink: String,
    /// Page keys, newest first, ties by key.
    pub pages: Vec<ContentKey>,
}

/// Taxonomy terms being collected: slug → (spellings seen, pages).
type TermsBySlug<'a> = BTreeMap<String, (BTreeSet<String>, Vec<(ContentKey, Option<&'a Page>)>)>;

/// Every language's taxonomies, in config order; a page naming a taxonomy its language does
/// not declare is an error on its `taxonomies` key.
pub(super) fn collect(
    config: &Config,
    pages: &Pages,
    diags: &mut Diagnostics,
) -> BTreeMap<Lang, Vec<Taxonomy>> {
    let mut taxonomies: BTreeMap<Lang, Vec<Taxonomy>> = BTreeMap::new();
    for lang in config.languages() {
        let declared = config.taxonomies_for(lang);
        let prefix = config.lang_prefix(lang);
        let mut list: Vec<Taxonomy> = declared
            .iter()
            .map(|t| {
                let slug = slugify_path(&t.name, lang, config.slugify.taxonomies);
                let path = format!(
                    "{prefix}/{}/",
                    if slug.is_empty() { &t.name } else { &slug }
                );
                Taxonomy {
                    name: t.name.clone(),
                    lang: lang.clone(),
                    permalink: config.permalink(&path),
                    path,
                    terms: Vec::new(),
                }
            })
            .collect();
        let mut terms: Vec<TermsBySlug> = vec![BTreeMap::new(); list.len()];
        for (key, p) in pages.iter().filter(|(_, p)| p.lang == *lang) {
            for (tax, values) in p.meta.taxonomies.iter() {
                let Some(i) = list.iter().position(|t| t.name == tax) else {
                    let (line, col) = p.positions.get("taxonomies").copied().unwrap_or((1, 1));
                    let known: Vec<&str> = declared.iter().map(|t| t.name.as_str()).collect();
                    diags.push(Diagnostic::error(
                        p.file.site_path.clone(),
                        line,
                        col,
                        if known.is_empty() {
                            Message::of(MessageId::TaxonomyNoneDeclared)
                        } else {
                            Message::of(MessageId::TaxonomyUndeclared)
                                .text("declared", known.join(", "))
                        }
                        .text("taxonomy", tax)
                        .text("lang", lang),
                    ));
                    continue;
                };
                for v in values {
                    let Some(slug) = term_slug(config, lang, v) else {
                        continue;
                    };
                    let e = terms[i].entry(slug).or_default();
                    e.0.insert(v.clone());
                    // Pages come one after another, so a page already listed for this term
                    // (two spellings of it on one page) is the last one: no search of the
                    // whole list, which made this pass quadratic in a term's pages.
                    if e.1.last().map(|(k, _)| k) != Some(key) {
                        e.1.push((key.clone(), Some(&**p)));
                    }
                }
            }
        }
        for (t, map) in list.iter_mut().zip(terms) {
            for (slug, (names, mut listed)) in map {
                sort_listed(&mut listed, SortBy::Date);
                let path = format!("{}{}/", t.path, slug);
                t.terms.push(TaxonomyTerm {
                    name: names.into_iter().next().unwrap_or_else(|| slug.clone()),
                    permalink: config.permalink(&path),
                    path,
                    slug,
                    pages: listed.into_iter().map(|(k, _)| k).collect(),
                });
            }
        }
        taxonomies.insert(lang.clone(), list);
    }
    taxonomies
}

/// A term's slug, the trimmed term when slugifying leaves nothing; `None` for a blank term.
fn term_slug(config: &Config, lang: &Lang, term: &str) -> Option<String> {
    let slug = slugify_path(term, lang, config.slugify.taxonomies);
    let slug = if slug.is_empty() {
        term.trim().to_string()
    } else {
        slug
    };
    (!slug.is_empty()).then_some(slug)
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{messages, tree};
    use super::super::urls;
    use super::*;

    const TAGS: &str = "taxonomies = [{ name = \"tags\" }]";

    #[test]
    fn terms_gather_their_pages_newest_first_under_one_slug() {
        let mut t = tree(
            TAGS,
            &[
                (
                    "a.md",
                    "+++\ndate = 2024-01-01\n[taxonomies]\ntags = [\"Work\", \"abroad\"]\n+++\n",
                ),
                (
                    "b.md",
                    "+++\ndate = 2024-05-01\n[taxonomies]\ntags = [\"work\", \"  \"]\n+++\n",
                ),
                ("c.ru.md", "+++\n[taxonomies]\ntags = [\"Работа\"]\n+++\n"),
            ],
        );
        urls::place(&t.config, &mut t.pages, &mut t.sections);
        let mut diags = Diagnostics::new();
        let all = collect(&t.config, &t.pages, &mut diags);
        assert!(diags.is_empty());
        let tags = &all["az"][0];
        assert_eq!(
            (tags.path.as_str(), tags.permalink.as_str()),
            ("/tags/", "https://e.org/tags/")
        );
        let slugs: Vec<&str> = tags.terms.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs, ["abroad", "work"]);
        let work = tags.term("work").unwrap();
        // `Work` sorts before `work`: the first spelling alphabetically names the term.
        assert_eq!(work.name, "Work");
        assert_eq!(work.pages, ["b.md", "a.md"]);
        assert_eq!(work.path, "/tags/work/");
        assert_eq!(all["ru"][0].terms[0].path, "/ru/tags/работа/");
        assert!(all["en"][0].terms.is_empty());
        assert!(tags.term("nothing").is_none());
    }

    #[test]
    fn an_undeclared_taxonomy_is_an_error_naming_the_declared_ones() {
        let mut t = tree(
            TAGS,
            &[(
                "a.md",
                "+++\ntitle = \"A\"\n[taxonomies]\ncategories = [\"x\"]\n+++\n",
            )],
        );
        urls::place(&t.config, &mut t.pages, &mut t.sections);
        let mut diags = Diagnostics::new();
        let all = collect(&t.config, &t.pages, &mut diags);
        assert!(all["az"][0].terms.is_empty());
        assert_eq!(
            messages(&diags),
            [("content/a.md", MessageId::TaxonomyUndeclared)]
        );
        let d = diags.iter().next().unwrap();
        assert_eq!((d.line, d.col), (3, 1));
        assert!(d.message.to_string().contains("tags"), "{}", d.message);

        let mut bare = tree("", &[("a.md", "+++\n[taxonomies]\ntags = [\"x\"]\n+++\n")]);
        urls::place(&bare.config, &mut bare.pages, &mut bare.sections);
        let mut diags = Diagnostics::new();
        collect(&bare.config, &bare.pages, &mut diags);
        assert_eq!(
            messages(&diags),
            [("content/a.md", MessageId::TaxonomyNoneDeclared)]
        );
    }
}
