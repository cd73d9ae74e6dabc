"""`make bench`: generate a large programme, measure the main pages, check the targets.

    python -m bench.run [--communes 700 --cases 100000 --runs 30] [--http [--http-seconds 5]]

Runs on a fresh SQLite file under bench/.data/, then on PostgreSQL too when DATABASE_URL
names one (a throw-away database is created on that server and dropped afterwards).
With --http, each database is then served by gunicorn and loaded over HTTP (bench/http_run.py).
Writes bench/results.json and prints a table per database.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import time
import uuid
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from bench.generate import generate
from bench.http_run import print_http, run_http
from bench.measure import (
    add_floor_route,
    measure_get,
    measure_menu_count,
    measure_transitions,
    signed_in,
)
from casework import access, create_app
from casework.extensions import db
from casework.models import Case
from casework.queries.case_list import Key
from config import TestConfig

HERE = Path(__file__).resolve().parent

# (name, ratio to the floor at most, median milliseconds at most), from the issue.
TARGETS = {
    "case list, one commune": (3, None),
    "case list, all communes": (3, None),
    "case page (30 steps)": (3, None),
    "dashboard, all communes": (None, 50),
    "dashboard, one commune": (None, 15),
    "search by party name, all communes": (None, 50),
    "CSV export, one commune": (5, None),
    "menu count": (None, 2),
}


def _app(url: str):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False,
                     CASES_PER_PAGE=50, TESTING=False)
    add_floor_route(app)
    return app


def run_on(url: str, *, communes: int, cases: int, runs: int, keep: Path | None = None,
           http: dict | None = None) -> dict:
    """Generate into `url` (or reuse what `keep` describes), then measure every page; with
    `http` (run_http's options), under gunicorn too."""
    app = _app(url)
    with app.app_context():
        upgrade()
        db.session.remove()
    started = time.perf_counter()
    if keep is not None and keep.exists():
        made = json.loads(keep.read_text())
    else:
        made = generate(url, communes=communes, cases=cases)
        if keep is not None:
            keep.write_text(json.dumps(made))
    generated_in = time.perf_counter() - started
    # What start-up and generation left in memory is not the server's: keep the collector
    # from walking it during the measures (as a server that forks its workers would).
    gc.collect()
    gc.freeze()
    clients = {"coordinator": signed_in(app, made["coordinator_id"]),
               "mayor": signed_in(app, made["mayor_id"])}
    commune = made["busy_commune_id"]
    floor = f"/_bench/floor/{made['mediator_id']}"
    # (name, who asks, path): each page is compared with the floor asked by the same person,
    # so that the ratio is what the page costs beyond being signed in as them.
    last_by_next = _last_page_cursor(app)
    pages = [
        ("case list, all communes, last page by Next", "coordinator",
         f"/cases?after={last_by_next}"),
        ("case list, all communes, last page by before=end", "coordinator",
         "/cases?before=end"),
        ("case list, one commune", "mayor", "/cases?type=land&status=closed"),
        ("case list, all communes", "coordinator", "/cases?status=in_mediation&type=land&page=2"),
        ("case list, all communes, no filter", "coordinator", "/cases"),
        ("case page (30 steps)", "coordinator", f"/cases/{made['thirty_steps_case_reference']}"),
        ("dashboard, all communes", "coordinator", "/dashboard"),
        ("dashboard, one commune", "coordinator", f"/dashboard?commune={commune}"),
        ("search by party name, all communes", "coordinator",
         f"/cases?q={made['search_party_name']}"),
        ("CSV export, one commune", "coordinator", f"/exports/cases.csv?commune={commune}"),
    ]
    measures = []
    for name, who, path in pages:
        print(f"  measuring {name} ({runs} requests and as many floors)", flush=True)
        page, page_floor = measure_get(app, f"{name} ({who})", clients[who], path, floor, runs)
        measures.append((page, page_floor))
    print("  measuring one transition", flush=True)
    transition = measure_transitions(app, min(runs, 20))
    _, mayor_floor = measure_get(app, "floor", clients["mayor"], floor, floor, runs)
    measures.append((transition, mayor_floor))
    # The menu's count of each kind of person, beside the floor of a page (a part of every
    # page, not a page).
    for who in ("coordinator", "mayor", "mediator"):
        print(f"  measuring the menu count ({who})", flush=True)
        measures.append((measure_menu_count(app, f"menu count ({who})", made[f"{who}_id"],
                                            runs), mayor_floor))
    with app.app_context():
        db.engine.dispose()
    result = {
        "database": make_url(url).get_backend_name(),
        "generated": made["counts"],
        "generated_in_s": round(generated_in, 1),
        "results": [_row(m, floor) for m, floor in measures],
    }
    if http is not None:
        result["http"] = run_http(url, made, **http)
    return result


def _last_page_cursor(app) -> str:
    """The cursor the "Next" link of the last page but one carries, in the coordinator's
    unfiltered list: what reaching the oldest cases costs (OFFSET read every row before)."""
    per_page = app.config["CASES_PER_PAGE"]
    with app.app_context():
        visible = select(Case).where(access.UNMERGED)
        total = db.session.scalar(select(func.count()).select_from(visible.subquery()))
        before_last = db.session.scalar(
            visible.order_by(Case.created_at.desc(), Case.id.desc())
            .offset(max(0, (total - 1) // per_page * per_page - 1)).limit(1))
        cursor = str(Key.of(before_last))
        db.session.remove()
    return cursor


def _row(m, floor) -> dict:
    ratio_limit, ms_limit = TARGETS.get(m.name.rsplit(" (", 1)[0], (None, None))
    ratio = m.median / floor.median
    ok = ((ratio_limit is None or ratio <= ratio_limit)
          and (ms_limit is None or m.median <= ms_limit))
    target = " and ".join(filter(None, (ratio_limit and f"<= {ratio_limit}x floor",
                                        ms_limit and f"< {ms_limit} ms")))
    return {"name": m.name, "median_ms": round(m.median, 2), "p95_ms": round(m.p95, 2),
            "cpu_median_ms": round(m.cpu_median, 2), "floor_ms": round(floor.median, 2),
            "ratio": round(ratio, 2), "queries": m.queries, "floor_queries": floor.queries,
            "target": target or None, "met": ok if target else None}


def print_table(result: dict) -> None:
    print(f"\n{result['database']}: {result['generated']}")
    print(f"generated in {result['generated_in_s']} s")
    header = (f"{'request (asked by)':50} {'median ms':>9} {'p95 ms':>7} {'cpu ms':>7} "
              f"{'floor ms':>8} {'x floor':>7} {'queries':>7}  target")
    print(header)
    print("-" * len(header))
    for r in result["results"]:
        verdict = "" if r["met"] is None else ("met" if r["met"] else "MISSED")
        target = f"{r['target']} {verdict}" if r["target"] else ""
        print(f"{r['name']:50} {r['median_ms']:>9.2f} {r['p95_ms']:>7.2f} "
              f"{r['cpu_median_ms']:>7.2f} {r['floor_ms']:>8.2f} {r['ratio']:>7.2f} "
              f"{r['queries']:>7}  {target}")
    if "http" in result:
        print_http(result["http"])


def _postgres(server_url: str):
    url = make_url(server_url)
    name = f"palabre_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return url.set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--communes", type=int, default=700)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--http", action="store_true",
                        help="also serve each database with gunicorn and load it over HTTP")
    parser.add_argument("--http-seconds", type=float, default=5,
                        help="seconds of load per page (the mixed workload twice as long)")
    parser.add_argument("--http-deadline", type=float, default=240,
                        help="seconds after which the HTTP run of a database starts nothing new")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the SQLite data of the previous run again (no generation)")
    args = parser.parse_args()
    sizes = {"communes": args.communes, "cases": args.cases, "runs": args.runs,
             "http": {"seconds": args.http_seconds, "deadline_seconds": args.http_deadline}
             if args.http else None}
    data_dir = HERE / ".data"
    data_dir.mkdir(exist_ok=True)
    sqlite_file, made_file = data_dir / "bench.db", data_dir / "bench.json"
    if not args.reuse:
        for path in (made_file, *(Path(f"{sqlite_file}{s}") for s in ("", "-wal", "-shm"))):
            path.unlink(missing_ok=True)
    results = []
    print(f"SQLite: {args.communes} communes and {args.cases} cases", flush=True)
    results.append(run_on(f"sqlite:///{sqlite_file}", **sizes, keep=made_file))
    print_table(results[-1])
    server = os.environ.get("DATABASE_URL", "")
    if server.startswith("postgresql"):
        url, drop = _postgres(server)
        try:
            print(f"\nPostgreSQL: {args.communes} communes and {args.cases} cases", flush=True)
            results.append(run_on(url, **sizes))
            print_table(results[-1])
        finally:
            drop()
    summary = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                           "platform": platform.platform()},
               "runs_per_request": args.runs, "databases": results}
    (HERE / "results.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    print(f"\nresults written to {HERE / 'results.json'}")


if __name__ == "__main__":
    main()
