//! Exponential backoff with jitter for failed deliveries.
//!
//! The delay after the n-th failure is `base * 2^(n-1)`, capped at `max`, then drawn uniformly
//! from its upper half ("equal jitter"): retries spread out instead of hammering a relay that
//! just came back all at the same second, and never wait longer than `max`.

use std::time::Duration;

use rand::Rng as _;

/// The wait before the next attempt after `failures` failed attempts (1 = first failure).
pub fn delay(failures: u32, base: Duration, max: Duration) -> Duration {
    let exp = failures.saturating_sub(1).min(30);
    let full = base
        .saturating_mul(1u32 << exp)
        .min(max)
        .max(Duration::from_millis(1));
    let half = full / 2;
    let jitter_ms = u64::try_from((full - half).as_millis()).unwrap_or(u64::MAX);
    half + Duration::from_millis(rand::thread_rng().gen_range(0..=jitter_ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_and_is_capped() {
        let base = Duration::from_secs(2);
        let max = Duration::from_secs(60);
        for n in 1..50 {
            let d = delay(n, base, max);
            let full = base.saturating_mul(1 << (n - 1).min(30)).min(max);
            assert!(d >= full / 2 && d <= full, "n={n} d={d:?}");
        }
    }
}
