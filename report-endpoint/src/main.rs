//! `xeberdar-report`: the anonymous tip endpoint as a standalone service.

use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use xeberdar_report::configuration::Settings;
use xeberdar_report::file_limit;
use xeberdar_report::startup::Application;
use xeberdar_report::telemetry;

/// Receives anonymous tips from the Xəbərdar site's form, seals each with OpenPGP to the
/// special police unit's certificates, keeps only ciphertext in a durable outbox and
/// delivers it by email.
///
/// Without --config it runs with embedded defaults for a local try-out: listens on
/// 127.0.0.1:8152, speaks the languages of the site in the current directory, encrypts to
/// the DEMO key of report-endpoint/dev/ and writes .eml files to .xeberdar/report/mail/.
///
/// Every setting can be overridden from the environment as
/// XEBERDAR_REPORT__<SECTION>__<KEY>, e.g. XEBERDAR_REPORT__APPLICATION__PORT=9000 or
/// XEBERDAR_REPORT__MAIL__PASSWORD=... (secrets also come from files: *_file settings).
/// Logs never contain tip text, client addresses or User-Agents; RUST_LOG sets the level.
#[derive(Debug, Parser)]
#[command(name = "xeberdar-report", version)]
struct Cli {
    /// The TOML configuration file (sections: application, captcha, rate_limit, seal,
    /// outbox, delivery, mail).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    telemetry::init(telemetry::subscriber(
        telemetry::DEFAULT_FILTER,
        std::io::stdout,
    ))
    .map_err(anyhow::Error::msg)
    .context("cannot start logging")?;
    // Before any listener exists: every connection needs a file descriptor.
    match file_limit::raise_to_hard_limit() {
        Ok(limit) if limit.after.is_some_and(|n| n < 4096) => tracing::warn!(
            open_files = limit.after,
            "the open-file limit is low: a thousand slow clients can keep tips out; raise LimitNOFILE (or ulimit -Hn)"
        ),
        Ok(limit) => tracing::info!(before = limit.before, after = limit.after, "open-file limit"),
        Err(e) => tracing::warn!(error = %e, "the open-file limit could not be raised"),
    }
    let settings = Settings::load(cli.config.as_deref()).context("configuration")?;
    let app = Application::build(settings)
        .await
        .context("the endpoint could not start")?;
    tracing::info!(port = app.port(), "listening");
    app.run_until_stopped().await.context("server error")?;
    Ok(())
}
