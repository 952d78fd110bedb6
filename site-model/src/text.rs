//! Positions in text as an editor reads them: 1-based lines and columns, the column counted
//! in characters so a message points at the right place in Azerbaijani or Russian text.
//! Offsets past the end or inside a multi-byte character are clamped, never a panic.

/// 1-based (line, column) of a byte offset, for one lookup in a text.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, column(text, line_start, offset))
}

/// Line starts of a text, for many lookups in the same text (every key of a config, every
/// error of a file).
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 40 + 1);
        line_starts.push(0);
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { line_starts }
    }

    /// 1-based (line, column) of `offset` in `text` (the same text given to [`LineIndex::new`]).
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.line_index(offset);
        let start = self.line_starts[line];
        (line + 1, column(text, start, offset))
    }

    /// 1-based line number of `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.line_index(offset) + 1
    }

    fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }
}

/// 1-based column of `offset` on the line starting at `line_start`.
fn column(text: &str, line_start: usize, offset: usize) -> usize {
    let end = floor_char_boundary(text, offset).max(line_start);
    text.get(line_start..end).map_or(0, |s| s.chars().count()) + 1
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        assert_eq!(line_col("ab\nəşx", 7), (2, 3));
        assert_eq!(line_col("ab\nəşx", 0), (1, 1));
        assert_eq!(line_col("ab\n", 3), (2, 1));
    }

    #[test]
    fn offsets_inside_a_character_or_past_the_end_are_clamped() {
        let text = "ə\nşə";
        assert_eq!(line_col(text, 1), (1, 1));
        assert_eq!(line_col(text, 100), (2, 3));
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 1), (1, 1));
        assert_eq!(index.position(text, 100), (2, 3));
    }

    #[test]
    fn the_index_agrees_with_one_lookup_everywhere() {
        let text = "title = \"Ə\"\n\n[extra]\nşəhər = 1\nend";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                index.position(text, offset),
                line_col(text, offset),
                "{offset}"
            );
        }
        assert_eq!(index.line(0), 1);
        assert_eq!(index.line(text.find("[extra]").unwrap()), 3);
    }
}
