"""Template filters and globals, and the cache of compiled templates."""

from __future__ import annotations

import os
import re
from pathlib import Path

from flask import Flask
from flask_babel import format_decimal, get_locale, get_translations
from jinja2 import FileSystemBytecodeCache

from analysis.format import round_half_away
from app.i18n import clock
from app.services import codes

#: "Pre-test" and "post-test" in any case: a narrow phone (360 px) broke them as "Post-/test".
_TEST_WORD = re.compile(r"\b(pre|post)-(test)", re.IGNORECASE)


def keep_test_words(text: str) -> str:
    """ "Pre-test"/"post-test" with a non-breaking hyphen (U+2011), so a line never breaks inside them."""
    return _TEST_WORD.sub("\\1\u2011\\2", text)


def _install_gettext(app: Flask) -> None:
    """The templates' `_()` as Flask-Babel installs it, with the test words kept whole (page text only:
    the reports, exports and messages written in Python keep the ordinary hyphen)."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: keep_test_words(get_translations().ugettext(s)),
        ngettext=lambda s, p, n: keep_test_words(get_translations().ungettext(s, p, n)),
        newstyle=True,
        pgettext=lambda c, s: keep_test_words(get_translations().upgettext(c, s)),
        npgettext=lambda c, s, p, n: keep_test_words(get_translations().unpgettext(c, s, p, n)),
    )


def bytecode_cache(app: Flask) -> FileSystemBytecodeCache | None:
    """Compiled templates kept in instance/jinja, as Python keeps __pycache__: a start serves its first
    pages without compiling their templates again (bench/README.md, start-up). An entry is used only
    while its template's source has the checksum it was compiled from, by the same Jinja and Python;
    with a folder that cannot be written, templates are compiled in memory as before."""
    folder = Path(app.instance_path, "jinja")
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder)) if os.access(folder, os.W_OK) else None


def register(app: Flask) -> None:
    app.jinja_env.bytecode_cache = bytecode_cache(app)
    _install_gettext(app)
    # Texts translated in Python (form labels, help texts) go through this filter in the field macro.
    app.add_template_filter(lambda text: keep_test_words(str(text)), "keep_test_words")

    @app.template_filter("code")
    def code_filter(code: str) -> str:
        return codes.display(code)

    @app.template_filter("clock")
    def clock_filter(value, fmt: str = "short") -> str:
        return clock(value, fmt) if value is not None else "–"

    @app.template_filter("score")
    def score_filter(value: float | None, digits: int = 1) -> str:
        if value is None:
            return "–"
        return (
            format_decimal(round_half_away(value, digits), format="#,##0." + "0" * digits)
            if digits
            else str(round_half_away(value, 0))
        )

    @app.template_filter("signed")
    def signed_filter(value: float | None, digits: int = 1) -> str:
        if value is None:
            return "–"
        text = format_decimal(abs(round_half_away(value, digits)), format="#,##0." + "0" * digits)
        return ("+" if value > 0 else "−" if value < 0 else "") + text

    @app.context_processor
    def globals_():
        locale = get_locale()
        return {"lang": locale.language if locale else "id"}
