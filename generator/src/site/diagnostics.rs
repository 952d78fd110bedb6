//! What the site reports about itself: content problems with missing translations, a
//! template's error as a `path:line:col` diagnostic, and a UI string a template lacks.

use std::path::Path;

use xeberdar_site::content_name;

use super::{rel_to_root, Site};
use crate::config::Config;
use crate::content::Library;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::message::{Message, MessageId};
use crate::templates::TemplateError;

/// A template's error at its file (relative to the site), line and column.
pub(super) fn template_diagnostic(root: &Path, e: &TemplateError) -> Diagnostic {
    let (path, line, col) = e.position();
    Diagnostic::error(rel_to_root(root, path), line, col, e.problem())
}

/// Pages that exist in some languages and not others, as warnings on the default language's
/// file (or the first that exists): "no `en` translation".
fn missing_translations(lib: &Library, config: &Config) -> Diagnostics {
    let mut d = Diagnostics::new();
    for group in lib.translation_groups().values() {
        if group.missing.is_empty() || group.members.is_empty() {
            continue;
        }
        let Some(first) = group
            .members
            .iter()
            .find(|m| m.lang == config.default_language)
            .or_else(|| group.members.first())
        else {
            continue;
        };
        if lib.section(&first.key).is_some_and(|s| s.implicit) {
            continue;
        }
        for lang in &group.missing {
            let file = content_name::localized(&group.canonical, lang, &config.default_language);
            d.push(Diagnostic::warning(
                format!("content/{}", first.key),
                1,
                1,
                Message::of(MessageId::TranslationMissingVersion)
                    .text("lang", lang.as_str())
                    .text("file", format!("content/{file}")),
            ));
        }
    }
    d
}

impl Site {
    /// Content problems plus pages missing a translation (warnings).
    pub(super) fn content_diagnostics(&self) -> Diagnostics {
        let mut d = self.library.diagnostics();
        d.extend(missing_translations(&self.library, &self.config));
        d.sort();
        d
    }

    /// Every problem known now (content, links, missing translations), sorted.
    pub fn diagnostics(&self) -> &Diagnostics {
        &self.load_diagnostics
    }

    /// A UI string a template asked for that `lang` lacks, pointed at the template line that
    /// asks for it when one can be found.
    pub fn missing_ui_string(&self, lang: &str, key: &str, as_error: bool) -> Diagnostic {
        let needle_a = format!("key=\"{key}\"");
        let needle_b = format!("key='{key}'");
        let mut at = None;
        for path in self.templates.files.files.values() {
            if let Ok(text) = std::fs::read_to_string(path) {
                if let Some(off) = text.find(&needle_a).or_else(|| text.find(&needle_b)) {
                    let idx = crate::diagnostics::LineIndex::new(&text);
                    let (l, c) = idx.position(&text, off);
                    at = Some((rel_to_root(&self.root, path), l, c));
                    break;
                }
            }
        }
        let (path, line, col) = at.unwrap_or_else(|| (format!("i18n/locales/{lang}"), 1, 1));
        let message = if self.locales.languages().any(|l| self.locales.has(l, key)) {
            Message::of(MessageId::UiStringMissing)
                .text("key", key)
                .text("lang", lang)
        } else {
            Message::of(MessageId::UiStringUndefined).text("key", key)
        };
        if as_error {
            Diagnostic::error(path, line, col, message)
        } else {
            Diagnostic::warning(path, line, col, message)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn a_template_error_keeps_its_position_whatever_its_path_holds() {
        let e = TemplateError::Syntax {
            path: PathBuf::from("/site/themes/a: 3:4/templates/x.html"),
            line: 7,
            col: 2,
            message: "expected tag".into(),
        };
        let d = template_diagnostic(Path::new("/site"), &e);
        assert_eq!(
            (d.path.as_str(), d.line, d.col),
            ("themes/a: 3:4/templates/x.html", 7, 2)
        );
        assert_eq!(d.message.to_string(), "template syntax error: expected tag");
        assert!(d.is_error());
        let e = TemplateError::Read {
            path: PathBuf::from("/elsewhere/base.html"),
            source: std::io::Error::other("denied"),
        };
        let d = template_diagnostic(Path::new("/site"), &e);
        assert_eq!(
            (d.path.as_str(), d.line, d.col),
            ("/elsewhere/base.html", 1, 1)
        );
        assert_eq!(d.message.to_string(), "cannot read the template: denied");
    }
}
