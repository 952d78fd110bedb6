//! `build_search_index` and `[search]` in config.toml, through the real binary on the
//! fixture site.

use crate::support;

use support::*;

fn with_config(edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    let dir = fixture_copy();
    let path = dir.path().join("config.toml");
    let config = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, edit(config)).unwrap();
    dir
}

fn chunks_text(public: &std::path::Path, lang: &str) -> String {
    let dir = public.join(format!("search-index/{lang}/t"));
    let mut all = String::new();
    for e in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        all.push_str(&read(&e.unwrap().path()));
    }
    all
}

#[test]
fn no_index_unless_asked_for() {
    let dir = fixture_copy();
    let public = build_ok(dir.path(), &[]);
    assert!(!public.join("search-index").exists());
}

#[test]
fn per_language_switch_and_what_is_indexed() {
    let dir = with_config(|c| {
        format!("build_search_index = true\n{c}").replace(
            "[languages.en]\n",
            "[languages.en]\nbuild_search_index = false\n",
        )
    });
    let public = build_ok(dir.path(), &[]);
    assert!(public.join("search-index/az/meta.json").is_file());
    assert!(public.join("search-index/ru/meta.json").is_file());
    assert!(!public.join("search-index/en").exists());
    let meta: serde_json::Value =
        serde_json::from_str(&read(&public.join("search-index/az/meta.json"))).unwrap();
    assert_eq!(meta["rules"]["fold"][0], serde_json::json!(["I", "ı"]));
    // "Sxem" is in the body of haqqinda/index.md, "haqqımızda" in its title only (stem `haqq`).
    let az = chunks_text(&public, "az");
    assert!(az.contains("\"sxem\""), "{az}");
    assert!(az.contains("\"haqq\""), "{az}");
    // The fixture theme has no search.html: no search page, the index alone.
    assert!(!public.join("search/index.html").exists());

    let dir = with_config(|c| {
        format!("build_search_index = true\n{c}\n[search]\ninclude_content = false\ninclude_heading = true\n")
    });
    let out = xeberdar(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout) + &text(&out.stderr);
    assert!(
        said.contains("`include_heading` is not a setting of [search]"),
        "{said}"
    );
    let az = chunks_text(&dir.path().join("public"), "az");
    assert!(!az.contains("\"sxem\""), "{az}");
    assert!(az.contains("\"haqq\""), "{az}");
}
