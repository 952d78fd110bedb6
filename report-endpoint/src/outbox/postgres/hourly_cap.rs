//! The per-recipient hourly cap in PostgreSQL, shared by every replica.
//!
//! Counts per recipient per second of the database's clock (replicas' clocks may differ;
//! the database's is the one they share), like the in-memory cap. A reservation is one call
//! of `outbox_hourly_cap_reserve` (migration 2), which holds a transaction-level advisory
//! lock on the recipient while it counts and takes a place, so two replicas cannot both see
//! the last free place and both take it; confirm and release are single statements.

use std::time::Duration;

use async_trait::async_trait;
use deadpool_postgres::Pool;

use super::{map_err, map_pool_err};
use crate::outbox::OutboxError;
use crate::outbox::{SharedHourlyCap, SharedReservation, WINDOW};

/// The hourly cap kept in the outbox's database.
#[derive(Clone)]
pub struct PostgresHourlyCap {
    pool: Pool,
}

impl PostgresHourlyCap {
    pub fn new(pool: Pool) -> Self {
        Self { pool }
    }
}

fn window_secs() -> i64 {
    i64::try_from(WINDOW.as_secs()).unwrap_or(3600)
}

#[async_trait]
impl SharedHourlyCap for PostgresHourlyCap {
    async fn reserve(
        &self,
        recipient: &str,
        limit: u32,
    ) -> Result<Result<SharedReservation, Duration>, OutboxError> {
        let client = self.pool.get().await.map_err(map_pool_err)?;
        let reserve = client
            .prepare_cached(
                "SELECT reserved_second, wait_ms FROM outbox_hourly_cap_reserve($1, $2, $3)",
            )
            .await
            .map_err(map_err)?;
        let row = client
            .query_one(&reserve, &[&recipient, &i64::from(limit), &window_secs()])
            .await
            .map_err(map_err)?;
        let second: Option<i64> = row.get(0);
        let wait_ms: Option<i64> = row.get(1);
        Ok(match second {
            Some(second) => Ok(SharedReservation {
                recipient: recipient.to_owned(),
                second,
            }),
            None => {
                let wait = Duration::from_millis(u64::try_from(wait_ms.unwrap_or(0)).unwrap_or(0));
                Err(wait + Duration::from_secs(1))
            }
        })
    }

    async fn confirm(&self, reservation: SharedReservation) -> Result<(), OutboxError> {
        let client = self.pool.get().await.map_err(map_pool_err)?;
        // One statement: a reservation in another replica never sees the place missing.
        client
            .execute(
                // (A place reserved in this very second stays where it is: one statement
                // may not change the same row twice.)
                "WITH clock AS (SELECT floor(extract(epoch FROM clock_timestamp()))::bigint AS s), \
                 moved AS ( \
                     UPDATE outbox_hourly_sends SET sent = sent - 1 \
                     WHERE recipient = $1 AND second = $2 AND sent > 0 \
                     AND second <> (SELECT s FROM clock) RETURNING recipient) \
                 INSERT INTO outbox_hourly_sends (recipient, second, sent) \
                 SELECT recipient, (SELECT s FROM clock), 1 FROM moved \
                 ON CONFLICT (recipient, second) DO UPDATE SET sent = outbox_hourly_sends.sent + 1",
                &[&reservation.recipient, &reservation.second],
            )
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn release(&self, reservation: SharedReservation) -> Result<(), OutboxError> {
        let client = self.pool.get().await.map_err(map_pool_err)?;
        client
            .execute(
                "UPDATE outbox_hourly_sends SET sent = sent - 1 \
                 WHERE recipient = $1 AND second = $2 AND sent > 0",
                &[&reservation.recipient, &reservation.second],
            )
            .await
            .map_err(map_err)?;
        Ok(())
    }
}
