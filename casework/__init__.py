"""Palabre's Flask app: create_app() registers extensions, blueprints, errors and commands."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from config import Config, config_from_env

from . import keys, proxies

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: type[Config] | None = None, **overrides) -> Flask:
    app = Flask(__name__, template_folder=str(ROOT / "templates"),
                static_folder=str(ROOT / "static"), instance_path=str(ROOT / "instance"))
    config = config or config_from_env()
    app.config.from_object(config)
    app.config.update(overrides)
    config.init_app(app)
    keys.init_app(app)
    proxies.init_app(app)

    from . import (
        api,
        cli,
        compression,
        error_pages,
        i18n,
        json_bodies,
        logframe,
        request_guards,
        security,
        sessions,
        static_files,
        templating,
        unit_of_work,
        workflow_commands,
    )
    from .extensions import csrf, db, migrate
    from .files import commands as file_commands
    from .files import store as files
    from .intake import commands as intake_commands
    from .notifications import commands as notification_commands
    from .workflow_registry import build_engine

    # A definition that does not validate stops the app here, naming the file and the problem.
    app.extensions["palabre.engine"] = build_engine(app.config["WORKFLOWS_DIR"])
    # So does a logframe file that does not (casework/logframe.py).
    logframe.init_app(app)
    _prepare_database_dir(app)
    files.check_config(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    i18n.init_app(app)
    api.init_app(app)  # before the session gates: the API never reads the cookie's user
    sessions.init_app(app)
    security.init_app(app)
    static_files.init_app(app)
    compression.init_app(app)
    request_guards.init_app(app)  # before the blueprints: their `<int:...>` rules use its converter
    json_bodies.init_app(app)
    with app.app_context():
        from .database import configure_engine
        configure_engine(db.engine)
        _refuse_missing_versions(app)

    _register_blueprints(app)
    error_pages.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    file_commands.init_app(app)
    intake_commands.init_app(app)
    notification_commands.init_app(app)
    workflow_commands.init_app(app)
    unit_of_work.init_app(app)  # its commit then runs before every other after-request...
    from .views import offline
    offline.init_app(app)  # ...but the offline queue's key, remembered with the work it did
    if not app.config["ALLOW_DEMO_ACCOUNTS"]:
        with app.app_context():
            _refuse_demo_accounts()
    return app


def _prepare_database_dir(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///") and not uri.startswith("sqlite:///:memory:"):
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


def _refuse_missing_versions(app: Flask) -> None:
    """The app does not start while cases follow a workflow version whose file is gone: their
    pages and the case list could not be shown. A database not created yet is no obstacle."""
    from .extensions import db
    from .queries.workflow_versions import missing_versions

    problems = missing_versions(app.extensions["palabre.engine"], app.config["WORKFLOWS_DIR"])
    db.session.remove()
    db.engine.dispose()  # no pooled connection outlives start-up (gunicorn --preload forks)
    if problems:
        raise problems[0]


def _register_blueprints(app: Flask) -> None:
    from .views import (
        action_plans,
        admin,
        admin_services,  # noqa: F401 (adds the directory's routes to admin.bp)
        attachments,
        auth,
        case_partner,
        cases,
        corrections,
        dashboard,
        exports,
        health,
        home,
        intake,
        mechanism_activities,
        mechanisms,
        referrals,
        reports,
        sms,
        two_factor,
        workflow_pages,
    )
    for module in (auth, two_factor, home, cases, corrections, attachments, dashboard, exports,
                   admin, workflow_pages, health, intake, sms, mechanisms, action_plans,
                   mechanism_activities, reports, case_partner, referrals):
        app.register_blueprint(module.bp)
    from . import api
    api.register_blueprints(app)


def _refuse_demo_accounts() -> None:
    """The production configuration does not start while a demo account can still sign in."""
    from sqlalchemy import inspect, select

    from .extensions import db
    from .models import User

    if not inspect(db.engine).has_table(User.__tablename__):
        return
    names = list(db.session.scalars(select(User.username).where(User.is_demo.is_(True),
                                                                User.active.is_(True))))
    db.session.remove()
    # No pooled connection outlives start-up: gunicorn --preload forks workers after this,
    # and a connection shared by two processes corrupts both.
    db.engine.dispose()
    if names:
        raise RuntimeError("the production configuration refuses to start while demo accounts "
                           f"exist ({', '.join(sorted(names)[:5])}): disable them first with "
                           "`PALABRE_ENV=development flask --app wsgi disable-demo-accounts` "
                           "on the same DATABASE_URL.")
