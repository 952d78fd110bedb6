//! With the real site (`config.toml`, `i18n/locales`, `themes/xeberdar`), the endpoint
//! answers where the site's form posts (`extra.report_endpoint`), wears the site's theme
//! and speaks its languages; a theme that cannot render falls back to the embedded pages.

use crate::web_common;

use web_common::{
    contains_with_url, header, serve_router_without_client_address, spawn_app, spawn_app_with,
    text, workspace_root,
};

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
        let form = app.get(&format!("{endpoint}/form?lang={lang}")).await;
        assert_eq!(form.status(), 200, "{lang}");
        let html = text(form).await;
        assert!(html.contains(&format!("lang=\"{lang}\"")), "{lang}");
        assert!(html.contains("name=\"description\""), "{lang}");
        assert!(
            contains_with_url(&html, "action=\"", &endpoint, "\""),
            "{lang}: posts back here"
        );
        // The theme's base template, not the embedded one.
        assert!(
            !html.contains("body{font:1rem/1.5 system-ui"),
            "{lang}: theme used"
        );
        // The theme's stylesheet under the name the generator's pages give it.
        let css = std::fs::read(workspace_root().join("themes/xeberdar/static/style.css")).unwrap();
        let hashed = format!(
            "/style.css?h={}\"",
            xeberdar_site::assets::content_hash(&css)
        );
        assert!(html.contains(&hashed), "{lang}: links {hashed}");
    }

    let response = app
        .post_form_to(
            &endpoint,
            &[("lang", "ru"), ("description", ""), ("city", "Гянджа")],
        )
        .await;
    assert_eq!(response.status(), 422);
    let csp = header(&response, "content-security-policy");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let html = text(response).await;
    assert!(html.contains("Заполните это поле."));
    assert!(html.contains("value=\"Гянджа\""));

    let pow = app.pow_at(&format!("{endpoint}/challenge")).await;
    let response = app
        .post_form_to(
            &endpoint,
            &[
                ("lang", "en"),
                ("description", "Theme path tip"),
                ("pow", pow.as_str()),
            ],
        )
        .await;
    // The 303, the page and a reference code on it are checked here.
    let receipt = app.reference_from(response).await;
    assert!(receipt.location.starts_with(&format!("{endpoint}/r/")));
    assert!(
        receipt.html.contains("Your report has been received"),
        "{}",
        receipt.html
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
    let response = app.get("/report/form").await;
    assert_eq!(response.status(), 200);
    let html = text(response).await;
    assert!(html.contains("name=\"description\""));
    assert!(html.contains("Send a report without giving your name"));
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
    let app = serve_router_without_client_address(router, site).await;
    let form = app.get(&format!("{endpoint}/form?lang=az")).await;
    assert_eq!(form.status(), 200);
    let html = text(form).await;
    assert!(
        contains_with_url(&html, "action=\"", &endpoint, "\""),
        "posts where the site's form posts"
    );
    assert_eq!(app.get(&format!("{endpoint}/health")).await.status(), 200);
    let answer = app
        .post_form_to(
            &endpoint,
            &[
                ("lang", "az"),
                ("description", "Yerli sınaq"),
                ("no_js_answer", "152"),
            ],
        )
        .await;
    assert_eq!(answer.status(), 303);
    assert!(app
        .data
        .path()
        .join(".xeberdar/report/outbox.sqlite")
        .exists());
    tasks.shutdown(std::time::Duration::from_secs(5)).await;
}

/// The `<form …>…</form>` element of a page.
fn form_element(html: &str) -> &str {
    let start = html.find("<form ").expect("a <form> element");
    let end = html[start..].find("</form>").expect("the end of the form") + start;
    &html[start..end + "</form>".len()]
}

#[tokio::test]
async fn without_a_site_the_endpoint_shows_the_sites_own_form() {
    // The fallback set embeds the theme's form partial: with no site at all, the form is
    // the same markup, byte for byte, as on the endpoint wearing the real site's theme.
    let bare = spawn_app().await;
    let themed = spawn_app_with(|s, _| s.application.site_dir = workspace_root()).await;
    for lang in ["az", "ru", "en"] {
        let path = format!("/report/form?lang={lang}");
        let bare_html = text(bare.get(&path).await).await;
        let themed_html = text(themed.get(&path).await).await;
        assert!(
            bare_html.contains("body{font:1rem/1.5 system-ui"),
            "{lang}: the endpoint's own frame"
        );
        assert_eq!(
            form_element(&bare_html),
            form_element(&themed_html),
            "{lang}"
        );
    }
}
