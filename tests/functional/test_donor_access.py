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
# What a donor opens: the programme report and the dashboards in figures-only form, their
# account and the sign-in pages (access.FIGURES_ONLY_PAGES, written out again here).
OPEN = {"reports.programme", "reports.programme_xlsx", "reports.programme_pdf_file",
        "dashboard.index", "dashboard.monthly", "home.index", "static", "health.healthz",
        "auth.login", "auth.code", "auth.logout", "auth.password", "auth.language",
        "auth.messages", "two_factor.index", "two_factor.enrol", "two_factor.disable",
        "two_factor.recovery_codes"}
# Every other route the app registers, refused to a donor. A new route fails
# test_every_route_is_classified_for_the_donor until it is written here or in OPEN.
REFUSED = {
    "admin.upgrade_workflow", "admin.services_list", "admin.new_service", "admin.service",
    "admin.add_focal_point", "admin.remove_focal_point", "api_corrections.merge",
    "corrections.merge", "referrals.index", "referrals.show", "referrals.accept",
    "referrals.decline", "referrals.outcome", "referrals.transition", "api_referrals.index",
    "api_referrals.accept",
    "api_referrals.decline", "api_referrals.outcome",
    "activities.add_file", "activities.appreciate", "activities.download", "activities.edit",
    "activities.new", "activities.show", "admin.add_role", "admin.commune",
    "admin.communes_list", "admin.disable", "admin.enable", "admin.index", "admin.new_commune",
    "admin.new_user", "admin.partners_list", "admin.remove_role", "admin.reset_password",
    "admin.reset_two_factor", "admin.send_messages_again", "admin.user", "admin.users",
    "admin.workflows", "api_cases.actions", "api_cases.assign_team", "api_cases.create",
    "api_cases.fire", "api_cases.index", "api_cases.log_step", "api_cases.propose",
    "api_cases.record_follow_up", "api_cases.show", "api_cases.sign_off",
    "api_corrections.correct_case", "api_corrections.correct_follow_up",
    "api_corrections.correct_step", "api_corrections.move", "api_corrections.withdraw",
    "api_dashboard.index", "api_tokens.revoke_current", "api_workflows.index",
    "attachments.add", "attachments.download", "auth.switch_language", "case_partner.credit",
    "cases.agreement_pdf", "cases.assign_team", "cases.index", "cases.log_step", "cases.new",
    "cases.record_follow_up", "cases.show", "cases.sign_off", "cases.transition",
    "cases.verify", "corrections.correct_case", "corrections.correct_follow_up",
    "corrections.correct_step", "corrections.move", "corrections.withdraw",
    # The mechanisms' figures hold no suppression: their people are in the programme report.
    "dashboard.mechanisms", "exports.cases", "exports.dashboard_file",
    "exports.mechanisms_file", "intake.kobo_form", "intake.kobo_import", "intake.kobo_job",
    # The referrals one a row: the case export's access (test_referral_figures.py).
    "exports.referrals",
    "mechanisms.add_analysis", "mechanisms.add_member", "mechanisms.analysis",
    "mechanisms.compare", "mechanisms.edit_analysis", "mechanisms.edit_member",
    "mechanisms.index", "mechanisms.set_up", "mechanisms.show", "offline.page",
    "offline.service_worker", "offline.session", "plans.add_item", "plans.edit",
    "plans.edit_item", "plans.new", "plans.show", "sms.inbound", "workflows.show",
}


def test_the_donors_pages_are_declared_once():
    assert OPEN == access.FIGURES_ONLY_PAGES


def test_every_route_is_classified_for_the_donor(app):
    """Every route is open to a donor (OPEN), refused (REFUSED) or holds no data (PUBLIC)."""
    registered = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert not OPEN & REFUSED and not PUBLIC & (OPEN | REFUSED)
    assert registered - (OPEN | REFUSED | PUBLIC) == set(), "a route no donor row classifies"
    assert (OPEN | REFUSED | PUBLIC) - registered == set(), "a row for a route that is gone"


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
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            login(donor)  # a page walked before (sign out, say) may have ended the session
            response = client.open(
                url, method=method, json={} if api and method != "GET" else None,
                headers={"Authorization": f"Bearer {token}"} if api else {})
            if rule.endpoint in OPEN:
                opened.add(rule.endpoint)
                continue
            assert rule.endpoint in REFUSED
            assert response.status_code in (403, 404), (method, url, response.status_code)
            refused.append(rule.endpoint)
    assert set(refused) == REFUSED
    assert {"reports.programme", "dashboard.index", "dashboard.monthly"} <= opened


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
