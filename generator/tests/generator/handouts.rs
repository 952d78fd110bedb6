//! The printed handouts (content/training/recognising-trafficking/handout.*.pdf, made by
//! data/tools/make_handouts.sh) are read by people who cannot click a link: each must carry
//! the site's real address and the hotline number from config.toml, and no placeholder left
//! unfilled. The text is taken out of the PDF itself with poppler's `pdftotext`, so what is
//! checked is what a printer would print.

use std::path::Path;
use std::process::Command;

use xeberdar::config::Config;

const LANGS: [&str; 3] = ["az", "ru", "en"];

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the generator crate sits in the repository")
}

/// The host part of `base_url`: what a reader types, without the scheme or a path.
fn site_host(config: &Config) -> String {
    let rest = config
        .base_url
        .split_once("://")
        .map_or(config.base_url.as_str(), |(_, rest)| rest);
    rest.split('/').next().unwrap_or(rest).to_string()
}

fn hotline(config: &Config) -> String {
    config.extra["hotline_local"]
        .as_str()
        .expect("config.toml sets [extra] hotline_local")
        .to_string()
}

/// The PDF's text as poppler reads it, lines joined by spaces (a layout may wrap a line).
fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("pdftotext (Debian package poppler-utils) must be installed: {e}")
        });
    assert!(
        out.status.success(),
        "pdftotext could not read {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("pdftotext -enc UTF-8 writes UTF-8")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `number` stands alone in `text` (not as part of a longer digit run).
fn has_number(text: &str, number: &str) -> bool {
    text.match_indices(number).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + number.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// What is wrong with one handout's printed text; empty when it is right.
fn handout_problems(text: &str, host: &str, hotline: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if !text.contains(host) {
        problems.push(format!("the site's address {host} is not printed"));
    }
    if !has_number(text, hotline) {
        problems.push(format!("the hotline number {hotline} is not printed"));
    }
    if let Some(at) = text.find("{{") {
        let rest: String = text[at..].chars().take(20).collect();
        problems.push(format!("a placeholder is left unfilled: {rest}"));
    }
    problems
}

#[test]
fn each_printed_handout_carries_the_site_address_and_hotline_from_config() {
    let config = Config::load(repo()).expect("config.toml loads");
    let host = site_host(&config);
    let number = hotline(&config);
    assert!(
        host.contains('.'),
        "base_url has no host name: {}",
        config.base_url
    );
    for lang in LANGS {
        let pdf = repo().join(format!(
            "content/training/recognising-trafficking/handout.{lang}.pdf"
        ));
        let text = pdf_text(&pdf);
        assert!(
            text.len() > 200,
            "{}: almost no text came out of the PDF ({} bytes)",
            pdf.display(),
            text.len()
        );
        let problems = handout_problems(&text, &host, &number);
        assert!(
            problems.is_empty(),
            "{}: {}; run `bash data/tools/make_handouts.sh` after fixing data/handouts/handout.{lang}.html",
            pdf.display(),
            problems.join("; ")
        );
    }
}

#[test]
fn the_handout_check_fails_on_a_wrong_address_number_or_placeholder() {
    let config = Config::load(repo()).expect("config.toml loads");
    let host = site_host(&config);
    let number = hotline(&config);
    let pdf = repo().join("content/training/recognising-trafficking/handout.en.pdf");
    let text = pdf_text(&pdf);

    // The real PDF, checked against an address and a number it does not print.
    let wrong = handout_problems(&text, "xeberdar-wrong.example", &number);
    assert_eq!(wrong.len(), 1, "{wrong:?}");
    assert!(wrong[0].contains("xeberdar-wrong.example"), "{wrong:?}");
    let wrong = handout_problems(&text, &host, "9152");
    assert_eq!(wrong.len(), 1, "{wrong:?}");
    assert!(wrong[0].contains("9152"), "{wrong:?}");

    // A handout printed from a source whose placeholders were never filled.
    let unfilled = "Report online: {{site}} or call {{hotline}}";
    let problems = handout_problems(unfilled, &host, &number);
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[2].contains("{{site}}"), "{problems:?}");

    // A number inside a longer run of digits is not the hotline.
    assert!(!has_number("call 1520 now", "152"));
    assert!(has_number("call 152.", "152"));
}
