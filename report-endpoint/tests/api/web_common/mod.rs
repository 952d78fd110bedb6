//! Spawns the real endpoint on 127.0.0.1:0 for the `web_*` tests, with a temporary data
//! folder (outbox, `.eml` files), a low proof-of-work difficulty and a known HMAC key, and
//! holds the requests the tests share (GET, POST a form, follow a 303 to the "received"
//! page), so each test shows only what it sends and what it checks.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use secrecy::SecretString;
use sha2::{Digest, Sha256};
use xeberdar_report::configuration::MailSettings;
use xeberdar_report::configuration::Settings;
use xeberdar_report::startup::Application;

pub const POW_KEY: &str = "test-pow-key";

pub struct TestApp {
    pub base: String,
    pub port: u16,
    /// The metrics listener's port (loopback), for apps built with [`spawn_app_with`].
    pub metrics_port: Option<u16>,
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
/// endpoint's fallback pages) unless the test points `site_dir` elsewhere.
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
    s.metrics.listen = Some("127.0.0.1:0".into());
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
    let metrics_port = app.metrics_port();
    tokio::spawn(app.run_until(std::future::pending()));
    TestApp {
        metrics_port,
        ..TestApp::at(port, data)
    }
}

/// Serves a router the test assembled itself, as the standalone server does: each request
/// carries the client's address (for the rate limits).
pub async fn serve_router(router: axum::Router, data: tempfile::TempDir) -> TestApp {
    let (listener, port) = loopback_listener().await;
    let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await });
    TestApp::at(port, data)
}

/// Serves the endpoint's router for `state` and, beside it, the metrics listener, as the
/// standalone server does.
pub async fn serve_state(
    state: xeberdar_report::state::AppState,
    data: tempfile::TempDir,
) -> TestApp {
    let (metrics_listener, metrics_port) = loopback_listener().await;
    let metrics = xeberdar_report::metrics_listener::router(state.clone(), None);
    tokio::spawn(async move { axum::serve(metrics_listener, metrics).await });
    TestApp {
        metrics_port: Some(metrics_port),
        ..serve_router(xeberdar_report::startup::router(state), data).await
    }
}

/// Serves a router as `xeberdar serve` mounts the endpoint: without the client's address.
pub async fn serve_router_without_client_address(
    router: axum::Router,
    data: tempfile::TempDir,
) -> TestApp {
    let (listener, port) = loopback_listener().await;
    tokio::spawn(async move { axum::serve(listener, router).await });
    TestApp::at(port, data)
}

async fn loopback_listener() -> (tokio::net::TcpListener, u16) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let port = listener.local_addr().expect("the bound address").port();
    (listener, port)
}

impl TestApp {
    fn at(port: u16, data: tempfile::TempDir) -> TestApp {
        TestApp {
            base: format!("http://127.0.0.1:{port}"),
            port,
            metrics_port: None,
            client: client(),
            data,
        }
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

    /// The counters from the metrics listener.
    pub async fn metrics(&self) -> String {
        let port = self.metrics_port.expect("a metrics listener");
        let response = self
            .client
            .get(format!("http://127.0.0.1:{port}/metrics"))
            .send()
            .await
            .expect("GET /metrics");
        assert_eq!(response.status(), 200, "metrics listener");
        text(response).await
    }

    /// GET `path`.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// GET `path` as a browser set to `accept_language` asks for it.
    pub async fn get_in(&self, accept_language: &str, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header("accept-language", accept_language)
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// Fetches and solves a proof-of-work challenge.
    pub async fn pow(&self) -> String {
        self.pow_at("/report/challenge").await
    }

    /// Fetches and solves a challenge from `path`.
    pub async fn pow_at(&self, path: &str) -> String {
        let c: Challenge = self.get(path).await.json().await.expect("challenge JSON");
        solve(&c.challenge, c.difficulty)
    }

    /// POSTs `fields` urlencoded to `path`, with an `Accept-Language` header if given.
    async fn post_fields<T: serde::Serialize + ?Sized>(
        &self,
        path: &str,
        accept_language: Option<&str>,
        fields: &T,
    ) -> reqwest::Response {
        let mut request = self.client.post(self.url(path)).form(fields);
        if let Some(l) = accept_language {
            request = request.header("accept-language", l);
        }
        request
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    pub async fn post_form(&self, fields: &[(&str, &str)]) -> reqwest::Response {
        self.post_fields("/report", None, fields).await
    }

    /// Like `post_form`, with owned values.
    pub async fn post_form_owned(&self, fields: Vec<(&str, String)>) -> reqwest::Response {
        self.post_fields("/report", None, &fields).await
    }

    /// Like `post_form`, to another path (an endpoint under another prefix).
    pub async fn post_form_to(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.post_fields(path, None, fields).await
    }

    /// Like `post_form`, from a browser set to `accept_language`.
    pub async fn post_form_in(
        &self,
        accept_language: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        self.post_fields("/report", Some(accept_language), fields)
            .await
    }

    /// POSTs a tip that must be answered with `status` (a refusal) and returns the page.
    pub async fn post_form_expecting(&self, status: u16, fields: &[(&str, &str)]) -> String {
        let response = self.post_form(fields).await;
        let lang = fields.iter().find(|(k, _)| *k == "lang").map(|(_, v)| *v);
        assert_eq!(response.status(), status, "POST /report, lang {lang:?}");
        text(response).await
    }

    /// POSTs a multipart form to `/report`.
    pub async fn post_multipart(&self, form: reqwest::multipart::Form) -> reqwest::Response {
        self.client
            .post(self.url("/report"))
            .multipart(form)
            .send()
            .await
            .expect("POST /report (multipart)")
    }

    /// Follows the 303 that accepted a tip to the "received" page, which must show a
    /// reference code.
    pub async fn reference_from(&self, response: reqwest::Response) -> Receipt {
        assert_eq!(response.status(), 303, "expected a redirect");
        let location = header(&response, "location");
        let page = self.get(&location).await;
        assert_eq!(page.status(), 200);
        let cache_control = header(&page, "cache-control");
        let html = text(page).await;
        let code = reference_code_in(&html).expect("a reference code on the page");
        Receipt {
            location,
            code,
            html,
            cache_control,
        }
    }
}

/// The "received" page a tip was redirected to.
pub struct Receipt {
    /// Where the 303 pointed: `<prefix>/r/<token>`.
    pub location: String,
    pub code: String,
    pub html: String,
    pub cache_control: String,
}

/// A header's value as text; panics naming the header when it is missing.
pub fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .to_string()
}

/// The body as text.
pub async fn text(response: reqwest::Response) -> String {
    response.text().await.expect("a text body")
}

/// Whether `html` contains `before`, `url`, `after` in a row, with the URL as written or as
/// Tera escapes it (`/` as `&#x2F;`): a browser reads both the same.
pub fn contains_with_url(html: &str, before: &str, url: &str, after: &str) -> bool {
    let escaped = url.replace('/', "&#x2F;");
    html.contains(&format!("{before}{url}{after}"))
        || html.contains(&format!("{before}{escaped}{after}"))
}

/// The reference code in a page: `XXXX-XXXX-XXXX` from the unambiguous alphabet, right
/// after `id="reference-code">` (inside a left-to-right `<bdi>` when the template has one).
pub fn reference_code_in(html: &str) -> Option<String> {
    let alphabet = "3479ACEFHJKMNPRTWXY";
    let marker = "id=\"reference-code\">";
    let start = html.find(marker)? + marker.len();
    let rest = html[start..].trim_start_matches("<bdi dir=\"ltr\">");
    let code: String = rest.chars().take(14).collect();
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

/// The follow-up code on a receipt page: seven groups of four after `id="follow-up-code">`,
/// joined by hyphens (the page puts a line-break opportunity, `<wbr>`, after each).
pub fn follow_up_code_in(html: &str) -> Option<String> {
    let marker = "id=\"follow-up-code\">";
    let start = html.find(marker)? + marker.len();
    let rest = html[start..].trim_start_matches("<bdi dir=\"ltr\">");
    let end = rest.find("</")?;
    let code = rest[..end].replace("<wbr>", "");
    let groups: Vec<&str> = code.split('-').collect();
    let alphabet = xeberdar_report::follow_up::ALPHABET;
    let ok = groups.len() == 7
        && groups
            .iter()
            .all(|g| g.len() == 4 && g.bytes().all(|b| alphabet.contains(&b)));
    ok.then_some(code)
}
