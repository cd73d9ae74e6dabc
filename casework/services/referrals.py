"""A referral from sending to outcome: the team sends the case to a service of the directory
(through the `refer` transition, services/transitions.py), the service's focal point accepts
or declines it, then records its outcome. Each step is an event on the case; each answer is
told to the referring team (the outbox)."""
from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from .. import access
from ..clock import local_today, utcnow
from ..errors import Conflict, InvalidInput, NotPermitted
from ..extensions import db
from ..models import Case, Referral, Service
from ..models.referral import ACCEPTED, DECLINED, OUTCOME_RECORDED, SENT
from ..queries.referrals import offered_services
from ..vocabulary import CONSENT_WAYS, CONSENTS, REFERRAL_TARGETS
from ..workflow_registry import workflow_of
from . import events, notifications
from .progress import cancel_pending, move, run_automatic
from .validation import require_choice, require_text

# The word of the fixed list a kind of service stands for (exports and the API still read
# `referral_target`); a kind with none leaves it empty.
TARGET_OF_KIND = {"health_centre": "health", "psychosocial": "psychosocial", "cofo": "cofo",
                  "tribunal": "justice", "legal_aid": "justice", "police": "justice"}
# Without `answer_days` in the definition, a service answers within this many days.
DEFAULT_ANSWER_DAYS = 7


# What a person reads when the commune has no service of the kind a form sends the case to.
NO_SERVICE_OF_KIND = {
    "cofo": _l("This commune has no land commission (COFO) in the directory: an "
               "administrator adds it (Administration > Services) before the referral."),
}


def check(case: Case, details: dict, kind: str | None = None) -> Service | None:
    """What a referral's form carried, checked before the case moves; `details` is made
    to say what the case will keep. The service, when the case's commune has one in the
    directory (of `kind`, when the form names one: the commune's COFO); else, as before the
    directory, a word of the fixed list."""
    offered = offered_services(case)
    if kind is not None:
        service = next((s for s in offered if s.kind == kind), None)
        if service is None:
            raise InvalidInput(NO_SERVICE_OF_KIND.get(kind, _l("Choose one of the values "
                                                               "offered.")))
    elif not offered:
        if details.get("service_id") is not None:
            raise InvalidInput(_l("Choose one of the values offered."), field="service_id")
        require_choice(details.get("referral_target"), REFERRAL_TARGETS, "referral_target")
        return None
    else:
        service = next((s for s in offered if s.id == details.get("service_id")), None)
        if service is None:
            raise InvalidInput(_l("Choose the service the case is referred to."),
                               field="service_id")
    details["note"] = require_text(details.get("note"), "note", max_length=10_000)
    consent = require_choice(details.get("consent"), CONSENTS, "consent")
    if consent == "given":
        details["consent_by"] = require_text(details.get("consent_by"), "consent_by",
                                             max_length=160)
        require_choice(details.get("consent_how"), CONSENT_WAYS, "consent_how")
        given_on = details.get("consent_on")
        if not given_on:
            raise InvalidInput(_l("This field is required."), field="consent_on")
        if date.fromisoformat(given_on) > local_today():
            raise InvalidInput(_l("The consent cannot be dated after today."),
                               field="consent_on")
    else:  # nothing of a consent that was not given
        details.update(consent_by="", consent_how="", consent_on=None)
    if "referral_target" in details:
        details["referral_target"] = TARGET_OF_KIND.get(service.kind, "")
    return service


def send(actor, case: Case, service: Service, details: dict,
         answer_days: int | None) -> Referral:
    """The referral record, once the case is referred (same transaction)."""
    given = details["consent"] == "given"
    referral = Referral(
        case=case, service_id=service.id, referred_by_id=actor.id, referred_at=utcnow(),
        reason=details["note"], consent=given, consent_by=details["consent_by"] or None,
        consent_how=details["consent_how"] or None,
        consent_on=date.fromisoformat(details["consent_on"]) if given else None,
        answer_by=local_today() + timedelta(days=answer_days or DEFAULT_ANSWER_DAYS),
        status=SENT, version=1)
    db.session.add(referral)
    db.session.flush()
    events.record("referral.sent", actor=actor, case=case, referral_id=referral.id,
                  service_id=service.id, consent=given)
    return referral


def _answer(actor, referral: Referral, action: str, version: int | None) -> None:
    if not access.can(actor, "view_referral", referral=referral):
        raise NotPermitted(_l("This referral is not addressed to your service."))
    if not access.can(actor, action, referral=referral) or (
            version is not None and version != referral.version):
        raise Conflict(_l("This referral was answered meanwhile: read it again."))


def _done(actor, referral: Referral, kind: str, **data) -> None:
    referral.version += 1
    db.session.flush()
    event = events.record(kind, actor=actor, case=referral.case, referral_id=referral.id,
                          service_id=referral.service_id, **data)
    _move_case(actor, referral)
    db.session.flush()
    notifications.tell_referral_answered(referral, event.id)


def _move_case(actor, referral: Referral) -> None:
    """The case follows the service's answer when its workflow says so (a transition with
    `on_referral: <answer>` out of its state), in the same transaction, with its event. A
    workflow where the referral ends the case (mediation: `referred` is final) moves nothing."""
    case = referral.case
    firing = workflow_of(case).on_referral(case, case.status, referral.status)
    if firing is None:
        return
    new_state = firing.run()
    cancel_pending(actor, case)
    move(actor, case, firing.transition.trigger, new_state, referral_id=referral.id)
    run_automatic(actor, case)


def accept(actor, referral: Referral, *, version: int | None = None) -> None:
    _answer(actor, referral, "answer_referral", version)
    referral.status, referral.answered_at, referral.answered_by_id = (
        ACCEPTED, utcnow(), actor.id)
    _done(actor, referral, "referral.accepted")


def decline(actor, referral: Referral, reason: str, *, version: int | None = None) -> None:
    _answer(actor, referral, "answer_referral", version)
    reason = require_text(reason, "decline_reason", max_length=10_000)
    referral.status, referral.answered_at, referral.answered_by_id = (
        DECLINED, utcnow(), actor.id)
    referral.decline_reason = reason
    _done(actor, referral, "referral.declined")


def outcome_of_record(actor, referral: Referral, outcome: str) -> None:
    """The referral's outcome, from a record its service made that a transition carried
    (the COFO's conciliation record, services/cofo.py): its focal point's or the team's."""
    referral.outcome = outcome
    referral.status, referral.outcome_at, referral.outcome_by_id = (
        OUTCOME_RECORDED, utcnow(), actor.id)
    _done(actor, referral, "referral.outcome_recorded")


def record_outcome(actor, referral: Referral, outcome: str, *,
                   version: int | None = None) -> None:
    _answer(actor, referral, "record_referral_outcome", version)
    referral.outcome = require_text(outcome, "outcome", max_length=10_000)
    referral.status, referral.outcome_at, referral.outcome_by_id = (
        OUTCOME_RECORDED, utcnow(), actor.id)
    _done(actor, referral, "referral.outcome_recorded")
