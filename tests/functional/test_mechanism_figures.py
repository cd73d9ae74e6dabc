"""The mechanisms' figures per commune (plan progress, budget, people reached by sex and age
group, members, the latest FFOM), on the dashboard and in its CSV/XLSX export, with the
dashboard's access rules; one query per figure, whatever the number of communes."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from casework.clock import local_today
from casework.extensions import db
from casework.models import Event
from casework.queries import mechanism_figures
from casework.queries.filters import CaseFilters
from casework.services import action_plans, mechanism_activities, mechanisms
from tests.mechanism_factories import activity_input, analysis_input, planned_input

from .pages import text
from .test_query_counts import counting


@pytest.fixture
def figures_of(people, make_mechanism):
    """A mechanism with known numbers: three activities planned (one more cancelled), two done
    (one at its budget, one with an actual cost), two activities carried out, two FFOMs."""
    stage = make_mechanism()  # one awareness session of 150,000, done at its budget
    plan, m = stage.plan, people.mediator
    training = action_plans.add_planned_activity(m, plan, planned_input(
        title="Formation", kind="training", budget=400_000))
    mechanism_activities.record_activity(m, stage.mechanism, activity_input(
        planned_id=training.id, actual_cost=380_000, kind="training", young_women=1, women=2,
        elder_women=0, young_men=3, men=4, elder_men=5))
    dropped = action_plans.add_planned_activity(m, plan, planned_input(budget=70_000))
    action_plans.update_planned_activity(m, dropped, planned_input(budget=70_000,
                                                                   status="cancelled"))
    action_plans.add_planned_activity(m, plan, planned_input(
        title="Plaidoyer", kind="advocacy", budget=100_000,
        planned_on=local_today() + timedelta(days=20)))
    mechanisms.record_analysis(m, stage.mechanism, analysis_input(
        analysed_on=local_today() - timedelta(days=2), strengths=["a", "b", "c"], women=9,
        men=4))
    mechanisms.add_member(m, stage.mechanism, mechanisms.MemberInput(
        full_name="Sidiki Samaké", sex="M", age_group="elder", function="president"))
    mechanism_activities.save_appreciation(people.mayor, stage.activity, rating=4,
                                           comment="Bien.")
    mechanism_activities.save_appreciation(people.chief, stage.activity, rating=3,
                                           comment="Assez bien.")
    db.session.commit()
    return stage


def test_the_figures_of_a_commune(people, figures_of):
    row = mechanism_figures.build({people.commune.id}).rows[0]
    assert (row.planned, row.done) == (3, 2)
    assert row.budget_planned == 150_000 + 400_000 + 100_000
    assert row.budget_spent == 150_000 + 380_000
    assert row.activities == 2
    assert row.reached == {"young_women": 12 + 1, "women": 20 + 2, "elder_women": 4,
                           "young_men": 6 + 3, "men": 5 + 4, "elder_men": 2 + 5}
    assert (row.reached_women, row.reached_youth, row.reached_elders) == (39, 22, 11)
    assert row.members == {("F", "youth"): 1, ("M", "elder"): 1}
    assert (row.women_members_share, row.youth_members_share) == (0.5, 0.5)
    assert row.ffom.analysed_on == local_today() - timedelta(days=2)
    assert (row.ffom.counts["strengths"], row.ffom.women, row.ffom.men) == (3, 9, 4)
    assert (row.appreciations, row.rating) == (2, 3.5)


def test_a_commune_without_a_mechanism_shows_zeros(people, make_people):
    other = make_people()
    row = mechanism_figures.build({other.commune.id}).rows[0]
    assert row.mechanism_name is None and row.ffom is None
    assert (row.planned, row.budget_spent, row.reached_total, row.member_total) == (0, 0, 0, 0)
    assert row.done_share is None  # a dash on screen, never 0 %


def test_the_dashboard_page_shows_them(app, people, figures_of, login):
    page = text(login(people.mayor, app.test_client()).get("/dashboard/mechanisms"))
    assert "2 / 3" in page  # activities done / planned
    assert "530\u202f000 / 650\u202f000" in page
    assert "Budget dépensé : le coût réel" in page
    assert "FFOM du" in page and "3 forces" in page and "9 femmes et 4 hommes" in page
    assert "2 appréciations des autorités, moyenne 3,5 sur 4" in page


@pytest.mark.parametrize("who, sees_other", [("coordinator", True), ("mayor", False)])
def test_the_dashboard_covers_the_users_communes_only(app, people, make_people, make_user,
                                                     figures_of, login, who, sees_other):
    other = make_people()
    coordinator = make_user((people.commune, "coordinator"), (other.commune, "coordinator"))
    user = coordinator if who == "coordinator" else people.mayor
    page = text(login(user, app.test_client()).get("/dashboard/mechanisms"))
    assert people.commune.name in page
    assert (other.commune.name in page) == sees_other


@pytest.mark.parametrize("role", ["mediator", "admin"])
def test_no_mechanism_dashboard_for_mediators_and_administrators(app, people, make_user, login,
                                                                 role):
    user = people.mediator if role == "mediator" else make_user(is_admin=True)
    client = login(user, app.test_client())
    assert client.get("/dashboard/mechanisms").status_code == 403
    assert client.get("/exports/mechanisms.csv").status_code == 403


def test_the_export_holds_the_same_figures_and_is_an_event(app, people, figures_of, login):
    client = login(people.coordinator, app.test_client())
    response = client.get("/exports/mechanisms.csv")
    assert response.status_code == 200
    body = response.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    header = rows.index(next(r for r in rows if r[:1] == ["Commune"] and "Activités prévues" in r))
    plan_row = rows[header + 1]
    assert plan_row[0] == people.commune.name
    assert plan_row[2:6] == ["3", "2", "650000", "530000"]
    assert "Jeunes femmes et filles (15-35 ans)" in body
    event = db.session.scalar(select(Event).where(Event.kind == "export.mechanisms"))
    assert event.actor_id == people.coordinator.id and event.data["format"] == "csv"
    book = load_workbook(io.BytesIO(client.get("/exports/mechanisms.xlsx").get_data()))
    assert "Plans d'action" in book.sheetnames
    assert [c.value for c in next(book["Plans d'action"].iter_rows(min_row=2))][2:6] == [
        3, 2, 650_000, 530_000]


def test_queries_do_not_grow_with_the_communes(app, make_people, make_mechanism, make_user,
                                               login):
    counts = []
    communes = []
    for more in (3, 3):  # most of the communes each time (the town adds two: tests/kept.py)
        for _ in range(more):
            who = make_people()
            make_mechanism(who)
            communes.append(who.commune)
        coordinator = make_user(*((c, "coordinator") for c in communes))
        client = login(coordinator, app.test_client())
        per_page = []
        for url in ("/dashboard/mechanisms", "/mechanisms", "/exports/mechanisms.csv",
                    f"/mechanisms/{communes[0].code}"):
            with counting() as statements:
                assert client.get(url).status_code == 200, url
            per_page.append(len(statements))
        counts.append(per_page)
    assert counts[0] == counts[1]


# -- filtered by a commune and a period ------------------------------------------------------

@pytest.fixture
def dated(people, figures_of):
    """On top of `figures_of` (both activities held ten days ago): a plan activity marked
    done without a record, planned fifty days ago; an activity outside the plan held a hundred
    days ago."""
    m = people.mediator
    today = local_today()
    marked = action_plans.add_planned_activity(m, figures_of.plan, planned_input(
        title="Radio", budget=50_000, planned_on=today - timedelta(days=50)))
    action_plans.update_planned_activity(m, marked, planned_input(
        title="Radio", budget=50_000, planned_on=today - timedelta(days=50), status="done"))
    mechanism_activities.record_activity(m, figures_of.mechanism, activity_input(
        held_on=today - timedelta(days=100), young_women=0, women=7, elder_women=0,
        young_men=0, men=0, elder_men=0))
    db.session.commit()
    return figures_of


def period(start: int, end: int) -> CaseFilters:
    today = local_today()
    return CaseFilters(date_from=today - timedelta(days=start),
                       date_to=today - timedelta(days=end))


def test_a_period_counts_the_activities_carried_out_in_it(people, dated):
    whole = mechanism_figures.build({people.commune.id}).rows[0]
    assert (whole.done, whole.budget_spent, whole.activities) == (3, 580_000, 3)
    assert whole.reached["women"] == 20 + 2 + 7
    recent = mechanism_figures.build({people.commune.id}, period(30, 0)).rows[0]
    assert (recent.done, recent.budget_spent, recent.activities) == (2, 530_000, 2)
    assert recent.reached["women"] == 20 + 2
    earlier = mechanism_figures.build({people.commune.id}, period(120, 40)).rows[0]
    assert (earlier.done, earlier.budget_spent, earlier.activities) == (1, 50_000, 1)
    assert earlier.reached_total == 7
    # What was planned, the members and the appreciations are not dated by the period.
    for row in (recent, earlier):
        assert (row.planned, row.budget_planned) == (whole.planned, whole.budget_planned)
        assert row.member_total == whole.member_total and row.appreciations == 2


def test_the_page_filters_by_period_in_dd_mm_yyyy_and_says_what_it_filters(app, people, dated,
                                                                         login):
    start, end = (local_today() - timedelta(days=d) for d in (120, 40))
    client = login(people.mayor, app.test_client())
    page = text(client.get(f"/dashboard/mechanisms?from={start:%d/%m/%Y}&to={end:%d/%m/%Y}"))
    assert f"Activités réalisées du {start:%d/%m/%Y} au {end:%d/%m/%Y}." in page
    assert "La période filtre les activités réalisées" in page
    assert "1 / 4" in page  # activities done in the period / planned
    assert f"from={start.isoformat()}" in page  # the exports take the same filters
    assert "pas valide" in text(client.get("/dashboard/mechanisms?from=31/02/2026"))


def test_the_export_takes_the_same_filters(app, people, dated, login):
    start, end = (local_today() - timedelta(days=d) for d in (30, 0))
    client = login(people.coordinator, app.test_client())
    response = client.get(f"/exports/mechanisms.csv?commune={people.commune.id}"
                          f"&from={start:%d/%m/%Y}&to={end.isoformat()}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    header = rows.index(next(r for r in rows if r[:1] == ["Commune"] and "Activités prévues" in r))
    assert rows[header + 1][2:6] == ["4", "2", "700000", "530000"]
    assert ["Communes", people.commune.name] in rows  # what the file covers, at its end
    assert ["Période du", start.isoformat()] in rows
    event = db.session.scalar(select(Event).where(Event.kind == "export.mechanisms"))
    assert event.data["filters"] == {"commune_id": people.commune.id,
                                     "date_from": start.isoformat(),
                                     "date_to": end.isoformat()}


def test_a_commune_filter_narrows_a_coordinators_figures(app, people, make_people, make_user,
                                                        make_mechanism, dated, login):
    other = make_people()
    make_mechanism(other)
    coordinator = make_user((people.commune, "coordinator"), (other.commune, "coordinator"))
    covered = {people.commune.id, other.commune.id}
    rows = mechanism_figures.build(covered, CaseFilters(commune_id=other.commune.id)).rows
    assert [r.commune.id for r in rows] == [other.commune.id]
    page = text(login(coordinator, app.test_client()).get(
        f"/dashboard/mechanisms?commune={other.commune.id}"))
    assert f"/mechanisms/{other.commune.code}" in page
    assert f"/mechanisms/{people.commune.code}" not in page


def test_a_mayor_filtering_by_another_commune_sees_nothing_of_it(app, people, make_people,
                                                                 make_mechanism, dated, login):
    other = make_people()
    make_mechanism(other)
    client = login(people.mayor, app.test_client())
    page = text(client.get(f"/dashboard/mechanisms?commune={other.commune.id}"))
    assert other.commune.name not in page and f"/mechanisms/{other.commune.code}" not in page
    assert f"/mechanisms/{people.commune.code}" not in page  # nor their own, filtered out
    body = client.get(f"/exports/mechanisms.csv?commune={other.commune.id}").get_data().decode(
        "utf-8-sig")
    assert other.commune.name not in body and people.commune.name not in body
    rows = mechanism_figures.build({people.commune.id},
                                   CaseFilters(commune_id=other.commune.id)).rows
    assert rows == []
