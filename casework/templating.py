"""What every template may use: the access rules, the vocabularies and the date filters."""
from __future__ import annotations

import html

from flask import Flask
from markupsafe import Markup

from . import access, vocabulary
from .clock import utcnow
from .i18n import (
    file_size,
    locale_code,
    number,
    participants_line,
    short_date,
    short_datetime,
)
from .queries.case_page import describe_event
from .queries.waiting import menu_count
from .queries.worklist import SOURCES
from .workflow_registry import state_labels, workflow_of


def commune_options(communes, selected) -> Markup:
    """The <option>s of a choice of commune (rows of access.communes_in: id, code, name,
    case_target), written in one pass: a coordinator may cover hundreds, and a template loop
    cost the case list more than its cases."""
    text = "".join([
        f'<option value="{commune_id}"{" selected" if commune_id == selected else ""}>'
        f"{html.escape(name)}</option>" for commune_id, _code, name, _target in communes])
    return Markup(text)  # nosec B704  # every name escaped above, the ids are integers


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
        commune_options=commune_options,
        participants=participants_line,
    )
    app.jinja_env.filters["labels"] = lambda codes, vocab: ", ".join(
        str(vocabulary.label(vocab, code)) for code in codes)
    app.jinja_env.filters["date"] = short_date
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["datetime"] = short_datetime
    app.jinja_env.filters["file_size"] = file_size
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
