"""Each workflow version has a page that draws it from its definition; a case's page shows
where the case stands on that drawing."""
import re

import pytest

from casework.workflow_registry import engine

from .pages import text


def _classes_of(html: str, label: str) -> str:
    """The classes of the state box whose label is `label` in the diagram."""
    match = re.search(r'<g class="(wf-state[^"]*)">(?:(?!</g>).)*>' + re.escape(label)
                      + r"</text>", html, re.S)
    assert match, label
    return match.group(1)


@pytest.mark.parametrize("role", ["mediator", "mayor", "chief", "coordinator"])
def test_every_signed_in_person_can_read_the_workflow(client, login, people, role):
    login(getattr(people, role))
    response = client.get("/workflows/mediation/v1")
    assert response.status_code == 200
    page = text(response)
    workflow = engine().get("mediation", 1)
    html = response.get_data(as_text=True)
    assert html.count('class="wf-state') == len(workflow.states)
    assert html.count('<g class="wf-badge">') == sum(len(t.sources) for t in workflow.transitions)
    for transition in workflow.transitions:
        assert transition.label("fr") in page
    assert "Signé ensuite par : Maire ou adjoint au maire, Autorité traditionnelle." in page
    assert "Se fait d'elle-même" in page


def test_the_gbv_referral_page_says_which_answer_of_the_service_moves_the_case(client, login,
                                                                           people):
    login(people.mediator)
    response = client.get("/workflows/gbv_referral/v1")
    assert response.status_code == 200
    page, html = text(response), response.get_data(as_text=True)
    workflow = engine().get("gbv_referral", 1)
    assert html.count('class="wf-state') == len(workflow.states)
    for transition in workflow.transitions:
        assert transition.label("fr") in page
    for answer in ("Acceptée par le service", "Refusée par le service", "Résultat enregistré"):
        assert f"Se fait quand le service répond à l'orientation : {answer}." in page
    assert "Fait par : ." not in page  # no one fires an answer by hand
    assert "Fait par : Coordination." in page


def test_the_workflow_page_needs_a_sign_in(client):
    assert client.get("/workflows/mediation/v1").status_code == 302


@pytest.mark.parametrize("url", ["/workflows/mediation/v3", "/workflows/nothing/v1",
                                 "/workflows/mediation/v99999999999999999999999",
                                 "/workflows/mediation/v-1", "/workflows/mediation/1"])
def test_an_unknown_version_is_not_found(client, login, people, url):
    login(people.mediator)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("state, current, visited", [
    ("reported", "Signalé", []),
    ("in_mediation", "En médiation", ["Signalé"]),
    ("resolved", "Résolu", ["Signalé", "En médiation"]),
    ("referred", "Orienté", ["Signalé"]),
])
def test_the_case_page_marks_where_the_case_stands(client, login, people, make_case, state,
                                                   current, visited):
    case = make_case(state)
    login(people.mediator)
    html = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "current" in _classes_of(html, current).split()
    for label in visited:
        assert "visited" in _classes_of(html, label).split()
    assert _classes_of(html, "Clôturé").split() == ["wf-state", "final"]
    assert f'href="/workflows/{case.workflow}/v{case.workflow_version}"' in html


def test_the_land_workflow_is_drawn_with_the_cofo_and_a_land_case_stands_on_it(
        client, login, people, make_case, land_commissions):
    login(people.mediator)
    response = client.get("/workflows/land/v1")
    assert response.status_code == 200
    page, html = text(response), response.get_data(as_text=True)
    workflow = engine().get("land", 1)
    assert html.count('class="wf-state') == len(workflow.states)
    assert html.count('<g class="wf-badge">') == sum(len(t.sources) for t in workflow.transitions)
    for transition in workflow.transitions:
        assert transition.label("fr") in page
    case = make_case("at_cofo")
    html = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "current" in _classes_of(html, "À la COFO").split()
    assert "visited" in _classes_of(html, "En médiation").split()
    assert _classes_of(html, "Renvoyé au tribunal").split() == ["wf-state", "final"]
    assert 'href="/workflows/land/v1"' in html
