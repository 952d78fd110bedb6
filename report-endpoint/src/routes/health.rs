use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::startup::AppState;

/// `GET <prefix>/health`: 200 while the endpoint can take tips. The site's script asks
/// before showing the form and shows the hotline alone when this fails.
pub async fn health() -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"))],
        "ok",
    )
        .into_response()
}

/// `GET <prefix>/metrics`: counts only (Prometheus text), nothing that identifies anyone.
pub async fn metrics(State(state): State<AppState>) -> Response {
    let mut body = state.metrics.render_prometheus();
    if let Some(delivery) = &state.delivery_metrics {
        body.push_str(&delivery.render_prometheus());
    }
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4"),
        )],
        body,
    )
        .into_response()
}
