"""Conflicts reported by SMS: `CONFLIT <code commune> <village>, <texte>` opens a reported case
marked "à vérifier"; anything else is answered with the syntax. Rate-limited per sender.

The sender is authenticated by the gateway (its shared secret, checked by the view), not by an
account: cases are opened by a system account that holds no role and cannot sign in. The
event log keeps a keyed digest of the sender's number, never the number itself.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..extensions import db
from ..models import Case, Commune, Event, IntakeRecord, User, utcnow
from ..services import cases, events
from ..services.cases import CaseInput

SOURCE = "sms"
KEYWORD = "conflit"
SYSTEM_USERNAME = "palabre-sms"
# A village is rarely more than a few words: past this, the comma was the text's own.
VILLAGE_MAX_WORDS = 4
MAX_BODY = 1600  # ten concatenated SMS
SYNTAX = _l("To report a conflict, write: CONFLIT <commune code> <village>, <what happened>. "
            "Example: CONFLIT BGN Kola, two families claim the same field.")


@dataclass
class Message:
    commune_code: str
    village: str
    text: str


@dataclass
class Answer:
    outcome: str  # created, syntax, unknown_commune, throttled
    message: str
    reference: str | None = None


def parse(body: str) -> Message | None:
    """The report an SMS holds, or None when it does not follow the syntax.

    The village is the text up to the first comma; without a comma (or when what comes before
    it is longer than a village's name), the village is the word after the code.
    """
    words = " ".join((body or "")[:MAX_BODY].split())
    parts = words.split(" ", 2)
    if len(parts) < 3 or parts[0].rstrip(":").casefold() != KEYWORD:
        return None
    code, rest = parts[1].upper(), parts[2]
    before, comma, after = rest.partition(",")
    if comma and 0 < len(before.split()) <= VILLAGE_MAX_WORDS:
        village, text = before.strip(), after.strip()
    else:
        village, _, text = rest.partition(" ")
    if not re.fullmatch(r"[A-Z]{2,6}", code) or not village or not text.strip(" ,.") \
            or len(village) > 160:
        return None
    return Message(code, village.strip(" ,"), text.strip())


def sender_digest(sender: str) -> str:
    """The sender as the event log keeps it: a keyed digest, the same for every message."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, sender.encode(), hashlib.sha256).hexdigest()[:32]


def recent_messages(digest: str) -> int:
    since = utcnow() - timedelta(hours=1)
    return db.session.scalar(
        select(func.count()).select_from(Event)
        .where(Event.kind == "sms.received", Event.created_at >= since,
               Event.data["sender"].as_string() == digest))


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


def _already(message_id: str) -> str | None:
    return db.session.scalar(
        select(Case.reference).join(IntakeRecord, IntakeRecord.case_id == Case.id)
        .where(IntakeRecord.source == SOURCE, IntakeRecord.external_id == message_id))


def _open(sender: str, commune: Commune, message: Message, message_id: str) -> Case:
    actor = system_account()
    case = cases.open_case(actor, commune, CaseInput(
        village=message.village, conflict_type="other", description=message.text,
        reporter_name=sender, reporter_contact=sender[:80], channel=SOURCE, parties=[]))
    db.session.add(IntakeRecord(source=SOURCE, external_id=message_id, case=case,
                                submitted_at=utcnow(), imported_by_id=actor.id,
                                to_verify=True))
    db.session.flush()
    return case


def receive(sender: str, body: str, message_id: str | None, gateway: str) -> Answer:
    """Answer one inbound SMS (flushes, never commits); every message is an event."""
    digest = sender_digest(sender)
    message_id = (message_id or "")[:80] or uuid.uuid4().hex
    if recent_messages(digest) >= current_app.config["SMS_MAX_PER_HOUR"]:
        answer = Answer("throttled", str(_l(
            "Too many messages from this number: wait an hour, or call your commune's "
            "mediator.")))
    elif (reference := _already(message_id)) is not None:  # the gateway sent it again
        answer = Answer("created", _thanks(reference), reference)
    elif (message := parse(body)) is None:
        answer = Answer("syntax", str(SYNTAX))
    elif (commune := db.session.scalar(select(Commune).where(
            Commune.code == message.commune_code))) is None:
        answer = Answer("unknown_commune", str(_l("The commune code %(code)s is unknown.",
                                                  code=message.commune_code)) + " " + str(SYNTAX))
    else:
        case = _open(sender, commune, message, message_id)
        answer = Answer("created", _thanks(case.reference), case.reference)
    events.record("sms.received", sender=digest, gateway=gateway, outcome=answer.outcome,
                  reference=answer.reference)
    return answer


def _thanks(reference: str) -> str:
    return str(_l("Thank you. Your report is saved as %(reference)s; a mediator will call you "
                  "back to check it.", reference=reference))
