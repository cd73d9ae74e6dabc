"""The README stays a short front page, and the docs it leads to hold together: every relative
link (and image) leads to a file of the repository, every anchor to a heading, every `make`
target named exists, and the guide's screenshots are there, small, and all shown."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.no_db

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
GUIDE_IMAGES = DOCS / "guide" / "img"
README_MAX_BYTES = 6 * 1024
IMAGE_MAX_BYTES = 100 * 1024

FENCE = re.compile(r"^(```|~~~)")
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
CODE_SPAN = re.compile(r"`([^`\n]+)`")
# `make X` where a command starts: at the start, after && ; | ( -- or variables (PORT=8000 make run)
MAKE = re.compile(r"(?:^|&&|;|\||\(|--)\s*(?:[A-Z_]+=\S*\s+)*make(?:\s+-C\s+\S+)?\s+([a-z][\w-]*)")
TARGET = re.compile(r"^([A-Za-z][\w.-]*)\s*:(?!=)")


def markdown_files() -> list[Path]:
    return [README, *sorted(DOCS.rglob("*.md"))]


def split(text: str) -> tuple[list[str], list[str]]:
    """The lines of prose, and the lines of code (fenced, or indented after a blank line)."""
    prose, code = [], []
    fenced = indented = False
    previous_blank = True
    for line in text.splitlines():
        if FENCE.match(line.lstrip()):
            fenced, previous_blank = not fenced, False
            continue
        if fenced:
            code.append(line)
            continue
        if line.startswith("    ") and (previous_blank or indented):
            indented = True
            code.append(line)
        else:
            indented = indented and not line.strip()
            prose.append(line)
        previous_blank = not line.strip()
    return prose, code


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    prose, _code = split(path.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    found = set()
    for line in prose:
        match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if match:
            base = slug(match.group(1))
            count = seen.get(base, 0)
            found.add(base if count == 0 else f"{base}-{count}")
            seen[base] = count + 1
    return found


def links(path: Path) -> list[str]:
    prose, _code = split(path.read_text(encoding="utf-8"))
    text = "\n".join(CODE_SPAN.sub("", line) for line in prose)
    return LINK.findall(text)


def relative(target: str) -> bool:
    return not re.match(r"^[a-z][a-z0-9+.-]*:", target)


def test_the_readme_is_a_front_page_of_at_most_6_kb():
    size = README.stat().st_size
    assert size <= README_MAX_BYTES, f"README.md is {size} bytes: move sections into docs/"


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file_of_the_repository(path):
    broken = []
    for target in filter(relative, links(path)):
        file_part, _, anchor = target.partition("#")
        destination = (path.parent / file_part).resolve() if file_part else path
        if not destination.is_relative_to(ROOT):
            broken.append(f"{target}: outside the repository")
        elif not destination.exists():
            broken.append(f"{target}: no such file")
        elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
            broken.append(f"{target}: no heading #{anchor} in {destination.name}")
    assert not broken, f"{path.relative_to(ROOT)}: " + "; ".join(broken)


def test_the_link_checker_sees_a_broken_link_and_a_broken_anchor(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Title\n\nSee [there](missing.md), [here](#nowhere) and [ok](#title).\n\n"
                    "    [code](not-a-link.md)\n", encoding="utf-8")
    assert links(page) == ["missing.md", "#nowhere", "#title"]
    assert anchors(page) == {"title"}
    assert slug("The guide's screenshots") == "the-guides-screenshots"
    assert slug("Les plans d'action des mécanismes") == "les-plans-daction-des-mécanismes"
    assert slug("The JSON API (`/api/v1`)") == "the-json-api-apiv1"
    commands = tmp_path / "commands.md"
    commands.write_text("`PORT=8000 make run`, `apt-get install -y make git`\n\n"
                        "    runuser -u palabre -- make -C /srv/palabre instal\n", encoding="utf-8")
    assert named_targets(commands) == {"run", "instal"}


def make_targets() -> set[str]:
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    return {match.group(1) for line in lines if (match := TARGET.match(line))}


def named_targets(path: Path) -> set[str]:
    """`make X` in inline code and code blocks: the commands a reader would type."""
    prose, code = split(path.read_text(encoding="utf-8"))
    snippets = [span for line in prose for span in CODE_SPAN.findall(line)] + code
    found = set()
    for snippet in snippets:
        for match in MAKE.finditer(snippet.strip()):
            found.add(match.group(1))
    return found


def test_every_make_target_the_docs_name_exists():
    targets = make_targets()
    assert {"run", "test", "screenshots"} <= targets
    missing = {f"make {name} ({path.relative_to(ROOT)})" for path in markdown_files()
               for name in named_targets(path) if name not in targets}
    assert not missing, f"not in the Makefile: {sorted(missing)}"


def guide_images_shown() -> set[Path]:
    shown = set()
    for path in sorted((DOCS / "guide").glob("*.md")):
        for target in links(path):
            if relative(target) and target.lower().endswith(".png"):
                shown.add((path.parent / target).resolve())
    return shown


def test_the_guide_shows_screenshots_that_exist_and_are_small():
    shown = guide_images_shown()
    assert len(shown) >= 10, "the guide shows the screens of each role"
    for image in shown:
        assert image.is_file(), f"{image.relative_to(ROOT)} is missing: run `make screenshots`"
        size = image.stat().st_size
        assert size < IMAGE_MAX_BYTES, f"{image.relative_to(ROOT)} weighs {size} bytes"


def test_no_screenshot_of_the_guide_sits_there_unused():
    unused = sorted(p.name for p in GUIDE_IMAGES.glob("*.png")
                    if p.resolve() not in guide_images_shown())
    assert not unused, f"images no page of docs/guide shows (remove them): {unused}"
