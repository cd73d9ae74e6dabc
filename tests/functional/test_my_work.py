"""'Mon travail': what waits for each person, why, since when, one tap from where to do it; gone
once done; and nothing that is not theirs. One row of SITUATIONS per kind of wait."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

import pytest
from markupsafe import escape
from sqlalchemy import select

from casework.clock import clock_at, local_today, utcnow
from casework.extensions import db
from casework.intake import jobs
from casework.models import (
    Event,
    ImportJob,
    IntakeRecord,
    Notification,
    Referral,
    Service,
    ServiceFocalPoint,
)
from casework.queries.worklist import SOURCES, my_work, waiting_counts
from casework.services import (
    cases,
    mechanism_activities,
    referrals,
    signoffs,
    steps,
    team,
    transitions,
    two_factor,
    verification,
)
from casework.services.transitions import TransitionInput
from tests.dates import typed
from tests.factories import TOTP_SECRET, advance, case_input, step_input
from tests.intake.samples import as_csv, submission

REJECTION = "Le chef de village de Kola n'a pas été consulté."
EVERYONE = ("mediator", "other_mediator", "mayor", "chief", "coordinator", "admin", "foreign",
            "focal")


@dataclass
class World:
    people: object
    cast: dict
    make_case: Callable
    make_mechanism: Callable
    service: object = None
    made: object = None


def _old(world, state, days):
    with clock_at(utcnow() - timedelta(days=days)):
        return world.make_case(state)


def _refer(world):
    transitions.fire(world.people.mediator, world.made, "refer", TransitionInput(
        service_id=world.service.id, note="Hors de notre ressort.", consent="refused"))


def _referred(days_ago: int):
    """A case referred `days_ago` days ago to the service whose focal point is `focal`."""
    def make(world):
        with clock_at(utcnow() - timedelta(days=days_ago)):
            case = world.make_case("reported")
            transitions.fire(world.people.mediator, case, "refer", TransitionInput(
                service_id=world.service.id, note="Soins.", consent="refused"))
        return case
    return make


def _referral_of(world):
    return db.session.scalar(select(Referral).where(Referral.case_id == world.made.id))


def _service_answers(world):
    referrals.accept(world.cast["focal"], _referral_of(world))


def _both_sign(world):
    advance(world.people, world.made, "mayor_approves")
    advance(world.people, world.made, "chief_approves")


def _rejected(world):
    case = world.make_case("proposed")
    signoffs.sign_off(world.people.chief, case.pending_proposal, "reject", REJECTION)
    return case


def _sms_report(world):
    case = world.make_case("reported")
    db.session.add(IntakeRecord(source="sms", external_id=f"sms-{case.id}", case_id=case.id,
                                imported_by_id=world.people.mediator.id, to_verify=True))
    return case


def _verify(world):
    verification.verify_report(world.people.mediator, world.made, verification.VerifiedReport(
        village="Kola", conflict_type="land", description="Limite de champ contestée.",
        parties=case_input().parties))


def _step_planned(world):
    case = world.make_case("in_mediation")
    steps.log_step(world.people.mediator, case, step_input(
        next_step="Visite du champ", next_step_date=local_today() + timedelta(days=1)))
    return case


def _failed_message(world):
    case = world.make_case("reported")
    db.session.add(Notification(user_id=world.people.mayor.id, case_id=case.id, channel="sms",
                                kind="signoff_awaited", dedupe_key=f"test:{case.id}",
                                subject="s", body="b", status="failed", attempts=6,
                                next_attempt_at=utcnow(), last_error="gateway answered HTTP 500",
                                created_at=utcnow()))
    return case


def _send_again(world):
    from casework.services import notifications
    notifications.send_failed_again(world.cast["admin"], world.people.mayor)


def _coordinator_without_two_factor(world):
    with clock_at(utcnow() - timedelta(days=10)):
        return world.cast["new_coordinator"]()


def _closed_name(world):
    for _ in range(6):
        db.session.add(Event(kind="auth.login_failed",
                             data={"username": "kola.chef", "address": "127.0.0.9"}))
    return None


def _appreciate_all(world):
    activity = world.made.activity
    for signer in (world.people.mayor, world.people.chief):
        mechanism_activities.save_appreciation(signer, activity, rating=4, comment="Utile.")


def _taken_on(world):
    world.make_case("in_mediation")
    world.make_case("in_mediation")


def _import(world, rows):
    """A Kobo export imported by the commune's coordinator, as the import page does."""
    job = jobs.start(world.people.coordinator, as_csv(rows), "export-kobo.csv", dry_run=False,
                     total=len(rows))
    db.session.flush()
    jobs.run(job.id)
    return db.session.get(ImportJob, job.id)


def _row(world, uuid, commune=None):
    return submission(commune or world.people.commune.code, uuid,
                      **{"signalement/date_faits": typed(-3)})


def _import_with_a_bad_row(world):
    return _import(world, [_row(world, "good-1"), _row(world, "bad-2", commune="ZZZ")])


def _import_again_corrected(world):
    _import(world, [_row(world, "bad-2")])


@dataclass
class Situation:
    name: str
    source: str
    make: Callable  # world -> the case (or the thing) that waits
    who: set
    says: str  # part of the reason shown, in French
    link: Callable  # world -> the path the item opens
    done: Callable  # world -> the work done; the item is gone for everyone


def _case_path(suffix=""):
    return lambda w: f"/cases/{w.made.reference}{suffix}"


SITUATIONS = [
    Situation("sign-off awaited", "signoff_awaited", lambda w: w.make_case("proposed"),
              {"mayor", "chief"}, "attend votre signature",
              lambda w: f"/cases/{w.made.reference}/proposals/"
                        f"{w.made.pending_proposal.id}/sign-off", _both_sign),
    Situation("agreement rejected", "proposal_rejected", _rejected, {"mediator"},
              "Accord rejeté par", _case_path("/actions/resolve"),
              lambda w: advance(w.people, w.made, "propose")),
    Situation("reported without a team", "unassigned", lambda w: w.make_case("reported"),
              {"mediator", "other_mediator", "coordinator"}, "Signalé sans équipe",
              _case_path("/team"), lambda w: advance(w.people, w.made, "assign")),
    Situation("SMS report to check", "report_to_verify", _sms_report,
              {"mediator", "other_mediator", "coordinator"}, "Signalé par SMS",
              _case_path("/verify"), _verify),
    Situation("past its time limit", "past_time_limit",
              lambda w: _old(w, "in_mediation", 70), {"mediator", "coordinator"},
              "Délai dépassé", _case_path(), _refer),
    Situation("near its time limit", "near_time_limit",
              lambda w: _old(w, "in_mediation", 50), {"mediator"}, "son délai tombe le",
              _case_path(), _refer),
    Situation("no step for weeks", "idle", lambda w: _old(w, "in_mediation", 20),
              {"mediator"}, "Aucune étape consignée depuis", _case_path("/steps/new"),
              lambda w: advance(w.people, w.made, "step")),
    Situation("next step planned", "step_planned", _step_planned, {"mediator"},
              "Prochaine étape prévue le", _case_path("/steps/new"),
              lambda w: steps.log_step(w.people.mediator, w.made, step_input())),
    Situation("follow-up visit due", "follow_up_due", lambda w: _old(w, "resolved", 28),
              {"mediator"}, "Visite à 30 jours", _case_path("/follow-ups/new"),
              lambda w: advance(w.people, w.made, "visit_30")),
    Situation("agreement long unsigned", "signoff_late", lambda w: _old(w, "proposed", 8),
              {"coordinator"}, "toujours en attente de", _case_path(), _both_sign),
    Situation("activity to appreciate", "activity_to_appreciate",
              lambda w: w.make_mechanism(), {"mayor", "chief"}, "Activité tenue le",
              lambda w: f"/mechanisms/{w.people.commune.code}/activities/"
                        f"{w.made.activity.id}/appreciation", _appreciate_all),
    Situation("commune below its target", "commune_below_target", lambda w: None,
              {"coordinator"}, "0 sur 2 conflits pris en charge",
              lambda w: f"/dashboard?commune={w.people.commune.id}", _taken_on),
    Situation("message not sent", "message_failed", _failed_message, {"coordinator", "admin"},
              "n&#39;a pas pu être envoyé", lambda w: None, _send_again),
    Situation("import with rejected rows", "import_rejected_rows", _import_with_a_bad_row,
              {"coordinator"}, "1 ligne de ce fichier a été rejetée",
              lambda w: f"/intake/kobo/imports/{w.made.id}", _import_again_corrected),
    Situation("referral to answer", "referral_to_answer", _referred(0), {"focal"},
              "réponse attendue le", lambda w: f"/referrals/{_referral_of(w).id}",
              _service_answers),
    Situation("referral not answered in time", "referral_late", _referred(8),
              {"coordinator"}, "pas répondu", _case_path(), _service_answers),
    Situation("two-factor set-up overdue", "two_factor_overdue",
              _coordinator_without_two_factor, {"admin"}, "pas mise en place depuis",
              lambda w: f"/admin/users/{w.made.id}",
              lambda w: two_factor.enrol_with_known_secret(w.made, TOTP_SECRET)),
]


def section(page: str, source: str) -> str:
    found = re.search(rf'<section class="waiting-{source}">(.*?)</section>', page, re.S)
    return found.group(1) if found else ""


@pytest.fixture
def world(people, cast, make_case, make_mechanism, make_user):
    return new_world(people, cast, make_case, make_mechanism, make_user)


def new_world(people, cast, make_case, make_mechanism, make_user) -> World:
    cast = dict(cast)
    cast["foreign"] = cast["foreign_mediator"]
    cast["new_coordinator"] = lambda: make_user((people.commune, "coordinator"),
                                                enrolled=False)
    # A service of the commune and its focal point, who sees nothing of the other waits.
    service = Service(name="CSCom de Kola", kind="health_centre",
                      commune_id=people.commune.id, contact="", active=True)
    cast["focal"] = make_user()
    db.session.add_all([service, ServiceFocalPoint(service=service,
                                                   user_id=cast["focal"].id)])
    db.session.commit()
    return World(people, cast, make_case, make_mechanism, service)


def page_of(app, login, world, role) -> str:
    user = getattr(world.people, role, None) or world.cast[role]
    return login(user, app.test_client()).get("/").get_data(as_text=True)


@pytest.mark.parametrize("situation", SITUATIONS, ids=[s.name for s in SITUATIONS])
def test_each_wait_shows_to_whom_it_falls_with_its_reason_and_link_until_done(
        app, login, world, situation):
    world.made = situation.make(world)
    db.session.commit()
    for role in EVERYONE:
        shown = section(page_of(app, login, world, role), situation.source)
        if role not in situation.who:
            assert not shown, (role, "should not see it")
            continue
        assert situation.says in shown, (role, shown)
        link = situation.link(world)
        if link:
            assert f'href="{escape(link)}' in shown, (role, link, shown)
        reference = getattr(world.made, "reference", None)
        if reference:
            assert reference in shown
        assert "Depuis le" in shown or situation.source == "commune_below_target"
    situation.done(world)
    db.session.commit()
    for role in EVERYONE:
        assert not section(page_of(app, login, world, role), situation.source), role


def test_every_source_has_a_row_here_or_its_own_test():
    covered = {s.source for s in SITUATIONS} | {"sign_in_closed", "workflow_version_missing"}
    assert covered == set(SOURCES)


def test_a_name_closed_by_throttling_waits_for_the_administrator(app, login, world):
    _closed_name(world)
    db.session.commit()
    shown = section(page_of(app, login, world, "admin"), "sign_in_closed")
    assert "kola.chef" in shown and "Connexion fermée" in shown
    with clock_at(utcnow() + timedelta(minutes=16)):  # the wait is over: sign-in opens again
        assert not section(page_of(app, login, world, "admin"), "sign_in_closed")


def test_cases_on_a_workflow_version_not_loaded_wait_for_the_administrator(app, login, world):
    case = world.make_case("reported")
    case.workflow_version = 99
    db.session.commit()
    shown = section(page_of(app, login, world, "admin"), "workflow_version_missing")
    assert f"{case.workflow} v99" in shown and 'href="/admin/workflows"' in shown


def test_the_rejection_comment_shows_to_the_team(app, login, world):
    world.made = _rejected(world)
    db.session.commit()
    shown = section(page_of(app, login, world, "mediator"), "proposal_rejected")
    assert escape(REJECTION) in shown


def test_the_true_count_and_a_link_to_all_of_them(app, login, world, monkeypatch):
    """More than the page shows: the heading gives the true count and links to the case list
    filtered on that kind, which lists them all."""
    from casework.queries import worklist
    monkeypatch.setattr(worklist, "SHOWN", 2)
    made = [world.make_case("reported") for _ in range(3)]
    work = my_work(world.people.mediator, shown=2)
    unassigned = work.section("unassigned")
    assert unassigned.count == 3 and len(unassigned.items) == 2
    assert unassigned.more_url == "/cases?waiting=unassigned"
    client = login(world.people.mediator, app.test_client())
    page = client.get("/").get_data(as_text=True)
    assert "Voir les 3" in section(page, "unassigned")
    listed = client.get("/cases?waiting=unassigned").get_data(as_text=True)
    assert all(case.reference in listed for case in made)
    assert "3 dossiers" in listed


def test_the_menu_counts_every_item_of_the_page(app, login, world):
    world.make_case("reported")  # without a team: counted in the mediator's badge now
    _old(world, "in_mediation", 70)
    counts = waiting_counts(world.people.mediator)
    assert counts["unassigned"] == 1 and counts["past_time_limit"] == 1
    page = login(world.people.mediator, app.test_client()).get("/cases").get_data(as_text=True)
    assert f"Mon travail ({sum(counts.values())})" in page


def test_a_confidential_case_without_a_team_waits_for_the_coordination_only(app, login, world):
    case = world.make_case("reported", conflict_type="gbv")
    assert case.reference in section(page_of(app, login, world, "coordinator"), "unassigned")
    assert case.reference not in page_of(app, login, world, "mediator")


def test_nothing_waits(app, login, world):
    page = page_of(app, login, world, "chief")
    assert "Rien ne vous attend pour le moment." in page


def test_reporting_stays_one_tap_away(app, login, world):
    assert "Signaler un conflit" in page_of(app, login, world, "mediator")
    assert "Signaler un conflit" not in page_of(app, login, world, "mayor")


def test_the_chief_is_told_what_the_rejection_did(app, login, world):
    case = world.make_case("proposed")
    client = login(world.people.chief, app.test_client())
    answer = client.post(f"/cases/{case.reference}/proposals/{case.pending_proposal.id}/sign-off",
                         data={"decision": "reject", "comment": REJECTION,
                               "version": case.pending_proposal.version}, follow_redirects=True)
    assert "Vous avez rejeté l&#39;accord ; l&#39;équipe est prévenue" in answer.get_data(
        as_text=True)


def test_reporting_a_case_is_not_what_waits(world):
    """A case that someone else is already mediating is not the other mediators' work."""
    case = cases.report_case(world.people.mediator, world.people.commune, case_input())
    team.assign_team(world.people.mediator, case, [world.people.mediator.id])
    transitions.fire(world.people.mediator, case, "start_mediation")
    db.session.commit()
    assert not waiting_counts(world.cast["other_mediator"]).get("unassigned")


def test_a_wait_of_one_case_stays_when_another_case_moves_on(world):
    """A rejected proposal and a planned step wait whatever other cases hold: a newer
    proposal or a later step of another case does not hide them."""
    rejected, planned = _rejected(world), _step_planned(world)
    other = world.make_case("in_mediation")
    steps.log_step(world.people.mediator, other, step_input(
        step_date=local_today(), next_step="Rien", next_step_date=None))
    world.make_case("proposed")  # a proposal newer than the rejected one
    db.session.commit()
    counts = waiting_counts(world.people.mediator)
    assert (counts["proposal_rejected"], counts["step_planned"]) == (1, 1)
    listed = {item.title for name in ("proposal_rejected", "step_planned")
              for item in my_work(world.people.mediator).section(name).items}
    assert listed == {rejected.reference, planned.reference}


def test_the_counts_read_the_clock_each_time_their_statement_runs(people, make_case):
    """The clauses of the time limits are built once (queries/states.py, `built_once`), the
    instant bound when the statement runs: the same person's count moves with the clock."""
    from casework.clock import day_start
    from casework.queries.states import limit_date

    case = make_case("in_mediation")
    limit = limit_date(case)
    assert limit is not None, "a mediation has a time limit"
    assert waiting_counts(people.mediator).get("past_time_limit", 0) == 0  # built now
    with clock_at(day_start(limit + timedelta(days=1)) + timedelta(hours=12)):
        assert waiting_counts(people.mediator)["past_time_limit"] == 1
    assert waiting_counts(people.mediator).get("past_time_limit", 0) == 0


def _counted_from_the_cases(user) -> dict[str, int]:
    """Each source's count read from the cases themselves (its `cases` clause), not from the
    kept figures (waiting_days) the menu adds up for a coordinator's communes."""
    from sqlalchemy import func

    from casework.models import Case
    from casework.queries.worklist import sources_for

    found = {}
    for source in sources_for(user):
        query = (select(func.count(Case.id)).where(source.cases(user)) if source.cases
                 else source.count(user))
        found[source.name] = db.session.scalar(query) or 0
    return found


def test_the_kept_counts_of_a_coordinator_are_the_cases_own_across_a_time_limit(
        people, elsewhere, make_case, make_user):
    """A coordinator's commune-wide waits are counted from waiting_days (kept by the services
    in the same transaction), up to today, and those whose limit passes today from the cases:
    the number is the cases' own, the day before the instant a time limit or a sign-off delay
    passes, at the start of its day, just before and just after it, and the day after; for a
    coordinator alone and for one who also mediates a team case in a commune they do not
    coordinate."""
    from casework.clock import day_start, local
    from casework.models import TeamMember, WaitingDay
    from casework.services import summaries
    from casework.workflow_registry import workflow_of

    both = make_user((people.commune, "coordinator"), (elsewhere.commune, "mediator"))
    late = make_case("in_mediation")
    make_case("reported")  # no team yet
    proposed = make_case("proposed")
    theirs = make_case("in_mediation", who=elsewhere)
    db.session.add(TeamMember(case_id=theirs.id, user_id=both.id,
                              assigned_by_id=elsewhere.coordinator.id))
    db.session.commit()
    assert db.session.scalars(select(WaitingDay.source)).all(), "the figures are kept"
    assert summaries.differences(db.session.connection(), ("waiting_days",)) == []

    passes = late.status_changed_at + timedelta(
        days=workflow_of(late).state(late.status).sla_days)
    proposal = proposed.pending_proposal
    delay = workflow_of(proposed).transition(proposal.trigger).escalation_days
    assert delay, "a proposal unsigned long enough is late"
    moments = [utcnow()]
    for instant in (passes, proposal.proposed_at + timedelta(days=delay)):
        start = day_start(local(instant).date())
        moments += [start - timedelta(hours=12), start, instant - timedelta(seconds=1),
                    instant + timedelta(seconds=1), start + timedelta(days=1, hours=12)]
    seen: dict[str, set] = {"coordinator": set(), "both": set()}
    for moment in moments:
        with clock_at(moment):
            for name, user in (("coordinator", people.coordinator), ("both", both)):
                kept = waiting_counts(user)
                assert kept == _counted_from_the_cases(user), (moment, name)
                seen[name].add((kept.get("past_time_limit", 0), kept.get("signoff_late", 0)))
    # The moments cross both limits, and the team case elsewhere counts for who mediates it.
    assert len({past for past, _ in seen["coordinator"]}) > 1
    assert len({signoff for _, signoff in seen["coordinator"]}) > 1
    assert max(seen["both"]) > max(seen["coordinator"])
