"""The mechanisms' figures as tables: the same figures as /dashboard/mechanisms."""
from __future__ import annotations

from flask_babel import gettext as _

from ..models import FFOM_LISTS
from ..queries.filters import CaseFilters
from ..queries.mechanism_figures import PERIOD_NOTE, MechanismFigures
from ..vocabulary import FFOM_LIST_LABELS, MECHANISM_AGE_GROUPS, MEMBER_SEXES, REACHED
from .files import Table


def _percent(rate):
    return None if rate is None else round(rate * 100, 1)


def filters_table(f: MechanismFigures, filters: CaseFilters) -> Table:
    """What the figures cover, so that a file read later says it."""
    commune = (f.rows[0].commune.name if filters.commune_id and f.rows
               else _("All communes") if not filters.commune_id else None)
    return Table(_("Filters"), [_("Criterion"), _("Value")], [
        [_("Commune"), commune],
        [_("Activities held from"), filters.date_from],
        [_("to"), filters.date_to],
        [_("What the period filters"), str(PERIOD_NOTE)],
    ])


def mechanism_tables(f: MechanismFigures, filters: CaseFilters | None = None) -> list:
    rows = f.rows
    member_columns = [(sex, age) for sex in MEMBER_SEXES for age in MECHANISM_AGE_GROUPS]
    return [
        filters_table(f, filters or CaseFilters()),
        Table(_("Action plans"),
              [_("Commune"), _("Mechanism"), _("Activities planned"), _("Activities done"),
               _("Budget planned (FCFA)"), _("Budget spent (FCFA)"), _("Done (%)"),
               _("Budget spent (%)")],
              [[r.commune.name, r.mechanism_name, r.planned, r.done, r.budget_planned,
                r.budget_spent, _percent(r.done_share), _percent(r.spent_share)]
               for r in rows]),
        Table(_("People reached by the activities"),
              [_("Commune"), _("Activities carried out"), *(str(REACHED[n]) for n in REACHED),
               _("Total")],
              [[r.commune.name, r.activities, *(r.reached[n] for n in REACHED),
                r.reached_total] for r in rows]),
        Table(_("Members of the mechanisms"),
              [_("Commune"), *(f"{MEMBER_SEXES[s]} · {MECHANISM_AGE_GROUPS[a]}"
                               for s, a in member_columns),
               _("Total"), _("Women (%)"), _("Young people (%)")],
              [[r.commune.name, *(r.members.get(c, 0) for c in member_columns), r.member_total,
                _percent(r.women_members_share), _percent(r.youth_members_share)]
               for r in rows]),
        Table(_("Latest FFOM analysis"),
              [_("Commune"), _("Date"), *(str(FFOM_LIST_LABELS[n]) for n in FFOM_LISTS),
               _("Women who took part"), _("Men who took part")],
              [[r.commune.name, r.ffom.analysed_on if r.ffom else None,
                *((r.ffom.counts[n] if r.ffom else None) for n in FFOM_LISTS),
                r.ffom.women if r.ffom else None, r.ffom.men if r.ffom else None]
               for r in rows]),
        Table(_("Appreciation by the authorities"),
              [_("Commune"), _("Appreciations"), _("Average rating (1 to 4)")],
              [[r.commune.name, r.appreciations,
                None if r.rating is None else round(r.rating, 1)] for r in rows]),
    ]
