"""Demo data: six communes of the Sikasso region, their accounts, and about 25 cases with a past.

The cases are data (`scenarios.SCENARIOS`). `load_demo()` plays every route through the
services, as the demo person who does it in real life and under `clock_at`, so that each
event, proposal, sign-off and visit is real, consistent and dated in the past.
"""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from ..clock import clock_at, local_today
from ..extensions import db
from ..models import CasePartner, Commune, Partner
from ..queries.referrals import of_case
from ..services import (
    accounts,
    cases,
    communes,
    directory,
    followups,
    partners,
    referrals,
    signoffs,
    steps,
    team,
    transitions,
    two_factor,
)
from ..services.cases import CaseInput
from ..services.followups import FollowUpInput
from ..services.steps import StepInput
from ..services.transitions import TransitionInput
from . import mechanisms as demo_mechanisms
from .people import (
    ADMIN,
    COMMUNES,
    COORDINATOR,
    DEMO_TOTP_SECRET,
    DONOR,
    LOCAL_ROLES,
    MORE_SERVICES,
    PARTNERS,
    PASSWORD,
    REGION,
    SERVICES,
    Staff,
    demo_usernames,
    focal_username,
)
from .scenarios import SCENARIOS, Move, Scenario

__all__ = ["COMMUNES", "PASSWORD", "SCENARIOS", "DemoAlreadyLoaded", "load_demo"]

# Communes and accounts exist this many days before the first case was reported.
SETUP_LEAD_DAYS = 10


class DemoAlreadyLoaded(Exception):
    """The demo accounts or communes (some of them) already exist: nothing was loaded."""


def _already_loaded() -> str | None:
    """What of the demo already exists (an account or a commune), or None."""
    for username in demo_usernames():
        if accounts.find_user(username) is not None:
            return f"account {username!r}"
    codes = {c.code for c in COMMUNES}
    names = {c.name.casefold() for c in COMMUNES}
    for commune in db.session.scalars(select(Commune)):
        if commune.code.upper() in codes or commune.name.casefold() in names:
            return f"commune {commune.code} ({commune.name})"
    return None


def _moment(today: date, days_ago: int, index: int) -> datetime:
    """A working-day moment `days_ago` before today (UTC = Bamako time); `index` orders a day's
    moves of one case."""
    day = today - timedelta(days=days_ago)
    return datetime.combine(day, time(8, 0), tzinfo=timezone.utc) + timedelta(minutes=20 * index)


def _user(username: str, name_sex: tuple[str, str], memberships=(), **flags):
    full_name, sex = name_sex
    return accounts.create_user(None, username=username, full_name=full_name, sex=sex,
                                password=PASSWORD, must_change_password=False, is_demo=True,
                                memberships=memberships, **flags)


def _create_people() -> dict[str, Staff]:
    created = {c.code: communes.create_commune(None, code=c.code, name=c.name, cercle=c.cercle,
                                               region=REGION) for c in COMMUNES}
    coordinator = _user(COORDINATOR[0], COORDINATOR[1:],
                        [(commune.id, "coordinator") for commune in created.values()])
    admin = _user(ADMIN[0], ADMIN[1:], is_admin=True)
    donor = _user(DONOR[0], DONOR[1:], [(commune.id, "donor") for commune in created.values()])
    for user in (coordinator, admin, donor):
        two_factor.enrol_with_known_secret(user, DEMO_TOTP_SECRET)
    for code, name in PARTNERS:
        partners.create_partner(admin, code=code, name=name)
    staff = {}
    for c in COMMUNES:
        commune = created[c.code]
        people = {by: _user(f"{prefix}.{c.slug}", getattr(c, by), [(commune.id, LOCAL_ROLES[by])])
                  for by, prefix in (("mediator", "mediateur"), ("mayor", "maire"),
                                     ("chief", "chef"))}
        kind, name, focal_person = SERVICES[c.code]
        service = directory.create_service(None, name=name, kind=kind, commune_id=commune.id,
                                           contact="", active=True)
        focal = _user(focal_username(c), focal_person)
        directory.add_focal_point(None, service, focal.username)
        more = {}
        if c.code in MORE_SERVICES:
            kind, name, focal_person = MORE_SERVICES[c.code]
            other = directory.create_service(None, name=name, kind=kind, commune_id=commune.id,
                                             contact="", active=True)
            other_focal = _user(focal_username(c, kind), focal_person)
            directory.add_focal_point(None, other, other_focal.username)
            more[kind] = (other, other_focal)
        staff[c.code] = Staff(commune=commune, coordinator=coordinator, service=service,
                              focal=focal, more=more, **people)
    return staff


def _report(scenario: Scenario, people: Staff):
    data = CaseInput(
        village=scenario.village, conflict_type=scenario.conflict_type,
        description=scenario.description, reporter_name=scenario.reporter,
        channel=scenario.channel, parties=list(scenario.parties),
        facts_date=local_today() - timedelta(days=scenario.facts_days_earlier),
        violence=scenario.violence, injuries=scenario.injuries, urgency=scenario.urgency)
    return cases.report_case(people.mediator, people.commune, data)


def _play(move: Move, case, people: Staff) -> None:
    actor, data, today = getattr(people, move.by), move.data, local_today()
    if move.action == "assign":
        team.assign_team(actor, case, [people.mediator.id])
    elif move.action == "hearing":
        transitions.fire(actor, case, "hold_hearing")
    elif move.action == "start":
        transitions.fire(actor, case, "start_mediation")
    elif move.action == "step":
        steps.log_step(actor, case, StepInput(step_date=today, **data))
    elif move.action == "propose":
        transitions.fire(actor, case, "resolve", TransitionInput(**data))
    elif move.action == "sign":
        signoffs.sign_off(actor, case.pending_proposal, data["decision"], data["comment"])
    elif move.action == "visit":
        followups.record_follow_up(actor, case, FollowUpInput(visit_date=today, **data))
    elif move.action == "close":
        transitions.fire(actor, case, "close", TransitionInput(**data))
    elif move.action == "refer":  # to the commune's service, or another of its `more`
        data = dict(data)
        kind = data.pop("service", None)
        service = people.more[kind][0] if kind else people.service
        transitions.fire(actor, case, "refer", TransitionInput(
            service_id=service.id, consent_on=today if "consent_by" in data else None,
            **data))
    elif move.action == "refer_to_cofo":
        transitions.fire(actor, case, "refer_to_cofo", TransitionInput(
            consent_on=today if "consent_by" in data else None, **data))
    elif move.action == "cofo_record":
        transitions.fire(actor, case, "record_cofo_conciliation", TransitionInput(
            conciliation_date=today, **data))
    elif move.action in ("accept", "decline", "outcome"):
        referral = of_case(case)[0]  # the latest
        focal = next((f for s, f in people.more.values() if s.id == referral.service_id),
                     people.focal)
        _answer(move.action, focal, referral, data["text"])
    elif move.action == "follow_up":
        transitions.fire(actor, case, "follow_up", TransitionInput(**data))
    elif move.action == "dismiss":
        transitions.fire(actor, case, "declare_not_admissible", TransitionInput(**data))
    else:
        raise ValueError(f"unknown demo move {move.action!r}")


def _answer(action: str, focal, referral, text: str) -> None:
    if action == "accept":
        referrals.accept(focal, referral)
    elif action == "decline":
        referrals.decline(focal, referral, text)
    else:
        referrals.record_outcome(focal, referral, text)


def _timeline(today: date):
    """Every report and move of every scenario, in time order: (moment, scenario number, move)."""
    entries = []
    for number, scenario in enumerate(SCENARIOS):
        entries.append((_moment(today, scenario.reported_days_ago, 0), number, 0, None))
        for index, move in enumerate(scenario.route, start=1):
            days_ago = scenario.reported_days_ago - move.day
            if days_ago < 1:
                raise ValueError(f"demo case in {scenario.village}: a move on day {move.day} "
                                 "would not be in the past")
            entries.append((_moment(today, days_ago, index), number, index, move))
    entries.sort(key=lambda entry: entry[:3])
    return [(moment, number, move) for moment, number, _index, move in entries]


def _summary(opened, staff: dict[str, Staff]) -> str:
    states = Counter(case.status for case in opened)
    by_state = ", ".join(f"{count} {state}" for state, count in sorted(states.items()))
    step_count = sum(len(case.steps) for case in opened)
    visit_count = sum(len(case.follow_ups) for case in opened)
    pending = sum(1 for case in opened if case.pending_proposal is not None)
    return (f"Demo data loaded: {len(staff)} communes of the {REGION} region "
            f"({', '.join(people.commune.name for people in staff.values())}), "
            f"{len(demo_usernames())} accounts (password {PASSWORD}; try mediateur.bougouni, "
            f"maire.bougouni, chef.bougouni, coordination, admin, bailleur), {len(opened)} cases "
            f"({by_state}), {step_count} mediation steps, {visit_count} follow-up visits, "
            f"{pending} proposal(s) waiting for sign-offs, and a conflict-prevention "
            f"mechanism in each commune.")


def load_demo() -> str:
    """Load the demo into the current session (flushed, not committed); return a summary.

    Raises DemoAlreadyLoaded, and changes nothing, when a demo account or commune exists.
    """
    found = _already_loaded()
    if found is not None:
        raise DemoAlreadyLoaded(f"The demo data is already loaded ({found} exists); "
                                "nothing was changed.")
    today = local_today()
    first = max(scenario.reported_days_ago for scenario in SCENARIOS)
    with clock_at(_moment(today, first + SETUP_LEAD_DAYS, 0)):
        staff = _create_people()
    opened, by_village = {}, {}
    # The cases' moves and the mechanisms' acts, in time order (a stable sort: on the same
    # moment, a case's move comes first).
    acts = [(moment, (number, move)) for moment, number, move in _timeline(today)]
    acts += [(moment, act) for moment, act in demo_mechanisms.timeline(today)]
    acts.sort(key=lambda entry: entry[0])
    for moment, act in acts:
        with clock_at(moment):
            if callable(act):
                act(staff, by_village)
                continue
            number, move = act
            scenario = SCENARIOS[number]
            people = staff[scenario.commune]
            if move is None:
                opened[number] = by_village[(scenario.commune, scenario.village)] = \
                    _report(scenario, people)
            else:
                _play(move, opened[number], people)
    _credit_cases(list(opened.values()))
    db.session.flush()
    return _summary(list(opened.values()), staff)


def _credit_cases(opened) -> None:
    """Each commune's cases to one partner of the consortium, in turn."""
    ids = dict(db.session.execute(select(Partner.code, Partner.id)).all())
    order = [code for code, _name in PARTNERS]
    communes_in_turn = [c.code for c in COMMUNES]
    for case in opened:
        code = order[communes_in_turn.index(case.commune.code) % len(order)]
        db.session.add(CasePartner(case_id=case.id, partner_id=ids[code]))
