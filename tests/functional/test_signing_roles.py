"""Who signs an agreement is the definition's word alone: a copy of mediation.v1 whose proposal
is signed off by the coordination (`signoffs: [coordinator]`) shows the coordinator's sign-off
awaited on their Mon travail, in the menu's count, on the case page, in the dashboard and in
the messages, and the coordinator signs; the mayor and the chief are not asked."""
from pathlib import Path

import pytest

from casework.extensions import db
from casework.queries import figures
from casework.queries.worklist import my_work
from casework.services import notifications
from casework.workflow_registry import build_engine, signing_roles
from tests.factories import advance
from tests.notifications.test_menu_count import menu_count

from .pages import submit, text

SHIPPED = "signoffs: [commune_authority, traditional_leader]"


@pytest.fixture
def coordination_signs(app, tmp_path, monkeypatch):
    """The app's definitions but this one change, loaded as the app factory loads them."""
    shipped = (Path(app.config["WORKFLOWS_DIR"]) / "mediation.v1.yaml").read_text("utf-8")
    assert SHIPPED in shipped
    (tmp_path / "mediation.v1.yaml").write_text(
        shipped.replace(SHIPPED, "signoffs: [coordinator]"), encoding="utf-8")
    monkeypatch.setitem(app.config, "WORKFLOWS_DIR", str(tmp_path))
    monkeypatch.setitem(app.extensions, "palabre.engine", build_engine(app.config["WORKFLOWS_DIR"]))


def test_the_coordinator_signs_when_the_definition_says_so(app, login, people, make_case,
                                                           coordination_signs):
    case = make_case("in_mediation")
    advance(people, case, "step")
    advance(people, case, "propose")
    db.session.commit()
    proposal = case.pending_proposal
    assert signing_roles() == ("coordinator",)
    assert proposal.awaited_roles == ["coordinator"]

    waiting = {s.name: s for s in my_work(people.coordinator).sections}
    assert [i.case.reference for i in waiting["signoff_awaited"].items] == [case.reference]
    assert menu_count(app, login, people.coordinator) == sum(s.count for s in waiting.values())
    for role in ("mayor", "chief"):
        assert "signoff_awaited" not in {s.name for s in my_work(getattr(people, role)).sections}
    kinds = {r.kind for r in notifications.reasons_for(people.coordinator)}
    assert "signoff_awaited" in kinds
    assert figures.awaiting([])["awaiting_by_role"] == {"coordinator": 1}

    coordinator = login(people.coordinator, app.test_client())
    page = text(coordinator.get(f"/cases/{case.reference}"))
    assert "L'accord attend la signature de : Coordination." in page
    url = f"/cases/{case.reference}/proposals/{proposal.id}/sign-off"
    assert url in page
    assert submit(coordinator, url, {"decision": "approve", "comment": "Vu."}).status_code == 302
    db.session.refresh(case)
    assert case.status == "resolved"
    assert [s.role for s in case.current_agreement.signoffs] == ["coordinator"]
