"""Fields of the API's request bodies, with their checks in the reader's language."""
from __future__ import annotations

from datetime import date, timezone

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate

from .. import plaintext
from ..request_guards import MAX_ROW_ID
from ..services.validation import MAX_WHOLE

# Dates the API takes, as the case list's filters: far enough either side of any case.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


class Text(fields.String):
    """A string of at most `max_length` characters, in NFC, without control characters
    (casework/plaintext.py; its rule is written into the OpenAPI description as a pattern)."""

    def __init__(self, max_length: int = 10_000, **kwargs):
        kwargs.setdefault("validate", [])
        kwargs["validate"] = [
            validate.Length(max=max_length, error=_l("At most {max} characters.")),
            validate.Regexp(plaintext.PATTERN, error=plaintext.REFUSED),
            *kwargs["validate"]]
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if plaintext.has_control(text):  # a lone surrogate ("\ud800") too: no database stores it
            raise ValidationError(plaintext.REFUSED)
        return plaintext.normalised(text)


def choice(vocabulary, **kwargs) -> fields.String:
    """One of the codes of a vocabulary (the OpenAPI description lists them)."""
    return fields.String(validate=validate.OneOf(list(vocabulary),
                                                 error=_l("Choose one of: {choices}.")),
                         **kwargs)


def whole(minimum: int = 0, maximum: int = MAX_WHOLE, *, strict: bool = True,
          **kwargs) -> fields.Integer:
    """A whole number: in a JSON body a number (not "3"); in a query string, its digits."""
    return fields.Integer(strict=strict, validate=validate.Range(
        min=minimum, max=maximum, error=_l("Enter a whole number from {min} to {max}.")),
        **kwargs)


def row_id(**kwargs) -> fields.Integer:
    return whole(1, MAX_ROW_ID, **kwargs)


def version(**kwargs) -> fields.Integer:
    """The version of the case the change was prepared on: a stale one answers 409."""
    kwargs.setdefault("metadata", {"description": "The case's `version` as last read; a "
                                                  "change made since answers 409."})
    return whole(1, MAX_ROW_ID, required=True, **kwargs)


def day(**kwargs) -> fields.Date:
    return fields.Date(validate=validate.Range(
        min=FIRST_DAY, max=LAST_DAY, error=_l("Enter a date from {min} to {max}.")), **kwargs)


class Moment(fields.AwareDateTime):
    """An instant with its time zone (UTC when none is written), from 2000 to 2099."""

    def __init__(self, **kwargs):
        super().__init__(default_timezone=timezone.utc, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        if not FIRST_DAY <= moment.replace(tzinfo=None).date() <= LAST_DAY:
            raise ValidationError(_l("Enter a moment from 2000 to 2099."))
        try:
            return moment.astimezone(timezone.utc)
        except OverflowError:
            raise ValidationError(_l("Enter a moment from 2000 to 2099.")) from None
