//! `[application]`: where the endpoint listens, under which path, for which site, and what
//! one request may hold.

use std::path::PathBuf;

use serde::Deserialize;

/// Where the endpoint runs and what it may accept.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ApplicationSettings {
    pub host: String,
    pub port: u16,
    /// Path prefix of every route; unset: `/report`. [`Settings::local`](super::Settings::local) (what
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
