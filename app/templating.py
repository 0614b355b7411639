"""Template filters and globals."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_decimal, get_locale

from analysis.format import round_half_away
from app.services import codes


def register(app: Flask) -> None:
    @app.template_filter("code")
    def code_filter(code: str) -> str:
        return codes.display(code)

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
