//! What the development server tells open pages: "reload" after a good rebuild, the list of
//! errors after a failed one. Sent over Server-Sent Events at `/_xeberdar/events`, which
//! needs no extra protocol and reconnects by itself when the server restarts.

use std::convert::Infallible;
use std::sync::Arc;

use parking_lot::RwLock;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use serde::Serialize;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt as _};

use crate::diagnostics::Diagnostic;
use crate::editor_strings::{Arg, EditorStrings};

/// The script pages load in serve mode, and the overlay's styles.
pub const SCRIPT: &str = include_str!("assets/livereload.js");
pub const OVERLAY_CSS: &str = include_str!("assets/overlay.css");
/// The live-reload script with the overlay's words in the editor's language.
pub fn script_in(strings: &EditorStrings) -> String {
    let count = |n: usize| strings.text("overlay-heading", &[("count", Arg::Count(n))]);
    // A count that picks the general plural form; the number becomes the script's `{n}`.
    let sample = 7;
    let text = serde_json::json!({
        "lang": strings.lang(),
        "one": count(1),
        "other": count(sample).replace(&sample.to_string(), "{n}"),
        "hint": strings.text("overlay-hint", &[]),
    });
    let (start, end) = ("/*XEBERDAR_TEXT*/", "/*XEBERDAR_TEXT_END*/");
    match (SCRIPT.find(start), SCRIPT.find(end)) {
        (Some(a), Some(b)) if a < b => {
            format!("{}{text}{}", &SCRIPT[..a], &SCRIPT[b + end.len()..])
        }
        _ => SCRIPT.to_string(),
    }
}

/// Where the script is served; also what is injected into every HTML page.
pub const SCRIPT_PATH: &str = "/_xeberdar/livereload.js";

/// One error as the overlay shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverlayError {
    pub path: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl OverlayError {
    /// The diagnostic with its message in the language of `strings`.
    pub fn new(d: &Diagnostic, strings: &EditorStrings) -> Self {
        Self {
            path: d.path.clone(),
            line: d.line,
            col: d.col,
            message: d.message.render(strings),
        }
    }
}

/// The state of the last build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum BuildStatus {
    Ok,
    Failed { errors: Vec<OverlayError> },
}

/// A message to every open page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    /// The build is good; pages at these URL paths changed (`None`: possibly all of them).
    /// Other pages only drop an error overlay they show.
    Reload(Option<Vec<String>>),
    /// Sent before [`LiveEvent::Reload`] when the edited pages are ready and their listings
    /// are still rendering, so the tab showing the edit reloads as early as possible.
    PagesReady(Vec<String>),
    Errors(Vec<OverlayError>),
}

/// The last build's status plus the channel to open pages.
pub struct LiveReload {
    status: RwLock<BuildStatus>,
    events: broadcast::Sender<LiveEvent>,
}

impl Default for LiveReload {
    fn default() -> Self {
        Self {
            status: RwLock::new(BuildStatus::Ok),
            events: broadcast::channel(64).0,
        }
    }
}

impl LiveReload {
    pub fn status(&self) -> BuildStatus {
        self.status.read().clone()
    }

    /// Records a build's outcome and tells the open pages: reload when it succeeded, show
    /// the errors when it failed.
    pub fn publish(&self, errors: Vec<OverlayError>) {
        self.publish_changed(errors, None);
    }

    /// Like [`LiveReload::publish`], naming the URL paths whose output changed so that only
    /// the pages showing them reload.
    pub fn publish_changed(&self, errors: Vec<OverlayError>, changed: Option<Vec<String>>) {
        let (status, event) = if errors.is_empty() {
            (BuildStatus::Ok, LiveEvent::Reload(changed))
        } else {
            (
                BuildStatus::Failed {
                    errors: errors.clone(),
                },
                LiveEvent::Errors(errors),
            )
        };
        *self.status.write() = status;
        // No open page is not an error.
        let _ = self.events.send(event);
    }

    /// Announces that these pages are rendered while the rest of the rebuild goes on.
    pub fn publish_pages_ready(&self, paths: Vec<String>) {
        let _ = self.events.send(LiveEvent::PagesReady(paths));
    }

    fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.events.subscribe()
    }
}

fn status_event(status: &BuildStatus) -> Event {
    match status {
        BuildStatus::Ok => Event::default().event("ok").data("ok"),
        BuildStatus::Failed { errors } => errors_event(errors),
    }
}

fn errors_event(errors: &[OverlayError]) -> Event {
    let json = serde_json::to_string(errors).unwrap_or_else(|_| "[]".to_string());
    Event::default().event("errors").data(json)
}

/// `GET /_xeberdar/events`: first the current status (so a page opened while the build is
/// broken shows the overlay at once), then every later event.
pub async fn events(
    State(live): State<Arc<LiveReload>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = live.subscribe();
    let first = tokio_stream::once(Ok(status_event(&live.status())));
    let later = BroadcastStream::new(receiver).filter_map(|message| match message {
        Ok(LiveEvent::Reload(changed)) => {
            let data = match changed {
                None => "*".to_string(),
                Some(paths) => serde_json::to_string(&paths).unwrap_or_else(|_| "*".into()),
            };
            Some(Ok(Event::default().event("reload").data(data)))
        }
        Ok(LiveEvent::PagesReady(paths)) => {
            let data = serde_json::to_string(&paths).unwrap_or_else(|_| "*".into());
            Some(Ok(Event::default().event("pages-ready").data(data)))
        }
        Ok(LiveEvent::Errors(errors)) => Some(Ok(errors_event(&errors))),
        // A page that fell behind only misses intermediate states; the next event catches up.
        Err(_) => None,
    });
    Sse::new(first.chain(later)).keep_alive(KeepAlive::default())
}

/// The URL path of an output file: `ru/help/index.html` → `/ru/help/`, `404.html` → `/404.html`.
pub fn url_path_of(file: &str) -> String {
    match file.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
        _ => format!("/{file}"),
    }
}

/// Adds the live-reload script to an HTML page, before `</body>` (or at the end).
pub fn inject_script(html: &str) -> String {
    let tag = format!("<script src=\"{SCRIPT_PATH}\" defer></script>");
    let lower = html.to_ascii_lowercase();
    match lower.rfind("</body>") {
        Some(at) => format!("{}{tag}{}", &html[..at], &html[at..]),
        None => format!("{html}{tag}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overlay_speaks_the_editors_language() {
        let ru = script_in(&EditorStrings::in_language("ru"));
        assert!(
            ru.contains(r#""other":"Не удалось пересобрать сайт. Ошибок: {n}""#),
            "{ru}"
        );
        assert!(ru.contains(r#""lang":"ru""#));
        assert!(!ru.contains("XEBERDAR_TEXT"));
        let en = script_in(&EditorStrings::in_language("en"));
        assert!(en.contains(r#""other":"The site could not be rebuilt: {n} errors""#));
    }

    #[test]
    fn script_goes_before_body_end() {
        assert_eq!(
            inject_script("<html><BODY>x</BODY></html>"),
            "<html><BODY>x<script src=\"/_xeberdar/livereload.js\" defer></script></BODY></html>"
        );
        assert!(inject_script("<p>x").ends_with("defer></script>"));
    }

    #[test]
    fn url_paths() {
        assert_eq!(url_path_of("index.html"), "/");
        assert_eq!(url_path_of("ru/help/index.html"), "/ru/help/");
        assert_eq!(url_path_of("404.html"), "/404.html");
        assert_eq!(url_path_of("ru/myindex.html"), "/ru/myindex.html");
    }

    #[test]
    fn publish_records_status() {
        let live = LiveReload::default();
        let mut rx = live.subscribe();
        let error = OverlayError {
            path: "content/a.md".into(),
            line: 3,
            col: 9,
            message: "bad date".into(),
        };
        live.publish(vec![error.clone()]);
        assert_eq!(
            live.status(),
            BuildStatus::Failed {
                errors: vec![error.clone()]
            }
        );
        assert_eq!(rx.try_recv().unwrap(), LiveEvent::Errors(vec![error]));
        live.publish(vec![]);
        assert_eq!(live.status(), BuildStatus::Ok);
        assert_eq!(rx.try_recv().unwrap(), LiveEvent::Reload(None));
    }
}
