"""Conflicts reported by SMS: `CONFLIT <commune> <village>, <texte>` opens a reported case
marked "à vérifier", the commune given by its code or its name (with or without accents, in
any case: intake/communes.py); an unknown commune is answered with the nearest names, anything
else with the syntax. Rate-limited per sender, and
the cases opened per commune and overall (sms_limits.py).

The message is authenticated by the gateway (sms_gateways.py, checked by the view), not by an
account: cases are opened by a system account that holds no role and cannot sign in. The
event log keeps a digest of the sender's number keyed with its own key (SMS_DIGEST_KEY),
never the number itself; a gateway's message id counts only with its sender.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import plaintext
from ..clock import utcnow
from ..errors import PossibleDuplicate
from ..extensions import db
from ..models import Case, Commune, IntakeRecord, User
from ..services import cases, events
from ..services.cases import CaseInput
from . import sms_limits
from .communes import Communes, named
from .sms_limits import SOURCE

KEYWORD = "conflit"
SYSTEM_USERNAME = "palabre-sms"
# A village is rarely more than a few words: past this, the comma was the text's own.
VILLAGE_MAX_WORDS = 4
MAX_BODY = 1600  # ten concatenated SMS
SYNTAX = _l("To report a conflict, write: CONFLIT <commune name or code> <village>, <what "
            "happened>. Example: CONFLIT Bougouni Kola, two families claim the same field.")
# A commune as typed: letters (accented too), with hyphens or apostrophes (Wassoulou-Ballé).
COMMUNE_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@dataclass
class Message:
    commune: str  # as typed: a code or a name
    village: str
    text: str


@dataclass
class Answer:
    outcome: str  # created, duplicate, syntax, unknown_commune, or one of HELD_BACK
    message: str
    reference: str | None = None


# A sender past its hour's share; the hour's cases of its commune, or of all, already opened.
HELD_BACK = ("throttled", "busy")


def parse(body: str, commune_words: int = 1) -> Message | None:
    """The report an SMS holds, or None when it does not follow the syntax.

    The commune is the next `commune_words` words after the keyword (a name may have two:
    "Wassoulou Ballé"). The village is the text up to the first comma; without a comma (or
    when what comes before it is longer than a village's name), the village is the word after
    the commune.
    """
    words = " ".join((body or "")[:MAX_BODY].split())
    parts = words.split(" ", 1 + commune_words)
    if len(parts) < 2 + commune_words or parts[0].rstrip(":").casefold() != KEYWORD:
        return None
    code, rest = " ".join(parts[1:1 + commune_words]), parts[-1]
    before, comma, after = rest.partition(",")
    if comma and 0 < len(before.split()) <= VILLAGE_MAX_WORDS:
        village, text = before.strip(), after.strip()
    else:
        village, _, text = rest.partition(" ")
    if not all(COMMUNE_WORD.fullmatch(word) for word in code.split()) or len(code) > 60 \
            or not village or not text.strip(" ,.") or len(village) > 160:
        return None
    return Message(code, village.strip(" ,"), text.strip())


def sender_digest(sender: str) -> str:
    """The sender as the event log keeps it: a keyed digest, the same for every message."""
    key = current_app.config["SMS_DIGEST_KEY"].encode()
    return hmac.new(key, sender.encode(), hashlib.sha256).hexdigest()[:32]


def message_key(digest: str, message_id: str) -> str:
    """The gateway's message id with its sender: the same id from another number is another
    message (a gateway's ids are unique for it, not for whoever forges one)."""
    return f"{digest[:24]}:{message_id[:55]}"


def system_account() -> User:
    """The account SMS cases are reported by: inactive, no role, no usable password."""
    user = db.session.scalar(select(User).where(User.username == SYSTEM_USERNAME))
    if user is None:
        # "!" is no hash at all: no password ever matches it (werkzeug answers False).
        user = User(username=SYSTEM_USERNAME, full_name="Passerelle SMS",
                    password_hash="!", active=False, language="fr")  # nosec B106  # see above
        db.session.add(user)
        db.session.flush()
    return user


def _already(key: str) -> str | None:
    return db.session.scalar(
        select(Case.reference).join(IntakeRecord, IntakeRecord.case_id == Case.id)
        .where(IntakeRecord.source == SOURCE, IntakeRecord.external_id == key))


def _open(sender: str, commune: Commune, message: Message, key: str) -> Case:
    actor = system_account()
    case = cases.report_case_unchecked(actor, commune, CaseInput(
        village=message.village, conflict_type="other", description=message.text,
        reporter_name=sender, reporter_contact=sender[:80], channel=SOURCE, parties=[]))
    db.session.add(IntakeRecord(source=SOURCE, external_id=key, case=case,
                                submitted_at=utcnow(), imported_by_id=actor.id,
                                to_verify=True))
    db.session.flush()
    return case


def receive(sender: str, body: str, message_id: str | None, gateway: str) -> Answer:
    """Answer one inbound SMS (flushes, never commits); every message is an event.

    Control characters are removed from what was sent (casework/plaintext.py): nobody can be
    asked to type the message again.
    """
    sender, body = plaintext.cleaned(sender).strip(), plaintext.cleaned(body or "")
    digest = sender_digest(sender)
    key = message_key(digest, plaintext.cleaned(message_id or "") or uuid.uuid4().hex)
    held_by = None
    if sms_limits.sender_over(digest):
        answer = Answer("throttled", str(_l(
            "Too many messages from this number: wait an hour, or call your commune's "
            "mediator.")))
    elif (reference := _already(key)) is not None:  # the gateway sent it again
        answer = Answer("created", _thanks(reference), reference)
    elif (message := parse(body)) is None:
        answer = Answer("syntax", str(SYNTAX))
    elif (found := _commune(body, message)) is None:
        answer = Answer("unknown_commune", _unknown(message.commune, Communes.load()))
    elif (held_by := sms_limits.intake_over(commune := found[0])) is not None:
        answer = Answer("busy", str(_l(
            "Many reports are arriving at the moment: yours is not saved. Send it again in an "
            "hour, or call your commune's mediator.")))
    else:
        try:
            case = _open(sender, commune, found[1], key)
            answer = Answer("created", _thanks(case.reference), case.reference)
        except PossibleDuplicate as alike:
            answer = _sent_before(sender, alike.case)
    events.record("sms.received", sender=digest, gateway=gateway, outcome=answer.outcome,
                  reference=answer.reference, **({"limit": held_by} if held_by else {}))
    return answer


def _commune(body: str, message: Message) -> tuple[Commune, Message] | None:
    """The commune the message names (one word, or a name of two), with the message read
    around it."""
    communes = Communes.load()
    if (commune := communes.find(message.commune)) is not None:
        return commune, message
    longer = parse(body, commune_words=2)
    if longer is not None and (commune := communes.find(longer.commune)) is not None:
        return commune, longer
    return None


def _unknown(given: str, communes: Communes) -> str:
    nearest = communes.nearest(given)
    if nearest:
        return str(_l("No commune is called %(given)s. Did you mean: %(nearest)s? Send your "
                      "message again with the right name.", given=given[:30],
                      nearest=named(nearest)))
    return str(_l("No commune is called %(given)s.", given=given[:30])) + " " + str(SYNTAX)


def _sent_before(sender: str, alike: Case) -> Answer:
    """The same facts, in the same commune, a short while ago (casework/queries/duplicates.py):
    not a second case. Its reference is told only to the number that sent it."""
    if alike.channel == SOURCE and alike.reporter_contact == sender[:80]:
        return Answer("duplicate", _thanks(alike.reference), alike.reference)
    return Answer("duplicate", str(_l(
        "A report like this one was received a short while ago: it is not saved twice. A "
        "mediator of the commune will check it.")))


def _thanks(reference: str) -> str:
    return str(_l("Thank you. Your report is saved as %(reference)s; a mediator will call you "
                  "back to check it.", reference=reference))
