//! `sitemap.xml` with `xhtml:link` language alternates (Google's hreflang-in-sitemap form),
//! and `robots.txt` that points at it.
//!
//! A large site's sitemap is split as Zola splits it: from 30,000 URLs on, the URLs go into
//! `sitemap1.xml`, `sitemap2.xml`, … of at most 30,000 each, and `sitemap.xml` becomes the
//! index that lists them. The protocol's own limits (50,000 URLs and 50 MB per file) are
//! then never reached; a part that would pass 50 MB (many languages, long addresses) is cut
//! earlier.

use std::borrow::Cow;
use std::io::{self, Write};
use std::ops::Range;
use xeberdar_site::escape::html as escape;

use crate::content::Translation;

/// URLs per file, and the count from which the sitemap is split (Zola's number).
pub const URLS_PER_FILE: usize = 30_000;
/// The protocol's size limit for one uncompressed sitemap file (50 MB).
pub const MAX_FILE_BYTES: usize = 50 * 1_000_000;

const URLSET_OPEN: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
    <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
    xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
const URLSET_CLOSE: &str = "</urlset>\n";

/// One URL of the sitemap and the other languages of the same page. It borrows from the
/// library, its alternates too: a large site's sitemap lists every page, and copies of
/// every address with its alternates were the build's largest allocation at its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapEntry<'a> {
    pub permalink: Cow<'a, str>,
    /// Last change (`2024-05-06` or RFC 3339), when the content says so.
    pub lastmod: Option<&'a str>,
    /// Every translation, this page included; empty when the page exists in one language
    /// only.
    pub alternates: &'a [Translation],
    /// The `x-default` URL (the default language's version), when there are alternates.
    pub x_default: Option<&'a str>,
}

impl Ord for SitemapEntry<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let alternates = |e: &Self| {
            e.alternates
                .iter()
                .map(|t| (&t.lang, t.permalink.as_str()))
                .collect::<Vec<_>>()
        };
        (&self.permalink, self.lastmod)
            .cmp(&(&other.permalink, other.lastmod))
            .then_with(|| alternates(self).cmp(&alternates(other)))
            .then_with(|| self.x_default.cmp(&other.x_default))
    }
}

impl PartialOrd for SitemapEntry<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Sorts entries by URL (so the files are the same on every build) and drops repeated URLs.
pub fn prepare(entries: &mut Vec<SitemapEntry>) {
    entries.sort();
    entries.dedup_by(|a, b| a.permalink == b.permalink);
}

fn write_entry(out: &mut dyn Write, e: &SitemapEntry<'_>) -> io::Result<()> {
    out.write_all(b"  <url>\n")?;
    writeln!(out, "    <loc>{}</loc>", escape(&e.permalink))?;
    if let Some(lastmod) = e.lastmod {
        writeln!(out, "    <lastmod>{}</lastmod>", escape(lastmod))?;
    }
    for t in e.alternates {
        writeln!(
            out,
            "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
            escape(&t.lang),
            escape(&t.permalink)
        )?;
    }
    if let Some(x) = e.x_default {
        writeln!(
            out,
            "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>",
            escape(x)
        )?;
    }
    out.write_all(b"  </url>\n")
}

/// The size of an entry as [`render`] writes it, without writing it.
fn entry_bytes(e: &SitemapEntry<'_>) -> usize {
    let esc = |s: &str| {
        s.len()
            + s.bytes()
                .map(|b| match b {
                    b'&' => 4,
                    b'<' | b'>' => 3,
                    b'"' => 5,
                    _ => 0,
                })
                .sum::<usize>()
    };
    let mut n = "  <url>\n    <loc></loc>\n  </url>\n".len() + esc(&e.permalink);
    if let Some(l) = e.lastmod {
        n += "    <lastmod></lastmod>\n".len() + esc(l);
    }
    let link = "    <xhtml:link rel=\"alternate\" hreflang=\"\" href=\"\"/>\n".len();
    for t in e.alternates {
        n += link + esc(&t.lang) + esc(&t.permalink);
    }
    if let Some(x) = e.x_default {
        n += link + "x-default".len() + esc(x);
    }
    n
}

/// How prepared entries are spread over files: `None` when one `sitemap.xml` holds them
/// all, else the entries of `sitemap1.xml`, `sitemap2.xml`, … in order.
pub fn split(entries: &[SitemapEntry<'_>]) -> Option<Vec<Range<usize>>> {
    let room = MAX_FILE_BYTES - URLSET_OPEN.len() - URLSET_CLOSE.len();
    let mut parts = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, e) in entries.iter().enumerate() {
        let n = entry_bytes(e);
        if i > start && (i - start == URLS_PER_FILE || bytes + n > room) {
            parts.push(start..i);
            (start, bytes) = (i, 0);
        }
        bytes += n;
    }
    if start < entries.len() {
        parts.push(start..entries.len());
    }
    if entries.len() < URLS_PER_FILE && parts.len() <= 1 {
        return None;
    }
    Some(parts)
}

/// File name of part `n` (1-based) of a split sitemap.
pub fn part_file(n: usize) -> String {
    format!("sitemap{n}.xml")
}

/// Writes a `<urlset>` of prepared entries: the whole sitemap, or one part of a split one.
/// Written as it goes rather than built in memory: a part holds up to 30,000 URLs.
pub fn render(entries: &[SitemapEntry<'_>], out: &mut dyn Write) -> io::Result<()> {
    out.write_all(URLSET_OPEN.as_bytes())?;
    for e in entries {
        write_entry(out, e)?;
    }
    out.write_all(URLSET_CLOSE.as_bytes())
}

/// `sitemap.xml` of a split sitemap: the index of its `parts` files.
pub fn render_index(base_url: &str, parts: usize) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(parts * 100 + 200);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for n in 1..=parts {
        let _ = writeln!(
            out,
            "  <sitemap>\n    <loc>{}/{}</loc>\n  </sitemap>",
            escape(base_url),
            part_file(n)
        );
    }
    out.push_str("</sitemapindex>\n");
    out
}

/// `robots.txt`: everything may be crawled; the sitemap is announced.
pub fn robots(base_url: &str) -> String {
    format!("User-agent: *\nDisallow:\nAllow: /\nSitemap: {base_url}/sitemap.xml\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_text(entries: &[SitemapEntry<'_>]) -> String {
        let mut out = Vec::new();
        render(entries, &mut out).expect("writing to memory");
        String::from_utf8(out).expect("UTF-8")
    }

    fn entry<'a>(url: impl Into<Cow<'a, str>>) -> SitemapEntry<'a> {
        SitemapEntry {
            permalink: url.into(),
            lastmod: None,
            alternates: &[],
            x_default: None,
        }
    }

    #[test]
    fn sorted_with_alternates() {
        let ru = [Translation {
            lang: "ru".parse().unwrap(),
            key: "a.ru.md".parse().unwrap(),
            permalink: "https://e.org/ru/a/".into(),
        }];
        let mut entries = vec![
            SitemapEntry {
                permalink: "https://e.org/b/".into(),
                lastmod: None,
                alternates: &[],
                x_default: None,
            },
            SitemapEntry {
                permalink: "https://e.org/a/".into(),
                lastmod: Some("2024-05-06"),
                alternates: &ru,
                x_default: Some("https://e.org/a/"),
            },
            entry("https://e.org/b/"),
        ];
        prepare(&mut entries);
        assert_eq!(entries.len(), 2);
        let xml = render_text(&entries);
        assert!(xml.find("/a/</loc>") < xml.find("/b/</loc>"));
        assert!(xml.contains("hreflang=\"ru\" href=\"https://e.org/ru/a/\"/>"));
        assert!(xml.contains("<lastmod>2024-05-06</lastmod>"));
        assert_eq!(
            entries.iter().map(entry_bytes).sum::<usize>(),
            xml.len() - URLSET_OPEN.len() - URLSET_CLOSE.len()
        );
    }

    /// Zola 0.22.1 writes one `sitemap.xml` for 29,999 URLs, and for 30,000 a
    /// `sitemap1.xml` with all of them and a `sitemap.xml` index (checked with its binary).
    #[test]
    fn splits_from_30000_urls_in_parts_of_30000() {
        let many = |n: usize| -> Vec<SitemapEntry> {
            (0..n)
                .map(|i| entry(format!("https://e.org/p{i:06}/")))
                .collect()
        };
        assert_eq!(split(&many(29_999)), None);
        let one_part = split(&many(30_000)).expect("split at 30,000");
        assert_eq!(one_part.len(), 1);
        assert_eq!(one_part[0], 0..30_000);
        assert_eq!(
            split(&many(75_001)),
            Some(vec![0..30_000, 30_000..60_000, 60_000..75_001])
        );
        let index = render_index("https://e.org", 2);
        assert!(index.contains("<loc>https://e.org/sitemap1.xml</loc>"));
        assert!(index.contains("<loc>https://e.org/sitemap2.xml</loc>"));
        assert!(!index.contains("sitemap3"));
        assert!(index.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex "));
    }

    /// Entries with many alternates reach 50 MB before 30,000 URLs: a part stops below it.
    #[test]
    fn no_part_passes_50_mb() {
        let long = "x".repeat(400);
        let langs: Vec<Translation> = (b'a'..b'i')
            .map(char::from)
            .map(|l| Translation {
                lang: format!("l{l}").parse().unwrap(),
                key: format!("x.l{l}.md").parse().unwrap(),
                permalink: format!("https://e.org/l{l}/{long}/"),
            })
            .collect();
        let x_default = format!("https://e.org/{long}/");
        let entries: Vec<SitemapEntry> = (0..20_000)
            .map(|i| SitemapEntry {
                permalink: format!("https://e.org/{long}/{i:06}/").into(),
                lastmod: None,
                alternates: &langs,
                x_default: Some(&x_default),
            })
            .collect();
        let parts = split(&entries).expect("split by size");
        assert!(parts.len() >= 2, "{parts:?}");
        assert_eq!(parts.last().map(|r| r.end), Some(entries.len()));
        for r in parts {
            assert!(render_text(&entries[r]).len() <= MAX_FILE_BYTES);
        }
    }
}
