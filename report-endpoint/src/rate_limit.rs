//! Per-client rate limits that never hold a client address: the key is a SHA-256 of the
//! address with a random salt, kept only in memory. The salt is replaced every
//! `salt_rotation_secs`, together with all counters, so even a memory dump cannot link
//! hashes across rotations, or to an address without the current salt.
//!
//! Between rotations, clients whose counters are back to a fresh state are swept out once
//! a minute, so memory follows the clients active in the last hour, not every client
//! seen since the last rotation.

use parking_lot::{Mutex, RwLock};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::configuration::RateLimitSettings;

/// Which limit a request counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    /// Every tip submission.
    Tip,
    /// Submissions that passed only the no-JavaScript question (stricter).
    NoJsTip,
    /// Proof-of-work challenges issued.
    Challenge,
    /// Follow-up submissions, whatever their code: guessing codes costs one each.
    FollowUp,
}

/// A client's salted hash: the same for one client until the salt is replaced, and
/// unlinkable to its address without the salt, which never leaves memory.
pub type SourceKey = [u8; 16];

type Key = SourceKey;

struct Generation {
    salt: [u8; 32],
    started: Instant,
    tip: DefaultKeyedRateLimiter<Key>,
    no_js: DefaultKeyedRateLimiter<Key>,
    challenge: DefaultKeyedRateLimiter<Key>,
    follow_up: DefaultKeyedRateLimiter<Key>,
}

/// `fc00:dead:beef:4dad::/96`: with `HiddenServiceExportCircuitID haproxy`, Tor names each
/// onion-service circuit as an address in this range (the circuit number in the last 32
/// bits). Visitors on an onion service have no address of their own; without this, every
/// Tor visitor would share one /64 and so one limit, which a single visitor could use up.
const TOR_CIRCUIT_PREFIX: [u8; 12] = [0xfc, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x4d, 0xad, 0, 0, 0, 0];

/// How often clients with nothing left to count are dropped from the limiters.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

pub struct RateLimits {
    settings: RateLimitSettings,
    current: RwLock<Generation>,
    last_sweep: Mutex<Instant>,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimits")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

impl Generation {
    fn new(s: &RateLimitSettings) -> Self {
        let mut salt = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut salt);
        Self {
            salt,
            started: Instant::now(),
            tip: RateLimiter::keyed(Quota::per_hour(nz(s.tips_per_hour))),
            no_js: RateLimiter::keyed(Quota::per_hour(nz(s.no_js_tips_per_hour))),
            challenge: RateLimiter::keyed(Quota::per_minute(nz(s.challenges_per_minute))),
            follow_up: RateLimiter::keyed(Quota::per_hour(nz(s.follow_ups_per_hour))),
        }
    }

    fn limiters(&self) -> [&DefaultKeyedRateLimiter<Key>; 4] {
        [&self.tip, &self.no_js, &self.challenge, &self.follow_up]
    }

    fn key(&self, client: Option<IpAddr>) -> Key {
        let mut h = Sha256::new();
        h.update(self.salt);
        match client {
            Some(IpAddr::V4(a)) => h.update(a.octets()),
            // A Tor circuit, as the onion mirror's proxy names it: each is its own client.
            Some(IpAddr::V6(a)) if a.octets()[..12] == TOR_CIRCUIT_PREFIX => h.update(a.octets()),
            // A /64 is one customer's network for most providers: treat it as one client.
            Some(IpAddr::V6(a)) => h.update(&a.octets()[..8]),
            None => h.update(b"unknown"),
        }
        let digest = h.finalize();
        let mut key = [0u8; 16];
        key.copy_from_slice(&digest[..16]);
        key
    }
}

impl RateLimits {
    pub fn new(settings: RateLimitSettings) -> Self {
        let current = RwLock::new(Generation::new(&settings));
        Self {
            settings,
            current,
            last_sweep: Mutex::new(Instant::now()),
        }
    }

    /// Counts one request of `client` against `bucket`; `false` when over the limit.
    pub fn check(&self, bucket: Bucket, client: Option<IpAddr>) -> bool {
        self.rotate_if_due();
        self.sweep_if_due();
        let generation = self.current.read();
        let key = generation.key(client);
        let limiter = match bucket {
            Bucket::Tip => &generation.tip,
            Bucket::NoJsTip => &generation.no_js,
            Bucket::Challenge => &generation.challenge,
            Bucket::FollowUp => &generation.follow_up,
        };
        limiter.check_key(&key).is_ok()
    }

    /// The client's salted hash under the current salt (for per-source fairness), or
    /// `None` when the address is unknown (then every client would be one source).
    pub fn source_key(&self, client: Option<IpAddr>) -> Option<SourceKey> {
        client?;
        let generation = self.current.read();
        Some(generation.key(client))
    }

    fn rotate_if_due(&self) {
        let due = {
            let g = self.current.read();
            g.started.elapsed() >= Duration::from_secs(self.settings.salt_rotation_secs)
        };
        if due {
            self.rotate();
        }
    }

    fn sweep_if_due(&self) {
        let mut last = self.last_sweep.lock();
        if last.elapsed() >= SWEEP_EVERY {
            *last = Instant::now();
            drop(last);
            self.sweep();
        }
    }

    /// Drops every client whose counters are indistinguishable from a client never seen.
    fn sweep(&self) {
        let generation = self.current.read();
        for limiter in generation.limiters() {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }

    /// How many clients the limiters hold counters for, summed over the buckets.
    #[cfg(test)]
    fn clients_held(&self) -> usize {
        let generation = self.current.read();
        generation.limiters().iter().map(|l| l.len()).sum()
    }

    /// Replaces the salt and forgets every counter.
    pub fn rotate(&self) {
        let fresh = Generation::new(&self.settings);
        *self.current.write() = fresh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_client_and_rotation_resets() {
        let limits = RateLimits::new(RateLimitSettings {
            tips_per_hour: 2,
            no_js_tips_per_hour: 1,
            challenges_per_minute: 1,
            follow_ups_per_hour: 1,
            salt_rotation_secs: 3600,
        });
        let a = Some(IpAddr::from([192, 0, 2, 1]));
        let b = Some(IpAddr::from([192, 0, 2, 2]));
        assert!(limits.check(Bucket::Tip, a));
        assert!(limits.check(Bucket::Tip, a));
        assert!(!limits.check(Bucket::Tip, a));
        assert!(limits.check(Bucket::Tip, b));
        assert!(limits.check(Bucket::NoJsTip, a));
        assert!(!limits.check(Bucket::NoJsTip, a));
        limits.rotate();
        assert!(limits.check(Bucket::Tip, a));
    }

    #[test]
    fn each_tor_circuit_is_its_own_client_but_a_v6_network_is_one() {
        let limits = RateLimits::new(RateLimitSettings {
            tips_per_hour: 1,
            no_js_tips_per_hour: 1,
            challenges_per_minute: 1,
            follow_ups_per_hour: 1,
            salt_rotation_secs: 3600,
        });
        let circuit = |n: u16| Some(IpAddr::from([0xfc00, 0xdead, 0xbeef, 0x4dad, 0, 0, 0, n]));
        assert!(limits.check(Bucket::Tip, circuit(1)));
        assert!(!limits.check(Bucket::Tip, circuit(1)));
        assert!(limits.check(Bucket::Tip, circuit(2)));
        let host = |n: u16| Some(IpAddr::from([0x2001, 0xdb8, 0, 1, 0, 0, 0, n]));
        assert!(limits.check(Bucket::Tip, host(1)));
        assert!(
            !limits.check(Bucket::Tip, host(2)),
            "two hosts of one /64 share a limit"
        );
    }

    #[test]
    fn sweep_forgets_clients_with_nothing_left_to_count_and_keeps_the_others() {
        // A limit so generous that one request is forgotten within nanoseconds, beside
        // one so strict that a request is remembered for an hour.
        let limits = RateLimits::new(RateLimitSettings {
            tips_per_hour: 1,
            no_js_tips_per_hour: 1,
            challenges_per_minute: u32::MAX,
            follow_ups_per_hour: 1,
            salt_rotation_secs: 3600,
        });
        for last in 0..100u8 {
            assert!(limits.check(Bucket::Challenge, Some(IpAddr::from([192, 0, 2, last]))));
        }
        let tipster = Some(IpAddr::from([198, 51, 100, 7]));
        assert!(limits.check(Bucket::Tip, tipster));
        assert_eq!(limits.clients_held(), 101);
        std::thread::sleep(Duration::from_millis(5));
        limits.sweep();
        assert_eq!(limits.clients_held(), 1);
        assert!(
            !limits.check(Bucket::Tip, tipster),
            "the swept limiter forgot a live count"
        );
    }
}
