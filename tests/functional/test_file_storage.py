"""The storage of uploaded files, over both the directory and the database: what is written
reads back whole, the database's one chunk at a time; nothing stays when the work rolls back;
orphans are removed; files move from one storage to the other; a backup holds them."""
import io
import os

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from casework import create_app
from casework.extensions import db
from casework.files import store
from casework.models import FileChunk
from casework.models.file_chunk import CHUNK_BYTES
from casework.services import attachments
from config import BASE_DIR, TestConfig
from tests import filesamples as samples
from tests.file_storage import BOTH


@pytest.fixture
def attach(people, make_case):
    """attach(data): a file on a new case in mediation, through the service; its row."""
    def make(data: bytes = samples.pdf()):
        checked = attachments.check_upload(io.BytesIO(data), "accord.pdf", "")
        row = attachments.add_attachment(people.mediator, make_case("in_mediation"), checked)
        db.session.commit()
        return row
    return make


@pytest.fixture
def chunk_reads():
    """The statements that read one chunk of a file, as they are sent."""
    seen = []

    def note(_conn, _cursor, statement, *_args):
        if "SELECT file_chunks.data" in statement and "file_chunks.seq =" in statement:
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", note)
    yield seen
    event.remove(Engine, "before_cursor_execute", note)


@BOTH
def test_a_file_reads_back_whole_across_its_chunks(storage, chunk_reads):
    data = os.urandom(2 * CHUNK_BYTES + 12345)
    name = store.write(db.session(), data)
    db.session.commit()
    assert storage.written() == [name]
    with store.open_file(name) as stored:
        opened = len(chunk_reads)
        pieces = []
        while piece := stored.read(300_000):  # reads that straddle the chunks' edges
            pieces.append(piece)
    assert b"".join(pieces) == data
    if storage.kind == "database":
        assert storage.chunk_sizes(name) == [CHUNK_BYTES, CHUNK_BYTES, 12345]
        # the first chunk when the file is opened, each other one as it is read, then the end
        assert (opened, len(chunk_reads)) == (1, 4)


@BOTH
def test_nothing_is_kept_when_the_work_rolls_back(storage):
    name = store.write(db.session(), samples.pdf())
    db.session.rollback()
    assert storage.written() == []
    with pytest.raises(FileNotFoundError):
        store.open_file(name)


@BOTH
@pytest.mark.parametrize("name", ["../palabre.db", "0" * 32])
def test_a_name_that_is_not_stored_is_not_found(storage, name):
    with pytest.raises(FileNotFoundError):
        store.open_file(name)


@pytest.mark.parametrize("storage", ["database"], indirect=True)
def test_chunks_no_row_names_are_removed_as_orphans(app, storage, attach):
    kept = attach().stored_name
    db.session.add_all([FileChunk(stored_name="f" * 32, seq=seq, data=b"x") for seq in (0, 1)])
    db.session.commit()
    runner = app.test_cli_runner()
    assert "1 orphan file(s) found." in runner.invoke(
        args=["remove-orphan-files", "--dry-run"]).output
    assert "1 orphan file(s) removed." in runner.invoke(args=["remove-orphan-files"]).output
    assert storage.written() == [kept]


def test_files_move_to_the_database_and_back(app, storage, attach, monkeypatch):
    data = samples.pdf(size=CHUNK_BYTES + 10)
    name = attach(data).stored_name
    runner = app.test_cli_runner()
    moved = runner.invoke(args=["move-files", "--to", "database"])
    assert moved.exit_code == 0
    assert "1 file(s) copied to the database, 0 already there." in moved.output
    assert "0 file(s) copied to the database, 1 already there." in runner.invoke(
        args=["move-files", "--to", "database"]).output
    monkeypatch.setitem(app.config, "FILE_STORAGE", "database")
    assert storage.chunk_sizes(name) == [CHUNK_BYTES, 10]
    assert storage.read(name) == data
    (storage.folder / name).unlink()
    assert "1 file(s) copied to the directory, 0 already there." in runner.invoke(
        args=["move-files", "--to", "directory"]).output
    assert (storage.folder / name).read_bytes() == data


@pytest.mark.sqlite_only  # PostgreSQL is backed up with pg_dump, which holds the chunks
@BOTH
def test_a_backup_holds_the_stored_files(app, storage, attach, tmp_path):
    name = attach().stored_name
    runner = app.test_cli_runner()
    first = runner.invoke(args=["backup", str(tmp_path / "copies" / "palabre-1.db")])
    again = runner.invoke(args=["backup", str(tmp_path / "copies" / "palabre-2.db")])
    assert (first.exit_code, again.exit_code) == (0, 0), first.output
    mirror = tmp_path / "copies" / "attachments"
    if storage.kind == "database":
        assert "Stored files: in the database, so in the copy." in first.output
        assert not mirror.exists()
    else:
        assert f"Stored files: 1 new one(s) copied to {mirror}." in first.output
        assert f"Stored files: 0 new one(s) copied to {mirror}." in again.output
        assert (mirror / name).read_bytes() == (storage.folder / name).read_bytes()
        assert os.stat(mirror / name).st_mode & 0o777 == 0o600


@pytest.mark.no_db
@pytest.mark.parametrize("storage, starts", [("s3", False), ("database", True)])
def test_the_storage_is_checked_at_start(tmp_path, storage, starts):
    """An unknown storage stops the app; the database one ignores ATTACHMENTS_DIR, even under
    static/ (nothing is written there)."""
    def start():
        return create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'x.db'}",
                          FILE_STORAGE=storage, ATTACHMENTS_DIR=str(BASE_DIR / "static" / "f"))
    if starts:
        assert start().config["FILE_STORAGE"] == "database"
    else:
        with pytest.raises(RuntimeError, match="PALABRE_FILE_STORAGE='s3' is unknown"):
            start()
