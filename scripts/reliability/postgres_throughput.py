#!/usr/bin/env python3
"""Throughput of the PostgreSQL outbox with one and with two endpoint replicas.

For each replica count: a fresh database in the cluster named by --db-url, N replicas of
the real ``xeberdar-report`` binary on it (``[outbox] backend = "postgres"``, captcha off in
bench mode, hourly cap lifted but still counted in the database), one well-behaved SMTP
server (``bad_smtp.py --mode ok``) for all of them, and ``load_tips.py`` posting ``--tips``
tips split evenly over the replicas, as fast as they answer (an open-loop rate far above
capacity, ``--concurrency`` requests in flight per replica). Measured:

* intake: tips answered 303 per second (all replicas together);
* end to end: from the first tip to the last message accepted by the relay, messages per
  second, and whether every acknowledged tip was delivered and decrypts
  (``delivery_check.py``: GnuPG with the DEMO key, Message-ID duplicates, lost tips).

``--backend sqlite --replicas 1`` runs the same with the SQLite outbox, as a baseline.

Needs a PostgreSQL server (e.g. ``. scripts/test-postgres.sh && pg_test_start``, which sets
XEBERDAR_TEST_POSTGRES_URL) and ``psql``. Writes result.json under --out. Loopback only.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import delivery_check  # noqa: E402
import fault_harness as h  # noqa: E402


def with_database(url: str, db: str) -> str:
    scheme, rest = url.split("://", 1)
    path, _, query = rest.partition("?")
    authority = path.split("/", 1)[0]
    return f"{scheme}://{authority}/{db}" + (f"?{query}" if query else "")


def psql(url: str, sql: str) -> str:
    return subprocess.run(["psql", url, "-Atqc", sql], check=True, capture_output=True, text=True).stdout


def run(replicas: int, args, out: str) -> dict:
    os.makedirs(out, exist_ok=True)
    sqlite = args.backend == "sqlite"
    db = f"xeberdar_throughput_{replicas}_{os.getpid()}"
    if not sqlite:
        psql(args.db_url, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        psql(args.db_url, f"CREATE DATABASE {db}")
    db_url = "" if sqlite else with_database(args.db_url, db)
    sqlite_path = os.path.join(out, "outbox.sqlite")
    smtp = h.SmtpServer(out, "ok")
    smtp.start()
    endpoints = []
    try:
        for r in range(replicas):
            port = h.free_port()
            config = os.path.join(out, f"replica-{r}.toml")
            h.write_config(config, port=port, outbox=sqlite_path,
                           smtp_port=smtp.port, captcha="off", mode="bench",
                           outbox_backend=args.backend, lease_secs=60, batch_size=32,
                           concurrency=args.delivery_concurrency, poll_interval_ms=200)
            e = h.Endpoint(config, port, os.path.join(out, f"replica-{r}.log"),
                           env={"RUST_LOG": "warn"} if sqlite else
                           {"XEBERDAR_REPORT__OUTBOX__POSTGRES_URL": db_url, "RUST_LOG": "warn"})
            endpoints.append(e)
        starters = [threading.Thread(target=e.start) for e in endpoints]
        for t in starters:
            t.start()
        for t in starters:
            t.join()
        per = args.tips // replicas
        results: list[dict] = [{} for _ in endpoints]
        start = time.monotonic()

        def load(i: int, e: h.Endpoint) -> None:
            results[i] = h.run_load(
                f"http://127.0.0.1:{e.port}",
                ["--captcha", "none", "--rate", str(args.rate), "--count", str(per),
                 "--duration", "600", "--concurrency", str(args.concurrency),
                 "--run-id", f"pg{replicas}r{i}", "--refs-out", os.path.join(out, "refs.jsonl")],
                os.path.join(out, f"load-{i}.json"))

        loaders = [threading.Thread(target=load, args=(i, e)) for i, e in enumerate(endpoints)]
        for t in loaders:
            t.start()
        for t in loaders:
            t.join()
        intake_seconds = time.monotonic() - start
        acked = sum(r.get("received_303", 0) for r in results)
        h.wait_for(lambda: smtp.accepted() >= acked, args.patience, "every acknowledged tip accepted by the relay")
        end_to_end = time.monotonic() - start
        if sqlite:
            h.wait_for(lambda: h.outbox_rows(sqlite_path) == 0, 60, "the outbox empty")
        else:
            h.wait_for(lambda: psql(db_url, "SELECT count(*) FROM outbox").strip() == "0", 60,
                       "the outbox empty")
        with open(os.path.join(out, "refs.jsonl"), encoding="utf-8") as f:
            acks = [json.loads(line) for line in f if line.strip()]
        checked = delivery_check.check_maildir(smtp.maildir, acks, [h.DEMO_SECRET], None)
        checked["lost_count"] = len(checked.pop("lost", []))
        post_p = [r.get("post_latency", {}) for r in results]
        return {
            "backend": args.backend,
            "replicas": replicas,
            "tips": per * replicas,
            "acknowledged": acked,
            "intake_seconds": round(intake_seconds, 2),
            "intake_per_s": round(acked / intake_seconds, 1),
            "end_to_end_seconds": round(end_to_end, 2),
            "delivered_per_s_end_to_end": round(acked / end_to_end, 1),
            "post_latency_per_replica_ms": post_p,
            "delivery_check": checked,
        }
    finally:
        for e in endpoints:
            e.stop()
        smtp.stop()
        if not sqlite:
            psql(args.db_url, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db-url", default=os.environ.get("XEBERDAR_TEST_POSTGRES_URL"),
                   help="a superuser URL of the cluster (default: XEBERDAR_TEST_POSTGRES_URL)")
    p.add_argument("--tips", type=int, default=4000)
    p.add_argument("--rate", type=float, default=2000.0, help="requested tips/s per replica (open loop)")
    p.add_argument("--concurrency", type=int, default=16, help="requests in flight per replica")
    p.add_argument("--delivery-concurrency", type=int, default=4)
    p.add_argument("--replicas", type=int, nargs="+", default=[1, 2])
    p.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres",
                   help="sqlite: the one-replica baseline under the same conditions")
    p.add_argument("--patience", type=float, default=600)
    p.add_argument("--out", default="/tmp/xeberdar-reliability/postgres-throughput")
    args = p.parse_args()
    if args.backend == "postgres" and not args.db_url:
        p.error("no --db-url and no XEBERDAR_TEST_POSTGRES_URL")
    if args.backend == "sqlite" and args.replicas != [1]:
        p.error("the SQLite outbox is for one replica: --replicas 1")
    report = {"runs": []}
    for n in args.replicas:
        r = run(n, args, os.path.join(args.out, f"{n}-replicas"))
        print(json.dumps({k: v for k, v in r.items() if k != "post_latency_per_replica_ms"}), flush=True)
        report["runs"].append(r)
    with open(os.path.join(args.out, "result.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
