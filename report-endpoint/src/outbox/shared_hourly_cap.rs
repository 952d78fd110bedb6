//! The hourly cap kept in the outbox's own storage, for outboxes that several replicas
//! share: the delivery worker counts against it ([`crate::delivery`]), each shared backend
//! keeps it (PostgreSQL: `postgres/hourly_cap.rs`).

use std::time::Duration;

use async_trait::async_trait;

use super::OutboxError;

/// How long a place in the cap stays taken once its email was accepted.
pub const WINDOW: Duration = Duration::from_secs(3600);

/// The hourly cap counted in storage that every replica shares, with the same per-second
/// counting and the same reserve → confirm/release steps as the worker's in-memory
/// [`HourlyCap`](crate::delivery::hourly_cap::HourlyCap). A replica that dies between
/// reserve and confirm leaves its place taken until the window ends: the cap errs on the
/// side of fewer emails, never more.
#[async_trait]
pub trait SharedHourlyCap: Send + Sync + 'static {
    /// Takes one of `recipient`'s places for a send about to start (`Ok(Ok(_))`), or says
    /// how long until one frees up (`Ok(Err(wait))`).
    async fn reserve(
        &self,
        recipient: &str,
        limit: u32,
    ) -> Result<Result<SharedReservation, Duration>, OutboxError>;

    /// The reserved email was accepted now: its place counts from this second.
    async fn confirm(&self, reservation: SharedReservation) -> Result<(), OutboxError>;

    /// The reserved email was not accepted: its place is free again.
    async fn release(&self, reservation: SharedReservation) -> Result<(), OutboxError>;
}

/// One place taken in a [`SharedHourlyCap`]: the recipient and the second (on the
/// storage's clock) it was counted in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedReservation {
    pub recipient: String,
    pub second: i64,
}
