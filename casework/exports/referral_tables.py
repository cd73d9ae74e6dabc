"""The referral figures as tables (the dashboard's export), and the referrals one a row (the
per-referral export): counts and dates only, never a name nor a village, a confidential case's
referral like any other (queries/referral_figures.py)."""
from __future__ import annotations

from flask_babel import gettext as _

from ..queries.referral_figures import PEOPLE_MEASURES, ReferralFigures, ReferralRow
from ..vocabulary import AGE_GROUPS, REFERRAL_MEASURES, REFERRAL_STATUSES, SERVICE_KINDS, SEXES
from ..vocabulary import label as label_of
from .files import Table


def _measures() -> list[str]:
    return [*(str(name) for name in REFERRAL_MEASURES.values()), _("Median days to answer")]


def _tally(tally) -> list:
    return [*(tally[m] for m in REFERRAL_MEASURES), tally.median_days]


def referral_tables(rf: ReferralFigures) -> list[Table]:
    return [
        Table(_("Referrals by service, answer and delay"),
              [_("Service"), _("Kind of service"), _("Commune"), *_measures()],
              [*([g.name, label_of(SERVICE_KINDS, g.kind), g.commune, *_tally(g.tally)]
                 for g in rf.services),
               [_("Total"), "", "", *_tally(rf.total)]], sheet=_("Referrals")),
        Table(_("Referrals by kind of service"), [_("Kind of service"), *_measures()],
              [[g.name, *_tally(g.tally)] for g in rf.kinds], sheet=_("Referrals by kind")),
        Table(_("Referrals by commune"), [_("Commune"), *_measures()],
              [[g.name, *_tally(g.tally)] for g in rf.communes],
              sheet=_("Referrals by commune")),
        Table(_("Parties referred, by sex and age group"),
              [_("Sex"), _("Age group"), *(str(REFERRAL_MEASURES[m]) for m in PEOPLE_MEASURES)],
              [[label_of(SEXES, sex), label_of(AGE_GROUPS, age),
                *(counts[m] for m in PEOPLE_MEASURES)]
               for (sex, age), counts in rf.people.items() if counts["sent"]],
              sheet=_("Parties referred")),
    ]


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def referral_list(rows: list[ReferralRow]) -> Table:
    """The referrals one a row, with their parties as counts by sex and age group."""
    cells = [(sex, age) for sex in SEXES for age in AGE_GROUPS]
    return Table(
        _("Referrals"),
        [_("Reference"), _("Commune"), _("Service"), _("Kind of service"), _("Sent on"),
         _("Answer due by"), _("Answered on"), _("Status"), _("Days to answer"), _("Late"),
         _("Answered in time"), _("Outcome recorded"), _("Outcome recorded on"),
         *(f"{label_of(SEXES, sex)} · {label_of(AGE_GROUPS, age)}" for sex, age in cells)],
        [[r.reference, r.commune, r.service, label_of(SERVICE_KINDS, r.kind), r.referred_on,
          r.answer_by, r.answered_on, label_of(REFERRAL_STATUSES, r.status), r.days_to_answer,
          _yes(r.late), _yes(r.in_time), _yes(r.outcome_on is not None), r.outcome_on,
          *(r.parties.get(cell, 0) for cell in cells)] for r in rows])
