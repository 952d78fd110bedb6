//! The delivery worker against real SMTP server processes on 127.0.0.1 (aiosmtpd), with real
//! GnuPG decrypting what arrived: delivery, SMTP down then up, 4xx then OK, 5xx kept and
//! retried, the per-recipient hourly cap, the alert, and the `.eml` folder transport.
//!
//! No timing assertions: every wait polls with a generous bound.

use crate::mail_support;

use std::collections::BTreeSet;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use mail_support::*;
use xeberdar_report::configuration::DeliverySettings;
use xeberdar_report::configuration::{RecipientSettings, SealSettings};
use xeberdar_report::configuration::{SmtpSecurity, SmtpSettings};
use xeberdar_report::delivery::{self};
use xeberdar_report::email_client::{EmailClient, FolderEmailClient, SmtpEmailClient};
use xeberdar_report::outbox::{Outbox, SqliteOutbox};
use xeberdar_report::seal::Sealer;

const BOUND: Duration = Duration::from_secs(60);

fn smtp_client(port: u16) -> Arc<dyn EmailClient> {
    smtp_client_with_timeout(port, 10)
}

fn smtp_client_with_timeout(port: u16, timeout_secs: u64) -> Arc<dyn EmailClient> {
    plain_smtp_client(port, timeout_secs)
}

/// The concrete client, for tests that read how many connections it opened.
fn plain_smtp_client(port: u16, timeout_secs: u64) -> Arc<SmtpEmailClient> {
    Arc::new(
        SmtpEmailClient::new(&SmtpSettings {
            host: "127.0.0.1".into(),
            port,
            security: SmtpSecurity::PlainLoopback,
            username: None,
            password: None,
            hello_name: "localhost".into(),
            timeout_secs,
            ca_cert_path: None,
        })
        .expect("client"),
    )
}

/// Fast retries so the tests finish quickly; no cap unless a test sets one.
fn fast_settings() -> DeliverySettings {
    DeliverySettings {
        poll_interval_ms: 50,
        batch_size: 8,
        lease_secs: 120,
        backoff_base_ms: 50,
        backoff_max_ms: 400,
        alert_after_secs: 3600,
        stats_interval_ms: 50,
        hourly_cap_per_recipient: None,
        concurrency: 4,
    }
}

async fn open_outbox(dir: &tempfile::TempDir) -> Arc<SqliteOutbox> {
    Arc::new(SqliteOutbox::open(dir.path().join("outbox.db")).expect("open outbox"))
}

async fn enqueue_tips(outbox: &SqliteOutbox, sealer: &Sealer, n: usize) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for i in 0..n {
        let reference = format!("TIPS-{i:04}-ABCD");
        let sealed = sealer
            .seal(&plaintext(&reference, &format!("Hadisə nömrə {i}")))
            .expect("seal");
        for s in &sealed {
            ids.insert(s.message_id().to_owned());
        }
        outbox.enqueue(sealed).await.expect("enqueue");
    }
    ids
}

fn received_ids(server: &SmtpServer) -> Vec<String> {
    server
        .messages()
        .iter()
        .filter_map(|m| header(&String::from_utf8_lossy(m), "Message-ID"))
        .collect()
}

async fn queued(outbox: &SqliteOutbox) -> u64 {
    outbox.stats().await.expect("stats").queued
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tip_goes_through_real_smtp_and_gnupg_reads_it() {
    let port = free_port();
    let server = SmtpServer::start(port);
    let dir = tempfile::tempdir().expect("tmp");
    let outbox = open_outbox(&dir).await;
    let sealer = demo_sealer();
    let ids = enqueue_tips(&outbox, &sealer, 3).await;
    let handle = delivery::spawn(outbox.clone(), smtp_client(port), fast_settings());
    handle.wake();

    wait_until("3 messages delivered", BOUND, || server.count() >= 3).await;
    let metrics = handle.metrics();
    wait_until("outbox rows deleted", BOUND, || {
        metrics.delivered_total.load(Ordering::Relaxed) >= 3
    })
    .await;
    assert_eq!(queued(&outbox).await, 0);
    let got: BTreeSet<String> = received_ids(&server).into_iter().collect();
    assert_eq!(got, ids);

    let gpg = GpgHome::with_demo_key();
    for raw in server.messages() {
        let text = String::from_utf8_lossy(&raw).into_owned();
        let subject = header(&text, "Subject").expect("Subject");
        assert_eq!(subject, "New anonymous report");
        assert!(
            !text.contains("TIPS-"),
            "a reference code outside the ciphertext"
        );
        assert!(!text.contains("Hadisə"), "plaintext in the delivered email");
        let inner = gpg
            .decrypt_email(&raw)
            .expect("gpg decrypts the delivered email");
        let json: serde_json::Value =
            serde_json::from_slice(&parse_inner(&inner).part("application/json").body)
                .expect("json");
        assert!(json["description"]
            .as_str()
            .is_some_and(|d| d.starts_with("Hadisə nömrə")));
    }
    handle.shutdown(Duration::from_secs(10)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_down_then_up_delivers_everything_once_nothing_lost() {
    let port = free_port(); // nothing listens yet: connection refused
    let dir = tempfile::tempdir().expect("tmp");
    let outbox = open_outbox(&dir).await;
    let sealer = demo_sealer();
    let ids = enqueue_tips(&outbox, &sealer, 20).await;
    let handle = delivery::spawn(outbox.clone(), smtp_client(port), fast_settings());
    let metrics = handle.metrics();

    wait_until("failed attempts while SMTP is down", BOUND, || {
        metrics.failed_attempts_total.load(Ordering::Relaxed) >= 20
    })
    .await;
    assert_eq!(
        queued(&outbox).await,
        20,
        "nothing dropped while SMTP was down"
    );
    assert_eq!(metrics.delivered_total.load(Ordering::Relaxed), 0);

    let server = SmtpServer::start(port);
    wait_until("all 20 delivered", BOUND, || server.count() >= 20).await;
    wait_until("outbox empty", BOUND, || {
        metrics.delivered_total.load(Ordering::Relaxed) >= 20
    })
    .await;
    assert_eq!(queued(&outbox).await, 0);
    let got = received_ids(&server);
    let unique: BTreeSet<String> = got.iter().cloned().collect();
    assert_eq!(unique, ids, "every tip arrived");
    assert_eq!(got.len(), unique.len(), "no duplicates in this run");
    handle.shutdown(Duration::from_secs(10)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_4xx_answer_is_retried_until_accepted() {
    let port = free_port();
    let server = SmtpServer::start_faulty(port, 3, "451 4.3.0 Try again later", false);
    let dir = tempfile::tempdir().expect("tmp");
    let outbox = open_outbox(&dir).await;
    let ids = enqueue_tips(&outbox, &demo_sealer(), 2).await;
    let handle = delivery::spawn(outbox.clone(), smtp_client(port), fast_settings());
    let metrics = handle.metrics();

    wait_until("both delivered", BOUND, || server.count() >= 2).await;
    wait_until("rows deleted", BOUND, || {
        metrics.delivered_total.load(Ordering::Relaxed) >= 2
    })
    .await;
    assert_eq!(metrics.failed_attempts_total.load(Ordering::Relaxed), 3);
    assert_eq!(metrics.permanent_failures_total.load(Ordering::Relaxed), 0);
    assert_eq!(queued(&outbox).await, 0);
    let got: BTreeSet<String> = received_ids(&server).into_iter().collect();
    assert_eq!(got, ids);
    handle.shutdown(Duration::from_secs(10)).await;
}

async fn bad_server_case(mode: &str) {
    let port = free_port();
    let server = SmtpServer::start_faulty_mode(port, 2, "unused", false, mode);
    let dir = tempfile::tempdir().expect("tmp");
    let outbox = open_outbox(&dir).await;
    let ids = enqueue_tips(&outbox, &demo_sealer(), 3).await;
    let handle = delivery::spawn(
        outbox.clone(),
        smtp_client_with_timeout(port, 2),
        fast_settings(),
    );
    let metrics = handle.metrics();
    wait_until("all delivered despite the bad server", BOUND, || {
        metrics.delivered_total.load(Ordering::Relaxed) >= 3
    })
    .await;
    assert!(metrics.failed_attempts_total.load(Ordering::Relaxed) >= 2);
    assert_eq!(queued(&outbox).await, 0);
    // The server may have stored a message whose 250 never reached us (at-least-once):
    // duplicates carry the same Message-ID, and every tip is there.
    let got: BTreeSet<String> = received_ids(&server).into_iter().collect();
    assert_eq!(got, ids);
    handle.shutdown(Duration::from_secs(10)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_drops_the_connection_after_data_is_retried() {
    bad_server_case("drop").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_stalls_is_timed_out_and_retried() {
    bad_server_case("stall").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_5xx_answer_keeps_the_message_and_it_goes_out_once_the_relay_is_fixed() {
    let port = free_port();
    let broken = SmtpServer::start_faulty(port, 0, "550 5.7.1 Relaying denied", true);
    let dir = tempfile::tempdir().expect("tmp");
    let outbox = open_outbox(&dir).await;
    let ids = enqueue_tips(&outbox, &demo_sealer(), 2).await;
    let handle = delivery::spawn(outbox.clone(), smtp_client(port), fast_settings());
    let metrics = handle.metrics();

    wait_until("several permanent failures", BOUND, || {
        metrics.permanent_failures_total.load(Ordering::Relaxed) >= 4
    })
    .await;
    assert_eq!(queued(&outbox).await, 2, "5xx never drops a message");
    assert_eq!(broken.count(), 0);
    let stats = outbox.stats().await.expect("stats");
    assert_eq!(stats.retrying, 2);

    // The operator fixes the relay.
    broken.stop();
    let fixed = SmtpServer::start(port);
    wait_until("delivered after the fix", BOUND, || fixed.count() >= 2).await;
    wait_until("rows deleted", BOUND, || {
        metrics.delivered_total.load(Ordering::Relaxed) >= 2
    })
    .await;
    assert_eq!(queued(&outbox).await, 0);
    let got: BTreeSet<String> = received_ids(&fixed).into_iter().collect();
    assert_eq!(got, ids);
    handle.shutdown(Duration::from_secs(10)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hourly_cap_holds_back_a_flood_for_one_recipient_only() {
    let port = free_port();
    let server = SmtpServer::start(port);
    let home = GpgHome::new();
    let other_cert = home.generate("second@unit.example");
    let flooded = demo_sealer();
    let other = Sealer::load(&SealSettings {
        from: SENDER.into(),
        recipients: vec![RecipientSettings {
            email: "second@unit.example".into(),
            cert_path: other_cert,
        }],
    })
    .expect("second sealer");
    let dir = tempfile::tempdir().expect("tmp");
    let outbox = open_outbox(&dir).await;
    enqueue_tips(&outbox, &flooded, 5).await;
    let sealed = other
        .seal(&plaintext("OTHR-AAAA-AAAA", "for the second officer"))
        .expect("seal");
    outbox.enqueue(sealed).await.expect("enqueue");

    let settings = DeliverySettings {
        hourly_cap_per_recipient: Some(2),
        ..fast_settings()
    };
    let handle = delivery::spawn(outbox.clone(), smtp_client(port), settings);
    let metrics = handle.metrics();
    wait_until("cap reached and the rest deferred", BOUND, || {
        metrics.delivered_total.load(Ordering::Relaxed) >= 3
            && metrics.deferred_by_cap_total.load(Ordering::Relaxed) >= 3
    })
    .await;
    // Deferred messages are due again only in about an hour, so this state is stable.
    let to: Vec<String> = server
        .messages()
        .iter()
        .filter_map(|m| header(&String::from_utf8_lossy(m), "To"))
        .collect();
    assert_eq!(to.iter().filter(|t| t.as_str() == DEMO_EMAIL).count(), 2);
    assert_eq!(to.iter().filter(|t| *t == "second@unit.example").count(), 1);
    assert_eq!(queued(&outbox).await, 3, "held back, not dropped");
    handle.shutdown(Duration::from_secs(10)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undelivered_messages_raise_the_alert_metric() {
    let port = free_port(); // SMTP down
    let dir = tempfile::tempdir().expect("tmp");
    let outbox = open_outbox(&dir).await;
    enqueue_tips(&outbox, &demo_sealer(), 1).await;
    let settings = DeliverySettings {
        alert_after_secs: 0,
        ..fast_settings()
    };
    let handle = delivery::spawn(outbox.clone(), smtp_client(port), settings);
    let metrics = handle.metrics();
    wait_until("alert raised", BOUND, || {
        metrics.alert_active.load(Ordering::Relaxed) == 1
            && metrics.alerts_total.load(Ordering::Relaxed) >= 1
    })
    .await;
    let text = metrics.render_prometheus();
    assert!(text.contains("xeberdar_outbox_alert 1"), "{text}");
    assert!(text.contains("xeberdar_outbox_queued 1"), "{text}");

    // The relay comes up: delivered, and the alert clears.
    let server = SmtpServer::start(port);
    wait_until("delivered", BOUND, || server.count() >= 1).await;
    wait_until("alert cleared", BOUND, || {
        metrics.alert_active.load(Ordering::Relaxed) == 0
    })
    .await;
    handle.shutdown(Duration::from_secs(10)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_folder_transport_writes_complete_eml_files() {
    let dir = tempfile::tempdir().expect("tmp");
    let mail_dir = dir.path().join("mail");
    let outbox = open_outbox(&dir).await;
    let ids = enqueue_tips(&outbox, &demo_sealer(), 3).await;
    let client = Arc::new(FolderEmailClient::new(&mail_dir).expect("folder"));
    let handle = delivery::spawn(outbox.clone(), client, fast_settings());
    let metrics = handle.metrics();
    wait_until("3 files", BOUND, || {
        metrics.delivered_total.load(Ordering::Relaxed) >= 3
    })
    .await;
    handle.shutdown(Duration::from_secs(10)).await;

    let files: Vec<_> = std::fs::read_dir(&mail_dir)
        .expect("mail dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(files.len(), 3, "{files:?}");
    let gpg = GpgHome::with_demo_key();
    let mut got = BTreeSet::new();
    for f in files {
        assert_eq!(f.extension().and_then(|e| e.to_str()), Some("eml"));
        let raw = std::fs::read(&f).expect("read eml");
        got.insert(header(&String::from_utf8_lossy(&raw), "Message-ID").expect("id"));
        gpg.decrypt_email(&raw).expect("gpg decrypts the .eml");
    }
    assert_eq!(got, ids);
    assert_eq!(queued(&outbox).await, 0);
}

#[test]
fn plain_smtp_is_refused_off_loopback() {
    let err = SmtpEmailClient::new(&SmtpSettings {
        host: "mail.example.org".into(),
        port: 25,
        security: SmtpSecurity::PlainLoopback,
        username: None,
        password: None,
        hello_name: "localhost".into(),
        timeout_secs: 10,
        ca_cert_path: None,
    })
    .err()
    .expect("must refuse");
    assert!(err.to_string().contains("loopback"), "{err}");
}

async fn tls_case(security: SmtpSecurity, python_tls: &str) {
    let cert = TestCert::new();
    let port = free_port();
    let server = SmtpServer::start_tls(port, python_tls, &cert.cert(), &cert.key());
    let client = SmtpEmailClient::new(&SmtpSettings {
        host: "localhost".into(),
        port,
        security,
        username: None,
        password: None,
        hello_name: "localhost".into(),
        timeout_secs: 10,
        ca_cert_path: Some(cert.ca()),
    })
    .expect("TLS client");
    let sealed = demo_sealer()
        .seal(&plaintext("TLSS-AAAA-AAAA", "over TLS"))
        .expect("seal");
    client.send(&sealed[0]).await.expect("sent over TLS");
    assert_eq!(
        received_ids(&server),
        vec![sealed[0].message_id().to_owned()]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starttls_with_rustls_delivers_to_a_relay_that_requires_it() {
    tls_case(SmtpSecurity::Starttls, "starttls").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn implicit_tls_with_rustls_delivers() {
    tls_case(SmtpSecurity::ImplicitTls, "implicit").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrusted_relay_certificate_is_refused_and_retried_later() {
    let cert = TestCert::new();
    let port = free_port();
    let _server = SmtpServer::start_tls(port, "starttls", &cert.cert(), &cert.key());
    // No ca_cert_path: the self-signed certificate is not trusted.
    let client = SmtpEmailClient::new(&SmtpSettings {
        host: "localhost".into(),
        port,
        security: SmtpSecurity::Starttls,
        username: None,
        password: None,
        hello_name: "localhost".into(),
        timeout_secs: 10,
        ca_cert_path: None,
    })
    .expect("TLS client");
    let sealed = demo_sealer()
        .seal(&plaintext("TLSS-BBBB-BBBB", "over TLS"))
        .expect("seal");
    let err = client
        .send(&sealed[0])
        .await
        .expect_err("must not trust it");
    assert!(!err.is_permanent(), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_auth_over_starttls_works_and_the_password_never_shows() {
    let cert = TestCert::new();
    let port = free_port();
    let server =
        SmtpServer::start_starttls_auth(port, &cert.cert(), &cert.key(), "unit", "s3cret-pw");
    let settings = |password: &str| SmtpSettings {
        host: "localhost".into(),
        port,
        security: SmtpSecurity::Starttls,
        username: Some("unit".into()),
        password: Some(password.to_owned().into()),
        hello_name: "localhost".into(),
        timeout_secs: 10,
        ca_cert_path: Some(cert.ca()),
    };
    let good = settings("s3cret-pw");
    let shown = format!("{good:?}");
    assert!(!shown.contains("s3cret-pw"), "{shown}");

    let sealed = demo_sealer()
        .seal(&plaintext("AUTH-AAAA-AAAA", "with auth"))
        .expect("seal");
    let wrong = SmtpEmailClient::new(&settings("wrong")).expect("client");
    let err = wrong.send(&sealed[0]).await.expect_err("wrong password");
    assert!(!err.to_string().contains("wrong"), "{err}");
    assert_eq!(server.count(), 0);

    let client = SmtpEmailClient::new(&good).expect("client");
    client.send(&sealed[0]).await.expect("authenticated send");
    assert_eq!(server.count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_returns_even_while_a_send_stalls_and_the_message_stays_queued() {
    let port = free_port();
    let server = SmtpServer::start_faulty_mode(port, 1000, "unused", true, "stall");
    let dir = tempfile::tempdir().expect("tmp");
    let outbox = open_outbox(&dir).await;
    enqueue_tips(&outbox, &demo_sealer(), 1).await;
    let handle = delivery::spawn(
        outbox.clone(),
        smtp_client_with_timeout(port, 30),
        fast_settings(),
    );
    // Wait until the worker has claimed the message (it is now stuck in the stalled send).
    let probe = SqliteOutbox::open(dir.path().join("outbox.db")).expect("second handle");
    let start = std::time::Instant::now();
    loop {
        // A zero-length lease takes nothing away from the worker; an empty answer means the
        // worker holds the message.
        if probe
            .claim(1, Duration::ZERO)
            .await
            .expect("claim")
            .is_empty()
        {
            break;
        }
        assert!(
            start.elapsed() < BOUND,
            "the worker never claimed the message"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::timeout(BOUND, handle.shutdown(Duration::from_millis(500)))
        .await
        .expect("shutdown finished despite the stalled relay");
    assert_eq!(
        queued(&outbox).await,
        1,
        "the unsent message stays in the outbox"
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backlog_goes_out_over_a_few_reused_connections() {
    let port = free_port();
    let server = SmtpServer::start_faulty(port, 0, "unused", false); // accepts everything
    let dir = tempfile::tempdir().expect("tmp");
    let outbox = open_outbox(&dir).await;
    let ids = enqueue_tips(&outbox, &demo_sealer(), 24).await;
    let client = plain_smtp_client(port, 10);
    let settings = DeliverySettings {
        concurrency: 3,
        ..fast_settings()
    };
    let handle = delivery::spawn(outbox.clone(), client.clone(), settings);
    let metrics = handle.metrics();
    wait_until("24 delivered", BOUND, || {
        metrics.delivered_total.load(Ordering::Relaxed) >= 24
    })
    .await;
    assert_eq!(queued(&outbox).await, 0);
    let got = received_ids(&server);
    let unique: BTreeSet<String> = got.iter().cloned().collect();
    assert_eq!(unique, ids, "every tip arrived");
    assert_eq!(got.len(), 24, "each exactly once");
    // At most `concurrency` sends run at once and each connection is reused after a clean
    // exchange, so 24 messages never need more than 3 connections.
    let opened = client.connections_opened();
    assert!((1..=3).contains(&opened), "{opened} connections opened");
    assert_eq!(server.sessions_with_data(), opened as usize);
    assert_eq!(metrics.failed_attempts_total.load(Ordering::Relaxed), 0);
    handle.shutdown(Duration::from_secs(10)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reused_connection_the_server_closed_is_replaced_within_the_same_send() {
    let port = free_port();
    let first = SmtpServer::start(port);
    let sealed: Vec<_> = ["REUS-AAAA-AAAA", "REUS-BBBB-BBBB"]
        .iter()
        .map(|r| {
            demo_sealer()
                .seal(&plaintext(r, "reuse"))
                .expect("seal")
                .remove(0)
        })
        .collect();
    let client = plain_smtp_client(port, 10);
    client.send(&sealed[0]).await.expect("first send");
    assert_eq!(first.count(), 1);
    // The relay restarts: the parked connection is now closed at the other end.
    first.stop();
    let second = SmtpServer::start(port);
    client
        .send(&sealed[1])
        .await
        .expect("the dead parked connection is noticed and replaced, not reported as sent");
    assert_eq!(
        received_ids(&second),
        vec![sealed[1].message_id().to_owned()]
    );
    assert_eq!(client.connections_opened(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_given_up_mid_message_never_lends_its_connection_to_the_next() {
    let port = free_port();
    // The first DATA is never answered; later ones are accepted.
    let server = SmtpServer::start_faulty_mode(port, 1, "unused", false, "stall");
    let sealed: Vec<_> = ["STAL-AAAA-AAAA", "STAL-BBBB-BBBB"]
        .iter()
        .map(|r| {
            demo_sealer()
                .seal(&plaintext(r, "stall"))
                .expect("seal")
                .remove(0)
        })
        .collect();
    let client = plain_smtp_client(port, 1);
    let err = client
        .send(&sealed[0])
        .await
        .expect_err("the unanswered DATA times out");
    assert!(!err.is_permanent(), "{err}");
    // Reusing the abandoned connection would put the next message behind the unanswered
    // one (and could pair it with that message's late reply); it must go over a new one.
    client
        .send(&sealed[1])
        .await
        .expect("second send on a fresh connection");
    assert_eq!(client.connections_opened(), 2);
    assert_eq!(server.sessions_with_data(), 2);
    assert_eq!(
        received_ids(&server),
        vec![sealed[1].message_id().to_owned()]
    );
}
