"""What an uploaded file really is, read from its bytes; images come back re-encoded.

Only PDF, JPEG and PNG are accepted, whatever the file's name or the browser's Content-Type
say. A PDF is kept as it is unless it carries active content (scripts, launch actions,
embedded files). An image is decoded and written anew with its pixels only: EXIF (the phone's
GPS position), XMP, comments and anything appended after the image are gone.
"""
from __future__ import annotations

import io
import re
import warnings
import zlib
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps

from ..errors import InvalidInput

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
ACCEPTED = (PDF, JPEG, PNG)
TYPE_LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
SIGNATURES = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG"}
# 50 megapixels: more than a phone's photo, far less than a "decompression bomb".
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 90
# PDF names that run something or carry another file. Written #xx-escaped too (/J#61vaScript).
ACTIVE_PDF_NAMES = frozenset({b"JavaScript", b"JS", b"Launch", b"EmbeddedFile",
                              b"EmbeddedFiles", b"RichMedia"})
PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
PDF_STREAM = re.compile(rb"stream\r?\n")
PDF_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Compressed streams are inflated to look inside them, up to this much in all.
MAX_INFLATED = 64 * 1024 * 1024

NOT_ACCEPTED = _l("This kind of file is not accepted. Send a PDF, a JPEG photo or a PNG image.")
EMPTY = _l("The file is empty. Send a PDF, a JPEG photo or a PNG image.")


@dataclass(frozen=True)
class CleanFile:
    content_type: str
    data: bytes


def sniff(data: bytes) -> str | None:
    """The accepted type whose signature starts `data`, or None."""
    return next((kind for magic, kind in SIGNATURES if data.startswith(magic)), None)


def clean(data: bytes) -> CleanFile:
    """The file to store for these uploaded bytes; InvalidInput(field="file") if refused."""
    if not data:
        raise InvalidInput(EMPTY, field="file")
    kind = sniff(data)
    if kind is None:
        raise InvalidInput(NOT_ACCEPTED, field="file")
    if kind == PDF:
        check_pdf(data)
        return CleanFile(PDF, data)
    return CleanFile(kind, reencode(data, kind))


# -- PDF -------------------------------------------------------------------------------------

def _names(chunk: bytes) -> set[bytes]:
    return {PDF_HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)
            for name in PDF_NAME.findall(chunk)}


def _inflated_streams(data: bytes):
    """The content of every stream that inflates with zlib (FlateDecode), within MAX_INFLATED."""
    budget = MAX_INFLATED
    view = memoryview(data)  # slices without copying the rest of the file each time
    for match in PDF_STREAM.finditer(data):
        if budget <= 0:
            return
        inflater = zlib.decompressobj()
        try:
            content = inflater.decompress(view[match.end():], budget)
        except zlib.error:
            continue
        budget -= len(content)
        yield content


def check_pdf(data: bytes) -> None:
    """Refuse a PDF with active content, looking into its compressed streams too."""
    names = _names(data)
    if b"Encrypt" in names:  # its streams cannot be read, so neither checked
        raise InvalidInput(_l("This PDF is protected or encrypted, so it cannot be checked. "
                              "Send it without protection."), field="file")
    for content in _inflated_streams(data):
        names |= _names(content)
    if names & ACTIVE_PDF_NAMES:
        raise InvalidInput(_l("This PDF contains a script, an action or an embedded file, "
                              "which are not accepted. Send a plain PDF (print it to PDF, "
                              "or scan the paper)."), field="file")


# -- images ----------------------------------------------------------------------------------

def _too_large() -> InvalidInput:
    return InvalidInput(_l("This image is too large (%(megapixels)d megapixels at most). Send a "
                           "smaller photo.", megapixels=MAX_PIXELS // 1_000_000), field="file")


def _decoded(data: bytes, fmt: str) -> Image.Image:
    """The image's pixels, upright, detached from the file it came from."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as image:
                width, height = image.size  # read from the header, before any decoding
                if width * height > MAX_PIXELS:
                    raise _too_large()
                image.load()
                return ImageOps.exif_transpose(image)  # a new image, never the opened one
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_large() from error
    except (OSError, SyntaxError, ValueError, zlib.error) as error:
        raise InvalidInput(_l("This image is damaged or incomplete and cannot be read. Send "
                              "the photo again."), field="file") from error


def reencode(data: bytes, kind: str) -> bytes:
    """The image written anew in the same format, with its pixels and no metadata at all."""
    fmt = PILLOW_FORMATS[kind]
    pixels = _decoded(data, fmt)
    transparency = pixels.info.get("transparency") if fmt == "PNG" else None
    pixels.info = {}  # what Pillow would copy from the original: comment, ICC profile, frames
    options = {"transparency": transparency} if transparency is not None else {}
    if fmt == "JPEG":
        if pixels.mode not in ("L", "RGB", "CMYK"):
            pixels = pixels.convert("RGB")
        options.update(quality=JPEG_QUALITY, optimize=True)
    else:
        options.update(optimize=True)
    out = io.BytesIO()
    pixels.save(out, format=fmt, **options)
    return out.getvalue()
