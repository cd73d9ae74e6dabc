"""No password, party name or description ever reaches the application log: a whole journey
(sign-ins, report, view, search, exports, transition, sign-off, an unexpected error) runs with
every logger at DEBUG, SQLAlchemy's statements included, and the log is read."""
from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import select
from sqlalchemy import text as sql

from casework.extensions import db
from casework.models import Case
from casework.queries import case_page
from tests.dates import typed

from .pages import submit, text
from .test_lifecycle import intake

PASSWORD = "Sésame-Zébu-8841"
WRONG_PASSWORD = "Faux-Karité-5529"
NAMES = ("Zoumana Kwéléba", "Fatoumata Xyrodiarra")
DESCRIPTION = "Le puits de Quinzambougou est disputé depuis l'hivernage"
AGREEMENT = "Le puits est ouvert aux deux familles, à tour de rôle"
SECRETS = (PASSWORD, WRONG_PASSWORD, *NAMES, DESCRIPTION, AGREEMENT)


def logged(record: logging.LogRecord) -> str:
    """Everything a handler could write of the record: message, arguments, exception, stack."""
    formatted = logging.Formatter("%(name)s %(message)s").format(record)
    return "\n".join([formatted, repr(record.msg), repr(record.args),
                      record.exc_text or "", record.stack_info or ""])


@pytest.fixture
def log(caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("sqlalchemy.engine", "sqlalchemy.pool", "werkzeug", "casework", "flask_wtf"):
        caplog.set_level(logging.DEBUG, logger=name)
    # The test's connection decided whether to log its statements when it was opened, before
    # the levels above were raised: tell it now, as a connection opened later would know.
    db.engines[None]._echo = True
    return caplog


# How the unexpected error is forced: a database error whose statement carries a party name
# as a parameter, and an exception whose message quotes one (as PostgreSQL's do).
def _database_error(*_args, **_kwargs):
    db.session.execute(sql("SELECT * FROM no_such_table WHERE name = :name"),
                       {"name": NAMES[0]})


def _quoting_error(*_args, **_kwargs):
    raise ValueError(f'invalid input syntax for type integer: "{NAMES[1]}"')


@pytest.mark.parametrize("force", [_database_error, _quoting_error])
def test_the_journey_leaves_no_secret_in_the_log(app, log, people, make_user, login,
                                                  monkeypatch, force):
    mediator = make_user((people.commune, "mediator"), password=PASSWORD)
    client = app.test_client()

    assert client.post("/login", data={"username": mediator.username,
                                       "password": WRONG_PASSWORD}).status_code == 401
    assert client.post("/login", data={"username": mediator.username,
                                       "password": PASSWORD}).status_code == 302
    response = submit(client, "/cases/new", intake(
        people.commune, description=DESCRIPTION,
        **{"parties-0-name": NAMES[0], "parties-1-name": NAMES[1]}))
    assert response.status_code == 302
    case = db.session.scalar(select(Case))
    url = f"/cases/{case.reference}"
    assert NAMES[0] in text(client.get(url))
    assert case.reference in text(client.get("/cases", query_string={"q": NAMES[0]}))
    assert client.get("/exports/cases.csv").status_code == 200
    assert client.get("/exports/cases.xlsx").status_code == 200
    assert submit(client, f"{url}/team", {"members": [str(mediator.id)]}).status_code == 302
    assert submit(client, f"{url}/actions/start_mediation", {}).status_code == 302
    assert submit(client, f"{url}/steps/new", {
        "step_date": typed(-14), "kind": "joint_session", "place": "Vestibule du chef",
        "women": "1", "men": "1", "young_women": "0", "young_men": "0",
        "summary": f"{NAMES[0]} et {NAMES[1]} ont parlé.", "outcome": ""}).status_code == 302
    assert submit(client, f"{url}/actions/resolve",
                  {"agreement_text": AGREEMENT}).status_code == 302
    db.session.refresh(case)
    mayor = login(people.mayor, app.test_client())
    assert submit(mayor, f"{url}/proposals/{case.pending_proposal.id}/sign-off",
                  {"decision": "approve", "comment": ""}).status_code == 302

    monkeypatch.setitem(app.config, "RENDER_UNEXPECTED_ERRORS", True)
    monkeypatch.setattr(case_page, "context", force)
    broken = client.get(url)
    assert broken.status_code == 500
    error_id = re.search(r"Référence de l'erreur : ([0-9a-f]{12})", text(broken)).group(1)
    assert "Traceback" not in text(broken) and NAMES[0] not in text(broken)

    records = "\n".join(logged(r) for r in log.records)
    assert "INSERT INTO parties" in records  # the statements were logged: the test can see
    assert f"unexpected error {error_id}" in records  # the error is there, by its id
    for secret in SECRETS:
        assert secret not in records, secret
