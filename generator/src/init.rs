//! `xeberdar init`: a small starter site that builds as it is, in Azerbaijani, Russian and
//! English, so a newcomer sees every moving part (config, content per language, a theme,
//! UI strings) in a few files.

use std::path::Path;

/// Errors creating the starter site.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{0} already has files in it; choose an empty or new folder")]
    NotEmpty(String),
    #[error("{path}: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

const FILES: &[(&str, &str)] = &[
    (
        "config.toml",
        r#"# The site's address once it is online; links and feeds are built from it.
base_url = "https://example.org"
title = "Xəbərdar"
description = "İnsan alverinə qarşı maarifləndirmə"
default_language = "az"
theme = "starter"
generate_feeds = true
taxonomies = [{ name = "tags" }]

[languages.az]
native_name = "Azərbaycanca"

[languages.ru]
title = "Xəbərdar"
description = "Информирование о торговле людьми"
native_name = "Русский"

[languages.en]
title = "Xəbərdar"
description = "Awareness about human trafficking"
native_name = "English"

[extra]
hotline_local = "152"
"#,
    ),
    (
        "content/_index.md",
        "+++\ntitle = \"Ana səhifə\"\n+++\nPulsuz qaynar xətt: **152** (24/7).\n",
    ),
    (
        "content/_index.ru.md",
        "+++\ntitle = \"Главная\"\n+++\nБесплатная горячая линия: **152** (24/7).\n",
    ),
    (
        "content/_index.en.md",
        "+++\ntitle = \"Home\"\n+++\nFree hotline: **152** (24/7).\n",
    ),
    (
        "content/melumat/_index.md",
        "+++\ntitle = \"Məlumat\"\nsort_by = \"weight\"\n+++\n",
    ),
    (
        "content/melumat/_index.ru.md",
        "+++\ntitle = \"Информация\"\nsort_by = \"weight\"\n+++\n",
    ),
    (
        "content/melumat/_index.en.md",
        "+++\ntitle = \"Information\"\nsort_by = \"weight\"\n+++\n",
    ),
    (
        "content/melumat/haqqinda.md",
        "+++\ntitle = \"Haqqımızda\"\nweight = 1\n+++\nBu səhifəni öz mətninizlə əvəz edin.\n",
    ),
    (
        "content/melumat/haqqinda.ru.md",
        "+++\ntitle = \"О нас\"\nweight = 1\n+++\nЗамените этот текст своим.\n",
    ),
    (
        "content/melumat/haqqinda.en.md",
        "+++\ntitle = \"About us\"\nweight = 1\n+++\nReplace this text with your own.\n",
    ),
    (
        "i18n/locales/az/main.ftl",
        "hotline = Qaynar xətt: { $number }\nlanguages = Dillər\n",
    ),
    (
        "i18n/locales/ru/main.ftl",
        "hotline = Горячая линия: { $number }\nlanguages = Языки\n",
    ),
    (
        "i18n/locales/en/main.ftl",
        "hotline = Hotline: { $number }\nlanguages = Languages\n",
    ),
    (
        "themes/starter/templates/base.html",
        r#"<!doctype html>
<html lang="{{ lang }}" dir="{{ lang_dir }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ config.title }}{% endblock %}</title>
<link rel="stylesheet" href="{{ get_url(path="css/site.css", cachebust=true) }}">
{%- for tr in translations %}
<link rel="alternate" hreflang="{{ tr.lang }}" href="{{ tr.permalink | safe }}">
{%- endfor %}
{%- if x_default %}
<link rel="alternate" hreflang="x-default" href="{{ x_default | safe }}">
{%- endif %}
</head>
<body>
<header>
<p><a href="tel:{{ config.extra.hotline_local }}">{{ t(key="hotline", lang=lang, number=config.extra.hotline_local) }}</a></p>
<nav aria-label="{{ t(key="languages", lang=lang) }}">
{%- for tr in translations %}
<a href="{{ tr.permalink | safe }}" hreflang="{{ tr.lang }}" lang="{{ tr.lang }}">{{ tr.native_name }}</a>
{%- endfor %}
</nav>
</header>
<main>{% block content %}{% endblock %}</main>
</body>
</html>
"#,
    ),
    (
        "themes/starter/templates/index.html",
        r#"{% extends "base.html" %}
{% block content %}
<h1>{{ section.title }}</h1>
{{ section.content | safe }}
<ul>{% for s in section.subsections %}{% set sub = get_section(path=s) %}<li><a href="{{ sub.permalink | safe }}">{{ sub.title }}</a></li>{% endfor %}</ul>
{% endblock %}
"#,
    ),
    (
        "themes/starter/templates/section.html",
        r#"{% extends "base.html" %}
{% block title %}{{ section.title }}{% endblock %}
{% block content %}
<h1>{{ section.title }}</h1>
{{ section.content | safe }}
<ul>{% for p in section.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a></li>{% endfor %}</ul>
{% endblock %}
"#,
    ),
    (
        "themes/starter/templates/page.html",
        r#"{% extends "base.html" %}
{% block title %}{{ page.title }}{% endblock %}
{% block content %}
<article><h1>{{ page.title }}</h1>{{ page.content | safe }}</article>
{% endblock %}
"#,
    ),
    (
        "themes/starter/templates/404.html",
        r#"{% extends "base.html" %}
{% block content %}<h1>404</h1><p><a href="{{ get_url(path="@/_index.md", lang=lang) }}">{{ config.title }}</a></p>{% endblock %}
"#,
    ),
    (
        "themes/starter/static/css/site.css",
        "body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 0 auto; padding: 1rem; }\n",
    ),
];

/// Writes the starter site into `dir` (created if needed; it must be empty).
pub fn init_site(dir: &Path) -> Result<(), InitError> {
    if dir.exists() {
        let has_files = std::fs::read_dir(dir)
            .map(|mut it| it.next().is_some())
            .unwrap_or(true);
        if has_files {
            return Err(InitError::NotEmpty(dir.display().to_string()));
        }
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        let write = || -> std::io::Result<()> {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, text)
        };
        write().map_err(|source| InitError::Write {
            path: path.display().to_string(),
            source,
        })?;
    }
    Ok(())
}
