//! The real site, built by the real `xeberdar` binary into a temporary folder and served on
//! 127.0.0.1 by a tiny static file server, for the browser quality gates
//! (`tests/tests/e2e/site_*.rs`).
//!
//! The server is deliberately plain (std only, one thread per connection, no caching, no
//! compression) so that what the browser sees is exactly what `public/` holds. Two extra
//! routes stand in for things outside the static site: `/__exit/` is the neutral page the
//! quick-exit button leads to in tests, and `{report_endpoint}/health` answers with a
//! status the test chooses, to play the report endpoint being up or down.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::Arc;
use std::time::Duration;
use xeberdar_site::percent::decode as percent_decode;

/// A copy of the site's sources with a test config, built into `public/`.
pub struct BuiltSite {
    /// Holds the copy and the output; removed on drop.
    pub dir: tempfile::TempDir,
    pub public: PathBuf,
    pub server: StaticServer,
}

impl BuiltSite {
    /// `http://127.0.0.1:<port>` (no trailing slash).
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }
}

/// Folders and files of a site that a build reads.
const SITE_PARTS: &[&str] = &[
    "config.toml",
    "content",
    "data",
    "static",
    "templates",
    "themes",
    "i18n",
];

/// Copies the workspace's site, lets `customize` edit the copy (config, extra content),
/// binds a port, builds with `--base-url http://127.0.0.1:<port>` and serves the result.
/// The config's `exit_url` is pointed at the local `/__exit/` page, so no test ever
/// leaves 127.0.0.1.
pub fn build_and_serve(customize: impl FnOnce(&Path)) -> BuiltSite {
    let dir = copy_of_site();
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local address").port();
    let base_url = format!("http://127.0.0.1:{port}");

    let config_path = dir.path().join("config.toml");
    let config = std::fs::read_to_string(&config_path).expect("read config.toml");
    let config = set_extra(&config, "exit_url", &format!("{base_url}/__exit/"));
    std::fs::write(&config_path, config).expect("write the test config.toml");
    customize(dir.path());

    let public = dir.path().join("public");
    let output = Command::new(crate::binary("xeberdar"))
        .arg("--root")
        .arg(dir.path())
        .arg("build")
        .arg("--output-dir")
        .arg(&public)
        .arg("--base-url")
        .arg(&base_url)
        .output()
        .expect("run xeberdar build");
    assert!(
        output.status.success(),
        "xeberdar build failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        public.join("index.html").is_file(),
        "xeberdar build succeeded but wrote no {}/index.html (is target/debug/xeberdar a current build? run `cargo build -p xeberdar`):\n{}",
        public.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let server = StaticServer::start(listener, public.clone());
    BuiltSite {
        dir,
        public,
        server,
    }
}

/// A temporary copy of the workspace's site sources (config, content, theme, strings).
pub fn copy_of_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("create a temporary folder for the site");
    let src = crate::workspace_root();
    for part in SITE_PARTS {
        let from = src.join(part);
        if from.exists() {
            copy_tree(&from, &dir.path().join(part));
        }
    }
    dir
}

/// Replaces (or adds) `key = "value"` in the `[extra]` table of a config text.
pub fn set_extra(config: &str, key: &str, value: &str) -> String {
    let line = format!("{key} = \"{value}\"");
    let mut out = Vec::new();
    let mut in_extra = false;
    let mut done = false;
    for l in config.lines() {
        let trimmed = l.trim_start();
        if trimmed.starts_with('[') {
            if in_extra && !done {
                out.push(line.clone());
                done = true;
            }
            in_extra = trimmed.starts_with("[extra]");
        }
        let is_key =
            trimmed.starts_with(&format!("{key} ")) || trimmed.starts_with(&format!("{key}="));
        if in_extra && !done && is_key {
            out.push(line.clone());
            done = true;
            continue;
        }
        out.push(l.to_string());
    }
    if !done {
        if !in_extra {
            out.push("[extra]".to_string());
        }
        out.push(line);
    }
    out.join("\n") + "\n"
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).expect("create folder");
        for entry in std::fs::read_dir(from).expect("list folder") {
            let entry = entry.expect("folder entry");
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to)
            .unwrap_or_else(|e| panic!("copy {} to {}: {e}", from.display(), to.display()));
    }
}

/// Every HTML file under `public/`, as (URL path, file path), sorted.
pub fn html_pages(public: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    collect(public, public, &mut out);
    out.sort();
    out
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            let rel = path
                .strip_prefix(root)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            let url = match rel.strip_suffix("index.html") {
                Some(dir) => format!("/{dir}"),
                None => format!("/{rel}"),
            };
            out.push((url, path));
        }
    }
}

/// A static file server on 127.0.0.1 for one folder.
pub struct StaticServer {
    port: u16,
    health_status: Arc<AtomicU16>,
}

impl StaticServer {
    fn start(listener: TcpListener, root: PathBuf) -> StaticServer {
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
        let headers = Arc::new(site_headers(&root));
        let health_status = Arc::new(AtomicU16::new(200));
        let health = health_status.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let root = root.clone();
                let health = health.clone();
                let headers = headers.clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, &root, &health, &headers);
                });
            }
        });
        StaticServer {
            port,
            health_status,
        }
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The status `/report/health` answers with (200 = the endpoint is up).
    pub fn set_health_status(&self, status: u16) {
        self.health_status.store(status, Ordering::SeqCst);
    }
}

const EXIT_PAGE: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Weather</title></head><body><main><h1>Weather</h1><p>A neutral page.</p></main></body></html>";

/// The `/*` block of `public/_headers` (Netlify / Cloudflare Pages format), so pages are
/// served with the headers production sends, the Content-Security-Policy above all.
pub fn site_headers(public: &Path) -> Vec<(String, String)> {
    let Ok(text) = std::fs::read_to_string(public.join("_headers")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut in_all = false;
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !line.starts_with(char::is_whitespace) {
            in_all = line.trim() == "/*";
            continue;
        }
        if in_all {
            if let Some((name, value)) = line.trim().split_once(':') {
                out.push((name.trim().to_string(), value.trim().to_string()));
            }
        }
    }
    out
}

fn serve(
    stream: TcpStream,
    root: &Path,
    health: &AtomicU16,
    headers: &[(String, String)],
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut content_length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                content_length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    if content_length > 0 {
        let mut body = vec![0u8; content_length.min(1 << 20)];
        reader.read_exact(&mut body)?;
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let path = percent_decode(path);

    let (status, content_type, body): (u16, &str, Vec<u8>) = if path == "/__exit/" {
        (
            200,
            "text/html; charset=utf-8",
            EXIT_PAGE.as_bytes().to_vec(),
        )
    } else if path.ends_with("/report/health") || path == "/report/health" {
        (health.load(Ordering::SeqCst), "text/plain", b"ok".to_vec())
    } else if method != "GET" && method != "HEAD" {
        (405, "text/plain", b"method not allowed".to_vec())
    } else {
        match resolve(root, &path) {
            Some(file) => match std::fs::read(&file) {
                Ok(bytes) => (200, content_type_of(&file), bytes),
                Err(_) => not_found(root),
            },
            None => not_found(root),
        }
    };
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Status",
    };
    let mut out = stream;
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    if method != "HEAD" {
        out.write_all(&body)?;
    }
    out.flush()
}

fn not_found(root: &Path) -> (u16, &'static str, Vec<u8>) {
    let body = std::fs::read(root.join("404.html")).unwrap_or_else(|_| b"not found".to_vec());
    (404, "text/html; charset=utf-8", body)
}

fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let rel = Path::new(url_path.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) && !rel.as_os_str().is_empty() {
        return None;
    }
    let full = root.join(rel);
    if full.is_dir() {
        let index = full.join("index.html");
        return index.is_file().then_some(index);
    }
    full.is_file().then_some(full)
}

fn content_type_of(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
        .as_str()
    {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "vtt" => "text/vtt; charset=utf-8",
        "webm" => "video/webm",
        "mp4" => "video/mp4",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "svg" => "image/svg+xml",
        "pdf" => "application/pdf",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_extra_replaces_or_adds() {
        let c = "a = 1\n[extra]\nexit_url = \"https://x/\"\nb = 2\n";
        let out = set_extra(c, "exit_url", "http://127.0.0.1:1/__exit/");
        assert!(out.contains("exit_url = \"http://127.0.0.1:1/__exit/\""));
        assert!(!out.contains("https://x/"));
        let out = set_extra("a = 1\n[extra]\nb = 2\n[x]\n", "exit_url", "u");
        assert!(out.contains("b = 2\nexit_url = \"u\"\n[x]"), "{out}");
        let out = set_extra("a = 1\n", "exit_url", "u");
        assert!(out.ends_with("[extra]\nexit_url = \"u\"\n"), "{out}");
    }
}
