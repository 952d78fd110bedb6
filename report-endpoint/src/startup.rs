//! Building the application: router, listener, background delivery, graceful stop.
//!
//! Two ways in:
//! * [`Application::build`] binds `host:port` from [`Settings`] and serves (the
//!   `xeberdar-report` binary, and the tests, which bind port 0 and read [`Application::port`]);
//! * [`local_router`] returns the [`Router`] (all routes under `/report`) plus the delivery
//!   worker's handle, for `xeberdar serve` to mount on its own origin with embedded
//!   defaults: the site's languages and theme, the DEMO recipient key, an outbox and a
//!   folder of `.eml` files under `<site>/.xeberdar/report/`.

use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::extract::{ConnectInfo, DefaultBodyLimit, Request};
use axum::http::{Method, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt;
use tower_http::cors::CorsLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

use crate::client_address::resolve_client_address;
use crate::configuration::{ConfigError, OutboxBackend, OutboxSettings, Settings};
use crate::delivery::{self, DeliveryHandle};
use crate::email_client::{build_client, MailConfigError};
use crate::metrics_listener;
use crate::outbox::postgres::PostgresOptions;
use crate::outbox::{Outbox, OutboxError, PostgresOutbox, SqliteOutbox};
use crate::routes;
use crate::seal::{CertError, CertProblem, RecipientCert, Sealer};
use crate::security_headers::add_security_headers;
use crate::site::{Site, SiteError};
use crate::state::{AppState, StateError};
use crate::telemetry::log_request;

/// The DEMO recipient certificate (its secret key is beside it in `report-endpoint/dev/`):
/// only `dev` and `bench` runs use it, so a local `xeberdar serve` works offline.
const DEMO_CERT: &[u8] = include_bytes!("../dev/demo-recipient.public.asc");
const DEMO_EMAIL: &str = "demo-recipient@example.invalid";

/// Why the endpoint did not start. Each names what to fix.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("site: {0}")]
    Site(#[from] SiteError),
    #[error(transparent)]
    State(#[from] StateError),
    #[error("{0}")]
    Cert(#[from] CertError),
    #[error("the DEMO recipient key is unusable: {0}")]
    DemoCert(CertProblem),
    #[error("outbox: {0}")]
    Outbox(#[from] OutboxError),
    #[error("cannot create the data folder {path}: {source}")]
    DataDir {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("mail: {0}")]
    Mail(#[from] MailConfigError),
    #[error("cannot listen on {address}: {source}")]
    Bind {
        address: String,
        source: std::io::Error,
    },
}

/// The path the site's form posts to (`extra.report_endpoint`, a path or a URL), so the
/// endpoint answers where the site's pages send tips; `/report` when the site names none.
pub fn site_endpoint_path(config: &xeberdar_site::config::Config) -> String {
    let Some(endpoint) = config.extra["report_endpoint"].as_str() else {
        return "/report".into();
    };
    xeberdar_site::urls::path(endpoint)
        .map(|path| path.trim_end_matches('/').to_string())
        .filter(|path| path.len() > 1)
        .unwrap_or_else(|| "/report".into())
}

/// All routes under the state's prefix, with the security layers. Mount it as is (for
/// example `Router::new().merge(router(state))`); it answers only under its prefix.
///
/// The client address comes from `application.client_address`: a proxy's header, or the
/// `ConnectInfo<SocketAddr>` request extension (set by [`Application`]; with `axum::serve`
/// use `into_make_service_with_connect_info`). Without it every client shares one
/// rate-limit bucket, which is fine for a local preview.
pub fn router(state: AppState) -> Router {
    let http = &state.http;
    let p = http.prefix.clone();
    let mut cors = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST])
        .allow_credentials(false);
    if let Some(origin) = &http.allowed_origin {
        cors = cors.allow_origin(origin.clone());
    }
    let timeout = http.request_timeout;
    let upload_timeout = state.uploads.timeout;
    let body_limit = http.body_limit;
    let csp = http.csp.clone();
    let client_address = http.client_address.clone();
    // The report's POST and the follow-up's may carry files: they alone get the longer
    // upload time (body sizes are enforced in the handlers, text fields keeping the small
    // limit). Every other route keeps the short request time.
    let submit = Router::new()
        .route(&p, post(routes::submit))
        .route(&format!("{p}/followup"), post(routes::submit_follow_up))
        .layer(RequestBodyTimeoutLayer::new(upload_timeout))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            upload_timeout,
        ));
    let pages = Router::new()
        .route(&p, get(routes::to_form))
        .route(&format!("{p}/form"), get(routes::form_page))
        .route(&format!("{p}/challenge"), get(routes::challenge))
        .route(&format!("{p}/health"), get(routes::health))
        .route(&format!("{p}/pow.js"), get(routes::pow_script))
        .route(&format!("{p}/r/{{token}}"), get(routes::received))
        .route(&format!("{p}/followup"), get(routes::follow_up_form))
        .layer(RequestBodyTimeoutLayer::new(timeout))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ));
    pages
        .merge(submit)
        .with_state(state)
        .layer(axum::middleware::from_fn(log_request))
        .layer(axum::middleware::from_fn_with_state(
            client_address,
            resolve_client_address,
        ))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(cors)
        .layer(axum::middleware::from_fn_with_state(
            csp,
            add_security_headers,
        ))
}

/// Tasks that run beside the router (the delivery worker). Stop them after the server.
pub struct BackgroundTasks {
    delivery: DeliveryHandle,
}

impl BackgroundTasks {
    /// Lets a send in flight finish (within `grace`) and stops the worker.
    pub async fn shutdown(self, grace: Duration) {
        self.delivery.shutdown(grace).await;
    }

    pub fn delivery(&self) -> &DeliveryHandle {
        &self.delivery
    }
}

/// Opens the SQLite outbox file, creating its folder.
fn open_sqlite_outbox(settings: &OutboxSettings) -> Result<Arc<dyn Outbox>, StartupError> {
    let outbox_path = &settings.path;
    if let Some(parent) = outbox_path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| StartupError::DataDir {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    Ok(Arc::new(SqliteOutbox::open(outbox_path)?))
}

/// Opens the configured outbox: for PostgreSQL, connects and runs the migrations.
pub async fn open_outbox(settings: &OutboxSettings) -> Result<Arc<dyn Outbox>, StartupError> {
    match settings.backend {
        OutboxBackend::Sqlite => open_sqlite_outbox(settings),
        OutboxBackend::Postgres => {
            let url = settings.postgres_url.as_ref().ok_or_else(|| {
                ConfigError::Invalid("outbox.backend = \"postgres\" needs postgres_url".into())
            })?;
            let options = PostgresOptions {
                pool_size: settings.postgres_pool_size,
                connect_timeout: Duration::from_secs(settings.postgres_connect_timeout_secs.max(1)),
            };
            let outbox = PostgresOutbox::connect(url, &options).await?;
            tracing::info!("outbox: PostgreSQL, schema up to date");
            Ok(Arc::new(outbox))
        }
    }
}

/// Loads certificates, opens the SQLite outbox, starts the delivery worker and builds the
/// state. Must run inside a tokio runtime (the worker is a task).
pub fn build_state(settings: &Settings) -> Result<(AppState, BackgroundTasks), StartupError> {
    if settings.outbox.backend != OutboxBackend::Sqlite {
        return Err(ConfigError::Invalid(
            "this way of starting the endpoint opens only the SQLite outbox".into(),
        )
        .into());
    }
    let outbox = open_sqlite_outbox(&settings.outbox)?;
    build_state_with_outbox(settings, outbox)
}

/// Like [`build_state`], around an outbox already opened ([`open_outbox`]).
pub fn build_state_with_outbox(
    settings: &Settings,
    outbox: Arc<dyn Outbox>,
) -> Result<(AppState, BackgroundTasks), StartupError> {
    settings.validate()?;
    let sealer = match &settings.seal {
        Some(seal) => Sealer::load(seal)?,
        None => {
            let cert = RecipientCert::from_bytes(DEMO_EMAIL, DEMO_CERT, SystemTime::now())
                .map_err(StartupError::DemoCert)?;
            tracing::warn!(
                "DEMO MODE: tips are encrypted to the DEMO key of report-endpoint/dev/, which anyone can read; configure [seal] recipients for real use"
            );
            Sealer::new("xeberdar-report@localhost", vec![cert])?
        }
    };
    for r in sealer.recipients() {
        tracing::info!(recipient = ?r, "sealing to");
    }
    let client = build_client(&settings.mail)?;
    let delivery = delivery::spawn(outbox.clone(), client, settings.delivery.clone());
    let state = AppState::new(settings, Arc::new(sealer), outbox, Some(&delivery))?;
    Ok((state, BackgroundTasks { delivery }))
}

/// What `xeberdar serve` calls: the endpoint for `site_dir` with embedded defaults (DEMO
/// key, proof of work, `.eml` files in `<site_dir>/.xeberdar/report/mail/`), as a router
/// answering under `/report`. Call inside a tokio runtime; stop the returned tasks after
/// the server.
pub fn local_router(site_dir: &Path) -> Result<(Router, BackgroundTasks), StartupError> {
    let mut settings = Settings::local(site_dir);
    let site = Site::load(site_dir)?;
    settings.application.prefix = Some(site_endpoint_path(&site.config));
    let (state, tasks) = build_state(&settings)?;
    Ok((router(state), tasks))
}

/// The endpoint bound to its address, ready to serve.
pub struct Application {
    listener: TcpListener,
    port: u16,
    router: Router,
    /// The separate `/metrics` listener and its routes, when `[metrics] listen` is set.
    metrics: Option<(TcpListener, Router)>,
    metrics_port: Option<u16>,
    tasks: BackgroundTasks,
    header_read_timeout: Duration,
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Application, StartupError> {
        settings.validate()?;
        let outbox = open_outbox(&settings.outbox).await?;
        let (state, tasks) = build_state_with_outbox(&settings, outbox)?;
        let app = &settings.application;
        let address = format!("{}:{}", app.host, app.port);
        let listener = TcpListener::bind(&address)
            .await
            .map_err(|source| StartupError::Bind {
                address: address.clone(),
                source,
            })?;
        let port = listener
            .local_addr()
            .map_err(|source| StartupError::Bind { address, source })?
            .port();
        let mut metrics_port = None;
        let metrics = match settings.metrics.address()? {
            Some(address) => {
                let bind_error = |source| StartupError::Bind {
                    address: address.to_string(),
                    source,
                };
                let listener = TcpListener::bind(address).await.map_err(bind_error)?;
                metrics_port = Some(listener.local_addr().map_err(bind_error)?.port());
                let token = settings.metrics.bearer_token.clone();
                Some((listener, metrics_listener::router(state.clone(), token)))
            }
            None => None,
        };
        let not_found_state = state.clone();
        let csp = state.http.csp.clone();
        Ok(Application {
            listener,
            port,
            metrics,
            metrics_port,
            // Only the standalone server has a fallback: `xeberdar serve` merges `router`
            // into its own, which has one.
            router: router(state.clone())
                // The health check also at the usual operations path. `/metrics` is not
                // here: it answers only on the metrics listener.
                .merge(
                    Router::new()
                        .route("/healthz", get(routes::health))
                        .with_state(state.clone()),
                )
                .fallback(move |headers: axum::http::HeaderMap| {
                    let state = not_found_state.clone();
                    async move { routes::not_found(&state, &headers) }
                })
                .layer(axum::middleware::from_fn_with_state(
                    csp,
                    add_security_headers,
                )),
            tasks,
            header_read_timeout: Duration::from_secs(app.header_read_timeout_secs.max(1)),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port of the metrics listener, when one is configured.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics_port
    }

    /// Serves until Ctrl-C or SIGTERM.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `shutdown` completes; then stops accepting, lets requests in flight
    /// finish (up to 30 s) and stops the delivery worker.
    pub async fn run_until(self, shutdown: impl Future<Output = ()>) -> std::io::Result<()> {
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(self.header_read_timeout)
            .max_buf_size(64 * 1024);
        tokio::pin!(shutdown);
        let (stop_metrics, metrics_stopped) = tokio::sync::oneshot::channel::<()>();
        let metrics_task = self.metrics.map(|(listener, router)| {
            tokio::spawn(async move {
                let stopped = async {
                    let _ = metrics_stopped.await;
                };
                if let Err(e) = axum::serve(listener, router)
                    .with_graceful_shutdown(stopped)
                    .await
                {
                    tracing::warn!(error = %e, "the metrics listener stopped");
                }
            })
        });
        loop {
            tokio::select! {
                accepted = self.listener.accept() => {
                    let (stream, peer) = match accepted {
                        Ok(x) => x,
                        Err(e) => {
                            // Out of file descriptors and the like: wait, do not spin.
                            tracing::warn!(error = %e, "accept failed");
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            continue;
                        }
                    };
                    let service = self.router.clone().map_request(move |mut req: Request<hyper::body::Incoming>| {
                        req.extensions_mut().insert(ConnectInfo(peer));
                        req
                    });
                    let conn = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
                    let conn = graceful.watch(conn);
                    tokio::spawn(async move {
                        // Client resets and timeouts end here; nothing to report.
                        let _ = conn.await;
                    });
                }
                () = &mut shutdown => break,
            }
        }
        drop(self.listener);
        let _ = stop_metrics.send(());
        if let Some(task) = metrics_task {
            let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
        }
        tracing::info!("stopping: finishing requests in flight");
        tokio::select! {
            () = graceful.shutdown() => {}
            () = tokio::time::sleep(Duration::from_secs(30)) => {
                tracing::warn!("requests still running after 30 s; stopping anyway");
            }
        }
        self.tasks.shutdown(Duration::from_secs(10)).await;
        Ok(())
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
