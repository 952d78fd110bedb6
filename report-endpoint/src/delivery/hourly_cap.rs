//! The per-recipient hourly cap that protects the unit's inbox from floods (GlobaLeaks was
//! buried under ~700 bot reports, #3908). Messages over the cap are not dropped: they stay in
//! the outbox and are deferred until the window has room again.
//!
//! The window lives in the worker's memory: after a restart the count starts again, which can
//! at most double one hour's emails — an acceptable trade against a write per delivery.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(3600);

#[derive(Debug, Default)]
pub struct HourlyCap {
    limit: Option<u32>,
    sent: HashMap<String, VecDeque<Instant>>,
}

impl HourlyCap {
    pub fn new(limit: Option<u32>) -> Self {
        Self {
            limit,
            sent: HashMap::new(),
        }
    }

    /// `None` if `recipient` may get another email now, else how long until it may.
    pub fn wait_for(&mut self, recipient: &str, now: Instant) -> Option<Duration> {
        let limit = self.limit?;
        let q = self.sent.get_mut(recipient)?;
        while q.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
            q.pop_front();
        }
        if q.len() < limit as usize {
            return None;
        }
        let oldest = q.front().copied()?;
        Some(WINDOW.saturating_sub(now.duration_since(oldest)) + Duration::from_secs(1))
    }

    /// Records one accepted email to `recipient`.
    pub fn record(&mut self, recipient: &str, now: Instant) {
        if self.limit.is_some() {
            self.sent
                .entry(recipient.to_owned())
                .or_default()
                .push_back(now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_per_recipient_and_frees_after_an_hour() {
        let mut cap = HourlyCap::new(Some(2));
        let t0 = Instant::now();
        assert!(cap.wait_for("a@x", t0).is_none());
        cap.record("a@x", t0);
        cap.record("a@x", t0);
        assert!(cap.wait_for("a@x", t0).is_some());
        assert!(cap.wait_for("b@x", t0).is_none());
        assert!(cap.wait_for("a@x", t0 + WINDOW).is_none());
    }

    #[test]
    fn no_limit_never_waits() {
        let mut cap = HourlyCap::new(None);
        let t0 = Instant::now();
        for _ in 0..1000 {
            cap.record("a@x", t0);
        }
        assert!(cap.wait_for("a@x", t0).is_none());
    }
}
