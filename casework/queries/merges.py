"""What merging a duplicate report into the case it repeats would move (services/merges.py):
shown to the coordinator before they confirm, and what the merge then does."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, union_all

from .. import access
from ..extensions import db
from ..models import Attachment, Case, FormerReference, action_plan_cases
from ..textsearch import fold
from ..workflow_registry import workflow_of

SUGGESTED = 8


@dataclass
class MergePlan:
    """`duplicate` merged into `kept`: the parties the kept case does not name yet (joined),
    those it already names (left with the duplicate's record), the steps and files that move,
    the references that will lead to the kept case, and the action plans it joins."""

    duplicate: Case
    kept: Case
    parties: list
    named_already: list
    steps: list
    attachments: list
    references: list[str]
    merged_cases: list[Case]
    plan_ids: list[int]


def plan(duplicate: Case, kept: Case) -> MergePlan:
    names = {fold(p.name) for p in kept.parties}
    joined = [p for p in duplicate.parties if fold(p.name) not in names]
    former = list(db.session.scalars(select(FormerReference.reference)
                                     .where(FormerReference.case_id == duplicate.id)))
    kept_plans = set(db.session.scalars(select(action_plan_cases.c.plan_id)
                                        .where(action_plan_cases.c.case_id == kept.id)))
    return MergePlan(
        duplicate=duplicate, kept=kept, parties=joined,
        named_already=[p for p in duplicate.parties if p not in joined],
        steps=list(duplicate.steps),
        attachments=list(db.session.scalars(select(Attachment)
                                            .where(Attachment.case_id == duplicate.id))),
        references=[duplicate.reference, *former],
        merged_cases=list(db.session.scalars(select(Case)
                                             .where(Case.merged_into_id == duplicate.id))),
        plan_ids=[plan_id for plan_id in db.session.scalars(
            select(action_plan_cases.c.plan_id).where(action_plan_cases.c.case_id == duplicate.id))
            if plan_id not in kept_plans])


def suggestions(user, duplicate: Case) -> list[Case]:
    """Cases `duplicate` may be merged into, the likeliest first: the open cases of its commune
    with its confidentiality, the same village first, then the newest."""
    same_village = Case.village == duplicate.village
    found = db.session.scalars(
        select(Case).where(access.visible_cases_clause(user),
                           Case.commune_id == duplicate.commune_id, Case.id != duplicate.id,
                           Case.confidential.is_(duplicate.confidential))
        .order_by(same_village.desc(), Case.created_at.desc(), Case.id.desc())
        .limit(4 * SUGGESTED))
    return [case for case in found
            if not workflow_of(case).state(case.status).final][:SUGGESTED]


def with_merged(case: Case):
    """A select of `case`'s id and those of the cases merged into it, whose history its
    history shows (a subquery: the page's statements stay as many). Two selects rather than
    one with OR, which SQLite answered by reading every case's merged_into_id."""
    return union_all(select(Case.id).where(Case.id == case.id),
                     select(Case.id).where(Case.merged_into_id == case.id))


def former_reference(reference: str) -> FormerReference | None:
    """The reference a case was known by before a move, or a merged duplicate's."""
    return db.session.scalar(select(FormerReference)
                             .where(FormerReference.reference == reference))


def case_named(user, reference: str) -> Case | None:
    """The case `user` sees under `reference`, or under a reference it was known by before (a
    move, a merge); None otherwise."""
    found = access.find_case(user, reference)
    if found is None:
        former = former_reference(reference)
        found = former.case if former is not None else None
    return found if found is not None and access.can_view(user, found) else None
