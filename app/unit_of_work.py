"""One transaction per request and per command: the work of either is committed in one place.

Views and CLI commands call services, which add, change and `flush`; they never commit or
roll back. The request ends here:

- a response below 400 (a page, a redirect, a download) commits what the request did;
- an error response (a refused form, a 404, a 409 from a service, a 500) rolls everything back,
  so a failed request leaves nothing half-written. `keep_on_error()` lets a request keep its
  writes even so (the audit entry of a failed login, which is the point of the refusal);
- a GET or HEAD may write audit entries (who downloaded what) and nothing else: any other
  change it left in the session is rolled back and reported as an error, so a page that
  starts or changes something on GET is caught by the tests instead of shipping;
- a request whose pooled database connection turns out to be dead (PostgreSQL restarted, or
  the backend terminated) is run once more on a fresh connection, provided it had written
  nothing yet: no flush and no commit reached the database. The body and form it read are
  kept by werkzeug, so the second run sees the same request. A second failure is a 500.

A CLI command runs its work inside `transaction()` (the `command` decorator does it): it
commits when the command returns and rolls back when it fails or exits with an error.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, current_app, g, has_app_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class WriteOnSafeRequest(RuntimeError):
    """A GET or HEAD request changed domain state (a bug: such changes belong to a POST)."""


class RetryOnFreshConnection(Exception):
    """The request's database connection was dead and it had written nothing: run it again."""


@dataclass
class RequestState:
    """What the unit of work knows of the request running now (`g.uow`)."""

    #: Run a second time on a fresh connection (never a third).
    retried: bool = False
    #: A flush or an INSERT, UPDATE or DELETE reached the database: never run it again.
    wrote: bool = False
    #: Commit even on an error status (`keep_on_error`).
    keep_on_error: bool = False
    #: Domain objects a flush wrote (a GET may write audit entries only).
    flushed_domain: list[object] = field(default_factory=list)


def _state() -> RequestState:
    """This request's state; outside a request (a CLI command), a new one that nothing reads."""
    return g.get("uow") or RequestState()


def keep_on_error() -> None:
    """Commit this request's writes even if it ends with an error status (audit entries only)."""
    _state().keep_on_error = True


def _domain_changes(session: Session) -> list[object]:
    """What `session` would write besides audit entries (new, changed, deleted objects)."""
    from app.models import AuditLog

    changed = [*session.new, *(obj for obj in session.dirty if session.is_modified(obj)), *session.deleted]
    return [obj for obj in changed if not isinstance(obj, AuditLog)]


def _end_request(response: Response) -> Response:
    """Commit a successful request's work, roll back a failed one's (after_request hook)."""
    state = _state()
    failed = response.status_code >= 400 and not state.keep_on_error
    if failed:
        db.session.rollback()
        return response
    if request.method in SAFE_METHODS:
        changed = [*state.flushed_domain, *_domain_changes(db.session())]
        if changed:
            db.session.rollback()
            message = f"{request.method} {request.path} changed domain state: {changed!r}"
            if current_app.testing:
                raise WriteOnSafeRequest(message)
            current_app.logger.error(message)
            return response
    try:
        db.session.commit()
    except DBAPIError as exc:
        # A commit with nothing flushed sent no write: a dead connection here loses nothing.
        retry_if_connection_lost(exc)
        raise
    return response


def discard() -> None:
    """Throw away this request's work now (an error page is about to be drawn)."""
    db.session.rollback()


def retry_if_connection_lost(exc: BaseException) -> None:
    """Raise RetryOnFreshConnection when `exc` is a dead connection and the request may run again.

    Called by the error handler of unexpected exceptions and by the commit above. A request
    runs again at most once, and only when it has flushed nothing: a write that may have
    reached the database is never sent twice.
    """
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        state = _state()
        if not state.retried and not state.wrote:
            raise RetryOnFreshConnection from exc


def dispatch(app: Flask, full_dispatch: Callable[[], Response]) -> Response:
    """Run Flask's dispatch of one request (hooks, view, error handlers), once more on a dead connection."""
    g.uow = RequestState()
    try:
        return full_dispatch()
    except RetryOnFreshConnection:
        app.logger.warning(
            "Database connection lost on %s %s; running it again", request.method, request.path
        )
        # The pool has dropped the dead connection (and every one opened before it): the
        # session's next statement checks out a live one. Objects loaded so far are expired.
        db.session.rollback()
        g.uow = RequestState(retried=True)
        for upload in request.files.values():
            upload.stream.seek(0)
        return full_dispatch()


def _note_flush(session: Session, flush_context: Any) -> None:
    """Remember that this request wrote, and which domain objects (a GET may write audit entries only)."""
    if has_app_context():
        state = _state()
        state.wrote = True
        state.flushed_domain.extend(_domain_changes(session))


_WRITES = ("INSERT", "UPDATE", "DELETE")


def _note_statement(conn, cursor, statement: str, parameters, context, executemany) -> None:
    """An INSERT, UPDATE or DELETE sent to the database is a write, however it was sent.

    Read at the driver's cursor, so the ORM's statements, Core's and the answer path's compiled
    text statements (`participants.compiled`) all count alike."""
    if has_app_context() and statement.lstrip()[:6].upper() in _WRITES:
        _state().wrote = True


def register(app: Flask) -> None:
    """End every request's unit of work here."""
    app.after_request(_end_request)
    for target, name, listener in (
        (Session, "after_flush", _note_flush),
        (Engine, "before_cursor_execute", _note_statement),
    ):
        if not event.contains(target, name, listener):
            event.listen(target, name, listener)


@contextmanager
def transaction() -> Iterator[None]:
    """Commit the work done inside when it completes; roll it back when it raises or exits."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def command(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run a CLI command as one transaction (see `transaction`)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with transaction():
            return func(*args, **kwargs)

    return wrapper
