"""Reading pre/post data from outside the app: CSV (comma or semicolon) and XLSX.

One row per participant: ``participant``, ``pre``, ``post`` (scores) and any
characteristic columns, or item-level columns ``pre_<question>`` /
``post_<question>`` holding 0/1. Headers are recognised as lecturers write
them (``HEADER_ALIASES``: ``Nama``, ``Pretest``, ``Nilai Post-test`` ...);
the app's own exports and a Google Forms recap are read as they are, their
timestamp, e-mail, number and derived columns left out (``IGNORED_HEADERS``).
Optional: a follow-up test (``followup`` or ``followup_<question>``), an
attitude scale (``att_pre_<statement>`` / ``att_post_<statement>`` holding
1..5) and a ``group`` column (intervention / control). A problem raises
:class:`DataFileError` naming the row (as the spreadsheet numbers it,
header = row 1), the column and the value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "HEADER_ALIASES",
    "IGNORED_HEADERS",
    "DataFileError",
    "SessionData",
    "header_key",
    "parse_number",
    "parse_score",
    "read_session_file",
]

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
#: A Google Forms quiz score: "5 / 10".
_OUT_OF = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*/\s*(\d+(?:[.,]\d+)?)\s*$")


def header_key(text: str) -> str:
    """A header reduced to lower-case letters and digits: 'Nilai Pre-Test' -> 'nilaipretest'."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


#: Role -> header spellings (compared by ``header_key``), in order of preference.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "participant": (
        "participant",
        "peserta",
        "kode peserta",
        "responden",
        "kode responden",
        "nama",
        "nama peserta",
        "nama lengkap",
        "nama responden",
        "nama ibu",
        "name",
        "full name",
        "id",
    ),
    "pre": (
        "pre",
        "pretest",
        "pre-test",
        "nilai pretest",
        "nilai pre-test",
        "skor pretest",
        "skor pre-test",
        "pre-test score",
        "pretest score",
        "nilai pre",
        "skor pre",
    ),
    "post": (
        "post",
        "posttest",
        "post-test",
        "nilai posttest",
        "nilai post-test",
        "skor posttest",
        "skor post-test",
        "post-test score",
        "posttest score",
        "nilai post",
        "skor post",
    ),
}

#: Columns that are neither a score nor a characteristic: Google Forms' timestamp and e-mail, row
#: numbers, and the app's own export columns (codes, dates, derived figures), in both languages.
IGNORED_HEADERS: frozenset[str] = frozenset(
    header_key(h)
    for h in (
        "timestamp",
        "cap waktu",
        "stempel waktu",
        "email",
        "e-mail",
        "email address",
        "alamat email",
        "alamat e-mail",
        "no",
        "no.",
        "nomor",
        "personal code",
        "kode pribadi",
        "session",
        "sesi",
        "session date",
        "tanggal sesi",
        "difference",
        "difference (post − pre)",
        "selisih",
        "selisih (post − pre)",
        "n-gain",
        "pre-test submitted",
        "post-test submitted",
        "pre-test dikirim",
        "post-test dikirim",
        "registered",
        "mendaftar",
    )
)
#: The app's export writes a number characteristic twice: "Umur (tahun)" and "Umur (kelompok)".
_BAND_SUFFIXES = (" (kelompok)", " (group)")


class DataFileError(ValueError):
    """A problem in a data file, with where it is."""

    def __init__(
        self,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        header: list[str] | None = None,
    ):
        self.row, self.column, self.value = row, column, value
        #: The message without where it is (``analysis.format.explain_file_error`` translates it).
        self.message = message
        #: The file's column names when a column could not be found (for a column-mapping step).
        self.header = header
        where = []
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        if value is not None:
            where.append(f"value '{value}'")
        super().__init__((", ".join(where) + ": " if where else "") + message)


@dataclass(frozen=True)
class SessionData:
    """What a file holds, ready for :func:`analysis.analyse`."""

    participants: list[str]
    pre: np.ndarray
    post: np.ndarray
    questions: list[str] = field(default_factory=list)
    items_pre: np.ndarray | None = None
    items_post: np.ndarray | None = None
    characteristics: dict[str, list[str | None]] = field(default_factory=dict)
    followup: np.ndarray | None = None
    items_followup: np.ndarray | None = None
    attitude_statements: list[str] = field(default_factory=list)
    attitude_pre: np.ndarray | None = None
    attitude_post: np.ndarray | None = None
    groups: list[str | None] | None = None


def parse_number(text: str, decimal_comma: bool) -> float | None:
    """A number as a lecturer's spreadsheet writes it; '' is missing (None), junk raises ValueError.

    >>> parse_number("75,5", True), parse_number("75.5", False), parse_number(" ", False)
    (75.5, 75.5, None)
    """
    s = text.strip()
    if not s:
        return None
    if not _NUMBER.match(s):
        raise ValueError(s)
    if "," in s:
        if not decimal_comma and "." in s:
            raise ValueError(s)
        s = s.replace(",", ".")
    return float(s)


def parse_score(text: str, decimal_comma: bool, max_score: float) -> float | None:
    """A score cell: a number, or a Google Forms quiz score "5 / 10" scaled to max_score.

    >>> parse_score("5 / 10", False, 100), parse_score("7,5", True, 100), parse_score("", False, 100)
    (50.0, 7.5, None)
    """
    match = _OUT_OF.match(text)
    if match:
        got, out_of = (float(g.replace(",", ".")) for g in match.groups())
        if out_of <= 0 or got > out_of:
            raise ValueError(text)
        return max_score * got / out_of
    return parse_number(text, decimal_comma)


def _cell_text(value) -> str:
    """An Excel cell as the text a CSV of it would hold (numbers with a point, no '.0' on integers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _read_xlsx(path: Path) -> tuple[list[str], list[list[str]]]:
    """The first sheet; item columns (``pre_<q>``/``post_<q>``) on another sheet are joined by participant.

    The app's own Excel export keeps the 0/1 answers on a sheet of their own,
    so reading it back gives the same analysis as the session.
    """
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
        sheets = []
        for ws in wb.worksheets:
            values = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
            while values and not any(c.strip() for c in values[-1]):
                values.pop()
            sheets.append(values)
        wb.close()
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise DataFileError(f"cannot read the Excel file: {exc}") from exc
    if not sheets or not sheets[0]:
        raise DataFileError("the file is empty")
    header, rows = [h.strip() for h in sheets[0][0]], sheets[0][1:]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    header, rows = header[:width], [r[:width] + [""] * (width - len(r[:width])) for r in rows]
    if any(_is_item(h) for h in header):
        return header, rows
    who = _role_column(header, "participant")
    for extra in sheets[1:]:
        if not extra:
            continue
        head = [h.strip() for h in extra[0]]
        items = [j for j, h in enumerate(head) if _is_item(h)]
        key = _role_column(head, "participant")
        if who is None or key is None or not items:
            continue
        by_id = {r[key].strip(): r for r in extra[1:] if len(r) > key and r[key].strip()}
        header = header + [head[j] for j in items]
        rows = [
            r + [(by_id.get(r[who].strip()) or [""] * len(head))[j] if j < len(head) else "" for j in items]
            for r in rows
        ]
        break
    return header, rows


def _is_item(header: str) -> bool:
    h = header.lower()
    return (h.startswith("pre_") and len(h) > 4) or (h.startswith("post_") and len(h) > 5)


def _role_column(header: list[str], role: str) -> int | None:
    """The column that plays ``role``: the first alias, in the order of preference, that the header has."""
    keys = [header_key(h) for h in header]
    for alias in HEADER_ALIASES[role]:
        k = header_key(alias)
        if k in keys:
            return keys.index(k)
    return None


def _read_rows(path: Path) -> tuple[list[str], list[list[str]], bool]:
    """Header, rows (as text) and whether numbers use a decimal comma."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        header, rows = _read_xlsx(path)
        return header, rows, False
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")  # older Excel "CSV" exports on Windows
        except UnicodeDecodeError as exc:
            raise DataFileError(
                f"the file is neither UTF-8 nor Windows-1252 text (byte 0x{raw[exc.start]:02X} at position "
                f"{exc.start}); save it again as CSV UTF-8"
            ) from exc
    if "\x00" in text:
        raise DataFileError("the file contains NUL bytes: it is not a text CSV file")
    lines = text.splitlines()
    if not lines:
        raise DataFileError("the file is empty")
    first = lines[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        all_rows = list(reader)
    except csv.Error as exc:
        raise DataFileError(
            f"the CSV file cannot be split into rows and columns (line {reader.line_num}): {exc}",
            row=reader.line_num,
        ) from exc
    if not all_rows:
        raise DataFileError("the file is empty")
    header, rows = [h.strip() for h in all_rows[0]], all_rows[1:]
    return header, rows, delimiter != ","


def _read_table(path: str | Path) -> tuple[list[str], list[list[str]], bool, list[str]]:
    """The file's header, rows, decimal comma (as :func:`_read_rows`) and lower-cased header.

    Refuses a missing file and a header that names a column twice (case aside).
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"no such file: {path}")
    header, rows, decimal_comma = _read_rows(path)
    lower = [h.strip().lower() for h in header]
    if len(set(lower)) != len(lower):
        dup = next(h for h in header if lower.count(h.strip().lower()) > 1)
        raise DataFileError("the column name appears twice", row=1, column=dup)
    return header, rows, decimal_comma, lower


def _data_rows(header: list[str], rows: list[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """The rows that are not blank, as (row number in the file, header = 1; cells padded to the header).

    Refuses a row with a filled cell beyond the header's last column.
    """
    for r, cells in enumerate(rows):
        rownum = r + 2
        cells = list(cells) + [""] * (len(header) - len(cells))
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            raise DataFileError("has more cells than the header has columns", row=rownum)
        yield rownum, cells


def read_session_file(
    path: str | Path,
    *,
    max_score: float = 100.0,
    columns: dict[str, str] | None = None,
    fractions: str = "refuse",
) -> SessionData:
    """Read a CSV or XLSX file of pre/post scores or 0/1 answers.

    Parameters
    ----------
    path : str or Path
        ``.csv`` (comma, semicolon or tab; UTF-8 with or without BOM; decimal
        comma with semicolons, as Indonesian Excel exports) or ``.xlsx``.
    max_score : float
        The highest possible score; scores outside 0..max_score are refused.
    columns : dict, optional
        Role (``"participant"``, ``"pre"``, ``"post"``) -> the file's header,
        for headers ``HEADER_ALIASES`` does not know (the upload page's
        column-mapping step).
    fractions : {"refuse", "rescale"}
        Scores that are all between 0 and 1 with some strictly between (0,8
        shown as 80% in Excel) are fractions of the maximum: refused with a
        message that says so, or multiplied by ``max_score``.

    Returns
    -------
    SessionData

    Raises
    ------
    DataFileError
        Naming the row, the column and the value.

    Notes
    -----
    Optional columns: ``followup`` (score) or ``followup_<question>`` (0/1,
    every question of the pre-test), ``att_pre_<s>`` / ``att_post_<s>``
    (attitude answers 1..5, blank = unanswered) and ``group``.
    With item columns and no ``pre``/``post`` columns, a score is
    max_score x correct / questions, a blank answer counting as wrong; a
    participant with every answer of a test blank did not take it (NaN).
    Blank score cells are missing (a dropout); a score written "5 / 10"
    (Google Forms quiz) is 5 of 10, scaled to ``max_score``. Column names are
    matched without regard to case, spaces and punctuation. Timestamp,
    e-mail, row-number and the app's derived columns are not characteristics.
    """
    import numpy as np

    if fractions not in ("refuse", "rescale"):
        raise ValueError(f"fractions must be 'refuse' or 'rescale', got {fractions!r}")
    header, rows, decimal_comma, lower = _read_table(path)
    col: dict[str, int] = {}
    for role in ("participant", "pre", "post"):
        chosen = (columns or {}).get(role)
        if chosen:
            if chosen.strip().lower() not in lower:
                raise DataFileError(
                    f"the column chosen for '{role}' is not in the file", row=1, column=chosen
                )
            col[role] = lower.index(chosen.strip().lower())
        else:
            found = _role_column(header, role)
            if found is not None and not _is_item(header[found]):
                col[role] = found
    if "participant" not in col:
        raise DataFileError(
            "the column 'participant' is missing (one row per participant)", row=1, header=header
        )
    alias_keys = {header_key(a) for role in HEADER_ALIASES.values() for a in role}
    ignored = {
        i
        for i, h in enumerate(header)
        if header_key(h) in IGNORED_HEADERS
        or header_key(h) in alias_keys
        or not h.strip()
        or (
            h.lower().endswith(_BAND_SUFFIXES)
            and any(o.lower().startswith(h[: h.rindex(" (")].lower() + " (") and o != h for o in header)
        )
    }
    for name in ("followup", "group"):
        if name in lower and name not in col:
            col[name] = lower.index(name)

    def prefixed(prefix: str) -> dict[str, int]:
        n = len(prefix)
        return {h[n:]: i for i, h in enumerate(header) if h.lower().startswith(prefix) and len(h) > n}

    pre_items, post_items, fu_items = prefixed("pre_"), prefixed("post_"), prefixed("followup_")
    att_pre, att_post = prefixed("att_pre_"), prefixed("att_post_")
    for a, b, prefix in (
        (pre_items, post_items, "post_"),
        (post_items, pre_items, "pre_"),
        (fu_items, pre_items, "pre_"),
        (att_pre, att_post, "att_post_"),
        (att_post, att_pre, "att_pre_"),
    ):
        for q in a:
            if q not in b:
                raise DataFileError(f"has no matching '{prefix}{q}' column", row=1, column=header[a[q]])
    if fu_items and len(fu_items) != len(pre_items):
        missing = next(q for q in pre_items if q not in fu_items)
        raise DataFileError(
            f"has no matching 'followup_{missing}' column (a follow-up needs every question)",
            row=1,
            column=header[pre_items[missing]],
        )
    questions = list(pre_items)
    statements = list(att_pre)
    has_scores = "pre" in col and "post" in col
    if not has_scores and not questions:
        raise DataFileError(
            "need columns 'pre' and 'post', or item columns 'pre_<question>' and 'post_<question>'",
            row=1,
            header=header,
        )
    used = {col["participant"], *pre_items.values(), *post_items.values(), *fu_items.values(), *ignored}
    used |= {*att_pre.values(), *att_post.values()}
    if has_scores:
        used |= {col["pre"], col["post"]}
    has_fu_score = "followup" in col
    if has_fu_score:
        used.add(col["followup"])
    if "group" in col:
        used.add(col["group"])
    char_cols = [i for i in range(len(header)) if i not in used]

    participants: list[str] = []
    seen: dict[str, int] = {}
    pre: list[float] = []
    post: list[float] = []
    ip: list[list[float]] = []
    iq: list[list[float]] = []
    ifu: list[list[float]] = []
    fu: list[float] = []
    ap: list[list[float]] = []
    aq: list[list[float]] = []
    grp: list[str | None] = []
    chars: dict[str, list[str | None]] = {header[i]: [] for i in char_cols}
    for rownum, cells in _data_rows(header, rows):
        pid = cells[col["participant"]].strip()
        if not pid:
            raise DataFileError(
                "the participant code is empty", row=rownum, column=header[col["participant"]], value=""
            )
        if pid in seen:
            raise DataFileError(
                f"the same participant already appears in row {seen[pid]}",
                row=rownum,
                column=header[col["participant"]],
                value=pid,
            )
        seen[pid] = rownum
        participants.append(pid)

        def number(i: int, cells=cells, rownum=rownum) -> float:
            import numpy as np

            try:
                v = parse_number(cells[i], decimal_comma)
            except ValueError:
                raise DataFileError("is not a number", row=rownum, column=header[i], value=cells[i]) from None
            return np.nan if v is None else v

        def coded(
            mapping: dict[str, int], levels: tuple[float, ...], problem: str, cells=cells, rownum=rownum
        ) -> list[float]:
            """The answers in ``mapping``'s columns: one of ``levels`` or blank (NaN), else ``problem``."""
            import numpy as np

            out = []
            for i in mapping.values():
                v = number(i)
                if not (np.isnan(v) or v in levels):
                    raise DataFileError(problem, row=rownum, column=header[i], value=cells[i])
                out.append(v)
            return out

        if questions:
            answer = (0.0, 1.0), "an answer must be 0 (wrong), 1 (right) or blank"
            ip.append(coded(pre_items, *answer))
            iq.append(coded({q: post_items[q] for q in questions}, *answer))
            if fu_items:
                ifu.append(coded({q: fu_items[q] for q in questions}, *answer))
        if statements:
            likert = (1.0, 2.0, 3.0, 4.0, 5.0), "an attitude answer must be 1, 2, 3, 4, 5 or blank"
            ap.append(coded(att_pre, *likert))
            aq.append(coded({s: att_post[s] for s in statements}, *likert))
        if "group" in col:
            grp.append(cells[col["group"]].strip() or None)
        score_cols: list[tuple[str, list[float]]] = [("pre", pre), ("post", post)] if has_scores else []
        if has_fu_score:
            score_cols.append(("followup", fu))
        if score_cols:
            for name, store in score_cols:
                i = col[name]
                try:
                    parsed = parse_score(cells[i], decimal_comma, max_score)
                except ValueError:
                    raise DataFileError(
                        "is not a number", row=rownum, column=header[i], value=cells[i]
                    ) from None
                v = np.nan if parsed is None else parsed
                if not np.isnan(v) and not 0 <= v <= max_score:
                    raise DataFileError(
                        f"a score must be between 0 and {max_score:g}",
                        row=rownum,
                        column=header[col[name]],
                        value=cells[col[name]],
                    )
                store.append(v)
        for i in char_cols:
            text = cells[i].strip()
            chars[header[i]].append(text or None)

    n_rows = len(participants)
    items_pre = np.array(ip, dtype=float).reshape(n_rows, len(questions)) if questions else None
    items_post = np.array(iq, dtype=float).reshape(n_rows, len(questions)) if questions else None
    items_fu = np.array(ifu, dtype=float).reshape(n_rows, len(questions)) if fu_items else None
    if has_scores:
        pre_a, post_a = np.array(pre, dtype=float), np.array(post, dtype=float)
        pre_a, post_a = _fractions(pre_a, post_a, max_score, fractions, header[col["pre"]])
    else:
        assert items_pre is not None and items_post is not None
        pre_a, post_a = (_scores(m, max_score) for m in (items_pre, items_post))
    fu_a = None
    if has_fu_score:
        fu_a = np.array(fu, dtype=float)
    elif items_fu is not None:
        fu_a = _scores(items_fu, max_score)
    return SessionData(
        participants,
        pre_a,
        post_a,
        questions,
        items_pre,
        items_post,
        chars,
        followup=fu_a,
        items_followup=items_fu,
        attitude_statements=statements,
        attitude_pre=np.array(ap, dtype=float).reshape(n_rows, len(statements)) if statements else None,
        attitude_post=np.array(aq, dtype=float).reshape(n_rows, len(statements)) if statements else None,
        groups=grp if "group" in col else None,
    )


def _fractions(
    pre: np.ndarray, post: np.ndarray, max_score: float, how: str, column: str
) -> tuple[np.ndarray, np.ndarray]:
    """Scores kept as fractions of one (0,8 formatted as 80% in Excel): refused or rescaled.

    Every score between 0 and 1 and at least one strictly between is read as
    fractions: on a 0-100 scale nobody scores 0,8 while everyone else scores
    0 or 1. Whole 0/1 scores alone stay as they are.
    """
    import numpy as np

    both = np.concatenate([pre, post])
    given = both[~np.isnan(both)]
    fractional = (
        max_score > 1
        and given.size > 0
        and bool((given <= 1).all())
        and bool(((given > 0) & (given < 1)).any())
    )
    if not fractional:
        return pre, post
    if how == "rescale":
        return pre * max_score, post * max_score
    example = next(v for v in given if 0 < v < 1)
    raise DataFileError(
        f"every score is between 0 and 1 (e.g. {example:g}): these look like fractions of the maximum, "
        f"such as 0.8 shown as 80% in Excel, not scores out of {max_score:g}; multiply them by "
        f"{max_score:g} in the file, or choose to rescale fractions",
        column=column,
        value=f"{example:g}",
    )


def _scores(items: np.ndarray, max_score: float) -> np.ndarray:
    """max_score x correct / questions; NaN when every answer is blank."""
    import numpy as np

    took = ~np.isnan(items).all(axis=1)
    score = max_score * np.nansum(items, axis=1) / items.shape[1]
    return np.where(took, score, np.nan)
