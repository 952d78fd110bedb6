//! The follow-up form: a tipster adds text to a report they sent, with the report's
//! follow-up code. It passes the same checks as the tip form (rate limit, field checks,
//! the same anti-bot check) and one more limit per client on follow-up submissions,
//! right code or wrong, so codes cannot be guessed faster than a few an hour (and at
//! 140 bits they cannot be guessed at all). The code is checked after the anti-bot
//! check, so every guess costs the work of a submission.

use std::collections::BTreeMap;

use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::form::LangQuery;
use super::submit::{
    read_form, seal_and_store, to_receipt, unavailable, unreadable, verify_captcha, Rejection,
};
use super::{base_context, form_context, message_page, page, request_lang};
use crate::client_address::client_address;
use crate::domain::{Addition, FieldError, Lang, PassedCheck, RawFollowUpForm, ReferenceCode};
use crate::rate_limit::Bucket;
use crate::receipts::Receipt;
use crate::seal::Plaintext;
use crate::startup::AppState;

const TEMPLATE: &str = "report/followup.html";

/// `GET <prefix>/followup?lang=xx`: the empty follow-up form. The code is typed into the
/// form, never put in an address: addresses end up in the browser's history.
pub async fn follow_up_form(
    State(state): State<AppState>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = request_lang(&state, q.lang(), &headers);
    // When follow-ups are off the page says so with 200: it is a page of the site that
    // links here, not an error of the visitor's.
    form_page(
        &state,
        StatusCode::OK,
        &RawFollowUpForm::default(),
        &BTreeMap::new(),
        &lang,
    )
}

/// The follow-up form with what was typed and the problems found.
fn form_page(
    state: &AppState,
    status: StatusCode,
    raw: &RawFollowUpForm,
    errors: &BTreeMap<&'static str, FieldError>,
    lang: &Lang,
) -> Response {
    let mut ctx = base_context(state, lang);
    ctx.insert("form", &form_context(raw, errors, state, lang));
    ctx.insert("follow_up_off", &state.follow_ups.is_none());
    page(state, status, TEMPLATE, &ctx)
}

/// `POST <prefix>/followup`.
pub async fn submit_follow_up(State(state): State<AppState>, request: Request) -> Response {
    let client = client_address(&request);
    let header_lang = request_lang(&state, None, request.headers());
    let Some(follow_ups) = &state.follow_ups else {
        return message_page(
            &state,
            StatusCode::SERVICE_UNAVAILABLE,
            &header_lang,
            "report-unavailable-title",
            "report-followup-off-text",
        );
    };
    if !state.rate_limits.check(Bucket::FollowUp, client)
        || !state.rate_limits.check(Bucket::Tip, client)
    {
        state.metrics.inc(&state.metrics.rate_limited);
        return message_page(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            &header_lang,
            "report-unavailable-title",
            "report-followup-rate-limited-text",
        );
    }
    let (raw, carried_a_file) = match read_form::<RawFollowUpForm>(&state, request, false).await {
        Ok(read) => {
            let carried = read.carried_a_file();
            (read.fields, carried)
        }
        Err(e) => return unreadable(&state, e, &header_lang),
    };
    let lang = raw.lang(&state.site.languages);
    let refuse = |errors: &BTreeMap<&'static str, FieldError>| {
        form_page(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            &raw,
            errors,
            &lang,
        )
    };
    let parsed = Addition::parse(&raw, &state.site.languages);
    if carried_a_file {
        state.metrics.inc(&state.metrics.rejected_invalid);
        let mut errors = parsed.err().unwrap_or_default();
        errors.insert("attachment", FieldError::FileNotAccepted);
        return refuse(&errors);
    }
    let addition = match parsed {
        Ok(addition) => addition,
        Err(errors) => {
            state.metrics.inc(&state.metrics.rejected_invalid);
            return refuse(&errors);
        }
    };
    let check = match verify_captcha(&state, &raw.captcha_answers(), client).await {
        Ok(check) => check,
        Err(Rejection::Field(field, error)) => {
            state.metrics.inc(&state.metrics.captcha_failed);
            return refuse(&BTreeMap::from([(field, error)]));
        }
        Err(Rejection::RateLimited) => {
            state.metrics.inc(&state.metrics.rate_limited);
            return message_page(
                &state,
                StatusCode::TOO_MANY_REQUESTS,
                &lang,
                "report-unavailable-title",
                "report-followup-rate-limited-text",
            );
        }
    };
    let reference = match follow_ups.reference_for(&addition.code).await {
        Ok(Some(reference)) => reference,
        Ok(None) => {
            state.metrics.inc(&state.metrics.rejected_invalid);
            tracing::info!("a follow-up with an unknown code was refused");
            return refuse(&BTreeMap::from([("code", FieldError::FollowUpCodeUnknown)]));
        }
        Err(e) => {
            tracing::error!(error = %e, "follow-up codes could not be read");
            state.metrics.inc(&state.metrics.unavailable);
            return unavailable(&state, &lang);
        }
    };
    let plaintext = plaintext(&state, &addition, &reference, check);
    drop(addition);
    let stored = seal_and_store(&state, &plaintext, client).await;
    drop(plaintext);
    if stored.is_err() {
        state.metrics.inc(&state.metrics.unavailable);
        return unavailable(&state, &lang);
    }
    state.metrics.inc(&state.metrics.accepted);
    tracing::info!(check = check.as_str(), "follow-up sealed and stored");
    to_receipt(&state, Receipt::Addition { reference }, lang)
}

/// The sealed addition: labels in the unit's working language (the site's default), the
/// reference code of the report it belongs to, and the text exactly as written. The JSON
/// part says `"type": "follow_up"`; a tip's JSON has no `type`.
fn plaintext(
    state: &AppState,
    addition: &Addition,
    reference: &ReferenceCode,
    check: PassedCheck,
) -> Plaintext {
    let unit_lang = state.site.languages.default_lang().clone();
    let label = |key: &str| state.site.text(&unit_lang, key);
    let text = format!(
        "{heading}\n\n{reference_label}: {reference}\n{note}\n{lang_label}: {lang}\n{check_label}: {check}\n\n{text_label}:\n{text}\n",
        heading = label("report-sealed-followup-heading"),
        reference_label = label("report-sealed-reference"),
        note = label("report-sealed-followup-note"),
        lang_label = label("report-sealed-lang"),
        lang = addition.lang,
        check_label = label("report-sealed-check"),
        check = check.as_str(),
        text_label = label("report-sealed-followup-text"),
        text = addition.text.as_str(),
    );
    let json = serde_json::json!({
        "version": 1,
        "type": "follow_up",
        "reference": reference.as_str(),
        "lang": addition.lang.as_str(),
        "description": addition.text.as_str(),
        "captcha": check.as_str(),
    });
    Plaintext {
        reference: reference.as_str().to_string(),
        lang: addition.lang.as_str().to_string(),
        text_body: text,
        json_body: json.to_string(),
        files: Vec::new(),
    }
}
