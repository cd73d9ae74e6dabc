"""Language and time zone: French first, English second, Africa/Bamako on screen."""
from __future__ import annotations

from functools import lru_cache

from babel.numbers import get_group_symbol
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale, gettext
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import escape

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


def locale_code() -> str:
    return str(get_locale() or "fr")


def short_date(value) -> str:
    """A date as 29/11/2026, whatever the language."""
    return format_date(value, "dd/MM/yyyy") if value else ""


def short_datetime(value) -> str:
    """A moment in Bamako time as 29/11/2026 14:05."""
    return format_datetime(value, "dd/MM/yyyy HH:mm") if value else ""


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
