//! The shipped service files checked by the tools that run them: systemd's own checker
//! and security audit on the endpoint's unit (no systemd runs as PID 1 in the test
//! machine, but both work on unit files offline), and Tor's configuration check on the
//! onion service.

use std::path::Path;
use std::process::Command;

use xeberdar_e2e::deploy_stack::{program, rewrite};

fn read(path: &str) -> String {
    let full = xeberdar_e2e::workspace_root().join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("read {}: {e}", full.display()))
}

const UNIT: &str = "deploy/systemd/xeberdar-report@.service";

/// The unit as an instance (port 8152), with ExecStart pointing at the binary this
/// workspace built: `systemd-analyze verify` checks that the command exists.
fn instance(dir: &Path) -> std::path::PathBuf {
    let text = rewrite(
        UNIT,
        &read(UNIT),
        &[(
            "ExecStart=/usr/local/bin/xeberdar-report ",
            format!(
                "ExecStart={} ",
                xeberdar_e2e::binary("xeberdar-report").display()
            ),
        )],
    );
    let path = dir.join("xeberdar-report@8152.service");
    std::fs::write(&path, text).expect("write the unit");
    path
}

fn analyze(args: &[&str], unit: &Path) -> (bool, String) {
    let output = Command::new(program("systemd-analyze", "systemd"))
        .args(args)
        .arg(unit)
        .output()
        .expect("run systemd-analyze");
    (
        output.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

#[test]
fn systemd_analyze_verify_accepts_the_unit_without_a_single_warning() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let unit = instance(dir.path());
    let (ok, text) = analyze(&["verify"], &unit);
    assert!(
        ok && text.trim().is_empty(),
        "systemd-analyze verify:\n{text}"
    );

    // With the PostgreSQL drop-in: its [Service] lines after the unit's own, as systemd
    // applies a drop-in (`verify` reads drop-ins only from the system's unit folders).
    let dropin = read("deploy/systemd/xeberdar-report@.service.d/postgres.conf");
    let service_lines = dropin
        .split_once("[Service]\n")
        .map(|(_, lines)| lines)
        .expect("the drop-in has a [Service] section");
    let unit_text = std::fs::read_to_string(&unit).expect("the unit");
    let merged = unit_text.replacen(
        "\n[Install]\n",
        &format!("\n{service_lines}\n[Install]\n"),
        1,
    );
    assert_ne!(merged, unit_text);
    let with_dropin = dir
        .path()
        .join("with-postgres")
        .join("xeberdar-report@8152.service");
    std::fs::create_dir_all(with_dropin.parent().expect("a folder")).expect("mkdir");
    std::fs::write(&with_dropin, merged).expect("write");
    let (ok, text) = analyze(&["verify"], &with_dropin);
    assert!(ok && text.trim().is_empty(), "with the drop-in:\n{text}");

    // It reads every line: a misspelt setting is reported (as a warning, which the check
    // above counts as a failure).
    let mut misspelt = std::fs::read_to_string(&unit).expect("the unit");
    misspelt = misspelt.replace("ProtectSystem=strict", "ProtectSytem=strict");
    std::fs::write(&unit, misspelt).expect("write");
    let (_, text) = analyze(&["verify"], &unit);
    assert!(text.contains("ProtectSytem"), "{text}");
}

#[test]
fn systemd_rates_the_unit_s_exposure_low_with_the_required_hardening() {
    let text = read(UNIT);
    for setting in [
        "DynamicUser=yes",
        "ProtectSystem=strict",
        "PrivateTmp=yes",
        "NoNewPrivileges=yes",
        "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
        "SystemCallFilter=@system-service",
        "StateDirectory=xeberdar-report/%i",
        "LoadCredential=pow-hmac-key:",
        "LoadCredential=smtp-password:",
        "XEBERDAR_REPORT__CAPTCHA__POW_HMAC_KEY_FILE=%d/pow-hmac-key",
        "XEBERDAR_REPORT__SECRET_FILES__SMTP_PASSWORD=%d/smtp-password",
        "LimitNOFILE=",
    ] {
        assert!(text.contains(setting), "{UNIT} lacks {setting}");
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let unit = instance(dir.path());
    let (_, out) = analyze(&["security", "--offline=yes", "--no-pager"], &unit);
    let level: f64 = out
        .lines()
        .find_map(|l| l.split_once("Overall exposure level for"))
        .and_then(|(_, rest)| rest.split_once(": "))
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no exposure level in:\n{out}"));
    // systemd's scale: 0 (locked down) to 10 (unprotected); below 2 it says "OK".
    assert!(level <= 1.5, "exposure {level}:\n{out}");
}

#[test]
fn tor_accepts_the_onion_service_configuration() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let service_dir = dir.path().join("hidden-service");
    let conf = rewrite(
        "deploy/tor/xeberdar-onion.conf",
        &read("deploy/tor/xeberdar-onion.conf"),
        &[(
            "HiddenServiceDir /var/lib/tor/xeberdar/",
            format!("HiddenServiceDir {}/", service_dir.display()),
        )],
    );
    assert!(conf.contains("HiddenServicePort 80 127.0.0.1:8181"));
    assert!(conf.contains("HiddenServiceExportCircuitID haproxy"));
    let nginx = read("deploy/nginx/xeberdar.conf");
    assert!(
        nginx.contains("listen 127.0.0.1:8181 proxy_protocol"),
        "nginx's onion server listens where Tor sends, and expects Tor's PROXY line"
    );
    let torrc = dir.path().join("torrc");
    let check = |text: &str| {
        std::fs::write(&torrc, text).expect("write torrc");
        let output = Command::new(program("tor", "tor"))
            .arg("--verify-config")
            .arg("-f")
            .arg(&torrc)
            .arg("--DataDirectory")
            .arg(dir.path().join("data"))
            .output()
            .expect("run tor --verify-config");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };
    let (ok, out) = check(&conf);
    assert!(ok && out.contains("Configuration was valid"), "{out}");
    let (ok, out) = check(&conf.replace("HiddenServiceVersion 3", "HiddenServiceVersoin 3"));
    assert!(!ok, "tor accepted a misspelt option:\n{out}");
}
