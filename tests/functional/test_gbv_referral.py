"""A gender-based violence case on gbv_referral, through the pages: reported, referred with the
survivor's consent, declined by a first service, referred elsewhere, accepted, its outcome
recorded, followed up and closed by the coordination; each answer of the service moves the
case (`on_referral:`), with its event. Who reads the names at each state: the case's own
rules, and the focal point of the service the survivor consented to."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from casework.extensions import db
from casework.models import Event, Notification, Referral
from casework.services import referrals, transitions
from casework.services.transitions import TransitionInput
from casework.workflow_registry import workflow_of
from tests.dates import typed
from tests.factories import advance
from tests.invariants import trail_problems
from tests.signing import signed_in_as

from .pages import hidden_fields, submit, text

SURVIVOR = "Aminata Koné"  # a party of the factories' case


def refer_form(service) -> dict:
    return {"service_id": service.id, "note": "Soins et certificat médical.",
            "consent": "given", "consent_by": "La survivante", "consent_how": "oral",
            "consent_on": typed(0)}


def answer(client, referral_id: int, action: str, data: dict | None = None):
    page = f"/referrals/{referral_id}"
    return client.post(f"{page}/{action}", data={
        **hidden_fields(client.get(page).get_data(as_text=True)), **(data or {})})


def latest_referral(case) -> Referral:
    return db.session.scalar(select(Referral).where(Referral.case_id == case.id)
                             .order_by(Referral.id.desc()).limit(1))


def trail(case) -> list[tuple]:
    """The case's events after its report: each transition as (trigger, from, to), each
    referral event as its kind."""
    found = []
    for event in db.session.scalars(select(Event).where(Event.case_id == case.id)
                                    .order_by(Event.id)):
        if event.kind == "case.transition":
            found.append((event.data["trigger"], event.data["from_state"],
                          event.data["to_state"]))
        elif event.kind.startswith("referral."):
            found.append(event.kind)
    return found


def test_the_whole_road_from_report_to_close(app, people, make_case, directory, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_GATEWAY_URL", "http://127.0.0.1:9/v1/sms")
    people.mediator.phone = "+22376000001"  # the team is told by SMS
    first, first_focal = directory["here"]
    second, second_focal = directory["next_door"]
    case = make_case("reported", conflict_type="gbv")
    assert (case.workflow, case.confidential) == ("gbv_referral", True)
    advance(people, case, "assign")  # the coordination sets the team of a confidential case
    db.session.commit()
    team = signed_in_as(people.mediator, app.test_client())
    focal_one = signed_in_as(first_focal, app.test_client())
    focal_two = signed_in_as(second_focal, app.test_client())
    coordination = signed_in_as(people.coordinator, app.test_client())

    # Referred with the survivor's consent; the case waits for the service.
    url = f"/cases/{case.reference}/actions/refer"
    assert submit(team, url, refer_form(first)).status_code == 302
    db.session.refresh(case)
    assert case.status == "referral_sent"
    one = latest_referral(case)
    # The answers are the service's: no one fires them from the case.
    for trigger in ("service_accepts", "service_declines", "service_records_outcome"):
        assert coordination.post(f"/cases/{case.reference}/actions/{trigger}").status_code in (
            403, 404, 409)
    # Declined: the case can be referred again, elsewhere.
    assert answer(focal_one, one.id, "decline",
                  {"decline_reason": "Pas de médecin ce mois."}).status_code == 302
    db.session.refresh(case)
    assert case.status == "referral_declined"
    assert "/actions/refer" in text(team.get(f"/cases/{case.reference}"))
    assert submit(team, url, refer_form(second)).status_code == 302
    db.session.refresh(case)
    two = latest_referral(case)
    assert (case.status, two.service_id) == ("referral_sent", second.id) and two.id != one.id
    # Accepted, then its outcome recorded.
    assert answer(focal_two, two.id, "accept").status_code == 302
    db.session.refresh(case)
    assert case.status == "referral_accepted"
    assert answer(focal_two, two.id, "outcome",
                  {"outcome": "Soins reçus, certificat remis."}).status_code == 302
    db.session.refresh(case)
    assert case.status == "outcome_recorded"
    # The team sees where the case stands and what the service answered.
    shown = text(team.get(f"/cases/{case.reference}"))
    assert "Résultat enregistré" in shown and "certificat remis" in shown
    assert "Pas de médecin ce mois." in shown  # the first service's reason
    # The follow-up and the close: the coordination only.
    assert "/actions/follow_up" not in shown
    assert team.post(f"/cases/{case.reference}/actions/follow_up",
                     data={"note": "x"}).status_code == 403
    assert submit(coordination, f"/cases/{case.reference}/actions/follow_up",
                  {"note": "Visite faite : elle va mieux."}).status_code == 302
    db.session.refresh(case)
    assert case.status == "referral_followed_up"
    assert submit(coordination, f"/cases/{case.reference}/actions/close",
                  {"note": "Suivi terminé."}).status_code == 302
    db.session.refresh(case)
    assert case.status == "closed" and workflow_of(case).state("closed").final

    assert trail(case) == [
        ("refer", "reported", "referral_sent"), "referral.sent",
        "referral.declined", ("service_declines", "referral_sent", "referral_declined"),
        ("refer", "referral_declined", "referral_sent"), "referral.sent",
        "referral.accepted", ("service_accepts", "referral_sent", "referral_accepted"),
        "referral.outcome_recorded",
        ("service_records_outcome", "referral_accepted", "outcome_recorded"),
        ("follow_up", "outcome_recorded", "referral_followed_up"),
        ("close", "referral_followed_up", "closed"),
    ]
    moved = db.session.scalars(select(Event).where(
        Event.case_id == case.id, Event.kind == "case.transition",
        Event.data["trigger"].as_string().like("service_%")))
    assert {(e.actor_id, e.data["referral_id"]) for e in moved} == {
        (first_focal.id, one.id), (second_focal.id, two.id)}
    assert trail_problems(db.session, case) == []
    assert not case.steps and not case.proposals  # never mediated
    # The team was told of each answer (one SMS each), never of what the service wrote.
    told = list(db.session.scalars(select(Notification).where(
        Notification.kind == "referral_answered")))
    assert [n.user_id for n in told] == [people.mediator.id] * 3
    assert not any("médecin" in n.body or "certificat" in n.body for n in told)


def test_in_mediation_the_answers_move_nothing(people, make_case, directory):
    """mediation's `referred` is final: the referral's answers leave the case there."""
    service, focal = directory["here"]
    case = make_case("reported", conflict_type="boundary")  # mediation, not land
    transitions.fire(people.mediator, case, "refer", TransitionInput(
        service_id=service.id, note="Bornage.", consent="refused"))
    referral = latest_referral(case)
    referrals.accept(focal, referral)
    referrals.record_outcome(focal, referral, "Bornage fait.")
    db.session.commit()
    assert (case.workflow, case.status) == ("mediation", "referred")
    assert [e for e in trail(case) if isinstance(e, tuple)] == [
        ("refer", "reported", "referred")]


def _gbv_in(state: str, people, make_case, directory):
    """A gbv_referral case of `people` in `state`, referred (with consent) to the service
    "here" on the way, declined by "next_door" first when `state` is referral_declined."""
    service, focal = directory["here"]
    other, other_focal = directory["next_door"]
    case = make_case("reported", conflict_type="gbv")
    advance(people, case, "assign")
    if state == "reported":
        db.session.commit()
        return case, None

    def refer(to):
        transitions.fire(people.mediator, case, "refer", TransitionInput(
            service_id=to.id, note="Soins.", consent="given", consent_by="La survivante",
            consent_how="oral", consent_on=date.fromisoformat(typed(0))))
        return latest_referral(case)

    if state == "referral_declined":
        referrals.decline(other_focal, refer(other), "Pas de place.")
        db.session.commit()
        return case, latest_referral(case)
    referral = refer(service)
    if state != "referral_sent":
        referrals.accept(focal, referral)
    if state in ("outcome_recorded", "referral_followed_up", "closed"):
        referrals.record_outcome(focal, referral, "Soins reçus.")
    if state in ("referral_followed_up", "closed"):
        transitions.fire(people.coordinator, case, "follow_up", TransitionInput(note="Vue."))
    if state == "closed":
        transitions.fire(people.coordinator, case, "close", TransitionInput(note="Fini."))
    db.session.commit()
    assert case.status == state
    return case, referral


STATES = ("reported", "referral_sent", "referral_declined", "referral_accepted",
          "outcome_recorded", "referral_followed_up", "closed")
# Who reads the survivor's name (on the case page or the referral's page) in every state;
# None: neither page opens for them. The focal point of the service the case was referred to
# with the survivor's consent reads it on the referral's page, never once it declined.
NAMES = {"team_mediator": True, "coordinator": True, "other_mediator": False, "mayor": False,
         "chief": False, "donor": None, "focal_of_another_service": None,
         "focal_elsewhere": None}


def focal_expected(state: str):
    if state == "reported":
        return None  # nothing was sent to the service yet
    return state != "referral_declined"


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("who", [*sorted(NAMES), "focal_of_the_service"])
def test_who_reads_the_names_in_each_state(client, login, people, make_case, make_user,
                                           directory, state, who):
    case, referral = _gbv_in(state, people, make_case, directory)
    # The service the referral went to ("next_door" for the declined one), and another one.
    ours, theirs = ("next_door", "here") if state == "referral_declined" else ("here",
                                                                              "next_door")
    user = {"team_mediator": people.mediator, "coordinator": people.coordinator,
            "other_mediator": make_user((people.commune, "mediator")),
            "mayor": people.mayor, "chief": people.chief,
            "donor": make_user((people.commune, "donor")),
            "focal_of_the_service": directory[ours][1],
            "focal_of_another_service": directory[theirs][1],
            "focal_elsewhere": directory["elsewhere"][1]}[who]
    login(user)
    case_page = client.get(f"/cases/{case.reference}")
    pages = [case_page] + ([client.get(f"/referrals/{referral.id}")] if referral else [])
    opened = [page for page in pages if page.status_code == 200]
    expected = focal_expected(state) if who == "focal_of_the_service" else NAMES[who]
    if who.startswith("focal"):
        assert case_page.status_code == 404  # a focal point never opens the case itself
    if expected is None:
        assert all(SURVIVOR not in text(page) for page in opened)
        if who != "donor":
            assert not opened
        return
    assert opened, who
    assert any(SURVIVOR in text(page) for page in opened) is expected
