//! Checks shared by the site quality-gate tests: scanning built pages for loads from other
//! origins, page weights, and running the browser script `tests/browser/site_check.js`.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// One Chromium at a time: the machine has two cores and the tests run in parallel threads.
static BROWSER: Mutex<()> = Mutex::new(());

/// Runs `site_check.js` with `job` (see the script's header for the fields) and returns
/// its failure messages. Panics, with the output, if the script itself cannot run.
pub fn run_browser(job: serde_json::Value) -> Vec<String> {
    let _one_at_a_time = BROWSER.lock().unwrap_or_else(|p| p.into_inner());
    let modules = crate::node_modules();
    let script = crate::workspace_root().join("tests/browser/site_check.js");
    let mut job = job;
    job["chromium"] = serde_json::Value::from(crate::chromium().display().to_string());
    let mut file = tempfile::NamedTempFile::new().expect("temporary job file");
    file.write_all(job.to_string().as_bytes())
        .expect("write the job file");
    let output = Command::new(node())
        .arg(&script)
        .arg(file.path())
        .env("NODE_PATH", &modules)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().rev().find(|l| l.starts_with('{'));
    let parsed: serde_json::Value = match line.and_then(|l| serde_json::from_str(l).ok()) {
        Some(v) => v,
        None => panic!(
            "the browser script gave no result (status {}):\n{}\n{}",
            output.status,
            stdout,
            String::from_utf8_lossy(&output.stderr)
        ),
    };
    parsed["failures"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Node.js, which runs the browser scripts. A missing node is a failure, not a skip.
pub fn node() -> PathBuf {
    let node = std::env::var_os("XEBERDAR_NODE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("node"));
    let ok = Command::new(&node)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "node not found (install Node.js 20 or set XEBERDAR_NODE; scripts/test.sh expects it)"
    );
    node
}

/// Fails the test with every message, one a line.
pub fn assert_no_failures(what: &str, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{what}: {} problem(s):\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

/// gzip size at the best compression, as a server would send it.
pub fn gzip_len(bytes: &[u8]) -> usize {
    use flate2::write::GzEncoder;
    let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("gzip in memory");
    enc.finish().map(|v| v.len()).unwrap_or(usize::MAX)
}

/// An HTML page that only redirects (an alias): not a page a visitor reads.
pub fn is_redirect(html: &str) -> bool {
    html.contains("http-equiv=\"refresh\"")
}

/// A tag with its attributes, as found by [`tags`].
#[derive(Debug)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The start tags of an HTML document with their attributes (enough for generated pages:
/// quoted or bare values, comments skipped, script/style bodies skipped).
pub fn tags(html: &str) -> Vec<Tag> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off;
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map_or(html.len(), |e| i + e + 3);
            continue;
        }
        let start = i + 1;
        if start >= bytes.len() || !bytes[start].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let mut j = start;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'-') {
            j += 1;
        }
        let name = html[start..j].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while j < bytes.len() && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' {
                break;
            }
            let n0 = j;
            while j < bytes.len()
                && !bytes[j].is_ascii_whitespace()
                && bytes[j] != b'='
                && bytes[j] != b'>'
            {
                j += 1;
            }
            let attr = html[n0..j].to_ascii_lowercase();
            let mut value = String::new();
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                if j < bytes.len() && (bytes[j] == b'"' || bytes[j] == b'\'') {
                    let q = bytes[j];
                    let v0 = j + 1;
                    j = v0;
                    while j < bytes.len() && bytes[j] != q {
                        j += 1;
                    }
                    value = html[v0..j.min(bytes.len())].to_string();
                    j += 1;
                } else {
                    let v0 = j;
                    while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                        j += 1;
                    }
                    value = html[v0..j].to_string();
                }
            }
            attrs.push((attr, decode_entities(&value)));
        }
        i = j.min(bytes.len());
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            i = html[i..].find(&close).map_or(html.len(), |e| i + e);
        }
        out.push(Tag { name, attrs });
    }
    out
}

/// Decodes the character references Tera's escaping produces (`&#x2F;` for `/` and
/// friends), so `https:&#x2F;&#x2F;cdn…` is seen as the URL a browser would load.
pub fn decode_entities(value: &str) -> String {
    value
        .replace("&#x2F;", "/")
        .replace("&#x2f;", "/")
        .replace("&#47;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#x3A;", ":")
        .replace("&colon;", ":")
        .replace("&amp;", "&")
}

/// Whether `url` (as written in a page at `base`) points to another origin.
pub fn is_foreign(url: &str, origin: &str) -> bool {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    if lower.starts_with("//") {
        return !format!("http:{lower}").starts_with(&format!("{origin}/"))
            && format!("http:{lower}") != origin;
    }
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return !(lower == origin || lower.starts_with(&format!("{origin}/")));
    }
    false
}

/// Everything in a page that makes the browser fetch something from another origin:
/// src/srcset/poster/data/action/formaction, any `<link href>`, `<meta http-equiv=refresh>`,
/// and `url(…)`/`@import` in style attributes and blocks. Links a visitor clicks
/// (`<a href>`) are not loads and may go anywhere.
pub fn foreign_loads_in_html(html: &str, origin: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in tags(html) {
        for (name, value) in &tag.attrs {
            let candidates: Vec<&str> = match name.as_str() {
                "src" | "poster" | "data" | "action" | "formaction" | "background" => {
                    vec![value.as_str()]
                }
                "srcset" => value
                    .split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .collect(),
                "href" if tag.name == "link" => vec![value.as_str()],
                "content"
                    if tag
                        .attr("http-equiv")
                        .is_some_and(|h| h.eq_ignore_ascii_case("refresh")) =>
                {
                    value.split("url=").nth(1).into_iter().collect()
                }
                "style" => {
                    out.extend(foreign_loads_in_css(value, origin));
                    vec![]
                }
                _ => vec![],
            };
            for c in candidates {
                if is_foreign(c, origin) {
                    out.push(format!("<{} {}=\"{}\">", tag.name, name, c));
                }
            }
        }
    }
    let mut rest = html;
    while let Some(s) = rest.find("<style") {
        let body = &rest[s..];
        let end = body.find("</style>").unwrap_or(body.len());
        out.extend(foreign_loads_in_css(&body[..end], origin));
        rest = &body[end..];
    }
    out
}

/// `url(…)` and `@import` targets in CSS that point to another origin.
pub fn foreign_loads_in_css(css: &str, origin: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = css.to_ascii_lowercase();
    for marker in ["url(", "@import"] {
        let mut from = 0;
        while let Some(p) = lower[from..].find(marker) {
            let at = from + p + marker.len();
            let target: String = css[at..]
                .trim_start()
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| !matches!(c, '"' | '\'' | ')' | ';' | ' '))
                .collect();
            if is_foreign(&target, origin) {
                out.push(format!("{marker} {target}"));
            }
            from = at;
        }
    }
    out
}

/// Absolute http(s) URLs in a script that point to another origin.
pub fn foreign_urls_in_js(js: &str, origin: &str) -> Vec<String> {
    let mut out = Vec::new();
    for scheme in ["http://", "https://"] {
        let mut from = 0;
        while let Some(p) = js[from..].find(scheme) {
            let at = from + p;
            let url: String = js[at..]
                .chars()
                .take_while(|c| !matches!(c, '"' | '\'' | '`' | ' ' | ')' | '\n'))
                .collect();
            if is_foreign(&url, origin) {
                out.push(url);
            }
            from = at + scheme.len();
        }
    }
    out
}

/// Every file under `dir` with one of the extensions.
pub fn files_with_ext(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| exts.contains(&x))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_loads_from_other_origins_but_not_links() {
        let o = "http://127.0.0.1:8000";
        let html = r#"<a href="https://example.org/">x</a><img src="https://cdn.example/a.png">
<link rel="stylesheet" href="http://127.0.0.1:8000/s.css"><script src="//evil.example/x.js"></script>
<div style="background:url('https://t.example/p.gif')"></div><style>@import "https://f.example/a.css";</style>"#;
        let found = foreign_loads_in_html(html, o);
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(found.iter().all(|f| !f.contains("example.org")));
        assert_eq!(
            foreign_urls_in_js("fetch('https://x.example/a')", o),
            vec!["https://x.example/a"]
        );
        assert!(foreign_urls_in_js("fetch('/report/health')", o).is_empty());
        let escaped = r#"<link rel="alternate" href="https:&#x2F;&#x2F;other.example&#x2F;">"#;
        assert_eq!(foreign_loads_in_html(escaped, o).len(), 1);
    }
}
