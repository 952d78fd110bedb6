//! Heading ids and URL slugs that keep the reader's own letters.
//!
//! `İnsan alverinin əlamətləri` becomes `insan-alverinin-əlamətləri`, not a transliteration:
//! Azerbaijani and Russian readers see their words in the address bar and in `#anchors`.
//! Lowercasing follows Azerbaijani (and Turkish) rules for those languages: `I` → `ı`,
//! `İ` → `i`. Rust's `to_lowercase` turns `İ` into `i` + U+0307 (a combining dot), which
//! would leave a stray mark in the id, so `İ` → `i` in every language.

/// How text becomes a URL segment or an anchor: one of Zola's `[slugify]` strategies, or
/// this generator's own, which keeps every script's letters.
pub use xeberdar_site::config::SlugStrategy;

/// Characters no file name on Windows may hold (NTFS), removed by [`SlugStrategy::Safe`].
const UNSAFE_IN_PATHS: &[char] = &['<', '>', ':', '"', '/', '\\', '|', '?', '*'];

/// A URL segment (page slug, taxonomy or term) with `strategy`. Empty when nothing is left;
/// the caller picks a fallback.
pub fn slugify_path(text: &str, lang: &str, strategy: SlugStrategy) -> String {
    match strategy {
        SlugStrategy::Unicode => slugify(text, lang),
        SlugStrategy::On => slug::slugify(text),
        SlugStrategy::Safe => text
            .trim_end_matches([' ', '.'])
            .chars()
            .filter(|c| !UNSAFE_IN_PATHS.contains(c))
            .collect(),
        SlugStrategy::Off => text.to_string(),
    }
}

/// A heading id with `strategy`. Empty when nothing is left; the caller picks a fallback.
pub fn slugify_anchor(text: &str, lang: &str, strategy: SlugStrategy) -> String {
    match strategy {
        SlugStrategy::Unicode => slugify(text, lang),
        SlugStrategy::On => slug::slugify(text),
        SlugStrategy::Safe | SlugStrategy::Off => text
            .chars()
            .map(|c| if c.is_ascii_whitespace() { '_' } else { c })
            .collect(),
    }
}

/// Languages whose `I`/`i` pair is dotless/dotted (`I` ↔ `ı`, `İ` ↔ `i`).
fn has_turkic_casing(lang: &str) -> bool {
    matches!(
        lang.split('-').next().unwrap_or(lang),
        "az" | "tr" | "crh" | "kk" | "tt" | "gag"
    )
}

/// Lowercases one character with the rules of `lang`, pushing the result onto `out`.
fn push_lower(c: char, turkic: bool, out: &mut String) {
    match c {
        'İ' => out.push('i'),
        'I' if turkic => out.push('ı'),
        c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
        c => out.extend(c.to_lowercase()),
    }
}

/// Lowercases text with the language's rules (Azerbaijani `I` → `ı`).
pub fn lowercase(text: &str, lang: &str) -> String {
    let turkic = has_turkic_casing(lang);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_lower(c, turkic, &mut out);
    }
    out
}

/// Slug for ids and URLs: lowercase (language rules), letters and digits kept in any script,
/// every run of other characters collapsed into one `-`, no `-` at either end.
/// Returns an empty string when nothing is left (the caller picks a fallback).
pub fn slugify(text: &str, lang: &str) -> String {
    let turkic = has_turkic_casing(lang);
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            push_lower(c, turkic, &mut out);
        } else if is_combining_mark(c) && !out.is_empty() && !pending_dash {
            // Keep marks that belong to the previous letter (decomposed text), except the
            // dot that `İ` leaves behind.
            if c != '\u{307}' || !out.ends_with('i') {
                out.push(c);
            }
        } else {
            pending_dash = true;
        }
    }
    out
}

fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0483..=0x0489 | 0x1AB0..=0x1AFF | 0x20D0..=0x20FF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azerbaijani() {
        assert_eq!(
            slugify("İnsan alverinin əlamətləri", "az"),
            "insan-alverinin-əlamətləri"
        );
        assert_eq!(slugify("QAYNAR XƏTT 152", "az"), "qaynar-xətt-152");
        assert_eq!(slugify("İŞ TƏKLİFİ", "az"), "iş-təklifi");
        assert_eq!(slugify("Iraq", "az"), "ıraq");
        assert_eq!(slugify("Iraq", "en"), "iraq");
        assert_eq!(slugify("İstanbul", "ru"), "istanbul");
    }

    #[test]
    fn cyrillic_and_punctuation() {
        assert_eq!(
            slugify("Признаки торговли людьми!", "ru"),
            "признаки-торговли-людьми"
        );
        assert_eq!(
            slugify("  «Горячая» линия — 152 ", "ru"),
            "горячая-линия-152"
        );
        assert_eq!(slugify("a_b.c", "en"), "a-b-c");
        assert_eq!(slugify("!!!", "en"), "");
    }

    /// The table of inputs and results Zola's own tests give for `on`, `safe` and `off`
    /// (components/utils/src/slugs.rs), plus Azerbaijani and Russian words.
    #[test]
    fn zola_strategies() {
        use SlugStrategy::*;
        let paths = [
            ("input", ("input", "input", "input")),
            ("test ", ("test", "test", "test ")),
            ("tes t", ("tes-t", "tes t", "tes t")),
            ("dot. ", ("dot", "dot", "dot. ")),
            ("日本", ("ri-ben", "日本", "日本")),
            ("héhé", ("hehe", "héhé", "héhé")),
            ("test (hey)", ("test-hey", "test (hey)", "test (hey)")),
            ("a/b:c?", ("a-b-c", "abc", "a/b:c?")),
        ];
        for (input, (on, safe, off)) in paths {
            assert_eq!(slugify_path(input, "en", On), on, "{input:?}");
            assert_eq!(slugify_path(input, "en", Safe), safe, "{input:?}");
            assert_eq!(slugify_path(input, "en", Off), off, "{input:?}");
        }
        let anchors = [
            ("input", ("input", "input", "input")),
            ("test ", ("test", "test_", "test_")),
            ("tes t", ("tes-t", "tes_t", "tes_t")),
            ("dot. ", ("dot", "dot._", "dot._")),
            ("日本", ("ri-ben", "日本", "日本")),
            ("héhé", ("hehe", "héhé", "héhé")),
            ("test (hey)", ("test-hey", "test_(hey)", "test_(hey)")),
        ];
        for (input, (on, safe, off)) in anchors {
            assert_eq!(slugify_anchor(input, "en", On), on, "{input:?}");
            assert_eq!(slugify_anchor(input, "en", Safe), safe, "{input:?}");
            assert_eq!(slugify_anchor(input, "en", Off), off, "{input:?}");
        }
        // What Zola 0.22.1 made of the bench tree's Azerbaijani and Russian tags.
        assert_eq!(slugify_path("kömək", "az", On), "kom-k");
        assert_eq!(slugify_path("hüquqlar", "az", On), "huquqlar");
        assert_eq!(slugify_path("помощь", "ru", On), "pomoshch");
        assert_eq!(slugify_path("kömək", "az", Unicode), "kömək");
        assert_eq!(slugify_anchor("İş təklifi", "az", Unicode), "iş-təklifi");
    }

    #[test]
    fn lowercase_rules() {
        assert_eq!(lowercase("IŞIQ", "az"), "ışıq");
        assert_eq!(lowercase("İNSAN", "en"), "insan");
    }
}
