"""Palabre's Flask app: create_app() registers extensions, blueprints, errors and commands."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from config import Config, config_from_env

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: type[Config] | None = None, **overrides) -> Flask:
    app = Flask(__name__, template_folder=str(ROOT / "templates"),
                static_folder=str(ROOT / "static"), instance_path=str(ROOT / "instance"))
    config = config or config_from_env()
    app.config.from_object(config)
    app.config.update(overrides)
    config.init_app(app)
    _require_secret_key(app)
    _trust_proxies(app)

    from . import (api, cli, compression, errorpages, i18n, inputs, security, sessions,
                   static_files, templating)
    from .files import store as files
    from .notifications import commands as notification_commands
    from .extensions import csrf, db, migrate
    from .workflow import build_engine

    # A definition that does not validate stops the app here, naming the file and the problem.
    app.extensions["palabre.engine"] = build_engine(app.config["WORKFLOWS_DIR"])
    _prepare_database_dir(app)
    files.check_location(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    i18n.init_app(app)
    api.init_app(app)  # before the session gates: the API never reads the cookie's user
    sessions.init_app(app)
    security.init_app(app)
    static_files.init_app(app)
    compression.init_app(app)
    inputs.init_app(app)  # before the blueprints: their `<int:...>` rules use its converter
    with app.app_context():
        from .database import configure_engine
        configure_engine(db.engine)

    _register_blueprints(app)
    errorpages.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    notification_commands.init_app(app)
    if not app.config["ALLOW_DEMO_ACCOUNTS"]:
        with app.app_context():
            _refuse_demo_accounts()
    return app


def _require_secret_key(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set: export a long random SECRET_KEY before "
                           "starting Palabre (or PALABRE_ENV=development on a laptop).")


def _trust_proxies(app: Flask) -> None:
    """Read the client's address from X-Forwarded-For only behind the configured proxies."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _prepare_database_dir(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///") and not uri.startswith("sqlite:///:memory:"):
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


def _register_blueprints(app: Flask) -> None:
    from .views import (action_plans, admin, attachments, auth, cases, dashboard, exports,
                        health, home, intake, mechanism_activities, mechanisms, sms,
                        two_factor, workflows)
    for module in (auth, two_factor, home, cases, attachments, dashboard, exports, admin,
                   workflows, health, intake, sms, mechanisms, action_plans,
                   mechanism_activities):
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
