use std::path::PathBuf;

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
