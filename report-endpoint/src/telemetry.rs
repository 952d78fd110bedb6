//! Logging that cannot leak a tipster: the endpoint's own events carry only counts, route
//! templates, status codes and durations. Request logging never touches the URI (the
//! receipt token is in it), headers (User-Agent, Referer, forwarded addresses), the peer
//! address, or the body. Third-party crates are held at `warn` by the default filter, so a
//! dependency's debug output cannot print a request either; a test captures every line of
//! real requests at TRACE level and looks for the tip, the address and the User-Agent.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use tracing::subscriber::set_global_default;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

/// The default filter: our crate at `info`, everything else at `warn`.
pub const DEFAULT_FILTER: &str = "warn,xeberdar_report=info";

/// A subscriber writing to `sink`; `RUST_LOG` overrides `default_filter`.
pub fn subscriber<W>(default_filter: &str, sink: W) -> impl tracing::Subscriber + Send + Sync
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(sink)
        // Colour codes only on a terminal: log files and journald get plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_target(true)
        .finish()
}

/// Installs `subscriber` for the whole process (the binary calls this once).
pub fn init(subscriber: impl tracing::Subscriber + Send + Sync) -> Result<(), String> {
    set_global_default(subscriber).map_err(|e| e.to_string())
}

/// One line per request: method, route template, status, milliseconds.
pub async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(unmatched)".to_string(), |p| p.as_str().to_string());
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        %method,
        route = %route,
        status = response.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}
