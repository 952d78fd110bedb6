//! `xeberdar translations mark <file...>`: records in a translation that it matches the
//! current default-language page, by writing `source_hash` into its front matter.
//!
//! The edit touches one line and leaves every other byte of the file as it was (comments,
//! key order, line endings), because editors keep their own formatting in front matter.

use std::fs;
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::content_files::{
    find_top_level_key, read_content_file, ContentFile, ContentFilesError, SiteLanguages,
};
use super::source_hash::source_hash;
use crate::config::Lang;

#[derive(Debug, Error)]
pub enum MarkError {
    #[error(transparent)]
    Files(#[from] ContentFilesError),
    #[error("{path}: this is not a file under content/")]
    NotContent { path: String },
    #[error(
        "{path}: this page is in the default language ({lang}); mark its translations instead, \
         for example {example}"
    )]
    DefaultLanguage {
        path: String,
        lang: String,
        example: String,
    },
    #[error("{path}:1:1: this translation has no default-language page to compare with (expected {expected})")]
    NoSource { path: String, expected: String },
    #[error("{path}:1:1: the file must start with a +++ front matter block to record source_hash")]
    NoFrontMatter { path: String },
    #[error("could not write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// What `mark` did to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marked {
    pub display_path: String,
    pub hash: String,
    /// The hash the file had before, if any.
    pub previous: Option<String>,
}

/// Marks each translation file as up to date with its default-language page.
/// Paths may be absolute or relative to the current directory; they must lie under
/// `<site_root>/content/`.
pub fn mark_translations(site_root: &Path, files: &[PathBuf]) -> Result<Vec<Marked>, MarkError> {
    let langs = SiteLanguages::load(site_root)?;
    let content_dir = absolute(&site_root.join("content"), Path::new(""));
    let content_dir = content_dir.canonicalize().unwrap_or(content_dir);
    let mut done = Vec::new();
    for file in files {
        let path = absolute(file, site_root);
        let path = path.canonicalize().unwrap_or(path);
        let relative_to_content =
            path.strip_prefix(&content_dir)
                .map_err(|_| MarkError::NotContent {
                    path: file.display().to_string(),
                })?;
        let root = content_dir.parent().unwrap_or(&content_dir).to_path_buf();
        let translation = read_content_file(&root, &path, &langs)?;
        if translation.lang == langs.default {
            let stem = relative_to_content.to_string_lossy().replace('\\', "/");
            let stem = stem.strip_suffix(".md").unwrap_or(&stem).to_string();
            let example_lang = langs.others.first().map_or("ru", Lang::as_str);
            return Err(MarkError::DefaultLanguage {
                path: translation.display_path,
                lang: langs.default.to_string(),
                example: format!("content/{stem}.{example_lang}.md"),
            });
        }
        let source_path = content_dir.join(translation.page_key.as_str());
        if !source_path.exists() {
            return Err(MarkError::NoSource {
                path: translation.display_path,
                expected: format!("content/{}", translation.page_key),
            });
        }
        let source = read_content_file(&root, &source_path, &langs)?;
        done.push(mark_one(&translation, &source)?);
    }
    Ok(done)
}

fn mark_one(translation: &ContentFile, source: &ContentFile) -> Result<Marked, MarkError> {
    let hash = source_hash(source);
    let previous = translation
        .front_matter
        .as_ref()
        .and_then(|fm| fm.str_field("source_hash"))
        .map(str::to_string);
    let new_text =
        with_source_hash(&translation.text, &hash).ok_or_else(|| MarkError::NoFrontMatter {
            path: translation.display_path.clone(),
        })?;
    if new_text != translation.text {
        fs::write(&translation.path, new_text).map_err(|source| MarkError::Write {
            path: translation.display_path.clone(),
            source,
        })?;
    }
    Ok(Marked {
        display_path: translation.display_path.clone(),
        hash,
        previous,
    })
}

/// The file text with `source_hash = "<hash>"` set: the value replaced in place when the key
/// is there, otherwise a new line before the first `[table]` of the front matter (or before
/// the closing `+++`). `None` when the text has no front matter.
pub fn with_source_hash(text: &str, hash: &str) -> Option<String> {
    let fm = super::content_files::split_front_matter(text)?;
    let toml_text = &text[fm.toml_start..fm.toml_end];
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    if let Some(key_offset) = find_top_level_key(toml_text, "source_hash") {
        let line_start = fm.toml_start + key_offset;
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = &text[line_start..line_end];
        let line_body_end = line.trim_end_matches('\r').len();
        let mut out = String::with_capacity(text.len());
        out.push_str(&text[..line_start]);
        out.push_str(&format!("source_hash = \"{hash}\""));
        out.push_str(&text[line_start + line_body_end..]);
        return Some(out);
    }
    // Insert before the first table header, or at the end of the front matter.
    let mut insert_at = fm.toml_end;
    let mut offset = fm.toml_start;
    for line in toml_text.split_inclusive('\n') {
        if line.trim_start().starts_with('[') {
            insert_at = offset;
            break;
        }
        offset += line.len();
    }
    let mut out = String::with_capacity(text.len() + 40);
    out.push_str(&text[..insert_at]);
    if insert_at > 0 && !text[..insert_at].ends_with('\n') {
        out.push_str(newline);
    }
    out.push_str(&format!("source_hash = \"{hash}\"{newline}"));
    out.push_str(&text[insert_at..]);
    Some(out)
}

/// A path as given on the command line: relative to the current folder, or else to the
/// site root (so `--root site content/a.ru.md` works too).
fn absolute(path: &Path, site_root: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_path_buf();
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let from_cwd = cwd.join(path);
    if from_cwd.exists() {
        return from_cwd;
    }
    let root = if site_root.is_absolute() {
        site_root.to_path_buf()
    } else {
        cwd.join(site_root)
    };
    root.join(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_value_in_place() {
        let text =
            "+++\ntitle = \"x\" # kept\nsource_hash = \"old\"  \n[extra]\na = 1\n+++\nBody\n";
        let out = with_source_hash(text, "abc123").unwrap();
        assert_eq!(
            out,
            "+++\ntitle = \"x\" # kept\nsource_hash = \"abc123\"\n[extra]\na = 1\n+++\nBody\n"
        );
    }

    #[test]
    fn inserts_before_the_first_table() {
        let text = "+++\r\ntitle = \"x\"\r\n\r\n[taxonomies]\r\ntags = []\r\n+++\r\nBody\r\n";
        let out = with_source_hash(text, "abc").unwrap();
        assert_eq!(
            out,
            "+++\r\ntitle = \"x\"\r\n\r\nsource_hash = \"abc\"\r\n[taxonomies]\r\ntags = []\r\n+++\r\nBody\r\n"
        );
    }

    #[test]
    fn inserts_at_the_end_without_tables() {
        let text = "+++\ntitle = \"x\"\n+++\n";
        assert_eq!(
            with_source_hash(text, "abc").unwrap(),
            "+++\ntitle = \"x\"\nsource_hash = \"abc\"\n+++\n"
        );
        assert_eq!(with_source_hash("no front matter", "abc"), None);
    }

    #[test]
    fn a_key_inside_a_table_is_not_the_top_level_key() {
        let text = "+++\ntitle = \"x\"\n[extra]\nsource_hash = \"keep\"\n+++\n";
        let out = with_source_hash(text, "new").unwrap();
        assert_eq!(
            out,
            "+++\ntitle = \"x\"\nsource_hash = \"new\"\n[extra]\nsource_hash = \"keep\"\n+++\n"
        );
    }
}
