"""The workflow drawn for people: the diagram of a version and the sentences that explain each
numbered arrow, in the reader's language, all taken from the definition itself."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask_babel import lazy_gettext as _l

from workflows import Workflow
from workflows.layout import Diagram, draw

from .vocabulary import REFERRAL_STATUSES, ROLES
from .workflow_registry import condition_hint


@lru_cache(maxsize=32)
def drawing(workflow: Workflow, locale: str) -> Diagram:
    """The diagram of a loaded version in one language: drawn once, shown on every case page."""
    return draw(workflow, locale)


@dataclass(frozen=True)
class LegendLine:
    number: int
    label: str
    details: tuple[str, ...]


def describe(workflow: Workflow, locale: str) -> str:
    """What the picture shows, for a screen reader (the numbered list follows it)."""
    return str(_l("Diagram of the workflow %(title)s: %(states)d states and %(transitions)d "
                  "transitions, listed below.", title=workflow.title_for(locale),
                  states=len(workflow.states), transitions=len(workflow.transitions)))


def legend(workflow: Workflow, locale: str) -> list[LegendLine]:
    lines = []
    for number, t in enumerate(workflow.transitions, start=1):
        def roles(names):
            return ", ".join(str(ROLES.get(name, name)) for name in names)

        def hints(names):
            return "; ".join(str(condition_hint(name)) for name in names)

        details = [str(_l("From %(sources)s to %(dest)s.",
                          sources=", ".join(workflow.state(s).label(locale) for s in t.sources),
                          dest=workflow.state(t.dest).label(locale)))]
        conditions = [*t.requires, *(f"not:{name}" for name in t.unless)]
        if t.automatic:
            details.append(str(_l("Happens by itself once this holds: %(conditions)s.",
                                  conditions=hints(conditions))))
        elif t.on_referral:
            details.append(str(_l("Happens when the service answers the referral: %(answer)s.",
                                  answer=REFERRAL_STATUSES[t.on_referral])))
        else:
            details.append(str(_l("Done by: %(roles)s.", roles=roles(t.by))))
            if conditions:
                details.append(str(_l("Conditions: %(conditions)s.", conditions=hints(conditions))))
        if t.signoffs:
            details.append(str(_l("Then signed off by: %(roles)s.", roles=roles(t.signoffs))))
        lines.append(LegendLine(number, t.label(locale), tuple(details)))
    return lines
