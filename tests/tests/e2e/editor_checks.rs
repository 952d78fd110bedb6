//! The content checks of `xeberdar check`, each with its exact `path:line:col` message, and
//! their levels from `[content_checks]` in config.toml.

use crate::editor_support;

use editor_support::{fixture_copy, read, stderr, stdout, write, xeberdar};

const PAGE: &str = "+++
title = \"Sənədlər\"
description = \"Pasportunuzu heç kimə verməyin.\"
+++
Giriş ![](poster.jpg) və [](https://example.org/help).

#### Dördüncü səviyyə

Bax [yardım](https://example.org/x) və <img src=\"a.png\">.
";

fn lines_with(text: &str, needle: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.contains(needle))
        .map(str::to_string)
        .collect()
}

#[test]
fn each_check_names_file_line_and_column() {
    let site = fixture_copy();
    let root = site.path();
    write(root, "content/help/papers.md", PAGE);
    // Same title as the hotline page, no description.
    write(
        root,
        "content/help/again.md",
        "+++\ntitle = \"Qaynar xətt\"\n+++\nMətn.\n",
    );
    let long = "ə".repeat(170);
    write(
        root,
        "content/help/long.md",
        &format!("+++\ntitle = \"Uzun\"\ndescription = \"{long}\"\n+++\nMətn.\n"),
    );

    let out = xeberdar(root, &["check"]);
    let text = stdout(&out);
    assert!(
        !out.status.success(),
        "images without alt text are errors by default"
    );
    // (`check` also reports the missing translations of the new pages; not this test's subject.)
    let papers: Vec<String> = lines_with(&text, "content/help/papers.md:")
        .into_iter()
        .filter(|l| !l.contains("missing translation"))
        .collect();
    assert_eq!(
        papers,
        vec![
            "content/help/papers.md:5:7: error: image has no alt text: describe what it shows between the brackets, like ![Hotline 152 poster](poster.jpg) [image_alt]",
            "content/help/papers.md:5:26: error: link has no text: write what it leads to between the brackets, like [the hotline page](@/hotline.md) [empty_link_text]",
            "content/help/papers.md:5:26: info: external link: https://example.org/help [external_links]",
            "content/help/papers.md:7:1: warning: heading level skipped: a level-4 heading (####) follows level 1; use ## here [heading_levels]",
            "content/help/papers.md:9:5: info: external link: https://example.org/x [external_links]",
            "content/help/papers.md:9:40: error: image has no alt text: add alt=\"what it shows\" to the <img> tag [image_alt]",
        ],
        "{text}"
    );
    assert!(
        text.contains("content/help/again.md:1:1: warning: page has no description: add description = \"…\" to the front matter; search results and link previews show it [missing_description]\n"),
        "{text}"
    );
    assert!(
        text.contains("content/help/hotline.md:2:1: warning: title \"Qaynar xətt\" is already used by content/help/again.md (az); give each page its own title [duplicate_titles]\n"),
        "{text}"
    );
    assert!(
        text.contains("content/help/long.md:3:1: warning: description is 170 characters long; search results show about 155, so shorten it [description_length]\n"),
        "{text}"
    );
    // The last line counts every line printed above it.
    let count = |level: &str| text.lines().filter(|l| l.contains(level)).count();
    let (errors, warnings, notes) = (count(": error: "), count(": warning: "), count(": info: "));
    assert_eq!((errors, notes), (3, 2), "{text}");
    assert_eq!(
        stderr(&out).lines().last().unwrap_or_default(),
        format!("check: 3 errors, {warnings} warnings (no stale translations), 2 notes listed"),
        "{text}"
    );
}

/// `check` never says "no problems" while it reports some: stale translations and the
/// starter site's warnings are counted in its last line.
#[test]
fn the_summary_counts_warnings_and_stale_translations() {
    let site = fixture_copy();
    let root = site.path();
    let mark = xeberdar(
        root,
        &[
            "translations",
            "mark",
            "content/_index.ru.md",
            "content/_index.en.md",
            "content/help/_index.ru.md",
            "content/help/_index.en.md",
            "content/help/hotline.en.md",
        ],
    );
    assert!(mark.status.success(), "{}", stderr(&mark));
    let clean = xeberdar(root, &["check"]);
    assert_eq!(
        stderr(&clean).lines().last().unwrap_or_default(),
        "check: no problems found (0 errors, 0 warnings, 0 stale translations)",
        "{}",
        stdout(&clean)
    );

    // The Azerbaijani page changes: its marked translations are now stale.
    write(
        root,
        "content/help/hotline.md",
        &read(root, "content/help/hotline.md").replace("zəng edin.", "indi zəng edin."),
    );
    let out = xeberdar(root, &["check"]);
    assert!(out.status.success(), "a stale translation is a warning");
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    for (line, lang) in lines.iter().zip(["en", "ru"]) {
        assert!(
            line.starts_with(&format!(
                "content/help/hotline.{lang}.md:5:1: warning: stale translation: content/help/hotline.md changed"
            )),
            "{text}"
        );
    }
    assert_eq!(
        stderr(&out).lines().last().unwrap_or_default(),
        "check: 0 errors, 2 warnings (2 of them stale translations)"
    );

    // The editor's language: from the environment, else from config.toml.
    let ru = editor_support::xeberdar_in(root, &["check"], &[("XEBERDAR_LANG", "ru")]);
    assert_eq!(
        stderr(&ru).lines().last().unwrap_or_default(),
        "check: ошибок: 0, предупреждений: 2 (из них устаревших переводов: 2)"
    );
    write(
        root,
        "config.toml",
        &read(root, "config.toml").replace("[extra]\n", "[extra]\neditor_language = \"az\"\n"),
    );
    let az = editor_support::xeberdar_in(root, &["check"], &[("XEBERDAR_LANG", "")]);
    assert_eq!(
        stderr(&az).lines().last().unwrap_or_default(),
        "check: 0 xəta, 2 xəbərdarlıq (onlardan 2 köhnəlmiş tərcümə)"
    );

    // The starter site of `xeberdar init`.
    let starter = tempfile::tempdir().expect("temp dir");
    let init = xeberdar(starter.path(), &["init", "site"]);
    assert!(init.status.success(), "{}", stderr(&init));
    let out = xeberdar(&starter.path().join("site"), &["check"]);
    let printed = stdout(&out)
        .lines()
        .filter(|l| l.contains(": warning: "))
        .count();
    assert!(printed > 0, "{}", stdout(&out));
    assert_eq!(
        stderr(&out).lines().last().unwrap_or_default(),
        format!("check: 0 errors, {printed} warnings (no stale translations)")
    );
    assert!(!stderr(&out).contains("no problems"), "{}", stderr(&out));
}

#[test]
fn levels_come_from_config() {
    let site = fixture_copy();
    let root = site.path();
    write(root, "content/help/papers.md", PAGE);
    let config = read(root, "config.toml")
        + "\n[content_checks]\nimage_alt = \"warning\"\nempty_link_text = \"off\"\nexternal_links = \"off\"\nmax_description_length = 20\n";
    write(root, "config.toml", &config);
    let out = xeberdar(root, &["check"]);
    let text = stdout(&out);
    assert!(
        out.status.success(),
        "no check is an error any more: {text}"
    );
    assert!(
        text.contains("content/help/papers.md:5:7: warning: image has no alt text"),
        "{text}"
    );
    assert!(!text.contains("[empty_link_text]"), "{text}");
    assert!(!text.contains("[external_links]"), "{text}");
    assert!(
        text.contains("content/help/papers.md:3:1: warning: description is 31 characters long; search results show about 20, so shorten it [description_length]"),
        "{text}"
    );

    write(
        root,
        "config.toml",
        &(read(root, "config.toml") + "heading_levels = \"loud\"\n"),
    );
    let out = xeberdar(root, &["check"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("config.toml: [content_checks] heading_levels: must be \"error\", \"warning\", \"info\" or \"off\", found \"loud\""),
        "{}",
        stderr(&out)
    );
}

/// The problem lines themselves are in the editor's language, with the same file, line and
/// column as in English: a front-matter error, a link to a page that does not exist and an
/// anchor that is no heading of its target.
#[test]
fn the_problem_lines_are_in_the_editors_language() {
    let site = fixture_copy();
    let root = site.path();
    write(
        root,
        "content/help/shelters.md",
        "+++\ntitle = \"Sığınacaqlar\"\ndescription = \"Kömək.\"\ndate = \"6 May\"\n+++\nMətn.\n",
    );
    write(
        root,
        "content/help/links.md",
        "+++\ntitle = \"Keçidlər\"\ndescription = \"Kömək.\"\n+++\nMətn.\n\nBax [sığınacaq](@/help/nope.md) və [qaynar xətt](@/help/hotline.md#yoxdur).\n",
    );
    let lines = |lang: &str| {
        let out = editor_support::xeberdar_in(root, &["check"], &[("XEBERDAR_LANG", lang)]);
        assert!(!out.status.success(), "errors fail the check ({lang})");
        (stdout(&out), stderr(&out))
    };
    let expect = |text: &str, wanted: &[&str]| {
        for line in wanted {
            assert!(
                text.lines().any(|l| l == *line),
                "missing line\n{line}\nin\n{text}"
            );
        }
    };

    let (az, az_summary) = lines("az");
    expect(
        &az,
        &[
            "content/help/shelters.md:4:9: error: `date` tarixi 2024-05-06 (və ya 2024-05-06T10:00:00+04:00) şəklində yazılmalıdır, amma `6 May` yazılıb",
            "content/help/links.md:7:5: error: `@/help/nope.md` keçidi: belə səhifə yoxdur (content/help/nope.md)",
            "content/help/links.md:7:36: error: `@/help/hotline.md#yoxdur` keçidi: content/help/hotline.md səhifəsində `#yoxdur` başlığı yoxdur",
            "content/help/links.md:1:1: warning: tərcümə çatışmır: `ru` dilində versiyası yoxdur (content/help/links.ru.md); saytın ru dilli versiyasında bu səhifə olmayacaq, dil seçimi də ona keçid verməyəcək",
        ],
    );
    assert!(
        az_summary.ends_with("check: 3 xəta, 7 xəbərdarlıq (köhnəlmiş tərcümə yoxdur)\n"),
        "{az_summary}"
    );

    let (ru, _) = lines("ru");
    expect(
        &ru,
        &[
            "content/help/shelters.md:4:9: error: `date` нужно записать как 2024-05-06 (или 2024-05-06T10:00:00+04:00), а написано `6 May`",
            "content/help/links.md:7:5: error: ссылка `@/help/nope.md`: такой страницы нет (content/help/nope.md)",
            "content/help/links.md:7:36: error: ссылка `@/help/hotline.md#yoxdur`: на странице content/help/hotline.md нет заголовка `#yoxdur`",
            "content/_index.ru.md:1:1: warning: перевод ни разу не отмечен как актуальный: сравните его с content/_index.md, затем выполните `xeberdar translations mark content/_index.ru.md`",
        ],
    );

    // English is the wording the tests and the guide have always shown.
    let (en, _) = lines("en");
    expect(
        &en,
        &[
            "content/help/shelters.md:4:9: error: `date` must look like 2024-05-06 (or 2024-05-06T10:00:00+04:00), found `6 May`",
            "content/help/links.md:7:5: error: link to `@/help/nope.md`: there is no such page (content/help/nope.md)",
            "content/help/links.md:7:36: error: link `@/help/hotline.md#yoxdur`: content/help/hotline.md has no heading with the id `yoxdur`",
        ],
    );
    // The same problems, in the same places, in every language.
    let places = |text: &str| -> Vec<String> {
        text.lines()
            .map(|l| l.splitn(4, ':').take(3).collect::<Vec<_>>().join(":"))
            .collect()
    };
    assert_eq!(places(&az), places(&en));
    assert_eq!(places(&ru), places(&en));
}

/// The content checks' findings, too, and a TOML syntax error with its line.
#[test]
fn content_checks_and_toml_errors_are_in_the_editors_language() {
    let site = fixture_copy();
    let root = site.path();
    write(root, "content/help/papers.md", PAGE);
    write(
        root,
        "content/help/typo.md",
        "+++\ntitle = \"Səhv\"\ntilte = \"x\"\n+++\nMətn.\n",
    );
    write(
        root,
        "content/help/tpl.md",
        "+++\ntitle = \"Şablon\"\ndescription = \"Kömək.\"\ntemplate = \"nope.html\"\n+++\nMətn.\n",
    );
    let out = editor_support::xeberdar_in(root, &["check"], &[("XEBERDAR_LANG", "ru")]);
    let text = stdout(&out);
    for line in [
        "content/help/papers.md:5:7: error: у картинки нет описания: напишите между квадратными скобками, что на ней, например ![Плакат горячей линии](poster.jpg) [image_alt]",
        "content/help/papers.md:5:26: error: у ссылки нет текста: напишите между квадратными скобками, куда она ведёт, например [страница горячей линии](@/hotline.md) [empty_link_text]",
        "content/help/papers.md:7:1: warning: пропущен уровень заголовка: после заголовка уровня 1 идёт заголовок уровня 4 (####); напишите здесь ## [heading_levels]",
        "content/help/papers.md:9:5: info: ссылка на другой сайт: https://example.org/x [external_links]",
    ] {
        assert!(text.lines().any(|l| l == line), "missing\n{line}\nin\n{text}");
    }
    assert!(
        text.lines().any(|l| l.starts_with(
            "content/help/typo.md:3:1: error: неизвестная настройка шапки `tilte`; здесь можно только: title, description,"
        )),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l
                .starts_with("content/help/tpl.md:1:1: error: нет шаблона `nope.html` (искали в ")),
        "{text}"
    );

    write(
        root,
        "content/help/typo.md",
        "+++\ntitle = \"Səhv\ndescription = \"x\"\n+++\nMətn.\n",
    );
    let out = editor_support::xeberdar_in(root, &["check"], &[("XEBERDAR_LANG", "az")]);
    let text = stdout(&out);
    assert!(
        text.lines().any(|l| l.starts_with(
            "content/help/typo.md:2:"
        ) && l.contains(": error: başlıq hissəsi düzgün yazılmayıb (məsələn, dırnaq çatışmır və ya artıqdır): ")),
        "{text}"
    );
}
