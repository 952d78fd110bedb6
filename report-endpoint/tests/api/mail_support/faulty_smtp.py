"""A real SMTP server (aiosmtpd) on loopback that can misbehave, for delivery tests.

Usage: python faulty_smtp.py PORT MAILDIR [--fail-first N] [--reply "451 4.3.0 try later"]
       [--always-fail] [--mode reply|drop|stall] [--tls starttls|implicit --cert C --key K]
       [--auth USER:PASSWORD]

It stores every accepted message byte-for-byte (CRLF kept) in MAILDIR (Maildir layout), and
answers the DATA of the first N messages (or all, with --always-fail) with --reply instead of
250. With --mode drop it instead cuts the connection after the data arrived (no reply); with
--mode stall it never answers the DATA. With --tls it requires STARTTLS or speaks TLS from the
first byte, with the given certificate; --auth then requires SMTP AUTH with exactly these
credentials (wrong ones get 535). It prints "ready" once it listens.

It also counts the connections (SMTP sessions) that carried at least one DATA and writes the
number to MAILDIR/sessions (atomically), so a test can prove that connections are reused and
that a connection given up mid-message is never used again. Connections that send no DATA
(such as a readiness probe) are not counted.
"""

import argparse
import asyncio
import mailbox
import os
import ssl

from aiosmtpd.smtp import SMTP, AuthResult


class Handler:
    def __init__(self, maildir, fail_first, reply, always_fail, mode):
        self.box = mailbox.Maildir(maildir, create=True)
        self.maildir = maildir
        self.sessions = 0
        self.remaining = fail_first
        self.reply = reply
        self.always_fail = always_fail
        self.mode = mode

    def count_session(self, session):
        if getattr(session, "xeberdar_counted", False):
            return
        session.xeberdar_counted = True
        self.sessions += 1
        path = os.path.join(self.maildir, "sessions")
        with open(path + ".tmp", "w") as f:
            f.write(str(self.sessions))
        os.replace(path + ".tmp", path)

    async def handle_DATA(self, server, session, envelope):
        self.count_session(session)
        if self.always_fail or self.remaining > 0:
            self.remaining -= 1
            if self.mode == "drop":
                server.transport.abort()
                return "421 4.4.2 connection dropped"
            if self.mode == "stall":
                await asyncio.sleep(3600)
            return self.reply
        self.box.add(mailbox.MaildirMessage(envelope.original_content))
        return "250 2.0.0 OK"


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("maildir")
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--reply", default="451 4.3.0 Temporary failure, try later")
    parser.add_argument("--always-fail", action="store_true")
    parser.add_argument("--mode", choices=["reply", "drop", "stall"], default="reply")
    parser.add_argument("--tls", choices=["none", "starttls", "implicit"], default="none")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--auth")
    args = parser.parse_args()
    handler = Handler(
        args.maildir, args.fail_first, args.reply, args.always_fail, args.mode
    )
    loop = asyncio.get_running_loop()
    context = None
    if args.tls != "none":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
    if args.tls == "starttls":
        extra = {}
        if args.auth:
            want_user, want_password = args.auth.split(":", 1)

            def authenticator(server, session, envelope, mechanism, data):
                ok = (
                    data.login.decode() == want_user
                    and data.password.decode() == want_password
                )
                return AuthResult(success=ok, handled=False)

            extra = {"auth_required": True, "authenticator": authenticator}

        def factory():
            return SMTP(handler, tls_context=context, require_starttls=True, **extra)

        server = await loop.create_server(factory, "127.0.0.1", args.port)
    elif args.tls == "implicit":
        server = await loop.create_server(
            lambda: SMTP(handler), "127.0.0.1", args.port, ssl=context
        )
    else:
        server = await loop.create_server(lambda: SMTP(handler), "127.0.0.1", args.port)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
