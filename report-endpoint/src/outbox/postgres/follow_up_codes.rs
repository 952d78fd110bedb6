//! Follow-up lookup keys in the PostgreSQL outbox database (migration 3), shared by every
//! replica like the outbox itself.

use async_trait::async_trait;

use super::{map_err, PostgresOutbox};
use crate::outbox::{FollowUpCodes, LookupKey, OutboxError};

/// Days as the table stores them; a day number out of `integer`'s range is not a date.
fn day(d: i64) -> i32 {
    i32::try_from(d).unwrap_or(if d < 0 { i32::MIN } else { i32::MAX })
}

impl PostgresOutbox {
    async fn insert_key(
        &self,
        key: LookupKey,
        today: i64,
        last_day: i64,
    ) -> Result<(), OutboxError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(map_err)?;
        // Not waiting for the WAL flush: the tip's commit that follows waits for the WAL
        // up to its own record, which comes after this one.
        tx.batch_execute("SET LOCAL synchronous_commit = off")
            .await
            .map_err(map_err)?;
        let key_bytes = key.0.to_vec();
        tx.execute(
            "DELETE FROM follow_up_codes WHERE last_day < $1",
            &[&day(today)],
        )
        .await
        .map_err(map_err)?;
        tx.execute(
            "INSERT INTO follow_up_codes (lookup_key, last_day) VALUES ($1, $2) \
             ON CONFLICT (lookup_key) DO UPDATE SET last_day = excluded.last_day",
            &[&key_bytes, &day(last_day)],
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }
}

#[async_trait]
impl FollowUpCodes for PostgresOutbox {
    async fn remember(&self, key: LookupKey, today: i64, last_day: i64) -> Result<(), OutboxError> {
        let result = self.insert_key(key, today, last_day).await;
        // It is the first write of a tip: a database that cannot take writes shows here
        // first, and /health must hear of it as if the tip itself had failed.
        if let Err(e) = &result {
            let failed = match e {
                OutboxError::Unavailable(m) => OutboxError::Unavailable(m.clone()),
                other => OutboxError::Storage(other.to_string()),
            };
            self.note_enqueue(&Err(failed));
        }
        result
    }

    async fn is_known(&self, key: LookupKey, today: i64) -> Result<bool, OutboxError> {
        let client = self.client().await?;
        let key_bytes = key.0.to_vec();
        let row = client
            .query_opt(
                "SELECT 1 FROM follow_up_codes WHERE lookup_key = $1 AND last_day >= $2",
                &[&key_bytes, &day(today)],
            )
            .await
            .map_err(map_err)?;
        Ok(row.is_some())
    }

    async fn forget(&self, key: LookupKey) -> Result<(), OutboxError> {
        let client = self.client().await?;
        let key_bytes = key.0.to_vec();
        client
            .execute(
                "DELETE FROM follow_up_codes WHERE lookup_key = $1",
                &[&key_bytes],
            )
            .await
            .map_err(map_err)?;
        Ok(())
    }
}
