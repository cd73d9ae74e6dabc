"""Importing KoboToolbox / ODK submissions: each row becomes a reported case, all or nothing,
once only (keyed by the submission's `_uuid`), through the same service as the intake screen.
A whole file is imported as a job (intake/jobs.py), a few dozen rows per transaction."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import plaintext
from ..errors import CaseworkError, InvalidInput, PossibleDuplicate
from ..extensions import db
from ..models import Case, IntakeRecord
from ..services import cases, events
from ..services.cases import CaseInput, PartyInput
from . import form_definition as form
from .communes import Communes, named

SOURCE = "kobo"
MAX_ID = 80
# Where each of the service's fields is asked in the form: a rejection names the question.
FIELD_PATHS = {
    "village": "signalement/village", "conflict_type": "signalement/type_conflit",
    "facts_date": "signalement/date_faits", "description": "signalement/description",
    "violence": "signalement/violence", "injuries": "signalement/blesses",
    "deaths": "signalement/deces", "urgency": "signalement/urgence",
    "reporter_name": "declarant/nom", "reporter_contact": "declarant/contact",
    "commune": "signalement/commune", "parties": "parties/partie_1/nom",
}
PARTY_FIELDS = {"name": "nom", "kind": "type", "sex": "sexe", "age_group": "age",
                "people_count": "nombre"}
TRUE, FALSE = {"oui", "yes", "true", "1", "vrai"}, {"non", "no", "false", "0", "faux", ""}


def question_labels() -> dict[str, str]:
    """Each question's path (signalement/village) -> its French label."""
    labels, groups = {}, []
    for question in form.survey():
        if question.type == "begin_group":
            groups.append(question.name)
        elif question.type == "end_group":
            groups.pop()
        else:
            labels["/".join([*groups, question.name])] = question.label
    return labels


@dataclass
class Submission:
    external_id: str
    commune: str  # as the file gives it: a code, a name, or the list's "Name (CODE)"
    submitted_at: datetime | None
    submitted_by: str | None
    case: CaseInput
    # The form's party group (1, 2, 3) of each party given, to name the one a problem is in.
    party_groups: list[int]


class Row:
    """One row of the file: its values by path, found with or without their group."""

    def __init__(self, values: dict):
        self.values = values

    def get(self, path: str, default=None):
        # An export made without "groups in headers" names a question alone (village); the
        # parties' questions share their names, so theirs always carry the group.
        keys = [path] if path.startswith("parties/") else [path, path.rsplit("/", 1)[-1]]
        for key in keys:
            value = self.values.get(key)
            if isinstance(value, str):  # nobody can retype a submission: controls go
                value = plaintext.cleaned(value).strip()
            if value is not None and str(value).strip() != "":
                return value
        return default

    def text(self, path: str) -> str:
        value = self.get(path, "")
        return str(value) if not isinstance(value, float) else f"{value:g}"


def _whole(value, default: int):
    """A count as the file gives it ("2", 2, 2.0); anything else is left for the service to
    refuse with its own message."""
    if value in (None, ""):
        return default
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return value


def _choice(value, answers: dict[str, str]):
    """A list's answer as its code, whether the export wrote codes or French labels."""
    text = str(value or "").strip()
    if text in answers:
        return text
    by_label = {label.casefold(): code for code, label in answers.items()}
    return by_label.get(text.casefold(), text)


def _day(value, name: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if "/" in text:
            day, month, year = text.split("/")
            return date(int(year), int(month), int(day))
        return date.fromisoformat(text[:10])
    except ValueError:
        raise InvalidInput(_l("This date is not valid: %(value)s (expected dd/mm/yyyy).",
                              value=text[:20]), field=name) from None


def _moment(value) -> datetime | None:
    """When the submission reached the server, in UTC (KoboToolbox writes UTC without a zone)."""
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value or "").strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def _yes(value, name: str) -> bool:
    text = str(value or "").strip().casefold()
    if text in TRUE | FALSE:
        return text in TRUE
    raise InvalidInput(_l("Choose one of the values offered."), field=name)


def _external_id(row: Row) -> str:
    found = row.text("_uuid") or row.text("meta/instanceID") or row.text("KEY")
    found = found.removeprefix("uuid:")
    if not found:
        raise InvalidInput(_l("This submission has no _uuid column: without it, a second "
                              "import could not recognise it."), field="_uuid")
    if len(found) > MAX_ID:
        raise InvalidInput(_l("At most %(n)d characters.", n=MAX_ID), field="_uuid")
    return found


def parse(values: dict) -> Submission:
    """A row of the export as the service's input; InvalidInput names the field at fault."""
    row = Row(values)
    lists = form.choice_lists()
    parties, groups = [], []
    for number in range(1, form.PARTY_GROUPS + 10):  # an export may carry more repeats
        prefix = f"parties/partie_{number}/"
        if not row.text(prefix + "nom"):
            continue
        parties.append(PartyInput(
            name=row.text(prefix + "nom"),
            kind=_choice(row.get(prefix + "type", "person"), lists["type_partie"]),
            sex=_choice(row.get(prefix + "sexe"), lists["sexe"]),
            age_group=_choice(row.get(prefix + "age"), lists["age"]),
            people_count=_whole(row.get(prefix + "nombre"), 1)))
        groups.append(number)
    violence = _yes(row.get(FIELD_PATHS["violence"], "non"), "violence")
    data = CaseInput(
        village=row.text(FIELD_PATHS["village"]),
        conflict_type=_choice(row.get(FIELD_PATHS["conflict_type"]), lists["type_conflit"]),
        facts_date=_day(row.get(FIELD_PATHS["facts_date"]), "facts_date"),
        description=row.text(FIELD_PATHS["description"]),
        violence=violence,
        injuries=_whole(row.get(FIELD_PATHS["injuries"]), 0) if violence else 0,
        deaths=_whole(row.get(FIELD_PATHS["deaths"]), 0) if violence else 0,
        urgency=_choice(row.get(FIELD_PATHS["urgency"], "normal"), lists["urgence"]),
        reporter_name=row.text(FIELD_PATHS["reporter_name"]),
        reporter_contact=row.text(FIELD_PATHS["reporter_contact"]) or None,
        channel=SOURCE, parties=parties,
        # The day it was reported in the field: when the form was filled on the phone (its
        # end, else its start), else when it reached the server; never the day of the import.
        reported_at=_moment(row.get("end") or row.get("start") or row.get("_submission_time")
                            or row.get("SubmissionDate")))
    return Submission(
        external_id=_external_id(row), commune=row.text(FIELD_PATHS["commune"]),
        submitted_at=_moment(row.get("_submission_time") or row.get("SubmissionDate")),
        submitted_by=(row.text("_submitted_by") or row.text("SubmitterName") or None),
        case=data, party_groups=groups)


# -- the report -----------------------------------------------------------------------------

@dataclass
class Rejection:
    row: int
    reason: str  # French: the question, then what is wrong with it


@dataclass
class ImportReport:
    total: int = 0
    # (row, reference); no reference in a trial run, whose cases are taken back chunk by chunk
    created: list[tuple[int, str | None]] = field(default_factory=list)
    already: list[tuple[int, str]] = field(default_factory=list)  # (row, reference)
    rejected: list[Rejection] = field(default_factory=list)
    dry_run: bool = False


def _column(error: CaseworkError, submission: Submission | None) -> str:
    """The question a service error is about, as `Label (path)`, or "" when none."""
    name = error.field or ""
    if name.startswith("parties-") and submission is not None:
        index, part = name.split("-")[1:3]
        group = submission.party_groups[int(index)]
        path = f"parties/partie_{group}/{PARTY_FIELDS.get(part, part)}"
    else:
        path = FIELD_PATHS.get(name, name)
    if not path:
        return ""
    label = question_labels().get(path)
    return f"{label} ({path})" if label else path


def _reason(error: CaseworkError, submission: Submission | None) -> str:
    column = _column(error, submission)
    return f"{column} : {error.message}" if column else str(error.message)


# -- the import -----------------------------------------------------------------------------

def _already(external_id: str) -> str | None:
    """The reference of the case this submission already opened, if any."""
    return db.session.scalar(
        select(Case.reference).join(IntakeRecord, IntakeRecord.case_id == Case.id)
        .where(IntakeRecord.source == SOURCE, IntakeRecord.external_id == external_id))


def record(actor, case, submission: Submission) -> IntakeRecord:
    # An enumerator's form is checked like an SMS before the case counts in the figures.
    intake = IntakeRecord(source=SOURCE, external_id=submission.external_id, case=case,
                          submitted_at=submission.submitted_at,
                          submitted_by=submission.submitted_by, imported_by_id=actor.id,
                          to_verify=True)
    db.session.add(intake)
    db.session.flush()
    return intake


def _unknown_commune(given: str, communes: Communes) -> InvalidInput:
    nearest = communes.nearest(given)
    if nearest:
        return InvalidInput(_l("No commune has the code or the name %(given)s. Did you mean: "
                               "%(nearest)s?", given=given[:30], nearest=named(nearest)),
                            field="commune")
    return InvalidInput(_l("No commune has the code %(code)s.", code=given[:20] or "—"),
                        field="commune")


def import_one(actor, number: int, values: dict, communes: Communes, report: ImportReport):
    """Take in one row, or say why not, in `report`; the row's savepoint takes back all of it."""
    submission = None
    try:
        submission = parse(values)
        reference = _already(submission.external_id)
        if reference is not None:
            report.already.append((number, reference))
            return
        commune = communes.find(submission.commune)
        if commune is None:
            raise _unknown_commune(submission.commune, communes)
        with db.session.begin_nested():  # the row's savepoint: a failure takes back all of it
            case = cases.report_case(actor, commune, submission.case)
            record(actor, case, submission)
        report.created.append((number, case.reference))
    except PossibleDuplicate as alike:  # the same conflict, already reported (by form, SMS...)
        report.rejected.append(Rejection(number, str(_l(
            "This conflict looks like %(reference)s, reported in the same commune a short while "
            "ago: it is not imported twice. If it is another conflict, report it with the "
            "form.", reference=alike.reference or "—"))))
    except CaseworkError as error:
        report.rejected.append(Rejection(number, _reason(error, submission)))
    except IntegrityError:  # the same submission, imported at the same moment by someone else
        report.rejected.append(Rejection(number, str(_l(
            "This submission was being imported at the same moment: import the file again "
            "to see it as already imported."))))


def import_submissions(actor, rows: Iterable[tuple[int, dict]], *,
                       progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Take in every row that is right, report the others; flushes, never commits."""
    rows = list(rows)
    report = ImportReport(total=len(rows))
    communes = Communes.load()
    for done, (number, values) in enumerate(rows, start=1):
        import_one(actor, number, values, communes, report)
        if progress is not None:
            progress(done, len(rows))
    events.record("intake.kobo_imported", actor=actor, created=len(report.created),
                  already=len(report.already), rejected=len(report.rejected))
    return report
