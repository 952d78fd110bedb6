//! The one-time "received" pages: a random token → (what to show, language), in memory
//! only, removed when the page is shown or when it expires. The reference code is not
//! kept anywhere else on this side: it lives on inside the sealed tip. A tip's follow-up
//! code waits here too, between the tip's 303 and the one GET that shows it, and nowhere
//! else: once shown (or expired) it cannot be shown again, and the token in the address
//! is random, not derived from either code.
//!
//! Waiting pages are also kept ordered by issue time, so the expired and the oldest are
//! found at the front: no request walks the whole map, however many pages wait.

use parking_lot::Mutex;
use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use rand::RngCore;

use crate::domain::{Lang, ReferenceCode};
use crate::follow_up::FollowUpCode;

/// At most this many pages wait to be shown; past it the oldest go first. Bounds memory
/// under a flood that the rate limits did not stop.
const MAX_WAITING: usize = 50_000;

type Token = [u8; 16];

/// A file the receipt names: its sanitized name and the message key saying what was
/// removed from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptFile {
    pub name: String,
    pub removed_key: &'static str,
}

/// What a receipt page shows.
#[derive(Debug)]
pub enum Receipt {
    /// A tip: its reference code, and its follow-up code when follow-ups are on.
    Tip {
        reference: ReferenceCode,
        follow_up: Option<FollowUpCode>,
        /// The files sent with the tip, each with what was removed from it.
        files: Vec<ReceiptFile>,
    },
    /// An addition sent with a follow-up code, joined to the report with this reference.
    Addition {
        reference: ReferenceCode,
        /// The files sent with the addition, each with what was removed from it.
        files: Vec<ReceiptFile>,
    },
}

impl Receipt {
    /// A tip without a follow-up code.
    pub fn tip(reference: ReferenceCode) -> Self {
        Receipt::Tip {
            reference,
            follow_up: None,
            files: Vec::new(),
        }
    }
}

#[derive(Default)]
struct Waiting {
    pages: HashMap<Token, (Receipt, Lang, Instant)>,
    /// The same pages as `pages`, oldest first.
    by_age: BTreeSet<(Instant, Token)>,
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

    fn lock(&self) -> parking_lot::MutexGuard<'_, Waiting> {
        self.waiting.lock()
    }

    /// Stores a page to show once; returns its opaque token (128 random bits, hex).
    pub fn insert(&self, receipt: Receipt, lang: Lang) -> String {
        let mut token = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut token);
        let mut waiting = self.lock();
        let now = Instant::now();
        while let Some(&(at, oldest)) = waiting.by_age.first() {
            if now.duration_since(at) < self.ttl && waiting.pages.len() < MAX_WAITING {
                break;
            }
            waiting.by_age.pop_first();
            waiting.pages.remove(&oldest);
        }
        waiting.pages.insert(token, (receipt, lang, now));
        waiting.by_age.insert((now, token));
        hex::encode(token)
    }

    /// The page behind `token`, once, if it has not expired.
    pub fn take(&self, token: &str) -> Option<(Receipt, Lang)> {
        let mut key: Token = [0u8; 16];
        hex::decode_to_slice(token, &mut key).ok()?;
        let mut waiting = self.lock();
        let (receipt, lang, at) = waiting.pages.remove(&key)?;
        waiting.by_age.remove(&(at, key));
        drop(waiting);
        (at.elapsed() < self.ttl).then_some((receipt, lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> Receipt {
        Receipt::tip(ReferenceCode::generate())
    }

    fn az() -> Lang {
        Lang::new("az").unwrap()
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
        assert_eq!(receipts.lock().pages.len(), MAX_WAITING);
        assert!(receipts.take(&first).is_none());
        assert!(receipts.take(&second).is_none());
    }

    #[test]
    fn pages_already_shown_do_not_count_against_the_cap() {
        let receipts = Receipts::new(Duration::from_secs(600));
        let slow_visitor = receipts.insert(reference(), az());
        for _ in 0..MAX_WAITING + 10 {
            let token = receipts.insert(reference(), az());
            assert!(receipts.take(&token).is_some());
        }
        let waiting = receipts.lock();
        assert_eq!((waiting.pages.len(), waiting.by_age.len()), (1, 1));
        drop(waiting);
        assert!(receipts.take(&slow_visitor).is_some());
    }

    #[test]
    fn expired_pages_are_dropped_by_the_next_insert() {
        let receipts = Receipts::new(Duration::from_millis(20));
        for _ in 0..100 {
            receipts.insert(reference(), az());
        }
        std::thread::sleep(Duration::from_millis(30));
        receipts.insert(reference(), az());
        assert_eq!(receipts.lock().pages.len(), 1);
    }
}
