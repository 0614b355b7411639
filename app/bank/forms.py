"""Form of the quiz-bank pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional

from app.forms import no_control_characters


class CopyForm(FlaskForm):
    """Copy a quiz to adapt it: a new quiz file and a new quiz, never an edit of a stored version."""

    title_id = StringField(
        _l("Title of the copy (Indonesian)"),
        validators=[Optional(), Length(max=200), no_control_characters],
        description=_l("Leave empty to use the original title followed by “(salinan)”."),
    )
    title_en = StringField(
        _l("Title of the copy (English)"),
        validators=[Optional(), Length(max=200), no_control_characters],
        description=_l("Leave empty to use the original title followed by “(copy)”."),
    )
