//! `[outbox]`: where sealed tips wait for delivery.

use std::path::PathBuf;

use secrecy::SecretString;
use serde::Deserialize;

use super::LOCAL_DATA_DIR;

/// The durable outbox (ciphertext only): one SQLite file, or a PostgreSQL database that
/// several replicas share.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutboxSettings {
    pub backend: OutboxBackend,
    /// The SQLite file (`backend = "sqlite"`).
    pub path: PathBuf,
    /// The PostgreSQL URL (`backend = "postgres"`): a secret, since it holds the password.
    /// Best given as `XEBERDAR_REPORT__OUTBOX__POSTGRES_URL` or through `postgres_url_file`.
    pub postgres_url: Option<SecretString>,
    pub postgres_url_file: Option<PathBuf>,
    /// Most database connections of this replica.
    pub postgres_pool_size: usize,
    /// How long to wait for a database connection before a tip gets the 503 page.
    pub postgres_connect_timeout_secs: u64,
}

/// Where the outbox lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutboxBackend {
    /// One file, one process: the embedded default.
    #[default]
    Sqlite,
    /// One database shared by every replica.
    Postgres,
}

impl Default for OutboxSettings {
    fn default() -> Self {
        Self {
            backend: OutboxBackend::Sqlite,
            path: PathBuf::from(LOCAL_DATA_DIR).join("outbox.sqlite"),
            postgres_url: None,
            postgres_url_file: None,
            postgres_pool_size: 16,
            postgres_connect_timeout_secs: 5,
        }
    }
}
