"""The directory of services (administration): a service added or changed, a focal point
attached or taken off; each change is an event."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..errors import InvalidInput
from ..extensions import db
from ..models import Commune, Service, ServiceFocalPoint
from ..vocabulary import SERVICE_KINDS
from . import events
from .accounts import find_user, require_admin
from .validation import require_choice, require_text


def _fill(service: Service, *, name: str, kind: str, commune_id, contact: str | None,
          active: bool) -> None:
    if not isinstance(commune_id, int) or db.session.get(Commune, commune_id) is None:
        raise InvalidInput(_l("Choose one of the values offered."), field="commune_id")
    service.name = require_text(name, "name", max_length=160)
    service.kind = require_choice(kind, SERVICE_KINDS, "kind")
    service.commune_id = commune_id
    contact = (contact or "").strip()
    if len(contact) > 300:
        raise InvalidInput(_l("At most %(n)d characters.", n=300), field="contact")
    service.contact = contact
    service.active = bool(active)


def create_service(actor, **values) -> Service:
    require_admin(actor)
    service = Service()
    _fill(service, **values)
    db.session.add(service)
    db.session.flush()
    events.record("admin.service_created", actor=actor, service_id=service.id,
                  commune_id=service.commune_id, kind=service.kind)
    return service


def update_service(actor, service: Service, **values) -> None:
    require_admin(actor)
    _fill(service, **values)
    db.session.flush()
    events.record("admin.service_updated", actor=actor, service_id=service.id,
                  commune_id=service.commune_id, kind=service.kind, active=service.active)


def add_focal_point(actor, service: Service, username: str) -> ServiceFocalPoint:
    """The account `username` answers the referrals addressed to `service` from now on."""
    require_admin(actor)
    user = find_user(require_text(username, "username", max_length=80))
    if user is None or user.is_admin:
        # An administrator does no case work, nor answers referrals.
        raise InvalidInput(_l("No account of the case work has this username."),
                           field="username")
    if any(f.user_id == user.id for f in service.focal_points):
        raise InvalidInput(_l("This person is already a focal point of this service."),
                           field="username")
    focal = ServiceFocalPoint(service=service, user_id=user.id)
    db.session.add(focal)
    db.session.flush()
    events.record("admin.focal_point_added", actor=actor, service_id=service.id,
                  user_id=user.id)
    return focal


def remove_focal_point(actor, service: Service, focal: ServiceFocalPoint) -> None:
    """The person no longer answers for the service: from the next request on, they see none
    of its referrals."""
    require_admin(actor)
    service.focal_points.remove(focal)
    db.session.flush()
    events.record("admin.focal_point_removed", actor=actor, service_id=service.id,
                  user_id=focal.user_id)
