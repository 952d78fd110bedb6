use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{base_context, page, request_lang};
use crate::state::AppState;

#[derive(Debug, serde::Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

impl LangQuery {
    pub fn lang(&self) -> Option<&str> {
        self.lang.as_deref()
    }
}

/// `GET <prefix>/form?lang=xx`: the form rendered by the endpoint, for visitors without
/// JavaScript and for anyone the site sends here.
pub async fn form_page(
    State(state): State<AppState>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = request_lang(&state, q.lang.as_deref(), &headers);
    let ctx = base_context(&state, &lang);
    page(&state, StatusCode::OK, "report/form.html", &ctx)
}

/// `GET <prefix>`: someone opened the form's address directly; send them to the form.
pub async fn to_form(State(state): State<AppState>, Query(q): Query<LangQuery>) -> Response {
    let lang = q
        .lang
        .as_deref()
        .and_then(|l| state.pages.site.languages.parse(l))
        .map(|l| format!("?lang={l}"))
        .unwrap_or_default();
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("{}/form{lang}", state.http.prefix)) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}

/// The proof-of-work solver, served from the endpoint so the site needs no copy of it.
pub const POW_JS: &str = include_str!("../../assets/pow.js");

/// `GET <prefix>/pow.js`.
pub async fn pow_script() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/javascript; charset=utf-8"),
        )],
        POW_JS,
    )
        .into_response()
}
