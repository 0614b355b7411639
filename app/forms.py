"""What the forms of several blueprints share: the control-character check, an optional text field, a code
field, the password rule, a checkbox list."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.services.accounts import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, password_problem

#: C0 and C1 control characters, zero-width characters and bidirectional overrides.
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


#: A code field (join code, personal code, certificate code): the tablet's keyboard offers capitals
#: and neither corrects nor completes what is typed (Android's autocorrect turned KXM7P3 into words).
CODE_INPUT = {
    "autocomplete": "off",
    "autocorrect": "off",
    "autocapitalize": "characters",
    "spellcheck": "false",
    "inputmode": "text",
}


def no_control_characters(form, field):
    """Refuse text with control characters (names, titles: they end up in pages, PDFs and spreadsheets)."""
    if field.data and CONTROL_CHARS.search(field.data):
        raise ValidationError(_l("Please use letters, numbers and ordinary punctuation only."))


def optional_text(label, max_length: int, description="") -> StringField:
    """A text field one may leave empty: at most `max_length` characters, no control characters."""
    return StringField(
        label,
        validators=[Optional(), Length(max=max_length), no_control_characters],
        description=description,
    )


def code_field(label, required_message, description, *validators) -> StringField:
    """A code to type (CODE_INPUT): required, at most 20 characters, then any further `validators`."""
    return StringField(
        label,
        validators=[
            DataRequired(required_message),
            Length(max=20, message=_l("The code is too long.")),
            *validators,
        ],
        description=description,
        render_kw=CODE_INPUT,
    )


def password_rule(form, field):
    """The one password rule of every account (services.accounts.password_problem), as a field check."""
    if password_problem(field.data or ""):
        raise ValidationError(
            _l(
                "Use %(min)s to %(max)s characters.",
                min=PASSWORD_MIN_LENGTH,
                max=PASSWORD_MAX_LENGTH,
            )
        )


def new_password_field(label, description=None) -> PasswordField:
    return PasswordField(
        label,
        validators=[DataRequired(_l("Please fill in this field.")), password_rule],
        description=description or _l("At least %(min)s characters.", min=PASSWORD_MIN_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes (a tablet-friendly multiple select)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CheckboxesField(MultiCheckboxField):
    """Checkboxes whose unknown values the form's own validate_<name> refuses in the user's language
    (WTForms' built-in choice check answers in English)."""

    def pre_validate(self, form):
        pass
