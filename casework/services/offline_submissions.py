"""Forms' one-time keys: an item of a phone's offline queue, or an intake form, sent twice is
done once."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import delete, select

from ..clock import utcnow
from ..extensions import db
from ..models import Case, OfflineSubmission, User

# The request header that carries an item's key (static/js/queue.js sends it).
KEY_HEADER = "X-Palabre-Key"
# The header of the service worker's background fetches of the pages a phone keeps
# (static/sw.js): they neither end, extend nor rewrite the person's session.
WARM_HEADER = "X-Palabre-Warm"
# A phone sends its queue at the first network; a key kept this long has long done its work.
KEPT_FOR = timedelta(days=90)
# What a phone sends: a random UUID, or anything of the same alphabet and size.
KEY = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def valid_key(key: str | None) -> bool:
    return bool(key) and KEY.match(key) is not None


def answered(user: User, key: str) -> str | None:
    """Where the item sent under `key` by `user` led the first time, if it was done."""
    return db.session.scalar(select(OfflineSubmission.location).where(
        OfflineSubmission.user_id == user.id, OfflineSubmission.key == key))


def case_reported(user: User, key: str) -> str | None:
    """The reference of the case that the intake form sent under `key` by `user` reported."""
    return db.session.scalar(select(Case.reference).join(
        OfflineSubmission, OfflineSubmission.case_id == Case.id).where(
        OfflineSubmission.user_id == user.id, OfflineSubmission.key == key))


def remember(user: User, key: str, location: str, *, case: Case | None = None) -> None:
    """Keep the answer with the work it did: both are committed, or neither. Two copies sent
    at once collide on the unique key at the commit, and the second is a 409 (then, sent
    again, it finds this answer)."""
    db.session.execute(delete(OfflineSubmission).where(
        OfflineSubmission.user_id == user.id, OfflineSubmission.created_at < utcnow() - KEPT_FOR))
    db.session.add(OfflineSubmission(user_id=user.id, key=key, location=location[:300],
                                     case_id=case.id if case is not None else None))
    db.session.flush()
