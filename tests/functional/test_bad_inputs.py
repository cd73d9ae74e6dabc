"""The classic bad inputs, sent through the whole WSGI stack, each with the answer it must get.

One row per input: what is sent (`send`), the status, the French words shown, and what must
hold afterwards (`then`). To add an input, add a row. Forged fields (commune, state, version,
role, administrator flag) are in test_mass_assignment.py; every malformed id of every route
is in test_malformed_ids.py; test_attachments.py holds every file type and name in detail.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from casework.extensions import db
from casework.files.store import open_file
from casework.models import Attachment, Case, Commune, User
from casework.services import two_factor
from casework.services.cases import PartyInput
from tests import filesamples as samples
from tests.dates import typed
from tests.factories import PASSWORD, TOTP_SECRET, advance, new_case
from tests.kept import build_on, reloaded

from .pages import hidden_fields, submit, text
from .test_lifecycle import intake

XSS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)")
TEMPLATES = ("{{7*7}}", "{% for x in range(3) %}X{% endfor %}", "${7*7}")
def step_form(**changes) -> dict:
    return {"step_date": typed(-14), "kind": "joint_session", "place": "Vestibule",
            "women": "1", "men": "1", "young_women": "0", "young_men": "0",
            "summary": "Les parties ont parlé.", "outcome": "", **changes}


def commune_form(stage, **changes) -> dict:
    commune = stage.people.commune
    return {"name": commune.name, "code": commune.code, "cercle": commune.cercle,
            "region": commune.region, "case_target": "2", **changes}


class Stage:
    """The people, their signed-in clients and cases each row acts on."""

    def __init__(self, app, town, cases, make_case, login, grant):
        people = town.people
        self.app, self.people, self.make_case, self.grant = app, people, make_case, grant
        self.mediation, self.reported = cases["mediation"], cases["reported"]
        self.proposed, self.foreign = cases["proposed"], cases["foreign"]
        self.clients = {
            "mediator": login(people.mediator, app.test_client()),
            "coordinator": login(people.coordinator, app.test_client()),
            "mayor": login(people.mayor, app.test_client()),
            "admin": login(town.admin, app.test_client()),
            "anonymous": app.test_client(),
        }

    def __getitem__(self, who):
        return self.clients[who]

    def report(self, **changes):
        return submit(self["mediator"], "/cases/new", intake(self.people.commune, **changes))

    def newest(self) -> Case:
        return db.session.scalar(select(Case).order_by(Case.id.desc()))

    def count(self, model) -> int:
        return db.session.scalar(select(func.count()).select_from(model))


@dataclass
class Row:
    id: str
    send: Callable[[Stage], object]  # returns the response to judge
    status: int
    says: str | None = None  # French words the answer shows
    then: Callable[[Stage, object], None] | None = None


# -- stored, then shown escaped and literally on every page that shows it ---------------------

def shown_safely(payload: str, pages: Callable[[Stage], list[tuple[str, str]]]):
    """After the payload is stored: each (who, url) page shows it as text, never as markup."""
    def check(stage, _response):
        for who, url in pages(stage):
            page = stage[who].get(url)
            assert page.status_code == 200, (who, url)
            raw = page.get_data(as_text=True)
            assert payload in text(page), (who, url)  # shown, literally
            if set(payload) & set('<>"'):
                assert payload not in raw, (who, url)  # ...and escaped
            assert "<script>alert" not in raw and "<img src=x" not in raw, (who, url)
            assert 'href="javascript:' not in raw.lower(), (who, url)
    return check


def case_pages(case_of):
    def pages(stage):
        reference = case_of(stage).reference
        return [("coordinator", f"/cases/{reference}"), ("mediator", f"/cases/{reference}")]
    return pages


def report_pages(stage):
    reference = stage.newest().reference
    return [("coordinator", f"/cases/{reference}"), ("coordinator", "/cases"),
            ("coordinator", f"/cases?q={reference}"), ("mediator", "/")]


def exported(payload: str):
    def check(stage, _response):
        body = stage["coordinator"].get("/exports/cases.csv").get_data(as_text=True)
        assert payload in body.replace('""', '"')  # a CSV cell of text, never markup
    return check


def both(*checks):
    def check(stage, response):
        for one in checks:
            one(stage, response)
    return check


def _stored_rows(payload: str, kind: str) -> list[Row]:
    return [
        Row(f"{kind}-report-fields-{payload}", lambda s, p=payload: s.report(
            village=p, description=p, reporter_name=p, **{"parties-0-name": p}), 302,
            then=both(shown_safely(payload, report_pages), exported(payload))),
        Row(f"{kind}-step-{payload}", lambda s, p=payload: submit(
            s["mediator"], f"/cases/{s.mediation.reference}/steps/new",
            step_form(place=p, summary=p, outcome=p, next_step=p)), 302,
            then=shown_safely(payload, case_pages(lambda s: s.mediation))),
        Row(f"{kind}-transition-note-{payload}", lambda s, p=payload: submit(
            s["mediator"], f"/cases/{s.reported.reference}/actions/declare_not_admissible",
            {"note": p}), 302, then=shown_safely(payload, case_pages(lambda s: s.reported))),
        Row(f"{kind}-agreement-{payload}", lambda s, p=payload: submit(
            s["mediator"], f"/cases/{s.mediation.reference}/actions/resolve",
            {"agreement_text": p}), 302,
            then=shown_safely(payload, lambda s: [
                *case_pages(lambda s: s.mediation)(s),
                ("mayor", f"/cases/{s.mediation.reference}/proposals/"
                          f"{s.mediation.pending_proposal.id}/sign-off")])),
        Row(f"{kind}-full-name-{payload}", lambda s, p=payload: submit(
            s["admin"], f"/admin/users/{s.people.mediator.id}", {"full_name": p}), 302,
            then=shown_safely(payload, lambda s: [
                ("admin", "/admin/users"), ("coordinator", f"/cases/{s.mediation.reference}"),
                ("mayor", "/")])),
        Row(f"{kind}-commune-name-{payload}", lambda s, p=payload: submit(
            s["admin"], f"/admin/communes/{s.people.commune.id}", commune_form(s, name=p)),
            302,
            then=shown_safely(payload, lambda s: [
                ("admin", "/admin/communes"), ("coordinator", "/cases"),
                ("coordinator", f"/cases/{s.mediation.reference}"),
                ("coordinator", "/dashboard"), ("coordinator", "/dashboard/monthly")])),
    ]


STORED = [row for payload in XSS for row in _stored_rows(payload, "xss")] + \
         [row for payload in TEMPLATES for row in _stored_rows(payload, "template")]


# -- search: SQL metacharacters find nothing unexpected --------------------------------------

def found(stage, response) -> set[str]:
    return set(re.findall(r'<li><a href="/cases/([A-Z0-9-]+)">', response.get_data(as_text=True)))


def finds(expected: Callable[[Stage], set[str]]):
    def check(stage, response):
        assert found(stage, response) == expected(stage)
        assert stage.foreign.reference not in response.get_data(as_text=True)
        assert stage.count(Case) == 4  # and every table is still there
    return check


def all_mine(stage):
    return {stage.mediation.reference, stage.reported.reference, stage.proposed.reference}


SEARCHES = [
    Row(f"search-{query}", lambda s, q=query: s["coordinator"].get("/cases",
                                                                     query_string={"q": q}),
        200, then=finds(expected))
    for query, expected in [
        ("' OR 1=1 --", lambda s: set()),
        ('"; DROP TABLE cases; --', lambda s: set()),
        ("x' UNION SELECT reference FROM cases --", lambda s: set()),
        ("%", all_mine), ("_", all_mine), ("\\", all_mine), ("%%%_\\%", all_mine),
        ("Awa Diallo", lambda s: set()),  # a name of another commune's case
    ]
]


# -- refused requests ------------------------------------------------------------------------

def nothing_reported(stage, _response):
    assert stage.count(Case) == 4


def with_csrf(send):
    """Send with CSRF protection on, as in production (the suite turns it off elsewhere)."""
    def run(stage):
        stage.app.config["WTF_CSRF_ENABLED"] = True
        try:
            return send(stage)
        finally:
            stage.app.config["WTF_CSRF_ENABLED"] = False
    return run


def _report_with_token(stage, token: str | None):
    page = stage["mediator"].get("/cases/new").get_data(as_text=True)
    data = {**hidden_fields(page), **intake(stage.people.commune)}
    if token is None:
        data.pop("csrf_token")
    else:
        data["csrf_token"] = token or data["csrf_token"]
    return stage["mediator"].post("/cases/new", data=data)


def lands_on(path: str):
    def check(_stage, response):
        assert response.headers["Location"] == path
    return check


def login_to(target: str):
    return lambda s: s["anonymous"].post(
        "/login", query_string={"next": target},
        data={"username": s.people.mediator.username, "password": PASSWORD})


def code_step_to(stage, target: str):
    """The password, then the code of a coordinator (two-factor on), with `target` as next."""
    client, coordinator = stage["anonymous"], stage.people.coordinator
    first = client.post("/login", query_string={"next": target},
                        data={"username": coordinator.username, "password": PASSWORD})
    assert first.status_code == 302 and first.headers["Location"].startswith("/login/code")
    code = two_factor.code_at(TOTP_SECRET, two_factor.time_step())
    return client.post(first.headers["Location"], data={"code": code})


def not_in_markup(payload: str):
    def check(_stage, response):
        assert payload in text(response) and payload not in response.get_data(as_text=True)
    return check


def nested(depth: int, inner: str = "1") -> str:
    return '{"a": ' * depth + inner + "}" * depth


def post_json(path: str, body, who: str = "anonymous", token: bool = False):
    def send(stage):
        headers = {"X-Palabre-Secret": "secret-of-the-table"}
        if token:
            headers["Authorization"] = f"Bearer {stage.grant(stage.people.coordinator)}"
        stage.app.config["SMS_WEBHOOK_SECRET"] = "secret-of-the-table"
        try:
            return stage[who].post(path, data=body(stage) if callable(body) else body,
                                   content_type="application/json", headers=headers)
        finally:
            stage.app.config["SMS_WEBHOOK_SECRET"] = None
    return send


def problem(says: str | None = None, field: str | None = None):
    def check(_stage, response):
        assert response.mimetype == "application/problem+json"
        found = response.get_json()
        if says:
            assert says in found["detail"]
        if field:
            assert field in found["errors"]
    return check


DEEP = "imbriqué sur plus de 32 niveaux"


def sign_in_from(stage, address: str, username: str, password: str = PASSWORD):
    return stage.app.test_client().post("/login", data={
        "username": username, "password": password}, environ_base={"REMOTE_ADDR": address})


def _locked_out_by_a_stranger(stage):
    """Six wrong passwords for the coordinator from elsewhere: they still sign in."""
    for _ in range(6):
        sign_in_from(stage, "10.6.6.6", stage.people.coordinator.username, "guess")
    assert sign_in_from(stage, "10.6.6.6", stage.people.coordinator.username).status_code == 429
    return sign_in_from(stage, "10.1.1.1", stage.people.coordinator.username)


def _made_up_names_from_the_town_hall(stage):
    """Thirty made-up names from the address everyone shares behind a proxy left at 0: whoever
    signed in from it lately still signs in."""
    assert sign_in_from(stage, "10.1.1.1", stage.people.mediator.username).status_code == 302
    for n in range(30):
        sign_in_from(stage, "10.1.1.1", f"inconnu{n}", "guess")
    assert sign_in_from(stage, "10.1.1.1", stage.people.mayor.username).status_code == 429
    return sign_in_from(stage, "10.1.1.1", stage.people.mediator.username)

REFUSED = [
    Row("xss-reflected-in-a-filter-error", lambda s: s["coordinator"].get(
        "/cases", query_string={"from": "<svg/onload=alert()>"}), 200,
        "Cette date n'est pas valide", then=not_in_markup("<svg/onload=alert()>")),
    Row("oversize-body", lambda s: s["mediator"].post(
        "/cases/new", data=intake(s.people.commune, description="x" * (2 * 1024 * 1024))),
        413, "trop volumineux", then=nothing_reported),
    Row("nul-byte-in-field", lambda s: s.report(village="Ko\x00la"), 400,
        "caractère de contrôle invisible", then=nothing_reported),
    Row("nul-byte-in-query", lambda s: s["coordinator"].get("/cases?q=a%00b"), 400,
        "caractère de contrôle invisible"),
    Row("csrf-missing", with_csrf(lambda s: _report_with_token(s, None)), 400,
        "Le formulaire a expiré", then=nothing_reported),
    Row("csrf-forged", with_csrf(lambda s: _report_with_token(s, "forged.token.value")), 400,
        "Le formulaire a expiré", then=nothing_reported),
    Row("csrf-valid-still-works", with_csrf(lambda s: _report_with_token(s, "")), 302),
    Row("get-on-post-only", lambda s: s["mediator"].get("/logout"), 405,
        "n'est pas possible de cette façon"),
    Row("negative-id", lambda s: s["admin"].get("/admin/users/-1"), 404, "Page introuvable"),
    Row("huge-id", lambda s: s["mayor"].get(
        f"/cases/{s.proposed.reference}/proposals/{10**30}/sign-off"), 404, "Page introuvable"),
    Row("huge-count", lambda s: s.report(injuries=str(10**30)), 400,
        "compris entre 0 et 100000", then=nothing_reported),
    Row("another-communes-case", lambda s: s["coordinator"].get(
        f"/cases/{s.foreign.reference}"), 404, "Page introuvable"),
    Row("next-off-site", login_to("https://evil.example/"), 302, then=lands_on("/")),
    Row("next-scheme-relative", login_to("//evil.example/x"), 302, then=lands_on("/")),
    Row("next-backslash", login_to("/\\evil.example"), 302, then=lands_on("/")),
    Row("next-javascript", login_to("javascript:alert(1)"), 302, then=lands_on("/")),
    Row("next-on-site", login_to("/cases"), 302, then=lands_on("/cases")),
    Row("next-on-site-with-words", login_to("/cases?q=Ɲɛlɛ Sangaré"), 302,
        then=lands_on("/cases?q=%C6%9D%C9%9Bl%C9%9B%20Sangar%C3%A9")),
    *(Row(f"next-with-{name}", login_to(f"/cases{char}Set-Cookie: x=1"), 302,
          then=lands_on("/"))
      for name, char in [("line-break", "\n"), ("carriage-return", "\r\n"), ("tab", "\t"),
                         ("c1", "\x85"), ("line-separator", "\u2028")]),
    Row("next-with-line-break-at-the-code-step", lambda s: code_step_to(s, "/cases\r\nX: 1"),
        302, then=lands_on("/")),
    Row("next-with-line-break-on-the-language-form", lambda s: s["anonymous"].post(
        "/account/language", data={"language": "en", "next": "/login\r\nSet-Cookie: x=1"}),
        302, then=lands_on("/")),
    Row("next-kept-on-the-language-form", lambda s: s["anonymous"].post(
        "/account/language", data={"language": "en", "next": "/login"}), 302,
        then=lands_on("/login")),
    Row("sign-in-six-wrong-passwords-from-a-stranger", _locked_out_by_a_stranger, 302,
        then=lands_on("/login/code")),
    Row("sign-in-thirty-made-up-names-from-one-address", _made_up_names_from_the_town_hall,
        302, then=lands_on("/")),
    Row("json-nested-100000-deep-on-the-token-endpoint",
        post_json("/api/v1/tokens", "[" * 100_000 + "]" * 100_000), 400,
        then=problem(DEEP)),
    Row("json-nested-33-deep-on-the-token-endpoint",
        post_json("/api/v1/tokens", nested(33)), 400, then=problem(DEEP)),
    Row("json-nested-32-deep-is-read-and-judged-by-its-fields",
        post_json("/api/v1/tokens", nested(31, '{"username": "x"}')), 400,
        then=problem(field="a")),
    Row("json-nested-deep-in-a-string-is-text",
        post_json("/api/v1/tokens", '{"username": "' + "[" * 60 + '", "password": "x"}'), 401,
        then=problem()),
    Row("json-nested-deep-on-the-cases-api", post_json(
        "/api/v1/cases", '{"village": ' + "[" * 5000 + "]" * 5000 + "}", token=True), 400,
        then=problem(DEEP)),
    Row("json-nested-deep-on-the-sms-webhook", post_json(
        "/sms/inbound", '{"from": "+22376000001", "text": ' + "[" * 5000 + "]" * 5000 + "}"),
        400),
]


# -- overlong strings: a 400 naming the field, nothing cut short, nothing stored ------------

def field_error(field_id: str, says: str = "ne peut pas contenir plus de"):
    def check(stage, response):
        html = response.get_data(as_text=True)
        error = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]+)</p>',
                          html)
        assert error and says in error.group(1), field_id
    return check


def _overlong(field: str, limit: int, send) -> Row:
    return Row(f"overlong-{field}", send, 400, "ne peut pas contenir plus de",
               then=field_error(field))


OVERLONG = [
    *(_overlong(field, limit, lambda s, f=field, n=limit: s.report(**{f: "é" * (n + 1)}))
      for field, limit in [("village", 160), ("description", 10000), ("parties-0-name", 160),
                           ("reporter_name", 160), ("reporter_contact", 80)]),
    *(_overlong(field, limit, lambda s, f=field, n=limit: submit(
        s["mediator"], f"/cases/{s.mediation.reference}/steps/new",
        step_form(**{f: "x" * (n + 1)})))
      for field, limit in [("place", 160), ("summary", 10000), ("next_step", 10000)]),
    _overlong("agreement_text", 10000, lambda s: submit(
        s["mediator"], f"/cases/{s.mediation.reference}/actions/resolve",
        {"agreement_text": "x" * 10001})),
    _overlong("note", 10000, lambda s: submit(
        s["mediator"], f"/cases/{s.reported.reference}/actions/declare_not_admissible",
        {"note": "x" * 10001})),
    _overlong("full_name", 160, lambda s: submit(
        s["admin"], f"/admin/users/{s.people.mediator.id}", {"full_name": "x" * 161})),
    _overlong("name", 120, lambda s: submit(
        s["admin"], f"/admin/communes/{s.people.commune.id}", commune_form(s, name="x" * 121))),
    _overlong("username", 80, lambda s: s["anonymous"].post(
        "/login", data={"username": "x" * 81, "password": "whatever"})),
]


# -- control characters: refused where someone can retype, removed where nobody can ---------

CONTROL = "caractère de contrôle invisible"


def refused_next_to(field_id: str):
    return both(field_error(field_id, CONTROL), nothing_reported)


def _control(name: str, field: str, value: str, send=None) -> Row:
    send = send or (lambda s, f=field, v=value: s.report(**{f: v}))
    return Row(f"control-{name}-in-{field}", send, 400, CONTROL, then=refused_next_to(field))


def _sms(body: str, sender: str = "+22376000001", message_id: str | None = None,
         query: str = ""):
    """An SMS through the webhook, as a gateway posts it (the secret in its header)."""
    def send(stage):
        stage.app.config["SMS_WEBHOOK_SECRET"] = "secret-of-the-table"
        try:
            text = body.format(code=stage.people.commune.code)
            return stage["anonymous"].post(f"/sms/inbound{query}", json={
                "from": sender, "text": text, **({"id": message_id} if message_id else {})},
                headers={"X-Palabre-Secret": "secret-of-the-table"})
        finally:
            stage.app.config["SMS_WEBHOOK_SECRET"] = None
    return send


def _sms_flood(numbers: int):
    """One report each from `numbers` numbers: the answers of the last one."""
    def send(stage):
        for n in range(numbers - 1):
            _sms("CONFLIT {code} Kola, champ %d" % n, sender=f"+2236800{n:04d}")(stage)
        return _sms("CONFLIT {code} Kola, encore un", sender="+22368009999")(stage)
    return send


def sms_cases(expected: Callable[[Stage], int]):
    def check(stage, _response):
        assert stage.count(Case) == 4 + expected(stage)
    return check


def _sms_same_id_from_two_numbers(stage):
    first = _sms("CONFLIT {code} Kola, un champ", message_id="SM42")(stage)
    second = _sms("CONFLIT {code} Sido, un puits", sender="+22365999999",
                  message_id="SM42")(stage)
    assert second.json["reference"] != first.json["reference"] is not None
    return second


def _api_report(**changes):
    def send(stage):
        body = {"commune_id": stage.people.commune.id, "village": "Kola",
                "conflict_type": "land", "description": "Un champ.", "channel": "in_person",
                "reporter_name": "Awa", "parties": [{"name": "Awa Diallo", "sex": "F",
                                                     "age_group": "adult"}], **changes}
        token = stage.grant(stage.people.mediator)
        return stage["anonymous"].post("/api/v1/cases", json=body,
                                       headers={"Authorization": f"Bearer {token}"})
    return send


def problem_names(field: str, says: str):
    def check(stage, response):
        assert response.mimetype == "application/problem+json"
        assert any(says in message for message in response.get_json()["errors"][field])
        nothing_reported(stage, response)
    return check


def stored(field: str, expected: str):
    def check(stage, _response):
        assert getattr(stage.newest(), field) == expected
    return check


def _exports_of_stored(village: str):
    """A case stored with `village` as it is (bypassing the forms, as before the rule)."""
    def send(stage):
        stage.make_case(village=village)
        return stage["coordinator"].get("/exports/cases.xlsx")
    return send


def exports_clean(expected: str):
    def check(stage, response):
        sheet = load_workbook(io.BytesIO(response.get_data())).worksheets[0]
        assert expected in [row[2] for row in sheet.iter_rows(values_only=True)]
        listed = stage["coordinator"].get("/exports/cases.csv")
        assert listed.status_code == 200 and expected in listed.get_data(as_text=True)
        for path in ("/exports/dashboard.xlsx", "/exports/mechanisms.xlsx"):
            assert stage["coordinator"].get(path).status_code == 200, path
    return check


CONTROLS = [
    _control("soh", "village", "Ko\x01la"),
    _control("escape", "description", "Le champ \x1b[31mde Kola"),
    _control("vertical-tab-of-a-word-paste", "description", "Ligne une\x0bligne deux"),
    _control("c1-next-line", "parties-0-name", "Awa\x85Diallo"),
    _control("delete", "reporter_name", "Awa\x7f"),
    _control("form-feed", "summary", "Séance\x0c", lambda s: submit(
        s["mediator"], f"/cases/{s.mediation.reference}/steps/new",
        step_form(summary="Séance\x0c"))),
    _control("soh", "full_name", "Awa\x01", lambda s: submit(
        s["admin"], f"/admin/users/{s.people.mediator.id}", {"full_name": "Awa\x01"})),
    Row("control-escape-in-api-village", _api_report(village="Ko\x1bla"), 400,
        then=problem_names("village", CONTROL)),
    Row("control-c1-in-api-party-name", _api_report(parties=[
        {"name": "Awa\x9bDiallo", "sex": "F", "age_group": "adult"}]), 400,
        then=problem_names("parties.0.name", CONTROL)),
    Row("line-breaks-and-tabs-are-text", lambda s: s.report(
        description="Ligne une\r\nligne deux\tet un tab"), 302,
        then=stored("description", "Ligne une\r\nligne deux\tet un tab")),
    Row("decomposed-accents-stored-composed", lambda s: s.report(village="Se\u0301gou"), 302,
        then=stored("village", "S\u00e9gou")),
    Row("sms-control-characters-removed", _sms("CONFLIT {code} Ko\x01la\x1b, un champ\x0b"),
        200, then=stored("village", "Kola")),
    Row("sms-secret-in-the-url", _sms("CONFLIT {code} Kola, un champ",
                                      query="?secret=secret-of-the-table"), 403,
        "jamais dans l'adresse", then=sms_cases(lambda s: 0)),
    Row("sms-flood-of-forty-numbers", _sms_flood(40), 429,
        then=sms_cases(lambda s: s.app.config["SMS_MAX_PER_COMMUNE_PER_HOUR"])),
    Row("sms-message-id-reused-by-another-number", _sms_same_id_from_two_numbers, 200,
        then=sms_cases(lambda s: 2)),
    Row("stored-control-characters-export", _exports_of_stored("Ko\x01la\x1b"), 200,
        then=exports_clean("Kola")),
]


# -- CSV formula payloads: exported as text ------------------------------------------------

def exported_escaped(payload: str):
    def check(stage, _response):
        body = stage["coordinator"].get("/exports/cases.csv").get_data(as_text=True)
        cells = [cell for row in csv.reader(io.StringIO(body), delimiter=";") for cell in row]
        assert f"'{payload}" in cells  # the village, as text
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    return check


FORMULAS = [
    Row(f"csv-formula-{payload}", lambda s, p=payload: s.report(
        village=p, **{"parties-0-name": p}), 302, then=exported_escaped(payload))
    for payload in ('=HYPERLINK("http://evil.example","clic")', "+cmd|' /C calc'!A0",
                    "-1+1", "@SUM(1+1)*cmd|' /C calc'!A0")
]

# -- uploads: the type is what the bytes are; names are made harmless --------------------------

def upload(data: bytes, filename: str, mimetype: str = "application/octet-stream"):
    return lambda s: s["mediator"].post(
        f"/cases/{s.mediation.reference}/attachments",
        data={"file": (io.BytesIO(data), filename, mimetype), "description": ""})


def stored_file(check: Callable[[Attachment, bytes, object], None]):
    """After an accepted upload: the stored row, its bytes, and its download answer."""
    def then(stage, _response):
        attachment = db.session.scalar(select(Attachment).where(
            Attachment.case_id == stage.mediation.id).order_by(Attachment.id.desc()))
        assert attachment is not None
        download = stage["coordinator"].get(
            f"/cases/{stage.mediation.reference}/attachments/{attachment.id}")
        assert download.status_code == 200
        assert download.headers["Content-Disposition"].startswith("attachment;")
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        check(attachment, open_file(attachment.stored_name).read(), download)
    return then


def nothing_attached(stage, _response):
    assert stage.count(Attachment) == 0


def _pixels_only(attachment, data, download):
    assert attachment.content_type == download.mimetype == "image/png"
    assert b"<script" not in data and b"<html" not in data.lower()


def _name(expected: str):
    def check(attachment, _data, download):
        assert attachment.display_name == expected
        disposition = download.headers["Content-Disposition"]
        assert not set(disposition) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068"
                                          "\u2069\u200e\u200f\x00/\\")
    return check


def _kept_as_sent(sent: bytes):
    def check(attachment, data, _download):
        assert attachment.content_type == "application/pdf" and data == sent
    return check


HTML_AFTER_PNG = samples.png() + b"<html><script>alert(document.cookie)</script></html>"
SVG_WITH_SCRIPT = (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
                   b"</svg>")
UPLOADS = [
    Row("upload-polyglot-html-after-png", upload(HTML_AFTER_PNG, "photo.png", "image/png"),
        302, then=stored_file(_pixels_only)),
    Row("upload-png-named-html", upload(samples.png(), "page.html", "text/html"), 302,
        then=stored_file(lambda a, d, r: (_pixels_only(a, d, r), _name("page.png")(a, d, r)))),
    Row("upload-svg-named-png", upload(SVG_WITH_SCRIPT, "plan.png", "image/png"), 400,
        "Ce type de fichier n'est pas accepté", then=nothing_attached),
    Row("upload-html-named-pdf", upload(b"<html><body>x</body></html>", "accord.pdf",
                                        "application/pdf"), 400,
        "Ce type de fichier n'est pas accepté", then=nothing_attached),
    Row("upload-pdf-with-javascript", upload(
        samples.pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), "accord.pdf",
        "application/pdf"), 400, "script", then=nothing_attached),
    Row("upload-rtl-override-name", upload(samples.pdf(), "rapport\u202egnp.exe.pdf",
                                           "application/pdf"), 302,
        then=stored_file(_name("rapportgnp.exe.pdf"))),
    Row("upload-path-in-name", upload(samples.pdf(), "../../etc/passwd.pdf",
                                      "application/pdf"), 302,
        then=stored_file(_name("passwd.pdf"))),
    Row("upload-nul-in-name", upload(samples.pdf(), "accord\x00.php.pdf", "application/pdf"),
        302, then=stored_file(_name("accord.php.pdf"))),
    # PDFs: every object is read by a real parser, whatever its encoding, however far in.
    *(Row(f"upload-{name}", upload(build(), "accord.pdf", "application/pdf"), 400,
          f"Ce PDF contient {what}", then=nothing_attached)
      for name, (build, what) in samples.HOSTILE_PDFS.items()),
    Row("upload-pdf-clean-with-web-link", upload(samples.pdf_clean(), "accord.pdf",
                                                 "application/pdf"), 302,
        then=stored_file(_kept_as_sent(samples.pdf_clean()))),
    Row("upload-png-7000x7000", upload(samples.png_flat(7000, 7000), "carte.png", "image/png"),
        400, "Cette image est trop grande (24 mégapixels au plus)", then=nothing_attached),
]

ROWS = [*STORED, *SEARCHES, *REFUSED, *OVERLONG, *CONTROLS, *FORMULAS, *UPLOADS]


def _cases(town) -> dict[str, Case]:
    people = town.people
    mediation = new_case("in_mediation", people)
    advance(people, mediation, "step")
    return {"mediation": mediation, "reported": new_case("reported", people),
            "proposed": new_case("proposed", people),
            "foreign": new_case("reported", town.elsewhere, parties=[
                PartyInput(name="Awa Diallo", sex="F", age_group="adult")])}


@pytest.fixture(scope="module")
def kept_cases(app, module_connection, kept_town):
    """The cases every row acts on, built once for the module (tests/kept.py)."""
    return build_on(app, module_connection, lambda: _cases(reloaded(kept_town)))


@pytest.fixture
def stage(app, town, kept_cases, make_case, login, grant):
    return Stage(app, town, reloaded(kept_cases), make_case, login, grant)


def test_the_table_holds_the_classic_inputs():
    assert len({row.id for row in ROWS}) == len(ROWS) >= 30


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_bad_input(stage, row):
    response = row.send(stage)
    assert response.status_code == row.status, (row.id, response.status_code)
    if row.says:
        assert row.says in text(response), row.id
    if row.then:
        row.then(stage, response)


def test_overlong_text_is_never_cut_short(stage):
    before = stage.count(Case)
    assert stage.report(village="x" * 161).status_code == 400
    assert stage.count(Case) == before
    assert stage.count(User) and stage.count(Commune)  # (the other tables are untouched)
