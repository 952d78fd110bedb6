//! The site the endpoint belongs to: its `config.toml` (languages, hotline, base URL), its
//! Fluent strings and its theme, so the endpoint's pages look and speak like the site.
//! Without a site (a bare checkout, a test) embedded defaults keep the endpoint working.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use xeberdar_i18n::{Direction, Locales};

use crate::domain::{Lang, Languages};

/// The endpoint's own strings, embedded so that the endpoint speaks az, ru and en even
/// when the site's `i18n/locales` is missing or lags behind.
const EMBEDDED_FTL: [(&str, &str); 3] = [
    ("az", include_str!("../../i18n/locales/az/report.ftl")),
    ("ru", include_str!("../../i18n/locales/ru/report.ftl")),
    ("en", include_str!("../../i18n/locales/en/report.ftl")),
];

/// The site's facts the endpoint needs.
#[derive(Debug)]
pub struct Site {
    pub dir: PathBuf,
    pub languages: Languages,
    directions: Vec<(Lang, Direction)>,
    pub locales: Arc<Locales>,
    /// `config.toml` as JSON, the `config` of templates (Zola names).
    pub config: serde_json::Value,
    pub hotline: String,
    /// The site's `base_url`, used as the CORS origin and for `get_url`.
    pub base_url: String,
    /// The theme's folder, when the site names one that exists.
    pub theme_dir: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error("cannot read {path}: {message}")]
    Config { path: PathBuf, message: String },
    #[error("site strings: {0}")]
    Strings(#[from] xeberdar_i18n::I18nError),
}

impl Site {
    /// Reads `dir/config.toml` when it exists, else uses embedded defaults (Azerbaijani
    /// first, Russian, English; hotline 152).
    pub fn load(dir: &Path) -> Result<Site, SiteError> {
        let config_path = dir.join("config.toml");
        let config: toml::Value = if config_path.exists() {
            let text = std::fs::read_to_string(&config_path).map_err(|e| SiteError::Config {
                path: config_path.clone(),
                message: e.to_string(),
            })?;
            toml::from_str(&text).map_err(|e| SiteError::Config {
                path: config_path.clone(),
                message: e.to_string(),
            })?
        } else {
            toml::from_str(DEFAULT_CONFIG).map_err(|e| SiteError::Config {
                path: PathBuf::from("<embedded>"),
                message: e.to_string(),
            })?
        };
        let config = serde_json::to_value(&config).map_err(|e| SiteError::Config {
            path: config_path.clone(),
            message: e.to_string(),
        })?;
        let default_lang = config["default_language"]
            .as_str()
            .unwrap_or("az")
            .to_string();
        let mut directions = vec![];
        if let Some(langs) = config["languages"].as_object() {
            for (code, l) in langs {
                let dir = if l["direction"].as_str() == Some("rtl") {
                    Direction::Rtl
                } else {
                    Direction::Ltr
                };
                directions.push((code.clone(), dir));
            }
        }
        if !directions.iter().any(|(c, _)| *c == default_lang) {
            directions.insert(0, (default_lang.clone(), Direction::Ltr));
        }
        let languages = Languages::new(&default_lang, directions.iter().map(|(c, _)| c.clone()));
        let lang_dirs: Vec<(&str, Direction)> =
            directions.iter().map(|(c, d)| (c.as_str(), *d)).collect();
        let locales_dir = dir.join("i18n/locales");
        let site_locales = Locales::load(&locales_dir, &lang_dirs, &default_lang)?;
        // The site's own strings win; when they lack the endpoint's strings (no site, or a
        // site whose `report.ftl` is missing) the embedded ones are used.
        let locales = if site_locales.has(&default_lang, "report-submit") {
            site_locales
        } else {
            let sources: Vec<(&str, Direction, &str, &str)> = EMBEDDED_FTL
                .iter()
                .map(|(l, text)| {
                    let dir = lang_dirs
                        .iter()
                        .find(|(c, _)| c == l)
                        .map_or(Direction::Ltr, |(_, d)| *d);
                    (*l, dir, "report.ftl", *text)
                })
                .collect();
            Locales::from_sources(&sources, &default_lang)?
        };
        let hotline = config["extra"]["hotline_local"]
            .as_str()
            .unwrap_or("152")
            .to_string();
        let base_url = config["base_url"].as_str().unwrap_or("/").to_string();
        let theme_dir = config["theme"]
            .as_str()
            .map(|t| dir.join("themes").join(t))
            .filter(|p| p.is_dir());
        let directions = directions
            .into_iter()
            .filter_map(|(c, d)| languages.parse(&c).map(|l| (l, d)))
            .collect();
        Ok(Site {
            dir: dir.to_path_buf(),
            languages,
            directions,
            locales: Arc::new(locales),
            config,
            hotline,
            base_url,
            theme_dir,
        })
    }

    /// `ltr` or `rtl`, for `<html dir>`.
    pub fn lang_dir(&self, lang: &Lang) -> &'static str {
        match self.directions.iter().find(|(l, _)| l == lang) {
            Some((_, Direction::Rtl)) => "rtl",
            _ => "ltr",
        }
    }

    /// A string in `lang` (falling back to the default language), with `number` set to
    /// the hotline so every message can name it.
    pub fn text(&self, lang: &Lang, key: &str) -> String {
        self.text_with(lang, key, &[])
    }

    /// Like [`Site::text`], with further named arguments (a file name, a limit).
    pub fn text_with(&self, lang: &Lang, key: &str, extra: &[(&str, String)]) -> String {
        let mut args = xeberdar_i18n::FluentArgs::new();
        args.set("number", self.hotline.clone());
        for (name, value) in extra {
            args.set(*name, value.clone());
        }
        self.locales
            .format_or_fallback(lang.as_str(), key, Some(&args))
            .0
    }

    /// Directories searched for a static file, site first (as Zola does).
    pub fn static_dirs(&self) -> Vec<PathBuf> {
        let mut dirs = vec![self.dir.join("static")];
        if let Some(t) = &self.theme_dir {
            dirs.push(t.join("static"));
        }
        dirs
    }
}

/// Used when the site has no `config.toml`: enough to render the endpoint's own pages.
const DEFAULT_CONFIG: &str = r#"
base_url = "/"
title = "Xəbərdar"
default_language = "az"

[languages.az]
title = "Xəbərdar"
native_name = "Azərbaycanca"
[languages.ru]
title = "Xəbərdar"
native_name = "Русский"
[languages.en]
title = "Xəbərdar"
native_name = "English"

[extra]
hotline_local = "152"
report_endpoint = "/report"
"#;
