#!/usr/bin/env python3
"""The long fault runs of issue 6, against the real `xeberdar-report` binary on loopback.

    fault_runs.py smtp-down   [--tips 1000]   relay down for the whole load, then up
    fault_runs.py kill9       [--tips 1000]   kill -9 at random moments during the load
    fault_runs.py disk-full                   outbox on a 2 MiB tmpfs that fills up
    fault_runs.py bad-smtp    [--tips 100]    drop / 4xx / 5xx / stall relays, backoff gaps
    fault_runs.py rotation    [--tips 100]    recipient certificate replaced while tips wait
    fault_runs.py load --rate R --duration S [--invalid-rate R2]   fixed-rate load, RSS

Each run writes its files and a ``result.json`` under ``--out`` (default
/tmp/xeberdar-reliability/<run>) and prints the result. Every loop is bounded in count and
time; all traffic goes to 127.0.0.1. Build the binary first:
``CARGO_TARGET_DIR=/work/target-endpoint cargo build -p xeberdar-report``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import delivery_check  # noqa: E402
import fault_harness as fh  # noqa: E402


def fresh_dir(path: str) -> str:
    if os.path.isdir(path):
        # Unmount a tmpfs left by an interrupted disk-full run before removing anything.
        subprocess.run(["umount", os.path.join(path, "outbox-fs")], capture_output=True)
        shutil.rmtree(path)
    os.makedirs(path)
    return path


def read_acks(path: str) -> list[dict]:
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def metrics(port: int) -> dict:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{fh.metrics_port(port)}/metrics", timeout=5) as r:
            text = r.read().decode()
    except OSError:
        return {}
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition(" ")
            try:
                out[name] = float(value)
            except ValueError:
                pass
    return out


def finish(out: str, result: dict) -> int:
    with open(os.path.join(out, "result.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
    printable = json.loads(json.dumps(result))
    for key in ("check",):
        if key in printable and isinstance(printable[key], dict):
            printable[key].pop("lost", None)
    print(json.dumps(printable, indent=2, ensure_ascii=False))
    return 0 if result.get("ok") else 1


def summarize_check(report: dict) -> dict:
    keep = {k: v for k, v in report.items() if k not in ("lost", "ref_mismatch")}
    keep["lost_count"] = len(report["lost"])
    keep["lost_sample"] = report["lost"][:5]
    keep["ref_mismatch_count"] = len(report["ref_mismatch"])
    return keep


# ---------------------------------------------------------------------------------------


def run_smtp_down(args) -> int:
    out = fresh_dir(args.out)
    up = os.path.join(out, "relay-up")
    smtp = fh.SmtpServer(out, mode="down-then-up", extra=["--up-when-file", up])
    smtp.start()
    port = fh.free_port()
    outbox = os.path.join(out, "outbox.sqlite3")
    cfg = os.path.join(out, "endpoint.toml")
    fh.write_config(cfg, port=port, outbox=outbox, smtp_port=smtp.port, backoff_max_ms=5000)
    ep = fh.Endpoint(cfg, port, os.path.join(out, "endpoint.log"))
    acks = os.path.join(out, "acks.jsonl")
    result: dict = {"run": "smtp-down", "tips": args.tips}
    try:
        ep.start()
        t0 = time.monotonic()
        load = fh.run_load(f"http://127.0.0.1:{port}",
                           ["--rate", str(args.rate), "--count", str(args.tips), "--duration", "900",
                            "--concurrency", "8", "--refs-out", acks, "--run-id", "smtpdown"],
                           os.path.join(out, "load.json"))
        result["load"] = {k: load[k] for k in ("status_counts", "received_303", "error_rate", "post_latency", "elapsed_seconds")}
        result["outbox_rows_while_down"] = fh.outbox_rows(outbox)
        result["failed_attempts_while_down"] = metrics(port).get("xeberdar_delivery_failed_attempts_total")
        open(up, "w").close()
        t_up = time.monotonic()
        n = len(read_acks(acks))
        fh.wait_for(lambda: smtp.accepted() >= n and fh.outbox_rows(outbox) == 0, 900, "all delivered")
        result["seconds_to_drain_after_up"] = round(time.monotonic() - t_up, 1)
        result["total_seconds"] = round(time.monotonic() - t0, 1)
        result["endpoint_metrics"] = {k: v for k, v in metrics(port).items() if "delivery" in k or "outbox" in k}
    finally:
        ep.stop()
        smtp.stop()
    report = delivery_check.check_maildir(smtp.maildir, read_acks(acks), [fh.DEMO_SECRET], outbox)
    result["smtp_stats"] = smtp.stats()
    result["check"] = summarize_check(report)
    result["ok"] = report["ok"] and result["load"]["received_303"] == args.tips
    return finish(out, result)


def run_kill9(args) -> int:
    out = fresh_dir(args.out)
    smtp = fh.SmtpServer(out, mode="ok")
    smtp.start()
    port = fh.free_port()
    outbox = os.path.join(out, "outbox.sqlite3")
    cfg = os.path.join(out, "endpoint.toml")
    fh.write_config(cfg, port=port, outbox=outbox, smtp_port=smtp.port, lease_secs=5)
    pidfile = os.path.join(out, "endpoint.pid")
    ep = fh.Endpoint(cfg, port, os.path.join(out, "endpoint.log"), pidfile=pidfile)
    acks = os.path.join(out, "acks.jsonl")
    rng = random.Random(args.seed)
    kills = []
    integrity_after_kills = []
    result: dict = {"run": "kill9", "tips": args.tips, "seed": args.seed}
    try:
        ep.start()
        load_out = os.path.join(out, "load.json")
        load_proc = subprocess.Popen(
            [sys.executable, os.path.join(fh.HERE, "load_tips.py"), "--base", f"http://127.0.0.1:{port}",
             "--rate", str(args.rate), "--count", str(args.tips), "--duration", "900",
             "--concurrency", "8", "--timeout", "5", "--refs-out", acks, "--run-id", "kill9",
             "--json-out", load_out], stdout=subprocess.DEVNULL)
        t0 = time.monotonic()
        while load_proc.poll() is None and len(kills) < args.max_kills and time.monotonic() - t0 < 900:
            time.sleep(rng.uniform(0.5, 3.0))
            if load_proc.poll() is not None:
                break
            rows_before = fh.outbox_rows(outbox)
            ep.kill9()
            # The file as a crash left it, before the restart recovers anything.
            check = delivery_check.outbox_integrity(outbox)
            integrity_after_kills.append(check.get("integrity_check"))
            kills.append({"t_s": round(time.monotonic() - t0, 2), "outbox_rows_before": rows_before,
                          "delivered_so_far": smtp.accepted()})
            ep.start()
        load_proc.wait(timeout=900)
        with open(load_out, encoding="utf-8") as f:
            load = json.load(f)
        result["load"] = {k: load[k] for k in ("status_counts", "received_303", "error_rate", "elapsed_seconds",
                                               "refs_recorded", "refs_missing_on_303")}
        n = len(read_acks(acks))
        fh.wait_for(lambda: fh.outbox_rows(outbox) == 0, 600, "outbox drained")
        result["endpoint_starts"] = ep.starts
    finally:
        ep.stop()
        smtp.stop()
    result["kills"] = len(kills)
    result["kill_log"] = kills
    result["integrity_right_after_each_kill"] = sorted({str(x) for x in integrity_after_kills})
    report = delivery_check.check_maildir(smtp.maildir, read_acks(acks), [fh.DEMO_SECRET], outbox)
    result["check"] = summarize_check(report)
    result["ok"] = report["ok"] and all(x == ["ok"] for x in integrity_after_kills) and n > 0
    return finish(out, result)


def post_form(port: int, fields: dict, timeout: float = 10) -> tuple[int, str, dict]:
    body = urllib.parse.urlencode(fields).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/report", data=body, method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace"), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace"), dict(e.headers)


def solved_pow(port: int) -> str:
    import load_tips

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/report/challenge", timeout=10) as r:
        return load_tips.solve_pow(json.loads(r.read()))


def run_disk_full(args) -> int:
    out = fresh_dir(args.out)
    fs = os.path.join(out, "outbox-fs")
    os.makedirs(fs)
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", fs], capture_output=True, text=True)
    result: dict = {"run": "disk-full", "filesystem": "tmpfs size=2m"}
    if mount.returncode != 0:
        result["ok"] = False
        result["error"] = f"mount refused: {mount.stderr.strip()}"
        return finish(out, result)
    up = os.path.join(out, "relay-up")
    smtp = fh.SmtpServer(out, mode="down-then-up", extra=["--up-when-file", up])
    smtp.start()
    port = fh.free_port()
    outbox = os.path.join(fs, "outbox.sqlite3")
    cfg = os.path.join(out, "endpoint.toml")
    fh.write_config(cfg, port=port, outbox=outbox, smtp_port=smtp.port)
    ep = fh.Endpoint(cfg, port, os.path.join(out, "endpoint.log"))
    acks = []
    statuses: dict[str, int] = {}
    first_503 = None
    health_log: list = []

    def health(moment: str) -> int | None:
        """GET /report/health, recorded with the moment of the run it was asked at."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/report/health", timeout=10) as r:
                status = r.status
        except urllib.error.HTTPError as e:
            status = e.code
        except OSError:
            status = None
        health_log.append({"moment": moment, "status": status, "t": round(time.monotonic() - t0, 3)})
        return status

    t0 = time.monotonic()
    try:
        ep.start()
        result["health_before_filler"] = health("before the filler")
        # Fill most of the filesystem with a plain file, then send tips until it is full.
        filler = os.path.join(fs, "filler")
        with open(filler, "wb") as f:
            try:
                f.write(b"\0" * (2 * 1024 * 1024 - 160 * 1024))
            except OSError:
                pass
        result["df_after_filler"] = subprocess.run(["df", "-k", fs], capture_output=True, text=True).stdout.splitlines()[-1]
        result["health_after_filler_before_any_tip_failed"] = health("after the filler, before any tip failed")
        consecutive_503 = 0
        for i in range(400):
            lang = ["ru", "en", "az"][i % 3]
            tag = f"LOADTAG-diskfull-{i}"
            fields = {"lang": lang, "kind": "other", "description": f"Disk full run, tip {tag}.",
                      "pow": solved_pow(port)}
            status, page, headers = post_form(port, fields)
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            health(f"after tip {i} answered {status}")
            if status == 303:
                acks.append({"tag": tag, "ref": None})
                consecutive_503 = 0
            elif status == 503:
                consecutive_503 += 1
                if first_503 is None:
                    first_503 = {"tip": i, "lang": lang, "has_hotline_152": "152" in page,
                                 "html_lang": page.split('lang="', 1)[1].split('"', 1)[0] if 'lang="' in page else None,
                                 "title": page.split("<title>", 1)[1].split("</title>", 1)[0].strip() if "<title>" in page else None,
                                 "retry_after": headers.get("Retry-After")}
                    with open(os.path.join(out, f"first-503-{lang}.html"), "w", encoding="utf-8") as f:
                        f.write(page)
                if consecutive_503 >= 6:
                    break
        result["statuses_while_filling"] = statuses
        result["first_503"] = first_503
        # All three languages of the 503 page.
        pages = {}
        for lang in ("az", "ru", "en"):
            status, page, _ = post_form(port, {"lang": lang, "description": "full disk probe",
                                               "pow": solved_pow(port)})
            pages[lang] = {"status": status, "has_152": "152" in page,
                           "html_lang": page.split('lang="', 1)[1].split('"', 1)[0] if 'lang="' in page else None}
            with open(os.path.join(out, f"503-{lang}.html"), "w", encoding="utf-8") as f:
                f.write(page)
        result["503_pages"] = pages
        result["integrity_while_full"] = delivery_check.outbox_integrity(outbox).get("integrity_check")
        result["rows_while_full"] = fh.outbox_rows(outbox)
        result["health_while_full"] = health("while full, after the 503 pages")
        # Space returns. No tip is sent until /health says 200 again: the page's script shows
        # no form while it fails, so health must find out by itself.
        os.remove(filler)
        freed = time.monotonic()
        result["df_after_filler_removed"] = subprocess.run(["df", "-k", fs], capture_output=True, text=True).stdout.splitlines()[-1]
        first = health("right after the filler was removed")
        deadline = freed + 60
        while first != 200 and time.monotonic() < deadline:
            time.sleep(0.1)
            first = health("polling after the filler was removed")
        result["health_after_space_returns"] = first
        result["health_200_after_space_returns_s"] = round(time.monotonic() - freed, 3) if first == 200 else None
        status, _, _ = post_form(port, {"lang": "az", "description": "After the disk was freed LOADTAG-diskfull-after.",
                                        "pow": solved_pow(port)})
        result["status_after_space_returns"] = status
        if status == 303:
            acks.append({"tag": "LOADTAG-diskfull-after", "ref": None})
        result["health_after_the_next_tip"] = health("after the next tip")
        open(up, "w").close()
        fh.wait_for(lambda: fh.outbox_rows(outbox) == 0, 300, "outbox drained")
        m = metrics(port)
        result["metrics_health"] = {k: m.get(k) for k in ("xeberdar_report_health_unavailable_total",
                                                          "xeberdar_report_outbox_ready",
                                                          "xeberdar_report_unavailable_total")}
    finally:
        ep.stop()
        smtp.stop()
    report = delivery_check.check_maildir(smtp.maildir, acks, [fh.DEMO_SECRET], outbox)
    result["check"] = summarize_check(report)
    result["health_log"] = health_log
    subprocess.run(["umount", fs], capture_output=True)
    result["ok"] = (report["ok"] and result["integrity_while_full"] == ["ok"] and result["status_after_space_returns"] == 303
                    and first_503 is not None and all(p["status"] == 503 and p["has_152"] for p in pages.values())
                    and result.get("health_before_filler") == 200 and result.get("health_while_full") == 503
                    and result.get("health_after_space_returns") == 200
                    and result.get("health_after_the_next_tip") == 200)
    return finish(out, result)


def run_bad_smtp(args) -> int:
    out = fresh_dir(args.out)
    result: dict = {"run": "bad-smtp", "tips_per_mode": args.tips, "modes": {}}
    all_ok = True
    for mode in args.modes:
        d = fresh_dir(os.path.join(out, mode))
        smtp_port = fh.free_port()
        port = fh.free_port()
        outbox = os.path.join(d, "outbox.sqlite3")
        cfg = os.path.join(d, "endpoint.toml")
        fh.write_config(cfg, port=port, outbox=outbox, smtp_port=smtp_port, smtp_timeout_secs=2,
                        backoff_base_ms=200, backoff_max_ms=5000)
        ep = fh.Endpoint(cfg, port, os.path.join(d, "endpoint.log"))
        r: dict = {}
        smtp = None
        try:
            ep.start()
            # Phase A, backoff: one tip; the first --fail-first connections misbehave. The
            # gaps between its attempts show the exponential backoff with jitter.
            da = fresh_dir(os.path.join(d, "phase-a"))
            smtp = fh.SmtpServer(da, mode=mode, port=smtp_port, extra=["--fail-first", str(args.fail_first)])
            smtp.start()
            acks_a = os.path.join(da, "acks.jsonl")
            fh.run_load(f"http://127.0.0.1:{port}", ["--rate", "5", "--count", "1", "--duration", "30",
                                                     "--refs-out", acks_a, "--run-id", "backoff"],
                        os.path.join(da, "load.json"))
            try:
                fh.wait_for(lambda: smtp.accepted() >= 1, args.patience, "the single tip delivered")
                r["phase_a_delivered"] = True
            except TimeoutError:
                r["phase_a_delivered"] = False
            times = smtp.stats().get("connection_times", [])
            r["phase_a_attempt_gaps_s"] = [round(b - a, 2) for a, b in zip(times, times[1:])]
            r["phase_a_smtp"] = {k: v for k, v in smtp.stats().items() if k not in ("listening_since", "connection_times")}
            check_a = delivery_check.check_maildir(smtp.maildir, read_acks(acks_a), [fh.DEMO_SECRET])
            smtp.stop()
            smtp = None
            # Phase B, load under the fault: --tips tips while the first 3 x --fail-first
            # connections misbehave; the web side must answer at once throughout.
            db = fresh_dir(os.path.join(d, "phase-b"))
            smtp = fh.SmtpServer(db, mode=mode, port=smtp_port, extra=["--fail-first", str(3 * args.fail_first)])
            smtp.start()
            acks_b = os.path.join(db, "acks.jsonl")
            load = fh.run_load(f"http://127.0.0.1:{port}",
                               ["--rate", "20", "--count", str(args.tips), "--duration", "120", "--concurrency", "4",
                                "--refs-out", acks_b, "--run-id", "fault" + mode.replace("-", "")],
                               os.path.join(db, "load.json"))
            r["phase_b_load_while_faulty"] = {"status_counts": load["status_counts"], "post_latency": load["post_latency"],
                                              "smtp_faults_so_far": smtp.stats().get("faults")}
            t = time.monotonic()
            urllib.request.urlopen(f"http://127.0.0.1:{port}/report/health", timeout=30).read()
            r["health_latency_ms_during_fault"] = round((time.monotonic() - t) * 1000, 2)
            n = len(read_acks(acks_b))
            try:
                fh.wait_for(lambda: smtp.accepted() >= n and fh.outbox_rows(outbox) == 0, args.patience, "all delivered")
                r["phase_b_drained"] = True
            except TimeoutError:
                r["phase_b_drained"] = False
            r["outbox_rows_left"] = fh.outbox_rows(outbox)
            r["endpoint_metrics"] = {k: v for k, v in metrics(port).items() if "delivery" in k}
            r["phase_b_smtp"] = {k: v for k, v in smtp.stats().items() if k not in ("listening_since", "connection_times")}
        finally:
            ep.stop()
            if smtp:
                smtp.stop()
        check_b = delivery_check.check_maildir(os.path.join(db, "mail"), read_acks(acks_b), [fh.DEMO_SECRET], outbox)
        r["phase_a_check"] = summarize_check(check_a)
        r["phase_b_check"] = summarize_check(check_b)
        r["ok"] = bool(check_a["ok"] and check_b["ok"] and r.get("phase_a_delivered") and r.get("phase_b_drained"))
        all_ok &= r["ok"]
        result["modes"][mode] = r
        print(mode, "ok" if r["ok"] else "FAILED", flush=True)
    result["ok"] = all_ok
    return finish(out, result)


def gpg_make_key(home: str, uid: str, out_prefix: str) -> tuple[str, str]:
    os.makedirs(home, mode=0o700, exist_ok=True)
    base = ["gpg", "--batch", "--homedir", home, "--pinentry-mode", "loopback", "--passphrase", ""]
    subprocess.run(base + ["--quick-gen-key", uid, "ed25519", "cert", "never"], check=True, capture_output=True)
    fpr = subprocess.run(["gpg", "--batch", "--homedir", home, "--with-colons", "--list-keys", uid],
                         check=True, capture_output=True, text=True).stdout
    fingerprint = [line.split(":")[9] for line in fpr.splitlines() if line.startswith("fpr:")][0]
    subprocess.run(base + ["--quick-add-key", fingerprint, "cv25519", "encr", "never"], check=True, capture_output=True)
    pub, sec = out_prefix + ".public.asc", out_prefix + ".secret.asc"
    with open(pub, "wb") as f:
        f.write(subprocess.run(["gpg", "--batch", "--homedir", home, "--armor", "--export", fingerprint],
                               check=True, capture_output=True).stdout)
    with open(sec, "wb") as f:
        f.write(subprocess.run(base + ["--armor", "--export-secret-keys", fingerprint],
                               check=True, capture_output=True).stdout)
    subprocess.run(["gpgconf", "--homedir", home, "--kill", "all"], capture_output=True)
    return pub, sec


def run_rotation(args) -> int:
    out = fresh_dir(args.out)
    new_pub, new_sec = gpg_make_key(os.path.join(out, "gnupg-new"), "Rotated duty officer <officer-b@example.invalid>",
                                    os.path.join(out, "officer-b"))
    up = os.path.join(out, "relay-up")
    smtp = fh.SmtpServer(out, mode="down-then-up", extra=["--up-when-file", up])
    smtp.start()
    port = fh.free_port()
    outbox = os.path.join(out, "outbox.sqlite3")
    cfg = os.path.join(out, "endpoint.toml")
    old_acks, new_acks = os.path.join(out, "acks-old.jsonl"), os.path.join(out, "acks-new.jsonl")
    result: dict = {"run": "rotation", "tips_each": args.tips,
                    "how": "config's [seal] recipients replaced and the endpoint restarted (SIGTERM) while tips wait"}
    ep = None
    try:
        fh.write_config(cfg, port=port, outbox=outbox, smtp_port=smtp.port,
                        recipients=[(fh.DEMO_EMAIL, fh.DEMO_PUBLIC)])
        ep = fh.Endpoint(cfg, port, os.path.join(out, "endpoint.log"))
        ep.start()
        fh.run_load(f"http://127.0.0.1:{port}", ["--rate", "20", "--count", str(args.tips), "--duration", "120",
                                                 "--refs-out", old_acks, "--run-id", "rotold"], os.path.join(out, "load-old.json"))
        result["queued_before_rotation"] = fh.outbox_rows(outbox)
        ep.stop()
        fh.write_config(cfg, port=port, outbox=outbox, smtp_port=smtp.port,
                        recipients=[("officer-b@example.invalid", new_pub)])
        ep.start()
        fh.run_load(f"http://127.0.0.1:{port}", ["--rate", "20", "--count", str(args.tips), "--duration", "120",
                                                 "--refs-out", new_acks, "--run-id", "rotnew"], os.path.join(out, "load-new.json"))
        result["queued_after_new_tips"] = fh.outbox_rows(outbox)
        open(up, "w").close()
        fh.wait_for(lambda: fh.outbox_rows(outbox) == 0, 300, "outbox drained")
    finally:
        if ep:
            ep.stop()
        smtp.stop()
    old, new = read_acks(old_acks), read_acks(new_acks)
    with_old_key = delivery_check.check_maildir(smtp.maildir, old, [fh.DEMO_SECRET])
    with_new_key = delivery_check.check_maildir(smtp.maildir, new, [new_sec])
    result["old_tips_checked_with_old_key"] = summarize_check(with_old_key)
    result["new_tips_checked_with_new_key"] = summarize_check(with_new_key)
    # Each key opens exactly its own half: old tips are not readable with the new key.
    result["messages_total"] = with_old_key["messages"]
    result["decryptable_with_old_key"] = with_old_key["messages"] - len(with_old_key["decrypt_failures"])
    result["decryptable_with_new_key"] = with_new_key["messages"] - len(with_new_key["decrypt_failures"])
    result["ok"] = (not with_old_key["lost"] and not with_new_key["lost"]
                    and result["decryptable_with_old_key"] == len(old)
                    and result["decryptable_with_new_key"] == len(new)
                    and result["messages_total"] == len(old) + len(new))
    return finish(out, result)


def run_load(args) -> int:
    """A fixed-rate load against the endpoint with a well-behaved relay; RSS every 10 s;
    optionally an invalid-captcha flood beside it. Afterwards every acknowledged tip must be
    delivered and decrypt."""
    out = fresh_dir(args.out)
    smtp = fh.SmtpServer(out, mode="ok")
    smtp.start()
    port = fh.free_port()
    outbox = os.path.join(out, "outbox.sqlite3")
    cfg = os.path.join(out, "endpoint.toml")
    fh.write_config(cfg, port=port, outbox=outbox, smtp_port=smtp.port, pow_difficulty=args.pow_difficulty,
                    pow_ttl_secs=args.pow_ttl, smtp_timeout_secs=10)
    pidfile = os.path.join(out, "endpoint.pid")
    ep = fh.Endpoint(cfg, port, os.path.join(out, "endpoint.log"), pidfile=pidfile)
    acks = os.path.join(out, "acks.jsonl")
    result: dict = {"run": "load", "rate": args.rate, "duration_s": args.duration,
                    "invalid_rate": args.invalid_rate, "pow_difficulty": args.pow_difficulty,
                    "pow_ttl_secs": args.pow_ttl or "default (600)",
                    "loadavg_before": open("/proc/loadavg").read().split()[:3]}
    try:
        ep.start()
        load_args = ["--rate", str(args.rate), "--count", str(int(args.rate * args.duration)),
                     "--duration", str(args.duration), "--concurrency", str(args.concurrency),
                     "--refs-out", acks, "--run-id", "load", "--rss-pidfile", pidfile, "--rss-interval", "10"]
        if args.invalid_rate > 0:
            load_args += ["--invalid-rate", str(args.invalid_rate), "--invalid-concurrency", str(args.concurrency)]
        load = fh.run_load(f"http://127.0.0.1:{port}", load_args, os.path.join(out, "load.json"))
        result["loadavg_after"] = open("/proc/loadavg").read().split()[:3]
        result["load"] = load
        if args.drain:
            n = len(read_acks(acks))
            fh.wait_for(lambda: fh.outbox_rows(outbox) == 0 and smtp.accepted() >= n, 900, "all delivered")
    finally:
        ep.stop()
        smtp.stop()
    # Delivery (one SMTP connection per message) is slower than intake at these rates, so
    # without --drain the run ends with tips still queued: then every acknowledged tip must
    # be either delivered (decrypted and matched by tag) or still in the outbox, one row
    # per tip (one recipient).
    acked = read_acks(acks)
    report = delivery_check.check_maildir(smtp.maildir, acked, [fh.DEMO_SECRET], outbox)
    result["check"] = summarize_check(report)
    rows_left = fh.outbox_rows(outbox) or 0
    result["acknowledged"] = len(acked)
    result["delivered_acknowledged"] = report["delivered_acknowledged"]
    result["still_queued_rows"] = rows_left
    result["accounted_for"] = report["delivered_acknowledged"] + rows_left
    result["ok"] = (not report["decrypt_failures"] and report["outbox"].get("integrity_check") == ["ok"]
                    and result["accounted_for"] >= len(acked))
    return finish(out, result)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="run", required=True)
    for name in ("smtp-down", "kill9", "disk-full", "bad-smtp", "rotation", "load"):
        s = sub.add_parser(name)
        s.add_argument("--out", default=f"/tmp/xeberdar-reliability/{name}")
        s.add_argument("--tips", type=int, default={"smtp-down": 1000, "kill9": 1000}.get(name, 100))
        s.add_argument("--rate", type=float, default=50.0)
        s.add_argument("--duration", type=float, default=600.0)
        s.add_argument("--invalid-rate", type=float, default=0.0)
        s.add_argument("--concurrency", type=int, default=16)
        s.add_argument("--pow-difficulty", type=int, default=4)
        s.add_argument("--pow-ttl", type=int, default=None,
                       help="load: proof-of-work challenge lifetime in seconds (the endpoint's default is 600)")
        s.add_argument("--drain", action="store_true", help="load: wait until every tip is delivered")
        s.add_argument("--seed", type=int, default=6)
        s.add_argument("--max-kills", type=int, default=15)
        s.add_argument("--fail-first", type=int, default=5)
        s.add_argument("--patience", type=float, default=300.0)
        s.add_argument("--modes", nargs="+",
                       default=["drop", "drop-after-data", "4xx", "5xx", "stall", "stall-after-data"])
    args = p.parse_args()
    return {
        "smtp-down": run_smtp_down,
        "kill9": run_kill9,
        "disk-full": run_disk_full,
        "bad-smtp": run_bad_smtp,
        "rotation": run_rotation,
        "load": run_load,
    }[args.run](args)


if __name__ == "__main__":
    sys.exit(main())
