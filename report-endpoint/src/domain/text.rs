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
/// trimmed of white space and zero-width characters ([`EDGE_INVISIBLES`]), with line breaks
/// normalised to `\n` and every other control character removed.
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

/// Invisible characters removed at a field's edges, as white space is: zero width space
/// (U+200B), zero width non-joiner (U+200C), zero width joiner (U+200D), word joiner
/// (U+2060), the byte order mark / zero width no-break space (U+FEFF), and the zero-width
/// direction marks (left-to-right U+200E, right-to-left U+200F, Arabic letter mark U+061C)
/// and Mongolian vowel separator (U+180E). Pasted from a messenger they make a field that
/// looks empty count as filled, or two equal values differ. Inside the text they stay (but
/// U+FEFF, removed everywhere): the joiners shape emoji sequences and Persian or Indic
/// words, a direction mark places punctuation in mixed-direction text, and a word joiner
/// may be meant.
pub const EDGE_INVISIBLES: [char; 9] = [
    '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{200E}', '\u{200F}', '\u{061C}',
    '\u{180E}',
];

/// Removes what a form field should never carry and would make the sealed text
/// misleading: C0/C1 controls (keeping newline and tab), bidi overrides that can make text
/// read differently from what it is, U+FEFF anywhere, and white space and the other
/// [`EDGE_INVISIBLES`] at the edges.
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
    out.trim_matches(|c: char| c.is_whitespace() || EDGE_INVISIBLES.contains(&c))
        .to_string()
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
    fn zero_width_characters_are_stripped_at_the_edges_only() {
        let t = Long::parse_required("\u{200B} \u{2060}a\u{200D}b\u{200C}\u{200B}\n").unwrap();
        assert_eq!(t.as_str(), "a\u{200D}b");
        assert_eq!(
            Short::parse_optional("\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}"),
            Ok(None)
        );
        // Direction marks, as a right-to-left messenger pastes them around a value.
        let t = Long::parse_required("\u{200F}\u{061C}a\u{200E}b\u{180E}\u{200E} ").unwrap();
        assert_eq!(t.as_str(), "a\u{200E}b");
        assert_eq!(
            Short::parse_optional("\u{200E}\u{200F} \u{061C}\u{180E}"),
            Ok(None)
        );
        // A family emoji keeps its joiners.
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}";
        assert_eq!(Short::parse_required(family).unwrap().as_str(), family);
    }

    proptest::proptest! {
        /// Whatever surrounds a text, no cleaned field starts or ends with white space or
        /// an invisible character, and padding a text with them changes nothing.
        #[test]
        fn no_field_starts_or_ends_with_an_invisible_character(
            core in "[\\PC\\x{200B}\\x{200C}\\x{200D}\\x{2060}\\x{FEFF}\\x{200E}\\x{200F}\\x{061C}\\x{180E}\\t\\n]{0,40}",
            before in proptest::collection::vec(proptest::sample::select(PADDING.to_vec()), 0..6),
            after in proptest::collection::vec(proptest::sample::select(PADDING.to_vec()), 0..6),
            multiline: bool,
        ) {
            let padded = format!(
                "{}{core}{}",
                before.iter().collect::<String>(),
                after.iter().collect::<String>()
            );
            let cleaned = clean(&padded, multiline);
            let edge = |c: char| c.is_whitespace() || EDGE_INVISIBLES.contains(&c);
            proptest::prop_assert!(!cleaned.starts_with(edge), "{:?} -> {:?}", padded, cleaned);
            proptest::prop_assert!(!cleaned.ends_with(edge), "{:?} -> {:?}", padded, cleaned);
            proptest::prop_assert_eq!(&cleaned, &clean(&core, multiline));
            proptest::prop_assert_eq!(clean(&cleaned, multiline), cleaned.clone(), "idempotent");
        }
    }

    /// What a field can be padded with: white space, line breaks and the invisibles.
    const PADDING: [char; 13] = [
        ' ', '\t', '\n', '\r', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}',
        '\u{200E}', '\u{200F}', '\u{061C}', '\u{180E}',
    ];

    #[test]
    fn debug_hides_the_text() {
        let t = Long::parse_required("secret").unwrap();
        assert!(!format!("{t:?}").contains("secret"));
    }
}
