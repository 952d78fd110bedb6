//! Quality gates of the public site: the real site, built by the real `xeberdar`
//! binary, served on 127.0.0.1 and checked in Debian's Chromium and by scanning `public/`.
//!
//! One build serves every test in this file; browser runs take turns (two cores).

use std::path::Path;
use std::sync::OnceLock;

use serde_json::json;
use xeberdar_e2e::site_gates::{
    assert_no_failures, files_with_ext, foreign_loads_in_css, foreign_loads_in_html,
    foreign_urls_in_js, gzip_len, is_redirect, run_browser,
};
use xeberdar_e2e::static_site::{build_and_serve, html_pages, BuiltSite};

/// The hotline's `tel:` link must arrive in the first TCP round trip (about 14.6 KB).
const TEL_WITHIN_BYTES: usize = 14_600;
/// The home page with its critical CSS, gzipped.
const HOME_GZIP_MAX: usize = 14 * 1024;
/// Any page with the stylesheet and scripts it loads, not counting media.
const PAGE_MAX: usize = 100 * 1024;
/// All JavaScript of the site, gzipped.
const JS_GZIP_MAX: usize = 5 * 1024;

const LANGS: [&str; 3] = ["az", "ru", "en"];

fn site() -> &'static BuiltSite {
    static SITE: OnceLock<BuiltSite> = OnceLock::new();
    SITE.get_or_init(|| build_and_serve(|_| {}))
}

fn prefix(lang: &str) -> String {
    if lang == "az" {
        String::new()
    } else {
        format!("/{lang}")
    }
}

/// URL paths of every page a visitor can read (redirect stubs left out).
fn page_paths(site: &BuiltSite) -> Vec<String> {
    html_pages(&site.public)
        .into_iter()
        .filter(|(_, file)| std::fs::read_to_string(file).is_ok_and(|html| !is_redirect(&html)))
        .map(|(url, _)| url)
        .collect()
}

fn artifacts() -> String {
    xeberdar_e2e::workspace_root()
        .join("tests/artifacts")
        .display()
        .to_string()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

#[test]
fn every_language_has_the_pages_the_site_promises() {
    let site = site();
    let mut missing = Vec::new();
    for lang in LANGS {
        for page in [
            "",
            "hotline/",
            "report/",
            "safe-browsing/",
            "plan/",
            "films/",
            "job-offer/",
            "passport/",
            "emergency-numbers/",
            "abroad/",
            "training/for-officials/",
        ] {
            let rel = format!("{}/{page}index.html", prefix(lang));
            let file = site.public.join(rel.trim_start_matches('/'));
            if !file.is_file() {
                missing.push(rel);
                continue;
            }
            let html = read(&file);
            if !html.contains(&format!("<html lang=\"{lang}\" dir=\"ltr\">")) {
                missing.push(format!("{rel}: no <html lang=\"{lang}\" dir=\"ltr\">"));
            }
        }
    }
    assert_no_failures("pages in az, ru and en", &missing);
}

#[test]
fn nothing_is_loaded_from_another_origin() {
    let site = site();
    let origin = site.base_url();
    let mut found = Vec::new();
    for file in files_with_ext(&site.public, &["html", "htm", "xml", "svg"]) {
        for f in foreign_loads_in_html(&read(&file), &origin) {
            found.push(format!("{}: {f}", file.display()));
        }
    }
    for file in files_with_ext(&site.public, &["css"]) {
        for f in foreign_loads_in_css(&read(&file), &origin) {
            found.push(format!("{}: {f}", file.display()));
        }
    }
    for file in files_with_ext(&site.public, &["js", "mjs"]) {
        for f in foreign_urls_in_js(&read(&file), &origin) {
            found.push(format!("{}: {f}", file.display()));
        }
    }
    assert_no_failures("loads from other origins in public/", &found);
}

#[test]
fn every_page_has_the_hotline_link_in_its_first_14600_bytes() {
    let site = site();
    let tel = "href=\"tel:152\"";
    let mut late = Vec::new();
    let pages = html_pages(&site.public);
    assert!(pages.len() >= 30, "only {} pages were built", pages.len());
    for (url, file) in pages {
        let html = std::fs::read(&file).expect("read page");
        if is_redirect(&String::from_utf8_lossy(&html)) {
            continue;
        }
        let head = &html[..html.len().min(TEL_WITHIN_BYTES)];
        if !String::from_utf8_lossy(head).contains(tel) {
            late.push(format!(
                "{url}: no {tel} in the first {TEL_WITHIN_BYTES} bytes"
            ));
        }
    }
    assert_no_failures("hotline placement", &late);
}

/// The number for calls from abroad is not confirmed, so the site publishes none (config.toml
/// says why). Every page must then point a visitor abroad to what does work, and no page
/// may offer a phone number other than the hotline.
#[test]
fn without_an_international_number_every_page_says_what_works_from_abroad() {
    let site = site();
    let mut failures = Vec::new();
    // Numbers other than the hotline may be offered only with a source (data/facts.toml).
    let facts: toml::Table = read(&xeberdar_e2e::workspace_root().join("data/facts.toml"))
        .parse()
        .expect("data/facts.toml parses");
    let sourced: Vec<String> = facts
        .values()
        .filter(|f| f.get("source").is_some())
        .filter_map(|f| f.get("number").and_then(|n| n.as_str()))
        .map(|n| n.replace(' ', ""))
        .collect();
    assert!(sourced.contains(&"112".to_string()), "{sourced:?}");
    for (url, file) in html_pages(&site.public) {
        let html = read(&file);
        if is_redirect(&html) {
            continue;
        }
        let lang = LANGS
            .into_iter()
            .find(|l| *l != "az" && url.starts_with(&format!("/{l}/")))
            .unwrap_or("az");
        let abroad = format!("href=\"{}/hotline/#abroad\"", prefix(lang));
        if !html.contains(&abroad) {
            failures.push(format!("{url}: no link {abroad}"));
        }
        for tel in html.split("href=\"tel:").skip(1) {
            let number = tel.split('"').next().unwrap_or_default();
            if number != "152" && !sourced.contains(&number.to_string()) {
                failures.push(format!(
                    "{url}: offers tel:{number}, which is neither the hotline nor a number with its source in data/facts.toml"
                ));
            }
        }
    }
    for lang in LANGS {
        let hotline = read(
            &site
                .public
                .join(prefix(lang).trim_start_matches('/'))
                .join("hotline/index.html"),
        );
        let section = hotline.split("id=\"abroad\"").nth(1).unwrap_or_default();
        let section = section.split("<h2").next().unwrap_or_default();
        if section.is_empty() {
            failures.push(format!(
                "{lang}: the hotline page has no section id=\"abroad\""
            ));
        }
        // Links in Markdown are absolute (base_url); the path is what matters.
        let report = format!("{}/report/\">", prefix(lang));
        if !section.contains(&report) {
            failures.push(format!(
                "{lang}: the abroad section does not link to {report}"
            ));
        }
    }
    assert_no_failures("calls from abroad", &failures);
}

#[test]
fn pages_stay_light() {
    let site = site();
    let mut heavy = Vec::new();
    let mut report = Vec::new();
    for lang in LANGS {
        let rel = format!("{}/index.html", prefix(lang));
        let home = std::fs::read(site.public.join(rel.trim_start_matches('/'))).expect("home");
        let gz = gzip_len(&home);
        report.push(format!("home {lang}: {} B, {gz} B gzipped", home.len()));
        if gz > HOME_GZIP_MAX {
            heavy.push(format!("home page {rel}: {gz} B gzipped > {HOME_GZIP_MAX}"));
        }
    }
    let css: usize = files_with_ext(&site.public, &["css"])
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len() as usize))
        .sum();
    let js_files = files_with_ext(&site.public, &["js", "mjs"]);
    let js: usize = js_files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len() as usize))
        .sum();
    let js_gz: usize = js_files
        .iter()
        .map(|f| gzip_len(&std::fs::read(f).unwrap_or_default()))
        .sum();
    report.push(format!("all CSS {css} B; all JS {js} B, {js_gz} B gzipped"));
    if js_gz > JS_GZIP_MAX {
        heavy.push(format!("JavaScript: {js_gz} B gzipped > {JS_GZIP_MAX}"));
    }
    let mut largest = (0, String::new());
    for (url, file) in html_pages(&site.public) {
        let html = std::fs::metadata(&file).map_or(0, |m| m.len() as usize);
        // Worst case: the page plus every stylesheet and script of the site.
        let total = html + css + js;
        if total > largest.0 {
            largest = (total, url.clone());
        }
        if total > PAGE_MAX {
            heavy.push(format!("{url}: {total} B with CSS and JS > {PAGE_MAX}"));
        }
    }
    report.push(format!(
        "heaviest page with all CSS and JS: {} ({} B)",
        largest.1, largest.0
    ));
    eprintln!("page weights:\n  {}", report.join("\n  "));
    assert_no_failures("page weight", &heavy);
}

#[test]
fn every_page_passes_axe_and_fits_320_px_without_cookies() {
    let site = site();
    let pages = page_paths(site);
    // One page of each template per language is also checked at desktop width.
    let desktop: Vec<String> = LANGS
        .iter()
        .flat_map(|l| {
            let p = prefix(l);
            [
                format!("{p}/"),
                format!("{p}/report/"),
                format!("{p}/plan/"),
                format!("{p}/films/"),
                format!("{p}/training/recognising-trafficking/"),
                format!("{p}/hotline-card/"),
            ]
        })
        .collect();
    let failures = run_browser(json!({
        "mode": "audit",
        "baseUrl": site.base_url(),
        "pages": pages,
        "desktopPages": desktop,
        "artifacts": artifacts(),
        "label": "site",
    }));
    assert_no_failures("axe-core / 320 px / cookies / other origins", &failures);
}

#[test]
fn the_site_works_without_javascript() {
    let site = site();
    let mut pages = Vec::new();
    let mut report_pages = Vec::new();
    for lang in LANGS {
        pages.push(format!("{}/", prefix(lang)));
        pages.push(format!("{}/hotline/", prefix(lang)));
        report_pages.push(format!("{}/report/", prefix(lang)));
    }
    let failures = run_browser(json!({
        "mode": "nojs",
        "baseUrl": site.base_url(),
        "exitUrl": format!("{}/__exit/", site.base_url()),
        "pages": pages,
        "reportPages": report_pages,
    }));
    assert_no_failures("without JavaScript", &failures);
}

#[test]
fn quick_exit_leaves_with_location_replace() {
    let site = site();
    let pages: Vec<String> = LANGS.iter().map(|l| format!("{}/", prefix(l))).collect();
    let failures = run_browser(json!({
        "mode": "exit",
        "baseUrl": site.base_url(),
        "exitUrl": format!("{}/__exit/", site.base_url()),
        "pages": pages,
    }));
    assert_no_failures("quick exit with JavaScript", &failures);
}

#[test]
fn the_report_page_shows_the_hotline_when_the_endpoint_is_down() {
    let site = site();
    let pages: Vec<String> = LANGS
        .iter()
        .map(|l| format!("{}/report/", prefix(l)))
        .collect();
    // Both runs hold the browser lock in turn; the health status is only read by them.
    site.server.set_health_status(200);
    let up = run_browser(json!({
        "mode": "report-up",
        "baseUrl": site.base_url(),
        "pages": pages,
    }));
    site.server.set_health_status(503);
    let down = run_browser(json!({
        "mode": "report-down",
        "baseUrl": site.base_url(),
        "pages": pages,
    }));
    site.server.set_health_status(200);
    assert_no_failures("report page, endpoint up", &up);
    assert_no_failures("report page, endpoint down", &down);
}

/// The headers the site needs ship twice, as `_headers` (copied into `public/`) and as an
/// nginx snippet; both must say the same thing. The browser tests serve `_headers` and
/// fail on any CSP violation, which checks the policy against what pages really load.
#[test]
fn security_headers_ship_for_both_hosts_and_agree() {
    let site = site();
    let headers = xeberdar_e2e::static_site::site_headers(&site.public);
    let get = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("public/_headers has no {name} for /*"))
    };
    let csp = get("Content-Security-Policy");
    assert_eq!(get("Referrer-Policy"), "no-referrer");
    assert!(get("Strict-Transport-Security").contains("max-age="));
    get("Permissions-Policy");
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "form-action 'self'",
    ] {
        assert!(csp.contains(directive), "CSP lacks {directive}: {csp}");
    }
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "CSP must not allow inline code: {csp}"
    );
    let nginx =
        read(&xeberdar_e2e::workspace_root().join("themes/xeberdar/deploy/nginx-headers.conf"));
    for (name, value) in &headers {
        let line = format!("add_header {name} \"{value}\" always;");
        assert!(
            nginx.contains(&line),
            "nginx-headers.conf does not match _headers; expected the line:\n{line}"
        );
    }
}
