//! File names: what the browser sent, made safe for a MIME header and for the officer's
//! disk, and shown back to the tipster.

use super::FileKind;

/// Longest kept name without its extension, in characters.
const MAX_STEM_CHARS: usize = 60;

/// The name a file travels under in the sealed email: the last path component of what the
/// browser sent, letters and digits of any script kept, spaces, `-`, `_`, `.` and brackets
/// kept, anything else (control and direction characters, quotes, slashes) turned into `_`,
/// at most 60 characters before the extension, and ending with an extension of the kind
/// the content really is (so `photo.pdf` that is a JPEG travels as `photo.pdf.jpg`).
pub fn sanitize_file_name(raw: &str, kind: FileKind, index: usize) -> String {
    let cleaned = display(raw, index);
    let (stem, ext) = match cleaned.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, Some(ext)),
        _ => (cleaned.as_str(), None),
    };
    let matching = ext.filter(|e| kind.extensions().iter().any(|k| k.eq_ignore_ascii_case(e)));
    let stem: String = match matching {
        Some(_) => stem.chars().take(MAX_STEM_CHARS).collect(),
        None => cleaned.chars().take(MAX_STEM_CHARS).collect(),
    };
    let stem = stem.trim_matches(|c: char| c == ' ' || c == '.');
    let stem = if stem.is_empty() {
        format!("file-{}", index + 1)
    } else {
        stem.to_string()
    };
    let ext = matching.map_or(kind.extensions()[0].to_string(), str::to_ascii_lowercase);
    format!("{stem}.{ext}")
}

/// The name as the tipster may see it in a message: safe characters only (see
/// [`sanitize_file_name`]), at most 80 characters; `file-N` when nothing is left.
pub(super) fn display(raw: &str, index: usize) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let mut out = String::with_capacity(last.len());
    let mut last_was_space = true;
    for c in last.chars() {
        let c = if c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '(' | ')') {
            c
        } else if c == ' ' || c == '\u{a0}' {
            ' '
        } else {
            '_'
        };
        if c == ' ' && last_was_space {
            continue;
        }
        last_was_space = c == ' ';
        out.push(c);
    }
    let trimmed: String = out
        .trim_matches(|c: char| c == ' ' || c == '.')
        .chars()
        .take(80)
        .collect();
    if trimmed.is_empty() {
        format!("file-{}", index + 1)
    } else {
        trimmed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_letters_of_any_script_and_lose_paths_and_tricks() {
        let s = |raw: &str, kind| sanitize_file_name(raw, kind, 0);
        assert_eq!(s("Şəkil 1.JPG", FileKind::Jpeg), "Şəkil 1.jpg");
        assert_eq!(
            s("C:\\Users\\aysel\\договор.pdf", FileKind::Pdf),
            "договор.pdf"
        );
        assert_eq!(s("../../etc/passwd", FileKind::Png), "passwd.png");
        assert_eq!(
            s("invoice\u{202e}gpj.exe", FileKind::Jpeg),
            "invoice_gpj.exe.jpg"
        );
        assert_eq!(s("a\"b;c\r\nd.png", FileKind::Png), "a_b_c__d.png");
        assert_eq!(s("", FileKind::Pdf), "file-1.pdf");
        assert_eq!(s("...", FileKind::Pdf), "file-1.pdf");
        assert_eq!(s(".jpg", FileKind::Jpeg), "jpg.jpg");
        let long = "x".repeat(300) + ".docx";
        assert_eq!(s(&long, FileKind::Docx).chars().count(), 60 + 5);
    }
}
