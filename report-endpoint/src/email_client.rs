//! Sending sealed emails: the [`EmailClient`] trait and its two transports.
//!
//! * [`SmtpEmailClient`]: lettre 0.11's async SMTP transport over tokio with **rustls** (ring
//!   provider, webpki roots; no OpenSSL/native-tls). STARTTLS (required, never opportunistic)
//!   or implicit TLS in production; plain SMTP only to a loopback address, for tests.
//!   Credentials are held in a [`SecretString`](secrecy::SecretString) and never logged; `hello_name` is set so the
//!   relay does not see the machine's hostname; connecting and each whole send are bounded
//!   in time, so a stalling relay cannot hold the worker. Connections are reused between
//!   messages (cancel-safely: see the type's documentation), which is most of the speed of
//!   draining a backlog.
//! * [`FolderEmailClient`]: writes each message as `<dir>/<id>.eml` atomically (temp file,
//!   fsync, rename, fsync dir), for local runs without a mail server. The file name derives
//!   from the Message-ID, so a redelivered message overwrites its earlier copy.
//!
//! Both take only a [`SealedTip`]: the email path cannot be handed plaintext.

use parking_lot::{Mutex, MutexGuard};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::Address;
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};

use crate::configuration::{MailSettings, SmtpSecurity, SmtpSettings};
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

/// Sends over SMTP with lettre, keeping connections open between messages.
///
/// Opening a connection costs a TCP handshake, the greeting, EHLO, STARTTLS and AUTH; a
/// backlog drained one connection per message went at about a dozen messages a second. So a
/// connection that just carried a message is parked and the next send reuses it.
///
/// Why not lettre's own `pool` feature: its pooled connection goes back to the pool when the
/// send future is *dropped*, and the whole-send timeout below drops it mid-conversation
/// (after DATA, say). The next message would then run over a connection whose replies are
/// out of step with its commands: a late "250" meant for the timed-out message could be read
/// as the answer to the next one while the server actually refuses it — a tip marked sent
/// and lost. Here the connection is owned by the timed send itself: it is parked again only
/// after a complete exchange ended with the server's acceptance, and dropped (closed) on any
/// error or timeout. A parked connection is checked with NOOP before reuse; one the server
/// has closed meanwhile is discarded and a fresh one opened within the same send. Should the
/// server close it between that check and the message, the send fails as a transient error
/// and the worker retries it with backoff: never a lost tip.
pub struct SmtpEmailClient {
    host: String,
    port: u16,
    tls: Tls,
    hello_name: ClientId,
    credentials: Option<Credentials>,
    connect_timeout: Duration,
    /// Bound on one whole send (reuse check or connect, TLS, EHLO, AUTH, envelope, DATA).
    send_timeout: Duration,
    idle: Mutex<Vec<IdleConnection>>,
    connections_opened: AtomicU64,
}

/// A connection that finished its last exchange cleanly, waiting for the next message.
struct IdleConnection {
    conn: AsyncSmtpConnection,
    since: Instant,
}

/// Most connections kept open while idle. The delivery worker sends at most its
/// `concurrency` messages at once, so it never needs more than that many.
const MAX_IDLE_CONNECTIONS: usize = 8;

/// A parked connection unused for this long is closed rather than reused: relays close idle
/// clients themselves (Postfix's `smtpd_timeout` is 300 s, 10 s under stress), and a quiet
/// endpoint should not hold a connection to the relay open for nothing.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

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
        let credentials = match (&s.username, &s.password) {
            (Some(user), Some(pass)) => Some(Credentials::new(
                user.clone(),
                pass.expose_secret().to_owned(),
            )),
            (None, None) => None,
            _ => return Err(MailConfigError::HalfCredentials),
        };
        let timeout = Duration::from_secs(s.timeout_secs.max(1));
        Ok(Self {
            host: s.host.clone(),
            port: s.port,
            tls,
            hello_name: ClientId::Domain(s.hello_name.clone()),
            credentials,
            connect_timeout: timeout,
            send_timeout: timeout.saturating_mul(3),
            idle: Mutex::new(Vec::new()),
            connections_opened: AtomicU64::new(0),
        })
    }

    /// How many SMTP connections this client has opened so far (reuse keeps this low).
    pub fn connections_opened(&self) -> u64 {
        self.connections_opened.load(Ordering::Relaxed)
    }

    fn idle_connections(&self) -> MutexGuard<'_, Vec<IdleConnection>> {
        // The lock is never held across an await or a panic-prone call; a poisoned lock
        // still holds a consistent list.
        self.idle.lock()
    }

    /// The most recently parked connection that is still fresh, if any; stale ones are
    /// closed on the way.
    fn take_idle(&self) -> Option<AsyncSmtpConnection> {
        let mut idle = self.idle_connections();
        while let Some(parked) = idle.pop() {
            if parked.since.elapsed() < IDLE_TIMEOUT {
                return Some(parked.conn);
            }
            close_politely(parked.conn);
        }
        None
    }

    /// Parks a connection whose last exchange ended with the server's acceptance.
    fn park(&self, conn: AsyncSmtpConnection) {
        let mut idle = self.idle_connections();
        if idle.len() < MAX_IDLE_CONNECTIONS {
            idle.push(IdleConnection {
                conn,
                since: Instant::now(),
            });
        } else {
            drop(idle);
            close_politely(conn);
        }
    }

    /// A connection ready for MAIL FROM: a parked one that still answers NOOP, else a new
    /// one (connect, TLS, EHLO, AUTH).
    async fn connection(&self) -> Result<AsyncSmtpConnection, SendError> {
        while let Some(mut conn) = self.take_idle() {
            if conn.test_connected().await {
                return Ok(conn);
            }
            // Closed by the server (idle timeout, restart) or out of step: never reuse it.
            tracing::debug!("smtp: a parked connection no longer answers; opening another");
        }
        self.connections_opened.fetch_add(1, Ordering::Relaxed);
        let mut conn = match &self.tls {
            // TLS from the first byte: lettre opens the socket and wraps it.
            Tls::Wrapper(p) => AsyncSmtpConnection::connect_tokio1(
                (self.host.as_str(), self.port),
                Some(self.connect_timeout),
                &self.hello_name,
                Some(p.clone()),
                None,
            )
            .await
            .map_err(classify)?,
            // Plain TCP first (then STARTTLS): we open the socket so that we can turn Nagle's
            // algorithm off. lettre writes a message and its final "\r\n.\r\n" separately;
            // with Nagle on, that last small write waits for the server to acknowledge the
            // message, and servers delay acknowledgements (40 ms on Linux, up to 200 ms
            // elsewhere). On loopback, a client with lettre's write pattern against the fault
            // runs' relay took 53 ms per message with Nagle and 5.6 ms without.
            _ => {
                let tcp = tokio::time::timeout(
                    self.connect_timeout,
                    tokio::net::TcpStream::connect((self.host.as_str(), self.port)),
                )
                .await
                .map_err(|_| {
                    SendError::Transient(format!(
                        "connecting to the mail server took longer than {} s",
                        self.connect_timeout.as_secs()
                    ))
                })?
                .map_err(|e| {
                    SendError::Transient(format!("cannot connect to the mail server: {e}"))
                })?;
                tcp.set_nodelay(true).map_err(|e| {
                    SendError::Transient(format!("cannot set up the connection: {e}"))
                })?;
                AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello_name)
                    .await
                    .map_err(classify)?
            }
        };
        if let Tls::Required(p) = &self.tls {
            conn.starttls(p.clone(), &self.hello_name)
                .await
                .map_err(classify)?;
        }
        if let Some(credentials) = &self.credentials {
            conn.auth(DEFAULT_MECHANISMS, credentials)
                .await
                .map_err(classify)?;
        }
        Ok(conn)
    }
}

/// A 5xx reply (or a client-side refusal) is permanent; everything else — refused or dropped
/// connections, 4xx, TLS and network errors — is worth retrying soon.
fn classify(e: lettre::transport::smtp::Error) -> SendError {
    if e.is_permanent() {
        SendError::Permanent(e.to_string())
    } else {
        SendError::Transient(e.to_string())
    }
}

/// Says QUIT to a connection no longer wanted, in the background and bounded in time, so
/// the relay sees a clean goodbye rather than a dropped socket.
fn close_politely(mut conn: AsyncSmtpConnection) {
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn(async move {
            let _ = tokio::time::timeout(Duration::from_secs(5), conn.abort()).await;
        });
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
        // lettre's async SMTP applies its timeout to connecting only; a relay that stalls
        // mid-conversation would hold the sender forever. Bound the whole exchange. The
        // connection lives inside this future: on a timeout or any error it is dropped
        // (closed), never parked, so no later message can read this one's late replies.
        let exchange = async {
            let mut conn = self.connection().await?;
            conn.send(&envelope, tip.email()).await.map_err(classify)?;
            Ok::<_, SendError>(conn)
        };
        match tokio::time::timeout(self.send_timeout, exchange).await {
            Err(_) => Err(SendError::Transient(format!(
                "the mail server did not finish within {} s",
                self.send_timeout.as_secs()
            ))),
            Ok(Ok(conn)) => {
                self.park(conn);
                Ok(())
            }
            Ok(Err(e)) => Err(e),
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
