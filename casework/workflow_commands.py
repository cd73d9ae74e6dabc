"""flask upgrade-cases: move running cases to a newer version of their workflow, as its file
declares (`upgrade_from`); --dry-run lists what would move and what cannot."""
from __future__ import annotations

import sys

import click

from . import unit_of_work
from .errors import CaseworkError
from .queries.workflow_upgrades import UpgradePlan
from .services import workflow_upgrades
from .workflow_registry import engine


def plan_lines(plan: UpgradePlan) -> list[str]:
    """The dry run as the closing note and the terminal show it."""
    name, old, new = plan.target.name, plan.source.version, plan.target.version
    lines = [f"{name} v{old} -> v{new}: {plan.count} case(s) to move, {len(plan.blocked)} "
             f"cannot move, {plan.already} already on v{new}"]
    lines += [f"  {before} -> {after}: {count}"
              for (before, after), count in sorted(plan.moves.items())]
    if plan.blocked:
        lines.append("cannot move:")
        lines += [f"  {b.reference} ({b.state}): {b.why}" for b in plan.blocked]
    return lines


@click.command("upgrade-cases")
@click.argument("workflow")
@click.option("--to", "to_version", type=int, required=True, help="The version to move to.")
@click.option("--dry-run", is_flag=True, help="List what would move; change nothing.")
def upgrade_cases(workflow, to_version, dry_run):
    """Move the cases of WORKFLOW's previous version to version --to, each case in its own
    transaction with an event; running it again moves nothing more."""
    try:
        plan = workflow_upgrades.prepare(None, engine(), workflow, to_version)
    except KeyError as error:
        click.echo(f"Error: {error.args[0]}", err=True)
        sys.exit(1)
    for line in plan_lines(plan):
        click.echo(line)
    if dry_run:
        return
    outcomes = unit_of_work.one_by_one(
        plan.movable, lambda case_id: workflow_upgrades.upgrade_case(None, case_id, plan.target))
    moved = sum(outcome is True for _id, outcome in outcomes)
    refused = [(case_id, error) for case_id, error in outcomes
               if isinstance(error, CaseworkError)]
    click.echo(f"moved {moved} case(s) to {workflow} v{to_version}"
               + (f"; {len(refused)} refused" if refused else ""))
    for case_id, error in refused:
        click.echo(f"  case {case_id}: {error}", err=True)
    if refused:
        sys.exit(1)


def init_app(app) -> None:
    from .cli import add_commands
    add_commands(app, upgrade_cases)
