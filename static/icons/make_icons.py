"""Draws the app's icons (run once: `python static/icons/make_icons.py`; the PNGs are
committed): the brand's colour with a white speech bubble, the palabre."""
from pathlib import Path

from PIL import Image, ImageDraw

ACCENT = (138, 59, 18)
HERE = Path(__file__).resolve().parent


def draw(size: int, path: Path) -> None:
    image = Image.new("RGB", (size, size), ACCENT)
    pen = ImageDraw.Draw(image)
    s = size / 192  # drawn on a 192 grid, inside the maskable safe zone (the central 80 %)
    pen.rounded_rectangle([52 * s, 58 * s, 140 * s, 118 * s], radius=14 * s, fill="white")
    pen.polygon([(70 * s, 116 * s), (70 * s, 140 * s), (94 * s, 116 * s)], fill="white")
    for x in (74, 96, 118):
        pen.ellipse([(x - 6) * s, 82 * s, (x + 6) * s, 94 * s], fill=ACCENT)
    image.save(path, optimize=True)


if __name__ == "__main__":
    draw(192, HERE / "icon-192.png")
    draw(512, HERE / "icon-512.png")
