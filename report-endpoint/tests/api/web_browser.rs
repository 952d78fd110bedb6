//! The proof-of-work solver in a real browser: headless Chromium opens the endpoint's form
//! page, `pow.js` fetches a challenge and solves it with WebCrypto, and the solution it
//! wrote into the form is accepted by the endpoint. And with JavaScript off, a photo chosen
//! in the form's file input goes through the same POST and arrives without its GPS data,
//! and the receipt's follow-up code adds to the report through the follow-up form.

use crate::attachment_support;
use crate::mail_support;
use crate::web_common;

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

fn node_modules() -> PathBuf {
    let path = std::env::var_os("XEBERDAR_NODE_MODULES")
        .map(PathBuf::from)
        .unwrap_or_else(|| web_common::workspace_root().join("tests/browser/node_modules"));
    assert!(
        path.join("playwright-core").exists(),
        "{} has no playwright-core: run npm ci in tests/browser (scripts/test.sh does) or set XEBERDAR_NODE_MODULES",
        path.display()
    );
    path
}

/// Runs `tests/browser/<script>` with `job` (in a file under `work`) and returns the JSON
/// it prints.
async fn run_script(
    script: &str,
    job: &serde_json::Value,
    work: &std::path::Path,
) -> serde_json::Value {
    let job_path = work.join("job.json");
    std::fs::write(&job_path, job.to_string()).unwrap();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser")
        .join(script);
    let node_modules = node_modules();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(script)
            .arg(job_path)
            .env("NODE_PATH", node_modules)
            .output()
    })
    .await
    .unwrap()
    .expect("node runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the script prints JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_a_chosen_photo_is_sent_and_arrives_without_gps() {
    let app = spawn_app().await;
    let work = tempfile::tempdir().unwrap();
    let photo = work.path().join("camera.jpg");
    std::fs::write(&photo, attachment_support::jpeg_with_gps(work.path())).unwrap();
    let job = serde_json::json!({
        "chromium": chromium(),
        "url": app.url("/report/form?lang=en"),
        "description": "The advert photo is attached.",
        "noJsAnswer": "152",
        "files": [photo],
    });
    let landed = run_script("upload_without_js.js", &job, work.path()).await;
    assert_eq!(landed["status"], 200, "{landed}");
    let text = landed["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("camera.jpg: location, camera details, date and time"),
        "the receipt says what was removed: {text}"
    );

    // The sealed email in the mail folder: decrypted, its photo part has no GPS or camera.
    let mail = app.data.path().join("mail");
    let mut eml = None;
    for _ in 0..200 {
        eml = std::fs::read_dir(&mail)
            .ok()
            .and_then(|mut d| d.next())
            .and_then(|e| e.ok())
            .map(|e| e.path());
        if eml.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let email = std::fs::read(eml.expect("a sealed email")).unwrap();
    let entity = mail_support::GpgHome::with_demo_key()
        .decrypt_email(&email)
        .expect("gpg decrypts");
    let inner = mail_support::parse_inner(&entity);
    let jpeg = &inner.part("image/jpeg").body;
    let arrived = work.path().join("arrived.jpg");
    std::fs::write(&arrived, jpeg).unwrap();
    let tags = attachment_support::exif_json(&arrived);
    assert!(
        !tags.contains("GPS") && !tags.contains("ProbeCam"),
        "{tags}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_a_follow_up_is_joined_to_its_report() {
    let app = spawn_app().await;
    let work = tempfile::tempdir().unwrap();
    let job = serde_json::json!({
        "chromium": chromium(),
        "url": app.url("/report/form?lang=ru"),
        "description": "Соседку увезли на заработки, паспорт отобрали.",
        "addition": "Вспомнила номер машины: 10-AA-123.",
        "noJsAnswer": "152",
    });
    let seen = run_script("follow_up_without_js.js", &job, work.path()).await;
    assert_eq!(seen["status"], 200, "{seen}");
    let reference = seen["reference"].as_str().unwrap_or_default();
    let code = seen["code"].as_str().unwrap_or_default();
    assert_eq!(reference.len(), 14, "{seen}");
    assert_eq!(code.len(), 34, "seven groups of four: {seen}");
    assert_eq!(
        seen["joined"], reference,
        "the addition names the tip's reference"
    );
    let text = seen["text"].as_str().unwrap_or_default();
    assert!(text.contains("Ваше дополнение получено"), "{text}");
    for address in seen["addresses"].as_array().into_iter().flatten() {
        let address = address.as_str().unwrap_or_default().to_uppercase();
        assert!(
            !address.contains(&code.replace('-', "")) && !address.contains(code),
            "the code in an address: {address}"
        );
    }

    // Both sealed emails in the mail folder; the addition, decrypted, names the reference.
    let mail = app.data.path().join("mail");
    let emails = || -> Vec<PathBuf> {
        std::fs::read_dir(&mail)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default()
    };
    for _ in 0..200 {
        if emails().len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let gpg = mail_support::GpgHome::with_demo_key();
    let json: Vec<serde_json::Value> = emails()
        .iter()
        .map(|path| {
            let entity = gpg
                .decrypt_email(&std::fs::read(path).unwrap())
                .expect("gpg decrypts");
            serde_json::from_slice(
                &mail_support::parse_inner(&entity)
                    .part("application/json")
                    .body,
            )
            .expect("a JSON part")
        })
        .collect();
    assert_eq!(json.len(), 2, "the tip and the addition");
    let addition = json
        .iter()
        .find(|j| j["type"] == "follow_up")
        .expect("the addition");
    assert_eq!(addition["reference"], reference);
    assert_eq!(
        addition["description"],
        "Вспомнила номер машины: 10-AA-123."
    );
}
