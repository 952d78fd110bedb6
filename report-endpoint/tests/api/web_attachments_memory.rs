//! Memory during a 25 MiB upload: the real `xeberdar-report` binary, as a process of its
//! own, takes a report with three files adding up to just under 25 MiB (the default
//! limits), strips, seals and stores it; its peak resident memory (`VmHWM` in
//! `/proc/<pid>/status`) must stay within a fixed multiple of the upload. The files are
//! read into memory and never written to disk in plaintext, so the bound is what keeps that
//! design safe; `attachments.max_concurrent` bounds how many such uploads run at once.
//! Not a timing test: only memory is measured.

use crate::attachment_support;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use attachment_support::png;

const MIB: u64 = 1024 * 1024;

struct Endpoint(Child);

impl Drop for Endpoint {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn write_config(dir: &Path, port: u16) -> std::path::PathBuf {
    let toml = format!(
        "[application]\nhost = \"127.0.0.1\"\nport = {port}\nsite_dir = {site:?}\nmode = \"dev\"\n\
         [captcha]\npow_difficulty = 8\npow_hmac_key = \"memory-test\"\n\
         [outbox]\npath = {outbox:?}\n\
         [mail]\ntransport = \"folder\"\npath = {mail:?}\n",
        site = dir.join("no-site"),
        outbox = dir.join("outbox.sqlite"),
        mail = dir.join("mail"),
    );
    let path = dir.join("config.toml");
    std::fs::write(&path, toml).expect("write the configuration");
    path
}

/// A field of `/proc/<pid>/status` in bytes (`VmRSS`, `VmHWM`).
fn status_bytes(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"))
}

/// Image data that does not compress (a simple generator; the endpoint never decodes it).
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[tokio::test]
async fn memory_stays_bounded_during_a_25_mib_upload() {
    let dir = tempfile::tempdir().expect("tmp");
    let port = free_port();
    let config = write_config(dir.path(), port);
    let child = Command::new(env!("CARGO_BIN_EXE_xeberdar-report"))
        .arg("--config")
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start xeberdar-report");
    let endpoint = Endpoint(child);
    let pid = endpoint.0.id();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(300))
        .build()
        .expect("client");
    let start = Instant::now();
    while client
        .get(format!("{base}/report/health"))
        .send()
        .await
        .is_err()
    {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the endpoint did not listen"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let post = |files: Vec<(String, Vec<u8>)>| {
        let mut form = reqwest::multipart::Form::new()
            .text("lang", "en")
            .text("description", "Three large scans of the contract.")
            .text("no_js_answer", "152");
        for (name, bytes) in files {
            form = form.part(
                "attachment",
                reqwest::multipart::Part::bytes(bytes).file_name(name),
            );
        }
        client.post(format!("{base}/report")).multipart(form).send()
    };
    // Warm up with a small report with a file, so the baseline holds the code paths.
    let small = post(vec![("small.png".into(), png(16, 16, &noise(4096, 1)))])
        .await
        .expect("POST");
    assert_eq!(small.status(), 303);
    let before = status_bytes(pid, "VmHWM");

    // Just under 25 MiB in all: 10 MiB, 10 MiB and 5 MiB less room for the PNG framing.
    let sizes = [10 * MIB - 1024, 10 * MIB - 1024, 5 * MIB - 1024];
    let files: Vec<(String, Vec<u8>)> = sizes
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            (
                format!("scan-{i}.png"),
                png(2000, 2000, &noise(n as usize, i as u64 + 7)),
            )
        })
        .collect();
    let total: u64 = files.iter().map(|(_, f)| f.len() as u64).sum();
    assert!(total <= 25 * MIB && total > 24 * MIB, "{total}");
    let response = post(files).await.expect("POST");
    assert_eq!(response.status(), 303, "the 25 MiB report is accepted");
    // The sealed email (about 45 MiB) reaches the mail folder: the whole path ran.
    let mail = dir.path().join("mail");
    let start = Instant::now();
    loop {
        let big = std::fs::read_dir(&mail)
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter_map(|e| e.metadata().ok())
                    .any(|m| m.len() > 40 * MIB)
            })
            .unwrap_or(false);
        if big {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no sealed email of the upload"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let peak = status_bytes(pid, "VmHWM");
    let rise = peak.saturating_sub(before);
    println!(
        "upload {:.1} MiB: peak RSS {:.1} MiB before, {:.1} MiB after (+{:.1} MiB, {:.1}x the upload)",
        total as f64 / MIB as f64,
        before as f64 / MIB as f64,
        peak as f64 / MIB as f64,
        rise as f64 / MIB as f64,
        rise as f64 / total as f64
    );
    assert!(
        rise < 12 * total,
        "peak memory rose by {} MiB for a {} MiB upload",
        rise / MIB,
        total / MIB
    );
}
