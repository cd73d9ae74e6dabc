"""Services of the directory with their focal points, and cases referred to them, for the
tests of referrals (pages and API)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from casework.extensions import db
from casework.models import Referral, Service, ServiceFocalPoint
from casework.services import transitions
from casework.services.transitions import TransitionInput
from tests.dates import typed
from tests.factories import new_user


@pytest.fixture
def directory(people, elsewhere, make_user):
    """A health centre of `people`'s commune, another service of it, and one elsewhere, each
    with its focal point."""
    found = {}
    for name, commune in (("here", people.commune), ("next_door", people.commune),
                          ("elsewhere", elsewhere.commune)):
        service = Service(name=f"Service {name}", kind="health_centre", commune_id=commune.id,
                          contact="", active=True)
        db.session.add(service)
        db.session.flush()
        focal = make_user(username=f"focal.{name}{service.id}")
        db.session.add(ServiceFocalPoint(service_id=service.id, user_id=focal.id))
        found[name] = (service, focal)
    db.session.commit()
    return found


def referred(people, make_case, service, *, consent=True, **values) -> Referral:
    case = make_case("reported", **values)
    transitions.fire(people.mediator, case, "refer", TransitionInput(
        service_id=service.id, note="Prise en charge médicale.",
        consent="given" if consent else "refused", consent_by="La personne",
        consent_how="oral", consent_on=date.fromisoformat(typed(0))))
    db.session.commit()
    return db.session.scalar(select(Referral).where(Referral.case_id == case.id))


def new_land_commissions(people, elsewhere) -> dict:
    """The COFO of `people`'s commune and the one of `elsewhere`, a health centre of
    `people`'s commune, each with its focal point: who may enter a COFO's record."""
    found = {}
    for name, commune, kind in (("cofo", people.commune, "cofo"),
                                ("cofo_elsewhere", elsewhere.commune, "cofo"),
                                ("health_centre", people.commune, "health_centre")):
        service = Service(name=f"{kind} {name}", kind=kind, commune_id=commune.id,
                          contact="", active=True)
        db.session.add(service)
        db.session.flush()
        focal = new_user(username=f"focal.{name}{service.id}")
        db.session.add(ServiceFocalPoint(service_id=service.id, user_id=focal.id))
        found[name] = (service, focal)
    db.session.commit()
    return found


@pytest.fixture
def land_commissions(people, elsewhere):
    """new_land_commissions for the test's `people` and `elsewhere`."""
    return new_land_commissions(people, elsewhere)


def cofo_record(**values) -> TransitionInput:
    """A COFO's conciliation record, reached, dated today."""
    defaults = dict(conciliation_date=date.fromisoformat(typed(0)), cofo_outcome="reached",
                    pv_number="PV-12/2026", note="Les limites sont bornées.")
    defaults.update(values)
    return TransitionInput(**defaults)
