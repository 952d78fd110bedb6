//! HTTP handlers. Every answer a browser can get is an HTML page in the visitor's language
//! (never JSON, never a bare status line); only `challenge` (read by the form's script)
//! and `metrics` answer machine formats.

mod challenge;
mod follow_up;
mod form;
mod health;
mod received;
mod submit;

pub use challenge::challenge;
pub use follow_up::{follow_up_form, submit_follow_up};
pub use form::{form_page, pow_script, to_form};
pub use health::{health, metrics};
pub use received::received;
pub use submit::submit;

use std::collections::BTreeMap;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tera::Context;

use crate::domain::{FieldError, Lang, RawTipForm};
use crate::pages::{Page, PageError};
use crate::security_headers::InlineHashes;
use crate::state::AppState;

/// The language for a page when no form says it: `?lang=`, else `Accept-Language`.
pub(crate) fn request_lang(state: &AppState, query: Option<&str>, headers: &HeaderMap) -> Lang {
    let languages = &state.pages.site.languages;
    if let Some(l) = query.and_then(|q| languages.parse(q)) {
        return l;
    }
    languages.from_accept_language(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// The context every endpoint page gets (the names the theme's `base.html` reads).
pub(crate) fn base_context(state: &AppState, lang: &Lang) -> Context {
    let mut ctx = Context::new();
    // The endpoint's own pages post back to the endpoint, wherever it is mounted.
    let mut config = state.pages.site.config_value(lang);
    if let Some(extra) = config.get_mut("extra").and_then(|e| e.as_object_mut()) {
        extra.insert(
            "report_endpoint".into(),
            serde_json::Value::String(state.http.prefix.clone()),
        );
    }
    ctx.insert("config", &config);
    ctx.insert("lang", lang.as_str());
    ctx.insert("lang_dir", state.pages.site.lang_dir(lang));
    ctx.insert("current_path", &format!("{}/", state.http.prefix));
    ctx.insert("serve_mode", &false);
    let view = state.captcha.check.view();
    ctx.insert(
        "captcha",
        &serde_json::json!({
            "kind": view.kind,
            "site_key": view.site_key,
            "challenge_url": format!("{}/challenge", state.http.prefix),
            "script_url": format!("{}/pow.js", state.http.prefix),
            "no_js": state.captcha.no_js_question,
        }),
    );
    ctx.insert(
        "form",
        &form_context(&RawTipForm::default(), &BTreeMap::new(), state, lang),
    );
    let a = &state.uploads.files;
    ctx.insert(
        "attachments",
        &serde_json::json!({
            "max_files": a.max_files,
            "max_file_mib": a.max_file_mib(),
            "max_total_mib": a.max_total_mib(),
        }),
    );
    ctx
}

/// `form.values` (every field, as typed) and `form.errors` (localized messages).
pub(crate) fn form_context(
    raw: &impl serde::Serialize,
    errors: &BTreeMap<&'static str, FieldError>,
    state: &AppState,
    lang: &Lang,
) -> serde_json::Value {
    let mut messages = serde_json::Map::new();
    for (field, error) in errors {
        let text = match error {
            FieldError::Required => state.pages.site.text(lang, "report-error-required"),
            FieldError::TooLong { max } => {
                let mut args = xeberdar_i18n::FluentArgs::new();
                args.set("max", *max as i64);
                state
                    .pages
                    .site
                    .locales
                    .format_or_fallback(lang.as_str(), "report-error-too-long", Some(&args))
                    .0
            }
            FieldError::UnknownKind => state.pages.site.text(lang, "report-error-kind"),
            FieldError::Captcha => state.pages.site.text(lang, "report-error-captcha"),
            FieldError::NoJsAnswer => state.pages.site.text(lang, "report-error-no-js-answer"),
            FieldError::FileNotAccepted => state
                .pages
                .site
                .text(lang, "report-error-file-not-accepted"),
            FieldError::NoJsAnswerMissing => {
                state.pages.site.text(lang, "report-error-no-js-missing")
            }
            FieldError::FollowUpCodeMalformed => {
                state.pages.site.text(lang, "report-error-follow-up-code")
            }
            FieldError::FollowUpCodeUnknown => {
                let mut args = xeberdar_i18n::FluentArgs::new();
                let days = state.follow_ups.as_ref().map_or(0, |f| f.ttl_days());
                args.set("days", i64::from(days));
                state
                    .pages
                    .site
                    .locales
                    .format_or_fallback(
                        lang.as_str(),
                        "report-error-follow-up-unknown",
                        Some(&args),
                    )
                    .0
            }
        };
        messages.insert((*field).to_string(), serde_json::Value::String(text));
    }
    serde_json::json!({ "values": raw, "errors": messages })
}

/// Renders `template` into a response with `status`. If even the embedded templates fail,
/// the visitor still gets the hotline in a hard-coded page.
pub(crate) fn page(
    state: &AppState,
    status: StatusCode,
    template: &str,
    ctx: &Context,
) -> Response {
    respond(
        state,
        status,
        template,
        state.pages.templates.render(template, ctx),
    )
}

/// The response for a page rendered (or filled in) already; see [`page`].
pub(crate) fn respond(
    state: &AppState,
    status: StatusCode,
    template: &str,
    rendered: Result<Page, PageError>,
) -> Response {
    match rendered {
        Ok(page) => {
            let mut response = (
                status,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                )],
                page.html,
            )
                .into_response();
            response.extensions_mut().insert(InlineHashes {
                scripts: page.script_hashes,
                styles: page.style_hashes,
            });
            response
        }
        Err(e) => {
            tracing::error!(template, error = %e, "page could not be rendered");
            let hotline = &state.pages.site.hotline;
            (
                status,
                [(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"))],
                format!(
                    "<!DOCTYPE html><meta charset=utf-8><title>Xəbərdar</title><p><a href=\"tel:{hotline}\">{hotline}</a></p>"
                ),
            )
                .into_response()
        }
    }
}

/// A page that only says something went wrong and shows the hotline.
pub(crate) fn message_page(
    state: &AppState,
    status: StatusCode,
    lang: &Lang,
    heading_key: &str,
    message_key: &str,
) -> Response {
    // Nothing the visitor sent is on this page (a flood that hits the rate limit gets it
    // for every request), so it is rendered once per language and message.
    let template = "report/unavailable.html";
    let shape = format!("{template}\n{lang}\n{status}\n{heading_key}\n{message_key}");
    let no_values = serde_json::Value::Object(serde_json::Map::new());
    let rendered = state.pages.refusals.page(&shape, &no_values, &[], |_| {
        let mut ctx = base_context(state, lang);
        ctx.insert("heading_key", heading_key);
        ctx.insert("message_key", message_key);
        state.pages.templates.render(template, &ctx)
    });
    respond(state, status, template, rendered)
}

/// A localized "not found" page for the standalone server.
pub fn not_found(state: &AppState, headers: &HeaderMap) -> Response {
    let lang = request_lang(state, None, headers);
    message_page(
        state,
        StatusCode::NOT_FOUND,
        &lang,
        "report-not-found",
        "report-not-found-text",
    )
}
