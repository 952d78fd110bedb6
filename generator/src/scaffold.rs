//! `xeberdar new page <section>/<slug> [--lang az,ru]` and `xeberdar new section <name>`:
//! create a page or a section and its translations with front matter that builds, so an editor starts from a file that works
//! instead of copying an old page and forgetting to change half of it.
//!
//! New pages start as drafts with placeholder text in each language. A translation of a
//! brand-new page records the placeholder's `source_hash`, so it turns stale as soon as the
//! default-language text is written. A translation added to a page that already exists is
//! left unmarked: it is not a translation of anything yet.

use std::fs::{self, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use thiserror::Error;

use crate::config::{ContentKey, Lang};
use crate::translations::content_files::{read_content_file, translation_file_name};
use crate::translations::{source_hash, ContentFilesError, SiteLanguages};

#[derive(Debug, Error)]
pub enum ScaffoldError {
    #[error(transparent)]
    Files(#[from] ContentFilesError),
    #[error(
        "`{0}` is not a valid page name: use <section>/<slug> with lowercase Latin letters, \
         digits and hyphens, like help/new-shelter"
    )]
    BadName(String),
    #[error("content/{section}/ is not a section (no content/{section}/_index.md); create it with `xeberdar new section {section}` or pick an existing one: {existing}")]
    NoSection { section: String, existing: String },
    #[error("{page} already answers at the address of content/{section}/: a section there would hide it; pick another name")]
    PageAtSectionPath { section: String, page: String },
    #[error("`{lang}` is not a language of this site; config.toml has: {known}")]
    UnknownLanguage { lang: String, known: String },
    #[error("refusing to overwrite existing files: {}", .0.join(", "))]
    Exists(Vec<String>),
    #[error("could not write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// What to create.
#[derive(Debug, Clone)]
pub struct NewPage {
    /// `<section>/<slug>` or just `<slug>` for a page at the top of `content/`.
    pub name: String,
    /// Languages to create; empty means every language of the site.
    pub langs: Vec<String>,
}

/// What to create with [`new_section`].
#[derive(Debug, Clone)]
pub struct NewSection {
    /// The section's folder under `content/`: `news` or `help/shelters`.
    pub name: String,
    /// Languages to create; empty means every language of the site.
    pub langs: Vec<String>,
}

/// Which kind of file the placeholder text is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Page,
    Section,
}

/// Creates the files and returns their paths relative to the site root, in the order created.
pub fn new_page(site_root: &Path, request: &NewPage) -> Result<Vec<String>, ScaffoldError> {
    let langs = SiteLanguages::load(site_root)?;
    let (section, slug) = split_name(&request.name)?;
    let content = site_root.join("content");
    if !section.is_empty() && !content.join(&section).join("_index.md").exists() {
        return Err(ScaffoldError::NoSection {
            section,
            existing: existing_sections(&content).join(", "),
        });
    }
    let wanted = wanted_languages(&langs, &request.langs)?;
    let page_key = if section.is_empty() {
        format!("{slug}.md")
    } else {
        format!("{section}/{slug}.md")
    };
    let page_key =
        ContentKey::new(&page_key).map_err(|_| ScaffoldError::BadName(request.name.clone()))?;
    create(site_root, &langs, &page_key, &wanted, Kind::Page)
}

/// Creates a section (`content/<name>/_index.md` and its translations), so pages can then
/// be added to it with [`new_page`]. The parent folder must be `content/` or a section, and
/// no page may already answer at the section's address.
pub fn new_section(site_root: &Path, request: &NewSection) -> Result<Vec<String>, ScaffoldError> {
    let langs = SiteLanguages::load(site_root)?;
    let (parent, last) = split_name(&request.name)?;
    let content = site_root.join("content");
    if !parent.is_empty() && !content.join(&parent).join("_index.md").exists() {
        return Err(ScaffoldError::NoSection {
            section: parent,
            existing: existing_sections(&content).join(", "),
        });
    }
    let folder = if parent.is_empty() {
        last
    } else {
        format!("{parent}/{last}")
    };
    let page_here = [format!("{folder}.md"), format!("{folder}/index.md")]
        .into_iter()
        .find(|key| content.join(key).exists());
    if let Some(key) = page_here {
        return Err(ScaffoldError::PageAtSectionPath {
            section: folder,
            page: format!("content/{key}"),
        });
    }
    let wanted = wanted_languages(&langs, &request.langs)?;
    let key = ContentKey::new(&format!("{folder}/_index.md"))
        .map_err(|_| ScaffoldError::BadName(request.name.clone()))?;
    create(site_root, &langs, &key, &wanted, Kind::Section)
}

fn wanted_languages(
    langs: &SiteLanguages,
    requested: &[String],
) -> Result<Vec<Lang>, ScaffoldError> {
    if requested.is_empty() {
        return Ok(langs.all().cloned().collect());
    }
    let mut wanted = Vec::new();
    for code in requested {
        let Some(lang) = langs.get(code) else {
            return Err(ScaffoldError::UnknownLanguage {
                lang: code.clone(),
                known: langs.all().map(Lang::as_str).collect::<Vec<_>>().join(", "),
            });
        };
        if !wanted.contains(lang) {
            wanted.push(lang.clone());
        }
    }
    Ok(wanted)
}

/// Writes the default-language file (when missing) and each wanted language's file of the
/// content key `key`, never over an existing file.
fn create(
    site_root: &Path,
    langs: &SiteLanguages,
    key: &ContentKey,
    wanted: &[Lang],
    kind: Kind,
) -> Result<Vec<String>, ScaffoldError> {
    let content = site_root.join("content");
    let source_path = content.join(key.as_str());
    let source_exists = source_path.exists();
    // A translation needs a default-language file; create it too when it is missing.
    let mut to_create: Vec<Lang> = Vec::new();
    if !source_exists && !wanted.contains(&langs.default) {
        to_create.push(langs.default.clone());
    }
    to_create.extend(wanted.iter().cloned());
    to_create.sort_by_key(|lang| *lang != langs.default);

    let targets: Vec<(Lang, PathBuf)> = to_create
        .iter()
        .map(|lang| {
            (
                lang.clone(),
                content.join(translation_file_name(key, lang, langs)),
            )
        })
        .collect();
    let existing: Vec<String> = targets
        .iter()
        .filter(|(_, path)| path.exists())
        .map(|(_, path)| display(path, site_root))
        .collect();
    if !existing.is_empty() {
        return Err(ScaffoldError::Exists(existing));
    }

    let date = today();
    let mut created = Vec::new();
    let mut placeholder_hash = None;
    for (lang, path) in &targets {
        // The default-language file has no source_hash; an untranslated file added to a
        // page that is already written stays unmarked.
        let hash = if *lang == langs.default || source_exists {
            None
        } else {
            placeholder_hash.clone()
        };
        let text = front_matter_and_body(kind, lang, &date, hash.as_deref());
        write_new(path, &text, site_root)?;
        if *lang == langs.default {
            let file = read_content_file(site_root, path, langs)?;
            placeholder_hash = Some(source_hash(&file));
        }
        created.push(display(path, site_root));
    }
    Ok(created)
}

fn split_name(name: &str) -> Result<(String, String), ScaffoldError> {
    let trimmed = name.trim().trim_matches('/');
    let trimmed = trimmed.strip_suffix(".md").unwrap_or(trimmed);
    let parts: Vec<&str> = trimmed.split('/').collect();
    let valid = |part: &str| {
        !part.is_empty()
            && !part.starts_with('-')
            && part
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    if parts.iter().any(|p| !valid(p)) {
        return Err(ScaffoldError::BadName(name.to_string()));
    }
    let (slug, section) = parts
        .split_last()
        .ok_or_else(|| ScaffoldError::BadName(name.to_string()))?;
    Ok((section.join("/"), (*slug).to_string()))
}

fn existing_sections(content: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![content.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.join("_index.md").exists() {
                    found.push(display(&path, content));
                }
                stack.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Placeholder text in the file's own language, so a translator sees where to write. It
/// holds no digits: the content checks read a number like "155" as a phone number to dial.
/// New files are drafts, so nothing half-written is published.
fn front_matter_and_body(kind: Kind, lang: &str, date: &str, source_hash: Option<&str>) -> String {
    let (title, description, body) = match (kind, lang) {
        (Kind::Page, "az") => (
            "Yeni səhifə",
            "Bu səhifə haqqında qısa bir cümlə.",
            "Mətni burada Markdown ilə yazın.",
        ),
        (Kind::Page, "ru") => (
            "Новая страница",
            "Одно короткое предложение об этой странице.",
            "Напишите текст здесь в формате Markdown.",
        ),
        (Kind::Page, _) => (
            "New page",
            "One short sentence about this page.",
            "Write the text here in Markdown.",
        ),
        (Kind::Section, "az") => (
            "Yeni bölmə",
            "Bu bölmə haqqında qısa bir cümlə.",
            "Bölmənin giriş mətnini burada yazın; səhifələri siyahısı altda görünür.",
        ),
        (Kind::Section, "ru") => (
            "Новый раздел",
            "Одно короткое предложение об этом разделе.",
            "Напишите здесь вступление к разделу; список его страниц появится ниже.",
        ),
        (Kind::Section, _) => (
            "New section",
            "One short sentence about this section.",
            "Write the section's introduction here; the list of its pages appears below.",
        ),
    };
    let mut text = format!("+++\ntitle = \"{title}\"\ndescription = \"{description}\"\n");
    match kind {
        Kind::Page => text.push_str(&format!("date = {date}\n")),
        Kind::Section => text.push_str("sort_by = \"weight\"\n"),
    }
    text.push_str("draft = true\n");
    if let Some(hash) = source_hash {
        text.push_str(&format!("source_hash = \"{hash}\"\n"));
    }
    text.push_str(&format!("+++\n\n{body}\n"));
    text
}

fn write_new(path: &Path, text: &str, site_root: &Path) -> Result<(), ScaffoldError> {
    let fail = |source| ScaffoldError::Write {
        path: display(path, site_root),
        source,
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(fail)?;
    }
    // create_new: never replace a file that appeared since the check above.
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(fail)?;
    file.write_all(text.as_bytes()).map_err(fail)
}

fn display(path: &Path, root: &Path) -> String {
    crate::translations::content_files::display_path(path, root)
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    let (y, m, d) = civil_from_days(i64::try_from(days).unwrap_or(0));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translations::{TranslationReport, TranslationState};

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("config.toml"),
            "default_language = \"az\"\n[languages.ru]\n[languages.en]\n",
        )
        .unwrap();
        fs::create_dir_all(dir.path().join("content/help")).unwrap();
        fs::write(dir.path().join("content/help/_index.md"), "+++\n+++\n").unwrap();
        dir
    }

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(12_544), (2004, 5, 6));
    }

    #[test]
    fn creates_source_and_translations_and_refuses_to_overwrite() {
        let dir = site();
        let created = new_page(
            dir.path(),
            &NewPage {
                name: "help/shelter".into(),
                langs: vec!["ru".into()],
            },
        )
        .unwrap();
        assert_eq!(
            created,
            vec!["content/help/shelter.md", "content/help/shelter.ru.md"]
        );
        let report = TranslationReport::load(dir.path()).unwrap();
        let row = report
            .rows
            .iter()
            .find(|r| r.page == "content/help/shelter.md")
            .unwrap();
        assert_eq!(row.states[2].1, TranslationState::UpToDate);

        let again = new_page(
            dir.path(),
            &NewPage {
                name: "help/shelter".into(),
                langs: vec![],
            },
        )
        .unwrap_err();
        assert_eq!(
            again.to_string(),
            "refusing to overwrite existing files: content/help/shelter.md, content/help/shelter.ru.md"
        );
        // Adding the missing English file to the existing page works and stays unmarked.
        let created = new_page(
            dir.path(),
            &NewPage {
                name: "help/shelter".into(),
                langs: vec!["en".into()],
            },
        )
        .unwrap();
        assert_eq!(created, vec!["content/help/shelter.en.md"]);
        let report = TranslationReport::load(dir.path()).unwrap();
        let row = report
            .rows
            .iter()
            .find(|r| r.page == "content/help/shelter.md")
            .unwrap();
        assert_eq!(row.states[1].1, TranslationState::Unmarked);
    }

    #[test]
    fn creates_a_section_that_pages_can_then_go_into() {
        let dir = site();
        let created = new_section(
            dir.path(),
            &NewSection {
                name: "news".into(),
                langs: vec![],
            },
        )
        .unwrap();
        assert_eq!(
            created,
            vec![
                "content/news/_index.md",
                "content/news/_index.en.md",
                "content/news/_index.ru.md"
            ]
        );
        let az = fs::read_to_string(dir.path().join("content/news/_index.md")).unwrap();
        assert!(az.contains("title = \"Yeni bölmə\"\n"), "{az}");
        assert!(
            az.contains("\ndraft = true\n") && !az.contains("date ="),
            "{az}"
        );
        let page = new_page(
            dir.path(),
            &NewPage {
                name: "news/first-post".into(),
                langs: vec!["az".into()],
            },
        )
        .unwrap();
        assert_eq!(page, vec!["content/news/first-post.md"]);
        // Nested sections need their parent; a page at the address blocks a section.
        let nested = |name: &str| {
            new_section(
                dir.path(),
                &NewSection {
                    name: name.into(),
                    langs: vec![],
                },
            )
            .map_err(|e| e.to_string())
        };
        assert!(nested("help/shelters").is_ok());
        assert!(nested("missing/child")
            .unwrap_err()
            .starts_with("content/missing/ is not a section"));
        fs::write(
            dir.path().join("content/about.md"),
            "+++\ntitle = \"A\"\n+++\n",
        )
        .unwrap();
        assert_eq!(
            nested("about").unwrap_err(),
            "content/about.md already answers at the address of content/about/: a section there would hide it; pick another name"
        );
        assert!(nested("news")
            .unwrap_err()
            .starts_with("refusing to overwrite"));
    }

    #[test]
    fn rejects_bad_names_and_sections() {
        let dir = site();
        let bad = |name: &str| {
            new_page(
                dir.path(),
                &NewPage {
                    name: name.into(),
                    langs: vec![],
                },
            )
            .unwrap_err()
            .to_string()
        };
        assert!(bad("help/Şəki").starts_with("`help/Şəki` is not a valid page name"));
        assert_eq!(
            bad("news/x"),
            "content/news/ is not a section (no content/news/_index.md); create it with `xeberdar new section news` or pick an existing one: help"
        );
    }
}
