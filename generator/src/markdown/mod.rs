//! Markdown → HTML for pages and sections, Zola-compatible.
//!
//! Public API:
//! - [`render_markdown`]`(&RenderInput, &RenderContext) -> Rendered`: one body to HTML with
//!   heading ids ([`slug::slugify`]: Azerbaijani/Cyrillic letters kept, unique per page,
//!   `{#id}` honoured), a table of contents ([`Heading`], Zola's shape), the `<!-- more -->`
//!   summary, `@/` links resolved per language, external links listed, shortcodes rendered
//!   through a [`ShortcodeRenderer`], and every problem as a diagnostic with the file's
//!   line:col.
//! - [`render_summary`]: only the summary of one body, as [`render_markdown`] makes it.
//! - [`check_anchors`]: phase 2 of link checking, once the targets' anchors are known.
//! - [`resolve_internal_link`] (also for `get_url(path="@/…")`).
//!
//! Most callers use `content::Library::render_all` / `render_keys`, which call these for
//! every page in parallel and then check anchors.
//!
//! Escaping: text is escaped once, by pulldown-cmark; raw HTML passes through (editors may
//! use it); shortcode output is inserted verbatim.

pub mod links;
mod packed_text;
mod render;
pub mod shortcodes;
pub mod slug;

pub use links::{
    check_anchors, resolve_internal_link, ExternalLink, InternalLink, LinkTargets, ResolvedLink,
};
pub use render::{
    options, render_markdown, render_summary, Heading, RenderContext, RenderInput, Rendered,
    CONTINUE_READING, MORE_MARKER,
};
pub use shortcodes::{NoShortcodes, ShortcodeCall, ShortcodeRenderer};
