//! Fairness under a flood, end to end: one source sends 30 tips (each with a solved proof
//! of work) against a recipient cap of 10 an hour; a tip from a fresh client sent after
//! the flood is delivered at once instead of waiting an hour behind it, and the flood's
//! other tips stay queued (not dropped), paced one per 12 minutes after a burst of
//! `BURST`. The real endpoint, its outbox and delivery worker, `.eml` files decrypted by
//! GnuPG to tell the tips apart.

use crate::mail_support;
use crate::web_common;

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use mail_support::{parse_inner, GpgHome};
use web_common::{solve, spawn_app_with, Challenge};
use xeberdar_report::source_pacing::BURST;

const FLOOD: usize = 30;
const CAP: u32 = 10;

/// A client whose connections come from `ip` (a loopback address of its own).
fn client_from(ip: Ipv4Addr) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(ip))
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

async fn send_tip(client: &reqwest::Client, base: &str, text: &str) -> String {
    let c: Challenge = client
        .get(format!("{base}/report/challenge"))
        .send()
        .await
        .expect("challenge")
        .json()
        .await
        .expect("challenge JSON");
    let response = client
        .post(format!("{base}/report"))
        .form(&[
            ("lang", "en"),
            ("kind", "other"),
            ("description", text),
            ("pow", &solve(&c.challenge, c.difficulty)),
        ])
        .send()
        .await
        .expect("POST /report");
    assert_eq!(response.status(), 303, "{text}");
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let page = client
        .get(format!("{base}{location}"))
        .send()
        .await
        .expect("receipt")
        .text()
        .await
        .expect("receipt page");
    web_common::reference_code_in(&page).expect("a reference code")
}

/// The references of every delivered email, read from the decrypted protected headers.
fn delivered(gpg: &GpgHome, mail: &std::path::Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(mail) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .map(|e| {
            let raw = std::fs::read(e.path()).expect("read .eml");
            let inner = parse_inner(&gpg.decrypt_email(&raw).expect("gpg decrypts"));
            mail_support::header(&inner.headers, "Subject")
                .and_then(|s| s.split_whitespace().nth(2).map(str::to_owned))
                .expect("protected Subject with the reference")
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_tip_is_not_starved_by_one_flooding_source() {
    let app = spawn_app_with(|s, _| {
        s.delivery.hourly_cap_per_recipient = Some(CAP);
        s.rate_limit.tips_per_hour = 1_000;
        s.rate_limit.challenges_per_minute = 1_000;
    })
    .await;
    let flooder = client_from(Ipv4Addr::new(127, 0, 0, 1));
    let mut flood = Vec::new();
    for i in 0..FLOOD {
        flood.push(send_tip(&flooder, &app.base, &format!("flood {i}")).await);
    }
    let fresh_client = client_from(Ipv4Addr::new(127, 0, 0, 2));
    let sent_at = Instant::now();
    let fresh = send_tip(&fresh_client, &app.base, "a real tip after the flood").await;

    let gpg = GpgHome::with_demo_key();
    let mail = app.data.path().join("mail");
    let waited = loop {
        if delivered(&gpg, &mail).contains(&fresh) {
            break sent_at.elapsed();
        }
        assert!(
            sent_at.elapsed() < Duration::from_secs(60),
            "the fresh tip was not delivered within 60 s; delivered: {:?}",
            delivered(&gpg, &mail)
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    // Let the worker do whatever else it would do now.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let out = delivered(&gpg, &mail);
    let flood_out = out.iter().filter(|r| flood.contains(r)).count();
    println!(
        "fresh tip delivered {} ms after it was sent; flood: {flood_out} of {FLOOD} delivered, the rest queued",
        waited.as_millis()
    );
    assert_eq!(
        flood_out, BURST as usize,
        "the flood got its burst, and its next tip is paced 12 minutes later"
    );
    assert!(out.len() <= CAP as usize, "the cap holds: {}", out.len());
    use xeberdar_report::outbox::Outbox as _;
    let outbox = xeberdar_report::outbox::SqliteOutbox::open(app.data.path().join("outbox.sqlite"))
        .expect("the outbox");
    assert_eq!(
        outbox.stats().await.expect("stats").queued,
        (FLOOD - BURST as usize) as u64,
        "the rest of the flood waits in the outbox, not dropped"
    );
}
