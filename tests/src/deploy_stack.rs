//! The production stack of `deploy/` on loopback, for `tests/tests/e2e/deploy_*.rs`: Debian's
//! nginx with the shipped configuration in front of two real `xeberdar-report` replicas
//! and the real site, built twice (for the public address and for the onion address).
//!
//! The shipped nginx files are used as they are, except for the values that name this
//! machine: ports, folders, the certificate and the replicas' addresses. Each of those is
//! replaced by [`rewrite`], which fails when the text it replaces is missing, so the test
//! cannot drift from the file. Clients are real: `curl` over TLS for the public site, and
//! for the onion mirror a client that speaks as Tor does (a PROXY line naming the circuit,
//! then HTTP).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The public host name the shipped files use.
pub const PUBLIC_HOST: &str = "xeberdar.example";
/// The onion address placeholder the shipped files use.
pub const ONION_PLACEHOLDER: &str = "xeberdar-onion-address.onion";
/// A syntactically valid v3 onion address (56 base32 characters) for the test build.
pub const TEST_ONION: &str = "xeberdartestonionaddressxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxd.onion";
/// The visitor's address: nginx and the replicas listen on 127.0.0.1, the visitor comes
/// from this other loopback address, so any trace of it in a log is the visitor's.
pub const VISITOR: &str = "127.0.0.77";
/// A second visitor.
pub const OTHER_VISITOR: &str = "127.0.0.78";

/// How the replicas are set up.
#[derive(Clone, Debug)]
pub struct StackOptions {
    /// `application.client_address` of the replicas.
    pub client_address: &'static str,
    pub tips_per_hour: u32,
}

impl Default for StackOptions {
    fn default() -> Self {
        Self {
            client_address: "x-real-ip",
            tips_per_hour: 30,
        }
    }
}

/// One running `xeberdar-report`.
pub struct Replica {
    child: Option<Child>,
    pub port: u16,
    pub dir: PathBuf,
}

impl Replica {
    /// The `.eml` files this replica delivered (the local mail transport).
    pub fn delivered(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.join("mail"))
            .map(|entries| entries.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|x| x == "eml"));
        files
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("replica.log")).unwrap_or_default()
    }

    /// Stops the replica at once (as a crash would).
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.kill();
    }
}

/// nginx, two replicas and the two builds of the site, all under one temporary folder.
pub struct Stack {
    pub dir: tempfile::TempDir,
    /// The site's sources the replicas read (languages, theme).
    pub site: tempfile::TempDir,
    pub replicas: Vec<Replica>,
    nginx: Option<Child>,
    pub nginx_prefix: PathBuf,
    pub https_port: u16,
    pub http_port: u16,
    pub onion_port: u16,
    pub ca_cert: PathBuf,
}

/// A free loopback port (bound, then released for the server that takes it).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// `text` with each `(from, to)` replaced; panics naming `file` when `from` is absent.
pub fn rewrite(file: &str, text: &str, pairs: &[(&str, String)]) -> String {
    let mut out = text.to_string();
    for (from, to) in pairs {
        assert!(
            out.contains(from),
            "{file} no longer contains `{from}`: update the test's rewrite of it"
        );
        out = out.replace(from, to);
    }
    out
}

fn run(command: &mut Command, what: &str) -> String {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Path of a program the tests need; panics with what installs it.
pub fn program(name: &str, package: &str) -> PathBuf {
    for dir in ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin"] {
        let path = Path::new(dir).join(name);
        if path.exists() {
            return path;
        }
    }
    panic!("{name} not found: apt-get install {package} (scripts/test.sh does)");
}

fn wait_for_port(port: u16, what: &str, log: &dyn Fn() -> String) {
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{what} did not listen on {port}:\n{}",
            log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The workspace's site built for `base_url` into `out`.
pub fn build_site(site: &Path, out: &Path, base_url: &str) {
    run(
        Command::new(crate::binary("xeberdar"))
            .arg("build")
            .arg("--root")
            .arg(site)
            .arg("--output-dir")
            .arg(out)
            .arg("--base-url")
            .arg(base_url),
        &format!("xeberdar build --base-url {base_url}"),
    );
}

/// The shipped nginx configuration laid out in `prefix` as on a Debian machine
/// (`conf.d/xeberdar.conf`, `xeberdar/` beside it, the theme's header file inside), with a
/// main `nginx.conf` like Debian's (an access log for every server that does not turn it
/// off), every value naming this machine rewritten.
pub struct NginxLayout {
    pub https_port: u16,
    pub http_port: u16,
    pub onion_port: u16,
    pub public: PathBuf,
    pub public_onion: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
    pub replica_ports: [u16; 2],
}

pub fn lay_out_nginx(prefix: &Path, layout: &NginxLayout) {
    let root = crate::workspace_root();
    let conf = prefix.join("conf");
    let logs = prefix.join("logs");
    for dir in [conf.join("conf.d"), conf.join("xeberdar"), logs.clone()] {
        std::fs::create_dir_all(&dir).expect("create nginx folders");
    }
    let shipped = root.join("deploy/nginx");
    let read = |p: &Path| {
        std::fs::read_to_string(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
    };
    let log_path = logs.join("xeberdar-error.log").display().to_string();
    for entry in std::fs::read_dir(shipped.join("xeberdar")).expect("deploy/nginx/xeberdar") {
        let path = entry.expect("an entry").path();
        let mut text = read(&path);
        text = text.replace("/var/log/nginx/xeberdar-error.log", &log_path);
        std::fs::write(
            conf.join("xeberdar")
                .join(path.file_name().expect("a name")),
            text,
        )
        .expect("write an nginx include");
    }
    std::fs::copy(
        root.join("themes/xeberdar/deploy/nginx-headers.conf"),
        conf.join("xeberdar/nginx-headers.conf"),
    )
    .expect("copy the theme's nginx headers");
    let main = read(&shipped.join("xeberdar.conf"));
    let rewritten = rewrite(
        "deploy/nginx/xeberdar.conf",
        &main,
        &[
            (
                "    listen 80 default_server;\n    listen [::]:80 default_server;",
                format!("    listen 127.0.0.1:{} default_server;", layout.http_port),
            ),
            (
                "    listen 443 ssl http2 default_server;\n    listen [::]:443 ssl http2 default_server;",
                format!(
                    "    listen 127.0.0.1:{} ssl http2 default_server;",
                    layout.https_port
                ),
            ),
            (
                "listen 127.0.0.1:8181 proxy_protocol",
                format!("listen 127.0.0.1:{} proxy_protocol", layout.onion_port),
            ),
            (
                "root /srv/xeberdar/public-onion;",
                format!("root {};", layout.public_onion.display()),
            ),
            (
                "root /srv/xeberdar/public;",
                format!("root {};", layout.public.display()),
            ),
            (
                "/etc/letsencrypt/live/xeberdar.example/fullchain.pem",
                layout.cert.display().to_string(),
            ),
            (
                "/etc/letsencrypt/live/xeberdar.example/privkey.pem",
                layout.key.display().to_string(),
            ),
            (
                "server 127.0.0.1:8152 ",
                format!("server 127.0.0.1:{} ", layout.replica_ports[0]),
            ),
            (
                "server 127.0.0.1:8153 ",
                format!("server 127.0.0.1:{} ", layout.replica_ports[1]),
            ),
            ("/var/log/nginx/xeberdar-error.log", log_path.clone()),
            (ONION_PLACEHOLDER, TEST_ONION.to_string()),
            (
                "return 301 https://xeberdar.example$request_uri;",
                format!(
                    "return 301 https://xeberdar.example:{}$request_uri;",
                    layout.https_port
                ),
            ),
        ],
    );
    std::fs::write(conf.join("conf.d/xeberdar.conf"), rewritten).expect("write xeberdar.conf");
    // Like Debian's /etc/nginx/nginx.conf: logs at their most talkative, so that only the
    // shipped servers' own settings keep visitors' addresses out of them.
    let main_conf = format!(
        "pid {prefix}/nginx.pid;\n\
         error_log {logs}/error.log info;\n\
         worker_processes 1;\n\
         events {{ worker_connections 256; }}\n\
         http {{\n\
         \x20   include /etc/nginx/mime.types;\n\
         \x20   default_type application/octet-stream;\n\
         \x20   access_log {logs}/access.log;\n\
         \x20   include conf.d/*.conf;\n\
         }}\n",
        prefix = prefix.display(),
        logs = logs.display(),
    );
    std::fs::write(conf.join("nginx.conf"), main_conf).expect("write nginx.conf");
}

/// `nginx -t` on a laid-out prefix: (success, what nginx printed).
pub fn nginx_test(prefix: &Path) -> (bool, String) {
    let output = Command::new(program("nginx", "nginx"))
        .arg("-t")
        .arg("-p")
        .arg(prefix)
        .arg("-c")
        .arg(prefix.join("conf/nginx.conf"))
        .arg("-e")
        .arg(prefix.join("logs/error.log"))
        .output()
        .expect("run nginx -t");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// A throw-away certificate authority's certificate that is also the site's (self-signed
/// for `xeberdar.example`): (certificate, key).
pub fn self_signed_cert(dir: &Path) -> (PathBuf, PathBuf) {
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    run(
        Command::new(program("openssl", "openssl"))
            .args(["req", "-x509", "-newkey", "ec", "-pkeyopt"])
            .arg("ec_paramgen_curve:P-256")
            .args(["-nodes", "-days", "2", "-subj"])
            .arg(format!("/CN={PUBLIC_HOST}"))
            .arg("-addext")
            .arg(format!("subjectAltName=DNS:{PUBLIC_HOST}"))
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert),
        "openssl req (a test certificate)",
    );
    (cert, key)
}

impl Stack {
    pub fn start(options: StackOptions) -> Stack {
        let dir = tempfile::tempdir().expect("a temporary folder");
        // nginx's workers run as an unprivileged user and must read the site.
        make_readable(dir.path());
        let site_copy = crate::static_site::copy_of_site();
        let site = site_copy.path().to_path_buf();
        let public = dir.path().join("public");
        let public_onion = dir.path().join("public-onion");
        build_site(&site, &public, &format!("https://{PUBLIC_HOST}"));
        build_site(&site, &public_onion, &format!("http://{TEST_ONION}"));
        let (cert, key) = self_signed_cert(dir.path());
        let replicas: Vec<Replica> = (0..2)
            .map(|n| start_replica(&dir.path().join(format!("replica-{n}")), &site, &options))
            .collect();
        let nginx_prefix = dir.path().join("nginx");
        let layout = NginxLayout {
            https_port: free_port(),
            http_port: free_port(),
            onion_port: free_port(),
            public,
            public_onion,
            cert: cert.clone(),
            key,
            replica_ports: [replicas[0].port, replicas[1].port],
        };
        lay_out_nginx(&nginx_prefix, &layout);
        make_readable(dir.path());
        let (ok, text) = nginx_test(&nginx_prefix);
        assert!(ok, "nginx -t failed:\n{text}");
        let nginx = Command::new(program("nginx", "nginx"))
            .arg("-p")
            .arg(&nginx_prefix)
            .arg("-c")
            .arg(nginx_prefix.join("conf/nginx.conf"))
            .arg("-e")
            .arg(nginx_prefix.join("logs/error.log"))
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nginx");
        let stack = Stack {
            dir,
            site: site_copy,
            replicas,
            nginx: Some(nginx),
            nginx_prefix,
            https_port: layout.https_port,
            http_port: layout.http_port,
            onion_port: layout.onion_port,
            ca_cert: cert,
        };
        for port in [stack.https_port, stack.http_port, stack.onion_port] {
            wait_for_port(port, "nginx", &|| stack.nginx_logs());
        }
        stack
    }

    /// Every file nginx wrote under its logs folder, concatenated with their names.
    pub fn nginx_logs(&self) -> String {
        let mut out = String::new();
        if let Ok(entries) = std::fs::read_dir(self.nginx_prefix.join("logs")) {
            for entry in entries.flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                out.push_str(&format!("== {}\n{text}\n", entry.path().display()));
            }
        }
        out
    }

    /// The logs files' names and sizes, to show what nginx wrote at all.
    pub fn nginx_log_files(&self) -> Vec<(String, u64)> {
        std::fs::read_dir(self.nginx_prefix.join("logs"))
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| {
                        let len = e.metadata().map(|m| m.len()).unwrap_or(0);
                        (e.file_name().to_string_lossy().into_owned(), len)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A request to the public site over TLS from `visitor`, as `curl` sends it.
    pub fn https(&self, visitor: &str, path: &str, extra: &[&str]) -> HttpResponse {
        let url = format!("https://{PUBLIC_HOST}:{}{path}", self.https_port);
        curl(
            &url,
            &[
                "--resolve",
                &format!("{PUBLIC_HOST}:{}:127.0.0.1", self.https_port),
                "--cacert",
                &self.ca_cert.display().to_string(),
                "--interface",
                visitor,
            ],
            extra,
        )
    }

    /// A plain-HTTP request to port 80's stand-in.
    pub fn http(&self, visitor: &str, path: &str) -> HttpResponse {
        let url = format!("http://{PUBLIC_HOST}:{}{path}", self.http_port);
        curl(
            &url,
            &[
                "--resolve",
                &format!("{PUBLIC_HOST}:{}:127.0.0.1", self.http_port),
                "--interface",
                visitor,
            ],
            &[],
        )
    }

    /// A request to the onion mirror as Tor makes it: a PROXY line naming Tor circuit
    /// number `circuit`, then an HTTP/1.0 request for `TEST_ONION`.
    pub fn onion(&self, circuit: u32, method: &str, path: &str, form: &str) -> HttpResponse {
        let mut stream =
            TcpStream::connect(("127.0.0.1", self.onion_port)).expect("connect to nginx");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("a read timeout");
        let mut request = format!(
            "PROXY TCP6 fc00:dead:beef:4dad::{:x}:{:x} ::1 65535 80\r\n{method} {path} HTTP/1.0\r\nHost: {TEST_ONION}\r\n",
            circuit >> 16,
            circuit & 0xffff
        );
        if method == "POST" {
            request.push_str(&format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
                form.len()
            ));
        }
        request.push_str("\r\n");
        request.push_str(form);
        stream
            .write_all(request.as_bytes())
            .expect("send the request");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read the answer");
        HttpResponse::parse(&raw)
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        if let Some(mut nginx) = self.nginx.take() {
            // TERM lets the master stop its workers; a KILL would leave them running.
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(nginx.id().to_string())
                .status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = nginx.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = nginx.kill();
            let _ = nginx.wait();
        }
    }
}

fn make_readable(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755));
}

fn start_replica(dir: &Path, site: &Path, options: &StackOptions) -> Replica {
    std::fs::create_dir_all(dir).expect("a replica folder");
    let port = free_port();
    let config = format!(
        "[application]\n\
         mode = \"dev\"\n\
         host = \"127.0.0.1\"\n\
         port = {port}\n\
         prefix = \"/api/report\"\n\
         site_dir = \"{site}\"\n\
         client_address = \"{source}\"\n\
         [captcha]\n\
         kind = \"pow\"\n\
         pow_difficulty = 8\n\
         pow_hmac_key = \"shared-by-both-replicas-in-the-test\"\n\
         [rate_limit]\n\
         tips_per_hour = {tips}\n\
         no_js_tips_per_hour = {tips}\n\
         [outbox]\n\
         path = \"{dir}/outbox.sqlite\"\n\
         [mail]\n\
         transport = \"folder\"\n\
         path = \"{dir}/mail\"\n",
        site = site.display(),
        source = options.client_address,
        tips = options.tips_per_hour,
        dir = dir.display(),
    );
    let config_path = dir.join("report.toml");
    std::fs::write(&config_path, config).expect("write the replica's config");
    let log = std::fs::File::create(dir.join("replica.log")).expect("a replica log");
    let child = Command::new(crate::binary("xeberdar-report"))
        .arg("--config")
        .arg(&config_path)
        .current_dir(dir)
        .stdout(log.try_clone().expect("a log handle"))
        .stderr(log)
        .spawn()
        .expect("start xeberdar-report");
    let replica = Replica {
        child: Some(child),
        port,
        dir: dir.to_path_buf(),
    };
    wait_for_port(port, "xeberdar-report", &|| replica.log());
    replica
}

/// An HTTP answer: status, headers (names in lower case) and body.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    fn parse(raw: &[u8]) -> HttpResponse {
        let text = String::from_utf8_lossy(raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        HttpResponse {
            status,
            headers,
            body: body.to_string(),
        }
    }

    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every header called `name`.
    pub fn headers_named(&self, name: &str) -> Vec<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// `curl` with `common` and `extra` arguments: redirects not followed, 30 s at most.
pub fn curl(url: &str, common: &[&str], extra: &[&str]) -> HttpResponse {
    let output = Command::new(program("curl", "curl"))
        .args(["-sS", "-i", "--max-time", "30"])
        .args(common)
        .args(extra)
        .arg(url)
        .output()
        .expect("run curl");
    assert!(
        output.status.success(),
        "curl {url} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    HttpResponse::parse(&output.stdout)
}

/// `application/x-www-form-urlencoded` of `fields`.
pub fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The reference code on a "received" page (`id="reference-code"`), if there is one.
pub fn reference_code_in(html: &str) -> Option<String> {
    let marker = "id=\"reference-code\">";
    let start = html.find(marker)? + marker.len();
    let rest = html[start..].trim_start_matches("<bdi dir=\"ltr\">");
    let code: String = rest.chars().take(14).collect();
    let ok = code.len() == 14
        && code.chars().enumerate().all(|(i, c)| {
            if i == 4 || i == 9 {
                c == '-'
            } else {
                "3479ACEFHJKMNPRTWXY".contains(c)
            }
        });
    ok.then_some(code)
}
