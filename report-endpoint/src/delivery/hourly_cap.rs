//! The per-recipient hourly cap that protects the unit's inbox from floods (GlobaLeaks was
//! buried under ~700 bot reports, #3908). Messages over the cap are not dropped: they stay in
//! the outbox and are deferred until the window has room again.
//!
//! With one process ([`HourlyCap`]) the window lives in the worker's memory: after a restart
//! the count starts again, which can at most double one hour's emails — an acceptable trade
//! against a write per delivery. Several replicas sharing one outbox must count together, or
//! each would send the whole cap: an outbox shared by processes offers a
//! [`SharedHourlyCap`](crate::outbox::SharedHourlyCap) kept in its own storage
//! (`Outbox::shared_hourly_cap`).

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use crate::outbox::WINDOW;

/// One recipient's last hour, counted per second: memory stays at most 3,600 small entries
/// however many emails go out (a timestamp per email grew with the rate: 14 MB an hour at
/// 250 emails/s, when the cap is set high). A place is freed when the whole second it was
/// taken in is an hour old, so at most a second later than an exact count would.
#[derive(Debug, Default)]
struct Window {
    /// (second since the cap was made, emails counted in it), oldest first, no zero counts.
    seconds: VecDeque<(u64, u32)>,
    total: u64,
}

impl Window {
    fn add(&mut self, second: u64) {
        let at = self.seconds.partition_point(|(s, _)| *s < second);
        match self.seconds.get_mut(at) {
            Some((s, count)) if *s == second => *count += 1,
            _ => self.seconds.insert(at, (second, 1)),
        }
        self.total += 1;
    }

    /// `false` if `second` is no longer in the window (it aged out).
    fn remove(&mut self, second: u64) -> bool {
        let Some(at) = self.seconds.iter().rposition(|(s, _)| *s == second) else {
            return false;
        };
        if let Some((_, count)) = self.seconds.get_mut(at) {
            *count -= 1;
            if *count == 0 {
                self.seconds.remove(at);
            }
        }
        self.total -= 1;
        true
    }
}

#[derive(Debug)]
pub struct HourlyCap {
    limit: Option<u32>,
    origin: Instant,
    sent: HashMap<String, Window>,
}

impl HourlyCap {
    pub fn new(limit: Option<u32>) -> Self {
        Self {
            limit,
            origin: Instant::now(),
            sent: HashMap::new(),
        }
    }

    fn second(&self, t: Instant) -> u64 {
        t.saturating_duration_since(self.origin).as_secs()
    }

    /// `None` if `recipient` may get another email now, else how long until it may.
    pub fn wait_for(&mut self, recipient: &str, now: Instant) -> Option<Duration> {
        let limit = self.limit?;
        let origin = self.origin;
        let w = self.sent.get_mut(recipient)?;
        while let Some(&(second, count)) = w.seconds.front() {
            if frees_at(origin, second) > now {
                break;
            }
            w.seconds.pop_front();
            w.total -= u64::from(count);
        }
        if w.total < u64::from(limit) {
            return None;
        }
        let &(oldest, _) = w.seconds.front()?;
        Some(frees_at(origin, oldest).saturating_duration_since(now) + Duration::from_secs(1))
    }

    /// Records one accepted email to `recipient`.
    pub fn record(&mut self, recipient: &str, now: Instant) {
        if self.limit.is_some() {
            let second = self.second(now);
            self.sent
                .entry(recipient.to_owned())
                .or_default()
                .add(second);
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
            second: self.second(now),
        })
    }

    /// The reserved email was accepted at `accepted_at`: the window counts it from then.
    pub fn confirm(&mut self, reservation: Reservation, accepted_at: Instant) {
        let second = self.second(accepted_at);
        if let Some(w) = self.sent.get_mut(&reservation.recipient) {
            if w.remove(reservation.second) {
                w.add(second);
            }
        }
    }

    /// The reserved email was not accepted: give its place back.
    pub fn release(&mut self, reservation: Reservation) {
        if let Some(w) = self.sent.get_mut(&reservation.recipient) {
            w.remove(reservation.second);
        }
    }
}

/// When every email counted in `second` has been out for an hour.
fn frees_at(origin: Instant, second: u64) -> Instant {
    origin + Duration::from_secs(second + 1) + WINDOW
}

/// One place in a recipient's hourly window, held while its email is being sent.
#[derive(Debug)]
pub struct Reservation {
    recipient: String,
    second: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_per_recipient_and_frees_after_an_hour() {
        let mut cap = HourlyCap::new(Some(2));
        let t0 = cap.origin;
        assert!(cap.wait_for("a@x", t0).is_none());
        cap.record("a@x", t0);
        cap.record("a@x", t0);
        assert!(cap.wait_for("a@x", t0).is_some());
        assert!(cap.wait_for("b@x", t0).is_none());
        // Freed once the whole second they were sent in is an hour old.
        assert!(cap.wait_for("a@x", t0 + WINDOW + SECOND).is_none());
    }

    #[test]
    fn reservations_hold_places_until_released() {
        let mut cap = HourlyCap::new(Some(2));
        let t0 = cap.origin;
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
        // Counted from acceptance: the earlier acceptance frees its place first (a second
        // after its own second is an hour old), the later one four seconds after that.
        assert!(cap.wait_for("a@x", t0 + WINDOW).is_some());
        assert!(cap.wait_for("a@x", t0 + WINDOW + 2 * SECOND).is_none());
        assert!(cap.reserve("a@x", t0 + WINDOW + 2 * SECOND).is_ok());
        assert!(cap.wait_for("a@x", t0 + WINDOW + 3 * SECOND).is_some());
        assert!(cap.wait_for("a@x", t0 + WINDOW + 7 * SECOND).is_none());
    }

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn memory_follows_seconds_not_emails() {
        let mut cap = HourlyCap::new(Some(u32::MAX));
        let t0 = cap.origin;
        for i in 0..100_000u32 {
            cap.record("a@x", t0 + Duration::from_millis(u64::from(i % 1000)));
        }
        let window = &cap.sent["a@x"];
        assert_eq!((window.seconds.len(), window.total), (1, 100_000));
        // Two hours of one email every second: the window keeps the last hour only.
        for s in 0..7200 {
            cap.record("a@x", t0 + s * SECOND);
            assert!(cap.wait_for("a@x", t0 + s * SECOND).is_none());
        }
        let window = &cap.sent["a@x"];
        assert!(window.seconds.len() <= 3601, "{}", window.seconds.len());
        assert_eq!(window.total, window.seconds.len() as u64);
    }

    #[test]
    fn the_wait_ends_when_the_oldest_place_is_freed() {
        let mut cap = HourlyCap::new(Some(1));
        let t0 = cap.origin;
        cap.record("a@x", t0);
        let wait = cap.wait_for("a@x", t0 + 10 * SECOND).expect("capped");
        assert!(
            wait <= WINDOW - 8 * SECOND && wait >= WINDOW - 10 * SECOND,
            "{wait:?}"
        );
        assert!(cap.wait_for("a@x", t0 + 10 * SECOND + wait).is_none());
    }

    #[test]
    fn no_limit_never_waits() {
        let mut cap = HourlyCap::new(None);
        let t0 = cap.origin;
        for _ in 0..1000 {
            cap.record("a@x", t0);
        }
        assert!(cap.wait_for("a@x", t0).is_none());
    }
}
