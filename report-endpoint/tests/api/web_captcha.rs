//! The anti-bot checks on the real endpoint: proof of work (missing, wrong, replayed,
//! expired), the no-JavaScript question and its stricter limit, and hCaptcha against a
//! local stand-in that follows hCaptcha's documented siteverify API.

use crate::web_common;

use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use sha2::Sha256;
use web_common::{solve, spawn_app, spawn_app_with, text, POW_KEY};

const CAPTCHA_MESSAGE_EN: &str = "The automatic check did not finish.";

const NO_JS_MISSING_EN: &str = "Please answer the question below: type the number of the hotline.";

/// Refused because neither a script-made answer nor the no-JavaScript answer came: the
/// error asks for the question's answer, and says nothing of an automatic check.
async fn assert_question_asked(response: reqwest::Response, kept: &str) {
    assert_eq!(response.status(), 422);
    let html = text(response).await;
    assert!(html.contains(NO_JS_MISSING_EN), "{html}");
    assert!(!html.contains(CAPTCHA_MESSAGE_EN), "{html}");
    assert!(html.contains(kept), "the typed text is kept: {html}");
}

async fn assert_captcha_refused(response: reqwest::Response, kept: &str) {
    assert_eq!(response.status(), 422);
    let html = text(response).await;
    assert!(html.contains(CAPTCHA_MESSAGE_EN), "{html}");
    assert!(html.contains(kept), "the description is kept");
}

#[tokio::test]
async fn missing_wrong_and_replayed_proofs_of_work_are_refused() {
    let app = spawn_app().await;
    let desc = "A man collects passports at the bus station.";
    let base = [("lang", "en"), ("description", desc)];

    assert_question_asked(app.post_form(&base).await, desc).await;
    assert_captcha_refused(
        app.post_form(&[base[0], base[1], ("pow", "v1.00.1.8.ff:1")])
            .await,
        desc,
    )
    .await;

    let pow = app.pow().await;
    // An unsolved counter on a genuine challenge.
    let (challenge, _) = pow.rsplit_once(':').unwrap();
    let wrong = (0u64..)
        .map(|n| format!("{challenge}:{n}"))
        .find(|s| {
            use sha2::Digest;
            web_common::leading_zero_bits(&Sha256::digest(s.as_bytes())) == 0
        })
        .unwrap();
    assert_captcha_refused(
        app.post_form(&[base[0], base[1], ("pow", &wrong)]).await,
        desc,
    )
    .await;

    let first = app.post_form(&[base[0], base[1], ("pow", &pow)]).await;
    assert_eq!(first.status(), 303);
    let replay = app.post_form(&[base[0], base[1], ("pow", &pow)]).await;
    assert_captcha_refused(replay, desc).await;
}

#[tokio::test]
async fn a_fixed_typo_keeps_the_solved_challenge_usable() {
    let app = spawn_app().await;
    let pow = app.pow().await;
    let bad = app
        .post_form(&[("lang", "en"), ("description", ""), ("pow", &pow)])
        .await;
    assert_eq!(bad.status(), 422);
    let good = app
        .post_form(&[
            ("lang", "en"),
            ("description", "Now filled in."),
            ("pow", &pow),
        ])
        .await;
    assert_eq!(good.status(), 303);
}

/// A difficulty-8 challenge signed with the test key, as the endpoint issues them: its nonce
/// is `nonce_byte` (two hex digits) sixteen times, `expires` in Unix seconds.
fn signed_challenge(nonce_byte: &str, expires: u64) -> String {
    let payload = format!("v1.{}.{expires}.8", nonce_byte.repeat(16));
    let mut mac = Hmac::<Sha256>::new_from_slice(POW_KEY.as_bytes()).unwrap();
    mac.update(payload.as_bytes());
    format!("{payload}.{}", hex::encode(mac.finalize().into_bytes()))
}

#[tokio::test]
async fn an_expired_challenge_is_refused() {
    let app = spawn_app().await;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let solution = solve(&signed_challenge("ab", now - 5), 8);
    let desc = "Expired challenge test.";
    assert_captcha_refused(
        app.post_form(&[("lang", "en"), ("description", desc), ("pow", &solution)])
            .await,
        desc,
    )
    .await;

    // The same construction with a future expiry passes: the refusal above was the expiry.
    let solution = solve(&signed_challenge("cd", now + 600), 8);
    let ok = app
        .post_form(&[("lang", "en"), ("description", desc), ("pow", &solution)])
        .await;
    assert_eq!(ok.status(), 303);
}

#[tokio::test]
async fn the_no_js_question_works_and_has_a_stricter_limit() {
    let app = spawn_app_with(|s, _| {
        s.rate_limit.no_js_tips_per_hour = 1;
        s.rate_limit.tips_per_hour = 10;
    })
    .await;
    let html = app
        .post_form_expecting(
            422,
            &[
                ("lang", "az"),
                ("description", "Sual testi"),
                ("no_js_answer", "911"),
            ],
        )
        .await;
    assert!(html.contains("Bu, qaynar xəttin nömrəsi deyil."), "{html}");
    assert!(html.contains("value=\"911\""));

    let right = app
        .post_form(&[
            ("lang", "az"),
            ("description", "Sual testi"),
            ("no_js_answer", " 152 "),
        ])
        .await;
    assert_eq!(app.reference_from(right).await.code.len(), 14);

    let html = app
        .post_form_expecting(
            429,
            &[
                ("lang", "az"),
                ("description", "Sual testi 2"),
                ("no_js_answer", "152"),
            ],
        )
        .await;
    assert!(
        html.contains("Bu bağlantıdan çox məlumat göndərilib"),
        "{html}"
    );

    // The proof-of-work path is not limited by the no-JS budget.
    let pow = app.pow().await;
    let scripted = app
        .post_form(&[("lang", "az"), ("description", "Skriptlə"), ("pow", &pow)])
        .await;
    assert_eq!(scripted.status(), 303);
}

// --- hCaptcha stand-in --------------------------------------------------------------

/// hCaptcha is a feature of the endpoint (on by default); a build without it has no such check.
#[cfg(feature = "hcaptcha")]
mod hcaptcha {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    use axum::extract::State;
    use axum::routing::post;
    use axum::{Form, Json, Router};
    use secrecy::SecretString;
    use xeberdar_report::configuration::CaptchaKind;

    use super::web_common::{header, spawn_app_with, text};
    use super::{assert_captcha_refused, assert_question_asked};

    const SITE_KEY: &str = "3f2a9c1e-5b7d-4e8a-9c6f-1a2b3c4d5e6f";
    const SECRET: &str = "0x-test-secret-for-the-stand-in";

    #[derive(Default)]
    struct StandIn {
        seen: Mutex<Vec<HashMap<String, String>>>,
        used: Mutex<Vec<String>>,
    }

    /// hCaptcha's siteverify: POST form `secret`, `response`, optional `sitekey`/`remoteip`;
    /// answers `{success, challenge_ts, hostname, error-codes}`.
    async fn siteverify(
        State(s): State<Arc<StandIn>>,
        Form(form): Form<HashMap<String, String>>,
    ) -> Json<serde_json::Value> {
        s.seen.lock().unwrap().push(form.clone());
        let fail = |code: &str| Json(serde_json::json!({"success": false, "error-codes": [code]}));
        if form.get("secret").map(String::as_str) != Some(SECRET) {
            return fail("invalid-input-secret");
        }
        if form.get("sitekey").map(String::as_str) != Some(SITE_KEY) {
            return fail("sitekey-secret-mismatch");
        }
        let token = form.get("response").cloned().unwrap_or_default();
        {
            let mut used = s.used.lock().unwrap();
            if used.contains(&token) {
                return fail("already-seen-response");
            }
            used.push(token.clone());
        }
        let hostname = match token.as_str() {
            "good-token-1" | "good-token-2" => "report.example",
            "other-site-token" => "elsewhere.example",
            _ => return fail("invalid-input-response"),
        };
        Json(serde_json::json!({
            "success": true,
            "challenge_ts": "2026-11-25T18:00:00Z",
            "hostname": hostname,
            "credit": false
        }))
    }

    #[tokio::test]
    async fn hcaptcha_is_checked_with_sitekey_and_hostname_and_never_gets_the_address() {
        let stand_in = Arc::new(StandIn::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let verify_url = format!("http://{}/siteverify", listener.local_addr().unwrap());
        let router = Router::new()
            .route("/siteverify", post(siteverify))
            .with_state(stand_in.clone());
        tokio::spawn(async move { axum::serve(listener, router).await });

        let app = spawn_app_with(move |s, _| {
            s.captcha.kind = CaptchaKind::Hcaptcha;
            s.captcha.hcaptcha_site_key = Some(SITE_KEY.into());
            s.captcha.hcaptcha_secret = Some(SecretString::from(SECRET.to_string()));
            s.captcha.hcaptcha_verify_url = verify_url;
            s.captcha.hcaptcha_hostname = Some("report.example".into());
        })
        .await;

        let form = app.get("/report/form?lang=en").await;
        let csp = header(&form, "content-security-policy");
        assert!(csp.contains("https://*.hcaptcha.com"), "{csp}");
        let html = text(form).await;
        assert!(html.contains(&format!("data-sitekey=\"{SITE_KEY}\"")));

        let desc = "hCaptcha path";
        let post = |token: &'static str| {
            app.post_form_owned(vec![
                ("lang", "en".into()),
                ("description", desc.into()),
                ("h-captcha-response", token.into()),
            ])
        };
        let ok = post("good-token-1").await;
        assert_eq!(ok.status(), 303);
        assert_captcha_refused(post("good-token-1").await, desc).await; // replay
        assert_captcha_refused(post("forged").await, desc).await;
        assert_captcha_refused(post("other-site-token").await, desc).await; // hostname
        assert_question_asked(post("").await, desc).await; // missing: no call made

        let seen = stand_in.seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 4, "one siteverify call per token sent");
        for call in &seen {
            assert!(
                !call.contains_key("remoteip"),
                "the visitor's address is never sent"
            );
            assert_eq!(call.get("sitekey").map(String::as_str), Some(SITE_KEY));
        }
    }
}
