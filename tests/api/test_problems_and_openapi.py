"""Every error of the API is application/problem+json with a French or English title, and the
right status; the OpenAPI description is generated from the routes themselves."""
import re

import pytest

from .conftest import PROBLEM

CASES = "/api/v1/cases"


@pytest.mark.parametrize("language, title", [
    (None, "Introuvable"), ("fr", "Introuvable"), ("en", "Not found"),
    ("en-GB,en;q=0.9", "Not found"), ("bm, fr;q=0.5", "Introuvable"), ("de", "Introuvable")])
def test_the_title_follows_accept_language(api, people, language, title):
    response = api(people.mediator, language).get(f"{CASES}/TAAA-2026-0404")
    assert response.status_code == 404 and response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem == {"type": "about:blank", "title": title, "status": 404,
                       "detail": problem["detail"]}


def test_the_language_of_the_account_or_the_cookie_does_not_matter(api, people, client, login):
    people.mediator.language = "en"
    login(people.mediator)
    with client.session_transaction() as session:
        session["language"] = "en"
    response = api(people.mediator).get(f"{CASES}/TAAA-2026-0404")
    assert response.get_json()["title"] == "Introuvable"


def test_an_unknown_address_under_the_api_is_a_404_problem(api, people):
    response = api(people.mediator).get("/api/v1/nothing/here")
    assert response.status_code == 404 and response.mimetype == PROBLEM


def test_a_wrong_method_is_a_405_problem_with_allow(api, people):
    response = api(people.mediator, "en").delete(CASES)
    assert response.status_code == 405 and response.mimetype == PROBLEM
    assert response.get_json()["title"] == "This method is not allowed here"
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


@pytest.mark.parametrize("content_type, data", [
    ("text/plain", "village=Kola"), ("application/x-www-form-urlencoded", "village=Kola"),
    ("multipart/form-data; boundary=x", "--x--")])
def test_a_body_that_is_not_json_is_a_415(api, people, content_type, data):
    response = api(people.mediator, "en").post(CASES, data=data,
                                               headers={"Content-Type": content_type})
    assert response.status_code == 415 and response.mimetype == PROBLEM
    assert response.get_json()["title"] == "Send JSON"


@pytest.mark.parametrize("data", ["{", "[1, 2]", "null", '"text"', "", b"\xff\xfe"])
def test_a_body_that_is_not_a_json_object_is_a_400(api, people, data):
    response = api(people.mediator).post(CASES, data=data,
                                         headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.mimetype == PROBLEM


def test_a_body_over_a_mebibyte_is_a_413(api, people):
    body = '{"village": "' + "x" * (1024 * 1024 + 10) + '"}'
    response = api(people.mediator, "en").post(CASES, data=body,
                                               headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and response.mimetype == PROBLEM
    assert response.get_json()["title"] == "What you sent is too large"


def test_a_nul_in_the_query_string_is_a_400_problem(api, people):
    response = api(people.mediator).get(CASES, query_string={"state": "a\x00b"})
    assert response.status_code == 400 and response.mimetype == PROBLEM


def test_field_errors_are_in_french_by_default(api, people):
    response = api(people.mediator).post(CASES, json={"village": "Kola"})
    problem = response.get_json()
    assert problem["title"] == "La requête n'est pas valide"
    assert problem["errors"]["conflict_type"] == ["Ce champ est requis."]


def test_errors_are_never_cached(api, people):
    response = api(people.mediator).get(f"{CASES}/TAAA-2026-0404")
    assert response.headers["Cache-Control"] == "no-store"


def test_the_openapi_description_covers_every_route_of_the_api(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, item in spec["paths"].items()
                  for method in item if method != "parameters"}
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api-docs.openapi_json":
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
            routed |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert routed and routed == documented
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    token = spec["paths"]["/api/v1/tokens"]["post"]
    assert token["security"] == []
    problem = spec["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert list(problem) == [PROBLEM]
