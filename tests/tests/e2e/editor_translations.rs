//! `xeberdar check --translations` and `xeberdar translations mark` on real files.

use crate::editor_support;

use editor_support::{fixture_copy, read, stdout, write, xeberdar};

#[test]
fn the_table_shows_missing_stale_and_unmarked_translations() {
    let site = fixture_copy();
    let root = site.path();
    // A page with no translations at all.
    write(
        root,
        "content/help/signs.md",
        "+++\ntitle = \"Əlamətlər\"\ndescription = \"Təhlükə əlamətləri.\"\n+++\nMətn.\n",
    );
    let out = xeberdar(root, &["check", "--translations"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "page                     az      en        ru\n\
             content/_index.md        source  unmarked  unmarked\n\
             content/help/_index.md   source  unmarked  unmarked\n\
             content/help/hotline.md  source  unmarked  ok\n\
             content/help/signs.md    source  missing   missing\n"
        ),
        "table first, then the messages:\n{text}"
    );
    assert!(text.contains("content/help/signs.md:1:1: warning: no en translation (create content/help/signs.en.md)\n"), "{text}");
    assert!(text.contains("content/help/hotline.en.md:1:1: warning: translation never marked up to date: compare it with content/help/hotline.md, then run `xeberdar translations mark content/help/hotline.en.md`\n"), "{text}");

    // The same lines and the summary in the editor's language; the table keeps its words.
    let az = editor_support::xeberdar_in(
        root,
        &["check", "--translations"],
        &[("XEBERDAR_LANG", "az")],
    );
    let text = stdout(&az);
    assert!(
        text.starts_with("page                     az      en        ru\n"),
        "{text}"
    );
    assert!(
        text.contains("content/help/signs.md:1:1: warning: en dilinə tərcümə yoxdur (content/help/signs.en.md faylını yaradın)\n"),
        "{text}"
    );
    assert_eq!(
        editor_support::stderr(&az)
            .lines()
            .last()
            .unwrap_or_default(),
        "3 dildə 4 səhifə: 2 tərcümə yoxdur, 0 köhnəlib, 5 heç vaxt qeyd olunmayıb"
    );
}

#[test]
fn an_edit_makes_the_translation_stale_and_mark_makes_it_current() {
    let site = fixture_copy();
    let root = site.path();
    let before = read(root, "content/help/hotline.en.md");
    let out = xeberdar(
        root,
        &["translations", "mark", "content/help/hotline.en.md"],
    );
    assert!(out.status.success(), "{out:?}");
    assert!(stdout(&out).starts_with("content/help/hotline.en.md: marked up to date (source_hash "));
    let after = read(root, "content/help/hotline.en.md");
    let hash_line = after
        .lines()
        .find(|l| l.starts_with("source_hash = \""))
        .expect("source_hash written");
    // Only that one line was added; everything else is byte-for-byte the same.
    assert_eq!(after.replacen(&format!("{hash_line}\n"), "", 1), before);

    // The Russian file was marked in the fixture; an invisible edit keeps it current.
    let source = read(root, "content/help/hotline.md");
    write(
        root,
        "content/help/hotline.md",
        &source.replace('\n', "\r\n"),
    );
    let table = stdout(&xeberdar(root, &["check", "--translations"]));
    assert!(
        table.contains("content/help/hotline.md  source  ok        ok\n"),
        "{table}"
    );

    // A real edit makes both stale, pointing at their source_hash line.
    write(
        root,
        "content/help/hotline.md",
        &source.replace("zəng edin", "dərhal zəng edin"),
    );
    let out = stdout(&xeberdar(root, &["check", "--translations"]));
    assert!(
        out.contains("content/help/hotline.md  source  stale     stale\n"),
        "{out}"
    );
    assert!(
        out.contains("content/help/hotline.en.md:5:1: warning: stale translation: content/help/hotline.md changed after this translation was marked"),
        "{out}"
    );

    let out = xeberdar(
        root,
        &["translations", "mark", "content/help/hotline.ru.md"],
    );
    assert!(out.status.success());
    let table = stdout(&xeberdar(root, &["check", "--translations"]));
    assert!(
        table.contains("content/help/hotline.md  source  stale     ok\n"),
        "{table}"
    );
}

#[test]
fn marking_a_default_language_page_is_refused_with_advice() {
    let site = fixture_copy();
    let out = xeberdar(
        site.path(),
        &["translations", "mark", "content/help/hotline.md"],
    );
    assert!(!out.status.success());
    assert_eq!(
        editor_support::stderr(&out),
        "error: content/help/hotline.md: this page is in the default language (az); mark its translations instead, for example content/help/hotline.en.md\n"
    );
}
