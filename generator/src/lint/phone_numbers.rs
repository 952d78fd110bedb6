//! Every phone number the site shows must come from `config.toml` or `data/facts.toml`, so a
//! number changes in one place and a mistyped or invented number cannot reach a visitor who
//! may dial it in danger. A digit sequence in the visible text that looks like a phone number
//! and is none of those values is an error.
//!
//! What looks like a phone number: a `+` and at least 7 digits; 7 or more digits written with
//! only spaces, hyphens or brackets between them (`562-21-12`, `(012) 345 67 89`), except a
//! date like `2004-05-06`; or a short service number, 3 or 4 digits starting with 1 (`152`,
//! `112`, `1542`), except a year (1900–2099). Numbers inside other numbers (`10,000`, `14.6`,
//! `24/7`) or glued to letters are not phone numbers.

use std::collections::BTreeSet;

use super::config::{Check, Level};
use super::visible_text::VisibleFile;
use super::Finding;
use crate::message::{Message, MessageId};

/// The phone numbers the site may show, as digits only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownNumbers {
    digits: BTreeSet<String>,
    shown: Vec<String>,
}

impl KnownNumbers {
    /// Every string value of `[extra]` in `config.toml` that is written like a phone number.
    pub fn from_config(config: &toml::Table) -> Self {
        let mut known = Self::default();
        if let Some(extra) = config.get("extra").and_then(toml::Value::as_table) {
            for value in extra.values().filter_map(toml::Value::as_str) {
                let phone_like = !value.trim().is_empty()
                    && value
                        .chars()
                        .all(|c| c.is_ascii_digit() || " +-()".contains(c))
                    && value.chars().any(|c| c.is_ascii_digit());
                if phone_like {
                    known.add(value);
                }
            }
        }
        known
    }

    pub fn add(&mut self, number: &str) {
        let digits = digits_of(number);
        if !digits.is_empty() && self.digits.insert(digits) {
            self.shown.push(number.trim().to_string());
        }
    }

    pub fn contains(&self, number: &str) -> bool {
        self.digits.contains(&digits_of(number))
    }

    fn list(&self) -> String {
        if self.shown.is_empty() {
            "none yet".into()
        } else {
            self.shown.join(", ")
        }
    }
}

fn digits_of(number: &str) -> String {
    number.chars().filter(char::is_ascii_digit).collect()
}

/// The phone-number-like sequences of one line, with their 1-based columns.
pub fn phone_like(line: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_ascii_digit()
            || ("+(".contains(chars[i]) && chars.get(i + 1).is_some_and(char::is_ascii_digit));
        let glued = i > 0 && is_glue(chars[i - 1]);
        if !starts || glued {
            i += 1;
            continue;
        }
        // The run: digits with single spaces, hyphens or brackets between them.
        let mut end = i + 1;
        let mut last_digit = i + usize::from(!chars[i].is_ascii_digit());
        while end < chars.len() {
            if chars[end].is_ascii_digit() {
                last_digit = end;
                end += 1;
                continue;
            }
            // At most two separators (`) `, ` -`) between digit groups.
            let mut next = end;
            while next < chars.len() && next - end < 2 && " -()".contains(chars[next]) {
                next += 1;
            }
            if next > end && chars.get(next).is_some_and(char::is_ascii_digit) {
                end = next;
            } else {
                break;
            }
        }
        let run: String = chars[i..=last_digit].iter().collect();
        let run = if run.starts_with('(') && !run.contains(')') {
            run[1..].to_string()
        } else {
            run
        };
        let after = chars.get(last_digit + 1).copied();
        let glued_after = after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '/')
            || (after.is_some_and(|c| ".,:".contains(c))
                && chars.get(last_digit + 2).is_some_and(char::is_ascii_digit))
            || after == Some('%');
        if !glued_after && looks_like_phone(&run) {
            out.push((i + 1, run));
        }
        i = last_digit + 1;
        // Skip the rest of a number glued to this one (`10,000`).
        while i < chars.len() && (chars[i].is_ascii_digit() || ".,:/".contains(chars[i])) {
            i += 1;
        }
    }
    out
}

/// A character that makes a following digit part of something else: a word, a decimal, a
/// fraction, a path or a range.
fn is_glue(c: char) -> bool {
    c.is_alphanumeric() || "_.,/:-–#".contains(c)
}

fn looks_like_phone(run: &str) -> bool {
    let digits = digits_of(run);
    if run.starts_with('+') {
        return digits.len() >= 7;
    }
    let all_years = run
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .all(|g| g.len() == 4 && (1900..=2099).contains(&g.parse::<u32>().unwrap_or(0)));
    if all_years {
        return false;
    }
    if digits.len() >= 7 {
        let is_date = run.len() == 10
            && run.chars().enumerate().all(|(i, c)| match i {
                4 | 7 => c == '-',
                _ => c.is_ascii_digit(),
            });
        return !is_date;
    }
    let single_group = run.chars().all(|c| c.is_ascii_digit());
    if single_group && (3..=4).contains(&digits.len()) && digits.starts_with('1') {
        return true;
    }
    false
}

/// Reports each phone-number-like sequence that is not a known number.
pub fn check(files: &[VisibleFile], known: &KnownNumbers, level: Level, out: &mut Vec<Finding>) {
    if level == Level::Off {
        return;
    }
    for file in files {
        for line in &file.lines {
            for (col, number) in phone_like(&line.text) {
                if known.contains(&number) {
                    continue;
                }
                out.push(Finding {
                    path: file.display_path.clone(),
                    line: line.line,
                    col,
                    level,
                    check: Check::PhoneNumbers,
                    message: Message::of(MessageId::LintPhoneNumber)
                        .text("number", number.to_string())
                        .text("known", known.list()),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::visible_text::VisibleLine;

    fn found(line: &str) -> Vec<String> {
        phone_like(line).into_iter().map(|(_, n)| n).collect()
    }

    #[test]
    fn finds_what_a_visitor_would_dial() {
        assert_eq!(found("Call 152 or 112."), vec!["152", "112"]);
        assert_eq!(
            found("Zəng: 562-21-12, ya da +994 12 345 67 89"),
            vec!["562-21-12", "+994 12 345 67 89"]
        );
        assert_eq!(found("(012) 498 22 11"), vec!["(012) 498 22 11"]);
        assert_eq!(found("152-yə zəng edin, 1542 də var"), vec!["152", "1542"]);
    }

    #[test]
    fn leaves_years_dates_sizes_and_counts_alone() {
        for text in [
            "Order No. 208 of 6 May 2004",
            "2004-cü il, 2024-01-10",
            "up to 10,000 characters, 14.6 KB, 24/7, 85.6 × 54 mm",
            "0–4 seconds, measure 13, 45 minutes, 100% sure",
            "v1.20, id152, page 3/152, 2009-2013",
        ] {
            assert_eq!(found(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn reports_unknown_numbers_with_their_column() {
        let mut known = KnownNumbers::from_config(
            &"[extra]\nhotline_local = \"152\"\nexit_url = \"https://x\"\n"
                .parse()
                .unwrap(),
        );
        known.add("112");
        let files = vec![VisibleFile {
            display_path: "content/a.md".into(),
            lines: vec![VisibleLine {
                line: 7,
                lang: "en".into(),
                text: "Call 152, 112 or 102.".into(),
            }],
        }];
        let mut out = Vec::new();
        check(&files, &known, Level::Error, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].to_string(),
            "content/a.md:7:18: error: \"102\" looks like a phone number, but it is not one of the numbers in config.toml or data/facts.toml (152, 112); a visitor may dial it, so take every number from there, with its source [phone_numbers]"
        );
    }
}
