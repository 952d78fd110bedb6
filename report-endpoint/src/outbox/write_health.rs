//! Whether the outbox can take tips, as its last writes said. Both backends keep it the same
//! way, so `/health` means the same whatever stores the tips: after an enqueue fails for lack
//! of room or a missing database, health answers 503 until a write commits again, and a
//! health check's own probe write (at most one a second) notices recovery with no tip sent.

use parking_lot::Mutex;
use std::time::{Duration, Instant};

use super::OutboxError;

/// The least time between two write probes while the outbox is in the failed state.
const PROBE_INTERVAL: Duration = Duration::from_secs(1);

#[derive(Debug, Default)]
pub(super) struct WriteHealth(Mutex<State>);

#[derive(Debug, Default)]
struct State {
    /// Set when an enqueue failed because the storage could not take it; cleared by the
    /// next write (a tip or a probe) that commits.
    failing: Option<String>,
    last_probe: Option<Instant>,
}

/// What a health check should do next.
pub(super) enum Probe {
    /// No write has failed since the last one that committed.
    NotNeeded,
    /// Failing, and a probe ran less than a second ago: answer with this reason.
    NotYet(String),
    /// Failing: write a probe now (its time is recorded); this is the reason so far.
    Due(String),
}

impl WriteHealth {
    fn state(&self) -> parking_lot::MutexGuard<'_, State> {
        self.0
            .lock()
    }

    /// Remembers what an enqueue said about the storage.
    pub(super) fn note_enqueue<T>(&self, result: &Result<T, OutboxError>) {
        match result {
            Ok(_) => self.state().failing = None,
            Err(e) if e.is_unavailable() => self.failed(e),
            Err(_) => {}
        }
    }

    /// A write failed for lack of room or of the database.
    pub(super) fn failed(&self, e: &OutboxError) {
        let mut state = self.state();
        if state.failing.is_none() {
            tracing::warn!(error = %e, "the outbox cannot take tips; /health answers 503 until a write succeeds");
        }
        state.failing = Some(e.to_string());
    }

    /// A probe write committed.
    pub(super) fn recovered(&self) {
        if self.state().failing.take().is_some() {
            tracing::info!("the outbox can be written again; /health answers 200");
        }
    }

    pub(super) fn probe(&self) -> Probe {
        let mut state = self.state();
        let Some(reason) = state.failing.clone() else {
            return Probe::NotNeeded;
        };
        if state
            .last_probe
            .is_some_and(|at| at.elapsed() < PROBE_INTERVAL)
        {
            return Probe::NotYet(reason);
        }
        state.last_probe = Some(Instant::now());
        Probe::Due(reason)
    }
}
