"""Words as a French reader expects them: a party is a "Famille" (a conflict is "Familial"),
one young woman is "1 jeune femme", the four counts of a step are said to be separate, and the
administration speaks of "circuits de traitement", not "workflows"."""
import re

from casework.extensions import db
from casework.services import steps
from casework.services.cases import PartyInput
from tests.factories import step_input

from .pages import text


def shown(response) -> str:
    """What a reader sees: the page's text without its tags (nor links' addresses), one
    space between words."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", text(response), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def test_a_family_party_is_a_famille_and_a_family_conflict_familial(client, login, people,
                                                                    make_case):
    case = make_case(conflict_type="family", parties=[
        PartyInput(name="Famille Traoré", sex="X", age_group="mixed", kind="family",
                   people_count=6),
        PartyInput(name="Awa Diarra", sex="F", age_group="adult")])
    login(people.mediator)
    page = shown(client.get(f"/cases/{case.reference}"))
    assert "Famille Traoré · Famille ·" in page
    assert "Familial" in page and "Famille Traoré · Familial" not in page


def test_one_of_each_is_said_in_the_singular_and_the_counts_are_separate(client, login, people,
                                                                         make_case):
    case = make_case("in_mediation")
    steps.log_step(people.mediator, case, step_input(women=2, men=0, young_women=1,
                                                     young_men=1))
    db.session.commit()
    login(people.mediator)
    page = shown(client.get(f"/cases/{case.reference}"))
    assert ("Participants : 2 femmes de plus de 35 ans, 1 jeune femme (15-35 ans), 0 homme de "
            "plus de 35 ans, 1 jeune homme (15-35 ans)") in page
    assert "1 jeunes" not in page
    form = text(client.get(f"/cases/{case.reference}/steps/new"))
    for label in ("Femmes (plus de 35 ans)", "Jeunes femmes (15-35 ans)",
                  "Hommes (plus de 35 ans)", "Jeunes hommes (15-35 ans)",
                  "Quatre nombres distincts : comptez chaque personne une seule fois"):
        assert label in form, label


def test_the_french_administration_pages_say_no_workflow(client, login, make_user):
    login(make_user(is_admin=True, language="fr"))
    for url in ("/admin", "/admin/workflows", "/admin/users/new"):
        response = client.get(url)
        assert response.status_code == 200, url
        words = [w for w in shown(response).split() if "/" not in w]  # a file's path may say it
        assert not [w for w in words if re.fullmatch(r"\W*workflows?\W*", w, re.I)], url
