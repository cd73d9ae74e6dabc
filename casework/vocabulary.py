"""Coded values stored in the database, with the label each shows on screen."""
from flask_babel import lazy_gettext as _l

ROLES = {
    "mediator": _l("Mediator"),
    "commune_authority": _l("Mayor or deputy mayor"),
    "traditional_leader": _l("Traditional leader"),
    "coordinator": _l("Coordinator"),
    # A donor's or partner's officer: the programme report of the communes given, nothing else.
    "donor": _l("Donor or partner (figures only)"),
}
# The roles the workflows name; a donor does no case work.
CASE_ROLES = ("mediator", "commune_authority", "traditional_leader", "coordinator")

GBV = "gbv"
CONFLICT_TYPES = {
    "land": _l("Land"),
    "boundary": _l("Land boundaries"),
    "farmer_herder": _l("Farmers and herders"),
    "succession": _l("Succession or chieftaincy"),
    "inheritance": _l("Inheritance"),
    "family": _l("Family dispute"),
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

# The kinds of service in the directory a case is referred to (models/service.py).
SERVICE_KINDS = {
    "health_centre": _l("Health centre"),
    "police": _l("Police or gendarmerie"),
    "legal_aid": _l("Legal aid clinic"),
    "social_development": _l("Social development service"),
    "psychosocial": _l("Psychosocial support"),
    "cofo": _l("Land commission (COFO)"),
    "tribunal": _l("Tribunal"),
    "other": _l("Other"),
}

# What the land commission (COFO) made of a land case referred to it (models/cofo.py).
COFO_OUTCOMES = {"reached": _l("Conciliation reached"),
                 "failed": _l("Conciliation failed (the parties may go to the tribunal)")}

# The consent to share the parties' names with the service referred to.
CONSENTS = {"given": _l("Given"), "refused": _l("Not given: no names shared")}
CONSENT_WAYS = {"oral": _l("Oral"), "written": _l("Written")}
REFERRAL_STATUSES = {
    "sent": _l("Sent, awaiting the service's answer"),
    "accepted": _l("Accepted by the service"),
    "declined": _l("Declined by the service"),
    "outcome_recorded": _l("Outcome recorded"),
}
# The same, as the dashboard counts them at the end of a period (queries/figures.py).
REFERRAL_ANSWERS = {
    "sent": _l("Awaiting the service's answer"),
    "late": _l("Not answered in time"),
    "accepted": _l("Accepted, outcome awaited"),
    "declined": _l("Declined"),
    "outcome_recorded": _l("Outcome recorded"),
}
# The counts of the referral figures (queries/referral_figures.py), as their tables head them.
REFERRAL_MEASURES = {
    "sent": _l("Sent"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "unanswered": _l("Without an answer"),
    "late": _l("Late"),
    "in_time": _l("Answered in time"),
    "outcome_recorded": _l("Outcome recorded"),
}

SIGNOFF_DECISIONS = {"approve": _l("Approve"), "reject": _l("Reject")}
# The same decisions once taken, as a case's page shows them.
SIGNOFF_OUTCOMES = {"approve": _l("approved"), "reject": _l("rejected")}

PROPOSAL_STATUSES = {
    "pending": _l("Waiting for sign-offs"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "cancelled": _l("Cancelled"),
    "withdrawn": _l("Withdrawn by its proposer"),
}


# The messages people may receive by e-mail or SMS, as their account page names them
# (services/notifications.py sends them; each person chooses which, per channel).
MESSAGE_KINDS = {
    "signoff_awaited": _l("An agreement awaits my sign-off"),
    "signoff_reminder": _l("Reminder of an agreement still awaiting my sign-off"),
    "signoff_escalated": _l("An agreement of my communes long awaits a signature"),
    "proposal_rejected": _l("An agreement I proposed, or of my team, is rejected"),
    "follow_up_due": _l("A follow-up visit is due"),
    "past_time_limit": _l("A case is past its time limit"),
    "removed_from_team": _l("I am taken off a case's team"),
    "referral_answered": _l("A service answered a referral of my case"),
}
MESSAGE_CHANNELS = {"email": _l("E-mail"), "sms": _l("SMS")}


def label(vocabulary: dict, code):
    """The label of a code, or the code itself when it is unknown (never an error on screen)."""
    if code is None:
        return ""
    return vocabulary.get(code, code)


# -- the mechanisms (casework/models/mechanism.py) -----------------------------------------

# The age groups of a mechanism's members and of the people its activities reach: the
# youth, adult and elder groups of AGE_GROUPS, so that every count reads the same way.
MECHANISM_AGE_GROUPS = {code: AGE_GROUPS[code] for code in ("youth", "adult", "elder")}
MEMBER_SEXES = {"F": SEXES["F"], "M": SEXES["M"]}

MEMBER_FUNCTIONS = {
    "president": _l("President"),
    "vice_president": _l("Vice-president"),
    "secretary": _l("Secretary"),
    "treasurer": _l("Treasurer"),
    "mediator": _l("Mediator of the reconciliation team"),
    "women_representative": _l("Women's representative"),
    "youth_representative": _l("Youth representative"),
    "religious_leader": _l("Religious leader"),
    "customary_leader": _l("Customary leader"),
    "member": _l("Member"),
}

ACTIVITY_KINDS = {
    "training": _l("Training"),
    "ffom_session": _l("FFOM analysis session"),
    "awareness": _l("Awareness session"),
    "advocacy": _l("Advocacy with the communal authorities"),
    "mediation_support": _l("Support to mediation"),
    "other": _l("Other"),
}

# Whether the needs an advocacy session carried (of women, girls, older people) entered the
# communal development plan (PDSEC).
ADVOCACY_OUTCOMES = {
    "yes": _l("Carried into the PDSEC"),
    "partly": _l("Partly carried into the PDSEC"),
    "no": _l("Not carried into the PDSEC"),
}

# The authorities present at an activity, counted by role and sex (never named).
AUTHORITY_ROLES = {
    "mayor": _l("Mayor or deputy mayor"),
    "councillor": _l("Communal councillor"),
    "village_chief": _l("Village chief"),
    "customary_leader": _l("Customary or religious leader"),
    "administration": _l("State administration (sub-prefect...)"),
}

PLANNED_STATUSES = {
    "planned": _l("Planned"),
    "done": _l("Done"),
    "cancelled": _l("Cancelled"),
}

# The people an activity reached, by sex and by the age groups of MECHANISM_AGE_GROUPS.
REACHED = {
    "young_women": _l("Young women and girls (15-35)"),
    "women": _l("Adult women"),
    "elder_women": _l("Elderly women"),
    "young_men": _l("Young men and boys (15-35)"),
    "men": _l("Adult men"),
    "elder_men": _l("Elderly men"),
}
REACHED_WOMEN = ("young_women", "women", "elder_women")
REACHED_YOUTH = ("young_women", "young_men")
REACHED_ELDERS = ("elder_women", "elder_men")

ACTIVITY_FILE_KINDS = {
    "photo": _l("Photo"),
    "attendance_sheet": _l("Attendance sheet"),
    "report": _l("Report"),
    "other": _l("Other"),
}

# The appreciation an authority gives of an activity, from 1 to 4.
RATINGS = {
    1: _l("1 · Not satisfactory"),
    2: _l("2 · Fair"),
    3: _l("3 · Good"),
    4: _l("4 · Very good"),
}

# The four lists of an FFOM analysis (forces, faiblesses, opportunités, menaces).
FFOM_LIST_LABELS = {
    "strengths": _l("Strengths"),
    "weaknesses": _l("Weaknesses"),
    "opportunities": _l("Opportunities"),
    "threats": _l("Threats"),
}
