//! The follow-up form: a tipster adds text (and files, handled as the tip form handles
//! them) to a report they sent, with the report's follow-up code. It passes the same checks as the tip form (rate limit, field checks,
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
    attachment_error_text, clean_files, describe_files, first_file_error, may_carry_files,
    read_form, receipt_files, seal_and_store, to_receipt, unavailable, unreadable, verify_captcha,
    ReadForm, Rejection,
};
use super::{base_context, form_context, message_page, page, request_lang, respond};
use crate::attachments::{AttachmentError, CleanFile};
use crate::client_address::client_address;
use crate::domain::{Addition, FieldError, Lang, PassedCheck, RawFollowUpForm, ReferenceCode};
use crate::rate_limit::Bucket;
use crate::receipts::Receipt;
use crate::seal::Plaintext;
use crate::state::AppState;

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
        None,
        &lang,
    )
}

/// The follow-up form with what was typed and the problems found.
fn form_page(
    state: &AppState,
    status: StatusCode,
    raw: &RawFollowUpForm,
    errors: &BTreeMap<&'static str, FieldError>,
    attachment: Option<&AttachmentError>,
    lang: &Lang,
) -> Response {
    let mut ctx = base_context(state, lang);
    let mut form = form_context(raw, errors, state, lang);
    if let Some(e) = attachment {
        form["errors"]["attachment"] =
            serde_json::Value::String(attachment_error_text(state, lang, e));
    }
    ctx.insert("form", &form);
    ctx.insert("follow_up_off", &state.follow_ups.is_none());
    page(state, status, TEMPLATE, &ctx)
}

/// The follow-up form again with the anti-bot check's message, filled in from a page
/// rendered once per language and message, as the tip form's (see `submit.rs`).
fn refused_by_check(
    state: &AppState,
    raw: &RawFollowUpForm,
    field: &'static str,
    error: FieldError,
    lang: &Lang,
) -> Response {
    let errors = BTreeMap::from([(field, error)]);
    let render = |values: &serde_json::Value| {
        let mut ctx = base_context(state, lang);
        ctx.insert("form", &form_context(values, &errors, state, lang));
        ctx.insert("follow_up_off", &state.follow_ups.is_none());
        state.pages.templates.render(TEMPLATE, &ctx)
    };
    let values = serde_json::to_value(raw).unwrap_or_default();
    let shape = format!("{TEMPLATE}\n{lang}\n{field}\n{error:?}");
    let rendered = state.pages.refusals.page(&shape, &values, &[], render);
    respond(state, StatusCode::UNPROCESSABLE_ENTITY, TEMPLATE, rendered)
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
    if !state.limits.rates.check(Bucket::FollowUp, client)
        || !state.limits.rates.check(Bucket::Tip, client)
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
    let may_carry = may_carry_files(&state, &request);
    let Ok(reading_turn) = state.uploads.reading_turn(may_carry).await else {
        return unavailable(&state, &header_lang);
    };
    let ReadForm {
        fields: raw,
        uploads,
        file_error,
    } = match read_form::<RawFollowUpForm>(&state, request, true).await {
        Ok(read) => read,
        Err(e) => return unreadable(&state, e, &header_lang),
    };
    let lang = raw.lang(&state.pages.site.languages);
    let refuse = |errors: &BTreeMap<&'static str, FieldError>,
                  attachment: Option<&AttachmentError>| {
        form_page(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            &raw,
            errors,
            attachment,
            &lang,
        )
    };
    let file_error = first_file_error(file_error, &uploads);
    let addition = match (
        Addition::parse(&raw, &state.pages.site.languages),
        &file_error,
    ) {
        (Ok(addition), None) => addition,
        (parsed, _) => {
            state.metrics.inc(&state.metrics.rejected_invalid);
            return refuse(&parsed.err().unwrap_or_default(), file_error.as_ref());
        }
    };
    let check = match verify_captcha(&state, &raw.captcha_answers(), client).await {
        Ok(check) => check,
        Err(Rejection::Field(field, error)) => {
            state.metrics.inc(&state.metrics.captcha_failed);
            return refused_by_check(&state, &raw, field, error, &lang);
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
            return refuse(
                &BTreeMap::from([("code", FieldError::FollowUpCodeUnknown)]),
                None,
            );
        }
        Err(e) => {
            tracing::error!(error = %e, "follow-up codes could not be read");
            state.metrics.inc(&state.metrics.unavailable);
            return unavailable(&state, &lang);
        }
    };
    // Files are stripped only for a code that belongs to a report: a guess costs no work.
    // As for a tip, the reading turn goes back once a sealing turn is held.
    let Ok(_sealing_turn) = state.uploads.sealing_turn(!uploads.is_empty()).await else {
        return unavailable(&state, &lang);
    };
    drop(reading_turn);
    let files = match clean_files(uploads).await {
        Ok(files) => files,
        Err(e) => {
            state.metrics.inc(&state.metrics.rejected_invalid);
            return refuse(&BTreeMap::new(), Some(&e));
        }
    };
    let receipt_files = receipt_files(&files);
    let plaintext = plaintext(&state, &addition, &reference, check, files);
    drop(addition);
    let stored = seal_and_store(&state, plaintext, client).await;
    if stored.is_err() {
        state.metrics.inc(&state.metrics.unavailable);
        return unavailable(&state, &lang);
    }
    state.metrics.inc(&state.metrics.accepted);
    tracing::info!(check = check.as_str(), "follow-up sealed and stored");
    let receipt = Receipt::Addition {
        reference,
        files: receipt_files,
    };
    to_receipt(&state, receipt, lang)
}

/// The sealed addition: labels in the unit's working language (the site's default), the
/// reference code of the report it belongs to, and the text exactly as written. The JSON
/// part says `"type": "follow_up"`; a tip's JSON has no `type`.
fn plaintext(
    state: &AppState,
    addition: &Addition,
    reference: &ReferenceCode,
    check: PassedCheck,
    files: Vec<CleanFile>,
) -> Plaintext {
    let unit_lang = state.pages.site.languages.default_lang().clone();
    let label = |key: &str| state.pages.site.text(&unit_lang, key);
    let mut text = format!(
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
    let mut json = serde_json::json!({
        "version": 1,
        "type": "follow_up",
        "reference": reference.as_str(),
        "lang": addition.lang.as_str(),
        "description": addition.text.as_str(),
        "captcha": check.as_str(),
    });
    let files = describe_files(state, files, &mut text, &mut json);
    Plaintext {
        reference: reference.as_str().to_string(),
        lang: addition.lang.clone(),
        text_body: text,
        json_body: json.to_string(),
        files,
    }
}
