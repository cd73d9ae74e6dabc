"""Who may see and do what on a commune's mechanism, as a table written by hand from the rules
in casework/access.py: every page and form, for every role around the commune and outside it.
Another commune's mechanism is a 404 with the denial logged; a role that may see but not act
gets a 403 and nothing is written."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from casework import access
from casework.clock import local_today
from casework.extensions import db
from casework.models import Event
from tests.kept import build_on, reloaded
from tests.mechanism_factories import new_mechanism

from .pages import text

ROLES = ("mediator", "other_mediator", "mayor", "chief", "coordinator", "admin",
         "foreign_mediator", "foreign_coordinator", "foreign_mayor")
OUTSIDERS = {"admin", "foreign_mediator", "foreign_coordinator", "foreign_mayor"}
EVERYONE = {"mediator", "other_mediator", "mayor", "chief", "coordinator"}
MEDIATORS = {"mediator", "other_mediator"}
PLANNERS = MEDIATORS | {"coordinator"}
AUTHORITIES = {"mayor", "chief"}
DAY = (local_today() - timedelta(days=1)).isoformat()


@pytest.fixture
def cast(cast):
    """The town's cast (tests/factories.py), the team's mediator named as on a mechanism."""
    return {("mediator" if role == "team_mediator" else role): user
            for role, user in cast.items()}


# (name, method, path, form, who may): {c} the commune's code, {p} a plan, {i} a plan
# activity, {a} an activity carried out, {f} its file, {m} a member, {y} an FFOM analysis.
TABLE = [
    ("page", "GET", "/mechanisms/{c}", None, EVERYONE),
    ("analysis", "GET", "/mechanisms/{c}/ffom/{y}", None, EVERYONE),
    ("compare", "GET", "/mechanisms/{c}/ffom/compare", None, EVERYONE),
    ("plan", "GET", "/mechanisms/{c}/plans/{p}", None, EVERYONE),
    ("activity", "GET", "/mechanisms/{c}/activities/{a}", None, EVERYONE),
    ("file", "GET", "/mechanisms/{c}/activities/{a}/files/{f}", None, EVERYONE),
    ("change_mechanism", "POST", "/mechanisms/{c}/set-up",
     {"name": "Mécanisme renommé"}, MEDIATORS),
    ("add_member", "POST", "/mechanisms/{c}/members/new",
     {"full_name": "Awa Diarra", "sex": "F", "age_group": "youth", "function": "member",
      "user_id": ""}, MEDIATORS),
    ("change_member", "POST", "/mechanisms/{c}/members/{m}",
     {"full_name": "Awa Diarra", "sex": "F", "age_group": "adult", "function": "secretary",
      "user_id": ""}, MEDIATORS),
    ("add_analysis", "POST", "/mechanisms/{c}/ffom/new",
     {"analysed_on": DAY, "strengths": "Écoute", "women": "2", "men": "3"}, MEDIATORS),
    ("record_activity", "POST", "/mechanisms/{c}/activities/new",
     {"held_on": DAY, "kind": "awareness", "title": "Causerie", "place": "Mairie",
      "facilitators": "Équipe", "young_women": "3", "women": "4", "elder_women": "0",
      "young_men": "1", "men": "2", "elder_men": "0", "summary": "Causerie.", "planned_id": ""},
     MEDIATORS),
    ("change_analysis", "POST", "/mechanisms/{c}/ffom/{y}/edit",
     {"analysed_on": DAY, "strengths": "Écoute\nRegistre tenu", "weaknesses": "Peu de femmes",
      "women": "4", "men": "8"}, MEDIATORS),
    ("change_activity", "POST", "/mechanisms/{c}/activities/{a}/edit",
     {"held_on": DAY, "kind": "training", "title": "Causerie", "place": "Mairie",
      "facilitators": "Équipe", "young_women": "3", "women": "4", "elder_women": "0",
      "young_men": "1", "men": "2", "elder_men": "0", "summary": "Causerie.",
      "actual_cost": "90000"}, MEDIATORS),
    ("add_plan", "POST", "/mechanisms/{c}/plans/new",
     {"title": "Plan 2027", "starts_on": DAY, "ends_on": DAY, "objectives": "Prévenir."},
     PLANNERS),
    ("change_plan", "POST", "/mechanisms/{c}/plans/{p}/edit",
     {"title": "Plan révisé", "starts_on": (local_today() - timedelta(days=60)).isoformat(),
      "ends_on": (local_today() + timedelta(days=300)).isoformat(),
      "objectives": "Prévenir."}, PLANNERS),
    ("add_plan_activity", "POST", "/mechanisms/{c}/plans/{p}/activities/new",
     {"title": "Radio", "kind": "awareness", "planned_on": DAY, "budget": "50000",
      "status": "planned"}, PLANNERS),
    ("change_plan_activity", "POST", "/mechanisms/{c}/plans/{p}/activities/{i}",
     {"title": "Sensibilisation", "kind": "awareness", "planned_on": DAY, "budget": "160000",
      "status": "done"}, PLANNERS),
    ("appreciate", "POST", "/mechanisms/{c}/activities/{a}/appreciation",
     {"rating": "3", "comment": "Bonne séance."}, AUTHORITIES),
]


def _url(template, people, stage):
    return template.format(c=people.commune.code, p=stage.plan.id, i=stage.item.id,
                           a=stage.activity.id, f=stage.file.id, m=stage.member.id,
                           y=stage.analysis.id)


def _changes() -> int:
    return db.session.scalar(select(func.count(Event.id)).where(Event.kind.like("mechanism.%")
                                                                & (Event.kind.notlike(
                                                                    "%downloaded"))))


@pytest.fixture(scope="module")
def kept_stage(app, module_connection, kept_town):
    """The people's mechanism, its file in the app's own attachments directory: built once for
    the module's tests (tests/kept.py)."""
    return build_on(app, module_connection,
                    lambda: new_mechanism(reloaded(kept_town).people, with_file=True))


@pytest.fixture
def stage(kept_stage):
    return reloaded(kept_stage)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, template, form, allowed", TABLE,
                         ids=[row[0] for row in TABLE])
def test_role_x_mechanism_action(app, people, cast, stage, login, role, name, method,
                                 template, form, allowed):
    url = _url(template, people, stage)
    client = login(cast[role], app.test_client())
    before = _changes()
    response = client.open(url, method=method, data=form)
    if role in allowed:
        assert response.status_code in (200, 302), (response.status_code, text(response)[:2000])
        if method == "POST":
            assert response.status_code == 302
            assert _changes() == before + 1
    else:
        expected = 404 if role in OUTSIDERS else 403
        assert response.status_code == expected
        assert _changes() == before
        if method == "POST":  # the form does not open either
            assert client.get(url).status_code == expected
    if role in OUTSIDERS and role != "admin":
        denied = db.session.scalar(select(func.count(Event.id)).where(
            Event.kind == "access.denied", Event.actor_id == cast[role].id))
        assert denied >= 1


@pytest.mark.parametrize("role, sees", [
    ("mediator", True), ("mayor", True), ("chief", True), ("coordinator", True),
    ("admin", False), ("foreign_mediator", False), ("foreign_coordinator", False)])
def test_the_list_and_the_menu_show_ones_own_mechanisms(app, people, cast, stage, login,
                                                        role, sees):
    client = login(cast[role], app.test_client())
    response = client.get("/mechanisms")
    if role == "admin":
        assert response.status_code == 404
        assert "/mechanisms" not in text(client.get("/account/password"))
        return
    page = text(response)
    assert (people.commune.name in page) == sees
    assert 'href="/mechanisms"' in text(client.get("/"))


def test_buttons_show_exactly_what_the_role_allows(app, people, cast, stage, login):
    code = people.commune.code
    pages = {role: text(login(cast[role], app.test_client()).get(f"/mechanisms/{code}"))
             for role in ("mediator", "mayor", "coordinator")}
    assert "Enregistrer une activité" in pages["mediator"]
    assert "Ajouter un membre" in pages["mediator"]
    assert "Rédiger un plan d'action" in pages["coordinator"]
    assert "Ajouter un membre" not in pages["coordinator"]
    for label in ("Enregistrer une activité", "Rédiger un plan d'action", "Ajouter un membre"):
        assert label not in pages["mayor"]
    activity = f"/mechanisms/{code}/activities/{stage.activity.id}"
    assert "Donner mon appréciation" in text(login(cast["mayor"], app.test_client()).get(
        activity))
    assert "Donner mon appréciation" not in text(login(cast["mediator"],
                                                       app.test_client()).get(activity))


def test_a_row_of_another_mechanism_is_not_found_under_ones_own(app, people, elsewhere,
                                                                make_mechanism, stage, login):
    theirs = make_mechanism(elsewhere)
    client = login(people.coordinator, app.test_client())
    code = people.commune.code
    for url in (f"/mechanisms/{code}/plans/{theirs.plan.id}",
                f"/mechanisms/{code}/activities/{theirs.activity.id}",
                f"/mechanisms/{code}/members/{theirs.member.id}",
                f"/mechanisms/{code}/plans/{stage.plan.id}/activities/{theirs.item.id}"):
        assert client.get(url).status_code == 404, url


def test_an_appreciation_is_changed_by_its_author_only(people, stage, make_user):
    from casework.services import mechanism_activities
    mine = mechanism_activities.save_appreciation(people.mayor, stage.activity, rating=4,
                                                  comment="Bien.")
    db.session.commit()
    assert access.may_change_appreciation(people.mayor, mine)
    assert not access.may_change_appreciation(people.chief, mine)
    deputy = make_user((people.commune, "commune_authority"))
    assert not access.may_change_appreciation(deputy, mine)
    # The deputy's own appreciation is a second one, never a change to the mayor's.
    mechanism_activities.save_appreciation(deputy, stage.activity, rating=1, comment="Non.")
    db.session.commit()
    db.session.refresh(mine)
    assert (mine.rating, mine.comment) == (4, "Bien.")
    assert len(stage.activity.appreciations) == 2
