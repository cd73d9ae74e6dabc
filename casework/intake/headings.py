"""The columns of a KoboToolbox / ODK export as the form's question paths, whatever the export's
settings: XML names with groups (`signalement/village`), names without groups (`village`), or
KoboToolbox's default "labels" export, whose headings are the questions' French labels, with
the groups' labels (`Le conflit/Village ou quartier`) or without (`Village ou quartier`).

Without groups, the parties' questions share a name and a label (three `nom` columns): they are
told apart by their order, which is the form's. A file where no heading is one of the form's
questions is refused with the export settings to choose.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from flask_babel import lazy_gettext as _l

from ..errors import InvalidInput
from . import form_definition as form

SEPARATORS = re.compile(r"[-./]")
# The form's list of communes names the question "Commune", the typed code another label.
ALSO = {"signalement/commune": ["Commune"]}


def _key(text: str) -> str:
    """A heading as compared: lower case, no accents, groups split by `/`, spaces tidied."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return "/".join(" ".join(part.split()) for part in SEPARATORS.split(bare))


def _questions() -> dict[str, list[str]]:
    """Each key a heading may be -> the question paths it names, in the form's order."""
    names: dict[str, list[str]] = defaultdict(list)
    groups: list[tuple[str, str]] = []
    for question in form.survey():
        if question.type == "begin_group":
            groups.append((question.name, question.label))
            continue
        if question.type == "end_group":
            groups.pop()
            continue
        path = "/".join([*(name for name, _ in groups), question.name])
        labels = [question.label, *ALSO.get(path, [])]
        keys = [path, question.name,
                *labels, *("/".join([*(label for _, label in groups), label]) for label in labels)]
        for key in dict.fromkeys(_key(k) for k in keys):
            names[key].append(path)
    return names


def resolve(headings: list[str]) -> list[str]:
    """The question path of each heading, or the heading itself when it names none (the
    export's own columns, _uuid, _submission_time...)."""
    questions = _questions()
    seen: dict[str, int] = defaultdict(int)
    paths = []
    for heading in headings:
        key = _key(heading)
        candidates = questions.get(key) if heading and not heading.startswith("_") else None
        if not candidates:
            paths.append(heading)
            continue
        index = seen[key]
        seen[key] += 1
        paths.append(candidates[index] if index < len(candidates) else heading)
    if headings and not set(paths) & {p for found in questions.values() for p in found}:
        raise InvalidInput(_l(
            "No column of this file is a question of the Palabre form: it was exported with "
            "other settings or from another form. In KoboToolbox, under Downloads, choose the "
            "export type XLS or CSV, the value and header format \"XML values and headers\" "
            "(or \"Labels\" in French), and tick \"Include groups in headers\"."), field="file")
    return paths
