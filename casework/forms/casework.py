"""Forms on a case: team, mediation step, follow-up visit, sign-off (each transition's form is
made from its registry entry, in forms/transitions.py)."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from .. import vocabulary as v
from ..services.followups import FollowUpInput
from ..services.steps import StepInput
from .base import TextForm
from .fields import VersionField, choices, count_field, optional_id

TEXT = Length(max=10000)


class CaseForm(TextForm):
    """Any form that changes a case carries the version it was opened on."""

    version = VersionField()


class TeamForm(CaseForm):
    members = SelectMultipleField(_l("Mediators of the team"), coerce=int,
                                  widget=ListWidget(prefix_label=False),
                                  option_widget=CheckboxInput())


class PartnerForm(CaseForm):
    # The choices (the active partners) are set by the view.
    partner_id = SelectField(_l("Partner credited with the case"), coerce=optional_id,
                             choices=[])


class StepForm(CaseForm):
    step_date = DateField(_l("Date"), validators=[InputRequired()])
    kind = SelectField(_l("Kind of step"), choices=choices(v.STEP_KINDS))
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=160)])
    # Four separate counts: a young woman is counted once, under young women only.
    women = count_field(_l("Women (over 35)"))
    men = count_field(_l("Men (over 35)"))
    young_women = count_field(_l("Young women (15-35)"))
    young_men = count_field(_l("Young men (15-35)"))
    summary = TextAreaField(_l("What was said and done"), validators=[DataRequired(), TEXT])
    outcome = TextAreaField(_l("Outcome"), validators=[TEXT])
    next_step = TextAreaField(_l("Next step (optional)"), validators=[Optional(), TEXT])
    next_step_date = DateField(_l("Date of the next step"), validators=[Optional()])

    def to_input(self) -> StepInput:
        return StepInput(step_date=self.step_date.data, kind=self.kind.data,
                         place=self.place.data, summary=self.summary.data,
                         women=self.women.data, men=self.men.data,
                         young_women=self.young_women.data, young_men=self.young_men.data,
                         outcome=self.outcome.data, next_step=self.next_step.data,
                         next_step_date=self.next_step_date.data)


class FollowUpForm(CaseForm):
    milestone_days = SelectField(_l("Visit"), coerce=lambda x: int(x) if x else None)
    visit_date = DateField(_l("Date of the visit"), validators=[InputRequired()])
    outcome = RadioField(_l("What the visit found"), choices=choices(v.FOLLOW_UP_OUTCOMES),
                         validators=[InputRequired()])
    notes = TextAreaField(_l("Notes"), validators=[TEXT])

    def to_input(self) -> FollowUpInput:
        return FollowUpInput(visit_date=self.visit_date.data, outcome=self.outcome.data,
                             milestone_days=self.milestone_days.data, notes=self.notes.data)


class SignOffForm(CaseForm):
    decision = RadioField(_l("Your decision"), choices=choices(v.SIGNOFF_DECISIONS),
                          validators=[InputRequired()])
    comment = TextAreaField(_l("Comment (required to reject)"), validators=[TEXT])
