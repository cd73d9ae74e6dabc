"""Keeping the dashboard's summary tables (models/summary.py) in step with what they count,
in the same transaction as each change, and recounting them from the raw tables.

- `participation_months`: the participants of the mediation steps, added by the services
  that log, correct or move a step (`count_participants`).
- `case_months` and `party_months`: the cases the figures count (queries/checked.py) and
  their parties, by commune, month reported, type, state, sex and age group. Every way a case
  changes (intake by form, SMS, KoboToolbox or offline, transitions automatic or not, reopen,
  corrections, moves, merges, withdrawals, workflow upgrades, a check of an SMS report) ends
  in a flush of the session: the one place they all pass through. Before the first flush of a
  transaction that touches a case, the case's cells are read from the database; at the
  commit they are read again, and the differences are added to the tables, with the same
  concurrency-safe upsert as the participants, in one order (no deadlock). The
  cells are read by `cells`, the very query that `recount` runs over every case: a summary
  can only differ from the recount if a change bypassed the session.
- the same way, from the same flush: `entry_months` (the entries into each state, by the
  entry's commune and month), `agreement_checks` (the agreements a visit checked, by what the
  visits found), `team_months` (the cases with a team, with a woman in it) and `limit_months`
  (the cases in a state with a time limit, by the month it passes: a change of `sla_days` in a
  definition asks for `verify-figures --repair`), with their rollups.
- the same way again: `waiting_days`, what waits in the sources of "Mon travail" that depend
  on the commune alone (past the time limit, sign-offs late, reports without a team, reports
  to check), by commune, source and the day it waits from (the day a limit passes; a fixed
  day for the others): the menu's count adds up a coordinator's communes up to today
  (queries/worklist.py), its rollup `waiting_totals` those of every commune. Proposals move
  their case's cells too (a sign-off late); a change of `escalation_days` asks for
  `--repair` as `sla_days` does.

`differences` and `rebuild` serve `flask verify-figures` (and its `--repair`), the property
test (tests/functional/test_summary_properties.py) and the migration that created the tables.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cache

from sqlalchemy import (
    String,
    bindparam,
    delete,
    event,
    exists,
    false,
    func,
    inspect,
    literal,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy import case as when
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import (
    PARTICIPANTS,
    WAITING_ALWAYS,
    AgreementCheck,
    Case,
    CaseMonth,
    CaseState,
    CaseStateEntry,
    CaseTotal,
    Commune,
    EntryMonth,
    EntryState,
    FollowUp,
    IntakeRecord,
    LimitMonth,
    MediationStep,
    ParticipationMonth,
    Party,
    PartyMonth,
    PartyTotal,
    Proposal,
    TeamMember,
    TeamMonth,
    TeamTotal,
    User,
    WaitingDay,
    WaitingTotal,
)
from ..queries.checked import CHECKED, UNCOUNTED
from ..queries.sql import day_after, month_after, month_of
from ..queries.states import (
    escalation_days,
    escalations,
    initial_states,
    limit_days,
    time_limits,
)


def count_participants(commune_id: int, step: MediationStep, *, sign: int = 1) -> None:
    """Add a step's participants to its commune's month (`sign` -1: take them away, before a
    correction or a move), in one statement that two concurrent writers cannot both miss
    (INSERT ... ON CONFLICT DO UPDATE)."""
    values = {name: sign * getattr(step, name) for name in PARTICIPANTS}
    _add(db.session.connection(), "participation_months",
         [{"commune_id": commune_id, "month": step.step_date.strftime("%Y-%m"), **values}])


def _add(connection, name: str, rows: list[dict]) -> None:
    """Add `rows` (each a summary's key and the values to add) to the summary `name`, in one
    statement."""
    connection.execute(_upsert(connection.dialect.name, name), rows)


@cache
def _upsert(dialect: str, name: str):
    """INSERT ... ON CONFLICT DO UPDATE adding to the summary's values (built once: a flush of
    every imported row runs it)."""
    model, keys, values, _count = SUMMARIES[name]
    table = model.__table__
    statement = (postgresql if dialect == "postgresql" else sqlite).insert(table)
    return statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={value: table.c[value] + statement.excluded[value] for value in values})


# -- the cells: one query over some cases or all -------------------------------------------

@cache
def _cells_query(among: bool, limits: tuple = (), escalated: tuple = (), initials: tuple = ()):
    """The cases the figures count (CHECKED) and their parties, by the cells of case_months
    and party_months, each row named after its summary; `among` the cases of the parameter
    `summary_ids` (else every case), the rule of checked.py then read for those cases alone
    (not for every report still to check, at each flush of an import of thousands). Built
    once for the time limits, sign-off delays and initial states of the loaded workflows
    (`limits`, `escalated`, `initials`: states.time_limits(), escalations(), initial_states())."""
    month = month_of(Case.created_at)
    if among:
        ids = bindparam("summary_ids", expanding=True)
        uncounted = UNCOUNTED.subquery()
        where = [Case.id.in_(ids), Case.id.not_in(
            select(uncounted.c[0]).where(uncounted.c[0].in_(ids)))]
        # The proposals of those cases read by their case (not every pending proposal, by the
        # index of their dates).
        scope, proposals = [Case.id.in_(ids)], [Proposal.case_id.in_(ids)]
    else:
        where = [CHECKED]
        scope, proposals = [], []
    return union_all(
        select(literal("case_months", String), Case.commune_id, month, Case.conflict_type,
               Case.status, func.count())
        .where(*where)
        .group_by(Case.commune_id, month, Case.conflict_type, Case.status),
        select(literal("party_months", String), Case.commune_id, month, Party.sex,
               Party.age_group, func.count())
        .select_from(Party).join(Case, Case.id == Party.case_id).where(*where)
        .group_by(Case.commune_id, month, Party.sex, Party.age_group),
        *_what_happened(where, limits),
        *_waiting(where, [*scope, Case.merged_into_id.is_(None)], proposals, limits,
                  escalated, initials))


def _what_happened(where, limits) -> list:
    """The cells of entry_months and agreement_checks over the cases `where` selects, their
    keys padded to the union's width: the entries into each state by commune and month, and the
    agreements checked by a visit by commune and what the visits found."""
    none = null().cast(String)
    per_agreement = (
        select(Case.commune_id, when((func.max(when((FollowUp.outcome == "broken", 1),
                                                    else_=0)) == 1, "broken"),
                                     else_="kept").label("found"))
        .select_from(FollowUp).join(Case, Case.id == FollowUp.case_id).where(*where)
        .group_by(Case.commune_id, FollowUp.proposal_id).subquery())
    entered = month_of(CaseStateEntry.entered_at)
    return [
        select(literal("entry_months", String), CaseStateEntry.commune_id, entered,
               CaseStateEntry.state, none, func.count())
        .select_from(CaseStateEntry).join(Case, Case.id == CaseStateEntry.case_id).where(*where)
        .group_by(CaseStateEntry.commune_id, entered, CaseStateEntry.state),
        select(literal("agreement_checks", String), per_agreement.c.commune_id,
               per_agreement.c.found, none, none, func.count())
        .group_by(per_agreement.c.commune_id, per_agreement.c.found),
        _teams(where), _limits(where, limits)]


def _limits(where, limits):
    """The cells of limit_months over the cases `where` selects: those in a state with a time
    limit, by commune and the month it passes."""
    days = limit_days(limits)
    month = month_after(Case.status_changed_at, days)
    none = null().cast(String)
    return (select(literal("limit_months", String), Case.commune_id, month, none, none,
                   func.count())
            .where(*where, days.is_not(None)).group_by(Case.commune_id, month))


# Written in the statement, not bound: SQLite prepares a statement again at every run when a
# bound value may match the condition of a partial index (those of the pending proposals),
# and the cells' statement is long.
_PENDING = literal_column("'pending'")


def _waiting(where, unmerged, proposals, limits, escalated, initials) -> list:
    """The cells of waiting_days: the cases of the sources of "Mon travail" that depend on the
    commune alone (queries/worklist.py, the rule of each read there the same way), by commune,
    source and the day they wait from. `where` selects the cases the figures count (CHECKED),
    `unmerged` the others a list may show (a report to check): among the same cases, whose
    proposals `proposals` selects."""
    none = null().cast(String)
    always = literal(WAITING_ALWAYS, String)
    days = limit_days(limits)
    limit_day = day_after(Case.status_changed_at, days)
    late = escalation_days(Proposal.trigger, escalated)
    late_day = day_after(Proposal.proposed_at, late)
    initial = Case.status.in_(initials) if initials else false()
    return [
        select(literal("waiting_days", String), Case.commune_id,
               literal("past_time_limit", String), limit_day, none, func.count())
        .where(*where, days.is_not(None)).group_by(Case.commune_id, limit_day),
        select(literal("waiting_days", String), Case.commune_id,
               literal("signoff_late", String), late_day, none, func.count())
        .select_from(Proposal).join(Case, Case.id == Proposal.case_id)
        .where(*proposals, *unmerged, Proposal.status == _PENDING, late.is_not(None))
        .group_by(Case.commune_id, late_day),
        select(literal("waiting_days", String), Case.commune_id,
               literal("unassigned", String), always, none, func.count())
        .where(*where, initial, ~exists().where(TeamMember.case_id == Case.id))
        .group_by(Case.commune_id),
        select(literal("waiting_days", String), Case.commune_id,
               literal("report_to_verify", String), always, none, func.count())
        .where(*unmerged, initial, exists().where(IntakeRecord.case_id == Case.id,
                                                  IntakeRecord.to_verify.is_(True)))
        .group_by(Case.commune_id)]


def _teams(where):
    """The cells of team_months over the cases `where` selects: the cases with a team, by
    commune, month reported and whether a woman is in it."""
    per_case = (
        select(Case.commune_id, month_of(Case.created_at).label("month"),
               when((func.max(when((User.sex == "F", 1), else_=0)) == 1, "woman"),
                    else_="men").label("found"))
        .select_from(TeamMember).join(Case, Case.id == TeamMember.case_id)
        .join(User, User.id == TeamMember.user_id).where(*where)
        .group_by(Case.id, Case.commune_id, month_of(Case.created_at)).subquery())
    return (select(literal("team_months", String), per_case.c.commune_id, per_case.c.month,
                   per_case.c.found, null().cast(String), func.count())
            .group_by(per_case.c.commune_id, per_case.c.month, per_case.c.found))


def cells(connection, case_ids: Iterable[int] | None = None) -> dict[str, Counter]:
    """The cells of the flush-kept summaries (KEPT_BY_FLUSH), over `case_ids` (None: every
    case): those by commune and month counted, the others rolled up from them."""
    found: dict[str, Counter] = {name: Counter() for name in KEPT_BY_FLUSH}
    ids = None if case_ids is None else sorted(case_ids)
    chunks = [None] if ids is None else [ids[n:n + _CHUNK] for n in range(0, len(ids), _CHUNK)]
    for chunk in chunks:
        query = _cells_query(chunk is not None, time_limits(), escalations(),
                             initial_states())
        for name, *key, count in connection.execute(
                query, {} if chunk is None else {"summary_ids": chunk}):
            found[name][tuple(key[:len(SUMMARIES[name][1])])] += count
    for name, (source, kept) in ROLLUPS.items():
        for key, count in found[source].items():
            found[name][tuple(key[n] for n in kept)] += count
    return found


def _participation_cells(connection) -> Counter:
    month = month_of(MediationStep.step_date)
    return Counter({(commune_id, key): tuple(int(n) for n in sums)
                    for commune_id, key, *sums in connection.execute(
        select(Case.commune_id, month, *(func.sum(getattr(MediationStep, name))
                                         for name in PARTICIPANTS))
        .select_from(MediationStep).join(Case, Case.id == MediationStep.case_id)
        .group_by(Case.commune_id, month))})


def _counted(name: str):
    return lambda connection: cells(connection)[name]


# name -> (model, key columns, value columns, recount from the raw tables)
SUMMARIES = {
    "case_months": (CaseMonth, ("commune_id", "month", "conflict_type", "status"), ("cases",),
                    _counted("case_months")),
    "party_months": (PartyMonth, ("commune_id", "month", "sex", "age_group"), ("parties",),
                     _counted("party_months")),
    "case_totals": (CaseTotal, ("month", "conflict_type", "status"), ("cases",),
                    _counted("case_totals")),
    "party_totals": (PartyTotal, ("month", "sex", "age_group"), ("parties",),
                     _counted("party_totals")),
    "case_states": (CaseState, ("commune_id", "status"), ("cases",), _counted("case_states")),
    "participation_months": (ParticipationMonth, ("commune_id", "month"), PARTICIPANTS,
                             _participation_cells),
    "entry_months": (EntryMonth, ("commune_id", "month", "state"), ("entries",),
                     _counted("entry_months")),
    "entry_states": (EntryState, ("commune_id", "state"), ("entries",),
                     _counted("entry_states")),
    "agreement_checks": (AgreementCheck, ("commune_id", "found"), ("agreements",),
                         _counted("agreement_checks")),
    "team_months": (TeamMonth, ("commune_id", "month", "found"), ("cases",),
                    _counted("team_months")),
    "team_totals": (TeamTotal, ("month", "found"), ("cases",), _counted("team_totals")),
    "limit_months": (LimitMonth, ("commune_id", "month"), ("cases",), _counted("limit_months")),
    "waiting_days": (WaitingDay, ("commune_id", "source", "day"), ("cases",),
                     _counted("waiting_days")),
    "waiting_totals": (WaitingTotal, ("source", "day"), ("cases",),
                       _counted("waiting_totals")),
}
# Summaries rolled up from another: (that one, the positions of its key they keep).
ROLLUPS = {"case_totals": ("case_months", (1, 2, 3)),
           "party_totals": ("party_months", (1, 2, 3)),
           "case_states": ("case_months", (0, 3)),
           "entry_states": ("entry_months", (0, 2)),
           "team_totals": ("team_months", (1, 2)),
           "waiting_totals": ("waiting_days", (1, 2))}
# The summaries kept by the flush of any change to a case (not the participants: the step
# services add those).
KEPT_BY_FLUSH = ("case_months", "party_months", "entry_months", "agreement_checks",
                 "team_months", "limit_months", "waiting_days", *ROLLUPS)
_CHUNK = 500


# -- kept at every flush -------------------------------------------------------------------

_KEPT = "palabre.summaries.touched"
# What puts a case in another cell, or in none (checked.py: merged, to check, mediated).
_CASE_KEYS = ("commune_id", "created_at", "conflict_type", "status", "merged_into_id",
              # and its time limit (limit_months)
              "status_changed_at", "workflow", "workflow_version")
_PARTY_KEYS = ("case_id", "case", "sex", "age_group")


def _changed(obj, names) -> bool:
    state = inspect(obj)
    return state.pending or state.deleted or any(
        state.attrs[name].history.has_changes() for name in names)


def _case_refs(obj) -> list:
    """The cases (ids, or objects not yet flushed) whose cells `obj`'s change may move."""
    state = inspect(obj)
    refs: list = []
    for name in ("case_id", "case"):
        if name in state.attrs:
            history = state.attrs[name].history
            refs += [*history.added, *history.unchanged, *history.deleted]
    return [ref for ref in refs if ref is not None]


def _touched(session) -> list:
    refs: list = []
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Case):
            if _changed(obj, _CASE_KEYS):
                refs.append(obj)
        elif isinstance(obj, Party):
            if _changed(obj, _PARTY_KEYS):
                refs += _case_refs(obj)
        elif isinstance(obj, IntakeRecord | CaseStateEntry | FollowUp | TeamMember | Proposal):
            refs += _case_refs(obj)
        elif isinstance(obj, User) and _changed(obj, ("sex",)) and obj.id is not None:
            refs += _team_cases(session, obj.id)
    return refs


def _team_cases(session, user_id: int) -> list[int]:
    """The cases whose team a person is in: a correction of their sex moves those cells."""
    return list(session.connection().scalars(
        select(TeamMember.case_id).where(TeamMember.user_id == user_id)))


def _ids(refs) -> set[int]:
    return {ref.id if isinstance(ref, Case) else ref for ref in refs} - {None}


class _Touched:
    """The cases a transaction changed, and their cells before its first change to each."""

    def __init__(self):
        self.ids: set[int] = set()
        self.before: dict[str, Counter] = {name: Counter() for name in KEPT_BY_FLUSH}
        self.new: list[Case] = []  # cases not yet flushed: no cells before


@event.listens_for(Session, "before_flush")
def _read_before(session, _context, _instances):
    """Before a flush, the cells of the cases it is the first in the transaction to change.
    A case already changed earlier in the transaction is not read again: its cells before
    the transaction stand, whatever savepoints came and went since."""
    refs = _touched(session)
    if not refs:
        return
    touched = session.info.get(_KEPT)
    if touched is None:
        touched = session.info[_KEPT] = _Touched()
    first = _ids(refs) - touched.ids
    if first:
        for name, counted in cells(session.connection(), first).items():
            touched.before[name].update(counted)
        touched.ids |= first
    touched.new += [ref for ref in refs if isinstance(ref, Case) and ref.id is None]


@event.listens_for(Session, "after_flush")
def _note_the_new_cases(session, _context):
    touched = session.info.get(_KEPT)
    if touched is not None and touched.new:
        touched.ids |= {case.id for case in touched.new if case.id is not None}
        touched.new = []


@event.listens_for(Session, "before_commit")
def _write_the_differences(session):
    """At the commit of the transaction (not of a savepoint inside it), after its last
    flush: the cells of the cases it changed, read again, less their cells before."""
    transaction = session.get_nested_transaction() or session.get_transaction()
    if transaction is None or transaction.parent is None:
        write_differences(session)


def write_differences(session) -> None:
    """Write now the differences the session's changes made to the summaries, table after
    table, each in the order of its keys. Written last, in one order, the shared cells (a
    month's totals) are locked by one writer after another for an instant, never in two
    orders by two writers (a deadlock, when each flush wrote its own). The commit does it; a
    test reads the summaries inside one transaction after calling it."""
    session.flush()
    touched = session.info.pop(_KEPT, None)
    if touched is None or not touched.ids:
        return
    connection = session.connection()
    after = cells(connection, touched.ids)
    writes = []
    for name in KEPT_BY_FLUSH:
        _model, keys, (value,), _count = SUMMARIES[name]
        difference = Counter(after[name])
        difference.subtract(touched.before[name])
        rows = [{**dict(zip(keys, key, strict=True)), value: delta}
                for key, delta in sorted(difference.items()) if delta]
        if rows:
            writes.append((name, rows))
    _share_the_communes(connection, {row["commune_id"] for _name, rows in writes for row in rows
                                     if "commune_id" in row})
    for name, rows in writes:
        _add(connection, name, rows)


def _share_the_communes(connection, ids: set[int]) -> None:
    """On PostgreSQL, take at once, in order, the share of the communes' rows that a new
    summary row's foreign key takes: taken row by row, in the middle of the writes, it waited
    on an intake holding its commune to number a case, while holding a summary row that intake
    was about to write (a deadlock)."""
    if ids and connection.dialect.name == "postgresql":
        connection.execute(select(Commune.id).where(Commune.id.in_(sorted(ids)))
                           .order_by(Commune.id).with_for_update(key_share=True))


@event.listens_for(Session, "after_transaction_end")
def _forget(session, transaction):
    """A transaction that ends without its commit (rolled back, closed) takes its differences
    with it. A savepoint rolled back inside it leaves them: its cases are back as they were,
    and are read again at the commit."""
    if transaction.parent is None:
        session.info.pop(_KEPT, None)


# -- recount -------------------------------------------------------------------------------

def kept(connection, name: str) -> Counter:
    """What a summary holds now, its empty cells left out."""
    model, keys, values, _count = SUMMARIES[name]
    table = model.__table__
    found = Counter()
    for row in connection.execute(select(*(table.c[k] for k in keys),
                                         *(table.c[v] for v in values))):
        key, value = tuple(row[:len(keys)]), tuple(row[len(keys):])
        if any(value):
            found[key] = value if len(values) > 1 else value[0]
    return found


def recount(connection, names: Iterable[str] = tuple(SUMMARIES)) -> dict[str, Counter]:
    """What the summaries `names` should hold, counted from the raw tables, their empty cells
    left out."""
    found = {}
    flushed = cells(connection) if set(names) & set(KEPT_BY_FLUSH) else {}
    for name in names:
        counted = flushed[name] if name in flushed else SUMMARIES[name][3](connection)
        found[name] = Counter({key: value for key, value in counted.items()
                               if (any(value) if isinstance(value, tuple) else value)})
    return found


def differences(connection, names: Iterable[str] = tuple(SUMMARIES)) -> list[tuple]:
    """(summary, key, kept, counted) for every cell where the summary and the recount differ
    (a missing cell: None)."""
    found, counted = [], recount(connection, names)
    for name in names:
        have, should = kept(connection, name), counted[name]
        for key in sorted(set(have) | set(should), key=repr):
            if have.get(key) != should.get(key):
                found.append((name, key, have.get(key), should.get(key)))
    return found


def lock(connection, *, write: bool = False) -> None:
    """Hold the writes to the summaries until the transaction ends (PostgreSQL; SQLite's
    writes run one at a time, and its reads in one transaction see one instant): a change
    committed during a recount would show as a difference, or, during a rebuild, add its
    difference to a recount that already counted it. Reading the dashboard is not held."""
    if connection.dialect.name == "postgresql":
        mode = "EXCLUSIVE" if write else "SHARE"
        connection.exec_driver_sql(f"LOCK TABLE {', '.join(SUMMARIES)} IN {mode} MODE")


def rebuild(connection, names: Iterable[str] = tuple(SUMMARIES)) -> None:
    """Empty the summaries `names` and fill them again from the recount (the caller commits:
    one transaction)."""
    counted = recount(connection, names)
    for name in names:
        model, keys, values, _count = SUMMARIES[name]
        connection.execute(delete(model.__table__))
        rows = [{**dict(zip(keys, key, strict=True)),
                 **dict(zip(values, value if isinstance(value, tuple) else (value,),
                            strict=True))}
                for key, value in counted[name].items()]
        if rows:
            connection.execute(model.__table__.insert(), rows)
