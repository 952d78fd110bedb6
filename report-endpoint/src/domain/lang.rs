//! Which of the site's languages a visitor gets. The languages themselves are the site
//! model's [`Lang`], read from the site's `config.toml` as the generator reads them, so the
//! endpoint's pages and the site's are in the same languages under the same codes.

pub use xeberdar_site::Lang;

/// The site's languages, with its default, as read from the site's `config.toml`. A code a
/// visitor sent (a form field, a query, `Accept-Language`) becomes a [`Lang`] only through
/// [`Languages::parse`], so a handler's `Lang` is always one the site speaks.
#[derive(Debug, Clone)]
pub struct Languages {
    default: Lang,
    all: Vec<Lang>,
}

impl Languages {
    /// `codes` may or may not include `default`; the default is always one of them.
    pub fn new(default: Lang, codes: impl IntoIterator<Item = Lang>) -> Self {
        let mut all: Vec<Lang> = codes.into_iter().collect();
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
            .find(|l| l.eq_ignore_ascii_case(code) || l.eq_ignore_ascii_case(primary))
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
        let lang = |code| Lang::new(code).unwrap();
        Languages::new(lang("az"), ["az", "ru", "en"].map(lang))
    }

    #[test]
    fn parses_known_codes_and_falls_back() {
        let l = langs();
        assert_eq!(l.parse("RU-ru").unwrap(), "ru");
        assert_eq!(l.parse("de"), None);
        assert_eq!(l.parse_or_default(Some("xx")).as_str(), "az");
        assert_eq!(
            l.from_accept_language(Some("de-DE,en;q=0.8,ru;q=0.5"))
                .as_str(),
            "en"
        );
    }
}
