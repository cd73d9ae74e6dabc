"""The domain model, one module per aggregate."""
from .action_plan import ActionPlan, PlannedActivity, action_plan_cases
from .api_token import ApiToken
from .attachment import Attachment
from .case import Case, CaseSearch, CaseStateEntry, TeamMember
from .cofo import CofoConciliation
from .commune import Commune
from .event import AppendOnlyError, Event
from .file_chunk import FileChunk
from .followup import FollowUp
from .former_reference import FormerReference
from .import_job import ImportJob, ImportOutcome
from .intake import IntakeRecord
from .kept_form import KeptForm
from .mechanism import FFOM_LISTS, FfomAnalysis, Mechanism, MechanismMember
from .mechanism_activity import (
    ActivityFile,
    ActivityPartner,
    Appreciation,
    AuthorityPresent,
    MechanismActivity,
)
from .notification import Notification, NotificationPreference
from .offline_submission import OfflineSubmission
from .partner import CasePartner, Partner
from .party import Party
from .referral import Referral
from .service import Service, ServiceFocalPoint
from .signoff import Proposal, SignOff
from .step import PARTICIPANTS, MediationStep
from .summary import (
    WAITING_ALWAYS,
    AgreementCheck,
    CaseMonth,
    CaseState,
    CaseTotal,
    EntryMonth,
    EntryState,
    LimitMonth,
    ParticipationMonth,
    PartyMonth,
    PartyTotal,
    TeamMonth,
    TeamTotal,
    WaitingDay,
    WaitingTotal,
)
from .user import Membership, RecoveryCode, User

__all__ = [
    "ActionPlan", "ActivityFile", "ActivityPartner", "ApiToken", "AppendOnlyError",
    "Appreciation", "Attachment", "AuthorityPresent", "Case", "CaseMonth", "CasePartner",
    "CaseSearch", "CaseState", "CaseTotal",
    "AgreementCheck", "EntryMonth", "EntryState", "TeamMonth", "TeamTotal",
    "LimitMonth", "WAITING_ALWAYS", "WaitingDay", "WaitingTotal",
    "CaseStateEntry", "CofoConciliation", "Commune", "Event", "FFOM_LISTS", "FileChunk",
    "FfomAnalysis", "FollowUp",
    "FormerReference", "ImportJob", "ImportOutcome", "IntakeRecord", "KeptForm", "Mechanism",
    "MechanismActivity", "MechanismMember", "MediationStep", "Membership", "Notification",
    "NotificationPreference", "OfflineSubmission", "PARTICIPANTS", "ParticipationMonth",
    "Partner", "Party", "PartyMonth", "PartyTotal",
    "PlannedActivity", "Proposal", "RecoveryCode", "Referral", "Service", "ServiceFocalPoint",
    "SignOff", "TeamMember", "User",
    "action_plan_cases",
]
