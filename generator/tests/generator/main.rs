//! The generator's integration tests, in one binary so they are linked once: each module is
//! one former test file, named by what it tests, beside the `support` they share. Tests run
//! on parallel threads here, so none may change what the whole process shares (the
//! environment, the working directory).
//!
//! One file's tests: `cargo test -p xeberdar --test generator site_build::`.

// Tests report a failure by panicking: unwrap, expect and panic are how they assert.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

mod content_claims;
mod content_library;
mod handouts;
mod markdown_render;
mod search_js_agrees;
mod site_build;
mod site_check;
mod site_incremental;
mod site_search_index;
mod zola_parity;
