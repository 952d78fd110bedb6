//! Translation status for editors: which pages exist in which language, and which
//! translations are stale.
//!
//! How staleness is recorded: a translation carries `source_hash = "<12 hex digits>"` in its
//! front matter, a short SHA-256 of what a translator translates in the default-language page
//! (title, description, body; see [`source_hash`]). `xeberdar translations mark <file>`
//! writes the current hash after the translator has brought the text up to date; when the
//! default-language page changes later, the recorded hash no longer matches and the
//! translation shows as stale. A hash needs no history, no database and survives renames of
//! other files, and the marker lives in the file the translator edits.

pub mod content_files;
pub mod mark;
pub mod source_hash;
pub mod status;

pub use content_files::{ContentFile, ContentFilesError, SiteLanguages};
pub use mark::{mark_translations, MarkError, Marked};
pub use source_hash::source_hash;
pub use status::{TranslationReport, TranslationState};
