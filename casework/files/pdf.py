"""Checking an uploaded PDF: qpdf reads it in a child process with bounded time and memory,
and a PDF that carries anything active is refused, saying what.

Refused rather than stripped: taking a script out of a signed agreement changes the document
that was signed, the person who sent it can always print it to PDF again or scan the paper,
and a checker that only refuses never writes a PDF of its own. Refused: JavaScript, actions
run at opening (other than going to a page) or by themselves (/AA), Launch, GoToR/GoToE,
SubmitForm/ImportData, links other than http(s), embedded files, XFA forms, multimedia;
a PDF that qpdf cannot open, that needs a password, or that cannot be read within the limits.
"""
from __future__ import annotations

import subprocess  # nosec B404  # runs our own scanner with sys.executable, no shell
import sys
from pathlib import Path

from flask_babel import lazy_gettext as _l

from ..errors import InvalidInput

SCANNER = Path(__file__).with_name("pdfscan.py")
# The child's limits: address space, processor seconds, objects; and the wall clock (a busy
# two-core server may give the child half its time).
MEMORY_BYTES = 512 * 1024 * 1024
CPU_SECONDS = 10
MAX_OBJECTS = 100_000
WALL_SECONDS = 20

FOUND = {
    "javascript": _l("a script (JavaScript)"),
    "launch": _l("an action that starts a program (Launch)"),
    "remote": _l("a link that opens a file elsewhere, on the network or in another PDF "
                 "(GoToR, GoToE)"),
    "submit": _l("a form that sends or fetches data (SubmitForm, ImportData)"),
    "embedded": _l("an embedded file"),
    "xfa": _l("an XFA form"),
    "rich_media": _l("multimedia content (RichMedia, sound, video)"),
    "open_action": _l("an action that runs when it is opened (OpenAction)"),
    "additional_actions": _l("an action that runs by itself, when a page opens or a field "
                             "changes (AA)"),
    "uri": _l("a link that is not a web address (http or https)"),
}
ENCRYPTED = _l("This PDF is protected or encrypted, so it cannot be checked. "
               "Send it without protection.")
UNREADABLE = _l("This PDF is damaged and cannot be read. Send it again, or scan the paper.")
TOO_COMPLEX = _l("This PDF is too large or too complex to be checked. Print it to PDF again "
                 "with fewer pages, or scan the paper.")


def _refused(what) -> InvalidInput:
    return InvalidInput(_l("This PDF contains %(what)s, which is not accepted. Send a plain PDF "
                           "(print it to PDF, or scan the paper).", what=what), field="file")


def scan(data: bytes) -> str:
    """The scanner's word for `data`: ok, a key of FOUND, encrypted, unreadable, too_complex."""
    command = [sys.executable, "-I", str(SCANNER), str(MEMORY_BYTES), str(CPU_SECONDS),
               str(MAX_OBJECTS)]
    try:
        finished = subprocess.run(  # nosec B603  # a fixed argv: our own script, no shell
            command, input=data, capture_output=True, timeout=WALL_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        return "too_complex"
    word = finished.stdout.decode("ascii", "replace").strip()
    if finished.returncode != 0 or not word:
        return "too_complex"  # killed at a limit (memory, processor time)
    return word


def check(data: bytes) -> None:
    """Refuse, with the reason, a PDF that carries active content or cannot be checked."""
    word = scan(data)
    if word == "ok":
        return
    if word in FOUND:
        raise _refused(FOUND[word])
    if word == "encrypted":
        raise InvalidInput(ENCRYPTED, field="file")
    if word == "unreadable":
        raise InvalidInput(UNREADABLE, field="file")
    raise InvalidInput(TOO_COMPLEX, field="file")
