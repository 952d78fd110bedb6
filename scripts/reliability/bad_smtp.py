#!/usr/bin/env python3
"""A deliberately misbehaving SMTP server on loopback, for the endpoint's fault runs.

Why a hand-written server rather than aiosmtpd: the faults we need (closing the socket
right after accepting it, never sending a greeting, swallowing a message and hanging up
before the reply) happen below the level where aiosmtpd's handlers run. This server speaks
just enough SMTP for lettre (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and stores each
accepted message as one ``.eml`` file, written atomically, so a checker can count them.

Modes (``--mode``):
  ok                 a well-behaved server: every message is accepted (250) and stored.
  drop               accept the TCP connection, then close it at once (no greeting).
  drop-after-data    take the whole message, then close without answering: the client cannot
                     know whether it arrived, so at-least-once delivery must resend it.
  4xx                answer the end of DATA with 451 (temporary failure).
  5xx                answer the end of DATA with 554 (permanent failure).
  stall              accept the connection and never send a byte.
  stall-after-data   take the whole message and never answer.
  down-then-up       listen on nothing until ``--up-when-file`` exists or ``--up-after``
                     seconds have passed, then behave like ``ok``.

``--fail-first N`` makes only the first N connections misbehave; later ones get ``ok``.
Without it a fault mode misbehaves forever. ``--stats FILE`` keeps a JSON summary
(connections, faults served, messages accepted) that tests read to prove a retry happened.

Only loopback addresses are accepted, and the process ends by itself after ``--max-seconds``.
Python standard library only.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import signal
import sys
import time

FAULT_MODES = {
    "drop",
    "drop-after-data",
    "4xx",
    "5xx",
    "stall",
    "stall-after-data",
}
ALL_MODES = FAULT_MODES | {"ok", "down-then-up"}


class Stats:
    """Counts what happened; rewritten atomically after each event so a reader never sees half."""

    def __init__(self, path: str | None, mode: str):
        self.path = path
        self.data = {
            "mode": mode,
            "connections": 0,
            "faults": 0,
            "accepted": 0,
            "transactions": 0,
            "listening_since": None,
            # Wall-clock time of each connection (first 1,000): the gaps show the backoff.
            "connection_times": [],
        }

    def bump(self, key: str, by: int = 1) -> None:
        self.data[key] += by
        self.flush()

    def flush(self) -> None:
        if not self.path:
            return
        tmp = f"{self.path}.tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self.data, f)
        os.replace(tmp, self.path)


class Mailbox:
    """Stores accepted messages as DIR/<n>.eml; tmp file + fsync + rename, never a torn file."""

    def __init__(self, directory: str | None):
        self.directory = directory
        self.counter = 0
        if directory:
            os.makedirs(directory, exist_ok=True)
            existing = [n for n in os.listdir(directory) if n.endswith(".eml")]
            self.counter = len(existing)

    def store(self, data: bytes) -> None:
        if not self.directory:
            return
        self.counter += 1
        name = f"{int(time.time() * 1000):013d}-{os.getpid()}-{self.counter:07d}.eml"
        tmp = os.path.join(self.directory, f".{name}.tmp")
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, os.path.join(self.directory, name))


class Server:
    def __init__(self, args: argparse.Namespace):
        self.mode = args.mode
        self.fail_first = args.fail_first
        self.stats = Stats(args.stats, args.mode)
        self.mailbox = Mailbox(args.maildir)
        self.hostname = "bad-smtp.test"

    def fault_for_this_connection(self) -> str:
        """The behaviour of the connection just accepted (counted from 1)."""
        if self.mode in ("ok", "down-then-up"):
            return "ok"
        if self.fail_first >= 0 and self.stats.data["connections"] > self.fail_first:
            return "ok"
        return self.mode

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if len(self.stats.data["connection_times"]) < 1000:
            self.stats.data["connection_times"].append(round(time.time(), 3))
        self.stats.bump("connections")
        behaviour = self.fault_for_this_connection()
        try:
            await self.converse(behaviour, reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            try:
                writer.close()
                await writer.wait_closed()
            except (ConnectionError, OSError):
                pass

    async def converse(self, behaviour, reader, writer) -> None:
        if behaviour == "drop":
            self.stats.bump("faults")
            return
        if behaviour == "stall":
            self.stats.bump("faults")
            # Read and discard until the client gives up; never answer.
            while await reader.read(4096):
                pass
            return

        async def send(line: str) -> None:
            writer.write(line.encode("ascii") + b"\r\n")
            await writer.drain()

        await send(f"220 {self.hostname} ESMTP fault-injection server")
        while True:
            raw = await reader.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                await send(f"250-{self.hostname}")
                await send("250-8BITMIME")
                await send("250-SMTPUTF8")
                await send("250 SIZE 52428800")
            elif verb == "HELO":
                await send(f"250 {self.hostname}")
            elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                await send("250 2.0.0 OK")
            elif verb == "QUIT":
                await send("221 2.0.0 bye")
                return
            elif verb == "DATA":
                await send("354 end data with <CR><LF>.<CR><LF>")
                body = await self.read_data(reader)
                self.stats.bump("transactions")
                if behaviour == "drop-after-data":
                    self.stats.bump("faults")
                    return
                if behaviour == "stall-after-data":
                    self.stats.bump("faults")
                    while await reader.read(4096):
                        pass
                    return
                if behaviour == "4xx":
                    self.stats.bump("faults")
                    await send("451 4.3.0 temporary failure, try again later")
                elif behaviour == "5xx":
                    self.stats.bump("faults")
                    await send("554 5.3.0 transaction failed")
                else:
                    self.mailbox.store(body)
                    self.stats.bump("accepted")
                    await send("250 2.0.0 queued")
            else:
                await send("502 5.5.2 command not implemented")

    @staticmethod
    async def read_data(reader: asyncio.StreamReader) -> bytes:
        lines = []
        while True:
            raw = await reader.readline()
            if not raw:
                raise ConnectionError("client closed during DATA")
            if raw in (b".\r\n", b".\n"):
                break
            if raw.startswith(b".."):
                raw = raw[1:]
            lines.append(raw)
        return b"".join(lines)


async def wait_until_up(args: argparse.Namespace, deadline: float) -> None:
    start = time.monotonic()
    while time.monotonic() < deadline:
        if args.up_when_file and os.path.exists(args.up_when_file):
            return
        if args.up_after is not None and time.monotonic() - start >= args.up_after:
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("never came up before --max-seconds")


async def main_async(args: argparse.Namespace) -> int:
    deadline = time.monotonic() + args.max_seconds
    server = Server(args)
    server.stats.flush()
    if args.mode == "down-then-up":
        if not args.up_when_file and args.up_after is None:
            print("down-then-up needs --up-when-file or --up-after", file=sys.stderr)
            return 2
        await wait_until_up(args, deadline)

    srv = await asyncio.start_server(server.handle, args.host, args.port, limit=64 * 1024 * 1024)
    port = srv.sockets[0].getsockname()[1]
    server.stats.data["listening_since"] = time.time()
    server.stats.flush()
    if args.ready_file:
        tmp = f"{args.ready_file}.tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(str(port))
        os.replace(tmp, args.ready_file)
    print(f"bad_smtp: mode={args.mode} listening on {args.host}:{port}", flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    remaining = max(0.0, deadline - time.monotonic())
    try:
        await asyncio.wait_for(stop.wait(), timeout=remaining)
    except asyncio.TimeoutError:
        print("bad_smtp: --max-seconds reached, stopping", file=sys.stderr)
    srv.close()
    return 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--mode", choices=sorted(ALL_MODES), default="ok")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 picks a free port (see --ready-file)")
    p.add_argument("--maildir", help="directory for accepted messages (.eml files)")
    p.add_argument("--stats", help="JSON file with counters, rewritten after each event")
    p.add_argument("--ready-file", help="written with the port number once listening")
    p.add_argument("--fail-first", type=int, default=-1,
                   help="only the first N connections misbehave (default: all)")
    p.add_argument("--up-when-file", help="down-then-up: start listening once this file exists")
    p.add_argument("--up-after", type=float, help="down-then-up: start listening after N seconds")
    p.add_argument("--max-seconds", type=float, default=3600.0,
                   help="stop by itself after this long (every run here is bounded)")
    args = p.parse_args(argv)
    if not ipaddress.ip_address(args.host).is_loopback:
        p.error("only loopback addresses are allowed for fault runs")
    return args


def main() -> int:
    return asyncio.run(main_async(parse_args(sys.argv[1:])))


if __name__ == "__main__":
    sys.exit(main())
