"""The intake form: reporting a conflict with its parties."""
import secrets

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from .. import vocabulary as v
from ..services.cases import CaseInput, PartyInput
from ..services.verification import VerifiedReport
from .base import SubForm, TextForm
from .fields import VersionField, choices, optional_count_field

MAX_PARTIES = 12


class PartyForm(SubForm):
    """One party; a row left without a name is ignored."""

    name = StringField(_l("Name of the person, family or group"), validators=[Length(max=160)])
    # No default: women's participation is counted, so nobody's sex is assumed.
    sex = SelectField(_l("Sex"), choices=choices(v.SEXES, _l("Choose...")), default="")
    age_group = SelectField(_l("Age group"), choices=choices(v.AGE_GROUPS, _l("Choose...")),
                            default="")
    kind = SelectField(_l("Kind of party"), choices=choices(v.PARTY_KINDS), default="person")
    people_count = IntegerField(_l("Number of people"), default=1,
                                validators=[Optional(), NumberRange(min=1, max=1000000)],
                                render_kw={"inputmode": "numeric", "min": 1})
    village = StringField(_l("Village (optional, if not the case's village)"),
                          validators=[Optional(), Length(max=160)])
    role = StringField(_l("Role in the conflict (optional)"),
                       validators=[Optional(), Length(max=120)],
                       render_kw={"placeholder": _l("e.g. complainant, family representative")})


def named_parties(form) -> list[PartyInput]:
    """The form's party rows that carry a name (a row left blank is ignored)."""
    return [PartyInput(name=p.form.name.data.strip(), sex=p.form.sex.data,
                       age_group=p.form.age_group.data, kind=p.form.kind.data,
                       people_count=p.form.people_count.data or 1,
                       village=(p.form.village.data or "").strip(),
                       role=(p.form.role.data or "").strip())
            for p in form.parties if (p.form.name.data or "").strip()]


def _one_time_token() -> str:
    return secrets.token_urlsafe(18)


class CaseForm(TextForm):
    # Drawn when the form is opened; the service reports one case per token.
    submission = HiddenField(default=_one_time_token, validators=[Optional(), Length(max=64)])
    commune_id = SelectField(_l("Commune"), coerce=int, validators=[InputRequired()])
    village = StringField(_l("Village or quarter"), validators=[DataRequired(), Length(max=160)])
    conflict_type = SelectField(_l("Type of conflict"),
                                choices=choices(v.CONFLICT_TYPES, _l("Choose...")),
                                validators=[DataRequired()])
    facts_date = DateField(_l("Date of the facts"), validators=[Optional()])
    description = TextAreaField(_l("What happened"), validators=[DataRequired(),
                                                                 Length(max=10000)])
    parties = FieldList(FormField(PartyForm), min_entries=2, max_entries=MAX_PARTIES)
    add_party = SubmitField(_l("Add a party"))
    violence = BooleanField(_l("There was violence"))
    injuries = optional_count_field(_l("People injured"))
    deaths = optional_count_field(_l("Deaths"))
    urgency = SelectField(_l("Urgency"), choices=choices(v.URGENCIES), default="normal")
    reporter_name = StringField(_l("Reported by"), validators=[DataRequired(), Length(max=160)])
    reporter_contact = StringField(_l("Contact of the person who reported (optional)"),
                                   validators=[Optional(), Length(max=80)],
                                   render_kw={"inputmode": "tel"})
    channel = SelectField(_l("Reported through"), choices=choices(
        {code: name for code, name in v.CHANNELS.items() if code not in v.INTAKE_CHANNELS}),
        default="in_person")
    submit = SubmitField(_l("Report the conflict"))
    # The answer to "is it the same conflict as ...?": no, report it.
    another_conflict = SubmitField(_l("No, it is another conflict: report it"))

    def wants_another_party(self) -> bool:
        return bool(self.add_party.data) and len(self.parties) < MAX_PARTIES

    def to_input(self) -> CaseInput:
        parties = named_parties(self)
        return CaseInput(
            village=self.village.data, conflict_type=self.conflict_type.data,
            facts_date=self.facts_date.data, description=self.description.data,
            parties=parties, violence=self.violence.data, injuries=self.injuries.data or 0,
            deaths=self.deaths.data or 0, urgency=self.urgency.data,
            reporter_name=self.reporter_name.data, reporter_contact=self.reporter_contact.data,
            channel=self.channel.data, submission=self.submission.data or None,
            another_conflict=bool(self.another_conflict.data))


class VerifyForm(TextForm):
    """Checking a report that came by SMS or KoboToolbox: the facts as confirmed, and the
    parties named."""

    version = VersionField()
    village = StringField(_l("Village or quarter"), validators=[DataRequired(), Length(max=160)])
    conflict_type = SelectField(_l("Type of conflict"),
                                choices=choices(v.CONFLICT_TYPES, _l("Choose...")),
                                validators=[DataRequired()])
    description = TextAreaField(_l("What happened"), validators=[DataRequired(),
                                                                 Length(max=10000)])
    parties = FieldList(FormField(PartyForm), min_entries=2, max_entries=MAX_PARTIES)
    add_party = SubmitField(_l("Add a party"))
    submit = SubmitField(_l("Confirm the report"))

    def wants_another_party(self) -> bool:
        return bool(self.add_party.data) and len(self.parties) < MAX_PARTIES

    def to_input(self) -> VerifiedReport:
        return VerifiedReport(village=self.village.data, conflict_type=self.conflict_type.data,
                              description=self.description.data, parties=named_parties(self))
