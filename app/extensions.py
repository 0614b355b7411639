"""Flask extensions, created unbound and initialised in create_app(); the CSRF protection is in app/csrf.py,
the migrations (Flask-Migrate, set up when they run) in app/schema.py.

The lowest layer of the app: it imports no module of the app.
"""

import flask_limiter
from flask.globals import request_ctx
from flask_babel import Babel
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
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


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
babel = Babel()


class Limiter(flask_limiter.Limiter):
    """Flask-Limiter, with its before-request pass left out while no limit can apply there, and
    its after-request and teardown passes while no limit looked at the request.

    Flask-Limiter looks at every request twice: before the view, for the limits that reach
    beyond one view (application-wide, default, blueprint and meta limits, and the fallback
    limits used while the storage is down), and when a view decorated with `limiter.limit` is
    called, for that view's own limits. Every limit of this app is of the second kind. The
    first pass then finds nothing, yet it resolves the route's, blueprint's and exemption
    scopes of each request: about a sixth of an autosave's cost in the process (bench/README.md).

    So the pass runs only when a limit of the first kind is set. It is decided on each
    request from what is set then: a default or application-wide limit added later, in code
    or in the settings, is applied to every request, the autosave's included. The views' own
    limits are untouched. Pinned with Flask-Limiter (requirements.txt): the fields read are
    those `init_app` and the `limit` decorators fill; tests/security/test_ratelimit.py proves
    both kinds of limit still hold.
    """

    def limits_beyond_views(self) -> bool:
        """Whether any limit is set that the before-request pass would apply."""
        manager = self.limit_manager
        return bool(
            manager._application_limits
            or manager._default_limits
            or manager._blueprint_limits
            or self._meta_limits
            or self._in_memory_fallback
        )

    def _check_request_limit(self, callable_name: str | None = None, in_middleware: bool = True) -> None:
        if in_middleware and not self.limits_beyond_views():
            return
        super()._check_request_limit(callable_name=callable_name, in_middleware=in_middleware)

    # The after-request and teardown passes. Flask-Limiter keeps what a request's limits found in
    # a context it creates on the request at first use; the two passes read it (conditional
    # deductions, the headers of the limit that applied) and clear it. A request no limit looked
    # at (the autosave, and every other view without a limit while no limit of the first kind is
    # set) has none: the passes would create an empty one only to find nothing in it and clear it.
    # The library names these methods privately, hence the mangled names.

    @staticmethod
    def looked_at_this_request() -> bool:
        """Whether a limit was checked for this request (Flask-Limiter made its context)."""
        return hasattr(request_ctx, "_limiter_request_context")

    def _Limiter__check_conditional_deductions(self, response) -> None:
        if self.looked_at_this_request():
            super()._Limiter__check_conditional_deductions(response)  # type: ignore[misc]

    @property
    def current_limit(self):
        return super().current_limit if self.looked_at_this_request() else None

    def _Limiter__release_context(self, _=None) -> None:
        if self.looked_at_this_request():
            super()._Limiter__release_context(_)  # type: ignore[misc]


limiter = Limiter(key_func=get_remote_address, default_limits=[])


def dispose_engines() -> None:
    """Close the pooled connections of every engine of the current app (the default and binds)."""
    for engine in db.engines.values():
        engine.dispose()
