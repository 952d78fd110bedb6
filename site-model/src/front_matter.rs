//! Where the `+++` TOML block of a content file is. The build, the translation tools and
//! the content checks all cut files here, so a file one of them reads as a page with front
//! matter is read so by all of them.
//!
//! The block may follow a byte-order mark (Windows editors write one) and blank lines; the
//! opening and closing `+++` must each be alone on their line (trailing spaces allowed).

/// Byte offsets of the front matter and the body in a file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// The TOML between the `+++` lines.
    pub front_matter_start: usize,
    pub front_matter_end: usize,
    /// Where the Markdown body starts (after the closing `+++` line).
    pub body_start: usize,
}

/// Why a file has no usable front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// It starts with `---`: YAML front matter, which Zola also refuses.
    Yaml,
    /// It does not start with `+++`.
    Missing,
    /// Something follows `+++` on the opening line.
    OpeningNotAlone,
    /// No closing `+++` line.
    NotClosed,
}

/// A [`Problem`] and the byte offset it is at (the first character after the BOM and blank
/// lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitError {
    pub offset: usize,
    pub problem: Problem,
}

/// Finds the `+++` block.
pub fn split(text: &str) -> Result<Split, SplitError> {
    let after_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let start = text.len() - after_bom.trim_start().len();
    let rest = &text[start..];
    let fail = |problem| {
        Err(SplitError {
            offset: start,
            problem,
        })
    };
    if rest.starts_with("---") {
        return fail(Problem::Yaml);
    }
    let Some(after_open) = rest.strip_prefix("+++") else {
        return fail(Problem::Missing);
    };
    let line_end = match after_open.find('\n') {
        Some(i) if after_open[..i].trim().is_empty() => i,
        _ => return fail(Problem::OpeningNotAlone),
    };
    let fm_start = start + 3 + line_end + 1;
    let mut pos = fm_start;
    for line in text[fm_start..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok(Split {
                front_matter_start: fm_start,
                front_matter_end: pos,
                body_start: pos + line.len(),
            });
        }
        pos += line.len();
    }
    fail(Problem::NotClosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> (&str, &str) {
        let s = split(text).unwrap();
        (
            &text[s.front_matter_start..s.front_matter_end],
            &text[s.body_start..],
        )
    }

    #[test]
    fn finds_the_block_and_the_body() {
        assert_eq!(
            parts("+++\ntitle = \"Ə\"\n+++\n# Body\n"),
            ("title = \"Ə\"\n", "# Body\n")
        );
        assert_eq!(parts("+++ \r\na = 1\r\n+++  \r\nB"), ("a = 1\r\n", "B"));
        assert_eq!(parts("+++\n+++"), ("", ""));
    }

    #[test]
    fn a_byte_order_mark_and_blank_lines_may_come_first() {
        assert_eq!(parts("\u{feff}+++\na = 1\n+++\nB"), ("a = 1\n", "B"));
        let text = "\n\n  \n+++\na = 1\n+++\nB";
        assert_eq!(parts(text), ("a = 1\n", "B"));
        assert_eq!(
            split(text).unwrap().front_matter_start,
            text.find("a =").unwrap()
        );
    }

    #[test]
    fn says_what_is_wrong_and_where() {
        let problem = |text| split(text).unwrap_err();
        assert_eq!(
            problem("\n---\ntitle: x\n---\n"),
            SplitError {
                offset: 1,
                problem: Problem::Yaml
            }
        );
        assert_eq!(problem("# Title\n").problem, Problem::Missing);
        assert_eq!(
            problem("+++ title = 1\n+++\n").problem,
            Problem::OpeningNotAlone
        );
        assert_eq!(problem("+++").problem, Problem::OpeningNotAlone);
        assert_eq!(problem("+++\na = 1\n++++\n").problem, Problem::NotClosed);
    }
}
