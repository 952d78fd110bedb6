//! Follow-up codes end to end through real components: the real endpoint takes a tip,
//! shows its reference code and its follow-up code once, and takes an addition sent with
//! that code (with a photo, whose location data is removed as on the tip form); both go
//! through the outbox (SQLite here, PostgreSQL in the last test) and
//! the delivery worker to a real SMTP server process (aiosmtpd), and GnuPG decrypts both:
//! they name the same reference code, which appears in no outer header. A wrong code is
//! refused with a localized message, guessing is rate limited, and the code is nowhere on
//! disk (outbox files, the data folder, PostgreSQL's data folder), nor in the receipt's
//! address. The logs are checked in `web_logs.rs` (one test per file there).

use crate::attachment_support;
use crate::mail_support;
use crate::pg_support;
use crate::web_common;

use std::path::Path;
use std::time::Duration;

use mail_support::{
    free_port, header, outer_headers, parse_inner, wait_until, GpgHome, SmtpServer,
};
use secrecy::SecretString;
use web_common::{follow_up_code_in, spawn_app_with, text, TestApp};
use xeberdar_report::configuration::{MailSettings, SmtpSecurity, SmtpSettings};
use xeberdar_report::configuration::{Mode, OutboxBackend, Settings};
use xeberdar_report::configuration::{RecipientSettings, SealSettings};
use xeberdar_report::follow_up::{FollowUpCode, FollowUpSecret};

fn smtp_to(s: &mut Settings, port: u16) {
    s.mail = MailSettings::Smtp(SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        security: SmtpSecurity::PlainLoopback,
        username: None,
        password: None,
        hello_name: "localhost".into(),
        timeout_secs: 10,
        ca_cert_path: None,
    });
}

/// A tip sent and its receipt read: (receipt address, reference code, follow-up code).
async fn send_tip(app: &TestApp, lang: &str, description: &str) -> (String, String, String) {
    let fields = vec![
        ("lang", lang.to_string()),
        ("kind", "forced_labour".to_string()),
        ("description", description.to_string()),
        ("pow", app.pow().await),
    ];
    let receipt = app.reference_from(app.post_form_owned(fields).await).await;
    let code = follow_up_code_in(&receipt.html)
        .unwrap_or_else(|| panic!("a follow-up code on the receipt:\n{}", receipt.html));
    (receipt.location, receipt.code, code)
}

async fn post_follow_up(app: &TestApp, fields: &[(&str, String)]) -> reqwest::Response {
    app.client
        .post(app.url("/report/followup"))
        .form(fields)
        .send()
        .await
        .expect("POST /report/followup")
}

/// The forms a code could be written in: as shown, without hyphens, with spaces, in
/// lower case.
fn written_forms(code: &str) -> Vec<String> {
    let plain = code.replace('-', "");
    vec![
        code.to_string(),
        plain.clone(),
        code.replace('-', " "),
        code.to_lowercase(),
        plain.to_lowercase(),
    ]
}

fn find(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Every file under `dir`, with its bytes.
fn every_file(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(every_file(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((path.display().to_string(), bytes));
        }
    }
    out
}

/// Asserts that no file under `dir` holds any written form of `code` or `reference`.
fn assert_not_on_disk(dir: &Path, code: &str, reference: &str) {
    let files = every_file(dir);
    assert!(!files.is_empty(), "{} has files to scan", dir.display());
    let mut needles = written_forms(code);
    needles.push(reference.to_string());
    needles.push(reference.replace('-', ""));
    for (name, bytes) in &files {
        for needle in &needles {
            assert!(!find(bytes, needle.as_bytes()), "{name} holds {needle}");
        }
    }
}

struct Decrypted {
    outer: String,
    raw: String,
    inner: mail_support::InnerEntity,
}

fn decrypt_all(messages: &[Vec<u8>]) -> Vec<Decrypted> {
    let gpg = GpgHome::with_demo_key();
    messages
        .iter()
        .map(|m| {
            let raw = String::from_utf8_lossy(m).into_owned();
            Decrypted {
                outer: outer_headers(&raw),
                inner: parse_inner(&gpg.decrypt_email(m).expect("gpg decrypts")),
                raw,
            }
        })
        .collect()
}

/// Checks the two delivered emails: one tip and one addition, both decrypted, tied by
/// `reference`, and neither showing the reference or the code outside the ciphertext.
fn check_tip_and_addition(
    messages: &[Vec<u8>],
    reference: &str,
    code: &str,
    tip_text: &str,
    addition_text: &str,
) {
    assert_eq!(messages.len(), 2, "the tip and the addition");
    let mails = decrypt_all(messages);
    for mail in &mails {
        assert_eq!(
            header(&mail.outer, "Subject").as_deref(),
            Some("New anonymous report"),
            "the same generic outer Subject for a tip and an addition"
        );
        let mut hidden = written_forms(code);
        hidden.push(reference.to_string());
        hidden.push(reference.replace('-', ""));
        hidden.push("follow".to_string());
        for needle in &hidden {
            assert!(
                !mail.raw.to_lowercase().contains(&needle.to_lowercase()),
                "{needle:?} readable in the raw email:\n{}",
                mail.outer
            );
        }
        assert!(
            mail.inner.headers.contains(reference),
            "the protected headers name {reference}"
        );
    }
    let json = |m: &Decrypted| -> serde_json::Value {
        serde_json::from_slice(&m.inner.part("application/json").body).expect("JSON part")
    };
    let tip = mails
        .iter()
        .find(|m| json(m)["type"].is_null())
        .expect("the tip");
    let addition = mails
        .iter()
        .find(|m| json(m)["type"] == "follow_up")
        .expect("the addition");
    assert_eq!(json(tip)["reference"], reference);
    assert_eq!(json(tip)["description"], tip_text);
    assert_eq!(
        json(addition)["reference"],
        reference,
        "tied by the reference code"
    );
    assert_eq!(json(addition)["description"], addition_text);
    let readable = String::from_utf8(addition.inner.part("text/plain").body.clone())
        .expect("UTF-8 text")
        .replace("\r\n", "\n");
    assert!(readable.contains(reference), "{readable}");
    assert!(readable.contains(addition_text), "{readable}");
    // The default language labels the unit's copy.
    assert!(
        readable.contains("Xəbərdar: veb formadan göndərilmiş məlumata əlavə"),
        "{readable}"
    );
    for mail in &mails {
        let decrypted = format!("{}{:?}", mail.inner.headers, json(mail));
        for form in written_forms(code) {
            assert!(
                !decrypted.contains(&form),
                "the follow-up code itself is never sealed"
            );
        }
    }
}

#[tokio::test]
async fn a_tip_and_its_addition_arrive_decryptable_and_tied_by_the_reference_code() {
    let smtp = SmtpServer::start(free_port());
    let smtp_port = smtp.port;
    let app = spawn_app_with(move |s, _| smtp_to(s, smtp_port)).await;

    let tip_text = "Qardaşımı Rusiyada tikintidə saxlayırlar, pasportu əlindən alınıb.";
    let (location, reference, code) = send_tip(&app, "az", tip_text).await;
    for form in written_forms(&code) {
        assert!(
            !location.contains(&form),
            "the receipt's address {location} holds the code"
        );
    }
    assert!(!location.contains(&reference));
    // Shown once: the receipt cannot be opened again, so the code cannot be shown again.
    let again = app.get(&location).await;
    assert_eq!(again.status(), 404);
    let again = text(again).await;
    assert!(follow_up_code_in(&again).is_none() && !again.contains(&code));

    // The form, in Russian, works without the code in any address.
    let form = text(app.get("/report/followup?lang=ru").await).await;
    assert!(form.contains("name=\"code\""), "{form}");
    assert!(form.contains("Дополнить отправленное сообщение"), "{form}");

    // A code nobody was given: refused, localized, what was typed kept, nothing sent.
    let addition_text = "Вспомнила: бригадира зовут Эльчин, белая «Газель» 77-XX-123.";
    let stranger = FollowUpCode::generate().groups().join("-");
    let refused = post_follow_up(
        &app,
        &[
            ("lang", "ru".into()),
            ("code", stranger.clone()),
            ("description", addition_text.into()),
            ("pow", app.pow().await),
        ],
    )
    .await;
    assert_eq!(refused.status(), 422);
    let page = text(refused).await;
    assert!(
        page.contains("Ни к одному сообщению этот код не относится.")
            && page.contains("Код действует 90 дней"),
        "{page}"
    );
    assert!(page.contains(addition_text), "the text is kept: {page}");
    // Not a code at all (the shorter reference code, by mistake): refused before the
    // anti-bot check, in English.
    let refused = post_follow_up(
        &app,
        &[
            ("lang", "en".into()),
            ("code", reference.clone()),
            ("description", "More".into()),
        ],
    )
    .await;
    assert_eq!(refused.status(), 422);
    let page = text(refused).await;
    assert!(
        page.contains("This is not a follow-up code: a follow-up code has 28 letters and digits."),
        "{page}"
    );

    // The right code, typed in lower case with spaces: accepted, joined to the report.
    let typed = code.replace('-', " ").to_lowercase();
    let accepted = post_follow_up(
        &app,
        &[
            ("lang", "ru".into()),
            ("code", typed),
            ("description", addition_text.into()),
            ("pow", app.pow().await),
        ],
    )
    .await;
    assert_eq!(accepted.status(), 303, "{}", text(accepted).await);
    let receipt = app.reference_from(accepted).await;
    assert_eq!(
        receipt.code, reference,
        "the addition names the tip's reference"
    );
    assert!(
        receipt.html.contains("Ваше дополнение получено"),
        "{}",
        receipt.html
    );
    assert!(follow_up_code_in(&receipt.html).is_none(), "no new code");
    assert!(!receipt.html.contains(&code));

    wait_until(
        "two emails at the SMTP server",
        Duration::from_secs(60),
        || smtp.count() >= 2,
    )
    .await;
    // Nothing more arrives: the refused follow-ups were never sealed.
    tokio::time::sleep(Duration::from_millis(500)).await;
    check_tip_and_addition(&smtp.messages(), &reference, &code, tip_text, addition_text);

    // On disk: the lookup key is in the outbox file (so the scan reads the right files),
    // the code and the reference code nowhere in the data folder.
    let key = FollowUpSecret::demo().lookup_key(&FollowUpCode::parse(&code).expect("a code"));
    let outbox: Vec<u8> = every_file(app.data.path())
        .into_iter()
        .filter(|(name, _)| name.contains("outbox.sqlite"))
        .flat_map(|(_, bytes)| bytes)
        .collect();
    assert!(find(&outbox, &key.0), "the lookup key is stored");
    assert_not_on_disk(app.data.path(), &code, &reference);
}

#[tokio::test]
async fn guessing_codes_is_rate_limited_per_client() {
    let app = spawn_app_with(|s, _| s.rate_limit.follow_ups_per_hour = 3).await;
    for _ in 0..3 {
        let r = post_follow_up(
            &app,
            &[
                ("lang", "az".into()),
                ("code", FollowUpCode::generate().canonical().to_string()),
                ("description", "Təxmin".into()),
                ("pow", app.pow().await),
            ],
        )
        .await;
        assert_eq!(r.status(), 422, "a wrong code is refused");
    }
    let r = app
        .client
        .post(app.url("/report/followup"))
        .header("accept-language", "az")
        .form(&[
            ("lang", "az"),
            ("code", "0000-0000-0000-0000-0000-0000-0000"),
            ("description", "Təxmin"),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 429);
    let page = text(r).await;
    assert!(
        page.contains("Bu bağlantıdan çox əlavə və ya səhv əlavə kodu göndərilib."),
        "{page}"
    );
}

#[tokio::test]
async fn production_without_a_secret_gives_no_follow_up_code_and_says_so() {
    let app = spawn_app_with(|s, _| {
        s.application.mode = Mode::Production;
        s.seal = Some(SealSettings {
            from: "reports@xeberdar.example".into(),
            recipients: vec![RecipientSettings {
                email: mail_support::DEMO_EMAIL.into(),
                cert_path: mail_support::demo_public_cert(),
            }],
        });
    })
    .await;
    let fields = vec![
        ("lang", "en".to_string()),
        ("description", "A tip without follow-ups".to_string()),
        ("pow", app.pow().await),
    ];
    let receipt = app.reference_from(app.post_form_owned(fields).await).await;
    assert!(
        follow_up_code_in(&receipt.html).is_none(),
        "{}",
        receipt.html
    );
    let page = app.get("/report/followup?lang=en").await;
    assert_eq!(page.status(), 200);
    let page = text(page).await;
    assert!(
        page.contains("Adding to a report is not possible on this site.")
            && !page.contains("name=\"code\""),
        "{page}"
    );
    let r = post_follow_up(
        &app,
        &[
            ("lang", "en".into()),
            ("code", FollowUpCode::generate().canonical().to_string()),
            ("description", "More".into()),
        ],
    )
    .await;
    assert_eq!(r.status(), 503);

    // With a secret, production issues codes; a too-short one is refused at startup.
    let mut settings = Settings::default();
    settings.follow_up.secret = Some(SecretString::from("short".to_string()));
    let err = settings.validate().expect_err("a short secret");
    assert!(err.to_string().contains("openssl rand -hex 32"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgresql_the_addition_is_tied_too_and_the_code_is_not_in_the_database_files() {
    let Some(db) = pg_support::TestDatabase::create().await else {
        return;
    };
    let smtp = SmtpServer::start(free_port());
    let smtp_port = smtp.port;
    let url = db.secret_url();
    let secret = "a-shared-secret-of-the-replicas-0123456789";
    let app = spawn_app_with(move |s, _| {
        smtp_to(s, smtp_port);
        s.outbox.backend = OutboxBackend::Postgres;
        s.outbox.postgres_url = Some(url);
        s.follow_up.secret = Some(SecretString::from(secret.to_string()));
    })
    .await;
    let tip_text = "Девушкам обещали работу в отеле в Дубае, паспорта забрали.";
    let (_, reference, code) = send_tip(&app, "ru", tip_text).await;
    // A code no replica issued: refused here too.
    let refused = post_follow_up(
        &app,
        &[
            ("lang", "en".into()),
            ("code", FollowUpCode::generate().canonical().to_string()),
            ("description", "A guess".into()),
            ("pow", app.pow().await),
        ],
    )
    .await;
    assert_eq!(refused.status(), 422);
    assert!(text(refused)
        .await
        .contains("No report has this follow-up code."));
    let addition_text = "Addition: the agency's office is on the second floor.";
    let accepted = post_follow_up(
        &app,
        &[
            ("lang", "en".into()),
            ("code", code.clone()),
            ("description", addition_text.into()),
            ("pow", app.pow().await),
        ],
    )
    .await;
    assert_eq!(accepted.status(), 303);
    assert_eq!(app.reference_from(accepted).await.code, reference);
    wait_until(
        "two emails at the SMTP server",
        Duration::from_secs(60),
        || smtp.count() >= 2,
    )
    .await;
    check_tip_and_addition(&smtp.messages(), &reference, &code, tip_text, addition_text);

    // The table holds one row: the 32-byte lookup key under this secret, and its day.
    let client = db.client().await;
    let rows = client
        .query("SELECT * FROM follow_up_codes", &[])
        .await
        .expect("the follow-up table");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].columns().len(), 2, "lookup key and last day only");
    let stored: Vec<u8> = rows[0].get("lookup_key");
    let key = FollowUpSecret::new(secret.as_bytes())
        .lookup_key(&FollowUpCode::parse(&code).expect("a code"));
    assert_eq!(stored, key.0.to_vec());
    // Written through to the data files, which then hold neither code.
    client
        .batch_execute("CHECKPOINT")
        .await
        .expect("CHECKPOINT");
    let data = pg_support::data_dir();
    let files = every_file(&data);
    assert!(
        files.iter().any(|(_, bytes)| find(bytes, &key.0)),
        "the lookup key is in PostgreSQL's files (the scan reads the right ones)"
    );
    assert_not_on_disk(&data, &code, &reference);
}

#[tokio::test]
async fn an_addition_carries_a_photo_without_its_location() {
    let work = tempfile::tempdir().expect("temp dir");
    let photo = attachment_support::jpeg_with_gps(work.path());
    let smtp = SmtpServer::start(free_port());
    let smtp_port = smtp.port;
    let app = spawn_app_with(move |s, _| smtp_to(s, smtp_port)).await;
    let (_, reference, code) = send_tip(&app, "en", "The van comes at night.").await;

    let form = reqwest::multipart::Form::new()
        .text("lang", "en")
        .text("code", code.clone())
        .text("description", "A photo of the van.")
        .text("pow", app.pow().await)
        .part(
            "attachment",
            reqwest::multipart::Part::bytes(photo)
                .file_name("van at night.jpg")
                .mime_str("image/jpeg")
                .expect("a MIME type"),
        );
    let response = app
        .client
        .post(app.url("/report/followup"))
        .multipart(form)
        .send()
        .await
        .expect("POST /report/followup (multipart)");
    assert_eq!(response.status(), 303, "{}", text(response).await);
    let receipt = app.reference_from(response).await;
    assert_eq!(receipt.code, reference);
    assert!(
        receipt
            .html
            .contains("van at night.jpg: location, camera details, date and time"),
        "{}",
        receipt.html
    );

    wait_until(
        "two emails at the SMTP server",
        Duration::from_secs(60),
        || smtp.count() >= 2,
    )
    .await;
    let mails = decrypt_all(&smtp.messages());
    let addition = mails
        .iter()
        .find(|m| m.inner.headers.contains(&reference) && m.inner.parts.len() > 2)
        .expect("the addition, with its photo");
    let json: serde_json::Value =
        serde_json::from_slice(&addition.inner.part("application/json").body).expect("JSON");
    assert_eq!(json["type"], "follow_up");
    assert_eq!(json["reference"], reference.as_str());
    assert_eq!(json["files"][0]["kind"], "jpeg", "{json}");
    let arrived = work.path().join("arrived.jpg");
    std::fs::write(&arrived, &addition.inner.part("image/jpeg").body).expect("write");
    let tags = attachment_support::exif_json(&arrived);
    assert!(!tags.contains("GPS"), "{tags}");
    for probe in attachment_support::PROBES {
        assert!(!tags.contains(probe), "{probe} survived: {tags}");
    }
    assert!(tags.contains("\"File:ImageWidth\": 96"), "{tags}");
}
