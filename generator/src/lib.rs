//! The Xəbərdar static site generator.

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod markdown;
pub mod media;
pub mod lint;
pub mod templates;
pub mod translations;
