use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::outbox::Readiness;
use crate::state::AppState;

/// `GET <prefix>/health`: 200 while the endpoint can take tips, 503 while the outbox cannot
/// store them (its filesystem is nearly full, or the last write failed for lack of room
/// and no write has succeeded since). The site's script asks before showing the form and
/// shows the hotline alone when this fails, so a visitor does not type a tip that cannot be
/// saved. The body says only "ok" or "unavailable"; the reason goes to the log.
pub async fn health(State(state): State<AppState>) -> Response {
    let readiness = state.outbox.store.readiness().await;
    let ready = readiness.is_ready();
    if state.metrics.set_outbox_ready(ready) != ready {
        match &readiness {
            Readiness::Ready => tracing::info!("health: the outbox takes tips again"),
            Readiness::NotReady(reason) => {
                tracing::warn!(%reason, "health: 503, the outbox cannot take tips")
            }
        }
    }
    let (status, body) = if ready {
        (StatusCode::OK, "ok")
    } else {
        state.metrics.inc(&state.metrics.health_unavailable);
        (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
    };
    (
        status,
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"))],
        body,
    )
        .into_response()
}

/// `GET /metrics` on the metrics listener only ([`crate::metrics_listener`]): counts only
/// (Prometheus text), nothing that identifies anyone.
pub async fn metrics(State(state): State<AppState>) -> Response {
    let mut body = state.metrics.render_prometheus();
    if let Some(delivery) = &state.outbox.delivery_metrics {
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
