#!/usr/bin/env python3
"""Checks what reached the mail server against what visitors were told was "received".

Every accepted message in a maildir (one ``.eml`` per message, as ``bad_smtp.py`` or
aiosmtpd's Maildir handler writes them) is decrypted with real GnuPG, using the demo secret
key(s), and the tip's reference code is read from the plaintext. The result says:

* which acknowledged tips never arrived (``lost``: must be empty), matched by the unique tag
  the load generator writes into each description and by the reference code,
* how many messages were duplicates (same Message-ID seen again; at-least-once delivery
  allows them, and the stable Message-ID lets the unit's mail system drop them),
* which messages failed to decrypt (must be none),
* whether any outer header carries something that is not in the allowed, content-free set,
* and, when given the outbox file, SQLite's own ``PRAGMA integrity_check``.

Usable as a module (``check_maildir``) by the fault-run scripts and as a command:

    delivery_check.py --maildir DIR --acks acks.jsonl --key report-endpoint/dev/demo-recipient.secret.asc \
        [--outbox outbox.sqlite3] [--json report.json]
"""

from __future__ import annotations

import argparse
import email
import email.policy
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

# The reference code alphabet (no look-alike characters), three groups of four.
TAG_RE = re.compile(r"(LOADTAG-[0-9A-Za-z_-]+)")
REF_RE = re.compile(r"\b([3479ACEFHJKMNPRTWXY]{4}-[3479ACEFHJKMNPRTWXY]{4}-[3479ACEFHJKMNPRTWXY]{4})\b")

# Outer headers a sealed tip may carry. Anything else is reported: a header the checker does
# not know about is where tip content could leak.
ALLOWED_OUTER_HEADERS = {
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "x-peer",
    "x-mailfrom",
    "x-rcptto",
    "return-path",
}


class GpgHome:
    """A throw-away GNUPGHOME holding the given secret keys, removed on exit."""

    def __init__(self, secret_key_files: list[str]):
        self.files = secret_key_files
        self.home: str | None = None

    def __enter__(self) -> "GpgHome":
        self.home = tempfile.mkdtemp(prefix="rel-gnupg-")
        os.chmod(self.home, 0o700)
        for path in self.files:
            run = subprocess.run(
                ["gpg", "--batch", "--homedir", self.home, "--import", path],
                capture_output=True,
            )
            if run.returncode != 0:
                raise RuntimeError(f"gpg could not import {path}: {run.stderr.decode()}")
        return self

    def __exit__(self, *exc) -> None:
        subprocess.run(["gpgconf", "--homedir", self.home, "--kill", "all"], capture_output=True)
        shutil.rmtree(self.home, ignore_errors=True)

    def decrypt(self, armored: bytes) -> tuple[bool, bytes, str]:
        run = subprocess.run(
            ["gpg", "--batch", "--homedir", self.home, "--status-fd", "2", "--decrypt"],
            input=armored,
            capture_output=True,
        )
        return run.returncode == 0, run.stdout, run.stderr.decode("utf-8", "replace")


def encrypted_payload(msg: email.message.Message) -> bytes | None:
    """The OpenPGP message of a PGP/MIME (RFC 3156) email: part 2 of multipart/encrypted."""
    if msg.get_content_type() != "multipart/encrypted":
        return None
    parts = msg.get_payload()
    if not isinstance(parts, list) or len(parts) != 2:
        return None
    if parts[0].get_content_type() != "application/pgp-encrypted":
        return None
    payload = parts[1].get_payload(decode=True)
    return payload


def decoded_text(plain: bytes) -> str:
    """The decrypted MIME entity with every leaf part's body decoded (the sealer sends the
    text and JSON parts base64-encoded), headers included, as one string to search."""
    inner = email.message_from_bytes(plain, policy=email.policy.compat32)
    chunks = ["\n".join(f"{k}: {v}" for k, v in inner.items())]
    for part in inner.walk():
        if part.is_multipart():
            continue
        chunks.append("\n".join(f"{k}: {v}" for k, v in part.items()))
        payload = part.get_payload(decode=True)
        if payload is not None:
            chunks.append(payload.decode("utf-8", "replace"))
    return "\n".join(chunks)


def inspect_message(path: str, gpg: GpgHome) -> dict:
    with open(path, "rb") as f:
        raw = f.read()
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    outer = [(k, v) for k, v in msg.items()]
    unexpected = sorted({k for k, _ in outer if k.lower() not in ALLOWED_OUTER_HEADERS})
    result = {
        "file": os.path.basename(path),
        "message_id": (msg.get("Message-ID") or "").strip(),
        "subject": msg.get("Subject") or "",
        "unexpected_headers": unexpected,
        "outer_headers_text": "\n".join(f"{k}: {v}" for k, v in outer),
        "pgp_mime": False,
        "decrypted": False,
        "refs": [],
        "tags": [],
        "error": None,
        "plaintext": "",
    }
    payload = encrypted_payload(msg)
    if payload is None:
        result["error"] = "not a PGP/MIME multipart/encrypted message"
        return result
    result["pgp_mime"] = True
    ok, plain, stderr = gpg.decrypt(payload)
    if not ok:
        lines = stderr.strip().splitlines()
        result["error"] = "gpg --decrypt failed: " + (lines[-1] if lines else "")
        return result
    result["decrypted"] = True
    text = decoded_text(plain)
    result["plaintext"] = text
    result["refs"] = sorted(set(REF_RE.findall(text)))
    result["tags"] = sorted(set(TAG_RE.findall(text)))
    return result


def outbox_integrity(path: str) -> dict:
    """SQLite's own check, opened read-only so the check cannot change the file."""
    if not os.path.exists(path):
        return {"path": path, "exists": False}
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        integrity = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        counts = {}
        for t in tables:
            if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", t):
                counts[t] = con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
    finally:
        con.close()
    return {"path": path, "exists": True, "integrity_check": integrity, "row_counts": counts}


def check_maildir(maildir: str, expected: list[dict], key_files: list[str],
                  outbox: str | None = None, workers: int = 2) -> dict:
    files = sorted(
        os.path.join(maildir, n)
        for n in (os.listdir(maildir) if os.path.isdir(maildir) else [])
        if n.endswith(".eml")
    )
    # aiosmtpd's Mailbox handler writes a real Maildir: messages live in new/ and cur/.
    for sub in ("new", "cur"):
        d = os.path.join(maildir, sub)
        if os.path.isdir(d):
            files += sorted(os.path.join(d, n) for n in os.listdir(d) if not n.startswith("."))
    with GpgHome(key_files) as gpg:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            messages = list(pool.map(lambda p: inspect_message(p, gpg), files))

    by_message_id: dict[str, int] = {}
    delivered_refs: dict[str, int] = {}
    delivered_tags: dict[str, int] = {}
    for m in messages:
        by_message_id[m["message_id"]] = by_message_id.get(m["message_id"], 0) + 1
        for r in m["refs"]:
            delivered_refs[r] = delivered_refs.get(r, 0) + 1
        for t in m["tags"]:
            delivered_tags[t] = delivered_tags.get(t, 0) + 1
    # An acknowledged tip is delivered when its tag (unique per request) or its reference
    # code is found in some decrypted message.
    lost = [
        a for a in expected
        if not ((a.get("tag") and a["tag"] in delivered_tags) or (a.get("ref") and a["ref"] in delivered_refs))
    ]
    ref_mismatch = [
        a for a in expected
        if a.get("ref") and a.get("tag") in delivered_tags and a["ref"] not in delivered_refs
    ]
    expected_tags = {a.get("tag") for a in expected}
    report = {
        "messages": len(messages),
        "unique_message_ids": len(by_message_id),
        "duplicate_messages": sum(c - 1 for c in by_message_id.values()),
        "decrypt_failures": [m["file"] + ": " + (m["error"] or "") for m in messages if not m["decrypted"]],
        "messages_without_ref": [m["file"] for m in messages if m["decrypted"] and not m["refs"]],
        "unexpected_outer_headers": sorted({h for m in messages for h in m["unexpected_headers"]}),
        "acknowledged": len(expected),
        "acknowledged_with_ref": sum(1 for a in expected if a.get("ref")),
        "delivered_acknowledged": len(expected) - len(lost),
        "lost": lost,
        "ref_mismatch": ref_mismatch,
        "delivered_unacknowledged_tags": len(set(delivered_tags) - expected_tags),
        "tips_delivered_more_than_once": sum(1 for c in delivered_tags.values() if c > 1),
    }
    if outbox:
        report["outbox"] = outbox_integrity(outbox)
    report["ok"] = (
        not lost
        and not ref_mismatch
        and not report["decrypt_failures"]
        and not report["unexpected_outer_headers"]
        and (not outbox or report["outbox"].get("integrity_check", ["ok"]) == ["ok"])
    )
    return report


def main() -> int:
    p = argparse.ArgumentParser(description="Check delivered tips against acknowledged ones.")
    p.add_argument("--maildir", required=True)
    p.add_argument("--acks", required=True,
                   help="JSON lines {tag, ref} of acknowledged tips (load_tips.py --refs-out)")
    p.add_argument("--key", action="append", required=True, help="secret key file (repeatable)")
    p.add_argument("--outbox", help="the outbox SQLite file, for PRAGMA integrity_check")
    p.add_argument("--json", help="write the full report here")
    args = p.parse_args()
    with open(args.acks, encoding="utf-8") as f:
        acks = [json.loads(line) for line in f if line.strip()]
    report = check_maildir(args.maildir, acks, args.key, args.outbox)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2)
    short = {k: v for k, v in report.items() if k not in ("lost",)}
    short["lost_count"] = len(report["lost"])
    print(json.dumps(short, indent=2))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
