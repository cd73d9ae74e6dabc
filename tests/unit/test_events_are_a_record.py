"""Events are a record, never business state: no module of the application reads the `Event`
model to decide anything, except those named here, each for a reason that is not a decision
about a case. A new reader fails this test until it is named here with its reason (and the
reason holds up in review)."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "casework"

READERS = {
    # writes the record (the one place that adds Event rows)
    "services/events.py",
    # presents a case's history on its page
    "queries/case_page.py",
    # sign-in throttling: failed attempts leave no other row, whoever typed them
    "services/throttling.py",
    # the administrators' "sign-in closed" wait, read like the throttling above
    "queries/worklist.py",
    # the SMS gateway's rate limit per sender, for the same reason
    "intake/sms_limits.py",
}


def readers() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("models/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1] in (
                    "models", "event") and any(a.name == "Event" for a in node.names):
                found.add(relative)
    return found


@pytest.mark.no_db
def test_only_the_named_modules_read_the_events_table():
    assert readers() == READERS

