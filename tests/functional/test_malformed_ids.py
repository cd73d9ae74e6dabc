"""Every route with a parameter in its URL, walked with malformed values: a 404, never a 500
(on PostgreSQL an id past INTEGER raises); query parameters such as `page` get a sensible
page; a NUL character anywhere in a form or a query string is a 400 in French."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from casework.clock import local_today
from casework.extensions import db
from casework.intake import jobs, sms
from casework.models import Referral, Service, ServiceFocalPoint
from casework.queries.milestones import NOTICE_DAYS
from casework.services import attachments, followups, transitions
from tests import filesamples as samples
from tests.factories import approved_days_ago, new_case, new_user
from tests.kept import build_on, reloaded
from tests.mechanism_factories import new_mechanism

from .pages import text

# What a `<int:...>` may receive from a typed or forged URL.
BAD_IDS = ["0", "-1", "00", str(2**31), str(2**63), str(10**30), "9" * 400, "abc", "1.5",
           "1e3", "١٢", "²", "%C3%A9", " 1", "0x10"]
# What a `<...>` string (reference, trigger, format) may receive.
BAD_STRINGS = ["x" * 300, "é", "%00", "%C3%A9%C3%A9-2026-0001", "..", "__init__", "' OR 1=1 --",
               "{{7*7}}", "BGN-2026-0001'--", "bgn-2026-0001", "TAA-2026-" + "9" * 40]
PARAMETER = re.compile(r"<(?:([a-z]+)(?:\([^)]*\))?:)?(\w+)>")


def _walked(town) -> dict:
    """A row for every parameter of every route: the valid values, and who opens them."""
    people = town.people
    case = new_case("proposed", people)
    visited = new_case("resolved", people)  # a follow-up visit to correct
    approved_days_ago(visited, 30 - NOTICE_DAYS)  # the 30-day visit is open
    followups.record_follow_up(people.mediator, visited, followups.FollowUpInput(
        visit_date=local_today(), outcome="respected", milestone_days=30))
    attachment = attachments.add_attachment(people.mediator, case, attachments.check_upload(
        io.BytesIO(samples.pdf()), "accord.pdf", ""))
    stage = new_mechanism(people, with_file=True)
    job = jobs.start(people.coordinator, b"", "export.csv", dry_run=False, total=0)
    lead = sms.receive("+22376000000", f"CONFLIT {people.commune.code} Kola, un champ", "SM-walk",
                       "twilio")  # a report by SMS, which only the check page takes
    service = Service(name="CSCom", kind="health_centre", commune_id=people.commune.id,
                      contact="", active=True)
    focal = new_user()
    db.session.add_all([service, ServiceFocalPoint(service=service, user_id=focal.id)])
    referred = new_case("reported", people)
    transitions.fire(people.mediator, referred, "refer", transitions.TransitionInput(
        service_id=service.id, note="Soins.", consent="refused"))
    db.session.flush()
    valid = {"service_id": str(service.id), "focal_id": str(service.focal_points[0].id),
             "referral_id": str(db.session.scalar(select(Referral.id))),
             "reference": case.reference, "proposal_id": str(case.pending_proposal.id),
             "trigger": "refer", "fmt": "csv", "user_id": str(people.mediator.id),
             "membership_id": str(people.mediator.memberships[0].id),
             "commune_id": str(people.commune.id), "attachment_id": str(attachment.id),
             "name": "mediation", "version": "2", "code": people.commune.code,
             "member_id": str(stage.member.id), "analysis_id": str(stage.analysis.id),
             "plan_id": str(stage.plan.id), "item_id": str(stage.item.id),
             "activity_id": str(stage.activity.id), "file_id": str(stage.file.id),
             "job_id": str(job.id), "step_id": str(case.steps[0].id),
             "visit_id": str(visited.follow_ups[0].id), "language": "en"}
    return {"valid": valid, "lead": lead.reference, "visited": visited.reference,
            "focal": focal}


@pytest.fixture(scope="module")
def kept_walk(app, module_connection, kept_town):
    """The rows the walk's tests open, built once for the module (tests/kept.py); the files
    in the app's own attachments directory."""
    return build_on(app, module_connection, lambda: _walked(reloaded(kept_town)))


@pytest.fixture
def walk(app, town, kept_walk, login, grant):
    """The routes with URL parameters, each with valid values and the client to call it."""
    people, walked = town.people, reloaded(kept_walk)
    valid, focal = walked["valid"], walked["focal"]
    clients = {"admin": login(town.admin, app.test_client()),
               "case": login(people.coordinator, app.test_client()),
               "referrals": login(focal, app.test_client())}
    rules = [rule for rule in app.url_map.iter_rules()
             if rule.arguments and rule.endpoint != "static"]
    # The API takes no cookie: a token, the focal point's for the referrals.
    api = {"case": {"Authorization": f"Bearer {grant(people.coordinator)}"},
           "referrals": {"Authorization": f"Bearer {grant(focal)}"}}

    def request(rule, **changes):
        values = {**valid, **({"reference": walked["lead"]} if rule.endpoint == "cases.verify"
                              else {}),
                  **({"reference": walked["visited"]}
                     if rule.endpoint.endswith("corrections.correct_follow_up") else {}),
                  **changes}
        url = PARAMETER.sub(lambda m: values[m.group(2)], rule.rule)
        client = clients[rule.endpoint.split(".")[0] if rule.endpoint.startswith(
            ("admin.", "referrals.")) else "case"]
        headers = api["referrals" if rule.endpoint.startswith("api_referrals.") else "case"]
        method = next(m for m in ("GET", "POST", "PUT", "PATCH", "DELETE")
                      if m in rule.methods)
        return client.open(url, method=method,
                           headers=headers if rule.rule.startswith("/api/") else {})

    return rules, request


def test_every_parameter_of_every_route_is_walked(walk):
    rules, _ = walk
    names = {name for rule in rules for name in rule.arguments}
    assert names == {"reference", "proposal_id", "trigger", "fmt", "user_id", "membership_id",
                     "commune_id", "attachment_id", "name", "version", "code", "member_id",
                     "analysis_id", "plan_id", "item_id", "activity_id",
                     "file_id", "job_id", "step_id", "visit_id", "language", "service_id",
                     "focal_id", "referral_id"}  # a new route
    # parameter: give it a valid value above


def test_valid_values_reach_the_views(walk):
    rules, request = walk
    for rule in rules:
        assert request(rule).status_code not in (404, 405, 500), rule.rule


@pytest.mark.parametrize("bad", BAD_IDS)
def test_malformed_ids_are_404(walk, bad):
    rules, request = walk
    walked = 0
    for rule in rules:
        for name, converter in rule._converters.items():
            if isinstance(converter, IntegerConverter):
                response = request(rule, **{name: bad})
                assert response.status_code == 404, (rule.rule, name, bad)
                if rule.rule.startswith("/api/"):
                    assert response.get_json()["title"] == "Introuvable"
                else:
                    assert "Page introuvable" in text(response)
                walked += 1
    assert walked == 49  # every `<int:...>` of every route (the COFO's record: one more)


@pytest.mark.parametrize("bad", BAD_STRINGS)
def test_malformed_references_triggers_and_formats_are_404(walk, bad):
    rules, request = walk
    for rule in rules:
        for name in ("reference", "trigger", "fmt", "code"):
            if name in rule.arguments:
                response = request(rule, **{name: bad})
                assert response.status_code == 404, (rule.rule, name, bad)


QUERIES = ["/cases?page={}", "/cases?after={}", "/cases?before={}", "/cases?commune={}",
           "/dashboard?commune={}",
           "/dashboard/monthly?commune={}", "/exports/cases.csv?page={}",
           "/exports/cases.csv?commune={}", "/dashboard?from={}", "/cases?to={}",
           "/dashboard/monthly?month={}"]
ODD_VALUES = ["-1", "0", str(2**31), str(2**63), str(10**30), "9" * 5000, "abc", "²", "١",
              "0001-01-01", "9999-12-31", "31/12/9999", "00/00/0000", "0001-01", "9999-12",
              "13/2026", "2026-13", "%"]


@pytest.mark.parametrize("url", QUERIES)
def test_odd_query_values_give_a_page(client, login, people, make_case, url):
    make_case()
    login(people.coordinator)
    for value in ODD_VALUES:
        response = client.get(url.format(value))
        assert response.status_code == 200, (url, value)


def test_an_old_numbered_page_link_shows_the_first_page(app, client, login, make_people,
                                                         make_case, monkeypatch):
    people = make_people()  # a commune of its own: the walk's cases are in the module's
    cases = [make_case(who=people) for _ in range(3)]
    login(people.coordinator)
    monkeypatch.setitem(app.config, "CASES_PER_PAGE", 2)
    page = text(client.get("/cases?page=999999"))
    assert "3 dossiers" in page
    assert cases[2].reference in page and cases[0].reference not in page


def test_an_out_of_range_date_is_said(client, login, people):
    login(people.coordinator)
    page = text(client.get("/cases?from=9999-12-31"))
    assert "Cette date est hors limites : 9999-12-31" in page


NUL_MESSAGE = "caractère de contrôle invisible (NUL)"


@pytest.mark.parametrize("method, url, data", [
    ("GET", "/cases?q=Kola%00", None),
    ("GET", "/cases?status=reported%00", None),
    ("GET", "/dashboard/monthly?month=2026-11%00", None),
    ("GET", "/exports/cases.csv?q=%00", None),
    ("GET", "/cases?na%00me=1", None),
    ("POST", "/cases/new", {"village": "Ko\x00la"}),
    ("POST", "/cases/new", {"parties-0-name": "Awa\x00"}),
    ("POST", "/login", {"username": "awa\x00", "password": "x"}),
    ("POST", "/account/language", {"language": "fr\x00"}),
])
def test_a_nul_character_is_refused_in_french(app, people, login, method, url, data):
    client = login(people.mediator, app.test_client())
    response = client.open(url, method=method, data=data)
    assert response.status_code == 400
    assert NUL_MESSAGE in text(response)


def test_a_nul_character_reaches_no_table(app, people, login):
    """On PostgreSQL a NUL in text raised a DataError (a 500); nothing is written either way."""
    from sqlalchemy import func, select

    from casework.models import Case

    from .test_lifecycle import intake
    client = login(people.mediator, app.test_client())
    before = db.session.scalar(select(func.count(Case.id)))
    response = client.post("/cases/new", data=intake(people.commune, description="a\x00b"))
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Case.id))) == before
