"""What every form of the pages shares: run its service, and show a refusal or a conflict next
to what was typed (the request's end commits, see casework/unit_of_work.py)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from ..errors import Conflict, InvalidInput, NotPermitted, PossibleDuplicate
from ..extensions import db
from ..forms.fields import options
from ..lookup import case_or_404, refuse_as_missing
from ..models import Case
from ..queries import case_page
from ..queries.programme_report import partners
from ..services import attachments
from ..unit_of_work import checked_first, flushed

__all__ = ["Outcome", "case_or_404", "handle_form", "opening", "partner_choices", "perform",
           "refuse_as_missing", "with_files"]

@dataclass
class Outcome:
    """What became of a form: `done` with the operation's `result`, or the `status` to render
    the form again with (200 when it was only opened)."""

    status: int | None = None
    result: object = None

    @property
    def done(self) -> bool:
        return self.status is None


def perform(form, operation: Callable[[], object], *, case: Case | None = None) -> Outcome:
    """Run a service (the request's end commits it): done, with what it returned, or the status
    to render the form again with.

    A field error comes back next to its field (400); a conflict keeps everything typed and
    says what happened (409), with the form now pointing at the case's current version.
    """
    try:
        return Outcome(result=flushed(operation))
    except InvalidInput as error:
        db.session.rollback()
        field = getattr(form, error.field, None) if error.field else None
        if field is None and error.field and "-" in error.field:
            field = _nested_field(form, error.field)
        if field is not None:
            field.errors = [*field.errors, error.message]
        else:
            form.form_errors.append(error.message)
        return Outcome(error.status)  # 400, or 413 for a file over its limit
    except PossibleDuplicate as error:  # a question the page asks, with the error as result
        db.session.rollback()
        return Outcome(409, error)
    except Conflict as error:
        db.session.rollback()
        form.form_errors.append(error.message)
        if case is not None and hasattr(form, "version"):
            form.changes = changes_since(case, form.version.data)
            form.version.data = case.version
        return Outcome(409)


def changes_since(case: Case, version) -> list:
    """What happened to the case since the form's version (the case history's lines, told
    under the form's error: form_errors in templates/macros.html). Nothing of a confidential
    case: a phone's queue keeps what it is told."""
    if case.confidential or not isinstance(version, int):
        return []
    return case_page.history(case, since=version)


def _nested_field(form, name: str):
    """parties-1-name -> form.parties[1].form.name"""
    parts = name.split("-")
    field = getattr(form, parts[0], None)
    try:
        entry = field[int(parts[1])]
        return getattr(entry.form, parts[2])
    except (TypeError, IndexError, ValueError, AttributeError):
        return None


def handle_form(form, operation: Callable[[], object], *, case: Case | None = None) -> Outcome:
    """A submitted, valid form's operation performed; else the status to render the form with."""
    if form.validate_on_submit():
        return perform(form, operation, case=case)
    return Outcome(400 if form.is_submitted() else 200)


def opening(allowed: bool, message) -> None:
    """When a form is first opened (GET), refuse it now rather than after it is filled in.

    A submitted form goes to the service, which answers 409 to a double click or a race and
    403 to a role that may not act.
    """
    if request.method == "GET" and not allowed:
        raise NotPermitted(message)


def to_case(case: Case, message=None):
    """Back to the case page, with what was done said on it."""
    if message:
        flash(message, "success")
    return redirect(url_for("cases.show", reference=case.reference))


def one_of(items, item_id: int, keep: Callable[[object], bool] = lambda _item: True):
    """The item of a case's `items` (its steps, visits, proposals) whose id is `item_id`, and
    that `keep` accepts; 404 otherwise, so that another case's id answers as a missing one."""
    found = next((item for item in items if item.id == item_id and keep(item)), None)
    if found is None:
        abort(404)
    return found


def partner_choices(field, current: int | None = None) -> None:
    """The partners a select may credit: the active ones, and the one credited now."""
    field.choices = options([("", _l("No partner")), *(
        (p.id, f"{p.code} · {p.name}") for p in partners() if p.active or p.id == current)])


def with_files(form, case: Case, allowed: Callable[[], bool]):
    """A transition form's input, with the file its file field carries (the COFO's PV)
    read and checked as any file of a case (services/attachments.py), with no transaction
    open (unit_of_work.checked_first); its error shown next to the field. No work on a file
    for someone who may not fire the transition now (`allowed`): the service refuses them."""
    data = form.to_input()
    if not form.file_fields or not allowed():
        return data
    for name in form.file_fields:
        upload = form[name].data
        if not upload or not getattr(upload, "filename", None):
            continue
        what = _FILE_DESCRIPTIONS.get(name, "")
        try:
            checked = checked_first(lambda u=upload, w=what: attachments.check_upload(
                u.stream, u.filename, w), case)
        except InvalidInput as error:
            error.field = name
            raise
        setattr(data, name, checked)
    return data


# What a file given with a transition is, on the case's list of files.
_FILE_DESCRIPTIONS = {"pv_file": "PV de la COFO"}
