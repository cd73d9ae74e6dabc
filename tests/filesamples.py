"""Files built in code for the attachment tests: accepted ones, hostile ones, broken ones."""
from __future__ import annotations

import binascii
import io
import struct
import zipfile
import zlib
from functools import cache

import pikepdf
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


def pdf_objects(catalog: bytes = b"", page: bytes = b"", *, plain: dict[int, bytes] | None = None,
                packed: dict[int, bytes] | None = None, encoding: str = "flate") -> bytes:
    """A one-page PDF 1.5 as writers of today make it: a cross-reference stream, and `packed`
    objects ({number: body}) inside an object stream encoded with `encoding` (flate, hex, or
    hex+flate); `plain` objects come before it, as they are. `catalog` and `page` go into
    those dictionaries. Objects 1 to 3 are the catalogue, the page tree and the page."""
    plain = {1: b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
             2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
             3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + page + b" >>",
             **(plain or {})}
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    entries: dict[int, tuple[int, int, int]] = {}  # number -> (type, field 2, field 3)
    for number, body in plain.items():
        entries[number] = (1, len(out), 0)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    if packed:
        stream_number = max([*plain, *packed]) + 1
        header, bodies = [], b""
        for index, (number, body) in enumerate(packed.items()):
            header.append(b"%d %d" % (number, len(bodies)))
            bodies += body + b"\n"
            entries[number] = (2, stream_number, index)
        content = b" ".join(header) + b"\n"
        data, filters = _encoded(content + bodies, encoding)
        entries[stream_number] = (1, len(out), 0)
        out += (b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter %s /Length %d >>\nstream\n"
                % (stream_number, len(packed), len(content), filters, len(data))
                + data + b"\nendstream\nendobj\n")
    xref_number = max(entries) + 1
    entries[xref_number] = (1, len(out), 0)
    table = b"".join(struct.pack(">BIH", *entries.get(n, (0, 0, 0)))
                     for n in range(xref_number + 1))
    out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
            % (xref_number, xref_number + 1, len(table)) + table + b"\nendstream\nendobj\n")
    out += b"startxref\n%d\n%%%%EOF\n" % entries[xref_number][1]
    return bytes(out)


def _encoded(data: bytes, encoding: str) -> tuple[bytes, bytes]:
    if encoding == "hex":
        return binascii.hexlify(data) + b">", b"/ASCIIHexDecode"
    if encoding == "hex+flate":
        return binascii.hexlify(zlib.compress(data)) + b">", b"[/ASCIIHexDecode /FlateDecode]"
    return zlib.compress(data), b"/FlateDecode"


def pdf_with_compressed(content: bytes) -> bytes:
    """A PDF whose object 5, referenced from the catalogue, is `content` inside a compressed
    object stream, as phone scanners write them."""
    return pdf_objects(b"/Extra 5 0 R", packed={5: content})


JS_ACTION = b"<< /S /JavaScript /JS (app.alert(document.cookie)) >>"


def pdf_js_in_hex_object_stream() -> bytes:
    """The opening action, a script, inside an object stream written in hexadecimal."""
    return pdf_objects(b"/OpenAction 5 0 R", packed={5: JS_ACTION}, encoding="hex")


@cache
def pdf_js_after_a_large_stream(megabytes: int = 70) -> bytes:
    """A stream that inflates to `megabytes` of zeros (a few tens of kilobytes here), then the
    opening script in a compressed object stream: past what a scan that inflates every
    stream in turn would read."""
    packed = _zlib_repeated(bytes(1024 * 1024), megabytes)
    stream = (b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed) + packed
              + b"\nendstream")
    return pdf_objects(b"/OpenAction 5 0 R", plain={4: stream}, packed={5: JS_ACTION})


def _link(action: bytes) -> bytes:
    """A page whose one link (object 4) runs `action` when touched."""
    return pdf_objects(page=b"/Annots [4 0 R]", plain={4: (
        b"<< /Type /Annot /Subtype /Link /Rect [10 10 100 30] /A " + action + b" >>")})


HOSTILE_PDFS = {
    "pdf-js-in-hex-object-stream": (pdf_js_in_hex_object_stream, "un script (JavaScript)"),
    "pdf-js-after-70-mb-stream": (pdf_js_after_a_large_stream, "un script (JavaScript)"),
    "pdf-gotor-network-share": (lambda: _link(
        b"<< /S /GoToR /F (\\\\\\\\server\\\\share\\\\accord.pdf) /D [0 /Fit] >>"),
        "un lien qui ouvre un fichier ailleurs"),
    "pdf-launch": (lambda: _link(b"<< /S /Launch /F (cmd.exe) >>"),
                   "une action qui lance un programme"),
    "pdf-embedded-file": (lambda: pdf_objects(
        b"/Names << /EmbeddedFiles << /Names [(facture.exe) 5 0 R] >> >>",
        plain={5: b"<< /Type /Filespec /F (facture.exe) /EF << /F 6 0 R >> >>",
               6: b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream"}),
        "un fichier intégré"),
    "pdf-xfa": (lambda: pdf_objects(
        b"/AcroForm << /Fields [] /XFA 5 0 R >>",
        plain={5: b"<< /Length 7 >>\nstream\n<xdp/>\nendstream"}), "un formulaire XFA"),
    "pdf-rich-media": (lambda: pdf_objects(page=b"/Annots [4 0 R]", plain={4: (
        b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 50 50] "
        b"/RichMediaContent << /Assets << /Names [] >> >> >>")}), "du contenu multimédia"),
    "pdf-javascript-uri": (lambda: _link(b"<< /S /URI /URI (javascript:alert(1)) >>"),
                           "un lien qui n'est pas une adresse web"),
    "pdf-page-aa": (lambda: pdf_objects(page=b"/AA << /O << /S /Named /N /Print >> >>"),
                    "une action qui s'exécute d'elle-même"),
}


def pdf_clean() -> bytes:
    """What a word processor writes: object streams, a link to a website, opening at page 1."""
    return pdf_objects(b"/OpenAction [3 0 R /Fit]", page=b"/Annots [4 0 R]", packed={
        4: b"<< /Type /Annot /Subtype /Link /Rect [10 10 100 30] "
           b"/A << /S /URI /URI (https://www.example.org/accord) >> >>"})


def pdf_encrypted() -> bytes:
    """A PDF that opens only with its password."""
    with pikepdf.open(io.BytesIO(pdf_clean())) as document:
        out = io.BytesIO()
        document.save(out, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    return out.getvalue()


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


def _zlib_repeated(block: bytes, times: int) -> bytes:
    """zlib data of `block` repeated `times` times, compressed once: after a full flush the
    compressor starts afresh, so every copy of the block compresses to the same bytes."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(times):
        checksum = zlib.adler32(block, checksum)
    return b"\x78\xda" + packed * times + packer.flush() + struct.pack(">I", checksum)


def png_flat(width: int, height: int) -> bytes:
    """A complete, valid RGB PNG of width x height black pixels: 7000 x 7000 is 49 megapixels
    in about 150 KB, which a decoder turns into 200 MB of memory."""
    row = bytes(1 + 3 * width)  # filter byte, then the pixels
    rows = next(n for n in (100, 10, 1) if height % n == 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                               0, 0, 0))
            + _chunk(b"IDAT", _zlib_repeated(row * rows, height // rows))
            + _chunk(b"IEND", b""))


SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
       b'<script>alert(document.cookie)</script></svg>')
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
