"""What every template may use: the access rules, the vocabularies and the date filters."""
from __future__ import annotations

from flask import Flask

from . import access, vocabulary
from .clock import utcnow
from .i18n import file_size, locale_code, number, short_date, short_datetime
from .queries.case_page import describe_event
from .queries.waiting import menu_count
from .queries.worklist import SOURCES
from .workflow_registry import state_labels, workflow_of


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        can=access.can,
        sees_identities=access.sees_identities,
        on_the_phone=access.on_the_phone,
        vocab=vocabulary,
        label=vocabulary.label,
        locale_code=locale_code,
        workflow_of=workflow_of,
        state_labels=state_labels,
        now=utcnow,
        describe_event=describe_event,
        menu_count=menu_count,
        waiting_sources=SOURCES,
    )
    app.jinja_env.filters["labels"] = lambda codes, vocab: ", ".join(
        str(vocabulary.label(vocab, code)) for code in codes)
    app.jinja_env.filters["date"] = short_date
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["datetime"] = short_datetime
    app.jinja_env.filters["file_size"] = file_size
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
