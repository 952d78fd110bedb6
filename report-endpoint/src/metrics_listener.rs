//! `/metrics` on its own listener, never on the public one.
//!
//! The counters tell how many tips arrive and when; over weeks that is a picture of the
//! unit's caseload and of when people dare to write, which is nobody's business outside
//! the operators. So the public listener has no `/metrics` at all, and the `[metrics]`
//! section opens a second listener for the scraper: on a loopback address (the Prometheus
//! agent on the same machine), or, when it must be reachable from elsewhere, only with a
//! bearer token read from a file (`bearer_token_file`, for container secrets).

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::configuration::{read_secret, ConfigError};
use crate::routes;
use crate::state::AppState;

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

/// The metrics listener's routes: `GET /metrics` and nothing else.
pub fn router(state: AppState, token: Option<SecretString>) -> Router {
    let digest = token.map(|t| Sha256::digest(t.expose_secret().as_bytes()));
    Router::new()
        .route("/metrics", get(routes::metrics))
        .with_state(state)
        .layer(axum::middleware::from_fn_with_state(digest, require_token))
}

/// Without a configured token every request passes (the listener is on loopback).
/// Digests are compared, not the tokens, so the comparison's time says nothing about
/// how much of a guess was right.
async fn require_token(
    State(expected): State<Option<sha2::digest::Output<Sha256>>>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(expected) = expected {
        let given = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| Sha256::digest(t.trim().as_bytes()));
        if given != Some(expected) {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "a bearer token is required\n",
            )
                .into_response();
        }
    }
    next.run(request).await
}
