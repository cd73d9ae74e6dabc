"""The dry run of an upgrade: which cases of a workflow's earlier version would move to which
state of the new one, and which cannot (and why). The same rule decides for the dry run and
for the real run (`blocker`), so that what the administrator read is what happens."""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select

from workflows import TransitionNotAllowed, Workflow

from ..extensions import db
from ..models import Case, Proposal

# Why a case cannot move, as people read it.
BLOCKERS = {
    "no_mapping": _l("its state has no place in the new version"),
    "pending_proposal": _l("a proposal awaits its sign-offs"),
    "never": _l("the new state is never allowed for such a case"),
}


@dataclass(frozen=True)
class Blocked:
    reference: str
    state: str
    reason: str  # a key of BLOCKERS

    @property
    def why(self):
        return BLOCKERS[self.reason]


@dataclass
class UpgradePlan:
    target: Workflow
    source: Workflow
    moves: Counter = field(default_factory=Counter)  # (from state, to state) -> cases
    blocked: list[Blocked] = field(default_factory=list)
    movable: list[int] = field(default_factory=list)  # case ids, in the order they move
    already: int = 0  # cases already on the target version
    fingerprint: str = ""  # what the administrator read: the real run refuses another plan

    @property
    def count(self) -> int:
        return len(self.movable)


def upgrades(engine) -> list[Workflow]:
    """Every loaded version that declares how cases of an earlier one move to it."""
    loaded = {w.key for w in engine.workflows()}
    return [w for w in engine.workflows()
            if w.upgrade is not None and (w.name, w.upgrade.from_version) in loaded]


def blocker(case: Case, target: Workflow, pending: bool) -> str | None:
    """Why `case` cannot move to `target` now (a key of BLOCKERS), or None."""
    if case.status not in target.upgrade.states:
        return "no_mapping"
    if pending:
        return "pending_proposal"
    try:
        target.upgrade_target(case, case.status)
    except TransitionNotAllowed:
        return "never"
    return None


def plan(engine, name: str, to_version: int) -> UpgradePlan:
    """The dry run of moving the cases of `name` to `to_version` (KeyError: no such upgrade)."""
    target = engine.get(name, to_version)
    if target.upgrade is None:
        raise KeyError(f"{name} v{to_version} declares no upgrade")
    source = engine.get(name, target.upgrade.from_version)
    result = UpgradePlan(target=target, source=source)
    result.already = db.session.scalar(select(func.count(Case.id)).where(
        Case.workflow == name, Case.workflow_version == to_version)) or 0
    waiting = exists().where(Proposal.case_id == Case.id, Proposal.status == "pending")
    rows = db.session.execute(
        select(Case, waiting.label("pending"))
        .where(Case.workflow == name, Case.workflow_version == source.version)
        .order_by(Case.id))
    digest = hashlib.sha256(f"{name}:{source.version}:{to_version}".encode())
    for case, pending in rows:
        reason = blocker(case, target, pending)
        if reason is None:
            result.moves[(case.status, target.upgrade.states[case.status])] += 1
            result.movable.append(case.id)
        else:
            result.blocked.append(Blocked(case.reference, case.status, reason))
        digest.update(f"|{case.id}:{case.version}:{reason}".encode())
    result.fingerprint = digest.hexdigest()[:32]
    return result
