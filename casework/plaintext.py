"""Text as Palabre keeps it: NFC, and no control character but line breaks and tabs.

One rule for every way text comes in. The forms and the API refuse a control character with
a field error (the person types it again); the SMS webhook and the KoboToolbox import remove
it, since nobody can be asked to retype a message already sent. The exports remove it too from
what was stored before the rule, since an XLSX file cannot hold it.
"""
from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l

# C0 but tab, line feed and carriage return; DEL and C1 (what a Word paste or a terminal's
# escape sequence brings); lone surrogates and U+FFFE/U+FFFF, which neither a database nor XML
# takes.
_UNWANTED = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
UNWANTED = re.compile(f"[{_UNWANTED}]")
# The same rule as a JSON Schema pattern for the OpenAPI description, without the surrogates
# (a pattern cannot name them portably).
PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]*$"
REFUSED = _l("This text holds an invisible control character, often brought by a copy and "
             "paste: type it again without copying it.")


def has_control(text: str) -> bool:
    return UNWANTED.search(text) is not None


def normalised(text: str) -> str:
    """The same letters written one way only (é as one character, not e and an accent)."""
    return unicodedata.normalize("NFC", text)


def cleaned(text: str) -> str:
    """`text` without its control characters, normalised: for what nobody can retype."""
    return normalised(UNWANTED.sub("", text))
