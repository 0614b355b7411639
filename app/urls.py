"""URL helpers shared by the blueprints: where a `next=` may send the browser, and ids in URLs."""

from __future__ import annotations

from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter

#: PostgreSQL's integer (and so every id column): a larger id in a URL cannot name a row.
MAX_DATABASE_ID = 2**31 - 1


def safe_next(target: str | None, default: str) -> str:
    """`target` when it is a path on this site, as the browser will read it; `default` otherwise.

    Browsers drop TAB, CR and LF anywhere in a URL and read a backslash as a slash, so
    `/\\evil.example` or `/%09/evil.example` decoded would leave the site: any control character
    or backslash refuses the target (and a CR or LF would not fit in a Location header anyway).
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def database_id(raw: str | None) -> int | None:
    """`raw` as an id a database row can have (ASCII digits, 1 to MAX_DATABASE_ID), else None.

    str.isdigit() is no guard: it accepts "²", which int() refuses.
    """
    if not raw or not (raw.isascii() and raw.isdigit()) or len(raw) > 10:
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_DATABASE_ID else None


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` in every route: digits up to MAX_DATABASE_ID, so a larger number is a 404, not a database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_DATABASE_ID)
        super().__init__(map, *args, **kwargs)
