"""The name an attachment is shown and downloaded under: the original one, made harmless.

It stays readable (Arabic, N'Ko, Bambara letters, spaces), but loses any path, control and
bidirectional-override characters, leading dots, excess length and a misleading extension:
the extension always says the type read from the content.
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_LENGTH = 120
DEFAULT_STEM = "piece-jointe"
# The extension written for each accepted type, and the ones a person's file may already carry.
EXTENSIONS = {
    "application/pdf": ("pdf", {"pdf"}),
    "image/jpeg": ("jpg", {"jpg", "jpeg"}),
    "image/png": ("png", {"png"}),
}
# Bidirectional embeddings, overrides, isolates and marks: "a\u202egnp.exe" reads "aexe.png".
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                          "\u200e\u200f\u061c")
# Characters that some systems refuse in a file name; shown as "_".
RESERVED = re.compile(r'[<>:"|?*]')
SPACES = re.compile(r"\s+")
EXTENSION = re.compile(r"\.([A-Za-z0-9]{1,5})$")
# RFC 5987 attr-char, the characters that stay as they are in filename*=UTF-8''...
ATTR_CHARS = "!#$&+-.^_`|~"
ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9 ._()-]")


def _dropped(char: str) -> bool:
    return char in BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn")


def display_name(original: str | None, content_type: str) -> str:
    """The sanitised name of an uploaded file of `content_type` (one of EXTENSIONS)."""
    extension, known = EXTENSIONS[content_type]
    name = unicodedata.normalize("NFC", original or "")
    name = re.split(r"[/\\]", name)[-1]  # the last path component, whatever the system
    name = "".join(char for char in name if not _dropped(char))
    name = SPACES.sub(" ", RESERVED.sub("_", name)).lstrip(". ")
    found = EXTENSION.search(name)
    if found:
        if found.group(1).lower() in known:
            extension = found.group(1).lower()
        name = name[:found.start()]
    stem = name.rstrip(". ")[:MAX_LENGTH - len(extension) - 1].rstrip(". ")
    return f"{stem or DEFAULT_STEM}.{extension}"


def ascii_name(name: str) -> str:
    """The plain ASCII fallback of a display name, for browsers that ignore filename*."""
    stem, _, extension = name.rpartition(".")
    folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    folded = SPACES.sub(" ", ASCII_UNSAFE.sub("_", folded)).strip(". ")
    if not any(char.isalnum() for char in folded):
        folded = DEFAULT_STEM
    return f"{folded}.{extension}"


def content_disposition(name: str) -> dict[str, str]:
    """Parameters of `Content-Disposition: attachment` for `name`: an ASCII `filename`, and the
    exact name as RFC 5987 `filename*=UTF-8''...` when it is not plain ASCII."""
    fallback = ascii_name(name)
    if fallback == name:
        return {"filename": name}
    return {"filename": fallback, "filename*": "UTF-8''" + quote(name, safe=ATTR_CHARS)}
