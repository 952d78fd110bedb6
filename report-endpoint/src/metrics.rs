//! Counters of the web side for `/metrics`: how many tips were accepted or refused and
//! why. Counts only, nothing about anyone.

use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Default)]
pub struct WebMetrics {
    pub accepted: AtomicU64,
    pub rejected_invalid: AtomicU64,
    pub captcha_failed: AtomicU64,
    pub rate_limited: AtomicU64,
    pub unavailable: AtomicU64,
}

impl WebMetrics {
    pub fn inc(&self, counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
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
        ];
        let mut out = String::new();
        for (name, help, value) in rows {
            out.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}\n",
                value.load(Ordering::Relaxed)
            ));
        }
        out
    }
}
