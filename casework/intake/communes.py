"""Which commune a report from outside names: its code (KLD) or its name as people type it on a
phone, with or without accents and in any case (Kolondieba, KOLONDIÉBA), or as a KoboToolbox
export with labels writes the form's answer ("Kolondiéba (KLD)"). When nothing matches, the
nearest names are offered (codes are easy to confuse: Kadiolo is KDL, Kolondiéba KLD)."""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import Commune

# The form's list answer as KoboToolbox's "labels" export writes it: "Name (CODE)".
LABELLED = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[A-Za-z]{2,6})\)\s*$")
NEAREST = 3


def folded(text: str) -> str:
    """Lower case, without accents, spaces, hyphens or apostrophes: how two spellings of one
    name compare."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", bare.casefold())


@dataclass
class Communes:
    """The communes, found by code or by name; load once per import or message."""

    by_code: dict[str, Commune]
    by_name: dict[str, Commune]

    @classmethod
    def load(cls) -> Communes:
        communes = list(db.session.scalars(select(Commune)))
        return cls({c.code.upper(): c for c in communes}, {folded(c.name): c for c in communes})

    def find(self, given: str) -> Commune | None:
        text = (given or "").strip()
        labelled = LABELLED.match(text)
        if labelled:
            return self.by_code.get(labelled["code"].upper()) or self.find(labelled["name"])
        return self.by_code.get(text.upper()) or self.by_name.get(folded(text))

    def nearest(self, given: str) -> list[Commune]:
        """The communes whose name or code is closest to what was given, best first."""
        key = folded(given)
        if not key:
            return []
        keys = {**{folded(code): c for code, c in self.by_code.items()}, **self.by_name}
        found = []
        for match in difflib.get_close_matches(key, list(keys), n=NEAREST * 2, cutoff=0.6):
            if keys[match] not in found:
                found.append(keys[match])
        return found[:NEAREST]


def form_list() -> list[tuple[str, str]]:
    """(code, name) of every commune, by name: the offline form's list to choose from."""
    return list(db.session.execute(select(Commune.code, Commune.name).order_by(Commune.name)))


def named(communes: list[Commune]) -> str:
    """"Kolondiéba (KLD), Kadiolo (KDL)": how a message offers them."""
    return ", ".join(f"{c.name} ({c.code})" for c in communes)
