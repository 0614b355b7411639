"""Application factory."""

from __future__ import annotations

import importlib
import os
import time
from pathlib import Path

import click
from flask import Flask, Response
from flask.cli import AppGroup
from flask.json.provider import DefaultJSONProvider
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import configure_mappers

from app import i18n, unit_of_work
from app.config import CONFIGS, Config
from app.csrf import csrf
from app.extensions import babel, db, limiter, login_manager
from app.urls import BoundedIntegerConverter


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, except that a body nested too deeply to read is bad JSON (a 400), not a crash.

    Python's parser gives up with RecursionError at about 1,000 levels; Flask and werkzeug
    treat only ValueError as unreadable JSON.
    """

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError as exc:
            raise ValueError("JSON nested too deeply") from exc


#: `flask` commands found elsewhere: name -> "module:attribute", a click command or a function of the
#: app returning one. Each is imported when it is run (or listed by `flask --help`), so starting the
#: server imports none of them, nor what they alone need (alembic for `flask db`).
COMMANDS = {
    "db": "app.schema:command",
    "quizzes": "app.cli:quizzes",
    "users": "app.cli:users",
    "demo": "app.cli:demo",
    "bundle": "app.cli:bundle",
    "report": "app.reports.cli:report",
    "certificates": "app.reports.cli:certificates_command",
    "cohort": "app.cohort.cli:cohort",
}


class Commands(AppGroup):
    """The app's `flask` commands (`app.cli`): those of COMMANDS are imported when first looked up."""

    def __init__(self, app: Flask, lazy: dict[str, str]) -> None:
        super().__init__(app.name)
        self.app = app
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self.lazy.pop(cmd_name, None)
        if target is not None:
            module, _, attribute = target.partition(":")
            command = getattr(importlib.import_module(module), attribute)
            if not isinstance(command, click.Command):
                command = command(self.app)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


class EduAsi(Flask):
    """Flask, with each request dispatched through the unit of work (run again once on a dead connection)."""

    #: How many hooks and views `ensure_sync` remembers before it starts over (a few dozen exist).
    remembered_sync_functions = 1024

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._sync_functions: dict[object, object] = {}

    def full_dispatch_request(self) -> Response:
        return unit_of_work.dispatch(self, super().full_dispatch_request)

    def ensure_sync(self, func):
        """Flask's, with the answer remembered for each function.

        Flask asks `inspect` whether every hook and view of every request is a coroutine (ten
        times per autosave); the answer for a given function never changes.
        """
        try:
            return self._sync_functions[func]
        except KeyError:
            pass
        except TypeError:  # an unhashable callable: ask each time
            return super().ensure_sync(func)
        if len(self._sync_functions) >= self.remembered_sync_functions:
            self._sync_functions.clear()
        sync = self._sync_functions[func] = super().ensure_sync(func)
        return sync


def create_app(config: type[Config] | dict | str | None = None) -> Flask:
    """Build the app: config, instance folder, catalogs, extensions, blueprints, errors, CLI."""
    app = EduAsi(__name__, instance_relative_config=True)
    app.cli = Commands(app, COMMANDS)
    app.json = JSONProvider(app)
    app.url_map.converters["int"] = BoundedIntegerConverter  # ids beyond the database's range are a 404
    _load_config(app, config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "asi.sqlite3")
    _normalise_database_url(app)

    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    db.init_app(app)
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            for engine in db.engines.values():
                ping_idle_connections(engine, app.config["DATABASE_PING_AFTER_IDLE"])
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    i18n.compile_catalogs(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)

    from app import admin, auth, bank, bundles, cohort, educator, participant, reports

    app.register_blueprint(participant.bp)
    app.register_blueprint(auth.bp, url_prefix="/auth")
    app.register_blueprint(educator.bp, url_prefix="/educator")
    app.register_blueprint(bank.bp, url_prefix="/bank")
    app.register_blueprint(reports.bp, url_prefix="/reports")
    app.register_blueprint(admin.bp, url_prefix="/admin")
    app.register_blueprint(cohort.bp, url_prefix="/cohort")
    app.register_blueprint(bundles.bp)

    from app import errors, responses, security, templating

    unit_of_work.register(app)
    errors.register(app)
    security.register(app)
    templating.register(app)
    responses.register(app)
    # The relationships between the mapped classes are resolved here, once per process (a no-op for
    # the next app), not by the first query of the first participant's request (~0.05 s).
    configure_mappers()
    return app


def _load_config(app: Flask, config) -> None:
    if config is None:
        config = os.environ.get("APP_CONFIG", "development")
    if isinstance(config, str):
        config = CONFIGS[config]
    if isinstance(config, dict):
        app.config.from_object(CONFIGS["testing"])
        app.config.update(config)
    else:
        if hasattr(config, "check"):
            config.check()
        app.config.from_object(config)


def _normalise_database_url(app: Flask) -> None:
    """Accept postgres:// and postgresql:// URLs and use the psycopg 3 driver."""
    url: str = app.config["SQLALCHEMY_DATABASE_URI"]
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix) :]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    # A copy: the class attribute is shared by every app built from the same config class.
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if url.startswith("sqlite"):
        options["connect_args"] = {**options.get("connect_args", {}), "timeout": 30}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def ping_idle_connections(engine: Engine, idle_seconds: float) -> None:
    """Check a pooled connection that sat idle for `idle_seconds` or more before it is used.

    A database server restarted while the app was quiet leaves dead connections in the
    pool; checking those costs no request. A connection in steady use is not checked,
    where SQLAlchemy's pool_pre_ping would add a round trip to every request (the
    autosave's included). A connection that fails the check is replaced by a new one.
    """

    @event.listens_for(engine, "checkin")
    def idle_from(dbapi_connection, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def check_if_idle(dbapi_connection, record, proxy):
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            # The pool drops this connection and checks out another (a new one if need be).
            raise DisconnectionError("idle connection is gone") from exc


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL, foreign keys, a busy timeout and full durability on every SQLite connection of ours.

    synchronous=FULL: in WAL mode NORMAL may lose the last committed transactions when the
    laptop loses power (its battery dies); FULL syncs the log at every commit, so an answer
    the tablet was told is saved survives. Its cost is measured in bench/bench_sqlite_sync.py.
    """
    import sqlite3

    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()
