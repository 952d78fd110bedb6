//! Endpoint replicas as real processes: the `xeberdar-report` binary started with a config
//! file for the PostgreSQL outbox (the URL through the environment, as in production), a
//! client that posts tagged tips to them, and the check that every acknowledged tip arrived
//! at the SMTP server and decrypts with GnuPG.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::mail_support::{free_port, header, parse_inner, workspace_root, GpgHome, DEMO_EMAIL};

/// Delivery settings a replica runs with.
#[derive(Debug, Clone)]
pub struct ReplicaOptions {
    pub lease_secs: u64,
    pub smtp_timeout_secs: u64,
    pub concurrency: usize,
}

impl Default for ReplicaOptions {
    fn default() -> Self {
        Self {
            lease_secs: 30,
            smtp_timeout_secs: 10,
            concurrency: 4,
        }
    }
}

/// One `xeberdar-report` process.
pub struct Replica {
    pub port: u16,
    pub base: String,
    child: Child,
    dir: tempfile::TempDir,
}

impl Replica {
    /// Starts a replica on `db_url` sending to the SMTP server on `smtp_port`; returns once
    /// its `/health` answers 200.
    pub async fn start(db_url: &str, smtp_port: u16, options: &ReplicaOptions) -> Replica {
        let dir = tempfile::tempdir().expect("replica dir");
        let port = free_port();
        let root = workspace_root();
        let config = format!(
            r#"[application]
host = "127.0.0.1"
port = {port}
site_dir = {site}
mode = "bench"
[captcha]
kind = "off"
[rate_limit]
tips_per_hour = 10000000
no_js_tips_per_hour = 10000000
challenges_per_minute = 10000000
[seal]
from = "reports@xeberdar.example"
[[seal.recipients]]
email = "{DEMO_EMAIL}"
cert_path = {cert}
[outbox]
backend = "postgres"
postgres_pool_size = 8
postgres_connect_timeout_secs = 2
[delivery]
poll_interval_ms = 100
batch_size = 32
lease_secs = {lease}
backoff_base_ms = 100
backoff_max_ms = 1000
stats_interval_ms = 500
hourly_cap_per_recipient = 10000000
concurrency = {concurrency}
[mail]
transport = "smtp"
host = "127.0.0.1"
port = {smtp_port}
security = "plain_loopback"
hello_name = "localhost"
timeout_secs = {timeout}
"#,
            site = toml_path(&root),
            cert = toml_path(&root.join("report-endpoint/dev/demo-recipient.public.asc")),
            lease = options.lease_secs,
            concurrency = options.concurrency,
            timeout = options.smtp_timeout_secs,
        );
        let config_path = dir.path().join("report.toml");
        std::fs::write(&config_path, config).expect("write config");
        let log = std::fs::File::create(dir.path().join("replica.log")).expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_xeberdar-report"))
            .arg("--config")
            .arg(&config_path)
            .env("XEBERDAR_REPORT__OUTBOX__POSTGRES_URL", db_url)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::from(log.try_clone().expect("log")))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start xeberdar-report");
        let mut replica = Replica {
            port,
            base: format!("http://127.0.0.1:{port}"),
            child,
            dir,
        };
        replica.wait_healthy().await;
        replica
    }

    async fn wait_healthy(&mut self) {
        let client = http_client();
        let start = Instant::now();
        loop {
            if let Ok(r) = client
                .get(format!("{}/report/health", self.base))
                .send()
                .await
            {
                if r.status() == 200 {
                    return;
                }
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the replica exited early ({status}): {}", self.log());
            }
            assert!(
                start.elapsed() < Duration::from_secs(90),
                "the replica never became healthy: {}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// What the replica logged (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("replica.log")).unwrap_or_default()
    }

    /// SIGKILL: no shutdown, no chance to give anything back.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.kill9();
    }
}

fn toml_path(p: &Path) -> String {
    format!("{:?}", p.to_string_lossy())
}

pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("HTTP client")
}

/// The tag that makes tip `i` of a run findable after decryption.
pub fn tag(run: &str, i: usize) -> String {
    format!("tag-{run}-{i:05}-end")
}

/// Posts tip `i` (tagged) in `lang` to `base`; returns the status and the body.
pub async fn post_tip(
    client: &reqwest::Client,
    base: &str,
    run: &str,
    i: usize,
    lang: &str,
) -> (u16, String) {
    let description = format!("Replica load tip {} — Bakıda iş təklifi", tag(run, i));
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("lang", lang),
            ("kind", "forced_labour"),
            ("city", "Bakı"),
            ("description", description.as_str()),
        ])
        .finish();
    match client
        .post(format!("{base}/report"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
    {
        Ok(r) => {
            let status = r.status().as_u16();
            (status, r.text().await.unwrap_or_default())
        }
        // The replica is gone (killed): not acknowledged.
        Err(_) => (0, String::new()),
    }
}

/// What arrived at the SMTP server, decrypted.
#[derive(Debug, Default)]
pub struct DeliveryReport {
    pub messages: usize,
    pub unique_message_ids: usize,
    pub decrypt_failures: usize,
    /// Tag → how many messages carried it.
    pub tags: BTreeMap<String, usize>,
    pub message_ids: BTreeSet<String>,
}

impl DeliveryReport {
    pub fn duplicates(&self) -> usize {
        self.messages - self.unique_message_ids
    }

    /// Acknowledged tags with no delivered message.
    pub fn lost(&self, acknowledged: &BTreeSet<String>) -> Vec<String> {
        acknowledged
            .iter()
            .filter(|t| !self.tags.contains_key(*t))
            .cloned()
            .collect()
    }
}

/// Decrypts every message with GnuPG and the DEMO secret key and finds its tag.
pub fn check_delivered(messages: &[Vec<u8>]) -> DeliveryReport {
    let gpg = GpgHome::with_demo_key();
    let mut report = DeliveryReport {
        messages: messages.len(),
        ..Default::default()
    };
    for m in messages {
        if let Some(id) = header(&String::from_utf8_lossy(m), "Message-ID") {
            report.message_ids.insert(id);
        }
    }
    report.unique_message_ids = report.message_ids.len();
    for decrypted in gpg.decrypt_emails(messages) {
        let Ok(bytes) = decrypted else {
            report.decrypt_failures += 1;
            continue;
        };
        let inner = parse_inner(&bytes);
        let text = String::from_utf8_lossy(&inner.part("text/plain").body).into_owned();
        match text.find("tag-").and_then(|at| {
            text[at..]
                .find("-end")
                .map(|end| text[at..at + end + 4].to_owned())
        }) {
            Some(t) => *report.tags.entry(t).or_default() += 1,
            None => report.decrypt_failures += 1,
        }
    }
    report
}

/// Polls `cond` every 100 ms for up to `bound`; panics with `what` if it never holds.
pub async fn wait_for(what: &str, bound: Duration, mut cond: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while !cond().await {
        assert!(start.elapsed() < bound, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
