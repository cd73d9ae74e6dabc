"""The domain model, one module per aggregate."""
from .attachment import Attachment
from .base import clock_at, utcnow
from .case import Case, CaseSearch, CaseStateEntry, TeamMember
from .commune import Commune
from .event import AppendOnlyError, Event
from .followup import FollowUp
from .intake import IntakeRecord
from .notification import Notification
from .party import Party
from .signoff import Proposal, SignOff
from .step import PARTICIPANTS, MediationStep
from .summary import ParticipationMonth
from .user import Membership, RecoveryCode, User

__all__ = [
    "PARTICIPANTS", "AppendOnlyError", "Attachment", "Case", "CaseSearch", "CaseStateEntry",
    "Commune", "Event", "FollowUp", "IntakeRecord", "MediationStep", "Membership",
    "Notification", "ParticipationMonth", "Party", "Proposal", "RecoveryCode", "SignOff",
    "TeamMember", "User", "clock_at", "utcnow",
]
