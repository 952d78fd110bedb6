//! What the site claims, checked by `xeberdar check`: phone numbers only from config.toml or
//! data/facts.toml, promise words only inside vetted phrases, every fact and vetted phrase
//! with a source. Each check fires on a bad site with `path:line:col`, and the project's own
//! site passes all three.

use crate::support;

use std::path::Path;

use support::*;
use xeberdar::lint::{lint_site, Check};

const CLAIM_CHECKS: [Check; 3] = [Check::PhoneNumbers, Check::PromiseWords, Check::FactSources];

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn the_real_site_makes_no_unsourced_claim() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let report = lint_site(repo, false).expect("the site's content checks run");
    let claims: Vec<String> = report
        .findings
        .iter()
        .filter(|f| CLAIM_CHECKS.contains(&f.check))
        .map(ToString::to_string)
        .collect();
    assert!(claims.is_empty(), "claims to fix:\n{}", claims.join("\n"));
    // The checks did read the site's data: the facts file is there and names 112.
    let facts = std::fs::read_to_string(repo.join("data/facts.toml")).unwrap();
    assert!(facts.contains("number = \"112\""));
}

#[test]
fn each_claim_check_fires_with_file_line_and_column() {
    let site = fixture_copy();
    let root = site.path();
    write(
        root,
        "content/numbers.md",
        "+++\ntitle = \"Nömrələr\"\ndescription = \"Polis: 102\"\n+++\nZəng edin: 152 və ya 103.\nBu xətt tam anonim və pulsuzdur.\nZəng anonim deyil.\n",
    );
    write(
        root,
        "data/facts.toml",
        "[emergency]\nnumber = \"112\"\ntext = { az = \"112\" }\nsource = \"FHN\"\n\n[unsourced]\ntext = { az = \"Kömək pulsuzdur.\" }\n",
    );
    write(
        root,
        "data/promise_words.toml",
        "az = [\"anonim*\", \"pulsuz*\"]\n",
    );
    write(
        root,
        "data/vetted_phrases.toml",
        "[[phrase]]\nlang = \"az\"\ntext = \"anonim deyil\"\nsource = \"a test source\"\n\n[[phrase]]\nlang = \"az\"\ntext = \"pulsuz deyil\"\n",
    );

    let out = xeberdar(root, &["check"]);
    let text = text(&out.stdout);
    let claims: Vec<&str> = text
        .lines()
        .filter(|l| {
            l.ends_with("[phone_numbers]")
                || l.ends_with("[promise_words]")
                || l.ends_with("[fact_sources]")
        })
        .collect();
    let starts: Vec<String> = claims
        .iter()
        .map(|l| l.split(": ").take(2).collect::<Vec<_>>().join(": "))
        .collect();
    assert_eq!(
        starts,
        vec![
            // The fixture's home page says "Pulsuz" too.
            "content/_index.md:5:1: warning",
            "content/numbers.md:3:23: error",
            "content/numbers.md:5:22: error",
            "content/numbers.md:6:13: warning",
            "content/numbers.md:6:23: warning",
            "data/facts.toml:6:1: error",
            "data/vetted_phrases.toml:6:1: error",
        ],
        "{text}"
    );
    assert!(
        claims[1].contains("\"102\" looks like a phone number"),
        "{}",
        claims[1]
    );
    assert!(
        claims[3].contains("promise word \"anonim\""),
        "{}",
        claims[3]
    );
    assert!(
        claims[5].contains("the fact `unsourced` has no source"),
        "{}",
        claims[5]
    );
    assert!(
        !out.status.success(),
        "an unsourced number or fact fails the check"
    );
}

#[test]
fn a_fact_reaches_the_page_with_its_source() {
    let site = fixture_copy();
    let root = site.path();
    let theme = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("themes/xeberdar/templates/shortcodes/fact.html");
    let config = std::fs::read_to_string(root.join("config.toml")).unwrap();
    let theme_name = config
        .lines()
        .find_map(|l| l.strip_prefix("theme = "))
        .map(|t| t.trim().trim_matches('"').to_string());
    let shortcodes = match theme_name {
        Some(name) => root.join("themes").join(name).join("templates/shortcodes"),
        None => root.join("templates/shortcodes"),
    };
    std::fs::create_dir_all(&shortcodes).unwrap();
    std::fs::copy(theme, shortcodes.join("fact.html")).unwrap();
    write(
        root,
        "data/facts.toml",
        "[shelter]\ntext = { az = \"Sığınacaq həbs yeri deyil.\" }\nsource = { az = \"Plan, 6-cı bölmə\" }\n\n[emergency]\nnumber = \"112\"\ntext = { az = \"112\" }\nsource = { az = \"FHN\" }\n",
    );
    write(
        root,
        "content/fakt.md",
        "+++\ntitle = \"Fakt\"\n+++\nBax: {{ fact(id=\"shelter\") }} Zəng: {{ fact(id=\"emergency\", show=\"number\") }}\n",
    );
    let out = xeberdar(root, &["build"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let html = std::fs::read_to_string(root.join("public/fakt/index.html")).unwrap();
    assert!(
        html.contains(
            "Sığınacaq həbs yeri deyil. <small class=\"source\">(Plan, 6-cı bölmə)</small>"
        ),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"tel:112\"><bdi dir=\"ltr\">112</bdi></a>"),
        "{html}"
    );

    write(
        root,
        "content/fakt.md",
        "+++\ntitle = \"Fakt\"\n+++\n{{ fact(id=\"no_such_fact\") }}\n",
    );
    let out = xeberdar(root, &["build"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("there is no fact `no_such_fact` in data/facts.toml"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_demo_clip_is_only_in_the_preview_and_drafts_builds() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let drafts = out.path().join("drafts");
    let run = |dir: &Path, extra: &[&str]| {
        let mut args = vec!["build", "--output-dir", dir.to_str().unwrap()];
        args.extend_from_slice(extra);
        let o = xeberdar(repo, &args);
        assert!(o.status.success(), "{}", text(&o.stderr));
    };
    run(&public, &[]);
    run(&drafts, &["--drafts"]);
    for lang in ["", "ru/", "en/"] {
        assert!(
            !public.join(format!("{lang}films/demo")).exists(),
            "{lang}: the public site shows the demo clip"
        );
        assert!(
            drafts
                .join(format!("{lang}films/demo/index.html"))
                .is_file(),
            "{lang}: --drafts leaves the demo clip out"
        );
        let films = read(&public.join(format!("{lang}films/index.html")));
        assert!(
            !films.contains("films/demo/"),
            "{lang}: the films page links the demo"
        );
    }
    let films = read(&public.join("en/films/index.html"));
    assert!(films.contains("No films are published on this site yet."));
}
