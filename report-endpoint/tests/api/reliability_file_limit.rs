//! The open-file limit: the real `xeberdar-report` binary, started with the usual soft limit
//! of 1,024 open files (and a higher hard limit, as systemd's `LimitNOFILE` or a shell's
//! `ulimit -Hn` gives), holds 1,100 slow connections and still takes a normal tip, because
//! it raises its soft limit to the hard one at startup. `prlimit` (util-linux) sets the
//! child's limits; this test process raises its own the same way the endpoint does.

use std::io::{BufRead, BufReader, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SLOW_CONNECTIONS: usize = 1_100;

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
         header_read_timeout_secs = 120\n\
         [captcha]\npow_difficulty = 8\npow_hmac_key = \"file-limit-test\"\n\
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

/// The soft limit of open files in `/proc/<pid>/limits`.
fn soft_open_files(pid: u32) -> String {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).expect("limits");
    limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3))
        .expect("Max open files line")
        .to_owned()
}

/// One request with `Connection: close`, answered in full; returns the status line.
fn request(port: u16, raw: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    stream.write_all(raw.as_bytes()).expect("send");
    let mut status = String::new();
    BufReader::new(stream)
        .read_line(&mut status)
        .expect("an answer");
    status
}

#[test]
fn eleven_hundred_slow_connections_do_not_keep_a_tip_out() {
    let own = xeberdar_report::file_limit::raise_to_hard_limit().expect("raise own limit");
    assert!(
        own.after
            .is_none_or(|n| n >= 2 * SLOW_CONNECTIONS as u64 + 100),
        "this test needs a hard limit of at least {} open files (ulimit -Hn), got {:?}",
        2 * SLOW_CONNECTIONS + 100,
        own.after
    );
    let dir = tempfile::tempdir().expect("tmp");
    let port = free_port();
    let config = write_config(dir.path(), port);
    let child = Command::new("prlimit")
        .arg("--nofile=1024:4096")
        .arg(env!("CARGO_BIN_EXE_xeberdar-report"))
        .arg("--config")
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start xeberdar-report under prlimit (util-linux)");
    let endpoint = Endpoint(child);
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the endpoint did not listen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        soft_open_files(endpoint.0.id()),
        "4096",
        "started with a soft limit of 1,024, the endpoint raised it to the hard limit"
    );

    // Slow clients: each sends half a request line and then nothing.
    let mut slow = Vec::with_capacity(SLOW_CONNECTIONS);
    for i in 0..SLOW_CONNECTIONS {
        let mut s = TcpStream::connect(("127.0.0.1", port))
            .unwrap_or_else(|e| panic!("slow connection {i}: {e}"));
        s.write_all(b"GET /report/form HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            .expect("half a request");
        slow.push(s);
    }
    // The endpoint has accepted them all (each is a descriptor of its own) before the tip.
    let open = || {
        std::fs::read_dir(format!("/proc/{}/fd", endpoint.0.id()))
            .map(|d| d.count())
            .unwrap_or(0)
    };
    let start = Instant::now();
    while open() < SLOW_CONNECTIONS {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the endpoint holds {} descriptors",
            open()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(open() > 1_024, "past the usual soft limit: {}", open());

    let body = "lang=en&kind=other&description=A+real+tip+during+a+slowloris&no_js_answer=152";
    let status = request(
        port,
        &format!(
            "POST /report HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(status.starts_with("HTTP/1.1 303"), "the tip: {status}");
    let health = request(
        port,
        "GET /report/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    drop(slow);
}
