//! `xeberdar serve` as an editor uses it: the real binary serves a temporary copy of the
//! fixture site; the test edits files on disk and waits for what the browser would get.

use crate::editor_support;

use editor_support::{fixture_copy, read, write, Server};

#[test]
fn an_edit_is_rebuilt_and_open_pages_reload() {
    let site = fixture_copy();
    let server = Server::start(site.path(), &["--no-report-endpoint"]);

    let (status, page) = server.get("/help/hotline/");
    assert_eq!(status, 200, "{}", server.log());
    assert!(page.contains("152 nömrəsinə zəng edin."), "{page}");
    assert!(
        page.contains("<script src=\"/_xeberdar/livereload.js\" defer></script></body>"),
        "the live-reload script is injected as an external file: {page}"
    );
    assert!(
        page.contains("class=\"serve-mode\""),
        "templates see serve_mode = true"
    );

    let (status, script) = server.get("/_xeberdar/livereload.js");
    assert_eq!(status, 200);
    assert!(script.contains("new EventSource(\"/_xeberdar/events\")"));

    let mut events = server.events();
    assert_eq!(
        events.next().event,
        "ok",
        "a new page learns the build is fine"
    );

    let text = read(site.path(), "content/help/hotline.md")
        .replace("152 nömrəsinə zəng edin.", "Zəng pulsuzdur, 152 yığın.");
    write(site.path(), "content/help/hotline.md", &text);
    let reload = events.wait_for("reload");
    assert!(
        reload.data.contains("\"/help/hotline/\""),
        "the reload names the changed page, so only its tabs reload: {reload:?}"
    );

    let (_, page) = server.get("/help/hotline/");
    assert!(page.contains("Zəng pulsuzdur, 152 yığın."), "{page}");

    // A new page appears in its section's listing.
    write(
        site.path(),
        "content/help/shelter.md",
        "+++\ntitle = \"Sığınacaq\"\ndescription = \"Təhlükəsiz yer.\"\n+++\nMətn.\n",
    );
    events.wait_for("reload");
    let (status, listing) = server.get("/help/");
    assert_eq!(status, 200);
    assert!(listing.contains(">Sığınacaq</a>"), "{listing}");
    let (status, _) = server.get("/help/shelter/");
    assert_eq!(status, 200);

    // A template edit re-renders every page.
    let base = read(site.path(), "themes/plain/templates/base.html")
        .replace("<p class=\"hotline\">", "<p class=\"hotline edited\">");
    write(site.path(), "themes/plain/templates/base.html", &base);
    events.wait_for("reload");
    let (_, page) = server.get("/ru/help/hotline/");
    assert!(page.contains("class=\"hotline edited\""), "{page}");
}

#[test]
fn a_build_error_shows_as_overlay_data_and_clears_when_fixed() {
    let site = fixture_copy();
    let server = Server::start(site.path(), &["--no-report-endpoint"]);
    let mut events = server.events();
    assert_eq!(events.next().event, "ok");

    let good = read(site.path(), "content/help/hotline.md");
    write(
        site.path(),
        "content/help/hotline.md",
        &good.replace("date = 2024-05-06", "date = 6 May"),
    );
    let errors = events.wait_for("errors");
    let list: serde_json::Value = serde_json::from_str(&errors.data).expect("JSON errors");
    let first = &list[0];
    assert_eq!(first["path"], "content/help/hotline.md", "{list}");
    assert_eq!(first["line"], 4, "{list}");
    assert!(first["col"].as_u64().is_some_and(|c| c >= 1), "{list}");
    assert!(
        !first["message"].as_str().unwrap_or("").is_empty(),
        "{list}"
    );

    // The server keeps running and says so to pages opened now.
    let (status, json) = server.get("/_xeberdar/status");
    assert_eq!(status, 200);
    assert!(json.contains("\"status\":\"failed\""), "{json}");
    let mut late = server.events();
    assert_eq!(
        late.next().event,
        "errors",
        "a page opened now shows the overlay at once"
    );
    let (status, _) = server.get("/");
    assert_eq!(status, 200, "the rest of the site is still served");

    write(site.path(), "content/help/hotline.md", &good);
    events.wait_for("reload");
    late.wait_for("reload");
    let (_, json) = server.get("/_xeberdar/status");
    assert_eq!(json, "{\"status\":\"ok\"}");
    assert!(
        server.log().contains("content/help/hotline.md:4:"),
        "{}",
        server.log()
    );
}

#[test]
fn the_translation_status_page_lists_stale_and_missing_translations() {
    let site = fixture_copy();
    let server = Server::start(site.path(), &["--no-report-endpoint"]);
    let (status, html) = server.get("/_xeberdar/translations");
    assert_eq!(status, 200);
    assert!(html.contains("<td>content/help/hotline.md</td><td class=\"source\">source</td><td class=\"unmarked\">unmarked</td><td class=\"ok\">ok</td>"), "{html}");

    write(
        site.path(),
        "content/help/hotline.md",
        &read(site.path(), "content/help/hotline.md").replace("zəng edin", "indi zəng edin"),
    );
    let (_, html) = server.get("/_xeberdar/translations");
    assert!(html.contains("<td class=\"stale\">stale</td>"), "{html}");
}

/// The overlay in a real browser: headless Chromium shows it over the page with the file,
/// line and message, and the reload after the fix removes it.
#[test]
fn the_overlay_appears_and_clears_in_chromium() {
    let site = fixture_copy();
    let server = Server::start(site.path(), &["--no-report-endpoint"]);
    let result = overlay_in_chromium(&server, site.path());
    let overlay = result["overlayText"].as_str().unwrap_or_default();
    assert!(
        overlay.contains("The site could not be rebuilt: 1 error"),
        "{result}"
    );
    assert!(
        overlay.contains("content/help/hotline.md:4:9 `date` must look like 2024-05-06"),
        "{result}"
    );
    assert_eq!(
        result["overlayPosition"], "fixed",
        "the overlay's stylesheet loaded: {result}"
    );
    assert_eq!(result["cleared"], true, "{result}");
    assert_eq!(result["title"], "Qaynar xətt", "{result}");
    assert_eq!(result["failedRequests"], serde_json::json!([]), "{result}");
}

/// Opens the hotline page in headless Chromium, gives the page a bad `date` and puts the
/// good file back: what the overlay showed, and whether it cleared (`overlay_check.js`).
fn overlay_in_chromium(server: &Server, root: &std::path::Path) -> serde_json::Value {
    let file = root.join("content/help/hotline.md");
    let broken =
        read(root, "content/help/hotline.md").replace("date = 2024-05-06", "date = \"6 May\"");
    let script =
        xeberdar_e2e::workspace_root().join("tests/tests/e2e/editor_support/overlay_check.js");
    let output = std::process::Command::new("node")
        .arg(script)
        .arg(xeberdar_e2e::chromium())
        .arg(format!("http://127.0.0.1:{}/help/hotline/", server.port))
        .arg(&file)
        .arg(&broken)
        .env("NODE_PATH", xeberdar_e2e::node_modules())
        .output()
        .expect("node is installed (scripts/test.sh needs it for the browser tests)");
    let text = String::from_utf8_lossy(&output.stdout);
    let result: serde_json::Value = serde_json::from_str(&text)
        .unwrap_or_else(|_| panic!("{text}\n{}", String::from_utf8_lossy(&output.stderr)));
    assert!(output.status.success(), "{result}\n{}", server.log());
    result
}

/// The overlay's problem lines in the editor's language, in the browser, and the same line
/// on the terminal.
#[test]
fn the_overlay_shows_the_problem_in_the_editors_language() {
    for (lang, heading, message) in [
        (
            "az",
            "Saytı yenidən qurmaq alınmadı: 1 xəta",
            "content/help/hotline.md:4:9 `date` tarixi 2024-05-06 (və ya 2024-05-06T10:00:00+04:00) şəklində yazılmalıdır, amma `6 May` yazılıb",
        ),
        (
            "ru",
            "Не удалось пересобрать сайт. Ошибок: 1",
            "content/help/hotline.md:4:9 `date` нужно записать как 2024-05-06 (или 2024-05-06T10:00:00+04:00), а написано `6 May`",
        ),
    ] {
        let site = fixture_copy();
        let server =
            Server::start_with_language(site.path(), &["--no-report-endpoint"], Some(lang));
        let result = overlay_in_chromium(&server, site.path());
        let overlay = result["overlayText"].as_str().unwrap_or_default();
        assert!(overlay.contains(heading), "{lang}: {result}");
        assert!(overlay.contains(message), "{lang}: {result}");
        assert!(!overlay.contains("must look like"), "{lang}: {result}");
        assert_eq!(result["cleared"], true, "{result}");
        let terminal = message.replacen(" `date`", ": error: `date`", 1);
        let log = server.log_once(|log| log.lines().any(|l| l == terminal));
        assert!(
            log.lines().any(|l| l == terminal),
            "{lang}: the terminal shows\n{terminal}\nin\n{log}"
        );
    }
}

/// Each rebuild replaces a file's problems: a link error from the file's last good version
/// must not stay on screen (or in the terminal) once the file has a different problem.
#[test]
fn a_rebuild_replaces_the_files_old_errors() {
    let site = fixture_copy();
    let server = Server::start(site.path(), &["--no-report-endpoint"]);
    let mut events = server.events();
    assert_eq!(events.next().event, "ok");

    let good = read(site.path(), "content/help/hotline.md");
    let with_link = format!("{good}\n\nBir\n\niki\n\nüç\n\n[Sığınacaq](@/help/nope.md)\n");
    write(site.path(), "content/help/hotline.md", &with_link);
    let errors = events.wait_for("errors");
    assert!(errors.data.contains("@/help/nope.md"), "{errors:?}");

    // Now a front-matter error, and the file is shorter than the line of the old link.
    let short = "+++\ntitle = \"Qaynar xətt\"\ndate = 6 May\n+++\nQısa.\n";
    write(site.path(), "content/help/hotline.md", short);
    let errors = loop {
        let event = events.wait_for("errors");
        if event.data.contains("front matter") {
            break event;
        }
    };
    let list: serde_json::Value = serde_json::from_str(&errors.data).expect("JSON errors");
    let list = list.as_array().expect("a list of errors");
    assert_eq!(list.len(), 1, "only the front-matter error: {list:?}");
    assert_eq!(list[0]["path"], "content/help/hotline.md");
    assert_eq!(list[0]["line"], 3, "{list:?}");
    let (_, status) = server.get("/_xeberdar/status");
    assert!(!status.contains("nope.md"), "{status}");

    // The terminal's last rebuild names only the new problem.
    let log = server.log_once(|log| log.contains("content/help/hotline.md:3:"));
    let last = log.rsplit("rebuilt ").nth(1).unwrap_or(&log);
    assert!(
        !last.contains("nope.md"),
        "the terminal still shows the old error: {last}"
    );
    assert!(last.contains("content/help/hotline.md:3:"), "{log}");
}

/// The preview speaks the editor's language, here chosen in config.toml: the overlay's
/// words (served in the live-reload script) and the terminal's rebuild lines.
#[test]
fn the_preview_speaks_the_editors_language_from_config() {
    let site = fixture_copy();
    write(
        site.path(),
        "config.toml",
        &read(site.path(), "config.toml")
            .replace("[extra]\n", "[extra]\neditor_language = \"ru\"\n"),
    );
    let server = Server::start_with_language(site.path(), &["--no-report-endpoint"], None);
    let (status, script) = server.get("/_xeberdar/livereload.js");
    assert_eq!(status, 200);
    assert!(
        script.contains(r#""other":"Не удалось пересобрать сайт. Ошибок: {n}""#)
            && script
                .contains(r#""hint":"Исправьте файл и сохраните его: страница обновится сама.""#),
        "{script}"
    );
    let mut events = server.events();
    assert_eq!(events.next().event, "ok");
    let good = read(site.path(), "content/help/hotline.md");
    write(
        site.path(),
        "content/help/hotline.md",
        &good.replace("date = 2024-05-06", "date = \"6 May\""),
    );
    let errors = events.wait_for("errors");
    assert!(
        errors
            .data
            .contains("`date` нужно записать как 2024-05-06 (или 2024-05-06T10:00:00+04:00), а написано `6 May`"),
        "the overlay's errors are in the editor's language: {errors:?}"
    );
    let log = server.log_once(|log| log.contains("ошибок в браузере: 1"));
    assert!(log.contains("пересобрано файлов: "), "{log}");
    assert!(log.contains("ошибок в браузере: 1"), "{log}");
}
