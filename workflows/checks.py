"""Checks that need every definition at once: which workflow serves which new cases, and
whether an upgrade's mapping names states of the version it upgrades from."""
from __future__ import annotations

from typing import Any

# The engine hands itself and its error class in: this module imports nothing of it.
Engine = Workflow = Error = Any


def across_definitions(engine: Engine, directory: str, error: type) -> list[Error]:
    return [*_serves_overlap(engine, error), *_served_by_none(engine, directory, error),
            *_upgrade_sources(engine, error)]


def describe(kind: dict[str, Any]) -> str:
    """A kind of case as people read it: 'conflict_type=land, gender_based_violence=False'."""
    return ", ".join(f"{fact}={value}" for fact, value in kind.items()) or "any case"


def _serves_overlap(engine: Engine, error: type) -> list[Error]:
    """New cases go to the latest version of one workflow: two may never claim the same case."""
    current = engine.current()
    errors = []
    for index, first in enumerate(current):
        for second in current[index + 1:]:
            both = [kind for kind in engine.kinds
                    if first.serves_case(kind) and second.serves_case(kind)]
            if both:
                errors.append(error(second.source, (
                    f"serves overlaps {first.name} v{first.version} ({first.source}): both "
                    f"would serve {len(both)} kind(s) of case, e.g. {describe(both[0])}"),
                    second.lines.get("serves")))
    return errors


def _served_by_none(engine: Engine, directory: str, error: type) -> list[Error]:
    current = engine.current()
    if not current:
        return []
    orphans = [kind for kind in engine.kinds if not any(w.serves_case(kind) for w in current)]
    return [error(directory, f"no workflow serves a new case with {describe(kind)}")
            for kind in orphans]


def _upgrade_sources(engine: Engine, error: type) -> list[Error]:
    errors = []
    for workflow in engine.workflows():
        upgrade = workflow.upgrade
        if upgrade is None:
            continue
        try:
            old = engine.get(workflow.name, upgrade.from_version)
        except KeyError:
            errors.append(error(workflow.source, f"upgrade_from: {workflow.name} version "
                                                 f"{upgrade.from_version} is not loaded",
                                workflow.lines.get("upgrade_from")))
            continue
        for old_state in upgrade.states:
            if old_state not in old.states:
                errors.append(error(workflow.source, f"upgrade_from: {workflow.name} "
                                                     f"v{upgrade.from_version} has no state "
                                                     f"{old_state!r}",
                                    workflow.lines.get(("upgrade", old_state))))
    return errors
