//! The one-time "received" pages: a random token → (reference code, language), in memory
//! only, removed when the page is shown or when it expires. The reference code is not
//! kept anywhere else on this side: it lives on inside the sealed tip.
//!
//! Tokens are issued in time order, so a queue of them in that order finds the expired
//! and the oldest ones from its front: no request walks the whole map, however many pages
//! wait.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::RngCore;

use crate::domain::{Lang, ReferenceCode};

/// At most this many pages wait to be shown; past it the oldest go first. Bounds memory
/// under a flood that the rate limits did not stop.
const MAX_WAITING: usize = 50_000;

type Token = [u8; 16];

#[derive(Default)]
struct Waiting {
    pages: HashMap<Token, (ReferenceCode, Lang, Instant)>,
    /// Every token still in `pages`, oldest first, and some already shown (dropped when they
    /// reach the front); never longer than `MAX_WAITING`.
    issued: VecDeque<(Instant, Token)>,
}

pub struct Receipts {
    ttl: Duration,
    waiting: Mutex<Waiting>,
}

impl std::fmt::Debug for Receipts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receipts")
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

impl Receipts {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            waiting: Mutex::new(Waiting::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Waiting> {
        match self.waiting.lock() {
            Ok(w) => w,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Stores a page to show once; returns its opaque token (128 random bits, hex).
    pub fn insert(&self, reference: ReferenceCode, lang: Lang) -> String {
        let mut token = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut token);
        let mut waiting = self.lock();
        let now = Instant::now();
        while let Some(&(at, oldest)) = waiting.issued.front() {
            if now.duration_since(at) < self.ttl && waiting.issued.len() < MAX_WAITING {
                break;
            }
            waiting.issued.pop_front();
            waiting.pages.remove(&oldest);
        }
        waiting.pages.insert(token, (reference, lang, now));
        waiting.issued.push_back((now, token));
        hex::encode(token)
    }

    /// The page behind `token`, once, if it has not expired.
    pub fn take(&self, token: &str) -> Option<(ReferenceCode, Lang)> {
        let mut key: Token = [0u8; 16];
        hex::decode_to_slice(token, &mut key).ok()?;
        let (reference, lang, at) = self.lock().pages.remove(&key)?;
        (at.elapsed() < self.ttl).then_some((reference, lang))
    }

    /// How many pages wait to be shown.
    pub fn len(&self) -> usize {
        self.lock().pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> ReferenceCode {
        ReferenceCode::generate()
    }

    fn az() -> Lang {
        crate::domain::Languages::new("az", [])
            .default_lang()
            .clone()
    }

    #[test]
    fn a_page_is_shown_once_and_not_after_it_expires() {
        let receipts = Receipts::new(Duration::from_secs(600));
        let token = receipts.insert(reference(), az());
        assert_eq!(token.len(), 32);
        assert!(receipts.take("not a token").is_none());
        assert!(receipts.take(&token).is_some());
        assert!(receipts.take(&token).is_none());

        let receipts = Receipts::new(Duration::from_millis(20));
        let late = receipts.insert(reference(), az());
        std::thread::sleep(Duration::from_millis(30));
        assert!(receipts.take(&late).is_none());
    }

    #[test]
    fn never_more_than_the_cap_wait_and_the_oldest_go_first() {
        let receipts = Receipts::new(Duration::from_secs(600));
        let first = receipts.insert(reference(), az());
        let second = receipts.insert(reference(), az());
        for _ in 0..MAX_WAITING {
            receipts.insert(reference(), az());
        }
        assert_eq!(receipts.len(), MAX_WAITING);
        assert!(receipts.take(&first).is_none());
        assert!(receipts.take(&second).is_none());
    }

    #[test]
    fn expired_pages_are_dropped_by_the_next_insert() {
        let receipts = Receipts::new(Duration::from_millis(20));
        for _ in 0..100 {
            receipts.insert(reference(), az());
        }
        std::thread::sleep(Duration::from_millis(30));
        receipts.insert(reference(), az());
        assert_eq!(receipts.len(), 1);
    }
}
