"""The base of every form: each text field normalised to NFC, refused with a control character."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from flask_wtf.i18n import translations as wtforms_translations
from wtforms import Form, PasswordField, StringField
from wtforms.validators import ValidationError

from .. import kept_forms, plaintext


def _nfc(value):
    return plaintext.normalised(value) if isinstance(value, str) else value


def refuse_control_characters(_form, field) -> None:
    if isinstance(field.data, str) and plaintext.has_control(field.data):
        raise ValidationError(plaintext.REFUSED)


class TextMeta:
    """Binds every text field (StringField, TextAreaField, HiddenField...) with the rule of
    casework/plaintext.py; a password is taken exactly as typed (its hash depends on it)."""

    def bind_field(self, form, unbound_field, options):
        kind = unbound_field.field_class
        if issubclass(kind, StringField) and not issubclass(kind, PasswordField):
            given = unbound_field.kwargs
            options = dict(options, filters=[*given.get("filters", ()), _nfc],
                           validators=[*(given.get("validators") or ()),
                                       refuse_control_characters])
        return super().bind_field(form, unbound_field, options)


class TextForm(FlaskForm):
    """Every form of Palabre."""

    class Meta(TextMeta):
        def wrap_formdata(self, form, formdata):
            wrapped = super().wrap_formdata(form, formdata)
            if wrapped is None and formdata is _Auto:
                # Opened again after signing in: what was typed when the session ended.
                return kept_forms.restored_for(form)
            return wrapped


class SubForm(Form):
    """A group of fields repeated inside a form (a party of the intake form)."""

    class Meta(TextMeta):
        def get_translations(self, form):
            # A plain Form answers in English; these rows speak the reader's language like
            # every FlaskForm (Flask-WTF's translations of WTForms' messages).
            return wtforms_translations
