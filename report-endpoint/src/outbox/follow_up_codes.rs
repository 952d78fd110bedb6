//! Where the lookup keys of follow-up codes are kept: beside the outbox, in the same
//! database, so a replica that can store tips can also store and check codes.

use async_trait::async_trait;

use super::OutboxError;

/// HMAC-SHA-256 of a follow-up code under the server's secret: the only trace of a code
/// on the server. `Debug` does not print it (it is not secret, but it is nobody's
/// business either).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct LookupKey(pub [u8; 32]);

impl std::fmt::Debug for LookupKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LookupKey(..)")
    }
}

/// The set of lookup keys of follow-up codes that still work. Days are days since
/// 1970-01-01 (UTC): a key is kept with the last day its code works and nothing else.
#[async_trait]
pub trait FollowUpCodes: Send + Sync + 'static {
    /// Adds `key`, to work until the end of day `last_day`, and drops keys whose last day
    /// was before `today`.
    ///
    /// It may return before the key is on disk: the caller stores the tip next, in the
    /// same database, and that write is durable before the tipster sees the receipt; a
    /// database's log is written in order, so the key is on disk by then too. An extra
    /// flush per tip would halve the rate at which tips can be stored.
    async fn remember(&self, key: LookupKey, today: i64, last_day: i64) -> Result<(), OutboxError>;

    /// Whether `key` is there and its last day is not before `today`.
    async fn is_known(&self, key: LookupKey, today: i64) -> Result<bool, OutboxError>;

    /// Removes `key` (a code whose tip was not stored). Removing a missing key is not an
    /// error.
    async fn forget(&self, key: LookupKey) -> Result<(), OutboxError>;
}
