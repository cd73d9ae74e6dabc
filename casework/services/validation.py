"""Checks every service applies to its input, whatever screen, command or API it came from."""
from flask_babel import lazy_gettext as _l

from ..errors import InvalidInput


def require_text(value, field: str, *, max_length: int | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(_l("This field is required."), field=field)
    if max_length is not None and len(value) > max_length:
        raise InvalidInput(_l("At most %(n)d characters.", n=max_length), field=field)
    return value.strip()


def require_choice(value, choices, field: str) -> str:
    if value not in choices:
        raise InvalidInput(_l("Choose one of the values offered."), field=field)
    return value


# No count in Palabre comes near a million; the database's INTEGER stops at 2**31 - 1.
MAX_WHOLE = 1_000_000


def require_whole(value, field: str, *, minimum: int = 0, maximum: int = MAX_WHOLE) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise InvalidInput(_l("Enter a whole number of at least %(n)d.", n=minimum), field=field)
    if value > maximum:
        raise InvalidInput(_l("Enter a whole number of at most %(n)d.", n=maximum), field=field)
    return value
