"""flask upgrade-cases: move running cases to a newer version of their workflow, as its file
declares (`upgrade_from`); --dry-run lists what would move and what cannot."""
from __future__ import annotations

import sys

import click

from .services import workflow_upgrades
from .workflow_registry import engine
from .workflow_upgrading import plan_lines, run


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
    result = run(None, plan)
    click.echo(f"moved {result.moved} case(s) to {workflow} v{to_version}"
               + (f"; {len(result.refused)} refused" if result.refused else ""))
    for case_id, why in result.refused:
        click.echo(f"  case {case_id}: {why}", err=True)
    if result.refused:
        sys.exit(1)


def init_app(app) -> None:
    from .cli import add_commands
    add_commands(app, upgrade_cases)
