use std::path::{Path, PathBuf};

/// Errors an editor can act on: each names the file and, where known, the line and column.
#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    #[error("{}: cannot read the strings file: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{line}:{col}: {message}", path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
    #[error("`{lang}` is not a valid language code: {message}")]
    BadLanguage { lang: String, message: String },
    #[error("{}:{line}:{col}: the string `{key}` is defined twice for `{lang}`", path.display())]
    Duplicate {
        path: PathBuf,
        line: usize,
        col: usize,
        lang: String,
        key: String,
    },
    #[error("the UI string `{key}` is missing for language `{lang}`")]
    MissingKey { lang: String, key: String },
    #[error("the UI string `{key}` in `{lang}` could not be formatted: {message}")]
    Format {
        lang: String,
        key: String,
        message: String,
    },
    #[error("no UI strings are loaded for language `{lang}`")]
    UnknownLanguage { lang: String },
}

impl I18nError {
    /// The file, line and column an error is in, when it is in one (a file that cannot be
    /// read is at its start), so a caller can place it without reparsing the message.
    pub fn location(&self) -> Option<(&Path, usize, usize)> {
        match self {
            I18nError::Read { path, .. } => Some((path, 1, 1)),
            I18nError::Parse {
                path, line, col, ..
            }
            | I18nError::Duplicate {
                path, line, col, ..
            } => Some((path, *line, *col)),
            _ => None,
        }
    }

    /// What is wrong, without the location that [`I18nError::location`] gives.
    pub fn problem(&self) -> String {
        match self {
            I18nError::Read { source, .. } => format!("cannot read the strings file: {source}"),
            I18nError::Parse { message, .. } => message.clone(),
            I18nError::Duplicate { lang, key, .. } => {
                format!("the string `{key}` is defined twice for `{lang}`")
            }
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_and_problem_make_up_the_message() {
        let e = I18nError::Parse {
            path: PathBuf::from("i18n/locales/az/a:b.ftl"),
            line: 3,
            col: 7,
            message: "expected a message".into(),
        };
        let (path, line, col) = e.location().unwrap();
        assert_eq!(
            (path, line, col),
            (Path::new("i18n/locales/az/a:b.ftl"), 3, 7)
        );
        assert_eq!(
            e.to_string(),
            format!("{}:3:7: {}", path.display(), e.problem())
        );
        let e = I18nError::UnknownLanguage { lang: "fr".into() };
        assert!(e.location().is_none());
        assert_eq!(e.problem(), e.to_string());
    }
}
