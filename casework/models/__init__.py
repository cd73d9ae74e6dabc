"""The domain model, one module per aggregate."""
from .action_plan import ActionPlan, PlannedActivity, action_plan_cases
from .attachment import Attachment
from .base import clock_at, utcnow
from .case import Case, CaseSearch, CaseStateEntry, TeamMember
from .commune import Commune
from .event import AppendOnlyError, Event
from .followup import FollowUp
from .intake import IntakeRecord
from .mechanism import FFOM_LISTS, FfomAnalysis, Mechanism, MechanismMember
from .mechanism_activity import ActivityFile, Appreciation, MechanismActivity
from .notification import Notification
from .party import Party
from .signoff import Proposal, SignOff
from .step import PARTICIPANTS, MediationStep
from .summary import ParticipationMonth
from .user import Membership, RecoveryCode, User

__all__ = [
    "FFOM_LISTS", "PARTICIPANTS", "ActionPlan", "ActivityFile", "AppendOnlyError",
    "Appreciation", "Attachment", "FfomAnalysis", "Mechanism", "MechanismActivity",
    "MechanismMember", "PlannedActivity", "action_plan_cases", "Case", "CaseSearch",
    "CaseStateEntry", "Commune", "Event", "FollowUp", "IntakeRecord", "MediationStep",
    "Membership", "Notification", "ParticipationMonth", "Party", "Proposal", "RecoveryCode",
    "SignOff", "TeamMember", "User", "clock_at", "utcnow",
]
