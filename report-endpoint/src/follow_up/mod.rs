//! Follow-up codes: a tipster adds to a report they sent, and nothing on the server ties
//! the two submissions together except a keyed hash.
//!
//! * **The code.** With a tip the endpoint draws a [`FollowUpCode`]: 28 symbols of
//!   Crockford's base32 (140 bits from the operating system's random source), shown in
//!   seven groups of four on the one-time receipt page and nowhere else. It is private,
//!   unlike the reference code, which the tipster may quote to the unit.
//! * **What is stored.** Only the code's lookup key, HMAC-SHA-256 under the server's
//!   follow-up secret ([`FollowUpSecret`]), and the day it stops working, in the outbox's
//!   database (both backends). Not the code, not the reference code, no time of day, no
//!   client: the key is useless without the code and the secret, and matches a code only
//!   for someone who holds it.
//! * **The reference code is computed, not stored.** A tip that gets a follow-up code
//!   takes as its reference code a second HMAC of the code under the same secret
//!   ([`FollowUpSecret::reference`]), so the follow-up names the same reference without
//!   any table pairing the two. The reference still looks random (it is an HMAC output),
//!   and knowing it tells nothing about the code.
//! * **A follow-up** is sealed and stored like a tip: a new encrypted email whose
//!   encrypted body names the reference code; its outer headers are those of every tip.
//!   The unit joins the two by the reference code; the server cannot.
//! * **One secret for all replicas**, from configuration (`[follow_up] secret_file`).
//!   Changing it makes every code issued before it unknown.

mod code;
mod secret;

pub use code::{FollowUpCode, ALPHABET, LENGTH};
pub use secret::{FollowUpSecret, DEMO_SECRET};

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::domain::ReferenceCode;
use crate::outbox::{FollowUpCodes, LookupKey, OutboxError};

/// A code just issued, with what the tip is sealed with.
#[derive(Debug)]
pub struct IssuedCode {
    pub code: FollowUpCode,
    pub reference: ReferenceCode,
    /// To withdraw the code if the tip cannot be stored after all.
    pub key: LookupKey,
}

/// Issues and resolves follow-up codes: the secret, the store, and how long codes work.
pub struct FollowUps {
    secret: FollowUpSecret,
    codes: Arc<dyn FollowUpCodes>,
    ttl_days: u32,
}

impl std::fmt::Debug for FollowUps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FollowUps")
            .field("ttl_days", &self.ttl_days)
            .finish_non_exhaustive()
    }
}

/// Days since 1970-01-01 (UTC): the only precision a code's expiry is kept at.
fn today() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| {
        i64::try_from(d.as_secs() / 86_400).unwrap_or(i64::MAX)
    })
}

impl FollowUps {
    pub fn new(secret: FollowUpSecret, codes: Arc<dyn FollowUpCodes>, ttl_days: u32) -> Self {
        Self {
            secret,
            codes,
            ttl_days,
        }
    }

    /// How many days a code works after its report was sent.
    pub fn ttl_days(&self) -> u32 {
        self.ttl_days
    }

    /// Draws a code for a new tip and stores its lookup key. Call before the tip is
    /// stored: the tip's own durable write then makes the key durable too (see
    /// [`FollowUpCodes::remember`]).
    pub async fn issue(&self) -> Result<IssuedCode, OutboxError> {
        let code = FollowUpCode::generate();
        let key = self.secret.lookup_key(&code);
        let today = today();
        self.codes
            .remember(key, today, today + i64::from(self.ttl_days))
            .await?;
        let reference = self.secret.reference(&code);
        Ok(IssuedCode {
            code,
            reference,
            key,
        })
    }

    /// Forgets a code whose tip could not be stored (nobody has seen it).
    pub async fn withdraw(&self, key: LookupKey) {
        if let Err(e) = self.codes.forget(key).await {
            tracing::warn!(error = %e, "an unused follow-up code could not be removed; it expires by itself");
        }
    }

    /// The reference code of the report `code` belongs to, or `None` when no report has
    /// this code (never issued, expired, or issued under another secret).
    pub async fn reference_for(
        &self,
        code: &FollowUpCode,
    ) -> Result<Option<ReferenceCode>, OutboxError> {
        let known = self
            .codes
            .is_known(self.secret.lookup_key(code), today())
            .await?;
        Ok(known.then(|| self.secret.reference(code)))
    }
}
