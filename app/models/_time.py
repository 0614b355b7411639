"""Time helpers: every stored time is UTC, timezone-aware in Python."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
