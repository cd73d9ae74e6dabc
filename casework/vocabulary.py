"""Coded values stored in the database, with the label each shows on screen."""
from flask_babel import lazy_gettext as _l

ROLES = {
    "mediator": _l("Mediator"),
    "commune_authority": _l("Mayor or deputy mayor"),
    "traditional_leader": _l("Traditional leader"),
    "coordinator": _l("Coordinator"),
}
CASE_ROLES = tuple(ROLES)

GBV = "gbv"
CONFLICT_TYPES = {
    "land": _l("Land"),
    "boundary": _l("Land boundaries"),
    "farmer_herder": _l("Farmers and herders"),
    "succession": _l("Succession or chieftaincy"),
    "inheritance": _l("Inheritance"),
    "family": _l("Family"),
    "natural_resources": _l("Natural resources (water, pasture, forest)"),
    "intercommunity": _l("Intercommunity"),
    GBV: _l("Gender-based violence"),
    "other": _l("Other"),
}

SEXES = {"F": _l("Woman"), "M": _l("Man"), "X": _l("Mixed or not applicable")}

AGE_GROUPS = {
    "child": _l("Child (under 15)"),
    "youth": _l("Young person (15-35)"),
    "adult": _l("Adult"),
    "elder": _l("Elder"),
    "mixed": _l("Mixed ages"),
}

PARTY_KINDS = {
    "person": _l("Person"),
    "family": _l("Family"),
    "group": _l("Group"),
    "community": _l("Community"),
}

URGENCIES = {"low": _l("Low"), "normal": _l("Normal"), "high": _l("High")}

CHANNELS = {
    "in_person": _l("In person"),
    "phone": _l("Phone"),
    "radio": _l("Radio"),
    "community_relay": _l("Community relay"),
    # Not offered on the intake screen: set by the importer and the SMS webhook (casework/intake).
    "kobo": _l("KoboToolbox / ODK form"),
    "sms": _l("SMS"),
}
# Channels only an intake from outside sets; the intake screen offers the others.
INTAKE_CHANNELS = ("kobo", "sms")

STEP_KINDS = {
    "meeting_one_party": _l("Meeting with one party"),
    "joint_session": _l("Joint session"),
    "field_visit": _l("Field visit"),
    "consultation": _l("Consultation of elders or authorities"),
    "other": _l("Other"),
}

FOLLOW_UP_OUTCOMES = {
    "respected": _l("Agreement respected"),
    "partly": _l("Agreement partly respected"),
    "broken": _l("Agreement broken"),
}

REFERRAL_TARGETS = {
    "justice": _l("Justice"),
    "sub_prefect": _l("Sub-prefect"),
    "cofo": _l("Land commission (COFO)"),
    "health": _l("Health services"),
    "psychosocial": _l("Psychosocial services"),
}

SIGNOFF_DECISIONS = {"approve": _l("Approve"), "reject": _l("Reject")}
# The same decisions once taken, as a case's page shows them.
SIGNOFF_OUTCOMES = {"approve": _l("approved"), "reject": _l("rejected")}

PROPOSAL_STATUSES = {
    "pending": _l("Waiting for sign-offs"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "cancelled": _l("Cancelled"),
}


def label(vocabulary: dict, code):
    """The label of a code, or the code itself when it is unknown (never an error on screen)."""
    if code is None:
        return ""
    return vocabulary.get(code, code)
