"""The case list as a table: what the screen lists, with the figures a donor report needs.

Six queries whatever the number of cases, each reading plain values rather than entities: the
cases, their parties, their steps' participants, their teams, their agreements and their
follow-up visits. A confidential case goes out without its parties' names.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import case as when
from sqlalchemy import func, select

from ..clock import local
from ..extensions import db
from ..models import (
    PARTICIPANTS,
    Case,
    Commune,
    FollowUp,
    MediationStep,
    Party,
    Proposal,
    TeamMember,
    User,
)
from ..vocabulary import (
    CHANNELS,
    CONFLICT_TYPES,
    FOLLOW_UP_OUTCOMES,
    REFERRAL_TARGETS,
    URGENCIES,
    label,
)
from ..workflow_registry import state_labels
from .files import Table


def headers(names: bool = True) -> list[str]:
    return [_("Reference"), _("Commune"), _("Village"), _("Type of conflict"), _("State"),
            _("Reported on"), _("In this state since"), _("Urgency"), _("Violence"),
            *([_("Parties")] if names else []), _("Number of parties"), _("Team members"),
            _("Women in the team"),
            _("Mediation steps"), _("Participants: women"), _("Participants: men"),
            _("Participants: young women"), _("Participants: young men"), _("Referred to"),
            _("Date of the facts"), _("Channel"), _("Injured"), _("Dead"),
            _("Agreement signed on"), _("Follow-up visits"), _("Last follow-up result")]


# What a row reads of a case (and its commune's name): plain values, not entities.
COLUMNS = (Case.id, Case.reference, Commune.name.label("commune"), Case.village,
           Case.conflict_type, Case.status, Case.created_at, Case.status_changed_at,
           Case.urgency, Case.violence, Case.confidential, Case.referral_target,
           Case.facts_date, Case.channel, Case.injuries, Case.deaths)


def _labels(vocabulary: dict) -> dict:
    """A vocabulary's labels in the reader's language, translated once for every row."""
    return {code: str(text) for code, text in vocabulary.items()}


def case_table(cases_query, title: str, *, names: bool = True) -> Table:
    """`cases_query`: a select of Case rows (already filtered by access and filters).

    Without `names` (the file to share), no party's name, and no village of a confidential
    case; with them, for the programme's staff, a confidential case's names still stay out.
    """
    cases = db.session.execute(cases_query.with_only_columns(*COLUMNS)
                               .join(Commune, Commune.id == Case.commune_id)).all()
    ids = cases_query.with_only_columns(Case.id).order_by(None).scalar_subquery()
    party_names = _party_names(ids)  # counted in either file, written in the staff's only
    steps = {row[0]: row[1:] for row in db.session.execute(
        select(MediationStep.case_id, func.count(),
               *(func.sum(getattr(MediationStep, p)) for p in PARTICIPANTS))
        .where(MediationStep.case_id.in_(ids)).group_by(MediationStep.case_id))}
    teams = {case_id: (size, women) for case_id, size, women in db.session.execute(
        select(TeamMember.case_id, func.count(), func.sum(when((User.sex == "F", 1), else_=0)))
        .join(User, User.id == TeamMember.user_id)
        .where(TeamMember.case_id.in_(ids)).group_by(TeamMember.case_id))}
    signed = dict(db.session.execute(
        select(Proposal.case_id, func.max(Proposal.decided_at))
        .where(Proposal.case_id.in_(ids), Proposal.status == "approved")
        .group_by(Proposal.case_id)).all())
    visits: dict[int, list[str]] = {}
    for case_id, outcome in db.session.execute(
            select(FollowUp.case_id, FollowUp.outcome).where(FollowUp.case_id.in_(ids))
            .order_by(FollowUp.case_id, FollowUp.visit_date, FollowUp.id)):
        visits.setdefault(case_id, []).append(outcome)
    states, types, urgencies = state_labels(), _labels(CONFLICT_TYPES), _labels(URGENCIES)
    targets, channels, outcomes = (_labels(REFERRAL_TARGETS), _labels(CHANNELS),
                                   _labels(FOLLOW_UP_OUTCOMES))
    yes, no, hidden = _("yes"), _("no"), _("(confidential)")
    rows = []
    for case in cases:
        parties = party_names.get(case.id, [])
        size, women = teams.get(case.id, (0, 0))
        step_count, *people = steps.get(case.id, (0, 0, 0, 0, 0))
        rows.append([
            case.reference, case.commune,
            hidden if case.confidential and not names else case.village,
            label(types, case.conflict_type), states.get(case.status, case.status),
            local(case.created_at).date(), local(case.status_changed_at).date(),
            label(urgencies, case.urgency), yes if case.violence else no,
            *([hidden if case.confidential else "; ".join(parties)] if names else []),
            len(parties), size, women, step_count, *people,
            label(targets, case.referral_target),
            case.facts_date, label(channels, case.channel), case.injuries, case.deaths,
            local(signed[case.id]).date() if signed.get(case.id) else None,
            len(visits.get(case.id, [])),
            label(outcomes, visits[case.id][-1]) if case.id in visits else "",
        ])
    return Table(title, headers(names), rows)


def _party_names(ids) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    for case_id, name in db.session.execute(
            select(Party.case_id, Party.name).where(Party.case_id.in_(ids))
            .order_by(Party.case_id, Party.position, Party.id)):
        names.setdefault(case_id, []).append(name)
    return names
