//! `[follow_up]`: the secret follow-up codes are derived with, and how long they work.

use std::path::PathBuf;

use secrecy::SecretString;
use serde::Deserialize;

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

/// The shortest secret production accepts (`openssl rand -hex 32` gives 64 characters).
pub const MIN_SECRET_LEN: usize = 32;
