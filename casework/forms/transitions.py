"""The page's form of each kind of transition form, made from its entry in TRANSITION_FORMS
(casework/transition_forms.py): one field per entry, in order, checked as it says."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..services.transitions import TransitionInput
from ..transition_forms import TRANSITION_FORMS, FormField, TransitionForm
from .casework import CaseForm
from .fields import choices


class TransitionPageForm(CaseForm):
    """A transition's form: what its fields carry, for the service."""

    registered: TransitionForm = TRANSITION_FORMS[None]

    def to_input(self) -> TransitionInput:
        return TransitionInput(**{f.name: self[f.name].data for f in self.registered.fields})


def _field(f: FormField):
    needed = DataRequired() if f.required else Optional()
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
