//! `xeberdar check` (and `build`) on broken sites: every problem is reported as
//! `path:line:col: …`, errors give a non-zero exit, nothing is written, nothing panics.
//! Also `xeberdar init` and the help text.

use crate::support;

use std::path::Path;

use support::*;

/// `path:line:col: error|warning: message`, path relative to the site.
fn assert_all_lines_well_formed(stdout: &str) {
    for line in stdout.lines() {
        let mut parts = line.splitn(4, ':');
        let path = parts.next().unwrap_or("");
        let l = parts.next().unwrap_or("");
        let c = parts.next().unwrap_or("");
        let rest = parts.next().unwrap_or("");
        assert!(
            !path.is_empty() && !path.starts_with('/') && !path.contains(' '),
            "bad path in: {line}"
        );
        assert!(
            l.parse::<usize>().is_ok_and(|n| n >= 1),
            "bad line in: {line}"
        );
        assert!(
            c.parse::<usize>().is_ok_and(|n| n >= 1),
            "bad column in: {line}"
        );
        assert!(
            rest.starts_with(" error: ") || rest.starts_with(" warning: "),
            "bad message in: {line}"
        );
    }
}

fn check(root: &Path) -> (bool, String, String) {
    let out = xeberdar(root, &["check"]);
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_all_lines_well_formed(&stdout);
    (out.status.success(), stdout, stderr)
}

fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, f(text)).unwrap();
}

#[test]
fn a_clean_site_passes_with_translation_warnings_and_writes_nothing() {
    let site = fixture_copy();
    let (ok, stdout, stderr) = check(site.path());
    assert!(ok, "{stdout}\n{stderr}");
    assert!(
        stdout.contains(
            "content/xeberler/iki.md:1:1: warning: missing translation: no `en` version \
             (content/xeberler/iki.en.md)"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains(" error: "), "{stdout}");
    assert!(stderr.contains("0 errors"), "{stderr}");
    assert!(!site.path().join("public").exists(), "check must not write");
}

#[test]
fn a_missing_default_language_version_is_named_without_a_suffix() {
    let site = fixture_copy();
    std::fs::write(
        site.path().join("content/xeberler/yalniz.ru.md"),
        "+++\ntitle = \"Только по-русски\"\n+++\nТекст.\n",
    )
    .unwrap();
    let (ok, stdout, stderr) = check(site.path());
    assert!(ok, "{stdout}\n{stderr}");
    // The default language's file has no language suffix, as the build reads it.
    assert!(
        stdout.contains(
            "content/xeberler/yalniz.ru.md:1:1: warning: missing translation: no `az` version \
             (content/xeberler/yalniz.md)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("no `en` version (content/xeberler/yalniz.en.md)"),
        "{stdout}"
    );
}

#[test]
fn a_broken_internal_link_is_an_error_at_its_line() {
    let site = fixture_copy();
    edit(site.path(), "content/xeberler/uc.md", |t| {
        format!("{t}\nBax [yoxdur](@/xeberler/yoxdur.md).\n")
    });
    let (ok, stdout, _) = check(site.path());
    assert!(!ok, "{stdout}");
    // The link is on line 7 of the file, after `Bax `.
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("content/xeberler/uc.md:7:")
                && l.contains(" error: ")
                && l.contains("yoxdur")),
        "{stdout}"
    );
    // build refuses too, with the same message, and no panic.
    let out = xeberdar(site.path(), &["build"]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("content/xeberler/uc.md:7:"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_broken_anchor_is_an_error() {
    let site = fixture_copy();
    edit(site.path(), "content/xeberler/uc.md", |t| {
        format!("{t}\n[bax](@/xeberler/bir.md#yoxdur-bele-başlıq)\n")
    });
    let (ok, stdout, _) = check(site.path());
    assert!(!ok);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("content/xeberler/uc.md:7:1: error: ")
                && l.contains("yoxdur-bele-başlıq")),
        "{stdout}"
    );
}

#[test]
fn a_ui_string_missing_in_one_language_is_an_error() {
    let site = fixture_copy();
    edit(site.path(), "i18n/locales/en/main.ftl", |t| {
        t.lines()
            .filter(|l| !l.starts_with("skip"))
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    });
    let (ok, stdout, _) = check(site.path());
    assert!(!ok, "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("i18n/locales/az/main.ftl:1:1: error: ")
                && l.contains("`skip`")
                && l.contains("`en`")),
        "{stdout}"
    );
    // A build still succeeds (the az text stands in) but says so.
    let out = xeberdar(site.path(), &["build"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("`skip`"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_ui_string_that_no_language_defines_points_at_the_template() {
    let site = fixture_copy();
    edit(site.path(), "themes/mini/templates/page.html", |t| {
        t.replace("<article>", "<article>{{ t(key=\"yoxdur\", lang=lang) }}")
    });
    let (ok, stdout, _) = check(site.path());
    assert!(!ok, "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("themes/mini/templates/page.html:4:") && l.contains("`yoxdur`")),
        "{stdout}"
    );
}

#[test]
fn a_template_syntax_error_names_file_line_and_column() {
    let site = fixture_copy();
    edit(site.path(), "themes/mini/templates/section.html", |t| {
        t.replace("<h1>{{ section.title }}</h1>", "<h1>{{ section.title </h1>")
    });
    let (ok, stdout, _) = check(site.path());
    assert!(!ok);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("themes/mini/templates/section.html:4:")
                && l.contains(" error: ")),
        "{stdout}"
    );
}

#[test]
fn bad_front_matter_names_the_file_and_line() {
    let site = fixture_copy();
    edit(site.path(), "content/xeberler/uc.md", |t| {
        t.replace("date = 2024-03-05", "date = 2024-03-05\ntilte = \"x\"")
    });
    let (ok, stdout, _) = check(site.path());
    assert!(!ok);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("content/xeberler/uc.md:4:") && l.contains("tilte")),
        "{stdout}"
    );
}

#[test]
fn a_missing_template_and_an_unknown_shortcode_are_errors_in_the_content_file() {
    let site = fixture_copy();
    edit(site.path(), "content/xeberler/uc.md", |t| {
        t.replacen("+++\n", "+++\ntemplate = \"yoxdur.html\"\n", 1)
    });
    edit(site.path(), "content/xeberler/bir.md", |t| {
        format!("{t}\n{{{{ videyo(id=1) }}}}\n")
    });
    let (ok, stdout, _) = check(site.path());
    assert!(!ok);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("content/xeberler/uc.md:1:1: error: ")
                && l.contains("yoxdur.html")),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("content/xeberler/bir.md:") && l.contains("videyo")),
        "{stdout}"
    );
}

#[test]
fn a_missing_config_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = xeberdar(dir.path(), &["build"]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("config.toml"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let out = xeberdar(dir.path(), &["check"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stdout).starts_with("config.toml:1:1: error: "),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn init_makes_a_site_that_builds_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("sayt");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xeberdar"))
        .arg("init")
        .arg(&site)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (ok, stdout, stderr) = check(&site);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(!stdout.contains(" error: "), "{stdout}");
    let public = build_ok(&site, &[]);
    let home = read(&public.join("index.html"));
    assert!(home.contains("tel:152"), "{home}");
    assert!(public.join("ru/melumat/haqqinda/index.html").is_file());
    // A second init into the same folder refuses rather than overwrite.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xeberdar"))
        .arg("init")
        .arg(&site)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("already has files"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn help_names_every_command_in_plain_words() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xeberdar"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = text(&out.stdout);
    for word in ["build", "check", "init", "--root", "config.toml"] {
        assert!(help.contains(word), "{word} missing from --help:\n{help}");
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xeberdar"))
        .args(["build", "--help"])
        .output()
        .unwrap();
    let help = text(&out.stdout);
    for word in ["--output-dir", "--drafts", "--base-url"] {
        assert!(
            help.contains(word),
            "{word} missing from build --help:\n{help}"
        );
    }
}

#[test]
fn output_dir_that_holds_a_site_is_refused() {
    let site = fixture_copy();
    let out = xeberdar(
        site.path(),
        &["build", "--output-dir", site.path().to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(
        site.path().join("content/xeberler/bir.md").is_file(),
        "the site was deleted"
    );
}
