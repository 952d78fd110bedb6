//! `serve`'s incremental path for the whole site: one content file re-read and the outputs
//! it touches listed, or templates and UI strings re-read.

use std::path::Path;
use std::sync::Arc;

use super::diagnostics::template_diagnostic;
use super::load::load_locales;
use super::{listed_fields, static_files, OutputId, Site};
use crate::config::{ContentKey, Lang};
use crate::content::ChangeSet;
use crate::diagnostics::Diagnostics;
use crate::templates::Templates;

impl Site {
    /// Re-reads one changed content file (edited, created or deleted) and returns what
    /// changed and which outputs to render again.
    pub fn reload_file(&mut self, path: &Path) -> (ChangeSet, Vec<OutputId>) {
        let change = self.with_library_mut(|lib, sc| lib.reload_file(path, sc));
        self.load_diagnostics = self.content_diagnostics();
        let mut changed: Vec<&str> = change
            .added
            .iter()
            .chain(&change.modified)
            .map(String::as_str)
            .chain(change.rerendered.iter().map(ContentKey::as_str))
            .collect();
        changed.sort();
        changed.dedup();
        // Assets among them have no outputs of their own.
        let keys: Vec<ContentKey> = changed
            .iter()
            .filter_map(|k| ContentKey::new(k).ok())
            .collect();
        let mut outputs = self.outputs_for_keys(&keys, change.structure_changed);
        if change.structure_changed || !change.removed.is_empty() || !change.added.is_empty() {
            // Something came, went or changed its title, date, URL or tags: every listing
            // of that language (section pagers, taxonomy pages, the feed) may show it, so
            // re-render them all rather than guess; other languages are untouched.
            let langs: std::collections::BTreeSet<Lang> = changed
                .iter()
                .copied()
                .chain(change.removed.iter().map(String::as_str))
                .map(|k| self.lang_of_key(k))
                .collect();
            outputs.extend(self.all_outputs().into_iter().filter(|o| {
                !matches!(o, OutputId::Page(_))
                    && self.lang_of_output(o).is_none_or(|l| langs.contains(&l))
            }));
            outputs.sort();
            outputs.dedup();
        }
        (change, outputs)
    }

    /// Re-reads templates and UI strings (after a theme or `.ftl` edit) and re-renders all
    /// Markdown (shortcode templates may have changed). The caller then renders
    /// [`Site::all_outputs`].
    pub fn reload_templates(&mut self) -> Result<(), Diagnostics> {
        let locales = Arc::new(load_locales(&self.root, &self.config).map_err(Diagnostics::from)?);
        let templates = Templates::load(
            &self.root,
            self.config.theme.as_deref(),
            locales.clone(),
            self.options.strict,
        )
        .map_err(|errs| {
            let mut d = Diagnostics::new();
            for e in &errs {
                d.push(template_diagnostic(&self.root, e));
            }
            d
        })?;
        self.templates.clear_site_data();
        self.field_use = listed_fields::FieldUse::read(&templates.tera);
        self.templates = templates;
        self.locales = locales;
        self.static_files = static_files::collect(&self.root, self.config.theme.as_deref())
            .map_err(Diagnostics::from)?;
        self.with_library_mut(|lib, sc| lib.render_all(sc));
        self.load_diagnostics = self.content_diagnostics();
        Ok(())
    }
}
