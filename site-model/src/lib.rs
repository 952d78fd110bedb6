//! One model of a site for every program that reads one: the static generator (`xeberdar`)
//! and the tip endpoint (`xeberdar-report`) render pages of the same site, so what a file
//! name means, where front matter ends, which folder a theme's files come from and what a
//! cache-busting hash looks like must be decided in one place, or the two drift apart.
//!
//! The crate is kept light (TOML and serde, which both binaries have anyway; no template
//! engine, no network code) because both binaries and the generator's build without the
//! endpoint depend on it.

pub mod assets;
pub mod config;
pub mod content_name;
pub mod escape;
pub mod front_matter;
pub mod lang;
pub mod percent;
pub mod text;
#[cfg(feature = "urls")]
pub mod urls;

pub use content_name::ContentKey;
pub use lang::Lang;
