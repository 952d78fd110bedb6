//! The whole `content/` tree in memory: pages and sections per language, their URLs, order,
//! translations and taxonomies; re-readable one file at a time for `serve`. Loading goes
//! `load` (files read and parsed) → `structure` (files placed) → `render` (Markdown);
//! `reload` repeats what one edited file needs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::front_matter::KeyPositions;
use super::load::{self, ContentFile, LoadOptions, Parsed};
use super::page::{Page, Pages, Section};
use super::structure::{self, Structure, Taxonomy, Translation, TranslationGroup};
use crate::config::{Config, ContentKey, Lang};
use crate::diagnostics::{Diagnostics, LoadError};
use crate::markdown::LinkTargets;

/// Every page and section of the site, in every language.
#[derive(Debug, Clone)]
pub struct Library {
    pub config: Arc<Config>,
    pub(super) site_root: PathBuf,
    pub(super) content_dir: PathBuf,
    pub(super) options: LoadOptions,
    pub(super) pages: Pages,
    pub(super) sections: BTreeMap<ContentKey, Section>,
    /// Keys of drafts left out (so a reload that un-drafts one is an addition).
    pub(super) drafts: BTreeSet<ContentKey>,
    /// Files that could not be read or parsed, with why: by content key, or (a folder that
    /// could not be listed) by its path from the site root, so not [`ContentKey`]s.
    pub(super) file_errors: BTreeMap<String, Diagnostics>,
    /// Non-Markdown files by content-relative path.
    pub(super) other_files: BTreeSet<String>,
    /// Indexes, translations, taxonomies and cross-file problems from the structure passes.
    pub(super) structure: Structure,
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
        let found = load::walk(site_root, &lib.content_dir);
        lib.file_errors = found.errors;
        lib.other_files = found.other_files;
        // The maps are built whole from their entries rather than one insert at a time:
        // inserting keys in order leaves every node of a B-tree half empty, which at
        // thousands of pages is about as much memory again as the pages themselves.
        let mut pages = Vec::new();
        let mut sections = Vec::new();
        for p in load::parse_all(&lib.content_dir, &found.markdown, &lib.config, options) {
            match p {
                Parsed::File(ContentFile::Page(page)) => {
                    pages.push((page.file.key.clone(), page));
                }
                Parsed::File(ContentFile::Section(section)) => {
                    sections.push((section.file.key.clone(), *section));
                }
                other => lib.insert_parsed(other),
            }
        }
        lib.pages = pages.into_iter().collect();
        lib.sections = sections.into_iter().collect();
        lib.build_structure();
        lib
    }

    pub(super) fn insert_parsed(&mut self, p: Parsed) {
        match p {
            Parsed::File(ContentFile::Page(page)) => {
                self.pages.insert(page.file.key.clone(), page);
            }
            Parsed::File(ContentFile::Section(section)) => {
                self.sections.insert(section.file.key.clone(), *section);
            }
            Parsed::Draft(k) => {
                self.drafts.insert(k);
            }
            Parsed::Failed(k, d) => {
                self.file_errors.insert(k.into(), d);
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
    pub fn pages(&self) -> &Pages {
        &self.pages
    }

    /// All sections by content key, in key order.
    pub fn sections(&self) -> &BTreeMap<ContentKey, Section> {
        &self.sections
    }

    pub fn page(&self, key: &str) -> Option<&Page> {
        self.pages.get(key).map(|p| &**p)
    }

    pub fn section(&self, key: &str) -> Option<&Section> {
        self.sections.get(key)
    }

    /// Pages of one language, in key order.
    pub fn pages_in<'a>(&'a self, lang: &'a Lang) -> impl Iterator<Item = &'a Page> + 'a {
        self.pages
            .values()
            .map(|p| &**p)
            .filter(move |p| p.lang == *lang)
    }

    /// Sections of one language, in key order.
    pub fn sections_in<'a>(&'a self, lang: &'a Lang) -> impl Iterator<Item = &'a Section> + 'a {
        self.sections.values().filter(move |s| s.lang == *lang)
    }

    /// The root section of a language (always present: made up when the file is missing).
    pub fn root_section(&self, lang: &str) -> Option<&Section> {
        self.find_key("_index.md", lang)
            .and_then(|k| self.sections.get(k))
    }

    /// Key of the page or section at a site path (`/ru/signs/`), if any.
    pub fn key_at_path(&self, path: &str) -> Option<&ContentKey> {
        self.structure.by_path.get(path)
    }

    /// Every alias as (site path, key of the page or section it redirects to), sorted.
    pub fn aliases(&self) -> &[(String, ContentKey)] {
        &self.structure.aliases
    }

    /// Translation groups of pages and sections, by canonical key.
    pub fn translation_groups(&self) -> &BTreeMap<ContentKey, TranslationGroup> {
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
    pub fn find_key(&self, canonical: &str, lang: &str) -> Option<&ContentKey> {
        self.structure
            .by_canonical
            .get(canonical)?
            .iter()
            .find(|(l, _)| l == lang)
            .map(|(_, k)| k)
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

    /// Lets go of the front-matter positions, which only place problems found while
    /// loading, for a one-shot build.
    pub fn release_positions(&mut self) {
        for p in self.pages.values_mut() {
            p.positions = KeyPositions::new();
        }
        for s in self.sections.values_mut() {
            s.positions = KeyPositions::new();
        }
    }

    /// Lets go of what only reading, rendering and checking the files needs, once their
    /// Markdown is rendered and checked, for a one-shot `build` that will not do it again:
    /// each file's source text (about as much memory as the content folder), its
    /// front-matter positions, and the anchors and links found in it. `serve` and `check`
    /// keep them.
    pub fn release_sources(&mut self) {
        let parts = self
            .pages
            .values_mut()
            .map(|p| (&mut p.source, &mut p.positions, &mut p.rendered))
            .chain(
                self.sections
                    .values_mut()
                    .map(|s| (&mut s.source, &mut s.positions, &mut s.rendered)),
            );
        for (source, positions, rendered) in parts {
            source.release();
            *positions = KeyPositions::new();
            rendered.anchors = Vec::new();
            rendered.internal_links = Vec::new();
            rendered.external_links = Vec::new();
        }
    }

    /// Drafts that were left out.
    pub fn drafts(&self) -> &BTreeSet<ContentKey> {
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
            if !self.file_errors.contains_key(key.as_str()) {
                all.extend(p.rendered.diagnostics.clone());
                all.extend(p.link_diagnostics.clone());
            }
        }
        for (key, s) in &self.sections {
            if !self.file_errors.contains_key(key.as_str()) {
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
    pub(super) fn build_structure(&mut self) {
        self.structure = structure::build(
            &self.config,
            &self.content_dir,
            &self.other_files,
            &mut self.pages,
            &mut self.sections,
        );
    }
}

impl LinkTargets for Library {
    fn default_language(&self) -> &Lang {
        &self.config.default_language
    }

    fn lang(&self, code: &str) -> Option<&Lang> {
        self.config.lang(code)
    }

    fn find(&self, canonical: &str, lang: &Lang) -> Option<(&ContentKey, &str)> {
        let key = self.find_key(canonical, lang)?;
        let permalink = self.permalink_of(key)?;
        Some((key, permalink))
    }
}
