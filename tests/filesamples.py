"""Files built in code for the attachment tests: accepted ones, hostile ones, broken ones."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image
from PIL.PngImagePlugin import PngInfo

GPS_IFD = 0x8825
ORIENTATION = 0x0112
# Somewhere near Bougouni: what a phone writes into every photo it takes.
GPS = {1: "N", 2: (11.0, 25.0, 3.5), 3: "W", 4: (7.0, 29.0, 1.2)}


def pdf(body: bytes = b"", *, size: int | None = None) -> bytes:
    """A minimal one-page PDF; `body` goes into its catalogue; padded to `size` bytes if given."""
    head = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R " + body + b" >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
            b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
            b"trailer << /Root 1 0 R >>\n")
    tail = b"%%EOF\n"
    if size is None:
        return head + tail
    padding = size - len(head) - len(tail)
    return head + b"%" + b"0" * (padding - 2) + b"\n" + tail


def pdf_with_compressed(content: bytes) -> bytes:
    """A PDF whose object stream (FlateDecode) holds `content`, as phone scanners write them."""
    packed = zlib.compress(content)
    return (b"%PDF-1.5\n4 0 obj << /Type /ObjStm /Filter /FlateDecode /Length "
            + str(len(packed)).encode() + b" >>\nstream\n" + packed + b"\nendstream\nendobj\n"
            + pdf()[len(b"%PDF-1.4\n"):])


def jpeg_with_gps(size=(64, 48), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 80, 20))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = GPS
    if orientation:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"Famille Traore", quality=95)
    return out.getvalue()


def png(size=(40, 30), *, metadata: bool = False, mode: str = "RGB") -> bytes:
    image = Image.new(mode, size, "green" if mode == "RGB" else 0)
    options = {}
    if metadata:
        info = PngInfo()
        info.add_text("Author", "Aminata Kone")
        exif = Image.Exif()
        exif[GPS_IFD] = GPS
        options = {"pnginfo": info, "exif": exif}
    out = io.BytesIO()
    image.save(out, "PNG", **options)
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (8, 8)).save(out, "GIF")
    return out.getvalue()


def zip_file() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("accord.pdf", pdf())
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int, height: int) -> bytes:
    """A PNG whose header announces width x height pixels, in a few hundred bytes."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    rows = zlib.compressobj(9)
    data = b"".join(rows.compress(row) for _ in range(min(height, 64))) + rows.flush()
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0,
                                                               0, 0, 0))
            + _chunk(b"IDAT", data) + _chunk(b"IEND", b""))


SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
       b'<script>alert(document.cookie)</script></svg>')
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
