//! `[seal]`: who receives sealed tips.

use std::path::PathBuf;

use serde::Deserialize;

/// Who receives sealed tips (the `[seal]` section of the endpoint's configuration).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealSettings {
    /// The `From` address of sealed emails; its domain is also the `Message-ID` domain.
    #[serde(default = "default_from")]
    pub from: String,
    /// The unit's duty officers: each gets their own email, encrypted to their certificate.
    pub recipients: Vec<RecipientSettings>,
}

fn default_from() -> String {
    "xeberdar-report@localhost".to_owned()
}

/// One recipient: an email address and the path of their OpenPGP certificate (armoured or
/// binary, public key only).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipientSettings {
    pub email: String,
    pub cert_path: PathBuf,
}
