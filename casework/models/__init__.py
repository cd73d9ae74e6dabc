"""The domain model, one module per aggregate."""
from .action_plan import ActionPlan, PlannedActivity, action_plan_cases
from .api_token import ApiToken
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
    "FFOM_LISTS", "PARTICIPANTS", "ActionPlan", "ActivityFile", "ApiToken", "AppendOnlyError",
    "Appreciation", "Attachment", "Case", "CaseSearch", "CaseStateEntry", "Commune", "Event",
    "FfomAnalysis", "FollowUp", "IntakeRecord", "Mechanism", "MechanismActivity",
    "MechanismMember", "MediationStep", "Membership", "Notification", "ParticipationMonth",
    "Party", "PlannedActivity", "Proposal", "RecoveryCode", "SignOff", "TeamMember", "User",
    "action_plan_cases", "clock_at", "utcnow",
]
