"""Flask extensions, created unbound and initialised in create_app()."""

from flask import current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class HeaderFirstCSRFProtect(CSRFProtect):
    """CSRF protection that looks for the token in the request headers before the form.

    The tablets' autosave and submit calls are JSON with the token in X-CSRFToken; looking
    there first spares parsing a form they do not have. Pages still post it as a form field.
    The token found is validated exactly as Flask-WTF does.
    """

    def _get_csrf_token(self):
        for header_name in current_app.config["WTF_CSRF_HEADERS"]:
            token = request.headers.get(header_name)
            if token:
                return token
        return super()._get_csrf_token()


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = HeaderFirstCSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])

#: The engine (a Flask-SQLAlchemy bind on the same database) whose connections autocommit.
AUTOSAVE_BIND = "autosave"


def dispose_engines() -> None:
    """Close the pooled connections of every engine of the current app (the default and binds)."""
    for engine in db.engines.values():
        engine.dispose()
