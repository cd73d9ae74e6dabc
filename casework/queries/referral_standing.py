"""THE rule of where a referral stood at a moment: answered or not, late or not, its outcome
recorded or not, as SQL expressions. The dashboard's answers (figures.referrals) and the
referral figures and export (referral_figures.py) read them here, so that "late" means one
thing everywhere: no answer by `moment`, and the answer's day (`answer_by`, a Bamako day)
passed at it. An answer or an outcome given after `moment` does not count yet."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_

from ..clock import local
from ..models import Referral
from ..models.referral import DECLINED


def answered(moment: datetime):
    return and_(Referral.answered_at.is_not(None), Referral.answered_at <= moment)


def declined(moment: datetime):
    return and_(answered(moment), Referral.status == DECLINED)


def accepted(moment: datetime):
    """Answered yes by `moment`, whatever came of it since."""
    return and_(answered(moment), Referral.status != DECLINED)


def outcome_recorded(moment: datetime):
    return and_(Referral.outcome_at.is_not(None), Referral.outcome_at <= moment)


def late(moment: datetime):
    """No answer by `moment`, and the day it was due by gone at it."""
    return and_(~answered(moment), Referral.answer_by < local(moment).date())


def sent_by(moment: datetime):
    return Referral.referred_at <= moment
