"""Simultaneous requests on one case, over HTTP to gunicorn with four workers: exactly one effect,
every other request a clear 409, and the event log matching the state. Each scenario runs
three times, on a fresh case each time."""
from __future__ import annotations

from collections import Counter
from functools import partial

import pytest
from sqlalchemy import func, select

from casework.models import Case, Event, MediationStep
from tests.dates import typed
from tests.functional.test_lifecycle import intake
from tests.invariants import database_problems

from .browser import Browser, race
from .site import MEDIATORS

pytestmark = pytest.mark.no_db
ROUNDS = range(3)

STALE = "Ce dossier a été modifié par quelqu'un d'autre depuis que vous avez ouvert la page."
ALREADY_SIGNED = "Vous avez déjà signé cette proposition."
DECIDED = "Cette proposition a déjà été tranchée."
# What commit() says when two writes collided in the database itself: with the case locked,
# the services see every race first and say what happened instead.
COLLISION = "Quelqu'un d'autre a modifié la même chose au même moment."


@pytest.fixture(scope="module")
def sessions(server):
    """Sixteen signed-in sessions of the case's team (four mediators, four phones each)."""
    return [Browser(server.base_url).sign_in(name) for name in MEDIATORS for _ in range(4)]


@pytest.fixture(scope="module")
def signers(server):
    return {name: Browser(server.base_url).sign_in(name) for name in ("maire", "chef")}


def events(session, reference, kind):
    return session.scalars(select(Event).join(Case).where(
        Case.reference == reference, Event.kind == kind).order_by(Event.id)).all()


def tally(pages) -> Counter:
    return Counter(page.status for page in pages)


def messages(pages, *expected) -> set[str]:
    """Which of the expected messages each 409 page carries (one each, never the collision)."""
    found = set()
    for page in pages:
        if page.status == 409:
            said = [message for message in expected if message in page.text]
            assert len(said) == 1 and COLLISION not in page.text, page.text[:2000]
            found.update(said)
    return found


@pytest.mark.parametrize("round_", ROUNDS)
def test_sixteen_mediators_fire_the_same_transition_once(site, server, sessions, round_):
    reference = site.new_case("reported")
    url = f"/cases/{reference}/actions/start_mediation"
    forms = [browser.form(url) for browser in sessions]  # every form on the same version
    assert len({form["version"] for form in forms}) == 1

    pages = race(*(partial(browser.post, url, form)
                   for browser, form in zip(sessions, forms, strict=True)))

    started_once(site, reference, pages, server.log)


def started_once(site, reference, pages, log) -> None:
    """Of sixteen starts of the mediation, one took effect and fifteen were told why not."""
    assert tally(pages) == {302: 1, 409: 15}, log()
    assert messages(pages, STALE) == {STALE}
    with site.reading() as session:
        assert [e.data["trigger"] for e in events(session, reference, "case.transition")] == [
            "start_mediation"]
        assert site.case(session, reference).status == "in_mediation"
        assert database_problems(session) == []


@pytest.mark.parametrize("round_", ROUNDS)
def test_mayor_and_chief_sign_at_once_each_clicking_eight_times(site, server, signers,
                                                                round_):
    reference = site.new_case("proposed")
    with site.reading() as session:
        proposal_id = site.case(session, reference).pending_proposal.id
    url = f"/cases/{reference}/proposals/{proposal_id}/sign-off"
    forms = {name: browser.form(url, decision="approve", comment="Bon accord.")
             for name, browser in signers.items()}

    pages = race(*(partial(signers[name].post, url, forms[name])
                   for name in ("maire", "chef") for _ in range(8)))

    # Both sign-offs count (the other's approval does not make a form stale), once each.
    assert tally(pages) == {302: 2, 409: 14}, server.log()
    assert messages(pages, ALREADY_SIGNED, DECIDED) <= {ALREADY_SIGNED, DECIDED}
    with site.reading() as session:
        case = site.case(session, reference)
        assert case.status == "resolved"
        proposal = case.current_agreement
        assert proposal.id == proposal_id and proposal.status == "approved"
        assert sorted(s.role for s in proposal.signoffs) == ["commune_authority",
                                                             "traditional_leader"]
        assert len(events(session, reference, "case.signed_off")) == 2
        assert [e.data["trigger"] for e in events(session, reference, "case.transition")] == [
            "start_mediation", "resolve"]
        assert database_problems(session) == []


def filled(fields: dict) -> dict:
    """The form's fields, a date (`typed`) read from the clock when the form is sent."""
    return {name: value() if callable(value) else value for name, value in fields.items()}


DOUBLE_CLICKS = {
    "step": ("in_mediation", "steps/new", "case.step_logged",
             dict(step_date=typed, kind="joint_session", place="Vestibule du chef", women="2",
                  men="3", young_women="0", young_men="1",
                  summary="Les deux familles sont venues.")),
    "follow_up": ("resolved", "follow-ups/new", "case.follow_up_recorded",
                  dict(milestone_days="", visit_date=typed, outcome="respected", notes="")),
}


@pytest.mark.parametrize("round_", ROUNDS)
@pytest.mark.parametrize("what", DOUBLE_CLICKS)
def test_a_form_sent_eight_times_at_once_records_once(site, server, sessions, what, round_):
    state, path, kind, fields = DOUBLE_CLICKS[what]
    reference = site.new_case(state)
    browser, url = sessions[0], f"/cases/{reference}/{path}"
    form = browser.form(url, **filled(fields))

    pages = race(*(partial(browser.post, url, form) for _ in range(8)))

    assert tally(pages) == {302: 1, 409: 7}, server.log()
    assert messages(pages, STALE) == {STALE}
    with site.reading() as session:
        assert len(events(session, reference, kind)) == 1
        assert database_problems(session) == []


@pytest.mark.parametrize("round_", ROUNDS)
def test_a_report_sent_eight_times_at_once_opens_one_case(site, server, sessions, round_):
    browser = sessions[0]
    with site.reading() as session:
        before = session.scalar(select(func.count()).select_from(Case))
        commune = site.people(session).commune
        form = browser.form("/cases/new", **intake(  # each round a distinct conflict
            commune, village=f"Faragouaran {round_}",
            description=f"Des bœufs ont dévasté le champ de coton n° {round_}."))

    pages = race(*(partial(browser.post, "/cases/new", form) for _ in range(8)))

    assert tally(pages) == {302: 1, 409: 7}, server.log()
    reference = next(page.location for page in pages if page.status == 302).rsplit("/", 1)[1]
    saved = f"Ce signalement est déjà enregistré, sous la référence {reference}"
    assert messages(pages, saved) == {saved}
    with site.reading() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == before + 1
        assert database_problems(session) == []


@pytest.mark.parametrize("round_", ROUNDS)
def test_a_form_opened_before_another_change_gets_409_and_keeps_the_text(site, server,
                                                                          sessions, round_):
    reference = site.new_case("in_mediation", "step")
    mine, theirs = sessions[0], sessions[4]  # two mediators of the team
    url = f"/cases/{reference}/actions/resolve"
    agreement = f"Le champ est partagé en deux parts égales ; bornage le {round_ + 1} du mois."
    form = mine.form(url, agreement_text=agreement)
    step = filled(DOUBLE_CLICKS["step"][3])
    assert theirs.submit(f"/cases/{reference}/steps/new", **step).status == 302

    page = mine.post(url, form)

    assert page.status == 409, server.log()
    assert STALE in page.text and agreement in page.text
    with site.reading() as session:
        assert site.case(session, reference).proposals == []
    # Sent again from the page that came back, knowingly, it goes through.
    assert mine.post(url, {**page.hidden, "agreement_text": agreement}).status == 302
    with site.reading() as session:
        assert site.case(session, reference).pending_proposal.agreement_text == agreement
        assert len(session.scalars(select(MediationStep).join(Case).where(
            Case.reference == reference)).all()) == 2
