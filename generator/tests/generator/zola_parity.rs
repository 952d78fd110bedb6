//! What a site moved from Zola 0.22.1 sees: per-language titles, `lower`/`higher` for every
//! `sort_by`, the `[slugify]` strategies and the sitemap's contents and split. The expected
//! values are those Zola documents, and were checked against the output of the Zola 0.22.1
//! binary on the same fixtures.

use crate::support;

use std::path::Path;

use support::{build_ok, read, text, xeberdar};

/// A site in a temporary folder, from `(path, text)` pairs. In memory (`/dev/shm`) where
/// there is one: the sitemap test writes and deletes 60,000 small files.
fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    for (path, body) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
    dir
}

const TITLE_TEMPLATE: &str =
    "<title>{{ config.title }}</title><meta name=\"description\" content=\"{{ config.description }}\">\n";

/// Zola: "`title` and `description` … can be overridden for each language" and templates of a
/// language see them as `config.title` / `config.description`; the feed of a language is titled
/// with them.
#[test]
fn each_language_has_its_own_title_and_description() {
    let dir = site(&[
        (
            "config.toml",
            "base_url = \"https://example.org\"\ntitle = \"Root title\"\ndescription = \"Root description\"\n\
             default_language = \"en\"\ngenerate_feeds = true\n\
             [languages.az]\ntitle = \"Az başlıq\"\ndescription = \"Az təsvir\"\ngenerate_feeds = true\n\
             [languages.ru]\ntitle = \"Ru заголовок\"\ngenerate_feeds = true\n",
        ),
        ("templates/index.html", TITLE_TEMPLATE),
        ("templates/section.html", TITLE_TEMPLATE),
        ("templates/page.html", TITLE_TEMPLATE),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("content/_index.az.md", "+++\ntitle = \"Ev\"\n+++\n"),
        ("content/_index.ru.md", "+++\ntitle = \"Дом\"\n+++\n"),
        ("content/p.md", "+++\ntitle = \"P\"\ndate = 2024-01-01\n+++\nText.\n"),
        ("content/p.az.md", "+++\ntitle = \"P\"\ndate = 2024-01-01\n+++\nMətn.\n"),
        ("content/p.ru.md", "+++\ntitle = \"P\"\ndate = 2024-01-01\n+++\nТекст.\n"),
    ]);
    let out = build_ok(dir.path(), &[]);
    let head = |file: &str| read(&out.join(file));
    let az = "<title>Az başlıq</title><meta name=\"description\" content=\"Az təsvir\">";
    assert!(
        head("az/index.html").starts_with(az),
        "{}",
        head("az/index.html")
    );
    assert!(head("az/p/index.html").starts_with(az));
    let en = "<title>Root title</title><meta name=\"description\" content=\"Root description\">";
    assert!(head("index.html").starts_with(en));
    assert!(head("p/index.html").starts_with(en));
    // A language without its own description keeps the site's.
    assert!(head("ru/p/index.html").starts_with(
        "<title>Ru заголовок</title><meta name=\"description\" content=\"Root description\">"
    ));
    assert!(head("az/atom.xml").contains("<title>Az başlıq</title>"));
    assert!(head("ru/atom.xml").contains("<title>Ru заголовок</title>"));
    assert!(head("atom.xml").contains("<title>Root title</title>"));
}

const NEIGHBOUR_TEMPLATE: &str = "lower={% if page.lower %}{{ page.lower.slug }}{% endif %} \
     higher={% if page.higher %}{{ page.higher.slug }}{% endif %}\n";

/// Zola's `lower`/`higher`: the page before and after this one in the section's order,
/// whatever `sort_by` is (`date` is newest first, so `lower` is the newer page); none when
/// the section is not sorted. The table is Zola 0.22.1's output for these pages.
#[test]
fn lower_and_higher_are_zolas_for_every_sort_by() {
    let sorts = [
        ("by-date", "date"),
        ("by-update", "update_date"),
        ("by-weight", "weight"),
        ("by-title", "title"),
        ("by-title-bytes", "title_bytes"),
        ("by-slug", "slug"),
        ("plain", "none"),
    ];
    // (file, title, extra front matter)
    let pages = [
        (
            "a",
            "banana",
            "date = 2021-01-01\nweight = 3\nupdated = 2024-01-01\n",
        ),
        ("b", "Apple", "date = 2023-01-01\nweight = 1\n"),
        ("c", "cherry", "date = 2022-01-01\nweight = 2\n"),
        ("d", "zed", ""),
        ("page10", "page10", "date = 2020-01-01\nweight = 4\n"),
        ("page9", "page9", "date = 2019-06-01\nweight = 5\n"),
    ];
    let mut files: Vec<(String, String)> = vec![
        (
            "config.toml".into(),
            "base_url = \"https://example.org\"\n".into(),
        ),
        ("templates/section.html".into(), "s\n".into()),
        ("templates/index.html".into(), "i\n".into()),
        ("templates/page.html".into(), NEIGHBOUR_TEMPLATE.into()),
        ("content/_index.md".into(), "+++\n+++\n".into()),
    ];
    for (dir, sort) in sorts {
        files.push((
            format!("content/{dir}/_index.md"),
            format!("+++\ntitle = \"{dir}\"\nsort_by = \"{sort}\"\n+++\n"),
        ));
        for (name, title, extra) in pages {
            files.push((
                format!("content/{dir}/{name}.md"),
                format!("+++\ntitle = \"{title}\"\n{extra}+++\n{name}\n"),
            ));
        }
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = site(&refs);
    let out = xeberdar(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let public = dir.path().join("public");
    let expected = [
        // newest first: b 2023, c 2022, a 2021, page10 2020, page9 2019
        (
            "by-date",
            [
                ("a", "c", "page10"),
                ("b", "", "c"),
                ("c", "b", "a"),
                ("page10", "a", "page9"),
                ("page9", "page10", ""),
            ]
            .as_slice(),
        ),
        // the later of date and updated: a 2024, b, c, page10, page9
        (
            "by-update",
            &[
                ("a", "", "b"),
                ("b", "a", "c"),
                ("c", "b", "page10"),
                ("page10", "c", "page9"),
                ("page9", "page10", ""),
            ],
        ),
        (
            "by-weight",
            &[
                ("a", "c", "page10"),
                ("b", "", "c"),
                ("c", "b", "a"),
                ("page10", "a", "page9"),
                ("page9", "page10", ""),
            ],
        ),
        // natural order, case and accents aside: Apple, banana, cherry, page9, page10, zed
        (
            "by-title",
            &[
                ("a", "b", "c"),
                ("b", "", "a"),
                ("c", "a", "page9"),
                ("d", "page10", ""),
                ("page10", "page9", "d"),
                ("page9", "c", "page10"),
            ],
        ),
        // bytes: Apple, banana, cherry, page10, page9, zed
        (
            "by-title-bytes",
            &[
                ("a", "b", "c"),
                ("b", "", "a"),
                ("c", "a", "page10"),
                ("d", "page9", ""),
                ("page10", "c", "page9"),
                ("page9", "page10", "d"),
            ],
        ),
        // natural: a, b, c, d, page9, page10
        (
            "by-slug",
            &[
                ("a", "", "b"),
                ("b", "a", "c"),
                ("c", "b", "d"),
                ("d", "c", "page9"),
                ("page10", "page9", ""),
                ("page9", "d", "page10"),
            ],
        ),
        (
            "plain",
            &[
                ("a", "", ""),
                ("b", "", ""),
                ("c", "", ""),
                ("d", "", ""),
                ("page10", "", ""),
                ("page9", "", ""),
            ],
        ),
    ];
    for (dir, rows) in expected {
        for (page, lower, higher) in rows {
            let html = read(&public.join(format!("{dir}/{page}/index.html")));
            assert_eq!(
                html.trim(),
                format!("lower={lower} higher={higher}"),
                "{dir}/{page}"
            );
        }
    }
    // A page the order cannot place has no neighbours, and the editor is told why (Zola
    // leaves such a page out with a warning; here it is still published, listed last).
    let stderr = text(&out.stderr) + &text(&out.stdout);
    for dir in ["by-date", "by-update", "by-weight"] {
        assert_eq!(
            read(&public.join(format!("{dir}/d/index.html"))).trim(),
            "lower= higher="
        );
        assert!(
            stderr.contains(&format!(
                "content/{dir}/d.md:1:1: warning: this page has no `"
            )),
            "{stderr}"
        );
    }
    assert!(
        !stderr.contains("content/by-title/d.md:1:1: warning"),
        "{stderr}"
    );
}

/// Builds one Azerbaijani page and one English page with headings and tags, with `strategy`
/// for all three of `[slugify]` (or none), and returns the output folder's files and the
/// heading ids of the Azerbaijani page.
fn build_with_slugify(strategy: Option<&str>) -> (tempfile::TempDir, Vec<String>, String) {
    let mut config = String::from(
        "base_url = \"https://example.org\"\ndefault_language = \"en\"\n\
         taxonomies = [{ name = \"tags\" }]\n[languages.az]\ntaxonomies = [{ name = \"tags\" }]\n",
    );
    if let Some(s) = strategy {
        config.push_str(&format!(
            "[slugify]\npaths = \"{s}\"\ntaxonomies = \"{s}\"\nanchors = \"{s}\"\n"
        ));
    }
    let dir = site(&[
        ("config.toml", &config),
        ("templates/index.html", "i\n"),
        ("templates/section.html", "s\n"),
        ("templates/page.html", "{{ page.content | safe }}"),
        ("templates/taxonomy_list.html", "l\n"),
        ("templates/taxonomy_single.html", "{{ term.name }}\n"),
        ("content/_index.md", "+++\n+++\n"),
        ("content/_index.az.md", "+++\n+++\n"),
        ("content/words/_index.md", "+++\ntitle = \"Words\"\n+++\n"),
        ("content/words/_index.az.md", "+++\ntitle = \"Sözlər\"\n+++\n"),
        (
            "content/words/İş təklifi (yeni).az.md",
            "+++\ntitle = \"İş\"\n[taxonomies]\ntags = [\"kömək\", \"Hüquqlar\", \"İş\"]\n+++\n\
             ## Qaynar xətt: 152\n\n## Ölkə xaricində iş?\n",
        ),
        (
            "content/words/Job offer (new).md",
            "+++\ntitle = \"Job\"\n[taxonomies]\ntags = [\"Help me\", \"rights\"]\n+++\n## Work abroad?\n",
        ),
    ]);
    let public = build_ok(dir.path(), &[]);
    let files: Vec<String> = support::tree(&public)
        .into_keys()
        .filter(|f| f.contains("words/") || f.contains("tags/"))
        .collect();
    let az_page = files
        .iter()
        .find(|f| f.starts_with("az/words/") && *f != "az/words/index.html")
        .expect("the Azerbaijani page")
        .clone();
    let html = read(&public.join(&az_page));
    let ids: Vec<&str> = html
        .split("id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    (dir, files, ids.join(" "))
}

/// Zola's `[slugify]`: `on` transliterates to ASCII (its default), `safe` keeps the text
/// but drops characters a file name cannot hold, `off` keeps it as written; anchors with
/// `safe`/`off` only turn spaces into `_`. Without `[slugify]` this generator keeps each
/// language's letters. The addresses are those Zola 0.22.1 wrote for the same files.
#[test]
fn slugify_strategies_give_zolas_addresses_and_anchors() {
    let (_d, files, ids) = build_with_slugify(Some("on"));
    for f in [
        "az/words/is-t-klifi-yeni/index.html",
        "az/tags/kom-k/index.html",
        "az/tags/huquqlar/index.html",
        "az/tags/is/index.html",
        "words/job-offer-new/index.html",
        "tags/help-me/index.html",
        "tags/rights/index.html",
    ] {
        assert!(files.iter().any(|x| x == f), "{f} not in {files:?}");
    }
    assert_eq!(ids, "qaynar-x-tt-152 olk-xaricind-is");

    let (_d, files, ids) = build_with_slugify(Some("safe"));
    for f in [
        "az/words/İş təklifi (yeni)/index.html",
        "az/tags/kömək/index.html",
        "az/tags/Hüquqlar/index.html",
        "az/tags/İş/index.html",
        "words/Job offer (new)/index.html",
        "tags/Help me/index.html",
    ] {
        assert!(files.iter().any(|x| x == f), "{f} not in {files:?}");
    }
    assert_eq!(ids, "Qaynar_xətt:_152 Ölkə_xaricində_iş?");

    let (_d, files, ids) = build_with_slugify(Some("off"));
    assert!(files
        .iter()
        .any(|x| x == "az/words/İş təklifi (yeni)/index.html"));
    assert!(files.iter().any(|x| x == "az/tags/Hüquqlar/index.html"));
    assert_eq!(ids, "Qaynar_xətt:_152 Ölkə_xaricində_iş?");

    // This generator's default: the reader's own letters, lowercased with Azerbaijani rules.
    let (_d, files, ids) = build_with_slugify(None);
    for f in [
        "az/words/iş-təklifi-yeni/index.html",
        "az/tags/kömək/index.html",
        "az/tags/hüquqlar/index.html",
        "az/tags/iş/index.html",
        "words/job-offer-new/index.html",
        "tags/help-me/index.html",
    ] {
        assert!(files.iter().any(|x| x == f), "{f} not in {files:?}");
    }
    assert_eq!(ids, "qaynar-xətt-152 ölkə-xaricində-iş");
}

/// With `off`, a slug is kept as written, `..` included: the build refuses to write outside
/// its output folder and names the address.
#[test]
fn a_slug_kept_as_written_cannot_leave_the_output_folder() {
    let dir = site(&[
        (
            "config.toml",
            "base_url = \"https://example.org\"\n[slugify]\npaths = \"off\"\n",
        ),
        ("templates/index.html", "i\n"),
        ("templates/page.html", "p\n"),
        ("content/_index.md", "+++\n+++\n"),
        (
            "content/p.md",
            "+++\ntitle = \"P\"\nslug = \"../../escaped\"\n+++\n",
        ),
    ]);
    let out = xeberdar(dir.path(), &["build"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stdout).contains("outside the output folder")
            || text(&out.stderr).contains("outside the output folder"),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(!dir.path().join("escaped").exists());
    assert!(!dir.path().parent().unwrap().join("escaped").exists());
}

fn locs(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .map(str::to_string)
        .collect()
}

/// The sitemap lists what Zola's lists: rendered pages (with `updated`, else `date`),
/// sections, every pager of a paginated section (`page/1/` too), and the taxonomies that
/// are rendered; not pages with `render = false`, aliases or `render = false` taxonomies.
/// The list is Zola 0.22.1's for this fixture.
#[test]
fn sitemap_lists_the_pages_zola_lists() {
    let mut files = vec![
        (
            "config.toml".to_string(),
            "base_url = \"https://example.org\"\n\
             taxonomies = [{ name = \"tags\" }, { name = \"hidden\", render = false }]\n"
                .to_string(),
        ),
        ("content/_index.md".into(), "+++\n+++\n".into()),
        (
            "content/news/_index.md".into(),
            "+++\ntitle = \"News\"\nsort_by = \"date\"\npaginate_by = 2\n+++\n".into(),
        ),
        (
            "content/empty/_index.md".into(),
            "+++\ntitle = \"Empty\"\npaginate_by = 2\n+++\n".into(),
        ),
        (
            "content/news/gone.md".into(),
            "+++\ntitle = \"Gone\"\nrender = false\ndate = 2024-02-01\n+++\n".into(),
        ),
        (
            "content/about.md".into(),
            "+++\ntitle = \"About\"\nupdated = 2024-03-01\ndate = 2024-01-01\naliases = [\"/old/\"]\n+++\n".into(),
        ),
    ];
    for t in [
        "index",
        "section",
        "page",
        "taxonomy_list",
        "taxonomy_single",
    ] {
        files.push((format!("templates/{t}.html"), "x\n".into()));
    }
    for i in 1..=3 {
        files.push((
            format!("content/news/n{i}.md"),
            format!("+++\ntitle = \"N{i}\"\ndate = 2024-01-0{i}\n[taxonomies]\ntags = [\"a\"]\nhidden = [\"h\"]\n+++\n"),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = site(&refs);
    let xml = read(&build_ok(dir.path(), &[]).join("sitemap.xml"));
    let base = "https://example.org";
    let expected: Vec<String> = [
        "/",
        "/about/",
        "/empty/",
        "/news/",
        "/news/n1/",
        "/news/n2/",
        "/news/n3/",
        "/news/page/1/",
        "/news/page/2/",
        "/tags/",
        "/tags/a/",
    ]
    .iter()
    .map(|p| format!("{base}{p}"))
    .collect();
    assert_eq!(locs(&xml), expected);
    assert!(
        xml.contains("<loc>https://example.org/about/</loc>\n    <lastmod>2024-03-01</lastmod>")
    );
    assert!(
        xml.contains("<loc>https://example.org/news/n2/</loc>\n    <lastmod>2024-01-02</lastmod>")
    );

    // Zola's `exclude_paginated_pages_in_sitemap = "all"` leaves the pagers out.
    let config = dir.path().join("config.toml");
    let text = read(&config);
    std::fs::write(
        &config,
        format!("exclude_paginated_pages_in_sitemap = \"all\"\n{text}"),
    )
    .unwrap();
    let xml = read(&build_ok(dir.path(), &[]).join("sitemap.xml"));
    assert!(!xml.contains("/page/"), "{xml}");
    assert_eq!(locs(&xml).len(), expected.len() - 2);
}

/// Zola writes one `sitemap.xml` below 30,000 URLs; from 30,000 on, `sitemap1.xml`, … of at
/// most 30,000 URLs each and a `sitemap.xml` that indexes them (sitemaps.org's
/// `<sitemapindex>`). 200 pages with 29,798 tags between them give the home page, the
/// pages, the tag list and 29,798 term pages: 30,000 URLs.
#[test]
fn sitemap_is_split_from_30000_urls_with_an_index() {
    let build = |tags: usize| -> (tempfile::TempDir, std::path::PathBuf) {
        let mut files = vec![
            (
                "config.toml".to_string(),
                "base_url = \"https://example.org\"\ntaxonomies = [{ name = \"tags\" }]\n"
                    .to_string(),
            ),
            ("content/_index.md".into(), "+++\n+++\n".into()),
        ];
        for t in ["index", "page", "taxonomy_list", "taxonomy_single"] {
            files.push((format!("templates/{t}.html"), "x\n".into()));
        }
        let per_page = tags.div_ceil(200);
        for p in 0..200 {
            let list: Vec<String> = (p * per_page..((p + 1) * per_page).min(tags))
                .map(|i| format!("\"t{i:05}\""))
                .collect();
            files.push((
                format!("content/p{p:03}.md"),
                format!(
                    "+++\ntitle = \"P\"\n[taxonomies]\ntags = [{}]\n+++\n",
                    list.join(", ")
                ),
            ));
        }
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let dir = site(&refs);
        let public = build_ok(dir.path(), &[]);
        (dir, public)
    };
    let (_dir, public) = build(29_798);
    let index = read(&public.join("sitemap.xml"));
    assert!(index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    assert_eq!(locs(&index), vec!["https://example.org/sitemap1.xml"]);
    let part = read(&public.join("sitemap1.xml"));
    assert!(part.contains("<urlset "));
    let urls = locs(&part);
    assert_eq!(urls.len(), 30_000);
    assert_eq!(
        urls.first().map(String::as_str),
        Some("https://example.org/")
    );
    assert!(!public.join("sitemap2.xml").exists());
    assert!(read(&public.join("robots.txt")).contains("Sitemap: https://example.org/sitemap.xml"));

    // One URL fewer: a single sitemap, as Zola writes it.
    let (_dir, public) = build(29_797);
    let single = read(&public.join("sitemap.xml"));
    assert!(single.contains("<urlset "));
    assert_eq!(locs(&single).len(), 29_999);
    assert!(!Path::new(&public.join("sitemap1.xml")).exists());
}
