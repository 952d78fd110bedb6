//! What the sitemap lists, as Zola lists it, taken from the library; the XML itself, and
//! where a large sitemap is split, is [`crate::site::sitemap`]'s.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::config::ContentKey;
use crate::content::Translation;
use crate::site::outputs::{pager_path, pager_path_one};
use crate::site::serialize;
use crate::site::sitemap::{self, SitemapEntry};
use crate::site::Site;

impl Site {
    /// The numbers of the sitemap's parts: none when one file holds it.
    pub(in crate::site) fn sitemap_parts(&self) -> std::ops::RangeInclusive<usize> {
        let parts = sitemap::split(&self.sitemap_entries()).map_or(0, |p| p.len());
        1..=parts
    }

    pub(super) fn render_sitemap(&self, out: &mut dyn Write) -> io::Result<()> {
        let entries = self.sitemap_entries();
        match sitemap::split(&entries) {
            None => sitemap::render(&entries, out),
            Some(parts) => {
                out.write_all(sitemap::render_index(&self.config.base_url, parts.len()).as_bytes())
            }
        }
    }

    /// Writes part `n`; `None` when the sitemap has no such part.
    pub(super) fn render_sitemap_part(
        &self,
        n: usize,
        out: &mut dyn Write,
    ) -> Option<io::Result<()>> {
        let entries = self.sitemap_entries();
        let parts = sitemap::split(&entries)?;
        let range = parts.get(n.checked_sub(1)?)?.clone();
        Some(sitemap::render(&entries[range], out))
    }

    /// What the sitemap lists, as Zola lists it: every rendered page and section, every
    /// pager of a paginated section (`page/1/` too, unless
    /// `exclude_paginated_pages_in_sitemap = "all"`), and every rendered taxonomy and term.
    fn sitemap_entries(&self) -> Vec<SitemapEntry<'_>> {
        let lib = &*self.library;
        let mut entries = Vec::new();
        let exclude_pagers = self.config.exclude_paginated_pages_in_sitemap
            == crate::config::ExcludePaginatedPages::All;
        let alternates = |key: &ContentKey| -> (&[Translation], Option<&str>) {
            let list = lib.translations_of(key);
            if list.len() < 2 {
                return (&[], None);
            }
            (list, serialize::x_default(lib, &self.config, key))
        };
        for (key, page) in lib.pages() {
            if !page.meta.render {
                continue;
            }
            let (alts, x) = alternates(key);
            entries.push(SitemapEntry {
                permalink: Cow::Borrowed(&page.placement.permalink),
                lastmod: page
                    .meta
                    .updated
                    .as_ref()
                    .or(page.meta.date.as_ref())
                    .map(|d| d.text.as_str()),
                alternates: alts,
                x_default: x,
            });
        }
        for (key, section) in lib.sections() {
            if !section.meta.render {
                continue;
            }
            let (alts, x) = alternates(key);
            entries.push(SitemapEntry {
                permalink: Cow::Borrowed(&section.placement.permalink),
                lastmod: None,
                alternates: alts,
                x_default: x,
            });
            let listed_pagers = match section.meta.paginate_by {
                Some(per) if per > 0 && !exclude_pagers => {
                    section.placement.pages.len().div_ceil(per)
                }
                _ => 0,
            };
            for pager in 1..=listed_pagers {
                let path = if pager == 1 {
                    pager_path_one(section)
                } else {
                    pager_path(section, pager)
                };
                entries.push(SitemapEntry {
                    permalink: Cow::Owned(self.config.permalink(&path)),
                    lastmod: None,
                    alternates: &[],
                    x_default: None,
                });
            }
        }
        for lang in self.config.languages() {
            for tax in lib.taxonomies(lang) {
                if !self.taxonomy_rendered(lang, &tax.name) {
                    continue;
                }
                entries.push(SitemapEntry {
                    permalink: Cow::Borrowed(&tax.permalink),
                    lastmod: None,
                    alternates: &[],
                    x_default: None,
                });
                for term in &tax.terms {
                    entries.push(SitemapEntry {
                        permalink: Cow::Borrowed(&term.permalink),
                        lastmod: None,
                        alternates: &[],
                        x_default: None,
                    });
                }
            }
        }
        sitemap::prepare(&mut entries);
        entries
    }
}
