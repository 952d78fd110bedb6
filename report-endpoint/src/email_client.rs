//! Sending sealed emails: the [`EmailClient`] trait and its two transports.
//!
//! * [`SmtpEmailClient`]: lettre 0.11's async SMTP transport over tokio with **rustls** (ring
//!   provider, webpki roots; no OpenSSL/native-tls). STARTTLS (required, never opportunistic)
//!   or implicit TLS in production; plain SMTP only to a loopback address, for tests.
//!   Credentials are held in a [`SecretString`] and never logged; `hello_name` is set so the
//!   relay does not see the machine's hostname; connecting and each whole send are bounded
//!   in time, so a stalling relay cannot hold the worker.
//! * [`FolderEmailClient`]: writes each message as `<dir>/<id>.eml` atomically (temp file,
//!   fsync, rename, fsync dir), for local runs without a mail server. The file name derives
//!   from the Message-ID, so a redelivered message overwrites its earlier copy.
//!
//! Both take only a [`SealedTip`]: the email path cannot be handed plaintext.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use async_trait::async_trait;
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::seal::SealedTip;

/// Why a send failed. The message never contains tip content (only server replies and
/// transport errors), so it may be logged and stored as the outbox's error summary.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SendError {
    /// Worth retrying soon: connection refused or dropped, timeout, 4xx reply, TLS hiccup.
    #[error("temporary delivery failure: {0}")]
    Transient(String),
    /// The server refused (5xx) or the configuration is wrong. The message is still kept and
    /// retried later (an operator may fix the relay); it is never dropped.
    #[error("permanent delivery failure: {0}")]
    Permanent(String),
}

impl SendError {
    pub fn is_permanent(&self) -> bool {
        matches!(self, SendError::Permanent(_))
    }
}

/// Sends one sealed email. Object-safe: use `Arc<dyn EmailClient>`.
#[async_trait]
pub trait EmailClient: Send + Sync + 'static {
    /// Returns `Ok` only once the message is accepted (SMTP 250 after DATA, or the file is
    /// durably in place).
    async fn send(&self, tip: &SealedTip) -> Result<(), SendError>;
}

/// Where sealed emails go (the `[mail]` section of the configuration).
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "transport", rename_all = "snake_case", deny_unknown_fields)]
pub enum MailSettings {
    Smtp(SmtpSettings),
    /// Write `.eml` files into `path` (local runs).
    Folder {
        path: PathBuf,
    },
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// Connect in plain text, then require STARTTLS (usually port 587).
    Starttls,
    /// TLS from the first byte (usually port 465).
    ImplicitTls,
    /// No TLS at all. Refused unless `host` is a loopback IP address (tests, local relays).
    PlainLoopback,
}

/// SMTP relay settings.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    #[serde(default)]
    pub username: Option<String>,
    /// From the environment or a secret file in production; never logged.
    #[serde(default)]
    pub password: Option<SecretString>,
    /// The name sent in EHLO. Defaults to `localhost`, so the relay learns nothing about the
    /// machine.
    #[serde(default = "default_hello_name")]
    pub hello_name: String,
    /// Connect timeout, in seconds; one whole send is bounded by three times this.
    #[serde(default = "default_timeout_secs")]
    pub timeout_secs: u64,
    /// Extra PEM root certificate to trust (a private relay's CA).
    #[serde(default)]
    pub ca_cert_path: Option<PathBuf>,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<secret>"))
            .field("hello_name", &self.hello_name)
            .field("timeout_secs", &self.timeout_secs)
            .field("ca_cert_path", &self.ca_cert_path)
            .finish()
    }
}

fn default_hello_name() -> String {
    "localhost".to_owned()
}

fn default_timeout_secs() -> u64 {
    30
}

/// A mail configuration that cannot work; stops startup.
#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    #[error("SMTP security \"plain_loopback\" needs a loopback IP address as host, not \"{0}\"; use starttls or implicit_tls")]
    PlainNotLoopback(String),
    #[error("SMTP TLS setup failed: {0}")]
    Tls(String),
    #[error("cannot read the CA certificate {path}: {reason}")]
    CaCert { path: PathBuf, reason: String },
    #[error("SMTP username is set but no password (or the other way round)")]
    HalfCredentials,
    #[error("cannot create the mail folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Builds the client the settings describe.
pub fn build_client(
    settings: &MailSettings,
) -> Result<std::sync::Arc<dyn EmailClient>, MailConfigError> {
    Ok(match settings {
        MailSettings::Smtp(s) => std::sync::Arc::new(SmtpEmailClient::new(s)?),
        MailSettings::Folder { path } => std::sync::Arc::new(FolderEmailClient::new(path)?),
    })
}

/// Sends over SMTP with lettre.
pub struct SmtpEmailClient {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    /// Bound on one whole send (connect, TLS, EHLO, AUTH, envelope, DATA).
    send_timeout: Duration,
}

impl SmtpEmailClient {
    pub fn new(s: &SmtpSettings) -> Result<Self, MailConfigError> {
        let tls = match s.security {
            SmtpSecurity::PlainLoopback => {
                let loopback = s.host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
                if !loopback {
                    return Err(MailConfigError::PlainNotLoopback(s.host.clone()));
                }
                Tls::None
            }
            SmtpSecurity::Starttls => Tls::Required(tls_parameters(s)?),
            SmtpSecurity::ImplicitTls => Tls::Wrapper(tls_parameters(s)?),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&s.host)
            .port(s.port)
            .tls(tls)
            .hello_name(ClientId::Domain(s.hello_name.clone()))
            .timeout(Some(Duration::from_secs(s.timeout_secs.max(1))));
        match (&s.username, &s.password) {
            (Some(user), Some(pass)) => {
                builder = builder.credentials(Credentials::new(
                    user.clone(),
                    pass.expose_secret().to_owned(),
                ));
            }
            (None, None) => {}
            _ => return Err(MailConfigError::HalfCredentials),
        }
        Ok(Self {
            transport: builder.build(),
            send_timeout: Duration::from_secs(s.timeout_secs.max(1).saturating_mul(3)),
        })
    }
}

fn tls_parameters(s: &SmtpSettings) -> Result<TlsParameters, MailConfigError> {
    let mut b = TlsParameters::builder(s.host.clone());
    if let Some(path) = &s.ca_cert_path {
        let pem = std::fs::read(path).map_err(|e| MailConfigError::CaCert {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        let cert = Certificate::from_pem(&pem).map_err(|e| MailConfigError::CaCert {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        b = b.add_root_certificate(cert);
    }
    b.build_rustls()
        .map_err(|e| MailConfigError::Tls(e.to_string()))
}

#[async_trait]
impl EmailClient for SmtpEmailClient {
    async fn send(&self, tip: &SealedTip) -> Result<(), SendError> {
        let from: Address = tip
            .sender()
            .parse()
            .map_err(|e| SendError::Permanent(format!("bad sender address: {e}")))?;
        let to: Address = tip
            .recipient()
            .parse()
            .map_err(|e| SendError::Permanent(format!("bad recipient address: {e}")))?;
        let envelope = Envelope::new(Some(from), vec![to])
            .map_err(|e| SendError::Permanent(format!("bad envelope: {e}")))?;
        // lettre's async transport applies its timeout to connecting only; a relay that
        // stalls mid-conversation would hold the worker forever. Bound the whole exchange;
        // dropping the future closes the connection, and the message is retried.
        let send = self.transport.send_raw(&envelope, tip.email());
        match tokio::time::timeout(self.send_timeout, send).await {
            Err(_) => Err(SendError::Transient(format!(
                "the mail server did not finish within {} s",
                self.send_timeout.as_secs()
            ))),
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
            Ok(Err(e)) => Err(SendError::Transient(e.to_string())),
        }
    }
}

/// Writes `.eml` files into a folder.
#[derive(Debug, Clone)]
pub struct FolderEmailClient {
    dir: PathBuf,
}

impl FolderEmailClient {
    /// Creates the folder if needed.
    pub fn new(dir: &Path) -> Result<Self, MailConfigError> {
        std::fs::create_dir_all(dir).map_err(|source| MailConfigError::Folder {
            path: dir.to_owned(),
            source,
        })?;
        Ok(Self {
            dir: dir.to_owned(),
        })
    }

    /// The file a message is (or will be) written to.
    pub fn path_for(&self, tip: &SealedTip) -> PathBuf {
        let digest = Sha256::digest(tip.message_id().as_bytes());
        let name: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join(format!("{name}.eml"))
    }
}

#[async_trait]
impl EmailClient for FolderEmailClient {
    async fn send(&self, tip: &SealedTip) -> Result<(), SendError> {
        let dest = self.path_for(tip);
        let dir = self.dir.clone();
        let bytes = tip.email().to_vec();
        tokio::task::spawn_blocking(move || write_atomically(&dir, &dest, &bytes))
            .await
            .map_err(|e| SendError::Transient(format!("writer task failed: {e}")))?
            .map_err(|e| SendError::Transient(format!("cannot write the .eml file: {e}")))
    }
}

fn write_atomically(dir: &Path, dest: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let suffix: u64 = rand::random();
    let tmp = dir.join(format!(".incoming-{suffix:016x}.tmp"));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, dest)?;
        std::fs::File::open(dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
