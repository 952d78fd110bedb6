//! Site search on the real site, built by the real `xeberdar` binary and served
//! on 127.0.0.1: searches typed into the box in Chromium find the expected page first in
//! each language, word endings included; nothing typed reaches an address, the history or
//! a request; the box works from the keyboard and passes axe-core; quick exit works on the
//! search page; without JavaScript the box leads to the list of all pages.

use std::sync::OnceLock;

use serde_json::json;
use xeberdar_e2e::site_gates::{assert_no_failures, run_browser};
use xeberdar_e2e::static_site::{build_and_serve, BuiltSite};

fn site() -> &'static BuiltSite {
    static SITE: OnceLock<BuiltSite> = OnceLock::new();
    SITE.get_or_init(|| build_and_serve(|_| {}))
}

#[test]
fn searching_in_az_ru_and_en_finds_the_page_first_and_keeps_the_words_private() {
    let site = site();
    let failures = run_browser(json!({
        "mode": "search",
        "baseUrl": site.base_url(),
        "exitUrl": format!("{}/__exit/", site.base_url()),
        "queries": [
            // Azerbaijani word endings: the pages say "viza", "vizası", "Pasportu", "pasport"
            { "lang": "az", "page": "/search/", "q": "vizanı", "expect": "/illegal-migration/" },
            { "lang": "az", "page": "/search/", "q": "pasportunuzu", "expect": "/passport/" },
            { "lang": "az", "page": "/search/", "q": "QANUNSUZ MİQRASİYANI", "expect": "/illegal-migration/" },
            // text the plan's template renders from data/nap.toml, not in any Markdown body
            { "lang": "az", "page": "/search/", "q": "əməliyyat-axtarış", "expect": "/plan/" },
            // Russian: the page says "Виза", "визе", "паспорт"
            { "lang": "ru", "page": "/ru/search/", "q": "визы", "expect": "/ru/illegal-migration/" },
            { "lang": "ru", "page": "/ru/search/", "q": "паспортов", "expect": "/ru/passport/" },
            { "lang": "en", "page": "/en/search/", "q": "visas", "expect": "/en/illegal-migration/" },
            { "lang": "en", "page": "/en/search/", "q": "signs of trafficking", "expect": "/en/signs/" },
        ],
        "nojsPages": [
            { "page": "/search/", "all": "/search/all/", "q": "pasport", "expect": "/illegal-migration/" },
            { "page": "/ru/search/", "all": "/ru/search/all/", "q": "паспорт", "expect": "/ru/illegal-migration/" },
            { "page": "/en/search/", "all": "/en/search/all/", "q": "passport", "expect": "/en/illegal-migration/" },
        ],
    }));
    assert_no_failures("search", &failures);
}

/// Every language gets its index and both pages, and every page links the search page.
#[test]
fn every_language_has_an_index_a_search_page_and_a_list_of_all_pages() {
    let site = site();
    let mut missing = Vec::new();
    for (lang, prefix) in [("az", ""), ("ru", "/ru"), ("en", "/en")] {
        for rel in [
            format!("search-index/{lang}/meta.json"),
            format!("{prefix}/search/index.html"),
            format!("{prefix}/search/all/index.html"),
        ] {
            if !site.public.join(rel.trim_start_matches('/')).is_file() {
                missing.push(rel);
            }
        }
        let home = std::fs::read_to_string(
            site.public
                .join(format!("{prefix}/index.html").trim_start_matches('/')),
        )
        .unwrap_or_default()
        .replace("&#x2F;", "/");
        if !home.contains(&format!("href=\"{prefix}/search/\"")) {
            missing.push(format!("{prefix}/: no link to {prefix}/search/"));
        }
    }
    assert_no_failures("search outputs", &missing);
}
