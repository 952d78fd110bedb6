//! The site the endpoint belongs to: its `config.toml` (languages, hotline, base URL), its
//! Fluent strings and its theme, so the endpoint's pages look and speak like the site.
//! Without a site (a bare checkout, a test) embedded defaults keep the endpoint working.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use xeberdar_i18n::{Direction, Locales};
use xeberdar_site::assets::SiteDirs;
use xeberdar_site::config::Config as SiteConfig;

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
    /// `config.toml` as the site model (and so the generator) reads it.
    pub config: SiteConfig,
    /// `config` as the templates of each language see it (Zola names), as the generator
    /// gives it to the same theme.
    config_values: Vec<(Lang, serde_json::Value)>,
    pub hotline: String,
    /// The site's `base_url`, used as the CORS origin and for `get_url`.
    pub base_url: String,
    /// Where the site's and its theme's templates and static files are.
    pub dirs: SiteDirs,
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
        let config_path = dir.join(xeberdar_site::config::CONFIG_FILE);
        let (shown, loaded) = if config_path.exists() {
            (config_path, SiteConfig::load(dir))
        } else {
            (
                PathBuf::from("<embedded>"),
                SiteConfig::parse(DEFAULT_CONFIG),
            )
        };
        let config = loaded.map_err(|e| {
            let (line, col) = e.position();
            SiteError::Config {
                path: shown,
                message: format!("{line}:{col}: {e}"),
            }
        })?;
        let default_lang = config.default_language.as_str();
        let directions: Vec<(Lang, Direction)> = config
            .languages()
            .into_iter()
            .map(|lang| {
                let dir = if config.is_rtl(lang) {
                    Direction::Rtl
                } else {
                    Direction::Ltr
                };
                (lang.clone(), dir)
            })
            .collect();
        let languages = Languages::new(
            config.default_language.clone(),
            directions.iter().map(|(lang, _)| lang.clone()),
        );
        let lang_dirs: Vec<(&str, Direction)> =
            directions.iter().map(|(c, d)| (c.as_str(), *d)).collect();
        let locales_dir = dir.join("i18n/locales");
        let site_locales = Locales::load(&locales_dir, &lang_dirs, default_lang)?;
        // The site's own strings win; when they lack the endpoint's strings (no site, or a
        // site whose `report.ftl` is missing) the embedded ones are used.
        let locales = if site_locales.has(default_lang, "report-submit") {
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
            Locales::from_sources(&sources, default_lang)?
        };
        let hotline = config.extra["hotline_local"]
            .as_str()
            .unwrap_or("152")
            .to_string();
        let base_url = config.base_url.clone();
        let dirs = SiteDirs::new(dir, config.theme.as_deref());
        let config_values = directions
            .iter()
            .map(|(lang, _)| (lang.clone(), config.template_value(lang)))
            .collect();
        Ok(Site {
            dir: dir.to_path_buf(),
            languages,
            directions,
            locales: Arc::new(locales),
            config,
            config_values,
            hotline,
            base_url,
            dirs,
        })
    }

    /// `config` as the templates of `lang` see it.
    pub fn config_value(&self, lang: &Lang) -> serde_json::Value {
        self.config_values
            .iter()
            .find(|(l, _)| l == lang)
            .map_or_else(
                || self.config.template_value(lang),
                |(_, value)| value.clone(),
            )
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
