use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::{base_context, page};
use crate::startup::AppState;

/// `GET <prefix>/r/<token>`: the "received" page with the reference code. The token is
/// random and works once, for a short time; the page's title is the site's own, so the
/// browser's history says nothing about a report.
pub async fn received(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match state.receipts.take(&token) {
        Some((reference, lang)) => {
            let mut ctx = base_context(&state, &lang);
            ctx.insert("reference", reference.as_str());
            page(&state, StatusCode::OK, "report/received.html", &ctx)
        }
        None => {
            let lang = state.site.languages.default_lang().clone();
            let ctx = base_context(&state, &lang);
            page(&state, StatusCode::NOT_FOUND, "report/received.html", &ctx)
        }
    }
}
