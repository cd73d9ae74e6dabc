"""What each kind of transition form asks for: the one registry of its fields, read by the
engine (the `form:` a definition may name), the page's form (casework/forms/transitions.py),
the service that checks and stores what it carries (services/transitions.py) and the API's
schema (api/request_schemas.py). A new kind of form is one entry here."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from .vocabulary import COFO_OUTCOMES, CONSENT_WAYS, CONSENTS, REFERRAL_TARGETS

# Every text a form carries is at most this long (the pages and the API alike).
MAX_TEXT = 10_000


@dataclass(frozen=True)
class FormField:
    name: str
    label: object  # a lazy string
    # "text": a paragraph; "line": a short text on one line (a number); "lines": one entry
    # per line (blank lines dropped); "choice": one of `choices`; "date": a day; "service":
    # the id of a service of the case's commune (the directory: its choices are the case's,
    # services/referrals.py checks it); "file": a file of the case (a PDF), checked and
    # stored as one (services/attachments.py), never kept on the event; the pages take it,
    # the API (JSON) does not.
    kind: str = "text"
    required: bool = False
    choices: Mapping | None = None
    max_length: int = MAX_TEXT


@dataclass(frozen=True)
class TransitionForm:
    fields: tuple[FormField, ...] = ()
    # Field -> the case's column it is also written to when the transition fires (a
    # proposal's fields go to the proposal instead).
    on_case: Mapping[str, str] = field(default_factory=dict)
    # A form that sends the case to the commune's service of this kind of the directory
    # (services/referrals.py), with no choice of service.
    service_kind: str | None = None

    @property
    def sends_referral(self) -> bool:
        return self.service_kind is not None or any(f.kind == "service" for f in self.fields)


NOTE_ON_CASE = {"note": "decision_note"}
COFO_RECORD = "cofo_record"

# What any referral asks of the survivor's or the parties' consent (services/referrals.py).
CONSENT_FIELDS = (
    FormField("consent", _l("Consent to share the parties' names with the service"),
              kind="choice", choices=CONSENTS),
    FormField("consent_by", _l("Consent given by (the survivor, the parties...)"),
              max_length=160),
    FormField("consent_how", _l("How the consent was given"), kind="choice",
              choices=CONSENT_WAYS),
    FormField("consent_on", _l("Date of the consent"), kind="date"),
)

TRANSITION_FORMS: dict[str | None, TransitionForm] = {
    # A transition with no `form:` asks for a confirmation only.
    None: TransitionForm(),
    "agreement": TransitionForm((
        FormField("agreement_text", _l("Terms of the agreement"), required=True),
        FormField("witnesses", _l("Witnesses (optional, one per line: name and village)"),
                  kind="lines", max_length=2000),
    )),
    "reason": TransitionForm((FormField("note", _l("Reason"), required=True),),
                             on_case=NOTE_ON_CASE),
    "note": TransitionForm((FormField("note", _l("Note (optional)")),), on_case=NOTE_ON_CASE),
    # To a service of the directory when the case's commune has one (services/referrals.py:
    # the service, the reason and the consent are then required, and the kind of service
    # gives the word); else, as before the directory, to a word of the fixed list.
    "referral": TransitionForm((
        FormField("service_id", _l("Service"), kind="service"),
        FormField("referral_target", _l("Referred to (when the commune has no service in the "
                                        "directory)"), kind="choice", choices=REFERRAL_TARGETS),
        FormField("note", _l("Reason for the referral")), *CONSENT_FIELDS,
    ), on_case={"referral_target": "referral_target", **NOTE_ON_CASE}),
    # A land case with no agreement, to the commune's land commission (COFO): the reason and
    # the consent, as any referral; the service is the commune's COFO.
    "cofo_referral": TransitionForm((
        FormField("note", _l("Reason for the referral")), *CONSENT_FIELDS,
    ), service_kind="cofo"),
    # The COFO's conciliation record (services/cofo.py checks it and keeps it).
    COFO_RECORD: TransitionForm((
        FormField("conciliation_date", _l("Date of the COFO's conciliation"), kind="date",
                  required=True),
        FormField("cofo_outcome", _l("Outcome of the conciliation"), kind="choice",
                  required=True, choices=COFO_OUTCOMES),
        FormField("pv_number", _l("Number of the COFO's record (PV): required when the "
                                  "conciliation is reached"), kind="line", max_length=60),
        FormField("note", _l("Observations (optional)")),
        FormField("pv_file", _l("The PV (PDF, optional, 10 MB at most)"), kind="file"),
    )),
}

# The names a definition's `form:` may use.
FORM_NAMES = tuple(name for name in TRANSITION_FORMS if name is not None)


def every_field() -> dict[str, list[tuple[str, FormField]]]:
    """Each field name, with the forms that ask for it (the API takes any of them; no file)."""
    found: dict[str, list[tuple[str, FormField]]] = {}
    for name, form in TRANSITION_FORMS.items():
        for f in form.fields:
            if f.kind == "file":
                continue
            found.setdefault(f.name, []).append((name, f))
    return found
