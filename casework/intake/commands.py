"""flask commands of the offline form: build-kobo-form and import-kobo."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from config import BASE_DIR

from .. import unit_of_work
from ..errors import InvalidInput
from ..extensions import db
from ..models import ImportJob, User
from . import files, form_definition, jobs, report, xlsform
from .communes import form_list


@click.command("build-kobo-form")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              default=BASE_DIR / form_definition.OUTPUT, show_default=True)
@click.option("--with-communes", is_flag=True,
              help="Offer this database's communes as a list instead of a code to type.")
def build_kobo_form(output, with_communes):
    """Write the XLSForm that field teams load into KoboToolbox or ODK Central."""
    communes = None
    if with_communes:
        communes = form_list()
    xlsform.build(output, communes)
    click.echo(f"{output} written (form {form_definition.FORM_ID}, "
               f"version {form_definition.FORM_VERSION}).")


@click.command("import-kobo")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "username", required=True,
              help="The account the cases are reported by (its communes decide what goes in).")
@click.option("--dry-run", is_flag=True, help="Check every row, then save nothing.")
@unit_of_work.command
def import_kobo(file, username, dry_run):
    """Import KoboToolbox / ODK submissions (CSV, XLSX or the data API's JSON), as a job run
    here, a few dozen rows per transaction: the app's users may write meanwhile."""
    data = file.read_bytes()
    try:  # before the first query: no transaction open while the file is read
        rows = files.read_submissions(data, file.name)
    except InvalidInput as error:
        click.echo(str(error.message), err=True)
        sys.exit(1)
    actor = db.session.scalar(select(User).where(User.username == username))
    if actor is None or not actor.active:
        click.echo(str(_l("No active account is named %(name)s.", name=username)), err=True)
        sys.exit(1)
    click.echo(str(_l("%(file)s: %(count)d submissions to read.", file=file.name,
                      count=len(rows))))
    job = jobs.start(actor, data, file.name, dry_run=dry_run, total=len(rows))
    db.session.commit()

    def progress(done, total):
        click.echo(str(_l("%(done)d of %(total)d rows read", done=done, total=total)))

    jobs.run(job.id, progress=progress)
    job = db.session.get(ImportJob, job.id)
    for line in report.lines(jobs.report_of(job)):
        click.echo(line)
    if job.status == "failed":
        click.echo(str(_l("The import stopped on an error: see the log.")), err=True)
        sys.exit(1)


def init_app(app) -> None:
    from ..cli import add_commands
    add_commands(app, build_kobo_form, import_kobo)
