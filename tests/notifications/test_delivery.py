"""deliver(): e-mail to a real SMTP server, SMS to a gateway, retries with back-off, and never
the same message twice."""
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.clock import utcnow
from casework.extensions import db
from casework.models import Notification
from casework.notifications import outbox
from casework.services.notifications import collect

from .conftest import free_port


def rows():
    return list(db.session.scalars(select(Notification).order_by(Notification.id)))


def test_an_email_arrives_in_french_with_the_reference_and_the_link(
        reachable, secret_case, smtp_server, app, monkeypatch, capsys):
    monkeypatch.setitem(app.config, "PALABRE_PUBLIC_URL", "https://palabre.example.ml")
    case = secret_case("proposed")
    now = utcnow()
    collect(now)
    db.session.commit()
    outcome = outbox.deliver(now)
    assert (outcome.sent, outcome.retry, outcome.failed) == (2, 0, 0)
    received = {m["to"][0]: m for m in smtp_server.messages}
    assert set(received) == {reachable.mayor.email, reachable.chief.email}
    mail = received[reachable.mayor.email]
    message = mail["message"]
    assert mail["from"] == "palabre@mairie-test.ml"
    assert message["Subject"] == f"Palabre : le dossier {case.reference} attend votre signature"
    body = message.get_content()
    proposal = case.pending_proposal
    assert (f"Un accord est proposé pour le dossier {case.reference} et attend votre signature"
            in body)
    assert (f"https://palabre.example.ml/cases/{case.reference}/proposals/{proposal.id}/sign-off"
            in body)
    assert all(r.status == "sent" and r.sent_at == now and r.attempts == 1 for r in rows())
    with capsys.disabled():
        print("\n--- e-mail as received by the SMTP server ---\n"
              + mail["raw"].decode("utf-8", "replace"))


def test_an_english_speaker_gets_english(reachable, secret_case, smtp_server):
    reachable.chief.language = "en"
    db.session.commit()
    case = secret_case("proposed")
    collect(utcnow())
    outbox.deliver(utcnow())
    subjects = {m["to"][0]: m["message"]["Subject"] for m in smtp_server.messages}
    assert subjects[reachable.chief.email] == f"Palabre: case {case.reference} awaits your sign-off"


def test_an_sms_goes_to_the_gateway_as_json_with_the_token(reachable, secret_case, sms_gateway,
                                                           no_channels, app, monkeypatch, capsys):
    monkeypatch.setitem(app.config, "SMS_GATEWAY_URL", sms_gateway.url)
    case = secret_case("resolved", days_ago=28)
    collect(utcnow())
    outcome = outbox.deliver(utcnow())
    assert outcome.sent == 1
    [request] = sms_gateway.requests
    assert request["path"] == "/v1/sms"
    assert request["headers"]["Authorization"] == "Bearer test-gateway-token"
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert request["json"]["to"] == reachable.mediator.phone
    text = request["json"]["text"]
    assert text.startswith(f"Palabre : visite à 30 jours du dossier {case.reference} prévue le ")
    assert len(text) < 160
    with capsys.disabled():
        print("\n--- HTTP request received by the SMS gateway ---\nPOST "
              + request["path"] + "\n" + "\n".join(f"{k}: {v}" for k, v in
                                                  request["headers"].items())
              + "\n\n" + request["raw"].decode("utf-8"))


def test_an_sms_stays_short_with_a_long_public_address(reachable, secret_case, sms_gateway,
                                                       no_channels, app, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_GATEWAY_URL", sms_gateway.url)
    monkeypatch.setitem(app.config, "PALABRE_PUBLIC_URL", "https://" + "palabre." * 12 + "ml")
    case = secret_case("in_mediation", days_ago=70)
    for row in collect(utcnow()):
        assert len(row.body) < 160 and case.reference in row.body


def test_smtp_down_means_retry_later_with_back_off(reachable, secret_case, smtp_server, app,
                                                   monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nothing listens there
    secret_case("resolved", days_ago=28)
    now = utcnow()
    collect(now)
    outcome = outbox.deliver(now)
    assert (outcome.sent, outcome.retry) == (0, 1)
    [row] = rows()
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "ConnectionRefusedError")
    assert row.next_attempt_at == now + timedelta(minutes=1)
    assert outbox.deliver(now + timedelta(seconds=30)).ids == []  # not due yet
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp_server.port)  # the server is back
    assert outbox.deliver(now + timedelta(minutes=1)).sent == 1
    db.session.refresh(row)
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)
    assert len(smtp_server.messages) == 1


def test_a_gateway_error_backs_off_then_gives_up(reachable, secret_case, sms_gateway,
                                                 no_channels, app, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_GATEWAY_URL", sms_gateway.url)
    sms_gateway.status = 500
    secret_case("resolved", days_ago=28)
    now = utcnow()
    collect(now)
    [row] = rows()
    waits = []
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        assert outbox.deliver(now).ids == [row.id]
        db.session.refresh(row)
        assert row.attempts == attempt and row.last_error == "gateway answered HTTP 500"
        if row.status == "pending":
            waits.append(row.next_attempt_at - now)
            now = row.next_attempt_at
    assert waits == list(outbox.BACKOFF)
    assert row.status == "failed"
    assert outbox.deliver(now + timedelta(days=30)).ids == []
    assert len(sms_gateway.requests) == outbox.MAX_ATTEMPTS


def test_a_sent_message_is_never_sent_again(reachable, secret_case, smtp_server):
    secret_case("proposed")
    now = utcnow()
    collect(now)
    first = outbox.deliver(now)
    assert first.sent == 2
    for row_id in first.ids:  # even when asked for by id (a duplicate in the queue)
        assert outbox.deliver_one(row_id, now + timedelta(days=1)) == "taken"
    collect(now + timedelta(hours=1))
    assert outbox.deliver(now + timedelta(days=1)).ids == []
    assert len(smtp_server.messages) == 2


def test_a_claimed_row_is_not_claimed_again(reachable, secret_case, smtp_server):
    secret_case("in_mediation", days_ago=70)
    now = utcnow()
    row = collect(now)[0]
    assert outbox.claim(row.id, now) is True
    assert outbox.claim(row.id, now) is False
    assert outbox.deliver_one(row.id, now) == "taken"
    assert smtp_server.messages == []


def test_a_send_interrupted_midway_is_not_repeated(reachable, secret_case, smtp_server):
    secret_case("in_mediation", days_ago=70)
    now = utcnow()
    row = collect(now)[0]
    assert outbox.claim(row.id, now)  # then the sender dies before marking it
    assert row.id not in outbox.deliver(now + timedelta(minutes=30)).ids
    assert row.id not in outbox.deliver(now + outbox.STUCK_AFTER).ids
    db.session.refresh(row)
    assert row.status == "failed" and row.last_error.startswith("interrupted")
    assert all(m["to"][0] != row.user.email for m in smtp_server.messages)


def test_someone_whose_address_was_removed_is_not_written_to(reachable, secret_case,
                                                             smtp_server):
    secret_case("resolved", days_ago=28)
    row = collect(utcnow())[0]
    reachable.mediator.email = None
    db.session.commit()
    assert outbox.deliver_one(row.id, utcnow()) == "failed"
    assert smtp_server.messages == []


@pytest.mark.parametrize("status", [400, 401, 503])
def test_the_gateway_answer_is_not_kept(reachable, secret_case, sms_gateway, no_channels, app,
                                        monkeypatch, status):
    monkeypatch.setitem(app.config, "SMS_GATEWAY_URL", sms_gateway.url)
    sms_gateway.status = status
    secret_case("resolved", days_ago=28)
    row = collect(utcnow())[0]
    outbox.deliver(utcnow())
    db.session.refresh(row)
    assert row.last_error == f"gateway answered HTTP {status}"
    assert "error" not in json.dumps(row.last_error)
