//! Facts about media and document files (size, format, page count, duration) computed at
//! build time, so film and training pages never state a figure by hand that can go stale.
//!
//! Owned by the site/theme work; the template engine calls [`register`] once.

use std::path::Path;

/// Registers the media Tera functions (for example `media_info(path=...)`).
/// `site_root` is the folder that holds `config.toml`.
pub fn register(tera: &mut tera::Tera, site_root: &Path) {
    let _ = (tera, site_root);
}
