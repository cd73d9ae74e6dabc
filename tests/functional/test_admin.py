"""The administration screens: users, roles, disabling, password resets, communes, workflows."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from casework.extensions import db
from casework.models import Commune, Event, Membership, User
from casework.services import accounts
from tests.factories import PASSWORD
from tests.functional.pages import inline_script


@pytest.fixture
def admin(make_user):
    # English screens: the assertions below read the English msgids, whatever the catalogue.
    return make_user(username="root", full_name="Root Admin", is_admin=True, language="en")


@pytest.fixture
def as_admin(app, login, admin):
    """A browser of its own, so that `client` stays free for the people the admin manages."""
    return login(admin, on=app.test_client())


@pytest.fixture
def other_client(app):
    return app.test_client()


def events(kind: str) -> list[Event]:
    """Events of `kind` done by someone signed in (the factories act as the console: no actor)."""
    return list(db.session.scalars(select(Event).where(Event.kind == kind,
                                                       Event.actor_id.is_not(None))
                                   .order_by(Event.id)))


def admin_event_count() -> int:
    return db.session.scalar(select(func.count(Event.id)).where(Event.kind.like("admin.%")))


def page(response) -> str:
    return response.get_data(as_text=True)


def new_user_data(**values) -> dict:
    data = dict(username="awa.kone", full_name="Awa Koné", password="une-longue-phrase",
                sex="F", phone="+223 76 00 00 00", language="fr")
    data.update(values)
    return data


# -- who may open the screens ---------------------------------------------------------------

GET_URLS = ["/admin", "/admin/users", "/admin/users/new", "/admin/users/{user}",
            "/admin/communes", "/admin/communes/new", "/admin/communes/{commune}",
            "/admin/workflows"]
POST_URLS = ["/admin/users/new", "/admin/users/{user}", "/admin/users/{user}/roles",
             "/admin/users/{user}/roles/{membership}/remove", "/admin/users/{user}/disable",
             "/admin/users/{user}/enable", "/admin/users/{user}/password",
             "/admin/communes/new", "/admin/communes/{commune}",
             "/admin/workflows/mediation/v2/upgrade"]
ALL_URLS = [("GET", u) for u in GET_URLS] + [("POST", u) for u in POST_URLS]


def _fill(url: str, people) -> str:
    membership = people.mediator.memberships[0]
    return url.format(user=people.mediator.id, commune=people.commune.id,
                      membership=membership.id)


def _post_data(people) -> dict:
    return {**new_user_data(), "name": "Kola", "code": "KOL", "cercle": "Bougouni",
            "region": "Sikasso", "commune_id": people.commune.id, "role": "coordinator"}


@pytest.mark.parametrize("who", ["mediator", "mayor", "chief", "coordinator"])
@pytest.mark.parametrize("method,url", ALL_URLS)
def test_non_admins_are_refused(client, login, people, who, method, url):
    login(getattr(people, who))
    before = admin_event_count()
    response = client.open(_fill(url, people), method=method, data=_post_data(people))
    assert response.status_code == 403
    assert admin_event_count() == before
    assert people.mediator.active and len(people.mediator.memberships) == 1


@pytest.mark.parametrize("method,url", ALL_URLS)
def test_anonymous_is_sent_to_login(client, people, method, url):
    response = client.open(_fill(url, people), method=method, data=_post_data(people))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("url", GET_URLS)
def test_admin_pages_open_light_and_uncached(as_admin, people, url):
    response = as_admin.get(_fill(url, people))
    assert response.status_code == 200
    html = page(response)
    assert 'href="/admin"' in html  # the menu link to the administration
    assert not inline_script(html) and "//cdn" not in html
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("method,url", [("GET", "/admin/users/999999"),
                                        ("GET", "/admin/communes/999999"),
                                        ("POST", "/admin/users/999999/disable"),
                                        ("POST", "/admin/users/999999/password"),
                                        ("POST", "/admin/users/999999/roles")])
def test_unknown_ids_are_404(as_admin, method, url):
    assert as_admin.open(url, method=method).status_code == 404


def test_admin_sees_no_case_links(as_admin, make_case):
    make_case()
    html = page(as_admin.get("/admin"))
    assert "/cases" not in html
    assert "/cases/" not in page(as_admin.get("/admin/communes"))


# -- users ----------------------------------------------------------------------------------

def test_create_user(as_admin, admin, other_client):
    response = as_admin.post("/admin/users/new", data=new_user_data(username="Awa.Kone"))
    user = db.session.scalar(select(User).where(User.username == "awa.kone"))
    assert user is not None
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    assert (user.full_name, user.sex, user.phone) == ("Awa Koné", "F", "+223 76 00 00 00")
    assert user.active and not user.is_admin and user.must_change_password
    [event] = events("admin.user_created")
    assert event.actor_id == admin.id and event.data["user_id"] == user.id
    assert "awa.kone" in page(as_admin.get(f"/admin/users/{user.id}"))
    # The person signs in with the password the admin typed, and must choose their own.
    signed_in = other_client.post("/login", data={"username": "AWA.KONE",
                                                  "password": "une-longue-phrase"})
    assert signed_in.status_code == 302
    assert other_client.get("/").headers["Location"] == "/account/password"


@pytest.mark.parametrize("values,field_error", [
    (dict(username="AWA"), "This username is already taken."),
    (dict(password="court"), "The password needs at least 10 characters."),
    (dict(full_name=""), "This field is required."),
])
def test_create_user_refused_keeps_what_was_typed(as_admin, make_user, values, field_error):
    make_user(username="awa")
    users_before = db.session.scalar(select(func.count(User.id)))
    data = new_user_data(**{"username": "moussa", "full_name": "Moussa N'Diaye",
                            "phone": "+223 66 12 34 56", **values})
    response = as_admin.post("/admin/users/new", data=data)
    assert response.status_code == 400
    html = page(response)
    assert field_error in html
    for name in ("username", "full_name", "phone"):
        if data[name]:
            assert f'value="{data[name]}"'.replace("'", "&#39;") in html
    assert db.session.scalar(select(func.count(User.id))) == users_before
    assert events("admin.user_created") == []


def test_edit_profile(as_admin, people):
    user = people.mayor
    response = as_admin.post(f"/admin/users/{user.id}", data=dict(
        full_name="Bakary Coulibaly", sex="M", phone="70 11 22 33"))
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.full_name, user.sex, user.phone, user.is_admin) == \
        ("Bakary Coulibaly", "M", "70 11 22 33", False)
    assert [e.data["user_id"] for e in events("admin.user_updated")] == [user.id]


def test_admin_cannot_remove_own_admin_right(as_admin, admin):
    response = as_admin.post(f"/admin/users/{admin.id}", data=dict(full_name="Root Renamed",
                                                                   sex="", phone=""))
    assert response.status_code == 400
    assert "You cannot remove your own administrator right." in page(response)
    assert 'value="Root Renamed"' in page(response)
    db.session.refresh(admin)
    assert admin.is_admin and admin.full_name == "Root Admin"


def test_user_list_shows_roles_and_disabled_accounts(as_admin, people, make_user):
    gone = make_user((people.commune, "mediator"), full_name="Gone Person")
    accounts.set_active(None, gone, False)
    db.session.commit()
    html = page(as_admin.get("/admin/users"))
    assert f"Coordinator: {people.commune.name}" in html
    entry = html[html.index("Gone Person"):]
    assert entry.index("Disabled") < entry.index("</li>")
    assert gone.username in html


# -- roles ----------------------------------------------------------------------------------

def test_give_a_role(as_admin, admin, make_user, make_commune, client, login):
    commune = make_commune(name="Kola")
    user = make_user()
    response = as_admin.post(f"/admin/users/{user.id}/roles",
                             data=dict(commune_id=commune.id, role="mediator"))
    assert response.status_code == 302
    assert {(m.commune_id, m.role) for m in user.memberships} == {(commune.id, "mediator")}
    [event] = events("admin.roles_changed")
    assert event.actor_id == admin.id and event.data["added"] == [[commune.id, "mediator"]]
    assert "Mediator</strong> · Kola" in page(as_admin.get(f"/admin/users/{user.id}"))
    login(user)
    assert client.get("/cases/new").status_code == 200  # the new mediator may report


def test_giving_a_role_twice_is_refused(as_admin, people):
    user = people.mediator
    response = as_admin.post(f"/admin/users/{user.id}/roles",
                             data=dict(commune_id=people.commune.id, role="mediator"))
    assert response.status_code == 400
    assert "already holds this role in this commune" in page(response)
    assert len(user.memberships) == 1
    assert events("admin.roles_changed") == []


def test_a_coordinator_covers_another_commune(as_admin, people, elsewhere, make_case, client,
                                              login):
    case = make_case(who=elsewhere)
    login(people.coordinator)
    assert client.get(f"/cases/{case.reference}").status_code == 404
    as_admin.post(f"/admin/users/{people.coordinator.id}/roles",
                  data=dict(commune_id=elsewhere.commune.id, role="coordinator"))
    assert client.get(f"/cases/{case.reference}").status_code == 200


def test_remove_a_role(as_admin, people, make_case, client, login):
    case = make_case()
    user = people.chief
    membership_id = user.memberships[0].id
    response = as_admin.post(f"/admin/users/{user.id}/roles/{membership_id}/remove")
    assert response.status_code == 302
    assert db.session.get(Membership, membership_id) is None
    [event] = events("admin.roles_changed")
    assert event.data["removed"] == [[people.commune.id, "traditional_leader"]]
    login(user)
    assert client.get(f"/cases/{case.reference}").status_code == 404
    # A second click on the same button changes nothing more.
    again = as_admin.post(f"/admin/users/{user.id}/roles/{membership_id}/remove")
    assert again.status_code == 302 and len(events("admin.roles_changed")) == 1


# -- disabling, passwords -------------------------------------------------------------------

def test_disable_ends_sessions_then_enable(as_admin, people, other_client, login):
    user = people.mediator
    login(user, on=other_client)
    assert other_client.get("/").status_code == 200
    response = as_admin.post(f"/admin/users/{user.id}/disable")
    assert response.status_code == 302
    assert not user.active
    assert [e.data["user_id"] for e in events("admin.user_disabled")] == [user.id]
    assert other_client.get("/").headers["Location"].startswith("/login")
    refused = other_client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert refused.status_code == 401
    assert "Disabled" in page(as_admin.get("/admin/users"))

    as_admin.post(f"/admin/users/{user.id}/enable")
    assert user.active and len(events("admin.user_enabled")) == 1
    signed_in = other_client.post("/login", data={"username": user.username,
                                                   "password": PASSWORD})
    assert signed_in.status_code == 302


def test_admin_cannot_disable_self(as_admin, admin):
    response = as_admin.post(f"/admin/users/{admin.id}/disable")
    assert response.status_code == 400
    assert "You cannot disable your own account." in page(response)
    assert admin.active and events("admin.user_disabled") == []


def test_reset_password_shows_it_once(as_admin, people, other_client, login, app):
    user = people.mayor
    on_phone = app.test_client()
    login(user, on=on_phone)
    response = as_admin.post(f"/admin/users/{user.id}/password")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    temporary = re.search(r'id="temporary-password">([^<]+)<', page(response)).group(1)
    assert len(temporary) >= 10
    assert [e.data["user_id"] for e in events("admin.password_reset")] == [user.id]
    assert temporary not in str(events("admin.password_reset")[0].data)
    assert temporary not in page(as_admin.get(f"/admin/users/{user.id}"))
    assert on_phone.get("/").headers["Location"].startswith("/login")  # sessions ended

    old = other_client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert old.status_code == 401
    new = other_client.post("/login", data={"username": user.username, "password": temporary})
    assert new.status_code == 302
    assert other_client.get("/").headers["Location"] == "/account/password"


# -- communes -------------------------------------------------------------------------------

def test_add_a_commune(as_admin, admin):
    response = as_admin.post("/admin/communes/new", data=dict(
        name="Kéléya", code="kly", cercle="Bougouni", region="Sikasso", case_target=2))
    assert response.status_code == 302
    commune = db.session.scalar(select(Commune).where(Commune.code == "KLY"))
    assert (commune.name, commune.cercle, commune.region) == ("Kéléya", "Bougouni", "Sikasso")
    [event] = events("admin.commune_created")
    assert event.actor_id == admin.id and event.data["commune_id"] == commune.id
    assert "Kéléya" in page(as_admin.get("/admin/communes"))


@pytest.mark.parametrize("values,error", [
    (dict(code="B1"), "The code is 2 to 6 capital letters"),
    (dict(code="BGN"), "Another commune already has this value."),
    (dict(name="bougouni"), "Another commune already has this value."),
    (dict(case_target=-1), "Number must be between 0 and 1000."),
    (dict(case_target="deux"), "Not a valid integer value."),
])
def test_add_a_commune_refused(as_admin, make_commune, values, error):
    make_commune(code="BGN", name="Bougouni")
    data = {"name": "Kéléya", "code": "KLY", "cercle": "Bougouni", "region": "Sikasso",
            "case_target": 2, **values}
    response = as_admin.post("/admin/communes/new", data=data)
    assert response.status_code == 400
    assert error in page(response)
    assert f'value="{data["name"]}"' in page(response)
    assert events("admin.commune_created") == []


def test_edit_a_commune(as_admin, make_commune):
    commune = make_commune(code="BGN", name="Bougouni")
    response = as_admin.post(f"/admin/communes/{commune.id}", data=dict(
        name="Bougouni Ville", code="BGV", cercle="Bougouni", region="Sikasso", case_target=3))
    assert response.status_code == 302
    assert (commune.name, commune.code, commune.case_target) == ("Bougouni Ville", "BGV", 3)
    assert [e.data["commune_id"] for e in events("admin.commune_updated")] == [commune.id]


def test_code_of_a_commune_with_cases_cannot_change(as_admin, people, make_case):
    make_case()
    commune = people.commune
    code = commune.code
    response = as_admin.post(f"/admin/communes/{commune.id}", data=dict(
        name="Nouveau nom", code="ZZZ", cercle=commune.cercle, region=commune.region,
        case_target=2))
    assert response.status_code == 400
    assert "cannot change" in page(response)
    assert 'value="Nouveau nom"' in page(response) and 'value="ZZZ"' in page(response)
    db.session.refresh(commune)
    assert (commune.code, commune.name) == (code, f"Commune {code}")
    assert events("admin.commune_updated") == []
    # Renaming it, keeping the code, is fine.
    renamed = as_admin.post(f"/admin/communes/{commune.id}", data=dict(
        name="Nouveau nom", code=code, cercle=commune.cercle, region=commune.region,
        case_target=2))
    assert renamed.status_code == 302 and commune.name == "Nouveau nom"


# -- workflows ------------------------------------------------------------------------------

def test_workflows_page_shows_versions_and_case_counts(as_admin, make_case):
    assert "0 cases" in page(as_admin.get("/admin/workflows"))
    make_case()
    make_case("in_mediation")
    html = page(as_admin.get("/admin/workflows"))
    assert "mediation v1" in html and "Community mediation" in html
    assert "2 cases" in html


def test_an_administrator_cannot_be_given_a_case_role(as_admin, people, make_user):
    admin = make_user(is_admin=True)
    response = as_admin.post(f"/admin/users/{admin.id}/roles",
                             data={"commune_id": people.commune.id, "role": "coordinator"})
    assert response.status_code == 400
    db.session.refresh(admin)
    assert admin.memberships == []
    response = as_admin.post(f"/admin/users/{people.mayor.id}", data=dict(
        full_name=people.mayor.full_name, sex="M", phone="", is_admin="y"))
    assert response.status_code == 400
    db.session.refresh(people.mayor)
    assert not people.mayor.is_admin


def test_a_refused_admin_page_is_logged(app, login, people):
    login(people.coordinator, app.test_client()).get("/admin/users")
    assert [e.data["path"] for e in events("access.denied")] == ["/admin/users"]
