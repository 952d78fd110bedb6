//! The embedded outbox: one SQLite file (bundled SQLite, WAL, `synchronous=FULL`).
//!
//! * `synchronous=FULL` in WAL mode fsyncs the WAL on every commit, so a row that `enqueue`
//!   reported is on disk even if the machine loses power right after.
//! * Every change is one transaction, so a `kill -9` leaves either the whole change or none of
//!   it: never a half-written row, never one recipient's email of a tip without the others.
//! * Concurrent enqueues are group-committed: whoever gets the connection writes every tip
//!   waiting at that moment in one transaction (one fsync), each tip in its own savepoint, and
//!   answers them all after the commit. Under load this turns N fsyncs into one.
//! * SQLite calls block, so each runs on tokio's blocking pool (`spawn_blocking`) and never
//!   stalls the web handlers. One connection behind a mutex is plenty: a commit is a WAL
//!   append plus one fsync.
//! * The file is created with mode 0600: it holds only ciphertext, but its metadata (who
//!   receives tips, when) is nobody else's business either.
//! * Delivered rows leave no trace in the file: `secure_delete` overwrites deleted content
//!   with zeros, and once the outbox is empty the WAL is checkpointed into the main file
//!   and truncated (`wal_checkpoint(TRUNCATE)`), so neither the database, its WAL nor its
//!   shared-memory index still holds a delivered tip's ciphertext. At most once a second
//!   while tips keep coming, and always within a second of the outbox running empty.
//! * Readiness for `/health`: not ready while the filesystem has less than
//!   `min_free_bytes` available, or after an enqueue failed because the storage could not
//!   take it (disk full, the size limit, read-only, I/O error) until a write succeeds again.
//!   Because the site shows no form while `/health` says no, no tip may be needed to find
//!   out: a health check itself tries a small real write (a one-row table, committed and
//!   fsync'd like a tip), at most once a second and only in that failed state.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use parking_lot::{Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use rusqlite::{params, Connection, ErrorCode, OptionalExtension, TransactionBehavior};

mod follow_up_codes;

use super::free_space::{self, DEFAULT_MIN_FREE_BYTES};
use super::{
    summarize_error, FollowUpCodes, Outbox, OutboxError, OutboxId, OutboxMessage, OutboxStats,
    Readiness,
};
use crate::seal::SealedTip;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    sender          TEXT    NOT NULL,
    recipient       TEXT    NOT NULL,
    message_id      TEXT    NOT NULL,
    email           BLOB    NOT NULL,
    created_at_ms   INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,
    lease_until_ms  INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (next_attempt_ms, id);
-- Only messages that failed at least once: lets `stats` count them without reading every
-- row (a full scan of a large backlog held the connection for 200 ms and more).
CREATE INDEX IF NOT EXISTS outbox_retrying ON outbox (attempts) WHERE attempts > 0;
CREATE TABLE IF NOT EXISTS outbox_write_probe (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    at_ms INTEGER NOT NULL,
    room  BLOB    NOT NULL
);
";

/// How much the write probe writes: about one sealed tip for one recipient, so a probe
/// that fits says a tip would likely fit too.
const PROBE_BYTES: i64 = 8 * 1024;

/// The least time between two write probes while the outbox is in the failed state.
const PROBE_INTERVAL: Duration = Duration::from_secs(1);

/// What the last writes said about the storage.
#[derive(Debug, Default)]
struct WriteHealth {
    /// Set when an enqueue failed because the storage could not take it; cleared by the
    /// next write (a tip or a probe) that commits.
    failing: Option<String>,
    last_probe: Option<Instant>,
}

/// The SQLite outbox. Cheap to clone (shares one connection).
#[derive(Clone)]
pub struct SqliteOutbox {
    conn: Arc<Mutex<Connection>>,
    /// Enqueues waiting for the next group commit.
    pending: Arc<Mutex<Vec<PendingEnqueue>>>,
    path: PathBuf,
    write_health: Arc<Mutex<WriteHealth>>,
    min_free_bytes: u64,
    scrub: Arc<Mutex<ScrubState>>,
}

/// When the WAL was last emptied, and whether a later emptying is already planned.
#[derive(Debug, Default)]
struct ScrubState {
    last: Option<Instant>,
    scheduled: bool,
}

/// The least time between two WAL truncations while tips keep being delivered.
const SCRUB_INTERVAL: Duration = Duration::from_secs(1);

/// One tip's emails waiting to be written, and where to send the answer.
struct PendingEnqueue {
    tips: Vec<SealedTip>,
    /// When the emails become due (ms since the epoch).
    not_before_ms: i64,
    reply: tokio::sync::oneshot::Sender<Result<Vec<OutboxId>, OutboxError>>,
}

fn lock_pending(p: &Mutex<Vec<PendingEnqueue>>) -> MutexGuard<'_, Vec<PendingEnqueue>> {
    p.lock()
}

/// Group commit: writes every waiting tip in ONE transaction (one fsync), each tip inside its
/// own savepoint so a tip that fails (e.g. the store is full) fails alone and all-or-nothing.
/// Answers go out only after the commit, so "stored" always means "on disk".
fn flush_enqueues(conn: &mut Connection, jobs: Vec<PendingEnqueue>) {
    let now = to_ms(SystemTime::now());
    let mut tx = match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
        Ok(tx) => tx,
        Err(e) => {
            let e = map_err(e);
            for job in jobs {
                let _ = job.reply.send(Err(clone_err(&e)));
            }
            return;
        }
    };
    let mut results: Vec<(PendingEnqueue, Result<Vec<OutboxId>, OutboxError>)> =
        Vec::with_capacity(jobs.len());
    let mut jobs = jobs.into_iter();
    for job in jobs.by_ref() {
        let r = insert_tip(&mut tx, &job.tips, now, job.not_before_ms.max(now));
        if tx.is_autocommit() {
            // SQLite rolled the whole transaction back by itself (it does so on SQLITE_FULL,
            // IOERR, NOMEM, BUSY): nothing of this group is stored, so nobody may hear "ok".
            let e = r.err().unwrap_or_else(|| {
                OutboxError::Unavailable("the outbox transaction was rolled back".into())
            });
            drop(tx);
            let _ = job.reply.send(Err(clone_err(&e)));
            for (job, _) in results {
                let _ = job.reply.send(Err(clone_err(&e)));
            }
            for job in jobs {
                let _ = job.reply.send(Err(clone_err(&e)));
            }
            return;
        }
        results.push((job, r));
    }
    let commit = tx.commit().map_err(map_err);
    for (job, r) in results {
        let answer = match (&commit, r) {
            (Ok(()), r) => r,
            (Err(e), _) => Err(clone_err(e)),
        };
        let _ = job.reply.send(answer);
    }
}

fn insert_tip(
    tx: &mut rusqlite::Transaction<'_>,
    tips: &[SealedTip],
    now: i64,
    due: i64,
) -> Result<Vec<OutboxId>, OutboxError> {
    let sp = tx.savepoint().map_err(map_err)?;
    let mut ids = Vec::with_capacity(tips.len());
    {
        let mut stmt = sp
            .prepare_cached(
                "INSERT INTO outbox (sender, recipient, message_id, email, created_at_ms, \
                 next_attempt_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .map_err(map_err)?;
        for tip in tips {
            stmt.execute(params![
                tip.sender(),
                tip.recipient(),
                tip.message_id(),
                tip.email(),
                now,
                due
            ])
            .map_err(map_err)?;
            ids.push(OutboxId(sp.last_insert_rowid()));
        }
    }
    // On an error above, dropping `sp` rolls this tip back; the others stay.
    sp.commit().map_err(map_err)?;
    Ok(ids)
}

fn clone_err(e: &OutboxError) -> OutboxError {
    match e {
        OutboxError::Unavailable(m) => OutboxError::Unavailable(m.clone()),
        OutboxError::Storage(m) => OutboxError::Storage(m.clone()),
        OutboxError::NotFound(id) => OutboxError::NotFound(*id),
    }
}

impl std::fmt::Debug for SqliteOutbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteOutbox")
            .field("path", &self.path)
            .finish()
    }
}

impl SqliteOutbox {
    /// Opens (or creates, with its schema) the outbox file. Blocking: call at startup, or from
    /// `spawn_blocking`. The parent directory must exist.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, OutboxError> {
        Self::open_with_limit(path, None)
    }

    /// Like [`SqliteOutbox::open`], but the database refuses to grow past about `max_bytes`
    /// (SQLite's `max_page_count`): once full, `enqueue` fails with
    /// [`OutboxError::Unavailable`] exactly as on a full disk, without corrupting anything. This
    /// keeps a flood of tips from filling the disk other services need.
    pub fn open_with_limit(
        path: impl AsRef<Path>,
        max_bytes: Option<u64>,
    ) -> Result<Self, OutboxError> {
        let path = path.as_ref().to_owned();
        create_private(&path)?;
        let conn = Connection::open(&path).map_err(map_err)?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(map_err)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(map_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(OutboxError::Storage(format!(
                "{}: cannot switch to WAL journal mode (got {mode})",
                path.display()
            )));
        }
        conn.execute_batch("PRAGMA synchronous=FULL;")
            .map_err(map_err)?;
        let secure: i64 = conn
            .query_row("PRAGMA secure_delete=ON", [], |r| r.get(0))
            .map_err(map_err)?;
        if secure != 1 {
            return Err(OutboxError::Storage(format!(
                "{}: SQLite refused secure_delete (got {secure})",
                path.display()
            )));
        }
        conn.execute_batch(SCHEMA).map_err(map_err)?;
        conn.execute_batch(follow_up_codes::SCHEMA)
            .map_err(map_err)?;
        if let Some(max) = max_bytes {
            let page_size: i64 = conn
                .query_row("PRAGMA page_size", [], |r| r.get(0))
                .map_err(map_err)?;
            let pages = i64::try_from(max).unwrap_or(i64::MAX) / page_size.max(512);
            let _: i64 = conn
                .query_row(
                    &format!("PRAGMA max_page_count = {}", pages.max(1)),
                    [],
                    |r| r.get(0),
                )
                .map_err(map_err)?;
        }
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            pending: Arc::new(Mutex::new(Vec::new())),
            path,
            write_health: Arc::new(Mutex::new(WriteHealth::default())),
            min_free_bytes: DEFAULT_MIN_FREE_BYTES,
            scrub: Arc::new(Mutex::new(ScrubState::default())),
        })
    }

    /// Sets the free space below which [`Outbox::readiness`] says "not ready"
    /// (default [`DEFAULT_MIN_FREE_BYTES`]; 0 leaves only the failed-write signal).
    pub fn with_min_free_bytes(mut self, bytes: u64) -> Self {
        self.min_free_bytes = bytes;
        self
    }

    fn write_health(&self) -> MutexGuard<'_, WriteHealth> {
        self.write_health.lock()
    }

    /// Remembers what an enqueue said about the storage.
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

    /// One small real write, committed like a tip (WAL append + fsync).
    fn write_probe(conn: &mut Connection) -> Result<(), OutboxError> {
        conn.execute(
            "INSERT OR REPLACE INTO outbox_write_probe (id, at_ms, room) \
             VALUES (1, ?1, zeroblob(?2))",
            params![to_ms(SystemTime::now()), PROBE_BYTES],
        )
        .map_err(map_err)?;
        Ok(())
    }

    /// After a delivery: if the outbox is now empty, empties the WAL into the (securely
    /// deleted) main file and truncates it, now or, when the last time was under a second
    /// ago, a second after it.
    fn scrub_if_empty(&self, conn: &mut Connection) {
        let empty = conn
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM outbox)", [], |r| {
                r.get::<_, bool>(0)
            })
            .unwrap_or(false);
        if !empty {
            return;
        }
        let mut state = lock_scrub(&self.scrub);
        if state.scheduled {
            return;
        }
        if let Some(wait) = state
            .last
            .map(|at| SCRUB_INTERVAL.saturating_sub(at.elapsed()))
            .filter(|w| !w.is_zero())
        {
            let Ok(runtime) = tokio::runtime::Handle::try_current() else {
                return;
            };
            state.scheduled = true;
            let outbox = self.clone();
            runtime.spawn(async move {
                tokio::time::sleep(wait).await;
                lock_scrub(&outbox.scrub).scheduled = false;
                let again = outbox.clone();
                let _ = outbox
                    .with_conn(move |conn| {
                        again.scrub_if_empty(conn);
                        Ok(())
                    })
                    .await;
            });
            return;
        }
        state.last = Some(Instant::now());
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())) {
            tracing::warn!(error = %e, "outbox: the WAL could not be truncated after delivery");
        }
    }

    /// The file this outbox lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    async fn with_conn<T, F>(&self, f: F) -> Result<T, OutboxError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, OutboxError> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            let mut guard = lock(&conn);
            f(&mut guard)
        })
        .await
        .map_err(|e| OutboxError::Storage(format!("outbox task failed: {e}")))?
    }
}

fn lock_scrub(s: &Mutex<ScrubState>) -> MutexGuard<'_, ScrubState> {
    s.lock()
}

fn lock(conn: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    // A panic while holding the lock cannot leave a half-done transaction behind (rusqlite
    // rolls back on drop), so the connection is still usable.
    conn.lock()
}

#[cfg(unix)]
fn create_private(path: &Path) -> Result<(), OutboxError> {
    use std::os::unix::fs::OpenOptionsExt;
    if path.exists() {
        return Ok(());
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)
        .map(|_| ())
        .map_err(|e| io_err(path, e))
}

#[cfg(not(unix))]
fn create_private(_path: &Path) -> Result<(), OutboxError> {
    Ok(())
}

fn io_err(path: &Path, e: std::io::Error) -> OutboxError {
    OutboxError::Unavailable(format!("{}: {e}", path.display()))
}

/// Disk full, read-only, I/O failure, cannot open, busy: the "answer 503" class.
fn map_err(e: rusqlite::Error) -> OutboxError {
    if let rusqlite::Error::SqliteFailure(ffi, _) = &e {
        if matches!(
            ffi.code,
            ErrorCode::DiskFull
                | ErrorCode::ReadOnly
                | ErrorCode::SystemIoFailure
                | ErrorCode::CannotOpen
                | ErrorCode::DatabaseBusy
                | ErrorCode::DatabaseLocked
                | ErrorCode::OutOfMemory
        ) {
            return OutboxError::Unavailable(e.to_string());
        }
    }
    OutboxError::Storage(e.to_string())
}

fn to_ms(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

fn from_ms(ms: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap_or(0))
}

#[async_trait]
impl Outbox for SqliteOutbox {
    async fn enqueue_not_before(
        &self,
        tips: Vec<SealedTip>,
        not_before: SystemTime,
    ) -> Result<Vec<OutboxId>, OutboxError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        lock_pending(&self.pending).push(PendingEnqueue {
            tips,
            not_before_ms: to_ms(not_before),
            reply,
        });
        let conn = Arc::clone(&self.conn);
        let pending = Arc::clone(&self.pending);
        tokio::task::spawn_blocking(move || {
            let mut guard = lock(&conn);
            // Everything queued so far, ours included unless an earlier flush took it (then
            // that flush has already answered us: it held the connection before we got it).
            let jobs = std::mem::take(&mut *lock_pending(&pending));
            if !jobs.is_empty() {
                flush_enqueues(&mut guard, jobs);
            }
        })
        .await
        .map_err(|e| OutboxError::Storage(format!("outbox task failed: {e}")))?;
        let result = answer
            .await
            .map_err(|_| OutboxError::Storage("the outbox writer dropped a request".into()))
            .and_then(|r| r);
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
        self.with_conn(move |conn| {
            let now = to_ms(SystemTime::now());
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(map_err)?;
            let mut out = Vec::new();
            {
                let mut select = tx
                    .prepare_cached(
                        "SELECT id, sender, recipient, message_id, email, attempts, created_at_ms \
                         FROM outbox WHERE next_attempt_ms <= ?1 AND lease_until_ms <= ?1 \
                         ORDER BY next_attempt_ms, id LIMIT ?2",
                    )
                    .map_err(map_err)?;
                let rows = select
                    .query_map(params![now, limit], |r| {
                        Ok(OutboxMessage {
                            id: OutboxId(r.get(0)?),
                            tip: SealedTip::restore_from_outbox(
                                r.get(1)?,
                                r.get(2)?,
                                r.get(3)?,
                                r.get(4)?,
                            ),
                            attempts: u32::try_from(r.get::<_, i64>(5)?).unwrap_or(u32::MAX),
                            created_at: from_ms(r.get(6)?),
                        })
                    })
                    .map_err(map_err)?;
                for row in rows {
                    out.push(row.map_err(map_err)?);
                }
                let mut update = tx
                    .prepare_cached("UPDATE outbox SET lease_until_ms = ?1 WHERE id = ?2")
                    .map_err(map_err)?;
                for m in &out {
                    update
                        .execute(params![now.saturating_add(lease_ms), m.id.0])
                        .map_err(map_err)?;
                }
            }
            tx.commit().map_err(map_err)?;
            Ok(out)
        })
        .await
    }

    async fn mark_delivered(&self, id: OutboxId) -> Result<(), OutboxError> {
        let outbox = self.clone();
        self.with_conn(move |conn| {
            conn.execute("DELETE FROM outbox WHERE id = ?1", params![id.0])
                .map_err(map_err)?;
            outbox.scrub_if_empty(conn);
            Ok(())
        })
        .await
    }

    async fn retry_later(
        &self,
        id: OutboxId,
        next_attempt_at: SystemTime,
        error_summary: &str,
    ) -> Result<(), OutboxError> {
        let summary = summarize_error(error_summary);
        let next = to_ms(next_attempt_at);
        self.with_conn(move |conn| {
            let n = conn
                .execute(
                    "UPDATE outbox SET attempts = attempts + 1, next_attempt_ms = ?1, \
                     lease_until_ms = 0, last_error = ?2 WHERE id = ?3",
                    params![next, summary, id.0],
                )
                .map_err(map_err)?;
            if n == 0 {
                return Err(OutboxError::NotFound(id));
            }
            Ok(())
        })
        .await
    }

    async fn defer(&self, id: OutboxId, not_before: SystemTime) -> Result<(), OutboxError> {
        let next = to_ms(not_before);
        self.with_conn(move |conn| {
            let n = conn
                .execute(
                    "UPDATE outbox SET next_attempt_ms = ?1, lease_until_ms = 0 WHERE id = ?2",
                    params![next, id.0],
                )
                .map_err(map_err)?;
            if n == 0 {
                return Err(OutboxError::NotFound(id));
            }
            Ok(())
        })
        .await
    }

    async fn stats(&self) -> Result<OutboxStats, OutboxError> {
        self.with_conn(move |conn| {
            let (queued, retrying, oldest): (i64, i64, Option<i64>) = conn
                // Each part is answered from an index, never by reading every row (the
                // rows hold the ciphertext, so a scan of a large backlog is slow and holds
                // the one connection tips are stored through). Ids grow with time (rows are
                // inserted under one lock, `created_at_ms` read at that moment), so the
                // lowest id is the oldest message.
                .query_row(
                    "SELECT (SELECT COUNT(*) FROM outbox), \
                     (SELECT COUNT(*) FROM outbox WHERE attempts > 0), \
                     (SELECT created_at_ms FROM outbox ORDER BY id LIMIT 1)",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()
                .map_err(map_err)?
                .unwrap_or((0, 0, None));
            let oldest_age = oldest.map(|ms| {
                SystemTime::now()
                    .duration_since(from_ms(ms))
                    .unwrap_or(Duration::ZERO)
            });
            Ok(OutboxStats {
                queued: u64::try_from(queued).unwrap_or(0),
                retrying: u64::try_from(retrying).unwrap_or(0),
                oldest_age,
            })
        })
        .await
    }

    fn follow_up_codes(&self) -> Option<Arc<dyn FollowUpCodes>> {
        Some(Arc::new(self.clone()))
    }

    async fn readiness(&self) -> Readiness {
        let dir = free_space::containing_dir(&self.path);
        let min_free = self.min_free_bytes;
        if min_free > 0 {
            match tokio::task::spawn_blocking(move || free_space::available_bytes(&dir)).await {
                Ok(Ok(free)) if free < min_free => {
                    return Readiness::NotReady(format!(
                        "{free} bytes free on the outbox's filesystem, below {min_free}"
                    ));
                }
                Ok(Ok(_)) => {}
                Ok(Err(e)) => {
                    return Readiness::NotReady(format!(
                        "cannot read the outbox filesystem's free space: {e}"
                    ));
                }
                Err(e) => return Readiness::NotReady(format!("free-space check failed: {e}")),
            }
        }
        let reason = {
            let mut health = self.write_health();
            let Some(reason) = health.failing.clone() else {
                return Readiness::Ready;
            };
            if health
                .last_probe
                .is_some_and(|at| at.elapsed() < PROBE_INTERVAL)
            {
                return Readiness::NotReady(reason);
            }
            health.last_probe = Some(Instant::now());
            reason
        };
        match self.with_conn(Self::write_probe).await {
            Ok(()) => {
                let mut health = self.write_health();
                if health.failing.take().is_some() {
                    tracing::info!("the outbox can be written again; /health answers 200");
                }
                Readiness::Ready
            }
            Err(e) if e.is_unavailable() => {
                self.write_health().failing = Some(e.to_string());
                Readiness::NotReady(e.to_string())
            }
            // Not a lack of room (e.g. corruption): keep the original reason.
            Err(e) => Readiness::NotReady(format!("{reason}; write probe: {e}")),
        }
    }
}
