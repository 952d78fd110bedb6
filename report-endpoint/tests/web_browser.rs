//! The proof-of-work solver in a real browser: headless Chromium opens the endpoint's form
//! page, `pow.js` fetches a challenge and solves it with WebCrypto, and the solution it
//! wrote into the form is accepted by the endpoint.

mod web_common;

use std::path::PathBuf;
use std::process::Command;

use web_common::spawn_app;

fn chromium() -> PathBuf {
    let path = std::env::var_os("XEBERDAR_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.exists(),
        "{} not found: install Debian's chromium (scripts/test.sh does) or set XEBERDAR_CHROMIUM",
        path.display()
    );
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_solves_the_challenge_and_the_endpoint_accepts_it() {
    let app = spawn_app().await;
    let profile = tempfile::tempdir().unwrap();
    let url = app.url("/report/form?lang=az");
    let chromium = chromium();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--virtual-time-budget=20000",
                "--dump-dom",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(url)
            .output()
    })
    .await
    .unwrap()
    .expect("chromium runs");
    let dom = String::from_utf8_lossy(&output.stdout);
    assert!(
        dom.contains("name=\"description\""),
        "the form page loaded:\n{dom}"
    );
    // The script hid the no-JavaScript question once it had solved the challenge.
    assert!(dom.contains("<div data-no-js=\"\" hidden=\"\">"), "{dom}");
    let marker = "name=\"pow\" value=\"";
    let start = dom.find(marker).expect("the pow field") + marker.len();
    let solution = &dom[start..start + dom[start..].find('"').expect("end of value")];
    assert!(
        solution.starts_with("v1."),
        "a solution was written: {solution:?}"
    );

    let response = app
        .post_form(&[
            ("lang", "az"),
            ("description", "Brauzerdə həll olunmuş yoxlama"),
            ("pow", solution),
        ])
        .await;
    assert_eq!(app.reference_from(response).await.code.len(), 14);
}
