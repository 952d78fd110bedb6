//! Internal links (`@/signs/page.md#anchor`) and their two-phase checking.
//!
//! Phase 1, while rendering one page: the target *page* must exist; the link becomes its URL.
//! A link without a language suffix (`@/signs/page.md`) goes to the translation in the
//! linking page's language when there is one, otherwise to the default-language page with a
//! warning. `@/signs/page.ru.md` always means the Russian page.
//!
//! Phase 2, once every page is rendered: [`check_anchors`] verifies `#anchor`s against the
//! target's heading ids. Both phases work on one page at a time, so a rebuild after an edit
//! re-checks just that page and the pages that link to it.

use serde::Serialize;

use crate::config::{ContentKey, Lang};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::message::{Message, MessageId};

/// What link resolution needs to know about the content tree. The `Library` implements it;
/// tests may implement it over a small map.
pub trait LinkTargets: Sync {
    fn default_language(&self) -> &Lang;
    /// The site's language named `code` (a link's `.ru.md` suffix), if it has one.
    fn lang(&self, code: &str) -> Option<&Lang>;
    /// Content key and permalink of the file that is `canonical` (`signs/page.md`, the path
    /// without a language suffix) in language `lang`.
    fn find(&self, canonical: &str, lang: &Lang) -> Option<(&ContentKey, &str)>;
}

/// A link whose target page exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolvedLink {
    /// Content key of the target (`signs/page.ru.md`).
    pub key: ContentKey,
    pub permalink: String,
    pub anchor: Option<String>,
    /// `permalink#anchor`, ready for `href`.
    pub url: String,
    /// Set when the link fell back to the default language.
    pub warning: Option<Message>,
}

/// Resolves the part after `@/` for a page in `from_lang`. `Err` is a plain-words message.
pub fn resolve_internal_link(
    targets: &dyn LinkTargets,
    link: &str,
    from_lang: &Lang,
) -> Result<ResolvedLink, Message> {
    let link = link
        .strip_prefix("@/")
        .unwrap_or(link)
        .trim_start_matches('/');
    let (path, anchor) = match link.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string()).filter(|a| !a.is_empty())),
        None => (link, None),
    };
    if !path.ends_with(".md") {
        return Err(Message::of(MessageId::LinkNotMarkdown).text("link", format!("@/{link}")));
    }
    let explicit = match xeberdar_site::content_name::split_language(path, |code| {
        targets.lang(code).is_some()
    }) {
        (key, Some(code)) => targets.lang(code).map(|lang| (key.into_owned(), lang)),
        (_, None) => None,
    };
    let done = |(key, permalink): (&ContentKey, &str), warning: Option<Message>| {
        let url = match &anchor {
            Some(a) => format!("{permalink}#{a}"),
            None => permalink.to_string(),
        };
        ResolvedLink {
            key: key.clone(),
            permalink: permalink.to_string(),
            anchor: anchor.clone(),
            url,
            warning,
        }
    };
    if let Some((canonical, lang)) = explicit {
        return targets
            .find(&canonical, lang)
            .map(|t| done(t, None))
            .ok_or_else(|| no_such_page(path));
    }
    if let Some(t) = targets.find(path, from_lang) {
        return Ok(done(t, None));
    }
    let default = targets.default_language();
    if let Some(t) = targets.find(path, default) {
        let warning = Message::of(MessageId::LinkUntranslated)
            .text("link", format!("@/{path}"))
            .text("lang", from_lang)
            .text("default", default);
        return Ok(done(t, Some(warning)));
    }
    Err(no_such_page(path))
}

fn no_such_page(path: &str) -> Message {
    Message::of(MessageId::LinkToNoSuchPage)
        .text("link", format!("@/{path}"))
        .text("target", format!("content/{path}"))
}

/// An `@/` link found while rendering, kept for the anchor check and for knowing which pages
/// to re-render when a target moves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InternalLink {
    /// The link as written (`@/signs/page.md#x`).
    pub raw: String,
    /// Content key of the target.
    pub target: ContentKey,
    pub anchor: Option<String>,
    pub line: usize,
    pub col: usize,
}

/// An `http(s)://` link, for the editor's link listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExternalLink {
    pub url: String,
    pub line: usize,
    pub col: usize,
}

/// Phase 2: reports each link whose `#anchor` is not an id in its target.
/// `anchors_of(key)` returns the target's ids, or `None` when the target is gone.
pub fn check_anchors<'a>(
    site_path: &str,
    links: &[InternalLink],
    anchors_of: impl Fn(&str) -> Option<&'a [String]>,
) -> Diagnostics {
    let mut out = Diagnostics::new();
    for link in links {
        let Some(anchor) = &link.anchor else { continue };
        match anchors_of(&link.target) {
            Some(ids) if ids.iter().any(|id| id == anchor) => {}
            Some(ids) => {
                let msg = match closest(anchor, ids) {
                    Some(close) => {
                        Message::of(MessageId::LinkNoAnchorSuggest).text("suggestion", close)
                    }
                    None => Message::of(MessageId::LinkNoAnchor),
                };
                let msg = msg
                    .text("link", link.raw.as_str())
                    .text("target", format!("content/{}", link.target))
                    .text("anchor", anchor.as_str());
                out.push(Diagnostic::error(site_path, link.line, link.col, msg));
            }
            None => out.push(Diagnostic::error(
                site_path,
                link.line,
                link.col,
                Message::of(MessageId::LinkNoSuchPage)
                    .text("link", link.raw.as_str())
                    .text("target", format!("content/{}", link.target)),
            )),
        }
    }
    out
}

/// An id that starts like the wanted one, to suggest a fix for a typo.
fn closest<'a>(wanted: &str, ids: &'a [String]) -> Option<&'a str> {
    let prefix: String = wanted.chars().take(4).collect();
    ids.iter()
        .find(|id| !prefix.is_empty() && id.starts_with(&prefix))
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    struct T(Vec<Lang>, BTreeMap<(String, Lang), (ContentKey, String)>);
    impl LinkTargets for T {
        fn default_language(&self) -> &Lang {
            &self.0[0]
        }
        fn lang(&self, code: &str) -> Option<&Lang> {
            self.0.iter().find(|l| *l == code)
        }
        fn find(&self, c: &str, l: &Lang) -> Option<(&ContentKey, &str)> {
            self.1
                .get(&(c.to_string(), l.clone()))
                .map(|(k, p)| (k, p.as_str()))
        }
    }

    fn lang(code: &str) -> Lang {
        Lang::new(code).unwrap()
    }

    fn targets() -> T {
        let mut m = BTreeMap::new();
        let mut add = |c: &str, l: &str, k: &str, p: &str| {
            m.insert((c.into(), lang(l)), (k.parse().unwrap(), p.into()));
        };
        add("s/a.md", "az", "s/a.md", "/s/a/");
        add("s/a.md", "ru", "s/a.ru.md", "/ru/s/a/");
        add("s/b.md", "az", "s/b.md", "/s/b/");
        T(vec![lang("az"), lang("ru"), lang("en")], m)
    }

    #[test]
    fn language_resolution() {
        let t = targets();
        let r = resolve_internal_link(&t, "@/s/a.md#x", &lang("ru")).unwrap();
        assert_eq!(
            (r.key.as_str(), r.url.as_str()),
            ("s/a.ru.md", "/ru/s/a/#x")
        );
        assert!(r.warning.is_none());
        let r = resolve_internal_link(&t, "@/s/b.md", &lang("ru")).unwrap();
        assert_eq!(r.url, "/s/b/");
        assert!(r
            .warning
            .unwrap()
            .to_string()
            .contains("no `ru` translation"));
        let r = resolve_internal_link(&t, "@/s/a.az.md", &lang("ru")).unwrap();
        assert_eq!(r.key, "s/a.md");
        let r = resolve_internal_link(&t, "@/s/a.ru.md", &lang("az")).unwrap();
        assert_eq!(r.key, "s/a.ru.md");
        assert!(resolve_internal_link(&t, "@/s/b.ru.md", &lang("az")).is_err());
        assert!(resolve_internal_link(&t, "@/s/c.md", &lang("az"))
            .unwrap_err()
            .to_string()
            .contains("no such page"));
        assert!(resolve_internal_link(&t, "@/s/c", &lang("az"))
            .unwrap_err()
            .to_string()
            .contains("Markdown"));
    }
}
