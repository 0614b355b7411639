"""Data exports: CSV (the file format `python -m analysis report` reads), XLSX and SPSS .sav.

Pseudonymised unless the educator asks for names: P01, P02, ... and no personal code
(which, with the session's join code, would open the participant's test). Text a participant typed is
neutralised in CSV and XLSX (a leading = + - @ tab or CR would make Excel run
it as a formula). SPSS files keep numeric codes and label text apart: codes in
the data, the words in value labels.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import tempfile
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from analysis.format import format_number
from analysis.format import label as result_label
from app.services.characteristics import CHARACTERISTICS
from app.services.gains import person_gains
from app.services.reportdata import ReportData

if TYPE_CHECKING:  # numpy and the statistics (scipy, statsmodels) load when an export is built
    import numpy as np

    from analysis import FullAnalysis

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """A text cell Excel will show and not evaluate: a leading = + - @ tab or CR gets a quote in front."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _who(data: ReportData, with_names: bool) -> list[str]:
    return [p.shown_name(with_names) for p in data.people]


def _number(value: float | None, decimal_comma: bool) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = repr(round(float(value), 10))
    text = text[:-2] if text.endswith(".0") else text
    return text.replace(".", ",") if decimal_comma else text


# ------------------------------------------------------------------------------------------ CSV


def attitude_matrices(data: ReportData) -> tuple[np.ndarray, np.ndarray] | None:
    """The attitude answers before and after (1..5 as given, NaN = none), None without a scale."""
    if data.attitude_pre is None or data.attitude_post is None or not data.attitude_statements:
        return None
    return data.attitude_pre, data.attitude_post


def attitude_totals(data: ReportData) -> tuple[list[float], list[float]] | None:
    """Each person's attitude total after reverse scoring (NaN without every statement answered)."""
    matrices = attitude_matrices(data)
    if matrices is None:
        return None
    from analysis.attitude import attitude_totals as totals
    from analysis.attitude import reverse_score

    reverse = [q.reverse for q in data.attitude_statements]
    pre, post = matrices
    return list(totals(reverse_score(pre, reverse))), list(totals(reverse_score(post, reverse)))


def to_csv(data: ReportData, *, with_names: bool = False, lang: str = "id", semicolon: bool = False) -> bytes:
    """One row per participant: participant, characteristics, pre, post, pre_<q>/post_<q> (0/1).

    With a follow-up test, also ``followup`` and ``followup_<q>``.

    UTF-8 with BOM so Excel opens it; exactly the columns `python -m analysis
    report` reads, so the file gives the same analysis outside the app.
    Semicolons go with the decimal comma (Indonesian Excel).
    """
    import numpy as np

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if semicolon else ",", lineterminator="\r\n")
    names = {key: data.characteristic_name(key, lang) for key in data.characteristic_keys}
    q = [x.key for x in data.questions]
    att = [x.key for x in data.attitude_statements] if data.attitude_pre is not None else []
    writer.writerow(
        [
            "participant",
            *(neutralise(names[k]) for k in data.characteristic_keys),
            *(["group"] if data.groups is not None else []),
            "pre",
            "post",
            *(["followup"] if data.has_followup else []),
            *(f"pre_{k}" for k in q),
            *(f"post_{k}" for k in q),
            *(f"followup_{k}" for k in q if data.items_followup is not None),
            *(f"att_pre_{k}" for k in att),
            *(f"att_post_{k}" for k in att),
        ]
    )
    for person, who in zip(data.people, _who(data, with_names), strict=False):
        row = [neutralise(who)]
        for key in data.characteristic_keys:
            row.append(
                neutralise(data.characteristic_value(key, person.characteristics.get(key), lang) or "")
            )
        if data.groups is not None:
            row.append(data.groups[person.index] or "")
        row += [_number(person.pre, semicolon), _number(person.post, semicolon)]
        if data.has_followup:
            row.append(_number(person.followup, semicolon))
        for matrix in (
            data.items_pre,
            data.items_post,
            data.items_followup,
            *(attitude_matrices(data) or ()),
        ):
            if matrix is not None:
                row += ["" if np.isnan(v) else str(int(v)) for v in matrix[person.index]]
        writer.writerow(row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# ------------------------------------------------------------------------------------------ XLSX

#: Excel number formats (the cells hold full precision; the format is what the lecturer sees).
SCORE_FORMAT, P_FORMAT, STAT_FORMAT, PERCENT_FORMAT = "0.00", "0.000", "0.000", "0.0"
DATE_FORMAT, DATETIME_FORMAT = "dd/mm/yyyy", "dd/mm/yyyy hh:mm"


def _local(value: datetime | None) -> datetime | None:
    """A stored UTC time as the session's wall-clock time (Excel has no time zones)."""
    if value is None:
        return None
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Jakarta"))
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(zone).replace(tzinfo=None)


def _fit_columns(ws, minimum: float = 6, maximum: float = 60) -> None:
    """Column widths from the longest text in each column (Excel's width unit is about one character)."""
    widths: dict[int, float] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            if isinstance(cell.value, datetime):
                length = 16.0
            elif isinstance(cell.value, date):
                length = 10.0
            elif isinstance(cell.value, float):
                length = 8.0
            else:
                length = max(len(line) for line in str(cell.value).split("\n"))
            widths[cell.column] = max(widths.get(cell.column, 0), length)
    from openpyxl.utils import get_column_letter  # openpyxl loads when a workbook is built, not at start

    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(maximum, max(minimum, width + 2))


def _summary_rows(data: ReportData, result: FullAnalysis, lang: str) -> list[tuple[str, str, object, str]]:
    """(section, measure, value, number format) rows of the summary sheet, in the report's words."""
    yes, no = _("yes"), _("no")
    rows: list[tuple[str, str, object, str]] = []

    def add(section, measure, value, fmt=""):
        if isinstance(value, bool):
            value = yes if value else no
        rows.append((str(section), str(measure), value, fmt))

    act = data.activities[0] if data.activities and not data.pooled else None
    if act is not None:
        section = _("Activity")
        add(section, _("Activity"), act.title)
        add(section, _("Place"), act.place)
        add(section, _("Date"), act.held_on, DATE_FORMAT)
        add(section, _("Educator"), act.educator)
        add(section, _("Questionnaire"), act.quiz_title(lang))
        add(section, _("Number of questions"), act.n_questions)
    c = result.counts
    section = _("Participants")
    add(section, _("registered"), c.n_participants)
    add(section, _("took both tests (analysed)"), c.n_paired)
    add(section, _("pre-test only"), c.n_pre_only)
    add(section, _("post-test only"), c.n_post_only)
    names = {"pre": _("Pre-test"), "post": _("Post-test"), "difference": _("Difference (post − pre)")}
    for key, d in (result.descriptives or {}).items():
        section = names.get(key, key)
        add(section, "n", d.n)
        add(section, _("Mean"), d.mean, SCORE_FORMAT)
        add(section, "SD", d.sd, SCORE_FORMAT)
        add(section, _("Median"), d.median, SCORE_FORMAT)
        add(section, _("Minimum"), d.min, SCORE_FORMAT)
        add(section, _("Maximum"), d.max, SCORE_FORMAT)
    statistic_word = _("Statistic")
    for key, v in (result.normality or {}).items():
        section = _("Normality of the differences (post − pre)")
        add(section, f"{result_label(key, lang)}: {statistic_word}", v.statistic, STAT_FORMAT)
        add(section, f"{result_label(key, lang)}: p", v.p_value, P_FORMAT)
    tt = result.paired_t_test
    if tt is not None:
        section = result_label("paired_t_test", lang)
        add(section, _("Mean difference"), tt.mean_difference, SCORE_FORMAT)
        add(section, "SD", tt.sd_difference, SCORE_FORMAT)
        add(section, _("95% CI, lower"), tt.ci_low, SCORE_FORMAT)
        add(section, _("95% CI, upper"), tt.ci_high, SCORE_FORMAT)
        add(section, "t", tt.t, STAT_FORMAT)
        add(section, "df", tt.df)
        add(section, "p", tt.p_value, P_FORMAT)
        add(section, "Cohen's dz", tt.cohens_dz, SCORE_FORMAT)
    w = result.wilcoxon
    if w is not None:
        section = result_label("wilcoxon_signed_rank", lang)
        add(section, result_label("negative_ranks", lang), w.n_negative)
        add(section, result_label("positive_ranks", lang), w.n_positive)
        add(section, result_label("ties", lang), w.n_zero)
        add(section, "Z (SPSS)", w.z, STAT_FORMAT)
        add(section, _("p (SPSS, asymptotic)"), w.p_value_asymptotic, P_FORMAT)
        add(section, "V (R)", w.v, SCORE_FORMAT)
        add(section, "p (R)", w.p_value, P_FORMAT)
        add(section, "r", w.effect_size_r, SCORE_FORMAT)
    lt = result.leading_test
    if lt is not None:
        section = _("Decision")
        add(section, _("leading test"), result_label(lt.test, lang))
        add(section, _("significant"), bool(lt.significant) if lt.significant is not None else None)
    g = result.normalized_gain
    if g is not None:
        section = _("Normalized gain (N-gain)")
        add(section, _("Mean of individual N-gains"), g.mean_individual_gain, SCORE_FORMAT)
        add(section, _("Category"), result_label(g.mean_individual_gain_category or "", lang))
        add(section, _("Class-average N-gain <g>"), g.class_average_gain, SCORE_FORMAT)
        add(section, _("N-gain (%) for effectiveness"), g.effectiveness_percent, PERCENT_FORMAT)
        add(section, _("Category"), result_label(g.effectiveness_category or "", lang))
    category_word = _("Knowledge category")
    for which, cats in (result.knowledge_categories or {}).items():
        section = f"{category_word}: {names.get(which, which)}"
        for cat in cats.categories:
            add(section, f"{result_label(cat.category, lang)} (n)", cat.count)
            add(section, f"{result_label(cat.category, lang)} (%)", cat.percent, PERCENT_FORMAT)
    pu = result.proportion_understood
    if pu is not None:
        section = _("Participants who understood (post-test score ≥ %(t)s)", t=f"{pu.threshold_percent:g}%")
        add(section, "n", pu.k)
        add(section, "%", None if pu.proportion is None else 100 * pu.proportion, PERCENT_FORMAT)
    _followup_summary_rows(result, lang, add)
    if result.items is not None:
        section = _("Item quality and reliability (KR-20)")
        add(section, "KR-20 " + _("Pre-test"), result.items.quality_pre.reliability.coefficient, STAT_FORMAT)
        add(
            section, "KR-20 " + _("Post-test"), result.items.quality_post.reliability.coefficient, STAT_FORMAT
        )
        add(
            section,
            _("questions improved significantly"),
            sum(1 for q in result.items.changes if q.significant),
        )
    att = result.attitude
    if att is not None:
        section = _("Attitude")
        add(section, _("Mean total, pre-test"), att.totals["pre"]["mean"], SCORE_FORMAT)
        add(section, _("Mean total, post-test"), att.totals["post"]["mean"], SCORE_FORMAT)
        add(section, "t", att.paired_t_test.t, STAT_FORMAT)
        add(section, _("p (t-test)"), att.paired_t_test.p_value, P_FORMAT)
        add(section, "Z (SPSS)", att.wilcoxon.z, STAT_FORMAT)
        add(section, "p (Wilcoxon, R)", att.wilcoxon.p_value, P_FORMAT)
        add(section, "Cronbach's alpha " + _("Pre-test"), att.reliability_pre.coefficient, STAT_FORMAT)
        add(section, "Cronbach's alpha " + _("Post-test"), att.reliability_post.coefficient, STAT_FORMAT)
    return rows


def _followup_summary_rows(result: FullAnalysis, lang: str, add) -> None:
    """The follow-up section's figures for the summary sheet (nothing without a follow-up)."""
    f = result.followup
    if f is None:
        return
    section = _("Follow-up test")
    c = f.counts
    add(section, _("took all three tests (analysed)"), c.n_complete)
    for key, d in f.descriptives.items():
        name = {"pre": _("Pre-test"), "post": _("Post-test"), "followup": _("Follow-up test")}[key]
        add(section, f"{name}: {_('Mean')}", d.mean, SCORE_FORMAT)
        add(section, f"{name}: SD", d.sd, SCORE_FORMAT)
        add(section, f"{name}: {_('Median')}", d.median, SCORE_FORMAT)
    fr, aov = f.friedman, f.rm_anova
    add(section, "Friedman χ²", fr.statistic, STAT_FORMAT)
    add(section, "Friedman p", fr.p_value, P_FORMAT)
    add(section, "Kendall's W", fr.kendalls_w, STAT_FORMAT)
    add(section, _("Repeated-measures ANOVA") + ": F", aov.f, STAT_FORMAT)
    add(section, _("Repeated-measures ANOVA") + ": p", aov.p_value, P_FORMAT)
    add(section, _("Partial eta squared"), aov.partial_eta_squared, STAT_FORMAT)
    add(section, "Mauchly W", aov.mauchly_w, STAT_FORMAT)
    add(section, "Mauchly p", aov.mauchly_p_value, P_FORMAT)
    add(section, "Greenhouse-Geisser ε", aov.epsilon_gg, STAT_FORMAT)
    add(section, "Huynh-Feldt ε", aov.epsilon_hf, STAT_FORMAT)
    for pw in f.pairwise_wilcoxon:
        pair = f"Wilcoxon {result_label(pw.later, lang)} – {result_label(pw.earlier, lang)}"
        add(section, f"{pair}: Z", pw.wilcoxon.z, STAT_FORMAT)
        add(
            section,
            f"{pair}: p ({result_label(result.settings.p_adjust, lang)})",
            pw.p_value_adjusted,
            P_FORMAT,
        )
    lt = f.leading_test
    add(section, _("leading test"), _("Repeated-measures ANOVA") if lt.test == "rm_anova" else "Friedman")
    add(section, _("significant"), bool(lt.significant) if lt.significant is not None else None)


def to_xlsx(data: ReportData, result: FullAnalysis, *, with_names: bool = False, lang: str = "id") -> bytes:
    """A workbook a lecturer computes with: participants, 0/1 answers (wide), answers (long), summary.

    Numbers are numbers (with a display format; the cell keeps full precision),
    dates and times are Excel dates in the session's time zone, a number
    characteristic is given raw (``Umur (tahun)``) and banded
    (``Umur (kelompok)``), yes/no in the file's language. The first sheet plus
    the 0/1 sheet is a file the upload page and ``python -m analysis`` read
    back to the same analysis.
    """
    import numpy as np
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    with force_locale(lang):
        titles = (_("Participants"), _("Answers 0-1"), _("Answers"), _("Summary"), _("Questions"))
        heads = {
            "no": _("No"),
            "participant": _("Participant"),
            "name": _("Name"),
            "code": _("Personal code"),
            "session": _("Session"),
            "date": _("Session date"),
            "pre": _("Pre-test"),
            "post": _("Post-test"),
            "gain": _("Difference (post − pre)"),
            "ngain": _("N-gain"),
            "pre_at": _("Pre-test submitted"),
            "post_at": _("Post-test submitted"),
            "followup": _("Follow-up test"),
            "followup_at": _("Follow-up test submitted"),
            "test": _("Test"),
            "question": _("Question"),
            "option": _("Chosen option"),
            "correct": _("Correct (1) or wrong (0)"),
            "section": _("Part"),
            "measure": _("Measure"),
            "value": _("Value"),
            "group": _("group"),
            "column": _("Column"),
        }
        summary = _summary_rows(data, result, lang)
        kinds = {"pre": _("Pre-test"), "post": _("Post-test"), "followup": _("Follow-up test")}
        att_titles = (
            _("Attitude 1-5"),
            _("Attitude statements"),
            _("Statement"),
            _("Reverse-scored (6 − answer)"),
        )
        yes_no = {True: _("yes"), False: _("no")}
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)

    def header(ws, cells):
        ws.append(cells)
        for cell in ws[ws.max_row]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    def txt(value):
        return None if value is None else neutralise(str(value))

    def formats(ws, columns: dict[int, str]) -> None:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                fmt = columns.get(cell.column)
                if fmt and cell.value is not None:
                    cell.number_format = fmt

    session_date = {a.session_id: a.held_on for a in data.activities}

    # 1. participants, one row each
    ws = wb.create_sheet(titles[0])
    ws.freeze_panes = "C2"
    cols = [heads["no"], heads["participant"]]
    if with_names:  # a personal code opens her test (with the join code): only in files with names
        cols += [heads["code"], heads["name"]]
    if data.pooled:
        cols.append(heads["session"])
    cols.append(heads["date"])
    char_heads: list[str] = []
    for key in data.characteristic_keys:
        name = data.characteristic_name(key, lang)
        unit = data.characteristic_unit(key, lang)
        char_heads.append(f"{name} ({unit})" if unit else name)
        if data.is_banded(key):
            char_heads.append(f"{name} ({heads['group']})")
    header(ws, cols + [txt(h) for h in char_heads] + [heads[k] for k in ("pre", "post", "gain", "ngain")])
    ws.cell(1, ws.max_column + 1, heads["pre_at"]).font = bold
    ws.cell(1, ws.max_column + 1, heads["post_at"]).font = bold
    if data.has_followup:
        ws.cell(1, ws.max_column + 1, heads["followup"]).font = bold
        ws.cell(1, ws.max_column + 1, heads["followup_at"]).font = bold
    first_score = len(cols) + len(char_heads) + 1
    for person in data.people:
        row: list = [person.index + 1, person.pseudonym]
        if with_names:
            row += [txt(person.personal_code), txt(person.name)]
        if data.pooled:
            row.append(person.session_id)
        held = session_date.get(person.session_id) if data.activities else None
        row.append(held if held is not None else (data.activities[0].held_on if data.activities else None))
        for key in data.characteristic_keys:
            raw = person.characteristics.get(key)
            if data.is_banded(key):
                try:
                    row.append(float(raw) if raw not in (None, "") else None)
                except (TypeError, ValueError):
                    row.append(txt(raw))
                row.append(txt(data.characteristic_value(key, raw, lang)))
            else:
                row.append(txt(data.characteristic_value(key, raw, lang)))
        row += [
            person.pre,
            person.post,
            *person_gains(person.pre, person.post, data.max_score),
            _local(person.pre_submitted_at),
            _local(person.post_submitted_at),
        ]
        if data.has_followup:
            row += [person.followup, _local(person.followup_submitted_at)]
        ws.append(row)
    date_col = len(cols)
    formats(
        ws,
        {
            date_col: DATE_FORMAT,
            first_score: SCORE_FORMAT,
            first_score + 1: SCORE_FORMAT,
            first_score + 2: SCORE_FORMAT,
            first_score + 3: SCORE_FORMAT,
            first_score + 4: DATETIME_FORMAT,
            first_score + 5: DATETIME_FORMAT,
            first_score + 6: SCORE_FORMAT,
            first_score + 7: DATETIME_FORMAT,
        },
    )
    _fit_columns(ws)

    # 2. the 0/1 answers, one row per participant (what SPSS, R and the upload page read)
    if data.items_pre is not None and data.items_post is not None:
        ws = wb.create_sheet(titles[1])
        ws.freeze_panes = "B2"
        keys = [q.key for q in data.questions]
        fu_keys = [f"followup_{k}" for k in keys] if data.items_followup is not None else []
        header(
            ws, [heads["participant"], *(f"pre_{k}" for k in keys), *(f"post_{k}" for k in keys), *fu_keys]
        )
        for person in data.people:
            cells: list[object] = [person.pseudonym]
            for matrix in (data.items_pre, data.items_post, data.items_followup):
                if matrix is None:
                    continue
                cells += [None if np.isnan(v) else int(v) for v in matrix[person.index]]
            ws.append(cells)
        _fit_columns(ws, minimum=5, maximum=14)
        stems = wb.create_sheet(titles[4])
        header(stems, [heads["no"], heads["question"], heads["column"]])
        for j, q in enumerate(data.questions, start=1):
            column = f"pre_{q.key} / post_{q.key}" + (f" / followup_{q.key}" if fu_keys else "")
            stems.append([j, txt(q.stem(lang)), txt(column)])
        _fit_columns(stems, maximum=90)

    # 2b. the attitude answers 1..5 as given (the columns `python -m analysis` reads), and the statements
    matrices = attitude_matrices(data)
    if matrices is not None:
        att_pre, att_post = matrices
        ws = wb.create_sheet(att_titles[0])
        ws.freeze_panes = "B2"
        keys = [q.key for q in data.attitude_statements]
        header(ws, [heads["participant"], *(f"att_pre_{k}" for k in keys), *(f"att_post_{k}" for k in keys)])
        for person in data.people:
            cells = [person.pseudonym]
            for matrix in (att_pre, att_post):
                cells += [None if np.isnan(v) else int(v) for v in matrix[person.index]]
            ws.append(cells)
        _fit_columns(ws, minimum=5, maximum=14)
        stems = wb.create_sheet(att_titles[1])
        header(stems, [heads["no"], att_titles[2], heads["column"], att_titles[3]])
        for j, q in enumerate(data.attitude_statements, start=1):
            stems.append(
                [j, txt(q.stem(lang)), txt(f"att_pre_{q.key} / att_post_{q.key}"), yes_no[q.reverse]]
            )
        _fit_columns(stems, maximum=90)

    # 3. every chosen option, one row per answer
    ws = wb.create_sheet(titles[2])
    header(ws, [heads["participant"], heads["test"], heads["question"], heads["option"], heads["correct"]])
    who = _who(data, with_names)
    if data.answers:
        for a in data.answers:
            ws.append(
                [
                    txt(who[a.person]),
                    kinds.get(a.kind, a.kind),
                    txt(a.question),
                    txt(a.option),
                    int(a.correct),
                ]
            )
    elif data.items_pre is not None and data.items_post is not None:  # a file: right or wrong only
        for kind, matrix in (
            ("pre", data.items_pre),
            ("post", data.items_post),
            ("followup", data.items_followup),
        ):
            if matrix is None:
                continue
            for person in data.people:
                for q, v in zip(data.questions, matrix[person.index], strict=False):
                    if not np.isnan(v):
                        ws.append([txt(who[person.index]), kinds[kind], txt(q.key), None, int(v)])
    _fit_columns(ws)

    # 4. the summary: every figure of the report, in words
    ws = wb.create_sheet(titles[3])
    header(ws, [heads["section"], heads["measure"], heads["value"]])
    for section, measure, value, fmt in summary:
        ws.append([txt(section), txt(measure), txt(value) if isinstance(value, str) else value])
        if fmt and value is not None:
            ws.cell(ws.max_row, 3).number_format = fmt
    _fit_columns(ws)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------------------------------ SPSS

_SPSS_NAME = re.compile(r"[^A-Za-z0-9_]")


def spss_name(text: str, taken: set[str]) -> str:
    """A valid, unique SPSS variable name: letters, digits and _, starting with a letter, at most 64 bytes."""
    name = _SPSS_NAME.sub("_", text).strip("_") or "v"
    if not name[0].isalpha():
        name = "v_" + name
    name = name[:60]
    base, i = name, 2
    while name.lower() in taken:
        name = f"{base[:56]}_{i}"
        i += 1
    taken.add(name.lower())
    return name


#: Choices whose codes are in a natural order (SPSS "ordinal"); other choices are "nominal".
ORDINAL_CHOICES = frozenset({"education"})


def _characteristic_columns(data: ReportData, lang: str, taken: set[str]):
    """(name, values, label, value labels or None, measure, format) per characteristic.

    Choices are codes 1..k with value labels (ordinal for education, nominal
    otherwise); numbers are scale with their unit in the label ("Umur (tahun)");
    free text from a file stays a string variable.
    """
    import numpy as np

    columns: list[tuple[str, list, str, dict[float, str] | None, str, str]] = []
    for key in data.characteristic_keys:
        name = spss_name(key, taken)
        spec = CHARACTERISTICS.get(key)
        raw = [p.characteristics.get(key) for p in data.people]
        label = data.characteristic_name(key, lang)
        if data.source == "app" and spec is not None and spec.kind == "choice":
            codes = {value: i for i, (value, _label) in enumerate(spec.choices, start=1)}
            values = [float(codes[v]) if v in codes else np.nan for v in raw]
            with force_locale(lang):
                labels = {float(i): str(text) for i, (_value, text) in enumerate(spec.choices, start=1)}
            measure = "ordinal" if key in ORDINAL_CHOICES else "nominal"
            columns.append((name, values, label, labels, measure, "F2.0"))
        elif data.source == "app" and spec is not None:
            values = []
            for v in raw:
                try:
                    values.append(np.nan if v is None else float(v))
                except (TypeError, ValueError):
                    values.append(np.nan)
            unit = data.characteristic_unit(key, lang)
            columns.append((name, values, f"{label} ({unit})" if unit else label, None, "scale", "F3.0"))
        else:  # free text from a file: keep it as a string variable
            texts = ["" if v is None else str(v) for v in raw]
            width = max([len(t.encode()) for t in texts] + [1])
            columns.append((name, texts, label, None, "nominal", f"A{width}"))
    return columns


def _write_sav(frame, labels: dict, value_labels: dict, measures: dict, formats: dict) -> bytes:
    import pyreadstat

    fd, path = tempfile.mkstemp(suffix=".sav")
    os.close(fd)
    try:
        pyreadstat.write_sav(
            frame,
            path,
            column_labels=labels,
            variable_value_labels=value_labels,
            variable_measure=measures,
            variable_format=formats,
        )
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


def _string_format(values: list) -> str:
    return f"A{max([len(str(v).encode()) for v in values if v is not None] + [1])}"


def _attitude_columns(data, lang, cols, labels, value_labels, measures, formats, taken) -> None:
    """att_pre_s01 .. / att_post_s01 .. (1..5 as answered, value labels) and the totals after reverse scoring."""
    matrices = attitude_matrices(data)
    if matrices is None:
        return
    from app.services.quizfile import LIKERT_LABELS

    points = {
        float(i): (id_ if lang == "id" else en) for i, (id_, en) in enumerate(LIKERT_LABELS[5], start=1)
    }
    with force_locale(lang):
        words = {
            "pre": _("Pre-test"),
            "post": _("Post-test"),
            "total": _("Attitude total after reverse scoring (%(min)d-%(max)d)"),
            "reverse": _("reverse-scored"),
        }
    k = len(data.attitude_statements)
    for kind, matrix in zip(("pre", "post"), matrices, strict=True):
        for j, q in enumerate(data.attitude_statements):
            name = spss_name(f"att_{kind}_s{j + 1:02d}", taken)
            cols[name] = list(matrix[:, j])
            rev = f" ({words['reverse']})" if q.reverse else ""
            labels[name] = f"{words[kind]} S{j + 1}{rev}: {q.stem(lang)}"[:250]
            value_labels[name] = points
            measures[name], formats[name] = "ordinal", "F1.0"
    totals = attitude_totals(data)
    if totals is not None:
        for kind, values in zip(("pre", "post"), totals, strict=True):
            name = spss_name(f"att_{kind}_total", taken)
            cols[name] = [float(v) for v in values]
            labels[name] = f"{words[kind]}: " + words["total"] % {"min": k, "max": 5 * k}
            measures[name], formats[name] = "scale", "F3.0"


def to_sav(data: ReportData, *, with_names: bool = False, lang: str = "id", long: bool = False) -> bytes:
    """SPSS .sav a reviewer runs as it is: labels with units, value labels, measurement levels, formats.

    Wide: one row per participant (pre, post, gain, ngain, 0/1 answers); long:
    one row per submitted test (``test`` 1 = pre-test, 2 = post-test, 3 = follow-up).
    With a follow-up test: ``followup`` and its 0/1 answers, and ``complete`` = 1
    for the participants with all three scores (the follow-up tests' sample).
    ``paired`` = 1 for the participants who took both tests, so ``FILTER BY
    paired.`` reproduces the report's paired tables. Ids display as F8.0,
    scores as F8.2, N-gain F8.3, 0/1 answers F1.0.
    """
    import numpy as np
    import pandas as pd

    top = format_number(data.max_score, 0, lang).replace(".", "")
    with force_locale(lang):
        words = {
            "id": _("Participant number"),
            "participant": _("Participant"),
            "name": _("Name"),
            "code": _("Personal code"),
            "session": _("Session"),
            "pre": _("Pre-test score (0-%(max)s)", max=top),
            "post": _("Post-test score (0-%(max)s)", max=top),
            "gain": _("Difference (post - pre), points"),
            "ngain": _("N-gain (Hake), 0-1"),
            "test": _("Pre-test or post-test"),
            "score": _("Score (0-%(max)s)", max=top),
            "wrong": _("Wrong"),
            "right": _("Right"),
            "pretest": _("Pre-test"),
            "posttest": _("Post-test"),
            "paired": _("Took both tests (filter for the paired tests)"),
            "followup": _("Follow-up test score (0-%(max)s)", max=top),
            "followup_test": _("Follow-up test"),
            "test3": _("Pre-test, post-test or follow-up test"),
            "complete": _("Took all three tests (filter for the follow-up tests)"),
            "yes": _("yes"),
            "no": _("no"),
        }
    taken = {
        "id",
        "participant",
        "name",
        "code",
        "session",
        "pre",
        "post",
        "gain",
        "ngain",
        "test",
        "score",
        "paired",
        "followup",
        "complete",
    }
    chars = _characteristic_columns(data, lang, taken)
    qnames = [spss_name(f"q{i:02d}", taken) for i in range(1, len(data.questions) + 1)]
    correct_labels = {0.0: words["wrong"], 1.0: words["right"]}
    cols: dict[str, list] = {
        "id": [float(p.index + 1) for p in data.people],
        "participant": [p.pseudonym for p in data.people],
    }
    labels = {"id": words["id"], "participant": words["participant"]}
    measures = {"id": "nominal", "participant": "nominal"}
    formats = {"id": "F8.0", "participant": _string_format(cols["participant"])}
    if with_names:  # a personal code opens her test (with the join code): only in files with names
        cols["code"] = [p.personal_code for p in data.people]
        cols["name"] = [p.name for p in data.people]
        for key in ("code", "name"):
            labels[key], measures[key], formats[key] = words[key], "nominal", _string_format(cols[key])
    if data.pooled:
        cols["session"] = [float(p.session_id or 0) for p in data.people]
        labels["session"], measures["session"], formats["session"] = words["session"], "nominal", "F8.0"
    value_labels: dict = {}
    for name, values, label, vlabels, measure, fmt in chars:
        cols[name], labels[name], measures[name], formats[name] = values, label, measure, fmt
        if vlabels:
            value_labels[name] = vlabels
    cols["paired"] = [1.0 if p.pre is not None and p.post is not None else 0.0 for p in data.people]
    labels["paired"], measures["paired"], formats["paired"] = words["paired"], "nominal", "F1.0"
    value_labels["paired"] = {0.0: words["no"], 1.0: words["yes"]}
    if data.has_followup:
        cols["complete"] = [1.0 if None not in (p.pre, p.post, p.followup) else 0.0 for p in data.people]
        labels["complete"], measures["complete"], formats["complete"] = words["complete"], "nominal", "F1.0"
        value_labels["complete"] = value_labels["paired"]

    def nan(v):
        import numpy as np

        return np.nan if v is None else float(v)

    if not long:
        cols["pre"] = [nan(p.pre) for p in data.people]
        cols["post"] = [nan(p.post) for p in data.people]
        gains = [person_gains(p.pre, p.post, data.max_score) for p in data.people]
        cols["gain"] = [nan(g.gain) for g in gains]
        cols["ngain"] = [nan(g.normalized) for g in gains]
        labels.update(pre=words["pre"], post=words["post"], gain=words["gain"], ngain=words["ngain"])
        for key, fmt in (("pre", "F8.2"), ("post", "F8.2"), ("gain", "F8.2"), ("ngain", "F8.3")):
            measures[key], formats[key] = "scale", fmt
        if data.has_followup:
            cols["followup"] = [nan(p.followup) for p in data.people]
            labels["followup"], measures["followup"], formats["followup"] = words["followup"], "scale", "F8.2"
        for kind, matrix, word in (
            ("pre", data.items_pre, words["pretest"]),
            ("post", data.items_post, words["posttest"]),
            ("followup", data.items_followup, words["followup_test"]),
        ):
            if matrix is None:
                continue
            for j, (qn, q) in enumerate(zip(qnames, data.questions, strict=False)):
                name = spss_name(f"{kind}_{qn}", taken)
                cols[name] = list(matrix[:, j])
                labels[name] = f"{word} {j + 1}: {q.stem(lang)}"[:250]
                value_labels[name] = correct_labels
                measures[name], formats[name] = "nominal", "F1.0"
        _attitude_columns(data, lang, cols, labels, value_labels, measures, formats, taken)
        return _write_sav(pd.DataFrame(cols), labels, value_labels, measures, formats)

    rows: dict[str, list] = {k: [] for k in cols}
    rows["test"], rows["score"] = [], []
    items: dict[str, list[float]] = {name: [] for name in qnames}
    tests = [("pre", 1.0, data.items_pre), ("post", 2.0, data.items_post)]
    if data.has_followup:
        tests.append(("followup", 3.0, data.items_followup))
    for kind, code, matrix in tests:
        for person in data.people:
            score = getattr(person, kind)
            if score is None:
                continue
            for k in cols:
                rows[k].append(cols[k][person.index])
            rows["test"].append(code)
            rows["score"].append(float(score))
            for j, name in enumerate(qnames):
                items[name].append(float(matrix[person.index, j]) if matrix is not None else np.nan)
    rows.update(items)
    labels.update(test=words["test3"] if data.has_followup else words["test"], score=words["score"])
    measures.update(test="nominal", score="scale")
    formats.update(test="F1.0", score="F8.2")
    value_labels["test"] = {1.0: words["pretest"], 2.0: words["posttest"]}
    if data.has_followup:
        value_labels["test"][3.0] = words["followup_test"]
    for j, (name, q) in enumerate(zip(qnames, data.questions, strict=False)):
        labels[name] = f"{j + 1}: {q.stem(lang)}"[:250]
        value_labels[name] = correct_labels
        measures[name], formats[name] = "nominal", "F1.0"
    return _write_sav(pd.DataFrame(rows), labels, value_labels, measures, formats)
