//! The words a visitor reads, line by line, from every file that puts text on the site:
//! content Markdown (title, description and body), the Fluent UI strings and the site
//! descriptions in `config.toml`.
//!
//! Everything a visitor does not read is blanked with spaces, character for character, so a
//! finding's column is the column in the file: front-matter keys other than `title` and
//! `description`, fenced code, link targets, URLs, HTML tags, shortcode calls, heading ids,
//! Fluent comments, message ids and placeables. The checks of what the site claims
//! (phone numbers, promise words) read only this.

use std::path::Path;

use super::LintError;
use crate::translations::content_files::display_path;
use crate::translations::{ContentFile, SiteLanguages};

/// One line of visible text; `text` has as many characters as the line in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisibleLine {
    pub line: usize,
    pub lang: String,
    pub text: String,
}

/// The visible lines of one file.
#[derive(Debug, Clone)]
pub struct VisibleFile {
    pub display_path: String,
    pub lines: Vec<VisibleLine>,
}

/// Every file of the site whose text visitors read: `files` (the content files to check),
/// then `i18n/locales/<lang>/*.ftl`, then `config.toml`.
pub fn site_text(
    site_root: &Path,
    config_text: &str,
    langs: &SiteLanguages,
    files: &[ContentFile],
) -> Result<Vec<VisibleFile>, LintError> {
    let mut out: Vec<VisibleFile> = files.iter().map(markdown_file).collect();
    for lang in langs.all() {
        let dir = site_root.join("i18n/locales").join(lang.as_str());
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
            .collect();
        paths.sort();
        for path in paths {
            let shown = display_path(&path, site_root);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| LintError::Data(format!("{shown}: could not read it: {e}")))?;
            out.push(VisibleFile {
                lines: fluent_lines(&text, lang),
                display_path: shown,
            });
        }
    }
    out.push(VisibleFile {
        display_path: "config.toml".into(),
        lines: config_lines(config_text, &langs.default),
    });
    Ok(out)
}

/// A content file's title, description and Markdown body.
pub fn markdown_file(file: &ContentFile) -> VisibleFile {
    let (toml_range, body_start) = match &file.front_matter {
        Some(fm) => (Some((fm.toml_start, fm.toml_end)), fm.body_start),
        None => (None, 0),
    };
    let mut lines = Vec::new();
    let mut offset = 0;
    let mut fence: Option<String> = None;
    for (index, raw) in file.text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += raw.len();
        let raw = raw.trim_end_matches(['\n', '\r']);
        let visible = if toml_range.is_some_and(|(s, e)| start >= s && start < e) {
            front_matter_value(raw)
        } else if start < body_start {
            None // the `+++` lines
        } else {
            let trimmed = raw.trim_start();
            let marker: String = trimmed
                .chars()
                .take_while(|c| *c == '`' || *c == '~')
                .collect();
            if let Some(open) = &fence {
                if marker.len() >= open.len() && marker.starts_with(&open[..1]) {
                    fence = None;
                }
                None
            } else if marker.len() >= 3 {
                fence = Some(marker);
                None
            } else {
                Some(mask_markdown(raw))
            }
        };
        if let Some(text) = visible {
            lines.push(VisibleLine {
                line: index + 1,
                lang: file.lang.to_string(),
                text,
            });
        }
    }
    VisibleFile {
        display_path: file.display_path.clone(),
        lines,
    }
}

/// The value of a `title = "…"` or `description = "…"` line, the key blanked.
fn front_matter_value(raw: &str) -> Option<String> {
    let trimmed = raw.trim_start();
    ["title", "description"]
        .iter()
        .any(|key| {
            trimmed
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .then(|| blank_through_first(raw, '='))
}

/// Blanks everything up to and including the first `stop`.
fn blank_through_first(raw: &str, stop: char) -> String {
    let mut seen = false;
    raw.chars()
        .map(|c| {
            if seen {
                c
            } else {
                seen = c == stop;
                ' '
            }
        })
        .collect()
}

/// Blanks what a Markdown line shows nobody: link targets, URLs, HTML tags, inline code,
/// shortcode calls and `{#heading-id}` attributes.
pub fn mask_markdown(raw: &str) -> String {
    let mut chars: Vec<char> = raw.chars().collect();
    blank_between(&mut chars, "{{", "}}");
    blank_between(&mut chars, "{%", "%}");
    blank_between(&mut chars, "{#", "}");
    blank_between(&mut chars, "](", ")");
    blank_between(&mut chars, "`", "`");
    blank_between(&mut chars, "<", ">");
    blank_urls(&mut chars);
    chars.into_iter().collect()
}

/// A Fluent file's message values: comments, ids and `{ … }` placeables blanked.
pub fn fluent_lines(text: &str, lang: &str) -> Vec<VisibleLine> {
    let mut out = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let trimmed = raw.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let starts_message = !raw.starts_with([' ', '\t']) && raw.contains('=');
        let value = if starts_message {
            blank_through_first(raw, '=')
        } else if trimmed.starts_with('[') || trimmed.starts_with('*') {
            // A variant: `[one] { $count } page`.
            blank_through_first(raw, ']')
        } else {
            raw.to_string()
        };
        let mut chars: Vec<char> = value.chars().collect();
        blank_between(&mut chars, "{", "}");
        out.push(VisibleLine {
            line: index + 1,
            lang: lang.to_string(),
            text: chars.into_iter().collect(),
        });
    }
    out
}

/// The `title` and `description` values of `config.toml`, in the language of their table
/// (`[languages.ru]` is Russian; top-level keys are the default language's).
pub fn config_lines(text: &str, default_lang: &str) -> Vec<VisibleLine> {
    let mut lang = Some(default_lang.to_string());
    let mut out = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let trimmed = raw.trim();
        if trimmed.starts_with('[') {
            lang = trimmed
                .trim_matches(['[', ']'])
                .strip_prefix("languages.")
                .map(|l| l.trim().trim_matches('"').to_string());
            continue;
        }
        let Some(lang) = &lang else { continue };
        if let Some(text) = front_matter_value(raw) {
            out.push(VisibleLine {
                line: index + 1,
                lang: lang.clone(),
                text,
            });
        }
    }
    out
}

/// Blanks every `open … close` span (both markers included). An unclosed `open` is left.
fn blank_between(chars: &mut [char], open: &str, close: &str) {
    let open: Vec<char> = open.chars().collect();
    let close: Vec<char> = close.chars().collect();
    let mut i = 0;
    while i + open.len() <= chars.len() {
        if chars[i..i + open.len()] == open[..] {
            let from = i + open.len();
            let end = (from..=chars.len().saturating_sub(close.len()))
                .find(|&j| chars[j..j + close.len()] == close[..]);
            if let Some(end) = end {
                for c in &mut chars[i..end + close.len()] {
                    *c = ' ';
                }
                i = end + close.len();
                continue;
            }
        }
        i += 1;
    }
}

/// Blanks `http://…` and `https://…` up to the next space.
fn blank_urls(chars: &mut [char]) {
    let text: String = chars.iter().collect();
    let mut starts = Vec::new();
    for scheme in ["http://", "https://"] {
        let mut from = 0;
        while let Some(pos) = text[from..].find(scheme) {
            starts.push(text[..from + pos].chars().count());
            from += pos + scheme.len();
        }
    }
    for start in starts {
        let mut i = start;
        while i < chars.len() && !chars[i].is_whitespace() {
            chars[i] = ' ';
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translations::content_files::split_front_matter;

    fn content(text: &str) -> ContentFile {
        ContentFile {
            display_path: "content/a.md".into(),
            path: "content/a.md".into(),
            page_key: "a.md".parse().unwrap(),
            lang: "az".parse().unwrap(),
            text: text.into(),
            front_matter: split_front_matter(text),
        }
    }

    #[test]
    fn markdown_keeps_what_visitors_read_in_place() {
        let file = content(
            "+++\ntitle = \"Zəng 152\"\nweight = 100\n+++\nBax [səhifə](@/a/102.md) və <https://x.az/103>.\n```\n104\n```\n{{ fact(id=\"n105\") }} ## Başlıq {#id-106}\n",
        );
        let v = markdown_file(&file);
        let lines: Vec<(usize, &str)> = v
            .lines
            .iter()
            .map(|l| (l.line, l.text.trim_end()))
            .collect();
        assert_eq!(lines[0].0, 2);
        assert_eq!(lines[0].1.trim(), "\"Zəng 152\"");
        assert!(
            lines[0].1.starts_with("       "),
            "the key is blanked in place"
        );
        assert_eq!(lines[1].0, 5);
        let words: Vec<&str> = lines[1].1.split_whitespace().collect();
        assert_eq!(words, vec!["Bax", "[səhifə", "və", "."]);
        assert_eq!(
            lines[1].1.chars().count(),
            "Bax [səhifə](@/a/102.md) və <https://x.az/103>."
                .chars()
                .count()
        );
        assert!(!lines.iter().any(|(_, t)| t.contains("100")
            || t.contains("104")
            || t.contains("105")
            || t.contains("106")));
    }

    #[test]
    fn fluent_values_without_ids_comments_or_placeables() {
        let v = fluent_lines(
            "# 152 in a comment\nkey-152 = Call { $number } now\n    or 112\n",
            "en",
        );
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].line, 2);
        assert_eq!(
            v[0].text.split_whitespace().collect::<Vec<_>>(),
            vec!["Call", "now"]
        );
        assert_eq!(v[1].text.trim(), "or 112");
    }

    #[test]
    fn config_descriptions_carry_their_language() {
        let v = config_lines(
            "title = \"X\"\ndescription = \"az text\"\n[languages.ru]\ndescription = \"ru text\"\n[extra]\ndescription = \"not shown\"\n",
            "az",
        );
        let got: Vec<(usize, &str, &str)> = v
            .iter()
            .map(|l| (l.line, l.lang.as_str(), l.text.trim()))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "az", "\"X\""),
                (2, "az", "\"az text\""),
                (4, "ru", "\"ru text\"")
            ]
        );
    }
}
