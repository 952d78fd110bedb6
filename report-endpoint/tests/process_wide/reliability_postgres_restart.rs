//! The PostgreSQL server stops and starts again while the endpoint runs. In the
//! `process_wide` binary, not beside the other PostgreSQL tests (cargo runs test binaries
//! one after another), and its tests take turns, so no other test loses its server.
//!
//! * In the outbox API: unavailable while down, ready again by itself, nothing lost.
//! * Under load, two real `xeberdar-report` processes: while the server is down every tip
//!   gets the localized 503 page with the hotline and `/health` says 503; afterwards every
//!   tip that was acknowledged (303) is delivered (real aiosmtpd) and decrypts (real GnuPG).

use crate::mail_support;
use crate::pg_support;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mail_support::{demo_sealer, free_port, plaintext, SmtpServer};
use pg_support::replicas::{
    check_delivered, http_client, post_tip, tag, wait_for, Replica, ReplicaOptions,
};
use pg_support::{pg_ctl, TestDatabase};
use xeberdar_report::outbox::{Outbox, OutboxError};

const BOUND: Duration = Duration::from_secs(90);

/// One test at a time may stop the server.
static SERVER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Starts the server again if a test stopped it and then failed.
struct RestartGuard;

impl Drop for RestartGuard {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let _ = std::process::Command::new(
                std::env::var("XEBERDAR_TEST_POSTGRES_CTL").unwrap_or_default(),
            )
            .args(["start", "-w"])
            .output();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_database_is_unavailable_then_recovers_by_itself() {
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    let _turn = SERVER.lock().await;
    let outbox = db.outbox().await;
    let sealer = demo_sealer();
    let seal = |r: &str| sealer.seal(&plaintext(r, "restart test")).expect("seal");
    let before = outbox
        .enqueue(seal("REST-AAAA-AAAA"))
        .await
        .expect("enqueue");
    let _restart = RestartGuard;
    pg_ctl(&["stop", "-m", "fast", "-w"]);
    let err = outbox
        .enqueue(seal("REST-BBBB-BBBB"))
        .await
        .expect_err("nothing can be stored while the server is down");
    assert!(matches!(err, OutboxError::Unavailable(_)), "{err:?}");
    assert!(!outbox.readiness().await.is_ready());
    assert!(outbox.claim(10, Duration::from_secs(60)).await.is_err());
    pg_ctl(&["start", "-w"]);
    let start = Instant::now();
    while !outbox.readiness().await.is_ready() {
        assert!(start.elapsed() < BOUND, "never ready again");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let after = outbox
        .enqueue(seal("REST-CCCC-CCCC"))
        .await
        .expect("enqueue after");
    let claimed: BTreeSet<_> = outbox
        .claim(10, Duration::from_secs(60))
        .await
        .expect("claim")
        .iter()
        .map(|m| m.id)
        .collect();
    let expected: BTreeSet<_> = before.into_iter().chain(after).collect();
    assert_eq!(claimed, expected);
}

/// What one posted tip got, and when.
struct Answer {
    i: usize,
    status: u16,
    body: String,
    sent: Instant,
    answered: Instant,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tips_get_a_localized_503_while_the_database_restarts_and_none_is_lost() {
    let Some(db) = TestDatabase::create().await else {
        return;
    };
    let _turn = SERVER.lock().await;
    let smtp = SmtpServer::start(free_port());
    let options = ReplicaOptions::default();
    let (a, b) = tokio::join!(
        Replica::start(&db.url, smtp.port, &options),
        Replica::start(&db.url, smtp.port, &options)
    );
    let bases = Arc::new([a.base.clone(), b.base.clone()]);
    let answers = Arc::new(Mutex::new(Vec::<Answer>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let next = Arc::new(AtomicUsize::new(0));
    let client = http_client();
    // Steady load: 6 visitors, each posting as soon as the last answer came, in Russian
    // every third tip (the 503 page must be in the tip's language).
    let mut visitors = Vec::new();
    for _ in 0..6 {
        let (bases, answers, stop, next, client) = (
            Arc::clone(&bases),
            Arc::clone(&answers),
            Arc::clone(&stop),
            Arc::clone(&next),
            client.clone(),
        );
        visitors.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let lang = if i % 3 == 0 { "ru" } else { "az" };
                let sent = Instant::now();
                let (status, body) = post_tip(&client, &bases[i % 2], "restart", i, lang).await;
                let answer = Answer {
                    i,
                    status,
                    body,
                    sent,
                    answered: Instant::now(),
                };
                answers.lock().expect("answers").push(answer);
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }));
    }
    let acked_now = || {
        answers
            .lock()
            .expect("answers")
            .iter()
            .filter(|a| a.status == 303)
            .count()
    };
    wait_for(
        "100 tips acknowledged before the restart",
        BOUND,
        async || acked_now() >= 100,
    )
    .await;

    let _restart = RestartGuard;
    pg_ctl(&["stop", "-m", "fast", "-w"]);
    let down_from = Instant::now();
    // Down for long enough that many tips arrive meanwhile.
    let answered_while_down = || {
        answers
            .lock()
            .expect("answers")
            .iter()
            .filter(|a| a.sent >= down_from)
            .count()
    };
    wait_for(
        "30 tips sent while the database is down",
        BOUND,
        async || answered_while_down() >= 30,
    )
    .await;
    let health = client
        .get(format!("{}/report/health", a.base))
        .send()
        .await
        .expect("health");
    assert_eq!(health.status(), 503, "/health while the database is down");
    let down_until = Instant::now();
    pg_ctl(&["start", "-w"]);
    let up_at = Instant::now();
    let acked_before_up = acked_now();
    wait_for(
        "100 more acknowledged after the restart",
        BOUND,
        async || acked_now() >= acked_before_up + 100,
    )
    .await;
    stop.store(true, Ordering::Relaxed);
    for v in visitors {
        v.await.expect("visitor");
    }

    let answers = std::mem::take(&mut *answers.lock().expect("answers"));
    let during: Vec<&Answer> = answers
        .iter()
        .filter(|a| a.sent >= down_from && a.answered <= down_until)
        .collect();
    assert!(during.len() >= 30, "{} answers while down", during.len());
    for a in &during {
        assert_eq!(a.status, 503, "tip {} while the database was down", a.i);
        assert!(a.body.contains("152"), "the 503 page gives the hotline");
        let lang = if a.i % 3 == 0 { "ru" } else { "az" };
        assert!(
            a.body.contains(&format!("<html lang=\"{lang}\"")),
            "the 503 page is in the tip's language ({lang})"
        );
    }
    let statuses: BTreeSet<u16> = answers.iter().map(|a| a.status).collect();
    assert!(
        statuses.is_subset(&BTreeSet::from([303, 503])),
        "only 303 or 503: {statuses:?}"
    );
    let acked: BTreeSet<String> = answers
        .iter()
        .filter(|a| a.status == 303)
        .map(|a| tag("restart", a.i))
        .collect();
    wait_for(
        "every acknowledged tip delivered",
        Duration::from_secs(300),
        async || smtp.count() >= acked.len(),
    )
    .await;
    let outbox = db.outbox().await;
    wait_for("the outbox empty", Duration::from_secs(300), async || {
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
    // A database outage can cost duplicates, never losses: a send the relay accepted
    // while the server stopped cannot delete its row, so it goes again after the lease
    // (same Message-ID). At most the sends in flight: `concurrency` per replica.
    assert!(
        report.duplicates() <= 2 * options.concurrency,
        "{} duplicates",
        report.duplicates()
    );
    let refused = answers.iter().filter(|a| a.status == 503).count();
    let refused_after_up = answers
        .iter()
        .filter(|a| a.status == 503 && a.sent >= up_at)
        .count();
    eprintln!(
        "database restart: {} tips posted, {} acknowledged, {} got 503 ({} sent and answered while down, {} sent after the server was up again), {} messages, {} duplicates, 0 lost",
        answers.len(),
        acked.len(),
        refused,
        during.len(),
        refused_after_up,
        report.messages,
        report.duplicates()
    );
}
