"""Every figure of the dashboard against the hand-counted programme of programme.py, with
and without filters, and who sees which communes."""
from datetime import date

import pytest

from casework.models import clock_at
from casework.queries import dashboard
from casework.queries.filters import CaseFilters

from .pages import text
from .programme import NOW, build_programme


@pytest.fixture
def programme(people, elsewhere, make_user):
    male = make_user((people.commune, "mediator"), sex="M")
    return build_programme(people, elsewhere, male)


@pytest.fixture
def figures(people, elsewhere, programme):
    def build(ids=None, **filters):
        ids = ids or {people.commune.id, elsewhere.commune.id}
        with clock_at(NOW):
            return dashboard.build(ids, CaseFilters(**filters))
    return build


def by_commune(d):
    return {row.commune.code: row for row in d.communes}


def test_every_figure_unfiltered(figures, people, elsewhere):
    d = figures()
    a, b = by_commune(d)[people.commune.code], by_commune(d)[elsewhere.commune.code]
    assert a.open_by_state == {"reported": 1, "in_mediation": 2}
    assert b.open_by_state == {"resolved": 1}
    assert d.open_total == 4
    assert (a.past_sla, b.past_sla) == (1, 0)  # a2: in mediation since 06/03, limit 60 days
    assert d.flows == {"resolved": 3, "referred": 1, "closed": 1, "not_admissible": 1}
    assert (d.reported, d.reported_resolved) == (7, 3)
    assert d.resolution_rate == pytest.approx(3 / 7)
    assert d.median_days_to_resolution == pytest.approx(19)  # 22 (a1), 5 (a5), 19 (b1)
    assert d.follow_ups_overdue == 2  # b1's visits at 30 and 90 days
    assert d.pending_proposals == 1
    assert d.awaiting_by_role == {"commune_authority": 0, "traditional_leader": 1}
    assert [p.case.reference for p in d.oldest_proposals] == [
        p.case.reference for p in d.oldest_proposals if p.case.village == "Tièmala"]
    assert (d.followed_agreements, d.broken_agreements) == (2, 1)
    assert d.relapse_rate == pytest.approx(0.5)
    assert d.by_type == {"land": 3, "farmer_herder": 1, "gbv": 1, "family": 1, "boundary": 1}
    assert d.participants == {"women": 11, "men": 17, "young_women": 3, "young_men": 6}
    assert d.women_share == pytest.approx(14 / 37)
    assert d.youth_share == pytest.approx(9 / 37)
    assert (d.cases_with_team, d.teams_with_woman) == (4, 3)  # a2's team is a man
    assert d.parties == {("M", "adult"): 7, ("F", "youth"): 7}
    assert (a.mediated, a.resolved, a.target_met) == (3, 2, True)
    assert (b.mediated, b.resolved, b.target_met) == (1, 1, False)
    assert d.communes_meeting_target == 1
    assert d.months == {"2026-01": {"closed": 1}, "2026-02": {"resolved": 1},
                        "2026-03": {"in_mediation": 1, "referred": 1},
                        "2026-04": {"in_mediation": 1}, "2026-05": {"not_admissible": 1},
                        "2026-06": {"reported": 1}}


def test_period_counts_reports_and_what_happened_in_it(figures, people):
    d = figures(date_from=date(2026, 3, 1), date_to=date(2026, 4, 30))
    assert (d.reported, d.reported_resolved) == (3, 1)  # a2, a3, a5; a5 has an agreement
    assert d.open_total == 2 and d.past_sla == 1
    assert d.flows == {"resolved": 2, "referred": 1, "closed": 0, "not_admissible": 0}
    assert d.median_days_to_resolution == pytest.approx(12)  # b1 (19) and a5 (5)
    assert d.participants == {"women": 6, "men": 10, "young_women": 2, "young_men": 4}
    assert (d.followed_agreements, d.broken_agreements) == (1, 0)  # a1's visit of 03/03
    a = by_commune(d)[people.commune.code]
    assert (a.mediated, a.resolved) == (2, 1)
    assert d.by_type == {"farmer_herder": 1, "gbv": 1, "family": 1}
    assert (d.cases_with_team, d.teams_with_woman) == (2, 1)  # a2 (a man), a5 (a woman)


def test_commune_type_and_state_filters(figures, people, elsewhere):
    only_b = figures(commune_id=elsewhere.commune.id)
    assert [row.commune.code for row in only_b.communes] == [elsewhere.commune.code]
    assert (only_b.reported, only_b.open_total, only_b.follow_ups_overdue) == (2, 1, 2)
    assert only_b.pending_proposals == 0
    assert (only_b.cases_with_team, only_b.teams_with_woman) == (1, 1)
    land = figures(conflict_type="land")
    assert (land.reported, land.open_total, land.flows["closed"]) == (3, 2, 1)
    assert land.parties == {("M", "adult"): 3, ("F", "youth"): 3}
    in_mediation = figures(status="in_mediation")
    assert (in_mediation.reported, in_mediation.open_total) == (2, 2)
    assert in_mediation.pending_proposals == 1
    assert in_mediation.participants == {"women": 6, "men": 10, "young_women": 2,
                                         "young_men": 4}


def test_a_commune_filter_outside_the_users_communes_shows_nothing(figures, people,
                                                                    elsewhere):
    d = figures(ids={people.commune.id}, commune_id=elsewhere.commune.id)
    assert d.communes == [] and d.reported == 0 and d.open_total == 0
    assert d.follow_ups_overdue == 0 and d.participant_total == 0


def test_no_case_gives_dashes_not_zero_rates(people):
    with clock_at(NOW):
        d = dashboard.build({people.commune.id}, CaseFilters())
    assert d.resolution_rate is None and d.relapse_rate is None and d.women_share is None
    assert d.median_days_to_resolution is None
    assert dashboard.key_figures(d)[0].value == 0  # open cases: a count, zero


# -- the page ----------------------------------------------------------------------------

@pytest.mark.parametrize("who, status", [("coordinator", 200), ("mayor", 200), ("chief", 200),
                                         ("mediator", 403)])
def test_who_sees_the_dashboard(client, login, people, who, status):
    login(getattr(people, who))
    assert client.get("/dashboard").status_code == status


def test_admin_has_no_dashboard(client, login, make_user):
    login(make_user(is_admin=True))
    assert client.get("/dashboard").status_code == 403


def test_a_mayor_sees_only_their_commune(client, login, people, elsewhere, programme):
    login(people.mayor)
    page = text(client.get("/dashboard"))
    assert people.commune.name in page
    assert elsewhere.commune.name not in page


def test_each_cell_links_to_the_cases_it_counts(client, login, people, elsewhere, make_user,
                                                programme):
    coordinator = make_user((people.commune, "coordinator"), (elsewhere.commune, "coordinator"))
    login(coordinator)
    query = "?type=land&from=2026-01-01&to=2026-12-31"
    page = text(client.get("/dashboard" + query))
    link = ('/cases?type=land&amp;from=2026-01-01&amp;to=2026-12-31'
            f'&amp;commune={people.commune.id}&amp;status=reported')
    assert link in client.get("/dashboard" + query).get_data(as_text=True)
    listed = text(client.get(link.replace("&amp;", "&")))
    assert programme["a4"].reference in listed
    assert programme["a1"].reference not in listed  # closed, not in the reported cell
    assert 'value="2026-01-01"' in page  # the filters stay in the form: a bookmarkable view


def test_a_malformed_filter_is_said_and_ignored(client, login, people):
    login(people.coordinator)
    response = client.get("/dashboard?from=31-12-2026&commune=abc&status=nope")
    assert response.status_code == 200
    assert "31-12-2026" in text(response)


def test_monthly_report_counts_one_month_and_is_logged(client, login, people, elsewhere,
                                                       make_user, programme):
    coordinator = make_user((people.commune, "coordinator"), (elsewhere.commune, "coordinator"))
    login(coordinator)
    response = client.get(f"/dashboard/monthly?month=2026-03&commune={people.commune.id}")
    assert response.status_code == 200
    page = text(response)
    assert "03/2026" in page and people.commune.name in page
    from casework.extensions import db
    from casework.models import Event
    from sqlalchemy import select
    event = db.session.scalars(select(Event).where(Event.kind == "export.monthly_report")).one()
    assert event.actor_id == coordinator.id
    assert event.data["month"] == "2026-03"
    assert event.data["rows"] == 2  # a2 and a3 were reported in March in commune A


def test_many_communes_show_the_busiest_and_those_behind(figures, people, elsewhere,
                                                         monkeypatch):
    monkeypatch.setattr(dashboard, "COMMUNES_SHOWN", 1)
    d = figures()
    assert [row.commune.id for row in d.busiest_communes] == [people.commune.id]  # 3 open, 1
    assert [row.commune.id for row in d.plan_rows] == [elsewhere.commune.id]  # 1 of target 2


@pytest.mark.parametrize("typed, shown", [("2026-03", "03/2026"), ("3/2026", "03/2026")])
def test_the_month_of_the_report_is_read_both_ways(client, login, people, typed, shown):
    login(people.coordinator)
    assert shown in text(client.get(f"/dashboard/monthly?month={typed}"))


def test_a_malformed_month_is_said(client, login, people):
    login(people.coordinator)
    page = text(client.get("/dashboard/monthly?month=2026-13"))
    assert "2026-13" in page  # the message names what was typed; this month is shown instead


def test_every_chart_has_its_numbers_in_a_table(client, login, people, elsewhere, make_user,
                                               programme):
    login(make_user((people.commune, "coordinator"), (elsewhere.commune, "coordinator")))
    html = client.get("/dashboard").get_data(as_text=True)
    assert html.count("<svg") == 3
    assert '<th scope="row">Foncier</th><td>3</td>' in html  # conflicts by type
    assert '<th scope="row">Femmes</th><td>11</td>' in html  # participants by sex
