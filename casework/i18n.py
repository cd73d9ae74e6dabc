"""Language and time zone: French first, English second, Africa/Bamako on screen."""
from __future__ import annotations

from datetime import datetime, time, timezone
from functools import lru_cache

from babel.numbers import get_group_symbol
from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import (
    format_decimal,
    get_locale,
    get_translations,
    gettext,
)
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import escape

from .clock import local
from .extensions import babel


def _escaped_html(self: LazyString):
    """What a template writes for a lazy message: its text, escaped like any other string."""
    return escape(str(self))


# flask_babel's LazyString tells Jinja it is already safe HTML (its __html__ returns the text
# as it is), so a lazy message carrying what someone typed ("The commune %(name)s is saved.",
# "This date is not valid: %(value)s") reached the page unescaped. No message of Palabre holds
# markup: escape them all.
LazyString.__html__ = _escaped_html


# The language chosen with the footer's switch by a signed-in person: this session only, over
# the account's saved language (cleared at sign-in, and when the account's language is saved).
LANGUAGE_NOW = "language_now"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a flask command, a test calling a service
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.path.startswith("/api/"):  # the API: Accept-Language alone, French by default
        return (request.accept_languages.best_match(languages)
                or current_app.config["BABEL_DEFAULT_LOCALE"])
    if current_user and current_user.is_authenticated:
        switched = session.get(LANGUAGE_NOW)  # the footer's switch, for this session
        if switched in languages:
            return switched
        if current_user.language in languages:
            return current_user.language
    chosen = session.get("language")
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def translations():
    """The catalogue of the language in force, as flask_babel finds it, but found once per
    language and request: flask_babel looks it up anew for every message, and a case page
    writes hundreds. A `force_locale` block changes the language, so a new catalogue."""
    if not has_app_context():
        return get_translations()
    locale = get_locale()
    kept = g.get("palabre_translations")
    if kept is None or kept[0] is not locale:
        kept = g.palabre_translations = (locale, get_translations())
    return kept[1]


def participants_line(women: int, men: int, young_women: int, young_men: int) -> str:
    """The people at a mediation step, each count with its own plural; the four are separate.
    Written here rather than by a macro: a case page shows one per step."""
    catalogue = translations()
    gettext, ngettext = catalogue.ugettext, catalogue.ungettext
    counts = [
        ngettext("%(num)s woman over 35", "%(num)s women over 35", women) % {
            "num": number(women)},
        ngettext("%(num)s young woman (15-35)", "%(num)s young women (15-35)", young_women) % {
            "num": number(young_women)},
        ngettext("%(num)s man over 35", "%(num)s men over 35", men) % {"num": number(men)},
        ngettext("%(num)s young man (15-35)", "%(num)s young men (15-35)", young_men) % {
            "num": number(young_men)},
    ]
    return gettext("Participants: %(counts)s") % {"counts": ", ".join(counts)}


def locale_code() -> str:
    return str(get_locale() or "fr")


def _on_screen(value) -> datetime:
    """A moment in Bamako time (a naive one is UTC, as flask_babel read it); a day at its
    midnight. Written without Babel's patterns: a case page shows a hundred dates."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time())
    return local(value if value.tzinfo else value.replace(tzinfo=timezone.utc))


def short_date(value) -> str:
    """A date as 29/11/2026, whatever the language."""
    if not value:
        return ""
    day = value if not isinstance(value, datetime) else _on_screen(value)
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def short_datetime(value) -> str:
    """A moment in Bamako time as 29/11/2026 14:05."""
    if not value:
        return ""
    moment = _on_screen(value)
    return f"{short_date(moment)} {moment.hour:02d}:{moment.minute:02d}"


def number(value) -> str:
    """1 234,5 in French, 1,234.5 in English; at most one decimal.

    Whole numbers (a dashboard has thousands of them) are grouped here without Babel's
    pattern machinery; the separator still comes from the locale.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if -1000 < value < 1000:  # most cells of a table: nothing to group
            return str(value)
        return f"{value:,}".replace(",", _group_symbol(locale_code()))
    return format_decimal(value, format="#,##0.#")


def file_size(size: int) -> str:
    """340 Ko, 2,5 Mo: a file's size as people read it (1 Ko = 1024 bytes)."""
    if size < 1024 * 1024:
        return gettext("%(size)s KB", size=number(max(1, -(-size // 1024))))
    return gettext("%(size)s MB", size=number(round(size / (1024 * 1024), 1)))


@lru_cache(maxsize=8)
def _group_symbol(locale: str) -> str:
    return get_group_symbol(locale)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    # The templates' _() and ngettext(), as flask_babel installs them, on the catalogue kept.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n))
