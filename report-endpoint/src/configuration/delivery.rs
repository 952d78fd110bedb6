//! `[delivery]`: how the worker sends what waits in the outbox.

use serde::Deserialize;

/// Worker tuning (the `[delivery]` section of the configuration). All fields have defaults.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeliverySettings {
    /// How often to look for due messages when idle (the web layer can also wake the worker).
    pub poll_interval_ms: u64,
    /// How many messages to claim at once.
    pub batch_size: usize,
    /// How long a claim lasts; after a crash, claimed messages are due again after this.
    pub lease_secs: u64,
    /// First retry delay; doubles per failure.
    pub backoff_base_ms: u64,
    /// Longest retry delay.
    pub backoff_max_ms: u64,
    /// A message waiting longer than this raises the alert.
    pub alert_after_secs: u64,
    /// How often to read queue statistics (for the alert and the gauges).
    pub stats_interval_ms: u64,
    /// Emails per recipient per hour; the rest wait in the outbox. `None` = no cap.
    pub hourly_cap_per_recipient: Option<u32>,
    /// Most messages sent at the same time (each over its own SMTP connection). A few are
    /// enough to overlap network and relay waits; relays limit connections per client, so
    /// keep this small.
    pub concurrency: usize,
}

impl Default for DeliverySettings {
    fn default() -> Self {
        Self {
            poll_interval_ms: 2_000,
            batch_size: 32,
            lease_secs: 300,
            backoff_base_ms: 5_000,
            backoff_max_ms: 15 * 60_000,
            alert_after_secs: 30 * 60,
            stats_interval_ms: 10_000,
            hourly_cap_per_recipient: Some(120),
            concurrency: 4,
        }
    }
}
