#!/usr/bin/env python3
"""A bounded, fixed-rate load generator that posts valid tips to the endpoint on loopback.

Open loop: tip *i* is due at ``start + i / rate`` whatever happened to the tips before it,
so a slow endpoint shows up as latency (measured from the due time as well as from the
moment the request was sent) instead of silently lowering the rate. A fixed pool of
threads sends the tips; each keeps one HTTP/1.1 connection alive and reconnects on error.

Each tip passes the captcha the way a visitor would:
  --captcha pow    GET {path}/challenge, solve the proof of work (same algorithm as the
                   page's small script), send the solution in the ``pow`` field;
  --captcha nojs   send the no-JavaScript answer printed on the page (``--nojs-answer``);
  --captcha none   send nothing (only for an endpoint started in bench mode with the
                   captcha off).
``--invalid-rate R`` adds, in parallel, R requests per second whose captcha is wrong (a bot
flood); they are counted apart from the valid tips.

Every tip that is answered ``303`` is recorded (``--refs-out``, JSON lines with the tip's
unique tag and the reference code read from the "received" page, flushed at once) so a
checker can prove each acknowledged tip was delivered.
``--rss-pid``/``--rss-pidfile`` samples the endpoint's resident memory from /proc every
``--rss-interval`` seconds. Only loopback targets are accepted; the run stops after
``--count`` tips or ``--duration`` seconds, whichever comes first.

Python standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import ipaddress
import json
import os
import queue
import random
import re
import socket
import sys
import threading
import time
import urllib.parse

REF_RE = re.compile(r"([3479ACEFHJKMNPRTWXY]{4}-[3479ACEFHJKMNPRTWXY]{4}-[3479ACEFHJKMNPRTWXY]{4})")

KINDS = [
    "forced_labour",
    "sexual_exploitation",
    "forced_begging_or_crime",
    "child_trafficking",
    "organ_removal",
    "suspicious_offer",
    "other",
]

DESCRIPTIONS = {
    "az": "Yük maşınında gənc qadınlar aparılırdı, pasportları sürücüdə idi. Yük nömrəsi {n}.",
    "ru": "Молодых женщин везли в фургоне, паспорта были у водителя. Номер груза {n}.",
    "en": "Young women were driven away in a van, the driver held their passports. Load no. {n}.",
}


def percentile(sorted_values: list[float], p: float) -> float | None:
    if not sorted_values:
        return None
    k = max(0, min(len(sorted_values) - 1, int(round(p / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def summary_ms(values: list[float]) -> dict:
    v = sorted(values)
    out = {"n": len(v)}
    for p in (50, 90, 99, 99.9):
        x = percentile(v, p)
        out[f"p{p:g}_ms"] = None if x is None else round(x * 1000, 2)
    out["max_ms"] = round(v[-1] * 1000, 2) if v else None
    return out


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        bits += 8 - byte.bit_length()
        break
    return bits


def solve_pow(challenge: dict, max_iterations: int = 50_000_000) -> str:
    """Solves the endpoint's proof of work the way the page's script does.

    Mirrors report-endpoint/src/captcha/proof_of_work.rs: ``GET <prefix>/challenge`` answers
    ``{"challenge": "v1.<nonce>.<expires>.<difficulty>.<sig>", "difficulty": d, ...}``; the
    solver counts ``n`` from 0 until SHA-256 of ``"<challenge>:<n>"`` starts with ``d`` zero
    bits, and sends ``"<challenge>:<n>"`` as the ``pow`` field.
    """
    token = challenge["challenge"]
    difficulty = int(challenge["difficulty"])
    prefix = hashlib.sha256((token + ":").encode("ascii"))
    for n in range(max_iterations):
        h = prefix.copy()
        h.update(str(n).encode("ascii"))
        if leading_zero_bits(h.digest()) >= difficulty:
            return f"{token}:{n}"
    raise ValueError("no solution within max_iterations")


class Target:
    def __init__(self, base: str, path: str):
        u = urllib.parse.urlsplit(base)
        host = u.hostname or ""
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            raise SystemExit(f"refusing non-loopback target {host!r}: load runs stay on 127.0.0.1")
        self.host = host
        self.port = u.port or 80
        self.path = path.rstrip("/") or "/report"


class Client:
    """One keep-alive connection; reconnects after any error."""

    def __init__(self, target: Target, timeout: float):
        self.t = target
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, dict, bytes]:
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.t.host, self.t.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                r = self.conn.getresponse()
                data = r.read()
                hdrs = {k.lower(): v for k, v in r.getheaders()}
                if hdrs.get("connection", "").lower() == "close":
                    self.close()
                return r.status, hdrs, data
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as e:
                # A keep-alive connection the server closed between requests: retry once on a
                # fresh one. A request that was sent may be re-sent only if nothing came back.
                self.close()
                if attempt == 1:
                    raise e
            except Exception:
                self.close()
                raise
        raise RuntimeError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:
                pass
        self.conn = None


class Results:
    def __init__(self, refs_out: str | None):
        self.lock = threading.Lock()
        self.latency_post: list[float] = []
        self.latency_total: list[float] = []
        self.latency_from_due: list[float] = []
        self.status: dict[str, int] = {}
        self.refs: list[str] = []
        self.refs_file = open(refs_out, "a", encoding="utf-8") if refs_out else None
        self.invalid_status: dict[str, int] = {}
        self.invalid_latency: list[float] = []
        self.sent = 0
        self.invalid_sent = 0

    def record(self, key: str, post: float | None, total: float | None, due: float | None,
               ref: str | None, tag: str | None = None) -> None:
        with self.lock:
            self.sent += 1
            self.status[key] = self.status.get(key, 0) + 1
            if post is not None:
                self.latency_post.append(post)
            if total is not None:
                self.latency_total.append(total)
            if due is not None:
                self.latency_from_due.append(due)
            if ref:
                self.refs.append(ref)
            if key == "303" and self.refs_file:
                self.refs_file.write(json.dumps({"tag": tag, "ref": ref}) + "\n")
                self.refs_file.flush()

    def record_invalid(self, key: str, latency: float | None) -> None:
        with self.lock:
            self.invalid_sent += 1
            self.invalid_status[key] = self.invalid_status.get(key, 0) + 1
            if latency is not None:
                self.invalid_latency.append(latency)


def tag_for(run_id: str, n: int) -> str:
    """A unique marker inside each tip's description, so a checker can match a delivered
    tip to its request even when the reference page could not be read (endpoint killed
    between the 303 and the GET of the one-time "received" page)."""
    return f"LOADTAG-{run_id}-{n}"


def tip_fields(n: int, lang: str, run_id: str) -> dict:
    rnd = random.Random(n)
    return {
        "lang": lang,
        "kind": KINDS[n % len(KINDS)],
        "country": "Azərbaycan" if lang == "az" else "Azerbaijan",
        "city": rnd.choice(["Bakı", "Gəncə", "Sumqayıt", "Lənkəran"]),
        "place": f"avtovağzal {n % 17}",
        "when": "2026-11-20",
        "description": DESCRIPTIONS.get(lang, DESCRIPTIONS["en"]).format(n=tag_for(run_id, n)),
        "involved": "ağ furqon" if n % 3 == 0 else "",
        "contact": "",
    }


def send_tip(client: Client, target: Target, args, n: int, run_id: str) -> tuple[str, float | None, str | None]:
    fields = tip_fields(n, args.lang, run_id)
    if args.captcha == "pow":
        status, _, body = client.request("GET", f"{target.path}/challenge")
        if status != 200:
            return f"challenge_{status}", None, None
        fields["pow"] = solve_pow(json.loads(body))
    elif args.captcha == "nojs":
        fields.update(nojs_fields(client, target, args))
    body = urllib.parse.urlencode(fields).encode()
    t0 = time.monotonic()
    status, hdrs, data = client.request(
        "POST",
        target.path,
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    post_latency = time.monotonic() - t0
    ref = None
    if status == 303:
        loc = hdrs.get("location", "")
        m = REF_RE.search(urllib.parse.unquote(loc))
        if m:
            ref = m.group(1)
        elif loc:
            path = urllib.parse.urlsplit(loc).path + ("?" + urllib.parse.urlsplit(loc).query if urllib.parse.urlsplit(loc).query else "")
            s2, _, page = client.request("GET", path)
            m = REF_RE.search(page.decode("utf-8", "replace"))
            ref = m.group(1) if m else None
    return str(status), post_latency, ref


def nojs_fields(client: Client, target: Target, args) -> dict:
    """The no-JavaScript path: the answer printed on the page, plus any hidden token the
    form carries (for example a minimum-fill-time token), read from the endpoint's form."""
    fields = {"no_js_answer": args.nojs_answer}
    if args.nojs_form_path:
        status, _, page = client.request("GET", args.nojs_form_path)
        if status == 200:
            for name, value in re.findall(
                r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.decode("utf-8", "replace")
            ):
                if name not in fields and name != "lang":
                    fields[name] = value
    return fields


def rss_sampler(args, stop: threading.Event, samples: list) -> None:
    start = time.monotonic()
    while not stop.is_set():
        pid = args.rss_pid
        if args.rss_pidfile:
            try:
                with open(args.rss_pidfile, encoding="ascii") as f:
                    pid = int(f.read().strip())
            except (OSError, ValueError):
                pid = None
        rss = None
        # Heap (RssAnon) apart from mapped files (RssFile: the binary; RssShmem: SQLite's
        # WAL index), so a growth can be told apart; and the thread count (each thread of
        # the blocking pool has a stack and may get its own malloc arena).
        parts: dict = {}
        if pid:
            try:
                with open(f"/proc/{pid}/status", encoding="ascii") as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            rss = int(line.split()[1])
                        elif line.startswith(("RssAnon:", "RssFile:", "RssShmem:")):
                            parts[line.split(":")[0].lower() + "_kib"] = int(line.split()[1])
                        elif line.startswith("Threads:"):
                            parts["threads"] = int(line.split()[1])
            except OSError:
                rss = None
        samples.append({"t_s": round(time.monotonic() - start, 1), "pid": pid, "rss_kib": rss, **parts})
        stop.wait(args.rss_interval)


def run(args) -> dict:
    target = Target(args.base, args.path)
    results = Results(args.refs_out)
    run_id = args.run_id or f"{int(time.time())}-{os.getpid()}"
    jobs: queue.Queue = queue.Queue(maxsize=max(1000, int(args.rate * 5)))
    stop = threading.Event()
    deadline = time.monotonic() + args.duration

    def worker() -> None:
        client = Client(target, args.timeout)
        while True:
            item = jobs.get()
            if item is None:
                client.close()
                return
            n, due = item
            t_start = time.monotonic()
            try:
                key, post, ref = send_tip(client, target, args, n, run_id)
            except (OSError, http.client.HTTPException, ValueError) as e:
                key, post, ref = f"error_{type(e).__name__}", None, None
            t_end = time.monotonic()
            results.record(key, post, t_end - t_start, t_end - due, ref, tag_for(run_id, n))

    def invalid_worker(inv_jobs: queue.Queue) -> None:
        client = Client(target, args.timeout)
        while True:
            item = inv_jobs.get()
            if item is None:
                client.close()
                return
            fields = tip_fields(item, args.lang, run_id)
            fields["pow"] = "bm90LWEtc29sdXRpb24="
            fields["no_js_answer"] = "wrong"
            body = urllib.parse.urlencode(fields).encode()
            t0 = time.monotonic()
            try:
                status, _, _ = client.request(
                    "POST", target.path, body=body,
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                )
                results.record_invalid(str(status), time.monotonic() - t0)
            except (OSError, http.client.HTTPException) as e:
                results.record_invalid(f"error_{type(e).__name__}", None)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.concurrency)]
    for t in threads:
        t.start()
    inv_jobs: queue.Queue = queue.Queue(maxsize=max(1000, int(args.invalid_rate * 5) + 1))
    inv_threads = []
    if args.invalid_rate > 0:
        inv_threads = [threading.Thread(target=invalid_worker, args=(inv_jobs,), daemon=True)
                       for _ in range(args.invalid_concurrency)]
        for t in inv_threads:
            t.start()

    rss_samples: list = []
    rss_thread = None
    if args.rss_pid or args.rss_pidfile:
        rss_thread = threading.Thread(target=rss_sampler, args=(args, stop, rss_samples), daemon=True)
        rss_thread.start()

    def dispatch_invalid() -> None:
        start = time.monotonic()
        i = 0
        while time.monotonic() < deadline and not stop.is_set():
            due = start + i / args.invalid_rate
            now = time.monotonic()
            if due > now:
                time.sleep(min(due - now, 0.05))
                continue
            try:
                inv_jobs.put_nowait(i)
            except queue.Full:
                results.record_invalid("dropped_client_side", None)
            i += 1

    inv_dispatcher = None
    if args.invalid_rate > 0:
        inv_dispatcher = threading.Thread(target=dispatch_invalid, daemon=True)
        inv_dispatcher.start()

    start = time.monotonic()
    dispatched = 0
    while dispatched < args.count and time.monotonic() < deadline:
        due = start + dispatched / args.rate
        now = time.monotonic()
        if due > now:
            time.sleep(min(due - now, 0.05))
            continue
        jobs.put((dispatched, due))
        dispatched += 1
    dispatch_end = time.monotonic()
    for _ in threads:
        jobs.put(None)
    for t in threads:
        t.join(timeout=args.timeout * 3 + 5)
    stop.set()
    if inv_dispatcher:
        inv_dispatcher.join(timeout=5)
        for _ in inv_threads:
            inv_jobs.put(None)
        for t in inv_threads:
            t.join(timeout=args.timeout * 3 + 5)
    if rss_thread:
        rss_thread.join(timeout=args.rss_interval + 1)
    elapsed = time.monotonic() - start
    ok = results.status.get("303", 0)
    report = {
        "target": f"http://{target.host}:{target.port}{target.path}",
        "captcha": args.captcha,
        "rate_requested_per_s": args.rate,
        "concurrency": args.concurrency,
        "dispatched": dispatched,
        "dispatch_seconds": round(dispatch_end - start, 2),
        "elapsed_seconds": round(elapsed, 2),
        "completed": results.sent,
        "status_counts": dict(sorted(results.status.items())),
        "received_303": ok,
        "achieved_303_per_s": round(ok / elapsed, 1) if elapsed > 0 else None,
        "error_rate": round(1 - ok / results.sent, 5) if results.sent else None,
        "post_latency": summary_ms(results.latency_post),
        "tip_latency_incl_challenge": summary_ms(results.latency_total),
        "latency_from_due_time": summary_ms(results.latency_from_due),
        "refs_recorded": len(results.refs),
        "refs_missing_on_303": ok - len(results.refs),
    }
    if args.invalid_rate > 0:
        report["invalid_flood"] = {
            "rate_requested_per_s": args.invalid_rate,
            "sent": results.invalid_sent,
            "achieved_per_s": round(results.invalid_sent / elapsed, 1) if elapsed > 0 else None,
            "status_counts": dict(sorted(results.invalid_status.items())),
            "latency": summary_ms(results.invalid_latency),
        }
    if rss_samples:
        rss = [s["rss_kib"] for s in rss_samples if s["rss_kib"]]
        report["rss_samples"] = rss_samples
        if rss:
            report["rss_kib_first_last_max"] = [rss[0], rss[-1], max(rss)]
    if results.refs_file:
        results.refs_file.close()
    return report


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Bounded fixed-rate tip load on loopback.")
    p.add_argument("--base", default="http://127.0.0.1:8080")
    p.add_argument("--path", default="/report")
    p.add_argument("--rate", type=float, default=20.0, help="tips per second")
    p.add_argument("--count", type=int, default=1000, help="stop after this many tips")
    p.add_argument("--duration", type=float, default=120.0, help="stop after this many seconds")
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--timeout", type=float, default=10.0, help="per-request socket timeout")
    p.add_argument("--captcha", choices=["pow", "nojs", "none"], default="pow")
    p.add_argument("--nojs-answer", default="152")
    p.add_argument("--nojs-form-path", help="GET this page to copy hidden form tokens (no-JS path)")
    p.add_argument("--lang", default="az")
    p.add_argument("--run-id")
    p.add_argument("--refs-out", help="append each acknowledged tip here, as JSON lines {tag, ref}")
    p.add_argument("--invalid-rate", type=float, default=0.0)
    p.add_argument("--invalid-concurrency", type=int, default=8)
    p.add_argument("--rss-pid", type=int)
    p.add_argument("--rss-pidfile")
    p.add_argument("--rss-interval", type=float, default=10.0)
    p.add_argument("--json-out")
    args = p.parse_args(argv)
    if args.rate <= 0 or args.count <= 0 or args.duration <= 0:
        p.error("--rate, --count and --duration must be positive (every run is bounded)")
    if args.duration > 3600:
        p.error("--duration is capped at one hour")
    return args


def main() -> int:
    args = parse_args(sys.argv[1:])
    socket.setdefaulttimeout(args.timeout)
    report = run(args)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as f:
            f.write(text)
    brief = {k: v for k, v in report.items() if k != "rss_samples"}
    print(json.dumps(brief, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
