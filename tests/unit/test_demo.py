"""The demo data: loads once, covers every state, replays, stays in the past; its accounts work."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import select

from casework import access
from casework.clock import local_today, utcnow
from casework.demo import COMMUNES, PASSWORD, SCENARIOS, DemoAlreadyLoaded, load_demo
from casework.demo.people import DEMO_TOTP_SECRET, MORE_SERVICES
from casework.extensions import db
from casework.models import (
    Case,
    CofoConciliation,
    Commune,
    Event,
    FollowUp,
    MediationStep,
    Proposal,
    Referral,
    SignOff,
    User,
)
from casework.queries import worklist
from casework.queries.milestones import milestones, open_milestones
from casework.queries.referrals import of_case
from casework.services import accounts
from casework.vocabulary import CONFLICT_TYPES, GBV
from casework.workflow_registry import engine, workflow_of
from tests.invariants import database_problems
from tests.kept import build_on

CODES = {c.code for c in COMMUNES}
@pytest.fixture(scope="module")
def kept_demo(app, module_connection):
    """The demo, loaded once for the module's tests (each runs in a savepoint of it)."""
    return build_on(app, module_connection, load_demo)


@pytest.fixture
def demo(kept_demo):
    return kept_demo


def demo_cases() -> list[Case]:
    return list(db.session.scalars(select(Case).join(Commune).where(Commune.code.in_(CODES))
                                   .order_by(Case.id)))


def user(username: str) -> User:
    return accounts.find_user(username)


def test_demo_loads_with_a_summary_of_its_counts(demo):
    assert "6 communes" in demo
    assert f"{len(SCENARIOS)} cases" in demo
    assert PASSWORD in demo
    assert {c.name for c in db.session.scalars(select(Commune))} == {c.name for c in COMMUNES}


def test_the_six_communes_are_in_their_real_cercles(demo):
    communes = {c.code: c for c in db.session.scalars(select(Commune))}
    assert communes["WBL"].name == "Wassoulou-Ballé" and communes["WBL"].cercle == "Yanfolila"
    assert communes["KLD"].name == "Kolondiéba" and communes["KLD"].cercle == "Kolondiéba"
    assert {c.region for c in communes.values()} == {"Sikasso"}


def test_about_25_cases_each_where_its_scenario_says(demo):
    cases = demo_cases()
    assert 22 <= len(cases) <= 30
    ended = {(c.commune.code, c.village): c.status for c in cases}
    assert ended == {(s.commune, s.village): s.state for s in SCENARIOS}


def test_every_state_of_the_workflow_holds_a_case(demo):
    states = set(engine().latest("mediation").states)
    assert states == {"reported", "pre_mediation_hearing", "in_mediation", "resolved",
                      "followed_up", "closed", "referred", "not_admissible"}
    # And the land workflow's road to the COFO: one case waits for its record, one is back
    # with its PV (the passing state and the tribunal's end hold none).
    assert {c.status for c in demo_cases() if c.workflow in ("mediation", "land")} == (
        states | {"at_cofo", "conciliated_by_cofo"})


def test_the_gbv_referrals_stand_in_every_state_the_services_and_coordination_move(demo):
    """Sent, declined (waiting to be referred elsewhere), accepted after a first refusal,
    outcome recorded, followed up: every state of gbv_referral but its first and its last."""
    gbv = [c for c in demo_cases() if c.conflict_type == GBV]
    assert {c.workflow for c in gbv} == {"gbv_referral"}
    states = set(engine().latest("gbv_referral").states)
    assert {c.status for c in gbv} == states - {"reported", "closed"}
    elsewhere = next(c for c in gbv if c.status == "referral_accepted")
    answers = [(r.service.kind, r.status) for r in reversed(of_case(elsewhere))]
    assert answers == [("psychosocial", "declined"), ("health_centre", "accepted")]


def test_every_commune_has_cases_and_several_conflict_types_appear(demo):
    cases = demo_cases()
    assert {c.commune.code for c in cases} == CODES
    assert {c.conflict_type for c in cases} == set(CONFLICT_TYPES)


def test_each_status_is_the_replay_of_its_transition_events_and_proposals_hold(demo):
    assert database_problems(db.session) == []


def test_the_gbv_cases_are_confidential_referred_and_hidden_from_the_mayor(demo):
    gbv = [c for c in demo_cases() if c.conflict_type == GBV]
    assert gbv
    for case in gbv:
        workflow = engine().get(case.workflow, case.workflow_version)
        assert case.confidential and any("referred" in workflow.state(e.state).tags
                                         for e in case.state_entries)
        assert not case.steps and not case.proposals  # never mediated
        mayor = next(u for u in db.session.scalars(select(User)) if u.username.startswith("maire.")
                     and access.roles_in(u, case.commune_id))
        assert access.can_view(mayor, case) and not access.sees_identities(mayor, case)
        assert access.sees_identities(user("coordination"), case)


def test_the_referrals_stand_in_their_states_and_show_to_their_focal_points(demo):
    """Bougouni's survivor referred with her consent, taken care of; Kadiolo's accepted by the
    gendarmerie; Sikasso's land case left unanswered by the COFO, late on the coordination's
    list, and another one back from the COFO with its PV."""
    referrals = {r.case.commune.code: r for r in db.session.scalars(select(Referral))
                 if r.case.conflict_type != GBV and r.case.village != "Bougoula"}
    assert {code: r.status for code, r in referrals.items()} == {"KDL": "accepted", "SKS": "sent"}
    referrals["BGN"] = next(r for r in db.session.scalars(select(Referral))
                            if r.case.village == "Manankoro")
    assert referrals["BGN"].status == "outcome_recorded"
    assert referrals["BGN"].consent and not referrals["SKS"].consent
    back = db.session.scalar(select(CofoConciliation))
    assert (back.case.village, back.case.status, back.outcome, back.pv_number) == (
        "Bougoula", "conciliated_by_cofo", "reached", "PV-COFO-SKS-07")
    assert back.recorded_by.username == "service.cofo.sikasso"
    assert (back.referral.status, back.referral.consent) == ("outcome_recorded", True)
    focal = user("service.cofo.sikasso")
    assert access.can(focal, "answer_referral", referral=referrals["SKS"])
    assert not access.can(focal, "view_referral", referral=referrals["BGN"])
    late = worklist.items_of("referral_late", user("coordination"))
    assert [item.title for item in late] == [referrals["SKS"].case.reference]


def test_every_demo_account_signs_in_with_the_demo_password(demo):
    users = list(db.session.scalars(select(User).order_by(User.username)))
    # A mediator, a mayor, a chief and a service's focal point per commune, and the
    # coordinator, admin and donor.
    assert len(users) == 4 * len(COMMUNES) + len(MORE_SERVICES) + 3
    for account in users:
        assert account.is_demo and not account.must_change_password, account.username
        assert accounts.authenticate(account.username, PASSWORD) is account
    admin = user("admin")
    assert admin.is_admin and not admin.memberships


def test_the_demo_coordinator_and_administrator_sign_in_with_the_published_code(demo, app):
    assert DEMO_TOTP_SECRET in (Path(__file__).parents[2] / "README.md").read_text()
    for username in ("coordination", "admin"):
        assert user(username).has_two_factor, username
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": PASSWORD})
        assert response.headers["Location"] == "/login/code"
        code = pyotp.TOTP(DEMO_TOTP_SECRET).at(utcnow())  # the README's `.now()`, at our clock
        assert client.post("/login/code", data={"code": code}).headers["Location"] == "/"
        assert client.get("/").status_code == 200
    assert not user("mediateur.bougouni").has_two_factor


def test_each_commune_has_its_mediator_mayor_and_chief(demo):
    for commune in COMMUNES:
        for username, role in ((f"mediateur.{commune.slug}", "mediator"),
                               (f"maire.{commune.slug}", "commune_authority"),
                               (f"chef.{commune.slug}", "traditional_leader")):
            assert [(m.commune.code, m.role) for m in user(username).memberships] == [
                (commune.code, role)]
    mediators = [user(f"mediateur.{c.slug}") for c in COMMUNES]
    assert sum(m.sex == "F" for m in mediators) >= 2


def test_the_coordinator_covers_all_six_communes(demo):
    coordinator = user("coordination")
    assert {(m.commune.code, m.role) for m in coordinator.memberships} == {
        (code, "coordinator") for code in CODES}
    assert len(db.session.scalars(access.visible_cases(coordinator)).all()) == len(SCENARIOS)


def test_loading_twice_is_refused_and_duplicates_nothing(demo):
    cases, users = len(demo_cases()), db.session.query(User).count()
    with pytest.raises(DemoAlreadyLoaded, match="already loaded"):
        load_demo()
    assert (len(demo_cases()), db.session.query(User).count()) == (cases, users)


def test_nothing_is_dated_in_the_future(demo):
    now = utcnow()
    today = now.date()
    moments = [value for model, columns in (
        (Case, ("created_at", "updated_at", "status_changed_at")),
        (MediationStep, ("created_at",)), (FollowUp, ("created_at",)),
        (Proposal, ("proposed_at", "decided_at")), (SignOff, ("signed_at",)),
        (Event, ("created_at",)), (User, ("created_at",)), (Commune, ("created_at",)),
    ) for row in db.session.scalars(select(model)) for value in
        (getattr(row, column) for column in columns) if value is not None]
    assert moments and max(moments) < now
    days = [c.facts_date for c in demo_cases()] + [
        s.step_date for s in db.session.scalars(select(MediationStep))] + [
        f.visit_date for f in db.session.scalars(select(FollowUp))]
    assert max(days) < today
    assert min(moments) > now - timedelta(days=300)


def test_events_follow_each_other_in_time(demo):
    events = list(db.session.scalars(select(Event).order_by(Event.id)))
    assert all(a.created_at <= b.created_at for a, b in zip(events, events[1:], strict=False))


def test_the_chief_has_a_proposal_signed_by_the_mayor_waiting(demo):
    chief, mayor = user("chef.bougouni"), user("maire.bougouni")
    waiting = db.session.scalars(access.awaiting_my_signoff(chief)).all()
    assert waiting
    assert any(p.awaited_roles == ["traditional_leader"]
               and [s.user_id for s in p.signoffs] == [mayor.id] for p in waiting)


def test_a_rejected_proposal_is_followed_by_a_new_one(demo):
    followed = [c for c in demo_cases()
                if [p.status for p in c.proposals][:1] == ["rejected"] and len(c.proposals) > 1]
    assert followed
    rejection = followed[0].proposals[0].signoffs[-1]
    assert rejection.decision == "reject" and rejection.comment


def test_a_case_was_reopened_by_a_broken_agreement(demo):
    reopened = db.session.scalars(select(Event).where(Event.kind == "case.transition")).all()
    reopened = [e for e in reopened if e.data["trigger"] == "reopen"]
    assert reopened
    case = reopened[0].case
    assert any(f.outcome == "broken" for f in case.follow_ups)
    assert case.status == "in_mediation"


def test_some_cases_are_past_their_time_limit_and_some_visits_are_due_soon(demo):
    late = {c.status for c in demo_cases()
            if workflow_of(c).state(c.status).sla_days is not None
            and c.days_in_state() > workflow_of(c).state(c.status).sla_days}
    assert {"reported", "in_mediation", "at_cofo"} <= late
    today = local_today()
    due = [m.due for c in demo_cases() if c.status == "resolved" for m in milestones(c)
           if m.visit is None]
    assert any(today <= d <= today + timedelta(days=14) for d in due)
    assert any(c.status == "resolved" and open_milestones(c) == [90] for c in demo_cases())


def test_parties_and_steps_count_people_with_women_present(demo):
    cases = demo_cases()
    parties = [p for c in cases for p in c.parties]
    assert {p.kind for p in parties} == {"person", "family", "group", "community"}
    assert {"F", "M"} <= {p.sex for p in parties}
    assert any(p.people_count > 1 for p in parties)
    all_steps = [s for c in cases for s in c.steps]
    assert len(all_steps) >= 40
    assert sum(s.female_participants > 0 for s in all_steps) >= 0.75 * len(all_steps)
    assert all(s.participants > 0 for s in all_steps)


def test_each_commune_has_its_mechanism_with_members_ffom_plan_and_activities(demo):
    from casework.models import Mechanism
    from casework.queries.mechanism_figures import build
    mechanisms = list(db.session.scalars(select(Mechanism)))
    assert {m.commune.code for m in mechanisms} == CODES
    for mechanism in mechanisms:
        members = mechanism.current_members
        assert len(members) >= 5 and any(m.sex == "F" for m in members)
        assert any(m.age_group == "youth" for m in members)
        assert any(m.user_id is not None for m in members)  # the mediator's account
        assert 1 <= len(mechanism.analyses) <= 2
    figures = build({m.commune_id for m in mechanisms})
    for row in figures.rows:
        assert row.planned >= 4 and 2 <= row.done < row.planned, row.commune.name
        assert 0 < row.budget_spent < row.budget_planned
        assert row.reached_women > 0 and row.appreciations >= 1
    assert any(len(m.analyses) == 2 for m in mechanisms)


def test_each_plan_supports_two_distinct_conflicts_of_its_commune(demo):
    from casework.models import ActionPlan
    plans = list(db.session.scalars(select(ActionPlan)))
    assert len(plans) == len(COMMUNES)
    for plan in plans:
        assert len({c.id for c in plan.cases}) == 2
        assert all(c.commune_id == plan.mechanism.commune_id and not c.confidential
                   for c in plan.cases)


def test_the_mechanisms_are_dated_in_the_past(demo):
    from casework.models import Appreciation, FfomAnalysis, MechanismActivity
    today = local_today()
    days = [a.analysed_on for a in db.session.scalars(select(FfomAnalysis))] + [
        a.held_on for a in db.session.scalars(select(MechanismActivity))]
    assert days and max(days) < today
    moments = [a.created_at for a in db.session.scalars(select(Appreciation))]
    assert moments and max(moments) < utcnow()


def test_the_programme_report_of_the_demo_is_full(demo):
    """The four partners credited, and every indicator of the last twelve months with a figure
    in the donor's report (the report the demo donor, bailleur, opens)."""
    from casework import logframe
    from casework.models import Partner
    from casework.queries import programme_report
    from casework.queries.programme import Scope
    donor = user("bailleur")
    assert access.figures_only(donor) and access.requires_two_factor(donor)
    assert {p.code for p in db.session.scalars(select(Partner))} == {
        "AMSS", "ARGA", "CITRACO", "CLUEDUCA"}
    today = local_today()
    report = programme_report.build(logframe.current(), Scope(
        frozenset(access.report_communes(donor)), today - timedelta(days=364), today))
    assert len(report.communes) == len(COMMUNES)
    empty = [s.indicator.code for s in report.sections
             if not s.total.value.value and not s.total.value.at_least]
    assert empty == []
    by_partner = next(s for s in report.sections if s.indicator.figure == "activities_by_partner")
    credited = {label for (key, label), cell in zip(by_partner.columns, by_partner.total.cells,
                                                    strict=True) if cell.value}
    assert {"AMSS", "ARGA", "CITRACO", "CLUEDUCA"} <= credited
