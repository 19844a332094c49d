"""A real SMTP server on loopback for the mail tests (aiosmtpd from PyPI).

Saves every message it accepts, byte for byte as received after the DATA command, as
NNNNN.eml in the directory given, with the envelope in NNNNN.env. Prints the port it listens
on, then serves until stdin closes. Recipients whose local part starts with "refuse-" are
refused for good (550), "later-" for now (451). --starttls offers STARTTLS with a fresh
self-signed certificate for localhost (its PEM written to DIR/ca.pem) and requires it before
MAIL; --tls speaks TLS from the first byte (implicit TLS, as on port 465) with such a
certificate; --auth user:password requires that login (after TLS when TLS is offered).
"""
import argparse
import asyncio
import os
import socket
import ssl
import subprocess
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Saver:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0]
        if local.startswith("refuse-"):
            return "550 5.1.1 No such user here"
        if local.startswith("later-"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.directory, "%05d" % self.count)
        with open(base + ".env", "w") as f:
            f.write(envelope.mail_from + "\n" + "\n".join(envelope.rcpt_tos) + "\n")
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".tmp", base + ".eml")
        return "250 2.0.0 Message accepted"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def certificate(directory):
    cert, key = os.path.join(directory, "ca.pem"), os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--starttls", action="store_true")
    parser.add_argument("--tls", action="store_true")
    parser.add_argument("--auth")
    args = parser.parse_args()
    options = {}
    if args.starttls:
        options.update(tls_context=certificate(args.directory), require_starttls=True)
    if args.tls:
        options.update(ssl_context=certificate(args.directory))
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticate(server, session, envelope, mechanism, data):
            ok = isinstance(data, LoginPassword) and data.login.decode() == user and data.password.decode() == password
            return AuthResult(success=ok)

        options.update(authenticator=authenticate, auth_required=True, auth_require_tls=args.starttls or args.tls)
    port = free_port()
    controller = Controller(Saver(args.directory), hostname="127.0.0.1", port=port, **options)
    controller.start()
    print(port, flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
