"""Running an upgrade for the command and the administration page alike: every case the dry
run lets move, each in a transaction of its own (a case that changed meanwhile and can no
longer move is refused alone; the others stand); and the dry run as lines of text."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import force_locale

from . import unit_of_work
from .errors import CaseworkError
from .queries.workflow_upgrades import UpgradePlan
from .services import workflow_upgrades


@dataclass
class UpgradeRun:
    moved: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (case id, why)


def run(actor, dry_run: UpgradePlan) -> UpgradeRun:
    outcomes = unit_of_work.one_by_one(dry_run.movable, lambda case_id: (
        workflow_upgrades.upgrade_case(actor, case_id, dry_run.target)))
    result = UpgradeRun()
    for case_id, outcome in outcomes:
        if isinstance(outcome, CaseworkError):
            result.refused.append((case_id, str(outcome)))
        elif outcome is True:
            result.moved += 1
    return result


def plan_lines(plan: UpgradePlan) -> list[str]:
    """The dry run as the terminal shows it (in English, as every command speaks)."""
    name, old, new = plan.target.name, plan.source.version, plan.target.version
    lines = [f"{name} v{old} -> v{new}: {plan.count} case(s) to move, {len(plan.blocked)} "
             f"cannot move, {plan.already} already on v{new}"]
    lines += [f"  {before} -> {after}: {count}"
              for (before, after), count in sorted(plan.moves.items())]
    if plan.blocked:
        lines.append("cannot move:")
        with force_locale("en"):
            lines += [f"  {b.reference} ({b.state}): {b.why}" for b in plan.blocked]
    return lines
