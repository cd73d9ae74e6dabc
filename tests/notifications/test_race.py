"""Two senders at once (cron and the worker, two workers), each with its own connection: each
message leaves once. Runs on its own database, on SQLite and on PostgreSQL."""
import threading

import pytest
from flask_migrate import upgrade

from casework import create_app
from casework.clock import utcnow
from casework.extensions import db
from casework.models import Commune
from casework.notifications import outbox
from casework.services import accounts, cases
from casework.services.notifications import collect
from config import TestConfig
from tests.databases import fresh_database
from tests.factories import Commune_People, advance, case_input

from .conftest import Mailbox, free_port

SENDERS = 3


@pytest.mark.no_db
def test_racing_senders_send_each_message_once(tmp_path):
    from aiosmtpd.controller import Controller
    mailbox = Mailbox(delay=0.05)  # a slow server widens the window between claim and mark
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with fresh_database(tmp_path) as url:
            app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, MAIL_SERVER="127.0.0.1",
                             MAIL_PORT=port, MAIL_FROM="palabre@mairie-test.ml",
                             SMS_GATEWAY_URL=None)
            with app.app_context():
                upgrade()
                expected = _fill(app)
                db.session.remove()
            barrier = threading.Barrier(SENDERS)
            results = []

            def sender():
                with app.app_context():
                    barrier.wait()
                    outcome = outbox.deliver(utcnow())
                    results.append(outcome)
                    db.session.remove()

            threads = [threading.Thread(target=sender) for _ in range(SENDERS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            with app.app_context():
                db.engine.dispose()
    finally:
        controller.stop()
    assert sum(o.sent for o in results) == expected
    assert sum(o.taken for o in results) >= 1  # they did compete
    addresses = [m["to"][0] for m in mailbox.messages]
    subjects = [(m["to"][0], m["message"]["Subject"]) for m in mailbox.messages]
    assert len(addresses) == expected and len(set(subjects)) == expected


def _fill(app) -> int:
    """Five cases awaiting the sign-off of a mayor and a chief with e-mail: 10 messages."""
    commune = Commune(code="RACE", name="Commune de la course", cercle="Bougouni",
                      region="Sikasso")
    db.session.add(commune)
    db.session.flush()

    def person(role, name):
        return accounts.create_user(None, username=name, full_name=name.title(),
                                    password="correct horse battery", email=f"{name}@test.ml",
                                    must_change_password=False, memberships=[(commune.id, role)])
    people = Commune_People(commune=commune, mediator=person("mediator", "med"),
                            mayor=person("commune_authority", "maire"),
                            chief=person("traditional_leader", "chef"),
                            coordinator=person("coordinator", "coord"))
    for _ in range(5):
        case = cases.report_case(people.mediator, commune, case_input())
        for move in ("assign", "start", "step", "propose"):
            advance(people, case, move)
    count = len(collect(utcnow()))
    db.session.commit()
    assert count == 10
    return count
