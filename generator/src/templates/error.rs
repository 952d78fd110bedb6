use std::path::PathBuf;

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

/// Pulls `line:col` and the "expected …" explanation out of a Tera (pest) parse error,
/// which looks like ` --> 3:5\n  |\n3 | {{ x(\n  |     ^---\n  |\n  = expected …`.
pub(crate) fn parse_error_position(err: &tera::Error) -> (usize, usize, String) {
    let mut text = String::new();
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        text.push_str(&inner.to_string());
        text.push('\n');
        source = inner.source();
    }
    let mut line = 1;
    let mut col = 1;
    if let Some(pos) = text.find("--> ") {
        let rest = &text[pos + 4..];
        let coords: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ':')
            .collect();
        let mut it = coords.split(':');
        if let (Some(l), Some(c)) = (it.next(), it.next()) {
            line = l.parse().unwrap_or(1);
            col = c.parse().unwrap_or(1);
        }
    }
    let message = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("= "))
        .map(str::to_string)
        .unwrap_or_else(|| {
            let trimmed = text.trim();
            if trimmed.is_empty() {
                err.to_string()
            } else {
                trimmed.lines().last().unwrap_or(trimmed).to_string()
            }
        });
    (line, col, message)
}
