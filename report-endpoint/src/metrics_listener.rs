//! `/metrics` on its own listener, never on the public one.
//!
//! The counters tell how many tips arrive and when; over weeks that is a picture of the
//! unit's caseload and of when people dare to write, which is nobody's business outside
//! the operators. So the public listener has no `/metrics` at all, and the `[metrics]`
//! section opens a second listener for the scraper: on a loopback address (the Prometheus
//! agent on the same machine), or, when it must be reachable from elsewhere, only with a
//! bearer token read from a file (`bearer_token_file`, for container secrets).

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use crate::routes;
use crate::state::AppState;

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
