//! Pages and sections as loaded from `content/`, with what the library computes for them.

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use super::file_info::FileInfo;
use super::front_matter::{KeyPositions, PageFrontMatter, SectionFrontMatter};
use crate::config::{ContentKey, Lang};
use crate::diagnostics::Diagnostics;
use crate::markdown::Rendered;

/// A file that sits beside a bundle page or a section's `_index.md` and is copied next to
/// its output (images, PDFs).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Asset {
    /// Where it is on disk.
    pub source: std::path::PathBuf,
    /// Path relative to the bundle or section folder (`photo.jpg`, `img/a.png`): where it
    /// goes relative to the page's output folder.
    pub relative: String,
}

/// The text of a content file and where its body starts, kept so the editor tooling can lint
/// Markdown with file line numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The whole file as read.
    #[serde(skip)]
    pub text: Arc<str>,
    /// Byte offset of the Markdown body in `text`.
    pub body_start: usize,
    /// 1-based line where the body starts.
    pub body_line: usize,
    /// Set once `text` is let go ([`Source::release`]): a fingerprint of it, so the file
    /// read again can be told to be the same.
    #[serde(skip)]
    pub released: Option<u64>,
}

impl Source {
    pub fn new(text: Arc<str>, body_start: usize, body_line: usize) -> Self {
        Self {
            text,
            body_start,
            body_line,
            released: None,
        }
    }

    pub fn body(&self) -> &str {
        self.text.get(self.body_start..).unwrap_or("")
    }

    /// Lets go of the text, for a one-shot build that reads it again only to render it.
    pub fn release(&mut self) {
        if self.released.is_none() {
            self.released = Some(fingerprint(&self.text));
        }
        self.text = Arc::from("");
    }

    /// The whole text: the one held, or when it was let go, the file at `path` read
    /// again. Fails when the file cannot be read or is no longer what was read first.
    pub fn text_again(&self, path: &Path) -> Result<Arc<str>, String> {
        let Some(expected) = self.released else {
            return Ok(self.text.clone());
        };
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
        if fingerprint(&text) != expected {
            return Err("the file changed while the site was being built; build again".into());
        }
        Ok(text.into())
    }
}

fn fingerprint(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// A page in one language.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub file: FileInfo,
    pub meta: PageFrontMatter,
    /// 1-based (line, col) of each front-matter key in the file.
    pub positions: KeyPositions,
    pub source: Source,
    pub lang: Lang,
    /// Where the page sits in the site; empty until the library places it.
    #[serde(flatten)]
    pub placement: PagePlacement,
    pub word_count: usize,
    /// Minutes, at 200 words a minute.
    pub reading_time: usize,
    /// Filled by `Library::render_all` / `render_keys`.
    pub rendered: Rendered,
    /// Anchor-check results from the last render (phase 2).
    pub link_diagnostics: Diagnostics,
}

/// Every page of a library by content key. Each page is boxed: a site of tens of
/// thousands of pages then moves only pointers while the map is built and its B-tree
/// nodes stay small, instead of copying every page (about a kilobyte each) into a growing
/// list and again into the nodes.
pub type Pages = std::collections::BTreeMap<ContentKey, Box<Page>>;

/// A section (`_index.md`) in one language.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub file: FileInfo,
    pub meta: SectionFrontMatter,
    pub positions: KeyPositions,
    pub source: Source,
    pub lang: Lang,
    /// Where the section sits in the site and what it lists; empty until the library
    /// places it.
    #[serde(flatten)]
    pub placement: SectionPlacement,
    /// True when the language had no `_index` file here and the library made one up
    /// (only for root sections).
    pub implicit: bool,
    pub word_count: usize,
    pub reading_time: usize,
    pub rendered: Rendered,
    pub link_diagnostics: Diagnostics,
}

/// What the library derives for a page from every file's name and front matter (its
/// address, section, neighbours, assets). Kept apart from what the file itself says so a
/// reload whose front matter did not change can carry the old placement over whole.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PagePlacement {
    /// Last URL segment (`slug` from front matter, else the file or bundle name).
    pub slug: String,
    /// Site path with the language prefix: `/ru/signs/page/`.
    pub path: String,
    pub permalink: String,
    /// Content key of the section that lists it (`signs/_index.ru.md`); `None` when the
    /// folder has no section in this language.
    pub parent_section: Option<ContentKey>,
    /// Section keys from the language's root section down to the parent.
    pub ancestors: Vec<ContentKey>,
    pub assets: Vec<Asset>,
    /// Neighbours in the listing section's order (Zola's meaning: with `sort_by = "date"`,
    /// `lower` is older and `higher` newer; with weight/title, `lower` comes before).
    pub lower: Option<ContentKey>,
    pub higher: Option<ContentKey>,
}

/// What the library derives for a section from every file's name and front matter (its
/// address, parent, listing, subsections, assets), apart from the file's own content for
/// the same reason as [`PagePlacement`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SectionPlacement {
    /// `/ru/signs/`, `/` for the default language's root.
    pub path: String,
    pub permalink: String,
    /// Parent section key; `None` for a root section.
    pub parent_section: Option<ContentKey>,
    pub ancestors: Vec<ContentKey>,
    /// Page keys in `sort_by` order (ties broken by key), pages of transparent subsections
    /// included.
    pub pages: Vec<ContentKey>,
    /// Child section keys, by weight then key.
    pub subsections: Vec<ContentKey>,
    pub assets: Vec<Asset>,
}

/// Words separated by ASCII whitespace. Bytes of multi-byte UTF-8 characters are never
/// ASCII, so counting on bytes is exact for that rule and much faster than a Unicode scan.
pub(crate) fn word_count(body: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for b in body.bytes() {
        let space = b.is_ascii_whitespace();
        if !space && !in_word {
            count += 1;
        }
        in_word = !space;
    }
    count
}

pub(crate) fn reading_time(words: usize) -> usize {
    words.div_ceil(200)
}
