//! `[mail]`: where sealed emails go.

use std::path::PathBuf;

use secrecy::SecretString;
use serde::Deserialize;

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
