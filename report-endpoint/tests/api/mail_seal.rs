//! Sealing, checked with real GnuPG: what GnuPG 2.2 decrypts, what the outer headers show,
//! padding, one email per recipient, and certificates that must stop startup.

use crate::mail_support;

use std::path::PathBuf;

use mail_support::*;
use xeberdar_report::configuration::{RecipientSettings, SealSettings};
use xeberdar_report::seal::{CertError, CertProblem, RecipientCert, SealError, Sealer, PAD_BLOCK};

const DESCRIPTION: &str = "İşə düzəltmə vədi ilə aparıldılar; pasportları əllərindən alındı.\n\
    Им обещали работу за границей, забрали паспорта.\n\
    They were promised jobs abroad; their passports were taken. <script>alert(1)</script>";

#[test]
fn gnupg_decrypts_a_sealed_tip_with_protected_headers_json_and_padding() {
    let sealer = demo_sealer();
    let sealed = sealer
        .seal(&plaintext("ABCD-EFGH-JKMN", DESCRIPTION))
        .expect("seal");
    assert_eq!(sealed.len(), 1);
    let tip = &sealed[0];
    assert_eq!(tip.recipient(), DEMO_EMAIL);
    assert_eq!(tip.sender(), SENDER);
    let email = String::from_utf8(tip.email().to_vec()).expect("email is ASCII");
    assert!(
        !email.replace("\r\n", "").contains('\n'),
        "bare LF in the email"
    );

    // Outer headers: generic, RFC 3156 structure, no content.
    let outer = outer_headers(&email);
    assert_eq!(
        header(&outer, "Subject").as_deref(),
        Some("New anonymous report")
    );
    for code in ["ABCD-EFGH-JKMN", "ABCDEFGHJKMN"] {
        assert!(
            !email.contains(code),
            "the reference code is readable outside the ciphertext"
        );
    }
    assert_eq!(header(&outer, "To").as_deref(), Some(DEMO_EMAIL));
    assert_eq!(header(&outer, "From").as_deref(), Some(SENDER));
    assert!(header(&outer, "Date").is_some());
    let ct = header(&outer, "Content-Type").expect("Content-Type");
    assert!(ct.starts_with("multipart/encrypted;"), "{ct}");
    assert!(
        ct.contains("protocol=\"application/pgp-encrypted\""),
        "{ct}"
    );
    assert!(email.contains("Content-Type: application/pgp-encrypted\r\n"));
    assert!(email.contains("Version: 1\r\n"));
    let mid = header(&outer, "Message-ID").expect("Message-ID");
    assert_eq!(mid, tip.message_id());
    assert!(
        mid.starts_with('<') && mid.ends_with("@xeberdar.example>"),
        "{mid}"
    );
    for word in [
        "pasport",
        "паспорт",
        "passports",
        "forced_labour",
        "İşə",
        "alert(1)",
    ] {
        assert!(
            !email.contains(word),
            "outer email shows tip content: {word}"
        );
    }

    // GnuPG decrypts it.
    let gpg = GpgHome::with_demo_key();
    let inner = gpg.decrypt_email(tip.email()).expect("gpg decrypts");
    assert_eq!(
        inner.len() % PAD_BLOCK,
        0,
        "plaintext padded to 512-byte blocks"
    );
    let entity = parse_inner(&inner);
    assert_eq!(
        header(&entity.headers, "Subject").as_deref(),
        Some("Anonymous report ABCD-EFGH-JKMN [az]")
    );
    let ct = header(&entity.headers, "Content-Type").expect("inner Content-Type");
    assert!(ct.starts_with("multipart/mixed;") && ct.contains("protected-headers=\"v1\""));
    assert!(ct.contains("hp=\"cipher\""), "{ct}");
    assert!(entity
        .headers
        .contains("HP-Outer: Subject: New anonymous report\r\n"));
    assert_eq!(header(&entity.headers, "To").as_deref(), Some(DEMO_EMAIL));

    let text = String::from_utf8(entity.part("text/plain").body.clone()).expect("UTF-8 text");
    assert!(text.contains("Reference: ABCD-EFGH-JKMN"));
    assert_eq!(
        text.replace("\r\n", "\n")
            .lines()
            .skip(2)
            .collect::<Vec<_>>()
            .join("\n"),
        DESCRIPTION
    );
    let json: serde_json::Value =
        serde_json::from_slice(&entity.part("application/json").body).expect("JSON part");
    assert_eq!(json["description"], DESCRIPTION);
    assert_eq!(json["kind"], "forced_labour");
    assert_eq!(json["reference"], "ABCD-EFGH-JKMN");
}

#[test]
fn ciphertext_size_does_not_follow_the_tip_length() {
    let sealer = demo_sealer();
    let size = |n: usize| {
        sealer
            .seal(&plaintext("ABCD-EFGH-JKMN", &"x".repeat(n)))
            .expect("seal")[0]
            .email()
            .len()
    };
    // 301 different lengths fall into a handful of padded sizes: an observer of the
    // ciphertext learns only a coarse bucket, not the length.
    let sizes: std::collections::BTreeSet<usize> = (0..=300).map(size).collect();
    assert!(
        sizes.len() <= 3,
        "{} distinct sizes: {sizes:?}",
        sizes.len()
    );
    assert!(size(5000) > *sizes.iter().next_back().expect("sizes"));
}

/// The Message-ID is stored with the email, so retries repeat it; it must not be computable
/// from the reference code, or a receipt would point at the tip's mail at any relay.
#[test]
fn message_ids_are_random_not_derived_from_the_reference() {
    let sealer = demo_sealer();
    let a = sealer
        .seal(&plaintext("AAAA-BBBB-CCCC", "one"))
        .expect("seal");
    let again = sealer
        .seal(&plaintext("AAAA-BBBB-CCCC", "one"))
        .expect("seal");
    let other = sealer
        .seal(&plaintext("AAAA-BBBB-DDDD", "one"))
        .expect("seal");
    assert_ne!(a[0].message_id(), again[0].message_id());
    assert_ne!(a[0].message_id(), other[0].message_id());
    assert_ne!(a[0].email(), again[0].email());
    for tip in [&a[0], &again[0], &other[0]] {
        let mid = tip.message_id();
        let hex = mid
            .strip_prefix('<')
            .and_then(|m| m.strip_suffix("@xeberdar.example>"))
            .unwrap_or_else(|| panic!("{mid}"));
        assert!(
            hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
            "{mid}"
        );
    }
}

#[test]
fn two_recipients_get_two_emails_each_readable_only_by_its_key() {
    let alice_home = GpgHome::new();
    let bob_home = GpgHome::new();
    let alice_cert = alice_home.generate("alice@unit.example");
    let bob_cert = bob_home.generate("bob@unit.example");
    let sealer = Sealer::load(&SealSettings {
        from: SENDER.to_owned(),
        recipients: vec![
            RecipientSettings {
                email: "alice@unit.example".into(),
                cert_path: alice_cert,
            },
            RecipientSettings {
                email: "bob@unit.example".into(),
                cert_path: bob_cert,
            },
        ],
    })
    .expect("both certificates are valid");
    let sealed = sealer
        .seal(&plaintext("QRST-VWXY-Z234", DESCRIPTION))
        .expect("seal");
    assert_eq!(sealed.len(), 2);
    let to_alice = sealed
        .iter()
        .find(|s| s.recipient() == "alice@unit.example")
        .expect("alice's email");
    let to_bob = sealed
        .iter()
        .find(|s| s.recipient() == "bob@unit.example")
        .expect("bob's email");
    assert_ne!(to_alice.message_id(), to_bob.message_id());
    let alice_outer = String::from_utf8_lossy(to_alice.email()).into_owned();
    assert_eq!(
        header(&alice_outer, "To").as_deref(),
        Some("alice@unit.example")
    );

    let inner = alice_home
        .decrypt_email(to_alice.email())
        .expect("alice decrypts hers");
    let json: serde_json::Value =
        serde_json::from_slice(&parse_inner(&inner).part("application/json").body).expect("json");
    assert_eq!(json["description"], DESCRIPTION);
    bob_home
        .decrypt_email(to_bob.email())
        .expect("bob decrypts his");

    let err = alice_home
        .decrypt_email(to_bob.email())
        .expect_err("alice cannot read bob's copy");
    assert!(
        err.contains("No secret key") || err.contains("decryption failed"),
        "{err}"
    );
    bob_home
        .decrypt_email(to_alice.email())
        .expect_err("bob cannot read alice's copy");
}

fn fixture(name: &str) -> PathBuf {
    crate_dir().join("tests/fixtures/certs").join(name)
}

fn load_err(path: PathBuf) -> (String, CertError) {
    let err = Sealer::load(&SealSettings {
        from: SENDER.to_owned(),
        recipients: vec![RecipientSettings {
            email: "officer@unit.example".into(),
            cert_path: path,
        }],
    })
    .expect_err("must stop startup");
    (err.to_string(), err)
}

#[test]
fn an_expired_certificate_stops_startup_naming_file_and_reason() {
    let (msg, err) = load_err(fixture("expired.public.asc"));
    assert!(
        matches!(
            err,
            CertError::Invalid {
                problem: CertProblem::Expired(_),
                ..
            }
        ),
        "{msg}"
    );
    assert!(
        msg.contains("expired.public.asc") && msg.contains("expired on 2020-12-31"),
        "{msg}"
    );
}

#[test]
fn a_revoked_certificate_stops_startup() {
    let (msg, err) = load_err(fixture("revoked.public.asc"));
    assert!(
        matches!(
            err,
            CertError::Invalid {
                problem: CertProblem::Revoked(_),
                ..
            }
        ),
        "{msg}"
    );
    assert!(
        msg.contains("revoked.public.asc") && msg.contains("revoked"),
        "{msg}"
    );
}

#[test]
fn a_certificate_without_encryption_key_stops_startup() {
    let (msg, err) = load_err(fixture("sign-only.public.asc"));
    assert!(
        matches!(
            err,
            CertError::Invalid {
                problem: CertProblem::NoEncryptionKey(_),
                ..
            }
        ),
        "{msg}"
    );
    assert!(
        msg.contains("sign-only.public.asc") && msg.contains("no valid encryption key"),
        "{msg}"
    );
}

#[test]
fn missing_garbage_and_empty_settings_are_clear_errors() {
    let (msg, _) = load_err(fixture("does-not-exist.asc"));
    assert!(
        msg.contains("does-not-exist.asc") && msg.contains("cannot read"),
        "{msg}"
    );

    let dir = tempfile::tempdir().expect("tmp");
    let garbage = dir.path().join("garbage.asc");
    std::fs::write(
        &garbage,
        "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot base64 at all\n",
    )
    .expect("write");
    let (msg, err) = load_err(garbage);
    assert!(
        matches!(
            err,
            CertError::Invalid {
                problem: CertProblem::NotACertificate(_),
                ..
            }
        ),
        "{msg}"
    );

    let err = Sealer::load(&SealSettings {
        from: SENDER.to_owned(),
        recipients: vec![],
    })
    .expect_err("no recipients");
    assert!(matches!(err, CertError::NoRecipients));

    let bytes = std::fs::read(demo_public_cert()).expect("demo cert");
    let err = RecipientCert::from_bytes("not an address", &bytes, std::time::SystemTime::now())
        .expect_err("bad address");
    assert!(matches!(err, CertProblem::BadAddress(_)));
}

#[test]
fn the_demo_certificate_uses_its_encryption_subkey() {
    let sealer = demo_sealer();
    let r = sealer.recipients().next().expect("one recipient");
    assert_eq!(r.fingerprint(), "FBF5CA33E330398C2A55965D3866CECBD6B5EEDB");
    assert_ne!(r.encryption_fingerprint(), r.fingerprint());
}

#[test]
fn header_injection_through_reference_or_lang_is_refused() {
    let sealer = demo_sealer();
    let mut p = plaintext("ABCD-EFGH-JKMN", "x");
    p.reference = "ABCD\r\nBcc: someone@example.com".into();
    assert!(matches!(sealer.seal(&p), Err(SealError::InvalidReference)));
    // A language is a code (letters, digits, `-`), so it cannot hold a line break at all;
    // one longer than the header allows is refused.
    assert!(xeberdar_report::domain::Lang::new("az\r\nX-Evil: 1").is_err());
    let mut p = plaintext("ABCD-EFGH-JKMN", "x");
    p.lang = "az-abcdefgh-abcdefgh".parse().expect("a language code");
    assert!(matches!(sealer.seal(&p), Err(SealError::InvalidLang)));
}

#[test]
fn debug_output_never_shows_plaintext() {
    let p = plaintext("ABCD-EFGH-JKMN", "secret words");
    let shown = format!("{p:?}");
    assert!(!shown.contains("secret words"), "{shown}");
    let sealed = demo_sealer().seal(&p).expect("seal");
    let shown = format!("{:?}", sealed[0]);
    assert!(!shown.contains("BEGIN PGP"), "{shown}");
}

#[test]
fn a_generated_demo_key_pair_is_accepted_and_gnupg_decrypts_with_it() {
    let pair = xeberdar_report::seal::generate_demo_key_pair("local-demo@example.invalid")
        .expect("generate");
    assert!(pair.public_armored.contains("BEGIN PGP PUBLIC KEY BLOCK"));
    assert!(pair.secret_armored.contains("BEGIN PGP PRIVATE KEY BLOCK"));
    let dir = tempfile::tempdir().expect("tmp");
    let public = dir.path().join("demo.public.asc");
    let secret = dir.path().join("demo.secret.asc");
    std::fs::write(&public, &pair.public_armored).expect("write public");
    std::fs::write(&secret, &pair.secret_armored).expect("write secret");

    let sealer = Sealer::load(&SealSettings {
        from: SENDER.to_owned(),
        recipients: vec![RecipientSettings {
            email: "local-demo@example.invalid".into(),
            cert_path: public,
        }],
    })
    .expect("the generated certificate passes the startup checks");
    assert_eq!(
        sealer
            .recipients()
            .next()
            .map(|r| r.fingerprint().to_owned()),
        Some(pair.fingerprint.clone())
    );
    let sealed = sealer
        .seal(&plaintext("DEMO-KEYS-TEST", DESCRIPTION))
        .expect("seal");

    let gpg = GpgHome::new();
    gpg.import(&secret);
    let inner = gpg.decrypt_email(sealed[0].email()).expect("gpg decrypts");
    let json: serde_json::Value =
        serde_json::from_slice(&parse_inner(&inner).part("application/json").body).expect("json");
    assert_eq!(json["description"], DESCRIPTION);
}
