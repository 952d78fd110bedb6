use std::fmt;

/// A language the site speaks (`az`, `ru`, `en`, ...). Only [`Languages::parse`] makes
/// one, so a `Lang` always names a language that has strings and templates.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang(String);

impl Lang {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Lang {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The site's languages, with its default, as read from the site's `config.toml`.
#[derive(Debug, Clone)]
pub struct Languages {
    default: Lang,
    all: Vec<Lang>,
}

impl Languages {
    /// `codes` may or may not include `default`; the default is always one of them.
    pub fn new(default: &str, codes: impl IntoIterator<Item = String>) -> Self {
        let default = Lang(default.to_string());
        let mut all: Vec<Lang> = codes.into_iter().map(Lang).collect();
        if !all.contains(&default) {
            all.insert(0, default.clone());
        }
        Self { default, all }
    }

    pub fn default_lang(&self) -> &Lang {
        &self.default
    }

    pub fn all(&self) -> &[Lang] {
        &self.all
    }

    /// The language named by `code` if the site speaks it (case-insensitive, region
    /// ignored: `ru-RU` is `ru`).
    pub fn parse(&self, code: &str) -> Option<Lang> {
        let code = code.trim();
        let primary = code.split(['-', '_']).next().unwrap_or(code);
        self.all
            .iter()
            .find(|l| l.0.eq_ignore_ascii_case(code) || l.0.eq_ignore_ascii_case(primary))
            .cloned()
    }

    /// The language named by `code`, else the site's default: a visitor always gets a page.
    pub fn parse_or_default(&self, code: Option<&str>) -> Lang {
        code.and_then(|c| self.parse(c))
            .unwrap_or_else(|| self.default.clone())
    }

    /// The first language of an `Accept-Language` header that the site speaks.
    pub fn from_accept_language(&self, header: Option<&str>) -> Lang {
        header
            .into_iter()
            .flat_map(|h| h.split(','))
            .filter_map(|part| part.split(';').next())
            .find_map(|code| self.parse(code))
            .unwrap_or_else(|| self.default.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs() -> Languages {
        Languages::new("az", ["az", "ru", "en"].map(String::from))
    }

    #[test]
    fn parses_known_codes_and_falls_back() {
        let l = langs();
        assert_eq!(l.parse("RU-ru").map(|l| l.0), Some("ru".into()));
        assert_eq!(l.parse("de"), None);
        assert_eq!(l.parse_or_default(Some("xx")).as_str(), "az");
        assert_eq!(
            l.from_accept_language(Some("de-DE,en;q=0.8,ru;q=0.5"))
                .as_str(),
            "en"
        );
    }
}
