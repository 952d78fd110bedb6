//! A small suffix-stripping machine whose rules are data.
//!
//! The build stems every indexed word with it, and the browser must stem a visitor's query
//! the same way, or "miqrantların" typed in the box would miss "miqrant" in the index. So
//! the rules of each language live once, as a [`Rules`] value: Rust runs them here, and the
//! build writes the same value as JSON next to the index for `search.js`, which runs the
//! same few steps. Nothing about a language is coded twice.
//!
//! The machine is the part of Snowball the site needs: regions (Snowball's RV, R1, R2),
//! ordered steps, each a list of alternatives tried in turn, each alternative a sequence of
//! strips. A strip looks for the longest of its suffixes that the word ends with and that
//! starts inside the strip's region, then checks that suffix's conditions (the letter before
//! it, the last vowel left before it, for vowel harmony).
//!
//! The JSON shape (short keys, for bytes on a slow phone):
//! `{ "fold": [[from, to]], "v": vowels, "min": chars, "rv": bool, "fb": bool,
//!    "steps": [{ "rep": bool, "alts": [[{ "o": optional, "r": "r2"|"", "s": [suffix] }]] }],
//!    "end": [[suffix, replacement]] }`,
//! a suffix being `[text, before, last_vowel, replacement, min_stem]`.

use std::borrow::Cow;

use serde::Serialize;

/// One suffix a strip may take off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suffix {
    pub text: Cow<'static, str>,
    /// Letters allowed just before the suffix (`""`: any; a leading `!`: any but these).
    /// The letter must exist and lie inside the region.
    pub before: &'static str,
    /// Vowels allowed as the last vowel of what remains (`""`: no check). Vowel harmony.
    pub last_vowel: &'static str,
    /// What replaces the suffix (usually nothing).
    pub to: &'static str,
    /// Characters that must remain, beyond the language's own minimum (0: the minimum).
    pub min_stem: usize,
}

impl Serialize for Suffix {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (
            &*self.text,
            self.before,
            self.last_vowel,
            self.to,
            self.min_stem,
        )
            .serialize(s)
    }
}

/// Which part of the word a strip may touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Region {
    /// The language's region ([`Rules::rv`]: Snowball's RV, otherwise the whole word).
    #[default]
    #[serde(rename = "")]
    Base,
    /// Snowball's R2.
    #[serde(rename = "r2")]
    R2,
}

/// One pass over the end of the word (a Snowball `among`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Strip {
    /// An optional strip never makes its alternative fail.
    #[serde(rename = "o")]
    pub optional: bool,
    #[serde(rename = "r")]
    pub region: Region,
    #[serde(rename = "s")]
    pub suffixes: Vec<Suffix>,
}

/// Alternatives tried in order; the first whose required strips all match is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Run again while it changes the word (suffixes stacked in agglutinative languages).
    #[serde(rename = "rep")]
    pub repeat: bool,
    pub alts: Vec<Vec<Strip>>,
}

/// The stemming rules of one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rules {
    /// Letters replaced before lowercasing (Azerbaijani `I` → `ı`, `İ` → `i`) and after it
    /// (`ё` → `е`); see [`Rules::fold`].
    pub fold: Vec<(&'static str, &'static str)>,
    #[serde(rename = "v")]
    pub vowels: &'static str,
    /// Shortest stem, in characters, that must keep a vowel (0: no such check).
    pub min: usize,
    /// Strip only inside Snowball's RV (after the first vowel).
    pub rv: bool,
    /// When the longest matching suffix fails its conditions, try the next shorter one
    /// (Snowball's `among` does not; an agglutinative word gains from it).
    #[serde(rename = "fb")]
    pub fallback: bool,
    pub steps: Vec<Step>,
    /// Endings rewritten once at the end (Azerbaijani `uşağ` → `uşaq`).
    pub end: Vec<(&'static str, &'static str)>,
}

/// Shorthand for rule tables: a suffix with no conditions.
pub const fn sfx(text: &'static str) -> Suffix {
    Suffix {
        text: Cow::Borrowed(text),
        before: "",
        last_vowel: "",
        to: "",
        min_stem: 0,
    }
}

/// Shorthand: a list of plain suffixes, one strip.
pub fn strip(optional: bool, region: Region, suffixes: Vec<Suffix>) -> Strip {
    Strip {
        optional,
        region,
        suffixes,
    }
}

/// Plain suffixes from a space-separated list.
pub fn plain(list: &'static str) -> Vec<Suffix> {
    list.split_whitespace().map(sfx).collect()
}

/// Suffixes from a list that all need one of `before` just ahead of them.
pub fn after(list: &'static str, before: &'static str) -> Vec<Suffix> {
    list.split_whitespace()
        .map(|t| Suffix { before, ..sfx(t) })
        .collect()
}

fn in_set(set: &str, c: char) -> bool {
    match set.strip_prefix('!') {
        Some(rest) => !rest.contains(c),
        None => set.contains(c),
    }
}

struct Word<'r> {
    chars: Vec<char>,
    rules: &'r Rules,
    rv: usize,
    r2: usize,
}

impl Word<'_> {
    fn is_vowel(&self, c: char) -> bool {
        self.rules.vowels.contains(c)
    }

    /// Snowball's R1 from `from`: after the first non-vowel that follows a vowel.
    fn r1_from(&self, from: usize) -> usize {
        let c = &self.chars;
        (from..c.len().saturating_sub(1))
            .find(|&i| self.is_vowel(c[i]) && !self.is_vowel(c[i + 1]))
            .map_or(c.len(), |i| i + 2)
    }

    fn region_start(&self, r: Region) -> usize {
        match r {
            Region::Base => self.rv,
            Region::R2 => self.r2,
        }
    }

    /// The conditions of `s` hold for a suffix starting at `start`.
    fn allows(&self, s: &Suffix, start: usize, region: usize) -> bool {
        let min = self.rules.min.max(s.min_stem);
        if min > 0 && (start < min || !self.chars[..start].iter().any(|&c| self.is_vowel(c))) {
            return false;
        }
        if !s.before.is_empty()
            && (start == 0 || start - 1 < region || !in_set(s.before, self.chars[start - 1]))
        {
            return false;
        }
        if !s.last_vowel.is_empty() {
            match self.chars[..start]
                .iter()
                .rev()
                .find(|&&c| self.is_vowel(c))
            {
                Some(&v) if s.last_vowel.contains(v) => {}
                _ => return false,
            }
        }
        true
    }

    /// Runs one strip; true when it took a suffix off.
    fn strip(&mut self, strip: &Strip) -> bool {
        let region = self.region_start(strip.region);
        let n = self.chars.len();
        let mut candidates: Vec<(&Suffix, usize)> = strip
            .suffixes
            .iter()
            .filter_map(|s| {
                let len = s.text.chars().count();
                let start = n.checked_sub(len)?;
                let ends = self.chars[start..].iter().copied().eq(s.text.chars());
                (ends && start >= region).then_some((s, start))
            })
            .collect();
        candidates.sort_by_key(|(_, start)| *start);
        for (s, start) in candidates {
            if self.allows(s, start, region) {
                self.chars.truncate(start);
                self.chars.extend(s.to.chars());
                return true;
            }
            if !self.rules.fallback {
                return false;
            }
        }
        false
    }

    /// Tries the alternatives of a step; true when one matched.
    fn step(&mut self, step: &Step) -> bool {
        for alt in &step.alts {
            let saved = self.chars.clone();
            let mut ok = true;
            let mut changed = false;
            for s in alt {
                if self.strip(s) {
                    changed = true;
                } else if !s.optional {
                    ok = false;
                    break;
                }
            }
            if ok && changed {
                return true;
            }
            self.chars = saved;
        }
        false
    }
}

impl Rules {
    /// Lowercase form used for matching: this language's letter replacements, lowercasing,
    /// and no combining dot above (what `İ` lowercases to outside Azerbaijani).
    pub fn fold(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            let mut buf = [0u8; 4];
            let s: &str = c.encode_utf8(&mut buf);
            let replaced = self
                .fold
                .iter()
                .find(|(from, _)| *from == s)
                .map_or(s, |(_, to)| *to);
            for l in replaced.chars().flat_map(char::to_lowercase) {
                if l == '\u{307}' {
                    continue;
                }
                let mut lb = [0u8; 4];
                let ls: &str = l.encode_utf8(&mut lb);
                match self.fold.iter().find(|(from, _)| *from == ls) {
                    Some((_, to)) => out.push_str(to),
                    None => out.push(l),
                }
            }
        }
        out
    }

    /// The stem of an already folded word.
    pub fn stem(&self, folded: &str) -> String {
        let chars: Vec<char> = folded.chars().collect();
        let mut w = Word {
            rules: self,
            rv: 0,
            r2: 0,
            chars,
        };
        if self.rv {
            w.rv = w
                .chars
                .iter()
                .position(|&c| w.is_vowel(c))
                .map_or(w.chars.len(), |i| i + 1);
        }
        let r1 = w.r1_from(0);
        w.r2 = w.r1_from(r1);
        for step in &self.steps {
            let mut guard = 0;
            while w.step(step) && step.repeat && guard < 16 {
                guard += 1;
            }
        }
        let mut out: String = w.chars.into_iter().collect();
        if let Some((from, to)) = self.end.iter().find(|(from, _)| out.ends_with(from)) {
            out.truncate(out.len() - from.len());
            out.push_str(to);
        }
        out
    }
}
