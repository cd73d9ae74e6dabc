"""flask commands: setup, demo, create-user, check-workflows, check-logframe,
disable-demo-accounts, backup, verify-figures."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from sqlalchemy import inspect, select
from sqlalchemy.engine import make_url

from config import INSTANCE_DIR

from . import unit_of_work
from .errors import CaseworkError
from .extensions import db
from .models import Commune, User
from .services import accounts
from .vocabulary import ROLES


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.command("check-workflows")
@click.option("--directory", default=None, help="Definitions to check (default: the app's).")
def check_workflows(directory):
    """Validate every workflow definition; exit 1 naming each file and problem."""
    from .queries.workflow_versions import missing_versions
    from .workflow_registry import new_engine

    engine = new_engine()
    directory = directory or current_app.config["WORKFLOWS_DIR"]
    errors = engine.check_directory(directory)
    errors += missing_versions(engine, directory)  # versions gone while cases still use them
    for error in errors:
        click.echo(f"ERROR {error}", err=True)
    for workflow in engine.workflows():
        click.echo(f"ok {workflow.name} v{workflow.version}: {len(workflow.states)} states, "
                   f"{len(workflow.transitions)} transitions ({workflow.source})")
    if errors:
        sys.exit(1)


@click.command("check-logframe")
@click.option("--file", "path", default=None, help="Logframe to check (default: the app's).")
def check_logframe(path):
    """Validate the programme's logframe file; exit 1 naming the file and the problem."""
    from .logframe import LogframeError, load
    from .queries.programme import FIGURES

    try:
        logframe = load(path or current_app.config["LOGFRAME_FILE"], FIGURES)
    except LogframeError as error:
        _fail(str(error))
    click.echo(f"ok {logframe.code}: {len(logframe.indicators)} indicators ({logframe.source})")


@click.command("setup")
@click.option("--url", default="http://127.0.0.1:5000/", show_default=True,
              help="The address the app will be served on, printed at the end.")
@unit_of_work.command
def setup(url):
    """Create or upgrade the database; load the demo data into a new one (development only)."""
    is_new = not inspect(db.engine).has_table("alembic_version")
    upgrade()
    if is_new and current_app.config["ALLOW_DEMO_ACCOUNTS"]:
        from .demo import load_demo
        load_demo()
        click.echo("New database: demo data loaded.")
    else:
        click.echo("Database is up to date; nothing entered was changed.")
    if current_app.config["ALLOW_DEMO_ACCOUNTS"]:  # `make run`: where to go, and as whom
        click.echo(_welcome(url))


def _welcome(url: str) -> str:
    """Where to open Palabre and, while the demo accounts can sign in, three to try."""
    from .demo import PASSWORD
    from .demo.people import SHOWCASE

    lines = [f"Palabre : ouvrez {url}"]
    names = {name for name, _ in SHOWCASE}
    active = set(db.session.scalars(select(User.username).where(
        User.username.in_(names), User.is_demo.is_(True), User.active.is_(True))))
    shown = [(name, what) for name, what in SHOWCASE if name in active]
    if shown:
        lines[0] += f" et connectez-vous (mot de passe : {PASSWORD}) :"
        width = max(len(name) for name, _ in shown)
        lines += [f"  {name:<{width}}  {what}" for name, what in shown]
    return "\n".join(lines)


@click.command("demo")
@unit_of_work.command
def demo():
    """Load the demo data (development only): communes, accounts, about 25 cases."""
    if not current_app.config["ALLOW_DEMO_ACCOUNTS"]:
        _fail("demo accounts are refused in this configuration (set PALABRE_ENV=development).")
    from .demo import DemoAlreadyLoaded, load_demo
    try:
        summary = load_demo()
    except DemoAlreadyLoaded as error:
        _fail(str(error))
    click.echo(summary)


def _parse_roles(specs: tuple[str, ...]) -> list[tuple[int, str]]:
    pairs = []
    for spec in specs:
        role, _, code = spec.partition(":")
        if role not in ROLES or not code:
            _fail(f"--role {spec!r}: write ROLE:COMMUNE_CODE, ROLE among {', '.join(ROLES)}")
        commune = db.session.scalar(select(Commune).where(Commune.code == code.upper()))
        if commune is None:
            _fail(f"--role {spec!r}: no commune with code {code.upper()}")
        pairs.append((commune.id, role))
    return pairs


@click.command("create-user")
@click.option("--username", prompt=True)
@click.option("--full-name", prompt="Full name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", "roles", multiple=True, metavar="ROLE:CODE",
              help="A role in a commune, e.g. mediator:BGN; repeat for several.")
@click.option("--admin", is_flag=True, help="Make the user an administrator.")
@click.option("--language", type=click.Choice(["fr", "en"]), default="fr")
@unit_of_work.command
def create_user(username, full_name, password, roles, admin, language):
    """Create a user (asks for what the options do not give)."""
    try:
        user = accounts.create_user(None, username=username, full_name=full_name,
                                    password=password, is_admin=admin, language=language,
                                    must_change_password=False, memberships=_parse_roles(roles))
    except CaseworkError as error:
        _fail(f"{error.field or 'input'}: {error.message}")
    click.echo(f"User {user.username} created.")


@click.command("disable-demo-accounts")
@unit_of_work.command
def disable_demo_accounts():
    """Disable every demo account (the production configuration refuses to start with them)."""
    users = list(db.session.scalars(select(User).where(User.is_demo.is_(True),
                                                       User.active.is_(True))))
    for user in users:
        accounts.set_active(None, user, False)
    click.echo(f"{len(users)} demo account(s) disabled.")


@click.command("backup")
@click.argument("destination", required=False, type=click.Path(dir_okay=False, path_type=Path))
def backup(destination):
    """Copy the SQLite database, consistently, while the app runs (default:
    instance/backups/palabre-<UTC time>.db), then the stored files it names: in the copy itself
    when they live in the database, else the new ones into attachments/ beside the copy. On
    PostgreSQL, use pg_dump (docs/operations.md)."""
    from .backup import BackupError, backup_sqlite, copy_files, default_destination

    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        server = url.set(drivername=url.get_backend_name()).render_as_string()
        _fail(f"this database is {url.get_backend_name()}, not SQLite: back it up with "
              f"pg_dump, e.g. pg_dump -Fc -f palabre.dump '{server}' "
              "(see \"Backups\" in docs/operations.md, linked from README.md).")
    if url.database in (None, "", ":memory:"):
        _fail("the database lives in memory: there is no file to back up.")
    destination = destination or default_destination(INSTANCE_DIR / "backups")
    try:
        size = backup_sqlite(Path(url.database), destination)
        files = copy_files(destination.parent)
    except BackupError as error:
        _fail(f"backup failed: {error}")
    click.echo(f"Backup written to {destination} ({size:,} bytes); integrity check: ok. {files}")


@click.command("verify-figures")
@click.option("--repair", is_flag=True,
              help="Rebuild every summary from the recount, in one transaction.")
@unit_of_work.command
def verify_figures(repair):
    """Recount every summary table of the dashboard from the raw tables and print each
    difference (table, key, kept, counted); exit 1 if any. With --repair, rebuild them."""
    from .services import summaries

    connection = db.session.connection()
    summaries.lock(connection, write=repair)
    found = summaries.differences(connection)
    for name, key, have, should in found:
        click.echo(f"{name}\t{key}\tkept={have}\tcounted={should}")
    if not found:
        click.echo(f"Every summary equals its recount ({', '.join(summaries.SUMMARIES)}).")
        return
    if not repair:
        click.echo(f"{len(found)} difference(s): run flask verify-figures --repair.", err=True)
        sys.exit(1)
    summaries.rebuild(connection)
    click.echo(f"{len(found)} difference(s) repaired: the summaries were rebuilt.")


def init_app(app: Flask) -> None:
    add_commands(app, check_workflows, check_logframe, setup,
                 demo, create_user, disable_demo_accounts, backup, verify_figures)


def add_commands(app: Flask, *commands: click.Command) -> None:
    """Register flask commands that run inside the app's context."""
    for command in commands:
        command.callback = with_appcontext(command.callback)
        app.cli.add_command(command)
