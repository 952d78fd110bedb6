use std::collections::BTreeMap;

use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{base_context, form_context, message_page, page, request_lang};
use crate::captcha::{check_no_js_answer, CaptchaError};
use crate::client_address::client_address;
use crate::domain::{
    form_lang, FieldError, FormFields, Lang, PassedCheck, RawTipForm, ReferenceCode, Tip,
};
use crate::rate_limit::Bucket;
use crate::receipts::Receipt;
use crate::seal::Plaintext;
use crate::startup::AppState;

/// Why a request body could not be read as a form.
pub(super) enum BodyError {
    TooLarge,
    Unreadable,
    UnsupportedType,
}

/// At most this many multipart parts are read; the form has about a dozen.
const MAX_PARTS: usize = 40;

/// `POST <prefix>`: the tip form, urlencoded or multipart.
///
/// Order matters: the rate limit comes first (cheap), then the fields (so a visitor fixing
/// a typo keeps their solved captcha), then the captcha, then seal and store. Only after
/// the outbox has the sealed tip on disk does the visitor see "received".
pub async fn submit(State(state): State<AppState>, request: Request) -> Response {
    let client = client_address(&request);
    let header_lang = request_lang(&state, None, request.headers());
    if !state.rate_limits.check(Bucket::Tip, client) {
        state.metrics.inc(&state.metrics.rate_limited);
        return message_page(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            &header_lang,
            "report-unavailable-title",
            "report-rate-limited-text",
        );
    }
    let (raw, carried_a_file) = match read_form::<RawTipForm>(&state, request).await {
        Ok(read) => read,
        Err(e) => return unreadable(&state, e, &header_lang),
    };
    let lang = form_lang(&raw, &state.site.languages);
    if carried_a_file {
        state.metrics.inc(&state.metrics.rejected_invalid);
        let mut errors = Tip::parse(&raw, &state.site.languages)
            .err()
            .unwrap_or_default();
        errors.insert("attachment", FieldError::FileNotAccepted);
        return form_with_errors(&state, &raw, &errors, &lang);
    }
    let tip = match Tip::parse(&raw, &state.site.languages) {
        Ok(tip) => tip,
        Err(errors) => {
            state.metrics.inc(&state.metrics.rejected_invalid);
            return form_with_errors(&state, &raw, &errors, &lang);
        }
    };
    let check = match verify_captcha(&state, &raw, client).await {
        Ok(check) => check,
        Err(Rejection::Field(field, error)) => {
            state.metrics.inc(&state.metrics.captcha_failed);
            let mut errors = BTreeMap::new();
            errors.insert(field, error);
            return form_with_errors(&state, &raw, &errors, &lang);
        }
        Err(Rejection::RateLimited) => {
            state.metrics.inc(&state.metrics.rate_limited);
            return message_page(
                &state,
                StatusCode::TOO_MANY_REQUESTS,
                &lang,
                "report-unavailable-title",
                "report-rate-limited-text",
            );
        }
    };
    // With follow-ups on, the reference code is the follow-up code's (computed from it,
    // so nothing stored pairs the two); its lookup key is written before the tip, whose
    // durable write then covers it.
    let issued = match &state.follow_ups {
        Some(follow_ups) => match follow_ups.issue().await {
            Ok(issued) => Some(issued),
            Err(e) => {
                tracing::error!(error = %e, "a follow-up code could not be stored");
                state.metrics.inc(&state.metrics.unavailable);
                return unavailable(&state, &lang);
            }
        },
        None => None,
    };
    let reference = issued
        .as_ref()
        .map_or_else(ReferenceCode::generate, |i| i.reference.clone());
    let plaintext = plaintext(&state, &tip, &reference, check);
    drop(tip);
    let stored = seal_and_store(&state, &plaintext, client).await;
    drop(plaintext);
    if stored.is_err() {
        if let (Some(follow_ups), Some(issued)) = (&state.follow_ups, &issued) {
            follow_ups.withdraw(issued.key).await;
        }
        state.metrics.inc(&state.metrics.unavailable);
        return unavailable(&state, &lang);
    }
    state.metrics.inc(&state.metrics.accepted);
    tracing::info!(check = check.as_str(), "tip sealed and stored");
    let receipt = Receipt::Tip {
        reference,
        follow_up: issued.map(|i| i.code),
    };
    to_receipt(&state, receipt, lang)
}

/// Seals `plaintext` and stores it in the outbox, paced like every submission of its
/// source; the errors are logged here (without content).
pub(super) async fn seal_and_store(
    state: &AppState,
    plaintext: &Plaintext,
    client: Option<std::net::IpAddr>,
) -> Result<(), ()> {
    let sealed = state.sealer.seal(plaintext).map_err(|e| {
        tracing::error!(error = %e, "a submission could not be sealed");
    })?;
    let due = state.pacing.due(state.rate_limits.source_key(client));
    state
        .outbox
        .enqueue_not_before(sealed, due)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "a sealed submission could not be stored in the outbox");
        })?;
    if let Some(waker) = &state.delivery_waker {
        waker.notify_one();
    }
    Ok(())
}

/// The 303 to the one-time page that shows `receipt`.
pub(super) fn to_receipt(state: &AppState, receipt: Receipt, lang: Lang) -> Response {
    let token = state.receipts.insert(receipt, lang);
    let location = format!("{}/r/{token}", state.prefix);
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}

/// The answer to a body that could not be read as a form.
pub(super) fn unreadable(state: &AppState, e: BodyError, lang: &Lang) -> Response {
    state.metrics.inc(&state.metrics.rejected_invalid);
    let (status, key) = match e {
        BodyError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "report-too-large-text"),
        BodyError::Unreadable => (StatusCode::BAD_REQUEST, "report-bad-request-text"),
        BodyError::UnsupportedType => (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "report-bad-request-text",
        ),
    };
    message_page(state, status, lang, "report-unavailable-title", key)
}

pub(super) fn unavailable(state: &AppState, lang: &Lang) -> Response {
    message_page(
        state,
        StatusCode::SERVICE_UNAVAILABLE,
        lang,
        "report-unavailable-title",
        "report-unavailable-text",
    )
}

fn form_with_errors(
    state: &AppState,
    raw: &RawTipForm,
    errors: &BTreeMap<&'static str, FieldError>,
    lang: &Lang,
) -> Response {
    let mut ctx = base_context(state, lang);
    ctx.insert("form", &form_context(raw, errors, state, lang));
    page(
        state,
        StatusCode::UNPROCESSABLE_ENTITY,
        "report/form.html",
        &ctx,
    )
}

pub(super) enum Rejection {
    Field(&'static str, FieldError),
    RateLimited,
}

/// The no-JavaScript question when the visitor answered it and sent no script-made
/// answer; else the configured captcha.
pub(super) async fn verify_captcha(
    state: &AppState,
    raw: &RawTipForm,
    client: Option<std::net::IpAddr>,
) -> Result<PassedCheck, Rejection> {
    let scripted = !raw.pow.trim().is_empty() || !raw.hcaptcha_response.trim().is_empty();
    let checked = state.captcha.view().kind != "off";
    if checked && state.no_js_question && !scripted && raw.no_js_answer.trim().is_empty() {
        // No script made an answer (JavaScript off, or the check could not run): the
        // question is what this visitor can do, so ask for it in its own words.
        return Err(Rejection::Field(
            "no_js_answer",
            FieldError::NoJsAnswerMissing,
        ));
    }
    if state.no_js_question && !scripted && !raw.no_js_answer.trim().is_empty() {
        if !check_no_js_answer(&raw.no_js_answer, &state.site.hotline) {
            return Err(Rejection::Field("no_js_answer", FieldError::NoJsAnswer));
        }
        if !state.rate_limits.check(Bucket::NoJsTip, client) {
            return Err(Rejection::RateLimited);
        }
        return Ok(PassedCheck::NoJsQuestion);
    }
    match state.captcha.verify(raw).await {
        Ok(check) => Ok(check),
        Err(e) => {
            if let CaptchaError::Unavailable(reason) = &e {
                tracing::warn!(%reason, "the captcha service could not be reached");
            } else {
                tracing::info!(reason = %e, "captcha check failed");
            }
            Err(Rejection::Field("captcha", FieldError::Captcha))
        }
    }
}

/// The readable and the JSON part of the sealed tip. Labels are in the site's default
/// language, the unit's working language; values are exactly what the tipster wrote.
fn plaintext(
    state: &AppState,
    tip: &Tip,
    reference: &ReferenceCode,
    check: PassedCheck,
) -> Plaintext {
    let unit_lang = state.site.languages.default_lang().clone();
    let label = |key: &str| state.site.text(&unit_lang, key);
    let mut text = String::new();
    text.push_str(&label("report-sealed-heading"));
    text.push_str("\n\n");
    text.push_str(&format!(
        "{}: {}\n",
        label("report-sealed-reference"),
        reference
    ));
    text.push_str(&format!("{}: {}\n", label("report-sealed-lang"), tip.lang));
    text.push_str(&format!(
        "{}: {}\n",
        label("report-sealed-check"),
        check.as_str()
    ));
    for (field, value) in tip.filled_fields() {
        let key = match field {
            "description" => "report-sealed-description".to_string(),
            other => format!("report-field-{other}"),
        };
        let shown = if field == "kind" {
            format!("{} ({value})", label(&format!("report-kind-{value}")))
        } else {
            value
        };
        text.push_str(&format!("\n{}:\n{}\n", label(&key), shown));
    }
    let json = tip.to_json(reference, check).to_string();
    Plaintext {
        reference: reference.as_str().to_string(),
        lang: tip.lang.as_str().to_string(),
        text_body: text,
        json_body: json,
    }
}

/// The form's fields, and whether it carried a file (which is not read, and refused).
pub(super) async fn read_form<F: FormFields>(
    state: &AppState,
    request: Request,
) -> Result<(F, bool), BodyError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > state.body_limit) {
        return Err(BodyError::TooLarge);
    }
    let mut raw = F::default();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let body = axum::body::to_bytes(request.into_body(), state.body_limit)
            .await
            .map_err(|e| {
                if is_length_limit(&e) {
                    BodyError::TooLarge
                } else {
                    BodyError::Unreadable
                }
            })?;
        for (name, value) in form_urlencoded::parse(&body) {
            raw.set(&name, value.into_owned());
        }
        Ok((raw, false))
    } else if content_type.starts_with("multipart/form-data") {
        let mut multipart = Multipart::from_request(request, &())
            .await
            .map_err(|_| BodyError::Unreadable)?;
        let mut parts = 0;
        let mut carried_a_file = false;
        loop {
            let mut field = match multipart.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(e) => {
                    return Err(if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        BodyError::TooLarge
                    } else {
                        BodyError::Unreadable
                    })
                }
            };
            parts += 1;
            if parts > MAX_PARTS {
                return Err(BodyError::Unreadable);
            }
            // A file part: refused, never dropped in silence (the tipster would believe it
            // was sent). A file input left empty still sends a part with no file name and
            // no content; that one is no file. The rest of the part is skipped unread.
            if let Some(file_name) = field.file_name() {
                let named = !file_name.is_empty();
                let has_content = match field.chunk().await {
                    Ok(chunk) => chunk.is_some_and(|c| !c.is_empty()),
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        return Err(BodyError::TooLarge)
                    }
                    Err(_) => return Err(BodyError::Unreadable),
                };
                carried_a_file |= named || has_content;
                continue;
            }
            let name = field.name().unwrap_or("").to_string();
            let value = field.text().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    BodyError::TooLarge
                } else {
                    BodyError::Unreadable
                }
            })?;
            raw.set(&name, value);
        }
        Ok((raw, carried_a_file))
    } else {
        Err(BodyError::UnsupportedType)
    }
}

fn is_length_limit(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if s.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = s.source();
    }
    false
}
