"""Proposals and sign-offs: both roles of the case's commune, never one's own, never twice;
a rejection leaves the case where it was."""
import io

import pytest
from sqlalchemy import select

from casework.extensions import db
from casework.models import Attachment
from casework.services import steps, team, transitions
from casework.services.transitions import TransitionInput
from tests import filesamples
from tests.factories import advance, step_input

from .pages import hidden_fields, submit, text


@pytest.fixture
def proposed(people, make_case):
    case = make_case("in_mediation")
    advance(people, case, "step")
    advance(people, case, "propose")
    db.session.commit()
    return case


def sign(app, login, user, case, decision="approve", comment="Vu."):
    client = login(user, app.test_client())
    url = f"/cases/{case.reference}/proposals/{case.pending_proposal.id}/sign-off"
    return submit(client, url, {"decision": decision, "comment": comment})


@pytest.mark.parametrize("order", [("mayor", "chief"), ("chief", "mayor")])
def test_the_transition_fires_only_after_both_signoffs(app, login, people, proposed, order):
    first, second = (getattr(people, name) for name in order)
    assert sign(app, login, first, proposed).status_code == 302
    db.session.refresh(proposed)
    assert proposed.status == "in_mediation"
    assert proposed.pending_proposal.awaited_roles == [
        {"mayor": "commune_authority", "chief": "traditional_leader"}[order[1]]]
    assert sign(app, login, second, proposed).status_code == 302
    db.session.refresh(proposed)
    assert proposed.status == "resolved"
    assert proposed.current_agreement.status == "approved"


def test_a_rejection_ends_the_proposal_and_the_case_stays(app, login, people, proposed):
    proposal = proposed.pending_proposal
    assert sign(app, login, people.mayor, proposed).status_code == 302
    response = sign(app, login, people.chief, proposed, "reject", "Le partage lèse la famille.")
    assert response.status_code == 302
    db.session.refresh(proposed)
    assert proposed.status == "in_mediation"
    assert proposal.status == "rejected" and proposed.pending_proposal is None
    page = text(login(people.mediator, app.test_client()).get(f"/cases/{proposed.reference}"))
    assert "Rejeté" in page and "Le partage lèse la famille." in page
    assert f"/cases/{proposed.reference}/actions/resolve" in page  # a new proposal may follow


def test_a_rejection_needs_a_reason_and_keeps_the_form(app, login, people, proposed):
    response = sign(app, login, people.mayor, proposed, "reject", "")
    assert response.status_code == 400
    assert "Dites pourquoi vous rejetez la proposition." in text(response)
    db.session.refresh(proposed)
    assert proposed.pending_proposal.signoffs == []


def test_nobody_signs_off_their_own_proposal(app, login, people, make_user, make_case):
    # A mayor who is also a mediator of the commune proposes; they cannot sign it.
    both = make_user((people.commune, "mediator"), (people.commune, "commune_authority"))
    case = make_case("reported")
    team.assign_team(both, case, [both.id])
    transitions.fire(both, case, "start_mediation")
    steps.log_step(both, case, step_input())
    transitions.fire(both, case, "resolve", TransitionInput(agreement_text="Accord."))
    db.session.commit()
    client = login(both, app.test_client())
    url = f"/cases/{case.reference}/proposals/{case.pending_proposal.id}/sign-off"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"decision": "approve"}).status_code == 403
    assert "/sign-off" not in text(client.get(f"/cases/{case.reference}"))


@pytest.mark.parametrize("who", ["mediator", "coordinator"])
def test_only_the_required_roles_sign(app, login, people, proposed, who):
    client = login(getattr(people, who), app.test_client())
    url = f"/cases/{proposed.reference}/proposals/{proposed.pending_proposal.id}/sign-off"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"decision": "approve"}).status_code == 403
    db.session.refresh(proposed)
    assert proposed.pending_proposal.signoffs == []


def test_signing_twice_is_a_conflict(app, login, people, proposed):
    client = login(people.mayor, app.test_client())
    url = f"/cases/{proposed.reference}/proposals/{proposed.pending_proposal.id}/sign-off"
    assert client.post(url, data={"decision": "approve"}).status_code == 302
    again = client.post(url, data={"decision": "approve"})
    assert again.status_code == 409
    db.session.refresh(proposed)
    assert len(proposed.pending_proposal.signoffs) == 1


def open_signoff(app, login, user, case):
    client = login(user, app.test_client())
    url = f"/cases/{case.reference}/proposals/{case.pending_proposal.id}/sign-off"
    return client, url, hidden_fields(client.get(url).get_data(as_text=True))


def test_the_other_roles_approval_meanwhile_does_not_make_a_signoff_form_stale(
        app, login, people, proposed):
    client, url, opened = open_signoff(app, login, people.mayor, proposed)
    assert sign(app, login, people.chief, proposed).status_code == 302  # version moves on
    response = client.post(url, data={**opened, "decision": "approve", "comment": "Vu."})
    assert response.status_code == 302
    db.session.refresh(proposed)
    assert proposed.status == "resolved"
    assert proposed.current_agreement.signed_roles == {"commune_authority",
                                                       "traditional_leader"}


def test_files_downloaded_or_attached_meanwhile_leave_a_signoff_form_good(
        app, login, people, proposed, tmp_path, monkeypatch):
    # The chief opens the form, the mayor approves, the mediator downloads the photo of the
    # case and attaches the scanned agreement: the chief's approval still counts, for none of
    # that changed the proposal.
    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(tmp_path / "files"))
    mediator = login(people.mediator, app.test_client())

    def attach(data, name, kind):
        return mediator.post(f"/cases/{proposed.reference}/attachments", data={
            "file": (io.BytesIO(data), name, kind), "description": ""})

    assert attach(filesamples.jpeg_with_gps(), "champ.jpg", "image/jpeg").status_code == 302
    client, url, opened = open_signoff(app, login, people.chief, proposed)
    assert sign(app, login, people.mayor, proposed).status_code == 302
    photo = db.session.scalar(select(Attachment.id).where(Attachment.case_id == proposed.id))
    assert mediator.get(f"/cases/{proposed.reference}/attachments/{photo}").status_code == 200
    assert attach(filesamples.pdf(), "accord.pdf", "application/pdf").status_code == 302
    response = client.post(url, data={**opened, "decision": "approve", "comment": "Vu."})
    assert response.status_code == 302
    db.session.refresh(proposed)
    assert proposed.status == "resolved"


def test_a_step_meanwhile_leaves_a_signoff_form_good(app, login, people, proposed):
    client, url, opened = open_signoff(app, login, people.mayor, proposed)
    steps.log_step(people.mediator, proposed, step_input(summary="Une famille se retire."))
    db.session.commit()
    response = client.post(url, data={**opened, "decision": "approve", "comment": "Vu."})
    assert response.status_code == 302
    assert [s.role for s in proposed.pending_proposal.signoffs] == ["commune_authority"]


def test_a_change_to_the_proposal_meanwhile_makes_a_signoff_form_stale(
        app, login, people, proposed):
    client, url, opened = open_signoff(app, login, people.mayor, proposed)
    proposal = proposed.pending_proposal
    proposal.agreement_text = "Le champ revient à la famille Traoré."  # its terms corrected
    db.session.commit()
    response = client.post(url, data={**opened, "decision": "approve", "comment": "Vu."})
    assert response.status_code == 409
    assert "a été modifié par quelqu'un d'autre" in text(response)
    assert "Vu." in text(response)
    db.session.refresh(proposed)
    assert proposed.pending_proposal.signoffs == []


def test_a_second_proposal_while_one_waits_is_a_conflict(app, login, people, proposed):
    client = login(people.mediator, app.test_client())
    response = client.post(f"/cases/{proposed.reference}/actions/resolve",
                           data={"agreement_text": "Autre texte"})
    assert response.status_code in (403, 409)
    db.session.refresh(proposed)
    assert len(proposed.proposals) == 1


def test_the_mayor_sees_the_proposal_in_my_work(app, login, people, elsewhere, proposed):
    assert proposed.reference in text(login(people.mayor, app.test_client()).get("/"))
    assert proposed.reference in text(login(people.chief, app.test_client()).get("/"))
    assert proposed.reference not in text(login(elsewhere.mayor, app.test_client()).get("/"))
    assert "Signatures qui m'attendent" not in text(login(people.mediator,
                                                        app.test_client()).get("/"))
