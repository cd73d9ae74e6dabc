"""The user guide's screenshots (docs/guide/img/), taken by the browser journeys.

`make screenshots` runs the journeys with PALABRE_GUIDE_IMAGES naming that folder: each named
screenshot of a journey is then also written there, cut to at most one and a half screens from
where it is focused and reduced to a small palette, so that each image weighs a few tens of KB.
"""
from __future__ import annotations

import os
from pathlib import Path

from PIL import Image

VARIABLE = "PALABRE_GUIDE_IMAGES"
MAX_HEIGHT = 1110  # px: one and a half screens of the 360x740 phone
MARGIN = 16  # px kept above the focused element
COLOURS = 64


def folder() -> Path | None:
    """Where the guide's images go, or None when the run is not `make screenshots`."""
    value = os.environ.get(VARIABLE)
    if not value:
        return None
    path = Path(value)
    path.mkdir(parents=True, exist_ok=True)
    return path


def save(screenshot: Path, destination: Path, top: int = 0) -> Path:
    """Write the guide's copy of a full-page screenshot: from `top` (less a margin, and never
    leaving less than MAX_HEIGHT below when the page has it), in a reduced palette."""
    with Image.open(screenshot) as image:
        image = image.convert("RGB")
        width, height = image.size
        start = max(0, min(top - MARGIN, height - MAX_HEIGHT))
        image = image.crop((0, start, width, min(height, start + MAX_HEIGHT)))
        image = image.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT,
                               dither=Image.Dither.NONE)
        image.save(destination, format="PNG", optimize=True)
    return destination
