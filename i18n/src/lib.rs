//! Fluent UI strings shared by the generator (`t()` in templates) and the report endpoint
//! (its form and response pages), so both speak with one voice and one set of plural rules.
//!
//! Strings live in `i18n/locales/<lang>/*.ftl`. Every language gets a thread-safe
//! (`concurrent`) bundle because templates render on rayon threads and in axum handlers.

mod error;
mod locales;
mod tera_fn;

pub use error::I18nError;
pub use locales::{Direction, KeyLocation, Locales, MissingKey};
pub use tera_fn::TranslateFn;

/// Re-exported so callers can build arguments without depending on fluent-bundle directly.
pub use fluent_bundle::{FluentArgs, FluentValue};
