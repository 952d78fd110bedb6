//! The outbox trait's behaviour, the same on both backends: each case runs against the
//! SQLite file and against a real PostgreSQL server (a fresh database per test, see
//! `pg_support`). What the delivery worker relies on: content back byte for byte, leases
//! that hold and that end, attempts counted only on failures, nothing dropped, deletes that
//! are idempotent, and concurrent claimers that never get the same message.

use crate::mail_support;
use crate::pg_support;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use mail_support::*;
use pg_support::TestDatabase;
use xeberdar_report::outbox::{Outbox, OutboxError, SqliteOutbox};
use xeberdar_report::seal::SealedTip;

const LONG: Duration = Duration::from_secs(600);

fn sealed(reference: &str) -> Vec<SealedTip> {
    demo_sealer()
        .seal(&plaintext(
            reference,
            "Backend test description, Azərbaycan dili",
        ))
        .expect("seal")
}

/// Runs `case` against a fresh outbox of each backend.
macro_rules! on_both_backends {
    ($case:ident) => {
        mod $case {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let dir = tempfile::tempdir().expect("tmp");
                let outbox = SqliteOutbox::open(dir.path().join("outbox.sqlite3")).expect("open");
                super::$case(Arc::new(outbox)).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(db) = TestDatabase::create().await else {
                    return;
                };
                super::$case(Arc::new(db.outbox().await)).await;
            }
        }
    };
}

async fn content_comes_back_byte_for_byte_oldest_first(outbox: Arc<dyn Outbox>) {
    let tips: Vec<SealedTip> = ["AAAA-AAAA-AAAA", "BBBB-BBBB-BBBB", "CCCC-CCCC-CCCC"]
        .iter()
        .flat_map(|r| sealed(r))
        .collect();
    let mut ids = Vec::new();
    for tip in &tips {
        ids.extend(outbox.enqueue(vec![tip.clone()]).await.expect("enqueue"));
    }
    assert_eq!(ids.len(), 3);
    let stats = outbox.stats().await.expect("stats");
    assert_eq!((stats.queued, stats.retrying), (3, 0));
    assert!(stats.oldest_age.is_some());
    let claimed = outbox.claim(10, LONG).await.expect("claim");
    assert_eq!(claimed.iter().map(|m| m.id).collect::<Vec<_>>(), ids);
    for (m, t) in claimed.iter().zip(&tips) {
        assert_eq!(&m.tip, t, "stored email differs");
        assert_eq!(m.attempts, 0);
        assert!(m.created_at <= SystemTime::now() + Duration::from_secs(5));
    }
}
on_both_backends!(content_comes_back_byte_for_byte_oldest_first);

async fn leases_hold_and_end_with_the_same_message_id(outbox: Arc<dyn Outbox>) {
    outbox
        .enqueue(sealed("LEAS-AAAA-AAAA"))
        .await
        .expect("enqueue");
    let first = outbox.claim(10, LONG).await.expect("claim");
    assert_eq!(first.len(), 1);
    assert!(
        outbox.claim(10, LONG).await.expect("claim").is_empty(),
        "leased"
    );

    // A worker that died holding a short lease: the message is due again when it ends, with
    // the same Message-ID (the unit's mail system drops the duplicate).
    outbox
        .enqueue(sealed("LEAS-BBBB-BBBB"))
        .await
        .expect("enqueue");
    let a = outbox
        .claim(10, Duration::from_millis(300))
        .await
        .expect("claim");
    assert_eq!(a.len(), 1);
    assert!(
        outbox.claim(10, LONG).await.expect("claim").is_empty(),
        "still leased"
    );
    wait_for_claim(&outbox, &a[0]).await;
}

async fn wait_for_claim(
    outbox: &Arc<dyn Outbox>,
    expected: &xeberdar_report::outbox::OutboxMessage,
) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let b = outbox.claim(10, LONG).await.expect("claim again");
        if let Some(m) = b.first() {
            assert_eq!(m.id, expected.id);
            assert_eq!(m.tip.message_id(), expected.tip.message_id());
            assert_eq!(m.attempts, 0, "a lease that ended is not a failed attempt");
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the lease never ended"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
on_both_backends!(leases_hold_and_end_with_the_same_message_id);

async fn failures_are_counted_deferrals_are_not_and_nothing_is_dropped(outbox: Arc<dyn Outbox>) {
    outbox
        .enqueue(sealed("RTRY-AAAA-AAAA"))
        .await
        .expect("enqueue");
    let m = outbox.claim(1, LONG).await.expect("claim").remove(0);

    outbox
        .retry_later(
            m.id,
            SystemTime::now() - Duration::from_secs(1),
            "451 try later\r\nx",
        )
        .await
        .expect("retry_later");
    let again = outbox.claim(1, LONG).await.expect("claim").remove(0);
    assert_eq!((again.id, again.attempts), (m.id, 1));
    assert_eq!(outbox.stats().await.expect("stats").retrying, 1);

    // Due in the future: not claimable, still queued.
    outbox
        .retry_later(m.id, SystemTime::now() + LONG, "550 no")
        .await
        .expect("retry_later");
    assert!(outbox.claim(1, LONG).await.expect("claim").is_empty());
    assert_eq!(outbox.stats().await.expect("stats").queued, 1);

    // A deferral (the hourly cap) moves the due time without counting an attempt.
    outbox
        .defer(m.id, SystemTime::now() - Duration::from_secs(1))
        .await
        .expect("defer");
    let deferred = outbox.claim(1, LONG).await.expect("claim").remove(0);
    assert_eq!((deferred.id, deferred.attempts), (m.id, 2));
    outbox
        .defer(m.id, SystemTime::now() + LONG)
        .await
        .expect("defer");
    assert!(outbox.claim(1, LONG).await.expect("claim").is_empty());

    outbox.mark_delivered(m.id).await.expect("delete");
    outbox
        .mark_delivered(m.id)
        .await
        .expect("deleting twice is fine");
    let stats = outbox.stats().await.expect("stats");
    assert_eq!(
        (stats.queued, stats.retrying, stats.oldest_age),
        (0, 0, None)
    );
    assert!(matches!(
        outbox.retry_later(m.id, SystemTime::now(), "x").await,
        Err(OutboxError::NotFound(id)) if id == m.id
    ));
    assert!(matches!(
        outbox.defer(m.id, SystemTime::now()).await,
        Err(OutboxError::NotFound(_))
    ));
}
on_both_backends!(failures_are_counted_deferrals_are_not_and_nothing_is_dropped);

async fn all_of_a_tips_emails_are_stored_together(outbox: Arc<dyn Outbox>) {
    let one = sealed("MANY-AAAA-AAAA").remove(0);
    // Three recipients' emails of one tip: one call, three rows.
    let three = vec![one.clone(), one.clone(), one];
    let ids = outbox.enqueue(three).await.expect("enqueue");
    assert_eq!(ids.len(), 3);
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), 3);
    assert_eq!(outbox.stats().await.expect("stats").queued, 3);
}
on_both_backends!(all_of_a_tips_emails_are_stored_together);

/// Four workers claim from one outbox at once (each may be another replica): every
/// message is handed out exactly once while the leases hold.
async fn concurrent_claimers_never_get_the_same_message(outbox: Arc<dyn Outbox>) {
    let tip = sealed("CONC-AAAA-AAAA");
    let mut all = BTreeSet::new();
    for chunk in 0..20 {
        let batch: Vec<SealedTip> = (0..10).flat_map(|_| tip.clone()).collect();
        let ids = outbox
            .enqueue(batch)
            .await
            .unwrap_or_else(|e| panic!("enqueue {chunk}: {e}"));
        all.extend(ids);
    }
    assert_eq!(all.len(), 200);
    let mut workers = Vec::new();
    for _ in 0..4 {
        let outbox = Arc::clone(&outbox);
        workers.push(tokio::spawn(async move {
            let mut got = Vec::new();
            loop {
                let batch = outbox.claim(7, LONG).await.expect("claim");
                if batch.is_empty() {
                    return got;
                }
                for m in batch {
                    got.push(m.id);
                    outbox.mark_delivered(m.id).await.expect("delete");
                }
            }
        }));
    }
    let mut seen = Vec::new();
    for w in workers {
        seen.extend(w.await.expect("worker"));
    }
    let unique: BTreeSet<_> = seen.iter().copied().collect();
    assert_eq!(seen.len(), unique.len(), "a message was claimed twice");
    assert_eq!(unique, all, "every message was claimed");
    assert_eq!(outbox.stats().await.expect("stats").queued, 0);
}
on_both_backends!(concurrent_claimers_never_get_the_same_message);

async fn a_healthy_outbox_is_ready(outbox: Arc<dyn Outbox>) {
    assert!(outbox.readiness().await.is_ready());
    outbox
        .enqueue(sealed("REDY-AAAA-AAAA"))
        .await
        .expect("enqueue");
    assert!(outbox.readiness().await.is_ready());
}
on_both_backends!(a_healthy_outbox_is_ready);

async fn a_message_enqueued_for_later_waits_for_its_time(outbox: Arc<dyn Outbox>) {
    let later = outbox
        .enqueue_not_before(
            sealed("LATE-AAAA-AAAA"),
            SystemTime::now() + Duration::from_millis(700),
        )
        .await
        .expect("enqueue for later");
    let now = outbox
        .enqueue(sealed("NOWW-AAAA-AAAA"))
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
    assert_eq!(outbox.stats().await.expect("stats").queued, 2);
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let got: Vec<_> = outbox
            .claim(10, LONG)
            .await
            .expect("claim")
            .iter()
            .map(|m| m.id)
            .collect();
        if !got.is_empty() {
            assert_eq!(got, later);
            return;
        }
        assert!(std::time::Instant::now() < deadline, "never due");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
on_both_backends!(a_message_enqueued_for_later_waits_for_its_time);
