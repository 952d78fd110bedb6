//! The delivery worker: moves sealed emails from the outbox to the mail server.
//!
//! [`spawn`] starts one tokio task that loops: claim due messages (with a lease, so a crash
//! gives them back), send them through the [`EmailClient`] — up to `concurrency` at once, each
//! in its own task, because one send mostly waits on the network and the relay — and, for each
//! message:
//!
//! * on acceptance (SMTP 250) delete the row — only then;
//! * on any failure (refused connection, drop, timeout, 4xx, even 5xx) count the attempt and
//!   make the message due again after an exponential backoff with jitter ([`backoff`]). A
//!   message is **never dropped**: a 5xx may be an operator's mistake that gets fixed;
//! * when a recipient's hourly cap is reached, leave the message waiting ([`hourly_cap`]); an
//!   outbox shared by several replicas counts the cap in its own storage, so the replicas
//!   together stay under it.
//!
//! Delivery is at-least-once: if the process dies between the server's 250 and the delete,
//! the message goes out again with the same `Message-ID`, which lets the unit drop duplicates.
//!
//! Every few seconds the worker reads [`OutboxStats`]; if the oldest waiting message is older
//! than `alert_after`, it logs an alert (counts and ages only, never content) and raises the
//! `outbox_alert` gauge in [`DeliveryMetrics`] (render with
//! [`DeliveryMetrics::render_prometheus`] for `/metrics`).
//!
//! The worker never blocks web handlers: it is its own task, and every blocking outbox call
//! runs on the blocking pool. [`DeliveryHandle::shutdown`] lets the sends in flight finish (up
//! to a grace period) and stops; claimed but unsent messages come back when their lease ends.

pub mod backoff;
pub mod hourly_cap;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use parking_lot::{Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use tokio::sync::{watch, Notify};
use tokio::task::{JoinHandle, JoinSet};

use crate::configuration::DeliverySettings;
use crate::email_client::EmailClient;
use crate::outbox::{Outbox, OutboxError, OutboxMessage, OutboxStats};
use crate::outbox::{SharedHourlyCap, SharedReservation};
use hourly_cap::{HourlyCap, Reservation};

/// Counters and gauges of the worker, for `/metrics` and tests. Counts only.
#[derive(Debug, Default)]
pub struct DeliveryMetrics {
    /// Emails accepted by the server and removed from the outbox.
    pub delivered_total: AtomicU64,
    /// Failed delivery attempts (each one retried later).
    pub failed_attempts_total: AtomicU64,
    /// Of those, failures the server called permanent (5xx); still retried.
    pub permanent_failures_total: AtomicU64,
    /// Times a message waited because its recipient's hourly cap was reached.
    pub deferred_by_cap_total: AtomicU64,
    /// Times the "undelivered too long" alert was raised.
    pub alerts_total: AtomicU64,
    /// Outbox length at the last statistics read.
    pub queued: AtomicU64,
    /// Age in seconds of the oldest waiting message at the last statistics read.
    pub oldest_age_secs: AtomicU64,
    /// 1 while some message has waited longer than `alert_after`, else 0.
    pub alert_active: AtomicU64,
    /// Outbox errors seen by the worker (storage unavailable etc.).
    pub outbox_errors_total: AtomicU64,
}

impl DeliveryMetrics {
    /// Prometheus text exposition of these metrics.
    pub fn render_prometheus(&self) -> String {
        let rows: [(&str, &str, &str, &AtomicU64); 9] = [
            (
                "xeberdar_delivery_delivered_total",
                "counter",
                "Emails accepted by the mail server",
                &self.delivered_total,
            ),
            (
                "xeberdar_delivery_failed_attempts_total",
                "counter",
                "Failed delivery attempts, retried later",
                &self.failed_attempts_total,
            ),
            (
                "xeberdar_delivery_permanent_failures_total",
                "counter",
                "Failed attempts the server called permanent (still retried)",
                &self.permanent_failures_total,
            ),
            (
                "xeberdar_delivery_deferred_by_cap_total",
                "counter",
                "Messages held back by the per-recipient hourly cap",
                &self.deferred_by_cap_total,
            ),
            (
                "xeberdar_delivery_alerts_total",
                "counter",
                "Times undelivered messages exceeded the alert age",
                &self.alerts_total,
            ),
            (
                "xeberdar_outbox_queued",
                "gauge",
                "Messages waiting in the outbox",
                &self.queued,
            ),
            (
                "xeberdar_outbox_oldest_age_seconds",
                "gauge",
                "Age of the oldest waiting message",
                &self.oldest_age_secs,
            ),
            (
                "xeberdar_outbox_alert",
                "gauge",
                "1 while a message waits longer than the alert age",
                &self.alert_active,
            ),
            (
                "xeberdar_delivery_outbox_errors_total",
                "counter",
                "Outbox errors seen by the delivery worker",
                &self.outbox_errors_total,
            ),
        ];
        let mut out = String::new();
        for (name, kind, help, value) in rows {
            out.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {}\n",
                value.load(Ordering::Relaxed)
            ));
        }
        out
    }
}

/// Controls a running worker.
pub struct DeliveryHandle {
    shutdown: watch::Sender<bool>,
    wake: Arc<Notify>,
    metrics: Arc<DeliveryMetrics>,
    task: JoinHandle<()>,
}

impl DeliveryHandle {
    /// Asks the worker to look at the outbox now (call after an enqueue).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// A waker the web layer can keep without holding the whole handle.
    pub fn waker(&self) -> Arc<Notify> {
        Arc::clone(&self.wake)
    }

    /// The worker's counters and gauges.
    pub fn metrics(&self) -> Arc<DeliveryMetrics> {
        Arc::clone(&self.metrics)
    }

    /// Stops the worker: a send in flight may finish within `grace`; after that the task is
    /// aborted (its claimed messages come back when their lease ends — nothing is lost).
    pub async fn shutdown(self, grace: Duration) {
        let _ = self.shutdown.send(true);
        let mut task = self.task;
        if tokio::time::timeout(grace, &mut task).await.is_err() {
            task.abort();
            let _ = task.await;
        }
    }
}

/// Starts the delivery worker on the current tokio runtime.
pub fn spawn(
    outbox: Arc<dyn Outbox>,
    client: Arc<dyn EmailClient>,
    settings: DeliverySettings,
) -> DeliveryHandle {
    let (shutdown, shutdown_rx) = watch::channel(false);
    let wake = Arc::new(Notify::new());
    let metrics = Arc::new(DeliveryMetrics::default());
    let sender = Arc::new(Sender {
        outbox: Arc::clone(&outbox),
        client,
        cap: Cap::new(outbox.as_ref(), settings.hourly_cap_per_recipient),
        metrics: Arc::clone(&metrics),
        backoff_base: Duration::from_millis(settings.backoff_base_ms.max(1)),
        backoff_max: Duration::from_millis(settings.backoff_max_ms.max(1)),
    });
    let worker = Worker {
        outbox,
        sender,
        settings,
        metrics: Arc::clone(&metrics),
        shutdown: shutdown_rx,
        wake: Arc::clone(&wake),
        last_alert_log: None,
        in_flight: JoinSet::new(),
    };
    let task = tokio::spawn(worker.run());
    DeliveryHandle {
        shutdown,
        wake,
        metrics,
        task,
    }
}

struct Worker {
    outbox: Arc<dyn Outbox>,
    sender: Arc<Sender>,
    settings: DeliverySettings,
    metrics: Arc<DeliveryMetrics>,
    shutdown: watch::Receiver<bool>,
    wake: Arc<Notify>,
    last_alert_log: Option<Instant>,
    /// Sends under way, at most `settings.concurrency`. Dropping the set (when the worker
    /// task is aborted after the shutdown grace) aborts them; their messages stay leased in
    /// the outbox and come back when the lease ends.
    in_flight: JoinSet<()>,
}

/// What one send needs, shared by the worker and its send tasks.
struct Sender {
    outbox: Arc<dyn Outbox>,
    client: Arc<dyn EmailClient>,
    cap: Cap,
    metrics: Arc<DeliveryMetrics>,
    backoff_base: Duration,
    backoff_max: Duration,
}

/// Where the per-recipient hourly cap is counted.
enum Cap {
    /// In this process (one process per outbox). Shared with the send tasks, which finish
    /// on their own; never locked across an await.
    Local(Mutex<HourlyCap>),
    /// In the outbox's storage, shared by every replica.
    Shared {
        store: Arc<dyn SharedHourlyCap>,
        limit: u32,
    },
}

/// A place taken in either kind of cap.
enum CapPlace {
    Local(Reservation),
    Shared(SharedReservation),
}

impl Cap {
    fn new(outbox: &dyn Outbox, limit: Option<u32>) -> Cap {
        match (outbox.shared_hourly_cap(), limit) {
            (Some(store), Some(limit)) => Cap::Shared { store, limit },
            _ => Cap::Local(Mutex::new(HourlyCap::new(limit))),
        }
    }

    fn local(m: &Mutex<HourlyCap>) -> MutexGuard<'_, HourlyCap> {
        // A poisoned lock still holds a consistent window.
        m.lock()
    }

    /// A place for one email to `recipient`, or how long to wait for one.
    async fn reserve(&self, recipient: &str) -> Result<Result<CapPlace, Duration>, OutboxError> {
        match self {
            Cap::Local(m) => Ok(Self::local(m)
                .reserve(recipient, Instant::now())
                .map(CapPlace::Local)),
            Cap::Shared { store, limit } => Ok(store
                .reserve(recipient, *limit)
                .await?
                .map(CapPlace::Shared)),
        }
    }

    async fn confirm(&self, place: CapPlace) -> Result<(), OutboxError> {
        match (self, place) {
            (Cap::Local(m), CapPlace::Local(r)) => {
                Self::local(m).confirm(r, Instant::now());
                Ok(())
            }
            (Cap::Shared { store, .. }, CapPlace::Shared(r)) => store.confirm(r).await,
            _ => Ok(()),
        }
    }

    async fn release(&self, place: CapPlace) -> Result<(), OutboxError> {
        match (self, place) {
            (Cap::Local(m), CapPlace::Local(r)) => {
                Self::local(m).release(r);
                Ok(())
            }
            (Cap::Shared { store, .. }, CapPlace::Shared(r)) => store.release(r).await,
            _ => Ok(()),
        }
    }
}

/// How often an ongoing alert is logged again.
const ALERT_REPEAT: Duration = Duration::from_secs(15 * 60);

impl Worker {
    fn stopping(&self) -> bool {
        *self.shutdown.borrow()
    }

    async fn run(mut self) {
        let stats_every = Duration::from_millis(self.settings.stats_interval_ms.max(10));
        let poll = Duration::from_millis(self.settings.poll_interval_ms.max(10));
        let lease = Duration::from_secs(self.settings.lease_secs.max(1));
        let batch = self.settings.batch_size.max(1);
        let concurrency = self.settings.concurrency.max(1);
        let mut next_stats = Instant::now();
        tracing::info!(concurrency, "delivery worker started");
        while !self.stopping() {
            if Instant::now() >= next_stats {
                self.check_stats().await;
                next_stats = Instant::now() + stats_every;
            }
            // Messages being sent keep their lease, so this claim cannot return them again.
            let claimed = match self.outbox.claim(batch, lease).await {
                Ok(c) => c,
                Err(e) => {
                    self.metrics
                        .outbox_errors_total
                        .fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(error = %e, "delivery: cannot claim from the outbox");
                    Vec::new()
                }
            };
            let more = claimed.len() == batch;
            let claimed_at = Instant::now();
            for message in claimed {
                // Wait for a free slot before looking at the lease: the wait may be long.
                self.wait_for_a_free_slot(concurrency).await;
                // Stopping, or the lease is (nearly) over because earlier sends were slow:
                // hand the message back at once rather than risk a second sender (another
                // replica) taking it while we send it.
                let lease_left = lease.saturating_sub(claimed_at.elapsed());
                if self.stopping() || lease_left < lease / 4 {
                    let _ = self.outbox.defer(message.id, SystemTime::now()).await;
                    continue;
                }
                self.dispatch(message).await;
            }
            if more {
                continue;
            }
            let sleep_for = poll.min(next_stats.saturating_duration_since(Instant::now()));
            let mut shutdown = self.shutdown.clone();
            tokio::select! {
                _ = shutdown.changed() => {}
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(sleep_for) => {}
            }
        }
        // Let the sends under way finish; `DeliveryHandle::shutdown` bounds this wait.
        while let Some(done) = self.in_flight.join_next().await {
            log_join_error(done);
        }
        tracing::info!("delivery worker stopped");
    }

    /// Returns once fewer than `concurrency` sends are under way.
    async fn wait_for_a_free_slot(&mut self, concurrency: usize) {
        while let Some(done) = self.in_flight.try_join_next() {
            log_join_error(done);
        }
        while self.in_flight.len() >= concurrency {
            match self.in_flight.join_next().await {
                Some(done) => log_join_error(done),
                None => break,
            }
        }
    }

    /// Holds the message back if its recipient's hourly cap is reached, else starts sending
    /// it in its own task.
    async fn dispatch(&mut self, message: OutboxMessage) {
        let reservation = match self.sender.cap.reserve(message.tip.recipient()).await {
            Ok(Ok(r)) => r,
            Err(e) => {
                // The cap's storage failed (the database is down, say): the message waits a
                // moment without an attempt counted, like any other outbox error.
                outbox_error(&self.metrics, &e);
                let _ = self
                    .outbox
                    .defer(message.id, SystemTime::now() + CAP_ERROR_WAIT)
                    .await;
                return;
            }
            Ok(Err(wait)) => {
                self.metrics
                    .deferred_by_cap_total
                    .fetch_add(1, Ordering::Relaxed);
                tracing::info!(
                    outbox_id = %message.id,
                    wait_secs = wait.as_secs(),
                    "delivery: recipient's hourly cap reached; message waits in the outbox"
                );
                if let Err(e) = self
                    .outbox
                    .defer(message.id, SystemTime::now() + wait)
                    .await
                {
                    outbox_error(&self.metrics, &e);
                }
                return;
            }
        };
        let sender = Arc::clone(&self.sender);
        self.in_flight
            .spawn(async move { sender.deliver(message, reservation).await });
    }
    async fn check_stats(&mut self) {
        let stats: OutboxStats = match self.outbox.stats().await {
            Ok(s) => s,
            Err(e) => {
                outbox_error(&self.metrics, &e);
                return;
            }
        };
        let age = stats.oldest_age.unwrap_or(Duration::ZERO);
        self.metrics.queued.store(stats.queued, Ordering::Relaxed);
        self.metrics
            .oldest_age_secs
            .store(age.as_secs(), Ordering::Relaxed);
        let overdue =
            stats.queued > 0 && age >= Duration::from_secs(self.settings.alert_after_secs);
        let was_active = self
            .metrics
            .alert_active
            .swap(u64::from(overdue), Ordering::Relaxed)
            == 1;
        if !overdue {
            if was_active {
                tracing::info!(queued = stats.queued, "outbox alert cleared");
            }
            self.last_alert_log = None;
            return;
        }
        if !was_active {
            self.metrics.alerts_total.fetch_add(1, Ordering::Relaxed);
        }
        let due = self
            .last_alert_log
            .is_none_or(|t| t.elapsed() >= ALERT_REPEAT);
        if due {
            tracing::error!(
                queued = stats.queued,
                retrying = stats.retrying,
                oldest_age_secs = age.as_secs(),
                alert_after_secs = self.settings.alert_after_secs,
                "ALERT: outbox holds undelivered tips older than the alert threshold; check the mail relay"
            );
            self.last_alert_log = Some(Instant::now());
        }
    }
}

/// How long a message waits when the shared cap could not be asked.
const CAP_ERROR_WAIT: Duration = Duration::from_secs(1);

impl Sender {
    /// Sends one message; deletes it only after the server accepted it, else schedules the
    /// retry with backoff. Either way the message's fate is written to the outbox here.
    async fn deliver(&self, message: OutboxMessage, reservation: CapPlace) {
        match self.client.send(&message.tip).await {
            Ok(()) => {
                if let Err(e) = self.cap.confirm(reservation).await {
                    // The place stays counted at the reservation's second: the cap frees it
                    // a little early, by the send's duration at most.
                    outbox_error(&self.metrics, &e);
                }
                tracing::info!(outbox_id = %message.id, message_id = message.tip.message_id(), "delivery: accepted by the mail server");
                if let Err(e) = self.outbox.mark_delivered(message.id).await {
                    // It will be sent again after its lease: a duplicate with the same
                    // Message-ID, never a loss.
                    outbox_error(&self.metrics, &e);
                }
                // Counted once the row's fate is written, so that a reader who sees the
                // count also sees the outbox without the row.
                self.metrics.delivered_total.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                if let Err(e) = self.cap.release(reservation).await {
                    // The place stays taken until its hour ends: fewer emails, never more.
                    outbox_error(&self.metrics, &e);
                }
                let failures = message.attempts.saturating_add(1);
                self.metrics
                    .failed_attempts_total
                    .fetch_add(1, Ordering::Relaxed);
                if e.is_permanent() {
                    self.metrics
                        .permanent_failures_total
                        .fetch_add(1, Ordering::Relaxed);
                }
                let wait = backoff::delay(failures, self.backoff_base, self.backoff_max);
                tracing::warn!(
                    outbox_id = %message.id,
                    attempts = failures,
                    retry_in_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                    error = %e,
                    "delivery: attempt failed; message kept for retry"
                );
                if let Err(err) = self
                    .outbox
                    .retry_later(message.id, SystemTime::now() + wait, &e.to_string())
                    .await
                {
                    outbox_error(&self.metrics, &err);
                }
            }
        }
    }
}

fn outbox_error(metrics: &DeliveryMetrics, e: &OutboxError) {
    metrics.outbox_errors_total.fetch_add(1, Ordering::Relaxed);
    tracing::warn!(error = %e, "delivery: outbox update failed; the message stays queued");
}

/// A send task that panicked or was aborted: its message keeps its lease and comes back
/// when the lease ends, so only the fact is logged.
fn log_join_error(done: Result<(), tokio::task::JoinError>) {
    if let Err(e) = done {
        if e.is_panic() {
            tracing::error!(
                "delivery: a send task panicked; its message is retried after its lease"
            );
        }
    }
}
