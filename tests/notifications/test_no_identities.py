"""No message carries a party's name, the reporter's or the facts: only the reference and
what to do. Checked on every message written, and the check itself is shown to refuse."""
import pytest
from sqlalchemy import select

from casework.clock import utcnow
from casework.extensions import db
from casework.models import Notification
from casework.notifications import messages
from casework.services.notifications import collect

from .conftest import SECRET_FACTS, SECRET_NAMES, SECRET_REPORTER

SECRETS = (*SECRET_NAMES, SECRET_REPORTER, SECRET_FACTS, "Zoumanabélé", "Ouattarakoumba",
           "Mamoutoubalé", "Diarrassouba", "Kola")  # Kola: the village


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_message_names_anyone_or_tells_the_facts(reachable, secret_case, smtp_server,
                                                    sms_gateway, language):
    for person in (reachable.mediator, reachable.mayor, reachable.chief, reachable.coordinator):
        person.language = language
    cases = [secret_case("proposed"), secret_case("resolved", days_ago=29),
             secret_case("in_mediation", days_ago=70), secret_case("reported", days_ago=20)]
    collect(utcnow())
    db.session.commit()
    rows = list(db.session.scalars(select(Notification)))
    assert {r.kind for r in rows} == {"signoff_awaited", "follow_up_due", "past_time_limit"}
    assert {r.channel for r in rows} == {"email", "sms"}
    for row in rows:
        text = f"{row.subject}\n{row.body}".lower()
        assert not [secret for secret in SECRETS if secret.lower() in text], row.body
        assert any(case.reference in row.body for case in cases)


@pytest.mark.parametrize("leak", [SECRET_NAMES[0], SECRET_NAMES[1].upper(), SECRET_REPORTER,
                                  SECRET_FACTS, "zoumanabele kouyatessi"])
def test_a_text_that_would_name_a_party_is_refused(people, secret_case, leak):
    case = secret_case("proposed")
    with pytest.raises(messages.IdentityLeak):
        messages.refuse_identities(case, "Palabre : dossier", f"Voir {leak} au plus vite")


def test_compose_refuses_what_the_check_refuses(people, secret_case, monkeypatch):
    case = secret_case("proposed")
    facts = messages.facts_of("signoff_awaited", case, proposal_id=case.pending_proposal.id)
    monkeypatch.setattr(messages, "_what_to_do", lambda *_args: (
        "Sujet", f"Le dossier de {case.parties[0].name}", "SMS"))
    with pytest.raises(messages.IdentityLeak):
        messages.compose("signoff_awaited", "email", case, facts, "fr")


def test_a_refused_message_is_not_queued(reachable, secret_case, smtp_server, monkeypatch):
    case = secret_case("proposed")
    monkeypatch.setattr(messages, "_what_to_do", lambda *_args: (
        "Sujet", f"Les faits : {case.description}", "SMS"))
    assert collect(utcnow()) == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_nor_do_the_rejection_the_reminder_and_the_escalation(reachable, secret_case,
                                                               smtp_server, sms_gateway,
                                                               language):
    from datetime import timedelta

    from casework.services import signoffs
    for person in (reachable.mediator, reachable.mayor, reachable.chief, reachable.coordinator):
        person.language = language
    waiting, rejected = secret_case("proposed"), secret_case("proposed")
    signoffs.sign_off(reachable.chief, rejected.pending_proposal, "reject",
                      f"{SECRET_NAMES[0]} n'a pas été entendue à Kola.")
    collect(utcnow() + timedelta(days=8))
    db.session.commit()
    rows = list(db.session.scalars(select(Notification)))
    assert {"proposal_rejected", "signoff_reminder", "signoff_escalated"} <= {r.kind for r in rows}
    for row in rows:
        text = f"{row.subject}\n{row.body}".lower()
        assert not [secret for secret in SECRETS if secret.lower() in text], row.body
        assert waiting.reference in row.body or rejected.reference in row.body
