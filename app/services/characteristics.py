"""The participant characteristics an educator may ask at registration.

Each characteristic has a stable key (stored in Participant.characteristics
and used as the variable name in exports), a label, and either numeric bounds
or a list of coded choices (codes are what SPSS value labels are built from).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Characteristic:
    key: str
    label: object  # lazy string
    kind: str  # "int" or "choice"
    choices: tuple[tuple[str, object], ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    unit: object = ""
    #: The short name tables and exports print ("Status hamil/menyusui"), where `label` is the
    #: registration question ("Apakah Anda sedang hamil atau menyusui?"); None: the label is short.
    report_label: object = None

    @property
    def short_label(self) -> object:
        return self.label if self.report_label is None else self.report_label

    def choice_label(self, code: str | None) -> str:
        for value, label in self.choices:
            if value == code:
                return str(label)
        return "" if code is None else str(code)


CHARACTERISTICS: dict[str, Characteristic] = {
    c.key: c
    for c in (
        Characteristic("age", _l("Age"), "int", minimum=10, maximum=90, unit=_l("years")),
        Characteristic(
            "education",
            _l("Last education"),
            "choice",
            (
                ("none", _l("No schooling")),
                ("sd", _l("Primary school (SD)")),
                ("smp", _l("Junior high school (SMP)")),
                ("sma", _l("Senior high school (SMA/SMK)")),
                ("higher", _l("Diploma or university")),
            ),
        ),
        Characteristic(
            "occupation",
            _l("Occupation"),
            "choice",
            (
                ("housewife", _l("Housewife / not working")),
                ("private", _l("Private employee")),
                ("self_employed", _l("Self-employed / trader")),
                ("farmer", _l("Farmer / labourer")),
                ("civil_servant", _l("Civil servant / army / police")),
                ("health_worker", _l("Health worker")),
                ("other", _l("Other")),
            ),
        ),
        Characteristic(
            "parity", _l("Number of children born"), "int", minimum=0, maximum=20, report_label=_l("Parity")
        ),
        Characteristic(
            "status",
            _l("Are you now pregnant or breastfeeding?"),
            "choice",
            (
                ("pregnant", _l("Pregnant")),
                ("breastfeeding", _l("Breastfeeding")),
                ("both", _l("Pregnant and breastfeeding")),
                ("neither", _l("Neither")),
            ),
            report_label=_l("Pregnancy or breastfeeding status"),
        ),
        Characteristic(
            "baby_age_months",
            _l("Age of the youngest baby"),
            "int",
            minimum=0,
            maximum=60,
            unit=_l("months"),
            report_label=_l("Baby's age"),
        ),
        Characteristic(
            "relation",
            _l("Relation to the baby"),
            "choice",
            (
                ("mother", _l("Mother")),
                ("father", _l("Father / husband")),
                ("grandmother", _l("Grandmother")),
                ("grandfather", _l("Grandfather")),
                ("cadre", _l("Cadre")),
                ("other", _l("Other")),
            ),
        ),
        Characteristic(
            "years_of_service",
            _l("Years as a cadre or health worker"),
            "int",
            minimum=0,
            maximum=60,
            unit=_l("years"),
            report_label=_l("Time as a cadre or health worker"),
        ),
    )
}

DEFAULT_FOR_MOTHERS = ("age", "education", "occupation", "parity", "status", "baby_age_months")
