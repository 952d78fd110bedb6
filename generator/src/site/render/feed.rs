//! A language's Atom feed: its dated pages, newest first, with the site's own `atom.xml`
//! or the one the generator brings.

use std::io::Write;
use std::path::Path;

use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::config::Lang;
use crate::content::Page;
use crate::diagnostics::Diagnostic;
use crate::site::Site;
use crate::site::{listed_fields, serialize};

/// The feed template the generator brings, for sites without their own `atom.xml`.
pub(in crate::site) const BUILTIN_FEED: &str = "__xeberdar/atom.xml";

/// The fields of a page [`BUILTIN_FEED`] reads (`date` and `updated` are set apart).
const BUILTIN_FEED_FIELDS: &[&str] = &[
    "lang",
    "title",
    "permalink",
    "description",
    "summary",
    "content",
];

/// How many of the built-in feed's entries are rendered from one context: enough that the
/// context made for each run costs little, few enough that the run's summaries are small.
const FEED_RUN: usize = 256;

/// A feed's templates, the site's own first.
pub(in crate::site) const FEED_TEMPLATES: &[&str] = &["atom.xml", BUILTIN_FEED];

impl Site {
    pub(super) fn render_feed(&self, lang: &Lang, out: &mut dyn Write) -> Result<(), Diagnostic> {
        let lib = &*self.library;
        let mut pages: Vec<&Page> = lib
            .pages_in(lang)
            .filter(|p| p.meta.date.is_some() && p.meta.render)
            .collect();
        pages.sort_by(|a, b| {
            let ta = a.meta.date.as_ref().map_or(0, |d| d.timestamp);
            let tb = b.meta.date.as_ref().map_or(0, |d| d.timestamp);
            tb.cmp(&ta).then_with(|| a.file.key.cmp(&b.file.key))
        });
        let rfc3339 = |ts: i64| {
            chrono::DateTime::from_timestamp(ts, 0)
                .map(|d| d.to_rfc3339())
                .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".to_string())
        };
        let last = pages
            .iter()
            .filter_map(|p| {
                let d = p.meta.updated.as_ref().or(p.meta.date.as_ref())?;
                Some(d.timestamp)
            })
            .max()
            .unwrap_or(0);
        // The built-in feed prints a page's `content` only when it has no summary: the
        // other pages go without it, which is most of the feed's context.
        let builtin = self.templates.pick(FEED_TEMPLATES, Path::new("")).ok() == Some(BUILTIN_FEED);
        let entry = |p: &Page, summary_again: Option<String>| {
            let mut m = serialize::page_shallow(p);
            if let Some(summary) = summary_again {
                m.insert("summary".into(), Value::from(summary));
            }
            if builtin {
                // The built-in template reads these fields of a page, nothing else of
                // it (no loop over its keys, no `length`): a feed of every page of a
                // language carries no more.
                let mut only = Map::new();
                for key in BUILTIN_FEED_FIELDS {
                    only.insert((*key).into(), m.remove(*key).unwrap_or(Value::Null));
                }
                m = only;
            }
            if builtin && p.rendered.has_summary() {
                m.insert("content".into(), Value::Null);
            }
            if let Some(d) = &p.meta.date {
                m.insert("date".into(), Value::from(rfc3339(d.timestamp)));
            }
            m.insert(
                "updated".into(),
                p.meta
                    .updated
                    .as_ref()
                    .map_or(Value::Null, |d| Value::from(rfc3339(d.timestamp))),
            );
            Value::Object(m)
        };
        let prefix = self.config.lang_prefix(lang);
        let path = format!("{prefix}/atom.xml");
        let file = path.trim_start_matches('/');
        let context = |part: &str, pages: &[&Page]| -> Result<Map<String, Value>, Diagnostic> {
            let again = self.summaries_again(pages)?;
            let mut ctx = self.base_context(lang, &path);
            let title = self.config.title_in(lang).unwrap_or_default();
            let description = self.config.description_in(lang);
            ctx.insert("feed_url".into(), Value::from(self.config.permalink(&path)));
            ctx.insert(
                "feed_home".into(),
                Value::from(self.config.permalink(&format!("{prefix}/"))),
            );
            ctx.insert("feed_title".into(), Value::from(title));
            ctx.insert(
                "feed_description".into(),
                description.map_or(Value::Null, Value::from),
            );
            ctx.insert("last_updated".into(), Value::from(rfc3339(last)));
            if builtin {
                ctx.insert("part".into(), Value::from(part));
            }
            ctx.insert(
                "pages".into(),
                Value::Array(
                    pages
                        .iter()
                        .zip(again)
                        .map(|(p, summary)| entry(p, summary))
                        .collect(),
                ),
            );
            Ok(ctx)
        };
        if !builtin {
            // A site's own template may read `pages` as a whole (its length, a sort).
            return self.render_template(FEED_TEMPLATES, context("", &pages)?, file, out);
        }
        // The built-in template is rendered in parts, a run of entries at a time: one
        // context with every page of a language would hold a copy of each summary (tens
        // of MB on a large site) while it renders.
        self.render_template(FEED_TEMPLATES, context("head", &[])?, file, out)?;
        for run in pages.chunks(FEED_RUN) {
            self.render_template(FEED_TEMPLATES, context("entries", run)?, file, out)?;
        }
        self.render_template(FEED_TEMPLATES, context("foot", &[])?, file, out)
    }

    /// For each of `pages`, the summary the build let go ([`Rendered::summary_dropped`])
    /// when the feed's templates read it: rendered again from the page's file, in
    /// parallel, exactly as the first rendering made it.
    ///
    /// [`Rendered::summary_dropped`]: crate::markdown::Rendered::summary_dropped
    fn summaries_again(&self, pages: &[&Page]) -> Result<Vec<Option<String>>, Diagnostic> {
        if !listed_fields::wanted("summary") || !pages.iter().any(|p| p.rendered.summary_dropped())
        {
            return Ok(vec![None; pages.len()]);
        }
        let shortcodes = self.shortcodes();
        pages
            .par_iter()
            .map(|p| {
                if !p.rendered.summary_dropped() {
                    return Ok(None);
                }
                self.library.render_summary_again(p, &shortcodes)
            })
            .collect()
    }
}
