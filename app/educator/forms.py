from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.forms import MultiCheckboxField, no_control_characters
from app.services.characteristics import CHARACTERISTICS, DEFAULT_FOR_MOTHERS

#: The study group a session may be marked as (app.models.session.STUDY_GROUPS), "" for none.
STUDY_GROUP_CHOICES = [
    ("", _l("Not part of a comparison")),
    ("intervention", _l("Intervention group")),
    ("control", _l("Control group")),
    ("medium_a", _l("Medium A")),
    ("medium_b", _l("Medium B")),
]


class SessionForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Please fill in this field.")), Length(max=200), no_control_characters],
        description=_l("E.g. Edukasi Produksi ASI"),
    )
    place = StringField(
        _l("Place"),
        validators=[DataRequired(_l("Please fill in this field.")), Length(max=200), no_control_characters],
        description=_l("E.g. Posyandu Melati, Puskesmas Serpong 1"),
    )
    held_on = DateField(
        _l("Date"), default=date.today, validators=[DataRequired(_l("Please give a valid date."))]
    )
    team = StringField(
        _l("Team (optional)"),
        validators=[Optional(), Length(max=300), no_control_characters],
        description=_l("Other educators or lecturers, as printed on the report."),
    )
    institution = StringField(
        _l("Institution (optional)"), validators=[Optional(), Length(max=200), no_control_characters]
    )
    quiz = SelectField(_l("Quiz"), coerce=int, validators=[DataRequired(_l("Please choose a quiz."))])
    post_quiz = SelectField(
        _l("Post-test quiz"),
        coerce=int,
        validators=[Optional()],
        description=_l("The same quiz, or its parallel form B."),
    )
    post_only = BooleanField(_l("Post-test only (no pre-test)"))
    characteristics = MultiCheckboxField(
        _l("Ask participants"),
        choices=[(key, c.label) for key, c in CHARACTERISTICS.items()],
        default=list(DEFAULT_FOR_MOTHERS),
        validators=[Optional()],
    )
    study_group = SelectField(
        _l("Group in a comparison"),
        choices=STUDY_GROUP_CHOICES,
        default="",
        validators=[Optional()],
        description=_l(
            "Sessions marked so can be compared on the programme page (intervention and control)."
        ),
    )
    consent_text_id = TextAreaField(
        _l("Consent statement in Bahasa Indonesia (optional)"),
        validators=[Optional(), Length(max=3000)],
        description=_l("Leave empty to use the standard text."),
    )
    consent_text_en = TextAreaField(
        _l("Consent statement in English (optional)"), validators=[Optional(), Length(max=3000)]
    )

    def validate_characteristics(self, field):
        unknown = [k for k in field.data or [] if k not in CHARACTERISTICS]
        if unknown:
            raise ValidationError(_l("Unknown characteristic."))


class StudyGroupForm(FlaskForm):
    study_group = SelectField(
        _l("Group in a comparison"),
        choices=STUDY_GROUP_CHOICES,
        default="",
        description=_l(
            "Sessions marked so can be compared on the programme page (intervention and control)."
        ),
    )


class PhaseForm(FlaskForm):
    target = HiddenField(validators=[DataRequired(), Length(max=16)])
