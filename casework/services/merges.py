"""Merging a duplicate report into the case it repeats: a coordinator's act, within one commune.

The duplicate's parties the kept case does not name yet, its mediation steps, its files, the
action plans supporting it and the references it was known by join the kept case; its
reference becomes a former reference of the kept case (casework/lookup.py leads an old link
there). The duplicate keeps its row, marked merged, with its proposals and its own trail: it is
the record of what was reported, shown in the kept case's history, never again a case of its
own (no list, count or figure shows it: access.UNMERGED, queries/checked.py). An event on both
says it, with counts and references, never a name.

Refused while the duplicate has a proposal waiting for sign-offs (the mayor and the chief would
sign a case that no longer is one) or an approved agreement (its follow-up visits check it: the
other case is the one to merge, into this one).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import OperationalError

from .. import access
from ..errors import Conflict, InvalidInput, NotPermitted
from ..extensions import db
from ..models import Attachment, Case, FormerReference, action_plan_cases
from ..queries.merges import MergePlan, plan
from ..workflow_registry import workflow_of
from . import events
from .progress import expect_version, touch
from .validation import require_text

REFUSED = _l("Only a coordinator of the case's commune merges it into another case.")


def why_not(actor, duplicate: Case, kept: Case | None, reference: str = "") -> str | None:
    """Why `duplicate` cannot be merged into `kept` (named `reference`), or None."""
    if kept is None or not access.can(actor, "view", kept):
        return str(_l("No case of this commune has the reference %(reference)s.",
                      reference=reference or "—"))
    if kept.id == duplicate.id:
        return str(_l("A case cannot be merged into itself: give the reference of the case it "
                      "repeats."))
    if kept.commune_id != duplicate.commune_id:
        return str(_l("%(reference)s belongs to another commune: a case is merged only into a "
                      "case of the same commune (move it first if it was filed in the wrong "
                      "one).", reference=kept.reference))
    if workflow_of(kept).state(kept.status).final:
        return str(_l("%(reference)s is ended: a case is merged only into an open case.",
                      reference=kept.reference))
    if kept.confidential != duplicate.confidential:
        return str(_l("One of the two cases is confidential and the other is not: correct the "
                      "type of conflict first."))
    return None


def refusal(duplicate: Case) -> str | None:
    """Why nothing can be merged out of `duplicate` now, or None."""
    if duplicate.pending_proposal is not None:
        return str(_l("A proposed agreement of this case waits for sign-offs: it must be "
                      "withdrawn by its proposer, or decided, before the case is merged."))
    if duplicate.current_agreement is not None:
        return str(_l("This case has an approved agreement, checked by its follow-up visits: "
                      "merge the other case into this one instead."))
    return None


def merge_case(actor, duplicate: Case, kept: Case | None, reason: str, *,
               version: int | None = None, kept_version: int | None = None,
               reference: str = "") -> MergePlan:
    """Merge `duplicate` into `kept`; returns what moved."""
    if not access.can(actor, "merge", duplicate):
        raise NotPermitted(REFUSED)
    problem = why_not(actor, duplicate, kept, reference)
    if problem:
        raise InvalidInput(problem, field="into")
    expect_version(duplicate, version)
    expect_version(kept, kept_version)
    blocked = refusal(duplicate)
    if blocked:
        raise Conflict(blocked)
    reason = require_text(reason, "reason", max_length=2000)
    _hold(kept)
    moved = plan(duplicate, kept)
    for position, party in enumerate(moved.parties, start=len(kept.parties)):
        party.position = position
        kept.parties.append(party)  # leaves the duplicate's list: the row moves, not a copy
    for step in moved.steps:
        step.case = kept  # the same commune: its participants stay counted where they were
    if moved.attachments:
        db.session.execute(update(Attachment).where(Attachment.case_id == duplicate.id)
                           .values(case_id=kept.id).execution_options(synchronize_session=False))
    _join_plans(duplicate, kept, moved.plan_ids)
    db.session.execute(update(FormerReference).where(FormerReference.case_id == duplicate.id)
                       .values(case_id=kept.id, merged=True)
                       .execution_options(synchronize_session="fetch"))
    db.session.add(FormerReference(reference=duplicate.reference, case_id=kept.id,
                                   commune_id=duplicate.commune_id, year=duplicate.year,
                                   sequence=duplicate.sequence, merged=True))
    for earlier in moved.merged_cases:
        earlier.merged_into_id = kept.id
    duplicate.merged_into_id = kept.id
    touch(duplicate)
    touch(kept)
    counts = {"parties": len(moved.parties), "parties_named_already": len(moved.named_already),
              "steps": len(moved.steps), "attachments": len(moved.attachments),
              "plans": len(moved.plan_ids)}
    events.record("case.merged", actor=actor, case=kept, merged_reference=duplicate.reference,
                  merged_case_id=duplicate.id, references=moved.references, reason=reason,
                  **counts)
    events.record("case.merged_into", actor=actor, case=duplicate, reference=kept.reference,
                  kept_case_id=kept.id, reason=reason, **counts)
    db.session.flush()
    return moved


def _hold(kept: Case) -> None:
    """Lock the kept case as the duplicate is (casework/lookup.py), without waiting: two merges
    crossing each other (A into B, B into A) would each hold one case and wait for the other
    (PostgreSQL; SQLite runs its writes one at a time)."""
    try:
        db.session.execute(select(Case.id).where(Case.id == kept.id)
                           .with_for_update(nowait=True))
    except OperationalError as error:
        raise Conflict(_l("The other case is being changed at this moment: send the form "
                          "again in a moment.")) from error


def _join_plans(duplicate: Case, kept: Case, plan_ids: list[int]) -> None:
    """The action plans supporting the duplicate support the kept case (once)."""
    if plan_ids:
        db.session.execute(insert(action_plan_cases),
                           [{"plan_id": plan_id, "case_id": kept.id} for plan_id in plan_ids])
    db.session.execute(delete(action_plan_cases)
                       .where(action_plan_cases.c.case_id == duplicate.id))
