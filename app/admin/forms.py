from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from app.forms import new_password_field, no_control_characters
from app.services.accounts import PASSWORD_MIN_LENGTH


def role_choices():
    return [("educator", _l("Educator")), ("lecturer", _l("Lecturer")), ("admin", _l("Admin"))]


class AccountForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(_l("Please fill in this field.")),
            Length(min=3, max=64),
            Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Use letters, digits, dot, dash or underscore.")),
        ],
        description=_l("What the person types to log in."),
    )
    full_name = StringField(
        _l("Full name"),
        validators=[DataRequired(_l("Please fill in this field.")), Length(max=120), no_control_characters],
        description=_l("As printed on reports and certificates."),
    )
    institution = StringField(_l("Institution"), validators=[Length(max=200), no_control_characters])
    role = SelectField(_l("Role"), choices=role_choices, validate_choice=True)
    password = new_password_field(
        _l("Password"),
        _l("At least %(min)s characters. Give it to the person in private.", min=PASSWORD_MIN_LENGTH),
    )


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=role_choices, validate_choice=True)


class ActiveForm(FlaskForm):
    pass


class GrantForm(FlaskForm):
    session = SelectField(_l("Session"), coerce=int, validate_choice=True)
    lecturer = SelectField(_l("Lecturer"), coerce=int, validate_choice=True)
