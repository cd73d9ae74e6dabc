"""Finding what a request names through access, for the pages and the API alike: a case the
caller may see, else a 404 (never a 403, which would tell that it exists), its denial logged."""
from __future__ import annotations

import re

from flask import abort, g, redirect, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from . import access
from .errors import Conflict
from .extensions import db
from .models import Case, Referral
from .queries.merges import former_reference
from .services import audit
from .sessions import SAFE_METHODS
from .unit_of_work import keep_record

REFERENCE = re.compile(r"^[A-Z]{2,6}-\d{4}-\d{4,6}$")


def case_or_404(reference: str, user=None) -> Case:
    """The case if the signed-in user (or `user`: the API's caller) may see it; 404 otherwise,
    with the denial logged.

    A request that may change the case (any POST: transition, sign-off, step, follow-up, team)
    loads it locked, so that two such requests on one case run one after the other and the
    second sees what the first did (its service then answers with a precise 409).
    """
    user = current_user if user is None else user
    if not REFERENCE.match(reference or ""):
        abort(404)
    case = access.find_case(user, reference, for_update=request.method not in SAFE_METHODS)
    if case is None:
        _to_new_reference(user, reference)
        _deny(user, reference)
    g.palabre_case = case  # what the page shows (may the phone keep it: views/offline.py)
    return case


def _to_new_reference(user, reference: str) -> None:
    """A reference the case had before it moved to another commune, or that a duplicate merged
    into it had: the same address under its present one, for someone who sees the case there
    (anyone else gets the 404).

    A page read is redirected (302). A change (a form, an API call) is redirected with its
    method and body (308) when the case only moved: its version check still holds. Sent to a
    merged duplicate's reference it is refused with a page that says where the case is: its
    version is the duplicate's, not the kept case's, and would be checked against the wrong
    case."""
    former = former_reference(reference)
    if former is None or not access.can_view(user, former.case):
        return
    current = former.case.reference
    path = request.full_path if request.query_string else request.path
    target = path.replace(f"/{reference}", f"/{current}", 1)
    if request.method in SAFE_METHODS:
        abort(redirect(target))
    if not former.merged:
        abort(redirect(target, code=308))
    raise Conflict(_l("%(old)s was merged into %(new)s: nothing was recorded. Open %(new)s "
                      "and do it there.", old=reference, new=current))


def _deny(user, reference: str) -> None:
    """One lookup, one event, one commit, whether the case is another commune's or does not
    exist at all: the same work, so that the time of the answer does not tell them apart
    (references are sequential, easy to guess)."""
    case_id = db.session.scalar(select(Case.id).where(Case.reference == reference))
    db.session.rollback()
    audit.access_denied(user, reference=reference, case_id=case_id)  # None: no such case
    keep_record()
    abort(404)


def refuse_as_missing(user, **details):
    """404 for something `user` may not see (a case, something of a visible case, a commune's
    mechanism): what the request did is dropped, the denial is logged and stands."""
    db.session.rollback()
    audit.access_denied(user, **details)
    keep_record()
    abort(404)


def referral_or_404(referral_id: int, user=None):
    """The referral if the signed-in user (or `user`) answers for its service; 404 otherwise,
    with the denial logged. A request that may change it loads it locked."""
    user = current_user if user is None else user
    query = select(Referral).where(Referral.id == referral_id, access.referrals_clause(user))
    if request.method not in SAFE_METHODS:
        query = query.with_for_update(of=Referral).execution_options(populate_existing=True)
    referral = db.session.scalar(query)
    if referral is None:
        refuse_as_missing(user, referral_id=referral_id)
    return referral
