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

    /// Takes one of `recipient`'s places in the window for a send about to start, or says
    /// how long to wait. With several sends in flight, a place must be taken *before* the
    /// send, or concurrent sends could all pass the check and exceed the cap.
    pub fn reserve(&mut self, recipient: &str, now: Instant) -> Result<Reservation, Duration> {
        if let Some(wait) = self.wait_for(recipient, now) {
            return Err(wait);
        }
        self.record(recipient, now);
        Ok(Reservation {
            recipient: recipient.to_owned(),
            at: now,
        })
    }

    /// The reserved email was accepted at `accepted_at`: the window counts it from then.
    pub fn confirm(&mut self, reservation: Reservation, accepted_at: Instant) {
        if self.remove(&reservation) {
            if let Some(q) = self.sent.get_mut(&reservation.recipient) {
                // Keep the queue in time order: `wait_for` reads the oldest at the front.
                let at = q.partition_point(|t| *t <= accepted_at);
                q.insert(at, accepted_at);
            }
        }
    }

    /// The reserved email was not accepted: give its place back.
    pub fn release(&mut self, reservation: Reservation) {
        self.remove(&reservation);
    }

    fn remove(&mut self, reservation: &Reservation) -> bool {
        let Some(q) = self.sent.get_mut(&reservation.recipient) else {
            return false;
        };
        match q.iter().rposition(|t| *t == reservation.at) {
            Some(i) => {
                q.remove(i);
                true
            }
            // Already aged out of the window (a send longer than an hour): nothing to undo.
            None => false,
        }
    }
}

/// One place in a recipient's hourly window, held while its email is being sent.
#[derive(Debug)]
pub struct Reservation {
    recipient: String,
    at: Instant,
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
    fn reservations_hold_places_until_released() {
        let mut cap = HourlyCap::new(Some(2));
        let t0 = Instant::now();
        let a = cap.reserve("a@x", t0).expect("first place");
        let b = cap.reserve("a@x", t0).expect("second place");
        // Two sends in flight: a third must wait even though none was accepted yet.
        assert!(cap.reserve("a@x", t0).is_err());
        cap.release(a);
        let c = cap
            .reserve("a@x", t0)
            .expect("a released place is free again");
        cap.confirm(b, t0 + Duration::from_secs(5));
        cap.confirm(c, t0 + Duration::from_secs(1));
        assert!(cap.reserve("a@x", t0 + Duration::from_secs(10)).is_err());
        // Counted from acceptance: the earlier acceptance frees its place first.
        assert!(cap.wait_for("a@x", t0 + WINDOW).is_some());
        assert!(cap
            .wait_for("a@x", t0 + WINDOW + Duration::from_secs(1))
            .is_none());
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
