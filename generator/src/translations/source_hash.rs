//! The fingerprint of a default-language page that a translation records as
//! `source_hash = "<hex>"` in its front matter.
//!
//! Only what a translator translates goes in: the title, the description and the body.
//! Changing the date, the weight or a taxonomy does not make every translation stale, and
//! neither do invisible edits (Windows line endings, trailing spaces, blank lines at the end).

use sha2::{Digest, Sha256};

use super::content_files::ContentFile;

/// How many hex digits a recorded hash has: 48 bits, plenty to notice an edit, short
/// enough to read in a front matter.
pub const SOURCE_HASH_LEN: usize = 12;

/// The hash a translation of `source` should record.
pub fn source_hash(source: &ContentFile) -> String {
    hash_parts(
        source.title().unwrap_or(""),
        source.description().unwrap_or(""),
        source.body(),
    )
}

/// Hashes normalised title, description and body.
pub fn hash_parts(title: &str, description: &str, body: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [title.trim(), description.trim()] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    hasher.update(normalise_body(body).as_bytes());
    let digest = hasher.finalize();
    let mut hex = String::with_capacity(SOURCE_HASH_LEN);
    for byte in digest.iter().take(SOURCE_HASH_LEN / 2) {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

/// `\r\n` → `\n`, trailing whitespace dropped from every line, blank lines at the start and
/// end dropped.
fn normalise_body(body: &str) -> String {
    let lines: Vec<&str> = body.lines().map(str::trim_end).collect();
    let start = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(start, |i| i + 1);
    lines[start..end].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_edits_keep_the_hash() {
        let a = hash_parts("Title", "Desc", "Line one\nLine two\n");
        let b = hash_parts(" Title ", "Desc", "\r\nLine one  \r\nLine two\r\n\r\n");
        assert_eq!(a, b);
        assert_eq!(a.len(), SOURCE_HASH_LEN);
    }

    #[test]
    fn real_edits_change_the_hash() {
        let a = hash_parts("Title", "Desc", "Line one");
        assert_ne!(a, hash_parts("Title!", "Desc", "Line one"));
        assert_ne!(a, hash_parts("Title", "Desc.", "Line one"));
        assert_ne!(a, hash_parts("Title", "Desc", "Line 1"));
        // Title and description cannot trade text and keep the hash.
        assert_ne!(hash_parts("ab", "", ""), hash_parts("a", "b", ""));
    }
}
