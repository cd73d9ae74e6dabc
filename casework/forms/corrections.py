"""Correcting what was recorded on a case: its facts and parties, a step, a visit; withdrawing
a proposal; moving a case to another commune. Each asks for its reason."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FieldList,
    FormField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from .. import vocabulary as v
from ..services.corrections import CaseCorrection, FollowUpCorrection
from .casework import TEXT, CaseForm, StepForm
from .fields import VersionField, choices
from .intake import MAX_PARTIES, PartyForm, named_parties


def reason_field():
    return TextAreaField(_l("Reason for the correction"),
                         validators=[DataRequired(), Length(max=2000)])


class CaseCorrectionForm(CaseForm):
    village = StringField(_l("Village or quarter"), validators=[DataRequired(), Length(max=160)])
    conflict_type = SelectField(_l("Type of conflict"),
                                choices=choices(v.CONFLICT_TYPES, _l("Choose...")),
                                validators=[DataRequired()])
    facts_date = DateField(_l("Date of the facts"), validators=[Optional()])
    description = TextAreaField(_l("What happened"), validators=[DataRequired(), TEXT])
    parties = FieldList(FormField(PartyForm), min_entries=1, max_entries=MAX_PARTIES)
    add_party = SubmitField(_l("Add a party"))
    reason = reason_field()
    submit = SubmitField(_l("Save the correction"))

    @classmethod
    def of(cls, case):
        """The form filled with what the case records now."""
        return cls(version=case.version, village=case.village,
                   conflict_type=case.conflict_type, facts_date=case.facts_date,
                   description=case.description,
                   parties=[{"name": p.name, "sex": p.sex, "age_group": p.age_group,
                             "kind": p.kind, "people_count": p.people_count}
                            for p in case.parties])

    def wants_another_party(self) -> bool:
        return bool(self.add_party.data) and len(self.parties) < MAX_PARTIES

    def to_input(self) -> CaseCorrection:
        return CaseCorrection(village=self.village.data, conflict_type=self.conflict_type.data,
                              facts_date=self.facts_date.data,
                              description=self.description.data,
                              parties=named_parties(self), reason=self.reason.data)


class StepCorrectionForm(StepForm):
    reason = reason_field()


class FollowUpCorrectionForm(CaseForm):
    visit_date = DateField(_l("Date of the visit"), validators=[InputRequired()])
    # Left out (a form opened before it could be corrected): as recorded.
    outcome = RadioField(_l("What the visit found"), choices=choices(v.FOLLOW_UP_OUTCOMES),
                         validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[TEXT])
    reason = reason_field()

    def to_input(self) -> FollowUpCorrection:
        return FollowUpCorrection(visit_date=self.visit_date.data, notes=self.notes.data,
                                  reason=self.reason.data, outcome=self.outcome.data)


class WithdrawForm(CaseForm):
    reason = TextAreaField(_l("Why the proposal is withdrawn"),
                           validators=[DataRequired(), Length(max=2000)])


class MoveForm(CaseForm):
    commune_id = SelectField(_l("Commune it belongs to"),
                             coerce=lambda value: int(value) if value else None,
                             validators=[InputRequired()])
    reason = TextAreaField(_l("Why it moves"), validators=[DataRequired(), Length(max=2000)])


class MergeForm(CaseForm):
    """Merging this case (a duplicate report) into the case it repeats; `version` is this
    case's, `kept_version` the kept one's, both as the page showed them."""

    into = StringField(_l("Reference of the case it repeats"),
                       validators=[DataRequired(), Length(max=24)],
                       render_kw={"autocapitalize": "characters", "spellcheck": "false"})
    kept_version = VersionField()
    reason = TextAreaField(_l("Why the two cases are one conflict"),
                           validators=[DataRequired(), Length(max=2000)])
