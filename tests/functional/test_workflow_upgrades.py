"""Moving running cases from mediation v1 to v2: the dry run, the real run (one transaction and
one event per case, idempotent), what cannot move, and a transition racing the upgrade."""
import re
from functools import partial
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from casework import unit_of_work, workflow_upgrading
from casework.errors import Conflict
from casework.extensions import db
from casework.models import Event
from casework.queries.workflow_upgrades import plan
from casework.services import transitions, workflow_upgrades
from casework.workflow_registry import engine, new_engine
from tests.factories import advance
from tests.invariants import trail_problems

DEFINITIONS = Path(__file__).resolve().parents[2] / "workflows" / "definitions"


@pytest.fixture
def make_case(make_case):
    """Mediation cases, reported as a land-boundary conflict: a land case follows the land
    workflow (land.v1.yaml), which mediation's upgrades do not move."""
    return partial(make_case, conflict_type="boundary")


@pytest.fixture
def admin(make_user):
    return make_user(is_admin=True)


def run(target, actor=None):
    """The real run, as the command and the page do it."""
    return workflow_upgrading.run(actor, workflow_upgrades.prepare(actor, engine(), target.name,
                                                                   target.version))


def upgraded_events(case):
    return list(db.session.scalars(select(Event).where(
        Event.case_id == case.id, Event.kind == "case.workflow_upgraded")))


def test_the_dry_run_counts_moves_and_names_what_cannot_move(make_case):
    reported = make_case("reported", on_version=1)
    mediating = make_case("in_mediation", on_version=1)
    proposed = make_case("proposed", on_version=1)
    make_case("reported")  # already on v2
    dry_run = plan(engine(), "mediation", 2)
    assert (dry_run.source.version, dry_run.target.version) == (1, 2)
    assert dry_run.moves == {("reported", "reported"): 1, ("in_mediation", "in_mediation"): 1}
    assert sorted(dry_run.movable) == sorted([reported.id, mediating.id])
    assert [(b.reference, b.reason) for b in dry_run.blocked] == [
        (proposed.reference, "pending_proposal")]
    assert dry_run.already == 1
    assert reported.workflow_version == 1  # a dry run changes nothing


def test_the_real_run_moves_each_case_with_an_event_and_a_second_run_moves_nothing(
        make_case, admin):
    cases = [make_case(state, on_version=1) for state in ("reported", "resolved", "closed")]
    versions = [case.version for case in cases]
    target = engine().get("mediation", 2)
    assert run(target, admin).moved == 3
    for case, version in zip(cases, versions, strict=True):
        db.session.refresh(case)
        assert case.workflow_version == 2 and case.version > version
        [event] = upgraded_events(case)
        assert event.actor_id == admin.id
        assert {k: event.data[k] for k in ("workflow", "from_version", "to_version",
                                           "from_state", "to_state")} == {
            "workflow": "mediation", "from_version": 1, "to_version": 2,
            "from_state": case.status, "to_state": case.status}
        assert trail_problems(db.session, case) == []
    assert run(target, admin).moved == 0
    assert workflow_upgrades.upgrade_case(admin, cases[0].id, target) is False
    assert all(len(upgraded_events(case)) == 1 for case in cases)


def test_an_upgraded_case_goes_on_along_the_new_version(make_case, people, client, login):
    case = make_case("reported", on_version=1)
    advance(people, case, "assign")
    with pytest.raises(Conflict):
        transitions.fire(people.mediator, case, "hold_hearing")  # v1 has no hearing
    db.session.commit()
    run(engine().get("mediation", 2))
    db.session.refresh(case)
    advance(people, case, "hearing")
    assert case.status == "pre_mediation_hearing"
    assert trail_problems(db.session, case) == []
    db.session.commit()
    login(people.mediator)
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "passé à la version 2 du circuit par l&#39;administration" in page
    assert 'href="/workflows/mediation/v2"' in page and "Audience préalable" in page


def test_a_transition_prepared_before_the_upgrade_is_refused_not_lost(make_case, people):
    """The upgrade moves the case's version on, as a transition does: a form opened before it
    gets a 409, and a transition fired after it starts from the state the upgrade left."""
    case = make_case("reported", on_version=1)
    advance(people, case, "assign")
    db.session.commit()
    opened_on = case.version
    run(engine().get("mediation", 2))
    db.session.refresh(case)
    with pytest.raises(Conflict):
        transitions.fire(people.mediator, case, "start_mediation", version=opened_on)
    assert (case.status, case.workflow_version) == ("reported", 2)
    transitions.fire(people.mediator, case, "start_mediation", version=case.version)
    assert case.status == "in_mediation"
    assert trail_problems(db.session, case) == []


def test_a_case_changed_after_the_dry_run_is_checked_again_under_its_lock(make_case, people):
    moved_on = make_case("in_mediation", on_version=1)
    advance(people, moved_on, "step")
    now_waiting = make_case("in_mediation", on_version=1)
    advance(people, now_waiting, "step")
    target = engine().get("mediation", 2)
    dry_run = workflow_upgrades.prepare(None, engine(), "mediation", 2)
    advance(people, moved_on, "reject_admission")
    advance(people, now_waiting, "propose")
    db.session.commit()
    outcomes = dict(unit_of_work.one_by_one(
        dry_run.movable, lambda case_id: workflow_upgrades.upgrade_case(None, case_id, target)))
    assert outcomes[moved_on.id] is True
    assert isinstance(outcomes[now_waiting.id], Conflict)
    db.session.refresh(moved_on)
    db.session.refresh(now_waiting)
    assert (moved_on.status, moved_on.workflow_version) == ("not_admissible", 2)
    assert (now_waiting.status, now_waiting.workflow_version) == ("in_mediation", 1)
    assert upgraded_events(now_waiting) == []


def test_the_form_cannot_run_an_upgrade_twice(make_case, admin):
    make_case("reported", on_version=1)
    read = plan(engine(), "mediation", 2).fingerprint
    workflow_upgrades.prepare(admin, engine(), "mediation", 2, fingerprint=read)
    run(engine().get("mediation", 2), admin)
    with pytest.raises(Conflict):
        workflow_upgrades.prepare(admin, engine(), "mediation", 2, fingerprint=read)


def test_a_state_left_out_of_the_mapping_stays_behind(make_case, tmp_path):
    """A version whose mapping leaves a state out: those cases are named and stay."""
    # gbv_referral serves gbv, land serves land
    for kept in ("mediation.v1.yaml", "gbv_referral.v1.yaml", "land.v1.yaml"):
        (tmp_path / kept).write_text((DEFINITIONS / kept).read_text(encoding="utf-8"),
                                     encoding="utf-8")
    v2 = yaml.safe_load((DEFINITIONS / "mediation.v2.yaml").read_text(encoding="utf-8"))
    del v2["upgrade_from"]["states"]["referred"]
    (tmp_path / "mediation.v2.yaml").write_text(yaml.safe_dump(v2, allow_unicode=True),
                                                encoding="utf-8")
    other = new_engine()
    other.load_directory(tmp_path)
    referred = make_case("referred", on_version=1)
    dry_run = plan(other, "mediation", 2)
    assert [(b.reference, b.state, b.reason) for b in dry_run.blocked] == [
        (referred.reference, "referred", "no_mapping")]
    with pytest.raises(Conflict):
        workflow_upgrades.upgrade_case(None, referred.id, other.get("mediation", 2))


def test_only_an_administrator_upgrades(make_case, people):
    with pytest.raises(Exception) as refused:
        workflow_upgrades.prepare(people.coordinator, engine(), "mediation", 2)
    assert refused.value.status == 403


def test_the_command_dry_run_then_run(app, make_case):
    proposed = make_case("proposed", on_version=1)
    make_case("reported", on_version=1)
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["upgrade-cases", "mediation", "--to", "2", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines() == [
        "mediation v1 -> v2: 1 case(s) to move, 1 cannot move, 0 already on v2",
        "  reported -> reported: 1",
        "cannot move:",
        f"  {proposed.reference} (in_mediation): a proposal awaits its sign-offs"]
    real = runner.invoke(args=["upgrade-cases", "mediation", "--to", "2"])
    assert real.exit_code == 0 and "moved 1 case(s) to mediation v2" in real.output
    again = runner.invoke(args=["upgrade-cases", "mediation", "--to", "2"])
    assert "0 case(s) to move" in again.output and "moved 0 case(s)" in again.output
    assert runner.invoke(args=["upgrade-cases", "mediation", "--to", "1"]).exit_code == 1


# -- the administration page ---------------------------------------------------------------

UPGRADE_URL = "/admin/workflows/mediation/v2/upgrade"


def _form(client):
    html = client.get("/admin/workflows").get_data(as_text=True)
    fingerprint = re.search(r'name="mediation-v2-fingerprint"[^>]*value="([^"]+)"', html)
    return html, fingerprint.group(1) if fingerprint else None


@pytest.fixture
def former_admin(make_user):
    """An administrator who was made an ordinary account since."""
    user = make_user(is_admin=True)
    user.is_admin = False
    db.session.commit()
    return user


@pytest.fixture
def donor(make_user, people):
    return make_user((people.commune, "donor"))


# Everyone but an administrator is refused both the page and the upgrade; the upgrade moves
# nothing for them.
REFUSED = ["team_mediator", "other_mediator", "mayor", "chief", "coordinator",
           "foreign_mediator", "foreign_coordinator", "donor", "former_admin"]


@pytest.mark.parametrize("who", REFUSED)
def test_only_an_administrator_opens_the_page_and_runs_the_upgrade(app, login, cast, who,
                                                                   make_case, request):
    case = make_case("reported", on_version=1)
    user = cast.get(who) or request.getfixturevalue(who)
    client = login(user, app.test_client())
    assert client.get("/admin/workflows").status_code == 403
    fingerprint = plan(engine(), "mediation", 2).fingerprint
    response = client.post(UPGRADE_URL, data={"mediation-v2-fingerprint": fingerprint,
                                              "mediation-v2-confirm": "y"})
    assert response.status_code == 403
    db.session.refresh(case)
    assert case.workflow_version == 1


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get("/admin/workflows").headers["Location"].startswith("/login")
    assert client.post(UPGRADE_URL).headers["Location"].startswith("/login")


def test_the_page_shows_versions_states_dry_run_and_runs_the_upgrade_once(app, login, admin,
                                                                        make_case):
    proposed = make_case("proposed", on_version=1)
    make_case("reported", on_version=1)
    make_case("in_mediation", on_version=1)
    make_case("reported")
    client = login(admin, app.test_client())
    html, fingerprint = _form(client)
    for shown in ("mediation v1", "mediation v2", "Audience préalable", "Diagramme",
                  "la définition est valide.", "Mettre à jour les dossiers de la v1 vers la v2",
                  "Essai à blanc : 2 dossier(s) changeraient de version, 1 ne peuvent pas, "
                  "1 déjà sur cette version",
                  f"{proposed.reference} (En médiation) : une proposition attend ses signatures"):
        assert shown in html, shown
    assert 'class="wf-state' in html
    unconfirmed = client.post(UPGRADE_URL, data={"mediation-v2-fingerprint": fingerprint})
    assert unconfirmed.status_code == 400
    assert "Cochez la case pour confirmer." in unconfirmed.get_data(as_text=True)
    done = client.post(UPGRADE_URL, data={"mediation-v2-fingerprint": fingerprint,
                                          "mediation-v2-confirm": "y"})
    assert done.status_code == 302
    assert "2 dossier(s) passé(s) à mediation v2." in client.get("/admin/workflows").get_data(
        as_text=True)
    again = client.post(UPGRADE_URL, data={"mediation-v2-fingerprint": fingerprint,
                                           "mediation-v2-confirm": "y"})
    assert again.status_code == 409
    assert "relisez-le avant de la lancer" in again.get_data(as_text=True)
    late = make_case("reported", on_version=1)  # reported by a phone that was offline
    html, fresh = _form(client)
    assert fresh != fingerprint and late.reference not in html
    assert client.post(UPGRADE_URL, data={"mediation-v2-fingerprint": fresh,
                                          "mediation-v2-confirm": "y"}).status_code == 302
    assert db.session.scalar(select(func.count(Event.id)).where(
        Event.kind == "case.workflow_upgraded")) == 3


def test_an_unknown_upgrade_is_not_found(app, login, admin):
    client = login(admin, app.test_client())
    assert client.post("/admin/workflows/mediation/v1/upgrade").status_code == 404
    assert client.post("/admin/workflows/nothing/v2/upgrade").status_code == 404
