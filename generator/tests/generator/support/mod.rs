//! Helpers shared by the `site_*` tests: copy the fixture site into a temporary folder, run
//! the real `xeberdar` binary on it, read its output.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The fixture site shipped with the tests.
pub fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site")
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A fresh copy of the fixture site in a temporary folder.
pub fn fixture_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    dir
}

/// Runs `xeberdar --root <root> <args>`.
pub fn xeberdar(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xeberdar"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("run xeberdar")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Writes each `(path, text)` under `root`, making folders as needed.
pub fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().expect("a file path has a parent")).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// Builds the site at `root` into `root/public` and panics with the output if it fails.
pub fn build_ok(root: &Path, extra: &[&str]) -> PathBuf {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let out = xeberdar(root, &args);
    assert!(
        out.status.success(),
        "build failed\nstdout:\n{}\nstderr:\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    root.join("public")
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir`, by relative path, with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// `(hreflang, href)` of every `<link rel="alternate" hreflang=… href=…>` in an HTML page.
pub fn alternates(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for tag in html.split('<').filter(|t| t.starts_with("link ")) {
        if !tag.contains("rel=\"alternate\"") || !tag.contains("hreflang=") {
            continue;
        }
        let attr = |name: &str| -> Option<String> {
            let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
            let end = tag[start..].find('"')? + start;
            Some(tag[start..end].to_string())
        };
        if let (Some(l), Some(h)) = (attr("hreflang"), attr("href")) {
            out.push((l, h));
        }
    }
    out
}

/// The output file an absolute URL of the fixture site maps to.
pub fn file_for_url(public: &Path, url: &str) -> PathBuf {
    let path = url
        .strip_prefix("https://fixture.example/")
        .unwrap_or_else(|| panic!("not an absolute fixture URL: {url}"));
    let path = path.split(['?', '#']).next().unwrap_or("");
    if path.is_empty() || path.ends_with('/') {
        public.join(path).join("index.html")
    } else {
        public.join(path)
    }
}
