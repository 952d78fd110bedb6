//! Azerbaijani: a suffix-stripping stemmer of our own (no Snowball or other stemmer
//! exists for it that could run in the browser too).
//!
//! Azerbaijani is agglutinative: a noun takes a plural, then a possessive, then a case
//! (`miqrant-lar-ın`, `pasport-unuz-u`). The stemmer takes endings off the end again and
//! again until none fits. Three checks keep it from eating the word itself:
//!
//! - **vowel harmony**: a suffix's vowel must agree with the last vowel left before it:
//!   `-lar` after a back vowel (a ı o u), `-lər` after a front one (e ə i ö ü); `-ı` after
//!   a/ı, `-i` after e/ə/i, `-u` after o/u, `-ü` after ö/ü. So `viza` keeps its `a` (after
//!   `i` a back `-a` cannot be a suffix) while `vizanı` loses `-nı`;
//! - **buffer letters**: `-nın`, `-sı`, `-ya`, `-nı`, `-mız` … follow a vowel only, and
//!   `-ın`, `-ı`, `-a`, `-ımız` … a consonant only, as the grammar has it;
//! - **length**: at least two letters with a vowel must remain (`iş` of `işə` stays), three
//!   after a suffix that starts with a buffer letter (so `dəniz` is not read as `də-niz`).
//!
//! At the end a final `ğ` becomes `q` (`uşağı` → `uşaq`). Lowercasing is Azerbaijani: `I` is
//! `ı` and `İ` is `i`. Verbs get only the infinitive (`-maq`/`-mək`) taken off: the site's
//! searchers type nouns. Words whose end merely looks like a suffix (`Bakı` → `bak`) are cut
//! the same way in every form, so they still find each other.

use super::stemmer::{Region, Rules, Step, Strip, Suffix};

const VOWELS: &str = "aıoueəiöü";
const AFTER_VOWEL: &str = "aıoueəiöü";
const AFTER_CONSONANT: &str = "!aıoueəiöü";

/// Which vowel may come last before a suffix whose first vowel is `v`.
fn harmony(v: char) -> &'static str {
    match v {
        'a' => "aıou",
        'ə' => "eəiöü",
        'ı' => "aı",
        'i' => "eəi",
        'u' => "ou",
        'ü' => "öü",
        _ => "",
    }
}

/// Where a suffix may attach.
#[derive(Clone, Copy)]
enum Attach {
    Any,
    Vowel,
    Consonant,
}

/// Every harmonic variant of a suffix pattern: `A` stands for a/ə, `I` for ı/i/u/ü, other
/// letters stand for themselves (`lAr` → `lar`, `lər`; `InIz` → `ınız`, `iniz`, `unuz`, `ünüz`).
fn variants(pattern: &str, attach: Attach) -> Vec<Suffix> {
    let choices: &[char] = if pattern.contains('A') {
        &['a', 'ə']
    } else if pattern.contains('I') {
        &['ı', 'i', 'u', 'ü']
    } else {
        &[' ']
    };
    let (before, min_stem) = match attach {
        Attach::Any => ("", 0),
        Attach::Vowel => (AFTER_VOWEL, 3),
        Attach::Consonant => (AFTER_CONSONANT, 0),
    };
    choices
        .iter()
        .map(|&c| {
            let text: String = pattern
                .chars()
                .map(|p| if p == 'A' || p == 'I' { c } else { p })
                .collect();
            let first_vowel = text.chars().find(|ch| VOWELS.contains(*ch)).unwrap_or(' ');
            Suffix {
                text: text.into(),
                before,
                last_vowel: harmony(first_vowel),
                to: "",
                min_stem,
            }
        })
        .collect()
}

/// The suffixes, by grammar: plural; possessive; case; predicative and relative endings.
const PATTERNS: &[(&str, Attach)] = &[
    // plural
    ("lAr", Attach::Any),
    // possessive: my, your, his/her, our, your (plural)
    ("Im", Attach::Consonant),
    ("In", Attach::Consonant),
    ("I", Attach::Consonant),
    ("sI", Attach::Vowel),
    ("ImIz", Attach::Consonant),
    ("mIz", Attach::Vowel),
    ("InIz", Attach::Consonant),
    ("nIz", Attach::Vowel),
    // genitive and accusative after a vowel (after a consonant: `In`, `I` above)
    ("nIn", Attach::Vowel),
    ("nI", Attach::Vowel),
    // dative
    ("A", Attach::Consonant),
    ("yA", Attach::Vowel),
    ("nA", Attach::Vowel),
    // locative, ablative (the `n` forms follow a possessive)
    ("dA", Attach::Any),
    ("ndA", Attach::Vowel),
    ("dAn", Attach::Any),
    ("ndAn", Attach::Vowel),
    // instrumental (`ilə` written on)
    ("lA", Attach::Consonant),
    ("ylA", Attach::Vowel),
    // "is" (predicative)
    ("dIr", Attach::Any),
];

/// Suffixes whose vowels do not follow one pattern letter.
fn irregular() -> Vec<Suffix> {
    let fixed = |text: &'static str, last_vowel: &'static str, before: &'static str, min| Suffix {
        text: text.into(),
        before,
        last_vowel,
        to: "",
        min_stem: min,
    };
    vec![
        // relative "which is in": -dakı/-dəki, after a possessive -ndakı/-ndəki
        fixed("dakı", "aıou", "", 0),
        fixed("dəki", "eəiöü", "", 0),
        fixed("ndakı", "aıou", AFTER_VOWEL, 3),
        fixed("ndəki", "eəiöü", AFTER_VOWEL, 3),
        // infinitive
        fixed("maq", "aıou", "", 0),
        fixed("mək", "eəiöü", "", 0),
    ]
}

pub fn rules() -> Rules {
    let mut suffixes: Vec<Suffix> = PATTERNS.iter().flat_map(|(p, a)| variants(p, *a)).collect();
    suffixes.extend(irregular());
    Rules {
        fold: vec![("I", "ı"), ("İ", "i"), ("ё", "е")],
        vowels: VOWELS,
        min: 2,
        rv: false,
        fallback: true,
        steps: vec![Step {
            repeat: true,
            alts: vec![vec![Strip {
                optional: false,
                region: Region::Base,
                suffixes,
            }]],
        }],
        end: vec![("ğ", "q")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(word: &str) -> String {
        let r = rules();
        r.stem(&r.fold(word))
    }

    #[test]
    fn plural_and_case_forms_find_the_noun() {
        for (forms, want) in [
            (
                &[
                    "miqrant",
                    "miqrantlar",
                    "miqrantların",
                    "miqrantlara",
                    "miqrantlardan",
                    "miqrantı",
                    "miqrantın",
                ][..],
                "miqrant",
            ),
            (
                &[
                    "pasport",
                    "pasportu",
                    "pasportunuz",
                    "pasportunuzu",
                    "pasportlar",
                    "pasportda",
                    "pasportunuzun",
                ][..],
                "pasport",
            ),
            (
                &["viza", "vizanı", "vizası", "vizalar", "vizaya", "vizada"][..],
                "viza",
            ),
            (
                &["təklif", "təklifi", "təkliflər", "təklifləri", "təklifə"][..],
                "təklif",
            ),
            (&["iş", "işə", "işi", "işlər", "işdə", "işdən"][..], "iş"),
            (
                &["alver", "alveri", "alverinə", "alverinin", "alverə"][..],
                "alver",
            ),
            (
                &["qurban", "qurbanlar", "qurbanları", "qurbanlarına"][..],
                "qurban",
            ),
            (
                &["xaric", "xaricdə", "xaricə", "xaricdən", "xaricdəki"][..],
                "xaric",
            ),
            (&["polis", "polisə", "polisdən"][..], "polis"),
            (&["uşaq", "uşağı", "uşaqlar", "uşağa"][..], "uşaq"),
        ] {
            for f in forms {
                assert_eq!(stem(f), want, "{f}");
            }
        }
    }

    #[test]
    fn word_ends_that_only_look_like_suffixes_stay() {
        // harmony: `a` after `i` is no suffix; `im` after `o` neither
        assert_eq!(stem("viza"), "viza");
        assert_eq!(stem("anonim"), "anonim");
        // three letters must stay before a buffer-letter suffix
        assert_eq!(stem("dəniz"), "dəniz");
        assert_eq!(stem("dənizdə"), "dəniz");
        // too short to cut
        assert_eq!(stem("və"), "və");
    }

    #[test]
    fn dotted_and_dotless_i_fold_the_azerbaijani_way() {
        let r = rules();
        assert_eq!(r.fold("İŞ"), "iş");
        assert_eq!(r.fold("İnsan"), "insan");
        assert_eq!(r.fold("QADIN"), "qadın");
        assert_eq!(r.fold("IŞIQ"), "ışıq");
        assert_eq!(stem("MİQRANTLARIN"), "miqrant");
        assert_eq!(stem("PASPORTUNUZU"), "pasport");
        // the dotless and dotted i stay different letters
        assert_ne!(r.fold("sIz"), r.fold("siz"));
    }
}
