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
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    QUIZ_DIR = os.environ.get("QUIZ_DIR", str(BASE_DIR / "quizzes"))
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Asia/Jakarta")
    LANGUAGES = ("id", "en")
    WTF_CSRF_TIME_LIMIT = None  # a counseling session can last hours on one page
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_HTTPONLY = True
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    #: Where tablets reach the app, for the QR code; empty means "the address the educator used".
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    #: Knowledge categories (Arikunto): lowest score of Baik and of Cukup.
    CATEGORY_CUTOFFS = (76.0, 56.0)
    UNDERSTOOD_THRESHOLD = 76.0
    SECURITY_HEADERS = True


class DevelopmentConfig(Config):
    """Run on an educator's laptop (`make run`)."""

    SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret"


class TestingConfig(Config):
    """The test suite. TEST_DATABASE_URL chooses PostgreSQL; otherwise a temporary SQLite file."""

    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL")
    RATELIMIT_ENABLED = False


class ProductionConfig(Config):
    """A faculty or district server. Refuses to start without SECRET_KEY."""

    SESSION_COOKIE_SECURE = os.environ.get("INSECURE_COOKIES") != "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    @classmethod
    def check(cls) -> None:
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in production (ProductionConfig).")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
