"""Cohort forms. The visit form also validates the JSON a phone's offline queue sends."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from analysis.coverage import RECALL_ITEMS
from app.forms import MultiCheckboxField, code_field, no_control_characters, optional_text
from app.models.cohort import (
    BIRTH_PLACES,
    CONSULTATION_CATEGORIES,
    CONSULTATION_CHANNELS,
    PROBLEMS,
    VISIT_PLACES,
)

REQUIRED = _l("Please fill in this field.")


def no():
    return lazy_pgettext("answer", "No")


def yes_no_unknown():
    return [("yes", _l("Yes")), ("no", no()), ("", _l("Not known"))]


def recall_choices():
    labels = {
        "water": _l("Water"),
        "honey": _l("Honey"),
        "tea": _l("Tea"),
        "formula": _l("Formula milk"),
        "other_milk": _l("Other milk"),
        "porridge": _l("Porridge"),
        "banana": _l("Banana"),
        "other": _l("Something else"),
    }
    return [(k, labels[k]) for k in RECALL_ITEMS]


def problem_choices():
    labels = {
        "sore_nipples": _l("Sore nipples"),
        "engorgement": _l("Engorged breasts"),
        "low_milk": _l("Feels her milk is not enough"),
        "baby_refusing": _l("Baby refuses the breast"),
        "back_at_work": _l("Mother back at work"),
        "family_pressure": _l("Family pressure to give other food or drink"),
        "formula_promotion": _l("Formula promotion"),
    }
    return [(k, labels[k]) for k in PROBLEMS]


def place_choices():
    labels = {
        "home": _l("Home visit"),
        "posyandu": _l("Posyandu"),
        "whatsapp": _l("WhatsApp"),
        "phone": _l("Phone call"),
    }
    return [(k, labels[k]) for k in VISIT_PLACES]


def birth_place_choices():
    labels = {
        "home": _l("Home"),
        "bidan": _l("Midwife's practice"),
        "puskesmas": _l("Puskesmas"),
        "clinic": _l("Clinic"),
        "hospital": _l("Hospital"),
        "other": _l("Other"),
    }
    return [("", _l("Not known"))] + [(k, labels[k]) for k in BIRTH_PLACES]


def labels() -> dict[str, dict[str, str]]:
    """The words for stored codes (recall items, problems, places), for pages that show a visit."""
    return {
        "recall": dict(recall_choices()),
        "problems": dict(problem_choices()),
        "place": dict(place_choices()),
    }


def yes_no_value(text: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(text or "")


class PairForm(FlaskForm):
    posyandu = SelectField(_l("Posyandu"), coerce=int, validate_choice=True)
    mother_name = StringField(
        _l("Mother's name"),
        validators=[DataRequired(REQUIRED), Length(max=80), no_control_characters],
        description=_l("As written in the Buku KIA."),
    )
    mother_phone = StringField(
        _l("Mother's phone / WhatsApp"),
        validators=[
            Optional(),
            Length(max=20),
            Regexp(r"^[0-9 +()-]*$", message=_l("Digits only, e.g. 0812 3456 7890.")),
        ],
    )
    rt_rw = optional_text(_l("RT/RW"), 16)
    baby_name = optional_text(_l("Baby's name"), 80, _l("May stay empty until the baby is named."))
    baby_sex = RadioField(
        _l("Baby's sex"),
        choices=[("L", _l("Boy (L)")), ("P", _l("Girl (P)"))],
        validators=[InputRequired(REQUIRED)],
    )
    birth_date = DateField(_l("Baby's date of birth"), validators=[InputRequired(REQUIRED)])
    birth_weight_g = IntegerField(
        _l("Birth weight (grams)"),
        validators=[Optional(), NumberRange(300, 7000, message=_l("Between 300 and 7000 grams."))],
    )
    preterm = RadioField(
        _l("Born before 37 weeks"), choices=yes_no_unknown, default="", validators=[Optional()]
    )
    early_initiation = RadioField(
        _l("Early initiation of breastfeeding (IMD)"),
        choices=yes_no_unknown,
        default="",
        validators=[Optional()],
    )
    rooming_in = RadioField(_l("Rooming-in"), choices=yes_no_unknown, default="", validators=[Optional()])
    birth_place = SelectField(
        _l("Place of birth"), choices=birth_place_choices, default="", validate_choice=True
    )
    cadre = SelectField(_l("Cadre who follows the pair"), coerce=int, validate_choice=True)
    consent_followup = BooleanField(
        _l("The mother agrees to be followed up until the baby is six months old"),
        validators=[DataRequired(_l("Without her consent the pair cannot be registered."))],
    )
    consent_whatsapp = BooleanField(_l("The mother agrees to be contacted on WhatsApp"))
    confirm_new = BooleanField(_l("This is a different mother: register her anyway"))


class VisitForm(FlaskForm):
    client_key = HiddenField(validators=[DataRequired(), Regexp(r"^[A-Za-z0-9_-]{8,64}$")])
    visit_date = DateField(_l("Date of the visit"), validators=[InputRequired(REQUIRED)])
    came = RadioField(
        _l("Did the mother come / could she be reached?"),
        choices=[("yes", _l("Yes")), ("no", _l("No, did not come"))],
        default="yes",
        validators=[InputRequired(REQUIRED)],
    )
    place = RadioField(_l("Where"), choices=place_choices, validators=[Optional()])
    other_since_last = RadioField(
        _l("Since the last visit, was the baby given anything other than breast milk?"),
        choices=yes_no_unknown,
        default="",
        validators=[Optional()],
        description=_l("Medicines, vitamins and ORS do not count."),
    )
    breastfed_24h = RadioField(
        _l("Did the baby have breast milk in the last 24 hours?"),
        choices=lambda: [("yes", _l("Yes")), ("no", no())],
        default="yes",
        validators=[Optional()],
    )
    recall_24h = MultiCheckboxField(
        _l("In the last 24 hours the baby also had"), choices=recall_choices, validate_choice=True
    )
    problems = MultiCheckboxField(_l("Problems"), choices=problem_choices, validate_choice=True)
    counseling = TextAreaField(
        _l("Counseling given"), validators=[Optional(), Length(max=500), no_control_characters]
    )
    referral_to = optional_text(
        _l("Referred to"), 120, _l("E.g. bidan desa, Puskesmas, konselor ASI. Leave empty if not referred.")
    )
    next_visit_on = DateField(_l("Next visit"), validators=[Optional()])


class ConfirmForm(FlaskForm):
    confirm = BooleanField(_l("Yes, I am sure"), validators=[DataRequired(_l("Tick the box to confirm."))])


class MergeForm(FlaskForm):
    duplicate = IntegerField(validators=[InputRequired()])


class PostForm(FlaskForm):
    """A button that posts (CSRF only)."""


class TargetForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[InputRequired(REQUIRED), NumberRange(2000, 2100)])
    percent = DecimalField(
        _l("Target (%)"),
        places=1,
        validators=[InputRequired(REQUIRED), NumberRange(0, 100, message=_l("Between 0 and 100."))],
    )


class ImportForm(FlaskForm):
    data_file = FileField(
        _l("Register file"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["csv", "xlsx"], _l("The file must be a .csv or .xlsx file.")),
        ],
        description=_l(
            "One row per baby: posyandu, nama_ibu, nama_bayi, jenis_kelamin (L/P), tanggal_lahir, bulan_0 ... bulan_5 (√, X, A or empty)."
        ),
    )
    consent = BooleanField(
        _l("The mothers on this register agreed to be followed up"),
        validators=[DataRequired(_l("Without her consent the pair cannot be registered."))],
    )


def channel_choices():
    labels = {
        "whatsapp_group": _l("WhatsApp group"),
        "whatsapp": _l("WhatsApp"),
        "visit": _l("Home visit"),
        "phone": _l("Phone call"),
        "meeting": _l("KP-ASI meeting"),
    }
    return [(k, labels[k]) for k in CONSULTATION_CHANNELS]


def category_choices():
    extra = {
        "feeding_technique": _l("Position and attachment"),
        "mother_health": _l("Mother's health"),
        "baby_health": _l("Baby's health"),
        "other": _l("Other"),
    }
    labels = dict(problem_choices()) | extra
    return [(k, labels[k]) for k in CONSULTATION_CATEGORIES]


class MeetingForm(FlaskForm):
    posyandu = SelectField(_l("Posyandu"), coerce=int, validate_choice=True)
    held_on = DateField(_l("Date"), validators=[InputRequired(REQUIRED)])
    topic = StringField(
        _l("Topic"), validators=[DataRequired(REQUIRED), Length(max=200), no_control_characters]
    )
    mothers = MultiCheckboxField(_l("Mothers who came"), coerce=int, validate_choice=True)
    others = IntegerField(
        _l("Others who came (fathers, grandmothers, pregnant women)"),
        default=0,
        validators=[InputRequired(REQUIRED), NumberRange(0, 500)],
    )


class ConsultationForm(FlaskForm):
    posyandu = SelectField(_l("Posyandu"), coerce=int, validate_choice=True)
    asked_on = DateField(_l("Date"), validators=[InputRequired(REQUIRED)])
    channel = SelectField(_l("Asked through"), choices=channel_choices, validate_choice=True)
    category = SelectField(_l("Question about"), choices=category_choices, validate_choice=True)
    outcome = RadioField(
        _l("Outcome"),
        choices=lambda: [("answered", _l("Answered")), ("referred", _l("Referred"))],
        validators=[InputRequired(REQUIRED)],
    )


NAME_TOO_LONG = _l("The name is too long (at most 120 characters).")


class ReferralOutcomeForm(FlaskForm):
    """What came of a visit's referral, recorded later."""

    outcome = StringField(
        _l("What came of the referral"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=300, message=_l("Please keep it to 300 characters.")),
            no_control_characters,
        ],
        description=_l("For example: seen by the midwife, latch corrected; or: did not go yet."),
    )


class LinkParticipantForm(FlaskForm):
    """Link the mother to her record in a counseling session, by her personal code."""

    personal_code = code_field(
        _l("Her personal code from a counseling session"),
        REQUIRED,
        _l("The code she got when she registered for a pre-test, e.g. KXM-7P3."),
        no_control_characters,
    )


def in_choices(form, field):
    """The chosen value is one of the field's choices (WTForms' own message would stay in English)."""
    if field.data not in [value for value, _label in field.choices or []]:
        raise ValidationError(_l("Choose from the list."))


class PuskesmasForm(FlaskForm):
    name = StringField(
        _l("Puskesmas"),
        validators=[DataRequired(REQUIRED), Length(max=120, message=NAME_TOO_LONG), no_control_characters],
    )
    head_name = StringField(
        _l("Head of the Puskesmas (for the report's signature)"),
        validators=[Optional(), Length(max=120, message=NAME_TOO_LONG), no_control_characters],
    )
    nutrition_officer_name = StringField(
        _l("Nutrition officer (for the report's signature)"),
        validators=[Optional(), Length(max=120, message=NAME_TOO_LONG), no_control_characters],
    )


class DesaForm(FlaskForm):
    puskesmas = SelectField(_l("Puskesmas"), coerce=int, validate_choice=False, validators=[in_choices])
    name = StringField(
        _l("Desa"),
        validators=[DataRequired(REQUIRED), Length(max=120, message=NAME_TOO_LONG), no_control_characters],
    )


class PosyanduForm(FlaskForm):
    desa = SelectField(_l("Desa"), coerce=int, validate_choice=False, validators=[in_choices])
    name = StringField(
        _l("Posyandu"),
        validators=[DataRequired(REQUIRED), Length(max=120, message=NAME_TOO_LONG), no_control_characters],
    )


class MemberForm(FlaskForm):
    """A cadre at a posyandu or a nutrition officer at a Puskesmas."""

    account = SelectField(
        _l("Account (kader or TPG)"), coerce=int, validate_choice=False, validators=[in_choices]
    )
    place = SelectField(
        _l("Place"),
        validate_choice=False,
        validators=[in_choices],
        description=_l("A kader belongs to a posyandu, a TPG (nutrition officer) to a Puskesmas."),
    )
