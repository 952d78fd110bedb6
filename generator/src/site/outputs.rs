//! Which outputs a site has ([`OutputId`]), where each is written, and which of them an
//! edit touches. Rendering and writing take their lists from here, so a dev server, a full
//! build and an incremental rebuild agree on what exists.

use std::collections::BTreeSet;

use super::sink::file_for_path;
use super::{sitemap, Site};
use crate::config::{Config, ContentKey, Lang};
use crate::content::Section;
use crate::diagnostics::Diagnostic;

/// One file the site produces. Sorted, so renders and reports come in a stable order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OutputId {
    /// A page, by content key.
    Page(ContentKey),
    /// Pager `pager` (1-based) of a section, by content key. Pager 1 is the section's own URL.
    Section {
        key: ContentKey,
        pager: usize,
    },
    /// `<section>/page/1/`, a redirect to the section itself.
    FirstPagerRedirect(ContentKey),
    TaxonomyList {
        lang: Lang,
        kind: String,
    },
    TaxonomyTerm {
        lang: Lang,
        kind: String,
        slug: String,
    },
    Feed {
        lang: Lang,
    },
    NotFound {
        lang: Lang,
    },
    /// The search page of a language (`<lang>/search/`).
    Search {
        lang: Lang,
    },
    /// Every page of a language with its headings (`<lang>/search/all/`).
    AllPages {
        lang: Lang,
    },
    /// An alias path (`/old-url/`) redirecting to a page or section key.
    Alias {
        path: String,
        key: ContentKey,
    },
    /// `sitemap.xml`: the whole sitemap, or the index of its parts when it is split.
    Sitemap,
    /// Part `n` (1-based) of a split sitemap, `sitemap<n>.xml`.
    SitemapPart(usize),
    Robots,
}

/// The error for an output whose page, section or part is no longer there.
pub(super) fn gone(what: &str) -> Diagnostic {
    Diagnostic::error("content", 1, 1, format!("{what} no longer exists"))
}

/// How many pagers a section has: one unless it is paginated.
pub(super) fn number_of_pagers(section: &Section) -> usize {
    match section.meta.paginate_by {
        Some(n) if n > 0 => section.placement.pages.len().div_ceil(n).max(1),
        _ => 1,
    }
}

/// Site path of pager `pager` (1-based) of a section; pager 1 is the section's own path.
pub(super) fn pager_path(section: &Section, pager: usize) -> String {
    if pager <= 1 {
        section.placement.path.clone()
    } else {
        let paginate_path = if section.meta.paginate_path.is_empty() {
            "page"
        } else {
            section.meta.paginate_path.as_str()
        };
        format!("{}{paginate_path}/{pager}/", section.placement.path)
    }
}

/// Site path of `<section>/page/1/`, which redirects to the section itself.
pub(super) fn pager_path_one(section: &Section) -> String {
    let paginate_path = if section.meta.paginate_path.is_empty() {
        "page"
    } else {
        section.meta.paginate_path.as_str()
    };
    format!("{}{paginate_path}/1/", section.placement.path)
}

impl Site {
    /// Every output of the site, sorted.
    pub fn all_outputs(&self) -> Vec<OutputId> {
        let lib = &*self.library;
        let mut out = Vec::new();
        for (key, page) in lib.pages() {
            if page.meta.render {
                out.push(OutputId::Page(key.clone()));
            }
        }
        for (key, section) in lib.sections() {
            if !section.meta.render {
                continue;
            }
            let n = number_of_pagers(section);
            for pager in 1..=n {
                out.push(OutputId::Section {
                    key: key.clone(),
                    pager,
                });
            }
            if section.meta.paginate_by.is_some_and(|p| p > 0) {
                out.push(OutputId::FirstPagerRedirect(key.clone()));
            }
        }
        for lang in self.config.languages() {
            for tax in lib.taxonomies(lang) {
                if !self.taxonomy_rendered(lang, &tax.name) {
                    continue;
                }
                out.push(OutputId::TaxonomyList {
                    lang: lang.clone(),
                    kind: tax.name.clone(),
                });
                for term in &tax.terms {
                    out.push(OutputId::TaxonomyTerm {
                        lang: lang.clone(),
                        kind: tax.name.clone(),
                        slug: term.slug.clone(),
                    });
                }
            }
            if self.feeds_enabled(lang) {
                out.push(OutputId::Feed { lang: lang.clone() });
            }
            out.push(OutputId::NotFound { lang: lang.clone() });
        }
        for lang in self.config.search_languages() {
            // A page of the site's own at that address wins over the generated one.
            let prefix = self.config.lang_prefix(lang);
            let taken = |path: String| lib.key_at_path(&path).is_some();
            if self.templates.has("search.html") && !taken(super::search::search_path(&prefix)) {
                out.push(OutputId::Search { lang: lang.clone() });
            }
            if self.templates.has("search_all.html")
                && !taken(super::search::all_pages_path(&prefix))
            {
                out.push(OutputId::AllPages { lang: lang.clone() });
            }
        }
        for (path, key) in lib.aliases() {
            out.push(OutputId::Alias {
                path: path.clone(),
                key: key.clone(),
            });
        }
        out.push(OutputId::Sitemap);
        out.extend(self.sitemap_parts().map(OutputId::SitemapPart));
        out.push(OutputId::Robots);
        out.sort();
        out.dedup();
        out
    }

    pub(super) fn feeds_enabled(&self, lang: &Lang) -> bool {
        feeds_enabled(&self.config, lang)
    }

    /// The output at a site path (`/ru/news/page/2/`, `/atom.xml`), for a dev server.
    pub fn output_for_path(&self, url_path: &str) -> Option<OutputId> {
        let file = file_for_path(url_path);
        self.all_outputs()
            .into_iter()
            .find(|o| self.file_of(o).as_deref() == Some(file.as_str()))
    }

    /// The output file of an output, relative to the output folder.
    pub fn file_of(&self, id: &OutputId) -> Option<String> {
        let lib = &*self.library;
        Some(match id {
            OutputId::Page(key) => file_for_path(&lib.page(key)?.placement.path),
            OutputId::Section { key, pager } => {
                file_for_path(&pager_path(lib.section(key)?, *pager))
            }
            OutputId::FirstPagerRedirect(key) => file_for_path(&pager_path_one(lib.section(key)?)),
            OutputId::TaxonomyList { lang, kind } => file_for_path(&lib.taxonomy(lang, kind)?.path),
            OutputId::TaxonomyTerm { lang, kind, slug } => {
                file_for_path(&lib.taxonomy(lang, kind)?.term(slug)?.path)
            }
            OutputId::Feed { lang } => {
                file_for_path(&format!("{}/atom.xml", self.config.lang_prefix(lang)))
            }
            OutputId::NotFound { lang } => {
                file_for_path(&format!("{}/404.html", self.config.lang_prefix(lang)))
            }
            OutputId::Search { lang } => {
                file_for_path(&super::search::search_path(&self.config.lang_prefix(lang)))
            }
            OutputId::AllPages { lang } => file_for_path(&super::search::all_pages_path(
                &self.config.lang_prefix(lang),
            )),
            OutputId::Alias { path, .. } => file_for_path(path),
            OutputId::Sitemap => "sitemap.xml".to_string(),
            OutputId::SitemapPart(n) => sitemap::part_file(*n),
            OutputId::Robots => "robots.txt".to_string(),
        })
    }

    /// Whether a taxonomy's pages are written (`render = false` in config.toml turns them off).
    pub(super) fn taxonomy_rendered(&self, lang: &Lang, name: &str) -> bool {
        self.config
            .taxonomies_for(lang)
            .iter()
            .find(|t| t.name == name)
            .is_none_or(|t| t.render)
    }

    /// Language of an output; `None` for the sitemap and robots.txt, which span languages.
    pub fn lang_of_output(&self, id: &OutputId) -> Option<Lang> {
        match id {
            OutputId::Page(key) | OutputId::FirstPagerRedirect(key) => Some(self.lang_of_key(key)),
            OutputId::Section { key, .. } | OutputId::Alias { key, .. } => {
                Some(self.lang_of_key(key))
            }
            OutputId::TaxonomyList { lang, .. }
            | OutputId::TaxonomyTerm { lang, .. }
            | OutputId::Feed { lang }
            | OutputId::NotFound { lang }
            | OutputId::Search { lang }
            | OutputId::AllPages { lang } => Some(lang.clone()),
            OutputId::Sitemap | OutputId::SitemapPart(_) | OutputId::Robots => None,
        }
    }

    /// Outputs to render again after `keys` (pages or sections) changed. With
    /// `structure_changed`, also what lists or links them: translations, neighbours,
    /// section pagers, taxonomy pages of their language, the feed and the sitemap.
    pub fn outputs_for_keys(&self, keys: &[ContentKey], structure_changed: bool) -> Vec<OutputId> {
        let lib = &*self.library;
        let mut out: BTreeSet<OutputId> = BTreeSet::new();
        let mut langs: BTreeSet<Lang> = BTreeSet::new();
        for key in keys {
            let (lang, listed_in): (Lang, Vec<ContentKey>) = if let Some(p) = lib.page(key) {
                out.insert(OutputId::Page(key.clone()));
                if structure_changed {
                    for n in p.placement.lower.iter().chain(p.placement.higher.iter()) {
                        out.insert(OutputId::Page(n.clone()));
                    }
                }
                (p.lang.clone(), p.placement.ancestors.clone())
            } else if let Some(s) = lib.section(key) {
                let mut v = s.placement.ancestors.clone();
                v.push(key.clone());
                (s.lang.clone(), v)
            } else {
                continue;
            };
            for skey in listed_in {
                if let Some(s) = lib.section(&skey) {
                    for pager in 1..=number_of_pagers(s) {
                        out.insert(OutputId::Section {
                            key: skey.clone(),
                            pager,
                        });
                    }
                }
            }
            if structure_changed {
                for t in lib.translations_of(key) {
                    if lib.page(&t.key).is_some() {
                        out.insert(OutputId::Page(t.key.clone()));
                    } else {
                        out.insert(OutputId::Section {
                            key: t.key.clone(),
                            pager: 1,
                        });
                    }
                }
                langs.insert(lang.clone());
            }
            if let Some(p) = lib.page(key) {
                for tax in lib.taxonomies(&lang) {
                    for term in &tax.terms {
                        if term.pages.iter().any(|k| k == &p.file.key) {
                            out.insert(OutputId::TaxonomyTerm {
                                lang: lang.clone(),
                                kind: tax.name.clone(),
                                slug: term.slug.clone(),
                            });
                        }
                    }
                }
            }
        }
        if !langs.is_empty() {
            out.insert(OutputId::Sitemap);
            out.extend(self.sitemap_parts().map(OutputId::SitemapPart));
        }
        for lang in langs {
            for tax in lib.taxonomies(&lang) {
                out.insert(OutputId::TaxonomyList {
                    lang: lang.clone(),
                    kind: tax.name.clone(),
                });
            }
            if self.feeds_enabled(&lang) {
                out.insert(OutputId::Feed { lang });
            }
        }
        out.into_iter().collect()
    }
}

/// Whether `lang` has a feed.
pub(super) fn feeds_enabled(config: &Config, lang: &Lang) -> bool {
    config
        .language(lang)
        .map_or(config.generate_feeds, |l| l.generate_feeds)
}
