"""Fill a migrated Palabre database with a large, realistic and consistent programme.

The benchmark needs a national programme: 700 communes, 100,000 cases reported over two years,
about a million events. Going through the services would take hours, so this module writes the
rows itself, but only rows the services could have written: each case follows a route of the
mediation workflow (workflows/definitions/mediation.v1.yaml), played move by move by the people
who make each move in real life (as tests/factories.py PATHS does), with the rows, event kinds
and event data of casework/services/*.py.

1. People (bench/people.py): communes, each with its mediators, mayor and traditional leader,
   and one coordinator of every commune.
2. Plans (bench/plans.py): each case gets a commune, the state it ends in, a conflict type and a
   report date; the plans are then numbered in report order (ids, references).
3. Stories, 5,000 cases at a time: a route of moves (assign, start, step, propose, sign, visit,
   close, refer, dismiss) is drawn for the state, spread between the report and now
   (bench/routes.py), and played into rows (bench/stories.py), which are then written.

What is drawn, and in what proportions, is in bench/corpus.py; the rows wait in bench/rows.py
and bench/output.py writes them.

The database must have the schema (`flask db upgrade`) and no rows. On SQLite the rows go through
executemany, on PostgreSQL through COPY, all in one transaction; ids are ours (1..n per table).
The same seed gives the same data, relative to the moment it runs. Usage:

    python -m bench.generate --database-url sqlite:////tmp/gen/palabre.db [--communes N --cases N]
"""
from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable

from bench.corpus import SEARCH_PARTY, check_vocabulary
from bench.output import open_output
from bench.people import PASSWORD, People, PeopleMaker
from bench.plans import SEARCH_CASE, TEAM_CASE, THIRTY_STEPS_CASE, CasePlan, plan_cases
from bench.rows import Rows
from bench.stories import CaseStory, play_case
from casework.clock import utcnow

CHUNK = 5_000
PROGRESS_EVERY = 10_000


def generate(database_url: str, *, communes: int = 700, cases: int = 100_000, seed: int = 2026,
             progress: Callable[[str], None] = print) -> dict:
    """Fill the migrated, empty database at `database_url`; return what was made."""
    check_vocabulary()
    started = time.monotonic()

    def elapsed() -> str:
        return f"{time.monotonic() - started:.0f} s"

    rng = random.Random(seed)
    now = utcnow().replace(tzinfo=None)  # stored naive, in UTC
    rows = Rows()
    specials: dict[str, list[CaseStory]] = {}
    with open_output(database_url) as output:
        people = PeopleMaker(rng, rows, now).make(communes)
        output.write(rows.take())
        progress(f"people: {communes} communes, {rows.taken['users']} users ({elapsed()})")
        plans = plan_cases(rng, people.staffs, cases, now)
        for start in range(0, cases, CHUNK):
            for plan in plans[start:start + CHUNK]:
                story = play_case(rng, rows, plan, people.coordinator, now)
                if plan.special:
                    specials.setdefault(plan.special, []).append(story)
            output.write(rows.take())
            done = min(start + CHUNK, cases)
            if done % PROGRESS_EVERY == 0 or done == cases:
                progress(f"cases {done}/{cases} ({elapsed()})")
        rows.add_participation()
        output.write(rows.take())
        progress(f"committing and analyzing ({elapsed()})")
        output.finish()
    progress(f"summary tables from the recount ({elapsed()})")
    fill_summaries(database_url)
    for table, count in rows.taken.items():
        progress(f"{table}: {count} rows")
    progress(f"done in {elapsed()}")
    result = describe(people, plans, specials)
    result["counts"] = dict(rows.taken)
    result["seconds"] = round(time.monotonic() - started, 1)
    return result


def fill_summaries(database_url: str) -> None:
    """The dashboard's summary tables, rebuilt as `flask verify-figures --repair` does: the
    rows above were written without the services that keep them."""
    from casework import create_app
    from casework.extensions import db
    from casework.services import summaries
    from config import TestConfig

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        summaries.rebuild(db.session.connection())
        db.session.commit()
        db.engine.dispose()


def describe(people: People, plans: list[CasePlan], specials: dict[str, list]) -> dict:
    """The ids a benchmark needs: people of the busy commune and the cases it acts on."""
    thirty, with_team = specials[THIRTY_STEPS_CASE][0], specials[TEAM_CASE][0]
    busy = thirty.staff
    users = {"coordinator": people.coordinator, "mayor": busy.mayor,
             "mediator": thirty.team[0]}
    return {
        "password": PASSWORD,
        "coordinator_id": people.coordinator,
        "mayor_id": busy.mayor,
        "mediator_id": thirty.team[0],
        "session_ids": {name: f"{user}:{people.nonces[user]}" for name, user in users.items()},
        "busy_commune_id": busy.commune_id,
        "busy_commune_cases": sum(1 for plan in plans if plan.staff is busy),
        "thirty_steps_case_id": thirty.plan.id,
        "thirty_steps_case_reference": thirty.plan.reference,
        "reported_case_id": with_team.plan.id,
        "reported_case_reference": with_team.plan.reference,
        "reported_case_mediator_id": with_team.team[0],
        "search_party_name": SEARCH_PARTY,
        "search_party_cases": len(specials.get(SEARCH_CASE, [])),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description="Fill a migrated, empty Palabre database with a large programme.")
    parser.add_argument("--database-url", required=True,
                        help="e.g. sqlite:////tmp/gen/palabre.db or "
                             "postgresql+psycopg://postgres@127.0.0.1:5432/palabre")
    parser.add_argument("--communes", type=int, default=700)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    result = generate(args.database_url, communes=args.communes, cases=args.cases,
                      seed=args.seed)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
