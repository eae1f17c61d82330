"""Configuration defaults. Every value can be overridden by an environment variable with the
``QABILET_`` prefix (``QABILET_SECRET_KEY``…) or, for those that deployments always set, by the
plain ``SECRET_KEY``, ``DATABASE_URL`` and ``REDIS_URL``."""

from __future__ import annotations

import os
from pathlib import Path

from .languages import DEFAULT_LANGUAGE


class Defaults:
    """Safe defaults for a development machine; production overrides them from the environment."""

    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None  # None: an SQLite file in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # A pooled database connection idle this long is checked (a round trip) before it is used
    # again, so one the server or a firewall dropped meanwhile is replaced unseen. A connection
    # in steady use is not: checking it on every request cost a round trip each. 0: check on
    # every use. SQLite needs no check.
    DATABASE_PING_AFTER_IDLE_SECONDS = 10.0
    BABEL_DEFAULT_LOCALE = DEFAULT_LANGUAGE
    BABEL_DEFAULT_TIMEZONE = "Asia/Almaty"
    # Session cookie: small (only the locale and a few ids), never readable by scripts, and
    # sent only over HTTPS outside development (None: secure unless QABILET_DEVELOPMENT, debug
    # or testing; set False to serve production over plain HTTP, which is not advised).
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE: bool | None = None
    # Reverse proxies in front of the app (nginx, a load balancer): how many hops of
    # X-Forwarded-For / X-Forwarded-Proto to trust. 0 (the default) trusts none, and the
    # connecting address is the client's; behind one nginx set 1. Login limits count per client
    # address, so behind a proxy this must be set or every client shares the proxy's address.
    TRUSTED_PROXIES = 0
    # Flask-Limiter: where the counters live. "memory://" counts per process; with several
    # workers or hosts point it at Redis (e.g. "redis://localhost:6379/0"; REDIS_URL in the
    # environment sets it too).
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = False
    # Login attempts one client address may make (Flask-Limiter's notation, ";" between limits).
    LOGIN_RATE_LIMIT = "10 per minute;60 per hour"
    # Each account: this many failed logins are free, then each further one makes the account
    # wait twice as long before the next attempt is read (1 s, 2 s, 4 s… up to the maximum).
    # The owner is never locked out for longer than LOGIN_DELAY_MAX_SECONDS.
    LOGIN_DELAY_FREE_FAILURES = 3
    LOGIN_DELAY_MAX_SECONDS = 60
    # Strict-Transport-Security on responses served over HTTPS (seconds; 0 sends none).
    HSTS_SECONDS = 31536000
    # Previewed staff lists wait here (by content hash) for their confirmation; None: uploads/
    # in the instance folder. Removed after UPLOAD_KEEP_SECONDS.
    UPLOAD_FOLDER: str | None = None
    UPLOAD_KEEP_SECONDS = 3600
    WTF_CSRF_TIME_LIMIT = None  # a respondent may leave a page open for hours
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024  # staff lists and questionnaire files
    # The definitions `questionnaires validate|load` read (the repository's questionnaires/).
    QUESTIONNAIRES_DIR = str(Path(__file__).resolve().parent.parent / "questionnaires")
    # Groups smaller than this are never shown or exported (read it with privacy_min_group()).
    PRIVACY_MIN_GROUP = 5
    # When a page finds results that could form the next release of a campaign's figures:
    # "background" serves the latest release and builds the next one in a thread of the worker
    # (one builder per campaign across workers; the page after it shows the new release);
    # "inline" builds it during that page read (the tests, and `flask` commands).
    RELEASE_BUILD = "background"
    # Two languages are compared for differential item functioning only with this many test
    # takers in each (Mantel–Haenszel needs far more people per group than PRIVACY_MIN_GROUP).
    ITEM_DIF_MIN_GROUP = 100
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_SENDER = "qabilet@localhost"
    # E-mail leaves in the background (survey/campaigns/delivery.py): at most this many
    # messages a minute, this many per job, each tried this many times, the first retry after
    # this many seconds (then twice as long each time, up to an hour).
    MAIL_PER_MINUTE = 600
    MAIL_BATCH_SIZE = 200
    MAIL_MAX_ATTEMPTS = 5
    MAIL_RETRY_SECONDS = 60
    # The scheduler runs every minute; the admin pages warn when its last run is older.
    SCHEDULER_LATE_MINUTES = 5
    # Shared state: one Redis URL moves the cache, the rate limits and the job queue to Redis,
    # so that several app nodes agree (sessions end everywhere through the database). Without
    # it each process keeps its own, and more than one worker process is refused
    # (deploy/gunicorn.conf.py).
    REDIS_URL: str | None = None
    # Absolute base of invitation links in exports and e-mails (no request to take it from).
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    # Dashboards and chart images (Flask-Caching): any backend it knows, e.g. CACHE_TYPE =
    # "RedisCache" with CACHE_REDIS_URL. Keys carry every input of a value (data version,
    # invitations, filters, k, model, language), so entries never go stale; the timeout and
    # the threshold (entries kept by SimpleCache) only bound memory.
    CACHE_TYPE = "SimpleCache"
    CACHE_DEFAULT_TIMEOUT = 3600
    CACHE_THRESHOLD = 500
    CACHE_KEY_PREFIX = "qabilet:"
    # Campaign frames kept alive per process (each holds a campaign's results as arrays).
    PROCESS_CACHE_SIZE = 8
    # Seconds after a test's deadline during which a page sent just before it still counts
    # (the network and the browser's own clock are never exact); the tests set 0.
    RESPONDENT_DEADLINE_GRACE_SECONDS = 5
    # Where a respondent writes for help (shown on the invitation page); "" leaves only the
    # advice to ask one's HR unit.
    RESPONDENT_HELP_EMAIL = ""
    # Argon2id cost of new password hashes: passes, and memory in KiB. argon2-cffi's defaults
    # (RFC 9106's low-memory profile); the tests lower them so that hundreds of logins stay
    # quick. A hash records its own parameters, so changing them never locks anyone out.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536



def shared_state(config: dict) -> str | None:
    """Point every piece of cross-process state at ``REDIS_URL``; the URL, or None when each
    process keeps its own."""
    url = config.get("REDIS_URL")
    if not url:
        return None
    if config.get("CACHE_TYPE", "SimpleCache") == "SimpleCache":
        config["CACHE_TYPE"] = "RedisCache"
        config["CACHE_REDIS_URL"] = url
    if config.get("RATELIMIT_STORAGE_URI", "memory://") == "memory://":
        config["RATELIMIT_STORAGE_URI"] = url
    return url


def idle_seconds(config: dict) -> float:
    """``DATABASE_PING_AFTER_IDLE_SECONDS`` as a number, or a refusal to start that names it."""
    value = config["DATABASE_PING_AFTER_IDLE_SECONDS"]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise RuntimeError(
            "DATABASE_PING_AFTER_IDLE_SECONDS (in the environment "
            "QABILET_DATABASE_PING_AFTER_IDLE_SECONDS) must be a number of seconds, 0 or more "
            f"(0 checks the connection on every use), not {value!r}"
        )
    return float(value)


def privacy_min_group() -> int:
    """The smallest group any page or export shows (``PRIVACY_MIN_GROUP``, k)."""
    from flask import current_app

    return int(current_app.config["PRIVACY_MIN_GROUP"])


def from_environment() -> dict:
    """The settings deployments pass without a prefix: SECRET_KEY, DATABASE_URL, REDIS_URL."""
    values = {}
    if os.environ.get("SECRET_KEY"):
        values["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("REDIS_URL"):
        values["REDIS_URL"] = os.environ["REDIS_URL"]
    if os.environ.get("DATABASE_URL"):
        values["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(os.environ["DATABASE_URL"])
    if os.environ.get("REDIS_URL") and not os.environ.get("QABILET_RATELIMIT_STORAGE_URI"):
        values["RATELIMIT_STORAGE_URI"] = os.environ["REDIS_URL"]
    return values


def normalise_database_url(url: str) -> str:
    """Accept the common ``postgres://`` and ``postgresql://`` forms and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
