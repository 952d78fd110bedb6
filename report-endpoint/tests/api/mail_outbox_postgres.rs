//! What only the PostgreSQL outbox has to show, against a real server: migrations that
//! several replicas run at the same moment, a changed migration refused, the hourly cap
//! shared by replicas (in the API and through two real delivery workers and aiosmtpd), and
//! ciphertext only in the server's files. Tests that stop the server are in
//! `process_wide/reliability_postgres_restart.rs`, another test binary: cargo runs test
//! binaries one after another, so no test here loses its server.
//!
//! No timing assertions: every wait polls with a generous bound.

use crate::mail_support;
use crate::pg_support;

use std::sync::Arc;
use std::time::Duration;

use mail_support::*;
use pg_support::TestDatabase;
use xeberdar_report::configuration::DeliverySettings;
use xeberdar_report::configuration::{SmtpSecurity, SmtpSettings};
use xeberdar_report::delivery::{self};
use xeberdar_report::email_client::{EmailClient, SmtpEmailClient};
use xeberdar_report::outbox::postgres::migrations::MIGRATIONS;
use xeberdar_report::outbox::postgres::PostgresOptions;
use xeberdar_report::outbox::{Outbox, PostgresOutbox};

const BOUND: Duration = Duration::from_secs(90);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_starting_at_once_migrate_exactly_once() {
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    // Eight replicas connect to the empty database at the same moment.
    let url = db.secret_url();
    let starts: Vec<_> = (0..8)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(
                async move { PostgresOutbox::connect(&url, &PostgresOptions::default()).await },
            )
        })
        .collect();
    let mut outboxes = Vec::new();
    for s in starts {
        outboxes.push(s.await.expect("task").expect("every replica starts"));
    }
    let client = db.client().await;
    let rows = client
        .query(
            "SELECT version, name FROM outbox_schema_migrations ORDER BY version",
            &[],
        )
        .await
        .expect("migrations table");
    let recorded: Vec<(i32, String)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    let expected: Vec<(i32, String)> = MIGRATIONS
        .iter()
        .map(|m| (m.version, m.name.to_owned()))
        .collect();
    assert_eq!(recorded, expected, "each migration recorded once");
    // Every replica works on the one schema.
    let sealer = demo_sealer();
    for (i, o) in outboxes.iter().enumerate() {
        let tip = sealer
            .seal(&plaintext(&format!("MIGR-{i:04}-AAAA"), "migration test"))
            .expect("seal");
        o.enqueue(tip).await.expect("enqueue");
    }
    assert_eq!(outboxes[0].stats().await.expect("stats").queued, 8);
    // A later start finds nothing to do.
    db.outbox().await;
    let n: i64 = client
        .query_one("SELECT count(*) FROM outbox_schema_migrations", &[])
        .await
        .expect("count")
        .get(0);
    assert_eq!(n, MIGRATIONS.len() as i64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_migration_applied_with_other_text_is_refused() {
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    db.outbox().await;
    db.client()
        .await
        .execute(
            "UPDATE outbox_schema_migrations SET checksum = '\\x00' WHERE version = 1",
            &[],
        )
        .await
        .expect("tamper");
    let err = PostgresOutbox::connect(&db.secret_url(), &PostgresOptions::default())
        .await
        .expect_err("a changed migration must stop the start");
    assert!(err.to_string().contains("different text"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hourly_cap_is_shared_by_replicas() {
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    // Two replicas: two pools, one database.
    let caps = [
        db.outbox().await.shared_hourly_cap().expect("shared cap"),
        db.outbox().await.shared_hourly_cap().expect("shared cap"),
    ];
    let attempts: Vec<_> = (0..24)
        .map(|i| {
            let cap = Arc::clone(&caps[i % 2]);
            tokio::spawn(async move { cap.reserve("unit@example.invalid", 5).await })
        })
        .collect();
    let mut granted = Vec::new();
    let mut waits = Vec::new();
    for a in attempts {
        match a.await.expect("task").expect("the database answers") {
            Ok(r) => granted.push(r),
            Err(wait) => waits.push(wait),
        }
    }
    assert_eq!(granted.len(), 5, "exactly the cap, across both replicas");
    assert_eq!(waits.len(), 19);
    for w in &waits {
        assert!(
            *w > Duration::from_secs(3590) && *w <= Duration::from_secs(3602),
            "{w:?}"
        );
    }
    // Other recipients are not affected.
    assert!(caps[1]
        .reserve("other@example.invalid", 5)
        .await
        .expect("db")
        .is_ok());
    // A failed send gives its place back (to either replica); a confirmed one keeps it.
    let mut granted = granted.into_iter();
    caps[0]
        .release(granted.next().expect("one"))
        .await
        .expect("release");
    caps[1]
        .confirm(granted.next().expect("two"))
        .await
        .expect("confirm");
    let again = caps[1]
        .reserve("unit@example.invalid", 5)
        .await
        .expect("db");
    assert!(again.is_ok(), "the released place is free");
    assert!(caps[0]
        .reserve("unit@example.invalid", 5)
        .await
        .expect("db")
        .is_err());
}

fn smtp_client(port: u16) -> Arc<dyn EmailClient> {
    Arc::new(
        SmtpEmailClient::new(&SmtpSettings {
            host: "127.0.0.1".into(),
            port,
            security: SmtpSecurity::PlainLoopback,
            username: None,
            password: None,
            hello_name: "localhost".into(),
            timeout_secs: 10,
            ca_cert_path: None,
        })
        .expect("client"),
    )
}

/// Two delivery workers (as in two replicas) on one database, cap 6 per hour: exactly 6
/// emails reach the real SMTP server; the other 14 wait in the outbox, due in about an hour.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_delivery_workers_together_stay_under_the_hourly_cap() {
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    let port = free_port();
    let server = SmtpServer::start(port);
    let outboxes: Vec<Arc<dyn Outbox>> =
        vec![Arc::new(db.outbox().await), Arc::new(db.outbox().await)];
    let sealer = demo_sealer();
    for i in 0..20 {
        let tip = sealer
            .seal(&plaintext(&format!("CAPP-{i:04}-AAAA"), "cap test"))
            .expect("seal");
        outboxes[i % 2].enqueue(tip).await.expect("enqueue");
    }
    let settings = DeliverySettings {
        poll_interval_ms: 50,
        batch_size: 4,
        lease_secs: 120,
        backoff_base_ms: 50,
        backoff_max_ms: 400,
        alert_after_secs: 3600,
        stats_interval_ms: 50,
        hourly_cap_per_recipient: Some(6),
        concurrency: 3,
    };
    let workers: Vec<_> = outboxes
        .iter()
        .map(|o| delivery::spawn(Arc::clone(o), smtp_client(port), settings.clone()))
        .collect();
    let client = db.client().await;
    let start = std::time::Instant::now();
    loop {
        let row = client
            .query_one(
                "SELECT count(*) FILTER (WHERE next_attempt_at > now() + interval '50 minutes'), \
                 count(*) FROM outbox",
                &[],
            )
            .await
            .expect("count");
        let (held, total): (i64, i64) = (row.get(0), row.get(1));
        if held == 14 && total == 14 {
            break;
        }
        assert!(
            start.elapsed() < BOUND,
            "expected 14 messages held for the hour, got {held} of {total}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for w in workers {
        w.shutdown(Duration::from_secs(10)).await;
    }
    assert_eq!(server.count(), 6, "the two workers together sent the cap");
    let sent: i64 = client
        .query_one("SELECT sum(sent)::bigint FROM outbox_hourly_sends", &[])
        .await
        .expect("sum")
        .get(0);
    assert_eq!(sent, 6);
}

/// Nothing of the tip's text nor its reference code reaches the server's files (tables,
/// WAL): only ciphertext and routing data.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_ciphertext_reaches_the_database_files() {
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    let outbox = db.outbox().await;
    let marker = "Plaintext-marker-Qızılbaş-9f3e1c";
    let tip = demo_sealer()
        .seal(&plaintext("CIPH-AAAA-AAAA", marker))
        .expect("seal");
    outbox.enqueue(tip).await.expect("enqueue");
    let client = db.client().await;
    client
        .batch_execute("CHECKPOINT")
        .await
        .expect("checkpoint");
    let rows: Vec<String> = client
        .query("SELECT o::text FROM outbox o", &[])
        .await
        .expect("rows")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(rows.len(), 1);
    assert!(!rows[0].contains(marker) && !rows[0].contains("CIPH-AAAA-AAAA"));
    let mut files = 0;
    let mut stack = vec![pg_support::data_dir()];
    while let Some(dir) = stack.pop() {
        // The server may remove a temporary file or folder while we look.
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                files += 1;
                for needle in [marker.as_bytes(), b"CIPH-AAAA-AAAA"] {
                    assert!(
                        !bytes.windows(needle.len()).any(|w| w == needle),
                        "tip text or reference code found in {}",
                        path.display()
                    );
                }
            }
        }
    }
    assert!(
        files > 100,
        "searched the whole data folder ({files} files)"
    );
}
