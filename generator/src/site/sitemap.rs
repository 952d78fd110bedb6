//! `sitemap.xml` with `xhtml:link` language alternates (Google's hreflang-in-sitemap form),
//! and `robots.txt` that points at it.

use std::fmt::Write as _;

/// One URL of the sitemap and the other languages of the same page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SitemapEntry {
    pub permalink: String,
    /// Last change (`2024-05-06` or RFC 3339), when the content says so.
    pub lastmod: Option<String>,
    /// `(lang, permalink)` of every translation, this page included; empty when the page
    /// exists in one language only.
    pub alternates: Vec<(String, String)>,
    /// The `x-default` URL (the default language's version), when there are alternates.
    pub x_default: Option<String>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Renders the sitemap; entries are sorted by URL so the file is the same on every build.
pub fn render(mut entries: Vec<SitemapEntry>) -> String {
    entries.sort();
    entries.dedup_by(|a, b| a.permalink == b.permalink);
    let mut out = String::with_capacity(entries.len() * 300 + 200);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for e in &entries {
        out.push_str("  <url>\n");
        let _ = writeln!(out, "    <loc>{}</loc>", escape(&e.permalink));
        if let Some(lastmod) = &e.lastmod {
            let _ = writeln!(out, "    <lastmod>{}</lastmod>", escape(lastmod));
        }
        for (lang, url) in &e.alternates {
            let _ = writeln!(
                out,
                "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                escape(lang),
                escape(url)
            );
        }
        if let Some(x) = &e.x_default {
            let _ = writeln!(
                out,
                "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>",
                escape(x)
            );
        }
        out.push_str("  </url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `robots.txt`: everything may be crawled; the sitemap is announced.
pub fn robots(base_url: &str) -> String {
    format!("User-agent: *\nDisallow:\nAllow: /\nSitemap: {base_url}/sitemap.xml\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_with_alternates() {
        let xml = render(vec![
            SitemapEntry {
                permalink: "https://e.org/b/".into(),
                lastmod: None,
                alternates: vec![],
                x_default: None,
            },
            SitemapEntry {
                permalink: "https://e.org/a/".into(),
                lastmod: Some("2024-05-06".into()),
                alternates: vec![("ru".into(), "https://e.org/ru/a/".into())],
                x_default: Some("https://e.org/a/".into()),
            },
        ]);
        assert!(xml.find("/a/</loc>") < xml.find("/b/</loc>"));
        assert!(xml.contains("hreflang=\"ru\" href=\"https://e.org/ru/a/\"/>"));
        assert!(xml.contains("<lastmod>2024-05-06</lastmod>"));
    }
}
