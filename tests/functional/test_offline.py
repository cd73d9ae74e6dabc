"""Working offline, as the server sees it: which pages a phone may keep (the header
`X-Palabre-Cache: keep`, by role and page), the key that makes a queued form sent twice a
no-op, the case's version that makes a stale queued item a 409, and the worker and manifest."""
from __future__ import annotations

import html
import json
import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from casework.clock import clock_at, epoch_seconds, utcnow
from casework.extensions import db
from casework.i18n import short_datetime
from casework.models import Case, MediationStep, OfflineSubmission
from casework.services import accounts, offline_submissions, steps, team
from casework.services.offline_submissions import KEPT_FOR
from casework.views.common import changes_since
from tests.dates import typed
from tests.factories import step_input

from .pages import hidden_fields, text

KEEP = "X-Palabre-Cache"
KEY = "X-Palabre-Key"


def step_fields(**changes):
    return {"step_date": typed(0), "kind": "joint_session", "place": "Vestibule du chef",
            "women": "2", "men": "3", "young_women": "0", "young_men": "1",
            "summary": "Les deux familles se sont parlé.", "outcome": "", **changes}


def queued_post(client, url, data, key):
    """What the phone's queue does: a fresh token, then the form as it was typed, with its key."""
    token = client.get("/offline/session").get_json()["csrf"]
    return client.post(url, data={**data, "csrf_token": token}, headers={KEY: key})


def steps_of(case) -> int:
    return db.session.scalar(select(func.count(MediationStep.id))
                             .where(MediationStep.case_id == case.id))


# -- which pages a phone keeps: role x page -------------------------------------------------

PAGES = {
    "my_work": lambda case: "/",
    "case_list": lambda case: "/cases",
    "report_form": lambda case: "/cases/new",
    "case": lambda case: f"/cases/{case.reference}",
    "step_form": lambda case: f"/cases/{case.reference}/steps/new",
}
# Who: only the team's mediator keeps pages; every other role sees pages that must not stay
# on a (shared) phone, or does not see the case at all (404).
KEPT = {
    ("team_mediator", "my_work"): True, ("team_mediator", "case_list"): True,
    ("team_mediator", "report_form"): True, ("team_mediator", "case"): True,
    ("team_mediator", "step_form"): True,
    ("other_mediator", "my_work"): True, ("other_mediator", "case_list"): True,
    ("other_mediator", "report_form"): True,
    # a mediator of another commune: their own pages, never this case
    ("foreign_mediator", "my_work"): True, ("foreign_mediator", "case_list"): True,
    ("foreign_mediator", "report_form"): True,
}


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("who", ["team_mediator", "other_mediator", "mayor", "chief",
                                 "coordinator", "admin", "foreign_mediator",
                                 "foreign_coordinator", "foreign_mayor"])
def test_the_pages_a_phone_may_keep(cast, make_case, login, client, who, page):
    case = make_case("in_mediation")
    login(cast[who])
    response = client.get(PAGES[page](case))
    expected = KEPT.get((who, page), False)
    assert (response.headers.get(KEEP) == "keep") is expected, (who, page, response.status_code)
    assert ("ETag" in response.headers) is expected  # only a kept page is ever a 304
    if expected:
        assert response.status_code == 200


@pytest.mark.parametrize("state, kept", [("reported", True), ("in_mediation", True),
                                         ("resolved", True), ("closed", False),
                                         ("referred", False)])
def test_a_case_is_kept_while_it_is_open(make_case, people, login, client, state, kept):
    case = make_case(state)
    if state == "reported":  # no team yet: the mediator is not on it
        kept = False
    login(people.mediator)
    assert (client.get(f"/cases/{case.reference}").headers.get(KEEP) == "keep") is kept


def test_a_confidential_case_is_never_kept(make_case, people, login, client):
    case = make_case("reported", conflict_type="gbv")
    assert case.confidential
    team.assign_team(people.coordinator, case, [people.mediator.id])  # its team: it is open
    db.session.commit()
    login(people.mediator)
    assert client.get(f"/cases/{case.reference}").status_code == 200
    for url in (f"/cases/{case.reference}", "/cases"):
        assert client.get(url).headers.get(KEEP) is None, url
    assert client.get("/").headers.get(KEEP) == "keep"  # Mon travail, which hides the names


def test_a_mediator_who_also_signs_off_keeps_nothing(people, make_user, make_case, login, client):
    both = make_user((people.commune, "mediator"), (people.commune, "commune_authority"))
    login(both)
    assert client.get("/").headers.get(KEEP) is None


def test_the_signed_out_pages_are_never_kept(client):
    assert client.get("/login").headers.get(KEEP) is None
    assert client.get("/offline/session").status_code == 401


# -- the queue's key: a copy sent again does nothing -------------------------------------------

def test_a_step_sent_twice_under_one_key_is_logged_once(make_case, people, login, client):
    case = make_case("in_mediation")
    login(people.mediator)
    url = f"/cases/{case.reference}/steps/new"
    data = {**step_fields(), "version": str(case.version)}
    key = str(uuid.uuid4())
    before = steps_of(case)
    first = queued_post(client, url, data, key)
    assert first.status_code == 302
    again = queued_post(client, url, data, key)  # the answer was lost: the phone sends again
    assert again.status_code == 303
    assert again.location == first.location
    assert steps_of(case) == before + 1
    assert db.session.scalar(select(func.count(OfflineSubmission.id))
                             .where(OfflineSubmission.key == key)) == 1


def test_a_report_sent_twice_under_one_key_makes_one_case(people, login, client):
    login(people.mediator)
    page = client.get("/cases/new").get_data(as_text=True)
    data = {**hidden_fields(page), "commune_id": str(people.commune.id), "village": "Kola",
            "conflict_type": "land", "description": "Un champ disputé entre deux familles.",
            "channel": "in_person", "facts_date": typed(-3),
            "parties-0-name": "Famille Diarra", "parties-0-sex": "M",
            "parties-0-age_group": "adult", "parties-0-kind": "family",
            "parties-0-people_count": "4", "reporter_name": "Seydou Diallo"}
    data.pop("csrf_token", None)
    before = db.session.scalar(select(func.count(Case.id)))
    key = str(uuid.uuid4())
    first = queued_post(client, "/cases/new", data, key)
    assert first.status_code == 302, text(first)
    assert queued_post(client, "/cases/new", data, key).status_code == 303
    assert db.session.scalar(select(func.count(Case.id))) == before + 1


def test_a_key_belongs_to_its_user(make_case, people, make_user, login, client, app):
    case = make_case("in_mediation")
    before = steps_of(case)
    login(people.mediator)
    key = str(uuid.uuid4())
    data = {**step_fields(), "version": str(case.version)}
    url = f"/cases/{case.reference}/steps/new"
    assert queued_post(client, url, data, key).status_code == 302
    db.session.refresh(case)
    colleague = make_user((people.commune, "mediator"))
    team.assign_team(people.mediator, case, [people.mediator.id, colleague.id])
    db.session.commit()
    other = login(colleague, app.test_client())
    answer = queued_post(other, url, {**step_fields(summary="Autre séance."),
                                      "version": str(case.version)}, key)
    assert answer.status_code == 302  # done: another person's key is not theirs
    assert steps_of(case) == before + 2


def test_a_refused_item_is_not_remembered(make_case, people, login, client):
    case = make_case("in_mediation")
    login(people.mediator)
    key = str(uuid.uuid4())
    url = f"/cases/{case.reference}/steps/new"
    refused = queued_post(client, url, {**step_fields(women="-2"), "version": str(case.version)},
                          key)
    assert refused.status_code == 400
    assert "Femmes" in text(refused)
    assert queued_post(client, url, {**step_fields(), "version": str(case.version)},
                       key).status_code == 302  # corrected, then sent under the same key


def test_old_keys_are_forgotten_as_new_ones_come(make_case, people, login, client):
    case = make_case("in_mediation")
    login(people.mediator)
    url = f"/cases/{case.reference}/steps/new"
    old = str(uuid.uuid4())
    with clock_at(utcnow() - KEPT_FOR - timedelta(days=1)):
        offline_submissions.remember(people.mediator, old, f"/cases/{case.reference}")
    db.session.commit()
    assert queued_post(client, url, {**step_fields(), "version": str(case.version)},
                       str(uuid.uuid4())).status_code == 302
    assert db.session.scalar(select(func.count(OfflineSubmission.id))
                             .where(OfflineSubmission.key == old)) == 0


def test_a_malformed_key_is_ignored(make_case, people, login, client):
    case = make_case("in_mediation")
    login(people.mediator)
    url = f"/cases/{case.reference}/steps/new"
    data = {**step_fields(), "version": str(case.version)}
    assert queued_post(client, url, data, "x").status_code == 302
    assert queued_post(client, url, data, "x").status_code in (302, 409)
    assert db.session.scalar(select(func.count(OfflineSubmission.id))) == 0


# -- the case's version: an item made on an older case is a 409 that keeps it --------------------

def test_a_queued_step_on_a_changed_case_is_a_409(make_case, people, login, client):
    case = make_case("in_mediation")
    login(people.mediator)
    stale = case.version
    url = f"/cases/{case.reference}/steps/new"
    assert queued_post(client, url, {**step_fields(), "version": str(stale)},
                       str(uuid.uuid4())).status_code == 302
    answer = queued_post(client, url, {**step_fields(summary="Deuxième séance."),
                                       "version": str(stale)}, str(uuid.uuid4()))
    assert answer.status_code == 409
    body = text(answer)
    assert "a été modifié" in body and "Deuxième séance." in body  # the text stays
    db.session.refresh(case)
    assert f'value="{case.version}"' in answer.get_data(as_text=True)


def changed_by_a_colleague(people, make_user, case):
    """A step logged and a team changed by others on `case` since the version returned."""
    stale = case.version
    colleague = make_user((people.commune, "mediator"), full_name="Awa Traoré")
    team.assign_team(people.coordinator, case, [people.mediator.id, colleague.id])
    steps.log_step(colleague, case, step_input(kind="field_visit"))
    db.session.commit()
    return stale


def told(answer) -> list[str]:
    """The lines of what happened to the case, under the form's error."""
    found = re.search(r'<ul class="changes">(.*?)</ul>', answer.get_data(as_text=True), re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", line)).split())
            for line in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)] if found else []


def test_a_409_tells_what_happened_to_the_case_since_the_item_was_written(
        make_case, people, make_user, login, client):
    case = make_case("in_mediation")
    login(people.mediator)
    moment = utcnow()
    with clock_at(moment):  # the changes and the answer within one minute
        stale = changed_by_a_colleague(people, make_user, case)
        answer = queued_post(client, f"/cases/{case.reference}/steps/new",
                             {**step_fields(), "version": str(stale)}, str(uuid.uuid4()))
    assert answer.status_code == 409
    assert "Ce qui est arrivé au dossier depuis :" in text(answer)
    when = short_datetime(moment)
    coordinator = people.coordinator.full_name
    assert told(answer) == [
        f"{when} {coordinator} : a constitué l'équipe de réconciliation (2 membres)",
        f"{when} Awa Traoré : a consigné une étape : Visite de terrain"]  # not what came before


def test_a_confidential_case_tells_nothing_of_what_changed(make_case, people):
    case = make_case("reported", conflict_type="gbv")
    stale = case.version
    team.assign_team(people.coordinator, case, [people.mediator.id])
    db.session.flush()
    assert changes_since(case, stale) == []
    case.confidential = False  # the same case, were it not confidential
    assert [event.kind for event in changes_since(case, stale)] == ["case.team_assigned"]


@pytest.mark.parametrize("who, status", [
    ("team_mediator", 409), ("coordinator", 409), ("other_mediator", 403), ("mayor", 403),
    ("chief", 403), ("admin", 404), ("foreign_mediator", 404), ("foreign_coordinator", 404),
    ("foreign_mayor", 404), ("donor", 403),
    ("former_mediator", 409)])  # made mayor, still on the team: the team does the work
def test_what_changed_is_told_only_to_those_who_may_do_the_work(
        make_case, people, make_user, cast, login, client, who, status):
    case = make_case("in_mediation")
    stale = changed_by_a_colleague(people, make_user, case)
    if who == "donor":
        person = make_user((people.commune, "donor"))
    elif who == "former_mediator":  # on the team, then made the commune's mayor
        person = people.mediator
        accounts.set_memberships(None, person, [(people.commune.id, "commune_authority")])
        db.session.commit()
    else:
        person = cast[who]
    login(person)  # the form as the queue sends it (a donor's phone has no queue: no token)
    answer = client.post(f"/cases/{case.reference}/steps/new",
                         data={**step_fields(), "version": str(stale)},
                         headers={KEY: str(uuid.uuid4())})
    assert answer.status_code == status
    assert bool(told(answer)) is (status == 409)
    assert ("Awa Traoré" in text(answer)) is (status == 409)


# -- the worker's next fetch of a page it keeps: a 304 while the page says the same ----------

@pytest.mark.parametrize("page", list(PAGES))
def test_a_kept_page_unchanged_since_the_phone_kept_it_is_a_304(make_case, people, make_user,
                                                                 login, client, page):
    case = make_case("in_mediation")
    login(people.mediator)
    url = PAGES[page](case)
    kept = client.get(url, headers=WARM)
    tag = kept.headers["ETag"]
    again = client.get(url, headers={**WARM, "If-None-Match": tag})  # fresh one-time tokens
    assert (again.status_code, again.get_data(), again.headers[KEEP]) == (304, b"", "keep")
    assert client.get(url, headers={"If-None-Match": '"another"'}).status_code == 200
    changed_by_a_colleague(people, make_user, case)  # the case and its forms
    make_case("reported")  # a case to take on: Mon travail, the list, the menu's count
    changed = client.get(url, headers={**WARM, "If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag


# -- the worker, the manifest ------------------------------------------------------------------

def test_the_worker_is_served_at_the_root(client):
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer.mimetype == "text/javascript"
    assert answer.headers["Cache-Control"] == "no-cache"
    assert "X-Palabre-Cache" in answer.get_data(as_text=True)


def test_the_manifest_is_french_and_local(client):
    page = client.get("/login").get_data(as_text=True)
    href = page.split('rel="manifest" href="')[1].split('"')[0]
    manifest = json.loads(client.get(href).get_data(as_text=True))
    assert manifest["lang"] == "fr" and manifest["display"] == "standalone"
    assert manifest["theme_color"]
    for icon in manifest["icons"]:
        assert icon["src"].startswith("/static/")
        assert client.get(icon["src"]).status_code == 200


def test_the_pages_listed_for_the_phone_to_keep(make_case, people, login, client, app):
    open_case = make_case("in_mediation")
    closed = make_case("closed")
    secret = make_case("reported", conflict_type="gbv")
    team.assign_team(people.coordinator, secret, [people.mediator.id])
    db.session.commit()
    login(people.mediator)
    pages = client.get("/offline/session").get_json()["pages"]
    assert {"/", "/cases/new", f"/cases/{open_case.reference}",
            f"/cases/{open_case.reference}/steps/new"} <= set(pages)
    assert not [page for page in pages if closed.reference in page or secret.reference in page]
    coordinator = login(people.coordinator, app.test_client())
    assert coordinator.get("/offline/session").get_json()["pages"] == []


# -- the worker's background fetches leave the person's session as it is ---------------------

WARM = {"X-Palabre-Warm": "1"}


def _idle_for(client, minutes: int) -> int:
    with client.session_transaction() as session:
        session["seen_at"] = epoch_seconds() - minutes * 60
        return session["seen_at"]


def test_a_background_fetch_does_not_keep_the_session_alive(people, login, client):
    login(people.mediator)
    seen = _idle_for(client, 20)
    response = client.get("/", headers=WARM)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    with client.session_transaction() as session:
        assert session["seen_at"] == seen  # the idle clock runs on
    assert client.get("/").status_code == 200  # the person's own page does refresh it
    with client.session_transaction() as session:
        assert session["seen_at"] > seen


def test_a_background_fetch_after_the_idle_end_ends_nothing_and_writes_no_cookie(
        people, login, client):
    login(people.mediator)
    _idle_for(client, 31)
    response = client.get("/", headers=WARM)
    assert response.status_code == 401 and "Set-Cookie" not in response.headers
    with client.session_transaction() as session:
        assert "_user_id" in session  # the person's next page ends it, with its message
    ended = client.get("/")
    assert ended.status_code == 302 and ended.headers["Location"].startswith("/login")


def test_a_background_fetch_for_nobody_is_refused_without_a_sign_in_page(client):
    response = client.get("/cases", headers=WARM)
    assert response.status_code == 401 and "Set-Cookie" not in response.headers
