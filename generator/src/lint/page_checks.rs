//! Checks of one page's Markdown: images without alt text, skipped heading levels, links
//! without text, external links, and the front matter's description.
//!
//! Positions come from pulldown-cmark's offset iterator over the body, shifted by where the
//! body starts in the file, so every message points at the exact line and column.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::config::{Check, ContentChecksConfig};
use super::Finding;
use crate::message::{Message, MessageId};
use crate::translations::ContentFile;

/// The Markdown extensions the site uses; checks must parse like the build does.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

struct OpenLink {
    offset: usize,
    has_text: bool,
}

struct OpenImage {
    offset: usize,
    alt: String,
}

/// Runs every per-page check on `file`, appending findings whose level is not `off`.
pub fn check_page(file: &ContentFile, config: &ContentChecksConfig, out: &mut Vec<Finding>) {
    check_description(file, config, out);

    let body = file.body();
    let base = file.body_start();
    let mut push = |check: Check, offset: usize, message: Message| {
        let level = config.level(check);
        if level != super::Level::Off {
            let (line, col) = file.line_col(base + offset);
            out.push(Finding {
                path: file.display_path.clone(),
                line,
                col,
                level,
                check,
                message,
            });
        }
    };

    let mut previous_heading = 1u8; // the page title, which the template renders as <h1>
    let mut links: Vec<OpenLink> = Vec::new();
    let mut images: Vec<OpenImage> = Vec::new();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let level = heading_number(level);
                if level > previous_heading + 1 {
                    push(
                        Check::HeadingLevels,
                        range.start,
                        Message::of(MessageId::LintHeadingSkipped)
                            .count("level", level.into())
                            .text("marks", "#".repeat(level.into()))
                            .count("previous", previous_heading.into())
                            .text("wanted", "#".repeat(usize::from(previous_heading) + 1)),
                    );
                }
                previous_heading = level;
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                if is_external(&dest_url) {
                    push(
                        Check::ExternalLinks,
                        range.start,
                        Message::of(MessageId::LintExternalLink).text("url", dest_url.as_ref()),
                    );
                }
                links.push(OpenLink {
                    offset: range.start,
                    has_text: false,
                });
            }
            Event::End(TagEnd::Link) => {
                if let Some(link) = links.pop() {
                    if !link.has_text {
                        push(
                            Check::EmptyLinkText,
                            link.offset,
                            Message::of(MessageId::LintLinkNoText),
                        );
                    }
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                if is_external(&dest_url) {
                    push(
                        Check::ExternalLinks,
                        range.start,
                        Message::of(MessageId::LintExternalImage).text("url", dest_url.as_ref()),
                    );
                }
                images.push(OpenImage {
                    offset: range.start,
                    alt: String::new(),
                });
            }
            Event::End(TagEnd::Image) => {
                if let Some(image) = images.pop() {
                    if image.alt.trim().is_empty() {
                        push(
                            Check::ImageAlt,
                            image.offset,
                            Message::of(MessageId::LintImageNoAlt),
                        );
                    } else if let Some(link) = links.last_mut() {
                        // An image with alt text names the link it sits in.
                        link.has_text = true;
                    }
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(image) = images.last_mut() {
                    image.alt.push_str(&text);
                } else if !text.trim().is_empty() {
                    if let Some(link) = links.last_mut() {
                        link.has_text = true;
                    }
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                for offset in html_images_without_alt(&html) {
                    push(
                        Check::ImageAlt,
                        range.start + offset,
                        Message::of(MessageId::LintImgTagNoAlt),
                    );
                }
            }
            _ => {}
        }
    }
}

fn check_description(file: &ContentFile, config: &ContentChecksConfig, out: &mut Vec<Finding>) {
    let Some(front_matter) = &file.front_matter else {
        return;
    };
    if front_matter.parsed.is_err() {
        return; // the build reports the syntax error itself
    }
    let mut push = |check: Check, message: Message| {
        let level = config.level(check);
        if level != super::Level::Off {
            let (line, col) = file.key_position("description");
            out.push(Finding {
                path: file.display_path.clone(),
                line,
                col,
                level,
                check,
                message,
            });
        }
    };
    match file.description().map(str::trim) {
        None | Some("") => push(
            Check::MissingDescription,
            Message::of(MessageId::LintNoDescription),
        ),
        Some(description) => {
            let length = description.chars().count();
            if length > config.max_description_length {
                push(
                    Check::DescriptionLength,
                    Message::of(MessageId::LintDescriptionLong)
                        .count("length", length)
                        .count("max", config.max_description_length),
                );
            }
        }
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A link that leaves the site: `http(s)://` or protocol-relative `//`.
pub fn is_external(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

/// Byte offsets of `<img` tags without an `alt` attribute in a raw HTML fragment.
fn html_images_without_alt(html: &str) -> Vec<usize> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<img") {
        let start = from + i;
        let end = lower[start..].find('>').map_or(lower.len(), |j| start + j);
        let tag = &lower[start..end];
        let has_alt = tag.match_indices("alt").any(|(j, _)| {
            let before = tag[..j].chars().last().is_some_and(char::is_whitespace);
            let after = tag[j + 3..].trim_start();
            before && after.starts_with('=') && !after[1..].trim_start().starts_with("\"\"")
        });
        if !has_alt {
            found.push(start);
        }
        from = end.max(start + 4);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translations::content_files::split_front_matter;

    fn file(text: &str) -> ContentFile {
        ContentFile {
            display_path: "content/p.md".into(),
            path: "content/p.md".into(),
            page_key: "p.md".parse().unwrap(),
            lang: "az".parse().unwrap(),
            text: text.into(),
            front_matter: split_front_matter(text),
        }
    }

    fn messages(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        check_page(&file(text), &ContentChecksConfig::default(), &mut out);
        out.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn image_without_alt() {
        let got = messages(
            "+++\ntitle = \"T\"\ndescription = \"D\"\n+++\nMətn ![](a.png) və ![ok](b.png)\n",
        );
        assert_eq!(
            got,
            vec!["content/p.md:5:6: error: image has no alt text: describe what it shows between the brackets, like ![Hotline 152 poster](poster.jpg) [image_alt]"]
        );
    }

    #[test]
    fn html_image_without_alt() {
        let got = messages("+++\ndescription = \"D\"\n+++\n<p><img src=\"a.png\"> <img alt=\"x\" src=\"b.png\"></p>\n");
        assert_eq!(got.len(), 1);
        assert!(
            got[0].starts_with("content/p.md:4:4: error: image has no alt text"),
            "{got:?}"
        );
    }

    #[test]
    fn skipped_heading_level() {
        let got = messages("+++\ndescription = \"D\"\n+++\n## Two\n\n#### Four\n");
        assert_eq!(
            got,
            vec!["content/p.md:6:1: warning: heading level skipped: a level-4 heading (####) follows level 2; use ### here [heading_levels]"]
        );
    }

    #[test]
    fn empty_link_text_and_external_links() {
        let got = messages("+++\ndescription = \"D\"\n+++\nSee [](https://example.org) and [ok](@/a.md) [![logo](l.png)](/x)\n");
        assert_eq!(
            got,
            vec![
                "content/p.md:4:5: info: external link: https://example.org [external_links]",
                "content/p.md:4:5: error: link has no text: write what it leads to between the brackets, like [the hotline page](@/hotline.md) [empty_link_text]",
            ]
        );
    }

    #[test]
    fn description_missing_and_too_long() {
        assert_eq!(
            messages("+++\ntitle = \"T\"\n+++\nx\n"),
            vec!["content/p.md:1:1: warning: page has no description: add description = \"…\" to the front matter; search results and link previews show it [missing_description]"]
        );
        let long = "ə".repeat(160);
        assert_eq!(
            messages(&format!("+++\ntitle = \"T\"\ndescription = \"{long}\"\n+++\nx\n")),
            vec!["content/p.md:3:1: warning: description is 160 characters long; search results show about 155, so shorten it [description_length]"]
        );
    }

    #[test]
    fn off_means_silent() {
        let mut config = ContentChecksConfig::default();
        config.set_level(Check::ImageAlt, super::super::Level::Off);
        let mut out = Vec::new();
        check_page(
            &file("+++\ndescription = \"D\"\n+++\n![](a.png)\n"),
            &config,
            &mut out,
        );
        assert!(out.is_empty());
    }
}
