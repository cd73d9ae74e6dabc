"""Forms to sign in, change one's password and language."""
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from .base import TextForm
from .fields import options


class LoginForm(TextForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})


class PasswordForm(TextForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(_l("New password (at least 10 characters)"),
                                 validators=[DataRequired(), Length(min=10, max=256)],
                                 render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("New password again"),
                            validators=[DataRequired(), EqualTo("new_password",
                                        message=_l("The two passwords differ."))],
                            render_kw={"autocomplete": "new-password"})


class LanguageForm(TextForm):
    language = SelectField(_l("Language"), choices=options([("fr", "Français"), ("en", "English")]))


class MessagesForm(TextForm):
    """Which messages the person gets, as "kind:channel" values (checkboxes, no script)."""

    wanted = SelectMultipleField(_l("Messages I receive"), choices=[], validate_choice=True)

    def __init__(self, kinds, channels, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.wanted.choices = [(f"{kind}:{channel}", f"{kind}:{channel}") for kind in kinds
                               for channel in channels]

    def pairs(self) -> set[tuple[str, str]]:
        return {tuple(value.split(":", 1)) for value in self.wanted.data or ()}


class CodeForm(TextForm):
    """A two-factor code: six digits from the app, or a recovery code."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)],
                       render_kw={"autocomplete": "one-time-code", "autocapitalize": "characters",
                                  "autocorrect": "off", "spellcheck": "false"})
