//! Headers on every response, no cookies ever, rate limits, CORS limited to the site's
//! origin, and a 503 page with the hotline when the outbox cannot store a tip.

use crate::web_common;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use web_common::{
    header, serve_state, spawn_app, spawn_app_with, test_settings, text, workspace_root,
};
use xeberdar_report::outbox::{Outbox, OutboxError, OutboxId, OutboxMessage, OutboxStats};
use xeberdar_report::seal::{RecipientCert, SealedTip, Sealer};
use xeberdar_report::state::AppState;

fn assert_security_headers(response: &reqwest::Response, what: &str) {
    let h = response.headers();
    let csp = h
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"))
        .to_str()
        .unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(csp.contains("default-src 'none'"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-eval"), "{what}: {csp}");
    assert_eq!(h["referrer-policy"], "no-referrer", "{what}");
    assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(h["cache-control"], "no-store", "{what}");
    assert!(h.get("set-cookie").is_none(), "{what}: a cookie was set");
}

#[tokio::test]
async fn every_response_has_the_security_headers_and_no_cookie() {
    let app = spawn_app().await;
    let checks = [
        ("form", app.get("/report/form").await),
        ("health", app.get("/report/health").await),
        ("challenge", app.get("/report/challenge").await),
        ("pow.js", app.get("/report/pow.js").await),
        ("expired receipt", app.get("/report/r/0000").await),
        ("422", app.post_form(&[("description", "")]).await),
        ("unknown path", app.get("/nothing-here").await),
    ];
    for (what, response) in &checks {
        assert_security_headers(response, what);
    }
    let pow = app.pow().await;
    let ok = app
        .post_form(&[("description", "Header check"), ("pow", &pow)])
        .await;
    assert_eq!(ok.status(), 303);
    assert_security_headers(&ok, "303");
}

#[tokio::test]
async fn inline_blocks_of_a_page_are_allowed_by_hash_only() {
    let app = spawn_app().await;
    let response = app.get("/report/form").await;
    let csp = header(&response, "content-security-policy");
    let html = text(response).await;
    // The embedded base template has one inline <style>; its hash must be in the CSP.
    let start = html.find("<style>").unwrap() + "<style>".len();
    let end = html[start..].find("</style>").unwrap() + start;
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD
        .encode(sha2::Sha256::digest(&html.as_bytes()[start..end]));
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
}

#[tokio::test]
async fn tips_are_rate_limited_per_client_with_a_localized_page() {
    let app = spawn_app_with(|s, _| s.rate_limit.tips_per_hour = 2).await;
    for _ in 0..2 {
        let r = app.post_form(&[("lang", "en"), ("description", "")]).await;
        assert_eq!(r.status(), 422);
    }
    let limited = app
        .post_form_in("ru", &[("lang", "ru"), ("description", "Третья попытка")])
        .await;
    assert_eq!(limited.status(), 429);
    assert_security_headers(&limited, "429");
    let html = text(limited).await;
    assert!(
        html.contains("отправлено слишком много сообщений"),
        "{html}"
    );
    assert!(html.contains("tel:152"));
}

#[tokio::test]
async fn cors_allows_only_the_sites_origin() {
    let app = spawn_app_with(|s, _| {
        s.application.allowed_origin = Some("https://xeberdar.example".into());
    })
    .await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/report/health"))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .send()
    };
    let ours = preflight("https://xeberdar.example").await.unwrap();
    assert_eq!(
        ours.headers()
            .get("access-control-allow-origin")
            .map(|v| v.to_str().unwrap()),
        Some("https://xeberdar.example")
    );
    // Another origin is never named (nor `*`): the browser then refuses the response.
    let theirs = preflight("https://attacker.example").await.unwrap();
    let allowed = theirs
        .headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_string());
    assert_ne!(allowed.as_deref(), Some("https://attacker.example"));
    assert_ne!(allowed.as_deref(), Some("*"));
    assert!(theirs
        .headers()
        .get("access-control-allow-credentials")
        .is_none());
}

/// An outbox whose disk is full.
struct FullDisk;

#[async_trait::async_trait]
impl Outbox for FullDisk {
    async fn enqueue_not_before(
        &self,
        _tips: Vec<SealedTip>,
        _not_before: std::time::SystemTime,
    ) -> Result<Vec<OutboxId>, OutboxError> {
        Err(OutboxError::Unavailable("database or disk is full".into()))
    }
    async fn claim(&self, _: usize, _: Duration) -> Result<Vec<OutboxMessage>, OutboxError> {
        Ok(vec![])
    }
    async fn mark_delivered(&self, _: OutboxId) -> Result<(), OutboxError> {
        Ok(())
    }
    async fn retry_later(&self, _: OutboxId, _: SystemTime, _: &str) -> Result<(), OutboxError> {
        Ok(())
    }
    async fn defer(&self, _: OutboxId, _: SystemTime) -> Result<(), OutboxError> {
        Ok(())
    }
    async fn stats(&self) -> Result<OutboxStats, OutboxError> {
        Err(OutboxError::Unavailable("full".into()))
    }
}

#[tokio::test]
async fn a_full_outbox_answers_503_with_the_hotline_in_the_visitors_language() {
    let data = tempfile::tempdir().unwrap();
    let settings = test_settings(data.path());
    let cert = RecipientCert::load(
        "unit@example.invalid",
        &workspace_root().join("report-endpoint/dev/demo-recipient.public.asc"),
    )
    .unwrap();
    let sealer = Sealer::new("report@example.invalid", vec![cert]).unwrap();
    let state = AppState::new(&settings, Arc::new(sealer), Arc::new(FullDisk), None).unwrap();
    let app = serve_state(state, data).await;

    for (lang, message) in [
        ("az", "Məlumatınızı saxlamaq mümkün olmadı"),
        ("ru", "Сообщение не удалось сохранить"),
        ("en", "Your report could not be saved"),
    ] {
        let html = app
            .post_form_expecting(
                503,
                &[
                    ("lang", lang),
                    ("description", "Disk full test"),
                    ("no_js_answer", "152"),
                ],
            )
            .await;
        assert!(html.contains(message), "{lang}: {html}");
        assert!(html.contains("href=\"tel:152\""), "{lang}");
        assert!(!html.contains("Disk full test"), "{lang}");
    }
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("xeberdar_report_unavailable_total 3"),
        "{metrics}"
    );
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app_with(|s, _| s.application.header_read_timeout_secs = 1).await;
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", app.port))
        .await
        .unwrap();
    stream
        .write_all(b"POST /report HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    // The server closes the connection (or answers 408) instead of waiting forever; the
    // bound only keeps a broken build from hanging the test run.
    let mut buf = vec![0u8; 1024];
    let read = tokio::time::timeout(Duration::from_secs(30), stream.read(&mut buf))
        .await
        .expect("the server ends a slow-loris connection");
    match read {
        Ok(0) | Err(_) => {}
        Ok(n) => {
            let text = String::from_utf8_lossy(&buf[..n]);
            assert!(text.starts_with("HTTP/1.1 408"), "{text}");
        }
    }
}

/// Tip counts over time are sensitive: the public listener has no metrics at any path,
/// and the metrics listener (loopback) has nothing but metrics.
#[tokio::test]
async fn metrics_answer_only_on_their_own_listener() {
    let app = spawn_app().await;
    let accepted = app
        .post_form(&[
            ("lang", "en"),
            ("description", "Counted, not shown"),
            ("no_js_answer", "152"),
        ])
        .await;
    assert_eq!(accepted.status(), 303);
    for path in ["/report/metrics", "/metrics", "/report/metrics/"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "public {path}");
        let body = text(response).await;
        assert!(!body.contains("xeberdar_"), "public {path} shows counters");
    }
    let counters = app.metrics().await;
    assert!(
        counters.contains("xeberdar_report_tips_accepted_total 1"),
        "{counters}"
    );
    assert!(counters.contains("xeberdar_outbox_queued"), "{counters}");
    let port = app.metrics_port.expect("metrics port");
    for path in ["/report", "/report/form", "/report/health", "/"] {
        let response = app
            .client
            .get(format!("http://127.0.0.1:{port}{path}"))
            .send()
            .await
            .expect("metrics listener answers");
        assert_eq!(response.status(), 404, "metrics listener {path}");
    }
}

#[tokio::test]
async fn a_metrics_token_from_a_file_is_required_when_configured() {
    let app = spawn_app_with(|s, data| {
        let file = data.join("metrics-token");
        std::fs::write(&file, "s3cret-scrape-token\n").expect("token file");
        s.metrics.bearer_token_file = Some(file);
        s.metrics
            .resolve_secret_files()
            .expect("the token file is read");
    })
    .await;
    let url = format!(
        "http://127.0.0.1:{}/metrics",
        app.metrics_port.expect("metrics port")
    );
    for auth in [
        None,
        Some("Bearer wrong"),
        Some("Basic czNjcmV0LXNjcmFwZS10b2tlbg=="),
        Some("Bearer s3cret-scrape-toke"),
    ] {
        let mut request = app.client.get(&url);
        if let Some(a) = auth {
            request = request.header("authorization", a);
        }
        let response = request.send().await.expect("answered");
        assert_eq!(response.status(), 401, "{auth:?}");
        assert!(!text(response).await.contains("xeberdar_"), "{auth:?}");
    }
    let response = app
        .client
        .get(&url)
        .header("authorization", "Bearer s3cret-scrape-token")
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 200);
    assert!(text(response)
        .await
        .contains("xeberdar_report_tips_accepted_total 0"));
}
