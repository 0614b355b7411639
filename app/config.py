"""Configuration classes. The environment is read here and nowhere else."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


class Config:
    """Settings shared by every configuration."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    #: DATABASE_URL picks the engine; the default is a SQLite file under instance/.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}  # noqa: RUF012 - copied per app in create_app
    #: PostgreSQL: a pooled connection idle this many seconds is checked before use (app.ping_idle_connections).
    DATABASE_PING_AFTER_IDLE = float(os.environ.get("DATABASE_PING_AFTER_IDLE", "10"))
    QUIZ_DIR = os.environ.get("QUIZ_DIR", str(BASE_DIR / "quizzes"))
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Asia/Jakarta")
    LANGUAGES = ("id", "en")
    WTF_CSRF_TIME_LIMIT = None  # a counseling session can last hours on one page
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_HTTPONLY = True
    #: werkzeug's password hash for accounts: scrypt, deliberately slow (about 0.15 s here).
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a method name, not a password
    #: "Keep me logged in" lasts two weeks, not Flask-Login's default of a year.
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    #: Where tablets reach the app, for the QR code; empty means "the address the educator used".
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
    #: Cookies marked Secure travel only over HTTPS. On the laptop the room reaches the app over
    #: plain http:// (its Wi-Fi or hotspot), where a Secure cookie never comes back and no form
    #: would pass its CSRF check; so they are Secure when the app is public over HTTPS
    #: (PUBLIC_BASE_URL https://...), and the session cookie also on any request that arrives
    #: over HTTPS (app/security.py SessionCookies; behind a proxy, with PROXY_COUNT set).
    SESSION_COOKIE_SECURE = PUBLIC_BASE_URL.lower().startswith("https://")
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    #: memory:// keeps the counters in the server's process: exact with the shipped server (waitress,
    #: one process, app/server.py). A server of several processes must share them: redis://host:6379/0.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    #: Off only for load tests, where hundreds of simulated phones share one address (RATELIMIT_ENABLED=0).
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") != "0"
    #: Behind a reverse proxy (nginx, Caddy) set this to the number of proxies in front of the app,
    #: so the rate limits see each phone's address (X-Forwarded-For), not the proxy's, and links in
    #: QR codes keep the proxy's https and host. Leave 0 when the app is reached directly: then
    #: those headers are not trusted (anyone could send them).
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    #: If Redis goes away, count in memory meanwhile rather than fail every join.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_HEADERS_ENABLED = True
    #: Knowledge categories (Arikunto): lowest score of Baik and of Cukup.
    CATEGORY_CUTOFFS = (76.0, 56.0)
    UNDERSTOOD_THRESHOLD = 76.0
    #: The report comments on a KR-20 below this (0.70 is the usual rule; some reports use 0.60).
    RELIABILITY_MINIMUM = 0.7
    #: Attitude (Likert) categories: "percent" (total as percent of the highest total, baik >= 76,
    #: cukup >= 56 of ATTITUDE_CUTOFFS) or "mean" (Azwar: positive from the mean pre-test total on).
    ATTITUDE_RULE = os.environ.get("ATTITUDE_RULE", "percent")
    ATTITUDE_CUTOFFS = (76.0, 56.0)
    #: Bundles (app/services/bundles.py): the largest file accepted, and the most its records may unpack to.
    BUNDLE_MAX_BYTES = int(os.environ.get("BUNDLE_MAX_BYTES", str(64 * 1024 * 1024)))
    BUNDLE_MAX_UNCOMPRESSED = int(os.environ.get("BUNDLE_MAX_UNCOMPRESSED", str(512 * 1024 * 1024)))
    #: This instance's id and signing key; empty: instance/laptop-key.json.
    BUNDLE_KEY_FILE = os.environ.get("BUNDLE_KEY_FILE", "")
    #: A laptop's server (https://...): the session page then has a "send to the server" button.
    SYNC_SERVER_URL = os.environ.get("SYNC_SERVER_URL", "")
    #: Content-Security-Policy and the other headers of app/security.py.
    SECURITY_HEADERS = True


class DevelopmentConfig(Config):
    """`flask run` while developing (`python run.py` serves with the production settings)."""

    SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret"


class TestingConfig(Config):
    """The test suite. TEST_DATABASE_URL chooses PostgreSQL; otherwise a temporary SQLite file."""

    TESTING = True
    SECRET_KEY = "test-secret"  # noqa: S105 - the test suite only
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL")
    RATELIMIT_ENABLED = False
    #: The suite creates and logs in hundreds of accounts; scrypt would cost 0.3 s for each.
    #: Only the cost changes: stored hashes are still salted and checked the same way.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - a method name, not a password


class ProductionConfig(Config):
    """The laptop (`python run.py`) and a faculty or district server. Refuses to start without SECRET_KEY."""

    @classmethod
    def check(cls) -> None:
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in production (ProductionConfig).")
        # Read again at start: the class was built when this module was imported, maybe before it was set.
        cls.SECRET_KEY = os.environ["SECRET_KEY"]


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
