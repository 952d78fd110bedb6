//! End to end through real components: the real endpoint on 127.0.0.1 takes tips in az, ru
//! and en (urlencoded and multipart) → seals them → the SQLite outbox → the delivery worker
//! → a real SMTP server process (aiosmtpd) → GnuPG decrypts each with the DEMO secret key.
//! Every field arrives intact with the reference code the tipster saw; no outer header and
//! no byte of the outbox file holds tip text.

mod mail_support;
mod web_common;

use std::time::Duration;

use mail_support::{free_port, outer_headers, parse_inner, wait_until, GpgHome, SmtpServer};
use web_common::spawn_app_with;
use xeberdar_report::email_client::{MailSettings, SmtpSecurity, SmtpSettings};

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
    for tip in &sent {
        let email = messages
            .iter()
            .find(|m| String::from_utf8_lossy(m).contains(&tip.reference))
            .unwrap_or_else(|| panic!("an email with reference {}", tip.reference));
        let text = String::from_utf8_lossy(email);
        let outer = outer_headers(&text);
        assert!(
            outer.contains(&format!("New anonymous report {}", tip.reference)),
            "{outer}"
        );
        assert!(outer.contains("multipart/encrypted"), "{outer}");
        for (_, value) in &tip.fields {
            for word in value.split_whitespace().filter(|w| w.chars().count() > 4) {
                assert!(
                    !text.contains(word),
                    "{}: {word:?} is readable in the email",
                    tip.lang
                );
            }
        }

        let inner = parse_inner(&gpg.decrypt_email(email).expect("gpg decrypts"));
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
