//! The whole `content/` tree in memory: pages and sections per language, their URLs, order,
//! translations and taxonomies; re-readable one file at a time for `serve`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lexical_sort::natural_lexical_cmp;
use rayon::prelude::*;
use serde::Serialize;

use super::file_info::{FileInfo, FileKind};
use super::front_matter::{self, SortBy};
use super::page::{reading_time, word_count, Asset, Page, Section, Source};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex, LoadError};
use crate::markdown::{
    check_anchors, render_markdown, slug::slugify_path, LinkTargets, RenderContext, RenderInput,
    Rendered, ShortcodeRenderer,
};
use crate::message::{Message, MessageId};

/// How to load.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Keep pages and sections with `draft = true` (`build --drafts`).
    pub include_drafts: bool,
}

/// One content file: a page or a section.
#[derive(Debug, Clone)]
pub enum ContentFile {
    Page(Box<Page>),
    Section(Box<Section>),
}

/// One language's version of a page or section, for language switchers and hreflang.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Translation {
    pub lang: String,
    pub key: String,
    pub permalink: String,
}

/// The same content in several languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TranslationGroup {
    /// Key without language suffix (`signs/page.md`).
    pub canonical: String,
    pub is_section: bool,
    /// Present languages in config order (default first).
    pub members: Vec<Translation>,
    /// Configured languages with no version of this content.
    pub missing: Vec<String>,
}

/// A taxonomy in one language (`tags` in `ru`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Taxonomy {
    pub name: String,
    pub lang: String,
    /// `/ru/tags/`.
    pub path: String,
    pub permalink: String,
    /// Terms in the order of their slugs.
    pub terms: Vec<TaxonomyTerm>,
}

impl Taxonomy {
    /// The term with this slug (a binary search: a taxonomy may have tens of thousands).
    pub fn term(&self, slug: &str) -> Option<&TaxonomyTerm> {
        self.terms
            .binary_search_by(|t| t.slug.as_str().cmp(slug))
            .ok()
            .map(|i| &self.terms[i])
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaxonomyTerm {
    /// As first written in a page (the alphabetically first spelling when pages differ).
    pub name: String,
    pub slug: String,
    pub path: String,
    pub permalink: String,
    /// Page keys, newest first, ties by key.
    pub pages: Vec<String>,
}

/// What changed after [`Library::reload_file`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ChangeSet {
    pub added: Vec<String>,
    pub modified: Vec<String>,
    pub removed: Vec<String>,
    /// Front matter changed (title, date, URL, draft, taxonomies…), the `<!-- more -->`
    /// summary changed, or a file came or went: section listings, neighbours, taxonomy
    /// pages and language switchers may show something different now. When false, only the
    /// file's own output (and `rerendered`) changed.
    pub structure_changed: bool,
    /// A colocated asset (not Markdown) was added, changed or removed.
    pub assets_changed: bool,
    /// Keys whose Markdown was re-rendered (the file, and pages linking to it when its
    /// address or anchors changed). Their templates need rendering again.
    pub rerendered: Vec<String>,
    /// Current problems in the reloaded file.
    pub diagnostics: Diagnostics,
}

/// Every page and section of the site, in every language.
#[derive(Debug, Clone)]
pub struct Library {
    pub config: Arc<Config>,
    site_root: PathBuf,
    content_dir: PathBuf,
    options: LoadOptions,
    pages: BTreeMap<String, Page>,
    sections: BTreeMap<String, Section>,
    /// Keys of drafts left out (so a reload that un-drafts one is an addition).
    drafts: BTreeSet<String>,
    /// Files that could not be read or parsed, with why.
    file_errors: BTreeMap<String, Diagnostics>,
    /// Problems found across files (URL clashes, orphans, taxonomy names).
    structure_diagnostics: Diagnostics,
    /// Non-Markdown files by content-relative path.
    other_files: BTreeSet<String>,
    translations: BTreeMap<String, TranslationGroup>,
    /// canonical → [(lang, key)], for link resolution.
    by_canonical: HashMap<String, Vec<(String, String)>>,
    taxonomies: BTreeMap<String, Vec<Taxonomy>>,
    /// site path → key, for `get_page`-by-URL and clash detection.
    by_path: HashMap<String, String>,
    /// (alias path, key).
    aliases: Vec<(String, String)>,
}

/// Result of reading one file.
enum Parsed {
    File(ContentFile),
    Draft(String),
    Failed(String, Diagnostics),
}

fn parse_file(content_dir: &Path, key: &str, config: &Config, options: LoadOptions) -> Parsed {
    match read_content_file(content_dir, key, config) {
        Ok(ContentFile::Page(p)) if p.meta.draft && !options.include_drafts => {
            Parsed::Draft(key.to_string())
        }
        Ok(ContentFile::Section(s)) if s.meta.draft && !options.include_drafts => {
            Parsed::Draft(key.to_string())
        }
        Ok(file) => Parsed::File(file),
        Err(d) => Parsed::Failed(key.to_string(), d),
    }
}

/// Whether `message` is about a link to the content file `key` (or to its page `canonical`,
/// the path without a language suffix) that was broken or went to another language.
fn links_to(message: &Message, key: &str, canonical: &str) -> bool {
    match message.id() {
        Some(MessageId::LinkToNoSuchPage | MessageId::LinkNoSuchPage) => message
            .arg_text("target")
            .and_then(|t| t.strip_prefix("content/"))
            .is_some_and(|t| t == key || t == canonical),
        Some(MessageId::LinkUntranslated) => message
            .arg_text("link")
            .and_then(|l| l.strip_prefix("@/"))
            .is_some_and(|l| l == key || l == canonical),
        _ => false,
    }
}

/// Reads and parses one content file (`key` relative to `content_dir`), drafts included,
/// without touching any library: a pure function of the file, for the editor tooling and
/// for parallel loading. URLs, parents and neighbours are left empty (the library fills
/// them in).
pub fn read_content_file(
    content_dir: &Path,
    key: &str,
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
    let source = Source {
        body_start: split.body_start,
        body_line: lines.line(split.body_start),
        text: text.clone(),
    };
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
                path: String::new(),
                permalink: String::new(),
                parent_section: None,
                ancestors: Vec::new(),
                pages: Vec::new(),
                subsections: Vec::new(),
                assets: Vec::new(),
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
                slug: String::new(),
                path: String::new(),
                permalink: String::new(),
                parent_section: None,
                ancestors: Vec::new(),
                assets: Vec::new(),
                lower: None,
                higher: None,
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
fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.starts_with("#")
}

fn relative_key(base: &Path, p: &Path) -> Option<String> {
    let rel = p.strip_prefix(base).ok()?;
    let parts: Vec<&str> = rel
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect::<Option<Vec<_>>>()?;
    Some(parts.join("/"))
}

impl Library {
    /// Loads `<site_root>/content/`. Fails when any file has an error (every error listed);
    /// warnings stay available from [`Library::diagnostics`].
    pub fn load(
        site_root: &Path,
        config: Arc<Config>,
        options: LoadOptions,
    ) -> Result<Library, LoadError> {
        let lib = Self::load_lenient(site_root, config, options);
        let diags = lib.diagnostics();
        if diags.has_errors() {
            return Err(diags.into());
        }
        Ok(lib)
    }

    /// Loads what can be loaded and keeps every problem (for `serve`, which must keep
    /// showing the site while an editor fixes a file). Broken files are left out.
    pub fn load_lenient(site_root: &Path, config: Arc<Config>, options: LoadOptions) -> Library {
        let content_dir = site_root.join("content");
        let mut lib = Library {
            config,
            site_root: site_root.to_path_buf(),
            content_dir,
            options,
            pages: BTreeMap::new(),
            sections: BTreeMap::new(),
            drafts: BTreeSet::new(),
            file_errors: BTreeMap::new(),
            structure_diagnostics: Diagnostics::new(),
            other_files: BTreeSet::new(),
            translations: BTreeMap::new(),
            by_canonical: HashMap::new(),
            taxonomies: BTreeMap::new(),
            by_path: HashMap::new(),
            aliases: Vec::new(),
        };
        let mut md = Vec::new();
        if lib.content_dir.is_dir() {
            let walker = walkdir::WalkDir::new(&lib.content_dir)
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
                        lib.file_errors.insert(
                            path.clone(),
                            Diagnostic::error(
                                path,
                                1,
                                1,
                                Message::of(MessageId::FileUnreadable)
                                    .text("detail", e.to_string()),
                            )
                            .into(),
                        );
                        continue;
                    }
                };
                if !entry.file_type().is_file() {
                    continue;
                }
                let Some(key) = relative_key(&lib.content_dir, entry.path()) else {
                    let shown = entry.path().display().to_string();
                    lib.file_errors.insert(
                        shown.clone(),
                        Diagnostic::error(shown, 1, 1, Message::of(MessageId::FileNameNotUtf8))
                            .into(),
                    );
                    continue;
                };
                if key.ends_with(".md") {
                    md.push(key);
                } else {
                    lib.other_files.insert(key);
                }
            }
        }
        let parsed: Vec<Parsed> = md
            .par_iter()
            .map(|k| parse_file(&lib.content_dir, k, &lib.config, options))
            .collect();
        for p in parsed {
            lib.insert_parsed(p);
        }
        lib.build_structure();
        lib
    }

    fn insert_parsed(&mut self, p: Parsed) {
        match p {
            Parsed::File(ContentFile::Page(page)) => {
                self.pages.insert(page.file.key.clone(), *page);
            }
            Parsed::File(ContentFile::Section(section)) => {
                self.sections.insert(section.file.key.clone(), *section);
            }
            Parsed::Draft(k) => {
                self.drafts.insert(k);
            }
            Parsed::Failed(k, d) => {
                self.file_errors.insert(k, d);
            }
        }
    }

    // ----- read access -------------------------------------------------------------------

    pub fn site_root(&self) -> &Path {
        &self.site_root
    }

    pub fn content_dir(&self) -> &Path {
        &self.content_dir
    }

    pub fn options(&self) -> LoadOptions {
        self.options
    }

    /// All pages by content key, in key order.
    pub fn pages(&self) -> &BTreeMap<String, Page> {
        &self.pages
    }

    /// All sections by content key, in key order.
    pub fn sections(&self) -> &BTreeMap<String, Section> {
        &self.sections
    }

    pub fn page(&self, key: &str) -> Option<&Page> {
        self.pages.get(key)
    }

    pub fn section(&self, key: &str) -> Option<&Section> {
        self.sections.get(key)
    }

    /// Pages of one language, in key order.
    pub fn pages_in<'a>(&'a self, lang: &'a str) -> impl Iterator<Item = &'a Page> + 'a {
        self.pages.values().filter(move |p| p.lang == lang)
    }

    /// Sections of one language, in key order.
    pub fn sections_in<'a>(&'a self, lang: &'a str) -> impl Iterator<Item = &'a Section> + 'a {
        self.sections.values().filter(move |s| s.lang == lang)
    }

    /// The root section of a language (always present: made up when the file is missing).
    pub fn root_section(&self, lang: &str) -> Option<&Section> {
        self.find_key("_index.md", lang)
            .and_then(|k| self.sections.get(k))
    }

    /// Key of the page or section at a site path (`/ru/signs/`), if any.
    pub fn key_at_path(&self, path: &str) -> Option<&str> {
        self.by_path.get(path).map(String::as_str)
    }

    /// Every alias as (site path, key of the page or section it redirects to), sorted.
    pub fn aliases(&self) -> &[(String, String)] {
        &self.aliases
    }

    /// Translation groups of pages and sections, by canonical key.
    pub fn translation_groups(&self) -> &BTreeMap<String, TranslationGroup> {
        &self.translations
    }

    /// All language versions of the page or section `key` (itself included), default
    /// language first.
    pub fn translations_of(&self, key: &str) -> &[Translation] {
        let canonical = self
            .pages
            .get(key)
            .map(|p| &p.file.canonical)
            .or_else(|| self.sections.get(key).map(|s| &s.file.canonical));
        canonical
            .and_then(|c| self.translations.get(c))
            .map_or(&[], |g| g.members.as_slice())
    }

    /// Taxonomies of a language, in config order.
    pub fn taxonomies(&self, lang: &str) -> &[Taxonomy] {
        self.taxonomies.get(lang).map_or(&[], Vec::as_slice)
    }

    pub fn taxonomy(&self, lang: &str, name: &str) -> Option<&Taxonomy> {
        self.taxonomies(lang).iter().find(|t| t.name == name)
    }

    /// Content key of `canonical` in `lang`.
    pub fn find_key(&self, canonical: &str, lang: &str) -> Option<&str> {
        self.by_canonical
            .get(canonical)?
            .iter()
            .find(|(l, _)| l == lang)
            .map(|(_, k)| k.as_str())
    }

    /// Permalink of a page or section key.
    pub fn permalink_of(&self, key: &str) -> Option<&str> {
        self.pages
            .get(key)
            .map(|p| p.permalink.as_str())
            .or_else(|| self.sections.get(key).map(|s| s.permalink.as_str()))
    }

    /// Lets go of every file's source text once its Markdown is rendered and checked, for a
    /// one-shot `build` that will not render or lint it again (about as much memory as the
    /// content folder). `serve` and `check` keep it.
    pub fn release_sources(&mut self) {
        let empty: Arc<str> = Arc::from("");
        for p in self.pages.values_mut() {
            p.source.text = empty.clone();
            p.source.body_start = 0;
        }
        for s in self.sections.values_mut() {
            s.source.text = empty.clone();
            s.source.body_start = 0;
        }
    }

    /// Drafts that were left out.
    pub fn drafts(&self) -> &BTreeSet<String> {
        &self.drafts
    }

    /// Every problem known now: unknown config keys, unreadable files, cross-file problems, and (after rendering)
    /// Markdown and link problems. Sorted.
    pub fn diagnostics(&self) -> Diagnostics {
        // Config warnings (unknown keys) too, so `check` and `serve` show them.
        let mut all = self.config.warnings.clone();
        for d in self.file_errors.values() {
            all.extend(d.clone());
        }
        all.extend(self.structure_diagnostics.clone());
        // A file that no longer parses is represented by its last good version; that
        // version's problems are not the file's any more (its lines may not even exist).
        for (key, p) in &self.pages {
            if !self.file_errors.contains_key(key) {
                all.extend(p.rendered.diagnostics.clone());
                all.extend(p.link_diagnostics.clone());
            }
        }
        for (key, s) in &self.sections {
            if !self.file_errors.contains_key(key) {
                all.extend(s.rendered.diagnostics.clone());
                all.extend(s.link_diagnostics.clone());
            }
        }
        all.sort();
        all
    }

    /// Problems of one file (content key), for the editor's live view.
    pub fn diagnostics_for(&self, key: &str) -> Diagnostics {
        let site_path = format!("content/{key}");
        let mut out = Diagnostics::new();
        let failed = self.file_errors.get(key);
        if let Some(d) = failed {
            out.extend(d.clone());
        }
        out.0.extend(
            self.structure_diagnostics
                .iter()
                .filter(|d| d.path == site_path)
                .cloned(),
        );
        if failed.is_some() {
            // Only the parse errors: the kept last good version's problems are stale.
            out.sort();
            return out;
        }
        if let Some(p) = self.pages.get(key) {
            out.extend(p.rendered.diagnostics.clone());
            out.extend(p.link_diagnostics.clone());
        }
        if let Some(s) = self.sections.get(key) {
            out.extend(s.rendered.diagnostics.clone());
            out.extend(s.link_diagnostics.clone());
        }
        out.sort();
        out
    }

    // ----- structure -----------------------------------------------------------------------

    /// Recomputes everything derived from the set of files and their front matter: URLs,
    /// parents, listings and their order, neighbours, translations, taxonomies, aliases.
    /// Rendered Markdown is kept. Cheap (no I/O), so a reload can call it every time.
    fn build_structure(&mut self) {
        let config = self.config.clone();
        let mut diags = Diagnostics::new();
        let languages: Vec<String> = config.languages().into_iter().map(String::from).collect();

        // Made-up root sections are recreated each time.
        self.sections.retain(|_, s| !s.implicit);
        for lang in &languages {
            let exists = self
                .sections
                .values()
                .any(|s| s.lang == *lang && s.file.components.is_empty());
            if !exists {
                let key = if *lang == config.default_language {
                    "_index.md".to_string()
                } else {
                    format!("_index.{lang}.md")
                };
                if let Ok(file) = FileInfo::new(&self.content_dir, &key, &config) {
                    self.sections.insert(
                        key,
                        Section {
                            file,
                            meta: Default::default(),
                            positions: Default::default(),
                            source: Source {
                                text: Arc::from(""),
                                body_start: 0,
                                body_line: 1,
                            },
                            lang: lang.clone(),
                            path: String::new(),
                            permalink: String::new(),
                            parent_section: None,
                            ancestors: Vec::new(),
                            pages: Vec::new(),
                            subsections: Vec::new(),
                            assets: Vec::new(),
                            implicit: true,
                            word_count: 0,
                            reading_time: 0,
                            rendered: Rendered::default(),
                            link_diagnostics: Diagnostics::new(),
                        },
                    );
                }
            }
        }

        // Canonical index, and duplicate (canonical, lang) pairs (`a.md` + `a.az.md`).
        let mut by_canonical: HashMap<String, Vec<(String, String)>> = HashMap::new();
        let mut duplicates = Vec::new();
        for (key, file) in self
            .sections
            .iter()
            .map(|(k, s)| (k, &s.file))
            .chain(self.pages.iter().map(|(k, p)| (k, &p.file)))
        {
            let entry = by_canonical.entry(file.canonical.clone()).or_default();
            if let Some((_, other)) = entry.iter().find(|(l, _)| *l == file.lang) {
                duplicates.push((key.clone(), other.clone(), file.lang.clone()));
            } else {
                entry.push((file.lang.clone(), key.clone()));
            }
        }
        for (key, other, lang) in duplicates {
            diags.push(Diagnostic::error(
                format!("content/{key}"),
                1,
                1,
                Message::of(MessageId::PageDuplicateLanguage)
                    .text("other", format!("content/{other}"))
                    .text("lang", lang.as_str()),
            ));
        }

        // Section URLs and the (folder, lang) → section index.
        let mut section_at: HashMap<(String, String), String> = HashMap::new();
        for (key, s) in self.sections.iter_mut() {
            let mut path = config.lang_prefix(&s.lang);
            for c in &s.file.components {
                path.push('/');
                path.push_str(c);
            }
            path.push('/');
            s.permalink = config.permalink(&path);
            s.path = path;
            section_at.insert((s.file.section_dir(), s.lang.clone()), key.clone());
            s.pages.clear();
            s.subsections.clear();
        }
        // Section parents: the nearest folder above with a section in the same language.
        let mut section_parent: BTreeMap<String, Option<String>> = BTreeMap::new();
        for (key, s) in &self.sections {
            let mut comps = s.file.components.clone();
            let mut parent = None;
            while !comps.is_empty() {
                comps.pop();
                if let Some(k) = section_at.get(&(comps.join("/"), s.lang.clone())) {
                    parent = Some(k.clone());
                    break;
                }
            }
            section_parent.insert(key.clone(), parent);
        }
        let ancestors_of = |key: &str| -> Vec<String> {
            let mut chain = Vec::new();
            let mut cur = section_parent.get(key).cloned().flatten();
            while let Some(k) = cur {
                if chain.contains(&k) {
                    break;
                }
                cur = section_parent.get(&k).cloned().flatten();
                chain.push(k);
            }
            chain.reverse();
            chain
        };
        let section_ancestors: BTreeMap<String, Vec<String>> = self
            .sections
            .keys()
            .map(|k| (k.clone(), ancestors_of(k)))
            .collect();
        for (key, s) in self.sections.iter_mut() {
            s.parent_section = section_parent.get(key).cloned().flatten();
            s.ancestors = section_ancestors.get(key).cloned().unwrap_or_default();
        }

        // Page URLs and parents.
        let mut direct_pages: HashMap<String, Vec<String>> = HashMap::new();
        for (key, p) in self.pages.iter_mut() {
            let lang = p.lang.clone();
            let slug_source = p.meta.slug.as_deref().unwrap_or(&p.file.name);
            let slug = slugify_path(slug_source, &lang, config.slugify.paths);
            p.slug = if slug.is_empty() {
                p.file.name.clone()
            } else {
                slug
            };
            let mut path = config.lang_prefix(&lang);
            match p.meta.path.as_deref().map(|s| s.trim_matches('/')) {
                Some(custom) => {
                    // As in Zola, a custom path that already starts with the language
                    // code keeps it once (`path = "ru/x"` on a Russian page is `/ru/x/`).
                    let prefix = config.lang_prefix(&lang);
                    if !prefix.is_empty()
                        && (custom == &prefix[1..]
                            || custom.starts_with(&format!("{}/", &prefix[1..])))
                    {
                        path.clear();
                    }
                    if !custom.is_empty() {
                        path.push('/');
                        path.push_str(custom);
                    }
                }
                None => {
                    for c in &p.file.components {
                        path.push('/');
                        path.push_str(c);
                    }
                    path.push('/');
                    path.push_str(&p.slug);
                }
            }
            if !path.ends_with(".html") {
                path.push('/');
            }
            p.permalink = config.permalink(&path);
            p.path = path;
            p.lower = None;
            p.higher = None;
            match section_at.get(&(p.file.section_dir(), lang.clone())) {
                Some(sk) => {
                    p.parent_section = Some(sk.clone());
                    let mut anc = section_ancestors.get(sk).cloned().unwrap_or_default();
                    anc.push(sk.clone());
                    p.ancestors = anc;
                    direct_pages
                        .entry(sk.clone())
                        .or_default()
                        .push(key.clone());
                }
                None => {
                    p.parent_section = None;
                    p.ancestors = Vec::new();
                    let dir = p.file.section_dir();
                    let index = if lang == config.default_language {
                        "_index.md".to_string()
                    } else {
                        format!("_index.{lang}.md")
                    };
                    let wanted = if dir.is_empty() {
                        index
                    } else {
                        format!("{dir}/{index}")
                    };
                    diags.push(Diagnostic::warning(
                        p.file.site_path.clone(),
                        1,
                        1,
                        Message::of(MessageId::PageNoSection)
                            .text("wanted", format!("content/{wanted}"))
                            .text("address", p.path.as_str()),
                    ));
                }
            }
        }

        // Listings: direct pages, plus pages of transparent subsections (deepest first).
        let mut listing: HashMap<String, Vec<String>> = direct_pages;
        let mut transparent: Vec<(usize, String)> = self
            .sections
            .iter()
            .filter(|(_, s)| s.meta.transparent)
            .map(|(k, s)| (s.file.components.len(), k.clone()))
            .collect();
        transparent.sort_by(|a, b| b.cmp(a));
        for (_, key) in &transparent {
            if let Some(parent) = section_parent.get(key).cloned().flatten() {
                let moved = listing.get(key).cloned().unwrap_or_default();
                listing.entry(parent).or_default().extend(moved);
            }
        }
        let mut siblings: Vec<(String, Option<String>, Option<String>)> = Vec::new();
        for (key, s) in self.sections.iter_mut() {
            let mut pages = listing.remove(key).unwrap_or_default();
            sort_pages(&mut pages, s.meta.sort_by, &self.pages);
            if !s.meta.transparent && s.meta.sort_by != SortBy::None {
                // As in Zola, whatever the order: `lower` is the page listed before this
                // one and `higher` the one after (newest first for `date`, so `lower` is
                // the newer page). Pages the order cannot place are listed last, and have
                // no neighbours and are no one's neighbour.
                let mut placed: Vec<&String> = Vec::with_capacity(pages.len());
                for k in &pages {
                    let Some(p) = self.pages.get(k) else { continue };
                    if can_be_sorted(p, s.meta.sort_by) {
                        placed.push(k);
                    } else {
                        let field = sort_field(s.meta.sort_by);
                        diags.push(Diagnostic::warning(
                            p.file.site_path.clone(),
                            1,
                            1,
                            Message::of(MessageId::PageNotSortable)
                                .text("field", field)
                                .text("section", s.file.site_path.as_str()),
                        ));
                    }
                }
                for (i, k) in placed.iter().enumerate() {
                    let lower = i.checked_sub(1).map(|j| placed[j].clone());
                    let higher = placed.get(i + 1).map(|k| (*k).clone());
                    siblings.push(((*k).clone(), lower, higher));
                }
            }
            s.pages = pages;
        }
        for (k, lower, higher) in siblings {
            if let Some(p) = self.pages.get_mut(&k) {
                p.lower = lower;
                p.higher = higher;
            }
        }
        let mut children: HashMap<String, Vec<String>> = HashMap::new();
        for (key, parent) in &section_parent {
            if let Some(parent) = parent {
                children
                    .entry(parent.clone())
                    .or_default()
                    .push(key.clone());
            }
        }
        for (key, s) in self.sections.iter_mut() {
            let mut subs = children.remove(key).unwrap_or_default();
            subs.sort();
            s.subsections = subs;
        }
        let weights: HashMap<String, i64> = self
            .sections
            .iter()
            .map(|(k, s)| (k.clone(), s.meta.weight))
            .collect();
        for s in self.sections.values_mut() {
            s.subsections
                .sort_by(|a, b| (weights.get(a), a).cmp(&(weights.get(b), b)));
        }

        // Assets.
        let other_files = &self.other_files;
        let assets_in = |dir: &str, recursive: bool, content_dir: &Path| -> Vec<Asset> {
            let prefix = if dir.is_empty() {
                String::new()
            } else {
                format!("{dir}/")
            };
            other_files
                .range(prefix.clone()..)
                .take_while(|f| f.starts_with(&prefix))
                .filter(|f| recursive || !f[prefix.len()..].contains('/'))
                .map(|f| Asset {
                    source: content_dir.join(f),
                    relative: f[prefix.len()..].to_string(),
                })
                .collect()
        };
        for p in self.pages.values_mut() {
            p.assets = match p.file.asset_dir() {
                Some(dir) => assets_in(&dir, true, &self.content_dir),
                None => Vec::new(),
            };
        }
        for s in self.sections.values_mut() {
            s.assets = match s.file.asset_dir() {
                Some(dir) if !s.implicit => assets_in(&dir, false, &self.content_dir),
                _ => Vec::new(),
            };
        }

        // Addresses: no two files, and no alias, may claim one URL.
        let mut by_path: HashMap<String, String> = HashMap::new();
        for (key, path, site_path, pos) in self
            .sections
            .iter()
            .map(|(k, s)| (k, &s.path, &s.file.site_path, None))
            .chain(self.pages.iter().map(|(k, p)| {
                let pos = p
                    .positions
                    .get("path")
                    .or_else(|| p.positions.get("slug"))
                    .copied();
                (k, &p.path, &p.file.site_path, pos)
            }))
        {
            if let Some(other) = by_path.get(path) {
                let (line, col) = pos.unwrap_or((1, 1));
                diags.push(Diagnostic::error(
                    site_path.clone(),
                    line,
                    col,
                    Message::of(MessageId::PageAddressTaken)
                        .text("address", path.as_str())
                        .text("other", format!("content/{other}")),
                ));
            } else {
                by_path.insert(path.clone(), key.clone());
            }
        }
        let mut aliases: Vec<(String, String)> = Vec::new();
        let mut alias_owner: HashMap<String, String> = HashMap::new();
        let alias_sources = self
            .pages
            .iter()
            .map(|(k, p)| (k, &p.lang, &p.meta.aliases, &p.positions, &p.file.site_path))
            .chain(
                self.sections
                    .iter()
                    .map(|(k, s)| (k, &s.lang, &s.meta.aliases, &s.positions, &s.file.site_path)),
            );
        for (key, _lang, list, positions, site_path) in alias_sources {
            let (line, col) = positions.get("aliases").copied().unwrap_or((1, 1));
            for alias in list {
                let trimmed = alias.trim().trim_matches('/');
                let mut path = format!("/{trimmed}");
                if !path.ends_with(".html") && !path.ends_with('/') {
                    path.push('/');
                }
                if trimmed.is_empty() || trimmed.contains("..") {
                    diags.push(Diagnostic::error(
                        site_path.clone(),
                        line,
                        col,
                        Message::of(MessageId::AliasUnusable).text("alias", alias.as_str()),
                    ));
                } else if let Some(owner) = by_path.get(&path) {
                    let message = if owner == key {
                        Message::of(MessageId::AliasIsOwnAddress)
                    } else {
                        Message::of(MessageId::AliasIsAddressOf)
                            .text("other", format!("content/{owner}"))
                    };
                    diags.push(Diagnostic::error(
                        site_path.clone(),
                        line,
                        col,
                        message.text("alias", alias.as_str()),
                    ));
                } else if let Some(owner) = alias_owner.get(&path) {
                    if owner != key {
                        diags.push(Diagnostic::error(
                            site_path.clone(),
                            line,
                            col,
                            Message::of(MessageId::AliasTaken)
                                .text("alias", alias.as_str())
                                .text("other", format!("content/{owner}")),
                        ));
                    }
                } else {
                    alias_owner.insert(path.clone(), key.clone());
                    aliases.push((path, key.clone()));
                }
            }
        }
        aliases.sort();

        // Translations.
        let mut translations = BTreeMap::new();
        let lang_order: HashMap<&str, usize> = languages
            .iter()
            .enumerate()
            .map(|(i, l)| (l.as_str(), i))
            .collect();
        for (canonical, members) in &by_canonical {
            let mut list: Vec<Translation> = members
                .iter()
                .filter_map(|(lang, key)| {
                    self.permalink_of_in(key).map(|permalink| Translation {
                        lang: lang.clone(),
                        key: key.clone(),
                        permalink: permalink.to_string(),
                    })
                })
                .collect();
            list.sort_by_key(|t| {
                (
                    lang_order
                        .get(t.lang.as_str())
                        .copied()
                        .unwrap_or(usize::MAX),
                    t.lang.clone(),
                )
            });
            let missing = languages
                .iter()
                .filter(|l| !list.iter().any(|t| &t.lang == *l))
                .cloned()
                .collect();
            translations.insert(
                canonical.clone(),
                TranslationGroup {
                    canonical: canonical.clone(),
                    is_section: canonical == "_index.md" || canonical.ends_with("/_index.md"),
                    members: list,
                    missing,
                },
            );
        }

        // Taxonomies.
        let mut taxonomies: BTreeMap<String, Vec<Taxonomy>> = BTreeMap::new();
        for lang in &languages {
            let declared = config.taxonomies_for(lang);
            let prefix = config.lang_prefix(lang);
            let mut list: Vec<Taxonomy> = declared
                .iter()
                .map(|t| {
                    let slug = slugify_path(&t.name, lang, config.slugify.taxonomies);
                    let path = format!(
                        "{prefix}/{}/",
                        if slug.is_empty() { &t.name } else { &slug }
                    );
                    Taxonomy {
                        name: t.name.clone(),
                        lang: lang.clone(),
                        permalink: config.permalink(&path),
                        path,
                        terms: Vec::new(),
                    }
                })
                .collect();
            // slug → (names seen, pages)
            let mut terms: Vec<TermsBySlug> = vec![BTreeMap::new(); list.len()];
            for (key, p) in self.pages.iter().filter(|(_, p)| p.lang == *lang) {
                for (tax, values) in &p.meta.taxonomies {
                    let Some(i) = list.iter().position(|t| &t.name == tax) else {
                        let (line, col) = p.positions.get("taxonomies").copied().unwrap_or((1, 1));
                        let known: Vec<&str> = declared.iter().map(|t| t.name.as_str()).collect();
                        diags.push(Diagnostic::error(
                            p.file.site_path.clone(),
                            line,
                            col,
                            if known.is_empty() {
                                Message::of(MessageId::TaxonomyNoneDeclared)
                            } else {
                                Message::of(MessageId::TaxonomyUndeclared)
                                    .text("declared", known.join(", "))
                            }
                            .text("taxonomy", tax.as_str())
                            .text("lang", lang.as_str()),
                        ));
                        continue;
                    };
                    for v in values {
                        let s = slugify_path(v, lang, config.slugify.taxonomies);
                        let s = if s.is_empty() {
                            v.trim().to_string()
                        } else {
                            s
                        };
                        if s.is_empty() {
                            continue;
                        }
                        let e = terms[i].entry(s).or_default();
                        e.0.insert(v.clone());
                        if !e.1.contains(key) {
                            e.1.push(key.clone());
                        }
                    }
                }
            }
            for (t, map) in list.iter_mut().zip(terms) {
                for (slug, (names, mut pages)) in map {
                    sort_pages(&mut pages, SortBy::Date, &self.pages);
                    let path = format!("{}{}/", t.path, slug);
                    t.terms.push(TaxonomyTerm {
                        name: names.into_iter().next().unwrap_or_else(|| slug.clone()),
                        permalink: config.permalink(&path),
                        path,
                        slug,
                        pages,
                    });
                }
            }
            taxonomies.insert(lang.clone(), list);
        }

        self.by_canonical = by_canonical;
        self.by_path = by_path;
        self.aliases = aliases;
        self.translations = translations;
        self.taxonomies = taxonomies;
        self.structure_diagnostics = diags;
    }

    fn permalink_of_in(&self, key: &str) -> Option<&str> {
        self.permalink_of(key)
    }

    // ----- rendering -----------------------------------------------------------------------

    /// Renders the Markdown of every page and section (in parallel), then checks every
    /// `#anchor`. Returns all Markdown and link problems (also kept on each page).
    pub fn render_all(&mut self, shortcodes: &dyn ShortcodeRenderer) -> Diagnostics {
        let keys: Vec<String> = self
            .sections
            .keys()
            .chain(self.pages.keys())
            .cloned()
            .collect();
        self.render_keys(&keys, shortcodes)
    }

    /// Renders the Markdown of the given pages/sections (in parallel), then re-checks the
    /// anchors of their links and of every link pointing at them. Returns the problems of
    /// those files.
    pub fn render_keys(
        &mut self,
        keys: &[String],
        shortcodes: &dyn ShortcodeRenderer,
    ) -> Diagnostics {
        let markdown = self.config.markdown;
        let results: Vec<(String, Rendered)> = {
            let this = &*self;
            let ctx = RenderContext {
                markdown: &markdown,
                anchors: this.config.slugify.anchors,
                targets: this,
                shortcodes,
            };
            keys.par_iter()
                .filter_map(|key| {
                    let (file, source, lang, permalink) = if let Some(p) = this.pages.get(key) {
                        (&p.file, &p.source, &p.lang, &p.permalink)
                    } else {
                        let s = this.sections.get(key)?;
                        (&s.file, &s.source, &s.lang, &s.permalink)
                    };
                    let input = RenderInput {
                        site_path: &file.site_path,
                        key,
                        text: &source.text,
                        body_start: source.body_start,
                        lang,
                        permalink,
                    };
                    let mut rendered = render_markdown(&input, &ctx);
                    // The HTML is built by appending, so its buffers hold up to twice its
                    // length; every page keeps its HTML for the whole build.
                    rendered.content.shrink_to_fit();
                    if let Some(summary) = &mut rendered.summary {
                        summary.shrink_to_fit();
                    }
                    Some((key.clone(), rendered))
                })
                .collect()
        };
        let changed: BTreeSet<String> = results.iter().map(|(k, _)| k.clone()).collect();
        for (key, r) in results {
            if let Some(p) = self.pages.get_mut(&key) {
                p.rendered = r;
            } else if let Some(s) = self.sections.get_mut(&key) {
                s.rendered = r;
            }
        }
        // Phase 2: the changed files' links, and links into the changed files.
        let all = changed.len() == self.pages.len() + self.sections.len();
        let to_check: Vec<String> = self
            .pages
            .iter()
            .map(|(k, p)| (k, &p.rendered))
            .chain(self.sections.iter().map(|(k, s)| (k, &s.rendered)))
            .filter(|(k, r)| {
                all || changed.contains(*k)
                    || r.internal_links.iter().any(|l| changed.contains(&l.target))
            })
            .map(|(k, _)| k.clone())
            .collect();
        let checked: Vec<(String, Diagnostics)> = to_check
            .par_iter()
            .filter_map(|k| {
                let (site_path, rendered) = match self.pages.get(k) {
                    Some(p) => (&p.file.site_path, &p.rendered),
                    None => {
                        let s = self.sections.get(k)?;
                        (&s.file.site_path, &s.rendered)
                    }
                };
                let d = check_anchors(site_path, &rendered.internal_links, |t| self.anchors_of(t));
                Some((k.clone(), d))
            })
            .collect();
        for (k, d) in checked {
            if let Some(p) = self.pages.get_mut(&k) {
                p.link_diagnostics = d;
            } else if let Some(s) = self.sections.get_mut(&k) {
                s.link_diagnostics = d;
            }
        }
        let mut out = Diagnostics::new();
        for k in changed.iter().chain(to_check.iter()) {
            if let Some(p) = self.pages.get(k) {
                if changed.contains(k) {
                    out.extend(p.rendered.diagnostics.clone());
                }
                out.extend(p.link_diagnostics.clone());
            } else if let Some(s) = self.sections.get(k) {
                if changed.contains(k) {
                    out.extend(s.rendered.diagnostics.clone());
                }
                out.extend(s.link_diagnostics.clone());
            }
        }
        out.sort();
        out
    }

    fn anchors_of(&self, key: &str) -> Option<&[String]> {
        self.pages
            .get(key)
            .map(|p| p.rendered.anchors.as_slice())
            .or_else(|| {
                self.sections
                    .get(key)
                    .map(|s| s.rendered.anchors.as_slice())
            })
    }

    // ----- incremental -----------------------------------------------------------------------

    /// Re-reads one file after an edit, creation or deletion, updates the library and
    /// re-renders the Markdown that depends on it. `path` may be absolute, relative to the
    /// site root (`content/signs.md`) or relative to `content/` (`signs.md`).
    ///
    /// Cost: one file read and parse, one Markdown render, and, only when front matter
    /// changed, a recomputation of the structure (no I/O), so an edit shows at once even on
    /// thousands of pages.
    pub fn reload_file(&mut self, path: &Path, shortcodes: &dyn ShortcodeRenderer) -> ChangeSet {
        let mut cs = ChangeSet::default();
        let key = if path.is_absolute() {
            relative_key(&self.content_dir, path)
        } else {
            let s = path.to_string_lossy().replace('\\', "/");
            Some(s.strip_prefix("content/").unwrap_or(&s).to_string())
        };
        let Some(key) = key else {
            return cs;
        };
        if key.is_empty() || key.split('/').any(is_ignored) {
            return cs;
        }
        let abs = self.content_dir.join(&key);
        if !key.ends_with(".md") {
            let existed = self.other_files.contains(&key);
            let exists = abs.is_file();
            if exists {
                self.other_files.insert(key.clone());
            } else {
                self.other_files.remove(&key);
            }
            if exists || existed {
                cs.assets_changed = true;
                // Asset lists are rebuilt with the structure; cheap and keeps one code path.
                self.build_structure();
                if exists && !existed {
                    cs.added.push(key);
                } else if exists {
                    cs.modified.push(key);
                } else {
                    cs.removed.push(key);
                }
            }
            return cs;
        }

        // Old state of this key.
        let old_page = self.pages.remove(&key);
        let old_section = self.sections.remove(&key);
        let old_summary = old_page.as_ref().map(|p| p.rendered.summary.clone());
        let was_draft = self.drafts.remove(&key);
        let was_failed = self.file_errors.remove(&key).is_some();
        let existed = old_page.is_some() || old_section.as_ref().is_some_and(|s| !s.implicit);

        if !abs.is_file() {
            if existed || was_draft || was_failed {
                cs.removed.push(key.clone());
                cs.structure_changed = true;
            }
            self.build_structure();
            cs.rerendered = self.rerender_dependents(&key, shortcodes, &mut cs.diagnostics, true);
            return cs;
        }

        let parsed = parse_file(&self.content_dir, &key, &self.config, self.options);
        // A file that no longer parses keeps its last good version in the library while the
        // editor fixes it: the preview stays whole and links to it do not all break at once.
        if let Parsed::Failed(_, errors) = &parsed {
            let keep = old_page.is_some() || old_section.as_ref().is_some_and(|s| !s.implicit);
            if keep {
                if let Some(p) = old_page {
                    self.pages.insert(key.clone(), p);
                } else if let Some(s) = old_section {
                    self.sections.insert(key.clone(), s);
                }
                self.file_errors.insert(key.clone(), errors.clone());
                cs.modified.push(key.clone());
                cs.diagnostics = self.diagnostics_for(&key);
                return cs;
            }
        }
        let structure_changed = match (&parsed, &old_page, &old_section) {
            (Parsed::File(ContentFile::Page(new)), Some(old), _) => new.meta != old.meta,
            (Parsed::File(ContentFile::Section(new)), _, Some(old)) => {
                old.implicit || new.meta != old.meta
            }
            _ => true,
        };
        self.insert_parsed(parsed);
        if existed {
            cs.modified.push(key.clone());
        } else {
            cs.added.push(key.clone());
        }
        cs.structure_changed = structure_changed;
        if structure_changed {
            self.build_structure();
        } else if let Some(new) = self.pages.get_mut(&key) {
            // Same front matter: carry over what the structure pass computed.
            if let Some(old) = old_page {
                new.slug = old.slug;
                new.path = old.path;
                new.permalink = old.permalink;
                new.parent_section = old.parent_section;
                new.ancestors = old.ancestors;
                new.assets = old.assets;
                new.lower = old.lower;
                new.higher = old.higher;
            }
        } else if let Some(new) = self.sections.get_mut(&key) {
            if let Some(old) = old_section {
                new.path = old.path;
                new.permalink = old.permalink;
                new.parent_section = old.parent_section;
                new.ancestors = old.ancestors;
                new.pages = old.pages;
                new.subsections = old.subsections;
                new.assets = old.assets;
            }
        }
        cs.rerendered =
            self.rerender_dependents(&key, shortcodes, &mut cs.diagnostics, structure_changed);
        // Listings show summaries: a new summary changes them as much as a new title.
        let new_summary = self.pages.get(&key).map(|p| p.rendered.summary.clone());
        if old_summary.is_some() && old_summary != new_summary {
            cs.structure_changed = true;
        }
        cs.diagnostics = self.diagnostics_for(&key);
        cs
    }

    /// Renders `key` and, when its address may have changed, every file linking to it.
    fn rerender_dependents(
        &mut self,
        key: &str,
        shortcodes: &dyn ShortcodeRenderer,
        diags: &mut Diagnostics,
        include_linkers: bool,
    ) -> Vec<String> {
        let mut keys = Vec::new();
        if self.pages.contains_key(key) || self.sections.contains_key(key) {
            keys.push(key.to_string());
        }
        if include_linkers {
            let canonical = FileInfo::new(&self.content_dir, key, &self.config)
                .map(|f| f.canonical)
                .unwrap_or_default();
            let linkers = self
                .pages
                .iter()
                .map(|(k, p)| (k, &p.rendered))
                .chain(self.sections.iter().map(|(k, s)| (k, &s.rendered)))
                .filter(|(k, r)| {
                    *k != key
                        && (r.internal_links.iter().any(|l| {
                            l.target == key
                                || self.canonical_of(&l.target).is_some_and(|c| c == canonical)
                        }) || r.diagnostics.iter().any(|d| {
                            // A link that was broken (or fell back to another language)
                            // may work now.
                            links_to(&d.message, key, &canonical)
                        }))
                })
                .map(|(k, _)| k.clone());
            keys.extend(linkers);
        }
        keys.sort();
        keys.dedup();
        let d = self.render_keys(&keys, shortcodes);
        diags.extend(d);
        keys
    }

    fn canonical_of(&self, key: &str) -> Option<&str> {
        self.pages
            .get(key)
            .map(|p| p.file.canonical.as_str())
            .or_else(|| self.sections.get(key).map(|s| s.file.canonical.as_str()))
    }
}

/// Taxonomy terms being collected: slug → (spellings seen, page keys).
type TermsBySlug = BTreeMap<String, (BTreeSet<String>, Vec<String>)>;

/// Orders page keys for a listing. Ties, and pages missing the sort field (which go last),
/// are ordered by key, so the result never depends on load order.
/// The front-matter field an order is by, for messages.
fn sort_field(by: SortBy) -> &'static str {
    match by {
        SortBy::Date | SortBy::UpdateDate => "date",
        SortBy::Title | SortBy::TitleBytes => "title",
        SortBy::Weight => "weight",
        SortBy::Slug | SortBy::None => "slug",
    }
}

/// Whether `by` can place the page: it has the field the order is by.
fn can_be_sorted(p: &Page, by: SortBy) -> bool {
    match by {
        SortBy::Date => p.meta.date.is_some(),
        SortBy::UpdateDate => p.meta.date.is_some() || p.meta.updated.is_some(),
        SortBy::Title | SortBy::TitleBytes => p.meta.title.is_some(),
        SortBy::Weight => p.meta.weight.is_some(),
        SortBy::Slug | SortBy::None => true,
    }
}

/// Sorts a section's pages. Pages `by` cannot place go last; ties are broken by URL, then
/// by file, as Zola breaks them by permalink.
fn sort_pages(keys: &mut [String], by: SortBy, pages: &BTreeMap<String, Page>) {
    let permalink = |k: &str| pages.get(k).map(|p| p.permalink.clone());
    match by {
        SortBy::None => keys.sort(),
        SortBy::Date => keys.sort_by_cached_key(|k| {
            let ts = pages
                .get(k)
                .and_then(|p| p.meta.date.as_ref())
                .map(|d| d.timestamp);
            (ts.is_none(), std::cmp::Reverse(ts), permalink(k), k.clone())
        }),
        SortBy::UpdateDate => keys.sort_by_cached_key(|k| {
            // The later of the two, as Zola orders by.
            let ts = pages.get(k).and_then(|p| {
                let date = p.meta.date.as_ref().map(|d| d.timestamp);
                let updated = p.meta.updated.as_ref().map(|d| d.timestamp);
                date.max(updated)
            });
            (ts.is_none(), std::cmp::Reverse(ts), permalink(k), k.clone())
        }),
        SortBy::Slug => keys.sort_by(|a, b| {
            let slug = |k: &str| pages.get(k).map_or("", |p| p.slug.as_str());
            natural_lexical_cmp(slug(a), slug(b))
                .then_with(|| permalink(a).cmp(&permalink(b)))
                .then_with(|| a.cmp(b))
        }),
        SortBy::TitleBytes => keys.sort_by_cached_key(|k| {
            let t = pages.get(k).and_then(|p| p.meta.title.clone());
            (t.is_none(), t, permalink(k), k.clone())
        }),
        SortBy::Weight => keys.sort_by_cached_key(|k| {
            let w = pages.get(k).and_then(|p| p.meta.weight);
            (w.is_none(), w, permalink(k), k.clone())
        }),
        SortBy::Title => keys.sort_by(|a, b| {
            let title = |k: &str| pages.get(k).and_then(|p| p.meta.title.as_deref());
            match (title(a), title(b)) {
                (Some(x), Some(y)) => natural_lexical_cmp(x, y),
                (x, y) => x.is_none().cmp(&y.is_none()),
            }
            .then_with(|| permalink(a).cmp(&permalink(b)))
            .then_with(|| a.cmp(b))
        }),
    }
}

impl LinkTargets for Library {
    fn default_language(&self) -> &str {
        &self.config.default_language
    }

    fn is_language(&self, lang: &str) -> bool {
        self.config.is_language(lang)
    }

    fn find(&self, canonical: &str, lang: &str) -> Option<(&str, &str)> {
        let key = self.find_key(canonical, lang)?;
        let permalink = self.permalink_of(key)?;
        Some((key, permalink))
    }
}
