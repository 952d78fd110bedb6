//! Spawns the real endpoint on 127.0.0.1:0 for the `web_*` tests, with a temporary data
//! folder (outbox, `.eml` files), a low proof-of-work difficulty and a known HMAC key.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use secrecy::SecretString;
use sha2::{Digest, Sha256};
use xeberdar_report::configuration::Settings;
use xeberdar_report::email_client::MailSettings;
use xeberdar_report::startup::Application;

pub const POW_KEY: &str = "test-pow-key";

pub struct TestApp {
    pub base: String,
    pub port: u16,
    pub client: reqwest::Client,
    pub data: tempfile::TempDir,
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Settings for a test: everything under `data`, a site folder without a theme (the
/// embedded templates) unless the test points `site_dir` elsewhere.
pub fn test_settings(data: &Path) -> Settings {
    let mut s = Settings::default();
    s.application.host = "127.0.0.1".into();
    s.application.port = 0;
    s.application.site_dir = data.join("no-site");
    s.outbox.path = data.join("outbox.sqlite");
    s.mail = MailSettings::Folder {
        path: data.join("mail"),
    };
    s.delivery.poll_interval_ms = 50;
    s.delivery.backoff_base_ms = 50;
    s.delivery.backoff_max_ms = 200;
    s.captcha.pow_difficulty = 8;
    s.captcha.pow_hmac_key = Some(SecretString::from(POW_KEY.to_string()));
    s
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_, _| {}).await
}

pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings, &Path)) -> TestApp {
    let data = tempfile::tempdir().expect("temp dir");
    let mut settings = test_settings(data.path());
    configure(&mut settings, data.path());
    let app = Application::build(settings)
        .await
        .expect("the endpoint starts");
    let port = app.port();
    tokio::spawn(app.run_until(std::future::pending()));
    TestApp {
        base: format!("http://127.0.0.1:{port}"),
        port,
        client: client(),
        data,
    }
}

/// A client like a browser with cookies off: no redirects followed, so tests see the 303.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

#[derive(serde::Deserialize)]
pub struct Challenge {
    pub challenge: String,
    pub difficulty: u8,
}

pub fn leading_zero_bits(hash: &[u8]) -> u32 {
    let mut bits = 0;
    for b in hash {
        if *b == 0 {
            bits += 8;
        } else {
            bits += b.leading_zeros();
            break;
        }
    }
    bits
}

/// Solves a challenge string as `pow.js` does.
pub fn solve(challenge: &str, difficulty: u8) -> String {
    (0u64..)
        .map(|n| format!("{challenge}:{n}"))
        .find(|s| leading_zero_bits(&Sha256::digest(s.as_bytes())) >= u32::from(difficulty))
        .expect("a solution exists")
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Fetches and solves a proof-of-work challenge.
    pub async fn pow(&self) -> String {
        let c: Challenge = self
            .client
            .get(self.url("/report/challenge"))
            .send()
            .await
            .expect("challenge")
            .json()
            .await
            .expect("challenge JSON");
        solve(&c.challenge, c.difficulty)
    }

    pub async fn post_form(&self, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url("/report"))
            .form(fields)
            .send()
            .await
            .expect("POST /report")
    }

    /// Follows a 303 to the received page and returns the reference code shown there.
    pub async fn reference_from(&self, response: reqwest::Response) -> (String, String) {
        assert_eq!(response.status(), 303, "expected a redirect");
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .expect("Location")
            .to_string();
        let page = self
            .client
            .get(self.url(&location))
            .send()
            .await
            .expect("received page");
        assert_eq!(page.status(), 200);
        let html = page.text().await.expect("html");
        let code = reference_code_in(&html).expect("a reference code on the page");
        (location, code)
    }
}

/// The reference code in a page: `XXXX-XXXX-XXXX` from the unambiguous alphabet.
pub fn reference_code_in(html: &str) -> Option<String> {
    let alphabet = "3479ACEFHJKMNPRTWXY";
    let marker = "id=\"reference-code\">";
    let start = html.find(marker)? + marker.len();
    let code: String = html[start..].chars().take(14).collect();
    let ok = code.len() == 14
        && code.chars().enumerate().all(|(i, c)| {
            if i == 4 || i == 9 {
                c == '-'
            } else {
                alphabet.contains(c)
            }
        });
    ok.then_some(code)
}

impl TestApp {
    /// Like `post_form`, with owned values.
    pub async fn post_form_owned(&self, fields: Vec<(&str, String)>) -> reqwest::Response {
        self.client
            .post(self.url("/report"))
            .form(&fields)
            .send()
            .await
            .expect("POST /report")
    }
}

impl TestApp {
    /// Fetches and solves a challenge from `path`.
    pub async fn pow_at(&self, path: &str) -> String {
        let c: Challenge = self
            .client
            .get(self.url(path))
            .send()
            .await
            .expect("challenge")
            .json()
            .await
            .expect("challenge JSON");
        solve(&c.challenge, c.difficulty)
    }
}
