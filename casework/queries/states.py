"""The workflow's states in SQL: by what they count as (their `tags:`), by workflow version,
and by the time a case has spent in one (its time limit, near it). Queries name tags and
definition keys, never a state.

THE rule of "past its time limit": a case in a state for longer than the state's `sla_days`
(`past_limit`, and `limit_date` for the day it falls); Mon travail, the messages and the
dashboard read it here."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import and_, bindparam, false, null, or_, select, true
from sqlalchemy import case as when

from ..clock import day_start, local, local_today, utcnow
from ..models import Case, CaseStateEntry
from ..workflow_registry import STATE_TAGS, engine, tagged_states, workflow_of


def tagged(column, tag: str):
    """`column` (a state's name) is a state that carries `tag` in a loaded workflow. The
    states are read when the statement runs, not when it is built, so that the clause can
    stand in a module constant (`checked.CHECKED`) before the engine is loaded."""
    if tag not in STATE_TAGS:
        raise KeyError(f"unknown state tag {tag!r}")
    return column.in_(bindparam(f"tagged_{tag}", callable_=lambda: tagged_states(tag),
                                expanding=True, unique=True))


def at_run(value: Callable[[], object], type_):
    """A value read when the statement runs, not when it is built (the clock's now, less a
    state's time limit): a clause holding it is built once and serves every moment."""
    return bindparam(None, callable_=value, type_=type_, unique=True)


_BUILT: dict = {}


def built_once(key, build: Callable):
    """`build()`, built once for the loaded workflows (a new version builds it again). The
    clauses that OR a condition over every state of every version took longer to build, on
    every page (the menu's count), than their query took to run."""
    workflows = tuple(engine().workflows())
    whose = (key, *map(id, workflows))
    found = _BUILT.get(whose)
    if found is None:
        if len(_BUILT) >= 512:
            _BUILT.clear()
        found = _BUILT[whose] = (workflows, build())  # the workflows kept: their ids stay theirs
    return found[1]


def days_before_now(days: int):
    """The instant `days` days before now, read when the statement runs (for any of the UTC
    timestamp columns)."""
    return at_run(lambda: utcnow() - timedelta(days=days), Case.status_changed_at.type)


def days_before_today(days: int):
    """The start of today less `days` days (Bamako keeps UTC all year: the start of that
    day), read when the statement runs."""
    return at_run(lambda: day_start(local_today()) - timedelta(days=days),
                  Case.status_changed_at.type)


def in_version(workflow):
    """On Case: the case follows this workflow version."""
    return and_(Case.workflow == workflow.name, Case.workflow_version == workflow.version)


def states_where(test: Callable, clause: Callable = lambda w, n, s: true(), state=None):
    """OR of `clause(workflow, name, state)` over every state where `test(state)` holds; the
    case's state is `state` (SQL; its status when None)."""
    status = Case.status if state is None else state
    found = [and_(in_version(w), status == name, clause(w, name, definition))
             for w in engine().workflows() for name, definition in w.states.items()
             if test(definition)]
    return or_(false(), *found)


def states_allowing(activity: str, state=None):
    """On Case: in a state whose `allows` names `activity` (`state`: see states_where)."""
    if state is None:
        return built_once(("allowing", activity),
                          lambda: states_where(lambda s: activity in s.allows))
    return states_where(lambda s: activity in s.allows, state=state)


def in_state_longer_than(days_of: Callable, state=None, since=None, end=None):
    """On Case: in a state for longer than `days_of(state)` days, at the instant `end` (None:
    now, read when the statement runs); `state` and `since` the case's state then and since
    when (state_at)."""
    entered = Case.status_changed_at if since is None else since
    if end is None:
        return states_where(days_of, lambda w, n, s: entered < days_before_now(days_of(s)),
                            state=state)
    return states_where(days_of, lambda w, n, s: entered < end - timedelta(days=days_of(s)),
                        state=state)


def past_limit(state=None, since=None, end=None):
    """On Case: past its state's time limit (`sla_days`), now or at `end` (see
    in_state_longer_than)."""
    if state is None and since is None and end is None:
        return built_once("past_limit",
                          lambda: in_state_longer_than(lambda s: s.sla_days))
    return in_state_longer_than(lambda s: s.sla_days, state, since, end)


def time_limits() -> tuple[tuple[str, int, str, int], ...]:
    """(workflow, version, state, days) for each state with a time limit, in the loaded
    workflows."""
    return tuple((w.name, w.version, name, definition.sla_days)
                 for w in engine().workflows() for name, definition in w.states.items()
                 if definition.sla_days)


def limit_days(limits=None):
    """On Case: the time limit in days of its state (its workflow version's `sla_days`), NULL
    when the state has none; `limits`: time_limits(), given when the statement is kept."""
    cases = [(and_(Case.workflow == workflow, Case.workflow_version == version,
                   Case.status == name), days)
             for workflow, version, name, days in (time_limits() if limits is None else limits)]
    return when(*cases, else_=None) if cases else null()


def past_limit_today():
    """On Case: past its state's time limit now (THE rule, past_limit), the limit having passed
    today (at or after the start of the local day, read when the statement runs): what the
    kept figures of a day count only from tomorrow (worklist.py)."""
    return built_once("past_limit_today", lambda: states_where(
        lambda s: s.sla_days, lambda w, n, s: and_(
            Case.status_changed_at >= days_before_today(s.sla_days),
            Case.status_changed_at < days_before_now(s.sla_days))))


def escalations() -> tuple[tuple[str, int, str, int], ...]:
    """(workflow, version, trigger, days) for each transition whose proposal, unsigned that
    many days, is late (its `escalation_days`), in the loaded workflows."""
    return tuple((w.name, w.version, t.trigger, t.escalation_days)
                 for w in engine().workflows() for t in w.transitions if t.escalation_days)


def escalation_days(trigger, limits=None):
    """On Case and a proposal's `trigger` (SQL): the days after which it is late unsigned, NULL
    when never; `limits`: escalations(), given when the statement is kept."""
    cases = [(and_(Case.workflow == workflow, Case.workflow_version == version,
                   trigger == name), days)
             for workflow, version, name, days in (escalations() if limits is None else limits)]
    return when(*cases, else_=None) if cases else null()


def initial_states() -> tuple[str, ...]:
    """The states a case starts in, in the loaded workflows."""
    return tuple(sorted({w.initial for w in engine().workflows()}))


def past_limit_from(start):
    """On Case: past its state's time limit now (THE rule, past_limit), the limit having
    passed at or after the instant `start`."""
    return and_(past_limit(), states_where(lambda s: s.sla_days, lambda w, n, s: (
        Case.status_changed_at >= start - timedelta(days=s.sla_days))))


def state_at(end):
    """(state, since when) of a case at the instant `end`, as SQL; its status now when `end`
    is None. A case that has not moved since `end` was in its status; otherwise in the last
    state it first entered before `end` (a case sent back to mediation is read as still
    where it had first gone)."""
    if end is None:
        return Case.status, Case.status_changed_at
    last = (select(CaseStateEntry).where(CaseStateEntry.case_id == Case.id,
                                         CaseStateEntry.entered_at < end)
            .order_by(CaseStateEntry.entered_at.desc(), CaseStateEntry.id.desc()).limit(1))
    unmoved = Case.status_changed_at < end
    return (when((unmoved, Case.status),
                 else_=last.with_only_columns(CaseStateEntry.state).scalar_subquery()),
            when((unmoved, Case.status_changed_at),
                 else_=last.with_only_columns(CaseStateEntry.entered_at).scalar_subquery()))


def near_limit():
    """On Case: past its state's `warn_days`, not yet past its `sla_days`."""
    return built_once("near_limit", lambda: states_where(
        lambda s: s.warn_days, lambda w, n, s: and_(
            Case.status_changed_at < days_before_now(s.warn_days),
            Case.status_changed_at >= days_before_now(s.sla_days))))


def limit_date(case: Case) -> date | None:
    """The day the case's stay in its state passes its time limit (None: the state has none)."""
    days = workflow_of(case).state(case.status).sla_days
    return local(case.status_changed_at + timedelta(days=days)).date() if days else None
