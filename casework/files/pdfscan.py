"""The PDF check's child process: qpdf (through pikepdf) reads every object, within limits.

Run alone, never imported by the app: `python -I pdfscan.py MEMORY CPU OBJECTS < file.pdf`
prints one word, what the PDF carries that is refused (or `ok`). It sets its own limits first
(address space, processor seconds), so that an object stream that inflates to gigabytes or a
file that makes qpdf loop ends this process, never the web worker; the parent treats a
process that died or printed nothing as "could not be checked".

qpdf resolves every object, whether in an object stream and whatever its filters (ASCIIHex,
Flate, ...), so a hidden action is seen as a viewer would see it; content streams (the
drawing of pages, images) are never inflated: nothing in them can act.
"""
from __future__ import annotations

import io
import resource
import sys

# Action types (/S) that run code, open or send something elsewhere, or play media.
ACTIONS = {
    "/JavaScript": "javascript", "/Launch": "launch", "/GoToR": "remote", "/GoToE": "remote",
    "/SubmitForm": "submit", "/ImportData": "submit", "/RichMediaExecute": "rich_media",
    "/Rendition": "rich_media", "/Movie": "rich_media", "/Sound": "rich_media",
}
# Keys that are refused wherever they appear.
KEYS = {"/JS": "javascript", "/JavaScript": "javascript", "/AA": "additional_actions",
        "/EmbeddedFiles": "embedded", "/EF": "embedded", "/XFA": "xfa",
        "/RichMediaContent": "rich_media", "/RichMediaSettings": "rich_media"}
SUBTYPES = {"/FileAttachment": "embedded", "/RichMedia": "rich_media", "/Movie": "rich_media",
            "/Sound": "rich_media", "/Screen": "rich_media"}
# The order in which one finding is named when there are several.
ORDER = ("javascript", "launch", "remote", "submit", "embedded", "xfa", "rich_media",
         "open_action", "additional_actions", "uri")
WEB = (b"http://", b"https://")
MAX_NODES = 5_000_000  # direct values looked at, all objects together


class TooComplex(Exception):
    pass


def _name(value) -> str | None:
    import pikepdf
    return str(value) if isinstance(value, pikepdf.Name) else None


def _uri_allowed(value) -> bool:
    import pikepdf
    if not isinstance(value, pikepdf.String):
        return False
    text = bytes(value).lstrip(b"\x00\t\n\r\x0c ").lower()
    return text.startswith(WEB)


def _dictionary_findings(obj) -> set[str]:
    import pikepdf
    found = {KEYS[key] for key in obj.keys() if key in KEYS}
    action = _name(obj.get("/S"))
    if action in ACTIONS:
        found.add(ACTIONS[action])
    if action == "/URI" and not _uri_allowed(obj.get("/URI")):
        found.add("uri")
    if _name(obj.get("/Type")) == "/EmbeddedFile":
        found.add("embedded")
    if _name(obj.get("/Subtype")) in SUBTYPES:
        found.add(SUBTYPES[_name(obj.get("/Subtype"))])
    if "/OpenAction" in obj.keys():
        opening = obj.get("/OpenAction")
        # A destination (the page and zoom it opens at) is harmless; any action is not.
        if isinstance(opening, pikepdf.Dictionary) and _name(opening.get("/S")) != "/GoTo":
            found.add("open_action")
    return found


def findings(pdf, max_objects: int) -> set[str]:
    """Everything refused in `pdf`: each indirect object, and the direct values inside it."""
    import pikepdf
    size = pdf.trailer.get("/Size")
    if isinstance(size, int) and size > max_objects:
        raise TooComplex
    objects = pdf.objects
    if len(objects) > max_objects:
        raise TooComplex
    found: set[str] = set()
    nodes = 0
    stack = [pdf.trailer, *objects]
    while stack:
        obj = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise TooComplex
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            found |= _dictionary_findings(obj)
            children = [obj.get(key) for key in obj.keys()]
        elif isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            continue
        # An indirect object is in `objects` already: only direct values are followed.
        stack.extend(child for child in children
                     if isinstance(child, pikepdf.Object) and not child.is_indirect)
    return found


def verdict(data: bytes, max_objects: int) -> str:
    import pikepdf
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        return "encrypted"
    except (pikepdf.PdfError, ValueError, OSError):
        return "unreadable"
    with pdf:
        try:
            found = findings(pdf, max_objects)
        except TooComplex:
            return "too_complex"
        except pikepdf.PdfError:
            return "unreadable"
    return next((kind for kind in ORDER if kind in found), "ok")


def _limit(kind: int, soft: int, hard: int) -> None:
    """Lower a limit of this process (never above what it was allowed already)."""
    allowed = resource.getrlimit(kind)[1]
    if allowed != resource.RLIM_INFINITY:
        soft, hard = min(soft, allowed), min(hard, allowed)
    resource.setrlimit(kind, (soft, hard))


def main() -> None:
    memory, cpu_seconds, max_objects = (int(arg) for arg in sys.argv[1:4])
    _limit(resource.RLIMIT_AS, memory, memory)
    _limit(resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 1)
    data = sys.stdin.buffer.read()
    try:
        print(verdict(data, max_objects))
    except MemoryError:
        print("too_complex")


if __name__ == "__main__":
    main()
