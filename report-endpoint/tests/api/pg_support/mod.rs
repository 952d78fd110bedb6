//! A fresh PostgreSQL database for each test, in the throw-away cluster that
//! `scripts/test.sh` starts (`scripts/test-postgres.sh`): `XEBERDAR_TEST_POSTGRES_URL` names
//! the cluster, `XEBERDAR_TEST_POSTGRES_CTL` is its `pg_ctl` (for restarts) and
//! `XEBERDAR_TEST_POSTGRES_DATA` its data folder.
//!
//! Without the URL a test cannot run. In CI (`CI` set) that fails the test; elsewhere the
//! test says so on stderr and returns, so `cargo test` without a server still runs the rest.
#![allow(dead_code)]

pub mod replicas;

use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use secrecy::SecretString;
use xeberdar_report::outbox::postgres::PostgresOptions;
use xeberdar_report::outbox::PostgresOutbox;

/// The cluster's URL, or `None` (outside CI) when there is none.
pub fn cluster_url() -> Option<String> {
    match std::env::var("XEBERDAR_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "XEBERDAR_TEST_POSTGRES_URL is not set: the PostgreSQL tests cannot run \
                 (scripts/test.sh starts a server and sets it)"
            );
            eprintln!(
                "NOT RUN: no PostgreSQL (set XEBERDAR_TEST_POSTGRES_URL, or run scripts/test.sh)"
            );
            None
        }
    }
}

/// `url` with its database name replaced by `db`.
fn with_database(url: &str, db: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a postgresql:// URL");
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    let authority = path.split('/').next().unwrap_or("");
    match query {
        Some(q) => format!("{scheme}://{authority}/{db}?{q}"),
        None => format!("{scheme}://{authority}/{db}"),
    }
}

/// Connects with a plain client (for checks the outbox API does not offer).
pub async fn connect(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to the test PostgreSQL: {e:?}"));
    tokio::spawn(async move {
        let _ = connection.await;
    });
    client
}

/// A database of its own, dropped when the value is.
pub struct TestDatabase {
    cluster: String,
    pub name: String,
    pub url: String,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDatabase {
    /// `None` only outside CI without a server (see the module doc).
    pub async fn create() -> Option<TestDatabase> {
        let cluster = cluster_url()?;
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!(
            "xeberdar_test_{}_{}_{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let admin = connect(&cluster).await;
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("CREATE DATABASE");
        let url = with_database(&cluster, &name);
        Some(TestDatabase { cluster, name, url })
    }

    pub fn secret_url(&self) -> SecretString {
        SecretString::from(self.url.clone())
    }

    /// A new outbox (its own pool) on this database; runs the migrations.
    pub async fn outbox(&self) -> PostgresOutbox {
        PostgresOutbox::connect(&self.secret_url(), &PostgresOptions::default())
            .await
            .expect("connect the PostgreSQL outbox")
    }

    pub async fn client(&self) -> tokio_postgres::Client {
        connect(&self.url).await
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let cluster = self.cluster.clone();
        let name = self.name.clone();
        // Drop runs inside the test's runtime: use a thread with a runtime of its own.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async move {
                let (client, connection) = tokio_postgres::connect(&cluster, tokio_postgres::NoTls)
                    .await
                    .ok()?;
                tokio::spawn(connection);
                client
                    .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await
                    .ok()
            })
        });
        let _ = dropped.join();
    }
}

/// Runs the cluster's `pg_ctl` with `args` (e.g. `["stop", "-m", "fast"]`).
pub fn pg_ctl(args: &[&str]) {
    let ctl = std::env::var("XEBERDAR_TEST_POSTGRES_CTL")
        .expect("XEBERDAR_TEST_POSTGRES_CTL (scripts/test-postgres.sh sets it)");
    let out = Command::new(&ctl)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {ctl}: {e}"));
    assert!(
        out.status.success(),
        "pg_ctl {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The cluster's data folder.
pub fn data_dir() -> std::path::PathBuf {
    std::env::var_os("XEBERDAR_TEST_POSTGRES_DATA")
        .map(std::path::PathBuf::from)
        .expect("XEBERDAR_TEST_POSTGRES_DATA (scripts/test-postgres.sh sets it)")
}
