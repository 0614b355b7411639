"""One rounding rule and SPSS's conventions in every report a lecturer hands in."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document

from analysis.io import read_session_file
from app.reports import build
from app.services.reportdata import Activity, from_session_file
from tests.reports.readback import pdf_text


def activity() -> Activity:
    return Activity(
        title="Kelas ASI",
        place="Balai Desa",
        held_on=date(2026, 10, 1),
        educator="Tim",
        team="",
        institution="",
    )


def analysed(path):
    return from_session_file(read_session_file(path), activity()).analyse("id")


# 16 participants; 5 of them (31,25%) good (>= 76) on the pre-test; one pre score is 81,25.
PRE = [81.25, 80, 90, 76, 77, 50, 40, 60, 55, 45, 30, 62.5, 70, 35, 20, 50]
POST = [90, 85, 95, 80, 90, 75, 70, 80, 80, 70, 60, 81.25, 85, 65, 55, 70]


@pytest.fixture
def rounding_file(tmp_path):
    path = tmp_path / "skor.csv"
    rows = ["participant,pre,post"] + [
        f"A{i:02d},{a},{b}" for i, (a, b) in enumerate(zip(PRE, POST, strict=True), 1)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def report_text(path, fmt="pdf", lang="id") -> str:
    download = build.report_from_file(path, activity(), fmt, lang=lang)
    if fmt == "docx":
        doc = Document(io.BytesIO(download.content))
        return "\n".join(
            [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
        )
    return pdf_text(download.content)


def test_halves_round_away_from_zero_in_the_pdf_and_word(app, rounding_file):
    """81,25 at one decimal is 81,3 and 31,25% is 31,3% (SPSS and Excel), never 81,2 and 31,2%."""
    result = analysed(rounding_file)
    pre_good = next(c for c in result.knowledge_categories["pre"].categories if c.category == "baik")
    assert pre_good.percent == 31.25  # the half the rule is about
    for fmt in ("pdf", "docx"):
        text = report_text(rounding_file, fmt)
        assert "31,3%" in text and "31,2%" not in text
        assert "81,25" in text  # scores: two decimals in every table
        assert "81,2 " not in text and "81,2\n" not in text


def test_the_report_states_the_sign_convention(app, rounding_file):
    text = " ".join(report_text(rounding_file).split())
    assert "post-test dikurangi pre-test (post − pre)" in text
    assert "SPSS mencetak pre − post" in text


def test_lilliefors_p_above_0_2_is_printed_as_spss_lower_bound(app, rounding_file):
    result = analysed(rounding_file)
    assert result.normality["lilliefors"].p_value > 0.2  # the case SPSS prints as 0,200*
    text = report_text(rounding_file)
    assert "0,200*" in text
    assert "Batas bawah dari signifikansi yang sebenarnya" in " ".join(text.split())
    shown = f"{result.normality['lilliefors'].p_value:.3f}".replace(".", ",")
    assert shown not in text.split("Uji t")[0]


def test_without_item_answers_the_method_claims_no_mcnemar_or_kr20(app, rounding_file):
    text = report_text(rounding_file)
    assert "McNemar" not in text and "KR-20" not in text
