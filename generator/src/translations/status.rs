//! The translation status of every page: which languages exist, which are missing, and
//! which are stale (the default-language page changed since the translation was marked)
//! or were never marked. Shown by `xeberdar check --translations` and, in serve mode, at
//! `/_xeberdar/translations`.

use std::fmt::Write as _;
use std::path::Path;
use xeberdar_site::escape::html as escape;

use super::content_files::{
    group_by_page, read_content_files, translation_file_name, ContentFile, ContentFilesError,
    SiteLanguages,
};
use super::source_hash::source_hash;
use crate::config::{ContentKey, Lang};
use crate::editor_strings::{Arg, EditorStrings};
use crate::message::{Message, MessageId};

/// The state of one page in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TranslationState {
    /// The default-language file, which translations are compared with.
    Source,
    /// The translation recorded the current source hash.
    UpToDate,
    /// The translation recorded another hash: the source changed after it was marked.
    Stale { recorded: String, current: String },
    /// The translation exists but has no `source_hash`.
    Unmarked,
    /// No file for this language.
    Missing,
    /// A translation exists but the default-language file does not.
    NoSource,
}

impl TranslationState {
    /// The word shown in the table.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Source => "source",
            Self::UpToDate => "ok",
            Self::Stale { .. } => "stale",
            Self::Unmarked => "unmarked",
            Self::Missing => "missing",
            Self::NoSource => "no-source",
        }
    }
}

/// One page (or section) and its state in each language, in [`SiteLanguages::all`] order.
#[derive(Debug, Clone)]
pub struct PageRow {
    /// `content/…` path of the default-language file (even when it is missing).
    pub page: String,
    pub states: Vec<(Lang, TranslationState)>,
}

/// A `path:line:col: warning: …` message about one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslationMessage {
    /// The state the message is about.
    pub state: TranslationState,
    pub path: String,
    pub line: usize,
    pub col: usize,
    pub message: Message,
}

impl TranslationMessage {
    /// The `path:line:col: warning: …` line with the message in the language of `strings`.
    pub fn line_in(&self, strings: &EditorStrings) -> String {
        format!(
            "{}:{}:{}: warning: {}",
            self.path,
            self.line,
            self.col,
            self.message.render(strings)
        )
    }
}

impl std::fmt::Display for TranslationMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: warning: {}",
            self.path, self.line, self.col, self.message
        )
    }
}

/// The whole site's translation status.
#[derive(Debug, Clone)]
pub struct TranslationReport {
    pub languages: Vec<Lang>,
    pub rows: Vec<PageRow>,
    pub messages: Vec<TranslationMessage>,
}

impl TranslationReport {
    /// Reads `config.toml` and every file under `content/`.
    pub fn load(site_root: &Path) -> Result<Self, ContentFilesError> {
        let langs = SiteLanguages::load(site_root)?;
        let files = read_content_files(site_root, &langs)?;
        Ok(Self::from_files(&files, &langs))
    }

    pub fn from_files(files: &[ContentFile], langs: &SiteLanguages) -> Self {
        let mut rows = Vec::new();
        let mut messages = Vec::new();
        for (page_key, by_lang) in group_by_page(files) {
            let source = by_lang.get(&langs.default).copied();
            let current = source.map(source_hash);
            let source_path = format!("content/{page_key}");
            let mut states = Vec::new();
            for lang in langs.all() {
                let state = match (by_lang.get(lang), &current) {
                    (Some(_), _) if *lang == langs.default => TranslationState::Source,
                    (Some(_), None) => TranslationState::NoSource,
                    (Some(file), Some(current)) => {
                        match file
                            .front_matter
                            .as_ref()
                            .and_then(|fm| fm.str_field("source_hash"))
                        {
                            None => TranslationState::Unmarked,
                            Some(recorded) if recorded == current => TranslationState::UpToDate,
                            Some(recorded) => TranslationState::Stale {
                                recorded: recorded.to_string(),
                                current: current.clone(),
                            },
                        }
                    }
                    (None, _) => TranslationState::Missing,
                };
                if let Some(message) = message_for(
                    &state,
                    by_lang.get(lang).copied(),
                    &source_path,
                    page_key,
                    lang,
                    langs,
                ) {
                    messages.push(message);
                }
                states.push((lang.clone(), state));
            }
            rows.push(PageRow {
                page: source_path,
                states,
            });
        }
        Self {
            languages: langs.all().cloned().collect(),
            rows,
            messages,
        }
    }

    /// How many cells are in each problem state: (missing, stale, unmarked, no-source).
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let mut counts = (0, 0, 0, 0);
        for (_, state) in self.rows.iter().flat_map(|row| &row.states) {
            match state {
                TranslationState::Missing => counts.0 += 1,
                TranslationState::Stale { .. } => counts.1 += 1,
                TranslationState::Unmarked => counts.2 += 1,
                TranslationState::NoSource => counts.3 += 1,
                _ => {}
            }
        }
        counts
    }

    /// A plain-text table, one row per page, aligned for a terminal.
    pub fn table(&self) -> String {
        let mut header = vec!["page".to_string()];
        header.extend(self.languages.iter().map(String::from));
        let mut lines: Vec<Vec<String>> = vec![header];
        for row in &self.rows {
            let mut cells = vec![row.page.clone()];
            cells.extend(
                row.states
                    .iter()
                    .map(|(_, state)| state.label().to_string()),
            );
            lines.push(cells);
        }
        let columns = lines[0].len();
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                lines
                    .iter()
                    .map(|l| l[c].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for line in &lines {
            let mut text = String::new();
            for (c, cell) in line.iter().enumerate() {
                if c + 1 == columns {
                    text.push_str(cell);
                } else {
                    let pad = widths[c] - cell.chars().count();
                    let _ = write!(text, "{cell}{}  ", " ".repeat(pad));
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        }
        out
    }

    /// One summary line, in the language of `strings`.
    pub fn summary_line(&self, strings: &EditorStrings) -> String {
        let (missing, stale, unmarked, no_source) = self.counts();
        let no_source = if no_source > 0 {
            strings.text(
                "translations-no-source",
                &[("count", Arg::Count(no_source))],
            )
        } else {
            String::new()
        };
        strings.text(
            "translations-summary",
            &[
                ("pages", Arg::Count(self.rows.len())),
                ("languages", Arg::Count(self.languages.len())),
                ("missing", Arg::Count(missing)),
                ("stale", Arg::Count(stale)),
                ("unmarked", Arg::Count(unmarked)),
                ("no_source", Arg::Text(&no_source)),
            ],
        )
    }

    /// A self-contained HTML page for the development server.
    pub fn html(&self) -> String {
        let mut out = String::from(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <title>Translation status</title>\
             <style>body{font-family:sans-serif;margin:2rem}table{border-collapse:collapse}\
             td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}\
             .ok{background:#e6f4ea}.stale{background:#fde7c8}.missing,.no-source{background:#fbd3d0}\
             .unmarked{background:#fff7c2}.source{color:#555}</style></head><body>\n",
        );
        let _ = writeln!(
            out,
            "<h1>Translation status</h1>\n<p>{}</p>",
            escape(&self.summary_line(&EditorStrings::in_language("en")))
        );
        out.push_str("<table>\n<tr><th>page</th>");
        for lang in &self.languages {
            let _ = write!(out, "<th>{}</th>", escape(lang));
        }
        out.push_str("</tr>\n");
        for row in &self.rows {
            let _ = write!(out, "<tr><td>{}</td>", escape(&row.page));
            for (_, state) in &row.states {
                let _ = write!(out, "<td class=\"{0}\">{0}</td>", state.label());
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n");
        if !self.messages.is_empty() {
            out.push_str("<h2>What to do</h2>\n<ul>\n");
            for message in &self.messages {
                let _ = writeln!(
                    out,
                    "<li><code>{}</code></li>",
                    escape(&message.to_string())
                );
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</body></html>\n");
        out
    }
}

fn message_for(
    state: &TranslationState,
    file: Option<&ContentFile>,
    source_path: &str,
    page_key: &ContentKey,
    lang: &Lang,
    langs: &SiteLanguages,
) -> Option<TranslationMessage> {
    let translation_path = format!("content/{}", translation_file_name(page_key, lang, langs));
    let at = |file: &ContentFile, key: &str, message: Message| {
        let (line, col) = file.key_position(key);
        TranslationMessage {
            state: state.clone(),
            path: file.display_path.clone(),
            line,
            col,
            message,
        }
    };
    match (state, file) {
        (TranslationState::Missing, _) => Some(TranslationMessage {
            state: state.clone(),
            path: source_path.to_string(),
            line: 1,
            col: 1,
            message: Message::of(MessageId::TranslationMissing)
                .text("lang", lang)
                .text("file", translation_path),
        }),
        (TranslationState::Stale { recorded, current }, Some(file)) => Some(at(
            file,
            "source_hash",
            Message::of(MessageId::TranslationStale)
                .text("source", source_path)
                .text("recorded", recorded.as_str())
                .text("current", current.as_str())
                .text("file", file.display_path.as_str()),
        )),
        (TranslationState::Unmarked, Some(file)) => Some(TranslationMessage {
            state: state.clone(),
            path: file.display_path.clone(),
            line: 1,
            col: 1,
            message: Message::of(MessageId::TranslationUnmarked)
                .text("source", source_path)
                .text("file", file.display_path.as_str()),
        }),
        (TranslationState::NoSource, Some(file)) => Some(TranslationMessage {
            state: state.clone(),
            path: file.display_path.clone(),
            line: 1,
            col: 1,
            message: Message::of(MessageId::TranslationNoSource)
                .text("default", langs.default.as_str())
                .text("source", source_path),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::content_files::read_content_files;
    use super::super::mark::mark_translations;
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn reports_missing_stale_unmarked_and_ok() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "config.toml",
            "default_language = \"az\"\n[languages.ru]\n[languages.en]\n",
        );
        write(root, "content/a.md", "+++\ntitle = \"A\"\n+++\nMətn\n");
        write(root, "content/a.ru.md", "+++\ntitle = \"А\"\n+++\nТекст\n");
        write(root, "content/b.md", "+++\ntitle = \"B\"\n+++\nB\n");
        write(root, "content/b.en.md", "+++\ntitle = \"B\"\n+++\nB\n");

        let report = TranslationReport::load(root).unwrap();
        assert_eq!(
            report.table(),
            "page          az      en        ru\n\
             content/a.md  source  missing   unmarked\n\
             content/b.md  source  unmarked  missing\n"
        );

        mark_translations(root, &[root.join("content/a.ru.md")]).unwrap();
        let report = TranslationReport::load(root).unwrap();
        assert_eq!(report.rows[0].states[2].1, TranslationState::UpToDate);

        write(root, "content/a.md", "+++\ntitle = \"A\"\n+++\nYeni mətn\n");
        let report = TranslationReport::load(root).unwrap();
        assert!(matches!(
            report.rows[0].states[2].1,
            TranslationState::Stale { .. }
        ));
        let stale = report
            .messages
            .iter()
            .find(|m| m.path == "content/a.ru.md")
            .unwrap();
        assert_eq!((stale.line, stale.col), (3, 1));
        assert!(stale.to_string().starts_with(
            "content/a.ru.md:3:1: warning: stale translation: content/a.md changed after"
        ));
        assert_eq!(
            report.summary_line(&EditorStrings::in_language("en")),
            "2 pages in 3 languages: 2 missing, 1 stale, 1 never marked"
        );
        assert_eq!(
            report.summary_line(&EditorStrings::in_language("az")),
            "3 dildə 2 səhifə: 2 tərcümə yoxdur, 1 köhnəlib, 1 heç vaxt qeyd olunmayıb"
        );
        assert!(stale
            .line_in(&EditorStrings::in_language("ru"))
            .starts_with("content/a.ru.md:3:1: warning: перевод устарел: content/a.md изменился"));
        let langs = SiteLanguages::load(root).unwrap();
        assert_eq!(read_content_files(root, &langs).unwrap().len(), 4);
    }
}
