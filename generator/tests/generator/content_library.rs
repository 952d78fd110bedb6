//! The content library on real trees in temporary folders: front-matter errors with exact
//! positions, drafts, sorting and neighbours, URLs per language, translations, bundles and
//! their assets, taxonomies, address clashes, incremental reloads, and the bench corpus.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use xeberdar::config::Config;
use xeberdar::content::{Library, LoadOptions};
use xeberdar::diagnostics::Diagnostics;
use xeberdar::markdown::NoShortcodes;

const CONFIG: &str = r#"base_url = "https://example.org/"
title = "Xəbərdar"
default_language = "az"
taxonomies = [{ name = "tags" }]

[languages.ru]
title = "Ru"

[languages.en]
title = "En"
taxonomies = []
"#;

fn write(root: &Path, path: &str, text: &str) {
    let p = root.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn write_site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "config.toml", CONFIG);
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

fn config(root: &Path) -> Arc<Config> {
    Arc::new(Config::load(root).expect("config"))
}

fn lenient(root: &Path, drafts: bool) -> Library {
    Library::load_lenient(
        root,
        config(root),
        LoadOptions {
            include_drafts: drafts,
            ..LoadOptions::default()
        },
    )
}

fn messages(d: &Diagnostics) -> Vec<String> {
    d.iter().map(ToString::to_string).collect()
}

#[test]
fn front_matter_errors_have_exact_positions() {
    let site = write_site(&[
        (
            "content/signs.az.md",
            "+++\ntitle = \"Əlamətlər\"\ndate = \"6 May\"\n+++\nMətn\n",
        ),
        (
            "content/typo.md",
            "+++\ntitle = \"x\"\n\ntilte = \"y\"\n+++\n",
        ),
        ("content/badtoml.md", "+++\ntitle = \"x\n+++\n"),
        ("content/nofm.md", "# Başlıq\n"),
        ("content/unclosed.md", "+++\ntitle = \"x\"\n"),
        ("content/sec/_index.md", "+++\nsort_by = \"newest\"\n+++\n"),
        ("content/weight.md", "+++\nweight = \"first\"\n+++\n"),
        ("content/lang.fr.md", "+++\n+++\n"),
    ]);
    let err = Library::load(site.path(), config(site.path()), LoadOptions::default())
        .expect_err("must fail");
    let all = messages(&err.diagnostics);
    let find = |prefix: &str| {
        all.iter()
            .find(|m| m.starts_with(prefix))
            .unwrap_or_else(|| panic!("no diagnostic starting with {prefix}: {all:#?}"))
            .clone()
    };
    assert_eq!(
        find("content/signs.az.md"),
        "content/signs.az.md:3:9: `date` must look like 2024-05-06 (or 2024-05-06T10:00:00+04:00), found `6 May`"
    );
    assert!(find(
        "content/typo.md:4:1: unknown front-matter key `tilte`; the keys allowed here are: title,"
    )
    .contains("date"));
    assert!(find("content/badtoml.md:2:").contains("not valid TOML"));
    assert_eq!(
        find("content/nofm.md"),
        "content/nofm.md:1:1: this file must start with a front-matter block between two `+++` lines (it may be empty)"
    );
    assert!(find("content/unclosed.md:1:1:").contains("not closed"));
    assert_eq!(
        find("content/sec/_index.md"),
        "content/sec/_index.md:2:12: `sort_by`: `newest` is not allowed here; use one of `date`, `update_date`, `slug`, `title_bytes`, `weight`, `title`, `none`"
    );
    assert_eq!(
        find("content/weight.md"),
        "content/weight.md:2:11: `weight`: expected a whole number, found the text \"first\""
    );
    assert!(find("content/lang.fr.md:1:1:").contains("[languages.fr]"));
    // Lenient loading keeps the good files and the same problems.
    let lib = lenient(site.path(), false);
    assert_eq!(
        messages(&lib.diagnostics())
            .iter()
            .filter(|m| m.contains(": `date`"))
            .count(),
        1
    );
}

#[test]
fn drafts_are_left_out_unless_asked() {
    let site = write_site(&[
        ("content/a.md", "+++\ntitle = \"A\"\n+++\n"),
        ("content/b.md", "+++\ntitle = \"B\"\ndraft = true\n+++\n"),
        ("content/hidden/_index.md", "+++\ndraft = true\n+++\n"),
    ]);
    let lib = lenient(site.path(), false);
    assert!(lib.page("a.md").is_some());
    assert!(lib.page("b.md").is_none());
    assert!(lib.section("hidden/_index.md").is_none());
    assert!(lib.drafts().contains("b.md"));
    assert_eq!(
        lib.root_section("az").unwrap().placement.pages,
        vec!["a.md"]
    );
    let with = lenient(site.path(), true);
    assert!(with.page("b.md").is_some());
    assert_eq!(
        with.root_section("az").unwrap().placement.pages,
        vec!["a.md", "b.md"]
    );
}

fn page(title: &str, date: &str, weight: i64) -> String {
    format!("+++\ntitle = \"{title}\"\ndate = {date}\nweight = {weight}\n+++\n")
}

#[test]
fn sorting_and_neighbours_are_deterministic() {
    let site = write_site(&[
        ("content/news/_index.md", "+++\nsort_by = \"date\"\n+++\n"),
        ("content/news/c.md", &page("Cə", "2024-03-01", 1)),
        ("content/news/a.md", &page("Ab", "2024-05-06", 3)),
        ("content/news/b.md", &page("Bə", "2024-05-06", 2)),
        ("content/news/undated.md", "+++\ntitle = \"U\"\n+++\n"),
        ("content/w/_index.md", "+++\nsort_by = \"weight\"\n+++\n"),
        ("content/w/c.md", &page("c", "2024-03-01", 1)),
        ("content/w/a.md", &page("a", "2024-05-06", 3)),
        ("content/w/b.md", &page("b", "2024-05-06", 1)),
        ("content/t/_index.md", "+++\nsort_by = \"title\"\n+++\n"),
        ("content/t/1.md", "+++\ntitle = \"ışıq\"\n+++\n"),
        ("content/t/2.md", "+++\ntitle = \"Ana\"\n+++\n"),
        ("content/t/3.md", "+++\ntitle = \"bal\"\n+++\n"),
    ]);
    let lib = lenient(site.path(), false);
    assert!(!lib.diagnostics().has_errors(), "{}", lib.diagnostics());
    let news = lib.section("news/_index.md").unwrap();
    // Newest first; the two 2024-05-06 pages by path; undated last.
    assert_eq!(
        news.placement.pages,
        vec!["news/a.md", "news/b.md", "news/c.md", "news/undated.md"]
    );
    // Zola's neighbours: `lower` is listed before (newer), `higher` after (older).
    let b = lib.page("news/b.md").unwrap();
    assert_eq!(b.placement.lower.as_deref(), Some("news/a.md"));
    assert_eq!(b.placement.higher.as_deref(), Some("news/c.md"));
    assert_eq!(lib.page("news/a.md").unwrap().placement.lower, None);
    // An undated page cannot be placed by date: no neighbours, and no one's neighbour.
    let undated = lib.page("news/undated.md").unwrap();
    assert_eq!(
        (
            undated.placement.lower.as_deref(),
            undated.placement.higher.as_deref()
        ),
        (None, None)
    );
    assert_eq!(lib.page("news/c.md").unwrap().placement.higher, None);
    let w = lib.section("w/_index.md").unwrap();
    assert_eq!(w.placement.pages, vec!["w/b.md", "w/c.md", "w/a.md"]);
    let c = lib.page("w/c.md").unwrap();
    assert_eq!(
        (c.placement.lower.as_deref(), c.placement.higher.as_deref()),
        (Some("w/b.md"), Some("w/a.md"))
    );
    let t = lib.section("t/_index.md").unwrap();
    assert_eq!(t.placement.pages, vec!["t/2.md", "t/3.md", "t/1.md"]);
    let root = lib.root_section("az").unwrap();
    assert!(root.implicit);
    assert_eq!(
        root.placement.subsections,
        vec!["news/_index.md", "t/_index.md", "w/_index.md"]
    );
}

#[test]
fn urls_translations_and_missing_languages() {
    let site = write_site(&[
        ("content/_index.md", "+++\ntitle = \"Ana\"\n+++\n"),
        ("content/_index.ru.md", "+++\ntitle = \"Главная\"\n+++\n"),
        ("content/help/_index.md", "+++\n+++\n"),
        ("content/help/_index.ru.md", "+++\n+++\n"),
        (
            "content/help/hotline.md",
            "+++\ntitle = \"152\"\naliases = [\"/old/hotline\"]\n+++\n",
        ),
        (
            "content/help/hotline.ru.md",
            "+++\ntitle = \"152\"\nslug = \"Горячая линия\"\n+++\n",
        ),
        (
            "content/help/hotline.en.md",
            "+++\ntitle = \"152\"\npath = \"hotline-152\"\n+++\n",
        ),
        ("content/help/only-az.md", "+++\ntitle = \"x\"\n+++\n"),
        (
            "content/help/custom.ru.md",
            "+++\npath = \"/ru/svoy\"\n+++\n",
        ),
    ]);
    let lib = lenient(site.path(), false);
    assert_eq!(
        lib.page("help/hotline.md").unwrap().placement.path,
        "/help/hotline/"
    );
    assert_eq!(
        lib.page("help/hotline.md").unwrap().placement.permalink,
        "https://example.org/help/hotline/"
    );
    assert_eq!(
        lib.page("help/hotline.ru.md").unwrap().placement.path,
        "/ru/help/горячая-линия/"
    );
    assert_eq!(
        lib.page("help/hotline.en.md").unwrap().placement.path,
        "/en/hotline-152/"
    );
    assert_eq!(
        lib.section("help/_index.ru.md").unwrap().placement.path,
        "/ru/help/"
    );
    assert_eq!(lib.root_section("ru").unwrap().placement.path, "/ru/");
    assert_eq!(lib.root_section("az").unwrap().placement.path, "/");
    // English has no root section file: one is made up so every language has a home.
    assert!(lib.root_section("en").unwrap().implicit);
    assert_eq!(
        lib.aliases(),
        &[(
            "/old/hotline/".to_string(),
            "help/hotline.md".parse().unwrap()
        )]
    );
    assert_eq!(
        lib.key_at_path("/ru/help/").map(|k| k.as_str()),
        Some("help/_index.ru.md")
    );

    let t: Vec<(&str, &str)> = lib
        .translations_of("help/hotline.ru.md")
        .iter()
        .map(|t| (t.lang.as_str(), t.key.as_str()))
        .collect();
    assert_eq!(
        t,
        vec![
            ("az", "help/hotline.md"),
            ("en", "help/hotline.en.md"),
            ("ru", "help/hotline.ru.md")
        ]
    );
    let groups = lib.translation_groups();
    assert!(groups["help/hotline.md"].missing.is_empty());
    assert_eq!(groups["help/only-az.md"].missing, vec!["en", "ru"]);
    assert_eq!(groups["help/custom.md"].missing, vec!["az", "en"]);
    assert_eq!(groups["help/_index.md"].missing, vec!["en"]);
    assert!(groups["help/_index.md"].is_section);
    // The orphaned English page is reported, not dropped.
    let d = messages(&lib.diagnostics());
    assert_eq!(
        d,
        vec!["content/help/hotline.en.md:1:1: there is no content/help/_index.en.md, so no section lists this page (it is still published at /en/hotline-152/)"]
    );
}

#[test]
fn default_language_under_its_prefix_when_configured() {
    let site = write_site(&[("content/a.md", "+++\n+++\n")]);
    write(
        site.path(),
        "config.toml",
        "base_url = \"https://e.org\"\ndefault_language = \"az\"\ndefault_language_at_root = false\n",
    );
    let lib = lenient(site.path(), false);
    assert_eq!(
        lib.page("a.md").unwrap().placement.permalink,
        "https://e.org/az/a/"
    );
}

#[test]
fn bundles_list_their_assets() {
    let site = write_site(&[
        ("content/films/_index.md", "+++\n+++\n"),
        ("content/films/poster.png", "png"),
        (
            "content/films/story/index.md",
            "+++\ntitle = \"Hekayə\"\n+++\n![](still.jpg)\n",
        ),
        (
            "content/films/story/index.ru.md",
            "+++\ntitle = \"История\"\n+++\n",
        ),
        ("content/films/story/still.jpg", "jpg"),
        ("content/films/story/subs/ru.vtt", "WEBVTT"),
        ("content/films/story/.hidden", "x"),
    ]);
    let lib = lenient(site.path(), false);
    let story = lib.page("films/story/index.md").unwrap();
    assert_eq!(story.placement.path, "/films/story/");
    let rel: Vec<&str> = story
        .placement
        .assets
        .iter()
        .map(|a| a.relative.as_str())
        .collect();
    assert_eq!(rel, vec!["still.jpg", "subs/ru.vtt"]);
    assert!(story.placement.assets[0]
        .source
        .ends_with("content/films/story/still.jpg"));
    assert!(story.placement.assets[0].source.is_file());
    let ru = lib.page("films/story/index.ru.md").unwrap();
    assert_eq!(ru.placement.path, "/ru/films/story/");
    assert_eq!(ru.placement.assets.len(), 2);
    assert_eq!(lib.translations_of("films/story/index.md").len(), 2);
    let section = lib.section("films/_index.md").unwrap();
    assert_eq!(section.placement.assets.len(), 1);
    assert_eq!(section.placement.assets[0].relative, "poster.png");
    assert_eq!(section.placement.pages, vec!["films/story/index.md"]);
}

#[test]
fn taxonomies_per_language() {
    let site = write_site(&[
        (
            "content/a.md",
            "+++\ndate = 2024-01-01\n[taxonomies]\ntags = [\"İş təklifi\", \"Viza\"]\n+++\n",
        ),
        (
            "content/b.md",
            "+++\ndate = 2024-02-01\n[taxonomies]\ntags = [\"iş təklifi\"]\n+++\n",
        ),
        (
            "content/a.ru.md",
            "+++\n[taxonomies]\ntags = [\"Работа\"]\n+++\n",
        ),
        (
            "content/a.en.md",
            "+++\n[taxonomies]\ntags = [\"Job\"]\n+++\n",
        ),
    ]);
    let lib = lenient(site.path(), false);
    let tags = lib.taxonomy("az", "tags").unwrap();
    assert_eq!(tags.path, "/tags/");
    let slugs: Vec<&str> = tags.terms.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(slugs, vec!["iş-təklifi", "viza"]);
    assert_eq!(tags.terms[0].pages, vec!["b.md", "a.md"]);
    assert_eq!(tags.terms[0].name, "iş təklifi");
    assert_eq!(
        tags.terms[0].permalink,
        "https://example.org/tags/iş-təklifi/"
    );
    let ru = lib.taxonomy("ru", "tags").unwrap();
    assert_eq!(ru.terms[0].path, "/ru/tags/работа/");
    // English declares no taxonomies: using one is an error at the `[taxonomies]` line.
    assert!(lib.taxonomies("en").is_empty());
    assert_eq!(
        messages(&lib.diagnostics()),
        vec!["content/a.en.md:2:1: taxonomy `tags` is not declared in config.toml for language `en` (it declares none); add `taxonomies = [{ name = \"tags\" }]`"]
    );
}

#[test]
fn address_clashes_and_alias_loops_are_errors() {
    let site = write_site(&[
        ("content/a.md", "+++\naliases = [\"/b/\"]\n+++\n"),
        ("content/b.md", "+++\naliases = [\"/a/\"]\n+++\n"),
        ("content/c.md", "+++\nslug = \"a\"\n+++\n"),
        ("content/d.md", "+++\naliases = [\"/old/\"]\n+++\n"),
        ("content/e.md", "+++\n\naliases = [\"/old\"]\n+++\n"),
    ]);
    let lib = lenient(site.path(), false);
    assert_eq!(
        messages(&lib.diagnostics()),
        vec![
            "content/a.md:2:1: alias `/b/` is the address of content/b.md; a redirect there would hide a page or loop, so remove it",
            "content/b.md:2:1: alias `/a/` is the address of content/a.md; a redirect there would hide a page or loop, so remove it",
            "content/c.md:2:1: this page's address /a/ is already used by content/a.md; change `slug` or `path` in one of them",
            "content/e.md:3:1: alias `/old` is also an alias of content/d.md; one old address can lead to one page only",
        ]
    );
}

#[test]
fn reload_one_file_updates_the_library() {
    let site = write_site(&[
        ("content/news/_index.md", "+++\nsort_by = \"date\"\n+++\n"),
        (
            "content/news/a.md",
            "+++\ntitle = \"A\"\ndate = 2024-01-01\n+++\n## Bir\n",
        ),
        (
            "content/news/b.md",
            "+++\ntitle = \"B\"\ndate = 2024-02-01\n+++\n[a](@/news/a.md#bir)\n",
        ),
    ]);
    let root = site.path();
    let mut lib = lenient(root, false);
    assert!(lib.render_all(&NoShortcodes).is_empty());

    // Body-only edit: no structure change, only that page re-rendered.
    write(
        root,
        "content/news/a.md",
        "+++\ntitle = \"A\"\ndate = 2024-01-01\n+++\n## Bir\n\nYeni mətn.\n",
    );
    let cs = lib.reload_file(&root.join("content/news/a.md"), &NoShortcodes);
    assert_eq!(cs.modified, vec!["news/a.md"]);
    assert!(!cs.structure_changed);
    assert_eq!(cs.rerendered, vec!["news/a.md"]);
    assert!(lib
        .page("news/a.md")
        .unwrap()
        .rendered
        .content
        .contains("Yeni mətn."));
    assert_eq!(lib.page("news/a.md").unwrap().placement.path, "/news/a/");

    // A new summary changes the listings too.
    write(root, "content/news/a.md", "+++\ntitle = \"A\"\ndate = 2024-01-01\n+++\n## Bir\n\nQısa.\n\n<!-- more -->\n\nYeni mətn.\n");
    let cs = lib.reload_file(&root.join("content/news/a.md"), &NoShortcodes);
    assert!(cs.structure_changed);
    assert_eq!(
        lib.page("news/a.md").unwrap().rendered.summary().as_deref(),
        Some("<h2 id=\"bir\">Bir</h2>\n<p>Qısa.</p>")
    );

    // Renaming the heading breaks b's anchor: reported on b, at the link.
    write(
        root,
        "content/news/a.md",
        "+++\ntitle = \"A\"\ndate = 2024-01-01\n+++\n## İki\n",
    );
    let cs = lib.reload_file(Path::new("content/news/a.md"), &NoShortcodes);
    assert!(cs.rerendered.iter().any(|k| k == "news/a.md"));
    assert_eq!(
        messages(&lib.diagnostics()),
        vec!["content/news/b.md:5:1: link `@/news/a.md#bir`: content/news/a.md has no heading with the id `bir`"]
    );

    // Front-matter edit: structure changes, order follows the new date.
    write(
        root,
        "content/news/a.md",
        "+++\ntitle = \"A\"\ndate = 2024-03-01\n+++\n## Bir\n",
    );
    let cs = lib.reload_file(Path::new("news/a.md"), &NoShortcodes);
    assert!(cs.structure_changed);
    assert_eq!(
        lib.section("news/_index.md").unwrap().placement.pages,
        vec!["news/a.md", "news/b.md"]
    );
    assert!(lib.diagnostics().is_empty(), "{}", lib.diagnostics());

    // A new translation appears in the translation group; a bad edit is reported and kept out.
    write(
        root,
        "content/news/a.ru.md",
        "+++\ntitle = \"А\"\ndate = \"вчера\"\n+++\n",
    );
    let cs = lib.reload_file(Path::new("content/news/a.ru.md"), &NoShortcodes);
    assert_eq!(cs.added, vec!["news/a.ru.md"]);
    assert_eq!(
        messages(&cs.diagnostics),
        vec!["content/news/a.ru.md:3:9: `date` must look like 2024-05-06 (or 2024-05-06T10:00:00+04:00), found `вчера`"]
    );
    write(root, "content/news/a.ru.md", "+++\ntitle = \"А\"\n+++\n");
    let cs = lib.reload_file(Path::new("content/news/a.ru.md"), &NoShortcodes);
    assert!(
        cs.diagnostics.iter().all(|d| !d.is_error()),
        "{}",
        cs.diagnostics
    );
    assert_eq!(lib.translations_of("news/a.md").len(), 2);

    // A broken edit keeps the last good version in the library, with the error reported.
    write(
        root,
        "content/news/a.md",
        "+++\ntitle = \"A\"\ndate = 2024-03-01\nwieght = 1\n+++\n## Bir\n",
    );
    let cs = lib.reload_file(Path::new("content/news/a.md"), &NoShortcodes);
    assert_eq!(cs.modified, vec!["news/a.md"]);
    assert!(messages(&cs.diagnostics)[0]
        .starts_with("content/news/a.md:4:1: unknown front-matter key `wieght`"));
    assert!(lib.page("news/a.md").is_some());
    assert_eq!(
        lib.section("news/_index.md").unwrap().placement.pages,
        vec!["news/a.md", "news/b.md"]
    );
    assert!(lib.diagnostics().has_errors());
    write(
        root,
        "content/news/a.md",
        "+++\ntitle = \"A\"\ndate = 2024-03-01\n+++\n## Bir\n",
    );
    let cs = lib.reload_file(Path::new("content/news/a.md"), &NoShortcodes);
    assert!(cs.diagnostics.is_empty(), "{}", cs.diagnostics);
    assert!(lib.diagnostics_for("news/a.md").is_empty());

    // Deleting the target makes b's link an error.
    std::fs::remove_file(root.join("content/news/a.md")).unwrap();
    let cs = lib.reload_file(Path::new("content/news/a.md"), &NoShortcodes);
    assert_eq!(cs.removed, vec!["news/a.md"]);
    assert!(cs.rerendered.iter().any(|k| k == "news/b.md"), "{cs:?}");
    assert!(lib.page("news/a.md").is_none());
    assert_eq!(
        messages(&lib.diagnostics_for("news/b.md")),
        vec!["content/news/b.md:5:1: link to `@/news/a.md`: there is no such page (content/news/a.md)"]
    );
}

/// Generates the shared benchmark corpus (3 languages × 50 pages) and checks what loads.
#[test]
fn loads_the_bench_corpus() {
    let out = tempfile::tempdir().unwrap();
    let tree = out.path().join("site");
    let script = bench_script();
    let status = Command::new("python3")
        .arg(&script)
        .args(["--n", "50", "--out"])
        .arg(&tree)
        .status()
        .expect("python3 must be installed to generate the bench corpus");
    assert!(status.success());
    let mut lib = Library::load(&tree, config(&tree), LoadOptions::default()).expect("loads");
    let d = lib.render_all(&NoShortcodes);
    assert!(!d.has_errors(), "{d}");
    assert_eq!(lib.pages().len(), 150);
    // Root + 10 sections, in each of 3 languages.
    assert_eq!(lib.sections().len(), 33);
    for lang in ["en", "az", "ru"] {
        assert_eq!(lib.pages_in(&lang.parse().unwrap()).count(), 50);
        let root = lib.root_section(lang).unwrap();
        assert_eq!(root.placement.subsections.len(), 10);
        let s = lib
            .section(&if lang == "en" {
                "news/_index.md".to_string()
            } else {
                format!("news/_index.{lang}.md")
            })
            .unwrap();
        assert_eq!(s.placement.pages.len(), 5);
        assert_eq!(s.meta.paginate_by, Some(20));
        assert!(!lib.taxonomy(lang, "tags").unwrap().terms.is_empty());
    }
    assert_eq!(
        lib.page("news/page-00001.ru.md").unwrap().placement.path,
        "/ru/news/page-00001/"
    );
    assert_eq!(
        lib.translation_groups()
            .values()
            .filter(|g| !g.missing.is_empty())
            .count(),
        0
    );
    let p = lib.page("news/page-00001.az.md").unwrap();
    assert!(p.rendered.summary().is_some());
    assert!(p.rendered.toc.len() >= 3);
}

/// CPU time used so far by all threads of this process, from Linux's schedstat (ns), so the
/// measurement means something on a busy shared machine where wall time does not.
fn process_cpu() -> std::time::Duration {
    let mut ns = 0u64;
    if let Ok(tasks) = std::fs::read_dir("/proc/self/task") {
        for t in tasks.flatten() {
            if let Ok(s) = std::fs::read_to_string(t.path().join("schedstat")) {
                ns += s
                    .split_whitespace()
                    .next()
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(0);
            }
        }
    }
    std::time::Duration::from_nanos(ns)
}

fn bench_script() -> std::path::PathBuf {
    let candidates = [
        std::env::var("XEBERDAR_BENCH_CORPUS").ok().map(Into::into),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/gen_corpus.py")),
        Some("/work/shared/bench/gen_corpus.py".into()),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p: &std::path::PathBuf| p.is_file())
        .expect("the bench corpus generator gen_corpus.py (set XEBERDAR_BENCH_CORPUS)")
}

/// Load + render of the 3 × 1,000-page corpus. A measurement, not a test: run with
/// `cargo test -p xeberdar --release --test content_library -- --ignored --nocapture`.
#[test]
#[ignore]
fn measure_bench_corpus_1000() {
    // XEBERDAR_BENCH_TREE: an already generated tree, so only our work is timed.
    let out = tempfile::tempdir().unwrap();
    let tree = match std::env::var_os("XEBERDAR_BENCH_TREE") {
        Some(t) => std::path::PathBuf::from(t),
        None => {
            let tree = out.path().join("site");
            let status = Command::new("python3")
                .arg(bench_script())
                .args(["--n", "1000", "--out"])
                .arg(&tree)
                .status()
                .unwrap();
            assert!(status.success());
            tree
        }
    };
    let c0 = process_cpu();
    let t0 = std::time::Instant::now();
    let mut lib = Library::load(&tree, config(&tree), LoadOptions::default()).expect("loads");
    let t_load = t0.elapsed();
    let c_load = process_cpu() - c0;
    let d = lib.render_all(&NoShortcodes);
    let t_all = t0.elapsed();
    let c_all = process_cpu() - c0;
    assert!(!d.has_errors(), "{d}");
    assert_eq!(lib.pages().len(), 3000);
    let edited = tree.join("content/news/page-00007.ru.md");
    let mut text = std::fs::read_to_string(&edited).unwrap();
    text.push_str("\nОдна новая строка.\n");
    std::fs::write(&edited, text).unwrap();
    let c1 = process_cpu();
    let t1 = std::time::Instant::now();
    let cs = lib.reload_file(&edited, &NoShortcodes);
    let t_reload = t1.elapsed();
    let c_reload = process_cpu() - c1;
    text = std::fs::read_to_string(&edited)
        .unwrap()
        .replacen("weight = ", "weight = 1", 1);
    std::fs::write(&edited, text).unwrap();
    let c2 = process_cpu();
    let t2 = std::time::Instant::now();
    let cs2 = lib.reload_file(&edited, &NoShortcodes);
    let t_reload_fm = t2.elapsed();
    let c_reload_fm = process_cpu() - c2;
    assert!(!cs.structure_changed && cs2.structure_changed);
    println!(
        "bench --n 1000 (wall / CPU of all threads): load {t_load:?} / {c_load:?}, \
         load+render {t_all:?} / {c_all:?}, reload after a body edit {t_reload:?} / {c_reload:?}, \
         reload after a front-matter edit {t_reload_fm:?} / {c_reload_fm:?}"
    );
}
