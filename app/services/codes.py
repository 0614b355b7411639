"""Join codes and personal codes: short, easy to read aloud, no look-alike characters."""

from __future__ import annotations

import re
import secrets

#: No 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B, U/V: characters people misread on a small screen.
ALPHABET = "ACDEFHJKMNPRTWXY3479"
JOIN_CODE_LENGTH = 6
PERSONAL_CODE_LENGTH = 6


def new_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalize(code: str | None) -> str:
    """Uppercase and drop spaces and dashes, as people type codes read aloud."""
    return re.sub(r"[^0-9A-Z]", "", (code or "").upper())


def display(code: str) -> str:
    """Split a code in groups of three for reading aloud: KXM-7P3."""
    return "-".join(code[i : i + 3] for i in range(0, len(code), 3))


def looks_valid(code: str, length: int) -> bool:
    return len(code) == length and all(c in ALPHABET for c in code)
