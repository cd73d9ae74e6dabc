"""Moving running cases to a newer version of their workflow, as its file declares
(`upgrade_from`), one case at a time: each in a transaction of its own, with an event."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workflows import Workflow

from .. import access
from ..clock import utcnow
from ..errors import Conflict, NotPermitted
from ..extensions import db
from ..models import Case
from ..queries.workflow_upgrades import BLOCKERS, UpgradePlan, blocker, plan
from . import events
from .progress import enter_state, touch


def _may_upgrade(actor) -> None:
    """An administrator, or the server's operator at its shell (a flask command: no actor)."""
    if actor is not None and not access.can(actor, "administer"):
        raise NotPermitted(_l("Only an administrator can upgrade cases."))


def upgrade_case(actor, case_id: int, target: Workflow) -> bool:
    """Move one case to `target`, its row locked as a transition locks it; False when it is
    already there (a second run moves nothing)."""
    _may_upgrade(actor)
    case = db.session.scalar(select(Case).where(Case.id == case_id)
                             .with_for_update(of=Case)
                             .execution_options(populate_existing=True))
    if case is None or case.workflow != target.name:
        raise Conflict(_l("This case is no longer there."))
    if case.workflow_version == target.version:
        return False
    if case.workflow_version != target.upgrade.from_version:
        raise Conflict(_l("This case is on another version now."))
    reason = blocker(case, target, case.pending_proposal is not None)
    if reason is not None:
        raise Conflict(BLOCKERS[reason])
    old_version, old_state = case.workflow_version, case.status
    case.workflow_version = target.version
    case.status = target.upgrade_target(case, old_state)
    if case.status != old_state:
        case.status_changed_at = utcnow()
        enter_state(case, case.status)
    touch(case)
    events.record("case.workflow_upgraded", actor=actor, case=case, workflow=target.name,
                  from_version=old_version, to_version=target.version,
                  from_state=old_state, to_state=case.status)
    db.session.flush()
    return True


def prepare(actor, engine, name: str, to_version: int, *,
            fingerprint: str | None = None) -> UpgradePlan:
    """The dry run the real run follows. With `fingerprint`, refuse when it is no longer the
    dry run the administrator read (the upgrade already ran, or cases changed since): the form
    cannot run twice. The caller then moves each of `movable` with `upgrade_case`, each in a
    transaction of its own (unit_of_work.one_by_one)."""
    _may_upgrade(actor)
    dry_run = plan(engine, name, to_version)
    if fingerprint is not None and fingerprint != dry_run.fingerprint:
        raise Conflict(_l("The cases changed since you read the dry run, or the upgrade was "
                          "already run: read it again before running it."))
    return dry_run
