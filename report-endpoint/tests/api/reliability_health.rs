//! `/report/health` must say whether the endpoint can take tips, from real conditions:
//! a real tmpfs that fills up (the site's script hides the form while health fails, so it
//! must also come back by itself when space returns, with no tip sent meanwhile) and a real
//! SQLite size limit. The tmpfs tests need root and `mount` (CI runs as root); they fail,
//! with the reason, when they cannot mount, rather than pass without testing anything.
//!
//! No assertion depends on timing: waits poll a condition with a generous upper bound.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use xeberdar_report::configuration::{CaptchaKind, Mode, Settings};
use xeberdar_report::outbox::{Outbox, Readiness, SqliteOutbox};
use xeberdar_report::seal::{RecipientCert, Sealer};
use xeberdar_report::startup::router;
use xeberdar_report::state::AppState;

/// Longest a test waits for a condition before failing (a bound, not a timing assertion).
const PATIENCE: Duration = Duration::from_secs(90);

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// A tmpfs of a fixed size, unmounted when dropped.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Tmpfs {
        std::fs::create_dir_all(dir).expect("mount point");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0700")])
            .arg("tmpfs")
            .arg(dir)
            .output()
            .expect("run mount(8)");
        assert!(
            out.status.success(),
            "this test needs to mount a small tmpfs to fill a real filesystem (run as root, \
             as CI does); mount said: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
        Tmpfs {
            dir: dir.to_path_buf(),
        }
    }

    /// Writes a plain file until the filesystem refuses more (ENOSPC).
    fn fill(&self) -> PathBuf {
        let path = self.dir.join("filler");
        let mut f = std::fs::File::create(&path).expect("create filler");
        let chunk = vec![0u8; 16 * 1024];
        for _ in 0..100_000 {
            if f.write_all(&chunk).and_then(|()| f.flush()).is_err() {
                return path;
            }
        }
        panic!("the tmpfs never filled up");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazy: the server task may still hold the outbox open when the test ends.
        let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
    }
}

fn settings(data: &Path) -> Settings {
    let mut s = Settings::default();
    s.application.port = 0;
    s.application.site_dir = workspace_root();
    s.application.mode = Mode::Dev;
    s.captcha.kind = CaptchaKind::Off;
    s.rate_limit.tips_per_hour = 1_000_000;
    s.rate_limit.no_js_tips_per_hour = 1_000_000;
    s.rate_limit.challenges_per_minute = 1_000_000;
    // One client sends every tip here and the tests claim them at once: no hourly cap,
    // so no per-source pacing either.
    s.delivery.hourly_cap_per_recipient = None;
    s.outbox.path = data.join("outbox.sqlite3");
    s
}

struct App {
    base: String,
    /// The metrics listener, served beside the router as the standalone server does.
    metrics_base: String,
    client: reqwest::Client,
}

/// Serves the real router with `outbox` (no delivery worker: tips stay in the outbox).
async fn serve(data: &Path, outbox: Arc<dyn Outbox>) -> App {
    let cert = RecipientCert::load(
        "unit@example.invalid",
        &workspace_root().join("report-endpoint/dev/demo-recipient.public.asc"),
    )
    .expect("DEMO certificate");
    let sealer = Sealer::new("report@example.invalid", vec![cert]).expect("sealer");
    let state = AppState::new(&settings(data), Arc::new(sealer), outbox, None).expect("app state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let metrics_listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let metrics_base = format!("http://{}", metrics_listener.local_addr().expect("address"));
    let metrics = xeberdar_report::metrics_listener::router(state.clone(), None);
    tokio::spawn(async move { axum::serve(metrics_listener, metrics).await });
    let service = router(state).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await });
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("HTTP client");
    App {
        base,
        metrics_base,
        client,
    }
}

impl App {
    async fn health(&self) -> (u16, String) {
        let r = self
            .client
            .get(format!("{}/report/health", self.base))
            .send()
            .await
            .expect("health answered");
        let status = r.status().as_u16();
        (status, r.text().await.unwrap_or_default())
    }

    async fn tip(&self, text: &str) -> u16 {
        self.client
            .post(format!("{}/report", self.base))
            .form(&[("lang", "en"), ("kind", "other"), ("description", text)])
            .send()
            .await
            .expect("POST answered")
            .status()
            .as_u16()
    }

    async fn metric(&self, name: &str) -> Option<u64> {
        let text = self
            .client
            .get(format!("{}/metrics", self.metrics_base))
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .unwrap_or_default();
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
    }

    /// Polls `/health` until it answers `status`; panics after [`PATIENCE`].
    async fn wait_health(&self, status: u16, what: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if self.health().await.0 == status {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "/health did not answer {status} {what}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

#[tokio::test]
async fn health_fails_while_the_outbox_filesystem_is_nearly_full_and_recovers_with_space() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let fs = Tmpfs::mount(&tmp.path().join("fs"), "2m");
    let outbox = SqliteOutbox::open(fs.dir.join("outbox.sqlite3")).expect("outbox");
    let app = serve(&fs.dir, Arc::new(outbox)).await;

    assert_eq!(app.health().await, (200, "ok".to_string()));
    assert_eq!(app.tip("Before the disk filled up.").await, 303);

    let filler = fs.fill();
    // Less than the 1 MiB floor is free: health says no before any tip has failed.
    assert_eq!(app.health().await, (503, "unavailable".to_string()));
    assert_eq!(app.metric("xeberdar_report_outbox_ready").await, Some(0));
    assert_eq!(app.tip("While the disk is full.").await, 503);
    assert_eq!(app.health().await.0, 503);

    std::fs::remove_file(&filler).expect("remove filler");
    // Back without any tip sent meanwhile (the page would show no form to send one).
    app.wait_health(200, "after the space returned").await;
    assert_eq!(app.metric("xeberdar_report_outbox_ready").await, Some(1));
    assert_eq!(app.tip("After the space returned.").await, 303);
    assert!(
        app.metric("xeberdar_report_health_unavailable_total")
            .await
            .unwrap_or(0)
            >= 2
    );
}

#[tokio::test]
async fn a_write_that_failed_on_a_full_disk_fails_health_until_a_write_succeeds_again() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let fs = Tmpfs::mount(&tmp.path().join("fs"), "2m");
    // No free-space floor: only the failed write tells health the disk is full.
    let outbox = SqliteOutbox::open(fs.dir.join("outbox.sqlite3"))
        .expect("outbox")
        .with_min_free_bytes(0);
    let app = serve(&fs.dir, Arc::new(outbox.clone())).await;
    assert_eq!(app.tip("Before the disk filled up.").await, 303);

    let filler = fs.fill();
    assert_eq!(
        app.health().await.0,
        200,
        "nothing has failed yet and no floor is set"
    );
    assert_eq!(app.tip("While the disk is full.").await, 503);
    assert_eq!(app.health().await, (503, "unavailable".to_string()));
    // Still no room: every check (cached, or a probe write that fails) says no.
    for _ in 0..3 {
        assert!(matches!(outbox.readiness().await, Readiness::NotReady(_)));
    }
    assert_eq!(app.health().await.0, 503);

    std::fs::remove_file(&filler).expect("remove filler");
    // No tip is sent: a health check's own probe write must find that the disk has room.
    app.wait_health(200, "after the space returned").await;
    assert_eq!(app.tip("After the space returned.").await, 303);
    assert_eq!(outbox.stats().await.expect("stats").queued, 2);
}

#[tokio::test]
async fn a_full_size_limited_outbox_fails_health_until_delivered_rows_make_room() {
    let tmp = tempfile::tempdir().expect("temp dir");
    // SQLite's own size limit (max_page_count): the disk has room, the outbox does not.
    let outbox = SqliteOutbox::open_with_limit(tmp.path().join("outbox.sqlite3"), Some(64 * 1024))
        .expect("outbox");
    let app = serve(tmp.path(), Arc::new(outbox.clone())).await;
    assert_eq!(app.health().await.0, 200);

    let mut accepted = 0;
    let mut status = 303;
    for i in 0..200 {
        status = app.tip(&format!("Tip {i} into a small outbox.")).await;
        if status != 303 {
            break;
        }
        accepted += 1;
    }
    assert_eq!(status, 503, "the 64 KiB outbox never filled up");
    assert!(accepted > 0);
    assert_eq!(app.health().await, (503, "unavailable".to_string()));
    assert!(matches!(outbox.readiness().await, Readiness::NotReady(_)));

    // The delivery worker's part: messages leave, their pages are free again.
    let claimed = outbox
        .claim(1000, Duration::from_secs(60))
        .await
        .expect("claim");
    assert_eq!(claimed.len(), accepted);
    for m in claimed {
        outbox.mark_delivered(m.id).await.expect("delete");
    }
    app.wait_health(200, "after the rows were delivered").await;
    assert_eq!(app.tip("After delivery made room.").await, 303);
}
