//! Self-hosted proof of work. The server signs a challenge (random nonce, expiry,
//! difficulty) with an HMAC, so it keeps no state per challenge issued; the browser finds
//! a counter whose SHA-256 over `challenge:counter` starts with `difficulty` zero bits;
//! the server checks the signature, the expiry and the work, and remembers the nonce until
//! it expires so a solution works once.
//!
//! The used nonces are kept by expiry second: `expiry → set of 16-byte nonces`. A solution's
//! expiry is signed together with its nonce, so a replay always lands in the same bucket
//! (an exact check, no hashing that could refuse an honest visitor by collision), and
//! forgetting expired nonces is dropping whole buckets from the front of an ordered map:
//! no walk over every remembered nonce on each request. Memory is bounded by the accepted
//! rate × the TTL, at about 17 bytes a nonce plus the sets' spare capacity.
//!
//! Why our own and not `altcha-lib-rs`: the protocol is a few dozen lines with `hmac` and
//! `sha2`, which the crate already builds for rPGP, while altcha's crate brings chrono,
//! regex-free parsing of its own formats and a widget protocol we do not use.

use std::collections::{BTreeMap, HashSet};
use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use parking_lot::Mutex;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretSlice};
use sha2::{Digest, Sha256};

use super::{Captcha, CaptchaError, CaptchaView};
use crate::domain::{PassedCheck, RawTipForm};

type HmacSha256 = Hmac<Sha256>;

/// What `GET <prefix>/challenge` answers.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Challenge {
    /// `v1.<nonce>.<expires>.<difficulty>.<signature>`; the solution is `<challenge>:<n>`.
    pub challenge: String,
    pub difficulty: u8,
    /// Unix seconds.
    pub expires: u64,
}

impl Challenge {
    /// The solution the form's script finds: the first counter whose hash meets the
    /// difficulty. For tools and tests that stand in for a browser.
    pub fn solve(&self) -> String {
        (0u64..)
            .map(|n| format!("{}:{n}", self.challenge))
            .find(|s| {
                leading_zero_bits(&Sha256::digest(s.as_bytes())) >= u32::from(self.difficulty)
            })
            .unwrap_or_default()
    }
}

pub struct ProofOfWork {
    key: SecretSlice<u8>,
    difficulty: u8,
    ttl_secs: u64,
    /// Nonces already used, grouped by their (signed) expiry; see the module docs.
    used: Mutex<UsedNonces>,
}

/// A nonce as issued: 16 random bytes (sent as 32 lowercase hex digits).
type Nonce = [u8; 16];

/// The used nonces that have not expired, by expiry second.
#[derive(Debug, Default)]
struct UsedNonces {
    by_expiry: BTreeMap<u64, HashSet<Nonce>>,
}

impl UsedNonces {
    /// Records `nonce` (which expires at `expires`); `false` if it was already used.
    /// First forgets every nonce that expired before `now`: those solutions are refused
    /// as expired before they get here, so remembering them would only cost memory.
    fn insert(&mut self, nonce: Nonce, expires: u64, now: u64) -> bool {
        while let Some(entry) = self.by_expiry.first_entry() {
            if *entry.key() >= now {
                break;
            }
            entry.remove();
        }
        self.by_expiry.entry(expires).or_default().insert(nonce)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.by_expiry.values().map(HashSet::len).sum()
    }
}

/// The nonce of a challenge we issued; anything else (which only a holder of the key could
/// have signed) is refused rather than remembered under a lossy key.
fn parse_nonce(hex_nonce: &str) -> Option<Nonce> {
    let mut nonce = [0u8; 16];
    let canonical = hex_nonce.len() == 32
        && hex_nonce
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !canonical {
        return None;
    }
    hex::decode_to_slice(hex_nonce, &mut nonce).ok()?;
    Some(nonce)
}

impl std::fmt::Debug for ProofOfWork {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProofOfWork")
            .field("difficulty", &self.difficulty)
            .finish_non_exhaustive()
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl ProofOfWork {
    /// `key` signs challenges; `None` draws a random one for this process.
    pub fn new(key: Option<&[u8]>, difficulty: u8, ttl_secs: u64) -> Self {
        let key = match key {
            Some(k) => k.to_vec(),
            None => {
                let mut k = vec![0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut k);
                k
            }
        };
        Self {
            key: SecretSlice::from(key),
            difficulty,
            ttl_secs,
            used: Mutex::new(UsedNonces::default()),
        }
    }

    /// The MAC of `payload` under this process's key, ready to finalize or verify.
    fn mac_of(&self, payload: &str) -> HmacSha256 {
        // HMAC takes a key of any length (a longer one is hashed first, RFC 2104), so
        // `new_from_slice` cannot fail for it; the error type exists for other MACs.
        #[allow(clippy::expect_used)]
        let mut mac = HmacSha256::new_from_slice(self.key.expose_secret())
            .expect("HMAC accepts keys of any length");
        mac.update(payload.as_bytes());
        mac
    }

    fn sign(&self, payload: &str) -> String {
        hex::encode(self.mac_of(payload).finalize().into_bytes())
    }

    pub fn issue(&self) -> Challenge {
        let mut nonce = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let expires = now() + self.ttl_secs;
        let payload = format!("v1.{}.{}.{}", hex::encode(nonce), expires, self.difficulty);
        let signature = self.sign(&payload);
        Challenge {
            challenge: format!("{payload}.{signature}"),
            difficulty: self.difficulty,
            expires,
        }
    }

    /// Checks a solution `<challenge>:<counter>`.
    pub fn check(&self, solution: &str) -> Result<(), CaptchaError> {
        let solution = solution.trim();
        if solution.is_empty() {
            return Err(CaptchaError::Missing);
        }
        if solution.len() > 256 {
            return Err(CaptchaError::Invalid);
        }
        let (challenge, counter) = solution.rsplit_once(':').ok_or(CaptchaError::Invalid)?;
        let parts: Vec<&str> = challenge.split('.').collect();
        let [version, nonce, expires, difficulty, signature] = parts[..] else {
            return Err(CaptchaError::Invalid);
        };
        if version != "v1" || counter.is_empty() || !counter.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CaptchaError::Invalid);
        }
        let payload = format!("{version}.{nonce}.{expires}.{difficulty}");
        let Ok(given) = hex::decode(signature) else {
            return Err(CaptchaError::Invalid);
        };
        // `verify_slice` compares in constant time: the signature leaks nothing by timing.
        if self.mac_of(&payload).verify_slice(&given).is_err() {
            return Err(CaptchaError::Invalid);
        }
        let nonce = parse_nonce(nonce).ok_or(CaptchaError::Invalid)?;
        let expires: u64 = expires.parse().map_err(|_| CaptchaError::Invalid)?;
        let difficulty: u8 = difficulty.parse().map_err(|_| CaptchaError::Invalid)?;
        let now = now();
        if now > expires {
            return Err(CaptchaError::Expired);
        }
        if difficulty < self.difficulty {
            return Err(CaptchaError::Invalid);
        }
        let hash = Sha256::digest(format!("{challenge}:{counter}").as_bytes());
        if leading_zero_bits(&hash) < u32::from(difficulty) {
            return Err(CaptchaError::Invalid);
        }
        let mut used = self.used.lock();
        if !used.insert(nonce, expires, now) {
            return Err(CaptchaError::Replayed);
        }
        Ok(())
    }
}

/// Leading zero bits of a hash; public so tests and tools can solve challenges.
pub fn leading_zero_bits(hash: &[u8]) -> u32 {
    let mut bits = 0;
    for byte in hash {
        if *byte == 0 {
            bits += 8;
        } else {
            bits += byte.leading_zeros();
            break;
        }
    }
    bits
}

#[async_trait::async_trait]
impl Captcha for ProofOfWork {
    fn view(&self) -> CaptchaView {
        CaptchaView {
            kind: "pow",
            site_key: None,
        }
    }

    async fn verify(&self, form: &RawTipForm) -> Result<PassedCheck, CaptchaError> {
        self.check(&form.pow).map(|()| PassedCheck::ProofOfWork)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solve(c: &Challenge) -> String {
        c.solve()
    }

    #[test]
    fn solved_once_then_replay_is_refused() {
        let pow = ProofOfWork::new(None, 8, 60);
        let c = pow.issue();
        let s = solve(&c);
        assert_eq!(pow.check(&s), Ok(()));
        assert_eq!(pow.check(&s), Err(CaptchaError::Replayed));
    }

    #[test]
    fn forged_unsolved_and_foreign_challenges_are_refused() {
        let pow = ProofOfWork::new(Some(b"k"), 8, 60);
        let other = ProofOfWork::new(Some(b"other"), 8, 60);
        let c = other.issue();
        assert_eq!(pow.check(&solve(&c)), Err(CaptchaError::Invalid));
        let mine = pow.issue();
        // A counter that does not meet the difficulty (hash check) is refused.
        let bad = (0u64..)
            .map(|n| format!("{}:{n}", mine.challenge))
            .find(|s| leading_zero_bits(&Sha256::digest(s.as_bytes())) == 0)
            .unwrap_or_default();
        assert_eq!(pow.check(&bad), Err(CaptchaError::Invalid));
        assert_eq!(pow.check(""), Err(CaptchaError::Missing));
        assert_eq!(pow.check("garbage"), Err(CaptchaError::Invalid));
    }

    #[test]
    fn used_nonces_are_forgotten_only_after_they_expire() {
        let mut used = UsedNonces::default();
        let (a, b, c) = ([1u8; 16], [2u8; 16], [3u8; 16]);
        assert!(used.insert(a, 100, 50));
        assert!(used.insert(b, 101, 50));
        // Same nonce, same (signed) expiry: a replay, refused at any time before expiry.
        assert!(!used.insert(a, 100, 60));
        assert!(!used.insert(a, 100, 100));
        // Another nonce in the same second is not a replay.
        assert!(used.insert(c, 100, 100));
        assert_eq!(used.len(), 3);
        // At 101 the bucket of second 100 has expired (its solutions are refused as
        // expired before reaching the set), so it is dropped; 101 is kept.
        assert!(used.insert([4u8; 16], 700, 101));
        assert_eq!(used.len(), 2);
        assert!(!used.insert(b, 101, 101));
        assert!(used.insert([5u8; 16], 701, 800));
        assert_eq!(used.len(), 1);
    }

    #[test]
    fn many_solutions_are_each_accepted_once() {
        let pow = ProofOfWork::new(Some(b"k"), 1, 60);
        let solutions: Vec<String> = (0..500).map(|_| solve(&pow.issue())).collect();
        for s in &solutions {
            assert_eq!(pow.check(s), Ok(()));
        }
        for s in &solutions {
            assert_eq!(pow.check(s), Err(CaptchaError::Replayed));
        }
        let used = pow.used.lock().len();
        assert_eq!(used, 500);
    }

    #[test]
    fn only_nonces_we_issue_are_accepted() {
        assert_eq!(parse_nonce(&"ab".repeat(16)), Some([0xab; 16]));
        assert_eq!(parse_nonce(&"AB".repeat(16)), None);
        assert_eq!(parse_nonce(&"ab".repeat(15)), None);
        assert_eq!(parse_nonce(&"zz".repeat(16)), None);
        let pow = ProofOfWork::new(Some(b"k"), 1, 60);
        let payload = format!("v1.{}.{}.1", "AB".repeat(16), now() + 60);
        let c = Challenge {
            challenge: format!("{payload}.{}", pow.sign(&payload)),
            difficulty: 1,
            expires: 0,
        };
        assert_eq!(pow.check(&solve(&c)), Err(CaptchaError::Invalid));
    }

    #[test]
    fn expired_challenges_are_refused() {
        let pow = ProofOfWork::new(Some(b"k"), 4, 60);
        let payload = format!("v1.{}.{}.4", "00".repeat(16), now() - 1);
        let c = Challenge {
            challenge: format!("{payload}.{}", pow.sign(&payload)),
            difficulty: 4,
            expires: 0,
        };
        assert_eq!(pow.check(&solve(&c)), Err(CaptchaError::Expired));
    }
}
