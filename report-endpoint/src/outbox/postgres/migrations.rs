//! Schema migrations, run by every replica at startup.
//!
//! Each migration is a SQL file compiled into the binary, applied once, in order, and
//! recorded with a SHA-256 of its text in `outbox_schema_migrations`. The whole run is one
//! transaction holding a transaction-level advisory lock, so when several replicas start at
//! once exactly one applies the migrations while the others wait for the lock, then find
//! them applied. PostgreSQL's DDL is transactional: a failed migration leaves nothing behind.
//!
//! A recorded migration whose text changed since is refused (the schema would not be what
//! this binary expects). A recorded version this binary does not know comes from a newer
//! binary (a rolling upgrade): logged, not refused, because migrations only add.

use deadpool_postgres::Client;
use sha2::{Digest, Sha256};

use super::map_err;
use crate::outbox::OutboxError;

/// One schema change.
pub struct Migration {
    pub version: i32,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration, in order. Never edit one that has shipped: add the next.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "outbox",
        sql: include_str!("migrations/0001_outbox.sql"),
    },
    Migration {
        version: 2,
        name: "hourly_cap_reserve",
        sql: include_str!("migrations/0002_hourly_cap_reserve.sql"),
    },
    Migration {
        version: 3,
        name: "follow_up_codes",
        sql: include_str!("migrations/0003_follow_up_codes.sql"),
    },
];

/// The advisory lock key every replica's migration run takes ("xeberdar" in ASCII).
const LOCK_KEY: i64 = 0x7865_6265_7264_6172;

fn checksum(sql: &str) -> Vec<u8> {
    Sha256::digest(sql.as_bytes()).to_vec()
}

/// Applies the migrations `client`'s database lacks; returns the versions it applied.
pub async fn run(client: &mut Client) -> Result<Vec<i32>, OutboxError> {
    let tx = client.transaction().await.map_err(map_err)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])
        .await
        .map_err(map_err)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS outbox_schema_migrations (
             version    integer     PRIMARY KEY,
             name       text        NOT NULL,
             checksum   bytea       NOT NULL,
             applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
         )",
    )
    .await
    .map_err(map_err)?;
    let applied: Vec<(i32, Vec<u8>)> = tx
        .query(
            "SELECT version, checksum FROM outbox_schema_migrations ORDER BY version",
            &[],
        )
        .await
        .map_err(map_err)?
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    let mut ran = Vec::new();
    for m in MIGRATIONS {
        let sum = checksum(m.sql);
        match applied.iter().find(|(v, _)| *v == m.version) {
            Some((_, recorded)) if *recorded == sum => continue,
            Some(_) => {
                return Err(OutboxError::Storage(format!(
                    "migration {} ({}) was applied with a different text than this binary's; \
                     the database schema is not the one this version expects",
                    m.version, m.name
                )))
            }
            None => {}
        }
        tx.batch_execute(m.sql).await.map_err(|e| {
            OutboxError::Storage(format!(
                "migration {} ({}) failed: {}",
                m.version,
                m.name,
                map_err(e)
            ))
        })?;
        tx.execute(
            "INSERT INTO outbox_schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
            &[&m.version, &m.name, &sum],
        )
        .await
        .map_err(map_err)?;
        tracing::info!(
            version = m.version,
            name = m.name,
            "outbox: migration applied"
        );
        ran.push(m.version);
    }
    for (version, _) in &applied {
        if !MIGRATIONS.iter().any(|m| m.version == *version) {
            tracing::warn!(
                version,
                "outbox: the database has a migration this binary does not know (a newer release applied it)"
            );
        }
    }
    tx.commit().await.map_err(map_err)?;
    Ok(ran)
}
