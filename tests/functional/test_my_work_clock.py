"""'Mon travail' at other moments: the statements that count a person's waits and list them are
built once (queries/kept_statements.py keeps them by what the person holds), so every value
they take from the clock must be read when they run. At each moment, the kept statements count
and list what statements built at that moment do."""
from __future__ import annotations

from datetime import date, timedelta

from casework.clock import clock_at, day_start, local_today, utcnow
from casework.extensions import db
from casework.queries import kept_statements, worklist
from tests.functional.test_my_work import EVERYONE, SITUATIONS, _closed_name, new_world

# (role, source) whose count changes over the moments below: a wait that ends after some
# days (a message, an import, a referral becoming late, an activity, a closed name) or that
# starts after some (a two-factor set-up made overdue).
MOVING = {("admin", "message_failed"), ("coordinator", "import_rejected_rows"),
          ("coordinator", "referral_late"), ("mayor", "activity_to_appreciate"),
          ("admin", "sign_in_closed"), ("admin", "two_factor_overdue")}


def _built_at_this_moment(user) -> dict[str, int]:
    statement = worklist.counts_statement(user)
    row = db.session.execute(statement).one()
    return {name: value or 0 for name, value in row._mapping.items()}


def _listed(user, counts) -> dict[str, list]:
    return {name: [(item.title, item.reason, item.due, item.url)
                   for item in worklist.items_of(name, user)]
            for name, count in counts.items() if count}


def _counts_statement(user):
    return kept_statements.kept(user, "counts", lambda: worklist.counts_statement(user))


def test_a_kept_count_statement_counts_what_one_built_at_that_moment_counts(
        people, cast, make_case, make_mechanism, make_user):
    world = new_world(people, cast, make_case, make_mechanism, make_user)
    for situation in SITUATIONS:
        world.made = situation.make(world)
        db.session.commit()
    world.cast["new_coordinator"]()  # two-factor overdue in a week
    _closed_name(world)
    db.session.commit()
    users = {role: getattr(world.people, role, None) or world.cast[role] for role in EVERYONE}
    kept = {role: _counts_statement(user) for role, user in users.items()}
    start = utcnow()
    moments = [start, start + timedelta(minutes=20)]
    moments += [start + timedelta(days=days) for days in (1, 8, 15, 40, 91)]
    moments.append(day_start(date(local_today().year + 1, 1, 1)) + timedelta(hours=1))
    seen: dict[tuple[str, str], set[int]] = {}
    for moment in moments:
        with clock_at(moment):
            for role, user in users.items():
                assert _counts_statement(user) is kept[role], "built once"
                counts = worklist.waiting_counts(user)
                assert counts == _built_at_this_moment(user), (moment, role)
                listed = _listed(user, counts)
                store = kept_statements.store()
                kept_now = dict(store)
                store.clear()  # every list built again, at this moment
                assert listed == _listed(user, counts), (moment, role)
                store.clear()
                store.update(kept_now)
                for name, count in counts.items():
                    seen.setdefault((role, name), set()).add(count)
    assert all(len(seen.get(pair, ())) > 1 for pair in MOVING), {
        pair: seen.get(pair) for pair in MOVING}


def test_a_kept_count_statement_follows_the_persons_roles_and_the_communes(
        town, make_case, make_user, make_people):
    """Built again when what it was built from changes: a mediator's roles (set by an
    administrator) and, for a coordinator of every commune (whose statement names no
    commune), a commune added since."""
    from sqlalchemy import select

    from casework.models import Commune
    from casework.services import accounts

    people, admin = town.people, town.admin
    make_case("reported")  # no team yet: the commune's mediators and coordinators
    moved = make_user((town.elsewhere.commune, "mediator"))
    assert worklist.waiting_counts(moved).get("unassigned", 0) == 0
    accounts.set_memberships(admin, moved, [(people.commune.id, "mediator")])
    db.session.commit()
    assert worklist.waiting_counts(moved)["unassigned"] == 1
    accounts.set_memberships(admin, moved, [(town.elsewhere.commune.id, "mediator")])
    db.session.commit()
    assert worklist.waiting_counts(moved).get("unassigned", 0) == 0

    every = make_user(*((commune, "coordinator")
                        for commune in db.session.scalars(select(Commune))))
    before = worklist.waiting_counts(every)
    assert before["unassigned"] >= 1
    newcomers = make_people()  # a commune they do not coordinate, and a case of it
    make_case("reported", who=newcomers)
    assert worklist.waiting_counts(every) == before == _built_at_this_moment(every)
    assert worklist.waiting_counts(newcomers.coordinator)["unassigned"] == 1


def test_kept_statements_forget_the_least_recently_used_first(people, monkeypatch):
    """A server process keeps a bounded number of statements (each 100-200 KB)."""
    monkeypatch.setattr(kept_statements, "KEPT_STATEMENTS", 2)
    store = kept_statements.store()
    store.clear()
    built = []

    def kept(name):
        return kept_statements.kept(people.mayor, name, lambda: built.append(name) or name)

    assert [kept("a"), kept("b"), kept("a")] == ["a", "b", "a"]  # "a" used last
    kept("c")  # "b" is forgotten
    kept("a")
    kept("b")
    assert built == ["a", "b", "c", "b"]
    assert len(store) == 2
