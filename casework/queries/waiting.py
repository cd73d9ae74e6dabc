"""The number beside "Mon travail" in the menu: what waits for the user, counted in one query.

It counts the three kinds of `queries/worklist.py` that people are also told about by message
(sign-offs awaiting them, follow-up visits due, cases past their time limit) with the same
rules, written as SQL counts; tests/notifications/test_menu_count.py checks that it always
equals the number of those items on the page.
"""
from __future__ import annotations

import time
from datetime import timedelta

from flask import request, session

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import aliased

from .. import access
from ..extensions import db
from ..models import Case, FollowUp, Proposal, TeamMember
from ..timeutil import day_start, local_today
from ..workflow import engine
from .worklist import FOLLOW_UP_NOTICE_DAYS, _my_cases_clause, _overdue_clause, _states_allowing


def _count(query):
    return select(func.count()).select_from(query.order_by(None).subquery()).scalar_subquery()


def _follow_ups_due_count(user, within_days: int):
    """Cases of the user's (team, or coordinated commune) in a follow-up state whose current
    agreement has a planned visit due within `within_days` and not made: `milestones` in SQL."""
    coordinated = access.commune_ids(user, (access.COORDINATOR,))
    mine = or_(Case.team.any(TeamMember.user_id == user.id),
               Case.commune_id.in_(coordinated) if coordinated else false())
    later = aliased(Proposal)
    newer_agreement = select(later.id).where(later.case_id == Proposal.case_id,
                                             later.status == "approved", later.id > Proposal.id)
    today = local_today()
    due = []
    for workflow in engine().workflows():
        for name, state in workflow.states.items():
            for days in state.follow_up_days:
                # Due on (local day of the decision) + days <= today + within_days.
                limit = day_start(today + timedelta(days=within_days - days + 1))
                visit = select(FollowUp.id).where(FollowUp.proposal_id == Proposal.id,
                                                  FollowUp.milestone_days == days)
                due.append(and_(Case.workflow == workflow.name,
                                Case.workflow_version == workflow.version,
                                Proposal.to_state == name, Proposal.decided_at < limit,
                                ~visit.exists()))
    return _count(select(Proposal.id).join(Proposal.case).where(
        *access.in_communes(Case.commune_id, access.commune_ids(user)), mine,
        _states_allowing("follow_ups"),
        Proposal.status == "approved", Proposal.decided_at.is_not(None),
        ~newer_agreement.exists(), or_(false(), *due)))


def waiting_count(user) -> int:
    """Sign-offs awaiting `user`, follow-up visits due and cases past their time limit."""
    if not access.commune_ids(user):
        return 0
    overdue = select(Case.id).where(
        *access.in_communes(Case.commune_id, access.commune_ids(user)),
        _my_cases_clause(user), _overdue_clause())
    return db.session.scalar(select(
        _count(access.awaiting_my_signoff(user))
        + _follow_ups_due_count(user, FOLLOW_UP_NOTICE_DAYS) + _count(overdue))) or 0


# The menu shows the count on every page, and for a coordinator of many communes it is counted
# over all their cases: it is kept in the session for a while, counted afresh on "Mon travail"
# itself and after any change the person makes (see sessions.py).
MENU_COUNT_SECONDS = 120
MENU_COUNT_KEY = "waiting"


def menu_count(user) -> int:
    now = int(time.time())
    kept = session.get(MENU_COUNT_KEY)
    if (request.endpoint != "home.index" and isinstance(kept, list) and len(kept) == 2
            and 0 <= now - kept[1] < MENU_COUNT_SECONDS):
        return kept[0]
    count = waiting_count(user)
    session[MENU_COUNT_KEY] = [count, now]
    return count
