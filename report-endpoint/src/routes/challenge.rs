use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::client_address::client_address;
use crate::rate_limit::Bucket;
use crate::state::AppState;

/// `GET <prefix>/challenge`: a fresh proof-of-work challenge (JSON, read by `pow.js`).
pub async fn challenge(State(state): State<AppState>, request: Request) -> Response {
    let Some(pow) = &state.captcha.pow else {
        return (
            StatusCode::NOT_FOUND,
            Json(serde_json::json!({"error": "proof of work is not enabled"})),
        )
            .into_response();
    };
    let client = client_address(&request);
    if !state.limits.rates.check(Bucket::Challenge, client) {
        state.metrics.inc(&state.metrics.rate_limited);
        return (
            StatusCode::TOO_MANY_REQUESTS,
            Json(serde_json::json!({"error": "too many requests"})),
        )
            .into_response();
    }
    Json(pow.issue()).into_response()
}
