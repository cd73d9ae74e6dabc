"""The directory of services, kept by the administrators: add, edit, focal points; no one
else opens it."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from casework.extensions import db
from casework.models import Event, Service

from .pages import hidden_fields, submit, text


@pytest.fixture
def admin(make_user):
    return make_user(is_admin=True)


def _post_from(client, page: str, url: str, data: dict):
    """POST `data` to `url` with the hidden fields of `page`, where its form is."""
    return client.post(url, data={**hidden_fields(client.get(page).get_data(as_text=True)),
                                  **data})


def _service(people, **values) -> Service:
    service = Service(name=values.get("name", "CSCom de Kola"),
                      kind=values.get("kind", "health_centre"), commune_id=people.commune.id,
                      contact="+223 76 11 22 33", active=True)
    db.session.add(service)
    db.session.commit()
    return service


def test_the_admin_adds_a_service_then_its_focal_point(client, login, admin, people,
                                                       make_user):
    login(admin)
    form = {"name": "DEME SO Bougouni", "kind": "legal_aid",
            "commune_id": people.commune.id, "contact": "Lundi-vendredi", "active": "y"}
    response = submit(client, "/admin/services/new", form)
    service = db.session.scalar(select(Service).where(Service.kind == "legal_aid"))
    assert response.status_code == 302 and service is not None
    assert (service.name, service.commune_id, service.active) == (
        "DEME SO Bougouni", people.commune.id, True)
    listed = text(client.get("/admin/services"))
    assert "DEME SO Bougouni" in listed and "Clinique juridique" in listed  # the kind's French
    focal = make_user(username="point.focal")
    page, url = f"/admin/services/{service.id}", f"/admin/services/{service.id}/focal-points"
    assert _post_from(client, page, url, {"username": "point.focal"}).status_code == 302
    assert [f.user_id for f in service.focal_points] == [focal.id]
    # Twice is refused next to the field, what was typed kept.
    again = _post_from(client, page, url, {"username": "point.focal"})
    assert again.status_code == 400 and "déjà point focal" in text(again)
    kinds = set(db.session.scalars(select(Event.kind).where(Event.actor_id == admin.id)))
    assert {"admin.service_created", "admin.focal_point_added"} <= kinds


def test_the_admin_edits_and_deactivates_a_service(client, login, admin, people):
    service = _service(people)
    login(admin)
    response = submit(client, f"/admin/services/{service.id}",
                      {"name": "CSCom central", "kind": "health_centre",
                       "commune_id": people.commune.id, "contact": ""})
    assert response.status_code == 302
    db.session.refresh(service)
    assert (service.name, service.active, service.contact) == ("CSCom central", False, "")
    blank = submit(client, f"/admin/services/{service.id}",
                   {"name": "", "kind": "health_centre", "commune_id": people.commune.id,
                    "contact": "gardé"})
    assert blank.status_code == 400 and "gardé" in text(blank)


@pytest.mark.parametrize("who", ["mediator", "mayor", "coordinator"])
@pytest.mark.parametrize("method,url", [("GET", "/admin/services"),
                                        ("GET", "/admin/services/new"),
                                        ("GET", "/admin/services/{service}"),
                                        ("POST", "/admin/services/{service}/focal-points")])
def test_only_the_admin_keeps_the_directory(client, login, people, who, method, url):
    service = _service(people)
    login(getattr(people, who))
    response = client.open(url.format(service=service.id), method=method,
                           data={"username": getattr(people, who).username})
    assert response.status_code == 403
    assert service.focal_points == []
