//! The endpoint's HTML pages (the form with errors, "received", "unavailable"), rendered
//! with the site's theme (`themes/<theme>/templates/report/*.html`, overridable from the
//! site's `templates/`) and its Fluent strings, with an embedded fallback set (built from
//! the same theme files at compile time) so the endpoint always answers with a page, never
//! a bare error.
//!
//! Each rendered page carries the CSP hashes of its inline `<script>`/`<style>` blocks, so
//! a theme may inline its critical CSS without the endpoint allowing `unsafe-inline`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use base64::Engine;
use sha2::{Digest, Sha256};
use tera::{Context, Tera, Value};
use xeberdar_i18n::TranslateFn;

use crate::site::Site;

/// The fallback set: used whole when the site has no theme with `report/form.html` (a bare
/// checkout, a local try-out, the tests), template by template when the theme lacks one,
/// and page by page when a theme page fails to render, so a visitor always gets a page
/// with the hotline.
///
/// The form and the pages are the theme's own files, compiled in, so there is one copy of
/// the form's markup and the endpoint without a site shows the same form as the site.
/// Only the frame (`base.html`) and the form page around the form are the endpoint's own:
/// the theme's need strings and files of the site that the endpoint does not embed (see
/// the comments at the top of both templates). The theme's pages may therefore use only
/// the endpoint's context (`config`, `lang`, `lang_dir`, `current_path`, the page's own
/// values, `t()`, `get_url()`), `report.ftl` strings and `prefix` from the frame; blocks
/// the frame does not have (the language switcher) are simply not shown.
const EMBEDDED: [(&str, &str); 8] = [
    ("base.html", include_str!("../templates/base.html")),
    (
        "partials/report_form.html",
        include_str!("../../themes/xeberdar/templates/partials/report_form.html"),
    ),
    (
        "partials/report_files.html",
        include_str!("../../themes/xeberdar/templates/partials/report_files.html"),
    ),
    (
        "partials/report_captcha.html",
        include_str!("../../themes/xeberdar/templates/partials/report_captcha.html"),
    ),
    (
        "report/form.html",
        include_str!("../templates/report/form.html"),
    ),
    (
        "report/followup.html",
        include_str!("../../themes/xeberdar/templates/report/followup.html"),
    ),
    (
        "report/received.html",
        include_str!("../../themes/xeberdar/templates/report/received.html"),
    ),
    (
        "report/unavailable.html",
        include_str!("../../themes/xeberdar/templates/report/unavailable.html"),
    ),
];

/// A rendered page and the CSP sources its inline blocks need.
#[derive(Debug)]
pub struct Page {
    pub html: String,
    pub script_hashes: Vec<String>,
    pub style_hashes: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
}

/// Both template sets; the theme's is tried first.
pub struct Pages {
    theme: Option<Tera>,
    embedded: Tera,
}

impl std::fmt::Debug for Pages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("theme", &self.theme.is_some())
            .finish()
    }
}

impl Pages {
    pub fn new(site: &Site) -> Result<Pages, PageError> {
        let mut embedded = Tera::default();
        embedded
            .add_raw_templates(EMBEDDED.to_vec())
            .map_err(|e| PageError::Template {
                name: "embedded".into(),
                message: error_chain(&e),
            })?;
        register_functions(&mut embedded, site);
        let theme = match load_theme(site) {
            Ok(Some(mut tera)) => {
                register_functions(&mut tera, site);
                Some(tera)
            }
            Ok(None) => None,
            Err(message) => {
                tracing::warn!(%message, "the theme's templates could not be loaded; using the endpoint's own");
                None
            }
        };
        Ok(Pages { theme, embedded })
    }

    pub fn uses_theme(&self) -> bool {
        self.theme.is_some()
    }

    /// Renders `name` with the theme when it has the template and renders it without
    /// error, else with the embedded set.
    pub fn render(&self, name: &str, context: &Context) -> Result<Page, PageError> {
        if let Some(theme) = &self.theme {
            if theme.get_template_names().any(|n| n == name) {
                match theme.render(name, context) {
                    Ok(html) => return Ok(Page::new(html)),
                    Err(e) => {
                        // Names only: Tera's messages name templates and variables, and no
                        // value of the context (which holds what the visitor typed).
                        tracing::warn!(template = name, error = %error_chain(&e), "theme template failed; using the endpoint's own");
                    }
                }
            }
        }
        self.embedded
            .render(name, context)
            .map(Page::new)
            .map_err(|e| PageError::Template {
                name: name.to_string(),
                message: error_chain(&e),
            })
    }
}

impl Page {
    fn new(html: String) -> Page {
        let script_hashes = inline_block_hashes(&html, "script");
        let style_hashes = inline_block_hashes(&html, "style");
        Page {
            html,
            script_hashes,
            style_hashes,
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// The theme's templates, then the site's `templates/` over them (Zola's order). `None`
/// when the theme has no `report/form.html`: then the fallback set is used whole,
/// because its pages would not match a base template it does not know.
fn load_theme(site: &Site) -> Result<Option<Tera>, String> {
    let mut files: HashMap<String, PathBuf> = HashMap::new();
    for dir in site.dirs.template_dirs() {
        collect_templates(&dir, &mut files);
    }
    if !files.contains_key("report/form.html") {
        return Ok(None);
    }
    let mut tera = Tera::default();
    let mut list: Vec<(PathBuf, Option<String>)> = files
        .into_iter()
        .map(|(name, path)| (path, Some(name)))
        .collect();
    list.sort();
    tera.add_template_files(list).map_err(|e| error_chain(&e))?;
    // A theme that has the report pages but, say, no form partial still works.
    for (name, text) in EMBEDDED {
        if !tera.get_template_names().any(|n| n == name) {
            tera.add_raw_template(name, text)
                .map_err(|e| error_chain(&e))?;
        }
    }
    Ok(Some(tera))
}

fn collect_templates(dir: &Path, out: &mut HashMap<String, PathBuf>) {
    fn walk(root: &Path, dir: &Path, out: &mut HashMap<String, PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if path
                .extension()
                .is_some_and(|e| e == "html" || e == "xml" || e == "txt")
            {
                if let Ok(rel) = path.strip_prefix(root) {
                    let name = rel.to_string_lossy().replace('\\', "/");
                    out.insert(name, path);
                }
            }
        }
    }
    walk(dir, dir, out);
}

fn register_functions(tera: &mut Tera, site: &Site) {
    tera.register_function("t", TranslateFn::new(site.locales.clone(), false));
    tera.register_function("get_url", GetUrl::new(site));
}

/// `get_url(path=, cachebust=)`: a root-relative URL of a site file, with `?h=<hash>` of
/// its content when `cachebust=true`, so the endpoint's pages load the site's CSS and JS
/// from the same origin, under the same names as the generator's pages (the site model's
/// folders and hash).
struct GetUrl {
    base_path: String,
    static_dirs: Vec<PathBuf>,
}

impl GetUrl {
    fn new(site: &Site) -> Self {
        // The path part of base_url ("https://x.az/sub/" → "/sub/").
        let path = xeberdar_site::urls::path(&site.base_url).unwrap_or_default();
        Self {
            base_path: format!("{}/", path.trim_end_matches('/')),
            static_dirs: site.dirs.static_dirs(),
        }
    }
}

impl tera::Function for GetUrl {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let path = args
            .get("path")
            .and_then(Value::as_str)
            .ok_or_else(|| tera::Error::msg("get_url() needs a `path` argument"))?;
        if path.starts_with("http://") || path.starts_with("https://") {
            return Ok(Value::String(path.to_string()));
        }
        let rel = path.trim_start_matches('/').trim_start_matches("@/");
        let mut url = format!("{}{}", self.base_path, rel);
        if args.get("cachebust").and_then(Value::as_bool) == Some(true) {
            let file = xeberdar_site::assets::find_file(&self.static_dirs, rel)
                .map_err(|e| tera::Error::msg(format!("get_url(): {e}")))?;
            if let Some(bytes) = file.and_then(|f| std::fs::read(f).ok()) {
                url.push_str("?h=");
                url.push_str(&xeberdar_site::assets::content_hash(&bytes));
            }
        }
        Ok(Value::String(url))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `'sha256-…'` sources of every inline `<tag>` block (one without `src=`).
fn inline_block_hashes(html: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        // `<scripts>` or `<styled>` are other tags.
        if !after.starts_with(['>', ' ', '\n', '\t']) {
            rest = after;
            continue;
        }
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let attrs = &after[..tag_end];
        let body_start = &after[tag_end + 1..];
        let Some(body_end) = body_start.find(&close) else {
            break;
        };
        if !attrs.contains("src=") {
            let digest = Sha256::digest(&body_start.as_bytes()[..body_end]);
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &body_start[body_end..];
    }
    hashes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_inline_blocks_only() {
        let html =
            "<script src=\"/a.js\"></script><script>alert(1)</script><style>p{}</style><scripts>";
        let s = inline_block_hashes(html, "script");
        assert_eq!(s.len(), 1);
        assert!(s[0].starts_with("'sha256-"));
        assert_eq!(inline_block_hashes(html, "style").len(), 1);
    }
}
