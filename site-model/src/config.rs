//! The site's `config.toml`, with Zola's names so a Zola site's config loads unchanged. The
//! generator builds from it and the tip endpoint renders its pages from it, and the
//! translation tools and content checks read its languages: all through this module, so a
//! config means the same to each.
//!
//! ```toml
//! base_url = "https://xeberdar.example"
//! title = "Xəbərdar"
//! default_language = "az"
//! default_language_at_root = true   # az at `/`, others at `/<lang>/`
//! theme = "xeberdar"
//! taxonomies = [{ name = "tags", feed = false }]
//!
//! [languages.ru]
//! title = "Осведомлён"
//! direction = "ltr"                 # or "rtl"
//! native_name = "Русский"
//!
//! [markdown]
//! smart_punctuation = true          # tables, footnotes, strikethrough, tasklists too; all on by default
//!
//! build_search_index = true         # (top level) a search index and page per language
//! [search]                          # what the index holds; all on by default
//! include_title = true
//! include_description = true
//! include_headings = true
//! include_content = true
//! truncate_content_length = 3000    # characters of each page kept for result excerpts
//!
//! [extra]
//! hotline_local = "152"
//! ```
//!
//! Errors carry the line and column from the TOML spans. Keys this generator does not use
//! but Zola knows (`compile_sass`, `generate_feeds`, …) are accepted and ignored, so a Zola
//! config keeps working; any other key (likely a typo) is listed in [`Config::unknown_keys`]
//! with its position.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::text::LineIndex;

/// File name of the site config, relative to the site root; also the path in diagnostics.
pub const CONFIG_FILE: &str = "config.toml";

/// Why `config.toml` cannot be used: what is wrong, and where ([`ConfigError::position`];
/// 1-based, columns in characters).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {detail}")]
    Unreadable { path: String, detail: String },
    /// Not TOML, or a value of the wrong kind; `message` is the TOML parser's.
    #[error("{message}")]
    Syntax {
        line: usize,
        col: usize,
        message: String,
    },
    #[error("`base_url` is empty")]
    BaseUrlEmpty { line: usize, col: usize },
    #[error("`base_url` is missing")]
    BaseUrlMissing,
    #[error("`{code}` is not a language code")]
    NotLanguageCode {
        code: String,
        line: usize,
        col: usize,
    },
    #[error("`default_language = \"{code}\"` is not a language code")]
    DefaultNotLanguageCode { code: String },
}

impl ConfigError {
    /// Line and column in `config.toml` (1:1 when the problem is not at one place).
    pub fn position(&self) -> (usize, usize) {
        match self {
            ConfigError::Syntax { line, col, .. }
            | ConfigError::BaseUrlEmpty { line, col }
            | ConfigError::NotLanguageCode { line, col, .. } => (*line, *col),
            _ => (1, 1),
        }
    }
}

/// The text of `<site_root>/config.toml`.
pub fn read(site_root: &Path) -> Result<String, ConfigError> {
    let path = site_root.join(CONFIG_FILE);
    std::fs::read_to_string(&path).map_err(|e| ConfigError::Unreadable {
        path: path.display().to_string(),
        detail: e.to_string(),
    })
}

/// `config.toml` as a TOML table, for the settings of one tool that the typed [`Config`]
/// leaves to it (`[content_checks]`, facts in `[extra]`).
pub fn table(text: &str) -> Result<toml::Table, ConfigError> {
    text.parse::<toml::Table>()
        .map_err(|e| syntax_error(text, &LineIndex::new(text), &e))
}

fn syntax_error(text: &str, lines: &LineIndex, e: &toml::de::Error) -> ConfigError {
    let (line, col) = e.span().map_or((1, 1), |s| lines.position(text, s.start));
    ConfigError::Syntax {
        line,
        col,
        message: e.message().trim().to_string(),
    }
}

/// The site's default language and its others in alphabetical order (as
/// [`Config::languages`] gives them), read without the rest of the config: the editor's
/// tools work on a site whose config does not build yet.
pub fn language_codes(text: &str) -> Result<(Lang, Vec<Lang>), ConfigError> {
    #[derive(Deserialize)]
    struct LanguageScan {
        #[serde(default = "default_lang")]
        default_language: String,
        #[serde(default)]
        languages: BTreeMap<String, toml::Spanned<serde::de::IgnoredAny>>,
    }
    let lines = LineIndex::new(text);
    let scan: LanguageScan = toml::from_str(text).map_err(|e| syntax_error(text, &lines, &e))?;
    let (default_language, tables) = check_language_codes(
        &scan.default_language,
        scan.languages
            .into_iter()
            .map(|(code, v)| (code, v.span().start, ())),
        text,
        &lines,
    )?;
    let others = tables
        .into_iter()
        .map(|(code, ())| code)
        .filter(|code| *code != default_language)
        .collect();
    Ok((default_language, others))
}

/// Every `[languages.<code>]` (each with the offset of its table and what it holds, in
/// key order) and `default_language` must be a language code: the first that is not is the
/// error, tables before the default.
fn check_language_codes<T>(
    default_language: &str,
    tables: impl Iterator<Item = (String, usize, T)>,
    text: &str,
    lines: &LineIndex,
) -> Result<(Lang, Vec<(Lang, T)>), ConfigError> {
    let mut checked = Vec::new();
    for (code, offset, table) in tables {
        match Lang::new(&code) {
            Ok(lang) => checked.push((lang, table)),
            Err(_) => {
                let (line, col) = lines.position(text, offset);
                return Err(ConfigError::NotLanguageCode { code, line, col });
            }
        }
    }
    let default_language =
        Lang::new(default_language).map_err(|_| ConfigError::DefaultNotLanguageCode {
            code: default_language.to_string(),
        })?;
    Ok((default_language, checked))
}

/// How page slugs, taxonomy and term slugs, and heading ids are made (`[slugify]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SlugStrategy {
    /// Letters of any script kept, lowercased with the language's rules.
    #[default]
    Unicode,
    /// Zola's default: transliterated to ASCII (`kömək` → `komk`, `日本` → `ri-ben`), as the
    /// `slug` crate does, so a site moved from Zola keeps its addresses.
    On,
    /// Text kept as written, only characters that are unsafe in a file name removed (paths),
    /// or spaces made `_` (anchors).
    Safe,
    /// Text kept as written (anchors: spaces made `_`).
    Off,
}

/// Writing direction of a language, for `<html dir>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    #[default]
    Ltr,
    Rtl,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// One `[[taxonomies]]` entry (Zola's shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxonomyConfig {
    pub name: String,
    #[serde(default)]
    pub feed: bool,
    #[serde(default)]
    pub paginate_by: Option<usize>,
    #[serde(default)]
    pub paginate_path: Option<String>,
    #[serde(default = "yes")]
    pub render: bool,
}

/// `[languages.<code>]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LanguageOptions {
    pub code: Lang,
    pub title: Option<String>,
    pub description: Option<String>,
    pub direction: Direction,
    /// The language's name in itself ("Azərbaycanca", "Русский"), for the language switcher.
    pub native_name: Option<String>,
    /// Taxonomies of this language. When a language declares none, it uses the top-level
    /// ones, so an editor does not have to repeat them per language.
    pub taxonomies: Vec<TaxonomyConfig>,
    pub generate_feeds: bool,
    /// A search index and search page for this language (the top-level setting unless the
    /// language sets its own).
    pub build_search_index: bool,
}

/// `[search]`: what the search index of each language holds. Zola's names, plus
/// `include_headings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchConfig {
    pub include_title: bool,
    pub include_description: bool,
    pub include_headings: bool,
    pub include_content: bool,
    /// Characters of each page's text stored for result excerpts (the whole text is
    /// indexed either way). Longer pages show excerpts from their beginning only.
    pub truncate_content_length: usize,
}

impl Default for SearchConfig {
    fn default() -> Self {
        Self {
            include_title: true,
            include_description: true,
            include_headings: true,
            include_content: true,
            truncate_content_length: 3000,
        }
    }
}

/// `[markdown]`: pulldown-cmark extensions. All on by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MarkdownConfig {
    pub smart_punctuation: bool,
    pub tables: bool,
    pub footnotes: bool,
    pub strikethrough: bool,
    pub tasklists: bool,
    /// External links open in a new tab (`target="_blank"`, with `rel="noopener"`).
    pub external_links_target_blank: bool,
    /// `rel="nofollow"` on external links.
    pub external_links_no_follow: bool,
    /// `rel="noreferrer"` on external links: the other site is not told which page the
    /// visitor came from (worth turning on for a site about trafficking).
    pub external_links_no_referrer: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        Self {
            smart_punctuation: true,
            tables: true,
            footnotes: true,
            strikethrough: true,
            tasklists: true,
            external_links_target_blank: false,
            external_links_no_follow: false,
            external_links_no_referrer: false,
        }
    }
}

/// `[slugify]`: how page slugs, taxonomy and term slugs, and heading ids are made, with
/// Zola's names and values (`on`, `safe`, `off`). Without it every one keeps the letters of
/// its language (`unicode`), unlike Zola, whose default is `on`: a site moved from Zola
/// writes `paths = "on"`, `taxonomies = "on"`, `anchors = "on"` to keep its addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SlugifyConfig {
    pub paths: SlugStrategy,
    pub taxonomies: SlugStrategy,
    pub anchors: SlugStrategy,
}

/// `exclude_paginated_pages_in_sitemap` (Zola's): whether section pagers are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExcludePaginatedPages {
    #[default]
    None,
    All,
}

/// The loaded, validated site config. Serializes to the shape templates see as `config`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Config {
    /// Without a trailing slash (`https://xeberdar.example`), so `base_url + path` is a URL.
    pub base_url: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub default_language: Lang,
    pub default_language_at_root: bool,
    pub theme: Option<String>,
    /// Every language of the site, the default one included.
    pub languages: BTreeMap<Lang, LanguageOptions>,
    /// Top-level taxonomies (those of the default language unless it declares its own).
    pub taxonomies: Vec<TaxonomyConfig>,
    pub markdown: MarkdownConfig,
    pub slugify: SlugifyConfig,
    pub exclude_paginated_pages_in_sitemap: ExcludePaginatedPages,
    pub generate_feeds: bool,
    /// Zola's top-level switch for the search index (default off).
    pub build_search_index: bool,
    pub search: SearchConfig,
    /// `[extra]`: free data for templates (hotline numbers, endpoint URL, …).
    pub extra: serde_json::Value,
    /// Keys neither this generator nor Zola knows (likely typos), with their position.
    /// Loading still succeeds.
    #[serde(skip)]
    pub unknown_keys: Vec<UnknownKey>,
}

/// Top-level keys: ours and Zola's (accepted so a Zola config loads; unused ones are ignored).
const TOP_LEVEL_KEYS: &[&str] = &[
    "base_url",
    "title",
    "description",
    "default_language",
    "default_language_at_root",
    "theme",
    "languages",
    "taxonomies",
    "markdown",
    "extra",
    "generate_feeds",
    "generate_feed",
    "compile_sass",
    "build_search_index",
    "output_dir",
    "preserve_dotfiles_in_output",
    "minify_html",
    "ignored_content",
    "ignored_static",
    "feed_filenames",
    "feed_limit",
    "hard_link_static",
    "author",
    "generate_sitemap",
    "generate_robots_txt",
    "exclude_paginated_pages_in_sitemap",
    "slugify",
    "search",
    "link_checker",
    "translations",
    "mode",
    "content_checks",
];
const LANGUAGE_KEYS: &[&str] = &[
    "title",
    "description",
    "direction",
    "native_name",
    "taxonomies",
    "generate_feeds",
    "generate_feed",
    "feed_filenames",
    "build_search_index",
    "search",
    "translations",
];
const MARKDOWN_KEYS: &[&str] = &[
    "smart_punctuation",
    "tables",
    "footnotes",
    "strikethrough",
    "tasklists",
    "highlight_code",
    "highlight_theme",
    "highlight_themes_css",
    "render_emoji",
    "external_links_target_blank",
    "external_links_no_follow",
    "external_links_no_referrer",
    "definition_list",
    "bottom_footnotes",
    "extra_syntaxes_and_themes",
    "insert_anchor_links",
    "lazy_async_image",
    "github_alerts",
];

const SEARCH_KEYS: &[&str] = &[
    "include_title",
    "include_description",
    "include_headings",
    "include_content",
    "truncate_content_length",
    "include_path",
    "include_date",
    "index_format",
];
const SLUGIFY_KEYS: &[&str] = &["paths", "taxonomies", "anchors"];

type SpannedKeys = BTreeMap<toml::Spanned<String>, serde::de::IgnoredAny>;

#[derive(Deserialize)]
struct KeyScan {
    #[serde(default)]
    languages: BTreeMap<String, SpannedKeys>,
    #[serde(default)]
    markdown: SpannedKeys,
    #[serde(default)]
    search: SpannedKeys,
    #[serde(default)]
    slugify: SpannedKeys,
}

/// A key in `config.toml` that nothing reads, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    pub key: String,
    /// The table it is in (`languages.ru`, `markdown`); `None` at the top level.
    pub table: Option<String>,
    /// The keys that table accepts.
    pub known: &'static [&'static str],
    pub line: usize,
    pub col: usize,
}

fn unknown_keys(text: &str, lines: &LineIndex) -> Vec<UnknownKey> {
    let mut out = Vec::new();
    let mut check =
        |key: &toml::Spanned<String>, table: Option<String>, known: &'static [&'static str]| {
            if known.contains(&key.get_ref().as_str()) {
                return;
            }
            let (line, col) = lines.position(text, key.span().start);
            out.push(UnknownKey {
                key: key.get_ref().clone(),
                table,
                known,
                line,
                col,
            });
        };
    if let Ok(top) = toml::from_str::<SpannedKeys>(text) {
        for key in top.keys() {
            check(key, None, TOP_LEVEL_KEYS);
        }
    }
    if let Ok(scan) = toml::from_str::<KeyScan>(text) {
        for (code, keys) in &scan.languages {
            for key in keys.keys() {
                check(key, Some(format!("languages.{code}")), LANGUAGE_KEYS);
            }
        }
        for key in scan.markdown.keys() {
            check(key, Some("markdown".into()), MARKDOWN_KEYS);
        }
        for key in scan.search.keys() {
            check(key, Some("search".into()), SEARCH_KEYS);
        }
        for key in scan.slugify.keys() {
            check(key, Some("slugify".into()), SLUGIFY_KEYS);
        }
    }
    out
}

fn yes() -> bool {
    true
}

fn default_lang() -> String {
    "en".to_string()
}

#[derive(Deserialize)]
struct RawConfig {
    #[serde(default)]
    base_url: Option<toml::Spanned<String>>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default = "default_lang")]
    default_language: String,
    #[serde(default = "yes")]
    default_language_at_root: bool,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    languages: BTreeMap<String, toml::Spanned<RawLanguage>>,
    #[serde(default)]
    taxonomies: Vec<TaxonomyConfig>,
    #[serde(default)]
    markdown: MarkdownConfig,
    #[serde(default)]
    slugify: SlugifyConfig,
    #[serde(default)]
    exclude_paginated_pages_in_sitemap: ExcludePaginatedPages,
    #[serde(default, alias = "generate_feed")]
    generate_feeds: bool,
    #[serde(default)]
    build_search_index: bool,
    #[serde(default)]
    search: SearchConfig,
    #[serde(default)]
    extra: Option<toml::Table>,
}

#[derive(Deserialize)]
struct RawLanguage {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    direction: Direction,
    #[serde(default)]
    native_name: Option<String>,
    #[serde(default)]
    taxonomies: Option<Vec<TaxonomyConfig>>,
    #[serde(default, alias = "generate_feed")]
    generate_feeds: Option<bool>,
    #[serde(default)]
    build_search_index: Option<bool>,
}

impl Config {
    /// Reads and validates `<site_root>/config.toml`.
    pub fn load(site_root: &Path) -> Result<Config, ConfigError> {
        Self::parse(&read(site_root)?)
    }

    /// Parses config text.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let lines = LineIndex::new(text);
        let at = |offset: usize| lines.position(text, offset);
        let raw: RawConfig = toml::from_str(text).map_err(|e| syntax_error(text, &lines, &e))?;

        let base_url = match raw.base_url {
            Some(b) if !b.get_ref().trim().is_empty() => {
                b.get_ref().trim().trim_end_matches('/').to_string()
            }
            Some(b) => {
                let (line, col) = at(b.span().start);
                return Err(ConfigError::BaseUrlEmpty { line, col });
            }
            None => return Err(ConfigError::BaseUrlMissing),
        };

        let (default_language, tables) = check_language_codes(
            &raw.default_language,
            raw.languages
                .into_iter()
                .map(|(code, l)| (code, l.span().start, l.into_inner())),
            text,
            &lines,
        )?;
        let mut languages = BTreeMap::new();
        for (code, l) in tables {
            let is_default = code == default_language;
            languages.insert(
                code.clone(),
                LanguageOptions {
                    title: l
                        .title
                        .or_else(|| is_default.then(|| raw.title.clone()).flatten()),
                    description: l
                        .description
                        .or_else(|| is_default.then(|| raw.description.clone()).flatten()),
                    direction: l.direction,
                    native_name: l.native_name,
                    taxonomies: l.taxonomies.unwrap_or_else(|| raw.taxonomies.clone()),
                    generate_feeds: l.generate_feeds.unwrap_or(raw.generate_feeds),
                    build_search_index: l.build_search_index.unwrap_or(raw.build_search_index),
                    code,
                },
            );
        }
        languages
            .entry(default_language.clone())
            .or_insert_with(|| LanguageOptions {
                code: default_language.clone(),
                title: raw.title.clone(),
                description: raw.description.clone(),
                direction: Direction::Ltr,
                native_name: None,
                taxonomies: raw.taxonomies.clone(),
                generate_feeds: raw.generate_feeds,
                build_search_index: raw.build_search_index,
            });

        Ok(Config {
            unknown_keys: unknown_keys(text, &lines),
            base_url,
            title: raw.title,
            description: raw.description,
            default_language,
            default_language_at_root: raw.default_language_at_root,
            theme: raw.theme,
            languages,
            taxonomies: raw.taxonomies,
            markdown: raw.markdown,
            slugify: raw.slugify,
            exclude_paginated_pages_in_sitemap: raw.exclude_paginated_pages_in_sitemap,
            generate_feeds: raw.generate_feeds,
            build_search_index: raw.build_search_index,
            search: raw.search,
            extra: raw
                .extra
                .map(|t| toml_to_json(toml::Value::Table(t)))
                .unwrap_or_else(|| serde_json::Value::Object(Default::default())),
        })
    }

    /// Language codes in a stable order: the default language first, then the others
    /// alphabetically.
    pub fn languages(&self) -> Vec<&Lang> {
        let mut out = vec![&self.default_language];
        out.extend(
            self.languages
                .keys()
                .filter(|l| **l != self.default_language),
        );
        out
    }

    /// Whether `code` (from a file name, a link or a template) is one of the site's
    /// languages.
    pub fn is_language(&self, code: &str) -> bool {
        self.languages.contains_key(code)
    }

    /// The site's language named `code`, if it has one.
    pub fn lang(&self, code: &str) -> Option<&Lang> {
        self.languages.get_key_value(code).map(|(lang, _)| lang)
    }

    /// The language a content key's suffix names (`news/a.ru.md` → `ru`), the default
    /// language for a key without one (or whose suffix is no language of the site).
    pub fn lang_of_key(&self, key: &str) -> &Lang {
        crate::content_name::split_language(key, |code| self.is_language(code))
            .1
            .and_then(|code| self.lang(code))
            .unwrap_or(&self.default_language)
    }

    pub fn language(&self, code: &str) -> Option<&LanguageOptions> {
        self.languages.get(code)
    }

    /// URL path prefix of a language: `""` for the default language served at the root,
    /// otherwise `"/<lang>"`.
    pub fn lang_prefix(&self, lang: &Lang) -> String {
        if *lang == self.default_language && self.default_language_at_root {
            String::new()
        } else {
            format!("/{lang}")
        }
    }

    /// Absolute URL of a site path (`/ru/signs/` → `https://example.org/ru/signs/`).
    pub fn permalink(&self, path: &str) -> String {
        let mut s = String::with_capacity(self.base_url.len() + path.len() + 1);
        s.push_str(&self.base_url);
        if !path.starts_with('/') {
            s.push('/');
        }
        s.push_str(path);
        s
    }

    pub fn direction(&self, lang: &Lang) -> Direction {
        self.languages
            .get(lang)
            .map(|l| l.direction)
            .unwrap_or_default()
    }

    pub fn is_rtl(&self, lang: &Lang) -> bool {
        self.direction(lang) == Direction::Rtl
    }

    /// Languages that get a search index and page.
    pub fn search_languages(&self) -> Vec<&Lang> {
        self.languages()
            .into_iter()
            .filter(|l| self.language(l).is_some_and(|o| o.build_search_index))
            .collect()
    }

    /// The site's title in `lang`: the language's own, else the top-level one.
    pub fn title_in(&self, lang: &Lang) -> Option<&str> {
        self.language(lang)
            .and_then(|l| l.title.as_deref())
            .or(self.title.as_deref())
    }

    /// The site's description in `lang`: the language's own, else the top-level one.
    pub fn description_in(&self, lang: &Lang) -> Option<&str> {
        self.language(lang)
            .and_then(|l| l.description.as_deref())
            .or(self.description.as_deref())
    }

    /// `config` as templates of `lang` see it: as Zola does, `config.title` and
    /// `config.description` are that language's.
    pub fn template_value(&self, lang: &Lang) -> serde_json::Value {
        let mut value = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        if let Some(m) = value.as_object_mut() {
            let text = |t: Option<&str>| t.map_or(serde_json::Value::Null, serde_json::Value::from);
            m.insert("title".into(), text(self.title_in(lang)));
            m.insert("description".into(), text(self.description_in(lang)));
        }
        value
    }

    /// The taxonomies declared for `lang` (its own, or the top-level ones).
    pub fn taxonomies_for(&self, lang: &Lang) -> &[TaxonomyConfig] {
        self.languages
            .get(lang)
            .map(|l| l.taxonomies.as_slice())
            .unwrap_or(&self.taxonomies)
    }
}

/// TOML → JSON for template data. Dates become their TOML text (`2024-05-06`), as Zola does.
pub fn toml_to_json(v: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            J::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: &str = "base_url = \"https://example.org/\"\ndefault_language = \"az\"\n\
        compile_sass = false\n[languages.ru]\nnative_name = \"Русский\"\n[languages.ar]\n\
        direction = \"rtl\"\n[extra]\nhotline_local = \"152\"\nwhen = 2024-05-06\n";

    #[test]
    fn reads_a_zola_style_config() {
        let c = Config::parse(SITE).unwrap();
        assert_eq!(c.base_url, "https://example.org");
        assert_eq!(c.languages(), ["az", "ar", "ru"]);
        let lang = |code| c.lang(code).unwrap();
        assert_eq!(c.lang_prefix(lang("ru")), "/ru");
        assert!(c.is_rtl(lang("ar")));
        assert_eq!(c.lang_prefix(&c.default_language), "");
        assert_eq!(c.lang("fr"), None);
        assert_eq!(c.lang_of_key("a/b.ru.md"), "ru");
        assert_eq!(c.lang_of_key("a/b.md"), "az");
        assert_eq!(c.lang_of_key("a/b.fr.md"), "az");
        assert_eq!(c.extra["when"], "2024-05-06");
        assert!(c.unknown_keys.is_empty());
        let (default, others) = language_codes(SITE).unwrap();
        assert_eq!(
            [vec![default], others].concat(),
            c.languages().into_iter().cloned().collect::<Vec<_>>()
        );
    }

    #[test]
    fn problems_say_where_they_are() {
        let e = Config::parse("base_url = \"https://e.org\"\n[languages.ru]\ndirection = \"up\"\n")
            .unwrap_err();
        assert!(
            matches!(
                e,
                ConfigError::Syntax {
                    line: 3,
                    col: 13,
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(
            Config::parse("title = \"x\"\n").unwrap_err(),
            ConfigError::BaseUrlMissing
        );
        let e = Config::parse("base_url = \"https://e.org\"\n[languages.Russian]\n").unwrap_err();
        assert_eq!(e.position(), (2, 1));
        assert_eq!(e.to_string(), "`Russian` is not a language code");
        let keys = Config::parse("base_url = \"x\"\n[markdown]\nfootnote = true\n")
            .unwrap()
            .unknown_keys;
        assert_eq!(keys.len(), 1);
        assert_eq!(
            (keys[0].key.as_str(), keys[0].table.as_deref()),
            ("footnote", Some("markdown"))
        );
        assert_eq!((keys[0].line, keys[0].col), (3, 1));
    }

    #[test]
    fn languages_are_read_without_the_rest() {
        let text = "default_language = \"az\"\n[languages.ru]\n[languages.en]\n";
        let (default, others) = language_codes(text).unwrap();
        assert_eq!(default, "az");
        assert_eq!(others, ["en", "ru"]);
        let (default, others) = language_codes("").unwrap();
        assert_eq!((default.as_str(), others.len()), ("en", 0));
        let e = language_codes("[languages.ru]\n[languages.x_y]\n").unwrap_err();
        assert_eq!(e.position(), (2, 1));
        assert!(matches!(
            language_codes("a = ").unwrap_err(),
            ConfigError::Syntax { line: 1, .. }
        ));
    }
}
