"""Administration of the directory of services: list, add, edit, and each service's focal
points. Routes of the admin blueprint, behind its administrators-only guard."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..forms.admin import ButtonForm, FocalPointForm, ServiceForm
from ..forms.fields import options
from ..models import Commune, Service, ServiceFocalPoint
from ..services import directory
from .admin import _get_or_404, bp
from .common import handle_form, one_of


def _service_form(**kwargs) -> ServiceForm:
    form = ServiceForm(**kwargs)
    communes_by_name = db.session.scalars(select(Commune).order_by(Commune.name))
    form.commune_id.choices = options((c.id, f"{c.name} ({c.code})") for c in communes_by_name)
    return form


def _values(form: ServiceForm) -> dict:
    return {"name": form.name.data, "kind": form.kind.data, "commune_id": form.commune_id.data,
            "contact": form.contact.data, "active": form.active.data}


@bp.get("/services")
def services_list():
    rows = db.session.scalars(
        select(Service).join(Service.commune).options(selectinload(Service.commune))
        .order_by(Commune.name, Service.name))
    return render_template("admin/services.html", services=list(rows))


@bp.route("/services/new", methods=["GET", "POST"])
def new_service():
    form = _service_form()
    outcome = handle_form(form, lambda: directory.create_service(current_user, **_values(form)))
    if outcome.done:
        flash(_l("The service %(name)s is added.", name=outcome.result.name), "success")
        return redirect(url_for("admin.service", service_id=outcome.result.id))
    return render_template("admin/service.html", form=form, service=None), outcome.status


def _service_page(service: Service, form: ServiceForm, focal_form: FocalPointForm,
                  status: int):
    focal = db.session.scalars(
        select(ServiceFocalPoint).where(ServiceFocalPoint.service_id == service.id)
        .options(selectinload(ServiceFocalPoint.user)).order_by(ServiceFocalPoint.id))
    return render_template("admin/service.html", form=form, service=service,
                           focal_form=focal_form, focal_points=list(focal)), status


@bp.route("/services/<int:service_id>", methods=["GET", "POST"])
def service(service_id: int):
    found = _get_or_404(Service, service_id)
    form = _service_form(obj=found)
    outcome = handle_form(form, lambda: directory.update_service(current_user, found,
                                                                 **_values(form)))
    if outcome.done:
        flash(_l("The service %(name)s is saved.", name=found.name), "success")
        return redirect(url_for("admin.service", service_id=found.id))
    return _service_page(found, form, FocalPointForm(formdata=None), outcome.status)


@bp.post("/services/<int:service_id>/focal-points")
def add_focal_point(service_id: int):
    found = _get_or_404(Service, service_id)
    focal_form = FocalPointForm()
    outcome = handle_form(focal_form, lambda: directory.add_focal_point(
        current_user, found, focal_form.username.data))
    if outcome.done:
        flash(_l("The focal point is added."), "success")
        return redirect(url_for("admin.service", service_id=found.id))
    return _service_page(found, _service_form(obj=found, formdata=None), focal_form,
                         outcome.status)


@bp.post("/services/<int:service_id>/focal-points/<int:focal_id>/remove")
def remove_focal_point(service_id: int, focal_id: int):
    found = _get_or_404(Service, service_id)
    focal = one_of(found.focal_points, focal_id)
    outcome = handle_form(ButtonForm(), lambda: directory.remove_focal_point(
        current_user, found, focal))
    if outcome.done:
        flash(_l("The focal point is taken off the service."), "success")
    return redirect(url_for("admin.service", service_id=found.id))
