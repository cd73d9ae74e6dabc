"""Forms of a commune's mechanism: the mechanism, a member, an FFOM analysis, an action plan
and its activities, an activity carried out, its files, and an authority's appreciation."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from .. import vocabulary as v
from ..models import FFOM_LISTS
from ..services.action_plans import MAX_FCFA, PlanInput, PlannedInput
from ..services.mechanism_activities import ActivityInput
from ..services.mechanisms import AnalysisInput, MemberInput, lines
from .attachments import ACCEPT
from .base import TextForm
from .fields import VersionField, choices, count_field, optional_count_field, optional_id

TEXT = Length(max=10000)


def _text_or_blank(value) -> str:
    return "" if value in (None, "None") else str(value)


def fcfa_field(label, optional=False):
    return IntegerField(label, validators=[Optional() if optional else InputRequired(),
                                           NumberRange(min=0, max=MAX_FCFA)],
                        render_kw={"inputmode": "numeric", "min": 0})


class MechanismForm(TextForm):
    version = VersionField()
    name = StringField(_l("Name of the mechanism"), validators=[DataRequired(), Length(max=160)])
    set_up_on = DateField(_l("Date set up"), validators=[Optional()])


class MemberForm(TextForm):
    version = VersionField()
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=160)])
    # No default: women's participation is counted, so nobody's sex is assumed.
    sex = SelectField(_l("Sex"), choices=choices(v.MEMBER_SEXES, _l("Choose...")),
                      validators=[DataRequired()])
    age_group = SelectField(_l("Age group"),
                            choices=choices(v.MECHANISM_AGE_GROUPS, _l("Choose...")),
                            validators=[DataRequired()])
    function = SelectField(_l("Function in the mechanism"), choices=choices(v.MEMBER_FUNCTIONS),
                           default="member")
    user_id = SelectField(_l("Account in Palabre (optional)"), coerce=optional_id)
    joined_on = DateField(_l("Joined on (optional)"), validators=[Optional()])
    left_on = DateField(_l("Left on (only for a member who left)"), validators=[Optional()])

    def to_input(self) -> MemberInput:
        return MemberInput(full_name=self.full_name.data, sex=self.sex.data,
                           age_group=self.age_group.data, function=self.function.data,
                           user_id=self.user_id.data, joined_on=self.joined_on.data,
                           left_on=self.left_on.data)


class AnalysisForm(TextForm):
    version = VersionField()
    analysed_on = DateField(_l("Date of the analysis"), validators=[InputRequired()])
    strengths = TextAreaField(v.FFOM_LIST_LABELS["strengths"], validators=[TEXT])
    weaknesses = TextAreaField(v.FFOM_LIST_LABELS["weaknesses"], validators=[TEXT])
    opportunities = TextAreaField(v.FFOM_LIST_LABELS["opportunities"], validators=[TEXT])
    threats = TextAreaField(v.FFOM_LIST_LABELS["threats"], validators=[TEXT])
    women = count_field(_l("Women who took part"))
    men = count_field(_l("Men who took part"))
    facilitator = StringField(_l("Facilitated by (optional)"),
                              validators=[Optional(), Length(max=160)])
    notes = TextAreaField(_l("Notes (optional)"), validators=[Optional(), TEXT])

    def to_input(self) -> AnalysisInput:
        return AnalysisInput(
            analysed_on=self.analysed_on.data, strengths=lines(self.strengths.data),
            weaknesses=lines(self.weaknesses.data), opportunities=lines(self.opportunities.data),
            threats=lines(self.threats.data), women=self.women.data, men=self.men.data,
            facilitator=self.facilitator.data or "", notes=self.notes.data or "")

    @classmethod
    def correcting(cls, analysis) -> "AnalysisForm":
        """The form of a recorded analysis, its four lists one item per line."""
        values = {name: getattr(analysis, name) for name in
                  ("version", "analysed_on", "women", "men", "facilitator", "notes")}
        values.update({name: "\n".join(analysis.items(name)) for name in FFOM_LISTS})
        return cls(data=values)


class PlanForm(TextForm):
    version = VersionField()
    title = StringField(_l("Title of the plan"), validators=[DataRequired(), Length(max=160)])
    starts_on = DateField(_l("Start of the period"), validators=[InputRequired()])
    ends_on = DateField(_l("End of the period"), validators=[InputRequired()])
    objectives = TextAreaField(_l("Objectives"), validators=[DataRequired(), TEXT])
    case_ids = SelectMultipleField(_l("Conflicts the plan supports"), coerce=int,
                                   widget=ListWidget(prefix_label=False),
                                   option_widget=CheckboxInput())

    def to_input(self) -> PlanInput:
        return PlanInput(title=self.title.data, starts_on=self.starts_on.data,
                         ends_on=self.ends_on.data, objectives=self.objectives.data,
                         case_ids=list(self.case_ids.data or []))


class PlannedForm(TextForm):
    version = VersionField()
    title = StringField(_l("Activity"), validators=[DataRequired(), Length(max=160)])
    kind = SelectField(_l("Kind of activity"), choices=choices(v.ACTIVITY_KINDS))
    planned_on = DateField(_l("Planned date"), validators=[InputRequired()])
    budget = fcfa_field(_l("Budget (FCFA)"))
    status = SelectField(_l("Status"), choices=choices(v.PLANNED_STATUSES), default="planned")
    actual_cost = fcfa_field(_l("Actual cost (FCFA, optional, once done)"), optional=True)

    def to_input(self) -> PlannedInput:
        return PlannedInput(title=self.title.data, kind=self.kind.data,
                            planned_on=self.planned_on.data, budget=self.budget.data,
                            status=self.status.data, actual_cost=self.actual_cost.data)


class ActivityForm(TextForm):
    version = VersionField()
    planned_id = SelectField(_l("Activity of the action plan"), coerce=optional_id)
    held_on = DateField(_l("Date"), validators=[InputRequired()])
    kind = SelectField(_l("Kind of activity"), choices=choices(v.ACTIVITY_KINDS))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=160)])
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=160)])
    facilitators = StringField(_l("Facilitated by"), validators=[DataRequired(),
                                                                 Length(max=300)])
    young_women = count_field(v.REACHED["young_women"])
    women = count_field(v.REACHED["women"])
    elder_women = count_field(v.REACHED["elder_women"])
    young_men = count_field(v.REACHED["young_men"])
    men = count_field(v.REACHED["men"])
    elder_men = count_field(v.REACHED["elder_men"])
    summary = TextAreaField(_l("What was done and said"), validators=[DataRequired(), TEXT])
    actual_cost = fcfa_field(_l("Actual cost (FCFA, optional: the planned budget otherwise)"),
                             optional=True)
    # What the programme report counts (the choices of partners are set by the view).
    partner_id = SelectField(_l("Partner credited with the activity"), coerce=optional_id,
                             choices=[])
    women_groups = BooleanField(_l("Led by or supporting a women's group"))
    advocacy_outcome = SelectField(
        _l("Advocacy: the needs carried entered the PDSEC"),
        choices=choices(v.ADVOCACY_OUTCOMES, blank=_l("Not an advocacy session, or not yet known")),
        default="", coerce=_text_or_blank, validate_choice=False)  # checked by the service
    advocacy_document = StringField(_l("Advocacy: the document that says so (optional)"),
                                    validators=[Optional(), Length(max=300)])

    def authority_counts(self) -> list[tuple[str, str]]:
        return [(role, sex) for role, sex in AUTHORITY_FIELDS
                for _n in range(getattr(self, authority_field(role, sex)).data or 0)]

    def to_input(self) -> ActivityInput:
        return ActivityInput(
            held_on=self.held_on.data, kind=self.kind.data, title=self.title.data,
            place=self.place.data, facilitators=self.facilitators.data,
            summary=self.summary.data,
            planned_id=self.planned_id.data if "planned_id" in self else None,
            actual_cost=self.actual_cost.data if "actual_cost" in self else None,
            partner_id=self.partner_id.data, women_groups=bool(self.women_groups.data),
            advocacy_outcome=self.advocacy_outcome.data or None,
            advocacy_document=self.advocacy_document.data or "",
            authorities=self.authority_counts(),
            **{name: getattr(self, name).data for name in v.REACHED})


# The authorities present, counted by role and sex: one small number field each.
AUTHORITY_FIELDS = [(role, sex) for role in v.AUTHORITY_ROLES for sex in v.MEMBER_SEXES]


def authority_field(role: str, sex: str) -> str:
    return f"authorities_{role}_{sex}"


for _role, _sex in AUTHORITY_FIELDS:
    setattr(ActivityForm, authority_field(_role, _sex), optional_count_field(
        _l("%(role)s · %(sex)s", role=v.AUTHORITY_ROLES[_role], sex=v.MEMBER_SEXES[_sex])))


class ActivityCorrectionForm(ActivityForm):
    """An activity already recorded, corrected: the activity of the plan it carries out
    stays as it is."""
    planned_id = None


class ActivityFileForm(TextForm):
    file = FileField(_l("File (PDF, JPEG or PNG, 10 MB at most)"),
                     validators=[FileRequired(_l("Choose a file."))], render_kw={"accept": ACCEPT})
    kind = SelectField(_l("What it is"), choices=choices(v.ACTIVITY_FILE_KINDS),
                       default="photo")
    description = StringField(_l("Description (optional)"),
                              validators=[Optional(), Length(max=160)],
                              render_kw={"maxlength": 160})


class AppreciationForm(TextForm):
    version = VersionField()
    rating = RadioField(_l("Your appreciation"), choices=choices(v.RATINGS),
                        coerce=int, validators=[InputRequired()])
    comment = TextAreaField(_l("Your comment"), validators=[DataRequired(), Length(max=2000)])
