//! Reading `content/` from disk: which files are content, and each Markdown file parsed on
//! its own (front matter, body, word count). Nothing here looks at other files: placing
//! them is the structure passes' work.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::file_info::{FileInfo, FileKind};
use super::front_matter;
use super::page::{reading_time, word_count, Page, Section, Source};
use crate::config::{Config, ContentKey};
use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex};
use crate::markdown::Rendered;
use crate::message::{Message, MessageId};

/// How to load.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Keep pages and sections with `draft = true` (`build --drafts`).
    pub include_drafts: bool,
    /// Let go of each file's text once parsed ([`super::Source::release`]), for a one-shot
    /// build that reads each file again only to render it ([`super::Library::render_once`]).
    pub release_sources: bool,
}

/// One content file: a page or a section.
#[derive(Debug, Clone)]
pub enum ContentFile {
    Page(Box<Page>),
    Section(Box<Section>),
}

/// Result of reading one file.
pub(super) enum Parsed {
    File(ContentFile),
    Draft(ContentKey),
    Failed(ContentKey, Diagnostics),
}

pub(super) fn parse_file(
    content_dir: &Path,
    key: &ContentKey,
    config: &Config,
    options: LoadOptions,
) -> Parsed {
    match read_content_file(content_dir, key, config) {
        Ok(ContentFile::Page(p)) if p.meta.draft && !options.include_drafts => {
            Parsed::Draft(key.clone())
        }
        Ok(ContentFile::Section(s)) if s.meta.draft && !options.include_drafts => {
            Parsed::Draft(key.clone())
        }
        Ok(mut file) => {
            if options.release_sources {
                match &mut file {
                    ContentFile::Page(p) => p.source.release(),
                    ContentFile::Section(s) => s.source.release(),
                }
            }
            Parsed::File(file)
        }
        Err(d) => Parsed::Failed(key.clone(), d),
    }
}

/// Reads and parses one content file (`key` relative to `content_dir`), drafts included,
/// without touching any library: a pure function of the file, for the editor tooling and
/// for parallel loading. URLs, parents and neighbours are left empty (the library fills
/// them in).
pub fn read_content_file(
    content_dir: &Path,
    key: &ContentKey,
    config: &Config,
) -> Result<ContentFile, Diagnostics> {
    let site_path = format!("content/{key}");
    let fail = |line, col, msg: Message| -> Result<ContentFile, Diagnostics> {
        Err(Diagnostic::error(site_path.clone(), line, col, msg).into())
    };
    let info = match FileInfo::new(content_dir, key, config) {
        Ok(i) => i,
        Err(m) => return fail(1, 1, m),
    };
    let text: Arc<str> = match std::fs::read(&info.abs_path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(s) => s.into(),
            Err(e) => {
                let off = e.utf8_error().valid_up_to();
                let valid = String::from_utf8_lossy(&e.as_bytes()[..off]).into_owned();
                let (line, col) = LineIndex::new(&valid).position(&valid, off);
                return fail(line, col, Message::of(MessageId::FileNotUtf8));
            }
        },
        Err(e) => {
            return fail(
                1,
                1,
                Message::of(MessageId::FileUnreadable).text("detail", e.to_string()),
            )
        }
    };
    let split = match front_matter::split(&text) {
        Ok(s) => s,
        Err((off, m)) => {
            let (line, col) = LineIndex::new(&text).position(&text, off);
            return fail(line, col, m);
        }
    };
    // Front-matter positions never reach past the body's start: index just that part.
    let lines = LineIndex::new(&text[..split.body_start]);
    let src = front_matter::Source {
        path: &site_path,
        text: &text,
        lines: &lines,
        split,
    };
    let source = Source::new(text.clone(), split.body_start, lines.line(split.body_start));
    let words = word_count(source.body());
    let lang = info.lang.clone();
    if info.kind == FileKind::Section {
        match front_matter::parse_section(&src) {
            Ok((meta, positions)) => Ok(ContentFile::Section(Box::new(Section {
                file: info,
                meta,
                positions,
                source,
                lang,
                placement: Default::default(),
                implicit: false,
                word_count: words,
                reading_time: reading_time(words),
                rendered: Rendered::default(),
                link_diagnostics: Diagnostics::new(),
            }))),
            Err(d) => Err(Diagnostics(d)),
        }
    } else {
        match front_matter::parse_page(&src) {
            Ok((meta, positions)) => Ok(ContentFile::Page(Box::new(Page {
                file: info,
                meta,
                positions,
                source,
                lang,
                placement: Default::default(),
                word_count: words,
                reading_time: reading_time(words),
                rendered: Rendered::default(),
                link_diagnostics: Diagnostics::new(),
            }))),
            Err(d) => Err(Diagnostics(d)),
        }
    }
}

/// Editor backups and hidden files are not content.
pub(super) fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.starts_with("#")
}

pub(super) fn relative_key(base: &Path, p: &Path) -> Option<String> {
    let rel = p.strip_prefix(base).ok()?;
    let parts: Vec<&str> = rel
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect::<Option<Vec<_>>>()?;
    Some(parts.join("/"))
}

/// What a walk of `content/` found, each list in path order.
pub(super) struct Walk {
    /// Content keys of the Markdown files.
    pub markdown: Vec<ContentKey>,
    /// Every other file, by content-relative path (bundle and section assets).
    pub other_files: BTreeSet<String>,
    /// Folders or files that could not be listed, by path.
    pub errors: BTreeMap<String, Diagnostics>,
}

/// Lists `content_dir` (inside `site_root`), leaving out hidden files and editor backups.
pub(super) fn walk(site_root: &Path, content_dir: &Path) -> Walk {
    let mut found = Walk {
        markdown: Vec::new(),
        other_files: BTreeSet::new(),
        errors: BTreeMap::new(),
    };
    if !content_dir.is_dir() {
        return found;
    }
    let walker = walkdir::WalkDir::new(content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_str().is_none_or(is_ignored));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .and_then(|p| relative_key(site_root, p))
                    .unwrap_or_else(|| "content".to_string());
                found.errors.insert(
                    path.clone(),
                    Diagnostic::error(
                        path,
                        1,
                        1,
                        Message::of(MessageId::FileUnreadable).text("detail", e.to_string()),
                    )
                    .into(),
                );
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(key) = relative_key(content_dir, entry.path()) else {
            let shown = entry.path().display().to_string();
            found.errors.insert(
                shown.clone(),
                Diagnostic::error(shown, 1, 1, Message::of(MessageId::FileNameNotUtf8)).into(),
            );
            continue;
        };
        match ContentKey::new(&key) {
            Ok(key) => found.markdown.push(key),
            Err(_) => {
                found.other_files.insert(key);
            }
        }
    }
    found
}

/// Reads and parses `keys` in parallel, in their order.
pub(super) fn parse_all(
    content_dir: &Path,
    keys: &[ContentKey],
    config: &Config,
    options: LoadOptions,
) -> Vec<Parsed> {
    keys.par_iter()
        .map(|k| parse_file(content_dir, k, config, options))
        .collect()
}
