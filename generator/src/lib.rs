//! The Xəbərdar static site generator.

pub mod media;
pub mod templates;
