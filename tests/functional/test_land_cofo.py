"""A land case (workflows/definitions/land.v1.yaml): mediated as any case first; with no
agreement, referred to its commune's land commission (COFO) through a referral record; the
COFO's conciliation record entered by its focal point (from the referral) or by the team's
mediator, with its PV; conciliated, the case goes on to closing; not conciliated, to the
tribunal, where Palabre's part ends. Run on SQLite and PostgreSQL alike."""
from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import select

from casework.errors import Conflict, InvalidInput, NotPermitted
from casework.extensions import db
from casework.models import Attachment, CofoConciliation, Event, Referral, ServiceFocalPoint
from casework.services import transitions
from casework.services.transitions import TransitionInput
from tests import filesamples as samples
from tests.dates import typed
from tests.factories import advance
from tests.referral_factories import cofo_record

from .pages import hidden_fields, submit, text


def trail(case) -> list[tuple[str, str | None]]:
    """The case's events, each with the state it moved to (when it moved)."""
    return [(e.kind, (e.data or {}).get("to_state"))
            for e in db.session.scalars(select(Event).where(Event.case_id == case.id)
                                        .order_by(Event.id))]


def the_referral(case) -> Referral:
    return db.session.scalar(select(Referral).where(Referral.case_id == case.id))


def test_a_land_case_takes_the_land_workflow_and_another_type_mediation(make_case):
    assert (make_case().workflow, make_case().workflow_version) == ("land", 1)
    other = make_case(conflict_type="farmer_herder")
    assert (other.workflow, other.workflow_version) == ("mediation", 2)


def test_a_land_case_with_an_agreement_goes_as_any_mediation(make_case):
    case = make_case("closed")
    assert (case.workflow, case.status) == ("land", "closed")
    assert [state for kind, state in trail(case) if state] == [
        "in_mediation", "resolved", "followed_up", "closed"]


def test_the_road_to_the_cofo_and_back_with_its_pv(client, login, people, make_case,
                                                   land_commissions):
    service, focal = land_commissions["cofo"]
    case = make_case("in_mediation")
    login(people.mediator)
    # The mediation fails: the team logs its step, then refers the case to the COFO.
    url = f"/cases/{case.reference}/actions/refer_to_cofo"
    assert "Orienter vers la COFO" in text(client.get(f"/cases/{case.reference}"))
    advance(people, case, "step")
    db.session.commit()
    response = submit(client, url, {
        "note": "Pas d'accord sur la limite du champ.", "consent": "given",
        "consent_by": "Les deux familles", "consent_how": "oral", "consent_on": typed(0)})
    assert response.status_code == 302, text(response)
    referral = the_referral(case)
    assert (case.status, referral.service_id, referral.status) == ("at_cofo", service.id,
                                                                   "sent")
    assert referral.answer_by.isoformat() == typed(15)  # the definition's answer_days

    # The COFO's focal point opens the referral and enters the record, with the PV.
    client = login(focal, client)
    page = text(client.get(f"/referrals/{referral.id}"))
    assert "Saisir le PV de la COFO" in page
    url = f"/referrals/{referral.id}/actions/record_cofo_conciliation"
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(url, data={
        **hidden_fields(form.get_data(as_text=True)), "conciliation_date": typed(0),
        "cofo_outcome": "reached", "pv_number": "PV-07/2026", "note": "Bornage accepté.",
        "pv_file": (io.BytesIO(samples.pdf()), "pv cofo.pdf", "application/pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302, text(response)
    db.session.expire_all()
    record = db.session.scalar(select(CofoConciliation).where(
        CofoConciliation.case_id == case.id))
    assert (record.outcome, record.pv_number, record.referral_id, record.recorded_by_id) == (
        "reached", "PV-07/2026", referral.id, focal.id)
    assert record.conciliation_date.isoformat() == typed(0)
    attachment = db.session.get(Attachment, record.attachment_id)
    assert (attachment.case_id, attachment.content_type) == (case.id, "application/pdf")
    assert case.status == "conciliated_by_cofo"
    assert (referral.status, referral.outcome_by_id) == ("outcome_recorded", focal.id)
    assert "PV-07/2026" in referral.outcome
    # The record is done: the focal point may not enter another one.
    assert client.get(url).status_code == 403

    # The team reads it on the case's page, and downloads the PV like any file of the case.
    client = login(people.mediator, client)
    shown = text(client.get(f"/cases/{case.reference}"))
    assert "Conciliation par la commission foncière (COFO)" in shown
    assert "Conciliation obtenue" in shown and "PV-07/2026" in shown
    assert "Concilié par la COFO" in shown
    download = client.get(f"/cases/{case.reference}/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")

    # The coordination closes it.
    transitions.fire(people.coordinator, case, "close", TransitionInput(note="Bornage fait."))
    db.session.commit()
    assert case.status == "closed"
    assert [step for step in trail(case) if step[0] != "case.viewed"] == [
        ("case.reported", None), ("case.team_assigned", None),
        ("case.transition", "in_mediation"), ("case.step_logged", None),
        ("case.transition", "at_cofo"), ("referral.sent", None),
        ("case.transition", "back_from_cofo"), ("case.attachment_added", None),
        ("cofo.conciliation_recorded", None), ("referral.outcome_recorded", None),
        ("case.transition", "conciliated_by_cofo"),
        ("case.attachment_downloaded", None), ("case.transition", "closed")]


def test_the_cofo_fails_and_the_case_ends_at_the_tribunal(people, make_case,
                                                          land_commissions):
    case = make_case("at_cofo")
    referral = the_referral(case)
    assert referral.service_id == land_commissions["cofo"][0].id
    # The team's mediator enters the record (the COFO gave it to them).
    transitions.fire(people.mediator, case, "record_cofo_conciliation", cofo_record(
        cofo_outcome="failed", pv_number="", note="Les parties maintiennent leurs positions."))
    db.session.commit()
    assert case.status == "referred_to_tribunal"
    record = case.cofo_conciliations[-1]
    assert (record.outcome, record.pv_number, record.attachment_id) == ("failed", None, None)
    assert referral.status == "outcome_recorded"
    assert [(kind, state) for kind, state in trail(case)] == [
        ("case.reported", None), ("case.team_assigned", None),
        ("case.transition", "in_mediation"), ("case.step_logged", None),
        ("case.transition", "at_cofo"), ("referral.sent", None),
        ("case.transition", "back_from_cofo"), ("cofo.conciliation_recorded", None),
        ("referral.outcome_recorded", None), ("case.transition", "referred_to_tribunal")]
    moved = db.session.scalar(select(Event).where(
        Event.case_id == case.id, Event.kind == "case.transition").order_by(Event.id.desc()))
    assert moved.data.get("automatic") is True
    # A final state: nothing more is offered, to anyone.
    with pytest.raises(Conflict):
        transitions.fire(people.coordinator, case, "close", TransitionInput(note="?"))


def test_a_commune_without_a_cofo_in_the_directory_cannot_refer_to_it(client, login, people,
                                                                      make_case):
    case = make_case("in_mediation")
    advance(people, case, "step")
    db.session.commit()
    login(people.mediator)
    response = submit(client, f"/cases/{case.reference}/actions/refer_to_cofo", {
        "note": "Pas d'accord.", "consent": "refused"})
    assert response.status_code == 400
    assert "n'a pas de commission foncière (COFO) dans l'annuaire" in text(response)
    assert case.status == "in_mediation" and the_referral(case) is None


@pytest.mark.parametrize("changed, field, error", [
    ({"conciliation_date": typed(1)}, "conciliation_date", "après aujourd'hui"),
    ({"conciliation_date": typed(-1)}, "conciliation_date", "avant l'orientation vers la COFO"),
    ({"pv_number": ""}, "pv_number", "Indiquez le numéro du PV de conciliation"),
    ({"cofo_outcome": ""}, "cofo_outcome", "Ce champ est requis"),
    ({"conciliation_date": ""}, "conciliation_date", "Ce champ est requis"),
])
def test_the_record_is_checked_in_french_and_keeps_what_was_typed(
        client, login, people, make_case, land_commissions, changed, field, error):
    case = make_case("at_cofo")
    login(people.mediator)
    form = {"conciliation_date": typed(0), "cofo_outcome": "reached",
            "pv_number": "PV-3/2026", "note": "Observations à garder."}
    form.update(changed)
    response = submit(client, f"/cases/{case.reference}/actions/record_cofo_conciliation",
                      form)
    assert response.status_code == 400
    page = text(response)
    assert error in page and "Observations à garder." in page
    db.session.expire_all()
    assert case.status == "at_cofo" and not case.cofo_conciliations


def test_a_failed_conciliation_needs_no_pv_number(people, make_case, land_commissions):
    case = make_case("at_cofo")
    with pytest.raises(InvalidInput):
        transitions.fire(people.mediator, case, "record_cofo_conciliation",
                         cofo_record(pv_number=""))
    db.session.rollback()
    transitions.fire(people.mediator, case, "record_cofo_conciliation",
                     cofo_record(pv_number="", cofo_outcome="failed"))
    assert case.status == "referred_to_tribunal"


def test_a_pv_that_is_not_a_pdf_or_image_is_refused_as_any_file(client, login, people,
                                                                make_case, land_commissions):
    case = make_case("at_cofo")
    login(people.mediator)
    url = f"/cases/{case.reference}/actions/record_cofo_conciliation"
    page = client.get(url)
    response = client.post(url, data={
        **hidden_fields(page.get_data(as_text=True)), "conciliation_date": typed(0),
        "cofo_outcome": "reached", "pv_number": "PV-1", "note": "Gardé.",
        "pv_file": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "pv.pdf", "application/pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    shown = text(response)
    assert "Envoyez un PDF, une photo JPEG ou une image PNG." in shown and "Gardé." in shown
    db.session.expire_all()
    assert case.status == "at_cofo"
    assert db.session.scalar(select(Attachment).where(Attachment.case_id == case.id)) is None


# Who may enter the COFO's record on a case at the COFO of `people`'s commune: the team's
# mediator and the focal point of that COFO; no one else (the coordination closes the case
# afterwards, it does not speak for the COFO).
RECORDERS = [
    ("team_mediator", True), ("cofo_focal_point", True),
    ("other_mediator", False), ("coordinator", False), ("mayor", False), ("chief", False),
    ("cofo_focal_point_elsewhere", False), ("health_centre_focal_point", False),
    ("donor", False), ("foreign_mediator", False),
]


@pytest.mark.parametrize("who, allowed", RECORDERS)
def test_who_enters_the_cofo_record(people, elsewhere, make_case, make_user, cast,
                                    land_commissions, who, allowed):
    case = make_case("at_cofo")
    actor = {"cofo_focal_point": land_commissions["cofo"][1],
             "cofo_focal_point_elsewhere": land_commissions["cofo_elsewhere"][1],
             "health_centre_focal_point": land_commissions["health_centre"][1],
             "donor": make_user((people.commune, "donor"))}.get(who) or cast[who]
    if allowed:
        transitions.fire(actor, case, "record_cofo_conciliation", cofo_record())
        assert case.status == "conciliated_by_cofo"
        assert case.cofo_conciliations[-1].recorded_by_id == actor.id
    else:
        with pytest.raises(NotPermitted):
            transitions.fire(actor, case, "record_cofo_conciliation", cofo_record())
        assert case.status == "at_cofo"


@pytest.mark.parametrize("who, listing, form", [
    ("cofo_focal_point", 200, 200), ("cofo_focal_point_elsewhere", 200, 404),
    ("health_centre_focal_point", 200, 404), ("team_mediator", 403, 403),
    ("coordinator", 403, 403),
])
def test_the_record_page_of_a_referral_opens_for_its_cofo_only(
        client, login, people, make_case, cast, land_commissions, who, listing, form):
    case = make_case("at_cofo")
    referral = the_referral(case)
    actor = {"cofo_focal_point": land_commissions["cofo"][1],
             "cofo_focal_point_elsewhere": land_commissions["cofo_elsewhere"][1],
             "health_centre_focal_point": land_commissions["health_centre"][1]}.get(who) \
        or cast[who]
    login(actor)
    assert client.get("/referrals").status_code == listing
    url = f"/referrals/{referral.id}/actions/record_cofo_conciliation"
    assert client.get(url).status_code == form
    response = client.post(url, data={"conciliation_date": typed(0),
                                      "cofo_outcome": "reached", "pv_number": "PV-9"})
    assert response.status_code in ((302, 400) if form == 200 else (form,))
    # A focal point reaches no page of the case itself; the team and coordination do.
    seen = client.get(f"/cases/{case.reference}").status_code
    assert seen in ((200,) if who in ("team_mediator", "coordinator") else (403, 404))


def test_a_declined_cofo_referral_leaves_the_record_to_the_mediator(people, make_case,
                                                                     land_commissions):
    from casework.services import referrals
    case = make_case("at_cofo")
    referral = the_referral(case)
    service, focal = land_commissions["cofo"]
    referrals.decline(focal, referral, "Dossier incomplet : revenir avec les témoins.")
    with pytest.raises(NotPermitted):
        transitions.fire(focal, case, "record_cofo_conciliation", cofo_record())
    transitions.fire(people.mediator, case, "record_cofo_conciliation", cofo_record(
        conciliation_date=date.fromisoformat(typed(0))))
    assert case.status == "conciliated_by_cofo"
    assert referral.status == "declined"  # its answer stands



def test_a_focal_point_taken_off_the_cofo_no_longer_enters_its_record(people, make_case,
                                                                       land_commissions):
    case = make_case("at_cofo")
    service, focal = land_commissions["cofo"]
    point = db.session.scalar(select(ServiceFocalPoint).where(
        ServiceFocalPoint.user_id == focal.id))
    db.session.delete(point)
    db.session.commit()
    db.session.expire_all()  # a new request reads the focal point's services again
    with pytest.raises(NotPermitted):
        transitions.fire(focal, case, "record_cofo_conciliation", cofo_record())
    assert case.status == "at_cofo" and not case.cofo_conciliations


def test_someone_who_may_not_enter_the_record_gets_no_file_stored(client, login, people,
                                                                   make_case, cast,
                                                                   land_commissions):
    case = make_case("at_cofo")
    login(cast["other_mediator"])
    url = f"/cases/{case.reference}/actions/record_cofo_conciliation"
    assert client.get(url).status_code == 403
    response = client.post(url, data={
        "version": case.version, "conciliation_date": typed(0), "cofo_outcome": "reached",
        "pv_number": "PV-2", "pv_file": (io.BytesIO(samples.pdf()), "pv.pdf",
                                         "application/pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 403
    db.session.expire_all()
    assert case.status == "at_cofo"
    assert db.session.scalar(select(Attachment).where(Attachment.case_id == case.id)) is None
