//! Checks across pages: two pages of one language with the same title confuse visitors in
//! search results and in the browser's history.

use std::collections::BTreeMap;

use super::config::{Check, ContentChecksConfig, Level};
use super::Finding;
use crate::config::Lang;
use crate::message::{Message, MessageId};
use crate::translations::ContentFile;

/// Reports every page whose title an earlier page (by path) of the same language already has.
pub fn duplicate_titles(
    files: &[ContentFile],
    config: &ContentChecksConfig,
    out: &mut Vec<Finding>,
) {
    let level = config.level(Check::DuplicateTitles);
    if level == Level::Off {
        return;
    }
    let mut first_with: BTreeMap<(&Lang, String), &ContentFile> = BTreeMap::new();
    for file in files {
        let Some(title) = file.title() else { continue };
        let normalised = title.trim().to_lowercase();
        if normalised.is_empty() {
            continue;
        }
        match first_with.get(&(&file.lang, normalised.clone())) {
            Some(first) => {
                let (line, col) = file.key_position("title");
                out.push(Finding {
                    path: file.display_path.clone(),
                    line,
                    col,
                    level,
                    check: Check::DuplicateTitles,
                    message: Message::of(MessageId::LintDuplicateTitle)
                        .text("title", title.trim())
                        .text("other", first.display_path.as_str())
                        .text("lang", &file.lang),
                });
            }
            None => {
                first_with.insert((&file.lang, normalised), file);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translations::content_files::split_front_matter;

    fn file(path: &str, lang: &str, text: &str) -> ContentFile {
        ContentFile {
            display_path: path.into(),
            path: path.into(),
            page_key: path.parse().unwrap(),
            lang: lang.parse().unwrap(),
            text: text.into(),
            front_matter: split_front_matter(text),
        }
    }

    #[test]
    fn same_title_in_one_language_only() {
        let files = vec![
            file("content/a.md", "az", "+++\ntitle = \"Kömək\"\n+++\n"),
            file("content/a.ru.md", "ru", "+++\ntitle = \"Kömək\"\n+++\n"),
            file(
                "content/b.md",
                "az",
                "+++\ndate = 2024-05-06\ntitle = \"kömək \"\n+++\n",
            ),
        ];
        let mut out = Vec::new();
        duplicate_titles(&files, &ContentChecksConfig::default(), &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].to_string(),
            "content/b.md:3:1: warning: title \"kömək\" is already used by content/a.md (az); give each page its own title [duplicate_titles]"
        );
    }
}
