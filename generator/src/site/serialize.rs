//! Pages, sections and taxonomies as templates see them, with Zola's field names
//! (`page.title`, `page.content`, `page.lower.permalink`, `section.pages`, …).
//!
//! Neighbours (`lower`/`higher`) and the pages listed by a section are "shallow": the same
//! fields without their own neighbours and translations, as in Zola, so one page never drags
//! the whole site into its context.

use serde_json::{json, Map, Value};

use super::listed_fields;
use crate::config::{Config, ContentKey};
use crate::content::{Library, Page, Section};
use crate::markdown::Rendered;

/// One language version of a page or section, for language switchers and
/// `<link rel="alternate" hreflang>`.
pub fn translations(lib: &Library, config: &Config, key: &ContentKey) -> Vec<Value> {
    let mut out = Vec::new();
    for t in lib.translations_of(key) {
        let title = lib
            .page(&t.key)
            .and_then(|p| p.meta.title.clone())
            .or_else(|| lib.section(&t.key).and_then(|s| s.meta.title.clone()));
        let native_name = config
            .language(&t.lang)
            .and_then(|l| l.native_name.clone())
            .unwrap_or_else(|| t.lang.to_string());
        out.push(json!({
            "lang": t.lang,
            "permalink": t.permalink,
            "title": title,
            "native_name": native_name,
            "path": lib.page(&t.key).map(|p| p.placement.path.clone())
                .or_else(|| lib.section(&t.key).map(|s| s.placement.path.clone())),
            "is_current": t.key == *key,
        }));
    }
    out
}

/// The default language's URL among a page's translations, for `hreflang="x-default"`.
pub fn x_default<'a>(lib: &'a Library, config: &Config, key: &ContentKey) -> Option<&'a str> {
    let list = lib.translations_of(key);
    if list.len() < 2 {
        return None;
    }
    list.iter()
        .find(|t| t.lang == config.default_language)
        .map(|t| t.permalink.as_str())
}

fn date_parts(text: Option<&str>) -> (Value, Value, Value) {
    let Some(t) = text else {
        return (Value::Null, Value::Null, Value::Null);
    };
    let mut it = t.get(..10).unwrap_or("").split('-');
    let num = |s: Option<&str>| {
        s.and_then(|s| s.parse::<u32>().ok())
            .map_or(Value::Null, Value::from)
    };
    (num(it.next()), num(it.next()), num(it.next()))
}

/// `page` without neighbours or translations, with the fields `wanted` says no to as `null`
/// and its Markdown as `rendered`.
fn page_fields(
    page: &Page,
    rendered: &Rendered,
    wanted: &dyn Fn(&str) -> bool,
) -> Map<String, Value> {
    let date = page.meta.date.as_ref().map(|d| d.text.as_str());
    let (year, month, day) = date_parts(date);
    let mut m = Map::new();
    let put = |m: &mut Map<String, Value>, key: &str, value: &dyn Fn() -> Value| {
        let v = if wanted(key) { value() } else { Value::Null };
        m.insert(key.into(), v);
    };
    put(&mut m, "relative_path", &|| {
        Value::from(page.file.key.clone())
    });
    put(&mut m, "colocated_path", &|| {
        page.file
            .asset_dir()
            .map_or(Value::Null, |d| Value::from(format!("{d}/")))
    });
    put(&mut m, "content", &|| Value::from(rendered.content.clone()));
    put(&mut m, "summary", &|| {
        rendered.summary().map_or(Value::Null, Value::from)
    });
    put(&mut m, "toc", &|| {
        serde_json::to_value(&rendered.toc).unwrap_or(Value::Null)
    });
    put(&mut m, "permalink", &|| {
        Value::from(page.placement.permalink.clone())
    });
    put(&mut m, "path", &|| Value::from(page.placement.path.clone()));
    put(&mut m, "slug", &|| Value::from(page.placement.slug.clone()));
    put(&mut m, "lang", &|| Value::from(page.lang.clone()));
    put(&mut m, "title", &|| {
        page.meta.title.clone().map_or(Value::Null, Value::from)
    });
    put(&mut m, "description", &|| {
        page.meta
            .description
            .clone()
            .map_or(Value::Null, Value::from)
    });
    put(&mut m, "date", &|| date.map_or(Value::Null, Value::from));
    put(&mut m, "updated", &|| {
        page.meta
            .updated
            .as_ref()
            .map_or(Value::Null, |d| Value::from(d.text.clone()))
    });
    put(&mut m, "year", &|| year.clone());
    put(&mut m, "month", &|| month.clone());
    put(&mut m, "day", &|| day.clone());
    put(&mut m, "weight", &|| {
        page.meta.weight.map_or(Value::Null, Value::from)
    });
    put(&mut m, "draft", &|| Value::from(page.meta.draft));
    put(&mut m, "taxonomies", &|| {
        serde_json::to_value(&page.meta.taxonomies).unwrap_or(Value::Null)
    });
    put(&mut m, "authors", &|| {
        serde_json::to_value(&page.meta.authors).unwrap_or(Value::Null)
    });
    put(&mut m, "extra", &|| page.meta.extra.clone());
    put(&mut m, "components", &|| {
        serde_json::to_value(&page.file.components).unwrap_or(Value::Null)
    });
    put(&mut m, "ancestors", &|| {
        serde_json::to_value(&page.placement.ancestors).unwrap_or(Value::Null)
    });
    put(&mut m, "assets", &|| {
        Value::Array(
            page.placement
                .assets
                .iter()
                .map(|a| Value::from(a.relative.clone()))
                .collect(),
        )
    });
    put(&mut m, "word_count", &|| Value::from(page.word_count));
    put(&mut m, "reading_time", &|| Value::from(page.reading_time));
    put(&mut m, "source_hash", &|| {
        page.meta
            .source_hash
            .clone()
            .map_or(Value::Null, Value::from)
    });
    m
}

/// `page` as an entry of a listing (a neighbour, a pager, a term, a feed): only the fields
/// the templates rendering now can read are filled (see [`super::listed_fields`]).
pub fn page_shallow(page: &Page) -> Map<String, Value> {
    page_fields(page, &page.rendered, &listed_fields::wanted)
}

/// `page` as a page template sees it: with neighbours and translations, and its Markdown as
/// `rendered` (the page's own, or rendered again when the build let it go).
pub fn page_full(lib: &Library, config: &Config, page: &Page, rendered: &Rendered) -> Value {
    let mut m = page_fields(page, rendered, &|_| true);
    let neighbour = |k: &Option<ContentKey>| {
        k.as_deref()
            .and_then(|k| lib.page(k))
            .map_or(Value::Null, |p| Value::Object(page_shallow(p)))
    };
    m.insert("lower".into(), neighbour(&page.placement.lower));
    m.insert("higher".into(), neighbour(&page.placement.higher));
    m.insert(
        "translations".into(),
        Value::Array(translations(lib, config, &page.file.key)),
    );
    Value::Object(m)
}

/// `section` without its pages.
pub fn section_meta(lib: &Library, config: &Config, section: &Section) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(
        "relative_path".into(),
        Value::from(section.file.key.clone()),
    );
    m.insert(
        "content".into(),
        Value::from(section.rendered.content.clone()),
    );
    m.insert(
        "summary".into(),
        section.rendered.summary().map_or(Value::Null, Value::from),
    );
    m.insert(
        "toc".into(),
        serde_json::to_value(&section.rendered.toc).unwrap_or(Value::Null),
    );
    m.insert(
        "permalink".into(),
        Value::from(section.placement.permalink.clone()),
    );
    m.insert("path".into(), Value::from(section.placement.path.clone()));
    m.insert("lang".into(), Value::from(section.lang.clone()));
    m.insert(
        "title".into(),
        section.meta.title.clone().map_or(Value::Null, Value::from),
    );
    m.insert(
        "description".into(),
        section
            .meta
            .description
            .clone()
            .map_or(Value::Null, Value::from),
    );
    m.insert("extra".into(), section.meta.extra.clone());
    m.insert(
        "components".into(),
        serde_json::to_value(&section.file.components).unwrap_or(Value::Null),
    );
    m.insert(
        "ancestors".into(),
        serde_json::to_value(&section.placement.ancestors).unwrap_or(Value::Null),
    );
    m.insert(
        "subsections".into(),
        serde_json::to_value(&section.placement.subsections).unwrap_or(Value::Null),
    );
    m.insert(
        "assets".into(),
        Value::Array(
            section
                .placement
                .assets
                .iter()
                .map(|a| Value::from(a.relative.clone()))
                .collect(),
        ),
    );
    m.insert("word_count".into(), Value::from(section.word_count));
    m.insert("reading_time".into(), Value::from(section.reading_time));
    m.insert("weight".into(), Value::from(section.meta.weight));
    m.insert("transparent".into(), Value::from(section.meta.transparent));
    m.insert(
        "generate_feeds".into(),
        Value::from(section.meta.generate_feeds),
    );
    m.insert(
        "translations".into(),
        Value::Array(translations(lib, config, &section.file.key)),
    );
    m
}

/// `section` with `pages` (shallow, in the section's order).
pub fn section_full(lib: &Library, config: &Config, section: &Section) -> Value {
    let mut m = section_meta(lib, config, section);
    let pages: Vec<Value> = section
        .placement
        .pages
        .iter()
        .filter_map(|k| lib.page(k))
        .map(|p| Value::Object(page_shallow(p)))
        .collect();
    m.insert("pages".into(), Value::Array(pages));
    Value::Object(m)
}

/// A taxonomy term with its pages (shallow). When no template rendering now reads a field
/// named `pages` of anything but its own page or section, the term's `pages` is `null`,
/// as any other field of a listed page no template reads (see [`super::listed_fields`]):
/// a list of every term then does not carry every page of the language.
pub fn term(lib: &Library, term: &crate::content::TaxonomyTerm, with_pages: bool) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), Value::from(term.name.clone()));
    m.insert("slug".into(), Value::from(term.slug.clone()));
    m.insert("path".into(), Value::from(term.path.clone()));
    m.insert("permalink".into(), Value::from(term.permalink.clone()));
    m.insert("page_count".into(), Value::from(term.pages.len()));
    if with_pages {
        let pages = if listed_fields::wanted("pages") {
            Value::Array(
                term.pages
                    .iter()
                    .filter_map(|k| lib.page(k))
                    .map(|p| Value::Object(page_shallow(p)))
                    .collect(),
            )
        } else {
            Value::Null
        };
        m.insert("pages".into(), pages);
    }
    Value::Object(m)
}

/// `{ name, lang, permalink, path }` of a taxonomy (Zola's `taxonomy` in its templates).
pub fn taxonomy_meta(tax: &crate::content::Taxonomy) -> Value {
    json!({
        "name": tax.name,
        "lang": tax.lang,
        "permalink": tax.permalink,
        "path": tax.path,
    })
}

/// A taxonomy with its terms and their pages (`get_taxonomy()`).
pub fn taxonomy_full(lib: &Library, tax: &crate::content::Taxonomy) -> Value {
    json!({
        "kind": taxonomy_meta(tax),
        "lang": tax.lang,
        "permalink": tax.permalink,
        "items": tax.terms.iter().map(|t| term(lib, t, true)).collect::<Vec<_>>(),
    })
}
