"""Charts drawn on the server as SVG geometry: no script, no library, a few hundred bytes.

The functions here only compute rectangles and positions; templates/charts.html turns them
into SVG, and every chart is shown next to a table of its numbers.
"""
from __future__ import annotations

from dataclasses import dataclass

WIDTH = 320  # the viewBox width; the SVG scales to the screen


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"


@dataclass(frozen=True)
class Chart:
    height: float
    rects: tuple[Rect, ...]
    texts: tuple[Text, ...]
    description: str

    @property
    def empty(self) -> bool:
        return not self.rects


def bars(items, *, description: str) -> Chart:
    """Horizontal bars, the label above each: items are (label, value, css class)."""
    items = [(str(label), value, css) for label, value, css in items if value]
    top = max((value for _, value, _ in items), default=0)
    rects, texts, y = [], [], 0.0
    for label, value, css in items:
        texts.append(Text(0, y + 12, label))
        width = max(WIDTH * 0.85 * value / top, 1.5)
        rects.append(Rect(0, y + 16, round(width, 1), 14, css, f"{label}: {value}"))
        texts.append(Text(round(width + 4, 1), y + 27, str(value)))
        y += 36
    return Chart(height=y, rects=tuple(rects), texts=tuple(texts), description=description)


def stacked_columns(columns, series, *, description: str, height: float = 140) -> Chart:
    """Vertical columns split by series: columns are (label, {series key: value}); series are
    (key, label, css class) in stacking order, bottom first."""
    columns = list(columns)
    if not columns:
        return Chart(0, (), (), description)
    top = max(sum(values.values()) for _, values in columns) or 1
    step = WIDTH / len(columns)
    width = max(step * 0.7, 2)
    rects, texts = [], []
    every = -(-len(columns) // 6)  # at most 6 axis labels on a phone
    for index, (label, values) in enumerate(columns):
        x = round(index * step + (step - width) / 2, 1)
        base = height
        for key, name, css in series:
            value = values.get(key, 0)
            if not value:
                continue
            h = height * value / top
            base -= h
            rects.append(Rect(x, round(base, 1), round(width, 1), round(h, 1), css,
                              f"{label} · {name}: {value}"))
        if index % every == 0:
            texts.append(Text(round(x + width / 2, 1), height + 14, label, "middle"))
    return Chart(height=height + 18, rects=tuple(rects), texts=tuple(texts),
                 description=description)
