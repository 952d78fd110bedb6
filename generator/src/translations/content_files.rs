//! The content folder as an editor sees it: Markdown files, grouped into pages, each file
//! in one language, with its raw text and where its front matter and body start.
//!
//! The translation report, `translations mark`, the content checks and `new page` all work
//! on files as they are on disk rather than on a built site, because an editor needs them
//! most when the site does not build: a half-translated page, a broken front matter.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use thiserror::Error;
pub use xeberdar_site::text::line_col;
use xeberdar_site::{ContentKey, Lang};

/// A problem reading the content folder or config.toml.
#[derive(Debug, Error)]
pub enum ContentFilesError {
    #[error("could not read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a Markdown file under content/")]
    NotContent { path: String },
    #[error("{path}:{line}:{col}: {message}")]
    Syntax {
        path: String,
        line: usize,
        col: usize,
        message: String,
    },
}

/// The site's languages, as the site model reads them from `config.toml`: the default
/// language first, then the others in alphabetical order (a stable order for tables and
/// tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteLanguages {
    pub default: Lang,
    pub others: Vec<Lang>,
}

impl SiteLanguages {
    /// Reads the site's languages from `config.toml`.
    pub fn load(site_root: &Path) -> Result<Self, ContentFilesError> {
        Ok(load_config(site_root)?.1)
    }

    /// Every language, the default first.
    pub fn all(&self) -> impl Iterator<Item = &Lang> {
        std::iter::once(&self.default).chain(&self.others)
    }

    /// The site's language named `code`, if it has one.
    pub fn get(&self, code: &str) -> Option<&Lang> {
        self.all().find(|l| *l == code)
    }

    pub fn contains(&self, code: &str) -> bool {
        self.get(code).is_some()
    }
}

/// One Markdown file under `content/`.
#[derive(Debug, Clone)]
pub struct ContentFile {
    /// Path relative to the site root, with `/` separators, as shown in messages
    /// (`content/signs.ru.md`).
    pub display_path: String,
    /// Absolute (or root-joined) path on disk.
    pub path: PathBuf,
    /// Which page this file belongs to: its path relative to `content/` without the
    /// language suffix (`signs.md` for `signs.ru.md`, `help/_index.md` for `help/_index.az.md`).
    pub page_key: ContentKey,
    pub lang: Lang,
    pub text: String,
    pub front_matter: Option<FrontMatter>,
}

/// The `+++`-delimited TOML block at the top of a content file.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    /// Byte range of the TOML text between the `+++` lines.
    pub toml_start: usize,
    pub toml_end: usize,
    /// Byte offset where the Markdown body starts (after the closing `+++` line).
    pub body_start: usize,
    /// The parsed TOML, or the reason it does not parse (with its line and column in the file).
    pub parsed: Result<toml::Table, (usize, usize, String)>,
}

impl FrontMatter {
    pub fn str_field(&self, key: &str) -> Option<&str> {
        self.parsed
            .as_ref()
            .ok()
            .and_then(|table| table.get(key))
            .and_then(toml::Value::as_str)
    }

    pub fn bool_field(&self, key: &str) -> Option<bool> {
        self.parsed
            .as_ref()
            .ok()
            .and_then(|table| table.get(key))
            .and_then(toml::Value::as_bool)
    }
}

impl ContentFile {
    /// The Markdown after the front matter (the whole text when there is none).
    pub fn body(&self) -> &str {
        let start = self.front_matter.as_ref().map_or(0, |fm| fm.body_start);
        &self.text[start..]
    }

    pub fn body_start(&self) -> usize {
        self.front_matter.as_ref().map_or(0, |fm| fm.body_start)
    }

    pub fn title(&self) -> Option<&str> {
        self.front_matter
            .as_ref()
            .and_then(|fm| fm.str_field("title"))
    }

    pub fn description(&self) -> Option<&str> {
        self.front_matter
            .as_ref()
            .and_then(|fm| fm.str_field("description"))
    }

    pub fn is_section(&self) -> bool {
        self.page_key.is_section()
    }

    /// Line and column (1-based, columns in characters) of a top-level front-matter key
    /// such as `title`, or of the front matter's first line when the key is absent.
    pub fn key_position(&self, key: &str) -> (usize, usize) {
        match &self.front_matter {
            Some(fm) => match find_top_level_key(&self.text[fm.toml_start..fm.toml_end], key) {
                Some(offset) => line_col(&self.text, fm.toml_start + offset),
                None => (1, 1),
            },
            None => (1, 1),
        }
    }

    /// Line and column of a byte offset in this file.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(&self.text, offset)
    }
}

/// Reads one content file. `site_root` makes the display path; `langs` tells which
/// `.<lang>.md` suffixes are language suffixes.
pub fn read_content_file(
    site_root: &Path,
    path: &Path,
    langs: &SiteLanguages,
) -> Result<ContentFile, ContentFilesError> {
    let text = read_to_string(path, site_root)?;
    let content_dir = site_root.join("content");
    let relative = path
        .strip_prefix(&content_dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    let key = ContentKey::new(&relative).map_err(|_| ContentFilesError::NotContent {
        path: display_path(path, site_root),
    })?;
    let (page_key, lang) = split_lang(&key, langs);
    let front_matter = split_front_matter(&text);
    Ok(ContentFile {
        display_path: display_path(path, site_root),
        path: path.to_path_buf(),
        page_key,
        lang,
        text,
        front_matter,
    })
}

/// Every Markdown file under `content/`, sorted by path so output is stable.
pub fn read_content_files(
    site_root: &Path,
    langs: &SiteLanguages,
) -> Result<Vec<ContentFile>, ContentFilesError> {
    let mut paths = Vec::new();
    collect_markdown(&site_root.join("content"), site_root, &mut paths)?;
    paths.sort();
    paths
        .iter()
        .map(|path| read_content_file(site_root, path, langs))
        .collect()
}

/// Groups files into pages: page key → language → file.
pub fn group_by_page(
    files: &[ContentFile],
) -> BTreeMap<&ContentKey, BTreeMap<&Lang, &ContentFile>> {
    let mut pages: BTreeMap<&ContentKey, BTreeMap<&Lang, &ContentFile>> = BTreeMap::new();
    for file in files {
        pages
            .entry(&file.page_key)
            .or_default()
            .insert(&file.lang, file);
    }
    pages
}

/// The file name of a page in a language: `signs.md` → `signs.ru.md`.
pub fn translation_file_name(page_key: &ContentKey, lang: &Lang, langs: &SiteLanguages) -> String {
    page_key.localized(lang, &langs.default).to_string()
}

fn collect_markdown(
    dir: &Path,
    site_root: &Path,
    out: &mut Vec<PathBuf>,
) -> Result<(), ContentFilesError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(ContentFilesError::Read {
                path: display_path(dir, site_root),
                source,
            })
        }
    };
    for entry in entries {
        let entry = entry.map_err(|source| ContentFilesError::Read {
            path: display_path(dir, site_root),
            source,
        })?;
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect_markdown(&path, site_root, out)?;
        } else if path.extension().is_some_and(|ext| ext == "md") {
            out.push(path);
        }
    }
    Ok(())
}

/// `help/signs.ru.md` → (`help/signs.md`, `ru`); `help/signs.md` → (`help/signs.md`, default).
fn split_lang(relative: &ContentKey, langs: &SiteLanguages) -> (ContentKey, Lang) {
    let (key, lang) = relative.split_language(|l| langs.contains(l));
    (
        key,
        lang.and_then(|code| langs.get(code))
            .unwrap_or(&langs.default)
            .clone(),
    )
}

/// Finds the `+++` front matter where the build finds it (the site model's rules: after a
/// byte-order mark and blank lines). `None` when the file has none.
pub fn split_front_matter(text: &str) -> Option<FrontMatter> {
    let split = xeberdar_site::front_matter::split(text).ok()?;
    let toml_start = split.front_matter_start;
    let parsed = text[toml_start..split.front_matter_end]
        .parse::<toml::Table>()
        .map_err(|err| {
            let (line, col) = line_col(text, toml_start + err.span().map_or(0, |span| span.start));
            (line, col, err.message().to_string())
        });
    Some(FrontMatter {
        toml_start,
        toml_end: split.front_matter_end,
        body_start: split.body_start,
        parsed,
    })
}

/// Byte offset of `key` at the start of a top-level line (before any `[table]` header).
pub fn find_top_level_key(toml_text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in toml_text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            return None;
        }
        if let Some(after) = trimmed.strip_prefix(key) {
            if after.trim_start().starts_with('=') {
                return Some(offset + (line.len() - trimmed.len()));
            }
        }
        offset += line.len();
    }
    None
}

/// A path relative to the site root with `/` separators.
pub fn display_path(path: &Path, site_root: &Path) -> String {
    path.strip_prefix(site_root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// `config.toml`'s text and the site's languages as the site model reads them, for the
/// editor tools, which need the languages alone (they work on a site whose config does not
/// build yet), or with the text (the content checks read `[content_checks]` and facts).
pub fn load_config(site_root: &Path) -> Result<(String, SiteLanguages), ContentFilesError> {
    let path = site_root.join(xeberdar_site::config::CONFIG_FILE);
    let text = read_to_string(&path, site_root)?;
    let (default, others) = xeberdar_site::config::language_codes(&text).map_err(|err| {
        let (line, col) = err.position();
        ContentFilesError::Syntax {
            path: display_path(&path, site_root),
            line,
            col,
            message: err.to_string(),
        }
    })?;
    Ok((text, SiteLanguages { default, others }))
}

fn read_to_string(path: &Path, site_root: &Path) -> Result<String, ContentFilesError> {
    fs::read_to_string(path).map_err(|source| ContentFilesError::Read {
        path: display_path(path, site_root),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(code: &str) -> Lang {
        Lang::new(code).unwrap()
    }

    fn langs() -> SiteLanguages {
        SiteLanguages {
            default: lang("az"),
            others: vec![lang("en"), lang("ru")],
        }
    }

    #[test]
    fn splits_language_suffixes() {
        let l = langs();
        assert_eq!(
            split_lang(&"signs.ru.md".parse().unwrap(), &l),
            ("signs.md".parse().unwrap(), lang("ru"))
        );
        assert_eq!(
            split_lang(&"a/b.md".parse().unwrap(), &l),
            ("a/b.md".parse().unwrap(), lang("az"))
        );
        assert_eq!(
            split_lang(&"a/_index.en.md".parse().unwrap(), &l),
            ("a/_index.md".parse().unwrap(), lang("en"))
        );
        assert_eq!(
            split_lang(&"v1.2.md".parse().unwrap(), &l),
            ("v1.2.md".parse().unwrap(), lang("az")),
            "a dot that is not a language stays in the name"
        );
        assert_eq!(l.get("ru"), Some(&lang("ru")));
        assert_eq!(l.get("fr"), None);
    }

    #[test]
    fn finds_front_matter_and_body() {
        let text = "+++\ntitle = \"Ə\"\n+++\n# Body\n";
        let fm = split_front_matter(text).unwrap();
        assert_eq!(&text[fm.toml_start..fm.toml_end], "title = \"Ə\"\n");
        assert_eq!(&text[fm.body_start..], "# Body\n");
        assert_eq!(fm.str_field("title"), Some("Ə"));
    }

    #[test]
    fn front_matter_error_points_into_the_file() {
        let text = "+++\ntitle = \"x\"\ndate = 6 May\n+++\n";
        let fm = split_front_matter(text).unwrap();
        let (line, _, _) = fm.parsed.unwrap_err();
        assert_eq!(line, 3);
    }

    #[test]
    fn front_matter_after_blank_lines_is_found_as_the_build_finds_it() {
        let text = "\n\n+++\ntitle = \"Ə\"\n+++\nBody\n";
        let fm = split_front_matter(text).expect("the build reads this file's front matter");
        assert_eq!(fm.str_field("title"), Some("Ə"));
        assert_eq!(&text[fm.body_start..], "Body\n");
        let built = crate::content::front_matter::split(text).unwrap();
        assert_eq!(
            (fm.toml_start, fm.toml_end, fm.body_start),
            (
                built.front_matter_start,
                built.front_matter_end,
                built.body_start
            )
        );
        assert!(split_front_matter("no front matter\n+++\n").is_none());
    }

    #[test]
    fn top_level_key_ignores_tables() {
        let fm = "title = \"a\"\n[extra]\nsource_hash = \"x\"\n";
        assert_eq!(find_top_level_key(fm, "title"), Some(0));
        assert_eq!(find_top_level_key(fm, "source_hash"), None);
    }
}
