"""THE authorization module: which cases a user sees (a query filter), and can(user, action).

Every view, service and template asks here, so that the screen and the rule never disagree.

A commune's conflict-prevention mechanism (members, FFOM analyses, action plans, activities
carried out) follows these rules, asked as `can(user, action, commune_id=...)`:

- `view_mechanism`: everyone who holds a role in the commune (its mediators, mayor,
  traditional leaders and coordinators) sees all of it; without `commune_id`, whether the
  user sees any mechanism (the menu link);
- `record_mechanism`: the commune's mediators, who make up its reconciliation team, set the
  mechanism up and record its members, FFOM analyses, activities carried out and their files;
- `edit_plan`: its mediators and its coordinators write the action plans (objectives,
  activities, budgets, statuses, the cases a plan supports);
- `appreciate`: the mayor and the traditional leaders of the commune record their own
  appreciation of an activity, one per person and activity; only its author changes it
  (`may_change_appreciation`);
- administrators do no case work, so none of this; another commune's mechanism is a 404.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, event, false, func, inspect, or_, select

from workflows import Workflow

from .extensions import db
from .models import (
    Case,
    Commune,
    Membership,
    Proposal,
    Referral,
    ServiceFocalPoint,
    SignOff,
    TeamMember,
    User,
)
from .models.referral import ACCEPTED, DECLINED, SENT
from .workflow_registry import SERVICE_FOCAL_POINT, engine, signing_roles, workflow_of

COORDINATOR = "coordinator"
MEDIATOR = "mediator"
# Read-only: the programme report of the communes given, and nothing of any case (no page, list,
# search, export with names, API). Not a role of the case work: `roles_in` and `commune_ids`
# leave it out unless it is asked for by name.
DONOR = "donor"
# Who reads the programme report (/reports/programme): the coordination and the donors.
REPORT_ROLES = (COORDINATOR, DONOR)
# The commune's authorities, the mayor and the traditional leaders: they oversee its cases,
# watch its figures and appreciate its mechanism's activities. Who signs an agreement is not
# theirs to say here: it is the definitions' `signoffs` (workflow_registry.signing_roles).
LOCAL_AUTHORITIES = ("commune_authority", "traditional_leader")
# Who watches the figures: coordinators for their communes, mayors and chiefs for their own.
DASHBOARD_ROLES = (COORDINATOR, *LOCAL_AUTHORITIES)
# A service's focal point (a row of `service_focal_points`, not a membership: they hold no
# role in a commune, so no rule of the case work lets them see a case, a list or the
# figures): the referrals addressed to their service, and only what a referral shares; and
# the transitions whose `by:` names `service_focal_point`, on a case whose open referral is
# addressed to their service (`case_roles`: the COFO enters its conciliation record).


# -- what a user holds ---------------------------------------------------------------------

def _case_worker(user: User) -> bool:
    """Signed in, active, and not an administrator: administrators do no case work."""
    return user.is_authenticated and user.active and not user.is_admin


def _roles_by_commune(user: User) -> dict[int, frozenset[str]]:
    """The user's roles per commune, read once per loaded user: a page asks many times, and a
    coordinator of the whole country holds hundreds of roles, read as plain rows (not as
    entities) unless the session already holds them."""
    cached = getattr(user, "_palabre_roles", None)
    if cached is not None:
        return cached
    if "memberships" in inspect(user).dict:  # loaded, perhaps changed and not yet written
        pairs = [(m.commune_id, m.role) for m in user.memberships]
    else:
        pairs = db.session.execute(select(Membership.commune_id, Membership.role)
                                   .where(Membership.user_id == user.id)).all()
    by_commune: dict[int, set[str]] = {}
    for commune_id, role in pairs:
        by_commune.setdefault(commune_id, set()).add(role)
    user._palabre_roles = {c: frozenset(r) for c, r in by_commune.items()}
    return user._palabre_roles


def focal_services(user: User) -> frozenset[int]:
    """The services whose referrals `user` answers, read once per loaded user."""
    if not _case_worker(user):
        return frozenset()
    cached = getattr(user, "_palabre_services", None)
    if cached is None:
        cached = user._palabre_services = frozenset(db.session.scalars(
            select(ServiceFocalPoint.service_id).where(ServiceFocalPoint.user_id == user.id)))
    return cached


def holdings(user: User) -> tuple:
    """Everything the rules of this module read of `user`, as one hashable value: who they
    are, whether they may work, their roles per commune and their services. A clause built
    from a user serves again for equal holdings (queries/kept_statements.py keeps statements
    by them)."""
    return (user.id, user.is_authenticated, user.active, user.is_admin,
            frozenset(_roles_by_commune(user).items()), focal_services(user))


def referrals_clause(user: User):
    """A WHERE clause keeping the referrals addressed to the user's services."""
    services = focal_services(user)
    return Referral.service_id.in_(sorted(services)) if services else false()


@event.listens_for(User.memberships, "append")
@event.listens_for(User.memberships, "remove")
def _roles_changed(user, *_args):
    user._palabre_roles = None


@event.listens_for(User, "expire")
def _user_expired(user, attributes):
    if user is not None and (attributes is None or "memberships" in attributes):
        user._palabre_roles = None
    if user is not None and attributes is None:
        user._palabre_services = None


@event.listens_for(User, "refresh")
def _user_refreshed(user, _context, attributes):
    # Also sent when a query fills in columns of a user already loaded: only a reload of
    # everything, or of the roles, makes the index stale.
    if attributes is None or "memberships" in attributes:
        user._palabre_roles = None


def roles_in(user: User, commune_id: int) -> set[str]:
    """Roles `user` holds in the commune (a coordinator: the communes they cover)."""
    if not _case_worker(user):
        return set()
    return set(_roles_by_commune(user).get(commune_id, ())) - {DONOR}


def commune_ids(user: User, roles: tuple[str, ...] | None = None) -> set[int]:
    """Communes where the user holds any of `roles` (any case role when None)."""
    if not _case_worker(user):
        return set()
    held = _roles_by_commune(user)
    # Kept with the roles they were read from (a page asks often, and a coordinator of the
    # whole country holds hundreds): new roles are a new index, so never a stale answer.
    memo = getattr(user, "_palabre_commune_ids", None)
    if memo is None or memo[0] is not held:
        memo = user._palabre_commune_ids = (held, {})
    key = None if roles is None else frozenset(roles)
    found = memo[1].get(key)
    if found is None:
        if roles is None:
            found = frozenset(c for c, here in held.items() if here - {DONOR})
        else:
            found = frozenset(c for c, here in held.items() if not here.isdisjoint(roles))
        memo[1][key] = found
    return set(found)


# Beyond this many, a list of communes is read whole and kept in Python rather than asked for
# by an IN of as many parameters (a coordinator of the whole country covers 700).
MANY_COMMUNES = 100


def communes_in(ids) -> list:
    """These communes by name, as light rows (id, code, name, case_target) rather than
    entities: a coordinator may cover hundreds, and every page of theirs lists them."""
    if not ids:
        return []
    query = select(Commune.id, Commune.code, Commune.name, Commune.case_target)
    if len(ids) > MANY_COMMUNES:  # hundreds of parameters cost PostgreSQL more than the rows
        ids = set(ids)
        return [row for row in db.session.execute(query.order_by(Commune.name))
                if row[0] in ids]
    return list(db.session.execute(query.where(Commune.id.in_(sorted(ids)))
                                   .order_by(Commune.name)))


def visible_communes(user: User) -> list:
    return communes_in(commune_ids(user))


def dashboard_communes(user: User) -> set[int]:
    """Communes whose figures the user sees on the dashboard: a donor's communes when they
    hold no role of the case work (`figures_only`: the dashboard in figures-only form)."""
    if figures_only(user):
        return commune_ids(user, (DONOR,))
    return commune_ids(user, DASHBOARD_ROLES)


def report_communes(user: User) -> set[int]:
    """Communes whose figures the user reads in the programme report."""
    return commune_ids(user, REPORT_ROLES)


def figures_only(user: User) -> bool:
    """A donor who holds no role of the case work: the pages of FIGURES_ONLY_PAGES only."""
    return bool(commune_ids(user, (DONOR,))) and not commune_ids(user)


# What a figures-only user (`figures_only`) may open: the programme report, the dashboard and
# its monthly report in figures-only form (no case named or linked, small counts of people
# suppressed), their own account and sign-in pages, the home page; every other page and every
# API route is refused (403), whatever it would show them, so that no page added later leaks
# to them by mistake.
FIGURES_ONLY_PAGES = frozenset({
    "reports.programme", "reports.programme_xlsx", "reports.programme_pdf_file", "home.index",
    "dashboard.index", "dashboard.monthly",
    "static", "health.healthz",
    "auth.login", "auth.code", "auth.logout", "auth.password", "auth.language", "auth.messages",
    "two_factor.index", "two_factor.enrol", "two_factor.disable",
    "two_factor.recovery_codes",
})


def may_open(user: User, endpoint: str | None) -> bool:
    """Whether the page `endpoint` opens at all for `user` (each page then asks its own rule)."""
    return not figures_only(user) or endpoint in FIGURES_ONLY_PAGES


def reporting_communes(user: User) -> list:
    """Communes where the user may report a conflict: mediators and coordinators."""
    ids = commune_ids(user, (MEDIATOR, COORDINATOR))
    return [c for c in visible_communes(user) if c.id in ids]


# -- which cases -----------------------------------------------------------------------------

def commune_census() -> tuple[int, int | None]:
    """(how many communes, the highest id): what `in_communes` reads of the communes to
    choose its condition. Communes are added, never removed, so equal censuses mean the
    same communes."""
    return tuple(db.session.execute(select(func.count(), func.max(Commune.id))).one())


def in_communes(column, ids) -> list:
    """Conditions keeping the rows of `column` in the communes `ids` (none when empty).

    Written as the shorter of IN and NOT IN: a coordinator who covers every commune gets no
    condition at all (the database scans), a mayor gets `IN (one id)` (the database seeks).
    `ids` are ids of existing communes (they come from memberships).
    """
    ids = set(ids)
    if not ids:
        return [false()]
    total = db.session.scalar(select(func.count()).select_from(Commune))
    if len(ids) >= total:
        return []
    if 2 * len(ids) > total:
        others = db.session.scalars(select(Commune.id).where(Commune.id.not_in(sorted(ids))))
        return [column.not_in(sorted(others))]
    return [column.in_(sorted(ids))]


# A case merged into another (services/merges.py) is no longer a case of its own: nobody
# sees it as one (its reference leads to the case it was merged into), and no list, count or
# figure shows it (queries/checked.py).
UNMERGED = Case.merged_into_id.is_(None)


def visible_cases_clause(user: User):
    """A WHERE clause that keeps only the cases `user` may see; admin and strangers see none."""
    return and_(UNMERGED, *in_communes(Case.commune_id, commune_ids(user)))


def visible_cases(user: User):
    return select(Case).where(visible_cases_clause(user))


def worked_on_clause(user: User):
    """Cases the user works on ("Mon travail"): every case of the communes they oversee
    (coordinators, mayors, traditional leaders); a mediator's team cases, and the cases of
    their communes that have no team yet."""
    overseen = commune_ids(user, (COORDINATOR, *LOCAL_AUTHORITIES))
    mediated = commune_ids(user, (MEDIATOR,))
    clauses = []
    if overseen:
        clauses.append(Case.commune_id.in_(overseen))
    if mediated:
        clauses.append(and_(Case.commune_id.in_(mediated),
                            or_(Case.team.any(TeamMember.user_id == user.id), ~Case.team.any())))
    return or_(*clauses) if clauses else false()


def team_cases_clause(user: User):
    """Cases whose steps and visits fall to the user: their teams' cases, and every case of
    the communes they coordinate."""
    coordinated = commune_ids(user, (COORDINATOR,))
    return or_(Case.team.any(TeamMember.user_id == user.id),
               Case.commune_id.in_(coordinated) if coordinated else false())


def team_work_clause(user: User):
    """Cases whose mediation falls to the user ("Mon travail"'s team items): the cases whose
    team they are on, and the cases of the communes where they mediate that have no team yet
    (not a confidential one: only the coordination gives it a team)."""
    mediated = commune_ids(user, (MEDIATOR,))
    no_team = (and_(Case.commune_id.in_(mediated), ~Case.team.any(),
                    Case.confidential.is_(False)) if mediated else false())
    return or_(Case.team.any(TeamMember.user_id == user.id), no_team)


def team_to_set_clause(user: User):
    """Cases with no team yet that the user may give one (`assign_team`'s rule in SQL): in
    the communes they coordinate, all; in those where they mediate, the ones that are not
    confidential."""
    coordinated = commune_ids(user, (COORDINATOR,))
    mediated = commune_ids(user, (MEDIATOR,)) - coordinated
    clauses = []
    if coordinated:
        clauses.append(Case.commune_id.in_(coordinated))
    if mediated:
        clauses.append(and_(Case.commune_id.in_(mediated), Case.confidential.is_(False)))
    return and_(~Case.team.any(), or_(*clauses)) if clauses else false()


def find_case(user: User, reference: str, *, for_update: bool = False) -> Case | None:
    """The case with this reference if `user` may see it, else None (the caller answers 404).

    `for_update` locks the case's row until the transaction ends (PostgreSQL; SQLite ignores
    it, its write transactions begin IMMEDIATE and already run one at a time): a second request
    changing the same case waits, then reads the state the first one left.
    """
    query = visible_cases(user).where(Case.reference == reference)
    if for_update:
        query = query.with_for_update(of=Case).execution_options(populate_existing=True)
    return db.session.scalar(query)


# -- what a user is on one case -------------------------------------------------------------

def is_team_member(user: User, case: Case) -> bool:
    return user.is_authenticated and user.id in case.team_user_ids


def case_roles(user: User, case: Case) -> set[str]:
    """Roles `user` acts in on this case, as the workflow's `by:` lists name them.

    A mediator of the commune acts as mediator on a case whose team they are on, or on a case
    that has no team yet (to assign one, or refer the case before mediation starts).
    A focal point of the service the case's open referral is addressed to acts as
    `service_focal_point` (the only role they hold on a case: they still see none).
    """
    roles = roles_in(user, case.commune_id)
    if MEDIATOR in roles and case.team and not is_team_member(user, case):
        roles.discard(MEDIATOR)
    if focal_services(user):
        referral = open_referral(case)
        if referral is not None and _focal_point_of(user, referral):
            roles.add(SERVICE_FOCAL_POINT)
    return roles


def open_referral(case: Case) -> Referral | None:
    """The case's latest referral still waiting for its service (sent or accepted), if any."""
    if getattr(case, "id", None) is None:
        return None
    return db.session.scalar(
        select(Referral).where(Referral.case_id == case.id,
                               Referral.status.in_((SENT, ACCEPTED)))
        .order_by(Referral.id.desc()).limit(1))


def focal_transitions(user: User, referral: Referral) -> list:
    """The transitions the focal point `user` may fire now on the case `referral` sent, from
    the referral's page: those whose `by:` names `service_focal_point`, while `referral` is
    the case's open referral and addressed to their service."""
    case = referral.case
    if not _focal_point_of(user, referral) or open_referral(case) is not referral:
        return []
    return [t for t in offered_transitions(user, case) if SERVICE_FOCAL_POINT in t.by]


def team_candidates(case: Case):
    """A query for who may be on the case's team: the active mediators of its commune."""
    return (select(User).join(Membership)
            .where(Membership.commune_id == case.commune_id, Membership.role == MEDIATOR,
                   User.active.is_(True)))


def sees_identities(user: User, case: Case) -> bool:
    """Whether the parties' names and the facts of a case show to `user`.

    A confidential case (gender-based violence) shows them only to its coordinators, its
    team and the mediator who reported it.
    """
    if not can_view(user, case):
        return False
    if not case.confidential:
        return True
    return (COORDINATOR in roles_in(user, case.commune_id) or is_team_member(user, case)
            or case.created_by_id == user.id)


def requires_two_factor(user: User) -> bool:
    """Administrators, coordinators and donors of any commune must use a second factor."""
    return bool(user.is_admin or commune_ids(user, (COORDINATOR, DONOR)))


def can_view(user: User, case: Case) -> bool:
    return case.merged_into_id is None and bool(roles_in(user, case.commune_id))


def names_look_alike(user: User, case: Case) -> bool:
    """Whether "is it the same conflict as ...?" may name `case` to `user` (its reference and a
    link, never its parties nor facts): whoever may open it. Anyone else (the SMS gateway's
    account) is asked without a name."""
    return can_view(user, case)


def _works_on(user: User, case: Case) -> bool:
    """The case's team, and the coordinators of its commune."""
    return is_team_member(user, case) or COORDINATOR in roles_in(user, case.commune_id)


def _corrects(user: User, case: Case) -> bool:
    """The case's team and the coordinators of its commune; while it has no team yet, also
    the mediator of the commune who reported it (who typed what is to be corrected)."""
    if _works_on(user, case):
        return True
    return (not case.team and case.created_by_id == user.id
            and MEDIATOR in roles_in(user, case.commune_id))


def _sets_team(user: User, case: Case) -> bool:
    """A coordinator of the commune; a mediator of the commune on a case that is not
    confidential, when it has no team yet or they are on it. Never a mediator of the commune
    from outside the team: they would take the case over, or read a confidential one."""
    roles = roles_in(user, case.commune_id)
    if COORDINATOR in roles:
        return True
    return (MEDIATOR in roles and not case.confidential
            and (not case.team or is_team_member(user, case)))


def _reports(user: User, commune_id: int | None) -> bool:
    """The mediators and coordinators report conflicts, in their communes."""
    reporting = commune_ids(user, (MEDIATOR, COORDINATOR))
    return bool(reporting) if commune_id is None else commune_id in reporting


# -- can(user, action): the tables -----------------------------------------------------------

class UnknownAction(ValueError):
    """An action no table declares: a typo in a view or a template, never a refusal."""


@dataclass(frozen=True)
class Asked:
    """One question about a case: may `user` do the action on `case`, which follows
    `workflow` (with the trigger to fire, or the proposal to sign, the action names)."""

    user: User
    case: Case
    workflow: Workflow
    trigger: str | None = None
    proposal: Proposal | None = None

    @property
    def state(self):
        return self.workflow.state(self.case.status)

    @property
    def roles(self) -> set[str]:
        return roles_in(self.user, self.case.commune_id)

    def allows(self, activity: str) -> bool:
        return activity in self.state.allows


# Actions without a case: rule(user, commune_id); a `commune_id` of None asks "in any commune".
ACTIONS: dict[str, Callable[[User, int | None], bool]] = {
    "report": _reports,
    # The list of cases: anyone who holds a role in a commune.
    "browse": lambda user, _commune: bool(commune_ids(user)),
    # The dashboard's figures: coordinators, mayors and traditional leaders.
    "view_dashboard": lambda user, _commune: bool(dashboard_communes(user)),
    # The programme report, stripped of names: the coordination and the donors.
    "view_programme_report": lambda user, _commune: bool(report_communes(user)),
    # The list of referrals to answer: a service's focal points.
    "answer_referrals": lambda user, _commune: bool(focal_services(user)),
    # KoboToolbox / ODK files: the coordination's job.
    "import_submissions": lambda user, _commune: bool(commune_ids(user, (COORDINATOR,))),
    # The administration pages: administrators, who do no case work.
    "administer": lambda user, _commune: bool(user.is_authenticated and user.active
                                              and user.is_admin),
}

# Actions on a case: rule(asked), asked only of someone who sees the case (a role in its
# commune); anyone else is refused.
CASE_ACTIONS: dict[str, Callable[[Asked], bool]] = {
    "view": lambda asked: True,
    # The parties' names and the facts: on a confidential case, its coordinators, its team and
    # the mediator who reported it only.
    "see_identities": lambda asked: sees_identities(asked.user, asked.case),
    # The files show only to those who see the parties' names.
    "see_attachments": lambda asked: sees_identities(asked.user, asked.case),
    # The reconciliation team, while the case is open (see `_sets_team`).
    "assign_team": lambda asked: not asked.state.final and _sets_team(asked.user, asked.case),
    # A mediation step: the team and the coordinators, in a state that allows steps.
    "log_step": lambda asked: _works_on(asked.user, asked.case) and asked.allows("steps"),
    # A follow-up visit of the current agreement: the same, in a state that allows visits.
    "record_follow_up": lambda asked: (_works_on(asked.user, asked.case)
                                       and asked.allows("follow_ups")
                                       and asked.case.current_agreement is not None),
    # An SMS lead checked: the commune's mediators and coordinators, before the mediation.
    "verify_report": lambda asked: (asked.case.status == asked.workflow.initial
                                    and bool(asked.roles & {MEDIATOR, COORDINATOR})),
    # A file (the signed agreement, photos of the site, a COFO report): the team and the
    # coordinators, while the case is open.
    "attach": lambda asked: _works_on(asked.user, asked.case) and not asked.state.final,
    # A correction of what was recorded (facts, village, type, date, parties; a step, a
    # visit): the team and the coordinators, while the case is open. A closed, referred or
    # inadmissible case is the record as it was left: its team no longer rewrites it, only
    # its coordinators do (a misspelt name found on the signed record), with a reason.
    "correct": lambda asked: (COORDINATOR in asked.roles if asked.state.final
                              else _corrects(asked.user, asked.case)),
    # Lifting the confidentiality of a case (its type corrected away from gender-based
    # violence shows the names to the mayor and the chiefs): the coordinators only.
    "lift_confidentiality": lambda asked: (asked.case.confidential
                                           and COORDINATOR in asked.roles
                                           and not asked.state.final),
    # Moving the case to another commune: a coordinator, who must also cover the commune it
    # goes to (asked of `may_move_to`).
    "move_commune": lambda asked: COORDINATOR in asked.roles and not asked.state.final,
    # Merging this duplicate report into the case it repeats: a coordinator of its commune
    # (the case it goes into is asked of `may_merge_into`).
    "merge": lambda asked: COORDINATOR in asked.roles,
    # The partner organisation credited with the case (what the programme report counts per
    # partner): a coordinator of its commune, in any state.
    "credit_partner": lambda asked: COORDINATOR in asked.roles,
    # A pending proposal withdrawn: by the one who made it, while they still work on the case.
    "withdraw_proposal": lambda asked: bool(
        asked.proposal is not None and asked.proposal.status == "pending"
        and asked.proposal.proposed_by_id == asked.user.id
        and _works_on(asked.user, asked.case)),
    # A transition: offered to the roles held on this case, as the workflow's `by:` lists say.
    "fire": lambda asked: any(t.trigger == asked.trigger
                              for t in offered_transitions(asked.user, asked.case)),
    # A sign-off: in a role the proposal awaits (never one's own proposal, never twice).
    "sign_off": lambda asked: bool(asked.proposal is not None
                                   and signable_roles(asked.user, asked.proposal)),
    # Told by message that a follow-up visit is due: the team, who make the visit.
    "be_told_follow_up_due": lambda asked: is_team_member(asked.user, asked.case),
    # Told by message that the case is past its time limit: who can move it or decide about
    # it (its team, or the commune's mediators while it has none; its coordinators).
    "be_told_past_time_limit": lambda asked: bool(case_roles(asked.user, asked.case)
                                                  & {MEDIATOR, COORDINATOR}),
}


def _focal_point_of(user: User, referral: Referral) -> bool:
    return referral.service_id in focal_services(user)


# Actions on a referral, rule(user, referral): a service's focal points see and answer the
# referrals addressed to it, and nothing of the case but what the referral shares (its type,
# village, date, the reason). The referring team reads the referral on the case's page, under
# the case's own rules.
REFERRAL_ACTIONS: dict[str, Callable[[User, Referral], bool]] = {
    "view_referral": _focal_point_of,
    # Accepted or declined once, while it waits for an answer.
    "answer_referral": lambda user, referral: (_focal_point_of(user, referral)
                                               and referral.status == SENT),
    # What became of it, once accepted.
    "record_referral_outcome": lambda user, referral: (_focal_point_of(user, referral)
                                                       and referral.status == ACCEPTED),
    # The parties' names: only when consent to share them was given, whatever the case's
    # confidentiality (the survivor's consent is what lets the service know them), and never
    # to a service that declined it.
    "see_referral_names": lambda user, referral: (_focal_point_of(user, referral)
                                                  and referral.consent
                                                  and referral.status != DECLINED),
}


def can(user: User, action: str, case: Case | None = None, *, commune_id: int | None = None,
        trigger: str | None = None, proposal: Proposal | None = None,
        referral: Referral | None = None) -> bool:
    """Whether `user` may do `action` now, as the tables declare it; an action that no table
    declares raises UnknownAction. An action on a case is refused without a case, or on a
    case the user does not see; an action on a referral without one."""
    if action in REFERRAL_ACTIONS:
        return referral is not None and REFERRAL_ACTIONS[action](user, referral)
    if action in MECHANISM_ACTIONS:
        return can_on_mechanism(user, action, commune_id)
    if action in ACTIONS:
        return ACTIONS[action](user, commune_id)
    rule = CASE_ACTIONS.get(action)
    if rule is None:
        raise UnknownAction(action)
    if case is None or not can_view(user, case):
        return False
    return rule(Asked(user, case, workflow_of(case), trigger=trigger, proposal=proposal))


# -- the mechanisms (see the module's docstring) ---------------------------------------------

# Action -> the roles in the commune that allow it (None: any role).
MECHANISM_ACTIONS: dict[str, tuple[str, ...] | None] = {
    "view_mechanism": None,
    "record_mechanism": (MEDIATOR,),
    "edit_plan": (MEDIATOR, COORDINATOR),
    "appreciate": LOCAL_AUTHORITIES,
}


def can_on_mechanism(user: User, action: str, commune_id: int | None) -> bool:
    roles = MECHANISM_ACTIONS[action]
    if commune_id is None:
        return action == "view_mechanism" and bool(commune_ids(user))
    held = roles_in(user, commune_id)
    return bool(held) if roles is None else not held.isdisjoint(roles)


def mechanism_communes(user: User) -> set[int]:
    """Communes whose mechanism the user sees."""
    return commune_ids(user)


def may_change_appreciation(user: User, appreciation) -> bool:
    """Its author, while they still hold the role they gave it in."""
    commune_id = appreciation.activity.mechanism.commune_id
    return (appreciation.user_id == user.id
            and appreciation.role in roles_in(user, commune_id))


def move_targets(user: User, case: Case) -> list:
    """Communes a case may be moved to by `user`: the other communes they coordinate, when
    they may move it at all (a coordinator covering both communes)."""
    if not may_move(user, case):
        return []
    return communes_in(commune_ids(user, (COORDINATOR,)) - {case.commune_id})


def may_move(user: User, case: Case) -> bool:
    """Whether `move_targets` names any commune, without reading their names."""
    return (can(user, "move_commune", case)
            and bool(commune_ids(user, (COORDINATOR,)) - {case.commune_id}))


def may_move_to(user: User, case: Case, commune_id: int) -> bool:
    return (commune_id != case.commune_id and can(user, "move_commune", case)
            and COORDINATOR in roles_in(user, commune_id))


def may_merge_into(user: User, case: Case, kept: Case) -> bool:
    """Whether `user` may merge `case` into `kept`: another case of the same commune, open,
    with the same confidentiality (the names of a confidential case never join a case the
    mayor and the chiefs read, nor the reverse)."""
    return (kept.id != case.id and kept.commune_id == case.commune_id
            and kept.confidential == case.confidential
            and not workflow_of(kept).state(kept.status).final
            and can(user, "merge", case) and can(user, "view", kept))


def offered_transitions(user: User, case: Case):
    """The manual transitions `user` may fire on `case` now, as buttons on its page."""
    workflow = workflow_of(case)
    pending = case.pending_proposal
    return [t for t in workflow.offered(case, case.status, case_roles(user, case))
            if not (pending and pending.trigger == t.trigger)]


def signable_roles(user: User, proposal: Proposal) -> list[str]:
    """Roles in which `user` may sign this proposal now (never their own proposal, never twice)."""
    case = proposal.case
    if proposal.status != "pending" or proposal.proposed_by_id == user.id:
        return []
    if any(s.user_id == user.id for s in proposal.signoffs):
        return []
    held = roles_in(user, case.commune_id)
    return [role for role in proposal.awaited_roles if role in held]


def awaiting_my_signoff(user: User):
    """A query for pending proposals of visible cases where `user` holds an awaited role:
    the rule of `signable_roles`, in SQL, so that the menu can count them in one query."""
    roles = signing_roles()
    ids = commune_ids(user, roles)
    if not ids:
        return select(Proposal).where(false())
    workflows = engine().workflows()
    awaited = [and_(Case.commune_id.in_(held_in), Proposal.awaits(role, workflows))
               for role in roles if (held_in := commune_ids(user, (role,)))]
    signed = select(SignOff.id).where(SignOff.proposal_id == Proposal.id,
                                      SignOff.user_id == user.id)
    return (select(Proposal).join(Proposal.case)
            .where(Case.commune_id.in_(ids), Proposal.proposed_by_id != user.id,
                   ~signed.exists(), or_(*awaited))
            .order_by(Proposal.proposed_at))


# -- what a phone keeps for working offline ---------------------------------------------------

def _field_mediator(user: User) -> bool:
    """A mediator and nothing else: someone who also coordinates, signs off, answers for a
    service or administers sees pages that must never stay on a phone (it may be shared)."""
    if not _case_worker(user):
        return False
    held = _roles_by_commune(user).values()
    # A focal point's Mon travail lists referrals whose names the service may read.
    return bool(held) and set().union(*held) == {MEDIATOR} and not focal_services(user)


def _keeps_case(user: User, case: Case | None) -> bool:
    """A case of the mediator's own team, open and not confidential (gender-based violence
    is never kept: nothing of it may stay on a phone)."""
    return (case is not None and _field_mediator(user) and on_the_phone(case)
            and is_team_member(user, case) and not workflow_of(case).state(case.status).final)


# Page -> rule(user, case, lists_confidential): may the service worker keep that page, as the
# signed-in user saw it? Each kept page answers with the header `X-Palabre-Cache: keep`; any
# other page is never stored. `lists_confidential`: the page lists a confidential case.
OFFLINE_PAGES: dict[str, Callable[[User, Case | None, bool], bool]] = {
    # Mon travail and the form to report a conflict: a mediator's own.
    "my_work": lambda user, _case, _listed: _field_mediator(user),
    "report_form": lambda user, _case, _listed: _field_mediator(user),
    # The case list, while it names no confidential case.
    "case_list": lambda user, _case, listed: _field_mediator(user) and not listed,
    # A case of the team, and the forms the team fills in the village.
    "case": lambda user, case, _listed: _keeps_case(user, case),
    "step_form": lambda user, case, _listed: (_keeps_case(user, case)
                                              and can(user, "log_step", case)),
    "follow_up_form": lambda user, case, _listed: (_keeps_case(user, case)
                                                   and can(user, "record_follow_up", case)),
}


def on_the_phone(case: Case) -> bool:
    """Whether a form of `case` may be drafted or queued on the phone (static/js/drafts.js,
    queue.js): never one of a confidential case, of which nothing may stay on a phone."""
    return not case.confidential


def keep_offline(user: User, page: str, case: Case | None = None, *,
                 lists_confidential: bool = False) -> bool:
    """Whether the phone may keep `page` (an OFFLINE_PAGES name) for working offline."""
    rule = OFFLINE_PAGES.get(page)
    if rule is None:
        raise UnknownAction(page)
    return bool(rule(user, case, lists_confidential))
