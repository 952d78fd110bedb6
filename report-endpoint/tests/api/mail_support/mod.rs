//! Shared helpers for tests that need real mail components. Use from any test file with
//! `mod mail_support;` (endpoint-web's and the reliability tests may reuse them).
//!
//! * [`SmtpServer`]: a real SMTP server **process** on 127.0.0.1 — aiosmtpd's `Mailbox`
//!   handler ([`SmtpServer::start`]), or `faulty_smtp.py` next to this file, which answers
//!   the first N (or all) messages with a chosen 4xx/5xx reply ([`SmtpServer::start_faulty`]),
//!   or drops the connection / stalls instead ([`SmtpServer::start_faulty_mode`]).
//!   Messages land in a Maildir; [`SmtpServer::messages`] reads them. The process is killed on
//!   drop. Python comes from `XEBERDAR_PYTHON`, else `<workspace>/.venv/bin/python`; a missing
//!   interpreter or aiosmtpd fails the test with a how-to-fix message.
//! * [`GpgHome`]: a real GnuPG with a temporary `GNUPGHOME`: import the DEMO secret key (or
//!   generate a fresh key pair) and [`GpgHome::decrypt_email`] a received PGP/MIME email.
//! * [`parse_inner`]: splits a decrypted MIME entity into protected headers and decoded parts.
//! * [`demo_sealer`], [`plaintext`]: a sealer for the DEMO key and a sample tip.
//! * [`wait_until`]: polls a condition with a generous bound (no timing assertions).
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use xeberdar_report::configuration::{RecipientSettings, SealSettings};
use xeberdar_report::seal::{Plaintext, Sealer};

/// The `report-endpoint` crate folder.
pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    crate_dir()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(crate_dir)
}

/// The DEMO recipient's public certificate (`dev/demo-recipient.public.asc`).
pub fn demo_public_cert() -> PathBuf {
    crate_dir().join("dev/demo-recipient.public.asc")
}

/// The DEMO recipient's secret key (`dev/demo-recipient.secret.asc`).
pub fn demo_secret_key() -> PathBuf {
    crate_dir().join("dev/demo-recipient.secret.asc")
}

pub const DEMO_EMAIL: &str = "demo-recipient@example.invalid";
pub const SENDER: &str = "reports@xeberdar.example";

/// A sealer with the DEMO certificate as the only recipient.
pub fn demo_sealer() -> Sealer {
    Sealer::load(&SealSettings {
        from: SENDER.to_owned(),
        recipients: vec![RecipientSettings {
            email: DEMO_EMAIL.to_owned(),
            cert_path: demo_public_cert(),
        }],
    })
    .expect("the DEMO certificate is valid")
}

/// A tip's plaintext with Azerbaijani, Russian and English text.
pub fn plaintext(reference: &str, description: &str) -> Plaintext {
    let json = serde_json::json!({
        "reference": reference,
        "kind": "forced_labour",
        "description": description,
    });
    Plaintext {
        reference: reference.to_owned(),
        lang: "az".parse().expect("a language code"),
        text_body: format!("Reference: {reference}\nDescription:\n{description}\n"),
        json_body: json.to_string(),
        files: Vec::new(),
    }
}

/// Python with aiosmtpd; panics with a how-to-fix message when missing.
pub fn python() -> PathBuf {
    let path = std::env::var_os("XEBERDAR_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(".venv/bin/python"));
    assert!(
        path.exists(),
        "{} not found: set XEBERDAR_PYTHON or create .venv with tests/requirements.txt \
         (scripts/test.sh does)",
        path.display()
    );
    path
}

/// A free TCP port on 127.0.0.1 (nothing listens on it when this returns).
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    l.local_addr().expect("local addr").port()
}

/// Polls `cond` every 20 ms for up to `bound`; panics with `what` if it never holds.
pub async fn wait_until(what: &str, bound: Duration, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < bound, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// An empty Maildir (`tmp`, `new`, `cur`): Python's `mailbox.Maildir` does not create the
/// layout inside a folder that already exists.
fn new_maildir() -> tempfile::TempDir {
    let maildir = tempfile::tempdir().expect("maildir");
    for sub in ["tmp", "new", "cur"] {
        std::fs::create_dir_all(maildir.path().join(sub)).expect("maildir layout");
    }
    maildir
}

/// A real SMTP server process on 127.0.0.1 that stores messages in a Maildir.
pub struct SmtpServer {
    pub port: u16,
    child: Child,
    maildir: tempfile::TempDir,
}

impl SmtpServer {
    /// aiosmtpd's own `Mailbox` handler: accepts everything.
    pub fn start(port: u16) -> Self {
        let maildir = new_maildir();
        let child = Command::new(python())
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start python -m aiosmtpd (is aiosmtpd installed in the venv?)");
        let mut server = Self {
            port,
            child,
            maildir,
        };
        server.wait_listening();
        server
    }

    /// `faulty_smtp.py`: answers the first `fail_first` messages (all, if `always`) with
    /// `reply`, accepts the rest.
    pub fn start_faulty(port: u16, fail_first: u32, reply: &str, always: bool) -> Self {
        Self::start_faulty_mode(port, fail_first, reply, always, "reply")
    }

    /// A well-behaved server that requires TLS: `tls` is `"starttls"` or `"implicit"`, with
    /// the certificate and key of a [`TestCa`]-style pair (PEM files).
    pub fn start_tls(port: u16, tls: &str, cert: &Path, key: &Path) -> Self {
        Self::spawn_script(
            port,
            &[
                "--tls".as_ref(),
                tls.as_ref(),
                "--cert".as_ref(),
                cert.as_os_str(),
                "--key".as_ref(),
                key.as_os_str(),
            ],
        )
    }

    /// A STARTTLS server that requires SMTP AUTH with `user` and `password`.
    pub fn start_starttls_auth(
        port: u16,
        cert: &Path,
        key: &Path,
        user: &str,
        password: &str,
    ) -> Self {
        let auth = format!("{user}:{password}");
        Self::spawn_script(
            port,
            &[
                "--tls".as_ref(),
                "starttls".as_ref(),
                "--cert".as_ref(),
                cert.as_os_str(),
                "--key".as_ref(),
                key.as_os_str(),
                "--auth".as_ref(),
                auth.as_ref(),
            ],
        )
    }

    /// Like [`SmtpServer::start_faulty`], with `mode` `"reply"` (answer `reply`), `"drop"`
    /// (cut the connection after the data arrived, no answer) or `"stall"` (never answer).
    pub fn start_faulty_mode(
        port: u16,
        fail_first: u32,
        reply: &str,
        always: bool,
        mode: &str,
    ) -> Self {
        let fail = fail_first.to_string();
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "--fail-first".as_ref(),
            fail.as_ref(),
            "--reply".as_ref(),
            reply.as_ref(),
            "--mode".as_ref(),
            mode.as_ref(),
        ];
        if always {
            args.push("--always-fail".as_ref());
        }
        Self::spawn_script(port, &args)
    }

    fn spawn_script(port: u16, args: &[&std::ffi::OsStr]) -> Self {
        let maildir = new_maildir();
        let script = crate_dir().join("tests/api/mail_support/faulty_smtp.py");
        let mut child = Command::new(python())
            .arg(script)
            .arg(port.to_string())
            .arg(maildir.path())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start faulty_smtp.py");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read readiness line");
        assert_eq!(line.trim(), "ready", "faulty_smtp.py did not start");
        let mut server = Self {
            port,
            child,
            maildir,
        };
        server.wait_listening();
        server
    }

    fn wait_listening(&mut self) {
        let start = Instant::now();
        loop {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the SMTP server process exited early: {status}");
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the SMTP server did not listen on 127.0.0.1:{} within 30 s",
                self.port
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Every message received so far, as raw bytes (order not guaranteed).
    pub fn messages(&self) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(self.maildir.path().join(sub)) else {
                continue;
            };
            for e in entries.flatten() {
                if let Ok(bytes) = std::fs::read(e.path()) {
                    out.push(bytes);
                }
            }
        }
        out
    }

    pub fn count(&self) -> usize {
        self.messages().len()
    }

    /// For servers started from `faulty_smtp.py`: how many connections carried at least one
    /// message (DATA) so far.
    pub fn sessions_with_data(&self) -> usize {
        std::fs::read_to_string(self.maildir.path().join("sessions"))
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0)
    }

    /// Kills the server process (SMTP goes down).
    pub fn stop(mut self) {
        self.kill();
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The value of the first header `name` in the header block of `email` (unfolded).
pub fn header(email: &str, name: &str) -> Option<String> {
    let head = email.split("\r\n\r\n").next().unwrap_or(email);
    let head = head.split("\n\n").next().unwrap_or(head);
    let mut found: Option<String> = None;
    for line in head.lines() {
        let line = line.trim_end_matches('\r');
        if let Some(v) = found.as_mut() {
            if line.starts_with(' ') || line.starts_with('\t') {
                v.push_str(line);
                continue;
            }
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case(name) {
                found = Some(v.trim().to_owned());
            }
        }
    }
    found
}

/// The outer header block of an email (everything before the first blank line).
pub fn outer_headers(email: &str) -> String {
    let end = email
        .find("\r\n\r\n")
        .or_else(|| email.find("\n\n"))
        .unwrap_or(email.len());
    email[..end].to_owned()
}

/// A throw-away test CA and a server certificate it signed for `localhost` / 127.0.0.1, made
/// with the `openssl` tool, for TLS tests: the server uses [`TestCert::cert`] and
/// [`TestCert::key`], the client trusts [`TestCert::ca`].
pub struct TestCert {
    dir: tempfile::TempDir,
}

impl TestCert {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("cert dir");
        let d = dir.path();
        std::fs::write(
            d.join("leaf.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n\
             extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n",
        )
        .expect("write extensions");
        let openssl = |args: &[&str]| {
            let out = Command::new("openssl")
                .current_dir(d)
                .args(args)
                .output()
                .unwrap_or_else(|e| panic!("cannot run openssl ({e}); install openssl"));
            assert!(
                out.status.success(),
                "openssl {args:?} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=Xeberdar test CA",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
        ]);
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            "key.pem",
            "-out",
            "leaf.csr",
        ]);
        openssl(&[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "leaf.ext",
            "-out",
            "cert.pem",
        ]);
        Self { dir }
    }

    /// The CA certificate a client should trust.
    pub fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// The server certificate (signed by the CA).
    pub fn cert(&self) -> PathBuf {
        self.dir.path().join("cert.pem")
    }

    /// The server's private key.
    pub fn key(&self) -> PathBuf {
        self.dir.path().join("key.pem")
    }
}

impl Default for TestCert {
    fn default() -> Self {
        Self::new()
    }
}

/// A temporary GnuPG home.
pub struct GpgHome {
    dir: tempfile::TempDir,
}

impl GpgHome {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("gnupg home");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700));
        }
        Self { dir }
    }

    /// A home with the DEMO secret key imported.
    pub fn with_demo_key() -> Self {
        let home = Self::new();
        home.import(&demo_secret_key());
        home
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    fn gpg(&self) -> Command {
        let mut c = Command::new("gpg");
        c.env("GNUPGHOME", self.dir.path()).args([
            "--batch",
            "--no-tty",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
        ]);
        c
    }

    fn run(&self, args: &[&str], what: &str) -> std::process::Output {
        let out = self.gpg().args(args).output().unwrap_or_else(|e| {
            panic!("cannot run gpg ({e}); install gnupg (scripts/test.sh does)")
        });
        assert!(
            out.status.success(),
            "gpg {what} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    pub fn import(&self, key_file: &Path) {
        let path = key_file.to_string_lossy().into_owned();
        self.run(&["--import", &path], "--import");
    }

    /// Generates a v4 ed25519/cv25519 key pair for `email` and writes its public certificate
    /// to `<home>/<email>.asc`, which it returns.
    pub fn generate(&self, email: &str) -> PathBuf {
        let uid = format!("Test recipient <{email}>");
        self.run(
            &["--quick-gen-key", &uid, "ed25519", "cert", "0"],
            "--quick-gen-key",
        );
        let out = self.run(&["--with-colons", "--list-keys", email], "--list-keys");
        let listing = String::from_utf8_lossy(&out.stdout).into_owned();
        let fpr = listing
            .lines()
            .find_map(|l| l.strip_prefix("fpr:"))
            .and_then(|l| l.split(':').find(|f| !f.is_empty()))
            .expect("fingerprint in gpg listing")
            .to_owned();
        self.run(
            &["--quick-add-key", &fpr, "cv25519", "encr", "0"],
            "--quick-add-key",
        );
        let out = self.run(&["--armor", "--export", &fpr], "--export");
        let path = self.dir.path().join(format!("{email}.asc"));
        std::fs::write(&path, &out.stdout).expect("write certificate");
        path
    }

    /// Decrypts the PGP/MIME email: extracts the armoured block and runs `gpg --decrypt`.
    /// `Err` carries gpg's message (e.g. "No secret key").
    pub fn decrypt_email(&self, email: &[u8]) -> Result<Vec<u8>, String> {
        let text = String::from_utf8_lossy(email);
        let begin = text
            .find("-----BEGIN PGP MESSAGE-----")
            .ok_or("no armoured PGP message in the email")?;
        let end_marker = "-----END PGP MESSAGE-----";
        let end = text[begin..]
            .find(end_marker)
            .ok_or("unterminated armoured PGP message")?
            + begin
            + end_marker.len();
        let file = self.dir.path().join("message.asc");
        std::fs::write(&file, &text[begin..end]).map_err(|e| e.to_string())?;
        let out = self
            .gpg()
            .args(["--decrypt"])
            .arg(&file)
            .output()
            .map_err(|e| format!("cannot run gpg: {e}"))?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }
}

impl GpgHome {
    /// Decrypts many PGP/MIME emails with a few `gpg --decrypt-files` runs instead of one
    /// process each (thousands of messages in the load tests). `Err` for an email without
    /// an armoured message or one gpg could not decrypt.
    pub fn decrypt_emails(&self, emails: &[Vec<u8>]) -> Vec<Result<Vec<u8>, String>> {
        let dir = self.dir.path().join("batch");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("batch folder");
        let mut results: Vec<Result<Vec<u8>, String>> = Vec::with_capacity(emails.len());
        let mut inputs = Vec::new();
        for (i, email) in emails.iter().enumerate() {
            let text = String::from_utf8_lossy(email);
            let armoured = text.find("-----BEGIN PGP MESSAGE-----").and_then(|begin| {
                let end_marker = "-----END PGP MESSAGE-----";
                text[begin..]
                    .find(end_marker)
                    .map(|end| &text[begin..begin + end + end_marker.len()])
            });
            match armoured {
                Some(block) => {
                    let file = dir.join(format!("{i}.asc"));
                    std::fs::write(&file, block).expect("write message");
                    inputs.push(file);
                    results.push(Err("gpg wrote no output".into()));
                }
                None => results.push(Err("no armoured PGP message in the email".into())),
            }
        }
        for chunk in inputs.chunks(500) {
            // Failures show as missing outputs below.
            let _ = self
                .gpg()
                .arg("--yes")
                .arg("--decrypt-files")
                .args(chunk)
                .output();
        }
        for (i, result) in results.iter_mut().enumerate() {
            if result.is_err() {
                if let Ok(bytes) = std::fs::read(dir.join(i.to_string())) {
                    *result = Ok(bytes);
                }
            }
        }
        results
    }
}

impl Default for GpgHome {
    fn default() -> Self {
        Self::new()
    }
}

/// A decrypted MIME entity: its (protected) header block and its parts, decoded.
pub struct InnerEntity {
    pub headers: String,
    pub parts: Vec<InnerPart>,
}

pub struct InnerPart {
    pub headers: String,
    pub body: Vec<u8>,
}

impl InnerEntity {
    pub fn part(&self, content_type: &str) -> &InnerPart {
        self.parts
            .iter()
            .find(|p| {
                header(&p.headers, "Content-Type").is_some_and(|ct| ct.starts_with(content_type))
            })
            .unwrap_or_else(|| panic!("no {content_type} part"))
    }
}

/// Parses a decrypted `multipart/mixed` entity with base64 parts.
pub fn parse_inner(bytes: &[u8]) -> InnerEntity {
    let text = std::str::from_utf8(bytes).expect("inner entity is UTF-8");
    let (headers, body) = text.split_once("\r\n\r\n").expect("header/body separator");
    let ct = header(headers, "Content-Type").expect("Content-Type");
    let boundary = ct
        .split("boundary=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("boundary parameter");
    let delimiter = format!("--{boundary}");
    let closing = format!("--{boundary}--");
    let body = body.split(&closing).next().expect("closing boundary");
    let mut parts = Vec::new();
    for chunk in body.split(&delimiter).skip(1) {
        let chunk = chunk.trim_start_matches("\r\n");
        let (ph, pb) = chunk.split_once("\r\n\r\n").expect("part header/body");
        let b64: String = pb.chars().filter(|c| !c.is_whitespace()).collect();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .expect("base64 part body");
        parts.push(InnerPart {
            headers: ph.to_owned(),
            body: decoded,
        });
    }
    InnerEntity {
        headers: headers.to_owned(),
        parts,
    }
}
