//! `[metrics]`: the separate listener `/metrics` answers on.

use std::net::SocketAddr;
use std::path::PathBuf;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::{read_secret, ConfigError};

/// The `[metrics]` section. Without `listen`, metrics are not served at all.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsSettings {
    /// `host:port` of the metrics listener, e.g. `127.0.0.1:9152`. A non-loopback address
    /// is refused unless `bearer_token_file` is set.
    pub listen: Option<String>,
    /// A file holding the token a scraper must send as `Authorization: Bearer <token>`.
    pub bearer_token_file: Option<PathBuf>,
    /// The token read from `bearer_token_file` (never from the configuration itself).
    #[serde(skip)]
    pub bearer_token: Option<SecretString>,
}

impl MetricsSettings {
    /// Reads the token file, if one is named.
    pub fn resolve_secret_files(&mut self) -> Result<(), ConfigError> {
        if let Some(path) = &self.bearer_token_file {
            let token = read_secret(path)?;
            if token.expose_secret().trim().is_empty() {
                return Err(ConfigError::Invalid(format!(
                    "metrics.bearer_token_file {} is empty",
                    path.display()
                )));
            }
            self.bearer_token = Some(token);
        }
        Ok(())
    }

    /// The listener's address; refuses a public address without a token.
    pub fn address(&self) -> Result<Option<SocketAddr>, ConfigError> {
        let Some(listen) = &self.listen else {
            if self.bearer_token_file.is_some() {
                return Err(ConfigError::Invalid(
                    "metrics.bearer_token_file is set but metrics.listen is not: set the address the metrics listener binds".into(),
                ));
            }
            return Ok(None);
        };
        let address: SocketAddr = listen.parse().map_err(|_| {
            ConfigError::Invalid(format!(
                "metrics.listen `{listen}` is not an IP address and port (e.g. 127.0.0.1:9152)"
            ))
        })?;
        if !address.ip().is_loopback() && self.bearer_token_file.is_none() {
            return Err(ConfigError::Invalid(format!(
                "metrics.listen `{listen}` is not a loopback address: tip counts would be public; bind 127.0.0.1 or set metrics.bearer_token_file"
            )));
        }
        Ok(Some(address))
    }
}
