//! Right-to-left readiness: the real site plus a fixture language whose `direction` is
//! `rtl` must render `<html dir="rtl">` and pass the same axe-core and 320 px checks.
//!
//! The fixture language is Arabic (`ar`) with two short pages; its interface strings fall
//! back to the default language, which is enough to prove layout and direction. The fixture
//! also configures a number for calls from abroad (a made-up one: the real number is not
//! confirmed yet, so the real config leaves it out) to prove it renders as a `tel:` link
//! that stays left-to-right inside right-to-left text.

use serde_json::json;
use xeberdar_e2e::site_gates::{assert_no_failures, is_redirect, run_browser};
use xeberdar_e2e::static_site::{build_and_serve, html_pages};

/// Not a real number: only its shape matters here.
const FIXTURE_INTERNATIONAL: &str = "+994 00 000 00 00";

const FIXTURE_LANGUAGE: &str = r#"
[languages.ar]
title = "Xəbərdar"
description = "الخط الساخن 152"
direction = "rtl"
native_name = "العربية"
"#;

#[test]
fn an_rtl_language_renders_right_to_left_and_passes_the_same_gates() {
    let site = build_and_serve(|root| {
        let config_path = root.join("config.toml");
        let mut config = std::fs::read_to_string(&config_path).expect("read config");
        let placeholder = "# hotline_international = \"\"";
        assert!(
            config.contains(placeholder),
            "config.toml lost its international-number slot"
        );
        config = config.replace(
            placeholder,
            &format!("hotline_international = \"{FIXTURE_INTERNATIONAL}\""),
        );
        // Tables must come before [extra]'s keys end; appending a new table is valid TOML.
        config.push_str(FIXTURE_LANGUAGE);
        std::fs::write(&config_path, config).expect("write config");
        std::fs::write(
            root.join("content/_index.ar.md"),
            "+++\ntitle = \"Xəbərdar\"\ndescription = \"الخط الساخن 152\"\n+++\n\n\
             الخط الساخن: 152. الاتصال مجاني، على مدار الساعة.\n",
        )
        .expect("write fixture home");
        std::fs::write(
            root.join("content/hotline.ar.md"),
            "+++\ntitle = \"الخط الساخن 152\"\ndescription = \"الخط الساخن 152\"\n+++\n\n\
             اتصل بالرقم 152. الاتصال مجاني.\n",
        )
        .expect("write fixture page");
    });

    let home = site.public.join("ar/index.html");
    let html = std::fs::read_to_string(&home)
        .unwrap_or_else(|e| panic!("the fixture language's home {}: {e}", home.display()));
    assert!(
        html.contains("<html lang=\"ar\" dir=\"rtl\">"),
        "ar/index.html does not say dir=\"rtl\":\n{}",
        &html[..html.len().min(400)]
    );
    assert!(
        html.contains("<bdi dir=\"ltr\">152</bdi>"),
        "the hotline number is not isolated left-to-right in RTL text"
    );
    let tel = format!("href=\"tel:{}\"", FIXTURE_INTERNATIONAL.replace(' ', ""));
    let isolated = format!("<bdi dir=\"ltr\">{FIXTURE_INTERNATIONAL}</bdi>");
    assert!(
        html.contains(&tel) && html.contains(&isolated),
        "the number for calls from abroad is not a left-to-right tel: link ({tel}, {isolated})"
    );

    let pages: Vec<String> = html_pages(&site.public)
        .into_iter()
        .filter(|(url, file)| {
            url.starts_with("/ar/") && std::fs::read_to_string(file).is_ok_and(|h| !is_redirect(&h))
        })
        .map(|(url, _)| url)
        .collect();
    assert!(pages.len() >= 2, "fixture pages built: {pages:?}");
    let failures = run_browser(json!({
        "mode": "audit",
        "baseUrl": site.base_url(),
        "pages": pages,
        "artifacts": xeberdar_e2e::workspace_root().join("tests/artifacts").display().to_string(),
        "label": "rtl",
    }));
    assert_no_failures("RTL fixture: axe-core / 320 px / cookies", &failures);
}
