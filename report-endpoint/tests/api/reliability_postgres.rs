//! Several `xeberdar-report` processes on one real PostgreSQL database, with a real SMTP
//! server (aiosmtpd) and every delivered message decrypted by real GnuPG:
//!
//! * two replicas share the load of 2,000 tips: every acknowledged tip is delivered once;
//! * a replica is killed with SIGKILL while it holds leased rows mid-delivery: the other
//!   replica delivers them once the lease ends, and nothing acknowledged is lost.
//!
//! Duplicates: delivery is at-least-once. A message is sent twice only when a replica dies
//! after the relay accepted it and before the row was deleted: at most `[delivery]
//! concurrency` messages per replica death. With no death, none.
//!
//! No timing assertions: waits poll a condition with a generous bound.

use crate::mail_support;
use crate::pg_support;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use mail_support::{free_port, SmtpServer};
use pg_support::replicas::{
    check_delivered, http_client, post_tip, tag, wait_for, Replica, ReplicaOptions,
};
use pg_support::TestDatabase;

const DRAIN: Duration = Duration::from_secs(300);

/// What a load got back.
#[derive(Default)]
struct Load {
    /// Tags answered 303.
    acked: BTreeSet<String>,
    /// Tips whose replica did not answer (it was killed).
    refused: usize,
}

/// Posts tips `range` spread over `bases` (round robin) with `parallel` requests at a time.
async fn load(bases: &[String], run: &str, range: std::ops::Range<usize>, parallel: usize) -> Load {
    let client = http_client();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(range.start));
    let mut tasks = Vec::new();
    for _ in 0..parallel {
        let (client, next, bases, run) = (
            client.clone(),
            Arc::clone(&next),
            bases.to_vec(),
            run.to_owned(),
        );
        let end = range.end;
        tasks.push(tokio::spawn(async move {
            let mut acked = Vec::new();
            let mut refused = 0;
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= end {
                    return (acked, refused);
                }
                let (status, body) =
                    post_tip(&client, &bases[i % bases.len()], &run, i, "az").await;
                match status {
                    303 => acked.push(tag(&run, i)),
                    // A killed replica refuses connections; the visitor would see the
                    // hotline and try again. Not acknowledged, so not counted.
                    0 => refused += 1,
                    other => panic!("tip {i}: unexpected {other}: {body}"),
                }
            }
        }));
    }
    let mut total = Load::default();
    for t in tasks {
        let (acked, refused) = t.await.expect("load task");
        total.acked.extend(acked);
        total.refused += refused;
    }
    total
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_share_one_database_under_load() {
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    let smtp = SmtpServer::start(free_port());
    let options = ReplicaOptions::default();
    // Started at the same moment: both run the migrations, one applies them.
    let (a, b) = tokio::join!(
        Replica::start(&db.url, smtp.port, &options),
        Replica::start(&db.url, smtp.port, &options)
    );
    let bases = [a.base.clone(), b.base.clone()];
    let acked = load(&bases, "two", 0..2000, 16).await.acked;
    assert_eq!(acked.len(), 2000, "every tip acknowledged");
    wait_for("all 2,000 delivered", DRAIN, async || smtp.count() >= 2000).await;
    let outbox = db.outbox().await;
    wait_for("the outbox empty", DRAIN, async || {
        use xeberdar_report::outbox::Outbox;
        outbox.stats().await.map(|s| s.queued == 0).unwrap_or(false)
    })
    .await;
    let report = check_delivered(&smtp.messages());
    assert_eq!(report.decrypt_failures, 0);
    assert!(
        report.lost(&acked).is_empty(),
        "lost: {:?}",
        report.lost(&acked)
    );
    assert_eq!(report.duplicates(), 0, "no replica died, so no duplicate");
    assert_eq!(report.tags.len(), 2000);
    for r in [&a, &b] {
        assert!(!r.log().contains("panicked"), "{}", r.log());
    }
    eprintln!(
        "two replicas: {} acknowledged, {} messages, {} duplicates, 0 lost",
        acked.len(),
        report.messages,
        report.duplicates()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_killed_mid_delivery_has_its_rows_delivered_by_the_other() {
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    // Replica A's relay takes the message and never answers: A is stuck mid-delivery,
    // holding the leases of everything it claimed.
    let stalling = SmtpServer::start_faulty_mode(free_port(), 0, "451 4.3.0 later", true, "stall");
    let good = SmtpServer::start(free_port());
    let lease = ReplicaOptions {
        lease_secs: 20,
        smtp_timeout_secs: 120,
        concurrency: 4,
    };
    let mut a = Replica::start(&db.url, stalling.port, &lease).await;
    let first = load(&[a.base.clone()], "kill", 0..30, 4).await.acked;
    assert_eq!(first.len(), 30);
    let client = db.client().await;
    let leased_ids = || async {
        client
            .query(
                "SELECT message_id FROM outbox WHERE lease_until > clock_timestamp()",
                &[],
            )
            .await
            .expect("leased rows")
            .iter()
            .map(|r| r.get::<_, String>(0))
            .collect::<BTreeSet<String>>()
    };
    // A sends 4 at once; what else it claimed waits, leased, for a free slot.
    wait_for(
        "A holds leases and is sending",
        Duration::from_secs(60),
        async || leased_ids().await.len() > lease.concurrency && stalling.sessions_with_data() > 0,
    )
    .await;
    let held = leased_ids().await;

    // B joins; tips go to both, and A is killed while they keep coming.
    let b = Replica::start(&db.url, good.port, &ReplicaOptions::default()).await;
    let bases = [a.base.clone(), b.base.clone()];
    let (second, ()) = tokio::join!(load(&bases, "kill", 30..1500, 8), async {
        wait_for("some load on both", Duration::from_secs(60), async || {
            good.count() >= 50
        })
        .await;
        assert_eq!(
            leased_ids().await.intersection(&held).count(),
            held.len(),
            "A still holds its leases when it is killed"
        );
        a.kill9();
    });
    assert!(
        second.refused > 0,
        "A was killed while tips were still coming"
    );
    let acked: BTreeSet<String> = first.union(&second.acked).cloned().collect();
    assert!(acked.len() > 30 + 50, "load went on: {}", acked.len());

    wait_for("every acknowledged tip delivered", DRAIN, async || {
        check_delivered(&good.messages()).lost(&acked).is_empty()
    })
    .await;
    let report = check_delivered(&good.messages());
    assert_eq!(report.decrypt_failures, 0);
    assert!(
        held.is_subset(&report.message_ids),
        "the rows A held were delivered by B with the same Message-IDs"
    );
    assert!(
        report.duplicates() <= lease.concurrency,
        "{} duplicates, over the bound of {}",
        report.duplicates(),
        lease.concurrency
    );
    assert_eq!(stalling.count(), 0, "A's relay never accepted anything");
    eprintln!(
        "kill -9: A held {} leased rows; {} acknowledged, {} refused after the kill, {} delivered by B, {} duplicates, 0 lost",
        held.len(),
        acked.len(),
        second.refused,
        report.messages,
        report.duplicates()
    );
}
