//! The outbox in PostgreSQL, for several endpoint replicas sharing one database.
//!
//! The same guarantees as the SQLite outbox, across processes and machines:
//!
//! * **Durable before "received".** `enqueue` is one transaction; its commit returns after
//!   the WAL is flushed. Every connection sets `synchronous_commit = on`, so a server whose
//!   default was lowered cannot make a tip's acknowledgement outrun the disk.
//! * **Claims with a lease.** `claim` picks due rows with `FOR UPDATE SKIP LOCKED` (replicas
//!   claiming at once never wait for each other and never get the same row) and stamps a
//!   lease on them in the same statement. A replica that dies holding rows does not strand
//!   them: they are due again for every replica when the lease ends.
//! * **Times on the database's clock.** Leases, due times and the hourly cap use the
//!   server's clock, the one all replicas share; the worker's absolute times are turned into
//!   delays from this replica's "now" before they are stored.
//! * **Ciphertext only.** Rows hold the [`SealedTip`] and routing data, nothing else.
//! * **The hourly cap in the database** ([`PostgresHourlyCap`]), so replicas count together.
//! * **Migrations at startup** ([`migrations`]), safe when replicas start at the same time.
//! * **Follow-up lookup keys** in a table of their own (migration 3), for every replica.
//! * **Unavailable is a 503, not a loss.** A database that is down, restarting, out of
//!   disk or read-only gives [`OutboxError::Unavailable`]: the visitor gets the localized
//!   503 page with the hotline, and nothing was half-stored. Pooled connections broken by a
//!   restart are dropped and replaced on the next use.
//!
//! No TLS: the database is expected on loopback, a Unix socket or a private network (the
//! rows are ciphertext, but the routing data and the password deserve a private link).

mod follow_up_codes;
pub mod hourly_cap;
pub mod migrations;

use std::sync::Arc;

use parking_lot::{Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime};
use secrecy::{ExposeSecret, SecretString};
use tokio_postgres::NoTls;

use super::{
    summarize_error, FollowUpCodes, Outbox, OutboxError, OutboxId, OutboxMessage, OutboxStats,
    Readiness,
};
use crate::outbox::SharedHourlyCap;
use crate::seal::SealedTip;
pub use hourly_cap::PostgresHourlyCap;

/// Longest a health check waits for the database before it says "not ready".
const HEALTH_TIMEOUT: Duration = Duration::from_secs(2);

/// How much the write probe writes: about one sealed tip for one recipient.
const PROBE_BYTES: usize = 8 * 1024;

/// The least time between two write probes while the outbox is in the failed state.
const PROBE_INTERVAL: Duration = Duration::from_secs(1);

/// Connection settings of the pool.
#[derive(Debug, Clone)]
pub struct PostgresOptions {
    /// Most connections this replica opens.
    pub pool_size: usize,
    /// How long to wait for a connection (from the pool or a new one) before answering
    /// "unavailable".
    pub connect_timeout: Duration,
}

impl Default for PostgresOptions {
    fn default() -> Self {
        Self {
            pool_size: 16,
            connect_timeout: Duration::from_secs(5),
        }
    }
}

/// What the last writes said about the storage (as in the SQLite outbox).
#[derive(Debug, Default)]
struct WriteHealth {
    failing: Option<String>,
    last_probe: Option<Instant>,
}

/// The PostgreSQL outbox. Cheap to clone (shares the pool).
#[derive(Clone)]
pub struct PostgresOutbox {
    pool: Pool,
    write_health: Arc<Mutex<WriteHealth>>,
}

impl std::fmt::Debug for PostgresOutbox {
    // The URL holds the password: never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresOutbox")
            .field("pool_size", &self.pool.status().max_size)
            .finish()
    }
}

impl PostgresOutbox {
    /// Connects to `url` (`postgresql://user:password@host:port/db`, or key=value form;
    /// `host=/path/to/socket/dir` for a Unix socket) and applies the migrations the
    /// database lacks. Fails if the database cannot be reached: a replica that cannot
    /// store tips should not start taking them.
    pub async fn connect(
        url: &SecretString,
        options: &PostgresOptions,
    ) -> Result<Self, OutboxError> {
        let mut config: tokio_postgres::Config =
            url.expose_secret()
                .parse()
                .map_err(|e: tokio_postgres::Error| {
                    // The parser's message names the bad part, never the password.
                    OutboxError::Storage(format!("the PostgreSQL URL is not valid: {e}"))
                })?;
        config.options("-c synchronous_commit=on");
        config.connect_timeout(options.connect_timeout);
        config.keepalives(true);
        config.keepalives_idle(Duration::from_secs(30));
        if config.get_application_name().is_none() {
            config.application_name("xeberdar-report");
        }
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(options.pool_size.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(options.connect_timeout))
            .create_timeout(Some(options.connect_timeout))
            .recycle_timeout(Some(options.connect_timeout))
            .build()
            .map_err(|e| OutboxError::Storage(format!("cannot build the connection pool: {e}")))?;
        let outbox = Self {
            pool,
            write_health: Arc::new(Mutex::new(WriteHealth::default())),
        };
        let mut client = outbox.client().await?;
        migrations::run(&mut client).await?;
        Ok(outbox)
    }

    /// The pool, shared with the hourly cap.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    async fn client(&self) -> Result<deadpool_postgres::Client, OutboxError> {
        self.pool.get().await.map_err(map_pool_err)
    }

    fn write_health(&self) -> MutexGuard<'_, WriteHealth> {
        self.write_health.lock()
    }

    fn note_enqueue(&self, result: &Result<Vec<OutboxId>, OutboxError>) {
        match result {
            Ok(_) => self.write_health().failing = None,
            Err(e) if e.is_unavailable() => {
                let mut health = self.write_health();
                if health.failing.is_none() {
                    tracing::warn!(error = %e, "the outbox cannot take tips; /health answers 503 until a write succeeds");
                }
                health.failing = Some(e.to_string());
            }
            Err(_) => {}
        }
    }

    /// Stores one tip's emails, due `delay_ms` from now on the database's clock.
    async fn insert(
        &self,
        tips: &[SealedTip],
        delay_ms: i64,
    ) -> Result<Vec<OutboxId>, OutboxError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(map_err)?;
        let insert = tx
            .prepare_cached(
                "INSERT INTO outbox (sender, recipient, message_id, email, next_attempt_at) \
                 VALUES ($1, $2, $3, $4, clock_timestamp() + $5::bigint * interval '1 millisecond') \
                 RETURNING id",
            )
            .await
            .map_err(map_err)?;
        let mut ids = Vec::with_capacity(tips.len());
        for tip in tips {
            let row = tx
                .query_one(
                    &insert,
                    &[
                        &tip.sender(),
                        &tip.recipient(),
                        &tip.message_id(),
                        &tip.email(),
                        &delay_ms,
                    ],
                )
                .await
                .map_err(map_err)?;
            ids.push(OutboxId(row.get(0)));
        }
        // Dropping an uncommitted transaction rolls it back: all of the tip or none.
        tx.commit().await.map_err(map_err)?;
        Ok(ids)
    }

    /// Is the database there, and (after a failed enqueue) can it take a write again?
    async fn check(&self) -> Result<(), OutboxError> {
        let client = self.client().await?;
        let failing = {
            let mut health = self.write_health();
            match health.failing.clone() {
                None => None,
                Some(reason) => {
                    if health
                        .last_probe
                        .is_some_and(|at| at.elapsed() < PROBE_INTERVAL)
                    {
                        return Err(OutboxError::Unavailable(reason));
                    }
                    health.last_probe = Some(Instant::now());
                    Some(reason)
                }
            }
        };
        if failing.is_none() {
            client.simple_query("SELECT 1").await.map_err(map_err)?;
            return Ok(());
        }
        client
            .execute(
                "INSERT INTO outbox_write_probe (id, at, room) VALUES (1, clock_timestamp(), $1) \
                 ON CONFLICT (id) DO UPDATE SET at = excluded.at, room = excluded.room",
                &[&vec![0u8; PROBE_BYTES]],
            )
            .await
            .map_err(map_err)?;
        if self.write_health().failing.take().is_some() {
            tracing::info!("the outbox can be written again; /health answers 200");
        }
        Ok(())
    }
}

/// Database errors that mean "cannot store right now" (answer 503, try again later):
/// connection problems (class 08), no room or memory (53), the server shutting down or
/// starting (57P), a read-only server (25006), I/O errors (58), and serialization or
/// deadlock conflicts (40001, 40P01). Errors without a code are broken connections.
fn is_unavailable_code(code: &str) -> bool {
    code.starts_with("08")
        || code.starts_with("53")
        || code.starts_with("57P")
        || code.starts_with("58")
        || matches!(code, "25006" | "40001" | "40P01" | "55P03")
}

/// Maps a driver error. Only the server's message and code are kept: the detail of some
/// errors quotes values, and none is needed to act.
pub(crate) fn map_err(e: tokio_postgres::Error) -> OutboxError {
    match e.as_db_error() {
        Some(db) => {
            let code = db.code().code();
            let text = format!("PostgreSQL {code}: {}", db.message());
            if is_unavailable_code(code) {
                OutboxError::Unavailable(text)
            } else {
                OutboxError::Storage(text)
            }
        }
        None => OutboxError::Unavailable(format!("PostgreSQL connection: {e}")),
    }
}

pub(crate) fn map_pool_err(e: PoolError) -> OutboxError {
    match e {
        PoolError::Backend(e) => map_err(e),
        other => OutboxError::Unavailable(format!("PostgreSQL pool: {other}")),
    }
}

/// Milliseconds from this replica's now to `at` (negative when `at` has passed).
fn delay_ms(at: SystemTime) -> i64 {
    let now = SystemTime::now();
    match at.duration_since(now) {
        Ok(ahead) => i64::try_from(ahead.as_millis()).unwrap_or(i64::MAX / 2),
        Err(behind) => -i64::try_from(behind.duration().as_millis()).unwrap_or(i64::MAX / 2),
    }
}

fn from_ms(ms: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap_or(0))
}

#[async_trait]
impl Outbox for PostgresOutbox {
    async fn enqueue_not_before(
        &self,
        tips: Vec<SealedTip>,
        not_before: SystemTime,
    ) -> Result<Vec<OutboxId>, OutboxError> {
        let result = self.insert(&tips, delay_ms(not_before).max(0)).await;
        self.note_enqueue(&result);
        result
    }

    async fn claim(
        &self,
        limit: usize,
        lease: Duration,
    ) -> Result<Vec<OutboxMessage>, OutboxError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let lease_ms = i64::try_from(lease.as_millis()).unwrap_or(i64::MAX / 2);
        let client = self.client().await?;
        let claim = client
            .prepare_cached(
                "WITH due AS ( \
                     SELECT id FROM outbox \
                     WHERE next_attempt_at <= clock_timestamp() AND lease_until <= clock_timestamp() \
                     ORDER BY next_attempt_at, id LIMIT $1::bigint \
                     FOR UPDATE SKIP LOCKED) \
                 UPDATE outbox o SET lease_until = clock_timestamp() + $2::bigint * interval '1 millisecond' \
                 FROM due WHERE o.id = due.id \
                 RETURNING o.id, o.sender, o.recipient, o.message_id, o.email, o.attempts, \
                 (extract(epoch FROM o.created_at) * 1000)::bigint, \
                 (extract(epoch FROM o.next_attempt_at) * 1000)::bigint",
            )
            .await
            .map_err(map_err)?;
        let rows = client
            .query(&claim, &[&limit, &lease_ms])
            .await
            .map_err(map_err)?;
        let mut claimed: Vec<(i64, OutboxMessage)> = rows
            .iter()
            .map(|r| {
                let attempts: i32 = r.get(5);
                (
                    r.get::<_, i64>(7),
                    OutboxMessage {
                        id: OutboxId(r.get(0)),
                        tip: SealedTip::restore_from_outbox(r.get(1), r.get(2), r.get(3), r.get(4)),
                        attempts: u32::try_from(attempts).unwrap_or(0),
                        created_at: from_ms(r.get(6)),
                    },
                )
            })
            .collect();
        // RETURNING has no order: oldest due first, as the SELECT chose them.
        claimed.sort_by_key(|(due, m)| (*due, m.id));
        Ok(claimed.into_iter().map(|(_, m)| m).collect())
    }

    async fn mark_delivered(&self, id: OutboxId) -> Result<(), OutboxError> {
        let client = self.client().await?;
        client
            .execute("DELETE FROM outbox WHERE id = $1", &[&id.0])
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn retry_later(
        &self,
        id: OutboxId,
        next_attempt_at: SystemTime,
        error_summary: &str,
    ) -> Result<(), OutboxError> {
        let summary = summarize_error(error_summary);
        let client = self.client().await?;
        let n = client
            .execute(
                "UPDATE outbox SET attempts = attempts + 1, \
                 next_attempt_at = clock_timestamp() + $1::bigint * interval '1 millisecond', \
                 lease_until = '-infinity', last_error = $2 WHERE id = $3",
                &[&delay_ms(next_attempt_at), &summary, &id.0],
            )
            .await
            .map_err(map_err)?;
        if n == 0 {
            return Err(OutboxError::NotFound(id));
        }
        Ok(())
    }

    async fn defer(&self, id: OutboxId, not_before: SystemTime) -> Result<(), OutboxError> {
        let client = self.client().await?;
        let n = client
            .execute(
                "UPDATE outbox SET \
                 next_attempt_at = clock_timestamp() + $1::bigint * interval '1 millisecond', \
                 lease_until = '-infinity' WHERE id = $2",
                &[&delay_ms(not_before), &id.0],
            )
            .await
            .map_err(map_err)?;
        if n == 0 {
            return Err(OutboxError::NotFound(id));
        }
        Ok(())
    }

    async fn stats(&self) -> Result<OutboxStats, OutboxError> {
        let client = self.client().await?;
        // Ids come from one sequence in commit order closely enough that the lowest id is
        // the oldest message, found through the primary key without a scan.
        let row = client
            .query_one(
                "SELECT (SELECT count(*) FROM outbox), \
                 (SELECT count(*) FROM outbox WHERE attempts > 0), \
                 (SELECT (extract(epoch FROM clock_timestamp() - created_at) * 1000)::bigint \
                  FROM outbox ORDER BY id LIMIT 1)",
                &[],
            )
            .await
            .map_err(map_err)?;
        let queued: i64 = row.get(0);
        let retrying: i64 = row.get(1);
        let oldest_ms: Option<i64> = row.get(2);
        Ok(OutboxStats {
            queued: u64::try_from(queued).unwrap_or(0),
            retrying: u64::try_from(retrying).unwrap_or(0),
            oldest_age: oldest_ms.map(|ms| Duration::from_millis(u64::try_from(ms).unwrap_or(0))),
        })
    }

    async fn readiness(&self) -> Readiness {
        match tokio::time::timeout(HEALTH_TIMEOUT, self.check()).await {
            Ok(Ok(())) => Readiness::Ready,
            Ok(Err(e)) => Readiness::NotReady(e.to_string()),
            Err(_) => Readiness::NotReady(format!(
                "the database did not answer within {} s",
                HEALTH_TIMEOUT.as_secs()
            )),
        }
    }

    fn shared_hourly_cap(&self) -> Option<Arc<dyn SharedHourlyCap>> {
        Some(Arc::new(PostgresHourlyCap::new(self.pool.clone())))
    }

    fn follow_up_codes(&self) -> Option<Arc<dyn FollowUpCodes>> {
        Some(Arc::new(self.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_are_signed_milliseconds_from_now() {
        let soon = delay_ms(SystemTime::now() + Duration::from_secs(10));
        assert!((9_000..=10_000).contains(&soon), "{soon}");
        let past = delay_ms(SystemTime::now() - Duration::from_secs(10));
        assert!((-11_000..=-9_900).contains(&past), "{past}");
    }

    #[test]
    fn connection_and_capacity_errors_are_unavailable_others_are_not() {
        for code in [
            "08006", "53100", "57P01", "57P03", "25006", "58030", "40001",
        ] {
            assert!(is_unavailable_code(code), "{code}");
        }
        for code in ["23505", "42P01", "XX001"] {
            assert!(!is_unavailable_code(code), "{code}");
        }
    }
}
