//! `xeberdar serve`: the editor's live preview.
//!
//! Builds the site into memory (with `serve_mode = true` for templates and drafts shown),
//! serves it on the loopback interface, watches the source folders and rebuilds only what
//! an edit affects ([`rebuild`]), then tells open pages to reload over Server-Sent Events
//! ([`live_reload`]). A build error never stops the server: the pages show it as an overlay
//! with file, line, column and message until the file is fixed.
//!
//! The report endpoint runs on the same origin with its embedded local defaults ([`tips`]),
//! so the tip form works end to end in the preview; a build without the `serve-tips`
//! feature serves the site alone.

pub mod http;
pub mod live_reload;
pub mod rebuild;
mod tips;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use thiserror::Error;

use crate::editor_strings::{Arg, EditorStrings};
use crate::site::BuildOptions;
use live_reload::LiveReload;
use rebuild::{RebuildSummary, Rebuilder};

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub interface: IpAddr,
    pub port: u16,
    /// Mount the report endpoint (on by default; tests of the preview alone turn it off).
    pub with_report_endpoint: bool,
}

#[derive(Debug, Error)]
pub enum ServeError {
    #[error(
        "{root}: no config.toml here; run `xeberdar serve` in the site's folder or pass --root"
    )]
    NotASite { root: String },
    #[error(
        "could not listen on {address}: {source} (is another server using this port? try --port)"
    )]
    Bind {
        address: SocketAddr,
        source: std::io::Error,
    },
    #[error("could not watch the site's folders for changes: {0}")]
    Watch(#[from] notify::Error),
    #[error("could not start the server: {0}")]
    Runtime(std::io::Error),
}

/// Runs the development server until Ctrl-C.
pub fn serve(options: &ServeOptions) -> Result<(), ServeError> {
    let root = options
        .root
        .canonicalize()
        .unwrap_or_else(|_| options.root.clone());
    if !root.join("config.toml").is_file() {
        return Err(ServeError::NotASite {
            root: root.display().to_string(),
        });
    }
    let address = SocketAddr::new(options.interface, options.port);
    let build_options = BuildOptions {
        drafts: true,
        base_url: Some(format!("http://{address}")),
        output_dir: root.join("public"),
        strict: false,
        serve_mode: true,
    };
    let files: Arc<rebuild::SiteFiles> = Arc::default();
    let live = Arc::new(LiveReload::default());
    let strings = EditorStrings::for_site(&root);
    let mut rebuilder = Rebuilder::new(
        root.clone(),
        build_options,
        files.clone(),
        live.clone(),
        strings,
    );

    // Watch before the first build so an edit made during it is not missed.
    let watcher = watch::SiteWatcher::start(&root)?;
    report(&rebuilder.full(), &strings);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let state = http::ServeState {
        root: root.clone(),
        files,
        live,
        script: live_reload::script_in(&strings).into(),
    };
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|source| ServeError::Bind { address, source })?;
        let mut app = http::router(state);
        let mut tasks = None;
        if options.with_report_endpoint {
            (app, tasks) = tips::mount(app, &root);
        }
        std::thread::Builder::new()
            .name("xeberdar-rebuild".into())
            .spawn(move || {
                while let Some(batch) = watcher.next_batch() {
                    if let Some(summary) = rebuilder.apply(&batch) {
                        report(&summary, &strings);
                    }
                }
            })
            .map_err(ServeError::Runtime)?;
        eprintln!("Serving the site on http://{address}/ (translation status: http://{address}/_xeberdar/translations). Press Ctrl-C to stop.");
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await;
        if let Some(tasks) = tasks {
            tasks.shutdown(Duration::from_secs(5)).await;
        }
        served.map_err(ServeError::Runtime)
    })
}

/// One line per rebuild on the terminal, plus the errors in `path:line:col: message` form.
fn report(summary: &RebuildSummary, strings: &EditorStrings) {
    for error in &summary.errors {
        eprintln!(
            "{}:{}:{}: error: {}",
            error.path, error.line, error.col, error.message
        );
    }
    let ms = usize::try_from(summary.elapsed.as_millis()).unwrap_or(usize::MAX);
    let args = [
        ("files", Arg::Count(summary.rendered)),
        ("ms", Arg::Count(ms)),
        ("what", Arg::Text(&summary.what)),
        ("errors", Arg::Count(summary.errors.len())),
    ];
    let key = if summary.errors.is_empty() {
        "serve-rebuilt-ok"
    } else {
        "serve-rebuilt-errors"
    };
    eprintln!("{}", strings.text(key, &args));
}
