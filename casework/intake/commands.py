"""flask commands of the offline form: build-kobo-form and import-kobo."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from config import BASE_DIR

from ..cli import _writing
from ..errors import InvalidInput
from ..extensions import db
from ..models import Commune, User
from . import files, form_definition, kobo, report, xlsform

PROGRESS_EVERY = 25


@click.command("build-kobo-form")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              default=BASE_DIR / form_definition.OUTPUT, show_default=True)
@click.option("--with-communes", is_flag=True,
              help="Offer this database's communes as a list instead of a code to type.")
def build_kobo_form(output, with_communes):
    """Write the XLSForm that field teams load into KoboToolbox or ODK Central."""
    communes = None
    if with_communes:
        communes = list(db.session.execute(select(Commune.code, Commune.name)
                                           .order_by(Commune.name)))
    xlsform.build(output, communes)
    click.echo(f"{output} written (form {form_definition.FORM_ID}, "
               f"version {form_definition.FORM_VERSION}).")


@click.command("import-kobo")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "username", required=True,
              help="The account the cases are reported by (its communes decide what goes in).")
@click.option("--dry-run", is_flag=True, help="Check every row, then save nothing.")
@_writing
def import_kobo(file, username, dry_run):
    """Import KoboToolbox / ODK submissions (CSV, XLSX or the data API's JSON)."""
    actor = db.session.scalar(select(User).where(User.username == username))
    if actor is None or not actor.active:
        click.echo(str(_l("No active account is named %(name)s.", name=username)), err=True)
        sys.exit(1)
    try:
        rows = files.read_submissions(file.read_bytes(), file.name)
    except InvalidInput as error:
        click.echo(str(error.message), err=True)
        sys.exit(1)
    click.echo(str(_l("%(file)s: %(count)d submissions to read.", file=file.name,
                      count=len(rows))))

    def progress(done, total):
        if done % PROGRESS_EVERY == 0 or done == total:
            click.echo(str(_l("%(done)d of %(total)d rows read", done=done, total=total)))

    result = kobo.import_submissions(actor, rows, progress=progress)
    result.dry_run = dry_run
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for line in report.lines(result):
        click.echo(line)
