"""The pages a mediator's phone fetches and keeps while the network is there, so that they
open in the village without it: Mon travail, the report form, and each open, non-confidential
case of their team with the forms the team fills there (access.keep_offline decides each)."""
from __future__ import annotations

from sqlalchemy import select

from .. import access
from ..extensions import db
from ..models import Case, TeamMember

# A phone keeps at most this many cases: the ones changed last (data costs money).
MAX_CASES = 30


def pages_to_keep(user) -> list[str]:
    if not access.keep_offline(user, "my_work"):
        return []
    pages = ["/", "/cases", "/cases/new"]
    team_cases = db.session.scalars(
        select(Case).where(Case.team.any(TeamMember.user_id == user.id),
                           Case.confidential.is_(False), access.UNMERGED)
        .order_by(Case.updated_at.desc()).limit(MAX_CASES))
    for case in team_cases:
        if not access.keep_offline(user, "case", case):
            continue
        pages.append(f"/cases/{case.reference}")
        if access.keep_offline(user, "step_form", case):
            pages.append(f"/cases/{case.reference}/steps/new")
        if access.keep_offline(user, "follow_up_form", case):
            pages.append(f"/cases/{case.reference}/follow-ups/new")
    return pages
