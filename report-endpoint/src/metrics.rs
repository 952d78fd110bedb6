//! Counters of the web side for `/metrics`: how many tips were accepted or refused and
//! why. Counts only, nothing about anyone.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

#[derive(Debug)]
pub struct WebMetrics {
    pub accepted: AtomicU64,
    pub rejected_invalid: AtomicU64,
    pub captcha_failed: AtomicU64,
    pub rate_limited: AtomicU64,
    pub unavailable: AtomicU64,
    /// `/health` answers of 503 (the outbox could not take tips).
    pub health_unavailable: AtomicU64,
    /// What the last `/health` found; starts true (nothing has failed yet).
    outbox_ready: AtomicBool,
}

impl Default for WebMetrics {
    fn default() -> Self {
        Self {
            accepted: AtomicU64::new(0),
            rejected_invalid: AtomicU64::new(0),
            captcha_failed: AtomicU64::new(0),
            rate_limited: AtomicU64::new(0),
            unavailable: AtomicU64::new(0),
            health_unavailable: AtomicU64::new(0),
            outbox_ready: AtomicBool::new(true),
        }
    }
}

impl WebMetrics {
    pub fn inc(&self, counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Records what `/health` found; returns the previous value, so a change can be logged
    /// once rather than on every check.
    pub fn set_outbox_ready(&self, ready: bool) -> bool {
        self.outbox_ready.swap(ready, Ordering::Relaxed)
    }

    pub fn render_prometheus(&self) -> String {
        let rows = [
            (
                "xeberdar_report_tips_accepted_total",
                "Tips sealed and stored.",
                &self.accepted,
            ),
            (
                "xeberdar_report_tips_invalid_total",
                "Submissions with invalid fields or body.",
                &self.rejected_invalid,
            ),
            (
                "xeberdar_report_captcha_failed_total",
                "Submissions that failed the anti-bot check.",
                &self.captcha_failed,
            ),
            (
                "xeberdar_report_rate_limited_total",
                "Requests refused by a rate limit.",
                &self.rate_limited,
            ),
            (
                "xeberdar_report_unavailable_total",
                "Tips refused because sealing or the outbox failed.",
                &self.unavailable,
            ),
            (
                "xeberdar_report_health_unavailable_total",
                "Health checks answered 503 because the outbox could not take tips.",
                &self.health_unavailable,
            ),
        ];
        let mut out = String::new();
        for (name, help, value) in rows {
            out.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}\n",
                value.load(Ordering::Relaxed)
            ));
        }
        let ready = u8::from(self.outbox_ready.load(Ordering::Relaxed));
        out.push_str(&format!(
            "# HELP xeberdar_report_outbox_ready Whether the last health check found the outbox able to take tips.\n# TYPE xeberdar_report_outbox_ready gauge\nxeberdar_report_outbox_ready {ready}\n"
        ));
        out
    }
}
