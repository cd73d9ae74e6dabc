"""Configuration of Palabre, read from environment variables: Development, Test and Production."""
import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("PALABRE_INSTANCE", BASE_DIR / "instance"))


def _sqlite_url(name: str) -> str:
    return f"sqlite:///{INSTANCE_DIR / name}"


def _persistent_dev_secret() -> str:
    """A development secret kept under instance/ so that sessions survive a restart."""
    path = INSTANCE_DIR / "dev-secret-key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or _sqlite_url("palabre.db")
    # A database error (and SQLAlchemy's own logging, when someone turns it on) shows the
    # statement but never its values: they hold party names and descriptions.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"hide_parameters": True}
    # Every definition there is loaded; a new case takes the latest version of the workflow
    # whose `serves:` takes it.
    WORKFLOWS_DIR = str(BASE_DIR / "workflows" / "definitions")
    # The programme's indicators (casework/logframe.py), checked when the app starts.
    LOGFRAME_FILE = (os.environ.get("PALABRE_LOGFRAME")
                     or str(BASE_DIR / "logframe" / "pecic-2.yaml"))
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Africa/Bamako"
    LANGUAGES = ("fr", "en")
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "casework" / "translations")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    WTF_CSRF_TIME_LIMIT = None  # a form left open on a slow phone must still submit
    PASSWORD_HASH_METHOD = "scrypt"
    CASES_PER_PAGE = 25
    # A form is a few kilobytes; anything far larger is refused (413) before it is read.
    MAX_CONTENT_LENGTH = 1024 * 1024
    SESSION_IDLE_MINUTES = 30
    SESSION_MAX_HOURS = 12
    # A form sent after the session ended waits this long for its author to sign in again.
    KEPT_FORM_MINUTES = 60
    # A report that looks like one made in the commune this many hours before is asked about
    # ("is it the same conflict?") before a second case is opened.
    DUPLICATE_WINDOW_HOURS = 12
    # Sign-in throttling (services/throttling.py), which nobody can use to lock someone out:
    # one name at one address waits after LOGIN_MAX_FAILURES failures, LOGIN_FIRST_DELAY_SECONDS
    # then twice as long each time, LOGIN_WINDOW_MINUTES at most, failures forgotten after
    # LOGIN_MEMORY_HOURS or a sign-in there; an address with LOGIN_MAX_FAILURES_PER_ADDRESS
    # failures in LOGIN_WINDOW_MINUTES (a town hall's phones may share one) holds back only the
    # names that have not signed in from it in LOGIN_KNOWN_DAYS.
    LOGIN_MAX_FAILURES = 6
    LOGIN_FIRST_DELAY_SECONDS = 60
    LOGIN_WINDOW_MINUTES = 15
    LOGIN_MEMORY_HOURS = 24
    LOGIN_MAX_FAILURES_PER_ADDRESS = 30
    LOGIN_KNOWN_DAYS = 30
    EXPORT_MAX_ROWS = 50_000
    # A KoboToolbox / ODK file of more submissions than this is refused (export it by dates).
    KOBO_IMPORT_MAX_ROWS = int(os.environ.get("PALABRE_KOBO_IMPORT_MAX_ROWS", "5000"))
    # Who runs a Kobo import (casework/intake/jobs.py): "redis" (the notification worker, woken
    # through REDIS_URL), "thread" (a thread of the app server that took the file) or "inline"
    # (the request itself, for the tests).
    IMPORT_JOBS = os.environ.get("PALABRE_IMPORT_JOBS") or (
        "redis" if os.environ.get("REDIS_URL") else "thread")
    KOBO_IMPORT_QUEUE_KEY = os.environ.get("KOBO_IMPORT_QUEUE_KEY", "palabre:imports")
    # How long a token of the JSON API (POST /api/v1/tokens) works, unless revoked before.
    API_TOKEN_DAYS = 30
    # Where uploaded files live (casework/files/store.py): "directory", ATTACHMENTS_DIR on this
    # server's disk, or "database", in the database itself, which every app server shares.
    FILE_STORAGE = os.environ.get("PALABRE_FILE_STORAGE", "directory")
    # Files attached to cases: never under static/ (the app refuses to start otherwise), served
    # only through the access-checked download route.
    ATTACHMENTS_DIR = os.environ.get("PALABRE_ATTACHMENTS_DIR", str(INSTANCE_DIR / "attachments"))
    # How many reverse proxies (nginx, a load balancer) stand in front of Palabre and set
    # X-Forwarded-For. 0 (the default): the header is ignored, since anyone can write it, and
    # the address in the event log and sign-in throttling is the connection's peer. Set it to
    # the exact number of proxies you run, never more.
    TRUSTED_PROXIES = int(os.environ.get("PALABRE_TRUSTED_PROXIES", "0"))
    ALLOW_DEMO_ACCOUNTS = False
    # Notifications (casework/notifications): e-mail when MAIL_SERVER is set, SMS when
    # SMS_GATEWAY_URL is set; the worker's queue when REDIS_URL is set. Links in messages
    # start with PALABRE_PUBLIC_URL (e.g. https://palabre.example.org).
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "").lower() in ("1", "true", "yes")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_FROM = os.environ.get("MAIL_FROM", "palabre@localhost")
    SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL")
    SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN")
    REDIS_URL = os.environ.get("REDIS_URL")
    NOTIFICATIONS_QUEUE_KEY = os.environ.get("NOTIFICATIONS_QUEUE_KEY", "palabre:notifications")
    PALABRE_PUBLIC_URL = os.environ.get("PALABRE_PUBLIC_URL", "")
    # The SMS webhook (POST /sms/inbound) answers 403 until a gateway can authenticate: Twilio
    # signs its requests with the account's auth token (X-Twilio-Signature); RapidPro and other
    # gateways send SMS_WEBHOOK_SECRET as the X-Palabre-Secret header, never in the URL.
    SMS_WEBHOOK_SECRET = os.environ.get("SMS_WEBHOOK_SECRET") or None
    TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN") or None
    # The key of the senders' digests in the event log (required in production when the
    # webhook is open; derived from SECRET_KEY elsewhere): casework/keys.py.
    SMS_DIGEST_KEY = os.environ.get("PALABRE_SMS_DIGEST_KEY") or None
    # Messages answered per sender and hour; past it, the sender is asked to wait. Cases opened
    # by SMS per commune and hour, and overall: past either, the message opens no case.
    SMS_MAX_PER_HOUR = int(os.environ.get("PALABRE_SMS_MAX_PER_HOUR", "5"))
    SMS_MAX_PER_COMMUNE_PER_HOUR = int(os.environ.get("PALABRE_SMS_MAX_PER_COMMUNE_PER_HOUR",
                                                      "20"))
    SMS_MAX_PER_HOUR_OVERALL = int(os.environ.get("PALABRE_SMS_MAX_PER_HOUR_OVERALL", "100"))

    @staticmethod
    def init_app(app):
        """Hook for settings that need the app (none by default)."""


class DevelopmentConfig(Config):
    NAME = "development"
    ALLOW_DEMO_ACCOUNTS = True

    @staticmethod
    def init_app(app):
        if not app.config.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = _persistent_dev_secret()


class TestConfig(Config):
    NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    # Still scrypt, with a small work factor so that the suite stays fast.
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"
    ALLOW_DEMO_ACCOUNTS = True
    IMPORT_JOBS = "inline"


class ProductionConfig(Config):
    NAME = "production"
    SESSION_COOKIE_SECURE = True
    # SECRET_KEY (and PALABRE_SMS_DIGEST_KEY) long and random: casework/keys.py.
    REQUIRE_STRONG_KEYS = True

    @staticmethod
    def init_app(app):
        if os.environ.get("PALABRE_CLOCK"):
            raise RuntimeError("PALABRE_CLOCK moves the clock for the test suite: unset it "
                               "before starting Palabre in production.")


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """The configuration class named by PALABRE_ENV (production when unset)."""
    name = os.environ.get("PALABRE_ENV", "production")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(
            f"PALABRE_ENV={name!r} is unknown; use one of {', '.join(CONFIGS)}"
        ) from None
