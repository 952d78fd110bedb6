//! The tip form under `xeberdar serve`, the README's first command: the preview mounts the
//! report endpoint on the site's origin, and a visitor who sends a tip there must land on
//! the receipt with the reference code, with JavaScript on and off, exactly as with the
//! standalone `xeberdar-report`; and with the receipt's follow-up code, add to the report.

use serde_json::json;
use xeberdar_e2e::preview::Preview;
use xeberdar_e2e::site_gates::{assert_no_failures, run_browser};

const REPORT_PAGES: [&str; 3] = ["/report/", "/ru/report/", "/en/report/"];

fn sent_mail(preview: &Preview) -> usize {
    let mail = preview.dir.path().join(".xeberdar/report/mail");
    std::fs::read_dir(&mail)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn a_tip_sent_in_the_preview_shows_its_reference_code_in_chromium() {
    let preview = Preview::start(|_| {}, &[]);
    for mode in ["send-tip", "send-tip-nojs"] {
        let failures = run_browser(json!({
            "mode": mode,
            "baseUrl": preview.base_url(),
            "pages": REPORT_PAGES,
            "text": "Önizləmədə göndərilmiş sınaq məlumatı",
            "noJsAnswer": "152",
        }));
        assert_no_failures(
            &format!("{mode} under xeberdar serve\n{}", preview.log()),
            &failures,
        );
    }
    // Every tip was sealed and handed to the local delivery (an .eml file a tip).
    let expected = 2 * REPORT_PAGES.len();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while sent_mail(&preview) < expected && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(sent_mail(&preview), expected, "{}", preview.log());
}

/// The follow-up form under serve, with JavaScript off (the no-JS question) and on (the
/// proof of work): a tip's receipt shows the follow-up code, its link opens the form, and
/// the addition sent with the code and a picture lands on a page naming the tip's
/// reference code and what was removed from the picture. Both the tips and the additions
/// are sealed and delivered (an .eml file each).
#[test]
fn a_follow_up_sent_in_the_preview_is_joined_to_the_report_in_chromium() {
    let preview = Preview::start(|_| {}, &[]);
    for javascript in [false, true] {
        let failures = run_browser(json!({
            "mode": "send-follow-up",
            "javaScript": javascript,
            "baseUrl": preview.base_url(),
            "pages": REPORT_PAGES,
            "text": "Önizləmədə göndərilmiş sınaq məlumatı",
            "addition": "Sonradan yadıma düşən əlavə",
            "photo": xeberdar_e2e::workspace_root().join("content/films/demo/poster.png").display().to_string(),
            "artifacts": xeberdar_e2e::workspace_root().join("tests/artifacts").display().to_string(),
            "noJsAnswer": "152",
        }));
        assert_no_failures(
            &format!(
                "follow-up with JavaScript {} under xeberdar serve\n{}",
                if javascript { "on" } else { "off" },
                preview.log()
            ),
            &failures,
        );
    }
    let expected = 2 * 2 * REPORT_PAGES.len();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while sent_mail(&preview) < expected && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(sent_mail(&preview), expected, "{}", preview.log());
}

/// The follow-up form in the site's theme, in each language: axe-core finds nothing at
/// 320 px, nothing scrolls sideways, no cookie, no request to another origin.
#[test]
fn the_follow_up_form_passes_the_accessibility_audit() {
    let preview = Preview::start(|_| {}, &[]);
    let pages: Vec<String> = ["az", "ru", "en"]
        .iter()
        .map(|lang| format!("/api/report/followup?lang={lang}"))
        .collect();
    let failures = run_browser(json!({
        "mode": "audit",
        "baseUrl": preview.base_url(),
        "pages": pages,
        "desktopPages": [pages[0].clone()],
        "artifacts": xeberdar_e2e::workspace_root().join("tests/artifacts").display().to_string(),
        "label": "follow-up",
    }));
    assert_no_failures(
        &format!("follow-up form audit\n{}", preview.log()),
        &failures,
    );
}

/// Each route of the endpoint answers under serve as it does standalone: none may get an
/// extra path parameter from the way it is mounted, and the site's own pages and 404s
/// still come from the site.
#[test]
fn every_endpoint_route_answers_under_serve() {
    let preview = Preview::start(|_| {}, &[]);
    let log = || preview.log();
    let (status, head, _) = preview.get("/api/report");
    assert!(
        (300..400).contains(&status),
        "GET of the form's target redirects to the form: {status}\n{head}"
    );
    let (status, _, body) = preview.get("/api/report/form?lang=en");
    assert_eq!(status, 200, "{body}\n{}", log());
    assert!(body.contains("name=\"description\""), "{body}");
    let (status, _, body) = preview.get("/api/report/challenge");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"challenge\""), "{body}");
    let (status, _, body) = preview.get("/api/report/health");
    assert_eq!(status, 200, "{body}");
    let (status, _, body) = preview.get("/api/report/pow.js");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("crypto.subtle"), "{body}");
    // A receipt token that was never issued (or was already shown): the endpoint's
    // neutral "no longer available" page, not a server error.
    let (status, _, body) = preview.get("/api/report/r/AAAAAAAAAAAAAAAAAAAAAAAA");
    assert_eq!(status, 404, "{body}\n{}", log());
    assert!(
        body.contains("Bu səhifə artıq mövcud deyil."),
        "the endpoint's own page in the default language: {body}"
    );
    let (status, _, body) = preview.get("/en/report/");
    assert_eq!(status, 200, "{body}");
    let (status, _, body) = preview.get("/en/no-such-page/");
    assert_eq!(status, 404, "{body}");
    assert!(
        body.contains("lang=\"en\""),
        "the site's own English 404: {body}"
    );
}

/// JavaScript off and the question left empty: the error is the no-JS path's own ("answer
/// the question below"), not the automatic check's, which never ran.
#[test]
fn without_javascript_an_empty_answer_asks_for_the_question() {
    let preview = Preview::start(|_| {}, &[]);
    let failures = run_browser(json!({
        "mode": "nojs-empty-answer",
        "baseUrl": preview.base_url(),
        "pages": REPORT_PAGES,
        "text": "Sual cavabsız qaldı",
        "expected": {
            "az": "Zəhmət olmasa aşağıdakı suala cavab verin: qaynar xəttin nömrəsini yazın.",
            "ru": "Пожалуйста, ответьте на вопрос ниже: введите номер горячей линии.",
            "en": "Please answer the question below: type the number of the hotline.",
        },
        "forbidden": ["Avtomatik yoxlama", "Автоматическая проверка", "automatic check"],
    }));
    assert_no_failures(&format!("no-JS empty answer\n{}", preview.log()), &failures);
}

/// `file?h=hash` of every fingerprinted asset a page links, by file name.
fn hashed_assets(html: &str) -> std::collections::BTreeMap<String, String> {
    html.split(['"', '\''])
        .filter_map(|value| {
            let (url, hash) = value.split_once("?h=")?;
            let file = url.rsplit('/').next()?;
            Some((file.to_string(), hash.to_string()))
        })
        .collect()
}

/// The endpoint renders its own pages (the form with errors, the follow-up form) with the
/// site's theme: they must link the site's stylesheet and scripts under the names the
/// generator's pages use, or every visitor of the form loads them a second time.
#[test]
fn the_endpoints_pages_link_the_assets_under_the_generators_hashes() {
    let preview = Preview::start(|_| {}, &[]);
    let (status, _, home) = preview.get("/");
    assert_eq!(status, 200, "{}", preview.log());
    let generated = hashed_assets(&home);
    for file in ["style.css", "exit.js"] {
        let hash = generated
            .get(file)
            .unwrap_or_else(|| panic!("the home page links {file} with a hash: {generated:?}"));
        assert_eq!(hash.len(), 16, "{file}?h={hash}");
    }
    for page in ["/api/report/form", "/api/report/followup"] {
        let (status, _, html) = preview.get(page);
        assert_eq!(status, 200, "{page}: {}", preview.log());
        let linked = hashed_assets(&html);
        for file in ["style.css", "exit.js"] {
            assert_eq!(
                linked.get(file),
                generated.get(file),
                "{page} links {file} as the generator's pages do"
            );
        }
        let (status, _, _) = preview.get(&format!("/style.css?h={}", linked["style.css"]));
        assert_eq!(status, 200, "the hashed stylesheet {page} links is served");
    }
}
