"""Every figure of the dashboard against the hand-counted programme of programme.py, with
and without filters, and who sees which communes."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from casework.clock import clock_at
from casework.extensions import db
from casework.intake import kobo, sms
from casework.models import Case, Event
from casework.queries import dashboard
from casework.queries.filters import CaseFilters
from casework.queries.worklist import waiting_counts
from casework.services import verification
from casework.services.cases import PartyInput
from casework.services.verification import VerifiedReport
from tests.dates import typed
from tests.factories import advance
from tests.intake.samples import submission

from .pages import text
from .programme import NOW

pytestmark = pytest.mark.usefixtures("at_the_programmes_now")


@pytest.fixture
def figures(people, elsewhere, programme):
    def build(ids=None, **filters):
        ids = ids or {people.commune.id, elsewhere.commune.id}
        return dashboard.build(ids, CaseFilters(**filters))
    return build


def by_commune(d):
    return {row.commune.code: row for row in d.communes}


def test_every_figure_unfiltered(figures, people, elsewhere):
    d = figures()
    a, b = by_commune(d)[people.commune.code], by_commune(d)[elsewhere.commune.code]
    assert a.open_by_state == {"reported": 1, "in_mediation": 2, "referral_sent": 1}
    assert b.open_by_state == {"resolved": 1}
    assert d.open_total == 5
    # a2: in mediation since 06/03, limit 60 days; a3: referred on 21/03, limit 14 days
    assert (a.past_sla, b.past_sla) == (2, 0)
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
                        "2026-03": {"in_mediation": 1, "referral_sent": 1},
                        "2026-04": {"in_mediation": 1}, "2026-05": {"not_admissible": 1},
                        "2026-06": {"reported": 1}}


def test_period_counts_reports_and_what_happened_in_it(figures, people):
    d = figures(date_from=date(2026, 3, 1), date_to=date(2026, 4, 30))
    assert (d.reported, d.reported_resolved) == (3, 1)  # a2, a3, a5; a5 has an agreement
    # Open at the end of April, whenever reported: a1 (resolved), a2, a3, a5, b1; a2 is in
    # mediation since 06/03, 55 days, within its 60; a3 waits for the service since 21/03,
    # past its 14 days; b1's 30-day visit was due on 31/03.
    assert d.open_total == 5 and d.past_sla == 1 and d.follow_ups_overdue == 1
    assert d.pending_proposals == 1  # a2's, proposed on 20/03
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


def test_no_case_gives_dashes_not_zero_rates(make_commune):
    d = dashboard.build({make_commune().id}, CaseFilters())  # the module's programme is not in it
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
    link = ('/cases?type=land&amp;to=2026-12-31'  # open at the end: reported by then
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


# -- reports still to check ------------------------------------------------------------------

def test_a_flood_of_reports_to_check_moves_no_figure_until_one_is_checked(
        app, figures, people, elsewhere, programme, client, login, grant, make_user,
        monkeypatch):
    """Forty SMS from forty numbers and a KoboToolbox submission: the dashboard (every commune,
    and one), the monthly report and the API's figures stay as they were; "Mon travail" holds
    them only as reports to check (no case "without a team", none "past its time limit")."""
    monkeypatch.setitem(app.config, "SMS_MAX_PER_COMMUNE_PER_HOUR", 1000)
    monkeypatch.setitem(app.config, "SMS_MAX_PER_HOUR_OVERALL", 1000)
    coordinator = make_user((people.commune, "coordinator"), (elsewhere.commune, "coordinator"))
    token = {"Authorization": f"Bearer {grant(coordinator)}"}
    login(coordinator)
    june = {"date_from": date(2026, 6, 1), "date_to": date(2026, 6, 30)}

    def seen():
        monthly = client.get("/dashboard/monthly?month=2026-06")
        rows = db.session.scalars(select(Event.data).where(
            Event.kind == "export.monthly_report").order_by(Event.id.desc())).first()["rows"]
        with clock_at(NOW + timedelta(days=20)):  # the flood is past its time limit by then
            waiting = [waiting_counts(u) for u in (coordinator, people.mediator, people.mayor)]
        to_check = [counts.pop("report_to_verify", 0) for counts in waiting]
        return (figures(), figures(ids={people.commune.id}), figures(**june),
                client.get("/api/v1/dashboard", headers=token).get_json(),
                monthly.status_code, rows, waiting), to_check

    before, to_check = seen()
    for n in range(40):
        sms.receive(f"+2236700{n:04d}", f"CONFLIT {people.commune.code} Kola, champ {n}", None,
                    "twilio")
    kobo.import_submissions(people.coordinator, [(1, submission(
        people.commune.code, "flood-kobo-1", **{"signalement/date_faits": typed(-3)}))])
    db.session.commit()
    after, now_to_check = seen()
    assert after == before
    assert now_to_check == [to_check[0] + 41, to_check[1] + 41, to_check[2]]
    lead = db.session.scalar(select(Case).where(Case.channel == "sms").order_by(Case.id))
    verification.verify_report(people.mediator, lead, VerifiedReport(
        village="Kola", conflict_type="land", description="Un champ disputé.",
        parties=[PartyInput(name="Awa Diallo", sex="F", age_group="adult")]))
    db.session.commit()
    assert (figures().reported, figures().by_type["land"]) == (
        before[0].reported + 1, before[0].by_type["land"] + 1)


def test_a_report_whose_mediation_started_unchecked_counts(figures, people, programme):
    """Before the check came first, a mediation could start on an SMS nobody checked: its
    team's work counts, though it can no longer be checked."""
    before = figures()
    lead = sms.receive("+22367000001", f"CONFLIT {people.commune.code} Kola, un champ", None,
                       "twilio")
    case = db.session.scalar(select(Case).where(Case.reference == lead.reference))
    record = verification.waiting_check(case)
    record.to_verify = False  # as it was possible then
    advance(people, case, "assign")
    advance(people, case, "start")
    record.to_verify = True
    db.session.commit()
    after = figures()
    assert after.reported == before.reported + 1
    assert after.open_by_state["in_mediation"] == before.open_by_state["in_mediation"] + 1
