//! What a visitor of the built site sees, in headless Chromium, with JavaScript off and on:
//! a stylesheet the browser accepts in full (and the submit button styled as written), the
//! exit hint, the home page's first heading, the main menu, a header that leaves a phone
//! screen room for the page, who runs the site, the favicon and the 404 pages.

use std::sync::OnceLock;

use serde_json::json;
use xeberdar_e2e::site_gates::{assert_no_failures, files_with_ext, run_browser};
use xeberdar_e2e::static_site::{build_and_serve, BuiltSite};

/// Who runs the site, set in the test copy's config: the footer must show these words.
const OPERATOR: [(&str, &str); 3] = [
    ("az", "Sınaq Təşkilatı"),
    ("ru", "Тестовая организация"),
    ("en", "Test Organisation"),
];

/// The exit bar, the header and the main menu together, as a share of a 320x640 screen.
const HEADER_SHARE_MAX: f64 = 0.35;

fn site() -> &'static BuiltSite {
    static SITE: OnceLock<BuiltSite> = OnceLock::new();
    SITE.get_or_init(|| {
        build_and_serve(|dir| {
            let path = dir.join("config.toml");
            let config = std::fs::read_to_string(&path).expect("read config");
            let start = config
                .find("\noperator = ")
                .expect("config.toml names the operator");
            let end = start + 1 + config[start + 1..].find('\n').unwrap_or(0);
            let table = OPERATOR
                .iter()
                .map(|(l, v)| format!("{l} = \"{v}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let config = format!(
                "{}\noperator = {{ {table} }}{}",
                &config[..start],
                &config[end..]
            );
            std::fs::write(&path, config).expect("write config");
        })
    })
}

#[test]
fn the_theme_css_is_valid_and_the_submit_button_is_styled() {
    let site = site();
    let mut css = Vec::new();
    for file in files_with_ext(&site.public, &["css"]) {
        let text = std::fs::read_to_string(&file).expect("read css");
        css.push(json!({"name": file.display().to_string(), "text": text}));
    }
    // The critical CSS inlined in every page.
    let home = std::fs::read_to_string(site.public.join("index.html")).expect("home page");
    for (i, part) in home.split("<style>").skip(1).enumerate() {
        let text = part.split("</style>").next().unwrap_or_default();
        css.push(json!({"name": format!("index.html <style> #{}", i + 1), "text": text}));
    }
    assert!(
        css.len() >= 2,
        "the stylesheet and the critical CSS: {css:?}"
    );
    let failures = run_browser(json!({
        "mode": "css",
        "baseUrl": site.base_url(),
        "css": css,
        "reportPages": ["/report/", "/ru/report/", "/en/report/"],
    }));
    assert_no_failures("CSS the browser accepts", &failures);
}

#[test]
fn a_visitor_sees_what_the_site_is_and_who_runs_it() {
    let site = site();
    let pages = [
        "/",
        "/ru/",
        "/en/",
        "/hotline/",
        "/ru/report/",
        "/en/films/",
        "/404.html",
        "/ru/404.html",
    ];
    let operator: serde_json::Map<String, serde_json::Value> = OPERATOR
        .iter()
        .map(|(l, v)| ((*l).to_string(), json!(format!("{v}"))))
        .collect();
    let failures = run_browser(json!({
        "mode": "visitor",
        "baseUrl": site.base_url(),
        "pages": pages,
        "headerShareMax": HEADER_SHARE_MAX,
        // The static test server has no report endpoint (its script is not the site's).
        "endpointPath": "/api/report/",
        "operator": operator,
        "homes": {
            "/": {"text": "İnsan alverinə qarşı məlumat və kömək"},
            "/ru/": {"text": "Информация и помощь против торговли людьми", "script": "^[А-Яа-яЁё ,.:-]+$"},
            "/en/": {"text": "Information and help against human trafficking"},
        },
        "notFound": {"/404.html": "/", "/ru/404.html": "/ru/", "/en/404.html": "/en/"},
    }));
    assert_no_failures("what a visitor sees", &failures);
}
