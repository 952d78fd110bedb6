use std::collections::BTreeMap;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{base_context, form_context, message_page, page, request_lang, respond};
use crate::attachments::{self, AttachmentError, CleanFile, Upload};
use crate::captcha::{check_no_js_answer, CaptchaError};
use crate::client_address::client_address;
use crate::domain::{
    form_lang, FieldError, FormFields, Lang, PassedCheck, RawTipForm, ReferenceCode, Tip, TipKind,
};
use crate::rate_limit::Bucket;
use crate::receipts::{Receipt, ReceiptFile};
use crate::seal::{PlainFile, Plaintext, SealedTip};
use crate::state::AppState;
use zeroize::Zeroize as _;

/// Why a request body could not be read as a form.
pub(super) enum BodyError {
    TooLarge,
    Unreadable,
    UnsupportedType,
}

const FORM_TEMPLATE: &str = "report/form.html";

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
    if !state.limits.rates.check(Bucket::Tip, client) {
        state.metrics.inc(&state.metrics.rate_limited);
        return message_page(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            &header_lang,
            "report-unavailable-title",
            "report-rate-limited-text",
        );
    }
    // Bodies that may carry files are read a few at a time (each holds its files in
    // memory), and stripped and sealed fewer at a time still (that holds them several
    // times over); a slow upload over Tor then keeps only a reading turn while it trickles
    // in. Small bodies (text only) never wait.
    let may_carry = may_carry_files(&state, &request);
    let Ok(reading_turn) = state.uploads.reading_turn(may_carry).await else {
        return unavailable(&state, &header_lang);
    };
    let ReadForm {
        fields: raw,
        uploads,
        file_error,
    } = match read_form::<RawTipForm>(&state, request, true).await {
        Ok(read) => read,
        Err(e) => return unreadable(&state, e, &header_lang),
    };
    let lang = form_lang(&raw, &state.pages.site.languages);
    let file_error = first_file_error(file_error, &uploads);
    let tip = match (Tip::parse(&raw, &state.pages.site.languages), &file_error) {
        (Ok(tip), None) => tip,
        (parsed, _) => {
            state.metrics.inc(&state.metrics.rejected_invalid);
            let errors = parsed.err().unwrap_or_default();
            return form_with_errors(&state, &raw, &errors, file_error.as_ref(), &lang);
        }
    };
    let check = match verify_captcha(&state, &raw, client).await {
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
                "report-rate-limited-text",
            );
        }
    };
    // The reading turn is given back only once a sealing turn is held, so a report
    // waiting to be sealed still counts among those holding their files in memory.
    let Ok(_sealing_turn) = state.uploads.sealing_turn(!uploads.is_empty()).await else {
        return unavailable(&state, &lang);
    };
    drop(reading_turn);
    let files = match clean_files(uploads).await {
        Ok(files) => files,
        Err(e) => {
            state.metrics.inc(&state.metrics.rejected_invalid);
            return form_with_errors(&state, &raw, &BTreeMap::new(), Some(&e), &lang);
        }
    };
    let receipt_files = receipt_files(&files);
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
    let plaintext = plaintext(&state, &tip, &reference, check, files);
    drop(tip);
    let stored = seal_and_store(&state, plaintext, client).await;
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
        files: receipt_files,
    };
    to_receipt(&state, receipt, lang)
}

/// Seals `plaintext` and stores it in the outbox, paced like every submission of its
/// source; the errors are logged here (without content). Consumes the plaintext, whose
/// buffers are zeroized when it is dropped.
pub(super) async fn seal_and_store(
    state: &AppState,
    plaintext: Plaintext,
    client: Option<std::net::IpAddr>,
) -> Result<(), ()> {
    let sealed = if plaintext.files.is_empty() {
        state.outbox.sealer.seal(&plaintext).map_err(|e| {
            tracing::error!(error = %e, "a submission could not be sealed");
        })?
    } else {
        // Seconds of CPU for large files: sealed off the request threads.
        seal_on_blocking_pool(state, plaintext).await?
    };
    store(state, sealed, client).await
}

/// The first problem with the files: what reading found, else what their first bytes
/// tell (kind, HEIC). Checked with the fields, so the visitor fixes everything at once and
/// keeps a solved captcha; the stripping itself waits until the captcha passed.
pub(super) fn first_file_error(
    read: Option<AttachmentError>,
    uploads: &[Upload],
) -> Option<AttachmentError> {
    read.or_else(|| {
        uploads
            .iter()
            .enumerate()
            .find_map(|(i, u)| attachments::precheck(u, i).err())
    })
}

/// What the receipt says of each file: its name and what was removed from it.
pub(super) fn receipt_files(files: &[CleanFile]) -> Vec<ReceiptFile> {
    files
        .iter()
        .map(|f| ReceiptFile {
            name: f.file.file_name.clone(),
            removed_key: f.kind.removed_key(),
        })
        .collect()
}

/// A file problem in the visitor's language, for the form's `attachment` error.
pub(super) fn attachment_error_text(state: &AppState, lang: &Lang, e: &AttachmentError) -> String {
    let (key, args) = e.message();
    state.pages.site.text_with(lang, key, &args)
}

/// Seals `plaintext` on the blocking pool (large files take seconds of CPU), dropping it
/// (its buffers zeroized) there.
async fn seal_on_blocking_pool(
    state: &AppState,
    plaintext: Plaintext,
) -> Result<Vec<SealedTip>, ()> {
    let sealer = state.outbox.sealer.clone();
    match tokio::task::spawn_blocking(move || sealer.seal(&plaintext)).await {
        Ok(Ok(sealed)) => Ok(sealed),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "a submission could not be sealed");
            Err(())
        }
        Err(_) => {
            tracing::error!("sealing a submission with files stopped unexpectedly");
            Err(())
        }
    }
}

/// Stores sealed emails in the outbox, paced like every submission of their source, and
/// wakes the delivery worker.
async fn store(
    state: &AppState,
    sealed: Vec<SealedTip>,
    client: Option<std::net::IpAddr>,
) -> Result<(), ()> {
    let due = state
        .limits
        .pacing
        .due(state.limits.rates.source_key(client));
    state
        .outbox
        .store
        .enqueue_not_before(sealed, due)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "a sealed submission could not be stored in the outbox");
        })?;
    if let Some(waker) = &state.outbox.delivery_waker {
        waker.notify_one();
    }
    Ok(())
}

/// The 303 to the one-time page that shows `receipt`.
pub(super) fn to_receipt(state: &AppState, receipt: Receipt, lang: Lang) -> Response {
    let token = state.receipts.insert(receipt, lang);
    let location = format!("{}/r/{token}", state.http.prefix);
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
    page(state, StatusCode::UNPROCESSABLE_ENTITY, FORM_TEMPLATE, &ctx)
}

/// The form again with the anti-bot check's message: what a flood of forged or replayed
/// answers gets for every request, so it is filled in from a page rendered once per
/// language, kind and message ([`RefusalPages`](crate::refusal_pages::RefusalPages)).
/// A kind that is not one of the form's choices is rendered in full, so what a visitor
/// sends cannot add shapes.
fn refused_by_check(
    state: &AppState,
    raw: &RawTipForm,
    field: &'static str,
    error: FieldError,
    lang: &Lang,
) -> Response {
    let errors = BTreeMap::from([(field, error)]);
    let render = |values: &serde_json::Value| {
        let mut ctx = base_context(state, lang);
        ctx.insert("form", &form_context(values, &errors, state, lang));
        state.pages.templates.render(FORM_TEMPLATE, &ctx)
    };
    let values = serde_json::to_value(raw).unwrap_or_default();
    let listed_kind =
        raw.kind.is_empty() || TipKind::parse(&raw.kind).is_some_and(|k| k.as_str() == raw.kind);
    let rendered = if listed_kind {
        let shape = format!("{FORM_TEMPLATE}\n{lang}\n{}\n{field}\n{error:?}", raw.kind);
        state
            .pages
            .refusals
            .page(&shape, &values, &["kind"], render)
    } else {
        render(&values)
    };
    respond(
        state,
        StatusCode::UNPROCESSABLE_ENTITY,
        FORM_TEMPLATE,
        rendered,
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
    let checked = state.captcha.check.view().kind != "off";
    if checked && state.captcha.no_js_question && !scripted && raw.no_js_answer.trim().is_empty() {
        // No script made an answer (JavaScript off, or the check could not run): the
        // question is what this visitor can do, so ask for it in its own words.
        return Err(Rejection::Field(
            "no_js_answer",
            FieldError::NoJsAnswerMissing,
        ));
    }
    if state.captcha.no_js_question && !scripted && !raw.no_js_answer.trim().is_empty() {
        if !check_no_js_answer(&raw.no_js_answer, &state.pages.site.hotline) {
            return Err(Rejection::Field("no_js_answer", FieldError::NoJsAnswer));
        }
        if !state.limits.rates.check(Bucket::NoJsTip, client) {
            return Err(Rejection::RateLimited);
        }
        return Ok(PassedCheck::NoJsQuestion);
    }
    match state.captcha.check.verify(raw).await {
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
    files: Vec<CleanFile>,
) -> Plaintext {
    let unit_lang = state.pages.site.languages.default_lang().clone();
    let label = |key: &str| state.pages.site.text(&unit_lang, key);
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
    let mut json = tip.to_json(reference, check);
    let files = describe_files(state, files, &mut text, &mut json);
    Plaintext {
        reference: reference.as_str().to_string(),
        lang: tip.lang.clone(),
        text_body: text,
        json_body: json.to_string(),
        files,
    }
}

/// Lists `files` in the readable part (name, type, size, what was removed; labels in the
/// unit's language) and in the JSON part (`"files"`), and hands them over for sealing.
pub(super) fn describe_files(
    state: &AppState,
    files: Vec<CleanFile>,
    text: &mut String,
    json: &mut serde_json::Value,
) -> Vec<PlainFile> {
    let unit_lang = state.pages.site.languages.default_lang().clone();
    let label = |key: &str| state.pages.site.text(&unit_lang, key);
    if !files.is_empty() {
        text.push_str(&format!("\n{}:\n", label("report-sealed-files")));
        let mut listed = Vec::with_capacity(files.len());
        for f in &files {
            let removed = state.pages.site.text_with(
                &unit_lang,
                f.kind.removed_key(),
                &[("name", f.file.file_name.clone())],
            );
            text.push_str(&format!(
                "- {} ({}, {} bytes)\n  {}\n",
                f.file.file_name,
                f.file.content_type,
                f.file.bytes.len(),
                removed
            ));
            listed.push(serde_json::json!({
                "name": f.file.file_name,
                "content_type": f.file.content_type,
                "kind": f.kind.as_str(),
                "bytes": f.file.bytes.len(),
            }));
        }
        json["files"] = serde_json::Value::Array(listed);
    }
    files.into_iter().map(|f| f.file).collect()
}

/// Strips every file on the blocking pool (PDF and zip parsing are CPU work); the first
/// file refused refuses the report, naming that file. Each upload is dropped (zeroized) as
/// soon as its stripped copy exists, so a report's files are not held twice over.
pub(super) async fn clean_files(uploads: Vec<Upload>) -> Result<Vec<CleanFile>, AttachmentError> {
    if uploads.is_empty() {
        return Ok(Vec::new());
    }
    let stopped = AttachmentError::File {
        name: attachments::display_name(uploads.first().map_or("", |u| u.name.as_str()), 0),
        problem: attachments::FileProblem::Unreadable,
    };
    tokio::task::spawn_blocking(move || {
        uploads
            .into_iter()
            .enumerate()
            .map(|(i, upload)| attachments::clean(&upload, i))
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .unwrap_or(Err(stopped))
}

/// Whether a request may carry files: a multipart body larger than the text limit, or of
/// unknown length.
pub(super) fn may_carry_files(state: &AppState, request: &Request) -> bool {
    let headers = request.headers();
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    multipart && declared.is_none_or(|n| n > state.http.body_limit)
}

/// What a POST carried: the text fields, the files (unchecked), and the first problem
/// with the files that reading found (count and size limits).
pub(super) struct ReadForm<F> {
    pub fields: F,
    pub uploads: Vec<Upload>,
    pub file_error: Option<AttachmentError>,
}

/// Reads the form. Urlencoded bodies keep the small text limit. Multipart bodies are read
/// to their end even when a file breaks a limit (its bytes are then discarded as they come),
/// so the visitor gets the form back with everything typed, instead of a broken connection;
/// only a body past [`AttachmentSettings::body_limit`](crate::configuration::AttachmentSettings::body_limit)
/// is refused outright. Without `accept_files` (a form that takes none) file parts are only
/// noted, never kept.
pub(super) async fn read_form<F: FormFields>(
    state: &AppState,
    request: Request,
    accept_files: bool,
) -> Result<ReadForm<F>, BodyError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let lower = content_type.to_ascii_lowercase();
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let mut raw = F::default();
    if lower.starts_with("application/x-www-form-urlencoded") {
        if declared.is_some_and(|n| n > state.http.body_limit) {
            discard_refused_body(request.into_body()).await;
            return Err(BodyError::TooLarge);
        }
        let body = axum::body::to_bytes(request.into_body(), state.http.body_limit)
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
        Ok(ReadForm {
            fields: raw,
            uploads: Vec::new(),
            file_error: None,
        })
    } else if lower.starts_with("multipart/form-data") {
        if declared.is_some_and(|n| n > state.uploads.body_limit) {
            discard_refused_body(request.into_body()).await;
            return Err(BodyError::TooLarge);
        }
        read_multipart(state, &content_type, request, raw, accept_files).await
    } else {
        Err(BodyError::UnsupportedType)
    }
}

/// How much of a body refused for its declared length is read and thrown away before the
/// refusal is sent, and for how long at most.
const REFUSED_BODY_DISCARD_BYTES: usize = 16 * 1024 * 1024;
const REFUSED_BODY_DISCARD_TIME: std::time::Duration = std::time::Duration::from_secs(10);

/// Reads and throws away what a client is still sending of a refused body (within
/// [`REFUSED_BODY_DISCARD_BYTES`] and [`REFUSED_BODY_DISCARD_TIME`]). A connection closed
/// with bytes unread is reset, and a reset can reach the browser before the answer does:
/// the visitor would then see a broken connection instead of the page that says the report
/// was too large and gives the hotline. Nothing read here is kept.
async fn discard_refused_body(mut body: axum::body::Body) {
    use http_body_util::BodyExt as _;
    let mut left = REFUSED_BODY_DISCARD_BYTES;
    let _ = tokio::time::timeout(REFUSED_BODY_DISCARD_TIME, async {
        while left > 0 {
            match body.frame().await {
                Some(Ok(frame)) => {
                    left = left.saturating_sub(frame.data_ref().map_or(0, |d| d.len()));
                }
                Some(Err(_)) | None => break,
            }
        }
    })
    .await;
}

async fn read_multipart<F: FormFields>(
    state: &AppState,
    content_type: &str,
    request: Request,
    mut raw: F,
    accept_files: bool,
) -> Result<ReadForm<F>, BodyError> {
    let limits = &state.uploads.files;
    let boundary = multer::parse_boundary(content_type).map_err(|_| BodyError::Unreadable)?;
    let constraints = multer::Constraints::new()
        .size_limit(multer::SizeLimit::new().whole_stream(state.uploads.body_limit as u64));
    let mut multipart = multer::Multipart::with_constraints(
        request.into_body().into_data_stream(),
        boundary,
        constraints,
    );
    let mut parts = 0;
    let mut text_bytes = 0usize;
    let mut files_total = 0usize;
    let mut files_seen = 0usize;
    let mut uploads = Vec::new();
    let mut file_error = None;
    // Set when the body is refused as a whole; the rest is still read (and dropped), so
    // the answer reaches a browser that is still sending instead of a reset connection.
    let mut refused = None;
    while let Some(mut field) = multipart.next_field().await.map_err(multipart_error)? {
        parts += 1;
        if parts > MAX_PARTS {
            refused.get_or_insert(BodyError::Unreadable);
        }
        if refused.is_some() {
            while field.chunk().await.map_err(multipart_error)?.is_some() {}
            continue;
        }
        if let Some(file_name) = field.file_name().map(str::to_owned) {
            let mut upload = Upload {
                name: file_name,
                bytes: Vec::new(),
            };
            // Once the files broke a limit, the rest of the body is only read, not kept.
            let mut keep = file_error.is_none();
            while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                if !keep {
                    continue;
                }
                let len = upload.bytes.len() + chunk.len();
                if len > limits.max_file_bytes {
                    file_error = Some(AttachmentError::FileTooLarge {
                        name: attachments::display_name(&upload.name, files_seen),
                        max_mib: limits.max_file_mib(),
                    });
                } else if files_total + len > limits.max_total_bytes {
                    file_error = Some(AttachmentError::TotalTooLarge {
                        max_mib: limits.max_total_mib(),
                    });
                } else {
                    upload.bytes.extend_from_slice(&chunk);
                    continue;
                }
                keep = false;
                upload.bytes.zeroize();
            }
            // A file input left empty still sends a part with no name and no content.
            if upload.name.is_empty() && upload.bytes.is_empty() && keep {
                continue;
            }
            files_seen += 1;
            if !keep || file_error.is_some() {
                continue;
            }
            if limits.max_files == 0 || !accept_files {
                file_error = Some(AttachmentError::NotAccepted);
            } else if files_seen > limits.max_files {
                file_error = Some(AttachmentError::TooMany {
                    max: limits.max_files,
                });
            } else {
                files_total += upload.bytes.len();
                uploads.push(upload);
            }
            continue;
        }
        let name = field.name().unwrap_or("").to_string();
        let mut value = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
            text_bytes += chunk.len();
            if text_bytes > state.http.body_limit {
                refused = Some(BodyError::TooLarge);
                value.zeroize();
                continue;
            }
            value.extend_from_slice(&chunk);
        }
        if refused.is_none() {
            raw.set(&name, String::from_utf8_lossy(&value).into_owned());
        }
        value.zeroize();
    }
    if let Some(e) = refused {
        return Err(e);
    }
    if file_error.is_some() {
        // Nothing of a refused submission is kept.
        uploads.clear();
    }
    Ok(ReadForm {
        fields: raw,
        uploads,
        file_error,
    })
}

fn multipart_error(e: multer::Error) -> BodyError {
    match e {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            BodyError::TooLarge
        }
        _ => BodyError::Unreadable,
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
