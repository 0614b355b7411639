"""Time helpers: every stored time is UTC, timezone-aware in Python."""

from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
