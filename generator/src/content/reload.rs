//! `serve`'s incremental path: one edited, created or deleted file re-read, the structure
//! passes run again when its front matter changed, and only the Markdown that depends on it
//! rendered again.

use std::path::Path;

use serde::Serialize;

use super::file_info::FileInfo;
use super::library::Library;
use super::load::{is_ignored, parse_file, relative_key, ContentFile, Parsed};
use crate::config::ContentKey;
use crate::diagnostics::Diagnostics;
use crate::markdown::ShortcodeRenderer;
use crate::message::{Message, MessageId};

/// What changed after [`Library::reload_file`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ChangeSet {
    /// Content keys, and content-relative paths of assets.
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
    pub rerendered: Vec<ContentKey>,
    /// Current problems in the reloaded file.
    pub diagnostics: Diagnostics,
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

impl Library {
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
        // Every part of a path from the watcher or the editor is a file or folder name.
        let Ok(key) = ContentKey::new(&key) else {
            return cs;
        };

        // Old state of this key.
        let old_page = self.pages.remove(&key);
        let old_section = self.sections.remove(&key);
        let old_summary = old_page
            .as_ref()
            .map(|p| p.rendered.summary().map(std::borrow::Cow::into_owned));
        let was_draft = self.drafts.remove(&key);
        let was_failed = self.file_errors.remove(key.as_str()).is_some();
        let existed = old_page.is_some() || old_section.as_ref().is_some_and(|s| !s.implicit);

        if !abs.is_file() {
            if existed || was_draft || was_failed {
                cs.removed.push(key.to_string());
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
                self.file_errors.insert(key.to_string(), errors.clone());
                cs.modified.push(key.to_string());
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
            cs.modified.push(key.to_string());
        } else {
            cs.added.push(key.to_string());
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
        let new_summary = self
            .pages
            .get(&key)
            .map(|p| p.rendered.summary().map(std::borrow::Cow::into_owned));
        if old_summary.is_some() && old_summary != new_summary {
            cs.structure_changed = true;
        }
        cs.diagnostics = self.diagnostics_for(&key);
        cs
    }

    /// Renders `key` and, when its address may have changed, every file linking to it.
    fn rerender_dependents(
        &mut self,
        key: &ContentKey,
        shortcodes: &dyn ShortcodeRenderer,
        diags: &mut Diagnostics,
        include_linkers: bool,
    ) -> Vec<ContentKey> {
        let mut keys = Vec::new();
        if self.pages.contains_key(key) || self.sections.contains_key(key) {
            keys.push(key.clone());
        }
        if include_linkers {
            let canonical = FileInfo::new(&self.content_dir, key, &self.config)
                .map(|f| f.canonical.to_string())
                .unwrap_or_default();
            let linkers = self
                .pages
                .iter()
                .map(|(k, p)| (k, &p.rendered))
                .chain(self.sections.iter().map(|(k, s)| (k, &s.rendered)))
                .filter(|(k, r)| {
                    *k != key
                        && (r.internal_links.iter().any(|l| {
                            l.target == *key
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
