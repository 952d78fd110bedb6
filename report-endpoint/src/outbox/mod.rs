//! The durable outbox: sealed emails wait here until a mail server has accepted them.
//!
//! A tip is acknowledged to the visitor ("received") only after [`Outbox::enqueue`] returned,
//! and `enqueue` returns only once the sealed emails are durable (fsync'd). From then on a
//! message leaves the outbox only through [`Outbox::mark_delivered`], which the delivery worker
//! calls after the server answered 250. Nothing is ever dropped for being old or failing.
//!
//! The outbox holds **ciphertext only**: [`SealedTip`]s, which only the sealer can make, plus
//! routing metadata (sender, recipient, Message-ID, attempts, times, a short error summary that
//! never contains tip content).
//!
//! Two implementations: the embedded default [`SqliteOutbox`] (one process, one file), and
//! [`PostgresOutbox`] for several replicas sharing one database. Claims carry a *lease*: a
//! worker that crashes after claiming does not strand messages, because they become due
//! again when the lease ends — in the same process after a restart, or in another replica.

mod follow_up_codes;
pub mod free_space;
pub mod postgres;
mod shared_hourly_cap;
mod sqlite;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use async_trait::async_trait;

use crate::seal::SealedTip;

pub use follow_up_codes::{FollowUpCodes, LookupKey};
pub use postgres::PostgresOutbox;
pub use shared_hourly_cap::{SharedHourlyCap, SharedReservation, WINDOW};
pub use sqlite::SqliteOutbox;

/// The outbox row of one sealed email.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OutboxId(pub i64);

impl std::fmt::Display for OutboxId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A claimed message, ready to send.
#[derive(Debug, Clone)]
pub struct OutboxMessage {
    pub id: OutboxId,
    pub tip: SealedTip,
    /// Failed delivery attempts so far.
    pub attempts: u32,
    pub created_at: SystemTime,
}

/// Counts for health checks and alerts (nothing that identifies anyone).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxStats {
    /// Messages waiting (including ones currently claimed).
    pub queued: u64,
    /// Messages that failed at least once.
    pub retrying: u64,
    /// How long the oldest waiting message has waited.
    pub oldest_age: Option<Duration>,
}

/// Whether the outbox can take a tip now: what `/health` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    /// Why not, for the log and the operator (never shown to visitors).
    NotReady(String),
}

impl Readiness {
    pub fn is_ready(&self) -> bool {
        matches!(self, Readiness::Ready)
    }
}

/// Why the outbox could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    /// The storage cannot take writes right now (disk full, read-only, I/O error, locked,
    /// cannot open). The web layer answers 503 with the hotline; nothing was half-written.
    #[error("outbox storage unavailable: {0}")]
    Unavailable(String),
    /// Any other storage failure (e.g. corruption); also answered with 503.
    #[error("outbox storage error: {0}")]
    Storage(String),
    /// The row is gone (already delivered by another worker whose lease ran out).
    #[error("outbox message {0} not found")]
    NotFound(OutboxId),
}

impl OutboxError {
    /// True when the storage is full or unavailable (the web layer's 503 case).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, OutboxError::Unavailable(_))
    }
}

/// Durable storage of sealed emails until delivery. Object-safe: use `Arc<dyn Outbox>`.
#[async_trait]
pub trait Outbox: Send + Sync + 'static {
    /// Stores all emails of one tip atomically (all or none) and durably before returning;
    /// they are due for delivery at once.
    async fn enqueue(&self, tips: Vec<SealedTip>) -> Result<Vec<OutboxId>, OutboxError> {
        self.enqueue_not_before(tips, SystemTime::now()).await
    }

    /// Like [`Outbox::enqueue`], but the emails are not handed out by [`Outbox::claim`]
    /// before `not_before` (the web layer paces tips of one busy source this way, so one
    /// source cannot take all of a recipient's hourly places; see
    /// [`crate::source_pacing`]). A time in the past means "due now".
    async fn enqueue_not_before(
        &self,
        tips: Vec<SealedTip>,
        not_before: SystemTime,
    ) -> Result<Vec<OutboxId>, OutboxError>;

    /// Claims up to `limit` due messages (oldest due first) for `lease`: they are not handed out
    /// again until the lease ends or [`Outbox::retry_later`]/[`Outbox::defer`] is called.
    async fn claim(&self, limit: usize, lease: Duration)
        -> Result<Vec<OutboxMessage>, OutboxError>;

    /// The server accepted the message: delete it. Deleting a missing row is not an error.
    async fn mark_delivered(&self, id: OutboxId) -> Result<(), OutboxError>;

    /// A delivery attempt failed: count it, remember a short summary (no content), and make the
    /// message due again at `next_attempt_at`.
    async fn retry_later(
        &self,
        id: OutboxId,
        next_attempt_at: SystemTime,
        error_summary: &str,
    ) -> Result<(), OutboxError>;

    /// Releases a claimed message without counting an attempt (e.g. the recipient's hourly cap
    /// is reached); it becomes due at `not_before`.
    async fn defer(&self, id: OutboxId, not_before: SystemTime) -> Result<(), OutboxError>;

    /// Queue length and the age of the oldest message, for alerts and `/metrics`.
    async fn stats(&self) -> Result<OutboxStats, OutboxError>;

    /// Whether a tip could be stored now, cheaply enough to answer every `/health` request.
    /// It must recover by itself: a store that said "not ready" has to notice when it can
    /// write again even if no tip arrives meanwhile (the page shows no form while it says
    /// no). The default, for stores with no such signal, is always ready.
    async fn readiness(&self) -> Readiness {
        Readiness::Ready
    }

    /// The per-recipient hourly cap kept in this store, for stores that several processes
    /// share (each process counting alone would let every replica send the whole cap).
    /// `None`, the default: one process uses the store and counts in memory.
    fn shared_hourly_cap(&self) -> Option<Arc<dyn SharedHourlyCap>> {
        None
    }

    /// The lookup keys of follow-up codes, kept in this store. `None`, the default: this
    /// store keeps none, and tips sent through it get no follow-up code.
    fn follow_up_codes(&self) -> Option<Arc<dyn FollowUpCodes>> {
        None
    }
}

/// An error summary safe to store: one line, at most 200 characters.
pub(crate) fn summarize_error(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(200)
        .collect();
    one_line.trim().to_owned()
}
