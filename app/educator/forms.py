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


class PhaseForm(FlaskForm):
    target = HiddenField(validators=[DataRequired(), Length(max=16)])
    #: The follow-up test's quiz (a quiz version id), asked when the follow-up is first opened.
    followup_quiz = SelectField(
        _l("Quiz of the follow-up test"), coerce=int, validate_choice=False, validators=[Optional()]
    )
