"""Follow-up visits: both planned visits holding completes the follow-up; a broken agreement
sends the case back to mediation; visits are checked like any other input."""
from datetime import timedelta

import pytest

from casework.clock import local_today
from casework.errors import InvalidInput
from casework.extensions import db
from casework.services.followups import FollowUpInput, record_follow_up
from tests.dates import typed
from tests.factories import advance, approved_days_ago

from .pages import hidden_fields, submit, text


def agreed_long_ago(make_case):
    """A resolved case whose agreement was approved 90 days ago: both planned visits are due."""
    case = make_case("resolved")
    approved_days_ago(case, 90)
    db.session.commit()
    return case


def visit(app, login, user, case, **data):
    client = login(user, app.test_client())
    values = {"milestone_days": "30", "visit_date": local_today().isoformat(),
              "outcome": "respected", "notes": ""}
    values.update(data)
    return submit(client, f"/cases/{case.reference}/follow-ups/new", values)


def test_a_broken_agreement_reopens_the_case(app, login, people, make_case):
    case = agreed_long_ago(make_case)
    assert visit(app, login, people.mediator, case).status_code == 302
    response = visit(app, login, people.mediator, case, milestone_days="90", outcome="broken",
                     notes="Le champ a de nouveau été labouré par la famille Traoré.")
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.status == "in_mediation"
    page = text(login(people.mediator, app.test_client()).get(f"/cases/{case.reference}"))
    assert "Résolu → En médiation (automatique)" in page
    assert "/steps/new" in page  # the team mediates again


def test_a_broken_agreement_after_followed_up_reopens_too(app, login, people, make_case):
    case = make_case("followed_up")
    response = visit(app, login, people.mediator, case, milestone_days="", outcome="broken",
                     notes="Nouvelle dispute.")
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.status == "in_mediation"


def test_partly_respected_holds_but_needs_notes(app, login, people, make_case):
    case = agreed_long_ago(make_case)
    response = visit(app, login, people.mediator, case, outcome="partly", notes="")
    assert response.status_code == 400
    assert "Dites ce qui a été constaté sur le terrain." in text(response)
    assert visit(app, login, people.mediator, case, outcome="partly",
                 notes="Bornage à reprendre.").status_code == 302
    assert visit(app, login, people.mediator, case, milestone_days="90").status_code == 302
    db.session.refresh(case)
    assert case.status == "followed_up"


def test_one_visit_is_not_enough(app, login, people, make_case):
    case = agreed_long_ago(make_case)
    visit(app, login, people.mediator, case)
    db.session.refresh(case)
    assert case.status == "resolved"


@pytest.mark.parametrize("data, field_error", [  # a date as days from today
    ({"visit_date": 1},
     "Une visite ne peut pas être enregistrée avant d'avoir eu lieu."),
    ({"visit_date": -3650}, "Une visite de suivi a lieu après l'accord."),
    ({"outcome": ""}, None),
])
def test_bad_visits_are_refused_with_the_reason(app, login, people, make_case, data,
                                                 field_error):
    case = make_case("resolved")
    data = {k: typed(v) if isinstance(v, int) else v for k, v in data.items()}
    response = visit(app, login, people.mediator, case, **data)
    assert response.status_code == 400
    if field_error:
        assert field_error in text(response)
    db.session.refresh(case)
    assert case.follow_ups == []


def test_the_same_planned_visit_cannot_be_recorded_twice(people, make_case):
    case = agreed_long_ago(make_case)
    advance(people, case, "visit_30")
    with pytest.raises(InvalidInput) as refused:
        record_follow_up(people.mediator, case, FollowUpInput(
            visit_date=local_today(), outcome="respected", milestone_days=30))
    assert refused.value.field == "milestone_days"
    assert str(refused.value) == "Cette visite prévue est déjà enregistrée."


def test_a_double_click_on_a_visit_records_it_once_and_says_the_case_changed(
        app, login, people, make_case):
    case = agreed_long_ago(make_case)
    client = login(people.mediator, app.test_client())
    url = f"/cases/{case.reference}/follow-ups/new"
    form = {**hidden_fields(client.get(url).get_data(as_text=True)), "milestone_days": "30",
            "visit_date": local_today().isoformat(), "outcome": "respected", "notes": ""}
    first, second = client.post(url, data=form), client.post(url, data=form)
    assert (first.status_code, second.status_code) == (302, 409)
    assert "a été modifié par quelqu'un d'autre" in text(second)
    db.session.refresh(case)
    assert [f.milestone_days for f in case.follow_ups] == [30]


@pytest.mark.parametrize("who", ["mayor", "chief"])
def test_only_the_team_records_visits(app, login, people, make_case, who):
    case = make_case("resolved")
    client = login(getattr(people, who), app.test_client())
    assert client.get(f"/cases/{case.reference}/follow-ups/new").status_code == 403
    response = client.post(f"/cases/{case.reference}/follow-ups/new", data={
        "milestone_days": "30", "visit_date": local_today().isoformat(), "outcome": "respected"})
    assert response.status_code == 403


def test_a_planned_visit_is_refused_before_its_day_comes_near(app, login, people, make_case):
    """On the day of the agreement the "30-day" visit is refused (say when it opens); an
    additional visit is recorded; the form offers the additional visit first."""
    case = make_case("resolved")
    today = local_today()
    client = login(people.mediator, app.test_client())
    form = client.get(f"/cases/{case.reference}/follow-ups/new").get_data(as_text=True)
    assert '<option selected value="">' in form or '<option value="" selected>' in form
    response = visit(app, login, people.mediator, case)
    assert response.status_code == 400
    due, opens = today + timedelta(days=30), today + timedelta(days=23)
    assert (f"La visite à 30 jours est prévue le {due:%d/%m/%Y} : elle peut être enregistrée à "
            f"partir du {opens:%d/%m/%Y}.") in text(response)
    assert visit(app, login, people.mediator, case, milestone_days="").status_code == 302
    db.session.refresh(case)
    assert [(f.milestone_days, f.visit_date) for f in case.follow_ups] == [(None, today)]


@pytest.mark.parametrize("days_since, accepted", [(22, False), (23, True), (40, True)])
def test_the_30_day_visit_opens_when_my_work_lists_it_a_week_before(people, make_case,
                                                                    days_since, accepted):
    case = make_case("resolved")
    approved_days_ago(case, days_since)
    data = FollowUpInput(visit_date=local_today(), outcome="respected", milestone_days=30)
    if accepted:
        record_follow_up(people.mediator, case, data)
    else:
        with pytest.raises(InvalidInput) as refused:
            record_follow_up(people.mediator, case, data)
        assert refused.value.field == "visit_date"
