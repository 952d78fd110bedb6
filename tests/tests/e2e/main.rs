//! The end-to-end tests, in one binary so they are linked once: each module is one former
//! test file, named by what it tests (`deploy_*`, `editor_*`, `preview_*`, `site_*`),
//! beside the `editor_support` they share. Tests run on parallel threads here, so none may
//! change what the whole process shares (the environment, the working directory).
//!
//! One file's tests: `cargo test -p xeberdar-e2e --test e2e site_visitor::`.

// Tests report a failure by panicking: unwrap, expect and panic are how they assert.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod editor_support;

mod deploy_container;
mod deploy_nginx;
mod deploy_onion;
mod deploy_units;
mod editor_checks;
mod editor_examples;
mod editor_new_page;
mod editor_real_site;
mod editor_serve;
mod editor_translations;
mod preview_drafts;
mod preview_report;
mod site_print_cards;
mod site_quality;
mod site_rtl;
mod site_search;
mod site_visitor;
