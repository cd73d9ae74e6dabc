"""Working in the village: a mediator's phone loses the network, keeps working from the pages
the service worker kept, queues what is written, and sends each item once when the network
returns; nothing of a confidential case is kept, and nothing stays for the next person."""
from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from casework.clock import local_today
from casework.extensions import db
from casework.models import Case, Commune, FollowUp, MediationStep, User
from casework.services import cases, steps, team
from tests.factories import Commune_People, advance, case_input, step_input

MEDIATOR = "mediateur.bougouni"
VISIT_NOTES = "Visite faite hors réseau : l'accord tient."

CACHED = """async () => { const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(request.url); }
  return urls; }"""
STORED = """async () => { const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open('palabre', 1);
    request.onupgradeneeded = () => { const d = request.result;
      d.createObjectStore('queue', {keyPath: 'id', autoIncrement: true});
      d.createObjectStore('drafts', {keyPath: 'key'});
      d.createObjectStore('meta', {keyPath: 'name'}); };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error); });
  const all = name => new Promise(resolve => {
    const request = db.transaction(name).objectStore(name).getAll();
    request.onsuccess = () => resolve(request.result); });
  const out = {queue: await all('queue'), drafts: await all('drafts')};
  db.close(); return out; }"""


def bougouni() -> Commune_People:
    users = {u.username: u for u in db.session.scalars(select(User).where(
        User.username.in_([MEDIATOR, "maire.bougouni", "chef.bougouni", "coordination"])))}
    return Commune_People(commune=db.session.scalar(select(Commune).where(Commune.code == "BGN")),
                          mediator=users[MEDIATOR], mayor=users["maire.bougouni"],
                          chief=users["chef.bougouni"], coordinator=users["coordination"])


@pytest.fixture
def make_case(live_server):
    """make_case(moves, **intake) -> the reference of a new Bougouni case, its team the demo
    mediator, driven through the services (the PATHS moves of tests/factories.py)."""
    def make(moves=("assign", "start"), **values):
        with live_server.app.app_context():
            people = bougouni()
            case = cases.report_case(people.mediator, people.commune,
                                     case_input(village="Sanso", **values))
            for move in moves:
                advance(people, case, move)
            db.session.commit()
            return case.reference
    return make


def on_server(live_server, work):
    with live_server.app.app_context():
        try:
            return work()
        finally:
            db.session.remove()


def wait_for(check, what: str, seconds: float = 20):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(0.25)
    pytest.fail(f"waited {seconds}s for {what() if callable(what) else what}")


def cached(phone) -> list[str]:
    return phone.page.evaluate(CACHED)


def stored(phone) -> dict:
    return phone.page.evaluate(STORED)


def draft_holding(phone, typed: str):
    """Wait until the phone keeps a draft with what was typed (drafts are kept after a pause)."""
    return wait_for(lambda: any(typed in value for kept in stored(phone)["drafts"]
                                for _name, value in kept["fields"]),
                    f"a draft holding {typed!r}")


def kept_for_offline(phone, *paths):
    """Mon travail opened with the network: the worker keeps it and the pages it leads to."""
    phone.page.goto("/")
    def in_charge():  # the first page loaded before the worker: the next one is its
        if phone.page.evaluate("() => navigator.serviceWorker.controller !== null"):
            return True
        phone.page.reload()
        return False
    wait_for(in_charge, "the worker in charge")
    wanted = [phone.base_url + path for path in (*paths, "/static/js/store.js",
                                                  "/static/js/queue.js")]
    wait_for(lambda: all(url in cached(phone) for url in wanted),
             lambda: f"{paths} kept; kept: {cached(phone)}")


def go_offline(phone) -> None:
    phone.context.set_offline(True)
    time.sleep(0.5)  # the worker's network too


# The network failing for some requests, in the page itself: Playwright's routes are not
# always consulted for a page that a service worker controls (the requests then reach the
# server anyway), so the drop is made where the queue sends, by the page's own fetch.
FETCH_FAILS = """([path, method, after]) => {
  const real = window.fetch;
  let seen = 0;
  window.fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input, location.href);
    const verb = (init && init.method) || (input instanceof Request ? input.method : 'GET');
    if (url.pathname === path && verb === method && ++seen > after) {
      return Promise.reject(new TypeError('Failed to fetch'));
    }
    return real(input, init);
  };
}"""


def fetch_fails(page, path: str, method: str = "GET", after: int = 0,
                every_page: bool = False) -> None:
    """From now on, the page's requests for `path` fail as a dropped network does, once
    `after` of them went through; on every page loaded next too if `every_page`."""
    if every_page:
        page.add_init_script(f"({FETCH_FAILS})({json.dumps([path, method, after])})")
    page.evaluate(FETCH_FAILS, [path, method, after])


def personal(urls: list[str]) -> list[str]:
    """What Cache Storage holds beyond the app's own files (the same for everyone)."""
    return [url for url in urls if "/static/" not in url]


def queue_empty(phone) -> bool:
    return not stored(phone)["queue"]


def fill_step(page, summary: str, women: str = "3") -> None:
    page.get_by_label("Lieu").fill("Sous le grand caïlcédrat")
    for label, count in (("Femmes (plus de 35 ans)", women), ("Hommes (plus de 35 ans)", "5"),
                         ("Jeunes femmes (15-35 ans)", "1"), ("Jeunes hommes (15-35 ans)", "2")):
        page.get_by_label(label, exact=True).fill(count)
    page.get_by_label("Ce qui a été dit et fait").fill(summary)


def author(row) -> str:
    return db.session.get(User, row.created_by_id).username


def steps_with(live_server, summary: str) -> list[tuple[str, object]]:
    return on_server(live_server, lambda: [
        (author(s), s.step_date) for s in db.session.scalars(
            select(MediationStep).where(MediationStep.summary == summary))])


def test_a_day_in_the_village_offline_each_item_reaches_the_server_once(phone, live_server,
                                                                        make_case):
    reference = make_case()
    visited = make_case(("assign", "start", "step", "propose", "mayor_approves",
                         "chief_approves"))
    page = phone.page
    phone.sign_in(MEDIATOR)
    kept_for_offline(phone, f"/cases/{reference}", f"/cases/{reference}/steps/new",
                     f"/cases/{visited}/follow-ups/new", "/cases/new")
    page.goto("/cases/new")  # a report begun with the network, with a third party's row
    page.get_by_role("button", name="Ajouter une partie").click()
    page.locator("#parties-2-name").fill("Famille Coulibaly")
    page.locator("#parties-2-sex").select_option(label="Femme")
    page.locator("#parties-2-age_group").select_option(label="Jeune (15-35 ans)")
    draft_holding(phone, "Famille Coulibaly")
    go_offline(phone)

    page.goto(f"/cases/{reference}")
    expect(page.locator("#offline-banner")).to_contain_text("Hors ligne")
    assert phone.accessibility_violations() == []
    page.get_by_role("link", name="Consigner une étape de médiation").click()
    fill_step(page, "Séance au village, sans réseau.")
    page.get_by_role("button", name="Consigner l'étape").click()
    page.wait_for_url(f"**/cases/{reference}")
    expect(page.locator("#pending")).to_contain_text("1 élément en attente d'envoi")
    phone.screenshot("offline-step-waiting")
    assert phone.accessibility_violations() == []

    page.goto(f"/cases/{visited}/follow-ups/new")
    page.locator("input[name=outcome][value=respected]").check()
    page.get_by_label("Notes").fill(VISIT_NOTES)
    page.locator("form[data-offline] button[type=submit]").click()
    page.wait_for_url(f"**/cases/{visited}")

    page.goto("/cases/new")  # the kept page, two rows: the draft makes the third again
    page.get_by_role("button", name="Le reprendre").click()
    expect(page.locator("fieldset.party legend").last).to_have_text("Partie 3")
    expect(page.locator("#parties-2-name")).to_have_value("Famille Coulibaly")
    page.get_by_label("Village ou quartier").fill("Dogo hors ligne")
    page.get_by_label("Type de conflit").select_option(label="Foncier")
    page.get_by_label("Ce qui s'est passé").fill("Une haie arrachée la nuit, signalée sans réseau.")
    page.locator("#parties-0-name").fill("Famille Konaté")
    page.locator("#parties-0-sex").select_option(label="Homme")
    page.locator("#parties-0-age_group").select_option(label="Adulte")
    page.get_by_label("Signalé par", exact=True).fill("Awa Sangaré")
    page.get_by_role("button", name="Signaler le conflit").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator("#pending")).to_contain_text("3 éléments en attente d'envoi")
    assert len(stored(phone)["queue"]) == 3

    phone.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for(lambda: queue_empty(phone), lambda: f"the queue sent: {stored(phone)['queue']}")
    page.reload()
    expect(page.locator("#pending")).to_be_hidden()

    today = on_server(live_server, local_today)
    assert steps_with(live_server, "Séance au village, sans réseau.") == [(MEDIATOR, today)]
    visits = on_server(live_server, lambda: [
        (author(v), v.visit_date) for v in db.session.scalars(
            select(FollowUp).where(FollowUp.notes == VISIT_NOTES))])
    assert visits == [(MEDIATOR, today)]
    reported = on_server(live_server, lambda: [
        (c.created_by.username, c.commune.code, [(p.name, p.sex) for p in c.parties])
        for c in db.session.scalars(select(Case).where(Case.village == "Dogo hors ligne"))])
    assert reported == [(MEDIATOR, "BGN", [("Famille Konaté", "M"), ("Famille Coulibaly", "F")])]


def test_the_network_drops_in_the_middle_of_the_sync(phone, live_server, make_case):
    reference = make_case()
    page = phone.page
    phone.sign_in(MEDIATOR)
    kept_for_offline(phone, f"/cases/{reference}/steps/new")
    go_offline(phone)
    for summary in ("Première séance coupée.", "Deuxième séance coupée."):
        page.goto(f"/cases/{reference}/steps/new")
        fill_step(page, summary)

        page.get_by_role("button", name="Consigner l'étape").click()
        page.wait_for_url(f"**/cases/{reference}")

    # The first item goes, then the network drops. In place before the network returns:
    # coming back online fires the browser's own "online" event, which starts the sync.
    fetch_fails(page, f"/cases/{reference}/steps/new", "POST", after=1)
    phone.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for(lambda: len(stored(phone)["queue"]) == 1, "the first item sent")
    assert [item["fields"] for item in stored(phone)["queue"]
            if ["summary", "Deuxième séance coupée."] in item["fields"]]  # the second waits
    assert len(steps_with(live_server, "Première séance coupée.")) == 1
    page.reload()  # a new page, with the network whole
    wait_for(lambda: queue_empty(phone), lambda: f"the queue sent again {stored(phone)}")
    assert len(steps_with(live_server, "Première séance coupée.")) == 1
    assert len(steps_with(live_server, "Deuxième séance coupée.")) == 1


def test_a_case_changed_meanwhile_keeps_the_item_until_it_is_sent_again(phone, live_server,
                                                                       make_case):
    reference = make_case()
    page = phone.page
    phone.sign_in(MEDIATOR)
    kept_for_offline(phone, f"/cases/{reference}/steps/new")
    go_offline(phone)
    page.goto(f"/cases/{reference}/steps/new")
    fill_step(page, "Séance écrite avant le changement.")
    page.get_by_role("button", name="Consigner l'étape").click()
    page.wait_for_url(f"**/cases/{reference}")

    def colleague_changes_it():
        people = bougouni()
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        steps.log_step(people.coordinator, case, step_input(summary="Le coordinateur passe."))
        db.session.commit()
        return people.coordinator.full_name
    colleague = on_server(live_server, colleague_changes_it)

    phone.context.set_offline(False)
    page.reload()
    pending = page.locator("#pending")
    expect(pending).to_contain_text("Le dossier a changé")
    expect(pending).to_contain_text("modifié")
    # what happened since the item was written: the colleague's step, and nothing before it
    expect(pending.locator(".changes li")).to_have_count(1)
    expect(pending.locator(".changes li")).to_contain_text(
        f"{colleague} : a consigné une étape : Séance conjointe")
    assert len(stored(phone)["queue"]) == 1  # kept
    assert steps_with(live_server, "Séance écrite avant le changement.") == []
    phone.screenshot("offline-conflict")
    assert phone.accessibility_violations() == []
    pending.get_by_role("button", name="Renvoyer").click()
    wait_for(lambda: queue_empty(phone), "the item sent again")
    assert len(steps_with(live_server, "Séance écrite avant le changement.")) == 1


def test_a_value_refused_after_the_sync_shows_the_field_error(phone, live_server, make_case):
    reference = make_case()
    page = phone.page
    phone.sign_in(MEDIATOR)
    kept_for_offline(phone, f"/cases/{reference}/steps/new")
    go_offline(phone)
    page.goto(f"/cases/{reference}/steps/new")
    fill_step(page, "Séance avec un compte faux.", women="-4")
    page.get_by_role("button", name="Consigner l'étape").click()
    page.wait_for_url(f"**/cases/{reference}")
    phone.context.set_offline(False)
    page.reload()
    pending = page.locator("#pending")
    expect(pending).to_contain_text("Refusé")
    expect(pending).to_contain_text("Femmes")
    assert steps_with(live_server, "Séance avec un compte faux.") == []
    pending.get_by_role("button", name="Corriger").click()  # back in its form, to correct
    page.wait_for_url(f"**/cases/{reference}/steps/new")
    page.get_by_role("button", name="Le reprendre").click()
    expect(page.get_by_label("Ce qui a été dit et fait")).to_have_value(
        "Séance avec un compte faux.")


def test_sign_out_empties_the_pages_the_queue_and_the_drafts(phone, make_case):
    reference = make_case()
    page = phone.page
    phone.sign_in(MEDIATOR)
    kept_for_offline(phone, f"/cases/{reference}", f"/cases/{reference}/steps/new")
    page.goto(f"/cases/{reference}/steps/new")
    page.get_by_label("Ce qui a été dit et fait").fill("Un brouillon à ne pas laisser.")
    draft_holding(phone, "Un brouillon à ne pas laisser.")
    go_offline(phone)
    fill_step(page, "Une séance jamais envoyée.")
    page.get_by_role("button", name="Consigner l'étape").click()
    page.wait_for_url(f"**/cases/{reference}")
    fetch_fails(page, "/offline/session", every_page=True)  # it cannot be sent now
    phone.context.set_offline(False)  # after: coming back online starts a sync
    page.goto("/")
    warned = []
    page.once("dialog", lambda dialog: (warned.append(dialog.message), dialog.accept()))
    phone.sign_out()
    assert warned and "1 élément n'a pas été envoyé" in warned[0]
    assert personal(cached(phone)) == []
    assert stored(phone) == {"queue": [], "drafts": []}


def test_a_confidential_case_is_never_kept(phone, live_server, make_case):
    reference = make_case((), conflict_type="gbv")

    def team_of_it():
        people = bougouni()
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        team.assign_team(people.coordinator, case, [people.mediator.id])
        db.session.commit()
        return case.confidential
    assert on_server(live_server, team_of_it)
    open_case = make_case()
    page = phone.page
    phone.sign_in(MEDIATOR)
    kept_for_offline(phone, f"/cases/{open_case}")
    page.goto(f"/cases/{reference}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    page.goto("/")
    time.sleep(1)
    assert not [url for url in cached(phone) if reference in url]
    go_offline(phone)
    page.goto(f"/cases/{reference}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hors ligne")


def test_a_draft_is_offered_back_and_gone_once_sent(phone, live_server, make_case):
    reference = make_case()
    page = phone.page
    phone.sign_in(MEDIATOR)
    page.goto(f"/cases/{reference}/steps/new")
    fill_step(page, "Séance reprise d'un brouillon.")
    draft_holding(phone, "Séance reprise d'un brouillon.")
    page.goto("/")
    page.goto(f"/cases/{reference}/steps/new")
    expect(page.get_by_label("Ce qui a été dit et fait")).to_have_value("")
    phone.screenshot("offline-draft-offered")
    assert phone.accessibility_violations() == []
    page.get_by_role("button", name="Le reprendre").click()
    expect(page.get_by_label("Ce qui a été dit et fait")).to_have_value(
        "Séance reprise d'un brouillon.")
    page.get_by_role("button", name="Consigner l'étape").click()
    page.wait_for_url(f"**/cases/{reference}")
    wait_for(lambda: not stored(phone)["drafts"], "the draft erased")
    assert len(steps_with(live_server, "Séance reprise d'un brouillon.")) == 1


def test_the_next_person_on_the_phone_sees_nothing_of_the_first(phone, make_case):
    reference = make_case()
    page = phone.page
    phone.sign_in(MEDIATOR)
    kept_for_offline(phone, f"/cases/{reference}/steps/new")
    page.goto(f"/cases/{reference}/steps/new")
    go_offline(phone)
    fill_step(page, "Le travail de la première personne.")
    page.get_by_role("button", name="Consigner l'étape").click()
    page.wait_for_url(f"**/cases/{reference}")
    phone.context.clear_cookies()  # the session ended (idle), nobody signed out
    phone.context.set_offline(False)  # after: coming back online starts a sync
    page.goto("/login")
    expect(page.locator("#pending")).to_contain_text("1 élément non envoyé attend")
    assert personal(cached(phone)) == []
    phone.sign_in("mediateur.kadiolo")
    wait_for(lambda: stored(phone) == {"queue": [], "drafts": []}, "the first person's erased")
    expect(page.locator("#pending")).to_be_hidden()


def test_a_proposal_needing_sign_offs_is_online_only_and_says_so(phone, make_case):
    reference = make_case(("assign", "start", "step"))
    page = phone.page
    phone.sign_in(MEDIATOR)
    page.goto(f"/cases/{reference}/actions/resolve")
    page.get_by_label("Termes de l'accord").fill("Le champ est partagé, la haie replantée.")
    go_offline(phone)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_contain_text("Cette action demande le réseau")
    assert page.url.endswith(f"/cases/{reference}/actions/resolve")
    expect(page.get_by_label("Termes de l'accord")).to_have_value(
        "Le champ est partagé, la haie replantée.")
    assert stored(phone)["queue"] == []
    assert phone.accessibility_violations() == []


def test_a_report_of_gender_based_violence_is_never_kept_on_the_phone(phone):
    page = phone.page
    phone.sign_in(MEDIATOR)
    kept_for_offline(phone, "/cases/new")
    page.goto("/cases/new")
    page.get_by_label("Ce qui s'est passé").fill("Des faits graves, à ne pas laisser ici.")
    draft_holding(phone, "Des faits graves, à ne pas laisser ici.")
    page.get_by_label("Type de conflit").select_option(value="gbv")
    page.get_by_label("Village ou quartier").fill("Dogo")
    wait_for(lambda: not stored(phone)["drafts"], "the draft erased")
    go_offline(phone)
    page.get_by_role("button", name="Signaler le conflit").click()
    expect(page.get_by_role("alert").first).to_contain_text("Cette action demande le réseau")
    assert stored(phone) == {"queue": [], "drafts": []}
