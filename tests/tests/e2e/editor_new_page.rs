//! `xeberdar new page`: files with front matter that builds, never an overwrite.

use crate::editor_support;

use editor_support::{fixture_copy, read, stderr, stdout, xeberdar};

#[test]
fn creates_the_page_and_its_translations() {
    let site = fixture_copy();
    let root = site.path();
    let out = xeberdar(root, &["new", "page", "help/shelter", "--lang", "az,ru"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "created content/help/shelter.md\ncreated content/help/shelter.ru.md\n"
    );
    let az = read(root, "content/help/shelter.md");
    assert!(
        az.starts_with("+++\ntitle = \"Yeni səhifə\"\ndescription = \""),
        "{az}"
    );
    assert!(az.contains("\ndraft = true\n"), "{az}");
    let ru = read(root, "content/help/shelter.ru.md");
    assert!(ru.contains("title = \"Новая страница\""), "{ru}");
    assert!(ru.contains("\nsource_hash = \""), "{ru}");

    // The new files build (as drafts) and the translation starts out current.
    let check = xeberdar(root, &["check", "--drafts"]);
    assert!(
        check.status.success(),
        "{}\n{}",
        stdout(&check),
        stderr(&check)
    );
    let table = stdout(&xeberdar(root, &["check", "--translations"]));
    assert!(
        table.contains("content/help/shelter.md  source  missing   ok\n"),
        "{table}"
    );

    // Never an overwrite.
    let again = xeberdar(root, &["new", "page", "help/shelter"]);
    assert!(!again.status.success());
    assert_eq!(
        stderr(&again),
        "error: refusing to overwrite existing files: content/help/shelter.md, content/help/shelter.ru.md\n"
    );
    assert_eq!(read(root, "content/help/shelter.md"), az);
}

#[test]
fn explains_a_bad_name_or_section() {
    let site = fixture_copy();
    let out = xeberdar(site.path(), &["new", "page", "news/first"]);
    assert!(!out.status.success());
    assert_eq!(
        stderr(&out),
        "error: content/news/ is not a section (no content/news/_index.md); create it with `xeberdar new section news` or pick an existing one: help\n"
    );
    let out = xeberdar(site.path(), &["new", "page", "help/Şəki"]);
    assert!(stderr(&out).starts_with("error: `help/Şəki` is not a valid page name"));
}
