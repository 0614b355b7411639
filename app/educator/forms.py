from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.forms import CheckboxesField, MultiCheckboxField, no_control_characters, optional_text
from app.services.characteristics import CHARACTERISTICS, DEFAULT_FOR_MOTHERS
from app.services.sessioninfo import (
    ID_KINDS,
    MAX_MEMBERS,
    MAX_SIGNATORIES,
    MEDIA,
    METHODS,
    Member,
    SessionInfo,
)

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
    team = optional_text(
        _l("Team (optional)"), 300, _l("Other educators or lecturers, as printed on the report.")
    )
    institution = optional_text(_l("Institution (optional)"), 200)
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
    #: The follow-up test's quiz (a quiz version id), asked when the follow-up is first opened.
    followup_quiz = SelectField(
        _l("Quiz of the follow-up test"), coerce=int, validate_choice=False, validators=[Optional()]
    )


def official_number(form, field):
    """NIP (18 digits), NIDN/NIDK (10) or NIK (16), as printed: digits with optional spaces or dots."""
    value = (field.data or "").strip()
    if not value:
        return
    digits = re.sub(r"[ .]", "", value)
    if not digits.isdigit() or not value.isascii():
        raise ValidationError(_l("Use digits only (spaces allowed), e.g. 19800101 200501 2 001."))
    if not 8 <= len(digits) <= 20:
        raise ValidationError(_l("An NIP has 18 digits, an NIDN 10: please check the number."))


class MemberForm(Form):
    """One person of the team: name and NIP/NIDN (a sub-form: the outer form carries the CSRF token)."""

    # No Optional(): it would stop the chain before validate_name sees an empty name beside a number.
    name = StringField(_l("Name"), validators=[Length(max=120), no_control_characters])
    id_kind = SelectField(
        _l("Number"), choices=[(k, k) for k in ID_KINDS], default="NIP", validators=[Optional()]
    )
    id_number = StringField(_l("NIP/NIDN"), validators=[Optional(), Length(max=30), official_number])

    def validate_name(self, field):
        if not (field.data or "").strip() and (self.id_number.data or "").strip():
            raise ValidationError(_l("Please give the name that goes with this number."))


class SignatoryForm(MemberForm):
    role = StringField(
        _l("Position"),
        validators=[Length(max=120), no_control_characters],
        render_kw={"placeholder": _l("E.g. Kepala Puskesmas")},
    )

    def validate_role(self, field):
        if (self.name.data or "").strip() and not (field.data or "").strip():
            raise ValidationError(_l("Please give the role, e.g. Kepala Puskesmas."))


class SessionDetailsForm(FlaskForm):
    """What the report, the article draft and the certificates say about the education itself."""

    leader = FormField(MemberForm, label=_l("Head of the team (ketua pelaksana)"))
    members = FieldList(
        FormField(MemberForm), label=_l("Team members"), min_entries=MAX_MEMBERS, max_entries=MAX_MEMBERS
    )
    partner = optional_text(_l("Partner (mitra)"), 200, _l("E.g. Puskesmas Serpong 1, Rumah Bersalin Rosita"))
    funding = optional_text(_l("Funding"), 200, _l("E.g. LPPM Universitas …, hibah internal 2026"))
    methods = CheckboxesField(_l("Education method"), choices=list(METHODS.items()), validators=[Optional()])
    method_other = optional_text(_l("Other method (optional)"), 200)
    media = CheckboxesField(_l("Media"), choices=list(MEDIA.items()), validators=[Optional()])
    media_other = optional_text(_l("Other media (optional)"), 200)
    duration_minutes = IntegerField(
        _l("Duration (minutes)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=1440, message=_l("Give the duration in minutes, from 1 to 1440.")),
        ],
    )
    signatories = FieldList(
        FormField(SignatoryForm),
        label=_l("Signatories"),
        min_entries=MAX_SIGNATORIES,
        max_entries=MAX_SIGNATORIES,
        description=_l(
            "Printed in the approval block (Mengetahui, …) of the report; the first two also sign the "
            "certificates."
        ),
    )
    signed_place = optional_text(_l("Place of signing"), 120, _l("E.g. Pekanbaru"))
    signed_on = DateField(_l("Date of signing"), validators=[Optional()])
    as_defaults = BooleanField(_l("Use these details (except the date) for my new sessions"))

    def validate_methods(self, field):
        if any(k not in METHODS for k in field.data or []):
            raise ValidationError(_l("Unknown method."))

    def validate_media(self, field):
        if any(k not in MEDIA for k in field.data or []):
            raise ValidationError(_l("Unknown media."))

    @staticmethod
    def data_for(info: SessionInfo) -> dict:
        """The form's initial data from the stored details."""

        def person(m: Member | None) -> dict:
            return (
                {"name": m.name, "id_kind": m.id_kind or "NIP", "id_number": m.id_number, "role": m.role}
                if m
                else {}
            )

        return {
            "leader": person(info.leader),
            "members": [person(m) for m in info.members],
            "partner": info.partner,
            "funding": info.funding,
            "methods": list(info.methods),
            "method_other": info.method_other,
            "media": list(info.media),
            "media_other": info.media_other,
            "duration_minutes": info.duration_minutes,
            "signatories": [person(m) for m in info.signatories],
            "signed_place": info.signed_place,
            "signed_on": info.signed_on,
        }

    def to_info(self) -> SessionInfo:
        def person(sub, with_role: bool = False) -> Member | None:
            name = (sub.name.data or "").strip()
            if not name:
                return None
            number = " ".join((sub.id_number.data or "").split())
            return Member(
                name=name,
                id_kind=sub.id_kind.data if number else "",
                id_number=number,
                role=(sub.role.data or "").strip() if with_role else "",
            )

        def clean(text) -> str:
            return (text or "").strip()

        return SessionInfo(
            leader=person(self.leader.form),
            members=tuple(m for m in (person(e.form) for e in self.members) if m),
            partner=clean(self.partner.data),
            funding=clean(self.funding.data),
            methods=tuple(self.methods.data or ()),
            method_other=clean(self.method_other.data),
            media=tuple(self.media.data or ()),
            media_other=clean(self.media_other.data),
            duration_minutes=self.duration_minutes.data or None,
            signatories=tuple(s for s in (person(e.form, True) for e in self.signatories) if s),
            signed_place=clean(self.signed_place.data),
            signed_on=self.signed_on.data,
        )
