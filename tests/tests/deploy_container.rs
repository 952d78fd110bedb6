//! The container files (`deploy/container/`). No container engine runs on the test
//! machine, so the images are not built here and compose is not started: what is checked
//! is everything short of that. compose.yaml is read by a real YAML parser and held to the
//! hardening and wiring the guide promises; every file the Containerfile copies exists;
//! its final stages run as non-root users.

use std::process::Command;

use serde_json::Value;
use xeberdar_e2e::deploy_stack::program;

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
