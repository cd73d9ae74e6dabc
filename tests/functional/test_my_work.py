"""'Mon travail': what waits for each person, and nothing that is not theirs."""
from datetime import timedelta

from casework.extensions import db
from casework.models import clock_at, utcnow
from casework.services import steps

from tests.factories import advance, step_input

from .pages import text


def my_work(app, login, user):
    return text(login(user, app.test_client()).get("/"))


def test_a_case_without_a_team_waits_for_the_communes_mediators(app, login, people, elsewhere,
                                                                make_case):
    case = make_case()
    assert "Dossiers signalés sans équipe" in my_work(app, login, people.mediator)
    assert case.reference in my_work(app, login, people.mediator)
    assert case.reference in my_work(app, login, people.coordinator)
    assert case.reference not in my_work(app, login, elsewhere.mediator)


def test_cases_past_their_time_limit(app, login, people, make_case):
    with clock_at(utcnow() - timedelta(days=70)):
        late = make_case("in_mediation")
    recent = make_case("in_mediation")
    page = my_work(app, login, people.coordinator)
    assert "Dossiers en retard sur leur délai" in page
    assert late.reference in page
    assert recent.reference not in page.split("Dossiers en retard sur leur délai")[1]


def test_a_planned_next_step_shows_when_it_comes_near(app, login, people, make_case):
    case = make_case("in_mediation")
    soon = make_case("in_mediation")
    steps.log_step(people.mediator, case, step_input(
        next_step="Réunir les chefs de famille", next_step_date=utcnow().date() + timedelta(30)))
    steps.log_step(people.mediator, soon, step_input(
        next_step="Visite du champ", next_step_date=utcnow().date() + timedelta(1)))
    db.session.commit()
    page = my_work(app, login, people.mediator)
    due = page.split("Étapes de médiation à venir")[1]
    assert soon.reference in due and "Visite du champ" in due
    assert case.reference not in due


def test_follow_up_visits_show_when_due(app, login, people, make_case):
    with clock_at(utcnow() - timedelta(days=28)):
        due = make_case("resolved")
    fresh = make_case("resolved")
    page = my_work(app, login, people.mediator).split("Visites de suivi à faire")[1]
    assert due.reference in page and "Visite à 30 jours" in page
    assert fresh.reference not in page


def test_a_mayor_has_nothing_but_sign_offs_to_do(app, login, people, make_case):
    case = make_case("in_mediation")
    advance(people, case, "step")
    advance(people, case, "propose")
    db.session.commit()
    page = my_work(app, login, people.mayor)
    assert "Signatures qui m'attendent" in page and case.reference in page
    assert "Signaler un conflit" not in page


def test_nothing_waits(app, login, people):
    assert "Rien ne vous attend pour le moment." in my_work(app, login, people.chief)
