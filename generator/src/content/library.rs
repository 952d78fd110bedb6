//! The whole `content/` tree in memory: pages and sections per language, their URLs, order,
//! translations and taxonomies; re-readable one file at a time for `serve`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::file_info::{FileInfo, FileKind};
use super::front_matter;
use super::page::{reading_time, word_count, Page, Section, Source};
use super::structure::{self, Structure, Taxonomy, Translation, TranslationGroup};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex, LoadError};
use crate::markdown::{
    check_anchors, render_markdown, LinkTargets, RenderContext, RenderInput, Rendered,
    ShortcodeRenderer,
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
    /// Non-Markdown files by content-relative path.
    other_files: BTreeSet<String>,
    /// Indexes, translations, taxonomies and cross-file problems from the structure passes.
    structure: Structure,
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
            other_files: BTreeSet::new(),
            structure: Structure::default(),
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
        self.structure.by_path.get(path).map(String::as_str)
    }

    /// Every alias as (site path, key of the page or section it redirects to), sorted.
    pub fn aliases(&self) -> &[(String, String)] {
        &self.structure.aliases
    }

    /// Translation groups of pages and sections, by canonical key.
    pub fn translation_groups(&self) -> &BTreeMap<String, TranslationGroup> {
        &self.structure.translations
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
            .and_then(|c| self.structure.translations.get(c))
            .map_or(&[], |g| g.members.as_slice())
    }

    /// Taxonomies of a language, in config order.
    pub fn taxonomies(&self, lang: &str) -> &[Taxonomy] {
        self.structure
            .taxonomies
            .get(lang)
            .map_or(&[], Vec::as_slice)
    }

    pub fn taxonomy(&self, lang: &str, name: &str) -> Option<&Taxonomy> {
        self.taxonomies(lang).iter().find(|t| t.name == name)
    }

    /// Content key of `canonical` in `lang`.
    pub fn find_key(&self, canonical: &str, lang: &str) -> Option<&str> {
        self.structure
            .by_canonical
            .get(canonical)?
            .iter()
            .find(|(l, _)| l == lang)
            .map(|(_, k)| k.as_str())
    }

    /// Permalink of a page or section key.
    pub fn permalink_of(&self, key: &str) -> Option<&str> {
        self.pages
            .get(key)
            .map(|p| p.placement.permalink.as_str())
            .or_else(|| {
                self.sections
                    .get(key)
                    .map(|s| s.placement.permalink.as_str())
            })
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
        all.extend(self.structure.diagnostics.clone());
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
            self.structure
                .diagnostics
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

    /// Recomputes everything derived from the set of files and their front matter (see
    /// [`structure`]'s passes). Rendered Markdown is kept. Cheap (no I/O), so a reload can
    /// call it every time.
    fn build_structure(&mut self) {
        self.structure = structure::build(
            &self.config,
            &self.content_dir,
            &self.other_files,
            &mut self.pages,
            &mut self.sections,
        );
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
                        (&p.file, &p.source, &p.lang, &p.placement.permalink)
                    } else {
                        let s = this.sections.get(key)?;
                        (&s.file, &s.source, &s.lang, &s.placement.permalink)
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
            // Same front matter: the structure passes would place it where it was.
            if let Some(old) = old_page {
                new.placement = old.placement;
            }
        } else if let Some(new) = self.sections.get_mut(&key) {
            if let Some(old) = old_section {
                new.placement = old.placement;
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
