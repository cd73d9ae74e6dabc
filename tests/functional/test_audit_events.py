"""Each act the audit asks for is an event with its actor, a UTC time and the client's address:
sign-ins (both outcomes), denied access, the view of a confidential case, exports, sign-offs
and transitions. X-Forwarded-For is believed only behind configured proxies."""
from __future__ import annotations

from datetime import timedelta, timezone

import pytest
from flask import request
from sqlalchemy import select

from casework import create_app
from casework.clock import utcnow
from casework.extensions import db
from casework.models import Event
from config import TestConfig
from tests.factories import PASSWORD

ADDRESS = "198.51.100.7"  # a documentation address (RFC 5737), set as the connection's peer
FORGED = "203.0.113.9"


def _login(client, username, password):
    return client.post("/login", data={"username": username, "password": password})


# (event kind, who acts, what they do with a client of theirs: (client, people, cases) -> None)
ACTS = [
    ("auth.login", "mediator",
     lambda c, p, k: _login(c, p.mediator.username, PASSWORD)),
    ("auth.login_failed", "mediator",
     lambda c, p, k: _login(c, p.mediator.username, "not the password")),
    ("access.denied", "foreign_mediator",
     lambda c, p, k: c.get(f"/cases/{k['open'].reference}")),
    ("access.denied", "mediator", lambda c, p, k: c.get("/admin/users")),
    ("case.viewed", "mayor", lambda c, p, k: c.get(f"/cases/{k['confidential'].reference}")),
    ("export.cases", "coordinator", lambda c, p, k: c.get("/exports/cases.csv")),
    ("export.dashboard", "mayor", lambda c, p, k: c.get("/exports/dashboard.xlsx")),
    ("export.monthly_report", "coordinator", lambda c, p, k: c.get("/dashboard/monthly")),
    ("case.signed_off", "mayor", lambda c, p, k: c.post(
        f"/cases/{k['proposed'].reference}/proposals/{k['proposed'].pending_proposal.id}"
        "/sign-off", data={"decision": "approve", "comment": "Bon accord."})),
    ("case.transition", "mediator", lambda c, p, k: c.post(
        f"/cases/{k['open'].reference}/actions/refer", data={"referral_target": "cofo"})),
]


@pytest.fixture
def stage(app, people, elsewhere, make_case, login):
    cases = {"open": make_case("reported"), "proposed": make_case("proposed"),
             "confidential": make_case("reported", conflict_type="gbv")}
    cast = {"mediator": people.mediator, "mayor": people.mayor,
            "coordinator": people.coordinator, "foreign_mediator": elsewhere.mediator}

    def act(kind, who, action, *, signed_in=True, headers=None):
        client = app.test_client()
        client.environ_base.update(REMOTE_ADDR=ADDRESS)
        if signed_in and not kind.startswith("auth."):
            login(cast[who], client)
        start = db.session.scalar(select(Event.id).order_by(Event.id.desc()).limit(1)) or 0
        response = action(client, people, cases) if headers is None else \
            client.get(f"/cases/{cases['confidential'].reference}", headers=headers)
        assert response.status_code < 500
        return cast[who], list(db.session.scalars(
            select(Event).where(Event.id > start, Event.kind == kind)))
    return act


@pytest.mark.parametrize("kind, who, action", ACTS, ids=[f"{k}-{w}" for k, w, _ in ACTS])
def test_the_act_is_an_event_with_actor_time_and_address(stage, kind, who, action):
    actor, events = stage(kind, who, action)
    assert len(events) == 1, kind
    event = events[0]
    assert event.actor_id == actor.id
    assert event.created_at.tzinfo is not None
    assert event.created_at.utcoffset() == timezone.utc.utcoffset(None)
    assert utcnow() - event.created_at < timedelta(minutes=1)
    assert event.data["address"] == ADDRESS


def test_the_view_of_an_ordinary_case_is_not_logged(app, people, make_case, login):
    case = make_case()
    login(people.mediator, app.test_client()).get(f"/cases/{case.reference}")
    assert db.session.scalar(select(Event).where(Event.kind == "case.viewed")) is None


def test_the_view_event_stays_out_of_the_case_history(app, people, make_case, login):
    case = make_case(conflict_type="gbv")
    client = login(people.coordinator, app.test_client())
    client.get(f"/cases/{case.reference}")
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "case.viewed" not in page
    assert len(db.session.scalars(select(Event).where(Event.kind == "case.viewed")).all()) == 2


def test_a_forged_forwarded_for_header_is_ignored(stage):
    _, events = stage("case.viewed", "mayor", None, headers={"X-Forwarded-For": FORGED})
    assert [e.data["address"] for e in events] == [ADDRESS]


@pytest.mark.no_db
@pytest.mark.parametrize("hops, trusted", [(0, False), (1, True)])
def test_forwarded_for_is_read_only_behind_configured_proxies(tmp_path, hops, trusted):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.db'}",
                     TRUSTED_PROXIES=hops)
    seen = []

    def peer():
        seen.append(request.remote_addr)
        return ""
    app.add_url_rule("/peer", "peer", peer)
    app.test_client().get("/peer", headers={"X-Forwarded-For": FORGED},
                          environ_base={"REMOTE_ADDR": ADDRESS})
    assert seen == [FORGED if trusted else ADDRESS]
