"""How much the SMS webhook takes in an hour: per sender, and cases opened per commune and overall.

Past a limit the gateway gets a polite answer and the message an event, but no case: forty
numbers sending forty messages no longer make forty cases. Each limit is a setting
(PALABRE_SMS_MAX_PER_HOUR, PALABRE_SMS_MAX_PER_COMMUNE_PER_HOUR, PALABRE_SMS_MAX_PER_HOUR_OVERALL).
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from ..clock import utcnow
from ..extensions import db
from ..models import Case, Commune, Event, IntakeRecord

SOURCE = "sms"
HOUR = timedelta(hours=1)


def sender_over(digest: str) -> bool:
    """Whether this sender (its digest) sent its hour's share of messages, whatever they held."""
    sent = db.session.scalar(
        select(func.count()).select_from(Event)
        .where(Event.kind == "sms.received", Event.created_at >= utcnow() - HOUR,
               Event.data["sender"].as_string() == digest))
    return sent >= current_app.config["SMS_MAX_PER_HOUR"]


def intake_over(commune: Commune) -> str | None:
    """"commune" or "overall" when that many cases were opened by SMS in the last hour (in
    this commune, or anywhere), else None."""
    opened = (select(func.count()).select_from(IntakeRecord)
              .where(IntakeRecord.source == SOURCE, IntakeRecord.imported_at >= utcnow() - HOUR))
    config = current_app.config
    here = opened.join(Case, Case.id == IntakeRecord.case_id).where(
        Case.commune_id == commune.id)
    if db.session.scalar(here) >= config["SMS_MAX_PER_COMMUNE_PER_HOUR"]:
        return "commune"
    if db.session.scalar(opened) >= config["SMS_MAX_PER_HOUR_OVERALL"]:
        return "overall"
    return None
