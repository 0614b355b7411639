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
from typing import TYPE_CHECKING

import numpy as np
from flask_babel import force_locale
from flask_babel import gettext as _

from app.services.characteristics import CHARACTERISTICS
from app.services.gains import person_gains
from app.services.reportdata import ReportData

if TYPE_CHECKING:  # the statistics (scipy, statsmodels) load when an export is built
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


def to_csv(data: ReportData, *, with_names: bool = False, lang: str = "id", semicolon: bool = False) -> bytes:
    """One row per participant: participant, characteristics, pre, post, pre_<q>/post_<q> (0/1).

    UTF-8 with BOM so Excel opens it; exactly the columns `python -m analysis
    report` reads, so the file gives the same analysis outside the app.
    Semicolons go with the decimal comma (Indonesian Excel).
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if semicolon else ",", lineterminator="\r\n")
    names = {key: data.characteristic_name(key, lang) for key in data.characteristic_keys}
    q = [x.key for x in data.questions]
    writer.writerow(
        [
            "participant",
            *(neutralise(names[k]) for k in data.characteristic_keys),
            "pre",
            "post",
            *(f"pre_{k}" for k in q),
            *(f"post_{k}" for k in q),
        ]
    )
    for person, who in zip(data.people, _who(data, with_names), strict=False):
        row = [neutralise(who)]
        for key in data.characteristic_keys:
            row.append(
                neutralise(data.characteristic_value(key, person.characteristics.get(key), lang) or "")
            )
        row += [_number(person.pre, semicolon), _number(person.post, semicolon)]
        for matrix in (data.items_pre, data.items_post):
            if matrix is not None:
                row += ["" if np.isnan(v) else str(int(v)) for v in matrix[person.index]]
        writer.writerow(row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# ------------------------------------------------------------------------------------------ XLSX


def _flatten(prefix: str, value, out: list) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    elif isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            out.append((prefix, ", ".join(str(v) for v in value)))
        else:
            for i, v in enumerate(value):
                name = (
                    v.get("question") or v.get("category") or v.get("characteristic")
                    if isinstance(v, dict)
                    else None
                )
                _flatten(f"{prefix}[{name if name not in (None, '') else i}]", v, out)
    else:
        out.append((prefix, value))


def to_xlsx(data: ReportData, result: FullAnalysis, *, with_names: bool = False, lang: str = "id") -> bytes:
    """Three sheets: participants (wide), answers (long), summary (every figure of analysis/, full precision)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    with force_locale(lang):
        titles = (_("Participants"), _("Answers"), _("Summary"))
        heads = {
            "no": _("No"),
            "participant": _("Participant"),
            "name": _("Name"),
            "code": _("Personal code"),
            "session": _("Session"),
            "pre": _("Pre-test"),
            "post": _("Post-test"),
            "gain": _("Difference"),
            "ngain": _("N-gain"),
            "test": _("Test"),
            "question": _("Question"),
            "option": _("Chosen option"),
            "correct": _("Correct (1) or wrong (0)"),
            "figure": _("Figure"),
            "value": _("Value"),
        }
    wb = Workbook(write_only=True)
    bold = Font(bold=True)

    def header(ws, cells):
        row = []
        for value in cells:
            c = WriteOnlyCell(ws, value=value)
            c.font = bold
            row.append(c)
        ws.append(row)

    def txt(value):
        return None if value is None else neutralise(str(value))

    ws = wb.create_sheet(titles[0])
    ws.freeze_panes = "C2"
    names = [data.characteristic_name(k, lang) for k in data.characteristic_keys]
    cols = [heads["no"], heads["participant"]]
    if with_names:  # a personal code opens her test (with the join code): only in files with names
        cols += [heads["code"], heads["name"]]
    if data.pooled:
        cols.append(heads["session"])
    header(ws, cols + [txt(n) for n in names] + [heads["pre"], heads["post"], heads["gain"], heads["ngain"]])
    for person in data.people:
        row = [person.index + 1, person.pseudonym]
        if with_names:
            row += [txt(person.personal_code), txt(person.name)]
        if data.pooled:
            row.append(person.session_id)
        row += [
            txt(data.characteristic_value(k, person.characteristics.get(k), lang))
            for k in data.characteristic_keys
        ]
        row += [person.pre, person.post, *person_gains(person.pre, person.post, data.max_score)]
        ws.append(row)

    ws = wb.create_sheet(titles[1])
    header(ws, [heads["participant"], heads["test"], heads["question"], heads["option"], heads["correct"]])
    who = _who(data, with_names)
    if data.answers:
        for a in data.answers:
            ws.append([txt(who[a.person]), a.kind, txt(a.question), txt(a.option), int(a.correct)])
    elif data.items_pre is not None:  # a file with 0/1 answers: no chosen options, only right or wrong
        for kind, matrix in (("pre", data.items_pre), ("post", data.items_post)):
            if matrix is None:
                continue
            for person in data.people:
                for q, v in zip(data.questions, matrix[person.index], strict=False):
                    if not np.isnan(v):
                        ws.append([txt(who[person.index]), kind, txt(q.key), None, int(v)])

    ws = wb.create_sheet(titles[2])
    header(ws, [heads["figure"], heads["value"]])
    flat: list = []
    _flatten("", result.to_dict(), flat)
    for key, value in flat:
        if isinstance(value, bool):
            value = str(value).lower()
        ws.append([key, txt(value) if isinstance(value, str) else value])
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


def _characteristic_columns(data: ReportData, lang: str, taken: set[str]):
    """(name, values, label, value labels or None) per characteristic: codes 1..k for choices."""
    columns: list[tuple[str, list, str, dict[float, str] | None]] = []
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
            columns.append((name, values, label, labels))
        elif data.source == "app" and spec is not None:
            values = []
            for v in raw:
                try:
                    values.append(np.nan if v is None else float(v))
                except (TypeError, ValueError):
                    values.append(np.nan)
            columns.append((name, values, label, None))
        else:  # free text from a file: keep it as a string variable
            columns.append((name, ["" if v is None else str(v) for v in raw], label, None))
    return columns


def _write_sav(frame, labels: dict, value_labels: dict) -> bytes:
    import pyreadstat

    fd, path = tempfile.mkstemp(suffix=".sav")
    os.close(fd)
    try:
        pyreadstat.write_sav(frame, path, column_labels=labels, variable_value_labels=value_labels)
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


def to_sav(data: ReportData, *, with_names: bool = False, lang: str = "id", long: bool = False) -> bytes:
    """SPSS .sav with variable and value labels; wide (one row per participant) or long (one per test)."""
    import pandas as pd

    with force_locale(lang):
        words = {
            "id": _("Participant number"),
            "participant": _("Participant"),
            "name": _("Name"),
            "code": _("Personal code"),
            "session": _("Session"),
            "pre": _("Pre-test score (0-100)"),
            "post": _("Post-test score (0-100)"),
            "gain": _("Difference (post - pre)"),
            "ngain": _("N-gain (Hake)"),
            "test": _("Test"),
            "score": _("Score (0-100)"),
            "wrong": _("Wrong"),
            "right": _("Right"),
            "pretest": _("Pre-test"),
            "posttest": _("Post-test"),
        }
    taken = {"id", "participant", "name", "code", "session", "pre", "post", "gain", "ngain", "test", "score"}
    chars = _characteristic_columns(data, lang, taken)
    qnames = [spss_name(f"q{i:02d}", taken) for i in range(1, len(data.questions) + 1)]
    correct_labels = {0.0: words["wrong"], 1.0: words["right"]}
    cols: dict[str, list] = {
        "id": [float(p.index + 1) for p in data.people],
        "participant": [p.pseudonym for p in data.people],
    }
    labels = {"id": words["id"], "participant": words["participant"]}
    if with_names:  # a personal code opens her test (with the join code): only in files with names
        cols["code"] = [p.personal_code for p in data.people]
        cols["name"] = [p.name for p in data.people]
        labels.update(code=words["code"], name=words["name"])
    if data.pooled:
        cols["session"] = [float(p.session_id or 0) for p in data.people]
        labels["session"] = words["session"]
    value_labels: dict = {}
    for name, values, label, vlabels in chars:
        cols[name], labels[name] = values, label
        if vlabels:
            value_labels[name] = vlabels

    def nan(v):
        return np.nan if v is None else float(v)

    if not long:
        cols["pre"] = [nan(p.pre) for p in data.people]
        cols["post"] = [nan(p.post) for p in data.people]
        gains = [person_gains(p.pre, p.post, data.max_score) for p in data.people]
        cols["gain"] = [nan(g.gain) for g in gains]
        cols["ngain"] = [nan(g.normalized) for g in gains]
        labels.update(pre=words["pre"], post=words["post"], gain=words["gain"], ngain=words["ngain"])
        for kind, matrix, word in (
            ("pre", data.items_pre, words["pretest"]),
            ("post", data.items_post, words["posttest"]),
        ):
            if matrix is None:
                continue
            for j, (qn, q) in enumerate(zip(qnames, data.questions, strict=False)):
                name = spss_name(f"{kind}_{qn}", taken)
                cols[name] = list(matrix[:, j])
                labels[name] = f"{word} {j + 1}: {q.stem(lang)}"[:250]
                value_labels[name] = correct_labels
        return _write_sav(pd.DataFrame(cols), labels, value_labels)

    rows: dict[str, list] = {k: [] for k in cols}
    rows["test"], rows["score"] = [], []
    items: dict[str, list[float]] = {name: [] for name in qnames}
    for kind, code in (("pre", 1.0), ("post", 2.0)):
        matrix = data.items_pre if kind == "pre" else data.items_post
        for person in data.people:
            score = person.pre if kind == "pre" else person.post
            if score is None:
                continue
            for k in cols:
                rows[k].append(cols[k][person.index])
            rows["test"].append(code)
            rows["score"].append(float(score))
            for j, name in enumerate(qnames):
                items[name].append(float(matrix[person.index, j]) if matrix is not None else np.nan)
    rows.update(items)
    labels.update(test=words["test"], score=words["score"])
    value_labels["test"] = {1.0: words["pretest"], 2.0: words["posttest"]}
    for j, (name, q) in enumerate(zip(qnames, data.questions, strict=False)):
        labels[name] = f"{j + 1}: {q.stem(lang)}"[:250]
        value_labels[name] = correct_labels
    return _write_sav(pd.DataFrame(rows), labels, value_labels)
