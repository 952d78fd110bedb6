//! The development server's routes: the rendered site from memory (with the live-reload
//! script added to HTML pages), the server's own pages under `/_xeberdar/`, and the report
//! endpoint mounted by the caller.

use std::path::PathBuf;
use std::sync::Arc;
use xeberdar_site::percent::decode as percent_decode;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use crate::site::{file_for_path, MemoryFile};
use crate::translations::TranslationReport;

use super::live_reload::{self, LiveReload};
use super::rebuild::SiteFiles;

/// What the handlers share.
#[derive(Clone)]
pub struct ServeState {
    pub root: PathBuf,
    pub files: Arc<SiteFiles>,
    pub live: Arc<LiveReload>,
    /// The live-reload script, with the overlay in the editor's language.
    pub script: Arc<str>,
}

/// Every route of the dev server except the report endpoint.
pub fn router(state: ServeState) -> Router {
    let live = Router::new()
        .route("/_xeberdar/events", get(live_reload::events))
        .with_state(state.live.clone());
    Router::new()
        .route("/_xeberdar/livereload.js", get(script))
        .route("/_xeberdar/overlay.css", get(overlay_css))
        .route("/_xeberdar/status", get(status))
        .route("/_xeberdar/translations", get(translations))
        .fallback(get(site_file))
        .with_state(state)
        .merge(live)
}

fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn script(State(state): State<ServeState>) -> Response {
    no_store(
        (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
            state.script.to_string(),
        )
            .into_response(),
    )
}

async fn overlay_css() -> Response {
    no_store(
        (
            [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
            live_reload::OVERLAY_CSS,
        )
            .into_response(),
    )
}

/// The last build's status as JSON (`{"status":"ok"}` or `{"status":"failed","errors":[…]}`).
async fn status(State(state): State<ServeState>) -> Response {
    no_store(Json(state.live.status()).into_response())
}

/// The translation status page, read fresh from disk on every request.
async fn translations(State(state): State<ServeState>) -> Response {
    let root = state.root.clone();
    let report = tokio::task::spawn_blocking(move || TranslationReport::load(&root)).await;
    let response = match report {
        Ok(Ok(report)) => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            live_reload::inject_script(&report.html()),
        )
            .into_response(),
        Ok(Err(err)) => (StatusCode::INTERNAL_SERVER_ERROR, err.to_string()).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    no_store(response)
}

/// Answers a site URL from the rendered files; a folder URL without its slash redirects,
/// an unknown URL gets the language's 404 page.
async fn site_file(State(state): State<ServeState>, uri: Uri) -> Response {
    let path = percent_decode(uri.path());
    let file = file_for_path(&path);
    let found = lookup(&state, &file);
    let response = match found {
        Some(found) => respond(&file, found, StatusCode::OK).await,
        None => {
            let as_folder = format!("{}/", path.trim_end_matches('/'));
            if !path.ends_with('/') && lookup(&state, &file_for_path(&as_folder)).is_some() {
                (
                    StatusCode::MOVED_PERMANENTLY,
                    [(header::LOCATION, as_folder)],
                )
                    .into_response()
            } else {
                not_found(&state, &path).await
            }
        }
    };
    no_store(response)
}

fn lookup(state: &ServeState, file: &str) -> Option<MemoryFile> {
    state.files.read().get(file).cloned()
}

async fn not_found(state: &ServeState, path: &str) -> Response {
    // `/ru/…` gets the Russian 404 page, anything else the default language's.
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    let candidates = [format!("{first}/404.html"), "404.html".to_string()];
    for candidate in candidates {
        if let Some(found) = lookup(state, &candidate) {
            return respond(&candidate, found, StatusCode::NOT_FOUND).await;
        }
    }
    (StatusCode::NOT_FOUND, "not found").into_response()
}

async fn respond(file: &str, found: MemoryFile, status: StatusCode) -> Response {
    let content_type = content_type(file);
    let bytes = match found {
        MemoryFile::Rendered(bytes) => bytes,
        MemoryFile::Copied(source) => match tokio::fs::read(&source).await {
            Ok(bytes) => bytes,
            Err(err) => {
                return (
                    StatusCode::NOT_FOUND,
                    format!("{}: {err}", source.display()),
                )
                    .into_response()
            }
        },
    };
    let body = if content_type.starts_with("text/html") {
        live_reload::inject_script(&String::from_utf8_lossy(&bytes)).into_bytes()
    } else {
        bytes
    };
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// The media type of an output file, by its extension.
fn content_type(file: &str) -> &'static str {
    let ext = file
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "vtt" => "text/vtt; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "webm" => "video/webm",
        "mp4" => "video/mp4",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types() {
        assert_eq!(content_type("ru/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("films/demo.az.vtt"), "text/vtt; charset=utf-8");
        assert_eq!(content_type("x"), "application/octet-stream");
    }
}
