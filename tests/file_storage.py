"""The storage of uploaded files, for the tests that run over both (casework/files/store.py):
`storage` is "directory" unless a test asks for both with `@BOTH`; what is stored is read back
the same way whichever it is."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from casework.extensions import db
from casework.files import store
from casework.models import FileChunk

STORAGES = ("directory", "database")
BOTH = pytest.mark.parametrize("storage", STORAGES, indirect=True)


@dataclass
class Storage:
    kind: str
    folder: Path  # ATTACHMENTS_DIR, fresh for the test (stays empty with "database")

    def written(self) -> list[str]:
        """Every stored name, and in a directory every file at all (a temporary left over)."""
        folder = sorted(p.name for p in self.folder.iterdir()) if self.folder.exists() else []
        if self.kind == "directory":
            return folder
        assert folder == []
        return sorted(set(db.session.scalars(select(FileChunk.stored_name))))

    def read(self, name: str) -> bytes:
        with store.open_file(name) as stored:
            return stored.read()

    def chunk_sizes(self, name: str) -> list[int]:
        return [len(data) for data in db.session.scalars(
            select(FileChunk.data).where(FileChunk.stored_name == name).order_by(FileChunk.seq))]


@pytest.fixture
def storage(request, app, tmp_path, monkeypatch) -> Storage:
    kind = getattr(request, "param", "directory")
    monkeypatch.setitem(app.config, "FILE_STORAGE", kind)
    folder = tmp_path / "attachments"
    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(folder))
    return Storage(kind, folder)
