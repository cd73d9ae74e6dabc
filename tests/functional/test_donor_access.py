"""The donor role on every route: the programme report and their own account open, every
other page and every API route is refused (403 or 404), whatever it would show. A donor who
also holds a role of the case work keeps that role's pages in its own commune."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from casework import access
from casework.extensions import db
from casework.models import Event, Partner
from casework.services import two_factor
from tests.factories import PASSWORD, TOTP_SECRET

from .pages import submit, text
from .test_two_factor import _sample_url

# Routes open to anyone, signed in or not, that hold no data: the sign-in token endpoint (a
# donor's credentials get a 403 there) and the API's description.
PUBLIC = {"api_tokens.issue", "api-docs.openapi_json"}
# What a donor opens, as the access table declares it.
OPEN = {"reports.programme", "home.index", "static", "health.healthz", "auth.password",
        "two_factor.index"}


def test_the_donors_pages_are_declared_once():
    assert OPEN <= access.FIGURES_ONLY_PAGES


def test_a_donor_is_refused_every_other_route(app, client, login, make_user, people,
                                               make_case, grant):
    case = make_case()
    donor = make_user((people.commune, "donor"))
    assert donor.has_two_factor  # required of a donor, like a coordinator
    token = grant(donor)
    refused, opened = [], set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        url = _sample_url(app, rule, case, people.mediator.id)
        api = rule.rule.startswith("/api/")
        for method in sorted(rule.methods & {"GET", "POST"}):
            login(donor)  # a page walked before (sign out, say) may have ended the session
            response = client.open(
                url, method=method, json={} if api and method == "POST" else None,
                headers={"Authorization": f"Bearer {token}"} if api else {})
            if rule.endpoint in access.FIGURES_ONLY_PAGES:
                opened.add(rule.endpoint)
                continue
            assert response.status_code in (403, 404), (method, url, response.status_code)
            refused.append(rule.endpoint)
    assert len(refused) > 80
    assert {"cases.index", "cases.show", "exports.cases", "dashboard.index",
            "mechanisms.show", "api_cases.index", "api_dashboard.index"} <= set(refused)
    assert "reports.programme" in opened


def test_a_donor_gets_no_api_token(app, client, make_user, people):
    donor = make_user((people.commune, "donor"))
    response = client.post("/api/v1/tokens", json={
        "username": donor.username, "password": PASSWORD,
        "code": two_factor.code_at(TOTP_SECRET, two_factor.time_step())})
    assert response.status_code == 403


def test_a_donor_who_mediates_elsewhere_keeps_that_commune(app, login, make_user, people,
                                                           elsewhere, make_case):
    here = make_case()
    there = make_case(who=elsewhere)
    user = make_user((people.commune, "donor"), (elsewhere.commune, "mediator"))
    client = login(user, app.test_client())
    assert client.get(f"/cases/{there.reference}").status_code == 200
    assert client.get(f"/cases/{here.reference}").status_code == 404
    listed = text(client.get("/cases"))
    assert there.reference in listed and here.reference not in listed
    assert client.get("/reports/programme").status_code == 200


@pytest.mark.parametrize("roles, figures_only", [
    (("donor",), True), (("donor", "mediator"), False), (("coordinator",), False), ((), False)])
def test_who_is_figures_only(make_user, people, roles, figures_only):
    user = make_user(*((people.commune, role) for role in roles))
    assert access.figures_only(user) is figures_only


def test_the_administrators_keep_the_partners(app, client, login, make_user, people):
    admin = make_user(is_admin=True)
    login(admin)
    response = submit(client, "/admin/partners", {"code": "amss", "name": "AMSS Mali"})
    assert response.status_code == 302
    assert db.session.scalar(select(Partner.name).where(Partner.code == "AMSS")) == "AMSS Mali"
    assert db.session.scalar(select(Event).where(Event.kind == "admin.partner_created"))
    again = submit(client, "/admin/partners", {"code": "AMSS", "name": "Autre"})
    assert again.status_code == 400 and "déjà utilisé" in text(again)
    login(people.coordinator)
    assert client.get("/admin/partners").status_code == 403
