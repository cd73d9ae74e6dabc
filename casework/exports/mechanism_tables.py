"""The mechanisms' figures as tables: the same figures as /dashboard/mechanisms."""
from __future__ import annotations

from flask_babel import gettext as _

from ..models import FFOM_LISTS
from ..queries.mechanism_figures import MechanismFigures
from ..vocabulary import FFOM_LIST_LABELS, MECHANISM_AGE_GROUPS, MEMBER_SEXES, REACHED
from .files import Table


def _percent(rate):
    return None if rate is None else round(rate * 100, 1)


def mechanism_tables(f: MechanismFigures) -> list:
    rows = f.rows
    member_columns = [(sex, age) for sex in MEMBER_SEXES for age in MECHANISM_AGE_GROUPS]
    return [
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
                r.reached_total] for r in rows], sheet=_("People reached")),
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
