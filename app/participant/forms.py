"""Participant forms. Every text field has a length limit and a plain-words message."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, StringField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

# The shared validator lives in app/forms.py; imported from here by older code (re-exported).
from app.forms import CONTROL_CHARS, code_field, no_control_characters
from app.services.characteristics import CHARACTERISTICS
from app.services.participants import MAX_SEQ

#: Characteristics a participant may leave empty.
OPTIONAL_CHARACTERISTICS = {"baby_age_months"}


class JoinForm(FlaskForm):
    code = code_field(
        _l("Session code"),
        _l("Please type the session code."),
        _l("The code shown on the educator's screen."),
    )
    #: Which button was tapped: "new" goes straight to the consent and registration screen.
    then = StringField(validators=[Optional(), AnyOf(("new", "code"))])


class ResumeForm(FlaskForm):
    personal_code = code_field(
        _l("Your personal code"),
        _l("Please type your personal code."),
        _l("The code you got when you registered, e.g. KXM-7P3."),
    )


def storable_text(value):
    """Anything but a string that can be stored (a number or a list sent as JSON, a lone
    UTF-16 surrogate) becomes None, so the field's own validators refuse it with their message."""
    if value is None or not isinstance(value, str) or CONTROL_CHARS.search(value):
        return None
    return value


class AnswerForm(FlaskForm):
    option = RadioField(_l("Answer"), choices=[], validate_choice=True, validators=[Optional()])
    client_key = HiddenField(filters=[storable_text], validators=[Optional(), Length(max=64)])
    #: The page's sequence number for this choice: after every choice stored when it was drawn.
    seq = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(0, MAX_SEQ)])
    chosen_at = HiddenField(filters=[storable_text], validators=[Optional(), Length(max=40)])
    direction = HiddenField(default="next", validators=[Optional(), Length(max=10)])


class SubmitForm(FlaskForm):
    submit_key = HiddenField(filters=[storable_text], validators=[DataRequired(), Length(min=8, max=64)])


class LeaveForm(FlaskForm):
    pass


def registration_form(keys: list[str]) -> type[FlaskForm]:
    """Consent and registration in one form: the name, the characteristics the educator chose, and
    `agree`, sent by the button "I agree and start" under the consent text (never ticked for her).

    Short lists of choices are radio buttons (drawn as large tiles); numbers are number fields the
    page gives − / + buttons.
    """

    class RegistrationForm(FlaskForm):
        agree = BooleanField(
            _l("I agree and start"),
            validators=[DataRequired(_l("Please tap “I agree and start” to take part."))],
        )
        name = StringField(
            _l("Name or initials"),
            validators=[
                DataRequired(_l("Please write your name or initials.")),
                Length(max=80, message=_l("Please use at most 80 characters.")),
                no_control_characters,
            ],
            description=_l("Initials are enough, e.g. S.A."),
        )

    for key in keys:
        c = CHARACTERISTICS.get(key)
        if c is None:
            continue
        required = key not in OPTIONAL_CHARACTERISTICS
        if c.kind == "int":
            validators = [
                InputRequired(_l("Please fill in this field.")) if required else Optional(),
                NumberRange(
                    c.minimum,
                    c.maximum,
                    message=_l(
                        "Please enter a number from %(min)s to %(max)s.", min=c.minimum, max=c.maximum
                    ),
                ),
            ]
            field = IntegerField(
                c.label,
                validators=validators,
                description=c.unit,
                render_kw={"inputmode": "numeric", "min": c.minimum, "max": c.maximum, "step": 1},
            )
        else:
            validators = [InputRequired(_l("Please choose one.")) if required else Optional()]
            field = RadioField(c.label, choices=[(v, label) for v, label in c.choices], validators=validators)
        setattr(RegistrationForm, key, field)
    return RegistrationForm
