//! The logs of real requests, captured at TRACE level for every crate, never contain the
//! tip's text, the client address, the User-Agent, the Referer, the reference code, the
//! follow-up code (nor an addition sent with it, nor a wrong code), the receipt token, or
//! the names and contents of attached files (accepted or refused).
//! In the `process_wide` binary: the log subscriber is global to the test process.

use crate::attachment_support;
use crate::web_common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use tracing_subscriber::fmt::MakeWriter;
use web_common::{follow_up_code_in, reference_code_in, spawn_app};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn logs_hold_no_tip_text_address_user_agent_referer_or_reference() {
    let sink = Captured::default();
    // Everything, from every crate, except the test's own HTTP client (which of course
    // knows the server's address): a leak anywhere in the server shows up here.
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter("trace,hyper_util::client=off,reqwest=off")
        .with_writer(sink.clone())
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("first subscriber");

    let app = spawn_app().await;
    let secret_text = "Zarina-7Q is held in the basement on Nizami street";
    let agent = "PrivacyProbeAgent/9.9";
    let referer = "https://referer-probe.example/page";
    let send = |fields: Vec<(&'static str, String)>| {
        app.client
            .post(app.url("/report"))
            .header("user-agent", agent)
            .header("referer", referer)
            .header("x-forwarded-for", "203.0.113.77")
            .form(&fields)
            .send()
    };
    // An invalid tip, a refused captcha, and an accepted tip.
    let r = send(vec![
        ("lang", "en".into()),
        ("description", String::new()),
        ("contact", secret_text.into()),
    ])
    .await
    .unwrap();
    assert_eq!(r.status(), 422);
    let r = send(vec![
        ("lang", "en".into()),
        ("description", secret_text.into()),
    ])
    .await
    .unwrap();
    assert_eq!(r.status(), 422);
    let pow = app.pow().await;
    let r = send(vec![
        ("lang", "ru".into()),
        ("description", secret_text.into()),
        ("involved", "Контакт-Пробa".into()),
        ("pow", pow),
    ])
    .await
    .unwrap();
    let receipt = app.reference_from(r).await;
    let code = receipt.code;
    let token = receipt.location.rsplit('/').next().unwrap().to_string();
    assert!(reference_code_in(&format!("id=\"reference-code\">{code}")).is_some());
    let follow_up = follow_up_code_in(&receipt.html).expect("a follow-up code");

    // A follow-up with a wrong code, then one with the right code.
    let addition = "Farid-8Z drives the white van at night";
    let wrong = "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ";
    for given in [wrong, follow_up.as_str()] {
        let pow = app.pow().await;
        let r = app
            .client
            .post(app.url("/report/followup"))
            .header("user-agent", agent)
            .header("referer", referer)
            .form(&[
                ("lang", "en"),
                ("code", given),
                ("description", addition),
                ("pow", pow.as_str()),
            ])
            .send()
            .await
            .unwrap();
        let expected = if given == wrong { 422 } else { 303 };
        assert_eq!(r.status(), expected, "{given}");
        if expected == 303 {
            let shown = app.reference_from(r).await;
            assert_eq!(shown.code, code);
        }
    }

    // A tip with a file, and one whose file is refused: neither name nor content is logged.
    let file_tip = |name: &'static str, bytes: Vec<u8>, pow: String| {
        reqwest::multipart::Form::new()
            .text("lang", "en")
            .text("description", "A scan is attached")
            .part(
                "attachment",
                reqwest::multipart::Part::bytes(bytes).file_name(name),
            )
            .text("pow", pow)
    };
    let scan = attachment_support::png(8, 8, b"Content-Probe-Z9 in the image data");
    let r = app
        .post_multipart(file_tip("Probe-Filename-Q7.png", scan, app.pow().await))
        .await;
    assert!(app
        .reference_from(r)
        .await
        .html
        .contains("Probe-Filename-Q7.png"));
    let r = app
        .post_multipart(file_tip(
            "Refused-Probe-K3.txt",
            b"Refused-Content-W4".to_vec(),
            app.pow().await,
        ))
        .await;
    assert_eq!(r.status(), 422);

    // Let the delivery worker pick the tip up and log whatever it logs.
    let mail = app.data.path().join("mail");
    for _ in 0..200 {
        if std::fs::read_dir(&mail)
            .map(|d| d.count() > 0)
            .unwrap_or(false)
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    let logs = String::from_utf8_lossy(&sink.0.lock().unwrap()).to_string();
    assert!(
        logs.contains("request"),
        "request lines are logged:\n{logs}"
    );
    assert!(logs.contains("tip sealed and stored"), "{logs}");
    assert!(logs.contains("follow-up sealed and stored"), "{logs}");
    for forbidden in [
        secret_text,
        "Zarina",
        "Контакт",
        agent,
        referer,
        "referer-probe",
        "127.0.0.1",
        "203.0.113.77",
        code.as_str(),
        token.as_str(),
        addition,
        "Farid",
        wrong,
        &wrong.replace('-', ""),
        follow_up.as_str(),
        &follow_up.replace('-', ""),
        &follow_up.to_lowercase(),
        web_common::POW_KEY,
        "Probe-Filename-Q7",
        "Content-Probe-Z9",
        "Aysel Probe",
        "Refused-Probe-K3",
        "Refused-Content-W4",
    ] {
        assert!(
            !logs.contains(forbidden),
            "the logs contain {forbidden:?}:\n{logs}"
        );
    }
}
