"""The offline scripts and the service worker stay light for phones on costly data: 30 KB
compressed in all, with no framework."""
from __future__ import annotations

import gzip
from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "static"
BUDGET = 30 * 1024


def scripts() -> list[Path]:
    return sorted([*STATIC.glob("js/*.js"), STATIC / "sw.js"])


def test_the_scripts_and_the_worker_weigh_under_30_kb_compressed():
    total = sum(len(gzip.compress(path.read_bytes(), compresslevel=9)) for path in scripts())
    assert {path.name for path in scripts()} >= {"sw.js", "store.js", "queue.js", "drafts.js",
                                                  "palabre.js"}
    assert total <= BUDGET, f"{total} bytes compressed"


def test_no_script_loads_anything_from_another_host():
    for path in scripts():
        text = path.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text, path.name
        assert "eval(" not in text and "innerHTML" not in text, path.name
