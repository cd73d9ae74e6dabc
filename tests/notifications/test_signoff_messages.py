"""A rejection tells the proposer and the team at once; an agreement still unsigned reminds
who must sign after the workflow's `reminder_days`, then tells the coordinators after its
`escalation_days`: each once, through the outbox to a real SMTP server; and each person
chooses on their account page which of these messages they get by e-mail or SMS."""
from datetime import timedelta

from sqlalchemy import select

from casework.clock import utcnow
from casework.extensions import db
from casework.models import Event, Notification, NotificationPreference
from casework.notifications import outbox
from casework.services import signoffs, team
from casework.services.notifications import collect
from casework.workflow_registry import engine

from .conftest import SECRET_FACTS, SECRET_NAMES, SECRET_REPORTER, reach

REJECTION = "Zoumanabélé Kouyatéssi n'a pas été entendue, le chef de Kola non plus."
SECRETS = (*SECRET_NAMES, SECRET_REPORTER, SECRET_FACTS, "Zoumanabélé", "Kouyatéssi", REJECTION)


def rows(kind):
    return list(db.session.scalars(select(Notification).where(Notification.kind == kind)
                                   .order_by(Notification.id)))


def received(smtp_server, subject_part):
    return [m for m in smtp_server.messages if subject_part in m["message"]["Subject"]]


def assert_nothing_secret(*texts):
    said = "\n".join(texts).lower()
    assert not [s for s in SECRETS if s.lower() in said], said


def resolve_days():
    transition = engine().get("mediation", 1).transition("resolve")
    return transition.reminder_days, transition.escalation_days


def test_a_rejection_tells_the_proposer_and_the_team_once(reachable, make_user, secret_case,
                                                           smtp_server, sms_gateway):
    case = secret_case("proposed")
    colleague = reach(make_user((reachable.commune, "mediator")))
    team.assign_team(reachable.mediator, case, [reachable.mediator.id, colleague.id])
    db.session.commit()

    signoffs.sign_off(reachable.chief, case.pending_proposal, "reject", REJECTION)
    db.session.commit()

    told = rows("proposal_rejected")
    assert {(r.user_id, r.channel) for r in told} == {
        (user.id, channel) for user in (reachable.mediator, colleague)
        for channel in ("email", "sms")}
    for row in told:
        assert_nothing_secret(row.subject, row.body)
    sms = next(r for r in told if r.channel == "sms" and r.user_id == colleague.id)
    assert sms.body.startswith(f"Palabre : l'accord proposé pour le dossier {case.reference} "
                               "a été rejeté : ouvrez le dossier.")

    now = utcnow()
    outbox.deliver(now)
    collect(now + timedelta(hours=1))
    outbox.deliver(now + timedelta(hours=1))
    mails = received(smtp_server, "a été rejeté")
    assert sorted(m["to"][0] for m in mails) == sorted([reachable.mediator.email,
                                                        colleague.email])
    body = mails[0]["message"].get_content()
    assert (f"L'accord proposé pour le dossier {case.reference} a été rejeté : ouvrez le "
            "dossier" in body)
    assert_nothing_secret(mails[0]["message"]["Subject"], body)
    assert len(sms_gateway.requests) == 2


def test_an_unsigned_agreement_reminds_then_escalates_each_once(reachable, secret_case,
                                                                 smtp_server):
    reminder, escalation = resolve_days()
    case = secret_case("proposed")
    start = utcnow()
    collect(start)
    assert {r.kind for r in rows_all()} == {"signoff_awaited"}
    collect(start + timedelta(days=reminder) - timedelta(hours=1))
    assert rows("signoff_reminder") == []

    later = start + timedelta(days=reminder, hours=1)
    collect(later)
    assert {r.user_id for r in rows("signoff_reminder")} == {reachable.mayor.id,
                                                             reachable.chief.id}
    assert rows("signoff_escalated") == []
    collect(later + timedelta(days=1))  # asked again: still once
    assert len(rows("signoff_reminder")) == 2

    latest = start + timedelta(days=escalation, hours=1)
    collect(latest)
    collect(latest + timedelta(days=2))
    [escalated] = rows("signoff_escalated")
    assert escalated.user_id == reachable.coordinator.id and escalated.case_id == case.id
    assert f"plus de {escalation} jours" in escalated.body
    outbox.deliver(latest + timedelta(days=2))
    reminders = received(smtp_server, "rappel")
    assert sorted(m["to"][0] for m in reminders) == sorted([reachable.mayor.email,
                                                            reachable.chief.email])
    assert [m["to"][0] for m in received(smtp_server, "attend une signature")] == [
        reachable.coordinator.email]
    for mail in smtp_server.messages:
        assert_nothing_secret(mail["message"]["Subject"], mail["message"].get_content())


def test_a_signature_stops_the_reminder_of_the_one_who_signed(reachable, secret_case,
                                                              smtp_server):
    reminder, _escalation = resolve_days()
    case = secret_case("proposed")
    signoffs.sign_off(reachable.mayor, case.pending_proposal, "approve", "Bon accord.")
    db.session.commit()
    collect(utcnow() + timedelta(days=reminder, hours=1))
    assert [r.user_id for r in rows("signoff_reminder")] == [reachable.chief.id]


def rows_all():
    return list(db.session.scalars(select(Notification)))


def test_each_person_chooses_their_messages_per_channel(app, login, reachable, secret_case,
                                                        smtp_server, sms_gateway):
    reminder, _escalation = resolve_days()
    phone = login(reachable.mayor, app.test_client())
    page = phone.get("/account/password").get_data(as_text=True)
    assert 'value="signoff_reminder:email" checked' in page
    wanted = [f"{kind}:{channel}" for kind in ("signoff_awaited", "signoff_reminder")
              for channel in ("email", "sms")]
    wanted.remove("signoff_reminder:email")
    answer = phone.post("/account/messages", data={"wanted": wanted}, follow_redirects=True)
    assert "Votre choix de messages est enregistré." in answer.get_data(as_text=True)
    off = db.session.scalars(select(NotificationPreference).where(
        NotificationPreference.user_id == reachable.mayor.id,
        NotificationPreference.wanted.is_(False))).all()
    assert ("signoff_reminder", "email") in {(p.kind, p.channel) for p in off}
    assert ("signoff_awaited", "email") not in {(p.kind, p.channel) for p in off}
    assert db.session.scalar(select(Event).where(Event.kind == "account.messages_chosen"))

    case = secret_case("proposed")
    collect(utcnow() + timedelta(days=reminder, hours=1))
    mine = {(r.kind, r.channel) for r in rows_all() if r.user_id == reachable.mayor.id}
    assert mine == {("signoff_awaited", "email"), ("signoff_awaited", "sms"),
                    ("signoff_reminder", "sms")}
    # The in-app list shows everything, whatever the choice.
    assert case.reference in phone.get("/").get_data(as_text=True)


def test_an_unknown_choice_is_refused(app, login, reachable):
    phone = login(reachable.mayor, app.test_client())
    answer = phone.post("/account/messages", data={"wanted": ["everything:pigeon"]})
    assert answer.status_code == 400
    assert db.session.scalars(select(NotificationPreference)).all() == []


def test_a_rejection_respects_the_choice(app, login, reachable, secret_case, smtp_server,
                                         sms_gateway):
    login(reachable.mediator, app.test_client()).post(
        "/account/messages", data={"wanted": ["proposal_rejected:sms"]})
    case = secret_case("proposed")
    signoffs.sign_off(reachable.chief, case.pending_proposal, "reject", REJECTION)
    db.session.commit()
    assert [(r.user_id, r.channel) for r in rows("proposal_rejected")] == [
        (reachable.mediator.id, "sms")]
