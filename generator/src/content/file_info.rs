//! What a content file's name and place say about it: page or section, which language,
//! which translation group, and which directories lead to it.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::{is_language_code, Config, ContentKey, Lang};
use crate::message::{Message, MessageId};

/// Page, bundle page or section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// `signs.md`, `signs.ru.md`.
    Page,
    /// `signs/index.md`, `signs/index.ru.md`: a page with its own folder of assets.
    BundlePage,
    /// `_index.md`, `signs/_index.ru.md`.
    Section,
}

/// Facts derived from a content file's path alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileInfo {
    /// Path relative to `content/`, `/`-separated: `signs/page.az.md`. The key used by
    /// `@/` links, `get_page(path=)` and every map in the library.
    pub key: ContentKey,
    /// Path relative to the site root, for diagnostics: `content/signs/page.az.md`.
    pub site_path: String,
    /// Where the file is on disk.
    #[serde(skip)]
    pub abs_path: PathBuf,
    pub kind: FileKind,
    /// Language code from the file name (`page.ru.md` → `ru`), else the default language.
    pub lang: Lang,
    /// The key with the language suffix removed (`signs/page.md`): the same for every
    /// translation of one page or section.
    pub canonical: ContentKey,
    /// Directories from `content/` to the folder of the section the file belongs to
    /// (`signs/page.md` → `["signs"]`, `signs/story/index.md` → `["signs"]`,
    /// `signs/_index.md` → `["signs"]`).
    pub components: Vec<String>,
    /// The page's name from its file or bundle folder (`page`, `story`); empty for sections.
    pub name: String,
}

impl FileInfo {
    /// Classifies a `.md` file; `key` is relative to `content/` with `/` separators.
    /// Errors (in plain words) when the language suffix is not a configured language.
    pub fn new(content_dir: &Path, key: &ContentKey, config: &Config) -> Result<FileInfo, Message> {
        let (canonical, code) = key.split_language(|code| config.is_language(code));
        let lang = match code.and_then(|code| config.lang(code)) {
            Some(lang) => lang.clone(),
            None => match xeberdar_site::content_name::suffix(key) {
                Some((_, code)) if is_language_code(code) => {
                    return Err(Message::of(MessageId::FileUnknownLanguage).text("lang", code))
                }
                _ => config.default_language.clone(),
            },
        };
        let (dir, file) = match canonical.rsplit_once('/') {
            Some((d, f)) => (d, f),
            None => ("", &*canonical),
        };
        let base = file.strip_suffix(".md").unwrap_or(file);
        let mut components: Vec<String> = if dir.is_empty() {
            Vec::new()
        } else {
            dir.split('/').map(str::to_string).collect()
        };
        let (kind, name) = match base {
            "_index" => (FileKind::Section, String::new()),
            "index" if !components.is_empty() => {
                let name = components.pop().unwrap_or_default();
                (FileKind::BundlePage, name)
            }
            _ => (FileKind::Page, base.to_string()),
        };
        Ok(FileInfo {
            key: key.clone(),
            site_path: format!("content/{key}"),
            abs_path: content_dir.join(key.as_str()),
            kind,
            lang,
            canonical,
            components,
            name,
        })
    }

    /// Content-relative folder of the section this file belongs to (`signs`, or `""`).
    pub fn section_dir(&self) -> String {
        self.components.join("/")
    }

    /// Content-relative folder that holds the file's own assets: the bundle folder for a
    /// bundle page or the section's folder; `None` for a plain page.
    pub fn asset_dir(&self) -> Option<String> {
        match self.kind {
            FileKind::Page => None,
            FileKind::BundlePage => {
                let dir = self.section_dir();
                Some(if dir.is_empty() {
                    self.name.clone()
                } else {
                    format!("{dir}/{}", self.name)
                })
            }
            FileKind::Section => Some(self.section_dir()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> Config {
        Config::parse("base_url = \"https://e.org\"\ndefault_language = \"az\"\n[languages.ru]\n[languages.en]\n")
            .unwrap()
    }

    #[test]
    fn classifies_files() {
        let c = cfg();
        let d = Path::new("/s/content");
        let p = FileInfo::new(d, &"signs/page.ru.md".parse().unwrap(), &c).unwrap();
        assert_eq!(
            (p.kind, p.lang.as_str(), p.canonical.as_str()),
            (FileKind::Page, "ru", "signs/page.md")
        );
        assert_eq!(p.components, vec!["signs"]);
        assert_eq!(p.name, "page");
        let b = FileInfo::new(d, &"signs/story/index.md".parse().unwrap(), &c).unwrap();
        assert_eq!(
            (b.kind, b.lang.as_str(), b.name.as_str()),
            (FileKind::BundlePage, "az", "story")
        );
        assert_eq!(b.asset_dir().as_deref(), Some("signs/story"));
        let s = FileInfo::new(d, &"_index.en.md".parse().unwrap(), &c).unwrap();
        assert_eq!(
            (s.kind, s.canonical.as_str()),
            (FileKind::Section, "_index.md")
        );
        assert!(FileInfo::new(d, &"x.fr.md".parse().unwrap(), &c)
            .unwrap_err()
            .to_string()
            .contains("[languages.fr]"));
        let v = FileInfo::new(d, &"v1.2.md".parse().unwrap(), &c).unwrap();
        assert_eq!(v.name, "v1.2");
    }
}
