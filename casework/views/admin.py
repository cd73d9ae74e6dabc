"""Administration: users and their roles, communes, loaded workflow versions."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from .. import access, workflow_upgrading
from ..errors import NotPermitted
from ..extensions import db
from ..forms.admin import (
    ButtonForm,
    CommuneForm,
    NewUserForm,
    PartnerForm,
    ProfileForm,
    RoleForm,
    UpgradeForm,
)
from ..forms.fields import options
from ..i18n import locale_code
from ..models import Case, Commune, Membership, Notification, Partner, User
from ..queries.workflow_upgrades import plan, upgrades
from ..queries.workflow_versions import cases_per_state, cases_per_version
from ..services import (
    accounts,
    audit,
    communes,
    notifications,
    partners,
    two_factor,
    workflow_upgrades,
)
from ..unit_of_work import keep_record
from ..workflow_diagrams import describe, drawing
from ..workflow_registry import engine, new_engine
from .common import handle_form

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _administrators_only():
    if not access.can(current_user, "administer"):
        audit.access_denied(current_user, path=request.path)
        keep_record()
        raise NotPermitted(_l("Only an administrator can open this page."))


@bp.after_request
def _not_cached(response):
    """Admin pages hold personal data and, once, a temporary password: never keep a copy."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _get_or_404(model, object_id: int):
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    return found


def _count(query) -> int:
    return db.session.scalar(query) or 0


# -- index and workflows -------------------------------------------------------------------

@bp.get("")
def index():
    counts = {
        "users": _count(select(func.count(User.id))),
        "active_users": _count(select(func.count(User.id)).where(User.active.is_(True))),
        "communes": _count(select(func.count(Commune.id))),
        "workflows": len(engine().workflows()),
        "cases": _count(select(func.count(Case.id))),
    }
    return render_template("admin/index.html", counts=counts)


@bp.get("/workflows")
def workflows():
    return _workflows_page()


def _workflows_page(status: int = 200, forms: dict | None = None):
    """Every loaded version: its diagram, its file checked afresh, its cases per state, and
    for a version that declares an upgrade, the dry run and the form that runs it."""
    loaded = engine()
    locale = locale_code()
    per_state = cases_per_state()
    per_version = cases_per_version(per_state)
    keys = {w.key for w in loaded.workflows()}
    problems = new_engine().check_directory(current_app.config["WORKFLOWS_DIR"])
    plans = {w.key: plan(loaded, w.name, w.version) for w in upgrades(loaded)}
    forms = forms or {}
    for key, dry_run in plans.items():
        form = forms.setdefault(key, UpgradeForm(prefix=f"{key[0]}-v{key[1]}", formdata=None))
        form.fingerprint.data = dry_run.fingerprint  # the dry run shown now is the one to run
    return render_template(
        "admin/workflows.html", workflows=loaded.workflows(), counts=per_version,
        per_state=per_state, problems=problems, plans=plans, forms=forms,
        diagrams={w.key: (drawing(w, locale), describe(w, locale))
                  for w in loaded.workflows()},
        missing=sorted(key for key in per_version if key not in keys)), status


@bp.post("/workflows/<name>/v<int:version>/upgrade")
def upgrade_workflow(name: str, version: int):
    if (name, version) not in {w.key for w in upgrades(engine())}:
        abort(404)
    form = UpgradeForm(prefix=f"{name}-v{version}")
    outcome = handle_form(form, lambda: workflow_upgrades.prepare(
        current_user, engine(), name, version, fingerprint=form.fingerprint.data))
    if not outcome.done:
        return _workflows_page(outcome.status, {(name, version): form})
    result = workflow_upgrading.run(current_user, outcome.result)
    flash(_l("%(moved)d case(s) moved to %(name)s v%(version)d.", moved=result.moved,
             name=name, version=version), "success")
    if result.refused:
        flash(_l("%(count)d case(s) changed meanwhile and stayed where they were: read the dry "
                 "run again.", count=len(result.refused)), "info")
    return redirect(url_for("admin.workflows"))


# -- users ---------------------------------------------------------------------------------

@bp.get("/users")
def users():
    people = db.session.scalars(select(User).options(selectinload(User.memberships))
                                .order_by(User.active.desc(), func.lower(User.full_name)))
    return render_template("admin/users.html", users=list(people))


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = NewUserForm()
    outcome = handle_form(form, lambda: accounts.create_user(
        current_user, username=form.username.data, full_name=form.full_name.data,
        password=form.password.data, sex=form.sex.data, phone=form.phone.data,
        email=form.email.data,
        language=form.language.data, is_admin=form.is_admin.data))
    if outcome.done:
        user = outcome.result
        flash(_l("The account %(username)s is created. Now give it its roles.",
                 username=user.username), "success")
        return redirect(url_for("admin.user", user_id=user.id))
    return render_template("admin/user_new.html", form=form), outcome.status


def _held(user: User) -> set[tuple[int, str]]:
    return {(m.commune_id, m.role) for m in user.memberships}


def _role_form(user: User, **kwargs) -> RoleForm:
    form = RoleForm(held=_held(user), **kwargs)
    communes_by_name = db.session.scalars(select(Commune).order_by(Commune.name))
    form.commune_id.choices = options((c.id, f"{c.name} ({c.code})") for c in communes_by_name)
    return form


def _user_page(user: User, status: int = 200, *, profile: ProfileForm | None = None,
               role_form: RoleForm | None = None, button: ButtonForm | None = None):
    """The user's page, with the form that failed (if any) showing its errors."""
    # One query for the communes named below (a coordinator may hold hundreds of roles).
    names = {c.id: c.name for c in access.communes_in({m.commune_id for m in user.memberships})}
    memberships = sorted(user.memberships, key=lambda m: (m.role, names[m.commune_id]))
    failed = db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.status == "failed"))
    return render_template(
        "admin/user.html", user=user, memberships=memberships, failed_messages=failed,
        requires_two_factor=access.requires_two_factor(user),
        profile=profile or ProfileForm(obj=user, formdata=None),
        role_form=role_form or _role_form(user, formdata=None),
        button=button or ButtonForm(formdata=None)), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user(user_id):
    user = _get_or_404(User, user_id)
    profile = ProfileForm(obj=user)
    outcome = handle_form(profile, lambda: accounts.update_profile(
        current_user, user, full_name=profile.full_name.data, sex=profile.sex.data,
        phone=profile.phone.data, email=profile.email.data, is_admin=profile.is_admin.data))
    if outcome.done:
        flash(_l("The profile is saved."), "success")
        return redirect(url_for("admin.user", user_id=user.id))
    return _user_page(user, outcome.status, profile=profile)


@bp.post("/users/<int:user_id>/roles")
def add_role(user_id):
    user = _get_or_404(User, user_id)
    form = _role_form(user)
    wanted = _held(user) | {(form.commune_id.data, form.role.data)}
    outcome = handle_form(form, lambda: accounts.set_memberships(current_user, user, wanted))
    if outcome.done:
        flash(_l("The role is given."), "success")
        return redirect(url_for("admin.user", user_id=user.id))
    return _user_page(user, outcome.status, role_form=form)


@bp.post("/users/<int:user_id>/roles/<int:membership_id>/remove")
def remove_role(user_id, membership_id):
    user = _get_or_404(User, user_id)
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.user_id != user.id:
        flash(_l("This role was already removed."), "info")
        return redirect(url_for("admin.user", user_id=user.id))
    form = ButtonForm()
    wanted = _held(user) - {(membership.commune_id, membership.role)}
    outcome = handle_form(form, lambda: accounts.set_memberships(current_user, user, wanted))
    if outcome.done:
        flash(_l("The role is removed."), "success")
        return redirect(url_for("admin.user", user_id=user.id))
    return _user_page(user, outcome.status, button=form)


def _set_active(user_id: int, active: bool):
    user = _get_or_404(User, user_id)
    form = ButtonForm()
    outcome = handle_form(form, lambda: accounts.set_active(current_user, user, active))
    if outcome.done:
        flash(_l("The account is enabled.") if active else
              _l("The account is disabled: its sessions are ended and it can no longer "
                 "sign in."), "success")
        return redirect(url_for("admin.user", user_id=user.id))
    return _user_page(user, outcome.status, button=form)


@bp.post("/users/<int:user_id>/disable")
def disable(user_id):
    return _set_active(user_id, False)


@bp.post("/users/<int:user_id>/enable")
def enable(user_id):
    return _set_active(user_id, True)


@bp.post("/users/<int:user_id>/password")
def reset_password(user_id):
    """Shown once, on this answer only: the temporary password is nowhere else afterwards."""
    user = _get_or_404(User, user_id)
    form = ButtonForm()
    outcome = handle_form(form, lambda: accounts.reset_password(current_user, user))
    if not outcome.done:
        return _user_page(user, outcome.status, button=form)
    return render_template("admin/password_reset.html", user=user, password=outcome.result)


@bp.post("/users/<int:user_id>/two-factor/reset")
def reset_two_factor(user_id):
    """A lost phone: the second factor is cleared and the sessions ended; someone whose role
    requires it sets it up again at the next sign-in."""
    user = _get_or_404(User, user_id)
    form = ButtonForm()
    outcome = handle_form(form, lambda: two_factor.reset(current_user, user))
    if outcome.done:
        flash(_l("Two-factor authentication of %(username)s is reset: their sessions are "
                 "ended, and they set it up again with a new phone.", username=user.username),
              "success")
        return redirect(url_for("admin.user", user_id=user.id))
    return _user_page(user, outcome.status, button=form)


@bp.post("/users/<int:user_id>/messages/send-again")
def send_messages_again(user_id):
    """The messages to this person that failed, sent again once their address is corrected."""
    user = _get_or_404(User, user_id)
    form = ButtonForm()
    outcome = handle_form(form, lambda: notifications.send_failed_again(current_user, user))
    if outcome.done:
        flash(_l("%(count)s message(s) will be sent again.", count=outcome.result), "success")
        return redirect(url_for("admin.user", user_id=user.id))
    return _user_page(user, outcome.status, button=form)


# -- communes ------------------------------------------------------------------------------

@bp.get("/communes")
def communes_list():
    case_counts = dict(db.session.execute(
        select(Case.commune_id, func.count(Case.id)).group_by(Case.commune_id)).all())
    rows = db.session.scalars(select(Commune).order_by(Commune.name))
    return render_template("admin/communes.html", communes=list(rows), case_counts=case_counts)


@bp.route("/communes/new", methods=["GET", "POST"])
def new_commune():
    form = CommuneForm()
    outcome = handle_form(form, lambda: communes.create_commune(
        current_user, code=form.code.data, name=form.name.data, cercle=form.cercle.data,
        region=form.region.data, case_target=form.case_target.data))
    if outcome.done:
        flash(_l("The commune %(name)s is added.", name=outcome.result.name), "success")
        return redirect(url_for("admin.communes_list"))
    return render_template("admin/commune.html", form=form, commune=None), outcome.status


@bp.route("/communes/<int:commune_id>", methods=["GET", "POST"])
def commune(commune_id):
    commune = _get_or_404(Commune, commune_id)
    form = CommuneForm(obj=commune)
    outcome = handle_form(form, lambda: communes.update_commune(
        current_user, commune, code=form.code.data, name=form.name.data,
        cercle=form.cercle.data, region=form.region.data, case_target=form.case_target.data))
    if outcome.done:
        flash(_l("The commune %(name)s is saved.", name=commune.name), "success")
        return redirect(url_for("admin.communes_list"))
    return render_template("admin/commune.html", form=form, commune=commune,
                           has_cases=communes.commune_has_cases(commune)), outcome.status


@bp.route("/partners", methods=["GET", "POST"])
def partners_list():
    """The programme's partners, and a form to add one."""
    form = PartnerForm()
    outcome = handle_form(form, lambda: partners.create_partner(
        current_user, code=form.code.data, name=form.name.data))
    if outcome.done:
        flash(_l("The partner %(code)s is added.", code=outcome.result.code), "success")
        return redirect(url_for("admin.partners_list"))
    rows = db.session.scalars(select(Partner).order_by(Partner.code))
    return render_template("admin/partners.html", partners=list(rows), form=form), \
        outcome.status
