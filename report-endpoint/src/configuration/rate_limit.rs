//! `[rate_limit]`: how often one client may ask.

use serde::Deserialize;

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
