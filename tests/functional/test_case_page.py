"""The case page leads: it opens on where the case stands and the one or two things to do now,
as filled buttons; the rarer ways out (not admissible, referral) are outlined, grouped after
them; the long sections fold. The table says, per state and person, what leads."""
from __future__ import annotations

import html
import re

import pytest

from tests.factories import advance

ASSIGN, STEP = "Assigner l'équipe", "Consigner une étape de médiation"
START, PROPOSE = "Démarrer la médiation", "Proposer un accord"
HEARING = "Tenir une audience préalable"
SIGN, VISIT, CLOSE = "Signer l'accord", "Enregistrer une visite de suivi", "Clôturer le dossier"
NOT_ADMISSIBLE, REFER = "Déclarer non recevable", "Orienter vers un service"
WAYS_OUT = [NOT_ADMISSIBLE, REFER]
# A land case (land v1), once a step is logged: to the COFO when no agreement comes.
TO_COFO, RECORD = "Orienter vers la COFO (pas d'accord)", "Saisir le PV de la COFO"

# (state, extra moves, who) -> (filled buttons, outlined buttons), in the page's order.
LEADS = {
    ("reported", (), "team_mediator"): ([ASSIGN], WAYS_OUT),
    ("reported", (), "other_mediator"): ([ASSIGN], WAYS_OUT),
    ("reported", (), "coordinator"): ([ASSIGN], WAYS_OUT),
    ("reported", ("assign",), "team_mediator"): ([START, HEARING], [ASSIGN, *WAYS_OUT]),
    ("pre_mediation_hearing", (), "team_mediator"): ([START, STEP], [ASSIGN, *WAYS_OUT]),
    ("in_mediation", (), "team_mediator"): ([STEP], [ASSIGN, *WAYS_OUT]),
    ("in_mediation", (), "other_mediator"): ([], []),
    ("in_mediation", ("step",), "team_mediator"): ([PROPOSE, STEP],
                                                   [ASSIGN, *WAYS_OUT, TO_COFO]),
    ("proposed", (), "mayor"): ([SIGN], []),
    ("proposed", (), "chief"): ([SIGN], []),
    ("proposed", (), "team_mediator"): ([STEP], [ASSIGN, *WAYS_OUT, TO_COFO]),
    ("resolved", (), "team_mediator"): ([VISIT], [ASSIGN]),
    ("resolved", ("visit_30",), "team_mediator"): ([VISIT], [ASSIGN]),
    ("followed_up", (), "coordinator"): ([CLOSE], [ASSIGN, VISIT]),
    ("followed_up", (), "team_mediator"): ([], [ASSIGN, VISIT]),
    ("closed", (), "coordinator"): ([], []),
    ("referred", (), "team_mediator"): ([], []),
    ("not_admissible", (), "coordinator"): ([], []),
    ("at_cofo", (), "team_mediator"): ([RECORD], [ASSIGN]),
    ("at_cofo", (), "coordinator"): ([], [ASSIGN]),
    ("conciliated_by_cofo", (), "coordinator"): ([CLOSE], [ASSIGN]),
    ("referred_to_tribunal", (), "team_mediator"): ([], []),
}
# States reached through the commune's COFO, which must be in the directory.
AT_THE_COFO = {"at_cofo", "conciliated_by_cofo", "referred_to_tribunal"}
# Who may open the case and does nothing on it there: no button at all.
BYSTANDERS = [(state, who) for state in ("reported", "in_mediation", "resolved", "followed_up")
              for who in ("mayor", "chief")] + [
    ("resolved", "other_mediator"), ("followed_up", "other_mediator")]


def buttons(page: str, group: str) -> list[str]:
    found = re.search(rf'<div class="actions {group}"[^>]*>(.*?)</div>', page, re.S)
    if not found:
        return []
    return [html.unescape(label).strip()
            for label in re.findall(r'class="button[^"]*"[^>]*>([^<]+)</a>', found.group(1))]


def _open(client, login, user, case) -> str:
    login(user)
    response = client.get(f"/cases/{case.reference}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("state, moves, who", sorted(LEADS))
def test_what_leads_in_each_state(client, login, cast, people, make_case, state, moves, who,
                                  request):
    if state in AT_THE_COFO:
        request.getfixturevalue("land_commissions")
    case = make_case(state)
    for move in moves:
        advance(people, case, move)
    page = _open(client, login, cast[who], case)
    assert (buttons(page, "lead"), buttons(page, "others")) == LEADS[(state, moves, who)]


@pytest.mark.parametrize("state, who", BYSTANDERS)
def test_who_does_nothing_there_sees_no_button(client, login, cast, make_case, state, who):
    page = _open(client, login, cast[who], make_case(state))
    assert buttons(page, "lead") == [] and buttons(page, "others") == []


@pytest.mark.parametrize("who, leads", [
    ("team_mediator", [REFER]),  # the only way on for a gender-based-violence case
    ("coordinator", [REFER]),  # gbv_referral waits for no team: setting one is not the lead
    ("other_mediator", [REFER]),
])
def test_a_case_that_can_only_be_referred_leads_to_the_referral(client, login, cast, make_case,
                                                                who, leads):
    case = make_case(conflict_type="gbv")
    page = _open(client, login, cast[who], case)
    assert buttons(page, "lead") == leads
    assert NOT_ADMISSIBLE not in buttons(page, "others") + buttons(page, "lead")
    if who == "coordinator":  # rarer: the team, or closing it when no referral can be made
        assert buttons(page, "others") == [ASSIGN, "Clôturer sans suite"]


@pytest.mark.parametrize("who", ["foreign_mediator", "foreign_coordinator", "foreign_mayor"])
def test_other_communes_get_no_page(client, login, cast, make_case, who):
    case = make_case("in_mediation")
    login(cast[who])
    assert client.get(f"/cases/{case.reference}").status_code == 404


def test_the_first_screen_is_where_the_case_stands_and_long_sections_fold(client, login,
                                                                         people, make_case):
    case = make_case("resolved")
    page = _open(client, login, people.mediator, case)
    now = page.index("Où en est le dossier")
    assert now < page.index("Village ou quartier") and now < page.index("<h2>Parties</h2>")
    assert page.index('class="actions lead"') < page.index("Village ou quartier")
    for title in ("Journal de médiation", "Pièces jointes", "Historique"):
        assert re.search(rf"<details[^>]*>\s*<summary><h2>{title} \(\d+\)</h2>", page), title
    assert re.search(r"<details class=\"fold\">\s*<summary>Les étapes de ce circuit", page)
