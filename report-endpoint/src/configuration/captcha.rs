//! `[captcha]`: the anti-bot check a tip must pass.

use std::path::PathBuf;

use secrecy::SecretString;
use serde::Deserialize;

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
