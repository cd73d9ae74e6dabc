"""The programme's logframe: its indicators as data (logframe/*.yaml), loaded and checked when
the app starts, like the workflow definitions, so that a programme changes an indicator's label,
definition, baseline or target without code.

Each indicator names the figure that computes it, one function of casework/queries/programme.py;
a file with an unknown key or figure, a missing label, a target that is not a whole number or a
code used twice stops the app, naming the file and the problem (`flask check-logframe` says the
same without starting anything).
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from flask import current_app

LANGUAGES = ("fr", "en")
PERIODS = ("programme", "year", "quarter", "month")
INDICATOR_KEYS = {"code", "label", "definition", "figure", "value", "people", "baseline",
                  "target"}
TARGET_KEYS = {"per_commune", "per", "communes"}


class LogframeError(ValueError):
    """A logframe file that cannot be used: the message names the file and the problem."""


@dataclass(frozen=True)
class Target:
    per_commune: int
    per: str = "programme"
    communes: dict[str, int] = field(default_factory=dict)  # commune code -> its own target

    def of(self, commune_code: str) -> int:
        return self.communes.get(commune_code, self.per_commune)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: dict[str, str]
    definition: dict[str, str]
    figure: str
    value: tuple[str, ...] = ()  # the figure's columns summed into the value; () for all
    people: bool = False
    baseline: int = 0
    target: Target | None = None

    def text(self, what: str, language: str) -> str:
        texts = getattr(self, what)
        return texts.get(language) or texts["fr"]


@dataclass(frozen=True)
class Logframe:
    code: str
    name: dict[str, str]
    donor: dict[str, str]
    communes: int
    indicators: tuple[Indicator, ...]
    source: str

    def text(self, what: str, language: str) -> str:
        texts = getattr(self, what)
        return texts.get(language) or texts["fr"]


def _texts(value, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(value.get(lang), str) and value[lang]
                                              for lang in LANGUAGES):
        raise LogframeError(f"{where}: needs a text in each of {', '.join(LANGUAGES)}")
    return {lang: value[lang] for lang in LANGUAGES}


def _whole(value, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise LogframeError(f"{where}: must be a whole number (0 or more), not {value!r}")
    return value


def _target(value, where: str) -> Target | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) - TARGET_KEYS or "per_commune" not in value:
        raise LogframeError(f"{where}: a target has per_commune, and may have per and communes")
    per = value.get("per", "programme")
    if per not in PERIODS:
        raise LogframeError(f"{where}.per: one of {', '.join(PERIODS)}, not {per!r}")
    communes = value.get("communes") or {}
    if not isinstance(communes, dict):
        raise LogframeError(f"{where}.communes: commune code -> target")
    return Target(_whole(value["per_commune"], f"{where}.per_commune"), per,
                  {str(code): _whole(n, f"{where}.communes.{code}")
                   for code, n in communes.items()})


def _indicator(raw, where: str, figures: Collection[str]) -> Indicator:
    if not isinstance(raw, dict):
        raise LogframeError(f"{where}: an indicator is a mapping")
    unknown = set(raw) - INDICATOR_KEYS
    if unknown:
        raise LogframeError(f"{where}: unknown key {', '.join(sorted(unknown))}")
    code = raw.get("code")
    if not isinstance(code, str) or not code:
        raise LogframeError(f"{where}: needs a code (text)")
    where = f"{where} ({code})"
    if raw.get("figure") not in figures:
        raise LogframeError(f"{where}: unknown figure {raw.get('figure')!r}")
    value = raw.get("value") or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LogframeError(f"{where}.value: a list of the figure's columns")
    return Indicator(code=code, label=_texts(raw.get("label"), f"{where}.label"),
                     definition=_texts(raw.get("definition"), f"{where}.definition"),
                     figure=raw["figure"], value=tuple(value), people=bool(raw.get("people")),
                     baseline=_whole(raw.get("baseline", 0), f"{where}.baseline"),
                     target=_target(raw.get("target"), f"{where}.target"))


def load(path: str | Path, figures: Collection[str]) -> Logframe:
    """Read and check a logframe file; LogframeError names the file and the problem."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise LogframeError(f"{path}: cannot be read: {error}") from error
    try:
        if not isinstance(raw, dict) or set(raw) != {"programme", "indicators"}:
            raise LogframeError("needs exactly the keys programme and indicators")
        programme = raw["programme"]
        if not isinstance(programme, dict) or not isinstance(programme.get("code"), str):
            raise LogframeError("programme: needs a code")
        indicators = raw["indicators"]
        if not isinstance(indicators, list) or not indicators:
            raise LogframeError("indicators: a list of at least one indicator")
        found = tuple(_indicator(item, f"indicators[{n}]", figures)
                      for n, item in enumerate(indicators))
        codes = [i.code for i in found]
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            raise LogframeError(f"indicators: code used twice: {', '.join(twice)}")
        return Logframe(code=programme["code"],
                        name=_texts(programme.get("name"), "programme.name"),
                        donor=_texts(programme.get("donor"), "programme.donor"),
                        communes=_whole(programme.get("communes", 0), "programme.communes"),
                        indicators=found, source=str(path))
    except LogframeError as error:
        raise LogframeError(f"{path}: {error}") from None


def init_app(app) -> None:
    from .queries.programme import FIGURES
    app.extensions["palabre.logframe"] = load(app.config["LOGFRAME_FILE"], FIGURES)


def current() -> Logframe:
    return current_app.extensions["palabre.logframe"]
