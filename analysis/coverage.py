"""Exclusive-breastfeeding coverage of a followed cohort (the posyandu register, KEKASIHKU).

Pure: dates and strings in, counts and Wilson intervals out. The web app and
``python -m analysis coverage`` call the same :func:`coverage`.

The register (``pencatatan pemberian ASI eksklusif pada bayi 0-6 bulan``) has a
cell per completed age month 0-5, marked from the visits of that month
(:func:`register_marks`):

- ``"√"`` breast milk only (medicines, vitamins and ORS allowed);
- ``"X"`` something else was given: the 24-hour recall status is not
  ``eksklusif``, or the mother said something else was given since the last
  visit;
- ``"A"`` the baby did not come (a ``tidak_datang`` visit);
- ``""`` nothing recorded for that month.

Several visits in one month: X wins over √, and any visit over A.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ._base import KOfN, Result

# numpy comes with .io and .proportion: imported where a file is read or an interval computed, so the
# app's start-up (which uses the dates and statuses here) does without it.

__all__ = [
    "FEEDING_STATUSES",
    "RECALL_ITEMS",
    "STATUSES",
    "CohortVisit",
    "CompletionIndicator",
    "Coverage",
    "CoverageGroup",
    "Period",
    "RecallIndicator",
    "RegisterIndicator",
    "add_months",
    "age_in_months",
    "completion_outcome",
    "coverage",
    "feeding_status",
    "parse_date",
    "parse_period",
    "read_visits_file",
    "register_marks",
    "render_coverage_text",
]

#: Feeding statuses of a 24-hour recall (Riskesdas), in order from best to worst.
FEEDING_STATUSES = ("eksklusif", "predominan", "parsial", "tidak_menyusui")
#: What a visit record may say: a feeding status, or that the baby did not come.
STATUSES = (*FEEDING_STATUSES, "tidak_datang")
#: The 24-hour recall checklist: everything but breast milk a baby may have had.
RECALL_ITEMS = ("water", "honey", "tea", "formula", "other_milk", "porridge", "banana", "other")
#: Water-based drinks: with breast milk they make a baby "predominan", not "parsial".
WATER_BASED = frozenset({"water", "honey", "tea"})
#: Completed months a register follows (0-5); six completed months end the follow-up.
REGISTER_MONTHS = 6


def feeding_status(breastfed: bool, given: Iterable[str]) -> str:
    """The Riskesdas feeding status from a 24-hour recall.

    Parameters
    ----------
    breastfed : bool
        The baby had breast milk in the last 24 hours.
    given : iterable of str
        What else the baby had, from :data:`RECALL_ITEMS` (medicines,
        vitamins and ORS are not on the list: they do not break exclusivity).

    Returns
    -------
    str
        ``"eksklusif"`` (breast milk only), ``"predominan"`` (breast milk and
        water-based drinks only: water, tea, honey water), ``"parsial"`` (breast
        milk and formula, other milk or food; ``other`` counts here, the
        cautious reading of an unnamed item) or ``"tidak_menyusui"``.

    Examples
    --------
    >>> feeding_status(True, []), feeding_status(True, ["water", "tea"])
    ('eksklusif', 'predominan')
    >>> feeding_status(True, ["water", "formula"]), feeding_status(False, [])
    ('parsial', 'tidak_menyusui')
    """
    items = set(given)
    unknown = sorted(items - set(RECALL_ITEMS))
    if unknown:
        raise ValueError(f"unknown recall item {unknown[0]!r}; expected one of {RECALL_ITEMS}")
    if not breastfed:
        return "tidak_menyusui"
    if not items:
        return "eksklusif"
    if items <= WATER_BASED:
        return "predominan"
    return "parsial"


def age_in_months(birth_date: dt.date, on: dt.date) -> int:
    """Completed months of age on a date (negative before the birth).

    A month is completed on the same day of a later month; a birth on the 31st
    completes its first month on the 1st of the month after next when the next
    month is shorter.

    >>> age_in_months(dt.date(2026, 1, 15), dt.date(2026, 2, 14)), age_in_months(dt.date(2026, 1, 15), dt.date(2026, 2, 15))
    (0, 1)
    """
    months = (on.year - birth_date.year) * 12 + on.month - birth_date.month
    return months - 1 if on.day < birth_date.day else months


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day on which a baby born on ``day`` has completed ``months`` months."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    try:
        return dt.date(year, month, day.day)
    except ValueError:  # 29-31 in a shorter month: completed on the 1st of the next
        y2, m2 = divmod(month, 12)
        return dt.date(year + y2, m2 + 1, 1)


@dataclass(frozen=True)
class CohortVisit:
    """One visit record of a mother-baby pair.

    Attributes
    ----------
    pair : str
        The pair's key (register number or pseudonym).
    birth_date, visit_date : datetime.date
        The baby's birth and the visit (or the missed posyandu day).
    status : str
        One of :data:`STATUSES`.
    other_since_last : bool or None
        Answer to "since the last visit, was the baby given anything other
        than breast milk?" (None: not asked or not answered).
    posyandu, desa : str
        Where the pair is followed ("" when unknown).
    """

    pair: str
    birth_date: dt.date
    visit_date: dt.date
    status: str
    other_since_last: bool | None = None
    posyandu: str = ""
    desa: str = ""

    @property
    def age_months(self) -> int:
        return age_in_months(self.birth_date, self.visit_date)

    @property
    def mark(self) -> str:
        """This visit's register mark: √, X or A."""
        if self.status == "tidak_datang":
            return "A"
        if self.status != "eksklusif" or self.other_since_last:
            return "X"
        return "√"


def _check_visit(v: CohortVisit) -> None:
    if v.status not in STATUSES:
        raise ValueError(f"pair {v.pair!r}: status {v.status!r} is not one of {STATUSES}")
    if v.visit_date < v.birth_date:
        raise ValueError(f"pair {v.pair!r}: visit on {v.visit_date} is before the birth on {v.birth_date}")


_MARK_RANK = {"": 0, "A": 1, "√": 2, "X": 3}


def register_marks(visits: Iterable[CohortVisit], until: dt.date | None = None) -> list[str]:
    """The register row of one baby: the marks of age months 0-5 as of ``until``.

    >>> b = dt.date(2026, 1, 10)
    >>> register_marks([CohortVisit("p", b, dt.date(2026, 1, 20), "eksklusif"),
    ...                 CohortVisit("p", b, dt.date(2026, 2, 12), "tidak_datang"),
    ...                 CohortVisit("p", b, dt.date(2026, 3, 11), "predominan")])
    ['√', 'A', 'X', '', '', '']
    """
    marks = [""] * REGISTER_MONTHS
    for v in visits:
        if until is not None and v.visit_date > until:
            continue
        m = v.age_months
        if 0 <= m < REGISTER_MONTHS and _MARK_RANK[v.mark] > _MARK_RANK[marks[m]]:
            marks[m] = v.mark
    return marks


def completion_outcome(visits: Sequence[CohortVisit]) -> str:
    """Whether a baby completed six months of breast milk only, by the register.

    Returns
    -------
    str
        ``"completed"``: no X in months 0-5, a visit in month 5, and every
        month without a visit confirmed by the next visit's answer that nothing
        but breast milk was given since the last visit (``other_since_last`` is
        False); ``"not_exclusive"``: an X in some month 0-5; ``"gaps"``: no X,
        but a month 0-5 without a visit and without that confirmation (the
        outcome is unknown, so it is counted apart).
    """
    marks = register_marks(visits)
    if "X" in marks:
        return "not_exclusive"
    if marks[REGISTER_MONTHS - 1] != "√":
        return "gaps"
    came = sorted((v for v in visits if v.status != "tidak_datang"), key=lambda v: v.visit_date)
    for m in range(REGISTER_MONTHS - 1):
        if marks[m] == "√":
            continue
        later = [v for v in came if v.age_months > m]
        if not later or later[0].other_since_last is not False:
            return "gaps"
    return "completed"


@dataclass(frozen=True)
class Period:
    """The months a figure covers: one month, or a semester of six ending in February or August."""

    label: str
    start: dt.date
    end: dt.date
    semester: bool


def parse_period(text: str, semester: bool = False) -> Period:
    """``"2026-08"`` as a month, or with ``semester`` the six months ending with it (March-August).

    >>> p = parse_period("2026-02", semester=True)
    >>> p.start, p.end
    (datetime.date(2025, 9, 1), datetime.date(2026, 2, 28))
    """
    m = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"the period must be a month written YYYY-MM, such as 2026-08, got {text!r}")
    year, month = int(m.group(1)), int(m.group(2))
    first = dt.date(year, month, 1)
    end = add_months(first, 1) - dt.timedelta(days=1)
    if not semester:
        return Period(text.strip(), first, end, False)
    if month not in (2, 8):
        raise ValueError(f"a semester ends in February or August (the vitamin-A months), got {text!r}")
    return Period(text.strip(), add_months(first, -5), end, True)


@dataclass(frozen=True)
class RegisterIndicator(KOfN):
    """(a) The register indicator: babies 0-5 months who came and had breast milk only since birth.

    Attributes
    ----------
    k : int
        Babies who came in the period at 0-5 completed months with no X in any
        month so far (as of the end of the period).
    n : int
        Babies who came in the period at 0-5 completed months (the
        denominator: "datang dan tercatat").
    proportion, ci_low, ci_high : float or None
        k / n and its Wilson interval (R ``prop.test(k, n, correct = FALSE)``).
    confidence : float
    absent : int
        Babies 0-5 months marked A in the period who did not come in it (left
        out of n, reported apart).
    not_recorded : int
        Babies of the file aged 0-5 months during the period with no record in it.
    meets_target : bool or None
        proportion x 100 >= target (None without a target or without n).
    reason : str or None
        ``"no_values"`` when n = 0.
    """

    absent: int
    not_recorded: int
    meets_target: bool | None
    reason: str | None = None


@dataclass(frozen=True)
class _Reached(Result):
    reached: int


@dataclass(frozen=True)
class CompletionIndicator(KOfN, _Reached):
    """(b) Six-month completion: babies who reached six completed months in the period.

    Attributes
    ----------
    reached : int
        Babies whose sixth completed month fell in the period.
    k : int
        Of them, those who completed (see :func:`completion_outcome`).
    n : int
        completed + not exclusive (the babies with gaps are left out).
    proportion, ci_low, ci_high, confidence
        k / n with its Wilson interval.
    gaps : int
        Babies with a month neither visited nor confirmed, and no X (reported apart).
    meets_target : bool or None
    reason : str or None
    """

    gaps: int
    meets_target: bool | None
    reason: str | None = None


@dataclass(frozen=True)
class RecallIndicator(KOfN):
    """The 24-hour recall figure: of the babies who came, those "eksklusif" at their last visit in the period.

    It overstates the since-birth figure (a baby given water last week is
    "eksklusif" today); it is shown beside the register indicator, labelled.
    """

    reason: str | None = None


@dataclass(frozen=True)
class CoverageGroup(Result):
    """The three figures of one place (or of everyone): ``level`` is overall, desa or posyandu."""

    level: str
    name: str
    desa: str
    pairs: int
    register: RegisterIndicator
    completion: CompletionIndicator
    recall_24h: RecallIndicator


@dataclass(frozen=True)
class Coverage(Result):
    """Coverage of a period, overall and by desa and posyandu (keys in analysis/README.md)."""

    period: str
    semester: bool
    start: str
    end: str
    target_percent: float | None
    confidence: float
    overall: CoverageGroup
    by_desa: list[CoverageGroup]
    by_posyandu: list[CoverageGroup]


def _meets(k: int, n: int, target: float | None) -> bool | None:
    if target is None or n == 0:
        return None
    return 100.0 * k >= target * n


def _group(
    level: str,
    name: str,
    desa: str,
    pairs: dict[str, list[CohortVisit]],
    period: Period,
    target: float | None,
    confidence: float,
) -> CoverageGroup:
    from .proportion import wilson_ci

    came = came_exclusive = absent = not_recorded = 0
    recall_k = 0
    reached = completed = not_exclusive = gaps = 0
    for visits in pairs.values():
        birth = visits[0].birth_date
        so_far = [v for v in visits if v.visit_date <= period.end]
        in_period = [
            v for v in so_far if v.visit_date >= period.start and 0 <= v.age_months < REGISTER_MONTHS
        ]
        real = [v for v in in_period if v.status != "tidak_datang"]
        if real:
            came += 1
            if "X" not in register_marks(so_far):
                came_exclusive += 1
            last = max(real, key=lambda v: v.visit_date)
            recall_k += last.status == "eksklusif"
        elif in_period:
            absent += 1
        elif birth <= period.end and add_months(birth, REGISTER_MONTHS) > period.start:
            not_recorded += 1
        six = add_months(birth, REGISTER_MONTHS)
        if period.start <= six <= period.end:
            reached += 1
            outcome = completion_outcome(so_far)
            completed += outcome == "completed"
            not_exclusive += outcome == "not_exclusive"
            gaps += outcome == "gaps"
    reg = wilson_ci(came_exclusive, came, confidence)
    comp = wilson_ci(completed, completed + not_exclusive, confidence)
    rec = wilson_ci(recall_k, came, confidence)
    return CoverageGroup(
        level,
        name,
        desa,
        len(pairs),
        RegisterIndicator(
            reg.k,
            reg.n,
            reg.proportion,
            reg.ci_low,
            reg.ci_high,
            confidence,
            absent,
            not_recorded,
            _meets(reg.k, reg.n, target),
            reg.reason,
        ),
        CompletionIndicator(
            reached,
            comp.k,
            comp.n,
            comp.proportion,
            comp.ci_low,
            comp.ci_high,
            confidence,
            gaps,
            _meets(comp.k, comp.n, target),
            comp.reason,
        ),
        RecallIndicator(rec.k, rec.n, rec.proportion, rec.ci_low, rec.ci_high, confidence, rec.reason),
    )


def coverage(
    visits: Iterable[CohortVisit],
    period: Period | str,
    *,
    semester: bool = False,
    target: float | None = None,
    confidence: float = 0.95,
) -> Coverage:
    """Exclusive-breastfeeding coverage of a period, overall, by desa and by posyandu.

    Parameters
    ----------
    visits : iterable of CohortVisit
        Every visit record of the pairs (all months, not only the period's:
        "no X so far" looks back to the birth). Records after the period are
        ignored.
    period : Period or str
        A :class:`Period` or ``"YYYY-MM"`` (with ``semester``: the six months
        ending in that February or August).
    target : float or None
        The target in percent (a setting per Puskesmas and year; seed 002 uses 50).
    confidence : float
        Level of the Wilson intervals.

    Returns
    -------
    Coverage

    Notes
    -----
    (a) Register indicator, ``bayi 0-6 bulan yang mendapat ASI saja ÷ bayi 0-6
    bulan yang datang dan tercatat``: n = babies with a visit in the period at
    0-5 completed months; k = those of them with no X in any month up to the
    end of the period. A baby with only A in the period is counted in
    ``absent``, outside n.

    (b) Six-month completion: babies whose six completed months fell in the
    period, by :func:`completion_outcome`; n = completed + not exclusive,
    ``gaps`` apart.

    Both intervals are Wilson's, as :func:`analysis.wilson_ci` (R
    ``prop.test(k, n, correct = FALSE)``).
    """
    if isinstance(period, str):
        period = parse_period(period, semester)
    if target is not None and not 0 <= target <= 100:
        raise ValueError(f"the target must be a percent between 0 and 100, got {target!r}")
    pairs: dict[str, list[CohortVisit]] = {}
    for v in visits:
        _check_visit(v)
        first = pairs.setdefault(v.pair, [v])[0]
        if first is not v:
            if (first.birth_date, first.posyandu, first.desa) != (v.birth_date, v.posyandu, v.desa):
                raise ValueError(f"pair {v.pair!r}: the birth date, posyandu or desa differs between visits")
            pairs[v.pair].append(v)

    def subset(keep) -> dict[str, list[CohortVisit]]:
        return {p: vs for p, vs in pairs.items() if keep(vs[0])}

    by_desa = [
        _group("desa", d, d, subset(lambda v, d=d: v.desa == d), period, target, confidence)
        for d in sorted({vs[0].desa for vs in pairs.values()})
    ]
    places = sorted({(vs[0].desa, vs[0].posyandu) for vs in pairs.values()})
    by_posyandu = [
        _group(
            "posyandu",
            p,
            d,
            subset(lambda v, d=d, p=p: (v.desa, v.posyandu) == (d, p)),
            period,
            target,
            confidence,
        )
        for d, p in places
    ]
    return Coverage(
        period.label,
        period.semester,
        period.start.isoformat(),
        period.end.isoformat(),
        None if target is None else float(target),
        confidence,
        _group("overall", "", "", pairs, period, target, confidence),
        by_desa,
        by_posyandu,
    )


_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y", "%d-%m-%Y")
_YES = {"ya", "yes", "y", "1", "true"}
_NO = {"tidak", "no", "n", "0", "false"}


def parse_date(text: str) -> dt.date:
    """A date as the visits file writes it: 2026-08-15 (or an Excel date), 15/08/2026 or 15-08-2026; else ValueError."""
    s = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError(s)


def read_visits_file(path: str | Path) -> list[CohortVisit]:
    """Read a CSV or XLSX file of visits, one row per visit.

    Columns (names without regard to case): ``pair``, ``birth_date``,
    ``visit_date``, ``status`` (one of :data:`STATUSES`), and optional
    ``other_since_last`` (ya/tidak, yes/no, 1/0 or blank), ``posyandu``,
    ``desa``. Dates are written 2026-08-15 (or as Excel dates), 15/08/2026 or
    15-08-2026. CSV as ``analysis report`` reads it (comma, semicolon or tab;
    UTF-8 with or without BOM).

    Raises
    ------
    DataFileError
        Naming the row (header = row 1), the column and the value.
    """
    from .io import DataFileError, _data_rows, _read_table

    header, rows, _, lower = _read_table(path)
    for required in ("pair", "birth_date", "visit_date", "status"):
        if required not in lower:
            raise DataFileError(f"the column '{required}' is missing (one row per visit)", row=1)
    col = {name: i for i, name in enumerate(lower)}
    visits: list[CohortVisit] = []
    first_row: dict[str, tuple[int, CohortVisit]] = {}
    today = dt.date.today()
    for rownum, cells in _data_rows(header, rows):

        def cell(name: str, cells=cells) -> str:
            return cells[col[name]].strip() if name in col else ""

        def date(name: str, cells=cells, rownum=rownum) -> dt.date:
            try:
                return parse_date(cells[col[name]])
            except ValueError:
                raise DataFileError(
                    "is not a date (write 2026-08-15 or 15/08/2026)",
                    row=rownum,
                    column=header[col[name]],
                    value=cells[col[name]],
                ) from None

        pair = cell("pair")
        if not pair:
            raise DataFileError("the pair is empty", row=rownum, column=header[col["pair"]], value="")
        birth, visit = date("birth_date"), date("visit_date")
        if birth > today:
            raise DataFileError(
                "the birth date is in the future",
                row=rownum,
                column=header[col["birth_date"]],
                value=cell("birth_date"),
            )
        if visit < birth:
            raise DataFileError(
                "the visit is before the birth date",
                row=rownum,
                column=header[col["visit_date"]],
                value=cell("visit_date"),
            )
        status = cell("status").lower().replace(" ", "_")
        if status not in STATUSES:
            raise DataFileError(
                "the status must be one of " + ", ".join(STATUSES),
                row=rownum,
                column=header[col["status"]],
                value=cell("status"),
            )
        since_text = cell("other_since_last").lower()
        if since_text and since_text not in _YES | _NO:
            raise DataFileError(
                "must be ya, tidak or blank",
                row=rownum,
                column=header[col["other_since_last"]],
                value=cell("other_since_last"),
            )
        since = None if not since_text else since_text in _YES
        v = CohortVisit(pair, birth, visit, status, since, cell("posyandu"), cell("desa"))
        if pair in first_row:
            row0, v0 = first_row[pair]
            for name, a, b in (
                ("birth_date", v0.birth_date, v.birth_date),
                ("posyandu", v0.posyandu, v.posyandu),
                ("desa", v0.desa, v.desa),
            ):
                if a != b and name in col:
                    raise DataFileError(
                        f"differs from row {row0} of the same pair",
                        row=rownum,
                        column=header[col[name]],
                        value=cell(name),
                    )
        else:
            first_row[pair] = (rownum, v)
        visits.append(v)
    if not visits:
        raise DataFileError("the file has no visits")
    return visits


_TEXT = {
    # key: (Indonesian, English)
    "title": ("Cakupan ASI eksklusif", "Exclusive-breastfeeding coverage"),
    "month": ("bulan", "month"),
    "semester": ("semester", "semester"),
    "target": ("target", "target"),
    "overall": ("Semua", "All"),
    "register": (
        "(a) Indikator register: bayi 0–5 bulan yang mendapat ASI saja sejak lahir ÷ bayi yang datang dan tercatat",
        "(a) Register indicator: babies 0–5 months given breast milk only since birth ÷ babies who came",
    ),
    "completion": (
        "(b) Lulus 6 bulan: bayi yang mencapai 6 bulan dengan semua bulan √ dan kunjungan bulan ke-5",
        "(b) Six-month completion: babies reaching 6 months with every month √ and a month-5 visit",
    ),
    "recall": (
        "Recall 24 jam: eksklusif pada kunjungan terakhir (melebihkan angka sejak lahir)",
        "24-hour recall: exclusive at the last visit (overstates the since-birth figure)",
    ),
    "place": ("Tempat", "Place"),
    "absent": ("A (tidak datang)", "A (did not come)"),
    "not_recorded": ("tidak tercatat", "not recorded"),
    "reached": ("mencapai 6 bln", "reached 6 mo"),
    "gaps": ("bulan kosong", "gaps"),
    "meets": ("mencapai target", "meets target"),
    "yes": ("ya", "yes"),
    "no": ("tidak", "no"),
}


def render_coverage_text(result: Coverage, lang: str = "id") -> str:
    """The coverage as plain-text tables (k/n, percent, Wilson 95% CI) in Indonesian or English."""
    from .format import format_percent

    li = 0 if lang == "id" else 1

    def t(key: str) -> str:
        return _TEXT[key][li]

    def pct(x: float | None) -> str:
        return format_percent(None if x is None else 100 * x, 1, lang)

    def ci(r) -> str:
        return f"{pct(r.ci_low)}–{pct(r.ci_high)}" if r.ci_low is not None else "–"

    def meets(m: bool | None) -> str:
        return "–" if m is None else t("yes") if m else t("no")

    groups = [result.overall, *result.by_desa, *result.by_posyandu]

    def name(g: CoverageGroup) -> str:
        if g.level == "overall":
            return t("overall")
        return f"Desa {g.name}" if g.level == "desa" else f"  Posyandu {g.name} ({g.desa})"

    kind = t("semester") if result.semester else t("month")
    head = f"{t('title')}: {kind} {result.period} ({result.start} – {result.end})"
    if result.target_percent is not None:
        head += f", {t('target')} {format_percent(result.target_percent, 0, lang)}"
    lines = [head, ""]
    width = max(len(name(g)) for g in groups) + 2
    lines += [t("register"), ""]
    lines.append(
        f"{t('place'):<{width}}{'k/n':>9}{'%':>8}  {'95% CI':<15}{t('absent'):>18}{t('not_recorded'):>16}  {t('meets')}"
    )
    for g in groups:
        r = g.register
        lines.append(
            f"{name(g):<{width}}{f'{r.k}/{r.n}':>9}{pct(r.proportion):>8}  {ci(r):<15}{r.absent:>18}{r.not_recorded:>16}  {meets(r.meets_target)}"
        )
    lines += ["", t("completion"), ""]
    lines.append(
        f"{t('place'):<{width}}{t('reached'):>15}{'k/n':>9}{'%':>8}  {'95% CI':<15}{t('gaps'):>14}  {t('meets')}"
    )
    for g in groups:
        c = g.completion
        lines.append(
            f"{name(g):<{width}}{c.reached:>15}{f'{c.k}/{c.n}':>9}{pct(c.proportion):>8}  {ci(c):<15}{c.gaps:>14}  {meets(c.meets_target)}"
        )
    lines += ["", t("recall"), ""]
    lines.append(f"{t('place'):<{width}}{'k/n':>9}{'%':>8}  {'95% CI':<15}")
    for g in groups:
        q = g.recall_24h
        lines.append(f"{name(g):<{width}}{f'{q.k}/{q.n}':>9}{pct(q.proportion):>8}  {ci(q):<15}")
    return "\n".join(lines) + "\n"
