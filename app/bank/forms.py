"""Form of the quiz-bank pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from app.forms import optional_text


class CopyForm(FlaskForm):
    """Copy a quiz to adapt it: a new quiz file and a new quiz, never an edit of a stored version."""

    title_id = optional_text(
        _l("Title of the copy (Indonesian)"),
        200,
        _l("Leave empty to use the original title followed by “(salinan)”."),
    )
    title_en = optional_text(
        _l("Title of the copy (English)"),
        200,
        _l("Leave empty to use the original title followed by “(copy)”."),
    )
