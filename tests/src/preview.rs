//! The real site in the editor's preview: `xeberdar serve` (with the report endpoint it
//! mounts) on a temporary copy of the workspace's site, so a browser test goes through
//! exactly what the README's first command starts.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `xeberdar serve` on a copy of the site; stopped and removed when dropped.
pub struct Preview {
    child: Child,
    port: u16,
    log: PathBuf,
    /// The site copy (also holds what serve writes: `.xeberdar/`, the log).
    pub dir: tempfile::TempDir,
}

impl Preview {
    /// Copies the site, lets `customize` edit the copy and starts `serve` on a free port
    /// with `extra` arguments; returns once the port answers.
    pub fn start(customize: impl FnOnce(&Path), extra: &[&str]) -> Preview {
        let dir = crate::static_site::copy_of_site();
        customize(dir.path());
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let log = dir.path().join("serve.log");
        let log_file = std::fs::File::create(&log).expect("create the serve log");
        let child = Command::new(crate::binary("xeberdar"))
            .arg("--root")
            .arg(dir.path())
            .arg("serve")
            .arg("--port")
            .arg(port.to_string())
            .args(extra)
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .expect("start xeberdar serve");
        let mut preview = Preview {
            child,
            port,
            log,
            dir,
        };
        let started = Instant::now();
        loop {
            if let Some(status) = preview.child.try_wait().expect("poll xeberdar serve") {
                panic!("xeberdar serve exited with {status}:\n{}", preview.log());
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "xeberdar serve did not start listening:\n{}",
                preview.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        preview
    }

    /// `http://127.0.0.1:<port>` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `GET path` over HTTP/1.1, redirects not followed: (status, head, body).
    pub fn get(&self, path: &str) -> (u16, String, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to serve");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("set a read timeout");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        )
        .expect("send the request");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read the response");
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, head.to_string(), body.to_string())
    }

    /// What serve printed so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
