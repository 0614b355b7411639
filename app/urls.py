"""Where a `next=` parameter may send the browser: only to a page of this site."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: What a browser drops from a URL before reading it (the WHATWG URL standard): tab, CR and LF
#: anywhere; C0 controls and spaces at either end. werkzeug drops some of them too, after a check
#: made on the raw text, which is how "/\t/evil.example" became "//evil.example".
_DROPPED_ANYWHERE = re.compile(r"[\t\r\n]")
_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))


def safe_next(target: str | None, fallback: str) -> str:
    """`target` as the browser will read it when that is a path on this site; `fallback` otherwise.

    A local path starts with one slash: not "//host" or "/\\host" (browsers read a backslash as a
    slash), no scheme, no host. The path returned is the cleaned one, so the Location header says
    exactly what was checked.
    """
    if not target:
        return fallback
    cleaned = _DROPPED_ANYWHERE.sub("", target).strip(_C0_AND_SPACE)
    as_read = cleaned.replace("\\", "/")
    if not as_read.startswith("/") or as_read.startswith("//"):
        return fallback
    parts = urlsplit(as_read)
    if parts.scheme or parts.netloc or any(ord(c) < 0x20 or ord(c) == 0x7F for c in cleaned):
        return fallback
    return cleaned
