//! The onion mirror: the site built with `xeberdar build --base-url http://<onion>` and
//! served by the shipped nginx configuration's onion server, reached as Tor reaches it
//! (a PROXY line naming the circuit, then HTTP, on loopback; no Tor network here). Every
//! link of every page, the form, its scripts and the receipt work on the onion address,
//! and none leads to the public address (links to other sites, such as cited sources,
//! stay as they are). Each Tor circuit is its own client for the rate limits, so one
//! visitor cannot use up the limit of every Tor visitor.

use std::collections::{BTreeSet, VecDeque};

use xeberdar_e2e::deploy_stack::{form, reference_code_in, Stack, StackOptions, TEST_ONION};

/// Every `href`, `src` and `action` value of an HTML page, entities decoded.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\"", "action=\""] {
        for rest in html.split(attr).skip(1) {
            if let Some(value) = rest.split('"').next() {
                out.push(
                    value
                        .replace("&#x2F;", "/")
                        .replace("&#x3D;", "=")
                        .replace("&amp;", "&"),
                );
            }
        }
    }
    out
}

fn exit_url() -> String {
    let config = std::fs::read_to_string(xeberdar_e2e::workspace_root().join("config.toml"))
        .expect("config.toml");
    config
        .lines()
        .find_map(|l| l.trim().strip_prefix("exit_url = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("extra.exit_url in config.toml")
        .to_string()
}

#[test]
fn every_link_the_form_and_the_receipt_work_on_the_onion_mirror() {
    let stack = Stack::start(StackOptions {
        tips_per_hour: 2,
        ..StackOptions::default()
    });
    let origin = format!("http://{TEST_ONION}");
    let exit = exit_url();
    let home = stack.onion(1, "GET", "/", "");
    assert_eq!(home.status, 200, "{home:?}");
    assert_eq!(home.header("onion-location"), None, "already on the onion");
    assert!(home.header("content-security-policy").is_some());

    // Walk every page and file the mirror links to, from each language's home and
    // report page.
    let mut queue: VecDeque<String> = [
        "/",
        "/ru/",
        "/en/",
        "/report/",
        "/ru/report/",
        "/en/report/",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    let mut seen = BTreeSet::new();
    let mut off_site = BTreeSet::new();
    let mut pages = 0;
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let mut r = stack.onion(1, "GET", &path, "");
        if (300..400).contains(&r.status) {
            let to = r.header("location").unwrap_or_default().to_string();
            assert!(to.starts_with('/'), "{path} redirects off the mirror: {to}");
            r = stack.onion(1, "GET", &to, "");
        }
        assert_eq!(r.status, 200, "{path} on the onion mirror");
        if !r
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/html"))
        {
            continue;
        }
        pages += 1;
        for link in links(&r.body) {
            assert!(
                !link.contains("xeberdar.example"),
                "{path} links the public address: {link}"
            );
            let target = if let Some(rest) = link.strip_prefix(&origin) {
                rest.to_string()
            } else if link.starts_with('/') {
                link.clone()
            } else if !link.starts_with('#') && !link.contains(':') {
                // Relative to the page's folder (`captions.az.vtt` beside a film).
                let folder = &path[..path.rfind('/').map_or(0, |i| i + 1)];
                format!("{folder}{link}")
            } else {
                if !link.starts_with('#') {
                    off_site.insert(link);
                }
                continue;
            };
            let target = target.split('#').next().unwrap_or("/").to_string();
            let target = if target.is_empty() {
                "/".to_string()
            } else {
                target
            };
            queue.push_back(target);
        }
    }
    assert!(pages >= 40, "only {pages} pages were reached");
    // Links off the mirror are the hotline, the quick exit and the sources pages cite
    // (other sites, named as such); none is this site's public address (checked above).
    assert!(off_site.contains("tel:152"), "{off_site:?}");
    assert!(off_site.contains(&exit), "{off_site:?}");
    for link in &off_site {
        assert!(
            link.starts_with("tel:")
                || link.starts_with("https://")
                || link.starts_with("http://")
                || link.starts_with("mailto:"),
            "a link of another kind: {link}"
        );
    }
    assert!(seen.iter().any(|p| p.starts_with("/api/report/pow.js")));
    let challenge = stack.onion(1, "GET", "/api/report/challenge", "");
    assert_eq!(challenge.status, 200);
    assert!(
        challenge.body.contains("\"challenge\""),
        "{}",
        challenge.body
    );

    // A tip from the onion form lands on the receipt, whose links stay on the mirror.
    let tip = form(&[
        ("lang", "ru"),
        ("description", "Сообщение через луковый адрес"),
        ("no_js_answer", "152"),
    ]);
    let sent = stack.onion(7, "POST", "/api/report", &tip);
    assert_eq!(sent.status, 303, "{sent:?}");
    let location = sent.header("location").expect("a Location").to_string();
    assert!(location.starts_with("/api/report/r/"), "{location}");
    let receipt = stack.onion(7, "GET", &location, "");
    assert_eq!(receipt.status, 200);
    assert!(
        reference_code_in(&receipt.body).is_some(),
        "{}",
        receipt.body
    );
    for link in links(&receipt.body) {
        let path = link.strip_prefix(&origin).unwrap_or(&link).to_string();
        if path.starts_with('/') {
            let path = path.split('#').next().unwrap_or("/");
            assert_eq!(
                stack.onion(7, "GET", path, "").status,
                200,
                "receipt link {link}"
            );
        } else {
            assert!(
                !path.contains("xeberdar.example")
                    && (path.starts_with('#')
                        || path.starts_with("tel:")
                        || path.starts_with("https://")
                        || path.starts_with("http://")),
                "the receipt links the public address, or something odd: {link}"
            );
        }
    }

    // Circuit 7 uses up its limit of two; circuit 8, another Tor visitor, does not share it.
    assert_eq!(stack.onion(7, "POST", "/api/report", &tip).status, 303);
    assert_eq!(stack.onion(7, "POST", "/api/report", &tip).status, 429);
    assert_eq!(stack.onion(8, "POST", "/api/report", &tip).status, 303);

    let logs = stack.nginx_logs();
    assert!(
        !logs.contains("fc00:dead:beef"),
        "nginx logged a circuit:\n{logs}"
    );
}
