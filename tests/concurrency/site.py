"""A real Palabre database for the tests that run the app under gunicorn: migrated, with one
commune's people (password sign-in) and cases built through the services, as the app builds them."""
from __future__ import annotations

from contextlib import contextmanager

from flask_migrate import upgrade

from casework import create_app
from casework.database import write_intent
from casework.extensions import db
from casework.models import Case, Commune, User
from casework.services import accounts, cases, team
from config import TestConfig
from tests.factories import PASSWORD, PATHS, Commune_People, advance, case_input

MEDIATORS = ("med1", "med2", "med3", "med4")
ROLES = {**{name: "mediator" for name in MEDIATORS}, "maire": "commune_authority",
         "chef": "traditional_leader", "coord": "coordinator"}


class Site:
    """The database side of a test: build data before or between requests, read it after."""

    def __init__(self, database_url: str):
        self.url = database_url
        self.app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url)
        with self.app.app_context():
            upgrade()
            db.session.remove()
        with self.writing() as session:
            commune = Commune(code="KLA", name="Kolondiéba", cercle="Kolondiéba",
                              region="Sikasso")
            session.add(commune)
            session.flush()
            for username, role in ROLES.items():
                accounts.create_user(None, username=username, full_name=username.title(),
                                     password=PASSWORD, is_admin=False,
                                     must_change_password=False,
                                     memberships=[(commune.id, role)])

    @contextmanager
    def writing(self):
        """An app context whose transaction begins IMMEDIATE (SQLite) and commits at the end."""
        token = write_intent.set(True)
        try:
            with self.app.app_context():
                try:
                    yield db.session
                    db.session.commit()
                finally:
                    db.session.remove()
        finally:
            write_intent.reset(token)

    @contextmanager
    def reading(self):
        with self.app.app_context():
            try:
                yield db.session
            finally:
                db.session.remove()

    def people(self, session) -> Commune_People:
        users = {u.username: u for u in session.query(User).filter(User.username.in_(ROLES))}
        return Commune_People(commune=session.query(Commune).one(), mediator=users["med1"],
                              mayor=users["maire"], chief=users["chef"],
                              coordinator=users["coord"])

    def new_case(self, state: str = "reported", *more: str) -> str:
        """A case driven to `state` through the services, its team the four mediators (a
        reported case has its team already, ready for the mediation to start); then `more`
        moves of tests.factories.advance."""
        with self.writing() as session:
            who = self.people(session)
            mediators = [u.id for u in session.query(User).filter(User.username.in_(MEDIATORS))]
            case = cases.report_case(who.mediator, who.commune, case_input())
            for move in [*(PATHS[state] or ["assign"]), *more]:
                if move == "assign":
                    team.assign_team(who.mediator, case, mediators)
                else:
                    advance(who, case, move)
            return case.reference

    def case(self, session, reference: str) -> Case:
        return session.query(Case).filter_by(reference=reference).one()

    def close(self) -> None:
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


@contextmanager
def opened(database_url: str):
    """A session on another database (a backup copy), for reading only."""
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        try:
            yield db.session
        finally:
            db.session.remove()
            db.engine.dispose()
