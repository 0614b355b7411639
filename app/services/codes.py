"""Join codes and personal codes: short, easy to read aloud, no look-alike characters."""

from __future__ import annotations

import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from app.extensions import db

#: No 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B, U/V: characters people misread on a small screen.
ALPHABET = "ACDEFHJKMNPRTWXY3479"
JOIN_CODE_LENGTH = 6
PERSONAL_CODE_LENGTH = 6


def new_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def unique_code(length: int, column: InstrumentedAttribute[str]) -> str:
    """A new code of `length` characters that no row holds in `column` (a unique column) yet.

    With 20 characters a six-character code has 64 million values: a clash is rare, twenty in
    a row means the code space is full (or the database is lying), which is an error.
    """
    for _ in range(20):
        code = new_code(length)
        if db.session.scalar(select(column).where(column == code).limit(1)) is None:
            return code
    raise RuntimeError(f"no free code of {length} characters in {column}")


def normalize(code: str | None) -> str:
    """Uppercase and drop spaces and dashes, as people type codes read aloud."""
    return re.sub(r"[^0-9A-Z]", "", (code or "").upper())


def display(code: str) -> str:
    """Split a code in groups of three for reading aloud: KXM-7P3."""
    return "-".join(code[i : i + 3] for i in range(0, len(code), 3))


def looks_valid(code: str, length: int) -> bool:
    return len(code) == length and all(c in ALPHABET for c in code)
