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

from sqlalchemy import and_, event, false, func, inspect, or_, select, true

from .extensions import db
from .models import Case, Commune, Membership, Proposal, SignOff, User
from .workflow import engine, workflow_of

COORDINATOR = "coordinator"
MEDIATOR = "mediator"
SIGNING_ROLES = ("commune_authority", "traditional_leader")
# Who watches the figures: coordinators for their communes, mayors and chiefs for their own.
DASHBOARD_ROLES = (COORDINATOR, *SIGNING_ROLES)


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


@event.listens_for(User.memberships, "append")
@event.listens_for(User.memberships, "remove")
def _roles_changed(user, *_args):
    user._palabre_roles = None


@event.listens_for(User, "expire")
def _user_expired(user, attributes):
    if user is not None and (attributes is None or "memberships" in attributes):
        user._palabre_roles = None


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
    return set(_roles_by_commune(user).get(commune_id, ()))


def commune_ids(user: User, roles: tuple[str, ...] | None = None) -> set[int]:
    """Communes where the user holds any of `roles` (any case role when None)."""
    if not _case_worker(user):
        return set()
    held = _roles_by_commune(user)
    if roles is None:
        return set(held)
    return {commune for commune, here in held.items() if not here.isdisjoint(roles)}


def communes_in(ids) -> list:
    """These communes by name, as light rows (id, code, name, case_target) rather than
    entities: a coordinator may cover hundreds, and every page of theirs lists them."""
    if not ids:
        return []
    return list(db.session.execute(
        select(Commune.id, Commune.code, Commune.name, Commune.case_target)
        .where(Commune.id.in_(sorted(ids))).order_by(Commune.name)))


def visible_communes(user: User) -> list:
    return communes_in(commune_ids(user))


def dashboard_communes(user: User) -> set[int]:
    """Communes whose figures the user sees on the dashboard."""
    return commune_ids(user, DASHBOARD_ROLES)


def reporting_communes(user: User) -> list:
    """Communes where the user may report a conflict: mediators and coordinators."""
    ids = commune_ids(user, (MEDIATOR, COORDINATOR))
    return [c for c in visible_communes(user) if c.id in ids]


# -- which cases -----------------------------------------------------------------------------

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


def visible_cases_clause(user: User):
    """A WHERE clause that keeps only the cases `user` may see; admin and strangers see none."""
    return and_(true(), *in_communes(Case.commune_id, commune_ids(user)))


def visible_cases(user: User):
    return select(Case).where(visible_cases_clause(user))


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
    """
    roles = roles_in(user, case.commune_id)
    if MEDIATOR in roles and case.team and not is_team_member(user, case):
        roles.discard(MEDIATOR)
    return roles


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


def can_view(user: User, case: Case) -> bool:
    return bool(roles_in(user, case.commune_id))


def _works_on(user: User, case: Case) -> bool:
    """The case's team, and the coordinators of its commune."""
    return is_team_member(user, case) or COORDINATOR in roles_in(user, case.commune_id)


def _state_allows(case: Case, activity: str) -> bool:
    return activity in workflow_of(case).state(case.status).allows


def can(user: User, action: str, case: Case | None = None, *, commune_id: int | None = None,
        trigger: str | None = None, proposal: Proposal | None = None) -> bool:
    """Whether `user` may do `action` now. Unknown actions are refused."""
    if action in MECHANISM_ACTIONS:
        return can_on_mechanism(user, action, commune_id)
    if action == "report":  # in `commune_id`, or in any commune when None
        reporting = commune_ids(user, (MEDIATOR, COORDINATOR))
        return bool(reporting) if commune_id is None else commune_id in reporting
    if action == "browse":
        return bool(commune_ids(user))
    if action == "view_dashboard":
        return bool(dashboard_communes(user))
    if action == "import_submissions":  # KoboToolbox / ODK files: the coordination's job
        return bool(commune_ids(user, (COORDINATOR,)))
    if action == "administer":
        return user.is_authenticated and user.active and user.is_admin
    if case is None or not can_view(user, case):
        return False
    workflow = workflow_of(case)
    state = workflow.state(case.status)
    if action == "view":
        return True
    if action == "see_identities":
        return sees_identities(user, case)
    if action == "assign_team":
        roles = roles_in(user, case.commune_id)
        return not state.final and bool(roles & {MEDIATOR, COORDINATOR})
    if action == "log_step":
        return _works_on(user, case) and _state_allows(case, "steps")
    if action == "record_follow_up":
        return (_works_on(user, case) and _state_allows(case, "follow_ups")
                and case.current_agreement is not None)
    if action == "verify_report":  # an SMS lead: the commune's mediators and coordinators
        roles = roles_in(user, case.commune_id)
        return case.status == workflow.initial and bool(roles & {MEDIATOR, COORDINATOR})
    if action == "attach":  # the signed agreement, photos of the site, a COFO report
        return _works_on(user, case) and not state.final
    if action == "see_attachments":  # files show only to those who see the parties' names
        return sees_identities(user, case)
    if action == "fire":
        return any(t.trigger == trigger for t in offered_transitions(user, case))
    if action == "sign_off":
        return bool(proposal is not None and signable_roles(user, proposal))
    return False


# -- the mechanisms (see the module's docstring) ---------------------------------------------

# Action -> the roles in the commune that allow it (None: any role).
MECHANISM_ACTIONS: dict[str, tuple[str, ...] | None] = {
    "view_mechanism": None,
    "record_mechanism": (MEDIATOR,),
    "edit_plan": (MEDIATOR, COORDINATOR),
    "appreciate": SIGNING_ROLES,
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
    ids = commune_ids(user, SIGNING_ROLES)
    if not ids:
        return select(Proposal).where(false())
    signed = select(SignOff.id).where(SignOff.proposal_id == Proposal.id)
    awaited = []
    for role in SIGNING_ROLES:
        held_in = commune_ids(user, (role,))
        if held_in:
            awaited.append(and_(Case.commune_id.in_(held_in), _needs_signoff_by(role),
                                ~signed.where(SignOff.role == role).exists()))
    return (select(Proposal).join(Proposal.case)
            .where(Proposal.status == "pending", Case.commune_id.in_(ids),
                   Proposal.proposed_by_id != user.id,
                   ~signed.where(SignOff.user_id == user.id).exists(), or_(*awaited))
            .order_by(Proposal.proposed_at))


def _needs_signoff_by(role: str):
    """Proposals whose transition, in its case's workflow version, awaits `role`."""
    clauses = [and_(Case.workflow == w.name, Case.workflow_version == w.version,
                    Proposal.trigger.in_([t.trigger for t in w.transitions if role in t.signoffs]))
               for w in engine().workflows()]
    return or_(false(), *clauses)
