"""Accent- and case-insensitive search text: `segou` finds `Ségou`, `ngolo` finds `N'Golo`.

Pure Python (no Flask): the application, the migrations and the benchmark fold text the same way.
"""
from __future__ import annotations

import re
import unicodedata

# Bambara letters that no decomposition turns into Latin ones; a phone keyboard types these.
_BAMBARA = str.maketrans({"ɛ": "e", "Ɛ": "e", "ɔ": "o", "Ɔ": "o", "ɲ": "ny", "Ɲ": "ny",
                          "ŋ": "ng", "Ŋ": "ng"})
_APOSTROPHES = re.compile(r"['’ʼ`´‘]")
_SEPARATORS = re.compile(r"[^\w-]+")


def fold(text: str | None) -> str:
    """Lower case, no accents, no apostrophes, words separated by single spaces."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text.translate(_BAMBARA))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _APOSTROPHES.sub("", text)
    return " ".join(_SEPARATORS.sub(" ", text).replace("_", " ").split())


def case_text(reference: str, confidential: bool, village: str = "", description: str = "",
              party_names=()) -> str:
    """What a case is found by: a confidential case by its reference only."""
    if confidential:
        return fold(reference)
    return " ".join(filter(None, (fold(reference), fold(village), *map(fold, party_names),
                                  fold(description))))


def words(query: str | None) -> list[str]:
    """The folded words of a query, each of which a case's text must contain.

    Folding leaves no LIKE wildcard (`%`, `_`) nor backslash in a word: it is safe in `%word%`.
    """
    return fold(query).split()[:8]


# The search's trigram index (migration 5d1e7f3a9c42): SQLite's FTS5 table over case_search
# and the tables FTS5 keeps for it, PostgreSQL's GIN index. No model declares them (neither
# database could build the other's): autogenerate and the schema test leave them out.
TRIGRAM_INDEX = "case_search_trigrams"
TRIGRAM_GIN_INDEX = "ix_case_search_text_trigrams"


def outside_the_models(name: str | None) -> bool:
    """Whether a table or index of the database is the search's index, which no model holds."""
    return bool(name) and (name in (TRIGRAM_INDEX, TRIGRAM_GIN_INDEX)
                           or name.startswith(f"{TRIGRAM_INDEX}_"))


def include_object(_object, name, _type, reflected, _compare_to) -> bool:
    """Alembic's filter: everything but the search's index."""
    return not (reflected and outside_the_models(name))
