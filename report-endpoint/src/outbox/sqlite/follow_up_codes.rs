//! Follow-up lookup keys in the SQLite outbox file.
//!
//! A table without row ids, keyed by the lookup key: rows sit in key order, so nothing in
//! the file says in which order codes were issued. `secure_delete` (set for the whole
//! file) overwrites the keys of expired and withdrawn codes.

use rusqlite::{params, OptionalExtension};

use super::{clone_err, map_err, SqliteOutbox};
use crate::outbox::{FollowUpCodes, LookupKey, OutboxError};

/// Created with the outbox's own tables when the file is opened (and added to an older
/// file the same way).
pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS follow_up_codes (
    lookup_key BLOB    PRIMARY KEY CHECK (length(lookup_key) = 32),
    last_day   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS follow_up_codes_expiry ON follow_up_codes (last_day);
";

#[async_trait::async_trait]
impl FollowUpCodes for SqliteOutbox {
    async fn remember(&self, key: LookupKey, today: i64, last_day: i64) -> Result<(), OutboxError> {
        let result = self
            .with_conn(move |conn| {
                // No fsync of its own: the tip's commit right after it, on this connection and
                // with synchronous=FULL, fsyncs the WAL with this commit's frames in it.
                conn.execute_batch("PRAGMA synchronous=NORMAL;")
                    .map_err(map_err)?;
                let written = (|| {
                    let tx = conn.transaction().map_err(map_err)?;
                    tx.execute(
                        "DELETE FROM follow_up_codes WHERE last_day < ?1",
                        params![today],
                    )
                    .map_err(map_err)?;
                    tx.execute(
                    "INSERT OR REPLACE INTO follow_up_codes (lookup_key, last_day) VALUES (?1, ?2)",
                    params![key.0.as_slice(), last_day],
                )
                .map_err(map_err)?;
                    tx.commit().map_err(map_err)
                })();
                let restored = conn
                    .execute_batch("PRAGMA synchronous=FULL;")
                    .map_err(map_err);
                written.and(restored)
            })
            .await;
        // It is the first write of a tip: a full disk shows here first, and /health must
        // hear of it as if the tip itself had failed.
        if let Err(e) = &result {
            self.note_enqueue(&Err(clone_err(e)));
        }
        result
    }

    async fn is_known(&self, key: LookupKey, today: i64) -> Result<bool, OutboxError> {
        self.with_conn(move |conn| {
            conn.query_row(
                "SELECT 1 FROM follow_up_codes WHERE lookup_key = ?1 AND last_day >= ?2",
                params![key.0.as_slice(), today],
                |_| Ok(()),
            )
            .optional()
            .map(|found| found.is_some())
            .map_err(map_err)
        })
        .await
    }

    async fn forget(&self, key: LookupKey) -> Result<(), OutboxError> {
        self.with_conn(move |conn| {
            conn.execute(
                "DELETE FROM follow_up_codes WHERE lookup_key = ?1",
                params![key.0.as_slice()],
            )
            .map(|_| ())
            .map_err(map_err)
        })
        .await
    }
}
