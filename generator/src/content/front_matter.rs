//! The `+++` TOML block at the top of every content file, for pages and for sections.
//!
//! Parsing is strict on purpose: an unknown key is an error that names the key and its line
//! (a typo such as `tilte` would otherwise silently vanish), and a date that is not
//! `2024-05-06` or RFC 3339 says so in plain words. Positions are in the *file*, not in the
//! front-matter block, so `content/signs.az.md:3:9:` points where the editor must look.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::config::toml_to_json;
use crate::diagnostics::{plain_value_error, Diagnostic, LineIndex};
use crate::message::{Message, MessageId};

pub use xeberdar_site::front_matter::Split;

/// Finds the `+++` block (the rules are the site model's, shared with the translation
/// tools), with the problem in plain words for the editor.
pub fn split(text: &str) -> Result<Split, (usize, Message)> {
    use xeberdar_site::front_matter::Problem;
    xeberdar_site::front_matter::split(text).map_err(|e| {
        let id = match e.problem {
            Problem::Yaml => MessageId::FmYaml,
            Problem::Missing => MessageId::FmMissing,
            Problem::OpeningNotAlone => MessageId::FmOpeningNotAlone,
            Problem::NotClosed => MessageId::FmNotClosed,
        };
        (e.offset, Message::of(id))
    })
}

/// A date from front matter: the text as written (normalized for TOML dates) and a sort key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FrontMatterDate {
    /// As templates see it: `2024-05-06` or `2024-05-06T10:00:00+04:00`.
    pub text: String,
    /// Seconds since 1970 (UTC when an offset was given, else the local time read as UTC),
    /// used only for ordering pages.
    #[serde(skip)]
    pub timestamp: i64,
}

impl FrontMatterDate {
    /// `2024-05-06`, `2024-05-06T10:00:00Z`, `2024-05-06T10:00:00+04:00`,
    /// `2024-05-06T10:00:00` and `2024-05-06 10:00:00` are accepted.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let timestamp = if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            d.and_hms_opt(0, 0, 0)?.and_utc().timestamp()
        } else if let Ok(d) = DateTime::parse_from_rfc3339(s) {
            d.timestamp()
        } else if let Ok(d) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
            d.and_utc().timestamp()
        } else if let Ok(d) = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f") {
            d.and_utc().timestamp()
        } else {
            return None;
        };
        Some(Self {
            text: s.to_string(),
            timestamp,
        })
    }
}

/// How a section orders its pages (Zola's values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortBy {
    /// Newest first; pages without a date go last.
    Date,
    /// By `updated` (else `date`), newest first.
    UpdateDate,
    /// By slug.
    Slug,
    /// By title, byte order (case-sensitive).
    TitleBytes,
    /// Smallest weight first; pages without a weight go last.
    Weight,
    /// Alphabetical by title, case-insensitive (Azerbaijani casing for az).
    Title,
    /// By file path.
    #[default]
    None,
}

/// Front matter of a page (`page.md`, `page.ru.md`, `bundle/index.md`).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct PageFrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<FrontMatterDate>,
    pub updated: Option<FrontMatterDate>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub slug: Option<String>,
    pub path: Option<String>,
    pub aliases: Vec<String>,
    pub template: Option<String>,
    pub taxonomies: PageTaxonomies,
    pub authors: Vec<String>,
    pub in_search_index: bool,
    pub render: bool,
    /// Hash of the source-language text this translation was made from; the editor tooling
    /// compares it to flag stale translations.
    pub source_hash: Option<String>,
    pub extra: serde_json::Value,
}

/// A page's terms by taxonomy name, in name order. A list, not a map: a page names one
/// or two taxonomies, and the smallest B-tree node is about half a kilobyte, kept for
/// every page of the site.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageTaxonomies(Vec<(String, Vec<String>)>);

impl PageTaxonomies {
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.0
            .iter()
            .map(|(name, terms)| (name.as_str(), terms.as_slice()))
    }
}

impl FromIterator<(String, Vec<String>)> for PageTaxonomies {
    fn from_iter<I: IntoIterator<Item = (String, Vec<String>)>>(iter: I) -> Self {
        let mut list: Vec<_> = iter.into_iter().collect();
        list.sort_by(|a, b| a.0.cmp(&b.0));
        list.dedup_by(|later, first| later.0 == first.0);
        list.shrink_to_fit();
        PageTaxonomies(list)
    }
}

/// As the map it was read from: `{ "tags": ["a", "b"] }`.
impl Serialize for PageTaxonomies {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// Front matter of a section (`_index.md`, `_index.ru.md`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionFrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub sort_by: SortBy,
    pub weight: i64,
    pub draft: bool,
    pub paginate_by: Option<usize>,
    pub paginate_path: String,
    pub paginate_reversed: bool,
    pub transparent: bool,
    pub render: bool,
    pub redirect_to: Option<String>,
    pub aliases: Vec<String>,
    pub template: Option<String>,
    pub page_template: Option<String>,
    pub in_search_index: bool,
    pub generate_feeds: bool,
    pub insert_anchor_links: Option<String>,
    pub source_hash: Option<String>,
    pub extra: serde_json::Value,
}

impl Default for SectionFrontMatter {
    fn default() -> Self {
        Self {
            title: None,
            description: None,
            sort_by: SortBy::None,
            weight: 0,
            draft: false,
            paginate_by: None,
            paginate_path: "page".to_string(),
            paginate_reversed: false,
            transparent: false,
            render: true,
            redirect_to: None,
            aliases: Vec::new(),
            template: None,
            page_template: None,
            in_search_index: true,
            generate_feeds: false,
            insert_anchor_links: None,
            source_hash: None,
            extra: serde_json::Value::Object(Default::default()),
        }
    }
}

/// 1-based (line, col) in the file of each top-level front-matter key and of each value
/// that may need an error later (aliases, taxonomies, path).
pub type KeyPositions = BTreeMap<String, (usize, usize)>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    title: Option<String>,
    description: Option<String>,
    date: Option<Spanned<toml::Value>>,
    updated: Option<Spanned<toml::Value>>,
    weight: Option<i64>,
    #[serde(default)]
    draft: bool,
    slug: Option<String>,
    path: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    template: Option<String>,
    #[serde(default)]
    taxonomies: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    authors: Vec<String>,
    in_search_index: Option<bool>,
    render: Option<bool>,
    source_hash: Option<String>,
    extra: Option<toml::Table>,
}

const PAGE_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "weight",
    "draft",
    "slug",
    "path",
    "aliases",
    "template",
    "taxonomies",
    "authors",
    "in_search_index",
    "render",
    "source_hash",
    "extra",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    title: Option<String>,
    description: Option<String>,
    sort_by: Option<SortBy>,
    #[serde(default)]
    weight: i64,
    #[serde(default)]
    draft: bool,
    paginate_by: Option<usize>,
    paginate_path: Option<String>,
    #[serde(default)]
    paginate_reversed: bool,
    #[serde(default)]
    transparent: bool,
    render: Option<bool>,
    redirect_to: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    template: Option<String>,
    page_template: Option<String>,
    in_search_index: Option<bool>,
    #[serde(default, alias = "generate_feed")]
    generate_feeds: bool,
    insert_anchor_links: Option<String>,
    source_hash: Option<String>,
    extra: Option<toml::Table>,
}

const SECTION_KEYS: &[&str] = &[
    "title",
    "description",
    "sort_by",
    "weight",
    "draft",
    "paginate_by",
    "paginate_path",
    "paginate_reversed",
    "transparent",
    "render",
    "redirect_to",
    "aliases",
    "template",
    "page_template",
    "in_search_index",
    "generate_feeds",
    "insert_anchor_links",
    "source_hash",
    "extra",
];

/// Context for turning TOML errors into file positions.
pub struct Source<'a> {
    /// Site-relative path for diagnostics (`content/signs.az.md`).
    pub path: &'a str,
    pub text: &'a str,
    pub lines: &'a LineIndex,
    pub split: Split,
}

impl Source<'_> {
    fn fm(&self) -> &str {
        &self.text[self.split.front_matter_start..self.split.front_matter_end]
    }

    /// File position of a byte offset inside the front matter. A quoted value points at its
    /// first character, not at the quote.
    fn pos(&self, fm_offset: usize) -> (usize, usize) {
        let mut off = self.split.front_matter_start + fm_offset;
        if matches!(self.text.as_bytes().get(off), Some(b'"' | b'\'')) {
            off += 1;
        }
        self.lines.position(self.text, off)
    }

    fn error(&self, fm_offset: usize, message: Message) -> Diagnostic {
        let (line, col) = self.pos(fm_offset);
        Diagnostic::error(self.path, line, col, message)
    }

    fn toml_error(&self, e: toml::de::Error, allowed: &[&str]) -> Diagnostic {
        let msg = e.message().trim();
        let start = e.span().map_or(0, |s| s.start);
        let plain = if let Some(rest) = msg.strip_prefix("unknown field `") {
            let key = rest.split('`').next().unwrap_or(rest);
            Message::of(MessageId::FmUnknownKey)
                .text("key", key)
                .text("allowed", allowed.join(", "))
        } else if let Some(plain) = plain_value_error(msg) {
            // Name the key written on the error's line, so the editor knows what to fix.
            let fm = self.fm();
            let line_start = fm[..start.min(fm.len())].rfind('\n').map_or(0, |i| i + 1);
            let key = fm[line_start..]
                .split(['=', '\n'])
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(['"', '\'']);
            if key.is_empty() || key.starts_with('[') {
                plain
            } else {
                Message::of(MessageId::KeyValueProblem)
                    .text("key", key)
                    .message("problem", plain)
            }
        } else {
            Message::of(MessageId::FmNotToml).text("detail", msg)
        };
        self.error(start, plain)
    }

    fn key_positions(&self) -> KeyPositions {
        let mut out = KeyPositions::new();
        let fm = self.fm();
        let mut offset = 0;
        for line in fm.split_inclusive('\n') {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            let key: String = if let Some(t) = trimmed.strip_prefix('[') {
                t.trim_start_matches('[')
                    .split(['.', ']'])
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string()
            } else {
                trimmed
                    .split(['=', ' ', '\t', '.'])
                    .next()
                    .unwrap_or("")
                    .trim_matches(['"', '\''])
                    .to_string()
            };
            if !key.is_empty() && !key.starts_with('#') {
                out.entry(key).or_insert_with(|| {
                    self.lines
                        .position(self.text, self.split.front_matter_start + offset + indent)
                });
            }
            offset += line.len();
        }
        out
    }
}

fn parse_date(
    src: &Source<'_>,
    key: &str,
    v: Spanned<toml::Value>,
) -> Result<FrontMatterDate, Diagnostic> {
    let span = v.span();
    let text = match v.into_inner() {
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::String(s) => s,
        other => other.to_string(),
    };
    FrontMatterDate::parse(&text).ok_or_else(|| {
        src.error(
            span.start,
            Message::of(MessageId::FmBadDate)
                .text("key", key)
                .text("found", text.as_str()),
        )
    })
}

fn extra_json(t: Option<toml::Table>) -> serde_json::Value {
    toml_to_json(toml::Value::Table(t.unwrap_or_default()))
}

/// Parses a page's front matter. Returns the values and where each key is in the file.
pub fn parse_page(src: &Source<'_>) -> Result<(PageFrontMatter, KeyPositions), Vec<Diagnostic>> {
    let raw: RawPage = toml::from_str(src.fm()).map_err(|e| vec![src.toml_error(e, PAGE_KEYS)])?;
    let mut errors = Vec::new();
    let date = raw
        .date
        .map(|d| parse_date(src, "date", d))
        .transpose()
        .unwrap_or_else(|e| {
            errors.push(e);
            None
        });
    let updated = raw
        .updated
        .map(|d| parse_date(src, "updated", d))
        .transpose()
        .unwrap_or_else(|e| {
            errors.push(e);
            None
        });
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((
        PageFrontMatter {
            title: raw.title,
            description: raw.description,
            date,
            updated,
            weight: raw.weight,
            draft: raw.draft,
            slug: raw.slug,
            path: raw.path,
            aliases: raw.aliases,
            template: raw.template,
            taxonomies: raw.taxonomies.into_iter().collect(),
            authors: raw.authors,
            in_search_index: raw.in_search_index.unwrap_or(true),
            render: raw.render.unwrap_or(true),
            source_hash: raw.source_hash,
            extra: extra_json(raw.extra),
        },
        src.key_positions(),
    ))
}

/// Parses a section's front matter.
pub fn parse_section(
    src: &Source<'_>,
) -> Result<(SectionFrontMatter, KeyPositions), Vec<Diagnostic>> {
    let raw: RawSection =
        toml::from_str(src.fm()).map_err(|e| vec![src.toml_error(e, SECTION_KEYS)])?;
    let d = SectionFrontMatter::default();
    Ok((
        SectionFrontMatter {
            title: raw.title,
            description: raw.description,
            sort_by: raw.sort_by.unwrap_or_default(),
            weight: raw.weight,
            draft: raw.draft,
            paginate_by: raw.paginate_by.filter(|n| *n > 0),
            paginate_path: raw.paginate_path.unwrap_or(d.paginate_path),
            paginate_reversed: raw.paginate_reversed,
            transparent: raw.transparent,
            render: raw.render.unwrap_or(true),
            redirect_to: raw.redirect_to,
            aliases: raw.aliases,
            template: raw.template,
            page_template: raw.page_template,
            in_search_index: raw.in_search_index.unwrap_or(true),
            generate_feeds: raw.generate_feeds,
            insert_anchor_links: raw.insert_anchor_links,
            source_hash: raw.source_hash,
            extra: extra_json(raw.extra),
        },
        src.key_positions(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Result<PageFrontMatter, String> {
        let lines = LineIndex::new(text);
        let split = split(text).map_err(|(_, m)| m.to_string())?;
        let src = Source {
            path: "content/p.md",
            text,
            lines: &lines,
            split,
        };
        parse_page(&src).map(|p| p.0).map_err(|e| {
            e.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        })
    }

    #[test]
    fn splits_front_matter_and_body() {
        let t = "\n+++\ntitle = \"x\"\n+++\nbody\n";
        let s = split(t).unwrap();
        assert_eq!(
            &t[s.front_matter_start..s.front_matter_end],
            "title = \"x\"\n"
        );
        assert_eq!(&t[s.body_start..], "body\n");
        assert!(split("title").is_err());
        let bom = "\u{feff}+++\ntitle = \"x\"\n+++\nb";
        assert_eq!(&bom[split(bom).unwrap().body_start..], "b");
        let crlf = "+++\r\ntitle = \"x\"\r\n+++\r\nb\r\n";
        assert_eq!(&crlf[split(crlf).unwrap().body_start..], "b\r\n");
        assert!(split("+++\ntitle = 1\n").is_err());
        assert!(split("---\ntitle: x\n---\n")
            .unwrap_err()
            .1
            .to_string()
            .contains("YAML"));
    }

    #[test]
    fn windows_line_endings_parse() {
        let p = page("+++\r\ntitle = \"Başlıq\"\r\ndate = 2024-05-06\r\n+++\r\n").unwrap();
        assert_eq!(p.title.as_deref(), Some("Başlıq"));
        let e = page("+++\r\ntitle = \"x\"\r\ndate = \"6 May\"\r\n+++\r\n").unwrap_err();
        assert!(e.starts_with("content/p.md:3:9: "), "{e}");
    }

    #[test]
    fn dates_toml_and_strings() {
        let p =
            page("+++\ndate = 2024-05-06\nupdated = \"2024-05-07T10:00:00+04:00\"\n+++\n").unwrap();
        assert_eq!(p.date.unwrap().text, "2024-05-06");
        assert_eq!(p.updated.unwrap().text, "2024-05-07T10:00:00+04:00");
    }

    #[test]
    fn bad_date_points_into_the_file() {
        let e = page("+++\ntitle = \"Əlamətlər\"\ndate = \"6 May\"\n+++\n").unwrap_err();
        assert_eq!(
            e,
            "content/p.md:3:9: `date` must look like 2024-05-06 (or 2024-05-06T10:00:00+04:00), found `6 May`"
        );
    }

    #[test]
    fn unknown_key_is_named() {
        let e = page("+++\ntitle = \"x\"\ntilte = \"y\"\n+++\n").unwrap_err();
        assert!(
            e.starts_with("content/p.md:3:1: unknown front-matter key `tilte`"),
            "{e}"
        );
    }
}
