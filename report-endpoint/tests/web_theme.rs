//! With the real site (`config.toml`, `i18n/locales`, `themes/xeberdar`), the endpoint
//! answers where the site's form posts (`extra.report_endpoint`), wears the site's theme
//! and speaks its languages; a theme that cannot render falls back to the embedded pages.

mod web_common;

use web_common::{reference_code_in, spawn_app_with, workspace_root};

fn site_endpoint() -> String {
    let config: toml::Value =
        toml::from_str(&std::fs::read_to_string(workspace_root().join("config.toml")).unwrap())
            .unwrap();
    config["extra"]["report_endpoint"]
        .as_str()
        .expect("the site names its report endpoint")
        .to_string()
}

#[tokio::test]
async fn the_real_site_theme_renders_the_endpoint_pages() {
    // The standalone endpoint answers under its configured prefix (default `/report`), and
    // its own pages post back there.
    let endpoint = "/report".to_string();
    let app = spawn_app_with(|s, _| s.application.site_dir = workspace_root()).await;

    for lang in ["az", "ru", "en"] {
        let form = app
            .client
            .get(app.url(&format!("{endpoint}/form?lang={lang}")))
            .send()
            .await
            .unwrap();
        assert_eq!(form.status(), 200, "{lang}");
        let html = form.text().await.unwrap();
        assert!(html.contains(&format!("lang=\"{lang}\"")), "{lang}");
        assert!(html.contains("name=\"description\""), "{lang}");
        let escaped = endpoint.replace('/', "&#x2F;");
        assert!(
            html.contains(&format!("action=\"{endpoint}\""))
                || html.contains(&format!("action=\"{escaped}\"")),
            "{lang}: posts back here"
        );
        // The theme's base template, not the embedded one.
        assert!(
            !html.contains("body{font:1rem/1.5 system-ui"),
            "{lang}: theme used"
        );
    }

    let response = app
        .client
        .post(app.url(&endpoint))
        .form(&[("lang", "ru"), ("description", ""), ("city", "Гянджа")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let html = response.text().await.unwrap();
    assert!(html.contains("Заполните это поле."));
    assert!(html.contains("value=\"Гянджа\""));

    let pow = app.pow_at(&format!("{endpoint}/challenge")).await;
    let response = app
        .client
        .post(app.url(&endpoint))
        .form(&[
            ("lang", "en"),
            ("description", "Theme path tip"),
            ("pow", pow.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with(&format!("{endpoint}/r/")));
    let html = app
        .client
        .get(app.url(&location))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Your report has been received"), "{html}");
    let marker = "id=\"reference-code\">";
    let at = html.find(marker).expect("code element") + marker.len();
    let code: String = html[at..]
        .trim_start_matches("<bdi dir=\"ltr\">")
        .chars()
        .take(14)
        .collect();
    assert!(
        reference_code_in(&format!("{marker}{code}")).is_some(),
        "code {code:?}"
    );
}

#[tokio::test]
async fn a_broken_theme_falls_back_to_the_embedded_pages() {
    let app = spawn_app_with(|s, data| {
        let site = data.join("broken-site");
        let templates = site.join("themes/broken/templates/report");
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::write(
            site.join("config.toml"),
            "base_url = \"https://example.invalid\"\ntitle = \"T\"\ndefault_language = \"en\"\ntheme = \"broken\"\n[extra]\nhotline_local = \"152\"\nreport_endpoint = \"/report\"\n",
        )
        .unwrap();
        std::fs::write(
            templates.join("form.html"),
            "{{ function_that_does_not_exist() }}",
        )
        .unwrap();
        s.application.site_dir = site;
    })
    .await;
    let response = app
        .client
        .get(app.url("/report/form"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("name=\"description\""));
    assert!(html.contains("Report trafficking anonymously"));
}

#[tokio::test]
async fn local_router_answers_where_the_sites_form_posts() {
    let endpoint = site_endpoint();
    assert!(
        endpoint.starts_with('/'),
        "same-origin endpoint path: {endpoint}"
    );
    // A copy of the site's config with its theme and strings, so local data stays in a
    // temporary folder.
    let site = tempfile::tempdir().unwrap();
    let root = workspace_root();
    std::fs::copy(root.join("config.toml"), site.path().join("config.toml")).unwrap();
    std::os::unix::fs::symlink(root.join("themes"), site.path().join("themes")).unwrap();
    std::os::unix::fs::symlink(root.join("i18n"), site.path().join("i18n")).unwrap();

    let (router, tasks) = xeberdar_report::startup::local_router(site.path()).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    let client = web_common::client();
    let form = client
        .get(format!("{base}{endpoint}/form?lang=az"))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    let html = form.text().await.unwrap();
    let escaped = endpoint.replace('/', "&#x2F;");
    assert!(
        html.contains(&format!("action=\"{endpoint}\""))
            || html.contains(&format!("action=\"{escaped}\"")),
        "posts where the site's form posts"
    );
    let health = client
        .get(format!("{base}{endpoint}/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let answer = client
        .post(format!("{base}{endpoint}"))
        .form(&[
            ("lang", "az"),
            ("description", "Yerli sınaq"),
            ("no_js_answer", "152"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 303);
    assert!(site.path().join(".xeberdar/report/outbox.sqlite").exists());
    tasks.shutdown(std::time::Duration::from_secs(5)).await;
}
