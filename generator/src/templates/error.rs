use std::path::{Path, PathBuf};

use crate::message::{Message, MessageId};

/// A template problem an editor or theme author can act on: each names the file and, where
/// Tera tells us, the line and column.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("{}: cannot read the template: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{line}:{col}: template syntax error: {message}", path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
    #[error("{}:1:1: {message}", path.display())]
    Inheritance { path: PathBuf, message: String },
    #[error("{}: no template named `{name}` (looked in {looked_in})", path.display())]
    Missing {
        /// The file that asked for the template (a content file, or config.toml).
        path: PathBuf,
        name: String,
        looked_in: String,
    },
    #[error("{}:1:1: while rendering it with `{template}`: {message}", path.display())]
    Render {
        /// The content file (or generated output) being rendered.
        path: PathBuf,
        template: String,
        message: String,
    },
}

impl TemplateError {
    /// What went wrong, without the file and position the diagnostic carries itself.
    pub fn problem(&self) -> Message {
        match self {
            Self::Missing {
                name, looked_in, ..
            } => Message::of(MessageId::TemplateMissing)
                .text("name", name.as_str())
                .text("looked_in", looked_in.as_str()),
            Self::Render {
                template, message, ..
            } => Message::of(MessageId::TemplateRenderFailed)
                .text("template", template.as_str())
                .text("detail", message.as_str()),
            Self::Read { source, .. } => {
                Message::Verbatim(format!("cannot read the template: {source}"))
            }
            Self::Syntax { message, .. } => {
                Message::Verbatim(format!("template syntax error: {message}"))
            }
            Self::Inheritance { message, .. } => Message::Verbatim(message.clone()),
        }
    }
}

/// Tera's errors are chains ("Failed to render 'x'" → "Variable `y` not found"); an editor
/// needs the whole chain on one line, innermost cause last.
pub fn describe(err: &tera::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        let text = inner.to_string();
        if !parts.iter().any(|p| p == &text) {
            parts.push(text);
        }
        source = inner.source();
    }
    parts.join(": ")
}

impl TemplateError {
    /// The file the problem is in, and the line and column where it is known (1:1 where
    /// it is not).
    pub fn position(&self) -> (&Path, usize, usize) {
        match self {
            Self::Syntax {
                path, line, col, ..
            } => (path, *line, *col),
            Self::Read { path, .. }
            | Self::Inheritance { path, .. }
            | Self::Missing { path, .. }
            | Self::Render { path, .. } => (path, 1, 1),
        }
    }
}

/// Where a Tera parse error points and what the parser expected there.
///
/// Tera keeps no position of its own for a syntax error: its parser hands pest's error on
/// as the text of a plain message (` --> 3:5\n  |\n3 | {{ x(\n  |     ^---\n  |\n  = expected
/// …`), so the position can only be read back from that text, by [`read_pest_text`].
pub(crate) fn parse_error_position(err: &tera::Error) -> (usize, usize, String) {
    let mut text = String::new();
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        text.push_str(&inner.to_string());
        text.push('\n');
        source = inner.source();
    }
    let (line, col, message) = read_pest_text(&text);
    (line, col, message.unwrap_or_else(|| err.to_string()))
}

/// `line` and `col` of the ` --> line:col` line of a pest error's text (1:1 when it has
/// none), and its explanation: the `= expected …` line, else the text's last line; `None`
/// for an empty text. Only a line that starts with `-->` is a position, so a template name
/// or path quoted elsewhere in the text, colons and all, is never read as one.
fn read_pest_text(text: &str) -> (usize, usize, Option<String>) {
    let number = |s: Option<&str>| {
        s.and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n > 0)
            .unwrap_or(1)
    };
    let (line, col) = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))
        .map(|rest| {
            let coords: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ':')
                .collect();
            let mut it = coords.split(':');
            match (it.next(), it.next()) {
                (l, c @ Some(_)) => (number(l), number(c)),
                _ => (1, 1),
            }
        })
        .unwrap_or((1, 1));
    let message = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("= "))
        .map(str::to_string)
        .or_else(|| {
            let trimmed = text.trim();
            trimmed.lines().last().map(str::to_string)
        });
    (line, col, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax_error(name: &str, path: &str, text: &str) -> tera::Error {
        match tera::Template::new(name, Some(path.to_string()), text) {
            Ok(_) => panic!("{text:?} parsed"),
            Err(e) => tera::Error::chain(format!("cannot parse {name}"), e),
        }
    }

    #[test]
    fn a_tera_syntax_error_gives_its_line_column_and_expectation() {
        let e = syntax_error("page.html", "templates/page.html", "<p>\n<h1>{{ x </h1>\n");
        let (line, col, message) = parse_error_position(&e);
        assert_eq!((line, col), (2, 11), "{message}");
        assert!(message.starts_with("expected "), "{message}");
    }

    #[test]
    fn colons_in_a_template_name_or_path_are_not_a_position() {
        let e = syntax_error(
            "a:7:9.html",
            "C:/themes/x --> 7:9/a:7:9.html",
            "\n\n{% if %}",
        );
        let (line, col, _) = parse_error_position(&e);
        assert_eq!((line, col), (3, 7));
        let text = "cannot parse a --> 8:8.html\n --> 2:4\n  |\n  = expected tag";
        assert_eq!(read_pest_text(text), (2, 4, Some("expected tag".into())));
    }

    #[test]
    fn a_text_without_a_position_points_at_the_start() {
        assert_eq!(
            read_pest_text("Integer out of bounds: `99999999999999999999`\n"),
            (
                1,
                1,
                Some("Integer out of bounds: `99999999999999999999`".into())
            )
        );
        assert_eq!(read_pest_text(""), (1, 1, None));
        assert_eq!(read_pest_text("  \n \n"), (1, 1, None));
        assert_eq!(read_pest_text(" --> 12\n"), (1, 1, Some("--> 12".into())));
        assert_eq!(read_pest_text(" --> 0:x\n"), (1, 1, Some("--> 0:x".into())));
        assert_eq!(read_pest_text(" --> :5\n").0, 1);
    }

    #[test]
    fn a_position_is_taken_from_the_error_itself() {
        let e = TemplateError::Syntax {
            path: PathBuf::from("/site/themes/a: b/templates/x.html"),
            line: 4,
            col: 2,
            message: "expected tag".into(),
        };
        assert_eq!(
            e.position(),
            (Path::new("/site/themes/a: b/templates/x.html"), 4, 2)
        );
        let e = TemplateError::Inheritance {
            path: PathBuf::from("x.html"),
            message: "no parent".into(),
        };
        assert_eq!(e.position(), (Path::new("x.html"), 1, 1));
    }
}
