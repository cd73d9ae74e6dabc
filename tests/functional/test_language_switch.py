"""The language switch in the footer of every page: a link (no form to post) that comes back
to the same page in the other language, for this session only; never to another site."""
import pytest

from casework.extensions import db


def _switch_link(html: str, code: str) -> str:
    start = html.index(f'href="/language/{code}?next=')
    return html[start + 6:html.index('"', start + 6)].replace("&amp;", "&")


def test_every_page_offers_the_other_language_and_returns_to_it(client, login, people,
                                                                make_case):
    case = make_case()
    login(people.mediator)
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert 'lang="en"' in page and ">English</a>" in page and ">Français</a>" not in page
    assert "keep-typed." not in page  # a page without a form to type loads no keep-typed.js
    link = _switch_link(page, "en")
    response = client.get(link)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{case.reference}"
    english = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert '<html lang="en">' in english and ">Français</a>" in english
    # This session only: the account keeps its language.
    db.session.refresh(people.mediator)
    assert people.mediator.language != "en"


def test_the_switch_keeps_the_query_of_the_page(client, login, people):
    login(people.mediator)
    page = client.get("/cases?q=Kola&status=reported").get_data(as_text=True)
    response = client.get(_switch_link(page, "en"))
    assert response.headers["Location"] == "/cases?q=Kola&status=reported"


def test_saving_the_accounts_language_ends_the_switch(client, login, people):
    login(people.mediator)
    client.get("/language/en?next=/")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    client.post("/account/language", data={"language": "fr"})
    assert '<html lang="fr">' in client.get("/").get_data(as_text=True)


def test_signed_out_pages_switch_too(client):
    page = client.get("/login").get_data(as_text=True)
    assert ">English</a>" in page
    client.get("/language/en?next=/login")
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://example.org/", "//example.org/", "/\\example.org",
                                    "javascript:alert(1)"])
def test_it_never_sends_to_another_site(client, target):
    response = client.get("/language/en", query_string={"next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_an_unknown_language_is_not_found_and_changes_nothing(client):
    assert client.get("/language/xx?next=/login").status_code == 404
    assert '<html lang="fr">' in client.get("/login").get_data(as_text=True)


def test_a_form_page_carries_the_script_that_keeps_what_is_typed(client, login, people,
                                                                  make_case):
    case = make_case("in_mediation")
    login(people.mediator)
    page = client.get(f"/cases/{case.reference}/steps/new").get_data(as_text=True)
    script = page.split('<script src="')[1].split('"')[0]
    assert script.startswith("/static/js/keep-typed.") and script.endswith(".js")
    assert "sessionStorage" in client.get(script).get_data(as_text=True)
    assert f"next=/cases/{case.reference}/steps/new" in page


def test_an_error_page_switches_to_the_home_page_never_repeating_the_address(client, login,
                                                                             elsewhere,
                                                                             make_case):
    case = make_case()
    login(elsewhere.mayor)
    response = client.get(f"/cases/{case.reference}")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert case.reference not in page and 'href="/language/en"' in page
