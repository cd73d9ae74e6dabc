"""How many cases follow each version of each workflow, and in which state; and the versions
cases use that are not loaded (the app and `flask check-workflows` refuse them)."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import func, inspect, select
from sqlalchemy.exc import OperationalError, ProgrammingError

from workflows import Engine, WorkflowDefinitionError

from ..extensions import db
from ..models import Case


def cases_per_state() -> Counter:
    """(workflow, version, state) -> number of cases, in one query."""
    return Counter({(name, version, state): count for name, version, state, count in
                    db.session.execute(select(Case.workflow, Case.workflow_version, Case.status,
                                              func.count(Case.id))
                                       .group_by(Case.workflow, Case.workflow_version,
                                                 Case.status))})


def cases_per_version(per_state: Counter | None = None) -> Counter:
    per_version: Counter = Counter()
    for (name, version, _state), count in (per_state or cases_per_state()).items():
        per_version[(name, version)] += count
    return per_version


def missing_versions(engine: Engine, directory: str) -> list[WorkflowDefinitionError]:
    """One error per version that cases follow but no definition file of `directory` holds.
    A database not created yet (no cases table, or no database at all) has none."""
    try:
        if not inspect(db.engine).has_table(Case.__tablename__):
            return []
        used = cases_per_version()
    except (OperationalError, ProgrammingError):
        db.session.rollback()
        return []
    loaded = {w.key for w in engine.workflows()}
    return [WorkflowDefinitionError(directory, (
        f"{count} case(s) use {name} v{version}, whose definition is not loaded: put "
        f"{name}.v{version}.yaml back (or upgrade those cases first); their pages and the "
        f"case list cannot be shown without it"))
            for (name, version), count in sorted(used.items()) if (name, version) not in loaded]
