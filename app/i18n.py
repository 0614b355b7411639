"""Languages: which one a request speaks, and the compiled catalogs every start needs.

Bahasa Indonesia is the default; English when the person chose it (kept in the session
cookie). The Indonesian catalog is written as `messages.po`; Flask-Babel reads the compiled
`messages.mo`. `compile_catalogs` builds the .mo at start when it is missing or older than
its .po, however the app is started (make, gunicorn, `flask` commands, the tests), so a
fresh clone never serves a mix of English and Indonesian. When the tree is read-only the
catalogs are compiled into the instance folder instead; when neither can be written the app
refuses to start and says why.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from flask import Flask, has_request_context, session

LANGUAGES = ("id", "en")
DEFAULT = "id"


class CatalogError(RuntimeError):
    """A translation catalog could not be compiled: the app would mix languages."""


def select_locale() -> str:
    """Bahasa Indonesia unless the person chose English (kept in the session cookie)."""
    lang = session.get("lang")
    if lang in LANGUAGES:
        return lang
    return DEFAULT


def current_lang() -> str:
    """The language of the current request, Bahasa Indonesia outside a request."""
    return select_locale() if has_request_context() else DEFAULT


def _stale(po: Path, mo: Path) -> bool:
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


def _compile(po: Path, mo: Path) -> None:
    """Compile one .po into `mo`, written beside it and renamed, so a reader never sees half a file."""
    # Imported here: a start whose catalogs are current (nearly every one) reads no .po.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh, locale=po.parent.parent.name)
    mo.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=mo.parent, prefix=".messages-", suffix=".mo")
    try:
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog, use_fuzzy=True)  # as `pybabel compile -f` (make translations)
        os.replace(tmp, mo)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def compile_catalogs(app: Flask) -> None:
    """Make sure every catalog's .mo is current; point Flask-Babel at where they are."""
    configured = app.config.get("BABEL_TRANSLATION_DIRECTORIES") or "translations"
    source = Path(app.root_path, configured.split(";")[0])
    catalogs = sorted(source.glob("*/LC_MESSAGES/messages.po"))
    if not catalogs:
        raise CatalogError(f"No translation catalog (*/LC_MESSAGES/messages.po) under {source}.")
    stale = [po for po in catalogs if _stale(po, po.with_suffix(".mo"))]
    if not stale:
        app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(source)
        return
    try:
        for po in stale:
            _compile(po, po.with_suffix(".mo"))
        app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(source)
        return
    except OSError as exc:
        reason = f"{exc.filename or source}: {exc.strerror or exc}"
    # The tree cannot be written (installed read-only): compile into the instance folder.
    fallback = Path(app.instance_path, "translations")
    try:
        for po in catalogs:
            mo = fallback / po.relative_to(source).with_suffix(".mo")
            if _stale(po, mo):
                _compile(po, mo)
    except OSError as exc:
        raise CatalogError(
            f"The translation catalogs under {source} are missing or out of date and cannot be compiled "
            f"({reason}; {exc.filename or fallback}: {exc.strerror or exc}). Pages would mix English and "
            "Bahasa Indonesia, so the app does not start. Run `make translations` "
            "(pybabel compile -d app/translations -f) as a user who may write there."
        ) from exc
    app.logger.warning(
        "Translation catalogs compiled into %s (%s is read-only: %s)", fallback, source, reason
    )
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(fallback)


MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(value, lang: str) -> str:
    """20 November 2026 (the same order in both languages, as Indonesian letters write it)."""
    if value is None:
        return "–"
    months = MONTHS_EN if lang == "en" else MONTHS_ID
    return f"{value.day} {months[value.month - 1]} {value.year}"


def zone_label() -> str:
    """The app's time zone (TIMEZONE, Asia/Jakarta by default) as pages state it: WIB, WITA, WIT in
    Indonesian, GMT+07:00 in English."""
    from datetime import UTC, datetime

    from flask_babel import format_datetime

    return format_datetime(datetime.now(UTC), "zzz" if current_lang() == "id" else "ZZZZ")


def clock(value, fmt: str = "short") -> str:
    """A stored time in the app's time zone with the zone named ("02/12/26 07.24 WIB"): the audit
    log and the live view's "Updated" say the same time for the same moment, whatever the browser's zone."""
    from flask_babel import format_datetime

    return f"{format_datetime(value, fmt)} {zone_label()}"
