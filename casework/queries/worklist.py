"""'Mon travail': what waits for whom, as registered *sources*, in this one module.

A source is one kind of thing that waits (a sign-off, a rejected proposal, a case near its time
limit...). It gives, for a user:
- `count(user)`: a SELECT of one number, plain SQL, so that the menu counts every source in
  one statement (`waiting_counts`); the page and the menu read the same counts;
- `items(user, limit)`: the most urgent items first, each saying why it waits, since when,
  what to do and where (one tap);
- for a kind about cases, `cases(user)`: the WHERE clause on cases, so that "see all" opens the
  case list filtered on it (`/cases?waiting=<name>`).
`applies(user)` says, from the roles alone (no SQL), whether the source can hold anything for
the user. A new kind (referrals, items not yet sent from a phone) is a new `register(...)`.
The numbers a wait depends on (time limits, idle days, reminders) come from the workflow
definitions, never from here.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import and_, exists, false, func, literal_column, or_, select, true, union_all
from sqlalchemy.orm import aliased, selectinload

from .. import access
from ..clock import local, local_today, utcnow
from ..extensions import db
from ..i18n import locale_code, short_date
from ..models import (
    Appreciation,
    Case,
    Commune,
    EntryMonth,
    Event,
    ImportJob,
    IntakeRecord,
    Mechanism,
    MechanismActivity,
    MediationStep,
    Membership,
    Notification,
    Proposal,
    Referral,
    User,
    WaitingDay,
    WaitingTotal,
)
from ..models.referral import SENT
from ..vocabulary import ROLES, label
from ..workflow_registry import engine, signing_roles, workflow_of
from . import kept_statements
from .checked import CHECKED, TO_CHECK
from .milestones import NOTICE_DAYS, cases_with_visit_due_within, due_by
from .states import (
    at_run,
    built_once,
    days_before_now,
    days_before_today,
    escalations,
    in_version,
    limit_date,
    near_limit,
    past_limit,
    past_limit_today,
    states_allowing,
    states_where,
    tagged,
    time_limits,
)

# Items shown per kind on the page; the rest are one tap away, on the filtered case list.
SHOWN = 10
STEP_NOTICE_DAYS = 3
FOLLOW_UP_NOTICE_DAYS = NOTICE_DAYS
# Activities of the mechanism that a mayor or a chief is asked to appreciate: recent ones.
APPRECIATE_WITHIN_DAYS = 90
# Failed messages stay on the list this long (then the outbox keeps them for the record).
FAILED_SHOWN_DAYS = 14
# Someone who must use two-factor authentication and has not set it up this long after their
# account was made.
TWO_FACTOR_DAYS = 7
LOGIN_FAILURES = ("auth.login_failed", "auth.mfa_failed")  # as services/throttling.py counts


@dataclass(frozen=True)
class Item:
    """One thing that waits: what (`title`, `place`), why (`reason`), since when, by when
    (`due`, what orders the list), what to do (`action`) and where (`url`)."""

    source: str
    title: str
    place: str
    reason: str
    since: date | datetime | None
    action: str
    url: str
    due: date | None = None
    detail: str = ""  # what someone wrote about it (a rejection's comment)
    case: Case | None = None
    key: str = ""  # what, in the case, waits (a proposal, a stay): messages are keyed on it


@dataclass(frozen=True)
class Source:
    name: str
    title: object  # a lazy string: the heading of its section
    applies: Callable[[User], bool]
    count: Callable[[User], object]
    items: Callable[[User, int], list[Item]]
    cases: Callable[[User], object] | None = None
    all_url: Callable[[User], str] | None = None

    def list_url(self, user: User) -> str:
        if self.cases is not None:
            return _url("cases.index", waiting=self.name)
        return self.all_url(user) if self.all_url else ""


SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    SOURCES[source.name] = source
    return source


def _url(endpoint: str, **values) -> str:
    """The path of a page, in a request or out of one (the messages of `collect`)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("palabre").build(endpoint, values)


# -- who: audiences, from the roles alone -----------------------------------------------------

def _holds(*roles: str) -> Callable[[User], bool]:
    return lambda user: bool(access.commune_ids(user, roles))


def _admin(user: User) -> bool:
    return access.can(user, "administer")


REPORTING = (access.MEDIATOR, access.COORDINATOR)
team = _holds(access.MEDIATOR)
authorities = _holds(*access.LOCAL_AUTHORITIES)
coordinators = _holds(access.COORDINATOR)
reporters = _holds(*REPORTING)


def signers(user: User) -> bool:
    """Holds a role that some loaded definition asks to sign (its `signoffs`)."""
    return bool(access.commune_ids(user, signing_roles()))


# -- the workflow's numbers, as SQL ------------------------------------------------------------

def past_limit_clause():
    """Cases past their state's time limit; never a report still to check (it waits in its
    own source), so that a flood of messages fills no list and no menu."""
    return and_(past_limit(), CHECKED)


# -- sources about cases -----------------------------------------------------------------------

@dataclass(frozen=True)
class Kept:
    """The part of a case source that depends on the commune alone: in the communes
    `communes(user)`, the source holds every case of the commune it holds for anyone, and
    services/summaries.py keeps their number in waiting_days, by the day they wait from.
    `today(communes)` (a time limit): the count of those of these communes (None: of every
    commune) whose day is today and that wait already (the instant has passed), read from the
    cases; the kept days before today all wait, those after today not yet."""

    communes: Callable[[User], set[int]]
    today: Callable[[list[int] | None], object] | None = None


def _today():
    return at_run(lambda: local_today().isoformat(), WaitingDay.day.type)


def _kept_count(name: str, kept: Kept, communes: list[int]):
    """How many cases of the communes `communes` wait in the source `name`: the kept days
    before today (every day for a source without a time limit), and those of today. Every
    commune (a coordinator of the whole country): their totals, read without a list of
    communes."""
    where = access.in_communes(WaitingDay.commune_id, communes)
    every = not where  # the shorter form of every commune: no condition
    table = WaitingTotal if every else WaitingDay
    if kept.today:
        where.append(table.day < _today())
    total = (select(func.coalesce(func.sum(table.cases), 0))
             .where(table.source == name, *where).scalar_subquery())
    if kept.today:
        total = total + kept.today(None if every else communes).scalar_subquery()
    return total


def _in_communes(communes: list[int] | None):
    """On Case: in these communes (None: any)."""
    return Case.commune_id.in_(communes) if communes is not None else true()


def case_source(name: str, title, applies: Callable[[User], bool], where: Callable,
                describe: Callable[[Case, User], Item | None], order: Callable = None,
                load=(), kept: Kept | None = None, first: Callable | None = None) -> Source:
    """A source whose items are cases: `where(user)` selects them (within what the user sees),
    `order()` puts the most urgent first, `describe(case, user)` says why each waits; `load` are
    the relationships `describe` reads, loaded for all the items at once. `kept`: its part
    that depends on the commune alone, counted from the kept figures (see Kept); the rest is
    counted from the cases, so that the number is the cases' own. `first(clause, limit)`: the
    ids of the `limit` first cases by `order()` among those `clause` selects, for a source
    whose cases are too many to order them all on each page."""

    def clause(user):
        # Within the user's communes (every commune: no condition). The statements built
        # from it are kept (kept_statements.py): in_communes counts the communes once.
        return and_(*access.in_communes(Case.commune_id, access.commune_ids(user)),
                    access.UNMERGED, where(user))

    def count(user):
        mine = access.commune_ids(user)
        held = kept.communes(user) & mine if kept else set()
        if not held:
            return select(func.count(Case.id)).where(clause(user))
        total = _kept_count(name, kept, sorted(held))
        if rest := mine - held:
            total = total + (select(func.count(Case.id))
                             .where(Case.commune_id.in_(sorted(rest)), access.UNMERGED,
                                    where(user))
                             .scalar_subquery())
        return select(total)

    def items(user, limit):
        def listed():
            within = clause(user)
            return select(Case).where(Case.id.in_(first(within, limit)) if first else within)

        query = kept_statements.kept(user, f"{name} items {limit}", lambda: (
            listed()
            .order_by(*(order() if order else (Case.status_changed_at,)), Case.id)
            .options(*(selectinload(relation) for relation in load)).limit(limit)))
        found = (describe(case, user) for case in db.session.scalars(query))
        return [item for item in found if item is not None]

    return register(Source(name, title, applies, count, items, cases=clause))


def _case_item(case: Case, source: str, reason: str, since, action: str, url: str = "",
               **values) -> Item:
    return Item(source=source, title=case.reference, place=case.village, reason=reason,
                since=since, action=action,
                url=url or _url("cases.show", reference=case.reference), case=case, **values)


# Sign-offs awaited: the mayor and the traditional leaders.

def _pending(case: Case) -> Proposal | None:
    return case.pending_proposal


def _signoff_awaited(case, user):
    proposal = _pending(case)
    if proposal is None:
        return None
    reminder = workflow_of(case).transition(proposal.trigger).reminder_days
    return _case_item(
        case, "signoff_awaited",
        _("Agreement proposed by %(name)s, awaiting your sign-off",
          name=proposal.proposed_by.full_name),
        proposal.proposed_at, _("Read it, then approve or reject it"),
        _url("cases.sign_off", reference=case.reference, proposal_id=proposal.id),
        due=local(proposal.proposed_at + timedelta(days=reminder or 0)).date(),
        key=f"p{proposal.id}")


def _pending_since():
    return (select(Proposal.proposed_at).where(Proposal.case_id == Case.id,
                                               Proposal.status == "pending")
            .scalar_subquery())


case_source(
    "signoff_awaited", _l("Sign-offs awaiting me"), signers,
    lambda user: Case.id.in_(access.awaiting_my_signoff(user).order_by(None)
                             .with_only_columns(Proposal.case_id)),
    _signoff_awaited, order=lambda: (_pending_since(),), load=(Case.proposals,))


# A proposal rejected: the team revises or replaces it.

def _last_proposal_rejected():
    later = aliased(Proposal)
    return exists().where(
        Proposal.case_id == Case.id, Proposal.status == "rejected",
        Proposal.from_state == Case.status,
        # The proposal's own case, not `Case`: the innermost subquery is not correlated to the
        # outer query and would read every case, hiding this rejection whenever any case had a
        # newer proposal.
        ~exists().where(later.case_id == Proposal.case_id, later.id > Proposal.id))


def _rejected(case, _user):
    proposal = case.proposals[-1] if case.proposals else None
    if proposal is None or proposal.status != "rejected":
        return None
    refusal = next((s for s in proposal.signoffs if s.decision == "reject"), None)
    who = refusal.user.full_name if refusal else ""
    return _case_item(
        case, "proposal_rejected", _("Agreement rejected by %(name)s", name=who),
        proposal.decided_at, _("Revise the agreement or propose another"),
        _url("cases.transition", reference=case.reference, trigger=proposal.trigger),
        due=local(proposal.decided_at).date(), detail=refusal.comment if refusal else "",
        key=f"p{proposal.id}")


def _decided_at():
    return (select(func.max(Proposal.decided_at)).where(Proposal.case_id == Case.id)
            .scalar_subquery())


case_source("proposal_rejected", _l("Agreements rejected"), team,
            lambda user: and_(access.team_work_clause(user),
                              built_once("rejected", _last_proposal_rejected)),
            _rejected, order=lambda: (_decided_at(),), load=(Case.proposals,))


# Reported cases: without a team yet (for whoever may give it one), and those reported by SMS
# whose facts are to check (the commune's mediators and coordinators).

def _reported(source: str, reason, action, endpoint: str):
    def describe(case, _user):
        return _case_item(case, source, str(reason), case.created_at, str(action),
                          _url(endpoint, reference=case.reference),
                          due=local(case.created_at).date())
    return describe


def _initial_state():
    return built_once("initial", lambda: Case.status.in_(
        sorted({w.initial for w in engine().workflows()})))


def _coordinated(user) -> set[int]:
    return access.commune_ids(user, (access.COORDINATOR,))


# In the communes they coordinate, every case with no team (confidential or not).
case_source("unassigned", _l("Reported cases without a team"), reporters,
            lambda user: and_(access.team_to_set_clause(user), _initial_state(), CHECKED),
            _reported("unassigned", _l("Reported without a reconciliation team"),
                      _l("Assign a team"), "cases.assign_team"),
            order=lambda: (Case.created_at,), kept=Kept(_coordinated))

case_source("report_to_verify", _l("Reports to check"), reporters,
            lambda user: and_(Case.commune_id.in_(access.commune_ids(user, REPORTING)),
                              _initial_state(),
                              exists().where(IntakeRecord.case_id == Case.id,
                                             IntakeRecord.to_verify.is_(True))),
            _reported("report_to_verify",
                      _l("Reported by SMS or KoboToolbox: the facts are to check"),
                      _l("Call the sender, then name the parties"), "cases.verify"),
            order=lambda: (Case.created_at,),
            kept=Kept(lambda user: access.commune_ids(user, REPORTING)))


# Past the time limit: the team, and the commune's coordinators.

def _past_limit(case, _user):
    limit = limit_date(case)
    return _case_item(case, "past_time_limit",
                      _("Past its time limit in \"%(state)s\" since %(date)s",
                        state=_state_label(case), date=_short(limit)),
                      case.status_changed_at, _("Take the next step, or note why it waits"),
                      due=limit, key=f"{case.status}@{case.status_changed_at:%Y%m%d%H%M%S}")


def _team_or_coordination(user):
    coordinated = access.commune_ids(user, (access.COORDINATOR,))
    return or_(access.team_work_clause(user),
               Case.commune_id.in_(coordinated) if coordinated else false())


def _first_past_limit(clause, limit):
    """The ids of the `limit` cases past their time limit that entered their state first, among
    those `clause` selects: the first `limit` in each state that has a time limit in some
    workflow, each read in order from the index of (status, status_changed_at), then ordered
    together. Ordering them all read every late case of every commune for the coordination
    (25,000 of 100,000)."""
    states = sorted({state for _workflow, _version, state, _days in time_limits()})
    firsts = [select(Case.id).where(clause, Case.status == state)
              .order_by(Case.status_changed_at, Case.id).limit(limit).subquery()
              for state in states]
    if not firsts:
        return select(Case.id).where(false())
    return union_all(*(select(each.c.id) for each in firsts))


case_source("past_time_limit", _l("Cases past their time limit"),
            lambda user: team(user) or coordinators(user),
            lambda user: and_(_team_or_coordination(user), past_limit_clause()),
            _past_limit, first=_first_past_limit,
            kept=Kept(_coordinated, lambda communes: select(func.count(Case.id)).where(
                _in_communes(communes), access.UNMERGED, past_limit_today(),
                # CHECKED for these few cases alone (not the list of every report to check)
                ~TO_CHECK.where(IntakeRecord.case_id == Case.id).exists())))


# Near the time limit (the state's `warn_days`): the team.

def _near_limit(case, _user):
    limit = limit_date(case)
    return _case_item(case, "near_time_limit",
                      _("%(days)s days in \"%(state)s\": its time limit is on %(date)s",
                        days=case.days_in_state(), state=_state_label(case),
                        date=_short(limit)),
                      case.status_changed_at, _("Take the next step before the limit"),
                      due=limit)


case_source("near_time_limit", _l("Cases near their time limit"), team,
            lambda user: and_(access.team_work_clause(user), near_limit(), CHECKED),
            _near_limit)


# No step logged for the state's `idle_days`: the team.

def _days_ago(days: int):
    return at_run(lambda: local_today() - timedelta(days=days), MediationStep.step_date.type)


def _idle_clause():
    return built_once("idle", lambda: states_where(
        lambda s: s.idle_days and "steps" in s.allows, lambda w, n, s: and_(
            Case.status_changed_at < days_before_today(s.idle_days),
            ~exists().where(MediationStep.case_id == Case.id,
                            MediationStep.step_date > _days_ago(s.idle_days)))))


def _idle(case, _user):
    idle_days = workflow_of(case).state(case.status).idle_days
    last = max((s.step_date for s in case.steps), default=None)
    since = max(filter(None, (last, local(case.status_changed_at).date())))
    reason = (_("No step logged since %(date)s", date=_short(last)) if last
              else _("No step logged since the mediation began"))
    return _case_item(case, "idle", reason, since, _("Log a step, or say why it waits"),
                      _url("cases.log_step", reference=case.reference),
                      due=since + timedelta(days=idle_days))


def _last_step_date():
    return (select(func.max(MediationStep.step_date)).where(MediationStep.case_id == Case.id)
            .scalar_subquery())


case_source("idle", _l("Mediations with no recent step"), team,
            lambda user: and_(access.team_work_clause(user), _idle_clause()), _idle,
            order=lambda: (_last_step_date(), Case.status_changed_at), load=(Case.steps,))


# A next step planned soon (or past): the team.

def _latest_step_planned_by(day):
    later = aliased(MediationStep)
    return exists().where(
        MediationStep.case_id == Case.id, MediationStep.next_step_date <= day,
        # The step's own case, not `Case` (see `_last_proposal_rejected`).
        ~exists().where(later.case_id == MediationStep.case_id, or_(
            later.step_date > MediationStep.step_date,
            and_(later.step_date == MediationStep.step_date, later.id > MediationStep.id))))


def _step_planned(case, _user):
    last = case.steps[-1] if case.steps else None
    if last is None or last.next_step_date is None:
        return None
    reason = _("Next step planned for %(date)s", date=_short(last.next_step_date))
    return _case_item(case, "step_planned", reason, last.step_date, _("Log the step once held"),
                      _url("cases.log_step", reference=case.reference),
                      due=last.next_step_date, detail=last.next_step or "")


case_source("step_planned", _l("Mediation steps due"), team,
            lambda user: and_(access.team_work_clause(user), states_allowing("steps"),
                              built_once("step_planned", lambda: _latest_step_planned_by(
                                  _days_ago(-STEP_NOTICE_DAYS)))),
            _step_planned, order=lambda: (_last_step_date(),), load=(Case.steps,))


# A follow-up visit due (or late): the team.

def _follow_up(case, _user):
    due = due_by(case, local_today() + timedelta(days=FOLLOW_UP_NOTICE_DAYS))
    if not due:
        return None
    milestone = due[0]
    agreement = case.current_agreement
    return _case_item(case, "follow_up_due",
                      _("Visit at %(days)s days, due on %(date)s", days=milestone.days,
                        date=_short(milestone.due)),
                      agreement.decided_at, _("Make the visit, then record it"),
                      _url("cases.record_follow_up", reference=case.reference),
                      due=milestone.due, key=f"a{agreement.id}d{milestone.days}")


case_source("follow_up_due", _l("Follow-up visits due"), team,
            lambda user: and_(access.team_work_clause(user),
                              cases_with_visit_due_within(FOLLOW_UP_NOTICE_DAYS)),
            _follow_up, order=lambda: (Case.status_changed_at,),
            load=(Case.proposals, Case.follow_ups))


# A proposal unsigned past its transition's `escalation_days`: the commune's coordinators.

# Written in the statement, not bound: SQLite prepares a statement again at every run when a
# bound value may match the condition of a partial index (those of the pending proposals), and
# the menu's statement is long.
_PENDING = literal_column("'pending'")


def _signoff_late_clause():
    return built_once("signoff_late", _build_signoff_late)


def _escalated(workflow: str, version: int, trigger: str):
    """On Proposal and its Case: a proposal of this transition, on a case of this workflow
    version (a row of states.escalations())."""
    return and_(Case.workflow == workflow, Case.workflow_version == version,
                Proposal.trigger == trigger)


def _build_signoff_late():
    late = [and_(_escalated(workflow, version, trigger),
                 Proposal.proposed_at < days_before_now(days))
            for workflow, version, trigger, days in escalations()]
    # The cases of the late proposals, read from the index of the pending ones (an EXISTS
    # per case read every case of the communes to find the few thousand late).
    return Case.id.in_(select(Proposal.case_id).join(Case, Case.id == Proposal.case_id)
                       .where(Proposal.status == _PENDING, or_(false(), *late)))


def _signoff_late_today():
    return built_once("signoff_late_today", _build_signoff_late_today)


def _build_signoff_late_today():
    """On Proposal and its Case: pending, late now, its delay passed today (at or after the
    local day's start): what the kept figures count only from tomorrow."""
    rows = escalations()
    if not rows:
        return false()
    late = [and_(_escalated(workflow, version, trigger),
                 Proposal.proposed_at >= days_before_today(days),
                 Proposal.proposed_at < days_before_now(days))
            for workflow, version, trigger, days in rows]
    # The widest of those days, that the index of the pending proposals reads first.
    delays = [days for *_key, days in rows]
    return and_(Proposal.status == _PENDING,
                Proposal.proposed_at >= days_before_today(max(delays)),
                Proposal.proposed_at < days_before_now(min(delays)), or_(*late))


def _signoff_late_today_count(communes: list[int] | None):
    # One pending proposal per case at most: as many cases.
    return (select(func.count(Proposal.id)).join(Case, Case.id == Proposal.case_id)
            .where(_in_communes(communes), access.UNMERGED, _signoff_late_today()))


def _signoff_late(case, _user):
    proposal = _pending(case)
    if proposal is None:
        return None
    awaited = ", ".join(_role_label(role) for role in proposal.awaited_roles)
    days = workflow_of(case).transition(proposal.trigger).escalation_days
    return _case_item(case, "signoff_late",
                      _("Proposed on %(date)s, still awaiting: %(roles)s",
                        date=_short(local(proposal.proposed_at).date()), roles=awaited),
                      proposal.proposed_at, _("Call who must sign"),
                      due=local(proposal.proposed_at + timedelta(days=days)).date(),
                      key=f"p{proposal.id}")


case_source("signoff_late", _l("Agreements long awaiting a signature"), coordinators,
            lambda user: and_(Case.commune_id.in_(access.commune_ids(user,
                                                                     (access.COORDINATOR,))),
                              _signoff_late_clause()),
            _signoff_late, order=lambda: (_pending_since(),), load=(Case.proposals,),
            kept=Kept(_coordinated, _signoff_late_today_count))


# -- sources about other things ----------------------------------------------------------------

# Activities of their mechanism to appreciate: the mayor and the traditional leaders.

def _to_appreciate(user):
    since = at_run(lambda: local_today() - timedelta(days=APPRECIATE_WITHIN_DAYS),
                   MechanismActivity.held_on.type)
    mine = exists().where(Appreciation.activity_id == MechanismActivity.id,
                          Appreciation.user_id == user.id)
    return (select(MechanismActivity).join(MechanismActivity.mechanism)
            .where(Mechanism.commune_id.in_(access.commune_ids(user, access.LOCAL_AUTHORITIES)),
                   MechanismActivity.held_on >= since, ~mine))


def _appreciations(user, limit):
    query = _to_appreciate(user).order_by(MechanismActivity.held_on, MechanismActivity.id)
    return [Item(source="activity_to_appreciate", title=activity.title,
                 place=activity.mechanism.commune.name,
                 reason=_("Activity held on %(date)s", date=_short(activity.held_on)),
                 since=activity.held_on, action=_("Give your appreciation"),
                 url=_url("activities.appreciate", code=activity.mechanism.commune.code,
                             activity_id=activity.id),
                 due=activity.held_on)
            for activity in db.session.scalars(query.limit(limit))]


register(Source("activity_to_appreciate", _l("Activities to appreciate"), authorities,
                lambda user: select(func.count()).select_from(_to_appreciate(user).subquery()),
                _appreciations, all_url=lambda user: _url("mechanisms.index")))


# Communes below their target of conflicts taken on this year: their coordinators.

def _taken_on():
    """The conflicts each commune took on this year (the dashboard's plan progress): its
    entries into a mediation since January, read from the kept entry_months (cases the figures
    count: a mediation started is never a report still to check), the year read when the
    statement runs."""
    january = at_run(lambda: f"{local_today().year:04d}-01", EntryMonth.month.type)
    return (select(func.coalesce(func.sum(EntryMonth.entries), 0))
            .where(EntryMonth.commune_id == Commune.id,
                   tagged(EntryMonth.state, "in_mediation"), EntryMonth.month >= january)
            .scalar_subquery())


def _below_target(user):
    return (select(Commune.id, Commune.code, Commune.name, Commune.case_target,
                   _taken_on().label("taken"))
            .where(*access.in_communes(Commune.id, _coordinated(user)),
                   Commune.case_target > 0, _taken_on() < Commune.case_target))


def _communes_below(user, limit):
    year_start = local_today().replace(month=1, day=1)
    rows = db.session.execute(_below_target(user).order_by(_taken_on(), Commune.name)
                              .limit(limit))
    return [Item(source="commune_below_target", title=row.name, place=row.code,
                 reason=_("%(taken)s of %(target)s conflicts taken on this year",
                          taken=row.taken, target=row.case_target),
                 since=year_start, action=_("See its figures"),
                 url=_url("dashboard.index", commune=row.id), due=None)
            for row in rows]


register(Source("commune_below_target", _l("Communes below their target"), coordinators,
                lambda user: select(func.count()).select_from(_below_target(user).subquery()),
                _communes_below, all_url=lambda user: _url("dashboard.index")))


# Referrals: the focal points of a service answer those addressed to it; the coordinators of
# the case's commune see those the service left unanswered past the definition's
# `answer_days` (its `answer_by`), to call it or refer elsewhere.

def _to_answer(user):
    return select(Referral).where(access.referrals_clause(user), Referral.status == SENT)


def _late_referrals(user):
    return (select(Referral).join(Referral.case)
            .where(*access.in_communes(Case.commune_id, _coordinated(user)),
                   Referral.status == SENT,
                   Referral.answer_by < at_run(local_today, Referral.answer_by.type)))


def _referral_reason(referral: Referral):
    if referral.answer_by < local_today():
        return _("Late: %(service)s has not answered; the answer was due on %(date)s",
                 service=referral.service.name, date=_short(referral.answer_by))
    return _("Referred to %(service)s; answer by %(date)s", service=referral.service.name,
             date=_short(referral.answer_by))


def _referral_items(source: str, query, action, url, limit):
    rows = db.session.scalars(
        query.options(selectinload(Referral.case), selectinload(Referral.service))
        .order_by(Referral.answer_by, Referral.id).limit(limit))
    return [Item(source=source, title=r.case.reference, place=r.service.name,
                 reason=_referral_reason(r), since=r.referred_at, action=str(action),
                 url=url(r), due=r.answer_by)
            for r in rows]


register(Source(
    "referral_to_answer", _l("Referrals to answer"),
    lambda user: access.can(user, "answer_referrals"),
    lambda user: select(func.count()).select_from(_to_answer(user).subquery()),
    lambda user, limit: _referral_items(
        "referral_to_answer", _to_answer(user), _l("Accept or decline it"),
        lambda r: _url("referrals.show", referral_id=r.id), limit),
    all_url=lambda user: _url("referrals.index")))

register(Source(
    "referral_late", _l("Referrals not answered in time"), coordinators,
    lambda user: select(func.count()).select_from(_late_referrals(user).subquery()),
    lambda user, limit: _referral_items(
        "referral_late", _late_referrals(user), _l("Call the service, or refer elsewhere"),
        lambda r: _url("cases.show", reference=r.case.reference), limit)))


# Messages that failed to send: the coordinators of the case's commune, and administrators.

def _shown_since(column):
    """`column` is within the last FAILED_SHOWN_DAYS, read when the statement runs."""
    return column >= days_before_now(FAILED_SHOWN_DAYS)


def _failed(user):
    query = (select(Notification).join(Notification.case)
             .where(Notification.status == "failed", _shown_since(Notification.created_at)))
    if not _admin(user):
        query = query.where(*access.in_communes(Case.commune_id, _coordinated(user)))
    return query


def _failed_items(user, limit):
    query = (_failed(user).options(selectinload(Notification.user))
             .order_by(Notification.created_at, Notification.id).limit(limit))
    admin = _admin(user)
    return [Item(source="message_failed", title=row.case.reference, place=row.user.full_name,
                 reason=_("A message to %(name)s could not be sent (%(error)s)",
                          name=row.user.full_name, error=row.last_error or ""),
                 since=row.created_at,
                 action=(_("Check the person's e-mail address and phone number") if admin
                         else _("Tell the person, or ask the administrator")),
                 url=(_url("admin.user", user_id=row.user_id, _anchor="messages") if admin
                      else _url("cases.show", reference=row.case.reference)),
                 due=local(row.created_at).date())
            for row in db.session.scalars(query)]


register(Source("message_failed", _l("Messages not sent"),
                lambda user: coordinators(user) or _admin(user),
                lambda user: select(func.count()).select_from(_failed(user).subquery()),
                _failed_items))


# KoboToolbox / ODK imports with rejected rows: the coordinator who started the import. The
# rows are corrected in the export, then the file imported again: the item is the person's
# latest import (of the last FAILED_SHOWN_DAYS), and goes once one brings no rejected row.

def _imports_with_rejections(user):
    latest = (select(func.max(ImportJob.id))
              .where(ImportJob.started_by_id == user.id, ImportJob.dry_run.is_(False),
                     ImportJob.finished_at.is_not(None)).scalar_subquery())
    return select(ImportJob).where(ImportJob.id == latest, ImportJob.rejected > 0,
                                   _shown_since(ImportJob.finished_at))


def _import_items(user, limit):
    query = (_imports_with_rejections(user)
             .order_by(ImportJob.finished_at.desc(), ImportJob.id.desc()).limit(limit))
    return [Item(source="import_rejected_rows", title=job.filename, place="",
                 reason=ngettext("%(num)d row of this file was rejected",
                                 "%(num)d rows of this file were rejected", job.rejected),
                 since=job.finished_at,
                 action=_("Correct them in the export, then import the file again"),
                 url=_url("intake.kobo_job", job_id=job.id), due=local(job.finished_at).date())
            for job in db.session.scalars(query)]


register(Source("import_rejected_rows", _l("Imports with rejected rows"), coordinators,
                lambda user: select(func.count()).select_from(
                    _imports_with_rejections(user).subquery()),
                _import_items, all_url=lambda user: _url("intake.kobo_import")))


# Administrators: two-factor set-up overdue, names closed by throttling, workflow versions.

def _two_factor_missing():
    coordinating = exists().where(Membership.user_id == User.id,
                                  Membership.role == access.COORDINATOR)
    return select(User).where(User.active.is_(True), User.totp_confirmed_at.is_(None),
                              or_(User.is_admin.is_(True), coordinating),
                              User.created_at < days_before_now(TWO_FACTOR_DAYS))


def _two_factor_items(_user, limit):
    query = _two_factor_missing().order_by(User.created_at, User.id).limit(limit)
    return [Item(source="two_factor_overdue", title=person.full_name, place=person.username,
                 reason=_("Must use two-factor authentication: not set up since %(date)s",
                          date=_short(local(person.created_at).date())),
                 since=person.created_at, action=_("Call them to set it up"),
                 url=_url("admin.user", user_id=person.id),
                 due=local(person.created_at).date() + timedelta(days=TWO_FACTOR_DAYS))
            for person in db.session.scalars(query)]


register(Source("two_factor_overdue", _l("Two-factor set-up overdue"), _admin,
                lambda user: select(func.count()).select_from(
                    _two_factor_missing().subquery()),
                _two_factor_items, all_url=lambda user: _url("admin.users")))


def _closed_names():
    config = current_app.config
    window = timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    name = Event.data["username"].as_string()
    return (select(name.label("username"), func.max(Event.created_at).label("last"))
            .where(Event.kind.in_(LOGIN_FAILURES),
                   Event.created_at >= at_run(lambda: utcnow() - window, Event.created_at.type))
            .group_by(name).having(func.count() >= config["LOGIN_MAX_FAILURES"]))


def _closed_items(_user, limit):
    window = timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    rows = db.session.execute(_closed_names().order_by(func.max(Event.created_at).desc())
                              .limit(limit))
    return [Item(source="sign_in_closed", title=row.username or "", place="",
                 reason=_("Sign-in closed after repeated failures, until %(time)s",
                          time=local(row.last + window).strftime("%H:%M")),
                 since=row.last, action=_("If it is not the person, look at the sign-in log"),
                 url=_url("admin.users"), due=None)
            for row in rows]


register(Source("sign_in_closed", _l("Names closed by sign-in throttling"), _admin,
                lambda user: select(func.count()).select_from(_closed_names().subquery()),
                _closed_items, all_url=lambda user: _url("admin.users")))


def _not_loaded():
    loaded = [in_version(w) for w in engine().workflows()]
    return (select(Case.workflow, Case.workflow_version, func.count(Case.id).label("cases"))
            .where(~or_(false(), *loaded)).group_by(Case.workflow, Case.workflow_version))


def _version_items(_user, limit):
    return [Item(source="workflow_version_missing", title=f"{row.workflow} v{row.workflow_version}",
                 place="", reason=_("%(count)s cases follow a workflow version that is not "
                                    "loaded: they cannot be opened", count=row.cases),
                 since=None, action=_("Put its definition back, or move the cases"),
                 url=_url("admin.workflows"), due=None)
            for row in db.session.execute(_not_loaded().limit(limit))]


register(Source("workflow_version_missing", _l("Workflow versions waiting"), _admin,
                lambda user: select(func.count()).select_from(_not_loaded().subquery()),
                _version_items, all_url=lambda user: _url("admin.workflows")))


# -- reading the sources -----------------------------------------------------------------------

def _short(day) -> str:
    return short_date(day) if day else ""


def _state_label(case: Case) -> str:
    return workflow_of(case).state(case.status).label(locale_code())


def _role_label(role: str) -> str:
    return str(label(ROLES, role))


def sources_for(user: User) -> list[Source]:
    if not (user.is_authenticated and user.active):
        return []
    return [source for source in SOURCES.values() if source.applies(user)]


def counts_statement(user: User):
    """The statement counting the items of every source for `user` (None: no source applies),
    built from the sources' `count`."""
    sources = sources_for(user)
    if not sources:
        return None
    return select(*(source.count(user).scalar_subquery().label(source.name)
                    for source in sources))


def waiting_counts(user: User) -> dict[str, int]:
    """How many items each source holds for `user`, in one statement (none when no source
    applies)."""
    statement = kept_statements.kept(user, "counts", lambda: counts_statement(user))
    if statement is None:
        return {}
    row = db.session.execute(statement).one()
    return {name: value or 0 for name, value in row._mapping.items()}


def waiting_count(user: User) -> int:
    """The number beside "Mon travail" in the menu: every item of every source."""
    return sum(waiting_counts(user).values())


def items_of(name: str, user: User, limit: int | None = None) -> list[Item]:
    source = SOURCES[name]
    return source.items(user, limit or SHOWN) if source.applies(user) else []


@dataclass
class Section:
    source: Source
    count: int
    items: list[Item]
    more_url: str = ""

    @property
    def name(self) -> str:
        return self.source.name


@dataclass
class WorkList:
    sections: list[Section] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(section.count for section in self.sections)

    @property
    def empty(self) -> bool:
        return not self.sections

    def section(self, name: str) -> Section | None:
        return next((s for s in self.sections if s.name == name), None)


def my_work(user: User, shown: int | None = None) -> WorkList:
    """Every source holding something for `user`, with its true count and its most urgent
    items; a link to all of them when there are more."""
    work = WorkList()
    for name, count in waiting_counts(user).items():
        if not count:
            continue
        source = SOURCES[name]
        items = source.items(user, shown or SHOWN)
        more = source.list_url(user) if count > len(items) else ""
        work.sections.append(Section(source, count, items, more))
    return work
