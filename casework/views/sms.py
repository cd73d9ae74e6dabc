"""The inbound SMS webhook: a Twilio form post (signed) or RapidPro / TextIt JSON (a header
secret), see intake/sms_gateways.py; answered in French in the gateway's own format."""
from __future__ import annotations

import json
from xml.sax.saxutils import escape  # nosec B406  # writes XML, parses none

from flask import Blueprint, abort, current_app, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..extensions import csrf
from ..intake import sms, sms_gateways
from ..unit_of_work import keep_record

bp = Blueprint("sms", __name__, url_prefix="/sms")


def _urn(value) -> str:
    """tel:+22376123456 -> +22376123456"""
    return str(value or "").strip().removeprefix("tel:")


def _from_json(payload: dict) -> tuple[str, str, str | None]:
    """RapidPro / TextIt: the flow webhook's {"contact": {"urn"}, "input": {"text"}}, or the
    flat {"from" | "contact": {"urn"}, "text"} of simpler gateways."""
    contact = payload.get("contact") if isinstance(payload.get("contact"), dict) else {}
    given = payload.get("input") if isinstance(payload.get("input"), dict) else {}
    sender = payload.get("from") or contact.get("urn") or given.get("urn") or payload.get("phone")
    text = payload.get("text") if payload.get("text") is not None else given.get("text")
    message_id = payload.get("id") or given.get("uuid")
    return _urn(sender), str(text or ""), str(message_id) if message_id else None


def _json(code: int, **values):
    """JSON as a person reads it in the gateway's log: é, not \\u00e9."""
    return current_app.response_class(json.dumps(values, ensure_ascii=False), status=code,
                                      mimetype="application/json")


@bp.post("/inbound")
@csrf.exempt
def inbound():
    as_json = request.is_json
    refused = None
    if sms_gateways.secret_in_url():
        refused = _l("The gateway's secret goes in the X-Palabre-Secret header, never in the "
                     "address, where access logs keep it: change the gateway's setting, and "
                     "the secret, which was exposed.")
    elif not sms_gateways.authenticated():
        refused = _l("The gateway's secret is missing or wrong.")
    if refused is not None:
        with force_locale("fr"):
            refused = str(refused)
        if as_json:
            return _json(403, message=refused)
        return current_app.response_class(refused, status=403, mimetype="text/plain")
    if as_json:
        payload = request.get_json(silent=True)
        sender, text, message_id = _from_json(payload if isinstance(payload, dict) else {})
        gateway = "rapidpro"
    else:
        sender, text = _urn(request.form.get("From")), request.form.get("Body", "")
        message_id, gateway = request.form.get("MessageSid"), "twilio"
    if not sender or len(sender) > 40:
        abort(400)
    with force_locale("fr"):  # the people who text Palabre read French
        answer = sms.receive(sender, text, message_id, gateway)
    keep_record()  # a throttled message is answered 429, and still counted
    status = 429 if answer.outcome in sms.HELD_BACK and as_json else 200
    if as_json:
        return _json(status, message=answer.message, status=answer.outcome,
                     reference=answer.reference)
    twiml = (f'<?xml version="1.0" encoding="UTF-8"?>'
             f"<Response><Message>{escape(answer.message)}</Message></Response>")
    return current_app.response_class(twiml, status=status, mimetype="application/xml")
