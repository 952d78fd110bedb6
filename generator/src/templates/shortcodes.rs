//! Shortcodes (`{{ name(arg=...) }}`, `{% name(arg=...) %}body{% end %}`) rendered from
//! `templates/shortcodes/<name>.html` (or `.md`), as Zola does.

use std::collections::BTreeSet;
use std::sync::Arc;

use tera::{Context, Tera, Value};

use crate::message::{Message, MessageId};

/// Renders shortcodes with the site's Tera. Knows the available names up front so an unknown
/// shortcode is reported while Markdown is rendered, with the content file's position.
#[derive(Clone)]
pub struct TeraShortcodes {
    tera: Arc<Tera>,
    names: BTreeSet<String>,
}

impl TeraShortcodes {
    pub fn new(tera: Arc<Tera>) -> Self {
        let names = tera
            .templates
            .keys()
            .filter_map(|n| n.strip_prefix("shortcodes/"))
            .filter_map(|n| n.strip_suffix(".html").or_else(|| n.strip_suffix(".md")))
            .map(str::to_string)
            .collect();
        Self { tera, names }
    }

    pub fn has(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    /// Renders shortcode `name` with `args`, the `body` of a block shortcode, and the page's
    /// language and config in context.
    pub fn render_shortcode(
        &self,
        name: &str,
        args: &tera::Map<String, Value>,
        body: Option<&str>,
        base: &Context,
    ) -> Result<String, Message> {
        let template = [
            format!("shortcodes/{name}.html"),
            format!("shortcodes/{name}.md"),
        ]
        .into_iter()
        .find(|t| self.tera.templates.contains_key(t))
        .ok_or_else(|| {
            Message::of(MessageId::ShortcodeUnknownKnown)
                .text("name", name)
                .text(
                    "known",
                    self.names.iter().cloned().collect::<Vec<_>>().join(", "),
                )
        })?;
        let mut ctx = base.clone();
        for (k, v) in args {
            ctx.insert(k.as_str(), v);
        }
        if let Some(body) = body {
            ctx.insert("body", body);
        }
        self.tera
            .render(&template, &ctx)
            .map_err(|e| Message::Verbatim(super::describe(&e)))
    }
}
