//! End to end through real components: the real endpoint on 127.0.0.1 takes tips in az, ru
//! and en (urlencoded and multipart) → seals them → the SQLite outbox → the delivery worker
//! → a real SMTP server process (aiosmtpd) → GnuPG decrypts each with the DEMO secret key.
//! Every field arrives intact with the reference code the tipster saw; no outer header and
//! no byte of the outbox file holds tip text, and the reference code is nowhere outside the
//! ciphertext: a relay that sees every mail cannot link a tipster's receipt to one.

use crate::mail_support;
use crate::web_common;

use std::time::Duration;

use mail_support::{
    free_port, header, outer_headers, parse_inner, wait_until, GpgHome, SmtpServer,
};
use web_common::spawn_app_with;
use xeberdar_report::configuration::{MailSettings, SmtpSecurity, SmtpSettings};

struct Sent {
    lang: &'static str,
    fields: Vec<(&'static str, &'static str)>,
    multipart: bool,
    reference: String,
    check: &'static str,
}

#[tokio::test]
async fn tips_in_three_languages_arrive_decryptable_and_intact() {
    let smtp = SmtpServer::start(free_port());
    let smtp_port = smtp.port;
    let app = spawn_app_with(move |s, _| {
        s.mail = MailSettings::Smtp(SmtpSettings {
            host: "127.0.0.1".into(),
            port: smtp_port,
            security: SmtpSecurity::PlainLoopback,
            username: None,
            password: None,
            hello_name: "localhost".into(),
            timeout_secs: 10,
            ca_cert_path: None,
        });
    })
    .await;

    let mut sent = vec![
        Sent {
            lang: "az",
            fields: vec![
                ("kind", "forced_labour"),
                ("country", "Rusiya"),
                ("city", "Moskva"),
                ("place", "tikinti sahəsi, Leninski prospekti"),
                ("when", "2026-cı ilin oktyabrı"),
                ("description", "Qardaşımın pasportunu alıblar, maaş vermirlər.\nEvə qayıtmağa icazə yoxdur."),
                ("involved", "Briqadir Elçin, ağ Gazel 77-XX-123"),
                ("contact", "qardaş: +994 50 000 00 00"),
            ],
            multipart: false,
            reference: String::new(),
            check: "proof_of_work",
        },
        Sent {
            lang: "ru",
            fields: vec![
                ("kind", "sexual_exploitation"),
                ("country", "ОАЭ"),
                ("city", "Дубай"),
                ("description", "Девушкам обещали работу официантками «в отеле», отобрали паспорта."),
                ("contact", ""),
            ],
            multipart: true,
            reference: String::new(),
            check: "proof_of_work",
        },
        Sent {
            lang: "en",
            fields: vec![
                ("kind", "suspicious_offer"),
                ("when", "yesterday"),
                ("description", "An online ad offers 3000 USD/month abroad, visa and flight paid, \"no experience needed\" & <urgent>."),
            ],
            multipart: false,
            reference: String::new(),
            check: "no_js_question",
        },
    ];

    for tip in &mut sent {
        let mut fields: Vec<(&str, String)> = vec![("lang", tip.lang.to_string())];
        fields.extend(tip.fields.iter().map(|(k, v)| (*k, v.to_string())));
        if tip.check == "proof_of_work" {
            fields.push(("pow", app.pow().await));
        } else {
            fields.push(("no_js_answer", "152".into()));
        }
        let response = if tip.multipart {
            let mut form = reqwest::multipart::Form::new();
            for (k, v) in fields {
                form = form.text(k, v);
            }
            app.post_multipart(form).await
        } else {
            app.post_form_owned(fields).await
        };
        tip.reference = app.reference_from(response).await.code;
    }

    wait_until(
        "three emails at the SMTP server",
        Duration::from_secs(60),
        || smtp.count() >= 3,
    )
    .await;
    let messages = smtp.messages();
    assert_eq!(messages.len(), 3, "one email per tip (one recipient)");

    let gpg = GpgHome::with_demo_key();
    let decrypted: Vec<(&Vec<u8>, Vec<u8>)> = messages
        .iter()
        .map(|m| (m, gpg.decrypt_email(m).expect("gpg decrypts")))
        .collect();
    let subjects: std::collections::BTreeSet<String> = messages
        .iter()
        .map(|m| header(&String::from_utf8_lossy(m), "Subject").expect("a Subject"))
        .collect();
    assert_eq!(
        subjects.into_iter().collect::<Vec<_>>(),
        ["New anonymous report"],
        "every outer Subject is the same generic one"
    );
    for tip in &sent {
        let (email, plain) = decrypted
            .iter()
            .find(|(_, plain)| parse_inner(plain).headers.contains(&tip.reference))
            .unwrap_or_else(|| panic!("an email whose protected headers name {}", tip.reference));
        let text = String::from_utf8_lossy(email);
        // The reference code is nowhere in the raw message the relay saw: not in a header
        // (Subject, Message-ID), not in a MIME part header, not in the armour.
        for form in [tip.reference.clone(), tip.reference.replace('-', "")] {
            assert!(
                !text.contains(&form),
                "{}: {form} readable in the raw email:\n{}",
                tip.lang,
                outer_headers(&text)
            );
        }
        let outer = outer_headers(&text);
        assert!(outer.contains("multipart/encrypted"), "{outer}");
        let inner = parse_inner(plain);
        assert_eq!(
            header(&inner.headers, "Subject").as_deref(),
            Some(format!("Anonymous report {} [{}]", tip.reference, tip.lang).as_str()),
            "the protected Subject carries the code"
        );
        assert_eq!(
            header(&inner.headers, "HP-Outer").as_deref(),
            header(&outer, "Message-ID")
                .map(|m| format!("Message-ID: {m}"))
                .as_deref(),
            "the protected part records what the outside showed (RFC 9788)"
        );
        assert!(inner
            .headers
            .contains("HP-Outer: Subject: New anonymous report\r\n"));
        for (_, value) in &tip.fields {
            for word in value.split_whitespace().filter(|w| w.chars().count() > 4) {
                assert!(
                    !text.contains(word),
                    "{}: {word:?} is readable in the email",
                    tip.lang
                );
            }
        }

        let readable = String::from_utf8(inner.part("text/plain").body.clone()).unwrap();
        let readable = readable.replace("\r\n", "\n");
        assert!(readable.contains(&tip.reference), "{readable}");
        let json: serde_json::Value =
            serde_json::from_slice(&inner.part("application/json").body).unwrap();
        assert_eq!(json["reference"], tip.reference.as_str());
        assert_eq!(json["lang"], tip.lang);
        assert_eq!(json["captcha"], tip.check);
        for (name, value) in &tip.fields {
            if value.is_empty() {
                assert!(json[*name].is_null(), "{name}: empty stays empty");
                continue;
            }
            assert_eq!(json[*name], *value, "{}: {name} arrives intact", tip.lang);
            if *name != "kind" {
                assert!(
                    readable.contains(value),
                    "{}: {name} in the text part:\n{readable}",
                    tip.lang
                );
            }
        }
    }

    // The outbox file (and its WAL) never held readable tip text.
    let mut stored = Vec::new();
    for entry in std::fs::read_dir(app.data.path()).unwrap().flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with("outbox.sqlite")
        {
            stored.extend(std::fs::read(entry.path()).unwrap());
        }
    }
    assert!(!stored.is_empty());
    let stored = String::from_utf8_lossy(&stored);
    for tip in &sent {
        for (_, value) in &tip.fields {
            for word in value.split_whitespace().filter(|w| w.chars().count() > 4) {
                assert!(!stored.contains(word), "outbox holds {word:?}");
            }
        }
    }
}

/// Every byte of the outbox's files: the database, its WAL and its shared-memory index.
fn outbox_bytes(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    ["outbox.sqlite", "outbox.sqlite-wal", "outbox.sqlite-shm"]
        .into_iter()
        .filter_map(|name| {
            std::fs::read(dir.join(name))
                .ok()
                .map(|bytes| (name.to_string(), bytes))
        })
        .collect()
}

fn find(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn after_delivery_no_outbox_file_holds_the_reference_code_or_the_ciphertext() {
    // The relay is down at first, so the sealed tips are seen waiting in the outbox.
    let smtp_port = free_port();
    let app = spawn_app_with(move |s, _| {
        s.mail = MailSettings::Smtp(SmtpSettings {
            host: "127.0.0.1".into(),
            port: smtp_port,
            security: SmtpSecurity::PlainLoopback,
            username: None,
            password: None,
            hello_name: "localhost".into(),
            timeout_secs: 10,
            ca_cert_path: None,
        });
    })
    .await;
    let mut codes = Vec::new();
    for description in [
        "Qonşu qızı Türkiyəyə işə aparıblar, əlaqə kəsilib.",
        "Обещали работу в Дубае, паспорт забрали.",
    ] {
        let fields = vec![
            ("lang", "az".to_string()),
            ("kind", "other".to_string()),
            ("description", description.to_string()),
            ("pow", app.pow().await),
        ];
        codes.push(
            app.reference_from(app.post_form_owned(fields).await)
                .await
                .code,
        );
    }
    let waiting: Vec<u8> = outbox_bytes(app.data.path())
        .into_iter()
        .flat_map(|(_, b)| b)
        .collect();
    assert!(
        find(&waiting, b"-----BEGIN PGP MESSAGE-----"),
        "while undelivered, the sealed emails are in the outbox files (the scan sees them)"
    );
    for code in &codes {
        assert!(
            !find(&waiting, code.as_bytes()),
            "{code} stored beside the ciphertext"
        );
        assert!(!find(&waiting, code.replace('-', "").as_bytes()));
    }

    let smtp = SmtpServer::start(smtp_port);
    wait_until("both emails delivered", Duration::from_secs(60), || {
        smtp.count() >= 2
    })
    .await;
    // Lines of the delivered armour (base64 of the ciphertext) and the Message-IDs.
    let mut traces: Vec<String> = Vec::new();
    for raw in smtp.messages() {
        let text = String::from_utf8_lossy(&raw).into_owned();
        traces.extend(
            text.lines()
                .map(|l| l.trim_end_matches('\r'))
                .filter(|l| l.len() == 64 && !l.contains(' '))
                .take(20)
                .map(str::to_owned),
        );
        traces.push(header(&text, "Message-ID").expect("Message-ID"));
    }
    assert!(traces.len() > 20, "armour lines found: {}", traces.len());
    // The outbox empties and then scrubs itself within about a second.
    let dir = app.data.path().to_path_buf();
    let clean = || {
        outbox_bytes(&dir).iter().all(|(_, bytes)| {
            traces.iter().all(|t| !find(bytes, t.as_bytes()))
                && !find(bytes, b"-----BEGIN PGP MESSAGE-----")
        })
    };
    let start = std::time::Instant::now();
    while !clean() && start.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let files = outbox_bytes(app.data.path());
    assert!(
        files
            .iter()
            .any(|(name, b)| name == "outbox.sqlite" && !b.is_empty()),
        "the database file is there to scan"
    );
    for (name, bytes) in &files {
        for code in &codes {
            assert!(!find(bytes, code.as_bytes()), "{name} holds {code}");
            assert!(
                !find(bytes, code.replace('-', "").as_bytes()),
                "{name} holds {code}"
            );
        }
        for t in &traces {
            assert!(
                !find(bytes, t.as_bytes()),
                "{name} still holds {t:?} after delivery"
            );
        }
        assert!(
            !find(bytes, b"-----BEGIN PGP MESSAGE-----"),
            "{name} holds ciphertext"
        );
    }
}
