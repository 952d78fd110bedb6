"""Shared pieces of the fault runs: start the real endpoint binary with a config made for
the run, start a (misbehaving) SMTP server, wait for health, kill -9 and restart.

Everything binds to 127.0.0.1. Every wait has a deadline. Paths default to the workspace;
``XEBERDAR_REPORT_BIN`` overrides the binary (for example a release build).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
DEMO_PUBLIC = os.path.join(ROOT, "report-endpoint", "dev", "demo-recipient.public.asc")
DEMO_SECRET = os.path.join(ROOT, "report-endpoint", "dev", "demo-recipient.secret.asc")
DEMO_EMAIL = "demo-recipient@example.invalid"


def python() -> str:
    return os.environ.get("XEBERDAR_PYTHON") or os.path.join(ROOT, ".venv", "bin", "python")


def endpoint_binary() -> str:
    env = os.environ.get("XEBERDAR_REPORT_BIN")
    if env:
        return env
    target = os.environ.get("CARGO_TARGET_DIR", "/work/target-endpoint")
    for profile in ("release", "debug"):
        p = os.path.join(target, profile, "xeberdar-report")
        if os.path.exists(p):
            return p
    raise SystemExit("no xeberdar-report binary: cargo build -p xeberdar-report (CARGO_TARGET_DIR=/work/target-endpoint)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The metrics listener's port of each run's endpoint, by the endpoint's port: metrics are
# never on the public listener.
METRICS_PORTS: dict[int, int] = {}


def metrics_port(port: int) -> int:
    """The metrics listener port write_config chose for the endpoint on `port`."""
    if port not in METRICS_PORTS:
        METRICS_PORTS[port] = free_port()
    return METRICS_PORTS[port]


def toml_str(s: str) -> str:
    return json.dumps(s)  # a JSON string is a valid TOML basic string for our paths


def write_config(path: str, *, port: int, outbox: str, smtp_port: int | None,
                 maildir_folder: str | None = None, recipients: list[tuple[str, str]] | None = None,
                 captcha: str = "pow", pow_difficulty: int = 4, pow_ttl_secs: int | None = None, mode: str = "dev",
                 smtp_timeout_secs: int = 2, backoff_base_ms: int = 100, backoff_max_ms: int = 2000,
                 poll_interval_ms: int = 200, lease_secs: int = 10, batch_size: int = 32,
                 hourly_cap: int = 10_000_000, extra_application: str = "",
                 outbox_backend: str = "sqlite", concurrency: int = 4) -> None:
    """The run's endpoint config. Rate limits are lifted (all load comes from 127.0.0.1,
    one client), the hourly cap is lifted (1,000 tips must be able to go out in minutes),
    and retries are fast so a run takes minutes, not hours."""
    recipients = recipients or [(DEMO_EMAIL, DEMO_PUBLIC)]
    lines = [
        "[application]",
        'host = "127.0.0.1"',
        f"port = {port}",
        'prefix = "/report"',
        f"site_dir = {toml_str(ROOT)}",
        f'mode = "{mode}"',
        "header_read_timeout_secs = 5",
        "request_timeout_secs = 15",
        extra_application,
        "[captcha]",
        f'kind = "{captcha}"',
        f"pow_difficulty = {pow_difficulty}",
        f"pow_ttl_secs = {pow_ttl_secs}" if pow_ttl_secs else "",
        'pow_hmac_key = "reliability-run-shared-key"',
        "no_js_question = true",
        "[rate_limit]",
        "tips_per_hour = 100000000",
        "no_js_tips_per_hour = 100000000",
        "challenges_per_minute = 100000000",
        "[seal]",
        'from = "xeberdar-report@reliability.test"',
    ]
    for email, cert in recipients:
        lines += ["[[seal.recipients]]", f"email = {toml_str(email)}", f"cert_path = {toml_str(cert)}"]
    lines += [
        "[metrics]",
        f'listen = "127.0.0.1:{metrics_port(port)}"',
        "[outbox]",
        f'backend = "{outbox_backend}"',
        # PostgreSQL: the URL comes from XEBERDAR_REPORT__OUTBOX__POSTGRES_URL.
        f"path = {toml_str(outbox)}",
        "[delivery]",
        f"concurrency = {concurrency}",
        f"poll_interval_ms = {poll_interval_ms}",
        f"batch_size = {batch_size}",
        f"lease_secs = {lease_secs}",
        f"backoff_base_ms = {backoff_base_ms}",
        f"backoff_max_ms = {backoff_max_ms}",
        "stats_interval_ms = 1000",
        f"hourly_cap_per_recipient = {hourly_cap}",
        "[mail]",
    ]
    if smtp_port is not None:
        lines += [
            'transport = "smtp"',
            'host = "127.0.0.1"',
            f"port = {smtp_port}",
            'security = "plain_loopback"',
            f"timeout_secs = {smtp_timeout_secs}",
        ]
    else:
        lines += ['transport = "folder"', f"path = {toml_str(maildir_folder or '')}"]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


class Endpoint:
    """The real binary, started and killed by the run."""

    def __init__(self, config: str, port: int, log_path: str, pidfile: str | None = None,
                 env: dict | None = None):
        self.config = config
        self.extra_env = env or {}
        self.port = port
        self.log_path = log_path
        self.pidfile = pidfile
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    def start(self, timeout: float = 60.0) -> None:
        log = open(self.log_path, "ab")
        env = dict(os.environ)
        env.setdefault("RUST_LOG", "info")
        env.update(self.extra_env)
        self.proc = subprocess.Popen([endpoint_binary(), "--config", self.config],
                                     stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        self.starts += 1
        if self.pidfile:
            with open(self.pidfile + ".tmp", "w") as f:
                f.write(str(self.proc.pid))
            os.replace(self.pidfile + ".tmp", self.pidfile)
        self.wait_healthy(timeout)

    def wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.port}/report/health"
        while time.monotonic() < deadline:
            if self.proc and self.proc.poll() is not None:
                raise RuntimeError(f"endpoint exited with {self.proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(url, timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise TimeoutError(f"endpoint not healthy within {timeout}s; see {self.log_path}")

    def kill9(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.kill9()

    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None


class SmtpServer:
    """bad_smtp.py in the given mode (``ok`` is a well-behaved server)."""

    def __init__(self, workdir: str, mode: str = "ok", port: int | None = None, extra: list[str] | None = None,
                 max_seconds: float = 3600):
        self.workdir = workdir
        self.maildir = os.path.join(workdir, "mail")
        self.stats_path = os.path.join(workdir, "smtp-stats.json")
        self.mode = mode
        self.port = port or free_port()
        self.extra = extra or []
        self.max_seconds = max_seconds
        self.proc: subprocess.Popen | None = None

    def start(self, wait: bool = True) -> None:
        ready = os.path.join(self.workdir, f"smtp-ready-{self.port}")
        if os.path.exists(ready):
            os.remove(ready)
        log = open(os.path.join(self.workdir, "smtp.log"), "ab")
        self.proc = subprocess.Popen(
            [python(), os.path.join(HERE, "bad_smtp.py"), "--mode", self.mode, "--port", str(self.port),
             "--maildir", self.maildir, "--stats", self.stats_path, "--ready-file", ready,
             "--max-seconds", str(self.max_seconds)] + self.extra,
            stdout=log, stderr=subprocess.STDOUT)
        if wait and self.mode != "down-then-up":
            deadline = time.monotonic() + 20
            while not os.path.exists(ready):
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("SMTP server did not start")
                time.sleep(0.02)

    def stats(self) -> dict:
        try:
            with open(self.stats_path, encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def accepted(self) -> int:
        return self.stats().get("accepted", 0)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def wait_for(predicate, timeout: float, what: str, interval: float = 0.5) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what}")


def outbox_rows(path: str) -> int | None:
    import sqlite3

    if not os.path.exists(path):
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return None


def run_load(base: str, args: list[str], json_out: str) -> dict:
    cmd = [sys.executable, os.path.join(HERE, "load_tips.py"), "--base", base, "--json-out", json_out] + args
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(json_out, encoding="utf-8") as f:
        return json.load(f)
