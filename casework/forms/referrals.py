"""A service's answer to a referral: accept, decline with a reason, record the outcome. Each
carries the referral's version, so that a second click or a colleague's answer is a 409."""
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from .base import TextForm
from .fields import VersionField

TEXT = Length(max=10000)


class ReferralForm(TextForm):
    version = VersionField()


class DeclineForm(ReferralForm):
    decline_reason = TextAreaField(_l("Why the service declines (the team refers elsewhere)"),
                                   validators=[DataRequired(), TEXT])


class OutcomeForm(ReferralForm):
    outcome = TextAreaField(_l("What the service did, and what became of the person"),
                            validators=[DataRequired(), TEXT])
