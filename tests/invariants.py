"""What holds in any Palabre database whatever happened to it (races, a killed server, a
backup): each case's status is the replay of its transition events along the definition's
edges, proposals are in possible states, and no row points at a missing row."""
from __future__ import annotations

import sqlite3
from collections import Counter

from sqlalchemy import exists, func, select

from casework.extensions import db
from casework.models import Case, Event, Proposal
from casework.workflow_registry import engine


def trail_problems(session, case: Case) -> list[str]:
    """Empty when the case's `case.transition` events replay, edge by edge of the version it
    followed then, and its `case.workflow_upgraded` events along their version's mapping, to
    its status and version."""
    trail = list(session.scalars(select(Event).where(
        Event.case_id == case.id,
        Event.kind.in_(("case.reported", "case.transition", "case.workflow_upgraded")))
        .order_by(Event.id)))
    first = next((e.data for e in trail if e.kind in ("case.reported", "case.workflow_upgraded")),
                 {})
    workflow = engine().get(case.workflow, first.get("workflow_version", first.get(
        "from_version", case.workflow_version)))
    state, problems = workflow.initial, []
    for event in trail:
        if event.kind == "case.reported":
            continue
        step = (event.data["from_state"], event.data["to_state"])
        if event.kind == "case.workflow_upgraded":
            workflow = engine().get(case.workflow, event.data["to_version"])
            allowed = {(step[0], workflow.upgrade.states.get(step[0]))}
        else:
            allowed = {(source, t.dest) for t in workflow.transitions for source in t.sources}
        if step[0] != state or step not in allowed:
            problems.append(f"{case.reference}: event {event.id} goes {step} from {state}")
        state = step[1]
    if (state, workflow.version) != (case.status, case.workflow_version):
        problems.append(f"{case.reference}: status {case.status} v{case.workflow_version}, "
                        f"trail replays to {state} v{workflow.version}")
    return problems


def proposal_problems(session, proposal: Proposal) -> list[str]:
    label = f"{proposal.case.reference} proposal {proposal.id} ({proposal.status})"
    decisions = Counter(s.decision for s in proposal.signoffs)
    roles = Counter(s.role for s in proposal.signoffs)
    fired = session.scalar(select(func.count()).select_from(Event).where(
        Event.case_id == proposal.case_id, Event.kind == "case.transition",
        Event.data["proposal_id"].as_integer() == proposal.id))
    problems = []
    if any(count > 1 for count in roles.values()):
        problems.append(f"{label}: a role signed twice {dict(roles)}")
    if any(s.user_id == proposal.proposed_by_id for s in proposal.signoffs):
        problems.append(f"{label}: signed by its proposer")
    if proposal.status == "pending":
        if decisions["reject"] or not proposal.awaited_roles or fired \
                or proposal.case.status != proposal.from_state:
            problems.append(f"{label}: cannot still wait ({dict(decisions)}, fired {fired})")
    elif proposal.status == "approved":
        if set(roles) != set(proposal.required_roles) or decisions["reject"] or fired != 1:
            problems.append(f"{label}: signed by {dict(roles)}, fired {fired} times")
    elif proposal.status in ("rejected", "cancelled", "withdrawn"):
        if fired or (proposal.status == "rejected") != bool(decisions["reject"]):
            problems.append(f"{label}: {dict(decisions)}, fired {fired} times")
    else:
        problems.append(f"{label}: unknown status")
    if (proposal.status == "pending") == (proposal.decided_at is not None):
        problems.append(f"{label}: decided_at is {proposal.decided_at}")
    return problems


def orphan_rows(session) -> list[str]:
    """Rows whose foreign key names a missing row (both databases; SQLite may not enforce)."""
    problems = []
    for table in db.metadata.sorted_tables:
        for key in table.foreign_keys:
            column, target = key.parent, key.column
            if target.table is table:  # a row pointing at another row of its own table
                target = table.alias("target").c[target.name]
            count = session.scalar(select(func.count()).select_from(table).where(
                column.is_not(None), ~exists().where(target == column)))
            if count:
                problems.append(f"{table.name}.{column.name}: {count} rows point nowhere")
    return problems


def database_problems(session) -> list[str]:
    """Every problem above, over the whole database (empty when it is sound)."""
    problems = orphan_rows(session)
    for case in session.scalars(select(Case).order_by(Case.id)):
        problems += trail_problems(session, case)
    for proposal in session.scalars(select(Proposal).order_by(Proposal.id)):
        problems += proposal_problems(session, proposal)
    return problems


def sqlite_file_problems(path) -> list[str]:
    """SQLite's own checks of a database file: the pages, then the foreign keys."""
    connection = sqlite3.connect(path)
    try:
        verdict = connection.execute("PRAGMA integrity_check").fetchall()
        dangling = connection.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        connection.close()
    problems = [] if verdict == [("ok",)] else [f"integrity_check: {verdict[:5]}"]
    return problems + [f"foreign_key_check: {row}" for row in dangling[:5]]
