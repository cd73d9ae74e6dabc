"""The page's form of each kind of transition form, made from its entry in TRANSITION_FORMS
(casework/transition_forms.py): one field per entry, in order, checked as it says."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..services.transitions import TransitionInput
from ..transition_forms import TRANSITION_FORMS, FormField, TransitionForm
from .attachments import ACCEPT
from .casework import CaseForm
from .fields import choices, optional_id


class TransitionPageForm(CaseForm):
    """A transition's form: what its fields carry, for the service."""

    registered: TransitionForm = TRANSITION_FORMS[None]

    # Fields the page does not show (their value stays empty).
    skipped: frozenset = frozenset()

    @property
    def names_service(self) -> bool:
        return any(f.kind == "service" for f in self.registered.fields)

    def set_service_choices(self, services) -> None:
        """The services the case may be referred to, for a form that names one. With none
        in the directory, the form asks for the word of the fixed list only, as before it;
        with some, for the service, the reason and the consent, and no word."""
        named = [f.name for f in self.registered.fields if f.kind == "service"]
        for name in named:
            self[name].choices = [("", _l("Choose...")), *((s.id, s.name) for s in services)]
        if named and services:
            self.skipped = frozenset({"referral_target"})
        elif named:
            self.skipped = frozenset({*named, "consent", "consent_by", "consent_how",
                                      "consent_on"})

    @property
    def file_fields(self) -> list[str]:
        """Fields that take a file (the page sends the form as multipart)."""
        return [f.name for f in self.registered.fields if f.kind == "file"]

    def to_input(self) -> TransitionInput:
        """What the fields carry; a file field's upload is checked by the view
        (attachments.check_upload) and given to the input then."""
        return TransitionInput(**{f.name: self[f.name].data for f in self.registered.fields
                                  if f.kind != "file"})


def _field(f: FormField):
    needed = DataRequired() if f.required else Optional()
    if f.kind == "service":  # its choices are the case's commune's (set_service_choices)
        return SelectField(f.label, choices=[], coerce=optional_id, validate_choice=False,
                           validators=[needed])
    if f.kind == "date":
        return DateField(f.label, validators=[needed])
    if f.kind == "file":
        return FileField(f.label, render_kw={"accept": ACCEPT})
    if f.kind == "line":
        return StringField(f.label, validators=[needed, Length(max=f.max_length)],
                           render_kw={"maxlength": f.max_length})
    if f.kind == "choice":
        return SelectField(f.label, choices=choices(f.choices, _l("Choose...")),
                           validators=[needed])
    return TextAreaField(f.label, validators=[needed, Length(max=f.max_length)],
                         render_kw={"rows": 3} if f.kind == "lines" else None)


def _page_form(name: str | None, registered: TransitionForm) -> type[TransitionPageForm]:
    fields = {f.name: _field(f) for f in registered.fields}
    return type(f"{(name or 'confirm').title()}TransitionForm", (TransitionPageForm,),
                {"registered": registered, **fields})


PAGE_FORMS = {name: _page_form(name, registered)
              for name, registered in TRANSITION_FORMS.items()}
