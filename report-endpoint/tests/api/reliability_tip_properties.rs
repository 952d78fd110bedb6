//! Property tests for the `Tip` invariants: whatever a visitor (or a bot) sends, parsing
//! never panics, and a `Tip` that comes out holds only valid values, so the sealing code
//! never has to re-check.
//!
//! The strategies mix the characters that break naive code: CR/LF and other C0/C1 controls,
//! bidi overrides, zero-width and combining marks, HTML, Azerbaijani and Cyrillic letters,
//! and lengths on both sides of every field's limit.

use proptest::prelude::*;
use xeberdar_report::domain::{
    FieldError, Lang, Languages, PassedCheck, RawTipForm, ReferenceCode, Tip, TipKind, FIELD_NAMES,
};

fn languages() -> Languages {
    let lang = |code| Lang::new(code).unwrap();
    Languages::new(lang("az"), ["az", "ru", "en"].map(lang))
}

/// Characters chosen to hit every branch of the text cleaning.
fn nasty_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::char::range('a', 'z'),
        2 => prop::sample::select(vec!['ə', 'ş', 'ğ', 'ç', 'ö', 'ü', 'ı', 'İ', 'Ж', 'я', 'ё']),
        2 => prop::sample::select(vec!['\r', '\n', '\t', ' ', '\u{0}', '\u{7}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}']),
        1 => prop::sample::select(vec!['\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{feff}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{0301}']),
        1 => prop::sample::select(vec!['<', '>', '&', '"', '\'', '/', ':', '=', '%', '+']),
        1 => any::<char>(),
    ]
}

fn nasty_string(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(nasty_char(), 0..max).prop_map(|v| v.into_iter().collect())
}

/// A string around a length limit: short, just under, at, or just over.
fn around_limit(limit: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        3 => nasty_string(40),
        1 => (limit.saturating_sub(2)..=limit + 2).prop_map(|n| "ə".repeat(n)),
        1 => (limit.saturating_sub(2)..=limit + 2, nasty_string(6))
            .prop_map(|(n, tail)| format!("{}{}", "x".repeat(n), tail)),
    ]
}

fn kind_value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(TipKind::ALL.to_vec()).prop_map(|k| k.as_str().to_string()),
        1 => Just(String::new()),
        1 => nasty_string(30),
    ]
}

fn lang_value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec!["az", "ru", "en", "RU-ru", "en_GB"]).prop_map(String::from),
        1 => nasty_string(10),
    ]
}

prop_compose! {
    fn raw_form()(
        lang in lang_value(),
        kind in kind_value(),
        country in around_limit(200),
        city in around_limit(200),
        place in around_limit(200),
        when in around_limit(200),
        description in prop_oneof![
            4 => nasty_string(300),
            1 => (9_998usize..=10_002).prop_map(|n| "ş".repeat(n)),
            1 => Just(" \r\n\t\u{0} ".to_string()),
        ],
        involved in around_limit(2_000),
        contact in around_limit(500),
    ) -> RawTipForm {
        RawTipForm {
            lang, kind, country, city, place, when, description, involved, contact,
            ..Default::default()
        }
    }
}

/// What may appear in a single-line field once parsed.
fn single_line_ok(s: &str) -> bool {
    !s.chars().any(|c| c.is_control() || is_bidi_control(c))
}

/// Multi-line fields keep `\n` and `\t` but nothing else from the control ranges.
fn multi_line_ok(s: &str) -> bool {
    !s.chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c))
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

fn trimmed(s: &str) -> bool {
    let edge = |c: char| c.is_whitespace() || ZERO_WIDTH.contains(&c);
    !s.is_empty() && !s.starts_with(edge) && !s.ends_with(edge)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    /// Parsing never panics, and it either yields a Tip or at least one named field error.
    #[test]
    fn parse_is_total(raw in raw_form()) {
        match Tip::parse(&raw, &languages()) {
            Ok(_) => {}
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for name in errors.keys() {
                    prop_assert!(FIELD_NAMES.contains(name), "error for unknown field {name}");
                }
            }
        }
    }

    /// Every field of a parsed Tip is within its limit, clean, trimmed and non-empty.
    #[test]
    fn a_tip_holds_only_valid_values(raw in raw_form()) {
        let Ok(tip) = Tip::parse(&raw, &languages()) else { return Ok(()); };
        prop_assert!(["az", "ru", "en"].contains(&tip.lang.as_str()));
        let d = tip.description.as_str();
        prop_assert!(trimmed(d));
        prop_assert!(d.chars().count() <= 10_000);
        prop_assert!(multi_line_ok(d));
        prop_assert!(!d.contains('\r'));
        for (name, limit, value) in [
            ("country", 200, tip.country.as_ref().map(|t| t.as_str())),
            ("city", 200, tip.city.as_ref().map(|t| t.as_str())),
            ("place", 200, tip.place.as_ref().map(|t| t.as_str())),
            ("when", 200, tip.when.as_ref().map(|t| t.as_str())),
            ("contact", 500, tip.contact.as_ref().map(|t| t.as_str())),
        ] {
            if let Some(v) = value {
                prop_assert!(trimmed(v), "{name} not trimmed");
                prop_assert!(v.chars().count() <= limit, "{name} too long");
                prop_assert!(single_line_ok(v), "{name} has a control character: {v:?}");
            }
        }
        if let Some(v) = tip.involved.as_ref().map(|t| t.as_str()) {
            prop_assert!(trimmed(v));
            prop_assert!(v.chars().count() <= 2_000);
            prop_assert!(multi_line_ok(v));
        }
    }

    /// The errors are exactly the ones the rules predict, so a visitor is never refused for
    /// a reason the page cannot show, and never accepted past a limit.
    #[test]
    fn errors_match_the_rules(raw in raw_form()) {
        let cleaned_len = |s: &str, multiline: bool| model_clean(s, multiline).chars().count();
        let mut expected = std::collections::BTreeMap::new();
        let kind = raw.kind.trim();
        if !kind.is_empty() && TipKind::parse(kind).is_none() {
            expected.insert("kind", FieldError::UnknownKind);
        }
        for (name, value, limit, multiline) in [
            ("country", &raw.country, 200, false),
            ("city", &raw.city, 200, false),
            ("place", &raw.place, 200, false),
            ("when", &raw.when, 200, false),
            ("involved", &raw.involved, 2_000, true),
            ("contact", &raw.contact, 500, false),
        ] {
            if cleaned_len(value, multiline) > limit {
                expected.insert(name, FieldError::TooLong { max: limit });
            }
        }
        match cleaned_len(&raw.description, true) {
            0 => { expected.insert("description", FieldError::Required); }
            n if n > 10_000 => { expected.insert("description", FieldError::TooLong { max: 10_000 }); }
            _ => {}
        }
        match Tip::parse(&raw, &languages()) {
            Ok(_) => prop_assert!(expected.is_empty(), "accepted despite {expected:?}"),
            Err(errors) => prop_assert_eq!(errors, expected),
        }
    }

    /// Parsing what a Tip holds gives the same Tip: cleaning is idempotent, so the sealed
    /// text is exactly what the unit would get from re-submitting it.
    #[test]
    fn parsing_is_idempotent(raw in raw_form()) {
        let langs = languages();
        let Ok(tip) = Tip::parse(&raw, &langs) else { return Ok(()); };
        let again = RawTipForm {
            lang: tip.lang.as_str().to_string(),
            kind: tip.kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
            country: opt(&tip.country),
            city: opt(&tip.city),
            place: opt(&tip.place),
            when: opt(&tip.when),
            description: tip.description.as_str().to_string(),
            involved: tip.involved.as_ref().map(|t| t.as_str().to_string()).unwrap_or_default(),
            contact: tip.contact.as_ref().map(|t| t.as_str().to_string()).unwrap_or_default(),
            ..Default::default()
        };
        let tip2 = Tip::parse(&again, &langs).expect("a parsed tip re-parses");
        prop_assert_eq!(tip.filled_fields(), tip2.filled_fields());
        prop_assert_eq!(tip.lang, tip2.lang);
    }

    /// The JSON part carries every field verbatim plus the reference and the check passed,
    /// and the readable part lists exactly the filled fields.
    #[test]
    fn json_and_text_carry_every_field(raw in raw_form()) {
        let Ok(tip) = Tip::parse(&raw, &languages()) else { return Ok(()); };
        let code = ReferenceCode::generate();
        let json = tip.to_json(&code, PassedCheck::ProofOfWork);
        let text = serde_json::to_string(&json).expect("serialises");
        let back: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        prop_assert_eq!(&back["reference"], code.as_str());
        prop_assert_eq!(&back["description"], tip.description.as_str());
        prop_assert_eq!(&back["captcha"], "proof_of_work");
        for (name, value) in tip.filled_fields() {
            prop_assert_eq!(back[name].as_str(), Some(value.as_str()), "field {}", name);
        }
        // Debug output (the only way a Tip could reach a log by mistake) never shows text.
        let debug = format!("{tip:?}");
        prop_assert!(!debug.contains(tip.description.as_str()) || tip.description.as_str().len() < 4);
    }
}

/// The cleaning rules as the domain module documents them, written out independently:
/// CR/LF and lone CR become LF; in single-line fields LF and tab become spaces; other
/// control characters, bidi controls and BOMs are removed; the result is trimmed.
fn model_clean(input: &str, multiline: bool) -> String {
    let mut out = String::new();
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        let c = if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            '\n'
        } else {
            c
        };
        match c {
            '\n' | '\t' if multiline => out.push(c),
            '\n' | '\t' => out.push(' '),
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out.trim_matches(|c: char| c.is_whitespace() || ZERO_WIDTH.contains(&c))
        .to_string()
}

/// Invisible characters a field may not start or end with (beside white space).
const ZERO_WIDTH: [char; 5] = ['\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}'];

fn opt<const M: usize, const ML: bool>(
    v: &Option<xeberdar_report::domain::BoundedText<M, ML>>,
) -> String {
    v.as_ref()
        .map(|t| t.as_str().to_string())
        .unwrap_or_default()
}
