//! Fairness under a flood: one busy source cannot take every place of a recipient's
//! hourly cap ([`crate::delivery::hourly_cap`]) and make everyone else's tips wait.
//!
//! The cap is first come, first served: without pacing, a source that sends a few hundred
//! tips (each with a solved proof of work) fills the hour's places, and a real tip from
//! anyone else waits behind all of them, for hours. So each source's tips are *paced* when
//! they enter the outbox: a source may have [`BURST`] tips due at once, and after that one
//! more every `pace`, which is two hours divided by the cap (60 s for the default 120 an
//! hour). In any hour one source's tips thus become due at most `BURST + cap / 2` times,
//! and at least `cap / 2 - BURST` places stay for every other source: a tip from a fresh
//! client is due at once and goes out at once. The flood's tips are not dropped: each waits
//! in the outbox until its time and is delivered then.
//!
//! A source is the salted hash the rate limits use ([`crate::rate_limit`]), kept only in
//! memory here, with the time its next tip may be due: no address is stored, nothing of it
//! reaches the disk (the outbox holds only each email's due time, as it always did), and a
//! source whose tips are all due is forgotten. Requests without a known client address
//! (a local preview) are not paced: they would all count as one source. After a restart,
//! or when the rate limits' salt is replaced, every source starts afresh.

use parking_lot::Mutex;
use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime};

use crate::rate_limit::SourceKey;

/// Tips of one source that may be due at once before pacing starts: a tipster who sends
/// a few reports in a row sees all of them go out at once.
pub const BURST: u32 = 5;

/// How often sources with nothing left to pace are forgotten.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

#[derive(Debug)]
pub struct SourcePacing {
    /// Time between two due tips of one source after its burst; `None`: no pacing (no cap).
    pace: Option<Duration>,
    state: Mutex<Pacing>,
}

#[derive(Debug)]
struct Pacing {
    /// Per source, the "theoretical arrival time" of the generic cell rate algorithm: the
    /// source is paced while this is more than `BURST` paces ahead of now.
    ahead_until: HashMap<SourceKey, Instant>,
    last_sweep: Instant,
}

impl SourcePacing {
    /// Pacing for a recipient cap of `hourly_cap` emails an hour (`None`: no cap, no
    /// pacing).
    pub fn new(hourly_cap: Option<u32>) -> Self {
        let pace = hourly_cap
            .filter(|&c| c > 0)
            .map(|c| Duration::from_secs(2 * 3600) / c);
        Self {
            pace,
            state: Mutex::new(Pacing {
                ahead_until: HashMap::new(),
                last_sweep: Instant::now(),
            }),
        }
    }

    /// When the next tip of `source` may be delivered: now, unless the source has sent
    /// more than its burst lately. Counts the tip.
    pub fn due(&self, source: Option<SourceKey>) -> SystemTime {
        self.due_at(source, Instant::now(), SystemTime::now())
    }

    fn due_at(&self, source: Option<SourceKey>, now: Instant, wall: SystemTime) -> SystemTime {
        let (Some(pace), Some(source)) = (self.pace, source) else {
            return wall;
        };
        let mut state = self.state.lock();
        if now.saturating_duration_since(state.last_sweep) >= SWEEP_EVERY {
            state.last_sweep = now;
            state.ahead_until.retain(|_, until| *until > now);
        }
        let until = state
            .ahead_until
            .get(&source)
            .copied()
            .filter(|u| *u > now)
            .unwrap_or(now)
            + pace;
        state.ahead_until.insert(source, until);
        let wait = until
            .saturating_duration_since(now)
            .saturating_sub(pace * BURST);
        wall + wait
    }

    /// Sources currently remembered (for tests of the memory bound).
    #[cfg(test)]
    fn sources_held(&self) -> usize {
        self.state.lock().ahead_until.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Option<SourceKey> = Some([1; 16]);
    const B: Option<SourceKey> = Some([2; 16]);

    fn waits(p: &SourcePacing, source: Option<SourceKey>, now: Instant, wall: SystemTime) -> u64 {
        p.due_at(source, now, wall)
            .duration_since(wall)
            .expect("never in the past")
            .as_secs()
    }

    #[test]
    fn a_source_gets_its_burst_at_once_then_one_tip_per_pace() {
        let p = SourcePacing::new(Some(120)); // pace 60 s
        let (t0, w0) = (Instant::now(), SystemTime::now());
        let flood: Vec<u64> = (0..10).map(|_| waits(&p, A, t0, w0)).collect();
        assert_eq!(flood, [0, 0, 0, 0, 0, 60, 120, 180, 240, 300]);
        // Anyone else is due at once, however long the flood's queue.
        assert_eq!(waits(&p, B, t0, w0), 0);
        // In any hour one source becomes due at most BURST + cap / 2 times.
        let more: Vec<u64> = (0..200).map(|_| waits(&p, A, t0, w0)).collect();
        let in_first_hour = flood.iter().chain(&more).filter(|&&w| w < 3600).count();
        // (the 60th paced tip falls exactly on the hour's end).
        assert_eq!(in_first_hour, BURST as usize + 59);
    }

    #[test]
    fn a_quiet_source_is_forgotten_and_starts_afresh() {
        let p = SourcePacing::new(Some(120));
        let (t0, w0) = (Instant::now(), SystemTime::now());
        for _ in 0..7 {
            p.due_at(A, t0, w0);
        }
        // Seven tips took the source 7 paces ahead; after that its burst is back.
        let later = t0 + Duration::from_secs(7 * 60);
        assert_eq!(waits(&p, A, later, w0), 0);
        // The sweep (once a minute) forgets sources with nothing left to pace.
        let much_later = later + Duration::from_secs(3600);
        p.due_at(B, much_later, w0);
        assert_eq!(p.sources_held(), 1, "only the source just seen");
    }

    #[test]
    fn no_cap_or_no_known_source_means_no_pacing() {
        let (t0, w0) = (Instant::now(), SystemTime::now());
        let uncapped = SourcePacing::new(None);
        let capped = SourcePacing::new(Some(2));
        for _ in 0..50 {
            assert_eq!(waits(&uncapped, A, t0, w0), 0);
            assert_eq!(waits(&capped, None, t0, w0), 0);
        }
    }
}
