//! Markdown rendering on real content trees in temporary folders: heading ids for
//! Azerbaijani and Russian, ToC, summaries, `@/` links per language with exact error
//! positions, and shortcodes.

use std::path::Path;
use std::sync::Arc;

use crate::support;
use xeberdar::config::Config;
use xeberdar::content::{Library, LoadOptions};
use xeberdar::diagnostics::Diagnostics;
use xeberdar::markdown::{ShortcodeCall, ShortcodeRenderer};
use xeberdar::message::{Message, MessageId};

const CONFIG: &str = r#"base_url = "https://example.org"
title = "Xəbərdar"
default_language = "az"
taxonomies = [{ name = "tags" }]

[languages.ru]
title = "Ru"

[languages.en]
title = "En"
"#;

fn write_site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("config.toml"), CONFIG).unwrap();
    support::write_files(dir.path(), files);
    dir
}

/// Shortcodes the tests know: `note` (body), `video(id=...)` (inline, `id` required).
struct TestShortcodes;

impl ShortcodeRenderer for TestShortcodes {
    fn render(&self, call: &ShortcodeCall<'_>) -> Result<String, Message> {
        match call.name {
            "note" => Ok(format!(
                "<aside class=\"note\" lang=\"{}\">{}</aside>",
                call.lang,
                call.body.unwrap_or("").trim()
            )),
            "video" => {
                let id = call
                    .args
                    .get("id")
                    .and_then(|v| v.as_str())
                    .ok_or(Message::from("argument `id` is required"))?;
                let n = call.args.get("n").and_then(|v| v.as_i64()).unwrap_or(0);
                Ok(format!(
                    "<video data-id=\"{id}\" data-n=\"{n}\" data-nth=\"{}\"></video>",
                    call.nth
                ))
            }
            other => Err(Message::of(MessageId::ShortcodeUnknown).text("name", other)),
        }
    }
}

fn load(root: &Path) -> (Library, Diagnostics) {
    let config = Arc::new(Config::load(root).expect("config"));
    let mut lib = Library::load_lenient(root, config, LoadOptions::default());
    let d = lib.render_all(&TestShortcodes);
    (lib, d)
}

fn messages(d: &Diagnostics) -> Vec<String> {
    d.iter().map(ToString::to_string).collect()
}

#[test]
fn azerbaijani_and_cyrillic_heading_ids_are_unique_and_form_a_toc() {
    let site = write_site(&[
        ("content/_index.md", "+++\n+++\n"),
        ("content/_index.ru.md", "+++\n+++\n"),
        (
            "content/signs.md",
            "+++\ntitle = \"Əlamətlər\"\n+++\n# İnsan alverinin əlamətləri\n\n## IŞIQ və İŞ\n\n## IŞIQ və İŞ\n\n### Alt başlıq\n\n## Öz adı {#xüsusi}\n\n## İnsan alverinin əlamətləri\n",
        ),
        (
            "content/signs.ru.md",
            "+++\ntitle = \"Признаки\"\n+++\n## Признаки торговли людьми\n\n## Горячая линия «152»!\n\n## Признаки торговли людьми\n",
        ),
    ]);
    let (lib, d) = load(site.path());
    assert!(!d.has_errors(), "{d}");

    let az = lib.page("signs.md").unwrap();
    let html = &az.rendered.content;
    assert!(
        html.contains("<h1 id=\"insan-alverinin-əlamətləri\">İnsan alverinin əlamətləri</h1>"),
        "{html}"
    );
    // Capital I is dotless ı in Azerbaijani; İ is i.
    assert!(html.contains("<h2 id=\"ışıq-və-iş\">"), "{html}");
    assert!(html.contains("<h2 id=\"ışıq-və-iş-1\">"), "{html}");
    assert!(html.contains("<h2 id=\"xüsusi\">"), "{html}");
    assert!(
        html.contains("<h2 id=\"insan-alverinin-əlamətləri-1\">"),
        "{html}"
    );
    assert_eq!(
        az.rendered.anchors,
        vec![
            "insan-alverinin-əlamətləri",
            "ışıq-və-iş",
            "ışıq-və-iş-1",
            "alt-başlıq",
            "xüsusi",
            "insan-alverinin-əlamətləri-1"
        ]
    );
    // ToC: one h1 holding the h2s; the h3 under the second h2.
    let toc = &az.rendered.toc;
    assert_eq!(toc.len(), 1);
    assert_eq!(toc[0].title, "İnsan alverinin əlamətləri");
    assert_eq!(toc[0].level, 1);
    assert_eq!(toc[0].children.len(), 4);
    assert_eq!(toc[0].children[1].children[0].id, "alt-başlıq");
    assert_eq!(toc[0].children[1].children[0].level, 3);
    assert_eq!(
        toc[0].children[0].permalink,
        "https://example.org/signs/#ışıq-və-iş"
    );

    let ru = lib.page("signs.ru.md").unwrap();
    assert_eq!(
        ru.rendered.anchors,
        vec![
            "признаки-торговли-людьми",
            "горячая-линия-152",
            "признаки-торговли-людьми-1"
        ]
    );
    assert_eq!(
        ru.rendered.toc[1].permalink,
        "https://example.org/ru/signs/#горячая-линия-152"
    );
}

#[test]
fn summary_comes_from_the_more_marker() {
    let site = write_site(&[(
        "content/story.md",
        "+++\ntitle = \"x\"\n+++\nFirst *paragraph*.\n\n<!-- more -->\n\nSecond.\n",
    )]);
    let (lib, d) = load(site.path());
    assert!(!d.has_errors(), "{d}");
    let p = lib.page("story.md").unwrap();
    assert_eq!(
        p.rendered.summary().as_deref(),
        Some("<p>First <em>paragraph</em>.</p>")
    );
    // As Zola writes it: the anchor right before the next block, no line break between.
    assert!(
        p.rendered
            .content
            .contains("</p>\n<span id=\"continue-reading\"></span><p>Second.</p>"),
        "{}",
        p.rendered.content
    );
    assert!(!p.rendered.content.contains("more -->"));
    let none = write_site(&[("content/a.md", "+++\n+++\nJust text.\n")]);
    let (lib, _) = load(none.path());
    assert_eq!(lib.page("a.md").unwrap().rendered.summary(), None);
}

#[test]
fn internal_links_resolve_per_language() {
    let site = write_site(&[
        ("content/_index.md", "+++\n+++\n"),
        ("content/_index.ru.md", "+++\n+++\n"),
        ("content/help/_index.md", "+++\n+++\n"),
        ("content/help/_index.ru.md", "+++\n+++\n"),
        ("content/help/hotline.md", "+++\ntitle = \"152\"\n+++\n## Zəng edin\n"),
        ("content/help/hotline.ru.md", "+++\ntitle = \"152\"\n+++\n## Позвоните\n"),
        ("content/help/shelter.md", "+++\ntitle = \"Sığınacaq\"\n+++\n## Ünvan\n"),
        (
            "content/help/links.ru.md",
            "+++\ntitle = \"Ссылки\"\n+++\n[a](@/help/hotline.md#позвоните) [b](@/help/shelter.md#ünvan) [c](@/help/hotline.az.md) [d](@/help/_index.md) [e](https://example.com/x)\n",
        ),
        (
            "content/help/links.md",
            "+++\ntitle = \"Keçidlər\"\n+++\n[a](@/help/hotline.md#zəng-edin) [r](@/help/hotline.ru.md)\n",
        ),
    ]);
    let (lib, d) = load(site.path());
    assert!(!d.has_errors(), "{d}");
    let ru = lib.page("help/links.ru.md").unwrap();
    let html = &ru.rendered.content;
    assert!(html.contains("href=\"https://example.org/ru/help/hotline/#%D0%BF%D0%BE%D0%B7%D0%B2%D0%BE%D0%BD%D0%B8%D1%82%D0%B5\"") || html.contains("href=\"https://example.org/ru/help/hotline/#позвоните\""), "{html}");
    // No Russian shelter page: falls back to the default language, with a warning.
    assert!(
        html.contains("href=\"https://example.org/help/shelter/#"),
        "{html}"
    );
    assert!(
        html.contains("href=\"https://example.org/help/hotline/\""),
        "{html}"
    );
    assert!(
        html.contains("href=\"https://example.org/ru/help/\""),
        "{html}"
    );
    let warnings = messages(&lib.diagnostics_for("help/links.ru.md"));
    assert_eq!(
        warnings,
        vec!["content/help/links.ru.md:4:34: link to `@/help/shelter.md`: it has no `ru` translation yet, so the link goes to the `az` page"]
    );
    assert_eq!(ru.rendered.external_links.len(), 1);
    assert_eq!(ru.rendered.external_links[0].url, "https://example.com/x");
    assert_eq!(
        (
            ru.rendered.external_links[0].line,
            ru.rendered.external_links[0].col
        ),
        (4, 111)
    );
    let az = lib.page("help/links.md").unwrap();
    assert!(az
        .rendered
        .content
        .contains("href=\"https://example.org/ru/help/hotline/\""));
    assert_eq!(az.rendered.internal_links[0].target, "help/hotline.md");
}

#[test]
fn missing_page_and_anchor_are_errors_at_the_link() {
    let site = write_site(&[
        ("content/_index.md", "+++\n+++\n"),
        ("content/a.md", "+++\ntitle = \"A\"\n+++\n## Var\n"),
        (
            "content/b.md",
            "+++\ntitle = \"B\"\ndate = 2024-05-06\n+++\nMətn.\n\nBax: [yox](@/nope.md) və\n  [a](@/a.md#yoxdur), [a](@/a.md#var).\n",
        ),
    ]);
    let (lib, d) = load(site.path());
    assert_eq!(
        messages(&d),
        vec![
            "content/b.md:7:6: link to `@/nope.md`: there is no such page (content/nope.md)",
            "content/b.md:8:3: link `@/a.md#yoxdur`: content/a.md has no heading with the id `yoxdur`",
        ]
    );
    assert!(d.iter().all(|x| x.is_error()));
    assert_eq!(messages(&lib.diagnostics()), messages(&d));
}

#[test]
fn shortcodes_inline_and_with_body() {
    let site = write_site(&[(
        "content/films.md",
        "+++\ntitle = \"Filmlər\"\n+++\n{{ video(id=\"abc\", n=3) }}\n\nMətn {{ video(id='x') }} burada.\n\n{% note() %}\nZəng edin: **152**\n{% end %}\n\n`{{ video(id=\"code\") }}` and\n\n```\n{{ video() }}\n```\n",
    )]);
    let (lib, d) = load(site.path());
    assert!(d.is_empty(), "{d}");
    let html = &lib.page("films.md").unwrap().rendered.content;
    // A shortcode alone in a paragraph replaces the paragraph.
    assert!(
        html.starts_with("<video data-id=\"abc\" data-n=\"3\" data-nth=\"1\"></video>\n"),
        "{html}"
    );
    assert!(
        html.contains(
            "<p>Mətn <video data-id=\"x\" data-n=\"0\" data-nth=\"2\"></video> burada.</p>"
        ),
        "{html}"
    );
    assert!(
        html.contains("<aside class=\"note\" lang=\"az\">Zəng edin: **152**</aside>"),
        "{html}"
    );
    assert!(
        html.contains("<code>{{ video(id=\"code\") }}</code>"),
        "{html}"
    );
    assert!(html.contains("{{ video() }}\n</code></pre>"), "{html}");
}

#[test]
fn shortcode_errors_name_file_line_col() {
    let site = write_site(&[(
        "content/films.md",
        "+++\ntitle = \"Filmlər\"\n+++\nA\n\nB {{ vidoe(id=\"x\") }}\n\n{{ video(n=1) }}\n\n{{ video(id=\"x\" n=2) }}\n\n{% note() %}\nnever closed\n",
    )]);
    let (_lib, d) = load(site.path());
    assert_eq!(
        messages(&d),
        vec![
            "content/films.md:6:3: shortcode `vidoe`: unknown shortcode `vidoe`",
            "content/films.md:8:1: shortcode `video`: argument `id` is required",
            "content/films.md:10:17: shortcode `video`: expected `,` or `)` after argument `id`",
            "content/films.md:12:1: shortcode `note` is never closed: add `{% end %}` after its text",
        ]
    );
}

#[test]
fn links_after_shortcodes_keep_their_positions() {
    let site = write_site(&[(
        "content/a.md",
        "+++\n+++\n{% note() %}\nlong\nbody\n{% end %} then [x](@/missing.md)\n",
    )]);
    let (_lib, d) = load(site.path());
    assert_eq!(
        messages(&d),
        vec![
            "content/a.md:6:16: link to `@/missing.md`: there is no such page (content/missing.md)"
        ]
    );
}

#[test]
fn raw_html_passes_through_and_text_is_escaped_once() {
    let site = write_site(&[(
        "content/a.md",
        "+++\n+++\n<div class=\"box\" id=\"qutu\">raw</div>\n\nA & B < C \"q\"\n\n[x](@/a.md#qutu)\n",
    )]);
    let (lib, d) = load(site.path());
    assert!(!d.has_errors(), "{d}");
    let html = &lib.page("a.md").unwrap().rendered.content;
    assert!(
        html.contains("<div class=\"box\" id=\"qutu\">raw</div>"),
        "{html}"
    );
    assert!(html.contains("A &amp; B &lt; C “q”"), "{html}");
    assert!(!html.contains("&amp;amp;"));
}
