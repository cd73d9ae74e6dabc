"""Factory fixtures: each returns a function that builds rows, through the services where a
service exists, so that test data carries the same events and invariants as real data."""
from __future__ import annotations

import itertools
import secrets
import string
from dataclasses import dataclass, field
from datetime import timedelta
from unittest import mock

import pytest
from flask import current_app
from sqlalchemy import select

from casework import access
from casework.clock import local, local_today, utcnow
from casework.extensions import db
from casework.models import ApiToken, Commune, Referral, ServiceFocalPoint, User
from casework.queries.milestones import NOTICE_DAYS
from casework.queries.referrals import offered_services
from casework.services import (
    accounts,
    api_tokens,
    cases,
    followups,
    referrals,
    signoffs,
    steps,
    team,
    transitions,
    two_factor,
)
from casework.services.cases import CaseInput, PartyInput
from casework.services.followups import FollowUpInput
from casework.services.steps import StepInput
from casework.services.transitions import TransitionInput
from casework.workflow_registry import engine

from .kept import build_on, reloaded

_real_hash_password = accounts.hash_password

PASSWORD = "correct horse battery"
# Every test user whose role requires two-factor authentication is enrolled with this secret
# (make_user), so that a test can compute their codes: two_factor.code_at(TOTP_SECRET, step).
TOTP_SECRET = "JBSWY3DPEHPK3PXPTESTSECRETKEYABC"
# A SECRET_KEY the production configuration accepts (casework/keys.py), for the tests that
# start it; and another for the SMS digests.
STRONG_KEY = "k7Qe2-Zt9vLm4XpR8sWc1NbY6uGj3HdF0aTo5iKq"
OTHER_STRONG_KEY = "Vn3rT8-pLq1ZeW6sXy9CbM2kJd4GhU7fAo0iRt5N"
# T + three letters: 17,576 communes for a whole run (two letters ran out at 676).
_codes = ("".join(letters) for letters in itertools.product(string.ascii_uppercase, repeat=3))
_names = itertools.count(1)


def new_commune(code: str | None = None, name: str | None = None, **values) -> Commune:
    code = code or f"T{next(_codes)}"
    commune = Commune(code=code, name=name or f"Commune {code}",
                      cercle=values.get("cercle", "Bougouni"),
                      region=values.get("region", "Sikasso"))
    db.session.add(commune)
    db.session.commit()
    return commune


@pytest.fixture
def make_commune():
    return new_commune


_hashed: dict[tuple[str, str], str] = {}


def _hash_once(password: str) -> str:
    """accounts.hash_password, computed once per password and work factor: test users share
    the same few passwords, and a salted hash is the slowest part of making one."""
    key = (password, current_app.config["PASSWORD_HASH_METHOD"])
    if key not in _hashed:
        _hashed[key] = _real_hash_password(password)
    return _hashed[key]


def new_user(*roles: tuple[Commune, str], username: str | None = None, is_admin=False,
             enrolled: bool | None = None, **values) -> User:
    """`enrolled`: two-factor on with TOTP_SECRET; by default when the role requires it
    (the user's recovery codes are then in `user.recovery_codes_given`)."""
    username = username or f"user{next(_names)}"
    with mock.patch.object(accounts, "hash_password", _hash_once):
        user = accounts.create_user(
            None, username=username, full_name=values.pop("full_name", username.title()),
            password=values.pop("password", PASSWORD), is_admin=is_admin,
            must_change_password=values.pop("must_change_password", False),
            memberships=[(commune.id, role) for commune, role in roles], **values)
    if enrolled if enrolled is not None else access.requires_two_factor(user):
        user.recovery_codes_given = two_factor.enrol_with_known_secret(user, TOTP_SECRET)
    db.session.commit()
    return user


@pytest.fixture
def make_user():
    return new_user


@pytest.fixture
def grant():
    """grant(user, days=30) -> a live API token of `user`, as POST /api/v1/tokens gives one
    (the endpoint itself, with its codes and throttling, is tested in tests/api)."""
    def make(user: User, days: int = 30) -> str:
        token = secrets.token_urlsafe(32)
        db.session.add(ApiToken(user_id=user.id, token_hash=api_tokens.hash_token(token),
                                expires_at=utcnow() + timedelta(days=days)))
        db.session.commit()
        return token
    return make


@dataclass
class Commune_People:
    commune: Commune
    mediator: User
    mayor: User
    chief: User
    coordinator: User
    others: dict = field(default_factory=dict)


def new_people(**commune_values) -> Commune_People:
    """A commune with one person per case role (the coordinator covers only this commune)."""
    commune = new_commune(**commune_values)
    return Commune_People(
        commune=commune,
        mediator=new_user((commune, "mediator"), sex="F"),
        mayor=new_user((commune, "commune_authority")),
        chief=new_user((commune, "traditional_leader")),
        coordinator=new_user((commune, "coordinator")),
    )


@pytest.fixture
def make_people():
    return new_people


@dataclass
class Town:
    """`people`, `elsewhere` and the two others of `cast`: built once per test module."""
    people: Commune_People
    elsewhere: Commune_People
    other_mediator: User
    admin: User


def new_town() -> Town:
    people = new_people()
    return Town(people=people, elsewhere=new_people(),
                other_mediator=new_user((people.commune, "mediator")),
                admin=new_user(is_admin=True))


@pytest.fixture(scope="module")
def kept_town(app, module_connection) -> Town:
    return build_on(app, module_connection, new_town)


@pytest.fixture
def town(kept_town) -> Town:
    """The module's town (tests/kept.py), read again in this test's session."""
    return reloaded(kept_town)


@pytest.fixture
def people(town):
    return town.people


@pytest.fixture
def elsewhere(town):
    """The same roles in another commune: they must never see `people`'s cases."""
    return town.elsewhere


@pytest.fixture
def cast(town):
    """Everyone a role table may ask about, by the part they play for `people`'s cases."""
    people, elsewhere = town.people, town.elsewhere
    return {
        "team_mediator": people.mediator,
        "other_mediator": town.other_mediator,
        "mayor": people.mayor,
        "chief": people.chief,
        "coordinator": people.coordinator,
        "admin": town.admin,
        "foreign_mediator": elsewhere.mediator,
        "foreign_coordinator": elsewhere.coordinator,
        "foreign_mayor": elsewhere.mayor,
    }


def case_input(**values) -> CaseInput:
    parties = values.pop("parties", None) or [
        PartyInput(name="Famille Traoré", sex="M", age_group="adult", kind="family",
                   people_count=6),
        PartyInput(name="Aminata Koné", sex="F", age_group="youth"),
    ]
    defaults = dict(village="Kola", conflict_type="land",
                    description="Deux familles revendiquent le même champ.",
                    reporter_name="Seydou Diallo", channel="in_person", parties=parties,
                    facts_date=local_today() - timedelta(days=10),
                    # Tests make many cases alike on purpose: not asked "is it the same
                    # conflict?" (tests/functional/test_duplicates.py asks it).
                    another_conflict=True)
    defaults.update(values)
    return CaseInput(**defaults)


def step_input(**values) -> StepInput:
    defaults = dict(step_date=local_today(), kind="joint_session", place="Vestibule du chef",
                    summary="Les deux parties ont été entendues.", women=3, men=5,
                    young_women=1, young_men=2, outcome="Accord de principe")
    defaults.update(values)
    return StepInput(**defaults)


# How to reach each state from a fresh report, one service call per step.
PATHS = {
    "reported": [],
    "in_mediation": ["assign", "start"],
    "proposed": ["assign", "start", "step", "propose"],
    "resolved": ["assign", "start", "step", "propose", "mayor_approves", "chief_approves"],
    "followed_up": ["assign", "start", "step", "propose", "mayor_approves", "chief_approves",
                    "visit_30", "visit_90"],
    "closed": ["assign", "start", "step", "propose", "mayor_approves", "chief_approves",
               "visit_30", "visit_90", "close"],
    "referred": ["refer"],
    "not_admissible": ["reject_admission"],
    "pre_mediation_hearing": ["assign", "hearing"],  # mediation v2 on
    # gbv_referral (a gender-based violence case), with a service of the directory in the
    # case's commune: its focal point answers.
    "referral_sent": ["refer"],
    "referral_declined": ["refer", "service_declines"],
    "referral_accepted": ["refer", "service_accepts"],
    "outcome_recorded": ["refer", "service_accepts", "service_records_outcome"],
    "referral_followed_up": ["refer", "service_accepts", "service_records_outcome",
                             "follow_up"],
    # A land case (land v1) with no agreement, sent to its commune's COFO (in the directory).
    "at_cofo": ["assign", "start", "step", "refer_to_cofo"],
    # Back from the COFO: conciliated (to be closed), or not (the tribunal's, final).
    "conciliated_by_cofo": ["assign", "start", "step", "refer_to_cofo", "cofo_reached"],
    "referred_to_tribunal": ["assign", "start", "step", "refer_to_cofo", "cofo_failed"],
}
SERVICE_ANSWERS = ("service_accepts", "service_declines", "service_records_outcome")
STATES = ("reported", "in_mediation", "resolved", "followed_up", "closed", "referred",
          "not_admissible")


def approved_days_ago(case, days: int) -> None:
    """Move the approval of the case's agreement back to `days` days ago (never forward): a
    planned visit is recorded once its day has come (NOTICE_DAYS early at most)."""
    agreement = case.current_agreement
    made, target = local(agreement.decided_at).date(), local_today() - timedelta(days=days)
    if made > target:
        agreement.decided_at -= made - target


def advance(people: Commune_People, case, move: str) -> None:
    """Take one step of a PATHS route on `case`, as the person who does it in real life."""
    m, mayor, chief, coord = people.mediator, people.mayor, people.chief, people.coordinator
    if move == "assign":  # only the coordination sets the team of a confidential case
        team.assign_team(coord if case.confidential else m, case, [m.id])
    elif move == "hearing":
        transitions.fire(m, case, "hold_hearing")
    elif move == "start":
        transitions.fire(m, case, "start_mediation")
    elif move == "step":
        steps.log_step(m, case, step_input())
    elif move == "propose":
        transitions.fire(m, case, "resolve", TransitionInput(
            agreement_text="Le champ est partagé en deux parts égales."))
    elif move == "mayor_approves":
        signoffs.sign_off(mayor, case.pending_proposal, "approve", "Bon accord.")
    elif move == "chief_approves":
        signoffs.sign_off(chief, case.pending_proposal, "approve", "Accepté.")
    elif move in ("visit_30", "visit_90"):
        approved_days_ago(case, int(move[-2:]) - NOTICE_DAYS)
        followups.record_follow_up(m, case, FollowUpInput(
            visit_date=local_today(), outcome="respected", milestone_days=int(move[-2:])))
    elif move == "close":
        transitions.fire(coord, case, "close", TransitionInput(note="Accord tenu."))
    elif move == "refer":  # to the commune's service of the directory, else the list's word
        offered = offered_services(case)
        transitions.fire(m, case, "refer", TransitionInput(
            referral_target="cofo", service_id=offered[0].id if offered else None,
            note="Hors du ressort de la médiation.", consent="refused"))
    elif move in SERVICE_ANSWERS:  # by the focal point of the case's latest referral
        _service_answers(case, move)
    elif move == "follow_up":
        transitions.fire(coord, case, "follow_up", TransitionInput(note="Suivi fait."))
    elif move == "refer_to_cofo":
        transitions.fire(m, case, "refer_to_cofo", TransitionInput(
            note="Pas d'accord sur la limite du champ.", consent="given",
            consent_by="Les deux familles", consent_how="oral", consent_on=local_today()))
    elif move in ("cofo_reached", "cofo_failed"):  # the record, as the COFO gave it the team
        reached = move == "cofo_reached"
        transitions.fire(m, case, "record_cofo_conciliation", TransitionInput(
            conciliation_date=local_today(), cofo_outcome="reached" if reached else "failed",
            pv_number="PV-1/2026" if reached else "", note="Les parties ont été entendues."))
    elif move == "reject_admission":
        transitions.fire(m, case, "declare_not_admissible",
                         TransitionInput(note="Affaire pénale."))
    else:
        raise ValueError(move)


def _service_answers(case, move: str) -> None:
    referral = db.session.scalar(select(Referral).where(Referral.case_id == case.id)
                                 .order_by(Referral.id.desc()).limit(1))
    focal = db.session.scalar(select(User).join(ServiceFocalPoint,
                                                ServiceFocalPoint.user_id == User.id)
                              .where(ServiceFocalPoint.service_id == referral.service_id)
                              .order_by(User.id).limit(1))
    if move == "service_accepts":
        referrals.accept(focal, referral)
    elif move == "service_declines":
        referrals.decline(focal, referral, "Pas de place ce mois-ci.")
    else:
        referrals.record_outcome(focal, referral, "Soins reçus.")


def new_case(state: str = "reported", who: Commune_People | None = None,
             on_version: int | None = None, **values):
    """A case of `who`'s commune driven to `state` through the services; `on_version`
    reports it on that version of its workflow instead of the latest (a case reported before a
    new version was published)."""
    case = report_on_version(on_version, who, case_input(**values))
    for move in PATHS[state]:
        advance(who, case, move)
    db.session.commit()
    return case


@pytest.fixture
def make_case(people):
    """make_case(state, who=people, on_version=None, **intake): see new_case."""
    def make(state: str = "reported", who: Commune_People | None = None,
             on_version: int | None = None, **values):
        return new_case(state, who or people, on_version, **values)
    return make


def report_on_version(version: int | None, who: Commune_People, data: CaseInput,
                      workflow: str | None = None):
    """Report a case as intake does, on `version` of the workflow that serves it (the latest
    when None), or of `workflow` (a gender-based violence case reported on mediation before
    gbv_referral served it)."""
    if version is None:
        return cases.report_case(who.mediator, who.commune, data)
    serving = cases.workflow_for_new_case(data.conflict_type)
    older = engine().get(workflow or serving.name, version)
    with mock.patch.object(cases, "workflow_for_new_case", lambda _conflict_type: older):
        return cases.report_case(who.mediator, who.commune, data)
