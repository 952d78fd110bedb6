//! Shared by the `editor_*` tests: a temporary copy of the editor fixture site, running the
//! real `xeberdar` binary on it, and a minimal HTTP/SSE client over loopback (std only, so
//! the tests see exactly the bytes a browser would).

#![allow(dead_code)] // each test file uses a different part

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use xeberdar_e2e::{binary, workspace_root};

/// Upper bound for anything to happen; reaching it is a failure, never a pass.
pub const DEADLINE: Duration = Duration::from_secs(90);

/// A fresh copy of `tests/fixtures/editor-site`.
pub fn fixture_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(
        &workspace_root().join("tests/fixtures/editor-site"),
        dir.path(),
    );
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Runs `xeberdar --root <root> <args>` to completion, with English editor messages.
pub fn xeberdar(root: &Path, args: &[&str]) -> Output {
    xeberdar_in(root, args, &[("XEBERDAR_LANG", "en")])
}

/// [`xeberdar`] with these environment variables (an empty value removes one).
pub fn xeberdar_in(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(binary("xeberdar"));
    command.arg("--root").arg(root).args(args).current_dir(root);
    for (name, value) in env {
        if value.is_empty() {
            command.env_remove(name);
        } else {
            command.env(name, value);
        }
    }
    // The system's locale must not decide what a test expects.
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if !env.iter().any(|(n, _)| *n == name) {
            command.env_remove(name);
        }
    }
    command.output().expect("run xeberdar")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

pub fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).expect("read")
}

/// A running `xeberdar serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    pub log: PathBuf,
}

impl Server {
    /// Starts serve with English editor messages.
    pub fn start(root: &Path, extra: &[&str]) -> Server {
        Server::start_with_language(root, extra, Some("en"))
    }

    /// Starts serve with `XEBERDAR_LANG` set to `lang`, or unset (and no system locale)
    /// so that config.toml decides.
    pub fn start_with_language(root: &Path, extra: &[&str], lang: Option<&str>) -> Server {
        let port = free_port();
        let log = root.join("serve.log");
        let log_file = std::fs::File::create(&log).expect("log file");
        let mut command = Command::new(binary("xeberdar"));
        command
            .arg("--root")
            .arg(root)
            .arg("serve")
            .arg("--port")
            .arg(port.to_string())
            .args(extra);
        for name in ["XEBERDAR_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
            command.env_remove(name);
        }
        if let Some(lang) = lang {
            command.env("XEBERDAR_LANG", lang);
        }
        let child = command
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .expect("start xeberdar serve");
        let mut server = Server { child, port, log };
        let started = Instant::now();
        loop {
            if let Some(status) = server.child.try_wait().expect("wait") {
                panic!("xeberdar serve exited with {status}: {}", server.log());
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            assert!(
                started.elapsed() < DEADLINE,
                "serve did not start: {}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The terminal log once `done` holds for it. The preview announces a rebuild to the
    /// browser before its terminal lines are necessarily written, so a test that reads the
    /// terminal after an event waits for the lines it expects (and fails after DEADLINE).
    pub fn log_once(&self, done: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let log = self.log();
            if done(&log) || started.elapsed() >= DEADLINE {
                return log;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        get(self.port, path)
    }

    pub fn events(&self) -> EventStream {
        EventStream::open(self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// `GET path` over HTTP/1.1 on loopback; returns the status and the body.
pub fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(DEADLINE)).expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("HTTP response");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    (status, body)
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}

/// A Server-Sent Events connection to `/_xeberdar/events`.
pub struct EventStream {
    reader: BufReader<TcpStream>,
}

/// One SSE message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    pub event: String,
    pub data: String,
}

impl EventStream {
    pub fn open(port: u16) -> EventStream {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_millis(500)))
            .expect("timeout");
        write!(
            stream,
            "GET /_xeberdar/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("send");
        let mut reader = BufReader::new(stream);
        // Skip the response head.
        let started = Instant::now();
        let mut line = String::new();
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) => panic!("event stream closed before its head ended"),
                Ok(_) if line == "\r\n" => break,
                Ok(_) => {}
                Err(_) => assert!(started.elapsed() < DEADLINE, "no event stream head"),
            }
        }
        EventStream { reader }
    }

    /// The next named event (keep-alive comments skipped). Chunked transfer framing lines
    /// (hex sizes) are skipped too: SSE field lines always contain a colon.
    pub fn next(&mut self) -> SseEvent {
        let started = Instant::now();
        let mut event = String::new();
        let mut data = String::new();
        let mut line = String::new();
        loop {
            line.clear();
            match self.reader.read_line(&mut line) {
                Ok(0) => panic!("event stream closed"),
                Ok(_) => {
                    let trimmed = line.trim_end_matches(['\r', '\n']);
                    if let Some(value) = trimmed.strip_prefix("event:") {
                        event = value.trim().to_string();
                    } else if let Some(value) = trimmed.strip_prefix("data:") {
                        data.push_str(value.strip_prefix(' ').unwrap_or(value));
                    } else if trimmed.is_empty() && !event.is_empty() {
                        return SseEvent { event, data };
                    }
                }
                Err(_) => assert!(started.elapsed() < DEADLINE, "no event within {DEADLINE:?}"),
            }
        }
    }

    /// Reads events until one named `name` arrives, returning it.
    pub fn wait_for(&mut self, name: &str) -> SseEvent {
        loop {
            let event = self.next();
            if event.event == name {
                return event;
            }
        }
    }
}
