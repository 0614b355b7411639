"""The form of the upload page: a data file and the activity details printed on the report."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, StopValidation, ValidationError

from app.forms import no_control_characters, optional_text


def finite_number(form, field):
    """A number, not NaN, sNaN or infinity (Decimal's NaNs cannot even be compared with a range)."""
    if field.data is not None and not field.data.is_finite():
        raise StopValidation(_l("Please give a number."))


class UploadForm(FlaskForm):
    data_file = FileField(
        _l("Data file (CSV or Excel)"),
        validators=[
            FileAllowed(["csv", "xlsx"], _l("The file must be a .csv or .xlsx file.")),
        ],
        description=_l(
            "One row per participant: a name or code column (Nama, Peserta), then the Pretest and "
            "Posttest scores (a Google Forms score such as 5 / 10 is read too), or 0/1 answers in columns "
            "pre_q1, post_q1, pre_q2, post_q2 ... Other columns are characteristics (education, age...); "
            "timestamp and e-mail columns are left out."
        ),
    )
    #: The file of the previous try, kept while the lecturer maps its columns (base64).
    kept_file = HiddenField(validators=[Optional(), Length(max=3_000_000)])
    kept_name = HiddenField(validators=[Optional(), Length(max=200)])
    col_participant = SelectField(_l("Column with the participant's name or code"), validate_choice=False)
    col_pre = SelectField(_l("Column with the pre-test score"), validate_choice=False)
    col_post = SelectField(_l("Column with the post-test score"), validate_choice=False)
    rescale_fractions = BooleanField(
        _l("Scores are fractions of the maximum (0.8 shown as 80% in Excel): multiply them"),
    )
    title = StringField(
        _l("Title of the activity"),
        validators=[DataRequired(_l("Please fill in this field.")), Length(max=200), no_control_characters],
    )
    place = optional_text(_l("Place"), 200)
    held_on = DateField(_l("Date"), validators=[Optional()])
    educator = optional_text(_l("Educator or team"), 300)
    institution = optional_text(_l("Institution"), 200)
    instrument = optional_text(
        _l("Questionnaire"), 200, _l("The name of the quiz or questionnaire, as printed in the method.")
    )
    n_questions = IntegerField(
        _l("Number of questions"),
        validators=[Optional(), NumberRange(min=1, max=500)],
        description=_l("Only needed when the file holds scores rather than answers."),
    )
    max_score = DecimalField(
        _l("Highest possible score"),
        default=100,
        places=None,
        validators=[
            DataRequired(_l("Please give a number.")),
            finite_number,
            NumberRange(min=1, max=10000),
        ],
    )
    lang = SelectField(
        _l("Language of the report"), choices=[("id", "Bahasa Indonesia"), ("en", "English")], default="id"
    )
    fmt = SelectField(
        _l("Format"),
        choices=[
            ("pdf", "PDF"),
            ("docx", "Word (.docx)"),
            ("xlsx", "Excel (.xlsx)"),
            ("csv", "CSV"),
            ("sav", "SPSS (.sav)"),
            ("sav-long", "SPSS (.sav, long)"),
            ("article", _l("Article draft (Word)")),
        ],
        default="pdf",
    )
    with_names = BooleanField(
        _l("Print the participant column as it is in the file (names)"),
        description=_l("Otherwise participants are shown as P01, P02, ..."),
    )

    def validate_data_file(self, field) -> None:
        if not field.data and not self.kept_file.data:
            raise ValidationError(_l("Please choose a file."))
