//! The one-time "received" pages: a random token → (reference code, language), in memory
//! only, removed when the page is shown or when it expires. The reference code is not
//! kept anywhere else on this side: it lives on inside the sealed tip.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::RngCore;

use crate::domain::{Lang, ReferenceCode};

/// At most this many pages wait to be shown; past it the oldest go first. Bounds memory
/// under a flood that the rate limits did not stop.
const MAX_WAITING: usize = 50_000;

pub struct Receipts {
    ttl: Duration,
    waiting: Mutex<HashMap<String, (ReferenceCode, Lang, Instant)>>,
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
            waiting: Mutex::new(HashMap::new()),
        }
    }

    /// Stores a page to show once; returns its opaque token (128 random bits, hex).
    pub fn insert(&self, reference: ReferenceCode, lang: Lang) -> String {
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let token = hex::encode(bytes);
        let now = Instant::now();
        let mut waiting = match self.waiting.lock() {
            Ok(w) => w,
            Err(poisoned) => poisoned.into_inner(),
        };
        waiting.retain(|_, (_, _, at)| now.duration_since(*at) < self.ttl);
        if waiting.len() >= MAX_WAITING {
            if let Some(oldest) = waiting
                .iter()
                .min_by_key(|(_, (_, _, at))| *at)
                .map(|(k, _)| k.clone())
            {
                waiting.remove(&oldest);
            }
        }
        waiting.insert(token.clone(), (reference, lang, now));
        token
    }

    /// The page behind `token`, once, if it has not expired.
    pub fn take(&self, token: &str) -> Option<(ReferenceCode, Lang)> {
        let mut waiting = match self.waiting.lock() {
            Ok(w) => w,
            Err(poisoned) => poisoned.into_inner(),
        };
        let (reference, lang, at) = waiting.remove(token)?;
        (at.elapsed() < self.ttl).then_some((reference, lang))
    }
}
