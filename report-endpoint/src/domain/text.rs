use std::fmt;

/// Why a piece of text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("this field is required")]
    Required,
    #[error("at most {max} characters")]
    TooLong { max: usize },
}

/// Text of at most `MAX` characters (Unicode scalar values, as a visitor counts them),
/// trimmed, with line breaks normalised to `\n` and every other control character removed.
/// Single-line fields (`MULTILINE = false`) turn line breaks and tabs into spaces.
///
/// Control characters are removed rather than refused: a tipster who pasted text from a
/// messenger app should not lose their tip over an invisible character.
#[derive(Clone, PartialEq, Eq)]
pub struct BoundedText<const MAX: usize, const MULTILINE: bool>(String);

impl<const MAX: usize, const MULTILINE: bool> BoundedText<MAX, MULTILINE> {
    /// `None` for empty input (after cleaning); an error when it is too long.
    pub fn parse_optional(input: &str) -> Result<Option<Self>, TextError> {
        let cleaned = clean(input, MULTILINE);
        if cleaned.is_empty() {
            return Ok(None);
        }
        if cleaned.chars().count() > MAX {
            return Err(TextError::TooLong { max: MAX });
        }
        Ok(Some(Self(cleaned)))
    }

    pub fn parse_required(input: &str) -> Result<Self, TextError> {
        Self::parse_optional(input)?.ok_or(TextError::Required)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Never prints the text: tip content must not reach logs through a stray `{:?}`.
impl<const MAX: usize, const MULTILINE: bool> fmt::Debug for BoundedText<MAX, MULTILINE> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BoundedText({} chars)", self.0.chars().count())
    }
}

/// Removes what a form field should never carry and would make the sealed text
/// misleading: C0/C1 controls (keeping newline and tab), bidi overrides that can make text
/// read differently from what it is, and zero-width characters at the edges.
pub fn clean(input: &str, multiline: bool) -> String {
    let normalised = input.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(normalised.len());
    for c in normalised.chars() {
        match c {
            '\n' | '\t' if multiline => out.push(c),
            '\n' | '\t' => out.push(' '),
            c if c.is_control() => {}
            // Bidi embeddings/overrides/isolates: text direction tricks, never needed in
            // a tip in az, ru or en, and a classic way to disguise content.
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' => {}
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    type Short = BoundedText<5, false>;
    type Long = BoundedText<10, true>;

    #[test]
    fn strips_controls_and_normalises_lines() {
        let t = Long::parse_required("  a\r\nb\u{0}\u{7}c\u{202E}\td ").unwrap();
        assert_eq!(t.as_str(), "a\nbc\td");
        let s = Short::parse_required("a\nb").unwrap();
        assert_eq!(s.as_str(), "a b");
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert!(Short::parse_required("əşğüö").is_ok());
        assert_eq!(
            Short::parse_required("əşğüöç"),
            Err(TextError::TooLong { max: 5 })
        );
        assert_eq!(Short::parse_required(" \u{0} "), Err(TextError::Required));
        assert_eq!(Short::parse_optional(""), Ok(None));
    }

    #[test]
    fn debug_hides_the_text() {
        let t = Long::parse_required("secret").unwrap();
        assert!(!format!("{t:?}").contains("secret"));
    }
}
