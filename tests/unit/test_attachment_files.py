"""Attachments on their own: the name a file is shown under, and its type read from its bytes
(images re-encoded without metadata, active or broken files refused)."""
import io
import time
from urllib.parse import unquote

import pytest
from PIL import Image

from casework.errors import InvalidInput
from casework.files import content, pdf
from casework.files.names import ascii_name, content_disposition, display_name
from tests import filesamples as samples

PDF, JPEG, PNG = content.PDF, content.JPEG, content.PNG


@pytest.mark.parametrize("original, kind, expected", [
    ("عقد الصلح.pdf", PDF, "عقد الصلح.pdf"),
    ("ߞߊ߬ߙߊ߲ ߛߓߍ.pdf", PDF, "ߞߊ߬ߙߊ߲ ߛߓߍ.pdf"),
    ("Accord Famille Koné ɲɔgɔn.JPEG", JPEG, "Accord Famille Koné ɲɔgɔn.jpeg"),
    ("N'Golo  Traoré.jpg", JPEG, "N'Golo Traoré.jpg"),
    ("....", PDF, "piece-jointe.pdf"),
    ("", PNG, "piece-jointe.png"),
    (None, JPEG, "piece-jointe.jpg"),
    ("../x", PDF, "x.pdf"),
    ("../../etc/passwd", PNG, "passwd.png"),
    ("..\\x", PDF, "x.pdf"),
    ("C:\\Users\\awa\\Photos\\site.png", PNG, "site.png"),
    ("a\u202egnp.exe", PNG, "agnp.png"),  # would read "aexe.png" with the override
    ("\u2067rapport\u2069\u200e\u200f\u061c.pdf", PDF, "rapport.pdf"),
    ("accord\x00.png.pdf", PDF, "accord.png.pdf"),
    ("a\r\nb\t.pdf", PDF, "ab.pdf"),
    (".htaccess", PDF, "htaccess.pdf"),
    ("  . .accord.pdf", PDF, "accord.pdf"),
    ("photo.pdf", PNG, "photo.png"),  # the extension says the real type
    ("scan", PDF, "scan.pdf"),
    ('rapport "final" <COFO>?.pdf', PDF, "rapport _final_ _COFO__.pdf"),
])
def test_display_name(original, kind, expected):
    assert display_name(original, kind) == expected


def test_a_very_long_name_is_cut_and_keeps_its_extension():
    name = display_name("é" * 500 + ".pdf", PDF)
    assert len(name) == 120 and name.endswith("é.pdf")
    assert display_name("a" * 118 + " .....pdf", PDF) == "a" * 116 + ".pdf"


@pytest.mark.parametrize("name, fallback", [
    ("عقد الصلح.pdf", "piece-jointe.pdf"),
    ("ߞߊ߬ߙߊ߲.png", "piece-jointe.png"),
    ("Accord Famille Koné.pdf", "Accord Famille Kone.pdf"),
    ("rapport (COFO) n°2.pdf", "rapport (COFO) n2.pdf"),
])
def test_ascii_fallback_is_readable_and_never_a_dot_file(name, fallback):
    assert ascii_name(name) == fallback


@pytest.mark.parametrize("name", ["عقد الصلح.pdf", "ߞߊ߬ߙߊ߲.png", "Koné; x=\"1\".pdf"])
def test_content_disposition_carries_the_exact_name_in_utf8(name):
    params = content_disposition(name)
    encoded = params["filename*"]
    assert encoded.startswith("UTF-8''")
    assert unquote(encoded.removeprefix("UTF-8''")) == name
    assert all(c.isalnum() or c in "%!#$&+-.^_`|~'" for c in encoded)  # RFC 5987 attr-chars
    assert params["filename"].isascii()


def test_an_ascii_name_needs_no_utf8_form():
    assert content_disposition("accord.pdf") == {"filename": "accord.pdf"}


# -- types -------------------------------------------------------------------------------------

@pytest.mark.parametrize("data, kind", [
    (samples.pdf(), PDF),
    (samples.jpeg_with_gps(), JPEG),
    (samples.png(), PNG),
    (samples.png(mode="P"), PNG),
    (samples.png(mode="LA"), PNG),
    (samples.pdf_with_compressed(b"<< /Type /Font /Subtype /Type1 >>"), PDF),
    (samples.pdf_clean(), PDF),
    (samples.pdf_objects(b"/OpenAction << /S /GoTo /D [3 0 R /Fit] >>"), PDF),
])
def test_accepted_types_are_read_from_the_content(data, kind):
    assert content.clean(data).content_type == kind


REFUSED = {
    "svg": (samples.SVG, "n'est pas accepté"),
    "gif": (samples.gif(), "n'est pas accepté"),
    "html": (samples.HTML, "n'est pas accepté"),
    "zip": (samples.zip_file(), "n'est pas accepté"),
    "text": (b"Accord entre les familles", "n'est pas accepté"),
    "pdf-late-header": (b"\n" + samples.pdf(), "n'est pas accepté"),
    "empty": (b"", "vide"),
    "javascript": (samples.pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), "script"),
    "launch": (samples.pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >>"), "programme"),
    "escaped-name": (samples.pdf(b"/AA << /S /J#61vaScript >>"), "script"),
    "compressed-js": (samples.pdf_with_compressed(b"<< /S /JS /JS (x) >>"), "script"),
    "hex-and-flate": (samples.pdf_objects(b"/OpenAction 5 0 R", packed={5: samples.JS_ACTION},
                                          encoding="hex+flate"), "script"),
    "open-action-to-a-website": (samples.pdf_objects(
        b"/OpenAction << /S /URI /URI (https://evil.example/ping) >>"), "(OpenAction)"),
    "encrypted": (samples.pdf_encrypted(), "chiffré"),
    "not-a-pdf-inside": (b"%PDF-1.4 this is not a PDF at all", "abîmé"),
    "html-in-png-header": (b"\x89PNG\r\n\x1a\n" + samples.HTML, "abîmée"),
    "truncated-jpeg": (samples.jpeg_with_gps((400, 300))[:-1500], "abîmée"),
    "jpeg-header-only": (b"\xff\xd8\xff\xe0" + b"\x00" * 32, "abîmée"),
    "bomb": (samples.png_bomb(30_000, 30_000), "trop grande"),
    "over-our-limit": (samples.png_bomb(8_000, 8_000), "trop grande"),
    **{name: (build, f"Ce PDF contient {what}") for name, (build, what)
       in samples.HOSTILE_PDFS.items()},
}


@pytest.mark.parametrize("case", REFUSED)
def test_refused_files_say_why(case):
    data, reason = REFUSED[case]
    data = data() if callable(data) else data
    with pytest.raises(InvalidInput) as refused:
        content.clean(data)
    assert refused.value.field == "file"
    assert reason in str(refused.value.message)
    if reason in ("n'est pas accepté", "vide"):  # what is accepted, named
        assert "Envoyez un PDF, une photo JPEG ou une image PNG." in str(refused.value.message)


def test_a_pdf_too_complex_to_check_in_the_limits_is_refused(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_OBJECTS", 2)
    with pytest.raises(InvalidInput, match="trop complexe"):
        content.clean(samples.pdf_clean())
    monkeypatch.setattr(pdf, "MAX_OBJECTS", 100_000)
    monkeypatch.setattr(pdf, "MEMORY_BYTES", 16 * 1024 * 1024)  # the scanner dies at its limit
    with pytest.raises(InvalidInput, match="trop complexe"):
        content.clean(samples.pdf_clean())


def test_a_49_megapixel_png_is_refused_from_its_header_before_any_decoding():
    data = samples.png_flat(7000, 7000)
    assert len(data) < 200_000
    started = time.process_time()
    with pytest.raises(InvalidInput) as refused:
        content.clean(data)
    assert time.process_time() - started < 0.2  # decoding it took seconds and 360 MB
    assert "Cette image est trop grande (24 mégapixels au plus)" in str(refused.value.message)


def test_a_flat_png_under_the_limit_is_kept_whole():
    stored = content.clean(samples.png_flat(640, 480)).data
    assert Image.open(io.BytesIO(stored)).size == (640, 480)


def test_a_pdf_is_stored_as_it_came():
    data = samples.pdf()
    assert content.clean(data).data == data


def test_a_photo_loses_its_gps_position_and_comment():
    original = Image.open(io.BytesIO(samples.jpeg_with_gps()))
    assert original.getexif().get_ifd(samples.GPS_IFD)  # the sample does carry a position
    stored = Image.open(io.BytesIO(content.clean(samples.jpeg_with_gps()).data))
    assert stored.format == "JPEG"
    assert not stored.getexif().get_ifd(samples.GPS_IFD)
    assert len(stored.getexif()) == 0
    assert "comment" not in stored.info and "exif" not in stored.info
    assert b"Traore" not in content.clean(samples.jpeg_with_gps()).data


def test_a_photo_is_turned_upright_before_its_orientation_tag_is_dropped():
    stored = content.clean(samples.jpeg_with_gps((64, 48), orientation=6)).data
    assert Image.open(io.BytesIO(stored)).size == (48, 64)


def test_a_png_loses_its_text_and_exif():
    data = content.clean(samples.png(metadata=True)).data
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "PNG" and stored.size == (40, 30)
    assert "Author" not in stored.info and not stored.getexif()
    assert b"Aminata" not in data


def test_whatever_follows_an_image_is_dropped():
    polyglot = samples.png() + samples.HTML
    data = content.clean(polyglot).data
    assert b"<script" not in data and b"html" not in data
    assert Image.open(io.BytesIO(data)).size == (40, 30)
