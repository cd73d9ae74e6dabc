"""The search box of the case list: accents, case and apostrophes do not matter, access
rules do, and a confidential case is found by its reference only."""
import re

import pytest

from casework.extensions import db
from casework.services.cases import PartyInput
from casework.textsearch import case_text, fold


@pytest.mark.parametrize("typed, stored", [
    ("segou", "Ségou"), ("SEGOU", "ségou"), ("ngolo", "N'Golo"), ("n'golo", "N’Golo"),
    ("kone", "Kɔnɛ"), ("nyene", "Ɲɛnɛ"), ("sang", "Saŋ"), ("traore", "TRAORÉ"),
])
def test_folding_makes_them_equal(typed, stored):
    assert fold(typed) == fold(stored)


def test_confidential_text_is_the_reference_only():
    assert case_text("BGN-2026-0001", True, "Kola", "Faits", ["Awa Traoré"]) == "bgn-2026-0001"


@pytest.fixture
def found(client, login, people):
    login(people.coordinator)

    def search(query):
        """The references the result list shows (not the query echoed in the search box)."""
        page = client.get("/cases", query_string={"q": query}).get_data(as_text=True)
        return set(re.findall(r'<li><a href="/cases/([A-Z0-9-]+)">', page))
    return search


@pytest.fixture
def cases_to_find(make_case, elsewhere):
    return {
        "village": make_case(village="Ségou-Koura", description="Champ de mil disputé."),
        "party": make_case(village="Kola", parties=[
            PartyInput(name="N'Golo Diarra", sex="M", age_group="adult")]),
        "words": make_case(village="Sido", description="Un troupeau a détruit le jardin."),
        "confidential": make_case(conflict_type="gbv", village="Tièmala", parties=[
            PartyInput(name="Fanta Sanogo", sex="F", age_group="youth")]),
        "foreign": make_case(who=elsewhere, village="Ségou-Koura"),
    }


@pytest.mark.parametrize("query, expected", [
    ("segou", "village"), ("SÉGOU koura", "village"), ("ngolo", "party"), ("diarra", "party"),
    ("troupeau jardin", "words"), ("detruit", "words"),
])
def test_found_by_village_name_and_words(found, cases_to_find, query, expected):
    assert found(query) == {cases_to_find[expected].reference}


def test_every_word_must_match(found, cases_to_find):
    assert cases_to_find["words"].reference not in found("troupeau ségou")


def test_confidential_case_by_reference_only(found, cases_to_find):
    reference = cases_to_find["confidential"].reference
    assert reference not in found("sanogo")
    assert reference not in found("tiemala")
    assert found(reference.lower()) == {reference}


def test_another_communes_case_is_never_found(found, cases_to_find):
    assert cases_to_find["foreign"].reference not in found("segou")
    assert cases_to_find["foreign"].reference not in found(cases_to_find["foreign"].reference)


def test_search_keeps_the_filters(found, cases_to_find, client):
    page = client.get("/cases", query_string={"q": "kola", "type": "land"})
    html = page.get_data(as_text=True)
    assert 'value="kola"' in html and 'name="type" value="land"' in html


def test_search_text_follows_a_change(make_case):
    case = make_case(village="Kola")
    case.village = "Dialakoro"
    case.parties[0].name = "Moussa Sidibé"
    db.session.commit()
    assert "dialakoro" in case.search_text and "sidibe" in case.search_text
    assert "kola" not in case.search_text.split()


def test_the_search_finds_what_a_change_wrote_not_what_it_replaced(found, make_case):
    """Through the trigram index as the list reads it: written, rewritten and removed."""
    case = make_case(village="Kola", parties=[
        PartyInput(name="Awa Coulibaly", sex="F", age_group="adult")])
    assert found("coulibaly") == {case.reference}
    case.village = "Dialakoro"
    case.parties[0].name = "Moussa Sidibé"
    db.session.commit()
    assert found("dialakoro sidibe") == {case.reference}
    assert case.reference not in found("kola") | found("coulibaly")


@pytest.mark.parametrize("query", ["ké", "mil", "ke mil", "de mil"])
def test_words_too_short_for_the_index_are_found_all_the_same(found, cases_to_find, query):
    """The trigram index serves words of 3 letters or more; shorter ones are read in full."""
    cases_to_find["village"].village = "Ké"
    db.session.commit()
    assert cases_to_find["village"].reference in found(query)
