//! The Xəbərdar static site generator.

pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod editor_strings;
pub mod init;
pub mod lint;
pub mod markdown;
pub mod media;
pub mod message;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod templates;
pub mod translations;
