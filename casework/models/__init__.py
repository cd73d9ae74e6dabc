"""The domain model, one module per aggregate."""
from .api_token import ApiToken
from .attachment import Attachment
from .base import clock_at, utcnow
from .case import Case, CaseSearch, CaseStateEntry, TeamMember
from .commune import Commune
from .event import AppendOnlyError, Event
from .followup import FollowUp
from .party import Party
from .signoff import Proposal, SignOff
from .step import PARTICIPANTS, MediationStep
from .summary import ParticipationMonth
from .user import Membership, RecoveryCode, User

__all__ = [
    "PARTICIPANTS", "ApiToken", "AppendOnlyError", "Attachment", "Case", "CaseSearch",
    "CaseStateEntry",
    "Commune", "Event", "FollowUp", "MediationStep", "Membership", "ParticipationMonth", "Party",
    "Proposal", "RecoveryCode", "SignOff", "TeamMember", "User", "clock_at", "utcnow",
]
