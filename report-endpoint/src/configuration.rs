//! Settings: embedded defaults that run on a fresh machine, a TOML file, then environment
//! overrides `XEBERDAR_REPORT__<SECTION>__<KEY>` (for example
//! `XEBERDAR_REPORT__CAPTCHA__KIND=hcaptcha`), applied in that order.
//!
//! Secrets (the proof-of-work HMAC key, the hCaptcha secret, the mail side's SMTP password)
//! are [`SecretString`]s: read from the environment or from a file named by a `*_file`
//! setting (for container secrets), printed as `[REDACTED]` by `Debug`, never logged.

use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Toml};
use figment::Figment;
use secrecy::SecretString;
use serde::Deserialize;

use crate::attachments::AttachmentSettings;
use crate::delivery::DeliverySettings;
use crate::email_client::MailSettings;
use crate::metrics_listener::MetricsSettings;
use crate::seal::SealSettings;

/// Everything the endpoint needs to start.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub application: ApplicationSettings,
    pub captcha: CaptchaSettings,
    pub rate_limit: RateLimitSettings,
    /// The unit's certificates. Unset: the DEMO key of `report-endpoint/dev/`, which only
    /// `dev` and `bench` modes accept.
    pub seal: Option<SealSettings>,
    pub outbox: OutboxSettings,
    pub delivery: DeliverySettings,
    /// Unset: `.eml` files in `.xeberdar/report/mail/` (local runs).
    pub mail: MailSettings,
    /// Secrets of other sections read from files (container secrets).
    pub secret_files: SecretFiles,
    /// The separate listener `/metrics` answers on (never the public one).
    pub metrics: MetricsSettings,
    /// Follow-up codes: the secret their lookup keys are computed with.
    pub follow_up: FollowUpSettings,
    /// Files a report may carry, and how many are processed at once.
    pub attachments: AttachmentSettings,
}

/// Follow-up codes (see [`crate::follow_up`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FollowUpSettings {
    /// The HMAC key of follow-up codes, the same on every replica (at least 32
    /// characters; `openssl rand -hex 32`). Best given through `secret_file`. Unset: `dev`
    /// and `bench` use a public DEMO secret; `production` issues no follow-up codes.
    pub secret: Option<SecretString>,
    pub secret_file: Option<PathBuf>,
    /// How many days a follow-up code works after its report was sent.
    pub code_ttl_days: u32,
}

impl Default for FollowUpSettings {
    fn default() -> Self {
        Self {
            secret: None,
            secret_file: None,
            code_ttl_days: 90,
        }
    }
}

/// Files holding secrets of sections whose structs take the secret itself.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecretFiles {
    /// The SMTP password (`[mail]` with `transport = "smtp"`).
    pub smtp_password: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            application: ApplicationSettings::default(),
            captcha: CaptchaSettings::default(),
            rate_limit: RateLimitSettings::default(),
            seal: None,
            outbox: OutboxSettings::default(),
            delivery: DeliverySettings::default(),
            mail: MailSettings::Folder {
                path: PathBuf::from(LOCAL_DATA_DIR).join("mail"),
            },
            secret_files: SecretFiles::default(),
            metrics: MetricsSettings::default(),
            follow_up: FollowUpSettings::default(),
            attachments: AttachmentSettings::default(),
        }
    }
}

/// Where local runs keep the outbox and the `.eml` folder (relative to the working
/// directory, or to the site for [`Settings::local`]).
pub const LOCAL_DATA_DIR: &str = ".xeberdar/report";

/// The durable outbox (ciphertext only): one SQLite file, or a PostgreSQL database that
/// several replicas share.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutboxSettings {
    pub backend: OutboxBackend,
    /// The SQLite file (`backend = "sqlite"`).
    pub path: PathBuf,
    /// The PostgreSQL URL (`backend = "postgres"`): a secret, since it holds the password.
    /// Best given as `XEBERDAR_REPORT__OUTBOX__POSTGRES_URL` or through `postgres_url_file`.
    pub postgres_url: Option<SecretString>,
    pub postgres_url_file: Option<PathBuf>,
    /// Most database connections of this replica.
    pub postgres_pool_size: usize,
    /// How long to wait for a database connection before a tip gets the 503 page.
    pub postgres_connect_timeout_secs: u64,
}

/// Where the outbox lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutboxBackend {
    /// One file, one process: the embedded default.
    #[default]
    Sqlite,
    /// One database shared by every replica.
    Postgres,
}

impl Default for OutboxSettings {
    fn default() -> Self {
        Self {
            backend: OutboxBackend::Sqlite,
            path: PathBuf::from(LOCAL_DATA_DIR).join("outbox.sqlite"),
            postgres_url: None,
            postgres_url_file: None,
            postgres_pool_size: 16,
            postgres_connect_timeout_secs: 5,
        }
    }
}

/// Where the endpoint runs and what it may accept.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ApplicationSettings {
    pub host: String,
    pub port: u16,
    /// Path prefix of every route; unset: `/report`. [`Settings::local`] (what
    /// `xeberdar serve` mounts) uses the path of the site's `extra.report_endpoint`, where
    /// the site's form posts.
    pub prefix: Option<String>,
    /// The site: its `config.toml`, `i18n/locales/` and `themes/`, so the endpoint speaks
    /// the site's languages and wears its theme.
    pub site_dir: PathBuf,
    /// `dev` (demo key allowed), `bench` (captcha may be off), or `production`.
    pub mode: Mode,
    /// The only origin allowed by CORS; defaults to the site's `base_url`.
    pub allowed_origin: Option<String>,
    /// Largest accepted request body without files, and the most the text fields of a
    /// multipart body may hold together. 10,000 Cyrillic characters are 20 KB in UTF-8 and
    /// up to 180 KB percent-encoded, plus the other fields. Only the report's POST takes a
    /// larger multipart body, sized by `[attachments]`.
    pub body_limit_bytes: usize,
    /// Time allowed to send the request headers (slow-loris protection).
    pub header_read_timeout_secs: u64,
    /// Time allowed for a whole request, body included.
    pub request_timeout_secs: u64,
    /// How long the "received" page can be opened once.
    pub receipt_ttl_secs: u64,
    /// Where the client address for the rate limits comes from; it is only hashed, never
    /// stored or logged. Behind a reverse proxy, a value the proxy itself writes.
    pub client_address: ClientAddressSource,
    /// The old setting, which trusted the leftmost `X-Forwarded-For` value (the one the
    /// client writes). Kept only to refuse it with a message naming `client_address`.
    pub client_address_header: Option<String>,
}

/// Where the client address comes from. Only the socket peer and values written by a proxy
/// the endpoint trusts qualify: anything a client can send itself would let one client
/// pose as many and get round the per-client limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClientAddressSource {
    /// The address of the TCP connection: for an endpoint that faces visitors directly.
    Peer,
    /// `X-Real-IP`, which nginx overwrites with the address it saw
    /// (`proxy_set_header X-Real-IP $remote_addr`).
    XRealIp,
    /// The rightmost `X-Forwarded-For` value: the one the nearest proxy appended
    /// (`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for`).
    RightmostXForwardedFor,
}

impl ClientAddressSource {
    /// The matching source of `axum-client-ip`, which does the header parsing.
    pub fn to_axum(self) -> axum_client_ip::ClientIpSource {
        match self {
            ClientAddressSource::Peer => axum_client_ip::ClientIpSource::ConnectInfo,
            ClientAddressSource::XRealIp => axum_client_ip::ClientIpSource::XRealIp,
            ClientAddressSource::RightmostXForwardedFor => {
                axum_client_ip::ClientIpSource::RightmostXForwardedFor
            }
        }
    }
}

impl Default for ApplicationSettings {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 8152,
            prefix: None,
            site_dir: PathBuf::from("."),
            mode: Mode::Dev,
            allowed_origin: None,
            body_limit_bytes: 256 * 1024,
            header_read_timeout_secs: 10,
            request_timeout_secs: 30,
            receipt_ttl_secs: 30 * 60,
            client_address: ClientAddressSource::Peer,
            client_address_header: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Dev,
    Bench,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CaptchaKind {
    /// Self-hosted proof of work: no third party sees the visitor.
    Pow,
    /// hCaptcha: its script loads code from hCaptcha's servers, so it is off by default.
    Hcaptcha,
    /// No check at all; refused outside `bench`/`dev` mode.
    Off,
}

/// The anti-bot check.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CaptchaSettings {
    pub kind: CaptchaKind,
    /// Leading zero bits the proof-of-work hash needs; each bit doubles the work.
    pub pow_difficulty: u8,
    pub pow_ttl_secs: u64,
    /// Key that signs challenges; a random one per process when unset (fine for one
    /// process; replicas behind a balancer need a shared key).
    pub pow_hmac_key: Option<SecretString>,
    pub pow_hmac_key_file: Option<PathBuf>,
    /// Accept the no-JavaScript question (answer: the hotline number printed on the page).
    pub no_js_question: bool,
    pub hcaptcha_site_key: Option<String>,
    pub hcaptcha_secret: Option<SecretString>,
    pub hcaptcha_secret_file: Option<PathBuf>,
    pub hcaptcha_verify_url: String,
    /// Hostname the siteverify answer must name (the site's host); unchecked when unset.
    pub hcaptcha_hostname: Option<String>,
}

impl Default for CaptchaSettings {
    fn default() -> Self {
        Self {
            kind: CaptchaKind::Pow,
            pow_difficulty: 16,
            pow_ttl_secs: 10 * 60,
            pow_hmac_key: None,
            pow_hmac_key_file: None,
            no_js_question: true,
            hcaptcha_site_key: None,
            hcaptcha_secret: None,
            hcaptcha_secret_file: None,
            hcaptcha_verify_url: "https://api.hcaptcha.com/siteverify".into(),
            hcaptcha_hostname: None,
        }
    }
}

/// Limits per client, keyed by a salted hash of the address, in memory only.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimitSettings {
    pub tips_per_hour: u32,
    /// Stricter, because the no-JavaScript question is a weaker check.
    pub no_js_tips_per_hour: u32,
    pub challenges_per_minute: u32,
    /// Follow-up submissions, with a right or a wrong code: the limit on guessing codes.
    pub follow_ups_per_hour: u32,
    /// How often the salt (and with it every counter) is replaced.
    pub salt_rotation_secs: u64,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        Self {
            tips_per_hour: 30,
            no_js_tips_per_hour: 6,
            challenges_per_minute: 30,
            follow_ups_per_hour: 10,
            salt_rotation_secs: 6 * 60 * 60,
        }
    }
}

/// Why settings could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0}")]
    Parse(String),
    #[error("cannot read the secret file {path}: {source}")]
    SecretFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

impl From<figment::Error> for ConfigError {
    fn from(e: figment::Error) -> Self {
        // figment names the key and the source (file or environment variable); secrets
        // are never echoed because values are not part of its messages for type errors.
        ConfigError::Parse(format!("configuration error: {e}"))
    }
}

/// Environment variables that override settings start with this.
pub const ENV_PREFIX: &str = "XEBERDAR_REPORT__";

impl Settings {
    /// Embedded defaults, then `file` (if given), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::new();
        if let Some(file) = file {
            if !file.exists() {
                return Err(ConfigError::Invalid(format!(
                    "the configuration file {} does not exist",
                    file.display()
                )));
            }
            figment = figment.merge(Toml::file_exact(file));
        }
        figment = figment.merge(Env::prefixed(ENV_PREFIX).split("__"));
        let mut settings: Settings = figment.extract()?;
        settings.resolve_secret_files()?;
        settings.validate()?;
        Ok(settings)
    }

    /// Settings for a local run against `site_dir`, ignoring the environment (what
    /// `xeberdar serve` uses).
    pub fn local(site_dir: &Path) -> Self {
        let mut settings = Settings::default();
        settings.application.site_dir = site_dir.to_path_buf();
        let data = site_dir.join(LOCAL_DATA_DIR);
        settings.outbox.path = data.join("outbox.sqlite");
        settings.mail = MailSettings::Folder {
            path: data.join("mail"),
        };
        settings
    }

    fn resolve_secret_files(&mut self) -> Result<(), ConfigError> {
        self.metrics.resolve_secret_files()?;
        if let Some(path) = &self.captcha.pow_hmac_key_file {
            self.captcha.pow_hmac_key = Some(read_secret(path)?);
        }
        if let Some(path) = &self.captcha.hcaptcha_secret_file {
            self.captcha.hcaptcha_secret = Some(read_secret(path)?);
        }
        if let Some(path) = &self.follow_up.secret_file {
            self.follow_up.secret = Some(read_secret(path)?);
        }
        if let Some(path) = &self.outbox.postgres_url_file {
            self.outbox.postgres_url = Some(read_secret(path)?);
        }
        if let Some(path) = &self.secret_files.smtp_password {
            let password = read_secret(path)?;
            match &mut self.mail {
                MailSettings::Smtp(smtp) => smtp.password = Some(password),
                MailSettings::Folder { .. } => {
                    return Err(ConfigError::Invalid(
                        "secret_files.smtp_password is set but [mail] is not SMTP".into(),
                    ))
                }
            }
        }
        Ok(())
    }

    /// Refuses combinations that would silently weaken the endpoint.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.metrics.address()?;
        self.attachments.check().map_err(ConfigError::Invalid)?;
        let app = &self.application;
        if let Some(prefix) = &app.prefix {
            check_prefix(prefix)?;
        }
        if let Some(header) = &app.client_address_header {
            return Err(ConfigError::Invalid(format!(
                "application.client_address_header = \"{header}\" is no longer read: it trusted the first X-Forwarded-For address, which any client can write. Set application.client_address = \"x-real-ip\" (nginx: proxy_set_header X-Real-IP $remote_addr), \"rightmost-x-forwarded-for\" (the address the nearest proxy appended) or \"peer\" (no proxy)"
            )));
        }
        if self.captcha.kind == CaptchaKind::Off && app.mode == Mode::Production {
            return Err(ConfigError::Invalid(
                "captcha.kind = \"off\" is only allowed with application.mode = \"bench\" or \"dev\""
                    .into(),
            ));
        }
        if self.captcha.kind == CaptchaKind::Hcaptcha
            && (self.captcha.hcaptcha_site_key.is_none() || self.captcha.hcaptcha_secret.is_none())
        {
            return Err(ConfigError::Invalid(
                "captcha.kind = \"hcaptcha\" needs captcha.hcaptcha_site_key and captcha.hcaptcha_secret (or hcaptcha_secret_file)".into(),
            ));
        }
        if self.seal.is_none() && app.mode == Mode::Production {
            return Err(ConfigError::Invalid(
                "no [seal] recipients are configured: production needs the unit's certificates (the DEMO key is for dev and bench only)".into(),
            ));
        }
        if self.outbox.backend == OutboxBackend::Postgres && self.outbox.postgres_url.is_none() {
            return Err(ConfigError::Invalid(
                "outbox.backend = \"postgres\" needs the database URL: set XEBERDAR_REPORT__OUTBOX__POSTGRES_URL or outbox.postgres_url_file".into(),
            ));
        }
        if let Some(secret) = &self.follow_up.secret {
            use secrecy::ExposeSecret;
            if secret.expose_secret().len() < crate::follow_up::MIN_SECRET_LEN {
                return Err(ConfigError::Invalid(format!(
                    "follow_up.secret is shorter than {} characters: make one with `openssl rand -hex 32`",
                    crate::follow_up::MIN_SECRET_LEN
                )));
            }
        }
        if !(1..=3650).contains(&self.follow_up.code_ttl_days) {
            return Err(ConfigError::Invalid(
                "follow_up.code_ttl_days must be between 1 and 3650".into(),
            ));
        }
        if self.captcha.pow_difficulty > 32 {
            return Err(ConfigError::Invalid(
                "captcha.pow_difficulty above 32 bits would take a phone hours".into(),
            ));
        }
        Ok(())
    }
}

/// A route prefix: starts with `/`, does not end with one, is not `/` alone.
pub fn check_prefix(prefix: &str) -> Result<(), ConfigError> {
    if !prefix.starts_with('/') || prefix.ends_with('/') {
        return Err(ConfigError::Invalid(format!(
            "the endpoint's path prefix must start with `/`, not end with one, and not be `/` alone (got `{prefix}`)"
        )));
    }
    Ok(())
}

/// Reads a secret from a file, without its trailing newline.
pub fn read_secret(path: &Path) -> Result<SecretString, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::SecretFile {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(SecretString::from(
        text.trim_end_matches(['\n', '\r']).to_string(),
    ))
}

#[cfg(test)]
// figment's Jail API fixes the closure's error type.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn file_then_environment_and_secrets_stay_hidden() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "report.toml",
                "[application]\nport = 9000\n[captcha]\nkind = \"hcaptcha\"\nhcaptcha_site_key = \"site\"\nhcaptcha_secret = \"from-file-s3cr3t\"\n",
            )?;
            jail.create_file("hmac.key", "k3y-material\n")?;
            jail.set_env("XEBERDAR_REPORT__APPLICATION__PORT", "9100");
            jail.set_env("XEBERDAR_REPORT__CAPTCHA__POW_HMAC_KEY_FILE", "hmac.key");
            let s = Settings::load(Some(Path::new("report.toml")))
                .map_err(|e| figment::Error::from(e.to_string()))?;
            assert_eq!(s.application.port, 9100);
            assert_eq!(s.captcha.kind, CaptchaKind::Hcaptcha);
            assert_eq!(
                s.captcha.pow_hmac_key.as_ref().map(|k| k.expose_secret()),
                Some("k3y-material")
            );
            let printed = format!("{s:?}");
            assert!(!printed.contains("from-file-s3cr3t"), "{printed}");
            assert!(!printed.contains("k3y-material"), "{printed}");
            Ok(())
        });
    }

    #[test]
    fn the_smtp_password_comes_from_the_environment_and_is_never_printed() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("XEBERDAR_REPORT__MAIL__TRANSPORT", "smtp");
            jail.set_env("XEBERDAR_REPORT__MAIL__HOST", "smtp.example.invalid");
            jail.set_env("XEBERDAR_REPORT__MAIL__PORT", "587");
            jail.set_env("XEBERDAR_REPORT__MAIL__SECURITY", "starttls");
            jail.set_env("XEBERDAR_REPORT__MAIL__USERNAME", "unit");
            jail.set_env("XEBERDAR_REPORT__MAIL__PASSWORD", "smtp-pa55w0rd");
            let s = Settings::load(None).map_err(|e| figment::Error::from(e.to_string()))?;
            match &s.mail {
                MailSettings::Smtp(smtp) => assert_eq!(
                    smtp.password.as_ref().map(|p| p.expose_secret()),
                    Some("smtp-pa55w0rd")
                ),
                other => panic!("expected SMTP settings, got {other:?}"),
            }
            assert!(!format!("{s:?}").contains("smtp-pa55w0rd"));
            Ok(())
        });
    }

    #[test]
    fn the_postgres_backend_needs_a_url_read_from_a_file_and_never_printed() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("XEBERDAR_REPORT__OUTBOX__BACKEND", "postgres");
            let err = Settings::load(None).expect_err("no URL");
            assert!(err.to_string().contains("POSTGRES_URL"), "{err}");
            jail.create_file(
                "pg-url",
                "postgresql://report:pg-pa55w0rd@127.0.0.1:5432/xeberdar\n",
            )?;
            jail.set_env("XEBERDAR_REPORT__OUTBOX__POSTGRES_URL_FILE", "pg-url");
            let s = Settings::load(None).map_err(|e| figment::Error::from(e.to_string()))?;
            assert_eq!(s.outbox.backend, OutboxBackend::Postgres);
            assert_eq!(
                s.outbox.postgres_url.as_ref().map(|u| u.expose_secret()),
                Some("postgresql://report:pg-pa55w0rd@127.0.0.1:5432/xeberdar")
            );
            assert!(!format!("{s:?}").contains("pg-pa55w0rd"));
            jail.set_env("XEBERDAR_REPORT__OUTBOX__BACKEND", "mysql");
            let err = Settings::load(None).expect_err("unknown backend");
            let message = err.to_string();
            assert!(
                message.to_lowercase().contains("outbox.backend") && message.contains("mysql"),
                "{message}"
            );
            Ok(())
        });
    }

    #[test]
    fn the_example_configuration_is_valid_and_reads_the_password_file() {
        figment::Jail::expect_with(|jail| {
            let example = include_str!("../config.example.toml");
            jail.create_file("report.toml", example)?;
            jail.create_dir("secrets")?;
            jail.create_file("secrets/smtp-password", "from-a-file\n")?;
            jail.create_file("secrets/pow-hmac-key", "0123456789abcdef0123456789abcdef\n")?;
            jail.set_env(
                "XEBERDAR_REPORT__SECRET_FILES__SMTP_PASSWORD",
                "secrets/smtp-password",
            );
            jail.set_env(
                "XEBERDAR_REPORT__CAPTCHA__POW_HMAC_KEY_FILE",
                "secrets/pow-hmac-key",
            );
            jail.create_file(
                "secrets/follow-up-secret",
                "f0110w-up-5ecret-0123456789abcdef0123\n",
            )?;
            jail.set_env(
                "XEBERDAR_REPORT__FOLLOW_UP__SECRET_FILE",
                "secrets/follow-up-secret",
            );
            let s = Settings::load(Some(Path::new("report.toml")))
                .map_err(|e| figment::Error::from(e.to_string()))?;
            assert_eq!(s.application.mode, Mode::Production);
            assert_eq!(
                s.follow_up.secret.as_ref().map(|k| k.expose_secret()),
                Some("f0110w-up-5ecret-0123456789abcdef0123")
            );
            assert_eq!(s.follow_up.code_ttl_days, 90);
            assert_eq!(s.rate_limit.follow_ups_per_hour, 10);
            assert!(!format!("{s:?}").contains("f0110w-up-5ecret"));
            match &s.mail {
                MailSettings::Smtp(smtp) => assert_eq!(
                    smtp.password.as_ref().map(|p| p.expose_secret()),
                    Some("from-a-file")
                ),
                other => panic!("expected SMTP, got {other:?}"),
            }
            assert!(!format!("{s:?}").contains("from-a-file"));
            Ok(())
        });
    }

    #[test]
    fn metrics_on_a_public_address_need_a_token_file() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("public.toml", "[metrics]\nlisten = \"0.0.0.0:9152\"\n")?;
            let err = Settings::load(Some(Path::new("public.toml"))).unwrap_err();
            assert!(err.to_string().contains("not a loopback address"), "{err}");
            jail.create_file("token", "t0ken\n")?;
            jail.create_file(
                "token.toml",
                "[metrics]\nlisten = \"0.0.0.0:9152\"\nbearer_token_file = \"token\"\n",
            )?;
            let s = Settings::load(Some(Path::new("token.toml")))
                .map_err(|e| figment::Error::from(e.to_string()))?;
            assert_eq!(
                s.metrics.bearer_token.as_ref().map(|t| t.expose_secret()),
                Some("t0ken")
            );
            assert!(!format!("{s:?}").contains("t0ken"));
            jail.create_file("bad.toml", "[metrics]\nlisten = \"localhost\"\n")?;
            let err = Settings::load(Some(Path::new("bad.toml"))).unwrap_err();
            assert!(err.to_string().contains("metrics.listen"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn captcha_off_is_refused_in_production() {
        let mut s = Settings::default();
        s.captcha.kind = CaptchaKind::Off;
        s.application.mode = Mode::Production;
        assert!(s.validate().is_err());
        s.application.mode = Mode::Bench;
        assert!(s.validate().is_ok());
    }

    #[test]
    fn the_old_leftmost_header_setting_is_refused_with_its_replacement_named() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "old.toml",
                "[application]\nclient_address_header = \"x-forwarded-for\"\n",
            )?;
            let err = Settings::load(Some(Path::new("old.toml"))).unwrap_err();
            let message = err.to_string();
            assert!(
                message.contains("client_address = \"x-real-ip\""),
                "{message}"
            );
            assert!(message.contains("rightmost-x-forwarded-for"), "{message}");
            jail.create_file(
                "new.toml",
                "[application]\nclient_address = \"rightmost-x-forwarded-for\"\n",
            )?;
            let s = Settings::load(Some(Path::new("new.toml")))
                .map_err(|e| figment::Error::from(e.to_string()))?;
            assert_eq!(
                s.application.client_address,
                ClientAddressSource::RightmostXForwardedFor
            );
            Ok(())
        });
    }

    #[test]
    fn unknown_keys_are_named() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("bad.toml", "[application]\nprot = 1\n")?;
            let err = Settings::load(Some(Path::new("bad.toml"))).unwrap_err();
            assert!(err.to_string().contains("prot"), "{err}");
            Ok(())
        });
    }
}
