//! The `Site` API that `serve` drives: load once, re-read one edited file, render only the
//! outputs that show it, into memory.

use crate::support;

use std::path::Path;

use support::*;
use xeberdar::site::{BuildOptions, MemoryFile, MemorySink, OutputId, Site};

fn page(key: &str) -> OutputId {
    OutputId::Page(key.parse().unwrap())
}

fn body_of(sink: MemorySink, file: &str) -> String {
    match sink.into_files().remove(file) {
        Some(MemoryFile::Rendered(bytes)) => String::from_utf8(bytes).unwrap(),
        other => panic!("{file}: {other:?}"),
    }
}

#[test]
fn an_edit_re_renders_only_what_shows_the_page() {
    let dir = fixture_copy();
    let mut site = Site::load(dir.path(), &BuildOptions::default()).unwrap();
    let all = site.all_outputs();
    assert!(all.contains(&page("xeberler/uc.ru.md")));

    // A body edit: the page and the Russian listings that show it; no other language.
    let file = dir.path().join("content/xeberler/uc.ru.md");
    let text = read(&file).replace("Звоните.", "Звоните сейчас: 152.");
    std::fs::write(&file, text).unwrap();
    let (change, outputs) = site.reload_file(Path::new("content/xeberler/uc.ru.md"));
    assert!(!change.structure_changed, "{change:?}");
    assert!(outputs.contains(&page("xeberler/uc.ru.md")), "{outputs:?}");
    assert!(!outputs.contains(&page("xeberler/uc.md")), "{outputs:?}");
    assert!(
        outputs.len() * 3 < all.len(),
        "{} of {}",
        outputs.len(),
        all.len()
    );
    let rendered = site.render_output(&page("xeberler/uc.ru.md")).unwrap();
    assert_eq!(rendered.file, "ru/xeberler/uc/index.html");
    assert!(
        rendered.body.contains("Звоните сейчас: 152."),
        "{}",
        rendered.body
    );

    // A title edit changes listings: every Russian listing is re-rendered, no Azerbaijani one.
    let text = read(&file).replace("Горячая линия 24/7", "Линия 152");
    std::fs::write(&file, text).unwrap();
    let (change, outputs) = site.reload_file(&file);
    assert!(change.structure_changed);
    let ru_news = OutputId::Section {
        key: "xeberler/_index.ru.md".parse().unwrap(),
        pager: 1,
    };
    assert!(outputs.contains(&ru_news), "{outputs:?}");
    assert!(outputs.contains(&OutputId::Feed {
        lang: "ru".parse().unwrap()
    }));
    assert!(
        !outputs.contains(&OutputId::Feed {
            lang: "az".parse().unwrap()
        }),
        "{outputs:?}"
    );
    assert!(outputs.contains(&OutputId::Sitemap));
    let sink = MemorySink::default();
    let problems = site.render_outputs(&outputs, &sink);
    assert!(!problems.has_errors(), "{problems}");
    let listing = body_of(sink, "ru/xeberler/index.html");
    assert!(listing.contains("Линия 152"), "{listing}");
}

#[test]
fn a_url_path_maps_to_its_output() {
    let dir = fixture_copy();
    let site = Site::load(dir.path(), &BuildOptions::default()).unwrap();
    assert_eq!(
        site.output_for_path("/ru/xeberler/page/2/"),
        Some(OutputId::Section {
            key: "xeberler/_index.ru.md".parse().unwrap(),
            pager: 2
        })
    );
    assert_eq!(
        site.output_for_path("/en/atom.xml"),
        Some(OutputId::Feed {
            lang: "en".parse().unwrap()
        })
    );
    assert_eq!(
        site.output_for_path("/"),
        Some(OutputId::Section {
            key: "_index.md".parse().unwrap(),
            pager: 1
        })
    );
    assert_eq!(site.output_for_path("/yoxdur/"), None);
}

#[test]
fn a_new_page_appears_in_its_listing() {
    let dir = fixture_copy();
    let mut site = Site::load(dir.path(), &BuildOptions::default()).unwrap();
    let file = dir.path().join("content/xeberler/yeni.en.md");
    std::fs::write(
        &file,
        "+++\ntitle = \"Brand new\"\ndate = 2025-01-01\n+++\nNew.\n",
    )
    .unwrap();
    let (change, outputs) = site.reload_file(&file);
    assert_eq!(change.added, vec!["xeberler/yeni.en.md".to_string()]);
    assert!(outputs.contains(&page("xeberler/yeni.en.md")));
    let sink = MemorySink::default();
    let problems = site.render_outputs(&outputs, &sink);
    assert!(!problems.has_errors(), "{problems}");
    let files = sink.into_files();
    assert!(files.contains_key("en/xeberler/yeni/index.html"));
    match files.get("en/xeberler/index.html") {
        Some(MemoryFile::Rendered(b)) => assert!(String::from_utf8_lossy(b).contains("Brand new")),
        other => panic!("{other:?}"),
    }
}
