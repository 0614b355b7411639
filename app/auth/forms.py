from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from app.forms import new_password_field
from app.services.accounts import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH


class LoginForm(FlaskForm):
    username = StringField(
        _l("Username"), validators=[DataRequired(_l("Please fill in this field.")), Length(max=64)]
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Please fill in this field.")), Length(max=200)]
    )
    remember = BooleanField(_l("Keep me logged in on this computer"))


class PasswordForm(FlaskForm):
    """Change my password: the current one, then the new one twice."""

    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Please fill in this field.")), Length(max=PASSWORD_MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    new = new_password_field(
        _l("New password"),
        _l(
            "At least %(min)s characters. Every other device logged in to this account is logged out.",
            min=PASSWORD_MIN_LENGTH,
        ),
    )
    repeat = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Please fill in this field.")),
            EqualTo("new", message=_l("The two new passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
