//! The tests that change what the whole test process shares, kept out of the `api` binary
//! (cargo runs test binaries one after another): `web_logs` installs the global log
//! subscriber, and `reliability_postgres_restart` stops and starts the PostgreSQL server
//! that `api`'s tests use. The support modules are `api`'s.

// Tests report a failure by panicking: unwrap, expect and panic are how they assert.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../api/attachment_support/mod.rs"]
mod attachment_support;
#[path = "../api/mail_support/mod.rs"]
mod mail_support;
#[path = "../api/pg_support/mod.rs"]
mod pg_support;
#[path = "../api/web_common/mod.rs"]
mod web_common;

mod reliability_postgres_restart;
mod web_logs;
