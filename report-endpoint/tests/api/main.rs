//! The endpoint's integration tests, in one binary so they are linked once: each module
//! is one former test file, named by what it tests (`mail_*`, `reliability_*`, `web_*`),
//! beside the support modules they share. Tests run on parallel threads here, so none may
//! change what the whole process shares; the two that do are in `process_wide`.
//!
//! One file's tests: `cargo test -p xeberdar-report --test api web_form::`.

// Tests report a failure by panicking: unwrap, expect and panic are how they assert.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod attachment_support;
mod mail_support;
mod pg_support;
mod web_common;

mod mail_delivery;
mod mail_outbox;
mod mail_outbox_backends;
mod mail_outbox_postgres;
mod mail_seal;
mod reliability_fairness;
mod reliability_faults;
mod reliability_file_limit;
mod reliability_health;
mod reliability_postgres;
mod reliability_tip_properties;
mod web_attachments;
mod web_attachments_memory;
mod web_browser;
mod web_captcha;
mod web_end_to_end;
mod web_follow_up;
mod web_form;
mod web_security;
mod web_shutdown;
mod web_theme;
