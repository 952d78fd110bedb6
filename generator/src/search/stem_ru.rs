//! Russian: the Snowball stemmer (snowballstem.org, `russian.sbl`) written as
//! [`Rules`] data, so the browser runs the very same rules on a query. Tests check it
//! against the `rust-stemmers` crate, the reference Snowball build for Rust, word by word.

use super::stemmer::{after, plain, strip, Region, Rules, Step};

const VOWELS: &str = "аеиоуыэюя";

/// Snowball's Russian algorithm: a perfective gerund, else (an optional reflexive ending
/// and) an adjectival, verb or noun ending, all inside RV; then `и`; a derivational
/// `ост(ь)` in R2; then a superlative `ейш(е)`, a doubled `н` or a final `ь`.
pub fn rules() -> Rules {
    let gerund = || {
        let mut s = after("в вши вшись", "ая");
        s.extend(plain("ив ивши ившись ыв ывши ывшись"));
        strip(false, Region::Base, s)
    };
    let reflexive = |optional| strip(optional, Region::Base, plain("ся сь"));
    let adjective = || {
        strip(
            false,
            Region::Base,
            plain("ее ие ые ое ими ыми ей ий ый ой ем им ым ом его ого ему ому их ых ую юю ая яя ою ею"),
        )
    };
    let participle = || {
        let mut s = after("ем нн вш ющ щ", "ая");
        s.extend(plain("ивш ывш ующ"));
        strip(true, Region::Base, s)
    };
    let verb = || {
        let mut s = after("ла на ете йте ли й л ем н ло но ет ют ны ть ешь нно", "ая");
        s.extend(plain(
            "ила ыла ена ейте уйте ите или ыли ей уй ил ыл им ым ен ило ыло ено ят ует уют ит ыт ены ить ыть ишь ую ю",
        ));
        strip(false, Region::Base, s)
    };
    let noun = || {
        strip(
            false,
            Region::Base,
            plain("а ев ов ие ье е иями ями ами еи ии и ией ей ой ий й иям ям ием ем ам ом о у ах иях ях ы ь ию ью ю ия ья я"),
        )
    };
    let undouble = |optional| strip(optional, Region::Base, after("н", "н"));
    Rules {
        fold: vec![("ё", "е"), ("Ё", "е")],
        vowels: VOWELS,
        min: 0,
        rv: true,
        fallback: false,
        steps: vec![
            Step {
                repeat: false,
                alts: vec![
                    vec![gerund()],
                    vec![reflexive(true), adjective(), participle()],
                    vec![reflexive(true), verb()],
                    vec![reflexive(true), noun()],
                    vec![reflexive(false)],
                ],
            },
            Step {
                repeat: false,
                alts: vec![vec![strip(false, Region::Base, plain("и"))]],
            },
            Step {
                repeat: false,
                alts: vec![vec![strip(false, Region::R2, plain("ост ость"))]],
            },
            Step {
                repeat: false,
                alts: vec![
                    vec![
                        strip(false, Region::Base, plain("ейш ейше")),
                        undouble(true),
                    ],
                    vec![undouble(false)],
                    vec![strip(false, Region::Base, plain("ь"))],
                ],
            },
        ],
        end: Vec::new(),
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
    fn word_forms_meet_at_one_stem() {
        for (forms, want) in [
            (
                &[
                    "мигрант",
                    "мигранты",
                    "мигрантов",
                    "мигрантам",
                    "мигрантами",
                ][..],
                "мигрант",
            ),
            (&["виза", "визы", "визу", "визой", "визе"][..], "виз"),
            (
                &["паспорт", "паспорта", "паспортом", "паспортов"][..],
                "паспорт",
            ),
            (&["работа", "работы", "работу", "работе"][..], "работ"),
            (&["торговля", "торговли", "торговлей"][..], "торговл"),
        ] {
            for f in forms {
                assert_eq!(stem(f), want, "{f}");
            }
        }
    }

    #[test]
    fn yo_folds_to_ye_and_capitals_fold() {
        assert_eq!(rules().fold("Ёлка ЕЛКА ёлка"), "елка елка елка");
        assert_eq!(stem("ОСВЕДОМЛЁН"), stem("осведомлен"));
        assert_eq!(stem("Мигрантов"), "мигрант");
    }

    /// Every word of the site's Russian pages and a list of hard cases stem exactly as the
    /// reference Snowball implementation does.
    #[test]
    fn agrees_with_the_reference_snowball_stemmer() {
        let reference = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Russian);
        let r = rules();
        let mut words: Vec<String> = "прочитавши прочитав прочитавшись играя бывшие бывших \
            красивейший красивейшая длинный длинная умнейшие организованный \
            сбежавшийся сбежавшимися взорвавшимися возможность возможностей \
            ответственность здоровье здоровьем кошка кошек пожалуйста позвоните звоните \
            сообщите обращайтесь работающие работающих торгующих торговцы \
            жертвы жертвам жертвами похищенный похищенных принуждение принуждению \
            безопасность безопасности бесплатно круглосуточно анонимно телефон \
            насилие насилием вербовщик вербовщиков обман обманом документы документов"
            .split_whitespace()
            .map(String::from)
            .collect();
        let content = crate::search::tests_support::site_words("ru");
        assert!(
            content.len() > 500,
            "only {} Russian words found in content/",
            content.len()
        );
        words.extend(content);
        let mut differ = Vec::new();
        for w in &words {
            let folded = r.fold(w);
            let ours = r.stem(&folded);
            let theirs = reference.stem(&folded).into_owned();
            if ours != theirs {
                differ.push(format!("{w}: ours {ours}, Snowball {theirs}"));
            }
        }
        assert!(
            differ.is_empty(),
            "{} of {} differ:\n{}",
            differ.len(),
            words.len(),
            differ.join("\n")
        );
    }
}
