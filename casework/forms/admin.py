"""Administration forms: a user's account and profile, their roles, a commune, plain buttons."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from .. import vocabulary as v
from ..services.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from .base import TextForm
from .fields import choices, options

SEX_CHOICES = options([("F", v.SEXES["F"]), ("M", v.SEXES["M"])], blank=_l("Not given"))
LANGUAGE_CHOICES = options([("fr", "Français"), ("en", "English")])


class ProfileForm(TextForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=160)])
    sex = SelectField(_l("Sex"), choices=SEX_CHOICES, coerce=lambda x: x or "", default="")
    phone = StringField(_l("Phone (optional)"), validators=[Optional(), Length(max=40)],
                        render_kw={"inputmode": "tel", "autocomplete": "off"})
    email = StringField(_l("E-mail (optional, for notifications)"),
                        validators=[Optional(), Length(max=254)],
                        render_kw={"inputmode": "email", "autocomplete": "off",
                                   "autocapitalize": "none", "spellcheck": "false"})
    is_admin = BooleanField(_l("Administrator (users, communes, workflows; no case work)"))


class NewUserForm(ProfileForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)],
                           render_kw={"autocapitalize": "none", "autocomplete": "off",
                                      "spellcheck": "false"})
    # Typed by the administrator and handed to the person, who must change it at first
    # sign-in. Like every password field, it is never written back into a page.
    password = PasswordField(
        _l("First password (at least %(n)d characters)", n=MIN_PASSWORD_LENGTH),
        validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH),
                    Length(min=MIN_PASSWORD_LENGTH,
                           message=_l("The password needs at least %(n)d characters.",
                                      n=MIN_PASSWORD_LENGTH))],
        render_kw={"autocomplete": "new-password"})
    language = SelectField(_l("Language of the screens"), choices=LANGUAGE_CHOICES,
                           default="fr")


class RoleForm(TextForm):
    """Give one role in one commune; `held` is the set of (commune_id, role) already held."""

    commune_id = SelectField(_l("Commune"), coerce=int)
    role = SelectField(_l("Role"), choices=choices(v.ROLES))

    def __init__(self, *args, held=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.held = held

    def validate_role(self, field):
        if (self.commune_id.data, field.data) in self.held:
            raise ValidationError(_l("This person already holds this role in this commune."))


class CommuneForm(TextForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    code = StringField(_l("Code (2 to 6 capital letters, used in case references)"),
                       validators=[DataRequired(), Length(max=6)],
                       render_kw={"autocapitalize": "characters", "spellcheck": "false"})
    cercle = StringField(_l("Cercle"), validators=[DataRequired(), Length(max=120)])
    region = StringField(_l("Region"), validators=[DataRequired(), Length(max=120)])
    case_target = IntegerField(
        _l("Target: distinct conflicts the team takes on"), default=2,
        validators=[InputRequired(), NumberRange(min=0, max=1000)],
        render_kw={"inputmode": "numeric", "min": 0})


class ButtonForm(TextForm):
    """A form that is only a button: remove a role, disable, enable, reset a password."""


class UpgradeForm(TextForm):
    # The dry run the administrator read: the upgrade runs only while it is still the same
    # (so the form cannot run twice, nor move cases that changed since it was read).
    fingerprint = HiddenField(validators=[DataRequired(), Length(max=64)])
    confirm = BooleanField(_l("I have read the dry run: move these cases to the new version"),
                           validators=[DataRequired(_l("Tick the box to confirm."))])


class PartnerForm(TextForm):
    code = StringField(_l("Code (AMSS, ARGA...)"), validators=[DataRequired(), Length(max=16)],
                       render_kw={"autocapitalize": "characters", "spellcheck": "false"})
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])


class ServiceForm(TextForm):
    """A service of the directory; `commune_id`'s choices are the communes, set by the view."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    kind = SelectField(_l("Kind of service"), choices=choices(v.SERVICE_KINDS))
    commune_id = SelectField(_l("Commune"), coerce=int)
    contact = StringField(_l("Contact (phone, address, hours)"),
                          validators=[Optional(), Length(max=300)])
    active = BooleanField(_l("Active (offered for new referrals)"), default=True)


class FocalPointForm(TextForm):
    username = StringField(_l("Username of the focal point"),
                           validators=[DataRequired(), Length(max=80)],
                           render_kw={"autocapitalize": "none", "autocomplete": "off",
                                      "spellcheck": "false"})
