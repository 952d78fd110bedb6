//! The shipped nginx configuration (`deploy/nginx/`) with Debian's nginx in front of two
//! real `xeberdar-report` replicas and the real site, on loopback: `nginx -t` passes, a tip
//! sent through it reaches a replica and the visitor sees the receipt, the site gets its
//! security and cache headers, forged client-address headers do not get round the
//! per-client rate limit, and no nginx log holds the visitor's address.

use xeberdar_e2e::deploy_stack::{
    lay_out_nginx, nginx_test, reference_code_in, self_signed_cert, NginxLayout, Stack,
    StackOptions, OTHER_VISITOR, TEST_ONION, VISITOR,
};

fn read(path: &str) -> String {
    let full = xeberdar_e2e::workspace_root().join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("read {}: {e}", full.display()))
}

#[test]
fn the_shipped_nginx_configuration_passes_nginx_t_and_a_broken_one_does_not() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (cert, key) = self_signed_cert(dir.path());
    for site in ["public", "public-onion"] {
        std::fs::create_dir_all(dir.path().join(site)).expect("a site folder");
    }
    let layout = NginxLayout {
        https_port: 18443,
        http_port: 18080,
        onion_port: 18181,
        public: dir.path().join("public"),
        public_onion: dir.path().join("public-onion"),
        cert,
        key,
        replica_ports: [18152, 18153],
    };
    let prefix = dir.path().join("nginx");
    lay_out_nginx(&prefix, &layout);
    let (ok, text) = nginx_test(&prefix);
    assert!(ok, "nginx -t failed:\n{text}");
    assert!(text.contains("test is successful"), "{text}");
    assert!(!text.contains("[warn]"), "nginx -t warns:\n{text}");

    // The check is real: one missing semicolon in an include fails it.
    let site_conf = prefix.join("conf/xeberdar/site.conf");
    let broken = std::fs::read_to_string(&site_conf)
        .expect("site.conf")
        .replacen("charset utf-8;", "charset utf-8", 1);
    std::fs::write(&site_conf, broken).expect("write the broken copy");
    let (ok, text) = nginx_test(&prefix);
    assert!(!ok, "nginx -t accepted a broken file:\n{text}");
    assert!(
        text.contains("site.conf"),
        "the error names the file:\n{text}"
    );
}

/// What cannot be seen from outside, read from the files: a tip's body and the endpoint's
/// answers (which may repeat the typed text) never go to a temporary file on disk, and
/// every server that visitors reach turns its access log off.
#[test]
fn nginx_keeps_tips_off_the_disk_and_logs_off_for_every_server() {
    let site = read("deploy/nginx/xeberdar/site.conf");
    let proxy = read("deploy/nginx/xeberdar/report-proxy.conf");
    let main = read("deploy/nginx/xeberdar.conf");
    let size = |text: &str, directive: &str| -> u64 {
        let line = text
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with(&format!("{directive} ")))
            .unwrap_or_else(|| panic!("no {directive}"));
        let value = line[directive.len()..].trim().trim_end_matches(';');
        let (number, unit) = value.split_at(value.len() - 1);
        let n: u64 = number.parse().unwrap_or_else(|_| panic!("{line}"));
        match unit {
            "k" => n * 1024,
            "m" => n * 1024 * 1024,
            _ => panic!("unexpected unit in {line}"),
        }
    };
    assert!(
        size(&site, "client_body_buffer_size") >= size(&site, "client_max_body_size"),
        "a body larger than client_body_buffer_size is written to a temporary file"
    );
    assert!(proxy.contains("proxy_max_temp_file_size 0;"));
    assert!(proxy.contains("access_log off;") && site.contains("access_log off;"));
    let servers: Vec<&str> = main.split("\nserver {").skip(1).collect();
    assert_eq!(servers.len(), 3, "plain HTTP, HTTPS and the onion mirror");
    for server in servers {
        assert!(
            server.contains("access_log off;") || server.contains("include xeberdar/site.conf;"),
            "a server block keeps an access log:\n{server}"
        );
        assert!(
            server.contains("emerg;") || server.contains("include xeberdar/site.conf;"),
            "a server block keeps a detailed error log:\n{server}"
        );
    }
}

fn send_tip(stack: &Stack, visitor: &str, text: &str, forged: &[String]) -> (u16, String) {
    let mut args: Vec<String> = vec![
        "-d".into(),
        "lang=en".into(),
        "--data-urlencode".into(),
        format!("description={text}"),
        "-d".into(),
        "no_js_answer=152".into(),
    ];
    for header in forged {
        args.push("-H".into());
        args.push(header.clone());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = stack.https(visitor, "/api/report", &args);
    (
        r.status,
        r.header("location").unwrap_or_default().to_string(),
    )
}

#[test]
fn a_tip_through_nginx_reaches_a_replica_and_no_nginx_log_holds_the_visitor_address() {
    let mut stack = Stack::start(StackOptions::default());

    // The site: pages revalidate, hashed assets are cached for a year, both carry the
    // theme's security headers and the onion mirror's address.
    let home = stack.https(VISITOR, "/", &[]);
    assert_eq!(home.status, 200, "{home:?}");
    assert_eq!(home.header("cache-control"), Some("no-cache"));
    let csp = home.header("content-security-policy").expect("a CSP");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(home.header("strict-transport-security").is_some());
    assert_eq!(home.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(
        home.header("onion-location"),
        Some(format!("http://{TEST_ONION}/").as_str())
    );
    assert!(
        home.header("server").is_some_and(|s| s == "nginx"),
        "no version: {home:?}"
    );
    let css_href = home
        .body
        .split("href=\"")
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.contains(".css?h="))
        .expect("the page links its hashed stylesheet")
        .to_string();
    let css_path = css_href.trim_start_matches("https://xeberdar.example");
    let css = stack.https(VISITOR, css_path, &[]);
    assert_eq!(css.status, 200, "{css_path}");
    assert_eq!(
        css.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert!(css.header("content-security-policy").is_some());
    let plain_css = stack.https(VISITOR, css_path.split('?').next().unwrap_or("/"), &[]);
    assert_eq!(plain_css.header("cache-control"), Some("no-cache"));
    let missing = stack.https(VISITOR, "/ru/no-such-page/", &[]);
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("lang=\"ru\""), "the Russian 404 page");
    assert!(missing.header("content-security-policy").is_some());
    assert_eq!(stack.https(VISITOR, "/_headers", &[]).status, 404);
    assert_eq!(stack.https(VISITOR, "/api/report/metrics", &[]).status, 404);
    let redirect = stack.http(VISITOR, "/ru/hotline/");
    assert_eq!(redirect.status, 301);
    assert!(
        redirect.header("location").is_some_and(
            |l| l.starts_with("https://xeberdar.example:") && l.ends_with("/ru/hotline/")
        )
    );

    // A tip, sent as a browser without JavaScript sends it, lands on the receipt.
    let secret = "Tip-text-probe-5511 held at the bus depot";
    let (status, location) = send_tip(&stack, VISITOR, secret, &[]);
    assert_eq!(status, 303, "{}", stack.replicas[0].log());
    assert!(location.starts_with("/api/report/r/"), "{location}");
    let receipt = stack.https(VISITOR, &location, &[]);
    assert_eq!(receipt.status, 200);
    assert!(
        reference_code_in(&receipt.body).is_some(),
        "{}",
        receipt.body
    );
    assert!(receipt
        .header("cache-control")
        .is_some_and(|c| c.contains("no-store")));
    assert_eq!(
        receipt.headers_named("content-security-policy").len(),
        1,
        "nginx adds no second CSP to the endpoint's pages"
    );

    // The replica that took this visitor's tip goes down: the next tips go to the other
    // one (nginx first tries the dead one, which is also what would write the visitor's
    // address into an error log).
    let delivered = |stack: &Stack| {
        stack
            .replicas
            .iter()
            .map(|r| r.delivered().len())
            .sum::<usize>()
    };
    let wait_for = |stack: &Stack, n: usize| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while delivered(stack) < n && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        assert_eq!(delivered(stack), n, "every acknowledged tip is delivered");
    };
    wait_for(&stack, 1);
    let first = usize::from(stack.replicas[0].delivered().is_empty());
    stack.replicas[first].kill();
    for n in 0..3 {
        let (status, _) = send_tip(&stack, VISITOR, &format!("{secret} #{n}"), &[]);
        assert_eq!(
            status,
            303,
            "tip {n} with one replica down\n{}",
            stack.nginx_logs()
        );
    }
    wait_for(&stack, 4);
    assert_eq!(stack.replicas[1 - first].delivered().len(), 3);
    for file in stack.replicas.iter().flat_map(|r| r.delivered()) {
        let mail = std::fs::read_to_string(&file).expect("an .eml file");
        assert!(mail.contains("multipart/encrypted"), "PGP/MIME");
        assert!(!mail.contains("Tip-text-probe-5511"), "sealed");
    }

    // nginx wrote no trace of the visitor: not the address, not the tip.
    let logs = stack.nginx_logs();
    assert!(
        !logs.contains(VISITOR),
        "nginx logged the visitor's address:\n{logs}"
    );
    assert!(
        !logs.contains("Tip-text-probe"),
        "nginx logged the tip:\n{logs}"
    );
    assert!(
        !logs.contains("/api/report/r/"),
        "nginx logged a receipt path:\n{logs}"
    );
    let files = stack.nginx_log_files();
    assert!(
        files.iter().any(|(name, _)| name == "error.log"),
        "the main error log exists, so the check looked where nginx writes: {files:?}"
    );
    assert!(
        files
            .iter()
            .all(|(name, len)| name != "access.log" || *len == 0),
        "the default access log stays empty: {files:?}"
    );
}

/// Behind nginx, a visitor who writes X-Forwarded-For, X-Real-IP or Forwarded themself is
/// still counted under the address nginx saw, with either source the endpoint offers.
#[test]
fn forged_client_addresses_through_nginx_do_not_escape_the_rate_limit() {
    for source in ["x-real-ip", "rightmost-x-forwarded-for"] {
        let stack = Stack::start(StackOptions {
            client_address: source,
            tips_per_hour: 2,
        });
        // nginx keeps one visitor on one replica, so its limit of two holds.
        let mut statuses = Vec::new();
        for n in 1..=3u8 {
            let forged = vec![
                format!("X-Forwarded-For: 203.0.113.{n}"),
                format!("X-Real-IP: 198.51.100.{n}"),
                format!("Forwarded: for=192.0.2.{n}"),
            ];
            let (status, _) = send_tip(&stack, VISITOR, &format!("forged {n}"), &forged);
            statuses.push(status);
        }
        assert_eq!(
            statuses,
            [303, 303, 429],
            "{source}: the third tip from one visitor is refused whatever it claims"
        );
        let (status, _) = send_tip(&stack, OTHER_VISITOR, "another visitor", &[]);
        assert_eq!(status, 303, "{source}: another visitor is not limited");
    }
}
