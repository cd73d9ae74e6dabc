"""Errors that services raise and views turn into answers: 403, 409, or a form error."""
from __future__ import annotations


class CaseworkError(Exception):
    """Base of the errors a service raises; `message` is shown to the person (translated)."""

    status = 400

    def __str__(self) -> str:
        return str(self.message)

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)  # lazy: translated when shown, in the reader's language
        self.message = message
        self.field = field


class NotPermitted(CaseworkError):
    """The user may see the case but may not do this to it."""

    status = 403


class Conflict(CaseworkError):
    """The case changed under the user, or the action is not possible in its current state."""

    status = 409


class PossibleDuplicate(Conflict):
    """The report looks like one made a short while ago: the page asks whether it is the same
    conflict, and names the earlier case's `reference` only to someone who may open it."""

    def __init__(self, message, *, reference: str | None = None, case=None):
        super().__init__(message)
        self.reference = reference
        self.case = case  # for the intake that answers in its own way; never shown


class InvalidInput(CaseworkError):
    """A value is missing or wrong; `field` names the form field it belongs to."""

    status = 400


class SignInThrottled(CaseworkError):
    """Too many failed sign-ins for a name or an address: it waits `retry_after` seconds."""

    status = 429

    def __init__(self, message, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class TooLarge(InvalidInput):
    """An uploaded file over its size limit; shown next to the field, answered with 413."""

    status = 413


class WrongCode(InvalidInput):
    """A two-factor code was wrong. The failure event is the only thing the unit of work holds
    when this is raised: the caller commits it (sign-in throttling counts it), then says so."""

    status = 400


class Unauthenticated(CaseworkError):
    """No valid credentials: a wrong password or code, a missing, expired or revoked token.
    The failure events are all the unit of work holds: the caller commits them (sign-in
    throttling counts them), then answers 401."""

    status = 401
