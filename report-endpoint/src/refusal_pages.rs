//! The pages that refuse a submission, rendered once per shape and then only filled in:
//! the form again at the anti-bot check, and the message pages (rate limited,
//! unavailable), which hold nothing the visitor sent and so are one piece each.
//!
//! A flood of forged or replayed answers gets this page for every request, and rendering
//! it (the theme's templates, a few dozen Fluent strings, the site's config in the
//! context) costs far more than the check itself. What changes between two such pages of
//! the same language, form kind and message is only what the visitor typed, which the
//! template prints escaped or leaves out when empty. So the page is rendered with a marker
//! in place of each typed value, cut at the markers, and each later page is the pieces
//! joined by the escaped values: the same bytes a full render gives.
//!
//! That holds only if the template does nothing else with a value. Before a shape is kept
//! it is rendered again and compared with its filled-in pieces: with values full of
//! characters that need escaping and longer than any field's limit (a template that prints
//! a value unescaped, changes it with a filter or tests its length renders differently),
//! with every value empty (the "left out" branch), and with each value alone empty (a
//! field shown only when another is filled in). A shape that fails any comparison is never
//! kept, and its pages are rendered in full. Values the
//! template compares with fixed texts (the kind, against the list of kinds) are part of
//! the shape instead of being filled in.
//!
//! At most [`MAX_SHAPES`] shapes are kept, so no input can grow the memory: the shapes are
//! languages × kinds × the three anti-bot messages, and languages × messages; nothing a
//! visitor types is part of a shape, and a kind that is not one of the form's choices is
//! never kept.

use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::Mutex;
use serde_json::{Map, Value};

use crate::pages::{Page, PageError};

/// More than languages × kinds × anti-bot messages for both forms on any site we ship.
pub const MAX_SHAPES: usize = 512;

/// What a marker starts with: letters no template or Fluent string of ours contains.
const MARKER: &str = "xbdrslot";

/// A page cut at the typed values.
#[derive(Debug)]
struct Skeleton {
    /// Text between the values; one more than `slots`.
    pieces: Vec<String>,
    /// For each gap between two pieces, the name of the value that goes there.
    slots: Vec<String>,
    script_hashes: Vec<String>,
    style_hashes: Vec<String>,
}

impl Skeleton {
    /// Cuts `html`, rendered with `marker(i)` for the `i`-th of `names`, at the markers.
    /// `None` when a marker is garbled (the template changed it).
    fn cut(page: Page, names: &[String]) -> Option<Skeleton> {
        let mut pieces = Vec::new();
        let mut slots = Vec::new();
        let mut rest = page.html.as_str();
        while let Some(at) = rest.find(MARKER) {
            pieces.push(rest[..at].to_string());
            let after = &rest[at + MARKER.len()..];
            let index: usize = after.get(..3)?.parse().ok()?;
            if !after[3..].starts_with('q') {
                return None;
            }
            slots.push(names.get(index)?.clone());
            rest = &after[4..];
        }
        pieces.push(rest.to_string());
        Some(Skeleton {
            pieces,
            slots,
            script_hashes: page.script_hashes,
            style_hashes: page.style_hashes,
        })
    }

    /// The page for `values`: the pieces joined by each value, escaped as Tera escapes.
    fn fill(&self, values: &Map<String, Value>) -> Page {
        let escaped: Vec<String> = self
            .slots
            .iter()
            .map(|name| tera::escape_html(values.get(name).and_then(Value::as_str).unwrap_or("")))
            .collect();
        let length = self.pieces.iter().map(String::len).sum::<usize>()
            + escaped.iter().map(String::len).sum::<usize>();
        let mut html = String::with_capacity(length);
        for (piece, value) in self.pieces.iter().zip(&escaped) {
            html.push_str(piece);
            html.push_str(value);
        }
        if let Some(last) = self.pieces.last() {
            html.push_str(last);
        }
        Page {
            html,
            script_hashes: self.script_hashes.clone(),
            style_hashes: self.style_hashes.clone(),
        }
    }
}

fn marker(index: usize) -> String {
    format!("{MARKER}{index:03}q")
}

/// A value that a template which does anything but print it escaped (or test it for
/// emptiness) would render differently from its escaped self: every character that HTML
/// escaping touches, non-ASCII letters, and more characters than any field takes.
fn probe(index: usize) -> String {
    format!("<b a=\"{index}\">&amp;'/{}</b>", "ə".repeat(10_001))
}

/// The kept shapes: `None` for a shape whose pages must always be rendered in full.
#[derive(Debug, Default)]
pub struct RefusalPages {
    shapes: Mutex<HashMap<String, Option<Arc<Skeleton>>>>,
}

impl RefusalPages {
    /// The page for `values` (an object of the typed values), of the shape named `shape`,
    /// which must say everything the page depends on apart from the values not in `fixed`
    /// (template, language, messages, and the values in `fixed`). `render` renders the page
    /// in full for given values.
    pub fn page(
        &self,
        shape: &str,
        values: &Value,
        fixed: &[&str],
        render: impl Fn(&Value) -> Result<Page, PageError>,
    ) -> Result<Page, PageError> {
        let Some(object) = values.as_object() else {
            return render(values);
        };
        let known = self.shapes.lock().get(shape).cloned();
        let skeleton = match known {
            Some(Some(skeleton)) => skeleton,
            Some(None) => return render(values),
            None => {
                let learned = learn(object, fixed, &render)?;
                let mut shapes = self.shapes.lock();
                if shapes.len() < MAX_SHAPES {
                    shapes.insert(shape.to_string(), learned.clone());
                }
                drop(shapes);
                match learned {
                    Some(skeleton) => skeleton,
                    None => return render(values),
                }
            }
        };
        Ok(skeleton.fill(object))
    }

    #[cfg(test)]
    fn kept(&self, shape: &str) -> Option<bool> {
        self.shapes.lock().get(shape).map(Option::is_some)
    }
}

/// Renders the shape with markers, with probes and with empty values; the skeleton when
/// the last two are the first filled in.
fn learn(
    values: &Map<String, Value>,
    fixed: &[&str],
    render: &impl Fn(&Value) -> Result<Page, PageError>,
) -> Result<Option<Arc<Skeleton>>, PageError> {
    let names: Vec<String> = values
        .iter()
        .filter(|(name, value)| value.is_string() && !fixed.contains(&name.as_str()))
        .map(|(name, _)| name.clone())
        .collect();
    // Markers number the values with three digits.
    if names.len() >= 1000 {
        return Ok(None);
    }
    let with = |value: &dyn Fn(usize) -> String| {
        let mut object = values.clone();
        for (i, name) in names.iter().enumerate() {
            object.insert(name.clone(), Value::String(value(i)));
        }
        object
    };
    let marked = with(&marker);
    let Some(skeleton) = Skeleton::cut(render(&Value::Object(marked))?, &names) else {
        return Ok(None);
    };
    // Every value a probe, every value empty, and each value alone empty among probes (a
    // template that shows one field only when another is filled in).
    let mut checks = vec![with(&probe), with(&|_| String::new())];
    for name in &names {
        let mut one_empty = with(&probe);
        one_empty.insert(name.clone(), Value::String(String::new()));
        checks.push(one_empty);
    }
    for check in checks {
        let full = render(&Value::Object(check.clone()))?;
        let filled = skeleton.fill(&check);
        if full.html != filled.html
            || full.script_hashes != filled.script_hashes
            || full.style_hashes != filled.style_hashes
        {
            return Ok(None);
        }
    }
    Ok(Some(Arc::new(skeleton)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera_render(template: &'static str) -> impl Fn(&Value) -> Result<Page, PageError> {
        move |values| {
            let mut tera = tera::Tera::default();
            tera.add_raw_template("t.html", template)
                .map_err(|e| PageError::Template {
                    name: "t.html".into(),
                    message: e.to_string(),
                })?;
            let mut ctx = tera::Context::new();
            ctx.insert("v", values);
            let html = tera
                .render("t.html", &ctx)
                .map_err(|e| PageError::Template {
                    name: "t.html".into(),
                    message: e.to_string(),
                })?;
            Ok(Page {
                html,
                script_hashes: Vec::new(),
                style_hashes: Vec::new(),
            })
        }
    }

    fn values(pairs: &[(&str, &str)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_string(), Value::String((*v).to_string())))
                .collect(),
        )
    }

    const FORM: &str = r#"<input value="{% if v.city %}{{ v.city }}{% endif %}"><textarea>{{ v.description }}</textarea><option{% if v.kind == "other" %} selected{% endif %}>"#;

    #[test]
    fn filled_pages_are_the_pages_a_full_render_gives() {
        let pages = RefusalPages::default();
        let render = tera_render(FORM);
        for typed in [
            values(&[
                ("city", "Bakı"),
                ("description", "a <b>\"x\"</b> & 'y' /"),
                ("kind", "other"),
            ]),
            values(&[
                ("city", ""),
                ("description", "xbdrslot000q"),
                ("kind", "other"),
            ]),
            values(&[("city", "   "), ("description", ""), ("kind", "other")]),
        ] {
            let page = pages.page("form/az/other", &typed, &["kind"], &render);
            assert_eq!(
                page.map(|p| p.html).ok(),
                render(&typed).map(|p| p.html).ok()
            );
        }
        assert_eq!(pages.kept("form/az/other"), Some(true));
    }

    #[test]
    fn a_template_that_does_more_than_print_a_value_is_always_rendered_in_full() {
        for template in [
            "{{ v.city | safe }}",
            "{{ v.city | upper }}",
            "{{ v.city | truncate(length=20) }}",
            "{% if v.city | length > 200 %}long{% endif %}{{ v.city }}",
            "{% if v.city %}set{% endif %}",
            "{% if v.description %}{{ v.city }}{% endif %}",
        ] {
            let pages = RefusalPages::default();
            let render = tera_render(template);
            let typed = values(&[("city", "Bakı <b>"), ("description", "")]);
            let page = pages.page("shape", &typed, &[], &render);
            assert_eq!(
                page.map(|p| p.html).ok(),
                render(&typed).map(|p| p.html).ok(),
                "{template}"
            );
            assert_eq!(pages.kept("shape"), Some(false), "{template}");
        }
    }
}
