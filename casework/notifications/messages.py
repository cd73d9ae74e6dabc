"""The text of every notification, in the person's language: a case reference, what to do and
a link, never a party's name nor the facts. `compose` is the only way to write one, and it
refuses a text that carries any name or words of the case."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..i18n import short_date
from ..models import Case
from ..vocabulary import REFERRAL_STATUSES, label
from ..workflow_registry import workflow_of

SMS_MAX = 160
# Shorter than this, a name or a word could be found inside ordinary words ("Ali", "Bah").
_SHORTEST_CHECKED = 4


class IdentityLeak(Exception):
    """A message would have carried a party's name or the facts of a case (never sent)."""


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


@dataclass(frozen=True)
class Facts:
    """All that a message may say about a case: nothing here is typed by a person."""
    reference: str
    path: str
    due: date | None = None
    days: str = ""
    state: str = ""
    answer: str = ""  # a referral's status (vocabulary.REFERRAL_STATUSES), for its label


def _link(path: str) -> str:
    base = (current_app.config.get("PALABRE_PUBLIC_URL") or "").rstrip("/")
    return f"{base}{path}"


def _path(endpoint: str, **values) -> str:
    return current_app.url_map.bind("palabre").build(endpoint, values)


def _what_to_do(kind: str, facts: Facts, link: str) -> tuple[str, str, str]:
    """(subject, body, SMS text) in the current language."""
    ref, when = facts.reference, short_date(facts.due)
    if kind == "signoff_awaited":
        return (_("Palabre: case %(reference)s awaits your sign-off", reference=ref),
                _("An agreement is proposed on case %(reference)s and awaits your sign-off. "
                  "Read it, then approve or reject it: %(link)s", reference=ref, link=link),
                _("Palabre: case %(reference)s awaits your sign-off. %(link)s",
                  reference=ref, link=link))
    if kind == "signoff_reminder":
        return (_("Palabre: reminder, case %(reference)s awaits your sign-off", reference=ref),
                _("Reminder: an agreement proposed on case %(reference)s still awaits your "
                  "sign-off. Read it, then approve or reject it: %(link)s",
                  reference=ref, link=link),
                _("Palabre: reminder, case %(reference)s awaits your sign-off. %(link)s",
                  reference=ref, link=link))
    if kind == "signoff_escalated":
        return (_("Palabre: the agreement of case %(reference)s awaits a signature",
                  reference=ref),
                _("The agreement proposed on case %(reference)s has awaited a signature for "
                  "more than %(days)s days. Call who must sign: %(link)s",
                  reference=ref, days=facts.days, link=link),
                _("Palabre: agreement of case %(reference)s unsigned for over %(days)s days. "
                  "%(link)s", reference=ref, days=facts.days, link=link))
    if kind == "proposal_rejected":
        return (_("Palabre: the agreement of case %(reference)s was rejected", reference=ref),
                _("The agreement proposed for case %(reference)s was rejected: open the case "
                  "to revise it or propose another. %(link)s", reference=ref, link=link),
                _("Palabre: the agreement proposed for case %(reference)s was rejected: open "
                  "the case. %(link)s", reference=ref, link=link))
    if kind == "follow_up_due":
        return (_("Palabre: follow-up visit due for case %(reference)s", reference=ref),
                _("The %(days)s-day follow-up visit of case %(reference)s is due on %(date)s. "
                  "Make the visit, then record it: %(link)s",
                  days=facts.days, reference=ref, date=when, link=link),
                _("Palabre: %(days)s-day visit of case %(reference)s due on %(date)s. %(link)s",
                  days=facts.days, reference=ref, date=when, link=link))
    if kind == "past_time_limit":
        return (_("Palabre: case %(reference)s is past its time limit", reference=ref),
                _("Case %(reference)s stays in the state \"%(state)s\" longer than its time "
                  "limit, passed on %(date)s. Take the next step, or note why it waits: "
                  "%(link)s", reference=ref, state=facts.state, date=when, link=link),
                _("Palabre: case %(reference)s past its time limit since %(date)s. %(link)s",
                  reference=ref, date=when, link=link))
    if kind == "removed_from_team":
        return (_("Palabre: you are no longer on the team of case %(reference)s",
                  reference=ref),
                _("You are no longer on the reconciliation team of case %(reference)s. If this "
                  "is a mistake, speak to the coordination of the commune: %(link)s",
                  reference=ref, link=link),
                _("Palabre: you are no longer on the team of case %(reference)s. %(link)s",
                  reference=ref, link=link))
    if kind == "referral_answered":
        answer = str(label(REFERRAL_STATUSES, facts.answer))
        return (_("Palabre: the service answered the referral of case %(reference)s",
                  reference=ref),
                _("The service answered the referral of case %(reference)s: %(answer)s. Open "
                  "the case to read it: %(link)s", reference=ref, answer=answer, link=link),
                _("Palabre: referral of case %(reference)s: %(answer)s. %(link)s",
                  reference=ref, answer=answer, link=link))
    raise ValueError(f"unknown notification kind {kind!r}")


def facts_of(kind: str, case: Case, *, proposal_id: int | None = None, due: date | None = None,
             days: str = "", answer: str = "", language: str = "fr") -> Facts:
    """The case's reference and the page where the person acts; nothing a person typed."""
    if kind in ("signoff_awaited", "signoff_reminder"):
        path = _path("cases.sign_off", reference=case.reference, proposal_id=proposal_id)
    else:
        path = _path("cases.show", reference=case.reference)
    state = workflow_of(case).state(case.status).label(language)
    return Facts(reference=case.reference, path=path, due=due, days=days, state=state,
                 answer=answer)


def compose(kind: str, channel: str, case: Case, facts: Facts, language: str) -> Message:
    """The message for one person on one channel, refused if it names anything of the case's
    parties or facts (raises IdentityLeak)."""
    with force_locale(language if language in current_app.config["LANGUAGES"] else "fr"):
        link = _link(facts.path)
        subject, body, sms = _what_to_do(kind, facts, link)
        if channel == "sms":
            if len(sms) > SMS_MAX:  # a long public address: the reference alone tells enough
                sms = _what_to_do(kind, facts, "")[2].rstrip()
            body = sms[:SMS_MAX]
        else:
            body = "\n\n".join([body, _(
                "You receive this message because your Palabre account carries this address. "
                "Do not answer it: open Palabre to act.")])
    refuse_identities(case, subject, body)
    return Message(subject=subject, body=body)


def _folded(text: str) -> str:
    """Lower case, without accents, apostrophes or punctuation: N'Golo and ngolo match."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = re.sub(r"['’`]", "", plain)
    return " ".join(re.findall(r"\w+", plain))


def sensitive_texts(case: Case) -> list[str]:
    """What a message must never carry: the parties' names, the reporter, the facts."""
    texts = [party.name for party in case.parties]
    texts += [case.reporter_name, case.reporter_contact or "", case.description,
              case.decision_note or ""]
    return [t for t in (_folded(t) for t in texts) if len(t) >= _SHORTEST_CHECKED]


def refuse_identities(case: Case, *texts: str) -> None:
    """Raise IdentityLeak if any of `texts` holds a name or the words of the case."""
    said = f" {_folded(' '.join(texts))} "
    for sensitive in sensitive_texts(case):
        if f" {sensitive} " in said:
            raise IdentityLeak(f"case {case.id}: a message would carry a name or the facts")
