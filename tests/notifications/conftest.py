"""Real peers for the notification tests, on 127.0.0.1 only and always stopped: an SMTP server
(aiosmtpd), a fake SMS gateway (http.server) and the machine's Redis; and a commune whose
cases carry names and facts that no message may repeat."""
from __future__ import annotations

import json
import os
import socket
import threading
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import redis
from aiosmtpd.controller import Controller

from casework.clock import clock_at, utcnow
from casework.extensions import db
from casework.services.cases import PartyInput

# Names and facts that must never leave in a message (see test_no_identities.py).
SECRET_NAMES = ("Zoumanabélé Kouyatéssi", "Famille Ouattarakoumba")
SECRET_REPORTER = "Sékoubadjan Diarrassouba"
SECRET_FACTS = "Le grenier de Mamoutoubalé a brûlé après la dispute du puits."


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Mailbox:
    """What the SMTP server received: each message parsed, with its envelope."""
    messages: list = field(default_factory=list)
    delay: float = 0.0

    async def handle_DATA(self, _server, _session, envelope):  # aiosmtpd's handler hook
        import asyncio
        if self.delay:
            await asyncio.sleep(self.delay)
        parsed = message_from_bytes(envelope.original_content or envelope.content,
                                    policy=policy.default)
        self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                              "message": parsed, "raw": envelope.content})
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(app, monkeypatch):
    """A real SMTP server on 127.0.0.1 (a free port), and the app configured to use it."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    for name, value in (("MAIL_SERVER", "127.0.0.1"), ("MAIL_PORT", port),
                        ("MAIL_USE_TLS", False), ("MAIL_USERNAME", None),
                        ("MAIL_FROM", "palabre@mairie-test.ml")):
        monkeypatch.setitem(app.config, name, value)
    mailbox.port = port
    try:
        yield mailbox
    finally:
        controller.stop()


@dataclass
class Gateway:
    requests: list = field(default_factory=list)
    status: int = 200
    url: str = ""


@pytest.fixture
def sms_gateway(app, monkeypatch):
    """A fake SMS gateway on 127.0.0.1 that records each request; `status` sets its answer."""
    gateway = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            gateway.requests.append({"path": self.path, "headers": dict(self.headers),
                                     "raw": raw, "json": json.loads(raw)})
            self.send_response(gateway.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"accepted": true}' if gateway.status < 300 else b'{"error": 1}')

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/v1/sms"
    monkeypatch.setitem(app.config, "SMS_GATEWAY_URL", gateway.url)
    monkeypatch.setitem(app.config, "SMS_GATEWAY_TOKEN", "test-gateway-token")
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def no_channels(app, monkeypatch):
    for name in ("MAIL_SERVER", "SMS_GATEWAY_URL"):
        monkeypatch.setitem(app.config, name, None)


@pytest.fixture
def redis_queue(app, monkeypatch):
    """The machine's Redis on 127.0.0.1:6379, under a key of this test's own (deleted after).
    Unreachable: skipped on a laptop, a failure in CI."""
    url = os.environ.get("PALABRE_TEST_REDIS", "redis://127.0.0.1:6379/0")
    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is unreachable at {url} in CI: {error}")
        pytest.skip(f"Redis is unreachable at {url}: start redis-server to run this test")
    key = f"palabre-test:{uuid.uuid4().hex}"
    monkeypatch.setitem(app.config, "REDIS_URL", url)
    monkeypatch.setitem(app.config, "NOTIFICATIONS_QUEUE_KEY", key)
    monkeypatch.setitem(app.config, "KOBO_IMPORT_QUEUE_KEY", f"{key}:imports")
    try:
        yield client, key
    finally:
        client.delete(key, f"{key}:imports")
        client.close()


def reach(user, *, email: bool = True, phone: bool = True):
    """Give `user` an e-mail address and a phone number (Mali's +223 numbers)."""
    if email:
        user.email = f"{user.username}@mairie-test.ml"
    if phone:
        user.phone = f"+2237{user.id:07d}"
    db.session.commit()
    return user


@pytest.fixture
def reachable(people):
    for user in (people.mediator, people.mayor, people.chief, people.coordinator):
        reach(user)
    return people


@pytest.fixture
def secret_case(make_case):
    """make(state, days_ago=0): a case whose parties, reporter and facts are distinctive."""
    def make(state: str, days_ago: int = 0, **values):
        parties = [PartyInput(name=SECRET_NAMES[0], sex="F", age_group="adult"),
                   PartyInput(name=SECRET_NAMES[1], sex="M", age_group="adult", kind="family",
                              people_count=9)]
        with clock_at(utcnow() - timedelta(days=days_ago)):
            return make_case(state, parties=parties, reporter_name=SECRET_REPORTER,
                             description=SECRET_FACTS, **values)
    return make
