"""Recording who did what."""

from flask_login import current_user

from app.extensions import db
from app.models import AuditLog


def record(action: str, session_id: int | None = None, actor_id: int | None = None, **detail) -> AuditLog:
    """Add an audit entry; the actor defaults to the logged-in account."""
    if actor_id is None and current_user and getattr(current_user, "is_authenticated", False):
        actor_id = current_user.id
    entry = AuditLog(action=action, session_id=session_id, actor_id=actor_id, detail=detail)
    db.session.add(entry)
    return entry
