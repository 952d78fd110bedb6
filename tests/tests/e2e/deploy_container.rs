//! The container files (`deploy/container/`). No container engine runs on the test
//! machine, so the images are not built here and compose is not started: what is checked
//! is everything short of that. compose.yaml is read by a real YAML parser and held to the
//! hardening and wiring the guide promises; every file the Containerfile copies exists;
//! its final stages run as non-root users; make-secrets.sh makes what compose mounts; and
//! both replicas of compose.yaml, started as the real `xeberdar-report` with compose's
//! report.toml and each replica's environment, share one real PostgreSQL database (the
//! test cluster of scripts/test.sh) and deliver a tip sent to either.

use std::process::Command;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::{Duration, Instant};

use xeberdar_e2e::deploy_stack::{form, free_port, program, rewrite};

fn root() -> std::path::PathBuf {
    xeberdar_e2e::workspace_root()
}

fn read(path: &str) -> String {
    let full = root().join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("read {}: {e}", full.display()))
}

/// compose.yaml as JSON, parsed by PyYAML (anchors and all).
fn compose() -> Value {
    let output = Command::new(program("python3", "python3"))
        .arg("-c")
        .arg("import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))")
        .arg(root().join("deploy/container/compose.yaml"))
        .output()
        .expect("run python3 (apt-get install python3-yaml)");
    assert!(
        output.status.success(),
        "compose.yaml does not parse: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON from python")
}

#[test]
fn compose_runs_nginx_two_hardened_replicas_and_postgresql() {
    let compose = compose();
    let services = compose["services"].as_object().expect("services");
    let names: Vec<&str> = services.keys().map(String::as_str).collect();
    assert_eq!(names.len(), 4, "{names:?}");
    for name in ["web", "report-1", "report-2", "postgres"] {
        assert!(services.contains_key(name), "no {name} service: {names:?}");
    }
    let nginx = read("deploy/nginx/xeberdar.conf");
    for (replica, port) in [("report-1", "8152"), ("report-2", "8153")] {
        let s = &services[replica];
        assert_eq!(s["build"]["target"], "report", "{replica}");
        assert_eq!(s["network_mode"], "service:web", "{replica}");
        assert_eq!(s["environment"]["XEBERDAR_REPORT__APPLICATION__PORT"], port);
        assert!(
            nginx.contains(&format!("server 127.0.0.1:{port} ")),
            "nginx's upstream names {replica}'s port {port}"
        );
        assert_eq!(s["depends_on"]["postgres"]["condition"], "service_healthy");
    }
    for name in ["web", "report-1", "report-2"] {
        let s = &services[name];
        assert_eq!(s["read_only"], true, "{name}: read-only root");
        let user = s["user"].as_str().unwrap_or_default();
        assert!(
            !user.is_empty() && !user.starts_with("root") && !user.starts_with('0'),
            "{name} runs as {user:?}"
        );
        assert_eq!(s["cap_drop"], serde_json::json!(["ALL"]), "{name}");
        assert!(
            s["security_opt"]
                .as_array()
                .is_some_and(|o| o.iter().any(|v| v == "no-new-privileges:true")),
            "{name}"
        );
    }
    // Every file compose mounts is in the repository or made by make-secrets.sh.
    let made = [
        "./secrets/postgres-password",
        "./secrets/postgres-url",
        "./secrets/pow-hmac-key",
        "./secrets/follow-up-secret",
        "./secrets/tls",
    ];
    for (name, secret) in compose["secrets"].as_object().expect("secrets") {
        let file = secret["file"].as_str().expect("a file secret");
        assert!(made.contains(&file), "secret {name} from {file}");
    }
    for s in services.values() {
        for volume in s["volumes"].as_array().into_iter().flatten() {
            let source = volume
                .as_str()
                .unwrap_or_default()
                .split(':')
                .next()
                .unwrap_or_default();
            if source.starts_with("./") && !made.contains(&source) {
                assert!(
                    root().join("deploy/container").join(source).exists(),
                    "compose mounts {source}, which does not exist"
                );
            }
        }
    }
}

#[test]
fn the_containerfile_copies_only_files_that_exist_and_runs_as_non_root() {
    let text = read("deploy/container/Containerfile");
    let mut stages = Vec::new();
    let mut users = std::collections::BTreeMap::new();
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("FROM ") {
            let stage = rest
                .split(" AS ")
                .nth(1)
                .expect("every stage is named")
                .to_string();
            stages.push(stage);
        } else if let Some(rest) = line.strip_prefix("COPY ") {
            let parts: Vec<&str> = rest.split_whitespace().collect();
            if let Some(from) = parts[0].strip_prefix("--from=") {
                assert!(
                    stages.iter().any(|s| s == from),
                    "COPY --from={from} before that stage"
                );
                continue;
            }
            for source in &parts[..parts.len() - 1] {
                assert!(
                    root().join(source).exists(),
                    "the Containerfile copies {source}, which does not exist"
                );
            }
        } else if let Some(user) = line.strip_prefix("USER ") {
            users.insert(stages.last().cloned().unwrap_or_default(), user.to_string());
        }
    }
    assert_eq!(stages, ["build", "report", "web"]);
    for stage in ["report", "web"] {
        let user = users
            .get(stage)
            .unwrap_or_else(|| panic!("stage {stage} sets no USER"));
        assert!(
            !user.starts_with("root") && !user.starts_with('0'),
            "{stage} runs as {user}"
        );
    }
    // The build image's Rust is the one the workspace asks for.
    let rust_version = read("Cargo.toml")
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("rust-version")
        .to_string();
    assert!(text.contains(&format!(
        "FROM docker.io/library/rust:{rust_version}-bookworm AS build"
    )));
    assert!(text.contains("cargo build --release --locked -p xeberdar -p xeberdar-report"));
    // The web image lays nginx out as the nginx tests do (deploy_stack::lay_out_nginx).
    for line in [
        "COPY deploy/nginx/xeberdar.conf /etc/nginx/conf.d/xeberdar.conf",
        "COPY deploy/nginx/xeberdar/ /etc/nginx/xeberdar/",
        "COPY themes/xeberdar/deploy/nginx-headers.conf /etc/nginx/xeberdar/nginx-headers.conf",
    ] {
        assert!(text.contains(line), "{line}");
    }
}

fn run_make_secrets(dir: &Path) {
    std::fs::copy(
        root().join("deploy/container/make-secrets.sh"),
        dir.join("make-secrets.sh"),
    )
    .expect("copy make-secrets.sh");
    let output = Command::new("sh")
        .arg(dir.join("make-secrets.sh"))
        .output()
        .expect("run make-secrets.sh");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A fresh database in the test cluster that scripts/test.sh starts; its URL.
fn fresh_database() -> String {
    let admin = std::env::var("XEBERDAR_TEST_POSTGRES_URL").expect(
        "XEBERDAR_TEST_POSTGRES_URL is unset: run scripts/test.sh, which starts a throw-away PostgreSQL",
    );
    let name = format!("xeberdar_compose_{}", std::process::id());
    let psql = |sql: &str| {
        let output = Command::new(program("psql", "postgresql-client"))
            .arg(&admin)
            .args(["-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
            .output()
            .expect("run psql");
        assert!(
            output.status.success(),
            "psql {sql}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    psql(&format!("DROP DATABASE IF EXISTS {name}"));
    psql(&format!("CREATE DATABASE {name}"));
    // The admin URL with the new database's name in place of its own.
    let (before, after) = admin.split_once('?').unwrap_or((&admin, ""));
    let base = before.rsplit_once('/').map_or(before, |(b, _)| b);
    format!("{base}/{name}?{after}")
}

struct Running {
    child: Child,
    port: u16,
    log: PathBuf,
    mail: PathBuf,
}

impl Running {
    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn curl_status(args: &[&str], url: &str) -> String {
    let out = Command::new(program("curl", "curl"))
        .args(["-s", "-o", "/dev/null", "-w", "%{http_code}"])
        .args(args)
        .arg(url)
        .output()
        .expect("curl");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Status, `Location` and body of a request.
fn curl(args: &[&str], url: &str) -> (String, String, String) {
    let out = Command::new(program("curl", "curl"))
        .args(["-s", "-i"])
        .args(args)
        .arg(url)
        .output()
        .expect("curl");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or_default()
        .to_string();
    let location = head
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case("location"))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_default();
    (status, location, body.to_string())
}

/// The text between `start` and the next `end` in `page` (empty when absent).
fn between(page: &str, start: &str, end: &str) -> String {
    page.split_once(start)
        .and_then(|(_, rest)| rest.split_once(end))
        .map(|(inside, _)| inside.to_string())
        .unwrap_or_default()
}

#[test]
fn both_replicas_start_with_compose_s_configuration_and_share_one_postgresql_outbox() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    run_make_secrets(dir.path());
    let secrets = dir.path().join("secrets");
    let url = std::fs::read_to_string(secrets.join("postgres-url")).expect("postgres-url");
    let password =
        std::fs::read_to_string(secrets.join("postgres-password")).expect("the password");
    assert!(
        url.contains(password.trim()) && url.contains("@postgres:5432/xeberdar"),
        "{url}"
    );
    assert!(secrets.join("tls/fullchain.pem").exists());
    assert!(secrets.join("tls/privkey.pem").exists());
    for key in ["pow-hmac-key", "follow-up-secret"] {
        assert_eq!(
            std::fs::read_to_string(secrets.join(key))
                .expect("the key")
                .trim()
                .len(),
            64,
            "{key}"
        );
    }
    // The database compose's PostgreSQL container would hold, here in the test cluster.
    std::fs::write(secrets.join("postgres-url"), fresh_database()).expect("write the URL");

    let site = xeberdar_e2e::static_site::copy_of_site();
    let compose = compose();
    let replicas: Vec<Running> = ["report-1", "report-2"]
        .iter()
        .map(|name| {
            let data = dir.path().join(name);
            let config = rewrite(
                "deploy/container/report.toml",
                &read("deploy/container/report.toml"),
                &[
                    (
                        "site_dir = \"/srv/xeberdar\"",
                        format!("site_dir = \"{}\"", site.path().display()),
                    ),
                    (
                        "/var/lib/xeberdar-report/mail",
                        data.join("mail").display().to_string(),
                    ),
                ],
            );
            std::fs::create_dir_all(&data).expect("a replica folder");
            let config_path = data.join("report.toml");
            std::fs::write(&config_path, config).expect("write report.toml");
            let port = free_port();
            let mut command = Command::new(xeberdar_e2e::binary("xeberdar-report"));
            command.arg("--config").arg(&config_path);
            for (key, value) in compose["services"][*name]["environment"]
                .as_object()
                .expect("an environment")
            {
                let value = value
                    .as_str()
                    .expect("a string")
                    .replace("/run/secrets", &secrets.display().to_string());
                command.env(key, value);
            }
            // Both would take 8152/8153 in the shared namespace; here, free ports.
            command.env("XEBERDAR_REPORT__APPLICATION__PORT", port.to_string());
            command.env(
                "XEBERDAR_REPORT__METRICS__LISTEN",
                format!("127.0.0.1:{}", free_port()),
            );
            let log = data.join("replica.log");
            let file = std::fs::File::create(&log).expect("a log");
            let child = command
                .stdout(file.try_clone().expect("a log handle"))
                .stderr(file)
                .spawn()
                .expect("start xeberdar-report");
            Running {
                child,
                port,
                log,
                mail: data.join("mail"),
            }
        })
        .collect();
    let started = Instant::now();
    for replica in &replicas {
        loop {
            let status = curl_status(
                &[],
                &format!("http://127.0.0.1:{}/api/report/health", replica.port),
            );
            if status == "200" {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "a replica did not become healthy:\n{}",
                replica.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    // A tip to each replica; either replica's worker may deliver either one.
    let mut receipts = Vec::new();
    for replica in &replicas {
        let body = form(&[
            ("lang", "az"),
            ("description", "compose sınağı"),
            ("no_js_answer", "152"),
        ]);
        let (status, location, _) = curl(
            &["--data", &body],
            &format!("http://127.0.0.1:{}/api/report", replica.port),
        );
        assert_eq!(status, "303", "{}", replica.log());
        receipts.push(location);
    }
    // The first tip's follow-up code, sent to the other replica: the shared secret and the
    // shared database make it known there, and the addition names the same reference.
    let (_, _, page) = curl(
        &[],
        &format!("http://127.0.0.1:{}{}", replicas[0].port, receipts[0]),
    );
    let code =
        between(&page, "id=\"follow-up-code\"><bdi dir=\"ltr\">", "</bdi>").replace("<wbr>", "");
    let reference = between(&page, "id=\"reference-code\"><bdi dir=\"ltr\">", "</bdi>");
    assert_eq!(code.len(), 34, "a follow-up code on the receipt: {page}");
    let body = form(&[
        ("lang", "az"),
        ("code", code.as_str()),
        ("description", "compose sınağına əlavə"),
        ("no_js_answer", "152"),
    ]);
    let (status, location, _) = curl(
        &["--data", &body],
        &format!("http://127.0.0.1:{}/api/report/followup", replicas[1].port),
    );
    assert_eq!(status, "303", "{}", replicas[1].log());
    let (_, _, joined) = curl(
        &[],
        &format!("http://127.0.0.1:{}{location}", replicas[1].port),
    );
    assert_eq!(
        between(&joined, "id=\"reference-code\"><bdi dir=\"ltr\">", "</bdi>"),
        reference,
        "{joined}"
    );
    let delivered = || {
        replicas
            .iter()
            .map(|r| {
                std::fs::read_dir(&r.mail)
                    .map(|d| {
                        d.flatten()
                            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                            .count()
                    })
                    .unwrap_or(0)
            })
            .sum::<usize>()
    };
    while delivered() < 3 && started.elapsed() < Duration::from_secs(90) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        delivered(),
        3,
        "{}\n{}",
        replicas[0].log(),
        replicas[1].log()
    );
}
