use std::fmt;

use rand::RngCore;
use zeroize::Zeroizing;

/// Crockford's base32 digits: no I, L, O or U, so nothing a tipster writes down by hand
/// reads as two different characters. 32 symbols, 5 bits each.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Symbols in a code: 28 × 5 = 140 bits, beyond any guessing even without a rate limit.
pub const LENGTH: usize = 28;

/// Symbols between two hyphens when the code is shown.
const GROUP: usize = 4;

/// Longest input read as a code; anything longer is not one (and is not worth reading).
const MAX_INPUT: usize = 120;

/// The tipster's private key to their report: with it they can add to the report later.
/// It is made once, shown once on the receipt, and never stored: the server keeps only a
/// keyed hash of it ([`super::FollowUpSecret::lookup_key`]). The text is wiped from
/// memory when the value is dropped, and `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct FollowUpCode(Zeroizing<String>);

impl FollowUpCode {
    /// A new code from the operating system's random source.
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new([0u8; LENGTH]);
        rand::rngs::OsRng.fill_bytes(bytes.as_mut());
        // 256 is a multiple of 32: the low five bits of a random byte are uniform.
        let code: String = bytes
            .iter()
            .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
            .collect();
        Self(Zeroizing::new(code))
    }

    /// Reads a code as a person may type it: any case, with or without the hyphens, with
    /// spaces, `O` for zero and `I`/`L` for one (Crockford's reading), and the Cyrillic
    /// letters that look like Latin ones, typed on a Russian or Azerbaijani keyboard
    /// layout. `None` when it is not 28 symbols of the alphabet.
    pub fn parse(input: &str) -> Option<Self> {
        if input.len() > MAX_INPUT {
            return None;
        }
        let mut code = Zeroizing::new(String::with_capacity(LENGTH));
        for c in input.chars() {
            if c.is_whitespace() || matches!(c, '-' | '‐' | '‑' | '–' | '—') {
                continue;
            }
            let symbol = normalize(c)?;
            if code.len() == LENGTH {
                return None;
            }
            code.push(symbol);
        }
        (code.len() == LENGTH).then_some(Self(code))
    }

    /// The 28 symbols without separators: what the keyed hash is taken of.
    pub fn canonical(&self) -> &str {
        &self.0
    }

    /// The groups of four, as shown to the tipster (`7K2M-…`, seven groups).
    pub fn groups(&self) -> Vec<&str> {
        self.0
            .as_bytes()
            .chunks(GROUP)
            .filter_map(|g| std::str::from_utf8(g).ok())
            .collect()
    }
}

/// One typed character as a symbol of the alphabet, if it stands for one.
fn normalize(c: char) -> Option<char> {
    let latin = match c {
        'O' | 'o' | 'О' | 'о' => '0',
        'I' | 'i' | 'L' | 'l' | 'İ' | 'ı' => '1',
        'А' | 'а' => 'A',
        'В' | 'в' => 'B',
        'С' | 'с' => 'C',
        'Е' | 'е' => 'E',
        'Н' | 'н' => 'H',
        'К' | 'к' => 'K',
        'М' | 'м' => 'M',
        'Р' | 'р' => 'P',
        'Т' | 'т' => 'T',
        'Х' | 'х' => 'X',
        'З' | 'з' => '3',
        c if c.is_ascii_alphanumeric() => c.to_ascii_uppercase(),
        _ => return None,
    };
    ALPHABET.contains(&(latin as u8)).then_some(latin)
}

impl fmt::Debug for FollowUpCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FollowUpCode(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_28_symbols_of_the_alphabet_and_differ() {
        let a = FollowUpCode::generate();
        assert_eq!(a.canonical().len(), LENGTH);
        assert!(a.canonical().bytes().all(|b| ALPHABET.contains(&b)));
        assert_eq!(a.groups().len(), 7);
        assert!(a.groups().iter().all(|g| g.len() == 4));
        assert_ne!(a, FollowUpCode::generate());
        assert_eq!(format!("{a:?}"), "FollowUpCode(..)");
    }

    #[test]
    fn every_symbol_turns_up() {
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..50 {
            seen.extend(FollowUpCode::generate().canonical().bytes());
        }
        assert_eq!(seen.len(), 32);
    }

    #[test]
    fn typed_forms_read_back_as_the_same_code() {
        let code = FollowUpCode::generate();
        let shown = code.groups().join("-");
        assert_eq!(FollowUpCode::parse(&shown), Some(code.clone()));
        assert_eq!(
            FollowUpCode::parse(&format!("  {}  ", shown.to_lowercase())),
            Some(code.clone())
        );
        assert_eq!(FollowUpCode::parse(&code.groups().join(" ")), Some(code));
        let typed = "0000-1111-AAAA-BBBB-CCCC-EEEE-HKMP";
        let expected = FollowUpCode::parse(typed).expect("a code");
        for variant in [
            "oOoo-IiLl-aaaa-bbbb-cccc-eeee-hkmp",
            "ОООО-1111-АААА-ВВВВ-СССС-ЕЕЕЕ-НКМР",
            "0000 İıLl AAAA BBBB CCCC EEEE HKMP",
        ] {
            assert_eq!(
                FollowUpCode::parse(variant).as_ref(),
                Some(&expected),
                "{variant}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn any_input_is_read_without_panic_and_only_as_a_well_formed_code(input in "\\PC{0,200}") {
            if let Some(code) = FollowUpCode::parse(&input) {
                proptest::prop_assert_eq!(code.canonical().len(), LENGTH);
                proptest::prop_assert!(code.canonical().bytes().all(|b| ALPHABET.contains(&b)));
                proptest::prop_assert_eq!(FollowUpCode::parse(code.canonical()), Some(code.clone()));
            }
        }

        #[test]
        fn a_code_written_with_any_separators_and_case_reads_back(
            separators in proptest::collection::vec(proptest::sample::select(vec!["", "-", " ", "  ", "\u{2011}"]), 28),
            lower in proptest::collection::vec(proptest::bool::ANY, 28),
        ) {
            let code = FollowUpCode::generate();
            let mut typed = String::new();
            for (i, c) in code.canonical().chars().enumerate() {
                typed.push_str(separators[i]);
                typed.push(if lower[i] { c.to_ascii_lowercase() } else { c });
            }
            proptest::prop_assert_eq!(FollowUpCode::parse(&typed), Some(code));
        }
    }

    #[test]
    fn anything_else_is_not_a_code() {
        let code = FollowUpCode::generate().canonical().to_string();
        for bad in [
            String::new(),
            code[..27].to_string(),
            format!("{code}0"),
            format!("{}U", &code[..27]),
            format!("{}!", &code[..27]),
            format!("{}ə", &code[..27]),
            "K7AC-3WXT-9HNF".to_string(),
            "0".repeat(10_000),
        ] {
            assert!(FollowUpCode::parse(&bad).is_none(), "{bad:?}");
        }
    }
}
