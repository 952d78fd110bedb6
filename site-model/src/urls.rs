//! The parts of the site's URLs the tip endpoint works with: the origin that CORS compares
//! (`base_url`), and the paths it answers under (`extra.report_endpoint`, the path of
//! `base_url` for root-relative asset links). Parsed as browsers parse them, so the origin
//! is the one a browser sends (lowercase host, IDNA, no default port).

use url::Url;

/// `scheme://host[:port]` of an absolute `http(s)` URL; `None` for a path or another scheme.
pub fn origin(url: &str) -> Option<String> {
    let url = Url::parse(url).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.origin().ascii_serialization())
}

/// The path of an absolute URL (`https://x.az/sub/?a#b` → `/sub/`) or of a root-relative
/// one (`/report`), percent-encoded as a browser sends it; `None` for anything else.
pub fn path(url_or_path: &str) -> Option<String> {
    let url = match Url::parse(url_or_path) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) if url_or_path.starts_with('/') => {
            // Any base will do: only the path of the result is kept.
            let base = Url::parse("http://localhost/").ok()?;
            base.join(url_or_path).ok()?
        }
        Err(_) => return None,
    };
    (!url.cannot_be_a_base()).then(|| url.path().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_as_browsers_send_them() {
        assert_eq!(
            origin("https://xeberdar.example/sub/").as_deref(),
            Some("https://xeberdar.example")
        );
        assert_eq!(
            origin("http://127.0.0.1:1111").as_deref(),
            Some("http://127.0.0.1:1111")
        );
        assert_eq!(
            origin("https://Xeberdar.Example:443/").as_deref(),
            Some("https://xeberdar.example")
        );
        let idn = origin("https://xəbərdar.az/").unwrap();
        assert!(idn.starts_with("https://xn--") && idn.is_ascii(), "{idn}");
        assert_eq!(origin("/"), None);
        assert_eq!(origin("mailto:a@b.c"), None);
    }

    #[test]
    fn paths_of_urls_and_root_relative_paths() {
        assert_eq!(path("https://x.az/sub/?a=1#b").as_deref(), Some("/sub/"));
        assert_eq!(path("https://x.az").as_deref(), Some("/"));
        assert_eq!(path("/api/report").as_deref(), Some("/api/report"));
        assert_eq!(path("/r/../report").as_deref(), Some("/report"));
        assert_eq!(path("/rəport").as_deref(), Some("/r%C9%99port"));
        assert_eq!(path("report"), None);
        assert_eq!(path("mailto:a@b.c"), None);
    }
}
