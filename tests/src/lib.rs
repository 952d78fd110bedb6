//! Helpers shared by the end-to-end tests in `tests/tests/`: where the built binaries and
//! the test tools (Python with aiosmtpd, Chromium, node modules) are.
//!
//! A missing tool is a test failure with a message that says how to install it, never a
//! silent skip: `scripts/test.sh` installs all of them.

// Tests report a failure by panicking: unwrap, expect and panic are how they assert.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod deploy_stack;
pub mod preview;
pub mod site_gates;
pub mod static_site;

use std::path::{Path, PathBuf};

/// The workspace root (the folder with the top-level `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// Path of a workspace binary built in the debug profile (`scripts/test.sh` builds them
/// before the tests run). Panics with a how-to-fix message when it is missing.
pub fn binary(name: &str) -> PathBuf {
    let path = target_dir().join("debug").join(name);
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --workspace --bins` first (scripts/test.sh does)",
        path.display()
    );
    path
}

fn tool(env_var: &str, fallback: PathBuf, install_hint: &str) -> PathBuf {
    let path = std::env::var_os(env_var)
        .map(PathBuf::from)
        .unwrap_or(fallback);
    assert!(
        path.exists(),
        "{} not found (set {env_var} or {install_hint}; scripts/test.sh installs it)",
        path.display()
    );
    path
}

/// Python from the test virtualenv, which has aiosmtpd.
pub fn python() -> PathBuf {
    tool(
        "XEBERDAR_PYTHON",
        workspace_root().join(".venv/bin/python"),
        "create .venv with tests/requirements.txt",
    )
}

/// Debian's Chromium.
pub fn chromium() -> PathBuf {
    tool(
        "XEBERDAR_CHROMIUM",
        PathBuf::from("/usr/bin/chromium"),
        "apt-get install chromium",
    )
}

/// `node_modules` of `tests/browser` (playwright-core, axe-core).
pub fn node_modules() -> PathBuf {
    tool(
        "XEBERDAR_NODE_MODULES",
        workspace_root().join("tests/browser/node_modules"),
        "run npm ci in tests/browser",
    )
}
