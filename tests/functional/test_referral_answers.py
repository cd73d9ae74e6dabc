"""The focal point's side of a referral: their service's referrals only, what a referral
shares (names only with consent), accept or decline, then the outcome; the referring team is
told. Each kind of person asked through the pages."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.clock import clock_at, local_today, utcnow
from casework.extensions import db
from casework.models import Case, Event, Notification
from casework.queries import figures
from casework.services import referrals
from tests.referral_factories import referred

from .pages import hidden_fields, text


def post(client, page: str, url: str, data: dict):
    return client.post(url, data={**hidden_fields(client.get(page).get_data(as_text=True)),
                                  **data})


# Who opens the list and the referral: the focal point of its service only; the others get
# 403 (not a focal point at all) or 404 (a focal point of another service).
@pytest.mark.parametrize("who, listed, opened", [
    ("focal_here", 200, 200), ("focal_next_door", 200, 404), ("focal_elsewhere", 200, 404),
    ("team_mediator", 403, 403), ("other_mediator", 403, 403), ("mayor", 403, 403),
    ("coordinator", 403, 403), ("donor", 403, 403),
])
def test_who_opens_a_referral(client, login, people, make_case, make_user, directory, who,
                              listed, opened):
    referral = referred(people, make_case, directory["here"][0])
    user = {"focal_here": directory["here"][1], "focal_next_door": directory["next_door"][1],
            "focal_elsewhere": directory["elsewhere"][1], "team_mediator": people.mediator,
            "other_mediator": make_user((people.commune, "mediator")),
            "mayor": people.mayor, "coordinator": people.coordinator,
            "donor": make_user((people.commune, "donor"))}[who]
    login(user)
    assert client.get("/referrals").status_code == listed
    assert client.get(f"/referrals/{referral.id}").status_code == opened
    if opened != 200:
        for action in ("accept", "decline", "outcome"):
            assert client.post(f"/referrals/{referral.id}/{action}",
                               data={"decline_reason": "x", "outcome": "x"}).status_code == opened
    db.session.refresh(referral)
    assert referral.status == "sent"
    listing = text(client.get("/referrals"))
    assert (referral.case.reference in listing) is (who == "focal_here")


def test_a_focal_point_sees_no_case_page_list_or_dashboard(client, login, people, make_case,
                                                           directory):
    referral = referred(people, make_case, directory["here"][0])
    login(directory["here"][1])
    assert client.get(f"/cases/{referral.case.reference}").status_code == 404
    assert referral.case.reference not in text(client.get("/cases"))
    assert client.get("/dashboard").status_code == 403
    home = text(client.get("/"))
    assert 'href="/referrals"' in home and 'href="/cases"' not in home


@pytest.mark.parametrize("consent, confidential", [(True, False), (False, False),
                                                   (True, True), (False, True)])
def test_names_only_with_consent(client, login, people, make_case, directory, consent,
                                 confidential):
    values = {"conflict_type": "gbv"} if confidential else {}
    referral = referred(people, make_case, directory["here"][0], consent=consent, **values)
    login(directory["here"][1])
    page = text(client.get(f"/referrals/{referral.id}"))
    assert "Prise en charge médicale." in page and referral.case.reference in page
    assert ("Aminata Koné" in page) is consent
    assert ("Kola" in page) is (consent or not confidential)  # the village
    assert "Deux familles revendiquent" not in page  # the facts stay the case's
    assert f"/cases/{referral.case.reference}" not in page


def test_from_sending_to_outcome(client, login, people, make_case, directory):
    service, focal = directory["here"]
    referral = referred(people, make_case, service)
    page = f"/referrals/{referral.id}"
    login(focal)
    assert post(client, page, f"{page}/accept", {}).status_code == 302
    again = post(client, page, f"{page}/decline", {"decline_reason": "Trop tard."})
    assert again.status_code in (403, 409) or referral.status == "accepted"
    missing = post(client, page, f"{page}/outcome", {"outcome": ""})
    assert missing.status_code == 400
    assert post(client, page, f"{page}/outcome",
                {"outcome": "Soins reçus, certificat remis."}).status_code == 302
    db.session.refresh(referral)
    assert (referral.status, referral.answered_by_id, referral.outcome) == (
        "outcome_recorded", focal.id, "Soins reçus, certificat remis.")
    kinds = list(db.session.scalars(select(Event.kind).where(
        Event.case_id == referral.case_id, Event.kind.like("referral.%")).order_by(Event.id)))
    assert kinds == ["referral.sent", "referral.accepted", "referral.outcome_recorded"]
    # The team learns what became of it: on the case page, and by message.
    login(people.mediator)
    shown = text(client.get(f"/cases/{referral.case.reference}"))
    assert "Résultat enregistré" in shown and "certificat remis" in shown
    told = db.session.scalars(select(Notification).where(
        Notification.kind == "referral_answered"))
    assert {n.user_id for n in told} <= {people.mediator.id}


def test_a_decline_needs_its_reason_and_keeps_what_was_typed(client, login, people,
                                                             make_case, directory):
    referral = referred(people, make_case, directory["here"][0])
    page = f"/referrals/{referral.id}"
    login(directory["here"][1])
    blank = post(client, page, f"{page}/decline", {"decline_reason": ""})
    assert blank.status_code == 400 and referral.status == "sent"
    assert post(client, page, f"{page}/decline",
                {"decline_reason": "Pas de médecin ce mois."}).status_code == 302
    db.session.refresh(referral)
    assert (referral.status, referral.decline_reason) == ("declined", "Pas de médecin ce mois.")
    # Declined, the service no longer reads the names.
    assert "Aminata Koné" not in text(client.get(page))


def test_two_answers_at_once_make_one(client, login, people, make_case, directory):
    referral = referred(people, make_case, directory["here"][0])
    page = f"/referrals/{referral.id}"
    login(directory["here"][1])
    hidden = hidden_fields(client.get(page).get_data(as_text=True))
    assert client.post(f"{page}/accept", data=hidden).status_code == 302
    second = client.post(f"{page}/decline", data={**hidden, "decline_reason": "Non."})
    assert second.status_code == 409 and "Non." in text(second)
    db.session.refresh(referral)
    assert referral.status == "accepted"


def _answer(referral, focal, answer: str) -> None:
    if answer in ("accepted", "outcome_recorded"):
        referrals.accept(focal, referral)
    if answer == "outcome_recorded":
        referrals.record_outcome(focal, referral, "Soins reçus.")
    if answer == "declined":
        referrals.decline(focal, referral, "Pas de place.")


def test_the_dashboard_counts_referrals_by_answer_as_they_stood(client, login, people,
                                                                make_case, directory):
    """One of each answer; a month later, the answers given since do not count for the
    period that ended before them."""
    service, focal = directory["here"]
    made = {}
    with clock_at(utcnow() - timedelta(days=40)):
        for answer in ("sent", "late", "accepted", "declined", "outcome_recorded"):
            made[answer] = referred(people, make_case, service)
    for answer, referral in made.items():
        if answer == "sent":  # sent 40 days ago, its answer is not due yet
            referral.answer_by = local_today() + timedelta(days=1)
        _answer(referral, focal, answer)
    db.session.commit()
    assert figures.referrals([Case.commune_id == people.commune.id]) == {
        "sent": 1, "late": 1, "accepted": 1, "declined": 1, "outcome_recorded": 1}
    before = utcnow() - timedelta(days=20)  # every answer came after: all were waiting
    assert figures.referrals([Case.commune_id == people.commune.id], before) == {
        "sent": 1, "late": 4, "accepted": 0, "declined": 0, "outcome_recorded": 0}
    login(people.coordinator)
    page = text(client.get("/dashboard"))
    assert "Orientations selon la réponse du service" in page and "Refusée" in page
