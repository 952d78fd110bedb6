//! Quick fault and bad-input tests against the running endpoint.
//!
//! Each test starts the real application (`Application::build` on port 0, the same code the
//! binary runs) with an SMTP server on loopback: `scripts/reliability/bad_smtp.py`, a real
//! SMTP server process that can misbehave on purpose (refuse, drop, 4xx, 5xx, stall). Mail
//! that arrives is decrypted with real GnuPG and the DEMO secret key.
//!
//! No assertion depends on timing: waits poll a condition (messages accepted, outbox empty)
//! and only give up after a generous deadline, so a slow machine passes as surely as a fast
//! one. The long runs (1,000 tips, kill -9, disk full, load) are scripts in
//! `scripts/reliability/`; their figures are in RELIABILITY.md.

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use xeberdar_report::configuration::{CaptchaKind, Mode, Settings};
use xeberdar_report::configuration::{MailSettings, SmtpSecurity, SmtpSettings};
use xeberdar_report::configuration::{RecipientSettings, SealSettings};
use xeberdar_report::startup::Application;

const DEMO_EMAIL: &str = "demo-recipient@example.invalid";
/// Longest a test waits for a condition before failing (a bound, not a timing assertion).
const PATIENCE: Duration = Duration::from_secs(90);

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn python() -> PathBuf {
    let p = std::env::var_os("XEBERDAR_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(".venv/bin/python"));
    assert!(
        p.exists(),
        "Python for the SMTP test server not found at {} (run scripts/test.sh)",
        p.display()
    );
    p
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

// ---------------------------------------------------------------------------------------
// The SMTP server process

struct Smtp {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Smtp {
    /// Starts `bad_smtp.py` in `mode`; `extra` adds flags such as `--fail-first 3`.
    fn start(dir: &Path, mode: &str, extra: &[&str]) -> Smtp {
        let port = free_port();
        let ready = dir.join("smtp-ready");
        let script = workspace_root().join("scripts/reliability/bad_smtp.py");
        let child = Command::new(python())
            .arg(&script)
            .args(["--mode", mode, "--port", &port.to_string()])
            .arg("--maildir")
            .arg(dir.join("mail"))
            .arg("--stats")
            .arg(dir.join("smtp-stats.json"))
            .arg("--ready-file")
            .arg(&ready)
            .args(["--max-seconds", "600"])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start bad_smtp.py");
        let smtp = Smtp {
            child,
            port,
            dir: dir.to_path_buf(),
        };
        if mode != "down-then-up" {
            let deadline = Instant::now() + Duration::from_secs(30);
            while !ready.exists() {
                assert!(Instant::now() < deadline, "bad_smtp.py did not start");
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        smtp
    }

    fn stats(&self) -> serde_json::Value {
        std::fs::read_to_string(self.dir.join("smtp-stats.json"))
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or(serde_json::Value::Null)
    }

    fn stat(&self, key: &str) -> u64 {
        self.stats()[key].as_u64().unwrap_or(0)
    }

    /// The raw messages the server accepted.
    fn messages(&self) -> Vec<Vec<u8>> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.join("mail"))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "eml"));
        files.sort();
        files
            .iter()
            .map(|p| std::fs::read(p).expect("read .eml"))
            .collect()
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------
// The application

struct App {
    base: String,
    /// The metrics listener (loopback).
    metrics_base: String,
    outbox: PathBuf,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

fn settings(dir: &Path, smtp_port: u16, smtp_timeout_secs: u64) -> Settings {
    let root = workspace_root();
    let mut s = Settings::default();
    s.application.port = 0;
    s.application.site_dir = root.clone();
    s.application.mode = Mode::Dev;
    s.application.header_read_timeout_secs = 1;
    s.captcha.kind = CaptchaKind::Pow;
    s.captcha.pow_difficulty = 2;
    s.rate_limit.tips_per_hour = 1_000_000;
    s.rate_limit.no_js_tips_per_hour = 1_000_000;
    s.rate_limit.challenges_per_minute = 1_000_000;
    s.seal = Some(SealSettings {
        from: "xeberdar-report@reliability.test".into(),
        recipients: vec![RecipientSettings {
            email: DEMO_EMAIL.into(),
            cert_path: root.join("report-endpoint/dev/demo-recipient.public.asc"),
        }],
    });
    s.outbox.path = dir.join("outbox.sqlite3");
    s.delivery.poll_interval_ms = 50;
    s.delivery.backoff_base_ms = 50;
    s.delivery.backoff_max_ms = 400;
    s.delivery.lease_secs = 30;
    s.delivery.stats_interval_ms = 200;
    s.delivery.hourly_cap_per_recipient = None;
    s.metrics.listen = Some("127.0.0.1:0".into());
    s.mail = MailSettings::Smtp(SmtpSettings {
        host: "127.0.0.1".into(),
        port: smtp_port,
        security: SmtpSecurity::PlainLoopback,
        username: None,
        password: None,
        hello_name: "localhost".into(),
        timeout_secs: smtp_timeout_secs,
        ca_cert_path: None,
    });
    s
}

impl App {
    /// Starts the endpoint on the current runtime; it runs until the test ends.
    async fn start(smtp_port: u16, smtp_timeout_secs: u64) -> App {
        let dir = tempfile::tempdir().expect("temp dir");
        let settings = settings(dir.path(), smtp_port, smtp_timeout_secs);
        let outbox = settings.outbox.path.clone();
        let app = Application::build(settings)
            .await
            .expect("the endpoint starts");
        let port = app.port();
        let metrics_port = app.metrics_port().expect("a metrics listener");
        tokio::spawn(app.run_until(std::future::pending()));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("HTTP client");
        App {
            base: format!("http://127.0.0.1:{port}"),
            metrics_base: format!("http://127.0.0.1:{metrics_port}"),
            outbox,
            client,
            _dir: dir,
        }
    }

    fn addr(&self) -> SocketAddr {
        self.base
            .trim_start_matches("http://")
            .parse()
            .expect("socket address")
    }

    /// Solves a fresh proof-of-work challenge, as the page's script does.
    async fn pow(&self) -> String {
        let c: serde_json::Value = self
            .client
            .get(format!("{}/report/challenge", self.base))
            .send()
            .await
            .expect("challenge")
            .json()
            .await
            .expect("challenge JSON");
        let challenge = c["challenge"].as_str().expect("challenge string");
        let difficulty = c["difficulty"].as_u64().expect("difficulty") as u32;
        (0u64..)
            .map(|n| format!("{challenge}:{n}"))
            .find(|s| leading_zero_bits(&Sha256::digest(s.as_bytes())) >= difficulty)
            .expect("a solution")
    }

    /// Posts a urlencoded body; returns status, Location and body.
    async fn post_raw(&self, content_type: &str, body: Vec<u8>) -> (u16, Option<String>, String) {
        let r = self
            .client
            .post(format!("{}/report", self.base))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("POST /report answered");
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(String::from);
        let text = r.text().await.unwrap_or_default();
        (status, location, text)
    }

    /// Posts a tip (urlencoded) with a solved captcha; returns the status and, on 303, the
    /// reference code shown on the "received" page.
    async fn post_tip(&self, fields: &[(&str, &str)]) -> (u16, Option<String>, String) {
        let pow = self.pow().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("pow", &pow));
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(all)
            .finish();
        let (status, location, text) = self
            .post_raw("application/x-www-form-urlencoded", body.into_bytes())
            .await;
        let reference = match location {
            Some(loc) if status == 303 => self.reference_at(&loc).await,
            _ => None,
        };
        (status, reference, text)
    }

    async fn reference_at(&self, location: &str) -> Option<String> {
        let page = self
            .client
            .get(format!("{}{location}", self.base))
            .send()
            .await
            .ok()?
            .text()
            .await
            .ok()?;
        find_reference(&page)
    }

    async fn metric(&self, name: &str) -> u64 {
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
            .unwrap_or(0)
    }

    fn outbox_rows(&self) -> i64 {
        let conn = rusqlite::Connection::open(&self.outbox).expect("open outbox");
        conn.busy_timeout(Duration::from_secs(10))
            .expect("busy timeout");
        conn.query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get(0))
            .expect("count rows")
    }

    fn outbox_integrity(&self) -> String {
        let conn = rusqlite::Connection::open(&self.outbox).expect("open outbox");
        conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("integrity_check")
    }
}

fn leading_zero_bits(hash: &[u8]) -> u32 {
    let mut bits = 0;
    for b in hash {
        if *b == 0 {
            bits += 8;
        } else {
            return bits + b.leading_zeros();
        }
    }
    bits
}

/// The first `XXXX-XXXX-XXXX` code from the reference alphabet in `text`.
fn find_reference(text: &str) -> Option<String> {
    const ALPHABET: &str = "3479ACEFHJKMNPRTWXY";
    let chars: Vec<char> = text.chars().collect();
    chars.windows(14).find_map(|w| {
        let ok = w.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 9 {
                *c == '-'
            } else {
                ALPHABET.contains(*c)
            }
        });
        ok.then(|| w.iter().collect())
    })
}

async fn wait_until(what: &str, mut condition: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !condition().await {
        assert!(
            Instant::now() < deadline,
            "gave up after {PATIENCE:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

// ---------------------------------------------------------------------------------------
// Reading what arrived

/// A decrypted delivered email: its outer headers, the header blocks of the decrypted MIME
/// entity and of each of its parts, and `inner`: every part's body decoded (the sealer
/// sends them base64-encoded) joined with the headers, for searching.
struct Delivered {
    outer: Vec<(String, String)>,
    inner_headers: Vec<Vec<(String, String)>>,
    inner: String,
}

/// Splits a decrypted `multipart/mixed` entity into header blocks and decoded bodies.
fn decode_inner(entity: &str) -> (Vec<Vec<(String, String)>>, String) {
    use base64::Engine;
    let (head, body) = split_head(entity);
    let top = parse_headers(head);
    let boundary = top
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .and_then(|(_, v)| v.split("boundary=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .expect("a multipart boundary in the protected headers")
        .to_string();
    let mut blocks = vec![top];
    let mut text = String::from(head);
    let delimiter = format!("--{boundary}");
    for part in body.split(delimiter.as_str()).skip(1) {
        if part.starts_with("--") {
            break; // the closing delimiter; what follows is padding
        }
        let (h, b) = split_head(part.trim_start_matches("\r\n"));
        let headers = parse_headers(h);
        let base64 = headers.iter().any(|(k, v)| {
            k.eq_ignore_ascii_case("content-transfer-encoding") && v.eq_ignore_ascii_case("base64")
        });
        text.push('\n');
        text.push_str(h);
        text.push('\n');
        if base64 {
            let compact: String = b.chars().filter(|c| !c.is_whitespace()).collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(compact)
                .expect("valid base64 part");
            text.push_str(&String::from_utf8(bytes).expect("UTF-8 part"));
        } else {
            text.push_str(b);
        }
        blocks.push(headers);
    }
    (blocks, text)
}

impl Delivered {
    fn header(&self, name: &str) -> Vec<&str> {
        self.outer
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Header fields of a MIME header block, unfolded.
fn parse_headers(block: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in block.split('\n').map(|l| l.trim_end_matches('\r')) {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((k, v)) = line.split_once(':') {
            out.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    out
}

fn split_head(message: &str) -> (&str, &str) {
    message
        .split_once("\r\n\r\n")
        .or_else(|| message.split_once("\n\n"))
        .unwrap_or((message, ""))
}

struct Gpg {
    home: tempfile::TempDir,
}

impl Gpg {
    fn with_demo_key() -> Gpg {
        let home = tempfile::tempdir().expect("GNUPGHOME");
        let key = workspace_root().join("report-endpoint/dev/demo-recipient.secret.asc");
        let out = Command::new("gpg")
            .arg("--batch")
            .arg("--homedir")
            .arg(home.path())
            .arg("--import")
            .arg(&key)
            .output()
            .expect("gpg must be installed (run scripts/test.sh)");
        assert!(out.status.success(), "gpg --import failed: {out:?}");
        Gpg { home }
    }

    fn decrypt(&self, raw: &[u8]) -> Delivered {
        let text = String::from_utf8_lossy(raw).into_owned();
        let (head, body) = split_head(&text);
        let outer = parse_headers(head);
        let begin = body
            .find("-----BEGIN PGP MESSAGE-----")
            .expect("an OpenPGP message in the body");
        let end = body.find("-----END PGP MESSAGE-----").expect("its end") + 25;
        let mut child = Command::new("gpg")
            .arg("--batch")
            .arg("--homedir")
            .arg(self.home.path())
            .arg("--decrypt")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run gpg");
        let armored = body[begin..end].replace("\r\n", "\n");
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().expect("stdin");
            stdin.write_all(armored.as_bytes()).expect("write to gpg");
        }
        let out = child.wait_with_output().expect("gpg output");
        assert!(
            out.status.success(),
            "gpg --decrypt failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let entity = String::from_utf8(out.stdout).expect("decrypted entity is UTF-8");
        let (inner_headers, inner) = decode_inner(&entity);
        Delivered {
            outer,
            inner_headers,
            inner,
        }
    }
}

impl Drop for Gpg {
    fn drop(&mut self) {
        let _ = Command::new("gpgconf")
            .arg("--homedir")
            .arg(self.home.path())
            .args(["--kill", "all"])
            .output();
    }
}

/// Outer headers a sealed email may carry: none can hold tip content.
const ALLOWED_OUTER: [&str; 7] = [
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "content-type",
];

fn assert_outer_headers_generic(d: &Delivered) {
    for (name, _) in &d.outer {
        assert!(
            ALLOWED_OUTER.contains(&name.to_ascii_lowercase().as_str())
                || name.eq_ignore_ascii_case("content-transfer-encoding"),
            "unexpected outer header {name}"
        );
    }
    assert_eq!(d.header("Subject").len(), 1, "exactly one Subject");
    assert!(d.header("Subject")[0].starts_with("New anonymous report"));
    assert!(d.header("Content-Type")[0].starts_with("multipart/encrypted"));
}

fn tip(description: &str) -> Vec<(&str, &str)> {
    vec![
        ("lang", "az"),
        ("kind", "forced_labour"),
        ("city", "Bakı"),
        ("description", description),
    ]
}

// ---------------------------------------------------------------------------------------
// The tests

/// The relay is down while tips arrive; every tip waits in the outbox, is retried, and is
/// delivered exactly once, readable with GnuPG, when the relay comes up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_down_then_up_every_tip_is_delivered_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let up = dir.path().join("up");
    let smtp = Smtp::start(
        dir.path(),
        "down-then-up",
        &["--up-when-file", up.to_str().expect("utf-8 path")],
    );
    let app = App::start(smtp.port, 5).await;
    let mut acknowledged = BTreeMap::new();
    for i in 0..10 {
        let description = format!("Relay-down tip number {i}: passports taken at the border.");
        let (status, reference, _) = app.post_tip(&tip(&description)).await;
        assert_eq!(
            status, 303,
            "tip {i} is acknowledged while the relay is down"
        );
        acknowledged.insert(reference.expect("a reference code"), description);
    }
    assert_eq!(
        app.outbox_rows(),
        10,
        "every acknowledged tip waits in the outbox"
    );
    wait_until("failed attempts against the dead relay", async || {
        app.metric("xeberdar_delivery_failed_attempts_total").await >= 10
    })
    .await;
    assert_eq!(app.outbox_rows(), 10, "failures never drop a message");

    std::fs::write(&up, b"up").expect("bring the relay up");
    wait_until("all ten delivered", async || {
        smtp.stat("accepted") >= 10 && app.outbox_rows() == 0
    })
    .await;

    let gpg = Gpg::with_demo_key();
    let messages = smtp.messages();
    assert_eq!(messages.len(), 10, "delivered once each");
    let mut ids = BTreeSet::new();
    let mut seen = BTreeSet::new();
    for raw in &messages {
        let d = gpg.decrypt(raw);
        assert_outer_headers_generic(&d);
        ids.insert(d.header("Message-ID")[0].to_string());
        let reference = find_reference(&d.inner).expect("reference inside the sealed tip");
        let description = &acknowledged[&reference];
        assert!(d.inner.contains(description.as_str()), "tip text intact");
        seen.insert(reference);
    }
    assert_eq!(ids.len(), 10, "distinct Message-IDs");
    assert_eq!(seen, acknowledged.keys().cloned().collect());
    assert_eq!(app.outbox_integrity(), "ok");
}

/// The mail server misbehaves (in `mode`) on its first three connections; both tips are
/// retried until they are delivered, and nothing is lost.
async fn retried_until_delivered(mode: &str) {
    let gpg = Gpg::with_demo_key();
    let dir = tempfile::tempdir().expect("temp dir");
    let smtp = Smtp::start(dir.path(), mode, &["--fail-first", "3"]);
    // A one-second SMTP timeout: the stall modes must time out and retry.
    let app = App::start(smtp.port, 1).await;
    let mut refs = BTreeSet::new();
    for i in 0..2 {
        let description = format!("Bad mail server ({mode}) tip {i}");
        let (status, reference, _) = app.post_tip(&tip(&description)).await;
        assert_eq!(status, 303, "{mode}: tip {i} acknowledged");
        refs.insert(reference.expect("reference"));
    }
    wait_until(&format!("{mode}: both delivered"), async || {
        smtp.stat("accepted") >= 2 && app.outbox_rows() == 0
    })
    .await;
    assert_eq!(smtp.stat("faults"), 3, "{mode}: three faulty connections");
    assert!(
        app.metric("xeberdar_delivery_failed_attempts_total").await >= 3,
        "{mode}: the failures were counted and retried"
    );
    if mode == "5xx" {
        assert!(
            app.metric("xeberdar_delivery_permanent_failures_total")
                .await
                >= 1,
            "5xx is seen as permanent, yet retried"
        );
    }
    let delivered: BTreeSet<String> = smtp
        .messages()
        .iter()
        .map(|raw| find_reference(&gpg.decrypt(raw).inner).expect("reference"))
        .collect();
    assert_eq!(delivered, refs, "{mode}: every acknowledged tip arrived");
    assert_eq!(app.outbox_integrity(), "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_server_dropping_the_connection_is_retried() {
    retried_until_delivered("drop").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_server_dropping_after_data_is_retried() {
    retried_until_delivered("drop-after-data").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_server_4xx_is_retried() {
    retried_until_delivered("4xx").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_server_5xx_is_retried_not_dropped() {
    retried_until_delivered("5xx").await;
}

/// A server that accepts the connection and never sends its greeting.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_server_that_never_greets_is_timed_out_and_retried() {
    retried_until_delivered("stall").await;
}

/// A server that takes the whole message and never answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_server_that_never_answers_data_is_timed_out_and_retried() {
    retried_until_delivered("stall-after-data").await;
}

/// While the worker is stuck on a mail server that never answers, the web side still
/// answers at once and keeps every new tip.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_handlers_answer_while_the_mail_server_stalls() {
    let dir = tempfile::tempdir().expect("temp dir");
    let smtp = Smtp::start(dir.path(), "stall", &[]);
    // An hour-long SMTP timeout: the worker stays stuck for the whole test.
    let app = App::start(smtp.port, 3600).await;
    let (status, _, _) = app
        .post_tip(&tip("First tip, the one the worker gets stuck on"))
        .await;
    assert_eq!(status, 303);
    wait_until("the worker to hang on the stalled server", async || {
        smtp.stat("faults") >= 1
    })
    .await;
    for i in 0..5 {
        let (status, reference, _) = app
            .post_tip(&tip(&format!("Tip {i} while delivery is stuck")))
            .await;
        assert_eq!(status, 303, "tip {i} answered while the worker is stuck");
        assert!(reference.is_some());
        let health = app
            .client
            .get(format!("{}/report/health", app.base))
            .send()
            .await
            .expect("health answered");
        assert_eq!(health.status().as_u16(), 200);
    }
    assert_eq!(app.outbox_rows(), 6, "all six tips wait in the outbox");
    assert_eq!(smtp.stat("accepted"), 0);
}

/// CR/LF and header lines typed into every field end up as text inside the encrypted body,
/// never as email headers, outside or inside the encryption.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn header_injection_in_every_field_is_impossible() {
    let dir = tempfile::tempdir().expect("temp dir");
    let smtp = Smtp::start(dir.path(), "ok", &[]);
    let app = App::start(smtp.port, 5).await;
    let evil = "x\r\nBcc: attacker@example.invalid\r\nSubject: injected\r\n\r\n--boundary\r\nContent-Type: text/html\r\n\r\n<b>";
    let fields = [
        "country",
        "city",
        "place",
        "when",
        "description",
        "involved",
        "contact",
    ];
    let mut body: Vec<(&str, &str)> = fields.iter().map(|f| (*f, evil)).collect();
    body.push(("lang", "ru\r\nBcc: attacker@example.invalid"));
    body.push(("kind", "other"));
    let (status, reference, _) = app.post_tip(&body).await;
    assert_eq!(
        status, 303,
        "the tip is accepted (the text is cleaned, not refused)"
    );
    let reference = reference.expect("reference");

    // The same through multipart/form-data.
    let pow = app.pow().await;
    let mut form = reqwest::multipart::Form::new()
        .text("pow", pow)
        .text("kind", "other")
        .text("lang", "en");
    for f in fields {
        form = form.text(f, evil);
    }
    let r = app
        .client
        .post(format!("{}/report", app.base))
        .multipart(form)
        .send()
        .await
        .expect("multipart POST");
    assert_eq!(r.status().as_u16(), 303);

    wait_until("both delivered", async || {
        smtp.stat("accepted") >= 2 && app.outbox_rows() == 0
    })
    .await;
    let gpg = Gpg::with_demo_key();
    let mut found = false;
    for raw in smtp.messages() {
        let d = gpg.decrypt(&raw);
        assert_outer_headers_generic(&d);
        for (name, value) in &d.outer {
            assert!(!name.eq_ignore_ascii_case("bcc"));
            assert!(
                !value.contains("attacker") && !value.contains("injected"),
                "{name}: {value}"
            );
        }
        // Inside: the protected headers and each part's headers are the sealer's own.
        assert_eq!(
            d.inner_headers.len(),
            3,
            "protected headers, text part, JSON part"
        );
        for block in &d.inner_headers {
            for (name, value) in block {
                assert!(!name.eq_ignore_ascii_case("bcc"), "Bcc header inside");
                assert!(
                    !value.contains("attacker") && !value.contains("injected"),
                    "inner header {name}: {value}"
                );
            }
        }
        assert!(
            d.inner.contains("Bcc: attacker@example.invalid"),
            "kept as text"
        );
        found |= d.inner.contains(&reference);
    }
    assert!(found, "the urlencoded tip arrived");
}

/// HTML and script typed into a field are sealed as plain text and shown escaped when the
/// form comes back with an error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_and_script_are_text_not_markup() {
    let dir = tempfile::tempdir().expect("temp dir");
    let smtp = Smtp::start(dir.path(), "ok", &[]);
    let app = App::start(smtp.port, 5).await;
    let script = "<script>alert('x')</script><img src=x onerror=alert(1)>";
    // With an error (unknown kind) the form is re-rendered with the text kept, escaped.
    let (status, _, page) = app
        .post_tip(&[("lang", "en"), ("kind", "bogus"), ("description", script)])
        .await;
    assert_eq!(status, 422);
    assert!(
        !page.contains("<script>alert('x')"),
        "script must be escaped"
    );
    assert!(!page.contains("<img src=x"), "markup must be escaped");
    assert!(
        page.contains("&lt;script&gt;"),
        "the typed text is kept, escaped"
    );

    let (status, reference, _) = app.post_tip(&tip(script)).await;
    assert_eq!(status, 303);
    wait_until("delivery", async || smtp.stat("accepted") >= 1).await;
    let gpg = Gpg::with_demo_key();
    let d = gpg.decrypt(&smtp.messages()[0]);
    assert!(d.inner.contains(&reference.expect("reference")));
    assert!(d.inner.contains(script), "sealed verbatim as text");
    assert!(d.inner.contains("text/plain"));
    assert!(!d.inner.to_ascii_lowercase().contains("text/html"));
}

/// Bodies over the limit get a 413 page, with or without a Content-Length, urlencoded or
/// multipart, and a tip sent at the same time goes through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_get_413_and_others_are_unaffected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let smtp = Smtp::start(dir.path(), "ok", &[]);
    let app = App::start(smtp.port, 5).await;
    let huge = format!("description={}", "A".repeat(2 * 1024 * 1024));
    let (status, _, page) = app
        .post_raw(
            "application/x-www-form-urlencoded",
            huge.clone().into_bytes(),
        )
        .await;
    assert_eq!(status, 413);
    assert!(page.contains("152"), "the page shows the hotline");

    let boundary = "XBOUNDARY";
    let multipart = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n{}\r\n--{boundary}--\r\n",
        "B".repeat(2 * 1024 * 1024)
    );
    let (status, _, _) = app
        .post_raw(
            &format!("multipart/form-data; boundary={boundary}"),
            multipart.into_bytes(),
        )
        .await;
    assert_eq!(status, 413);

    // Chunked, no Content-Length: the limit applies while reading. A tip goes through while
    // the big upload is in progress.
    let addr = app.addr();
    let upload = tokio::spawn(async move {
        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(b"POST /report HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n")
            .await
            .expect("headers");
        let chunk = vec![b'C'; 64 * 1024];
        for _ in 0..64 {
            let head = format!("{:x}\r\n", chunk.len());
            if s.write_all(head.as_bytes()).await.is_err()
                || s.write_all(&chunk).await.is_err()
                || s.write_all(b"\r\n").await.is_err()
            {
                break; // the server stopped reading: expected once over the limit
            }
        }
        let mut answer = Vec::new();
        let _ = tokio::time::timeout(PATIENCE, s.read_to_end(&mut answer)).await;
        String::from_utf8_lossy(&answer).into_owned()
    });
    let (status, reference, _) = app.post_tip(&tip("A tip during a huge upload")).await;
    assert_eq!(status, 303);
    assert!(reference.is_some());
    let answer = upload.await.expect("upload task");
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "chunked upload: {}",
        answer.lines().next().unwrap_or("")
    );
}

/// A body refused for its declared length is read to its end before the refusal is sent:
/// a client still sending when the server closes gets a reset, and a browser then shows a
/// broken connection instead of the page that says why and gives the hotline.
#[tokio::test]
async fn a_client_still_sending_a_refused_body_gets_the_refusal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let smtp = Smtp::start(dir.path(), "ok", &[]);
    let app = App::start(smtp.port, 5).await;
    let mut s = TcpStream::connect(app.addr()).await.expect("connect");
    let len = 2 * 1024 * 1024;
    let head = format!(
        "POST /report HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {len}\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.expect("headers");
    let chunk = vec![b'a'; 64 * 1024];
    let mut sent = 0;
    for _ in 0..len / chunk.len() {
        // Slowly, as over a phone network: a server that answers from the headers alone
        // and closes has reset the connection long before the last chunk.
        tokio::time::sleep(Duration::from_millis(10)).await;
        if s.write_all(&chunk).await.is_err() {
            break;
        }
        sent += chunk.len();
    }
    assert_eq!(sent, len, "the server kept reading the refused body");
    let mut answer = Vec::new();
    let read = tokio::time::timeout(PATIENCE, s.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "{read:?}: {}",
        answer.lines().next().unwrap_or("")
    );
    assert!(answer.contains("152"), "the page shows the hotline");
}

/// Invalid UTF-8, ten thousand fields and duplicate fields each get a deliberate answer,
/// never a 500; a repeated field keeps its last value, as documented.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_utf8_many_fields_and_duplicates() {
    let dir = tempfile::tempdir().expect("temp dir");
    let smtp = Smtp::start(dir.path(), "ok", &[]);
    let app = App::start(smtp.port, 5).await;

    // Raw invalid UTF-8 bytes and percent-encoded invalid sequences.
    let pow = app.pow().await;
    let mut body = b"lang=az&description=bad+bytes+\xff\xfe\xc3+and+%FF%C3%28+end&pow=".to_vec();
    body.extend_from_slice(pow.as_bytes());
    let (status, _, _) = app
        .post_raw("application/x-www-form-urlencoded", body)
        .await;
    assert_eq!(status, 303, "invalid bytes become U+FFFD; the tip is kept");

    let pow = app.pow().await;
    let mut multipart = b"--B\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nmultipart \xff\xfe bytes\r\n--B\r\nContent-Disposition: form-data; name=\"pow\"\r\n\r\n".to_vec();
    multipart.extend_from_slice(pow.as_bytes());
    multipart.extend_from_slice(b"\r\n--B--\r\n");
    let (status, _, _) = app
        .post_raw("multipart/form-data; boundary=B", multipart)
        .await;
    assert!(
        status == 303 || status == 400,
        "multipart invalid UTF-8 answered {status}"
    );

    // 10,000 fields (unknown names are ignored; the body stays under the limit).
    let pow = app.pow().await;
    let mut many = form_urlencoded::Serializer::new(String::new());
    for i in 0..10_000 {
        many.append_pair(&format!("f{i}"), "1");
    }
    many.append_pair("description", "Ten thousand fields came with this tip");
    many.append_pair("pow", &pow);
    let (status, _, _) = app
        .post_raw(
            "application/x-www-form-urlencoded",
            many.finish().into_bytes(),
        )
        .await;
    assert_eq!(status, 303);

    let mut parts = String::new();
    for i in 0..10_000 {
        parts.push_str(&format!(
            "--B\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\n1\r\n"
        ));
    }
    parts.push_str("--B--\r\n");
    let (status, _, page) = app
        .post_raw("multipart/form-data; boundary=B", parts.into_bytes())
        .await;
    assert!(
        status == 400 || status == 413,
        "10,000 parts answered {status}"
    );
    assert!(page.contains("152"));

    // Duplicate fields: the last value wins.
    let pow = app.pow().await;
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("description", "FIRST-VALUE-OF-DUPLICATE")
        .append_pair("description", "SECOND-VALUE-OF-DUPLICATE")
        .append_pair("pow", &pow)
        .finish();
    let (status, _, _) = app
        .post_raw("application/x-www-form-urlencoded", body.into_bytes())
        .await;
    assert_eq!(status, 303);

    wait_until("delivery of the accepted tips", async || {
        app.outbox_rows() == 0 && smtp.stat("accepted") >= 3
    })
    .await;
    let gpg = Gpg::with_demo_key();
    let texts: Vec<String> = smtp
        .messages()
        .iter()
        .map(|m| gpg.decrypt(m).inner)
        .collect();
    assert!(texts.iter().any(|t| t.contains("bad bytes \u{FFFD}")));
    assert!(texts
        .iter()
        .any(|t| t.contains("SECOND-VALUE-OF-DUPLICATE")));
    assert!(!texts.iter().any(|t| t.contains("FIRST-VALUE-OF-DUPLICATE")));
    assert!(texts.iter().any(|t| t.contains("Ten thousand fields")));
}

/// Clients that send their headers slowly are cut off by the header timeout, and a tip
/// sent meanwhile goes through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slowloris_clients_are_cut_off() {
    let dir = tempfile::tempdir().expect("temp dir");
    let smtp = Smtp::start(dir.path(), "ok", &[]);
    let app = App::start(smtp.port, 5).await;
    let addr = app.addr();
    let mut slow = Vec::new();
    for _ in 0..50 {
        slow.push(tokio::spawn(async move {
            let mut s = TcpStream::connect(addr).await.expect("connect");
            let _ = s
                .write_all(b"POST /report HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                .await;
            // One more header byte every 200 ms, never finishing, up to a bounded count.
            for _ in 0..300 {
                tokio::time::sleep(Duration::from_millis(200)).await;
                if s.write_all(b"X").await.is_err() {
                    return true; // closed by the server
                }
                let mut buf = [0u8; 256];
                if let Ok(Ok(n)) =
                    tokio::time::timeout(Duration::from_millis(1), s.read(&mut buf)).await
                {
                    if n == 0 || buf[..n].starts_with(b"HTTP/1.1 408") {
                        return true;
                    }
                }
            }
            false
        }));
    }
    let (status, reference, _) = app.post_tip(&tip("A tip among slow clients")).await;
    assert_eq!(status, 303);
    assert!(reference.is_some());
    for handle in slow {
        assert!(
            handle.await.expect("slow client task"),
            "the server closed the slow connection"
        );
    }
}
