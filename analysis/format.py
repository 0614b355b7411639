"""Number and word formatting for reports in Indonesian (decimal comma) and English.

Used by the web app, the reports and the command line; the computations never
call it, so results stay at full precision.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "LANGS",
    "LILLIEFORS_LOWER_BOUND",
    "explain_file_error",
    "explain_reason",
    "format_number",
    "format_p",
    "format_p_phrase",
    "format_percent",
    "label",
    "round_half_away",
]

LANGS = ("id", "en")


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    return lang


def round_half_away(value: float, decimals: int) -> Decimal:
    """``value`` rounded to ``decimals`` places, halves away from zero, as SPSS and Excel display.

    Python's ``round`` and ``format`` round halves to even on the binary value
    (81.25 -> 81.2; 0.285 -> 0.28 because it is stored as 0.28499...). Excel and
    SPSS show 81.3 and 0.29: they look at the number to 15 significant digits and
    round a half away from zero. This does the same; a result that rounds to
    zero carries no sign.

    >>> str(round_half_away(81.25, 1)), str(round_half_away(-2.5, 0)), str(round_half_away(0.285, 2))
    ('81.3', '-3', '0.29')
    >>> str(round_half_away(-0.001, 2))
    '0.00'
    """
    exact = Decimal(f"{value:.15g}")
    try:
        rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the context holds (|value| > 1e26): no half to round
        return exact
    return rounded.copy_abs() if rounded.is_zero() else rounded


def format_number(value: float | None, decimals: int = 2, lang: str = "id") -> str:
    """A number with ``decimals`` decimals; decimal comma and dot thousands in Indonesian.

    Halves round away from zero (``round_half_away``), as SPSS and Excel show
    them. None (a figure that could not be computed) prints as a dash.

    >>> format_number(1234.5678, 2, "id"), format_number(1234.5678, 2, "en")
    ('1.234,57', '1,234.57')
    >>> format_number(81.25, 1), format_number(None)
    ('81,3', '–')
    """
    _check_lang(lang)
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    text = f"{round_half_away(float(value), decimals):,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_percent(value: float | None, decimals: int = 1, lang: str = "id") -> str:
    """A percent with its sign: ``'96,0%'``; halves away from zero (31,25 -> ``'31,3%'``).

    >>> format_percent(96.0), format_percent(12.345, 1, "en"), format_percent(31.25)
    ('96,0%', '12.3%', '31,3%')
    """
    return "–" if value is None else format_number(value, decimals, lang) + "%"


def format_p(
    p: float | None, lang: str = "id", decimals: int = 3, *, lower_bound: float | None = None
) -> str:
    """A p-value the way reviewers want it: ``'< 0,001'`` rather than SPSS's ``'0,000'``.

    ``lower_bound`` is for a test whose p is only known to be at least that
    much: SPSS prints Lilliefors' p above 0,200 as ``0,200*`` with the footnote
    "This is a lower bound of the true significance"; the caller prints the
    footnote.

    >>> format_p(0.0000123), format_p(0.02834, "en"), format_p(1.0)
    ('< 0,001', '0.028', '1,000')
    >>> format_p(0.43, lower_bound=0.2), format_p(0.13, lower_bound=0.2)
    ('0,200*', '0,130')
    """
    if p is None:
        return "–"
    floor = 10.0**-decimals
    if p < floor:
        return "< " + format_number(floor, decimals, lang)
    if lower_bound is not None and p > lower_bound:
        return format_number(lower_bound, decimals, lang) + "*"
    return format_number(p, decimals, lang)


#: Above this, SPSS prints Lilliefors' p as a lower bound ("0,200*").
LILLIEFORS_LOWER_BOUND = 0.2


def format_p_phrase(
    p: float | None, lang: str = "id", decimals: int = 3, *, lower_bound: float | None = None
) -> str:
    """A p-value inside a sentence: ``'p = 0,013'``, ``'p < 0,001'``, ``'p > 0,200'`` (never ``'p = < 0,001'``).

    >>> format_p_phrase(0.0131), format_p_phrase(1e-5, "en"), format_p_phrase(0.43, lower_bound=0.2)
    ('p = 0,013', 'p < 0.001', 'p > 0,200')
    """
    if p is not None and lower_bound is not None and p > lower_bound:
        return "p > " + format_number(lower_bound, decimals, lang)
    text = format_p(p, lang, decimals)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


_LABELS: dict[str, tuple[str, str]] = {
    # key: (Indonesian, English)
    "pre": ("Pre-test", "Pre-test"),
    "post": ("Post-test", "Post-test"),
    "difference": ("Selisih (post − pre)", "Difference (post − pre)"),
    "followup": ("Follow-up", "Follow-up"),
    "positive": ("Positif", "Positive"),
    "negative": ("Negatif", "Negative"),
    "sphericity_assumed": ("sferisitas terpenuhi (Mauchly)", "sphericity assumed (Mauchly)"),
    "greenhouse_geisser": ("Greenhouse-Geisser", "Greenhouse-Geisser"),
    "huynh_feldt": ("Huynh-Feldt", "Huynh-Feldt"),
    "normality_not_testable": ("normalitas tidak dapat diuji", "normality not testable"),
    "baik": ("Baik", "Good"),
    "cukup": ("Cukup", "Fair"),
    "kurang": ("Kurang", "Poor"),
    "high": ("Tinggi", "High"),
    "medium": ("Sedang", "Medium"),
    "low": ("Rendah", "Low"),
    "not_effective": ("Tidak efektif", "Not effective"),
    "less_effective": ("Kurang efektif", "Less effective"),
    "fairly_effective": ("Cukup efektif", "Fairly effective"),
    "effective": ("Efektif", "Effective"),
    "easy": ("Mudah", "Easy"),
    "moderate": ("Sedang", "Moderate"),
    "hard": ("Sukar", "Hard"),
    "too_easy": ("terlalu mudah", "too easy"),
    "too_hard": ("terlalu sukar", "too hard"),
    "negative_discrimination": ("daya beda negatif", "negative discrimination"),
    "no_variance": ("tanpa variasi", "no variance"),
    "paired_t_test": ("Uji t berpasangan", "Paired t-test"),
    "wilcoxon_signed_rank": ("Uji Wilcoxon signed-rank", "Wilcoxon signed-rank test"),
    "shapiro_wilk": ("Shapiro-Wilk", "Shapiro-Wilk"),
    "lilliefors": ("Kolmogorov-Smirnov (Lilliefors)", "Kolmogorov-Smirnov (Lilliefors)"),
    "kruskal_wallis": ("Kruskal-Wallis", "Kruskal-Wallis"),
    "one_way_anova": ("ANOVA satu arah", "One-way ANOVA"),
    "negative_ranks": ("Peringkat negatif", "Negative ranks"),
    "positive_ranks": ("Peringkat positif", "Positive ranks"),
    "ties": ("Sama (ties)", "Ties"),
    "equal_sums": (
        "Jumlah peringkat positif dan negatif sama (Z = 0)",
        "The positive and negative rank sums are equal (Z = 0)",
    ),
    "very_good": ("Sangat baik", "Very good"),
    "good": ("Baik", "Good"),
    "marginal": ("Cukup (perbaiki)", "Marginal (revise)"),
    "poor": ("Jelek (buang)", "Poor (drop)"),
    "valid": ("Valid", "Valid"),
    "not_valid": ("Tidak valid", "Not valid"),
    "holm": ("Holm", "Holm"),
    "bonferroni": ("Bonferroni", "Bonferroni"),
    "sample_size": (
        "Shapiro-Wilk bila n < 50, Kolmogorov-Smirnov (Lilliefors) bila n ≥ 50",
        "Shapiro-Wilk when n < 50, Kolmogorov-Smirnov (Lilliefors) when n ≥ 50",
    ),
    "increase": ("peningkatan", "increase"),
    "decrease": ("penurunan", "decrease"),
    "no_change": ("tidak berubah", "no change"),
    "exact": ("eksak", "exact"),
    "normal": ("pendekatan normal", "normal approximation"),
    "": ("(kosong)", "(missing)"),
}

_REASONS: dict[str, tuple[str, str]] = {
    "fewer_than_two_pairs": (
        "Tidak dapat diuji: kurang dari 2 peserta mengikuti pre-test dan post-test.",
        "Cannot be tested: fewer than 2 participants took both the pre-test and the post-test.",
    ),
    "constant_differences": (
        "Tidak dapat diuji: selisih semua peserta sama persis, sehingga simpangan baku nol.",
        "Cannot be tested: every participant changed by exactly the same amount, so the SD is zero.",
    ),
    "all_differences_zero": (
        "Tidak dapat diuji: nilai semua peserta sama sebelum dan sesudah.",
        "Cannot be tested: every participant scored the same before and after.",
    ),
    "differences_too_large": (
        "Tidak dapat diuji: selisih terlalu besar untuk dihitung.",
        "Cannot be tested: the differences are too large to compute.",
    ),
    "too_few_values": ("Tidak dapat diuji: data terlalu sedikit.", "Cannot be tested: too few values."),
    "too_many_values": (
        "Tidak dihitung: Shapiro-Wilk hanya untuk 3 sampai 5000 data; dipakai Kolmogorov-Smirnov.",
        "Not computed: Shapiro-Wilk takes 3 to 5000 values; Kolmogorov-Smirnov is used instead.",
    ),
    "identical_values": (
        "Tidak dapat diuji: semua nilai sama.",
        "Cannot be tested: all values are identical.",
    ),
    "no_values": ("Tidak ada data.", "No values."),
    "one_value": ("Hanya satu nilai; simpangan baku tidak ada.", "Only one value; no SD."),
    "no_pairs": ("Tidak ada peserta dengan kedua jawaban.", "No participant answered both times."),
    "no_changes": (
        "Tidak dapat diuji: tidak ada peserta yang jawabannya berubah.",
        "Cannot be tested: no participant changed their answer.",
    ),
    "all_pre_at_max": (
        "Semua peserta sudah mendapat nilai maksimal saat pre-test; N-gain tidak dapat dihitung.",
        "Every participant already had the maximum score on the pre-test; no N-gain.",
    ),
    "too_few_items": ("Kurang dari 2 soal.", "Fewer than 2 questions."),
    "too_few_participants": ("Kurang dari 2 peserta lengkap.", "Fewer than 2 complete participants."),
    "no_variance": ("Skor total tidak bervariasi.", "Total scores do not vary."),
    "fewer_than_two_groups": ("Kurang dari 2 kelompok.", "Fewer than 2 groups."),
    "too_many_groups": ("Terlalu banyak kelompok (> 20).", "Too many groups (> 20)."),
    "no_variance_within_groups": ("Tidak ada variasi dalam kelompok.", "No variance within groups."),
    "no_residual_variance": ("Tidak ada variasi sisa.", "No residual variance."),
    "singular_design": (
        "Kelompok tidak dapat dipisahkan dari pre-test.",
        "Groups cannot be told apart from pre.",
    ),
    "fewer_than_two_complete_cases": (
        "Tidak dapat diuji: kurang dari 2 peserta mengikuti ketiga tes.",
        "Cannot be tested: fewer than 2 participants took all three tests.",
    ),
    "fewer_than_three_items": (
        "Tidak diuji: topik kurang dari 3 soal (hanya dideskripsikan).",
        "Not tested: the topic has fewer than 3 questions (described only).",
    ),
    "more_than_two_groups": (
        "Tidak dapat dibandingkan: kolom kelompok berisi lebih dari 2 kelompok.",
        "Cannot be compared: the group column holds more than 2 groups.",
    ),
    "scores_out_of_range": (
        "Data tidak dianalisis: ada nilai di luar 0 sampai nilai maksimal.",
        "Not analysed: some scores lie outside 0 to the maximum score.",
    ),
}


def label(key: str, lang: str = "id") -> str:
    """The display name of a result key (category, test, flag).

    >>> label("baik"), label("baik", "en")
    ('Baik', 'Good')
    """
    _check_lang(lang)
    pair = _LABELS.get(key)
    return key if pair is None else pair[0 if lang == "id" else 1]


def explain_reason(reason: str | None, lang: str = "id") -> str:
    """A result's ``reason`` code in plain words.

    >>> explain_reason("all_differences_zero", "en")
    'Cannot be tested: every participant scored the same before and after.'
    """
    _check_lang(lang)
    if reason is None:
        return ""
    pair = _REASONS.get(reason)
    return reason if pair is None else pair[0 if lang == "id" else 1]


#: The reader's messages (analysis.io.DataFileError.message) in Indonesian: (English pattern, Indonesian).
_FILE_ERRORS: tuple[tuple[str, str], ...] = (
    (r"is not a number", "bukan angka"),
    (r"a score must be between 0 and (?P<max>\S+)", "nilai harus antara 0 dan {max}"),
    (r"the file is empty", "berkas kosong"),
    (r"cannot read the Excel file: (?P<why>.*)", "berkas Excel tidak dapat dibaca: {why}"),
    (r"no such file: (?P<path>.*)", "berkas tidak ditemukan: {path}"),
    (r"the column name appears twice", "nama kolom muncul dua kali"),
    (
        r"the column 'participant' is missing \(one row per participant\)",
        "kolom peserta tidak ditemukan (satu baris per peserta): beri judul 'Nama' atau 'Peserta', "
        "atau pilih kolomnya di bawah",
    ),
    (
        r"the column chosen for '(?P<role>\w+)' is not in the file",
        "kolom yang dipilih untuk '{role}' tidak ada",
    ),
    (r"has no matching '(?P<col>[^']+)' column", "tidak ada kolom pasangannya '{col}'"),
    (
        r"need columns 'pre' and 'post', or item columns 'pre_<question>' and 'post_<question>'",
        "perlu kolom nilai 'Pretest' dan 'Posttest', atau kolom jawaban 'pre_<soal>' dan 'post_<soal>'; "
        "atau pilih kolomnya di bawah",
    ),
    (r"has more cells than the header has columns", "sel lebih banyak daripada kolom judul"),
    (r"the participant code is empty", "kode atau nama peserta kosong"),
    (
        r"the same participant already appears in row (?P<r>\d+)",
        "peserta yang sama sudah ada di baris {r}",
    ),
    (
        r"an answer must be 0 \(wrong\), 1 \(right\) or blank",
        "jawaban harus 0 (salah), 1 (benar) atau kosong",
    ),
    (
        r"every score is between 0 and 1 \(e\.g\. (?P<ex>[^)]+)\): these look like fractions of the maximum, "
        r"such as 0\.8 shown as 80% in Excel, not scores out of (?P<max>\S+); multiply them by \S+ in the file, "
        r"or choose to rescale fractions",
        "semua nilai antara 0 dan 1 (misalnya {ex}): ini tampaknya pecahan dari nilai maksimal, seperti 0,8 "
        "yang tampil sebagai 80% di Excel, bukan nilai dari {max}; kalikan dengan {max} di berkas, atau "
        "centang 'ubah pecahan menjadi nilai'",
    ),
    (
        r"the file contains NUL bytes: it is not a text CSV file",
        "berkas berisi byte NUL: bukan berkas teks CSV",
    ),
    (
        r"the file is neither UTF-8 nor Windows-1252 text (?P<where>\(.*\)); save it again as CSV UTF-8",
        "berkas bukan teks UTF-8 maupun Windows-1252 {where}; simpan ulang sebagai CSV UTF-8",
    ),
    (
        r"the CSV file cannot be split into rows and columns (?P<rest>.*)",
        "berkas CSV tidak dapat dipisah menjadi baris dan kolom {rest}",
    ),
)


def explain_file_error(error, lang: str = "id") -> str:
    """A data-file problem (``analysis.io.DataFileError``) with where it is, in the reader's language.

    >>> from analysis.io import DataFileError
    >>> explain_file_error(DataFileError("is not a number", row=3, column="pre", value="abc"))
    "baris 3, kolom 'pre', nilai 'abc': bukan angka"
    >>> explain_file_error(DataFileError("is not a number", row=3, column="pre", value="abc"), "en")
    "row 3, column 'pre', value 'abc': is not a number"
    """
    _check_lang(lang)
    message = getattr(error, "message", str(error))
    if lang == "en":
        return str(error)
    text = message
    for pattern, indonesian in _FILE_ERRORS:
        match = re.fullmatch(pattern, message)
        if match:
            text = indonesian.format(**match.groupdict())
            break
    where = []
    if getattr(error, "row", None) is not None:
        where.append(f"baris {error.row}")
    if getattr(error, "column", None) is not None:
        where.append(f"kolom '{error.column}'")
    if getattr(error, "value", None) is not None:
        where.append(f"nilai '{error.value}'")
    return (", ".join(where) + ": " if where else "") + text
