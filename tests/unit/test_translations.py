"""The French catalogue is complete: every string the code and templates show has a French
translation, with the same placeholders; the screens come out in French by default."""
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "casework" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")

pytestmark = pytest.mark.no_db


def extracted() -> set:
    """What pybabel would extract today, from the source itself (not from a stale .pot)."""
    method_map = [("casework/**.py", "python"), ("templates/**.html", "jinja2")]
    messages = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, keywords=KEYWORDS):
        messages.add(message if isinstance(message, str) else tuple(message))
    return messages


@pytest.fixture(scope="module")
def french():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    return {(m.id if isinstance(m.id, str) else tuple(m.id)): m for m in catalogue if m.id}


def test_every_string_shown_has_a_french_translation(french):
    missing = sorted(str(m) for m in extracted()
                     if m not in french or not _translated(french[m]))
    assert missing == [], "untranslated in fr (run `make messages`, then translate):\n" + \
        "\n".join(missing)


def test_no_translation_is_fuzzy(french):
    assert sorted(str(k) for k, m in french.items() if m.fuzzy) == []


def test_placeholders_survive_translation(french):
    wrong = []
    for key, message in french.items():
        ids = [key] if isinstance(key, str) else list(key)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            if string and set(PLACEHOLDER.findall(string)) != expected:  # empty: untranslated
                wrong.append(f"{key!r} -> {string!r}")
    assert wrong == []


def _translated(message) -> bool:
    if isinstance(message.string, str):
        return bool(message.string.strip())
    return all(s.strip() for s in message.string)


@pytest.mark.parametrize("locale, value, shown", [
    ("fr", 7, "7"), ("fr", 12345, "12\u202f345"), ("en", 12345, "12,345"), ("fr", 41.94, "41,9"),
    ("en", -1500, "-1,500"), ("fr", 0, "0"),
])
def test_numbers_are_grouped_in_the_readers_language(app, locale, value, shown):
    from flask_babel import force_locale

    from casework.i18n import number
    with app.test_request_context(), force_locale(locale):
        assert number(value) == shown
