"""What an uploaded file really is, read from its bytes; images come back re-encoded.

Only PDF, JPEG and PNG are accepted, whatever the file's name or the browser's Content-Type
say. A PDF is kept as it is unless it carries active content (files/pdf.py). An image is
decoded, within a limit of pixels and memory, and written anew with its pixels only: EXIF (the
phone's GPS position), XMP, comments and anything appended after the image are gone.
"""
from __future__ import annotations

import io
import warnings
import zlib
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, PngImagePlugin

from ..errors import InvalidInput
from . import pdf

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
ACCEPTED = (PDF, JPEG, PNG)
TYPE_LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
SIGNATURES = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG"}
# 24 megapixels: a phone's photo (12 MP, 16 or 20 on some), not more. Decoded, an image costs
# 4 bytes a pixel (Pillow keeps RGB as RGBX): 96 MB at most, read from the header before any
# decoding. Pillow's own decompression-bomb check is set to the same limit (it warns past it,
# which is an error here, and refuses at twice it).
MAX_PIXELS = 24_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# Text chunks of a PNG are dropped anyway: Pillow need not inflate megabytes of them.
PngImagePlugin.MAX_TEXT_CHUNK = 256 * 1024
PngImagePlugin.MAX_TEXT_MEMORY = 1024 * 1024
JPEG_QUALITY = 90

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
        pdf.check(data)
        return CleanFile(PDF, data)
    return CleanFile(kind, reencode(data, kind))


# -- images ----------------------------------------------------------------------------------

def _too_large() -> InvalidInput:
    return InvalidInput(_l("This image is too large (%(megapixels)d megapixels at most). Send a "
                           "smaller photo.", megapixels=MAX_PIXELS // 1_000_000), field="file")


def _decoded(data: bytes, fmt: str) -> Image.Image:
    """The image's pixels, upright: decoded once, turned in place (no second copy)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[fmt])
            width, height = image.size  # read from the header, before any decoding
            if width * height > MAX_PIXELS:
                raise _too_large()
            image.load()
            ImageOps.exif_transpose(image, in_place=True)
            return image
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
