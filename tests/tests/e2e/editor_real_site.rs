//! The README's first command serves the real site with the tip endpoint on the same origin.
//! Runs the real binary on a temporary copy of the repository's site.

use crate::editor_support;

use editor_support::{copy_dir, Server};
use xeberdar_e2e::workspace_root;

#[test]
fn serve_runs_the_real_site_with_the_report_endpoint() {
    let site = tempfile::tempdir().expect("temp dir");
    let repo = workspace_root();
    for dir in ["content", "themes", "static", "data"] {
        if repo.join(dir).is_dir() {
            copy_dir(&repo.join(dir), &site.path().join(dir));
        }
    }
    copy_dir(
        &repo.join("i18n/locales"),
        &site.path().join("i18n/locales"),
    );
    std::fs::copy(repo.join("config.toml"), site.path().join("config.toml")).expect("config");

    let server = Server::start(site.path(), &[]);
    let (status, home) = server.get("/");
    assert_eq!(status, 200, "{}", server.log());
    assert!(
        home.contains("href=\"tel:152\""),
        "the hotline is on the home page"
    );
    assert!(home.contains("<script src=\"/_xeberdar/livereload.js\" defer></script>"));

    let log = server.log();
    let prefix = log
        .split("The tip form works locally at ")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .unwrap_or_else(|| panic!("the endpoint did not start: {log}"))
        .to_string();
    let (status, body) = server.get(&format!("{prefix}/health"));
    assert_eq!((status, body.as_str()), (200, "ok"), "{log}");
    let (status, challenge) = server.get(&format!("{prefix}/challenge"));
    assert_eq!(status, 200);
    assert!(challenge.starts_with('{'), "{challenge}");
}
