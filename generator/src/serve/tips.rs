//! The tip form in the preview: the report endpoint mounted on the preview's own origin,
//! with its embedded local defaults (demo key, proof-of-work captcha, tips written as
//! `.eml` files under `<site>/.xeberdar/report/mail/`).
//!
//! It is a cargo feature (`serve-tips`, on by default) because the endpoint brings OpenPGP,
//! SQLite, PostgreSQL and SMTP into the build; a build-only install leaves it out, and the
//! preview then serves the site alone and says so.

use std::path::Path;
#[cfg(feature = "serve-tips")]
use std::time::Duration;

use axum::Router;

/// The endpoint's delivery worker, stopped when the preview stops.
#[cfg(feature = "serve-tips")]
pub struct TipEndpoint(xeberdar_report::startup::BackgroundTasks);

/// Without the `serve-tips` feature there is no endpoint to stop.
#[cfg(not(feature = "serve-tips"))]
pub enum TipEndpoint {}

impl TipEndpoint {
    #[cfg(feature = "serve-tips")]
    pub async fn shutdown(self, grace: Duration) {
        self.0.shutdown(grace).await;
    }

    #[cfg(not(feature = "serve-tips"))]
    pub async fn shutdown(self, _grace: std::time::Duration) {
        match self {}
    }
}

/// Adds the endpoint's routes to the preview. When it cannot start, the preview still
/// serves the site and the terminal says why the form will not work.
#[cfg(feature = "serve-tips")]
pub fn mount(app: Router, root: &Path) -> (Router, Option<TipEndpoint>) {
    match xeberdar_report::startup::local_router(root) {
        Ok((router, background)) => {
            // The endpoint's routes already carry its prefix, so they are merged as they
            // are. Mounting it under a `{*rest}` wildcard instead would hand its handlers
            // an extra path parameter (the receipt's `Path<token>` then fails with a 500).
            let prefix = endpoint_prefix(root);
            eprintln!("The tip form works locally at {prefix}: tips are saved, encrypted to the demo key, in .xeberdar/report/mail/.");
            (app.merge(router), Some(TipEndpoint(background)))
        }
        Err(err) => {
            eprintln!(
                "warning: the tip form will not work in this preview, the report endpoint did not start: {err}"
            );
            (app, None)
        }
    }
}

/// Without the endpoint compiled in, the form's page is shown but sending it goes nowhere:
/// the editor is told before they try.
#[cfg(not(feature = "serve-tips"))]
pub fn mount(app: Router, _root: &Path) -> (Router, Option<TipEndpoint>) {
    eprintln!("note: the tip form is not served in this preview: this xeberdar was built without the `serve-tips` feature (reinstall with default features to try the form locally).");
    (app, None)
}

/// The report endpoint's path from `config.extra.report_endpoint` (default `/report`), the
/// same rule the endpoint itself applies.
#[cfg(feature = "serve-tips")]
fn endpoint_prefix(root: &Path) -> String {
    match xeberdar_site::config::Config::load(root) {
        Ok(config) => xeberdar_report::startup::site_endpoint_path(&config),
        Err(_) => "/report".into(),
    }
}
