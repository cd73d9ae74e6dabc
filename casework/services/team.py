"""Assigning a case's reconciliation team: mediators of the case's commune, chosen by its
coordinators or its own team (never by an outsider, who would take the case over); the team
of a confidential case by its coordinators only, and no one puts themself on it. Whoever is
taken off the team is told."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import access
from ..errors import InvalidInput, NotPermitted
from ..extensions import db
from ..models import Case, TeamMember, User
from . import events, notifications
from .progress import expect_version, touch


def eligible_mediators(case: Case) -> list[User]:
    """Active mediators of the case's commune, the people a team is made of."""
    return list(db.session.scalars(access.team_candidates(case).order_by(User.full_name)))


def assign_team(actor, case: Case, user_ids: list[int], *, version: int | None = None) -> None:
    """Make the team exactly `user_ids`; at least one mediator of the commune."""
    if not access.can(actor, "assign_team", case):
        raise NotPermitted(_l("You cannot assign the team of this case."))
    expect_version(case, version)
    eligible = {user.id: user for user in eligible_mediators(case)}
    wanted = set(user_ids)
    if not wanted:
        raise InvalidInput(_l("Choose at least one mediator."), field="members")
    if not wanted <= set(eligible):
        raise InvalidInput(_l("Only mediators of the case's commune can be on its team."),
                           field="members")
    current = {member.user_id: member for member in case.team}
    added = sorted(wanted - set(current))
    removed = sorted(set(current) - wanted)
    if not added and not removed:
        return
    if case.confidential and actor.id in added:
        raise NotPermitted(_l("No one puts themself on the team of a confidential case: its "
                              "coordination chooses the team."), field="members")
    for user_id in removed:
        case.team.remove(current[user_id])
    for user_id in added:
        case.team.append(TeamMember(user_id=user_id, assigned_by_id=actor.id))
    touch(case)
    change = events.record("case.team_assigned", actor=actor, case=case, added=added,
                           removed=removed, team=sorted(wanted))
    db.session.flush()
    notifications.tell_removed_from_team(case, [current[user_id].user for user_id in removed],
                                         change.id)
