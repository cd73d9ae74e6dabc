"""The inbound SMS webhook: both gateway shapes, the secret, the syntax, the rate limit."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from casework.extensions import db
from casework.intake import sms
from casework.models import Case, Event, IntakeRecord, User

SECRET = "s3cret-de-la-passerelle"
PHONE = "+22376123456"


@pytest.fixture(autouse=True)
def _secret(app):
    app.config["SMS_WEBHOOK_SECRET"] = SECRET
    yield
    app.config["SMS_WEBHOOK_SECRET"] = None


def twilio(client, body, sender=PHONE, secret=SECRET, sid=None):
    data = {"From": sender, "Body": body, "To": "+22320000000"}
    if sid:
        data["MessageSid"] = sid
    return client.post("/sms/inbound", data=data, headers={"X-Palabre-Secret": secret})


def rapidpro(client, body, sender=PHONE, secret=SECRET):
    """The body of RapidPro's "Call webhook" action in a flow."""
    payload = {"contact": {"uuid": "c1", "name": "Awa", "urn": f"tel:{sender}"},
               "flow": {"uuid": "f1", "name": "Signalement"}, "results": {},
               "input": {"uuid": "m1", "type": "msg", "urn": f"tel:{sender}", "text": body,
                         "attachments": []}}
    return client.post(f"/sms/inbound?secret={secret}", json=payload)


def twiml(response) -> str:
    return response.get_data(as_text=True)


def test_a_report_by_twilio_opens_a_case_to_check(people, client):
    response = twilio(client, f"conflit {people.commune.code} Sɛnou, les bœufs ont mangé le "
                              "mil de Ɲɛlɛ", sid="SM0001")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    case = db.session.scalar(select(Case).where(Case.channel == "sms"))
    assert twiml(response) == (
        '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Merci. Votre signalement '
        f"est enregistré sous la référence {case.reference} ; un médiateur vous rappellera "
        "pour le vérifier.</Message></Response>")
    assert (case.status, case.village, case.conflict_type, case.parties) == (
        "reported", "Sɛnou", "other", [])
    assert case.description == "les bœufs ont mangé le mil de Ɲɛlɛ"
    assert case.reporter_name == PHONE and case.reporter_contact == PHONE
    intake = db.session.scalar(select(IntakeRecord).where(IntakeRecord.case_id == case.id))
    assert (intake.source, intake.external_id, intake.to_verify) == ("sms", "SM0001", True)
    system = db.session.get(User, case.created_by_id)
    assert system.username == sms.SYSTEM_USERNAME and not system.active
    reported = db.session.scalar(select(Event).where(Event.kind == "case.reported",
                                                     Event.case_id == case.id))
    assert reported.actor_id == system.id
    received = db.session.scalar(select(Event).where(Event.kind == "sms.received"))
    assert received.data["outcome"] == "created" and received.data["reference"] == case.reference
    assert PHONE not in str(received.data) and "Ɲɛlɛ" not in str(received.data)


def test_the_same_message_sent_again_by_the_gateway_opens_one_case(people, client):
    body = f"CONFLIT {people.commune.code} Kola, deux familles et un champ"
    first, second = twilio(client, body, sid="SM42"), twilio(client, body, sid="SM42")
    assert twiml(first) == twiml(second)
    assert len(db.session.scalars(select(Case).where(Case.channel == "sms")).all()) == 1


def test_a_report_by_rapidpro_is_answered_in_json(people, client):
    response = rapidpro(client, f"CONFLIT {people.commune.code.lower()} Sido Kura, un puits "
                                "est disputé")
    assert response.status_code == 200
    case = db.session.scalar(select(Case).where(Case.channel == "sms"))
    assert response.json == {"status": "created", "reference": case.reference, "message": (
        f"Merci. Votre signalement est enregistré sous la référence {case.reference} ; un "
        "médiateur vous rappellera pour le vérifier.")}
    assert case.village == "Sido Kura" and case.reporter_contact == PHONE


def test_the_flat_json_shape_is_accepted_too(people, client):
    response = client.post("/sms/inbound", json={"from": PHONE, "text": (
        f"CONFLIT {people.commune.code} Kola bagarre au marché")},
        headers={"X-Palabre-Secret": SECRET})
    assert response.json["status"] == "created"
    case = db.session.scalar(select(Case).where(Case.channel == "sms"))
    assert (case.village, case.description) == ("Kola", "bagarre au marché")


SYNTAX = ("Pour signaler un conflit, écrivez : CONFLIT <code de la commune> <village>, <ce qui "
          "s'est passé>. Exemple : CONFLIT BGN Kola, deux familles se disputent le même champ.")


@pytest.mark.parametrize("body", ["bonjour", "CONFLIT", "CONFLIT BGN", "CONFLIT BGN Kola",
                                  "PALABRE BGN Kola, un champ", ""])
def test_anything_else_is_answered_with_the_syntax(people, client, body):
    assert twiml(twilio(client, body)).endswith(f"<Message>{SYNTAX}</Message></Response>"
                                                .replace("<code", "&lt;code")
                                                .replace("<village>", "&lt;village&gt;")
                                                .replace("<ce qui s'est passé>",
                                                         "&lt;ce qui s'est passé&gt;")
                                                .replace("commune>", "commune&gt;"))
    assert rapidpro(client, body).json == {"status": "syntax", "message": SYNTAX,
                                           "reference": None}
    assert db.session.scalar(select(Case).where(Case.channel == "sms")) is None


def test_an_unknown_commune_code_is_said_with_the_syntax(people, client):
    answer = rapidpro(client, "CONFLIT QQQ Kola, un champ").json
    assert answer["status"] == "unknown_commune"
    assert answer["message"] == f"Le code de commune QQQ est inconnu. {SYNTAX}"


@pytest.mark.parametrize("headers,query", [
    ({}, ""), ({"X-Palabre-Secret": "wrong"}, ""), ({}, "?secret=wrong"),
    ({"X-Palabre-Secret": ""}, "?secret=")])
def test_a_missing_or_wrong_secret_is_refused(people, client, headers, query):
    response = client.post(f"/sms/inbound{query}", headers=headers, data={
        "From": PHONE, "Body": f"CONFLIT {people.commune.code} Kola, un champ"})
    assert response.status_code == 403
    assert response.get_data(as_text=True) == "Le secret de la passerelle manque ou est faux."
    assert db.session.scalar(select(Event).where(Event.kind == "sms.received")) is None


def test_the_webhook_is_closed_while_no_secret_is_configured(app, people, client):
    app.config["SMS_WEBHOOK_SECRET"] = None
    assert twilio(client, "CONFLIT BGN Kola, un champ", secret="").status_code == 403
    assert twilio(client, "CONFLIT BGN Kola, un champ", secret="None").status_code == 403
    refused = client.post("/sms/inbound", json={"from": PHONE, "text": "CONFLIT BGN Kola, x"})
    assert refused.status_code == 403 and refused.json == {
        "message": "Le secret de la passerelle manque ou est faux."}


def test_a_sender_is_asked_to_wait_after_five_messages_an_hour(app, people, client):
    for _ in range(app.config["SMS_MAX_PER_HOUR"]):
        assert rapidpro(client, "bonjour").status_code == 200
    response = rapidpro(client, f"CONFLIT {people.commune.code} Kola, un champ")
    assert response.status_code == 429 and response.json["status"] == "throttled"
    assert response.json["message"].startswith("Trop de messages depuis ce numéro")
    assert "Trop de messages" in twiml(twilio(client, "bonjour"))
    assert db.session.scalar(select(Case).where(Case.channel == "sms")) is None
    # another number is not held back
    assert rapidpro(client, f"CONFLIT {people.commune.code} Kola, un champ",
                    sender="+22365000000").json["status"] == "created"


@pytest.mark.parametrize("body,expected", [
    ("CONFLIT BGN Kola, deux familles", ("BGN", "Kola", "deux familles")),
    ("conflit: bgn Sido Kura, un puits", ("BGN", "Sido Kura", "un puits")),
    ("Conflit BGN Kola deux familles se battent, un champ au bord du marigot",
     ("BGN", "Kola", "deux familles se battent, un champ au bord du marigot")),
    ("CONFLIT  BGN\nN'Golobougou   vol de bétail", ("BGN", "N'Golobougou", "vol de bétail")),
    ("CONFLIT BGN Kola,", None), ("CONFLIT B4N Kola, un champ", None),
])
def test_the_village_is_the_text_up_to_the_comma_or_the_next_word(body, expected):
    found = sms.parse(body)
    assert (None if found is None else (found.commune_code, found.village, found.text)) == \
        expected


def test_the_case_page_says_to_check_it_and_hides_the_number_from_the_unnamed(
        people, client, login):
    twilio(client, f"CONFLIT {people.commune.code} Kola, deux familles et un champ")
    case = db.session.scalar(select(Case).where(Case.channel == "sms"))
    login(people.mayor)
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "À vérifier : signalé par SMS le" in page and "Aucune partie nommée" in page
    assert "(SMS)" in page
