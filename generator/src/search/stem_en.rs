//! English: a light stemmer (Harman's "S" plural rules, then `-ing` and `-ed`), enough for
//! plurals and verb forms in a site's few pages; the rest is left to prefix matching.
//! Snowball's English stemmer has too many conditions to ship as a small rule table.

use super::stemmer::{plain, strip, Region, Rules, Step, Suffix};

pub fn rules() -> Rules {
    let plural = vec![
        Suffix {
            before: "!ae",
            to: "y",
            ..super::stemmer::sfx("ies")
        },
        Suffix {
            before: "!aeo",
            to: "e",
            ..super::stemmer::sfx("es")
        },
        Suffix {
            before: "!us",
            ..super::stemmer::sfx("s")
        },
    ];
    Rules {
        fold: Vec::new(),
        vowels: "aeiouy",
        min: 3,
        rv: false,
        fallback: false,
        steps: vec![
            Step {
                repeat: false,
                alts: vec![vec![strip(false, Region::Base, plural)]],
            },
            Step {
                repeat: false,
                alts: vec![vec![strip(false, Region::Base, plain("ing ed"))]],
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
    fn plurals_and_verb_forms() {
        for (w, want) in [
            ("passports", "passport"),
            ("passport", "passport"),
            ("visas", "visa"),
            ("migrants", "migrant"),
            ("countries", "country"),
            ("working", "work"),
            ("worked", "work"),
            ("works", "work"),
            ("offers", "offer"),
            ("offered", "offer"),
            ("trafficking", "traffick"),
            ("trafficked", "traffick"),
            ("Glass", "glass"),
            ("status", "status"),
            ("red", "red"),
            ("thing", "thing"),
        ] {
            assert_eq!(stem(w), want, "{w}");
        }
    }
}
