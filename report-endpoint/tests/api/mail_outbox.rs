//! The SQLite outbox on real files: durable across reopen, leases, retries, deletes, a full
//! store answered as "unavailable" without corruption, and ciphertext only on disk.

use crate::mail_support;

use std::time::{Duration, SystemTime};

use mail_support::*;
use xeberdar_report::outbox::{Outbox, OutboxError, SqliteOutbox};
use xeberdar_report::seal::SealedTip;

const LONG: Duration = Duration::from_secs(600);

fn sealed(reference: &str) -> Vec<SealedTip> {
    demo_sealer()
        .seal(&plaintext(
            reference,
            "Outbox test description, Azərbaycan dili",
        ))
        .expect("seal")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enqueued_messages_survive_reopening_byte_for_byte() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("outbox.sqlite3");
    let tips: Vec<SealedTip> = ["AAAA-AAAA-AAAA", "BBBB-BBBB-BBBB", "CCCC-CCCC-CCCC"]
        .iter()
        .flat_map(|r| sealed(r))
        .collect();
    {
        let outbox = SqliteOutbox::open(&path).expect("open");
        let ids = outbox.enqueue(tips.clone()).await.expect("enqueue");
        assert_eq!(ids.len(), 3);
    } // dropped: connection closed
    let outbox = SqliteOutbox::open(&path).expect("reopen");
    let stats = outbox.stats().await.expect("stats");
    assert_eq!(stats.queued, 3);
    assert_eq!(stats.retrying, 0);
    assert!(stats.oldest_age.is_some());
    let mut claimed = outbox.claim(10, LONG).await.expect("claim");
    claimed.sort_by_key(|m| m.id);
    assert_eq!(claimed.len(), 3);
    for (m, t) in claimed.iter().zip(&tips) {
        assert_eq!(&m.tip, t, "stored email differs");
        assert_eq!(m.attempts, 0);
    }

    // Ciphertext only: the tip's words appear nowhere in the database files.
    for entry in std::fs::read_dir(dir.path()).expect("dir").flatten() {
        let bytes = std::fs::read(entry.path()).expect("read db file");
        let hay = String::from_utf8_lossy(&bytes);
        assert!(
            !hay.contains("Outbox test description"),
            "{:?}",
            entry.path()
        );
        assert!(!hay.contains("Azərbaycan"), "{:?}", entry.path());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_are_leased_and_come_back_when_the_lease_ends() {
    let dir = tempfile::tempdir().expect("tmp");
    let outbox = SqliteOutbox::open(dir.path().join("o.db")).expect("open");
    outbox
        .enqueue(sealed("LEAS-EEEE-EEEE"))
        .await
        .expect("enqueue");

    let first = outbox.claim(10, LONG).await.expect("claim");
    assert_eq!(first.len(), 1);
    assert!(
        outbox.claim(10, LONG).await.expect("claim").is_empty(),
        "leased"
    );

    // A worker that "crashed" with a zero-length lease: the message is due again at once.
    let dir2 = tempfile::tempdir().expect("tmp");
    let outbox2 = SqliteOutbox::open(dir2.path().join("o.db")).expect("open");
    outbox2
        .enqueue(sealed("LEAS-FFFF-FFFF"))
        .await
        .expect("enqueue");
    let a = outbox2.claim(10, Duration::ZERO).await.expect("claim");
    let b = outbox2.claim(10, LONG).await.expect("claim again");
    assert_eq!(a.len(), 1);
    assert_eq!(b.len(), 1);
    assert_eq!(a[0].id, b[0].id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_later_counts_attempts_and_delivered_rows_are_deleted() {
    let dir = tempfile::tempdir().expect("tmp");
    let outbox = SqliteOutbox::open(dir.path().join("o.db")).expect("open");
    outbox
        .enqueue(sealed("RTRY-AAAA-AAAA"))
        .await
        .expect("enqueue");
    let m = outbox.claim(1, LONG).await.expect("claim").remove(0);

    // Due in the past: immediately claimable again, with the attempt counted.
    outbox
        .retry_later(
            m.id,
            SystemTime::now() - Duration::from_secs(1),
            "451 try later\r\nx",
        )
        .await
        .expect("retry_later");
    let again = outbox.claim(1, LONG).await.expect("claim").remove(0);
    assert_eq!(again.id, m.id);
    assert_eq!(again.attempts, 1);
    assert_eq!(outbox.stats().await.expect("stats").retrying, 1);

    // Due in the future: not claimable, still queued (never dropped).
    outbox
        .retry_later(m.id, SystemTime::now() + LONG, "550 no")
        .await
        .expect("retry_later");
    assert!(outbox.claim(1, LONG).await.expect("claim").is_empty());
    assert_eq!(outbox.stats().await.expect("stats").queued, 1);

    // Deferred (hourly cap) without counting an attempt.
    outbox
        .defer(m.id, SystemTime::now() - Duration::from_secs(1))
        .await
        .expect("defer");
    let deferred = outbox.claim(1, LONG).await.expect("claim").remove(0);
    assert_eq!(deferred.attempts, 2);

    outbox.mark_delivered(m.id).await.expect("delete");
    let stats = outbox.stats().await.expect("stats");
    assert_eq!(stats.queued, 0);
    assert_eq!(stats.oldest_age, None);
    assert!(matches!(
        outbox.retry_later(m.id, SystemTime::now(), "x").await,
        Err(OutboxError::NotFound(_))
    ));
    outbox
        .mark_delivered(m.id)
        .await
        .expect("deleting twice is fine");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_store_is_unavailable_not_corrupt_and_recovers() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("o.db");
    let outbox = SqliteOutbox::open_with_limit(&path, Some(256 * 1024)).expect("open");
    let tips = sealed("FULL-AAAA-AAAA");
    let mut stored = 0u64;
    let err = loop {
        match outbox.enqueue(tips.clone()).await {
            Ok(_) => stored += 1,
            Err(e) => break e,
        }
        assert!(stored < 10_000, "the size limit never took effect");
    };
    assert!(err.is_unavailable(), "{err}");
    assert!(stored > 0);
    assert_eq!(outbox.stats().await.expect("stats").queued, stored);

    // Space returns (here: rows are delivered); writes work again.
    let claimed = outbox.claim(5, LONG).await.expect("claim");
    for m in &claimed {
        outbox.mark_delivered(m.id).await.expect("delete");
    }
    outbox
        .enqueue(tips.clone())
        .await
        .expect("enqueue after space returned");
    drop(outbox);

    // The file is intact and every acknowledged row is still there.
    let reopened = SqliteOutbox::open(&path).expect("reopen");
    assert_eq!(
        reopened.stats().await.expect("stats").queued,
        stored - 5 + 1
    );
    let conn = rusqlite::Connection::open(&path).expect("open raw");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(check, "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unopenable_path_is_a_clear_unavailable_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let err = SqliteOutbox::open(dir.path().join("missing-dir/o.db")).expect_err("must fail");
    assert!(err.is_unavailable(), "{err}");
    assert!(err.to_string().contains("missing-dir"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_enqueues_are_group_committed_and_all_stored() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("o.db");
    let outbox = std::sync::Arc::new(SqliteOutbox::open(&path).expect("open"));
    let sealer = demo_sealer();
    let mut tasks = Vec::new();
    for i in 0..200 {
        let tips = sealer
            .seal(&plaintext(&format!("CONC-{i:04}-AAAA"), "concurrent"))
            .expect("seal");
        let outbox = outbox.clone();
        tasks.push(tokio::spawn(async move { outbox.enqueue(tips).await }));
    }
    let mut ids = std::collections::BTreeSet::new();
    for t in tasks {
        let got = t.await.expect("task").expect("enqueue");
        assert_eq!(got.len(), 1);
        ids.extend(got);
    }
    assert_eq!(ids.len(), 200, "every enqueue got its own row");
    drop(outbox);
    let reopened = SqliteOutbox::open(&path).expect("reopen");
    assert_eq!(reopened.stats().await.expect("stats").queued, 200);
}

/// Set by [`kill_9_during_enqueues_leaves_only_whole_tips`] for its child process.
const CHILD_ENV: &str = "XEBERDAR_MAIL_TEST_OUTBOX_CHILD";

/// The child half of the `kill -9` test: enqueues two-recipient tips forever, printing
/// "acked <reference>" after each enqueue returned. Does nothing unless started by the parent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "helper process for kill_9_during_enqueues_leaves_only_whole_tips"]
async fn outbox_child_enqueues_until_killed() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let outbox = SqliteOutbox::open(path).expect("child: open");
    let sealer = two_recipient_sealer();
    for i in 0..1_000_000u32 {
        let reference = format!("KILL-{i:06}");
        let tips = sealer
            .seal(&plaintext(&reference, "kill -9 test"))
            .expect("child: seal");
        outbox.enqueue(tips).await.expect("child: enqueue");
        println!("acked {reference}");
    }
}

fn two_recipient_sealer() -> xeberdar_report::seal::Sealer {
    use xeberdar_report::configuration::{RecipientSettings, SealSettings};
    use xeberdar_report::seal::Sealer;
    Sealer::load(&SealSettings {
        from: SENDER.to_owned(),
        recipients: ["one@unit.example", "two@unit.example"]
            .iter()
            .map(|email| RecipientSettings {
                email: (*email).to_owned(),
                cert_path: demo_public_cert(),
            })
            .collect(),
    })
    .expect("sealer")
}

#[test]
fn kill_9_during_enqueues_leaves_only_whole_tips() {
    use std::io::BufRead as _;
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("outbox.db");
    let mut child = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "mail_outbox::outbox_child_enqueues_until_killed",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the child process");
    let stdout = child.stdout.take().expect("child stdout");
    let mut acked = Vec::new();
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line.expect("read child output");
        if let Some(reference) = line.strip_prefix("acked ") {
            acked.push(reference.to_owned());
            if acked.len() >= 40 {
                break;
            }
        }
    }
    child.kill().expect("kill -9 the child"); // SIGKILL on Unix: no cleanup runs
    let _ = child.wait();
    assert!(acked.len() >= 40, "the child stopped early: {acked:?}");

    let conn = rusqlite::Connection::open(&path).expect("open after kill");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(check, "ok");
    let mut stmt = conn
        .prepare("SELECT recipient, email FROM outbox")
        .expect("select");
    let rows: Vec<(String, Vec<u8>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect();
    let mut per_tip: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let gpg = GpgHome::with_demo_key();
    for (recipient, email) in &rows {
        let text = String::from_utf8_lossy(email);
        assert!(
            text.contains("-----END PGP MESSAGE-----"),
            "truncated email"
        );
        assert!(
            text.trim_end().ends_with("--"),
            "email without closing boundary"
        );
        // The reference code is only inside the ciphertext (the protected Subject).
        let inner = parse_inner(
            &gpg.decrypt_email(email)
                .expect("gpg decrypts a stored email"),
        );
        let subject = header(&inner.headers, "Subject").expect("protected Subject");
        let reference = subject
            .split_whitespace()
            .nth(2)
            .expect("Anonymous report <reference> [lang]")
            .to_owned();
        per_tip
            .entry(reference)
            .or_default()
            .push(recipient.clone());
    }
    for (reference, recipients) in &per_tip {
        assert_eq!(
            recipients.len(),
            2,
            "{reference}: a tip stored for only some recipients"
        );
    }
    for reference in &acked {
        assert!(
            per_tip.contains_key(reference),
            "acknowledged {reference} was lost"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_enqueued_for_later_is_not_claimed_before_its_time() {
    let dir = tempfile::tempdir().expect("tmp");
    let outbox = SqliteOutbox::open(dir.path().join("outbox.sqlite3")).expect("open");
    let later = outbox
        .enqueue_not_before(
            sealed("LATE-LATE-LATE"),
            SystemTime::now() + Duration::from_millis(800),
        )
        .await
        .expect("enqueue for later");
    let now = outbox
        .enqueue(sealed("NOWW-NOWW-NOWW"))
        .await
        .expect("enqueue");
    let first: Vec<_> = outbox
        .claim(10, LONG)
        .await
        .expect("claim")
        .iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(first, now, "only the message due now is handed out");
    assert_eq!(
        outbox.stats().await.expect("stats").queued,
        2,
        "both are stored"
    );
    tokio::time::sleep(Duration::from_millis(900)).await;
    let second: Vec<_> = outbox
        .claim(10, LONG)
        .await
        .expect("claim")
        .iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(second, later, "due once its time has come");
}
