"""The dashboard's shortcuts (running totals, counts by index range) never give a figure that
differs from the plain query over the live rows."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from casework.access import in_communes
from casework.clock import clock_at
from casework.extensions import db
from casework.models import Case, MediationStep, ParticipationMonth, TeamMember, User
from casework.queries import dashboard, figures, kept_figures
from casework.queries.filters import CaseFilters
from casework.services import accounts, commune_moves, summaries

from .programme import NOW

PERIODS = [
    {}, {"date_from": date(2026, 3, 1)}, {"date_to": date(2026, 2, 28)},
    {"date_from": date(2026, 1, 1), "date_to": date(2026, 3, 31)},
    {"date_from": date(2026, 4, 1), "date_to": date(2026, 4, 30)},
]


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("where", ["all", "a", "b"])
def test_participants_from_totals_equal_the_steps(programme, people, elsewhere, period, where):
    communes = {"all": {people.commune.id, elsewhere.commune.id},
                "a": {people.commune.id}, "b": {elsewhere.commune.id}}[where]
    filters = CaseFilters(**period)
    assert filters.whole_months() is not None  # the totals are what is read here
    with clock_at(NOW):
        shown = dashboard.build(communes, filters).participants
        live = figures.summed(figures.participants_live(filters.case_conditions(
            communes, reported_in_period=False), filters))
    assert shown == live


def test_totals_add_up_to_every_step(programme):
    totals = db.session.execute(select(*(func.sum(getattr(ParticipationMonth, n)) for n in (
        "women", "men", "young_women", "young_men")))).one()
    steps = db.session.execute(select(*(func.sum(getattr(MediationStep, n)) for n in (
        "women", "men", "young_women", "young_men")))).one()
    assert tuple(totals) == tuple(steps) == (11, 17, 3, 6)


def test_a_period_inside_a_month_reads_the_steps(programme, people):
    filters = CaseFilters(date_from=date(2026, 3, 5), date_to=date(2026, 3, 31))
    assert filters.whole_months() is None
    with clock_at(NOW):
        assert dashboard.build({people.commune.id}, filters).participants == {
            "women": 3, "men": 5, "young_women": 1, "young_men": 2}  # a2's step of 10/03


@pytest.mark.parametrize("period", PERIODS + [{"date_from": date(2026, 3, 10),
                                               "date_to": date(2026, 5, 20)}])
def test_months_counted_by_range_equal_the_grouped_query(programme, people, elsewhere, period):
    communes = {people.commune.id, elsewhere.commune.id}
    assert in_communes(Case.commune_id, communes) == []  # every commune: counted by range
    filters = CaseFilters(**period)
    with clock_at(NOW):
        shown = dashboard.build(communes, filters).months
        grouped = figures.months(filters.case_conditions(communes), filters, everywhere=False)
    assert shown == grouped and shown


def _live_open(filters, communes):
    selected = figures.counted(filters.case_conditions(communes, reported_in_period=False))
    found = {}
    for commune_id, status, count, late in figures.open_cases(
            figures.at_end(filters, selected), figures.end_of(filters)):
        states, past = found.get(commune_id, ({}, 0))
        found[commune_id] = ({**states, status: count}, past + late)
    return found


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("where", ["all", "a", "b"])
def test_figures_from_the_summary_tables_equal_the_live_queries(programme, people, elsewhere,
                                                                 period, where):
    communes = {"all": {people.commune.id, elsewhere.commune.id},
                "a": {people.commune.id}, "b": {elsewhere.commune.id}}[where]
    filters = CaseFilters(**period)
    assert kept_figures.usable(filters) is not None  # the summaries are what is read here
    reported = figures.counted(filters.case_conditions(communes))
    with clock_at(NOW):
        shown = dashboard.build(communes, filters)
        assert shown.reported == sum(n for _c, n in figures.reported_cases(reported))
        assert shown.by_type == dict(figures.by_type(reported))
        assert shown.parties == {(sex, age): n for sex, age, n in figures.parties(reported)}
        assert shown.months == figures.months(reported, filters, everywhere=False)
        live = _live_open(filters, communes)
        selected = figures.counted(filters.case_conditions(communes, reported_in_period=False))
        progress = {(c, tag): n for c, tag, n in figures.plan_progress(selected, filters)}
        checked = figures.follow_ups(selected, filters)
        assert shown.flows == figures.flows(selected, filters)
        assert shown.reported_resolved == figures.with_agreement(reported)
        assert {"cases_with_team": shown.cases_with_team,
                "teams_with_woman": shown.teams_with_woman} == figures.teams(reported)
    assert {row.commune.id: (row.open_by_state, row.past_sla)
            for row in shown.communes if row.open_by_state} == live
    assert {(row.commune.id, tag): getattr(row, field) for row in shown.communes
            for tag, field in (("in_mediation", "mediated"), ("resolved", "resolved"))
            if getattr(row, field)} == progress
    assert (shown.followed_agreements, shown.broken_agreements) == (
        sum(n for _c, n, _b in checked), sum(b for _c, _n, b in checked))
    assert shown.reported and shown.by_type and shown.parties or period
    assert progress and shown.flows["resolved"] and (checked or where == "b") or period
    assert shown.cases_with_team or period


def test_a_case_moved_to_another_commune_moves_in_the_summarised_figures(
        programme, people, elsewhere, make_user):
    """The figures read from the summaries follow a case to its new commune as soon as the
    move is committed."""
    coordinator = make_user((people.commune, "coordinator"), (elsewhere.commune, "coordinator"))
    communes = {people.commune.id, elsewhere.commune.id}
    filters = CaseFilters()
    with clock_at(NOW):
        before = dashboard.build({elsewhere.commune.id}, filters)
        case = db.session.scalars(select(Case).where(
            Case.commune_id == people.commune.id, Case.status == "in_mediation")).first()
        commune_moves.move_case(coordinator, case, elsewhere.commune, "Mauvaise commune.")
        db.session.commit()  # as the request does: the summaries are written at the commit
        after = dashboard.build({elsewhere.commune.id}, filters)
        assert after.reported == before.reported + 1
        assert after.open_by_state.get("in_mediation", 0) == \
            before.open_by_state.get("in_mediation", 0) + 1
        assert summaries.differences(db.session.connection()) == []
        assert dashboard.build(communes, filters).reported == 7


def test_a_persons_sex_corrected_moves_the_teams_they_are_in(programme, people, make_user):
    """The cases whose team includes a woman follow a correction of a team member's sex."""
    member = db.session.scalars(select(User).join(TeamMember, TeamMember.user_id == User.id)
                                .where(User.sex == "M")).first()
    communes, filters = {people.commune.id}, CaseFilters()
    before = dashboard.build(communes, filters).teams_with_woman
    accounts.update_profile(make_user(is_admin=True), member, full_name=member.full_name,
                            sex="F", phone=member.phone, is_admin=member.is_admin,
                            email=member.email)
    summaries.write_differences(db.session)  # as the request's commit does
    assert summaries.differences(db.session.connection()) == []
    after = dashboard.build(communes, filters).teams_with_woman
    assert after > before
    assert after == figures.teams(figures.counted(filters.case_conditions(communes)))[
        "teams_with_woman"]


@pytest.mark.parametrize("weeks", range(0, 40, 3))
def test_cases_past_their_time_limit_from_the_summary_equal_the_live_count(
        programme, people, elsewhere, weeks):
    """Whatever the day: the limits passed in the months before from the summary, those of
    this month counted live, add up to the live count."""
    communes = {people.commune.id, elsewhere.commune.id}
    at_end = figures.counted(CaseFilters().case_conditions(communes, reported_in_period=False))
    with clock_at(NOW + timedelta(weeks=weeks, hours=weeks)):
        for scope in (communes, {people.commune.id}):
            assert sorted(kept_figures.past_limit(scope, at_end)) == sorted(
                figures.past_limit_now(figures.counted(CaseFilters().case_conditions(
                    scope, reported_in_period=False))))
        assert figures.past_limit_now(at_end) or weeks < 6
