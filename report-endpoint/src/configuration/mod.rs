//! Settings: embedded defaults that run on a fresh machine, a TOML file, then environment
//! overrides `XEBERDAR_REPORT__<SECTION>__<KEY>` (for example
//! `XEBERDAR_REPORT__CAPTCHA__KIND=hcaptcha`), applied in that order.
//!
//! Secrets (the proof-of-work HMAC key, the hCaptcha secret, the mail side's SMTP password)
//! are [`SecretString`]s: read from the environment or from a file named by a `*_file`
//! setting (for container secrets), printed as `[REDACTED]` by `Debug`, never logged.
//!
//! Every section's settings live here, one file each, beside the loading and the checks
//! that span sections: the modules they configure read them and nothing here reads those
//! modules.

mod application;
mod attachments;
mod captcha;
mod delivery;
mod follow_up;
mod mail;
mod metrics;
mod outbox;
mod rate_limit;
mod seal;

pub use application::{ApplicationSettings, ClientAddressSource, Mode};
pub use attachments::AttachmentSettings;
pub use captcha::{CaptchaKind, CaptchaSettings};
pub use delivery::DeliverySettings;
pub use follow_up::{FollowUpSettings, MIN_SECRET_LEN};
pub use mail::{MailSettings, SmtpSecurity, SmtpSettings};
pub use metrics::MetricsSettings;
pub use outbox::{OutboxBackend, OutboxSettings};
pub use rate_limit::RateLimitSettings;
pub use seal::{RecipientSettings, SealSettings};

use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Toml};
use figment::Figment;
use secrecy::SecretString;
use serde::Deserialize;

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
            if secret.expose_secret().len() < MIN_SECRET_LEN {
                return Err(ConfigError::Invalid(format!(
                    "follow_up.secret is shorter than {} characters: make one with `openssl rand -hex 32`",
                    MIN_SECRET_LEN
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
            let example = include_str!("../../config.example.toml");
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
