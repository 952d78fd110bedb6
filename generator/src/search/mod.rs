//! Site search that works in every language of the site, with no server and no request
//! beyond the site: `xeberdar build` writes a search index per language, and the theme's
//! small `search.js` reads only the parts of it a query needs.
//!
//! Why not an existing engine: Zola's elasticlunr and Pagefind have no Azerbaijani
//! stemmer, neither can take one from outside, and their browser code (Pagefind's is
//! tens of KB of JS plus WebAssembly) alone is several times the site's whole JavaScript
//! budget. The index here is plain JSON (serde_json) in chunks by word prefix; see
//! [`index`] for the layout.
//!
//! - [`stemmer`]: a suffix-stripping machine whose rules are data, so the browser runs the
//!   very rules the build ran (written next to the index as JSON);
//! - [`stem_az`], [`stem_ru`], [`stem_en`]: the rules of each language;
//! - [`text`]: words and passages out of rendered pages;
//! - [`index`]: the index files of one language.

pub mod index;
pub mod stem_az;
pub mod stem_en;
pub mod stem_ru;
pub mod stemmer;
pub mod text;

use std::sync::OnceLock;

pub use index::{build_index, IndexFile, INDEX_DIR};
pub use stemmer::Rules;

/// The stemming rules of a language; a language without rules of its own is only folded
/// to lowercase (exact words and prefixes still match).
pub fn rules_for(lang: &str) -> &'static Rules {
    static AZ: OnceLock<Rules> = OnceLock::new();
    static RU: OnceLock<Rules> = OnceLock::new();
    static EN: OnceLock<Rules> = OnceLock::new();
    static OTHER: OnceLock<Rules> = OnceLock::new();
    let primary = lang.split('-').next().unwrap_or(lang);
    match primary {
        "az" => AZ.get_or_init(stem_az::rules),
        "ru" => RU.get_or_init(stem_ru::rules),
        "en" => EN.get_or_init(stem_en::rules),
        _ => OTHER.get_or_init(|| Rules {
            fold: vec![("ё", "е")],
            vowels: "",
            min: 0,
            rv: false,
            fallback: false,
            steps: Vec::new(),
            end: Vec::new(),
        }),
    }
}

#[cfg(test)]
pub(crate) mod tests_support {
    use std::path::Path;

    use xeberdar_site::config::Config;
    use xeberdar_site::content_name;

    /// Every distinct word of the site's content files in `lang` (named as the build names
    /// them: `*.ru.md`, the default language without a suffix), for checking stemmers on
    /// real text.
    pub fn site_words(lang: &str) -> Vec<String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let config = Config::load(&root).expect("the site's config.toml loads");
        let content = root.join("content");
        let rules = super::rules_for(lang);
        let mut words = std::collections::BTreeSet::new();
        for entry in walkdir::WalkDir::new(&content).into_iter().flatten() {
            let Ok(rel) = entry.path().strip_prefix(&content) else {
                continue;
            };
            let key = rel.to_string_lossy().replace('\\', "/");
            if !key.ends_with(".md") {
                continue;
            }
            let file_lang = content_name::split_language(&key, |l| config.is_language(l))
                .1
                .unwrap_or(&config.default_language);
            if file_lang != lang {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            for w in super::text::words(&rules.fold(&text)) {
                if w.chars().any(char::is_alphabetic) {
                    words.insert(w.to_string());
                }
            }
        }
        words.into_iter().collect()
    }
}
