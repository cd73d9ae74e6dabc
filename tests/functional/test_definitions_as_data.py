"""A definition works as data alone, tried on copies of mediation.v1 changed in one way each.

Who signs an agreement is the definition's word: with `signoffs: [coordinator]`, the
coordinator's sign-off is awaited on their Mon travail, in the menu's count, on the case page,
in the dashboard and in the messages, and the coordinator signs; the mayor and the chief are
not asked. The figures count states by their tags: a state renamed keeps being counted."""
from pathlib import Path

import pytest

from casework.extensions import db
from casework.queries import dashboard, figures
from casework.queries.filters import CaseFilters
from casework.queries.worklist import my_work
from casework.services import notifications
from casework.workflow_registry import build_engine, signing_roles
from tests.factories import advance
from tests.notifications.test_menu_count import menu_count

from .pages import submit, text


@pytest.fixture
def definitions(app, tmp_path, monkeypatch):
    """changed({old: new}): the app's mediation.v1 with each `old` replaced by its `new`,
    loaded as the app factory loads its WORKFLOWS_DIR."""
    def changed(replacements: dict[str, str]) -> None:
        text = (Path(app.config["WORKFLOWS_DIR"]) / "mediation.v1.yaml").read_text("utf-8")
        for old, new in replacements.items():
            assert old in text
            text = text.replace(old, new)
        (tmp_path / "mediation.v1.yaml").write_text(text, encoding="utf-8")
        monkeypatch.setitem(app.config, "WORKFLOWS_DIR", str(tmp_path))
        monkeypatch.setitem(app.extensions, "palabre.engine",
                            build_engine(app.config["WORKFLOWS_DIR"]))
    return changed


def test_the_coordinator_signs_when_the_definition_says_so(app, login, people, make_case,
                                                           definitions):
    definitions({"signoffs: [commune_authority, traditional_leader]": "signoffs: [coordinator]"})
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


def test_a_renamed_state_is_counted_by_its_tags(people, make_case, definitions):
    definitions({"\n  resolved:\n": "\n  agreed:\n", "dest: resolved": "dest: agreed",
                 "source: resolved": "source: agreed",
                 "source: [resolved, followed_up]": "source: [agreed, followed_up]"})
    case = make_case("resolved")
    assert case.status == "agreed"
    d = dashboard.build({people.commune.id}, CaseFilters())
    assert d.flows["resolved"] == 1 and d.reported_resolved == 1
    assert d.communes[0].resolved == 1 and d.communes[0].mediated == 1
