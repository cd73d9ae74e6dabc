"""How long a Kobo import holds the database, and the memory it takes (not part of the test
suite): `python -m bench.imports [--rows 3000]`.

Imports a generated CSV of `--rows` submissions as a job on a fresh SQLite file, as the command
line does, and prints the whole import's time, its longest write transaction (what a sign-in
may have to wait for) and the process's peak memory during the import.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]


def status_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from casework import create_app
    from casework.database import write_intent
    from casework.extensions import db
    from casework.intake import files, jobs
    from casework.models import Commune
    from casework.services import accounts
    from config import TestConfig
    from tests.intake.samples import as_csv, submission

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/bench.db")
        with app.app_context(), app.test_request_context():
            upgrade()
            token = write_intent.set(True)
            commune = Commune(code="KLA", name="Kolondiéba", cercle="Kolondiéba",
                              region="Sikasso")
            db.session.add(commune)
            db.session.flush()
            actor = accounts.create_user(None, username="coord", full_name="Coord",
                                         password="x" * 12, is_admin=False,
                                         must_change_password=False,
                                         memberships=[(commune.id, "coordinator")])
            db.session.commit()
            data = as_csv([submission("KLA", f"bench-{n:05d}") for n in range(args.rows)])
            spans, began = [], {}

            @event.listens_for(db.engine, "begin")
            def _begin(connection):
                began[id(connection)] = time.perf_counter()

            @event.listens_for(db.engine, "commit")
            def _commit(connection):
                spans.append(time.perf_counter() - began.pop(id(connection), time.perf_counter()))

            with open("/proc/self/clear_refs", "w") as clear:
                clear.write("5")
            rss = status_kib("VmRSS")
            started = time.perf_counter()
            rows = files.read_submissions(data, "export.csv")
            job = jobs.start(actor, data, "export.csv", dry_run=False, total=len(rows))
            db.session.commit()
            jobs.run(job.id)
            total = time.perf_counter() - started
            write_intent.reset(token)
            job = db.session.get(type(job), job.id)
            print(json.dumps({
                "rows": args.rows, "csv_bytes": len(data), "status": job.status,
                "created": job.created, "seconds": round(total, 1),
                "transactions": len(spans), "longest_transaction_ms": round(max(spans) * 1000),
                "median_transaction_ms": round(sorted(spans)[len(spans) // 2] * 1000),
                "rss_before_mib": round(rss / 1024, 1),
                "peak_rss_mib": round(status_kib("VmHWM") / 1024, 1)}))


if __name__ == "__main__":
    main()
