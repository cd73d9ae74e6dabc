"""The inbound SMS webhook: both gateway shapes, how each gateway proves itself (never a secret
in the URL), the syntax, the limits per sender, per commune and overall, message ids."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from casework.extensions import db
from casework.intake import sms, sms_gateways
from casework.models import Case, Event, IntakeRecord, User

SECRET = "s3cret-de-la-passerelle"
PHONE = "+22376123456"


TWILIO_TOKEN = "auth-token-of-the-twilio-account"
INBOUND = "http://localhost/sms/inbound"


@pytest.fixture(autouse=True)
def _secret(app):
    app.config.update(SMS_WEBHOOK_SECRET=SECRET, TWILIO_AUTH_TOKEN=TWILIO_TOKEN)
    yield
    app.config.update(SMS_WEBHOOK_SECRET=None, TWILIO_AUTH_TOKEN=None)


def twilio(client, body, sender=PHONE, secret=SECRET, sid=None, signed=False):
    """A form post: Twilio's, signed with the account's token, or another gateway's, with the
    header secret."""
    data = {"From": sender, "Body": body, "To": "+22320000000"}
    if sid:
        data["MessageSid"] = sid
    headers = {"X-Palabre-Secret": secret}
    if signed:
        headers = {"X-Twilio-Signature": sms_gateways.twilio_signature(
            INBOUND, MultiDict(data), TWILIO_TOKEN)}
    return client.post("/sms/inbound", data=data, headers=headers)


def rapidpro(client, body, sender=PHONE, secret=SECRET, uuid="m1"):
    """The body of RapidPro's "Call webhook" action in a flow, the secret in a header."""
    payload = {"contact": {"uuid": "c1", "name": "Awa", "urn": f"tel:{sender}"},
               "flow": {"uuid": "f1", "name": "Signalement"}, "results": {},
               "input": {"uuid": uuid, "type": "msg", "urn": f"tel:{sender}", "text": body,
                         "attachments": []}}
    return client.post("/sms/inbound", json=payload, headers={"X-Palabre-Secret": secret})


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
    assert (intake.source, intake.to_verify) == ("sms", True)
    assert intake.external_id.endswith(":SM0001") and PHONE not in intake.external_id
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


SYNTAX = ("Pour signaler un conflit, écrivez : CONFLIT <nom ou code de la commune> <village>, <ce "
          "qui s'est passé>. Exemple : CONFLIT Bougouni Kola, deux familles se disputent le même "
          "champ.")


@pytest.mark.parametrize("body", ["bonjour", "CONFLIT", "CONFLIT BGN", "CONFLIT BGN Kola",
                                  "PALABRE BGN Kola, un champ", ""])
def test_anything_else_is_answered_with_the_syntax(people, client, body):
    assert twiml(twilio(client, body)).endswith(f"<Message>{SYNTAX}</Message></Response>"
                                                .replace("<nom", "&lt;nom")
                                                .replace("<village>", "&lt;village&gt;")
                                                .replace("<ce qui s'est passé>",
                                                         "&lt;ce qui s'est passé&gt;")
                                                .replace("commune>", "commune&gt;"))
    assert rapidpro(client, body).json == {"status": "syntax", "message": SYNTAX,
                                           "reference": None}
    assert db.session.scalar(select(Case).where(Case.channel == "sms")) is None


def test_an_unknown_commune_is_said_with_the_syntax(people, client):
    answer = rapidpro(client, "CONFLIT QQQ Kola, un champ").json
    assert answer["status"] == "unknown_commune"
    assert answer["message"] == f"Aucune commune ne s'appelle QQQ. {SYNTAX}"


WRONG = "Le secret de la passerelle manque ou est faux."


@pytest.mark.parametrize("headers", [
    {}, {"X-Palabre-Secret": "wrong"}, {"X-Palabre-Secret": ""},
    {"X-Twilio-Signature": "RSOYDt4T1cUTdK1PDd93/VVr8B8="},
    {"X-Twilio-Signature": "", "X-Palabre-Secret": SECRET}])
def test_a_missing_or_wrong_secret_or_signature_is_refused(people, client, headers):
    response = client.post("/sms/inbound", headers=headers, data={
        "From": PHONE, "Body": f"CONFLIT {people.commune.code} Kola, un champ"})
    assert response.status_code == 403
    assert response.get_data(as_text=True) == WRONG
    assert db.session.scalar(select(Event).where(Event.kind == "sms.received")) is None


def test_twilio_is_known_by_its_signature(people, client):
    body = f"CONFLIT {people.commune.code} Kola, un champ"
    assert "<Message>Merci." in twiml(twilio(client, body, sid="SM7", signed=True))
    forged = {"From": PHONE, "Body": body + " et un autre", "MessageSid": "SM8"}
    signed_for_another_body = sms_gateways.twilio_signature(
        INBOUND, MultiDict({**forged, "Body": body}), TWILIO_TOKEN)
    response = client.post("/sms/inbound", data=forged,
                           headers={"X-Twilio-Signature": signed_for_another_body})
    assert response.status_code == 403


def test_the_signature_is_twilios_own():
    """The example of Twilio's documentation and of its helper library's tests."""
    params = MultiDict({"CallSid": "CA1234567890ABCDE", "Caller": "+14158675309",
                        "Digits": "1234", "From": "+14158675309", "To": "+18005551212"})
    assert sms_gateways.twilio_signature("https://mycompany.com/myapp.php?foo=1&bar=2", params,
                                         "12345") == "RSOYDt4T1cUTdK1PDd93/VVr8B8="


def test_behind_a_proxy_the_public_url_is_the_one_signed(app, people, client):
    app.config["PALABRE_PUBLIC_URL"] = "https://palabre.example.org"
    try:
        data = {"From": PHONE, "Body": f"CONFLIT {people.commune.code} Kola, un champ"}
        signature = sms_gateways.twilio_signature("https://palabre.example.org/sms/inbound",
                                                  MultiDict(data), TWILIO_TOKEN)
        response = client.post("/sms/inbound", data=data,
                               headers={"X-Twilio-Signature": signature})
    finally:
        app.config["PALABRE_PUBLIC_URL"] = ""
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["?secret=" + SECRET, "?secret=wrong", "?secret="])
def test_a_secret_in_the_url_is_refused_even_the_right_one(people, client, query):
    """It would be written in every access log on its way."""
    for response in (
            client.post(f"/sms/inbound{query}", headers={"X-Palabre-Secret": SECRET},
                        data={"From": PHONE, "Body": f"CONFLIT {people.commune.code} Kola, x"}),
            client.post(f"/sms/inbound{query}", json={"from": PHONE, "text": "bonjour"})):
        assert response.status_code == 403
        message = response.json["message"] if response.is_json else response.get_data(
            as_text=True)
        assert "jamais dans l'adresse" in message and "X-Palabre-Secret" in message
    assert db.session.scalar(select(Event).where(Event.kind == "sms.received")) is None


def test_the_webhook_is_closed_while_no_gateway_is_configured(app, people, client):
    app.config.update(SMS_WEBHOOK_SECRET=None, TWILIO_AUTH_TOKEN=None)
    assert twilio(client, "CONFLIT BGN Kola, un champ", secret="").status_code == 403
    assert twilio(client, "CONFLIT BGN Kola, un champ", secret="None").status_code == 403
    assert client.post("/sms/inbound", data={"From": PHONE, "Body": "x"},
                       headers={"X-Twilio-Signature": ""}).status_code == 403
    refused = client.post("/sms/inbound", json={"from": PHONE, "text": "CONFLIT BGN Kola, x"})
    assert refused.status_code == 403 and refused.json == {"message": WRONG}


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


def flood(client, commune, numbers: int, first: int = 0):
    """One message each from `numbers` numbers, each a report of the commune."""
    return [rapidpro(client, f"CONFLIT {commune.code} Kola, champ {n}",
                     sender=f"+2236600{n:04d}", uuid=f"flood-{n}")
            for n in range(first, first + numbers)]


def test_forty_numbers_make_no_more_cases_than_the_communes_hour_allows(app, people, elsewhere,
                                                                        client):
    limit = app.config["SMS_MAX_PER_COMMUNE_PER_HOUR"]
    answers = flood(client, people.commune, 40)
    assert [a.json["status"] for a in answers] == ["created"] * limit + ["busy"] * (40 - limit)
    held = answers[-1]
    assert held.status_code == 429 and held.json["reference"] is None
    assert held.json["message"].startswith("Beaucoup de signalements arrivent en ce moment")
    cases = db.session.scalars(select(Case).where(Case.channel == "sms")).all()
    assert len(cases) == limit
    busy = db.session.scalars(select(Event).where(Event.kind == "sms.received")
                              .order_by(Event.id)).all()  # PostgreSQL keeps no order unasked
    assert [e.data.get("limit") for e in busy][-1] == "commune"
    assert "Beaucoup de signalements" in twiml(twilio(client, f"CONFLIT {people.commune.code} "
                                                              "Kola, encore", sender="+223700"))
    # another commune still reports
    assert rapidpro(client, f"CONFLIT {elsewhere.commune.code} Kola, un champ",
                    sender="+22365000001").json["status"] == "created"


def test_the_hours_cases_overall_are_limited_too(app, people, elsewhere, client, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_MAX_PER_HOUR_OVERALL", 3)
    answers = flood(client, people.commune, 2) + flood(client, elsewhere.commune, 1, first=2)
    assert [a.json["status"] for a in answers] == ["created", "created", "created"]
    last = rapidpro(client, f"CONFLIT {elsewhere.commune.code} Kola, un champ",
                    sender="+22365000009")
    assert last.json["status"] == "busy"
    event = db.session.scalar(select(Event).where(Event.kind == "sms.received")
                              .order_by(Event.id.desc()))
    assert event.data["limit"] == "overall" and event.data["outcome"] == "busy"
    assert len(db.session.scalars(select(Case).where(Case.channel == "sms")).all()) == 3


def test_a_message_id_reused_by_another_number_is_another_message(people, client):
    body = f"CONFLIT {people.commune.code} Kola, deux familles et un champ"
    first = twilio(client, body, sid="SM42")
    other = twilio(client, f"CONFLIT {people.commune.code} Sido, un puits", sid="SM42",
                   sender="+22365999999")
    first_reference = db.session.scalars(select(Case.reference).order_by(Case.id)).first()
    assert first_reference in twiml(first) and first_reference not in twiml(other)
    assert len(db.session.scalars(select(Case).where(Case.channel == "sms")).all()) == 2
    assert twiml(twilio(client, body, sid="SM42")) == twiml(first)  # the same sender's again


@pytest.mark.parametrize("body,expected", [
    ("CONFLIT BGN Kola, deux familles", ("BGN", "Kola", "deux familles")),
    ("conflit: bgn Sido Kura, un puits", ("bgn", "Sido Kura", "un puits")),
    ("CONFLIT Kolondiéba Kola, un puits", ("Kolondiéba", "Kola", "un puits")),
    ("CONFLIT Wassoulou-Ballé Kola, un puits", ("Wassoulou-Ballé", "Kola", "un puits")),
    ("Conflit BGN Kola deux familles se battent, un champ au bord du marigot",
     ("BGN", "Kola", "deux familles se battent, un champ au bord du marigot")),
    ("CONFLIT  BGN\nN'Golobougou   vol de bétail", ("BGN", "N'Golobougou", "vol de bétail")),
    ("CONFLIT BGN Kola,", None), ("CONFLIT B4N Kola, un champ", None),
])
def test_the_village_is_the_text_up_to_the_comma_or_the_next_word(body, expected):
    found = sms.parse(body)
    assert (None if found is None else (found.commune, found.village, found.text)) == \
        expected


def test_the_case_page_says_to_check_it_and_hides_the_number_from_the_unnamed(
        people, client, login):
    twilio(client, f"CONFLIT {people.commune.code} Kola, deux familles et un champ")
    case = db.session.scalar(select(Case).where(Case.channel == "sms"))
    login(people.mayor)
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "À vérifier : signalé par SMS le" in page and "Aucune partie nommée" in page
    assert "(SMS)" in page


@pytest.mark.parametrize("typed", ["Kolondieba", "KOLONDIÉBA", "kolondiéba", "KLD", "kld"])
def test_a_commune_is_found_by_its_name_with_or_without_accents_or_by_its_code(
        client, make_commune, typed):
    kolondieba = make_commune(name="Kolondiéba", code="KLD")
    make_commune(name="Kadiolo", code="KDL")
    answer = rapidpro(client, f"CONFLIT {typed} Kola, deux familles et un champ").json
    assert answer["status"] == "created"
    case = db.session.scalar(select(Case).where(Case.reference == answer["reference"]))
    assert case.commune_id == kolondieba.id and case.village == "Kola"


def test_a_commune_of_two_words_is_found_too(client, make_commune):
    commune = make_commune(name="Wassoulou-Ballé", code="WSB")
    answer = rapidpro(client, "CONFLIT Wassoulou Balle Kola, un puits").json
    case = db.session.scalar(select(Case).where(Case.reference == answer["reference"]))
    assert case.commune_id == commune.id and case.village == "Kola"


def test_an_unknown_commune_is_answered_with_the_nearest_names_in_french(client, make_commune):
    make_commune(name="Kolondiéba", code="KLD")
    make_commune(name="Kadiolo", code="KDL")
    answer = rapidpro(client, "CONFLIT Kolondiba Kola, un puits").json
    assert answer["status"] == "unknown_commune"
    assert answer["message"].startswith("Aucune commune ne s'appelle Kolondiba. Vouliez-vous "
                                        "dire : Kolondiéba (KLD)")
    assert db.session.scalar(select(Case).where(Case.channel == "sms")) is None


def test_the_same_report_sent_again_from_the_same_number_opens_one_case(people, client):
    """A phone that got no answer sends the report again (another message id): the sender is
    given the reference already made; another number is not told it."""
    body = f"CONFLIT {people.commune.code} Kola, deux familles se disputent un champ"
    first = rapidpro(client, body, uuid="again-1")
    again = rapidpro(client, body.replace("deux familles", "Deux  Familles"), uuid="again-2")
    reference = first.json["reference"]
    assert again.json["status"] == "duplicate" and again.json["reference"] == reference
    other = rapidpro(client, body, sender="+22365111111", uuid="again-3")
    assert other.json["status"] == "duplicate" and other.json["reference"] is None
    assert reference not in other.json["message"]
    assert len(db.session.scalars(select(Case).where(Case.channel == "sms")).all()) == 1
