//! `xeberdar build` on the fixture site (az at `/`, ru and en under `/ru/`, `/en/`): the
//! output tree, multilingual links, listings, feeds, static files and determinism.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};

use support::*;
use xeberdar::site::{BuildOptions, MemoryFile, MemorySink, Site};

#[test]
fn output_tree_has_every_kind_of_file() {
    let site = fixture_copy();
    let public = build_ok(site.path(), &[]);
    for f in [
        "index.html",
        "ru/index.html",
        "en/index.html",
        "xeberler/index.html",
        "xeberler/page/2/index.html",
        "ru/xeberler/index.html",
        "xeberler/bir/index.html",
        "ru/xeberler/bir/index.html",
        "en/xeberler/bir/index.html",
        "xeberler/iki/index.html",
        "ru/xeberler/iki/index.html",
        "haqqinda/index.html",
        "haqqinda/sxem.svg",
        "ru/haqqinda/sxem.svg",
        "en/haqqinda/sxem.svg",
        "tags/index.html",
        "ru/tags/index.html",
        "en/tags/index.html",
        "sitemap.xml",
        "robots.txt",
        "atom.xml",
        "ru/atom.xml",
        "en/atom.xml",
        "404.html",
        "ru/404.html",
        "en/404.html",
        "css/site.css",
        "css/theme-only.css",
        "img/logo.svg",
        "kohne-xeber/index.html",
    ] {
        assert!(public.join(f).is_file(), "{f} is missing from the output");
    }
    let page = read(&public.join("xeberler/bir/index.html"));
    assert!(page.contains("<html lang=\"az\" dir=\"ltr\">"), "{page}");
    let ru = read(&public.join("ru/xeberler/bir/index.html"));
    assert!(ru.contains("<html lang=\"ru\" dir=\"ltr\">"), "{ru}");
    assert!(
        ru.contains("Горячая линия 152"),
        "t() with an argument: {ru}"
    );
}

#[test]
fn translations_link_each_other_with_absolute_urls_and_x_default() {
    let site = fixture_copy();
    let public = build_ok(site.path(), &[]);
    let start = public.join("xeberler/bir/index.html");
    let links = alternates(&read(&start));
    let langs: BTreeSet<_> = links.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        langs,
        BTreeSet::from(["az", "en", "ru", "x-default"]),
        "{links:?}"
    );
    for (lang, href) in &links {
        assert!(href.starts_with("https://fixture.example/"), "{href}");
        if lang == "x-default" {
            assert_eq!(href, "https://fixture.example/xeberler/bir/");
            continue;
        }
        // Reciprocity: every alternate lists the same set back, itself included.
        let other = file_for_url(&public, href);
        let back = alternates(&read(&other));
        assert_eq!(
            back.iter().collect::<BTreeSet<_>>(),
            links.iter().collect::<BTreeSet<_>>(),
            "{} does not link back the same way",
            other.display()
        );
        let html = read(&other);
        assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{lang}");
    }
    // Sections have translations too.
    let sec = alternates(&read(&public.join("ru/xeberler/index.html")));
    assert!(sec.contains(&("az".into(), "https://fixture.example/xeberler/".into())));
    assert!(sec.contains(&("en".into(), "https://fixture.example/en/xeberler/".into())));
}

#[test]
fn a_missing_translation_is_reported_and_never_linked() {
    let site = fixture_copy();
    let out = xeberdar(site.path(), &["build"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("content/xeberler/iki.md:") && l.contains("en")),
        "the missing English translation is not reported:\n{stderr}"
    );
    let public = site.path().join("public");
    assert!(!public.join("en/xeberler/iki").exists());
    for page in ["xeberler/iki/index.html", "ru/xeberler/iki/index.html"] {
        let html = read(&public.join(page));
        assert!(
            !html.contains("/en/xeberler/iki/"),
            "{page} links the missing page"
        );
        let langs: BTreeSet<_> = alternates(&html).into_iter().map(|(l, _)| l).collect();
        assert_eq!(
            langs,
            ["az", "ru", "x-default"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            "{page}"
        );
    }
    let sitemap = read(&public.join("sitemap.xml"));
    assert!(!sitemap.contains("/en/xeberler/iki/"));
}

#[test]
fn sections_paginate_newest_first() {
    let site = fixture_copy();
    let public = build_ok(site.path(), &[]);
    let first = read(&public.join("xeberler/index.html"));
    let second = read(&public.join("xeberler/page/2/index.html"));
    let pos = |html: &str, s: &str| html.find(s);
    // uc (March) and iki (February) on page 1, bir (January) on page 2; the draft nowhere.
    assert!(
        first.contains("/xeberler/uc/") && first.contains("/xeberler/iki/"),
        "{first}"
    );
    assert!(pos(&first, "/xeberler/uc/") < pos(&first, "/xeberler/iki/"));
    assert!(!first.contains("/xeberler/bir/\">"), "{first}");
    assert!(second.contains("/xeberler/bir/"), "{second}");
    assert!(first.contains("1/2"), "{first}");
    assert!(second.contains("2/2"), "{second}");
    assert!(
        first.contains("href=\"https://fixture.example/xeberler/page/2/\""),
        "{first}"
    );
    assert!(
        second.contains("rel=\"prev\" href=\"https://fixture.example/xeberler/\""),
        "{second}"
    );
    assert!(!first.contains("qaralama") && !second.contains("qaralama"));
    // English has two pages: one listing page, no page 2.
    assert!(public.join("en/xeberler/index.html").is_file());
    assert!(!public.join("en/xeberler/page/2/index.html").exists());
}

#[test]
fn taxonomies_have_list_and_term_pages_per_language() {
    let site = fixture_copy();
    let public = build_ok(site.path(), &[]);
    let list = read(&public.join("tags/index.html"));
    assert!(list.contains("miqrasiya</a> (2)"), "{list}");
    assert!(list.contains("əmək</a> (1)"), "{list}");
    assert!(
        !list.contains("миграция"),
        "a Russian tag in the az list: {list}"
    );
    let ru_list = read(&public.join("ru/tags/index.html"));
    assert!(ru_list.contains("миграция</a> (1)"), "{ru_list}");
    // The page links each tag to its term page, and that page lists the page back.
    let page = read(&public.join("xeberler/bir/index.html"));
    let tags_html = page.split("class=\"tags\"").nth(1).expect("tags paragraph");
    let href_start = tags_html.find("href=\"").unwrap() + 6;
    let href = &tags_html[href_start..href_start + tags_html[href_start..].find('"').unwrap()];
    assert!(href.starts_with("https://fixture.example/tags/"), "{href}");
    let term = read(&file_for_url(&public, href));
    assert!(term.contains("/xeberler/bir/"), "{term}");
    // The home page's get_taxonomy() lists the terms of its own language.
    let home_ru = read(&public.join("ru/index.html"));
    assert!(
        home_ru.contains("https://fixture.example/ru/tags/"),
        "{home_ru}"
    );
}

#[test]
fn sitemap_lists_pages_with_language_alternates() {
    let site = fixture_copy();
    let public = build_ok(site.path(), &[]);
    let sitemap = read(&public.join("sitemap.xml"));
    assert!(sitemap.starts_with("<?xml"), "{sitemap}");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    let entry = sitemap
        .split("<url>")
        .find(|u| u.contains("<loc>https://fixture.example/ru/xeberler/bir/</loc>"))
        .expect("ru page in the sitemap");
    for (l, u) in [
        ("az", "https://fixture.example/xeberler/bir/"),
        ("ru", "https://fixture.example/ru/xeberler/bir/"),
        ("en", "https://fixture.example/en/xeberler/bir/"),
        ("x-default", "https://fixture.example/xeberler/bir/"),
    ] {
        assert!(
            entry.contains(&format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"{l}\" href=\"{u}\"/>"
            )),
            "{entry}"
        );
    }
    assert!(!sitemap.contains("qaralama"));
    let robots = read(&public.join("robots.txt"));
    assert!(
        robots.contains("Sitemap: https://fixture.example/sitemap.xml"),
        "{robots}"
    );
}

#[test]
fn one_atom_feed_per_language() {
    let site = fixture_copy();
    let public = build_ok(site.path(), &[]);
    let az = read(&public.join("atom.xml"));
    let ru = read(&public.join("ru/atom.xml"));
    let en = read(&public.join("en/atom.xml"));
    assert!(
        az.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"az\">"),
        "{az}"
    );
    assert!(
        az.contains("İnsan alveri əlamətləri") && !az.contains("Признаки"),
        "{az}"
    );
    assert!(
        ru.contains("Признаки торговли людьми") && !ru.contains("İnsan"),
        "{ru}"
    );
    assert!(en.contains("Signs of trafficking"), "{en}");
    assert!(az.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://fixture.example/atom.xml\"/>"));
    assert!(ru.contains("href=\"https://fixture.example/ru/atom.xml\""));
    // Newest entry first; the updated stamp comes from the content, not the clock.
    assert!(az.find("Qaynar xətt 24/7") < az.find("Xaricdə iş təklifi"));
    assert!(
        az.contains("<updated>2024-03-05T00:00:00+00:00</updated>"),
        "{az}"
    );
    assert!(!az.contains("Qaralama"));
}

#[test]
fn every_language_has_its_own_404() {
    let site = fixture_copy();
    let public = build_ok(site.path(), &[]);
    let az = read(&public.join("404.html"));
    let ru = read(&public.join("ru/404.html"));
    let en = read(&public.join("en/404.html"));
    assert!(az.contains("lang=\"az\"") && az.contains("Bu səhifə hələ tərcümə olunmayıb"));
    assert!(ru.contains("lang=\"ru\"") && ru.contains("Эта страница ещё не переведена"));
    assert!(en.contains("lang=\"en\"") && en.contains("This page is not translated yet"));
}

#[test]
fn aliases_redirect_to_the_page() {
    let site = fixture_copy();
    let public = build_ok(site.path(), &[]);
    let alias = read(&public.join("kohne-xeber/index.html"));
    assert!(
        alias.contains("content=\"0; url=https://fixture.example/xeberler/bir/\""),
        "{alias}"
    );
    assert!(alias.contains("rel=\"canonical\" href=\"https://fixture.example/xeberler/bir/\""));
    // Page 1 of a paginated section is the section itself.
    let page1 = read(&public.join("xeberler/page/1/index.html"));
    assert!(
        page1.contains("url=https://fixture.example/xeberler/\""),
        "{page1}"
    );
}

#[test]
fn static_files_theme_then_site_and_cachebust_follows_content() {
    let site = fixture_copy();
    let public = build_ok(site.path(), &[]);
    assert_eq!(
        read(&public.join("css/site.css")),
        read(&site.path().join("static/css/site.css")),
        "the site's static file must override the theme's"
    );
    assert_eq!(
        read(&public.join("css/theme-only.css")),
        "/* only in the theme */\n"
    );
    let hash_in = |html: &str| -> String {
        let start =
            html.find("css/site.css?h=").expect("cachebusted URL") + "css/site.css?h=".len();
        html[start..]
            .chars()
            .take_while(|c| c.is_ascii_hexdigit())
            .collect()
    };
    let before = hash_in(&read(&public.join("index.html")));
    assert!(before.len() >= 8, "{before}");
    assert_eq!(
        before,
        hash_in(&read(&public.join("ru/xeberler/bir/index.html")))
    );
    std::fs::write(
        site.path().join("static/css/site.css"),
        "body { color: red }\n",
    )
    .unwrap();
    let public = build_ok(site.path(), &[]);
    let after = hash_in(&read(&public.join("index.html")));
    assert_ne!(before, after, "the hash must change with the file");
}

#[test]
fn load_data_reads_toml_csv_and_json() {
    let site = fixture_copy();
    let public = build_ok(site.path(), &[]);
    let home = read(&public.join("index.html"));
    assert!(home.contains("<li>Qaynar xətt 152</li>"), "{home}");
    assert!(
        home.contains("<li>bazar ertəsi=24</li><li>bazar=24</li>"),
        "{home}"
    );
    assert!(home.contains("<p class=\"stats\">3</p>"), "{home}");
}

#[test]
fn bad_data_file_is_named_in_the_error() {
    let site = fixture_copy();
    std::fs::write(
        site.path().join("data/partners.toml"),
        "[[partner]]\nname = \n",
    )
    .unwrap();
    let out = xeberdar(site.path(), &["build"]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("data/partners.toml:2:"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn t_uses_plural_rules_of_each_language() {
    let site = fixture_copy();
    let public = build_ok(site.path(), &[]);
    // News has 3 pages in az and ru, 2 in en.
    assert!(read(&public.join("index.html")).contains("3 səhifə"));
    assert!(read(&public.join("ru/index.html")).contains("3 страницы"));
    assert!(read(&public.join("en/index.html")).contains("2 pages"));
    // Five Russian pages take the "many" form.
    for n in ["dord", "bes"] {
        std::fs::write(
            site.path().join(format!("content/xeberler/{n}.ru.md")),
            format!("+++\ntitle = \"{n}\"\ndate = 2023-01-01\n+++\n"),
        )
        .unwrap();
        std::fs::write(
            site.path().join(format!("content/xeberler/{n}.md")),
            format!("+++\ntitle = \"{n}\"\ndate = 2023-01-01\n+++\n"),
        )
        .unwrap();
    }
    let public = build_ok(site.path(), &[]);
    assert!(read(&public.join("ru/index.html")).contains("5 страниц<"));
}

#[test]
fn markdown_features_reach_the_page() {
    let site = fixture_copy();
    let public = build_ok(site.path(), &[]);
    let home = read(&public.join("index.html"));
    assert!(
        home.contains("<a class=\"tel\" href=\"tel:152\">152</a>"),
        "shortcode: {home}"
    );
    let bir = read(&public.join("xeberler/bir/index.html"));
    assert!(bir.contains("class=\"toc\""), "{bir}");
    assert!(
        bir.contains("href=\"https://fixture.example/xeberler/iki/#"),
        "{bir}"
    );
    assert!(
        bir.contains("class=\"lower\"") || bir.contains("class=\"higher\""),
        "{bir}"
    );
    // Tera escapes `/` in plain `{{ }}` output, as in Zola.
    assert!(
        bir.contains("current=&#x2F;xeberler&#x2F;bir&#x2F;"),
        "{bir}"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let site = fixture_copy();
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for out in [a.path(), b.path()] {
        let o = xeberdar(
            site.path(),
            &["build", "--output-dir", out.to_str().unwrap()],
        );
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    let ta = tree(a.path());
    let tb = tree(b.path());
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(v == &tb[k], "{k} differs between two builds");
    }
    assert!(ta.len() > 30, "{}", ta.len());
}

#[test]
fn drafts_only_with_the_flag() {
    let site = fixture_copy();
    let public = build_ok(site.path(), &[]);
    assert!(!public.join("xeberler/qaralama").exists());
    let public = build_ok(site.path(), &["--drafts"]);
    assert!(public.join("xeberler/qaralama/index.html").is_file());
}

#[test]
fn base_url_can_be_overridden() {
    let site = fixture_copy();
    let public = build_ok(site.path(), &["--base-url", "http://127.0.0.1:4000"]);
    let html = read(&public.join("xeberler/bir/index.html"));
    assert!(
        html.contains("href=\"http://127.0.0.1:4000/ru/xeberler/bir/\""),
        "{html}"
    );
    assert!(!html.contains("fixture.example"), "{html}");
}

#[test]
fn stale_output_is_removed() {
    let site = fixture_copy();
    let public = site.path().join("public");
    std::fs::create_dir_all(public.join("old")).unwrap();
    std::fs::write(public.join("old/gone.html"), "x").unwrap();
    build_ok(site.path(), &[]);
    assert!(!public.join("old").exists());
}

/// A rebuild writes over the last build instead of emptying the folder first; what it
/// leaves must be exactly what a build into an empty folder leaves.
#[test]
fn rebuilding_over_an_old_output_equals_a_fresh_build() {
    let site = fixture_copy();
    let fresh = tempfile::tempdir().unwrap();
    let o = xeberdar(
        site.path(),
        &["build", "--output-dir", fresh.path().to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let expected = tree(fresh.path());

    let public = build_ok(site.path(), &[]);
    // What an earlier build (or a person) may have left: a page that is gone, an empty
    // folder, a changed file, a folder where a file belongs and a file where a folder
    // belongs, and a symbolic link that must not be written through.
    std::fs::create_dir_all(public.join("old/deeper")).unwrap();
    std::fs::write(public.join("old/deeper/gone.html"), "x").unwrap();
    std::fs::create_dir_all(public.join("empty")).unwrap();
    std::fs::write(public.join("index.html"), "edited by hand").unwrap();
    std::fs::remove_file(public.join("robots.txt")).unwrap();
    std::fs::create_dir_all(public.join("robots.txt/inside")).unwrap();
    std::fs::write(public.join("robots.txt/inside/f"), "x").unwrap();
    std::fs::remove_dir_all(public.join("xeberler")).unwrap();
    std::fs::write(public.join("xeberler"), "a file where a folder belongs").unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let outside = elsewhere.path().join("outside.html");
    std::fs::write(&outside, "not ours").unwrap();
    std::fs::remove_file(public.join("404.html")).unwrap();
    std::os::unix::fs::symlink(&outside, public.join("404.html")).unwrap();

    build_ok(site.path(), &[]);
    let rebuilt = tree(&public);
    assert_eq!(
        rebuilt.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (k, v) in &expected {
        assert!(v == &rebuilt[k], "{k} differs from a fresh build");
    }
    assert!(!public.join("old").exists());
    assert!(!public.join("empty").exists());
    assert!(!std::fs::symlink_metadata(public.join("404.html"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(read(&outside), "not ours");
}

#[test]
fn the_bench_tree_builds_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    // The team's shared folder sits beside the work tree (and beside CI's clone).
    let beside =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/gen_corpus.py");
    let script = if beside.is_file() {
        beside
    } else {
        std::path::PathBuf::from("/work/shared/bench/gen_corpus.py")
    };
    assert!(
        script.is_file(),
        "gen_corpus.py not found at {}",
        script.display()
    );
    let out = std::process::Command::new("python3")
        .arg(&script)
        .args(["--n", "20", "--out"])
        .arg(&corpus)
        .output()
        .expect("python3");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let public = build_ok(&corpus, &[]);
    // English is the default language there, at the root.
    for f in [
        "index.html",
        "az/index.html",
        "ru/index.html",
        "awareness/index.html",
        "awareness/page-00000/index.html",
        "az/awareness/page-00001/index.html",
        "ru/news/page-00001/index.html",
        "tags/index.html",
        "az/tags/index.html",
        "sitemap.xml",
        "atom.xml",
        "az/atom.xml",
    ] {
        assert!(public.join(f).is_file(), "{f}");
    }
    let page = read(&public.join("az/awareness/page-00001/index.html"));
    assert!(page.contains("hreflang=\"en\""), "{page}");
    let home = read(&public.join("index.html"));
    // `{{ sub.permalink }}` without `| safe` is escaped by Tera, exactly as Zola renders it.
    assert!(
        home.contains("<a href=\"https:&#x2F;&#x2F;example.org&#x2F;awareness&#x2F;\">"),
        "{home}"
    );
}

/// Builds the site at `root` and checks that every file the build wrote is what rendering
/// in memory, where every body is kept, gives. Returns the output folder.
fn build_equal_to_in_memory(root: &std::path::Path) -> std::path::PathBuf {
    let public = build_ok(root, &[]);
    let built = tree(&public);
    let site = Site::load(root, &BuildOptions::default()).unwrap();
    let sink = MemorySink::default();
    let report = site.render_all(&sink);
    assert!(!report.diagnostics.has_errors(), "{:?}", report.diagnostics);
    let in_memory: BTreeMap<String, Vec<u8>> = sink
        .into_files()
        .into_iter()
        .filter_map(|(k, f)| match f {
            MemoryFile::Rendered(bytes) => Some((k, bytes)),
            MemoryFile::Copied(_) => None,
        })
        .collect();
    assert_eq!(
        built.keys().collect::<Vec<_>>(),
        in_memory.keys().collect::<Vec<_>>()
    );
    for (file, bytes) in &in_memory {
        assert!(
            bytes == &built[file],
            "{file} differs:\nbuilt:\n{}\nin memory:\n{}",
            text(&built[file]),
            text(bytes)
        );
    }
    public
}

/// A build renders its pages' Markdown a run at a time and checks links once every run is
/// in: on a site of more pages than a run holds, a link from the first page to a heading of
/// the last is found, and one to a heading that is not there is an error at the link.
#[test]
fn links_between_pages_rendered_far_apart_are_checked_once_all_are_rendered() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |path: &str, body: &str| write_files(root, &[(path, body)]);
    write(
        "config.toml",
        "base_url = \"https://e.org\"\ndefault_language = \"az\"\n",
    );
    write("templates/page.html", "{{ page.content | safe }}");
    write("templates/index.html", "{{ section.title }}");
    write("content/_index.md", "+++\ntitle = \"Ev\"\n+++\n");
    // More than the 2,048 pages of a run, the linked page last by key.
    let n = 2100;
    for i in 1..n {
        write(
            &format!("content/p{i:05}.md"),
            &format!("+++\ntitle = \"P{i}\"\n+++\nMətn.\n"),
        );
    }
    write(
        &format!("content/p{n:05}.md"),
        "+++\ntitle = \"Son\"\n+++\n## Son başlıq\n",
    );
    write(
        "content/a.md",
        &format!("+++\ntitle = \"A\"\n+++\n[son](@/p{n:05}.md#son-başlıq)\n"),
    );
    let public = build_ok(root, &[]);
    let a = read(&public.join("a/index.html"));
    assert!(
        a.contains(&format!("https://e.org/p{n:05}/#son-ba%C5%9Fl%C4%B1q")),
        "{a}"
    );
    write(
        "content/a.md",
        &format!("+++\ntitle = \"A\"\n+++\n[son](@/p{n:05}.md#yoxdur)\n"),
    );
    let out = xeberdar(root, &["build"]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr
            .lines()
            .any(|l| l.contains("content/a.md:4:1:") && l.contains("`yoxdur`")),
        "{stderr}"
    );
}

/// A site where only the built-in feed shows summaries: a build keeps none of them after
/// the Markdown pass and the feed renders each again from its file (shortcodes, links and
/// heading ids included, as they rendered the first time); the feed it writes must be what
/// rendering in memory, where every body is kept, gives.
#[test]
fn feed_summaries_rendered_again_equal_summaries_kept() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let files = [
        (
            "config.toml",
            "base_url = \"https://e.org\"\ndefault_language = \"az\"\ngenerate_feeds = true\n\
             [markdown]\nsmart_punctuation = true\n[languages.en]\ngenerate_feeds = true\n",
        ),
        ("templates/page.html", "<h1>{{ page.title }}</h1>{{ page.content | safe }}"),
        (
            "templates/index.html",
            "{% for p in section.pages %}{{ p.title }}{% endfor %}",
        ),
        (
            "templates/section.html",
            "{% for p in section.pages %}{{ p.title }}{% endfor %}",
        ),
        (
            "templates/shortcodes/note.html",
            "<aside class=\"{{ kind }}\">{{ body }} ({{ lang }}, {{ nth }})</aside>",
        ),
        ("content/_index.md", "+++\ntitle = \"Ev\"\n+++\n"),
        ("content/_index.en.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("content/news/_index.md", "+++\nsort_by = \"date\"\n+++\n"),
        (
            "content/news/a.md",
            "+++\ntitle = \"A\"\ndate = 2024-01-02\n+++\n## Başlıq\n\n\"Giriş\", [B-yə](@/news/b.md#son).\n\n\
             {% note(kind=\"warn\") %}Diqqət: **vacib**{% end %}\n\n<!-- more -->\n\n\
             {% note(kind=\"x\") %}Sonra{% end %}\n\n## Başlıq {#basliq}\n\nSon.\n",
        ),
        (
            "content/news/b.md",
            "+++\ntitle = \"B\"\ndate = 2024-01-03\n+++\nQısa.<!-- more -->Davamı.\n\n## Son\n",
        ),
        (
            "content/news/c.md",
            "+++\ntitle = \"C\"\ndate = 2024-01-04\n+++\nXülasəsiz səhifə.\n",
        ),
        (
            "content/news/d.en.md",
            "+++\ntitle = \"D\"\ndate = 2024-01-05\n+++\n- one\n- two\n\n<!-- more -->\n\nRest.\n",
        ),
    ];
    write_files(root, &files);
    let public = build_equal_to_in_memory(root);
    let feed = read(&public.join("atom.xml"));
    assert!(
        feed.contains(
            "&lt;aside class=&quot;warn&quot;&gt;Diqqət: **vacib** (az, 1)&lt;&#x2F;aside&gt;</content>"
        ),
        "{feed}"
    );
    assert!(
        feed.contains("https:&#x2F;&#x2F;e.org&#x2F;news&#x2F;b&#x2F;#son"),
        "{feed}"
    );
    assert!(feed.contains("&lt;p&gt;Qısa.</content>"), "{feed}");
    assert!(feed.contains("Xülasəsiz səhifə."), "{feed}");
    assert!(!feed.contains("Sonra"), "{feed}");
    let en = read(&public.join("en/atom.xml"));
    assert!(
        en.contains("xml:base=\"https://e.org/en/news/d/\">&lt;ul&gt;"),
        "{en}"
    );
    assert!(!en.contains("Rest."), "{en}");
}

/// A site whose templates read no page's HTML but that page's own: a build writes each
/// page as soon as its Markdown is rendered and lets its body go, or, when its template
/// shows another page's summary, renders the body again for it later (shortcodes included,
/// as they rendered the first time); what it writes must be what rendering in memory,
/// where every body is kept, gives.
#[test]
fn pages_rendered_again_for_their_output_equal_pages_kept_whole() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let files = [
        (
            "config.toml",
            "base_url = \"https://e.org\"\ndefault_language = \"az\"\ngenerate_feeds = true\n\
             taxonomies = [{ name = \"tags\" }]\n[languages.en]\ngenerate_feeds = true\n\
             taxonomies = [{ name = \"tags\" }]\n",
        ),
        (
            "templates/page.html",
            "<h1>{{ page.title }}</h1>{% for h in page.toc %}<a href=\"{{ h.permalink | safe }}\">\
             {{ h.title }}</a>{% endfor %}{{ page.content | safe }}<p>{{ page.summary | safe }}</p>\
             {% if page.lower %}{{ page.lower.title }}{% endif %}",
        ),
        (
            "templates/index.html",
            "{{ section.content | safe }}{% for p in section.pages %}{{ p.title }} {{ p.summary | safe }}{% endfor %}",
        ),
        (
            "templates/section.html",
            "{% for p in section.pages %}<a href=\"{{ p.permalink }}\">{{ p.title }}</a>{% endfor %}",
        ),
        (
            "templates/shortcodes/note.html",
            "<aside class=\"{{ kind }}\">{{ body }} ({{ lang }}, {{ nth }})</aside>",
        ),
        ("content/_index.md", "+++\ntitle = \"Ev\"\n+++\nEvin yazısı.\n"),
        ("content/_index.en.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("content/news/_index.md", "+++\nsort_by = \"date\"\n+++\n"),
        ("content/news/_index.en.md", "+++\nsort_by = \"date\"\n+++\n"),
        (
            "content/news/a.md",
            "+++\ntitle = \"A\"\ndate = 2024-01-02\n[taxonomies]\ntags = [\"x\"]\n+++\n\
             ## Başlıq\n\nGiriş, [B-yə](@/news/b.md#son).\n\n<!-- more -->\n\n\
             {% note(kind=\"warn\") %}Diqqət: **vacib**{% end %}\n\n### Alt\n\nSon.\n",
        ),
        (
            "content/news/a.en.md",
            "+++\ntitle = \"A en\"\ndate = 2024-01-02\n+++\n## Heading\n\nNo summary here.\n\n\
             {% note(kind=\"info\") %}One{% end %} {% note(kind=\"info\") %}Two{% end %}\n",
        ),
        (
            "templates/story.html",
            "{{ page.content | safe }}{% for n in [page.lower, page.higher] %}{% if n %}{{ n.summary | safe }}{% endif %}{% endfor %}",
        ),
        (
            "content/news/c.md",
            "+++\ntitle = \"C\"\ndate = 2024-01-04\ntemplate = \"story.html\"\n+++\n\
             Əvvəl.\n<!-- more -->\n## Sonra\n\n{% note(kind=\"c\") %}Qeyd{% end %}\n",
        ),
        (
            "content/news/b.md",
            "+++\ntitle = \"B\"\ndate = 2024-01-03\n+++\nQısa.\n<!-- more -->\n## Son\n\nSonrakı.\n",
        ),
    ];
    write_files(root, &files);
    let public = build_equal_to_in_memory(root);
    let page = read(&public.join("news/a/index.html"));
    assert!(
        page.contains("<aside class=\"warn\">Diqqət: **vacib** (az, 1)</aside>"),
        "{page}"
    );
    assert!(
        page.contains("href=\"https://e.org/news/a/#başlıq\">Başlıq</a>"),
        "{page}"
    );
    // A template that shows another page's summary waits for every page's Markdown; the
    // page's own body is then rendered again.
    let c = read(&public.join("news/c/index.html"));
    assert!(c.contains("<aside class=\"c\">Qeyd (az, 1)</aside>"), "{c}");
    assert!(c.contains("</aside>\n<p>Qısa.</p>"), "{c}");
    let en = read(&public.join("en/news/a/index.html"));
    assert!(en.contains("(en, 2)</aside>"), "{en}");
    let feed = read(&public.join("en/atom.xml"));
    assert!(feed.contains("No summary here."), "{feed}");
}
