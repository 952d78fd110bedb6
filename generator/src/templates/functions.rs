//! The Zola-named Tera functions that look things up in the site: `get_url`, `get_page`,
//! `get_section`, `get_taxonomy_url`, `get_taxonomy`. They read the site through
//! [`SiteData`], which the build pipeline swaps after each change, so `serve` can update
//! one page without re-registering anything.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use parking_lot::{Mutex, RwLock};

use tera::{Function, Value};
use xeberdar_site::Lang;

/// What the lookup functions need from the built site. Paths are content files relative to
/// `content/` with forward slashes, exactly as written on disk (`news/a.md`, `news/a.ru.md`,
/// `about/index.en.md`, `news/_index.md`).
pub trait SiteData: Send + Sync {
    /// The default language (its files carry no language suffix).
    fn default_lang(&self) -> &Lang;
    /// The site's language named `code`, if it has one.
    fn lang(&self, code: &str) -> Option<&Lang>;
    /// The site's base URL without a trailing slash.
    fn base_url(&self) -> &str;
    /// URL prefix of a language: "" for the default language at the root, else "/ru".
    fn lang_prefix(&self, lang: &Lang) -> String;
    /// Permalink of a page or section file.
    fn permalink(&self, content_path: &str) -> Option<String>;
    /// A page as templates see it (`title`, `content`, `permalink`, …).
    fn page(&self, content_path: &str) -> Option<Value>;
    /// A section as templates see it; `metadata_only` leaves out `pages`.
    fn section(&self, content_path: &str, metadata_only: bool) -> Option<Value>;
    /// URL of a taxonomy term page.
    fn taxonomy_term_url(&self, kind: &str, lang: &Lang, name: &str) -> Option<String>;
    /// A taxonomy with its terms.
    fn taxonomy(&self, kind: &str, lang: &Lang) -> Option<Value>;
    /// Folders where static files live, most specific first (site `static/`, theme `static/`),
    /// and the `content/` folder for colocated assets.
    fn file_roots(&self) -> Vec<PathBuf>;
}

/// A handle the pipeline replaces after each rebuild; the functions read it per call.
pub type SharedSiteData = Arc<RwLock<Option<Arc<dyn SiteData>>>>;

thread_local! {
    /// Set while this thread renders Markdown with the site loaded (a one-shot build that
    /// renders a page's body again for its output): shortcodes then see the site as they
    /// did in the Markdown pass, before it was loaded.
    static HIDDEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with the site hidden from the lookup functions on this thread.
pub fn without_site_data<R>(f: impl FnOnce() -> R) -> R {
    let previous = HIDDEN.with(|h| h.replace(true));
    let result = f();
    HIDDEN.with(|h| h.set(previous));
    result
}

fn current(data: &SharedSiteData) -> tera::Result<Arc<dyn SiteData>> {
    if HIDDEN.with(std::cell::Cell::get) {
        return Err(tera::Error::msg("the site is not loaded yet"));
    }
    let guard = data.read();
    guard
        .clone()
        .ok_or_else(|| tera::Error::msg("the site is not loaded yet"))
}

fn str_arg<'a>(args: &'a HashMap<String, Value>, fname: &str, name: &str) -> tera::Result<&'a str> {
    match args.get(name) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(tera::Error::msg(format!(
            "{fname}(): `{name}` must be a string, got {other}"
        ))),
        None => Err(tera::Error::msg(format!(
            "{fname}() needs a `{name}` argument"
        ))),
    }
}

fn opt_str_arg<'a>(
    args: &'a HashMap<String, Value>,
    fname: &str,
    name: &str,
) -> tera::Result<Option<&'a str>> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(tera::Error::msg(format!(
            "{fname}(): `{name}` must be a string, got {other}"
        ))),
    }
}

fn bool_arg(args: &HashMap<String, Value>, fname: &str, name: &str) -> tera::Result<bool> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(tera::Error::msg(format!(
            "{fname}(): `{name}` must be true or false, got {other}"
        ))),
    }
}

/// `news/a.md` + `ru` → `news/a.ru.md`; a path that already names a language, or the default
/// language, is returned as it is.
pub fn localized_path(path: &str, lang: Option<&str>, data: &dyn SiteData) -> String {
    use xeberdar_site::content_name;
    let Some(lang) = lang else {
        return path.to_string();
    };
    if !path.ends_with(".md")
        || content_name::suffix(path).is_some_and(|(_, suffix)| data.lang(suffix).is_some())
    {
        return path.to_string();
    }
    content_name::localized(path, lang, data.default_lang())
}

pub use xeberdar_site::assets::content_hash;

/// `get_url(path=, lang=, cachebust=, trailing_slash=)`.
pub struct GetUrl {
    pub data: SharedSiteData,
    hashes: Mutex<HashMap<PathBuf, String>>,
}

impl GetUrl {
    pub fn new(data: SharedSiteData) -> Self {
        Self {
            data,
            hashes: Mutex::default(),
        }
    }

    fn hash_of(&self, roots: &[PathBuf], rel: &str) -> tera::Result<String> {
        let found = xeberdar_site::assets::find_file(roots, rel).map_err(|_| {
            tera::Error::msg(format!(
                "get_url(): cannot fingerprint `{rel}`: the path must stay inside the site"
            ))
        })?;
        if let Some(full) = found {
            let mut cache = self.hashes.lock();
            if let Some(h) = cache.get(&full) {
                return Ok(h.clone());
            }
            let bytes = std::fs::read(&full).map_err(|e| {
                tera::Error::msg(format!("get_url(): cannot read {}: {e}", full.display()))
            })?;
            let h = content_hash(&bytes);
            cache.insert(full, h.clone());
            return Ok(h);
        }
        Err(tera::Error::msg(format!(
            "get_url(path=\"{rel}\", cachebust=true): no such file in {}",
            roots
                .iter()
                .map(|r| r.display().to_string())
                .collect::<Vec<_>>()
                .join(" or ")
        )))
    }

    /// Forgets file hashes, for `serve` after a static file changed.
    pub fn forget_hashes(&self) {
        self.hashes.lock().clear()
    }
}

impl Function for GetUrl {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let data = current(&self.data)?;
        let path = str_arg(args, "get_url", "path")?;
        let lang = opt_str_arg(args, "get_url", "lang")?
            .map(|code| {
                data.lang(code).ok_or_else(|| {
                    tera::Error::msg(format!(
                        "get_url(): `{code}` is not a language of this site"
                    ))
                })
            })
            .transpose()?;
        let cachebust = bool_arg(args, "get_url", "cachebust")?;
        let trailing_slash = bool_arg(args, "get_url", "trailing_slash")?;
        if let Some(internal) = path.strip_prefix("@/") {
            let (file, anchor) = match internal.split_once('#') {
                Some((f, a)) => (f, Some(a)),
                None => (internal, None),
            };
            let file = localized_path(file, lang.map(Lang::as_str), data.as_ref());
            let url = data.permalink(&file).ok_or_else(|| {
                tera::Error::msg(format!(
                    "get_url(): `@/{file}` is not a page or section of this site"
                ))
            })?;
            return Ok(Value::String(match anchor {
                Some(a) => format!("{url}#{a}"),
                None => url,
            }));
        }
        if path.starts_with("http://") || path.starts_with("https://") || path.starts_with("//") {
            return Ok(Value::String(path.to_string()));
        }
        let rel = path.trim_start_matches('/');
        let prefix = match lang {
            Some(l) => data.lang_prefix(l),
            None => String::new(),
        };
        let mut url = format!("{}{}/{}", data.base_url(), prefix, rel);
        if trailing_slash && !url.ends_with('/') {
            url.push('/');
        }
        if cachebust {
            let file = rel.split(['?', '#']).next().unwrap_or(rel);
            let h = self.hash_of(&data.file_roots(), file)?;
            url.push_str("?h=");
            url.push_str(&h);
        }
        Ok(Value::String(url))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `get_page(path=, lang=)`.
pub struct GetPage(pub SharedSiteData);

impl Function for GetPage {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let data = current(&self.0)?;
        let path = str_arg(args, "get_page", "path")?;
        let lang = opt_str_arg(args, "get_page", "lang")?;
        let path = localized_path(path.trim_start_matches("@/"), lang, data.as_ref());
        data.page(&path).ok_or_else(|| {
            tera::Error::msg(format!(
                "get_page(): no page `{path}` (paths are relative to content/, like \"news/story.md\")"
            ))
        })
    }
}

/// `get_section(path=, lang=, metadata_only=)`.
pub struct GetSection(pub SharedSiteData);

impl Function for GetSection {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let data = current(&self.0)?;
        let path = str_arg(args, "get_section", "path")?;
        let lang = opt_str_arg(args, "get_section", "lang")?;
        let metadata_only = bool_arg(args, "get_section", "metadata_only")?;
        let path = localized_path(path.trim_start_matches("@/"), lang, data.as_ref());
        data.section(&path, metadata_only).ok_or_else(|| {
            tera::Error::msg(format!(
                "get_section(): no section `{path}` (paths are relative to content/, like \"news/_index.md\")"
            ))
        })
    }
}

/// `get_taxonomy_url(kind=, name=, lang=)`.
pub struct GetTaxonomyUrl(pub SharedSiteData);

impl Function for GetTaxonomyUrl {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let data = current(&self.0)?;
        let kind = str_arg(args, "get_taxonomy_url", "kind")?;
        let name = str_arg(args, "get_taxonomy_url", "name")?;
        let lang = opt_str_arg(args, "get_taxonomy_url", "lang")?
            .unwrap_or_else(|| data.default_lang())
            .to_string();
        data.lang(&lang)
            .and_then(|l| data.taxonomy_term_url(kind, l, name))
            .map(Value::String)
            .ok_or_else(|| {
                tera::Error::msg(format!(
                    "get_taxonomy_url(): no term `{name}` in taxonomy `{kind}` for language `{lang}`"
                ))
            })
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `get_taxonomy(kind=, lang=)`.
pub struct GetTaxonomy(pub SharedSiteData);

impl Function for GetTaxonomy {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let data = current(&self.0)?;
        let kind = str_arg(args, "get_taxonomy", "kind")?;
        let lang = opt_str_arg(args, "get_taxonomy", "lang")?
            .unwrap_or_else(|| data.default_lang())
            .to_string();
        data.lang(&lang)
            .and_then(|l| data.taxonomy(kind, l))
            .ok_or_else(|| {
                tera::Error::msg(format!(
                "get_taxonomy(): no taxonomy `{kind}` for language `{lang}` (is it in config.toml?)"
            ))
            })
    }
}
