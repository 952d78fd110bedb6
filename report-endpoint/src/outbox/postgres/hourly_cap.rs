//! The per-recipient hourly cap in PostgreSQL, shared by every replica.
//!
//! Counts per recipient per second of the database's clock (replicas' clocks may differ;
//! the database's is the one they share), like the in-memory cap. A reservation takes a
//! transaction-level advisory lock on the recipient, so two replicas cannot both see the
//! last free place and both take it; confirm and release are single statements.

use std::time::Duration;

use async_trait::async_trait;
use deadpool_postgres::Pool;

use super::{map_err, map_pool_err};
use crate::delivery::hourly_cap::{SharedHourlyCap, SharedReservation, WINDOW};
use crate::outbox::OutboxError;

/// The advisory lock class of cap reservations (the second key is the recipient's hash).
const LOCK_CLASS: i32 = 0x7863_6170; // "xcap"

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
        let mut client = self.pool.get().await.map_err(map_pool_err)?;
        let tx = client.transaction().await.map_err(map_err)?;
        tx.execute(
            "SELECT pg_advisory_xact_lock($1, hashtext($2))",
            &[&LOCK_CLASS, &recipient],
        )
        .await
        .map_err(map_err)?;
        // A second's places are free once the whole second is a window old.
        tx.execute(
            "DELETE FROM outbox_hourly_sends WHERE recipient = $1 \
             AND second + 1 + $2::bigint <= extract(epoch FROM clock_timestamp())",
            &[&recipient, &window_secs()],
        )
        .await
        .map_err(map_err)?;
        let row = tx
            .query_one(
                "SELECT extract(epoch FROM clock_timestamp())::float8, \
                 coalesce(sum(sent), 0)::bigint, min(second) FILTER (WHERE sent > 0) \
                 FROM outbox_hourly_sends WHERE recipient = $1",
                &[&recipient],
            )
            .await
            .map_err(map_err)?;
        let now: f64 = row.get(0);
        let taken: i64 = row.get(1);
        let oldest: Option<i64> = row.get(2);
        let answer = if taken < i64::from(limit) {
            // Whole seconds since the epoch, far inside i64.
            let second = now.floor() as i64;
            tx.execute(
                "INSERT INTO outbox_hourly_sends (recipient, second, sent) VALUES ($1, $2, 1) \
                 ON CONFLICT (recipient, second) DO UPDATE SET sent = outbox_hourly_sends.sent + 1",
                &[&recipient, &second],
            )
            .await
            .map_err(map_err)?;
            Ok(SharedReservation {
                recipient: recipient.to_owned(),
                second,
            })
        } else {
            let frees_at = oldest.unwrap_or(now.floor() as i64) + 1 + window_secs();
            let wait = (frees_at as f64 - now).max(0.0);
            Err(Duration::from_secs_f64(wait) + Duration::from_secs(1))
        };
        tx.commit().await.map_err(map_err)?;
        Ok(answer)
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
