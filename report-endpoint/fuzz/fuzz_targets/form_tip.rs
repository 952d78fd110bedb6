//! Fuzzes what a visitor's POST goes through: body decoding (urlencoded and multipart, with
//! whatever Content-Type the input picks), `Tip` parsing, the form page re-rendered with
//! errors in the site's theme, and, for valid tips, sealing and the 303 to "received".
//!
//! Two layers per input:
//! 1. the domain directly (`form_urlencoded` → `RawTipForm` → `Tip::parse`) with the
//!    invariants a `Tip` promises checked, and its JSON and text parts built;
//! 2. the real axum router (`startup::router`) answering the same bytes as a request body.
//!    Any panic is a crash, and so is a 500: every input must get a deliberate answer.
//!
//! The outbox is an in-memory stand-in that keeps nothing (the SQLite outbox's durability
//! is tested by the fault runs; here it would only fill the disk at thousands of runs/s).

#![no_main]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;
use xeberdar_report::configuration::{CaptchaKind, Mode, Settings};
use xeberdar_report::domain::{PassedCheck, RawTipForm, ReferenceCode, Tip};
use xeberdar_report::outbox::{Outbox, OutboxError, OutboxId, OutboxMessage, OutboxStats};
use xeberdar_report::seal::{RecipientCert, SealedTip, Sealer};
use xeberdar_report::startup::router;
use xeberdar_report::state::AppState;

const DEMO_CERT: &[u8] = include_bytes!("../../dev/demo-recipient.public.asc");

/// Accepts every sealed tip and forgets it.
struct DiscardOutbox(AtomicI64);

#[async_trait]
impl Outbox for DiscardOutbox {
    async fn enqueue_not_before(
        &self,
        tips: Vec<SealedTip>,
        _: SystemTime,
    ) -> Result<Vec<OutboxId>, OutboxError> {
        Ok(tips
            .iter()
            .map(|_| OutboxId(self.0.fetch_add(1, Ordering::Relaxed)))
            .collect())
    }
    async fn claim(&self, _: usize, _: Duration) -> Result<Vec<OutboxMessage>, OutboxError> {
        Ok(Vec::new())
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
        Ok(OutboxStats::default())
    }
}

struct Harness {
    runtime: tokio::runtime::Runtime,
    router: Router,
    state: AppState,
}

fn harness() -> &'static Harness {
    static H: OnceLock<Harness> = OnceLock::new();
    H.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        let site_dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
        let mut settings = Settings::default();
        settings.application.site_dir = site_dir;
        settings.application.mode = Mode::Bench;
        settings.application.receipt_ttl_secs = 1;
        settings.captcha.kind = CaptchaKind::Off;
        settings.rate_limit.tips_per_hour = u32::MAX;
        settings.rate_limit.no_js_tips_per_hour = u32::MAX;
        let cert = RecipientCert::from_bytes("unit@example.invalid", DEMO_CERT, SystemTime::now())
            .expect("demo certificate");
        let sealer = Arc::new(Sealer::new("fuzz@example.invalid", vec![cert]).expect("sealer"));
        let outbox: Arc<dyn Outbox> = Arc::new(DiscardOutbox(AtomicI64::new(1)));
        let state = runtime
            .block_on(async { AppState::new(&settings, sealer, outbox, None) })
            .expect("state");
        let router = router(state.clone());
        Harness {
            runtime,
            router,
            state,
        }
    })
}

fn check_domain(body: &[u8], h: &Harness) {
    let mut raw = RawTipForm::default();
    for (name, value) in form_urlencoded::parse(body) {
        raw.set(&name, value.into_owned());
    }
    let Ok(tip) = Tip::parse(&raw, &h.state.pages.site.languages) else {
        return;
    };
    let d = tip.description.as_str();
    assert!(!d.is_empty() && d.chars().count() <= 10_000);
    assert!(!d.contains('\r'));
    for (name, value) in tip.filled_fields() {
        assert_eq!(value.trim(), value, "{name} is not trimmed");
        let multiline = matches!(name, "description" | "involved");
        for c in value.chars() {
            assert!(
                !c.is_control() || (multiline && (c == '\n' || c == '\t')),
                "{name} kept control character {c:?}"
            );
        }
    }
    let json = tip.to_json(&ReferenceCode::generate(), PassedCheck::Disabled);
    let text = serde_json::to_string(&json).expect("JSON");
    let _: serde_json::Value = serde_json::from_str(&text).expect("JSON round trip");
}

fuzz_target!(|data: &[u8]| {
    let h = harness();
    let (selector, body) = match data.split_first() {
        Some((s, b)) => (*s, b),
        None => (0, data),
    };
    check_domain(body, h);
    let content_type = match selector % 4 {
        0 | 1 => "application/x-www-form-urlencoded".to_string(),
        2 => "multipart/form-data; boundary=XFUZZ".to_string(),
        // The input chooses the header too (up to its first newline).
        _ => {
            let end = body
                .iter()
                .position(|b| *b == b'\n')
                .unwrap_or(body.len())
                .min(120);
            String::from_utf8_lossy(&body[..end]).into_owned()
        }
    };
    let mut request = Request::builder()
        .method("POST")
        .uri("/report")
        .body(Body::from(body.to_vec()))
        .expect("request");
    if let Ok(v) = content_type.parse() {
        request.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    let response = h
        .runtime
        .block_on(h.router.clone().oneshot(request))
        .expect("infallible router");
    let status = response.status();
    assert!(
        [
            StatusCode::SEE_OTHER,
            StatusCode::BAD_REQUEST,
            StatusCode::PAYLOAD_TOO_LARGE,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            StatusCode::UNPROCESSABLE_ENTITY,
        ]
        .contains(&status),
        "unexpected status {status}"
    );
    let bytes = h
        .runtime
        .block_on(axum::body::to_bytes(response.into_body(), 4 * 1024 * 1024))
        .expect("body");
    if status != StatusCode::SEE_OTHER {
        // Every answer to a browser is a page, never JSON or an empty body.
        assert!(bytes.starts_with(b"<!DOCTYPE html") || bytes.starts_with(b"<!doctype html"));
    }
});
