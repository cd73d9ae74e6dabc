"""The monthly report, the dashboard and the programme report give the same numbers for the same
period, each saying which cases it counts, over the hand-counted programme of programme.py:
a proposal (a2's) waiting since March, a case past its time limit (a2, in mediation since
06/03), follow-up visits overdue (b1's: a visit due on a period's last day is overdue when the
period ends, as it is the next morning), and months that cut case a1 in the middle (resolved
01/02, visited 03/03, closed 15/05)."""
import calendar
import re
from datetime import date

import pytest

from casework.queries import dashboard, figures
from casework.queries.filters import CaseFilters
from casework.queries.programme import FIGURES, Scope

FIGURE = re.compile(r"<dt>(.*?)</dt><dd>(.*?)</dd>", re.S)

# Month: (open at its end, of them past their time limit, visits overdue, proposals waiting)
AT_THE_END = {
    # a3 (gender-based violence, gbv_referral) waits for the service from 21/03: open, and
    # past its 14 days from 05/04.
    3: (4, 0, 1, 1),  # a1 (resolved then), a2, a3, b1; b1's 30-day visit, due 31/03, not made
    5: (4, 2, 2, 1),  # a1 closed on 15/05; a2 (86 days), a3, a5 back in mediation, b1
    6: (5, 2, 2, 1),  # the month of NOW: a4 reported on 25/06
}


pytestmark = pytest.mark.usefixtures("at_the_programmes_now")


def month(number: int) -> tuple[date, date]:
    return date(2026, number, 1), date(2026, number, calendar.monthrange(2026, number)[1])


def key_figures(response) -> list[tuple[str, str]]:
    assert response.status_code == 200
    return FIGURE.findall(response.get_data(as_text=True))


def total(name: str, scope: Scope, key: str | None = None):
    counts = FIGURES[name](scope)
    keys = [key] if key else [k for k, _label in counts.columns]
    return sum(counts.total(k) for k in keys)


@pytest.mark.parametrize("number", sorted(AT_THE_END))
def test_the_monthly_report_the_dashboard_and_the_programme_report_agree(
        client, login, people, elsewhere, make_user, programme, number):
    first, last = month(number)
    ids = {people.commune.id, elsewhere.commune.id}
    login(make_user((people.commune, "coordinator"), (elsewhere.commune, "coordinator")))
    monthly = key_figures(client.get(f"/dashboard/monthly?month=2026-{number:02d}"))
    board = key_figures(client.get(f"/dashboard?from={first}&to={last}"))
    assert monthly == board and len(board) == 18

    d = dashboard.build(ids, CaseFilters(date_from=first, date_to=last))
    assert (d.open_total, d.past_sla, d.follow_ups_overdue, d.pending_proposals) == \
        AT_THE_END[number]
    scope = Scope(frozenset(ids), date_from=first, date_to=last)
    assert total("open_at_end", scope) == d.open_total
    assert total("cases_reported", scope) == d.reported
    assert total("cases_taken_on", scope) == sum(row.mediated for row in d.communes)
    assert total("agreements_signed", scope) == d.flows["resolved"]
    assert total("follow_ups", scope, "checked") == d.followed_agreements
    assert total("follow_ups", scope, "broken") == d.broken_agreements
    assert total("conflicts_by_type", scope) == sum(d.by_type.values())
    assert total("parties_by_sex_age", scope) == sum(d.parties.values())
    assert total("mediation_participants", scope) == d.participant_total


def test_each_key_figure_says_which_cases_it_counts(client, login, people, programme):
    login(people.coordinator)
    shown = dict(key_figures(client.get("/dashboard/monthly?month=2026-06")))
    labels = {"Dossiers ouverts": "Dossiers ouverts à la fin de la période",
              "Propositions en attente": "Dossiers ouverts à la fin de la période",
              "Nouveaux dossiers dans la période": "Dossiers signalés pendant la période",
              "Résolus dans la période": "Dossiers traités pendant la période"}
    for figure, counted in labels.items():
        dt = next(dt for dt in shown if dt.startswith(figure))
        assert f"({counted.lower()}" in dt
    assert all(figure.counts in figures.COUNTS for figure in dashboard.key_figures(
        dashboard.build({people.commune.id}, CaseFilters())))


def test_a_proposal_from_a_previous_month_waits_in_this_months_report(
        client, login, people, programme):
    login(people.coordinator)
    page = client.get("/dashboard/monthly?month=2026-06").get_data(as_text=True)
    assert "Aucune proposition n" not in page
    assert programme["a2"].reference in page  # waiting the longest, since 20/03
